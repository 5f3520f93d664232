"""Pre-merge rows as Arrow tables: types from values, corpus order across cached and new parts."""

from __future__ import annotations

import pyarrow as pa
import pytest

from analysis.rows import KEY, frames_from_records, in_corpus_order, records_to_tables, to_arrow


@pytest.mark.parametrize(("values", "expected"), [
    ([1, 2], pa.int64()),
    ([1, 2.5], pa.float64()),
    ([True, None], pa.bool_()),
    (["a", None], pa.string()),
    ([None, None], pa.null()),
])
def test_column_type_comes_from_the_values(values: list, expected: pa.DataType) -> None:
    assert to_arrow([{"c": v} for v in values]).schema.field("c").type == expected


def test_mixed_text_and_numbers_in_one_column_is_refused() -> None:
    with pytest.raises(TypeError, match=r"column 'c' mixes values of types int, str"):
        to_arrow([{"c": "a"}, {"c": 1}])


def test_a_column_only_some_rows_have_is_null_elsewhere() -> None:
    table = to_arrow([{"a": 1}, {"a": 2, "b": "x"}])
    assert table.column_names == ["a", "b"] and table["b"].to_pylist() == [None, "x"]


def _part(rows: dict[str, list[str]]) -> pa.Table:
    return records_to_tables({key: {"t": [{"v": v} for v in vs]} for key, vs in rows.items()})["t"]


@pytest.mark.parametrize(("parts", "keys", "expected"), [
    # one part, already in order: unchanged
    ([{"k1": ["a", "b"], "k2": ["c"]}], ["k1", "k2"], ["a", "b", "c"]),
    # a cached part and a newly parsed article that sits between its articles
    ([{"k1": ["a"], "k3": ["d", "e"]}, {"k2": ["b", "c"]}], ["k1", "k2", "k3"], ["a", "b", "c", "d", "e"]),
    # rows of an article no longer in the corpus are dropped
    ([{"k1": ["a"], "old": ["x"], "k2": ["b"]}], ["k2", "k1"], ["b", "a"]),
    # nothing left
    ([{"old": ["x"]}], ["k1"], None),
])
def test_rows_come_in_corpus_order(parts: list[dict], keys: list[str], expected: list[str] | None) -> None:
    table = in_corpus_order([_part(p) for p in parts], keys)
    assert (table["v"].to_pylist() if table is not None else None) == expected


def test_parts_with_different_columns_are_joined() -> None:
    old = records_to_tables({"k1": {"t": [{"v": "a", "n": 1}]}})["t"]
    new = records_to_tables({"k2": {"t": [{"v": "b", "w": 0.5}]}})["t"]
    table = in_corpus_order([new, old], ["k1", "k2"])
    assert table.to_pylist() == [{"v": "a", "n": 1, KEY: "k1", "w": None},
                                 {"v": "b", "n": None, KEY: "k2", "w": 0.5}]


def test_frames_from_records_keep_article_order_and_drop_the_key() -> None:
    frames = frames_from_records([{"t": [{"v": "a"}]}, {"t": [{"v": "b"}, {"v": "c"}]}, {"u": [{"x": 1}]}])
    assert frames["t"]["v"].tolist() == ["a", "b", "c"] and list(frames["t"].columns) == ["v"]
    assert frames["u"]["x"].tolist() == [1]


def test_an_article_in_several_parts_is_taken_from_the_first() -> None:
    table = in_corpus_order([_part({"k2": ["new"]}), _part({"k1": ["a"], "k2": ["old", "older"]})], ["k1", "k2"])
    assert table["v"].to_pylist() == ["a", "new"]
