"""The UI fixture datasets are valid: every span indexes into its article's text, ids are consistent."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import schema as S
from analysis.store import load_dataset
from tests.ui.fixture_data import IMG, SCRIPT, make_dataset, make_large_dataset


@pytest.mark.parametrize("maker", [
    lambda p: make_dataset(p, hostile=True, n_articles=5),
    lambda p: make_large_dataset(p, n_articles=20, n_actors=30),
])
def test_spans_index_into_the_article_text(tmp_path: Path, maker) -> None:
    ds = load_dataset(maker(tmp_path / "data"))
    texts = dict(zip(ds[S.ARTICLES][S.ARTICLE_ID], ds[S.ARTICLES][S.TEXT], strict=True))
    for table in (S.SENTENCES, S.MENTIONS, S.CLAIMS):
        for row in ds[table].to_dict("records"):
            assert texts[row[S.ARTICLE_ID]][row[S.START_CHAR]:row[S.END_CHAR]] == row[S.TEXT], row
    assert ds[S.ARTICLES][S.ARTICLE_ID].is_unique and ds[S.SENTENCES][S.SENTENCE_ID].is_unique
    sentences = set(ds[S.SENTENCES][S.SENTENCE_ID])
    for table in (S.MENTIONS, S.CLAIMS, S.STANCES, S.EVENTS, S.RELATIONS):
        assert set(ds[table][S.SENTENCE_ID]) <= sentences, table
    assert set(ds[S.STANCES][S.QUESTION_ID]) <= set(ds[S.QUESTIONS][S.QUESTION_ID])


def test_small_dataset_has_what_the_pages_need(tmp_path: Path) -> None:
    ds = load_dataset(make_dataset(tmp_path / "data", hostile=True))
    events = ds[S.EVENTS]
    merged = events.groupby(S.EVENT_ID)[S.ARTICLE_ID].nunique()
    assert (merged == 2).sum() == 1                                    # one event from two articles
    assert set(events["precision"]) == {"day", "month"}
    assert set(ds[S.RELATIONS]["kind"]) == {"cooperation", "conflict"}
    assert set(ds[S.STANCES]["stance"]) == {"yes", "no", "mixed"}
    assert ds[S.ARTICLES]["published_inferred"].sum() == 1
    hostile = ds[S.ARTICLES].set_index(S.ARTICLE_ID).loc["a-hostile"]
    assert SCRIPT in hostile["title"] and IMG in hostile[S.TEXT]
    assert ds[S.PEOPLE]["name"].str.contains(SCRIPT, regex=False).any()
