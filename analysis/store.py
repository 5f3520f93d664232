"""Read and write the dataset folder: one Parquet file per table plus a manifest.

Writes are atomic: the new dataset is written to a sibling temporary folder,
validated, and swapped in with ``os.replace``; a failure at any point leaves
the previous dataset untouched.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import schema


class DatasetError(Exception):
    """The dataset folder is missing, incomplete or of another schema version."""


@dataclass(frozen=True)
class Dataset:
    """All tables of a built dataset, keyed by table name, plus its manifest."""

    tables: dict[str, pd.DataFrame]
    manifest: dict = field(default_factory=dict)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]


def empty_table(name: str) -> pd.DataFrame:
    """Return an empty frame with the columns of table ``name``."""
    return pd.DataFrame({col: pd.Series(dtype="object") for col in schema.COLUMNS[name]})


def conform(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with every schema column of ``name`` present, schema columns first."""
    cols = schema.COLUMNS[name]
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        frame = frame.copy()
        for col in missing:
            frame[col] = pd.Series([None] * len(frame), dtype="object", index=frame.index)
    extra = [c for c in frame.columns if c not in cols]
    return frame[cols + extra].reset_index(drop=True)


def write_dataset(tables: dict[str, pd.DataFrame], out: Path, *, manifest: dict | None = None,
                  keep: tuple[str, ...] = (".cache",)) -> Path:
    """Write ``tables`` to ``out`` atomically; entries named in ``keep`` are carried over.

    The new dataset is written and checked in a sibling folder, then swapped in
    by two renames; if the second fails, the old folder is put back.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    tmp.chmod(0o755)
    moved: list[str] = []
    try:
        for name in schema.TABLES:
            frame = conform(name, tables.get(name, empty_table(name)))
            frame.to_parquet(tmp / f"{name}{schema.TABLE_SUFFIX}", index=False)
        meta = {"schema_version": schema.SCHEMA_VERSION, **(manifest or {})}
        meta["tables"] = {name: len(tables.get(name, ())) for name in schema.TABLES}
        (tmp / schema.MANIFEST).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n",
                                           encoding="utf-8")
        check_dataset(tmp)  # validate before swapping in
        if not out.exists():
            os.replace(tmp, out)
            return out
        for name in keep:
            if (out / name).exists():
                os.replace(out / name, tmp / name)
                moved.append(name)
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.replace(out, old / "dataset")
        try:
            os.replace(tmp, out)
        except BaseException:
            os.replace(old / "dataset", out)
            raise
        finally:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        for name in moved:  # give the carried-over entries back to the old dataset
            if (tmp / name).exists() and not (out / name).exists():
                os.replace(tmp / name, out / name)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def check_dataset(path: Path) -> dict:
    """Check the manifest and every table's columns without loading the rows; return the manifest."""
    import pyarrow.parquet as pq

    path = Path(path)
    meta = read_manifest(path)
    for name in schema.TABLES:
        file = path / f"{name}{schema.TABLE_SUFFIX}"
        if not file.is_file():
            raise DatasetError(f"{file} is missing")
        try:
            columns = set(pq.read_schema(file).names)
        except Exception as exc:  # pyarrow raises several types for corrupt files
            raise DatasetError(f"{file} cannot be read: {exc}") from exc
        missing = [c for c in schema.COLUMNS[name] if c not in columns]
        if missing:
            raise DatasetError(f"{file} lacks columns {', '.join(missing)}")
    return meta


def read_manifest(path: Path) -> dict:
    """Return the manifest of the dataset at ``path`` or raise :class:`DatasetError`."""
    path = Path(path)
    if not path.is_dir():
        raise DatasetError(f"no dataset folder at {path}")
    man = path / schema.MANIFEST
    if not man.is_file():
        raise DatasetError(f"{man} is missing: {path} is not a built dataset")
    try:
        meta = json.loads(man.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DatasetError(f"{man} cannot be read: {exc}") from exc
    version = meta.get("schema_version")
    if version != schema.SCHEMA_VERSION:
        raise DatasetError(
            f"{path} has schema version {version!r}, this code reads {schema.SCHEMA_VERSION}")
    return meta


def load_dataset(path: Path) -> Dataset:
    """Load every table of the dataset at ``path``; raise :class:`DatasetError` if invalid."""
    path = Path(path)
    meta = read_manifest(path)
    tables: dict[str, pd.DataFrame] = {}
    for name in schema.TABLES:
        file = path / f"{name}{schema.TABLE_SUFFIX}"
        if not file.is_file():
            raise DatasetError(f"{file} is missing")
        try:
            frame = pd.read_parquet(file)
        except Exception as exc:  # pyarrow raises several types for corrupt files
            raise DatasetError(f"{file} cannot be read: {exc}") from exc
        missing = [c for c in schema.COLUMNS[name] if c not in frame.columns]
        if missing:
            raise DatasetError(f"{file} lacks columns {', '.join(missing)}")
        tables[name] = frame
    return Dataset(tables=tables, manifest=meta)
