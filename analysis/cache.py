"""Incremental build cache: the pre-merge rows of every parsed article, in columnar segments.

The key of an article is the sha256 of its file name, text, metadata and notes together
with the pipeline fingerprint: ``PIPELINE_VERSION``, a hash of the rule files in
``analysis/rules/`` and a hash of the package's Python source (so a code change can
never serve stale records, even when nobody bumped the version).

Rows live in ``<out>/.cache/rows/<segment>/``: one Arrow IPC file per table whose rows
carry their article's key (:data:`analysis.rows.KEY`), and ``keys.json`` listing the
articles the segment holds. A build reads the segments that hold the articles it needs
(a changed article's old rows are filtered out), writes what it parsed as new segments
(every :data:`FLUSH_EVERY` articles, so an interrupted build keeps its work) and then
drops dead segments, merging them into one when too many have piled up. Segments are
written to a temporary folder and renamed into place; one that cannot be read is a miss
for every article it held (they are parsed again).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.feather as feather

import analysis

PACKAGE_DIR = Path(analysis.__file__).resolve().parent
RULES_DIR = PACKAGE_DIR / "rules"
CACHE_DIR = ".cache"
ROWS_DIR = "rows"
KEYS_FILE = "keys.json"
ROWS_SUFFIX = ".arrow"
"""Arrow IPC files, uncompressed: memory-mapped when read, so reading a segment costs almost nothing."""
FLUSH_EVERY = 200
"""Articles parsed before their rows are written as a segment (work kept if the build stops)."""
MAX_SEGMENTS = 8
"""More live segments than this are merged into one after a build."""
_SKIP_PARTS = frozenset({"__pycache__"})


def _hash_files(paths: Iterable[Path], *, root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.relative_to(root).as_posix()):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _files(root: Path, *, python: bool) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and not _SKIP_PARTS & set(p.parts)
            and not p.name.startswith(".") and (p.suffix == ".py") == python]


def rules_hash(rules_dir: Path = RULES_DIR) -> str:
    """Return a sha256 over every rule (data) file under ``rules_dir``."""
    return _hash_files(_files(rules_dir, python=False), root=rules_dir)


def code_hash(package_dir: Path = PACKAGE_DIR) -> str:
    """Return a sha256 over the Python source of the ``analysis`` package."""
    return _hash_files(_files(package_dir, python=True), root=package_dir)


def fingerprint() -> dict[str, str]:
    """Return what, besides an article, decides its records: version, rules and code hashes."""
    return {"pipeline_version": str(analysis.PIPELINE_VERSION), "rules_hash": rules_hash(),
            "code_hash": code_hash()}


def article_key(*, file: str, raw: str, meta: dict, notes: Iterable[str], prints: dict[str, str]) -> str:
    """Return the cache key of one article under the pipeline fingerprint ``prints``."""
    payload = json.dumps({"file": file, "raw": raw, "meta": meta, "notes": list(notes), **prints},
                         sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass
class _Segment:
    path: Path
    keys: list[str]


class RowStore:
    """The cache: pre-merge rows of parsed articles by key; ``read=False`` ignores what is stored."""

    def __init__(self, root: Path, *, read: bool = True) -> None:
        self.root = Path(root)
        self.dir = self.root / ROWS_DIR
        self.read = read
        self.written: list[Path] = []

    def _segments(self) -> list[_Segment]:
        """Complete segments, newest first (an unreadable key list makes a segment be deleted)."""
        found = []
        for path in sorted(self.dir.iterdir(), reverse=True) if self.dir.is_dir() else ():
            if not path.is_dir() or path.name.startswith("."):
                continue
            try:
                keys = json.loads((path / KEYS_FILE).read_text(encoding="utf-8"))["keys"]
                if not all(isinstance(k, str) for k in keys):
                    raise ValueError("keys are not strings")
            except (OSError, ValueError, KeyError, TypeError):
                shutil.rmtree(path, ignore_errors=True)
                continue
            found.append(_Segment(path, keys))
        return found

    def load(self, keys: Iterable[str]) -> tuple[dict[str, list[pa.Table]], set[str]]:
        """Return the stored rows of the articles ``keys`` (table -> parts) and the keys found.

        A part may also hold rows of other articles (a changed article's old version, or
        an article also found in a newer segment): :func:`analysis.rows.in_corpus_order`
        takes each article's rows from the first part that has them and drops the rest.
        """
        wanted, found = set(keys), set()
        tables: dict[str, list[pa.Table]] = {}
        if not self.read:
            return tables, found
        for seg in self._segments():
            live = [k for k in seg.keys if k in wanted and k not in found]
            if not live:
                continue
            try:
                parts = {p.stem: feather.read_table(p, memory_map=True) for p in seg.path.glob(f"*{ROWS_SUFFIX}")}
            except (OSError, pa.ArrowException):
                shutil.rmtree(seg.path, ignore_errors=True)  # unreadable: its articles are parsed again
                continue
            for name, table in parts.items():
                tables.setdefault(name, []).append(table)
            found.update(live)
        return tables, found

    def add(self, tables: Mapping[str, pa.Table], keys: list[str]) -> bool:
        """Store the rows of the articles ``keys`` as a new segment; False when not writable."""
        if not keys:
            return True
        name = f"{time.time_ns():020d}-{os.getpid()}"
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=self.dir))
            for table_name, table in tables.items():
                feather.write_feather(table, tmp / f"{table_name}{ROWS_SUFFIX}", compression="uncompressed")
            (tmp / KEYS_FILE).write_text(json.dumps({"keys": keys}), encoding="utf-8")
            os.replace(tmp, self.dir / name)
            self.written.append(self.dir / name)
        except (OSError, pa.ArrowException):
            return False
        return True

    def prune(self, keep: set[str]) -> int:
        """Delete segments with no article in ``keep`` (and old-format entries); return how many.

        A store that does not read (a ``--no-cache`` build) keeps only what it wrote itself.
        When more than :data:`MAX_SEGMENTS` segments are left, or the dead rows outnumber
        the live ones, the live rows are merged into one segment first.
        """
        removed = 0
        for path in self.root.glob("*.json") if self.root.is_dir() else ():  # the older one-file-per-article cache
            path.unlink(missing_ok=True)
        for path in self.dir.glob(".tmp-*") if self.dir.is_dir() else ():
            shutil.rmtree(path, ignore_errors=True)
        segments = self._segments()
        live = [s for s in segments if keep.intersection(s.keys) and (self.read or s.path in self.written)]
        n_keys = sum(len(s.keys) for s in live)
        n_live = sum(len(keep.intersection(s.keys)) for s in live)
        if len(live) > MAX_SEGMENTS or (len(live) > 1 and n_keys > 2 * n_live):
            keys = sorted(keep.intersection(k for s in live for k in s.keys))
            tables, found = RowStore(self.root).load(keys)
            merged = {name: pa.concat_tables(parts, promote_options="permissive") for name, parts in tables.items()}
            if self.add(merged, sorted(found)):
                live = []
        for seg in segments:
            if seg not in live:
                shutil.rmtree(seg.path, ignore_errors=True)
                removed += 1
        return removed
