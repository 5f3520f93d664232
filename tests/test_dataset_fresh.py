"""The committed data/ is what a fresh build of seeds/ gives, ids included."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import schema
from analysis.store import load_dataset

DATA = Path(__file__).resolve().parent.parent / "data"
REBUILD = "python -m analysis build --corpus seeds --out data"


def _sorted(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    cols = schema.COLUMNS[name]
    out = frame[cols].astype(str)
    return out.sort_values(cols).reset_index(drop=True)


@pytest.mark.parametrize("name", schema.TABLES)
def test_committed_dataset_matches_a_fresh_build(seeds_build: Path, name: str) -> None:
    committed = load_dataset(DATA)[name]
    fresh = load_dataset(seeds_build)[name]
    assert len(committed) == len(fresh), f"data/{name} is stale: run `{REBUILD}`"
    pd.testing.assert_frame_equal(_sorted(committed, name), _sorted(fresh, name),
                                  obj=f"data/{name} (stale? run `{REBUILD}`)")


def test_ids_are_unique_and_content_derived(seeds_build: Path) -> None:
    ds = load_dataset(seeds_build)
    for name, key in ((schema.ARTICLES, schema.ARTICLE_ID), (schema.SENTENCES, schema.SENTENCE_ID),
                      (schema.CLAIMS, schema.CLAIM_ID), (schema.PEOPLE, schema.PERSON_ID),
                      (schema.RELATIONS, schema.RELATION_ID)):
        assert ds[name][key].is_unique, name
    assert ds[schema.STANCES]["stance_id"].is_unique
