"""Events: dated sentences with their actors, merged across articles; measured on the seeds."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest
import spacy
import yaml
from spacy.tokens import Span

from analysis.clean import clean_text
from analysis.events import cue_groups, events_from_doc, merge_events
from analysis.nlp import build_nlp

ROOT = Path(__file__).resolve().parent.parent
GOLD = Path(__file__).resolve().parent / "fixtures" / "gold_seeds.yaml"
HAS_ACTORS = "expert_lens_actors" in spacy.registry.factories.get_all()


@pytest.fixture(scope="module")
def nlp():
    return build_nlp(components=("expert_lens_sentences", "expert_lens_dates"))


def parse(nlp, text: str, *, published: str | None = None, blocks=None, actors=()):
    """Run sentences + dates, with hand-placed actor spans ``(surface, code, place)``."""
    doc = nlp.make_doc(text)
    doc._.published = published
    doc._.blocks = blocks
    spans = []
    for surface, code, place in actors:
        start = text.index(surface)
        span = doc.char_span(start, start + len(surface), label=code)
        span._.place = place
        spans.append(span)
    doc.spans["actors"] = spans
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


# -- rows from one doc --------------------------------------------------------------------------

def test_one_row_per_sentence_and_date(nlp) -> None:
    text = ("The US says 10,000 soldiers are in Kursk. In June, Putin traveled to Pyongyang to sign a pact "
            "with Kim. Ukraine confirmed on Monday (November 4) and again in 2023 that troops fought.")
    doc = parse(nlp, text, published="2024-11-05",
                actors=[("Putin", "RUS", False), ("Pyongyang", "PRK", True), ("Ukraine", "UKR", False)])
    rows = events_from_doc(doc)
    got = [(r["expression"], r["date"], r["precision"], r["actors"], r["cue_groups"]) for r in rows]
    assert got == [
        ("June", "2024-06", "month", "RUS", ["agreement", "meeting"]),
        ("Monday (November 4)", "2024-11-04", "day", "UKR", ["deployment"]),
        ("2023", "2023", "year", "UKR", ["deployment"]),
    ]
    first = rows[0]
    assert text[first["start_char"]:first["end_char"]] == first["text"]
    assert first["text"].startswith("In June, Putin") and first["text"].endswith("with Kim.")
    assert (first["date_start"], first["date_end"], first["relative"], first["uncertain"]) == (
        "2024-06-01", "2024-06-30", True, False)
    assert first["places"] == "PRK"
    assert rows[1]["start_char"] == rows[2]["start_char"]   # same sentence, two dates: two rows


def test_datelines_notes_and_the_publication_date_are_not_events(nlp) -> None:
    text = ("8:39 PM EDT, October 26, 2024\n\nIn October, it transported 3,000 soldiers.\n\n"
            "This article first appeared on October 26, 2024.")
    first_break = text.index("\n\n")
    second_break = text.index("\n\n", first_break + 2)
    blocks = [(0, first_break, "dateline"), (first_break + 2, second_break, "body"),
              (second_break + 2, len(text), "note")]
    rows = events_from_doc(parse(nlp, text, blocks=blocks))
    assert [(r["expression"], r["date"], r["block"]) for r in rows] == [("October", "2024-10", "body")]


def test_unresolved_dates_make_no_rows(nlp) -> None:
    assert events_from_doc(parse(nlp, "North Korea sent troops last week.")) == []


@pytest.mark.parametrize(
    ("sentence", "groups"),
    [
        ("Putin traveled to Pyongyang to sign a treaty.", ["agreement", "meeting"]),
        ("According to intelligence, the troops were deployed.", ["deployment"]),
        ("Seoul summoned the Russian ambassador.", ["summons"]),
        ("Haines said at a Senate hearing that norms could break.", ["hearing"]),
        ("The signal was significant.", []),
    ],
)
def test_cue_groups(sentence: str, groups: list[str]) -> None:
    assert cue_groups(sentence) == groups


# -- merging across articles -------------------------------------------------------------------

def row(article: str, date: str, actors: str, cues: str | list[str], text: str = "", start: int = 0) -> dict:
    precision = {4: "year", 7: "month", 10: "day"}[len(date)]
    return {"article_id": article, "date": date, "precision": precision, "actors": actors,
            "cue_groups": cues, "text": text or f"{article} {date} {actors} {cues}", "start_char": start}


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        # same month, shared actor and cue group
        (row("a1", "2024-06", "RUS;PRK", "agreement"), row("a2", "2024-06", "PRK", "agreement"), True),
        # a month and a day inside it
        (row("a1", "2024-10", "KOR;RUS", "summons"), row("a2", "2024-10-21", "KOR", "summons"), True),
        # two shared actors, one sentence names no kind of event
        (row("a1", "2023", "KOR;NATO", ""), row("a2", "2023", "NATO;KOR", "agreement"), True),
        # different months
        (row("a1", "2024-06", "RUS;PRK", "agreement"), row("a2", "2024-07", "RUS;PRK", "agreement"), False),
        # different days of one month
        (row("a1", "2024-10-21", "KOR", "summons"), row("a2", "2024-10-22", "KOR", "summons"), False),
        # one shared actor, no shared cue group
        (row("a1", "2024-10", "KOR;RUS", "summons"), row("a2", "2024-10", "RUS;PRK", "deployment"), False),
        # two shared actors but different kinds of event
        (row("a1", "2024-10", "KOR;RUS", "summons"), row("a2", "2024-10", "KOR;RUS", "deployment"), False),
        # shared cue group, no shared actor
        (row("a1", "2024-10", "USA", "sanctions"), row("a2", "2024-10", "JPN", "sanctions"), False),
        # only a weak cue group in common
        (row("a1", "2024-10", "USA", "statement"), row("a2", "2024-10", "USA", "statement"), False),
        # each reports a kind of thing the other does not: two events
        (row("a1", "2024-10", "KOR;PRK;RUS", "deployment;attack"),
         row("a2", "2024-10", "KOR;PRK;USA", "deployment;sanctions"), False),
        # four actors each, one in common: not enough to be one event
        (row("a1", "2024-10", "BRICS;CHN;RUS;UKR", "meeting"), row("a2", "2024-10-23", "ITA;PRK;RUS;USA", "meeting"),
         False),
        # the same article never merges with itself
        (row("a1", "2024-06", "RUS;PRK", "agreement"), row("a1", "2024-06", "RUS;PRK", "agreement", start=99),
         False),
        # a year and a month are different buckets
        (row("a1", "2024", "RUS;PRK", "agreement"), row("a2", "2024-06", "RUS;PRK", "agreement"), False),
    ],
)
def test_merge_pairs(a: dict, b: dict, same: bool) -> None:
    merged = merge_events(pd.DataFrame([a, b]))
    assert (merged["event_id"].iat[0] == merged["event_id"].iat[1]) is same


def test_merge_accepts_lists_and_uses_places() -> None:
    a = row("a1", "2024-06", "RUS", ["agreement"])
    b = {**row("a2", "2024-06", "", ["agreement"]), "places": "RUS"}
    merged = merge_events(pd.DataFrame([a, b]))
    assert merged["event_id"].nunique() == 1
    assert merged["n_articles"].tolist() == [2, 2]


def test_merge_does_not_chain_days_through_a_month() -> None:
    rows = pd.DataFrame([row("a1", "2024-10", "KOR;RUS", "summons"),
                         row("a2", "2024-10-21", "KOR;RUS", "summons"),
                         row("a3", "2024-10-23", "KOR;RUS", "summons")])
    ids = merge_events(rows)["event_id"].tolist()
    assert ids[0] == ids[1] != ids[2]


def test_event_ids_are_stable_and_content_derived() -> None:
    rows = [row("a1", "2024-06", "RUS;PRK", "agreement", "Pact signed in June."),
            row("a2", "2024-06", "PRK;RUS", "agreement", "In June they signed it."),
            row("a2", "2024-10", "PRK;RUS", "deployment", "Troops came in October."),
            row("a3", "2024-10", "PRK", "deployment", "In October troops arrived.")]
    base = merge_events(pd.DataFrame(rows)).set_index("text")["event_id"]
    shuffled = rows[:]
    random.Random(7).shuffle(shuffled)
    again = merge_events(pd.DataFrame(shuffled)).set_index("text")["event_id"]
    assert base.sort_index().equals(again.sort_index())
    extra = merge_events(pd.DataFrame([*rows, row("a9", "2001", "USA", "attack", "In 2001 it hit.")]))
    assert extra.set_index("text")["event_id"].drop("In 2001 it hit.").sort_index().equals(base.sort_index())
    assert base["Pact signed in June."] == base["In June they signed it."] != base["Troops came in October."]


def test_merge_of_nothing() -> None:
    empty = pd.DataFrame(columns=["article_id", "date", "precision", "actors", "cue_groups", "text",
                                  "start_char"])
    assert "event_id" in merge_events(empty).columns


# -- measured on the seeds against the gold file ---------------------------------------------------

def gold_precision(date: str) -> str:
    return {4: "year", 7: "month", 10: "day"}[len(date)]


@pytest.fixture(scope="module")
def seed_docs() -> dict:
    """The seeds, cleaned and parsed with sentences, actors (when there) and dates."""
    components = ("expert_lens_sentences", "expert_lens_actors", "expert_lens_dates") if HAS_ACTORS else (
        "expert_lens_sentences", "expert_lens_dates")
    nlp = build_nlp(components=components)
    docs = {}
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        cleaned = clean_text(path.read_text(encoding="utf-8"))
        doc = nlp.make_doc(cleaned.text)
        doc._.blocks = [(b.start, b.end, b.kind) for b in cleaned.blocks]
        for _, proc in nlp.pipeline:
            doc = proc(doc)
        docs[path.name] = doc
    return docs


@pytest.fixture(scope="module")
def seed_events(seed_docs: dict) -> pd.DataFrame:
    rows = [{**ev, "article_id": name, "cue_groups": ";".join(ev["cue_groups"])}
            for name, doc in seed_docs.items() for ev in events_from_doc(doc)]
    return merge_events(pd.DataFrame(rows))


def gold_hits(events: pd.DataFrame, event: dict) -> pd.DataFrame:
    words = [w.lower() for w in event["match"]]
    mentions = events["text"].str.lower().map(lambda t: any(w in t for w in words))
    return events[events["article_id"].isin(event["articles"]) & mentions]


def test_gold_events_dated_at_gold_precision(seed_events: pd.DataFrame) -> None:
    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))["events"]
    right, misses = 0, []
    for event in gold:
        date = str(event["date"])
        hits = gold_hits(seed_events, event)
        ok = ((hits["date"] == date) & (hits["precision"] == gold_precision(date))).any()
        right += bool(ok)
        if not ok:
            misses.append((event["key"], sorted(set(hits["date"]))))
    assert right >= 12, misses   # 12 of 13: "no limits" is dated by world knowledge only


@pytest.mark.skipif(not HAS_ACTORS, reason="the actors component is not there yet")
@pytest.mark.parametrize("key", ["june-pact", "october-deployment"])
def test_gold_events_linked_across_articles(seed_events: pd.DataFrame, key: str) -> None:
    event = next(e for e in yaml.safe_load(GOLD.read_text(encoding="utf-8"))["events"] if e["key"] == key)
    hits = gold_hits(seed_events, event)
    hits = hits[hits["date"] == str(event["date"])]
    linked = [eid for eid in set(hits["event_id"])
              if set(event["articles"]) <= set(seed_events.loc[seed_events["event_id"] == eid, "article_id"])]
    assert linked, hits[["article_id", "event_id", "actors", "cue_groups"]].to_string()


def test_seed_anchors(seed_docs: dict) -> None:
    want = {"000": ("2024-10-21", True), "001": ("2024-11-05", False), "002": ("2024-10-22", True),
            "003": ("2024-10-26", False), "004": (None, False)}
    got = {name[:3]: (doc._.anchor, doc._.anchor_inferred) for name, doc in seed_docs.items()}
    assert got == want


def test_span_extension_is_registered() -> None:
    assert Span.has_extension("timex")
