"""Export a built dataset as CSV files, one per table, the issue's columns first.

Required files and leading columns (every other column of the table follows):
articles.csv, people.csv, claims.csv, stances.csv, events.csv (one row per event and
source article, actor codes joined by ";"), relations.csv. The other tables
(sentences, mentions, questions, actors) are written too. Lists become ";"-joined text.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import schema
from analysis.store import load_dataset

LEADING: dict[str, list[str]] = {
    schema.ARTICLES: [schema.ARTICLE_ID, "file", "title", "published", "published_inferred"],
    schema.PEOPLE: [schema.PERSON_ID, "name", "role", "affiliation"],
    schema.CLAIMS: [schema.CLAIM_ID, schema.ARTICLE_ID, schema.PERSON_ID, schema.TEXT],
    schema.STANCES: [schema.CLAIM_ID, schema.PERSON_ID, schema.QUESTION_ID, "stance"],
    schema.EVENTS: [schema.EVENT_ID, "date", "precision", schema.TEXT, schema.ARTICLE_ID, "actors"],
    schema.RELATIONS: ["source", "target", "kind", schema.ARTICLE_ID, schema.TEXT],
}
"""Per table, the columns the export guarantees, in this order, before all others."""


def _cell(value: object) -> object:
    """Flatten list-like cells to ";"-joined text."""
    if isinstance(value, (list, tuple, set, frozenset)) or hasattr(value, "tolist"):
        items = value.tolist() if hasattr(value, "tolist") else list(value)
        if isinstance(items, list):
            return ";".join(str(v) for v in items)
    return value


def export_frame(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` ready to export: the leading columns first, list cells joined."""
    lead = LEADING.get(name, [])
    frame = frame.copy()
    for col in lead:
        if col not in frame.columns:
            frame[col] = ""
    frame = frame[lead + [c for c in frame.columns if c not in lead]]
    for col in frame.columns:
        if frame[col].dtype == object:
            frame[col] = frame[col].map(_cell)
    if name == schema.EVENTS:
        frame = frame.drop_duplicates([schema.EVENT_ID, schema.ARTICLE_ID]).reset_index(drop=True)
    return frame


def export_dataset(data: Path, to: Path, *, fmt: str = "csv") -> list[Path]:
    """Write every table of the dataset at ``data`` into folder ``to``; return the files written."""
    if fmt != "csv":
        raise ValueError(f"unknown export format {fmt!r}")
    dataset = load_dataset(Path(data))
    to = Path(to)
    to.mkdir(parents=True, exist_ok=True)
    written = []
    for name in schema.TABLES:
        path = to / f"{name}.csv"
        export_frame(name, dataset[name]).to_csv(path, index=False, encoding="utf-8")
        written.append(path)
    return written
