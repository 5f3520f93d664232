"""Per-article records as columnar tables: the pre-merge rows every build assembles from.

A build turns each article's records (``{table: [row, ...]}``) into one Arrow table per
dataset table, each row tagged with the key of the article it came from (:data:`KEY`).
Rows parsed in this run and rows read back from the incremental cache are concatenated,
put in corpus order (the order of the keys, rows of one article in their own order) and
handed to :func:`analysis.dataset.assemble_frames` as pandas frames. A full build and an
incremental one go through the same steps, so they give the same dataset.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

import numpy as np
import pandas as pd
import pyarrow as pa

KEY = "_key"
"""Column holding the article (cache) key of each pre-merge row."""

Records = dict[str, list[dict]]


def _arrow_type(column: str, values: list[object]) -> pa.DataType:
    """The Arrow type of a column of Python scalars (None allowed); ints mixed with floats are floats."""
    kinds = {type(v) for v in values if v is not None}
    if not kinds:
        return pa.null()
    if kinds == {bool}:
        return pa.bool_()
    if kinds <= {int}:
        return pa.int64()
    if kinds <= {int, float}:
        return pa.float64()
    if kinds == {str}:
        return pa.string()
    raise TypeError(f"column {column!r} mixes values of types {', '.join(sorted(k.__name__ for k in kinds))}")


def to_arrow(rows: list[dict]) -> pa.Table:
    """One Arrow table from row dicts (a column per key any row has), types from the values."""
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    arrays = {}
    for col in columns:
        values = [row.get(col) for row in rows]
        arrays[col] = pa.array(values, type=_arrow_type(col, values))
    return pa.table(arrays)


def records_to_tables(records: Mapping[str, Records]) -> dict[str, pa.Table]:
    """Arrow tables (with :data:`KEY`) of the records of several articles, keyed by article key."""
    rows: dict[str, list[dict]] = {}
    for key, recs in records.items():
        for name, items in recs.items():
            rows.setdefault(name, []).extend({**item, KEY: key} for item in items)
    return {name: to_arrow(items) for name, items in rows.items() if items}


def _runs(part: pa.Table) -> Iterator[tuple[str, int, int]]:
    """(key, start, length) of each run of rows with the same key in ``part``."""
    keys = part[KEY].combine_chunks().dictionary_encode()
    codes = keys.indices.to_numpy(zero_copy_only=False)
    starts = np.concatenate(([0], np.flatnonzero(np.diff(codes)) + 1))
    ends = np.append(starts[1:], len(codes))
    names = keys.dictionary.to_pylist()
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        yield names[codes[start]], start, end - start


def in_corpus_order(parts: list[pa.Table], keys: list[str]) -> pa.Table | None:
    """The rows of ``parts`` whose key is in ``keys``, ordered by key position; None if none.

    Rows of one article are contiguous in a part and keep their order; an article found in
    several parts is taken from the first. The result is made of slices of the parts (no
    copy), adjacent slices of one part joined.
    """
    position = {key: i for i, key in enumerate(keys)}
    owner: dict[str, int] = {}  # the part an article's rows are taken from: the first that has them
    runs = sorted((position[key], j, start, length) for j, part in enumerate(parts) if part.num_rows
                  for key, start, length in _runs(part)
                  if key in position and owner.setdefault(key, j) == j)
    joined: list[list[int]] = []
    for _, j, start, length in runs:
        if joined and joined[-1][0] == j and joined[-1][1] + joined[-1][2] == start:
            joined[-1][2] += length
        else:
            joined.append([j, start, length])
    if not joined:
        return None
    slices = [parts[j].slice(start, length) for j, start, length in joined]
    return pa.concat_tables(slices, promote_options="permissive") if len(slices) > 1 else slices[0]


def to_frames(tables: Mapping[str, Iterable[pa.Table]], keys: list[str]) -> dict[str, pd.DataFrame]:
    """Pandas frames of the pre-merge rows, in corpus order, without the key column.

    ``tables`` maps a table name to its parts (cached segments and newly parsed rows).
    Schema-independent: columns are sorted by name (the assembly puts the schema's first);
    a column that only some parts have is null in the others.
    """
    frames = {}
    for name, parts in tables.items():
        table = in_corpus_order(list(parts), keys)
        if table is not None:  # columns sorted by name: the same whichever part brought a column first
            table = table.drop_columns([KEY])
            frames[name] = table.select(sorted(table.column_names)).to_pandas()
    return frames


def frames_from_records(per_article: list[Records]) -> dict[str, pd.DataFrame]:
    """Pandas frames of the pre-merge rows of ``per_article`` (in that order)."""
    keys = [f"{i:08d}" for i in range(len(per_article))]
    tables = records_to_tables(dict(zip(keys, per_article, strict=True)))
    return to_frames({name: [table] for name, table in tables.items()}, keys)
