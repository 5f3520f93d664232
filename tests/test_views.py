"""Specs for analysis.views: what a matrix cell, a split, an evidence row, a timeline bar, an export are."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest

from analysis import schema as S
from analysis import views as V
from analysis.store import Dataset, empty_table, load_dataset
from tests.ui.fixture_data import make_dataset


@pytest.fixture(scope="module")
def ds(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_dataset(make_dataset(tmp_path_factory.mktemp("views") / "data"))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_dataset(make_dataset(tmp_path_factory.mktemp("views-hostile") / "data", hostile=True))


# -- dates ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("date", "precision", "span"), [
    ("2024-06-19", "day", ("2024-06-19", "2024-06-19")),
    ("2024-10", "month", ("2024-10-01", "2024-10-31")),
    ("2024-02", "month", ("2024-02-01", "2024-02-29")),          # leap year
    ("2023-02-14", "month", ("2023-02-01", "2023-02-28")),       # a day stored at month precision
    ("2024-22", "season", ("2024-06-01", "2024-08-31")),         # EDTF summer
    ("2024-24", "season", ("2024-12-01", "2025-02-28")),         # winter runs into the next year
    ("2024", "year", ("2024-01-01", "2024-12-31")),
    ("2006", "day", ("2006-01-01", "2006-12-31")),               # only a year is given
    ("someday", "day", ("", "")),
    ("", "month", ("", "")),
])
def test_date_span_covers_what_the_precision_gives(date, precision, span):
    assert V.date_span(date, precision) == span


@pytest.mark.parametrize(("date", "precision", "label"), [
    ("2024-06-19", "day", "19 Jun 2024"),
    ("2024-10", "month", "Oct 2024"),
    ("2024-23", "season", "Autumn 2024"),
    ("2022", "year", "2022"),
    ("n/a", "day", "n/a"),
])
def test_date_label_reads_at_the_precision(date, precision, label):
    assert V.date_label(date, precision) == label


@pytest.mark.parametrize(("text", "limit", "out"), [
    ("Short sentence.", 70, "Short sentence."),
    ("one two three four five six", 14, "one two three…"),
    ("  spaced\n  out  ", 70, "spaced out"),
])
def test_headline_cuts_at_a_word(text, limit, out):
    assert V.headline(text, limit=limit) == out


# -- opinion matrix ------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(5))
def test_positions_table_decides_exactly_as_analysis_positions(seed):
    import random

    from analysis.positions import positions

    rng = random.Random(seed)
    rows = [{"stance_id": f"s{i}", S.CLAIM_ID: f"c{i}", S.PERSON_ID: f"p{rng.randrange(4)}",
             S.QUESTION_ID: f"q{rng.randrange(3)}", "stance": rng.choice(("yes", "no", "mixed", "yes")),
             "cue": "", S.ARTICLE_ID: "a", S.SENTENCE_ID: f"a-{i}", S.TEXT: f"claim {i}"} for i in range(60)]
    claims = pd.DataFrame([{S.CLAIM_ID: r[S.CLAIM_ID], "held": rng.random() > 0.2} for r in rows])
    tables = {n: empty_table(n) for n in S.TABLES}
    ds = Dataset({**tables, S.STANCES: pd.DataFrame(rows), S.CLAIMS: claims})
    cols = [S.PERSON_ID, S.QUESTION_ID, "stance", "n_yes", "n_no", "n_mixed", S.CLAIM_ID, S.TEXT]
    mine = V.positions_table(ds)[cols].sort_values(cols[:2]).reset_index(drop=True)
    theirs = positions(ds[S.STANCES], claims=claims)[cols].sort_values(cols[:2]).reset_index(drop=True)
    pd.testing.assert_frame_equal(mine.astype(str), theirs.astype(str))


def test_a_claim_reported_to_reject_it_is_neither_a_position_nor_evidence(ds):
    claims = ds[S.CLAIMS].copy()
    claims["held"] = claims[S.CLAIM_ID] != "c-a-oped-s4"  # Kovalenko's "doubts" on China's approval
    rejected = Dataset({**ds.tables, S.CLAIMS: claims})
    mv = V.matrix_view(rejected)
    cells = set(zip(mv.cells[S.PERSON_ID], mv.cells[S.QUESTION_ID], strict=True))
    assert ("p-anna-kovalenko", "china-approval") not in cells
    assert "a-oped-s4" not in set(mv.evidence[S.SENTENCE_ID])
    assert mv.split["china-approval"] == "1 yes, 1 no"


def test_matrix_cells_carry_the_deciding_sentence_and_its_article(ds):
    cells = V.matrix_cells(ds)
    assert list(cells.columns) == V._CELL_COLS
    liu = cells[cells[S.PERSON_ID] == "p-liu-wei"].iloc[0]
    assert (liu["question_id"], liu["label"], liu["stance"]) == ("china-approval", "China approves", "no")
    assert liu[S.TEXT] == ("Liu Wei, a professor at Fudan University, argued that Beijing is uneasy about "
                           "the pact.")
    assert (liu["title"], liu["published"], liu[S.SENTENCE_ID]) == (
        "Russia and North Korea seal a defence pact", "2024-06-20", "a-pact-s4")


def test_matrix_rows_put_the_most_outspoken_first_and_questions_in_codebook_order(ds):
    mv = V.matrix_view(ds)
    assert [name for _, name in mv.people] == ["Anna Kovalenko", "James Holt", "Liu Wei"]
    assert [q for q, _ in mv.questions] == ["china-approval", "tech-transfer", "russia-weakness",
                                            "military-significance", "western-response"]


def test_split_text_says_how_divided_people_are(ds):
    assert V.split_text(V.matrix_cells(ds)) == {
        "china-approval": "1 yes, 1 no, 1 mixed", "tech-transfer": "1 yes", "russia-weakness": "2 yes",
        "military-significance": "1 yes", "western-response": "1 yes"}


@pytest.mark.parametrize(("person", "question", "sentences"), [
    ("p-anna-kovalenko", "tech-transfer", ["a-pact-s3"]),
    ("p-james-holt", None, ["a-troops-s3", "a-oped-s0", "a-oped-s1"]),
    (None, "china-approval", ["a-oped-s4", "a-troops-s3", "a-pact-s4"]),
    ("p-liu-wei", "tech-transfer", []),
])
def test_evidence_lists_the_sentences_behind_a_cell_row_or_column(ds, person, question, sentences):
    cells = V.matrix_cells(ds)
    ev = V.matrix_evidence(ds, cells, person_id=person, question_id=question)
    assert list(ev[S.SENTENCE_ID]) == sentences
    for row in ev.itertuples(index=False):
        assert row.link == f"reader?article={row.article_id}&sentence={row.sentence_id}"
        assert row.title and row.published


def test_an_empty_dataset_gives_an_empty_matrix():
    empty = Dataset({name: empty_table(name) for name in S.TABLES})
    mv = V.matrix_view(empty)
    assert mv.cells.empty and mv.evidence.empty and mv.people == [] and mv.split == {}


# -- timeline ------------------------------------------------------------------------------------

def test_events_reported_twice_are_one_event_with_two_sources(ds):
    ev = V.timeline_events(ds).set_index(S.EVENT_ID)
    pact = ev.loc["e-pact-2024-06-19"]
    assert (pact["n_sources"], pact["n_articles"], pact["article"]) == (2, 2, "2 articles")
    assert pact["point"] and pact["date_label"] == "19 Jun 2024"
    assert pact["actor_names"] == "North Korea, Russia"
    troops = ev.loc["e-troops-2024-10"]
    assert (troops["date_start"], troops["date_end"], troops["point"]) == ("2024-10-01", "2024-10-31", False)
    assert troops["article"] == "North Korean troops arrive in Russia"
    assert list(ev.index) == ["e-pact-2024-06-19", "e-troops-2024-10", "e-sanctions-2024-11"]


def test_a_missing_stored_span_is_computed_from_date_and_precision(ds):
    events = ds[S.EVENTS].copy()
    events["date_start"], events["date_end"] = "", None
    tl = V.timeline_events(Dataset({**ds.tables, S.EVENTS: events}))
    troops = tl.set_index(S.EVENT_ID).loc["e-troops-2024-10"]
    assert (troops["date_start"], troops["date_end"]) == ("2024-10-01", "2024-10-31")


def test_sources_link_each_event_to_every_sentence_that_reports_it(ds):
    events = V.timeline_events(ds)
    src = V.timeline_sources(ds, events)
    pact = src[src[S.EVENT_ID] == "e-pact-2024-06-19"]
    assert list(pact["title"]) == ["Russia and North Korea seal a defence pact",
                                   "North Korean troops arrive in Russia"]
    assert list(pact["link"]) == ["reader?article=a-pact&sentence=a-pact-s1",
                                  "reader?article=a-troops&sentence=a-troops-s4"]


def test_timelinejs_gives_the_parts_of_the_date_the_precision_allows(ds):
    tv = V.timeline_view(ds)
    doc = json.loads(json.dumps(V.timelinejs(tv.events, tv.sources)))
    by_id = {e["unique_id"]: e for e in doc["events"]}
    assert by_id["e-pact-2024-06-19"]["start_date"] == {"year": "2024", "month": "6", "day": "19"}
    assert by_id["e-troops-2024-10"]["start_date"] == {"year": "2024", "month": "10"}
    assert "end_date" not in by_id["e-troops-2024-10"]
    assert by_id["e-pact-2024-06-19"]["group"] == "North Korea, Russia"
    assert by_id["e-pact-2024-06-19"]["text"]["text"].count("<li>") == 2
    by_article = V.timelinejs(tv.events, tv.sources, group_by="article")
    assert by_article["events"][0]["group"] == "2 articles"


def test_timelinejs_season_has_an_end_date():
    events = pd.DataFrame([{S.EVENT_ID: "e1", "date": "2024-22", "precision": "season", S.TEXT: "In summer.",
                            S.ARTICLE_ID: "a", S.SENTENCE_ID: "a-0", "actors": "", "uncertain": False}])
    tv = V.timeline_view(Dataset({**{n: empty_table(n) for n in S.TABLES}, S.EVENTS: events}))
    item = V.timelinejs(tv.events, tv.sources)["events"][0]
    assert item["start_date"] == {"year": "2024", "month": "6", "day": "1"}
    assert item["end_date"] == {"year": "2024", "month": "8", "day": "31"}
    assert item["display_date"] == "Summer 2024"


def test_timelinejs_escapes_article_markup(hostile):
    tv = V.timeline_view(hostile)
    text = json.dumps(V.timelinejs(tv.events, tv.sources, group_by="article"))
    assert "<script>" not in text and "<img" not in text and "&lt;script&gt;" in text


# -- exports -------------------------------------------------------------------------------------

def test_csv_keeps_text_but_defuses_spreadsheet_formulas():
    frame = pd.DataFrame({"text": ["=HYPERLINK(\"http://x\")", "plain, with comma", "-1+2", "@SUM(A1)"],
                          "n": [1, 2, 3, 4]})
    rows = list(csv.DictReader(io.StringIO(V.csv_bytes(frame).decode("utf-8"))))
    assert [r["text"] for r in rows] == ["'=HYPERLINK(\"http://x\")", "plain, with comma", "'-1+2",
                                         "'@SUM(A1)"]
    assert [r["n"] for r in rows] == ["1", "2", "3", "4"]


@pytest.mark.parametrize(("article", "sentence", "link"), [
    ("a-pact", "a-pact-s3", "reader?article=a-pact&sentence=a-pact-s3"),
    ("a b&c", "s#1", "reader?article=a+b%26c&sentence=s%231"),
    ("a-pact", None, "reader?article=a-pact"),
])
def test_reader_links_are_url_encoded(article, sentence, link):
    assert V.reader_link(article, sentence) == link
