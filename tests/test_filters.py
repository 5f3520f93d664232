"""Specs for analysis.filters: what each shared filter keeps, table by table."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import schema as S
from analysis.filters import Filters, apply_filters
from analysis.store import Dataset, empty_table, load_dataset
from tests.ui.fixture_data import make_dataset

ALL_ARTICLES = {"a-pact", "a-troops", "a-oped"}
ALL_EVENTS = {"e-pact-2024-06-19", "e-troops-2024-10", "e-sanctions-2024-11"}


@pytest.fixture(scope="module")
def ds(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_dataset(make_dataset(tmp_path_factory.mktemp("filters") / "data"))


def _ids(ds: Dataset, table: str, col: str) -> set[str]:
    return set(ds[table][col])


@pytest.mark.parametrize(("f", "articles", "stance_sentences", "events", "people"), [
    (Filters(), ALL_ARTICLES, {"a-pact-s2", "a-pact-s3", "a-pact-s4", "a-troops-s2", "a-troops-s3",
                               "a-oped-s0", "a-oped-s1", "a-oped-s4"}, ALL_EVENTS,
     {"p-anna-kovalenko", "p-liu-wei", "p-james-holt", "p-mina-park"}),  # unfiltered: everyone
    # articles: only these articles' records
    (Filters(articles=("a-oped",)), {"a-oped"}, {"a-oped-s0", "a-oped-s1", "a-oped-s4"},
     {"e-sanctions-2024-11"}, {"p-james-holt", "p-anna-kovalenko"}),
    # people: the articles quoting them, and only their stances
    (Filters(people=("p-liu-wei",)), {"a-pact"}, {"a-pact-s4"}, {"e-pact-2024-06-19"}, {"p-liu-wei"}),
    # actors: stances whose sentence mentions one ("Beijing" is China), events involving one
    (Filters(actors=("CHN",)), ALL_ARTICLES, {"a-pact-s4", "a-troops-s3", "a-oped-s4"}, set(),
     {"p-liu-wei", "p-james-holt", "p-anna-kovalenko"}),
    (Filters(actors=("EU",)), ALL_ARTICLES, set(), {"e-sanctions-2024-11"}, set()),
    # questions: the matrix columns
    (Filters(questions=("russia-weakness",)), ALL_ARTICLES, {"a-pact-s2", "a-oped-s0"}, ALL_EVENTS,
     {"p-anna-kovalenko", "p-liu-wei", "p-james-holt"}),
    # dates: opinions from articles published in the range; events whose span overlaps it,
    # whenever they were reported (the pact is also reported by an October article)
    (Filters(date_from="2024-06-01", date_to="2024-06-30"), {"a-pact"},
     {"a-pact-s2", "a-pact-s3", "a-pact-s4"}, {"e-pact-2024-06-19"},
     {"p-anna-kovalenko", "p-liu-wei"}),
    (Filters(date_from="2024-10-31", date_to="2024-10-31"), set(), set(), {"e-troops-2024-10"}, set()),
    (Filters(date_from="2024-11-01"), {"a-oped"}, {"a-oped-s0", "a-oped-s1", "a-oped-s4"},
     {"e-sanctions-2024-11"}, {"p-james-holt", "p-anna-kovalenko"}),
    # filters combine with AND
    (Filters(people=("p-anna-kovalenko",), questions=("china-approval",)), {"a-pact", "a-troops", "a-oped"},
     {"a-oped-s4"}, ALL_EVENTS, {"p-anna-kovalenko"}),
    (Filters(articles=("nope",)), set(), set(), set(), set()),
])
def test_each_filter_keeps_what_its_definition_says(ds, f, articles, stance_sentences, events, people):
    out = apply_filters(ds, f)
    assert _ids(out, S.ARTICLES, S.ARTICLE_ID) == articles
    assert _ids(out, S.STANCES, S.SENTENCE_ID) == stance_sentences
    assert _ids(out, S.EVENTS, S.EVENT_ID) == events
    assert _ids(out, S.PEOPLE, S.PERSON_ID) == people


def test_the_pact_keeps_both_sources_under_a_date_filter(ds):
    out = apply_filters(ds, Filters(date_from="2024-06-19", date_to="2024-06-19"))
    assert set(out[S.EVENTS][S.ARTICLE_ID]) == {"a-pact", "a-troops"}


def test_relations_keep_an_actor_at_either_end(ds):
    out = apply_filters(ds, Filters(actors=("KOR",)))
    assert set(zip(out[S.RELATIONS]["source"], out[S.RELATIONS]["target"], strict=True)) == {("KOR", "RUS")}


def test_an_event_without_a_stored_span_is_filtered_by_its_date(ds):
    events = ds[S.EVENTS].copy()
    events["date_start"], events["date_end"] = None, ""
    out = apply_filters(Dataset({**ds.tables, S.EVENTS: events}), Filters(date_from="2024-10-15",
                                                                         date_to="2024-10-20"))
    assert set(out[S.EVENTS][S.EVENT_ID]) == {"e-troops-2024-10"}


def test_no_filter_returns_the_dataset_itself(ds):
    assert apply_filters(ds, Filters()) is ds


@pytest.mark.parametrize("f", [Filters(actors=("EU",)), Filters(people=("x",)), Filters(questions=("q",)),
                               Filters(date_from="2024-01-01", date_to="2024-12-31")])
def test_an_empty_dataset_filters_to_an_empty_dataset(f):
    empty = Dataset({name: empty_table(name) for name in S.TABLES})
    out = apply_filters(empty, f)
    assert all(len(frame) == 0 for frame in out.tables.values())


def test_filters_are_hashable_and_clear():
    f = Filters(people=("p",), date_from="2024-01-01")
    assert hash(f) == hash(Filters(people=("p",), date_from="2024-01-01"))
    assert f.cleared().is_empty() and not f.is_empty()


def test_the_input_dataset_is_not_modified(ds):
    before = {k: v.copy() for k, v in ds.tables.items()}
    apply_filters(ds, Filters(actors=("RUS",), date_from="2024-07-01", people=("p-james-holt",)))
    for name, frame in ds.tables.items():
        pd.testing.assert_frame_equal(frame, before[name])
