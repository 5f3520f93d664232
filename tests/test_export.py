"""CSV export: the issue's files and leading columns, one row per event and source article."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from analysis import schema
from analysis.export import LEADING, export_dataset
from analysis.store import write_dataset

TABLES = {
    schema.ARTICLES: pd.DataFrame([
        {"article_id": "a1", "file": "000.txt", "title": "Pact", "published": "2024-11-05",
         "published_inferred": False, "text": "Line one.\n\nLine “two”, with a comma."},
        {"article_id": "a2", "file": "001.md", "title": "Café", "published": "2024-10-22",
         "published_inferred": True, "text": "x"},
    ]),
    schema.PEOPLE: pd.DataFrame([
        {"person_id": "p1", "name": "Ana Cruz", "role": "expert", "affiliation": "Some Institute",
         "aliases": ["Cruz", "the expert"], "articles": ["a1"], "n_claims": 2},
    ]),
    schema.CLAIMS: pd.DataFrame([
        {"claim_id": "c1", "article_id": "a1", "sentence_id": "s1", "person_id": "p1",
         "text": "The pact is a sign of weakness.", "kind": "quote", "held": True},
    ]),
    schema.STANCES: pd.DataFrame([
        {"stance_id": "st1", "claim_id": "c1", "person_id": "p1", "question_id": "q1", "stance": "yes"},
    ]),
    schema.EVENTS: pd.DataFrame([
        {"event_id": "e1", "date": "2024-06", "precision": "month", "text": "The pact was signed in June.",
         "article_id": "a1", "sentence_id": "s2", "actors": "RUS;PRK"},
        {"event_id": "e1", "date": "2024-06", "precision": "month", "text": "In June they signed it.",
         "article_id": "a1", "sentence_id": "s3", "actors": "RUS;PRK"},
        {"event_id": "e1", "date": "2024-06", "precision": "month", "text": "The June pact.",
         "article_id": "a2", "sentence_id": "s9", "actors": "PRK;RUS"},
        {"event_id": "e2", "date": "2024-10-21", "precision": "day", "text": "Seoul summoned him.",
         "article_id": "a2", "sentence_id": "s8", "actors": "KOR;RUS"},
    ]),
    schema.RELATIONS: pd.DataFrame([
        {"relation_id": "r1", "source": "RUS", "target": "PRK", "kind": "cooperation",
         "quad": "material_cooperation", "weight": 1.0, "article_id": "a1", "text": "They signed a pact."},
    ]),
}


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    write_dataset(TABLES, tmp_path / "data")
    export_dataset(tmp_path / "data", tmp_path / "csv", fmt="csv")
    return tmp_path / "csv"


def read(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize(("name", "leading"), [
    ("articles", ["article_id", "file", "title", "published", "published_inferred"]),
    ("people", ["person_id", "name", "role", "affiliation"]),
    ("claims", ["claim_id", "article_id", "person_id", "text"]),
    ("stances", ["claim_id", "person_id", "question_id", "stance"]),
    ("events", ["event_id", "date", "precision", "text", "article_id", "actors"]),
    ("relations", ["source", "target", "kind", "article_id", "text"]),
])
def test_required_files_and_leading_columns(exported: Path, name: str, leading: list[str]) -> None:
    with open(exported / f"{name}.csv", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header[:len(leading)] == leading == LEADING[name]
    assert set(schema.COLUMNS[name]) <= set(header)


def test_every_table_is_exported(exported: Path) -> None:
    assert sorted(p.stem for p in exported.glob("*.csv")) == sorted(schema.TABLES)


@pytest.mark.parametrize(("name", "key", "value", "column", "expected"), [
    ("articles", "article_id", "a1", "text", "Line one.\n\nLine “two”, with a comma."),
    ("articles", "article_id", "a2", "title", "Café"),
    ("articles", "article_id", "a2", "published_inferred", "True"),
    ("people", "person_id", "p1", "aliases", "Cruz;the expert"),
    ("claims", "claim_id", "c1", "person_id", "p1"),
    ("stances", "claim_id", "c1", "stance", "yes"),
    ("relations", "source", "RUS", "target", "PRK"),
])
def test_cells(exported: Path, name: str, key: str, value: str, column: str, expected: str) -> None:
    rows = [r for r in read(exported / f"{name}.csv") if r[key] == value]
    assert [r[column] for r in rows] == [expected]


def test_one_event_row_per_event_and_source_article(exported: Path) -> None:
    rows = read(exported / "events.csv")
    assert [(r["event_id"], r["article_id"], r["actors"]) for r in rows] == [
        ("e1", "a1", "RUS;PRK"), ("e1", "a2", "PRK;RUS"), ("e2", "a2", "KOR;RUS")]


def test_unknown_format(tmp_path: Path) -> None:
    write_dataset(TABLES, tmp_path / "data")
    with pytest.raises(ValueError, match="unknown export format"):
        export_dataset(tmp_path / "data", tmp_path / "out", fmt="xlsx")
