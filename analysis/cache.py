"""Incremental build cache: one JSON file of per-article records per cache key.

The key of an article is the sha256 of its file name, text, metadata and notes together
with the pipeline fingerprint: ``PIPELINE_VERSION``, a hash of the rule files in
``analysis/rules/`` and a hash of the package's Python source (so a code change can
never serve stale records, even when nobody bumped the version). Entries live in
``<out>/.cache/<key>.json``, are written atomically, and a corrupt entry is a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import analysis

PACKAGE_DIR = Path(analysis.__file__).resolve().parent
RULES_DIR = PACKAGE_DIR / "rules"
CACHE_DIR = ".cache"
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


class Cache:
    """Per-article records stored as ``<root>/<key>.json``; ``read=False`` ignores old entries."""

    def __init__(self, root: Path, *, read: bool = True) -> None:
        self.root = Path(root)
        self.read = read

    def path(self, key: str) -> Path:
        """Return the file that holds the entry ``key``."""
        return self.root / f"{key}.json"

    def get(self, key: str) -> dict[str, list[dict]] | None:
        """Return the cached records for ``key``, or None (missing, unreadable or disabled)."""
        if not self.read:
            return None
        try:
            entry = json.loads(self.path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        records = entry.get("records") if isinstance(entry, dict) else None
        return records if isinstance(records, dict) and entry.get("key") == key else None

    def put(self, key: str, records: dict[str, list[dict]], *, file: str) -> bool:
        """Store ``records`` under ``key`` atomically; return False when the cache is not writable."""
        body: dict[str, Any] = {"key": key, "file": file, "records": records}
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=self.root)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(json.dumps(body, ensure_ascii=False, separators=(",", ":")))
            os.replace(tmp, self.path(key))
        except OSError:
            return False
        return True

    def prune(self, keep: set[str]) -> int:
        """Delete every entry whose key is not in ``keep``; return how many were deleted."""
        removed = 0
        for path in self.root.glob("*.json") if self.root.is_dir() else ():
            if path.stem not in keep:
                path.unlink(missing_ok=True)
                removed += 1
        return removed
