"""Events: dated sentences with the actors they involve, merged across articles.

- :func:`events_from_doc` gives one row per (sentence, resolved date span):
  the date at its precision, the sentence, its actors, the expression as
  written and the event-cue groups the sentence mentions. Dateline and
  publisher-note paragraphs and the article's own publication date are skipped.
- :func:`merge_events` gives rows from different articles that report the same
  event one ``event_id``: compatible dates (equal, or a month and a day inside
  it), and at least one shared actor and one shared event-cue group, or at least
  two shared actors when the two sentences do not name different kinds of event.
  An event holds at most one row per article, and every member's date is
  compatible with every other's, so merges never chain across a month.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
from spacy.tokens import Doc

from analysis import schema as S
from analysis.extensions import block_kind, doc_text
from analysis.rules import load_yaml

CUES_FILE = "event_cues.yaml"
SKIP_BLOCKS = frozenset({"dateline", "note"})


# -- cue groups ---------------------------------------------------------------------------------

@lru_cache(maxsize=2)
def _cue_patterns(name: str = CUES_FILE) -> tuple[tuple[tuple[str, re.Pattern[str]], ...], frozenset[str]]:
    raw = load_yaml(name)
    suffix = "|".join(re.escape(s) for s in raw["suffixes"])
    out = []
    for group, words in raw["groups"].items():
        alt = "|".join(re.escape(str(w)).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))
        out.append((group, re.compile(rf"\b(?:{alt})(?:{suffix})?\b", re.IGNORECASE)))
    return tuple(out), frozenset(raw.get("weak") or ())


def cue_groups(text: str) -> list[str]:
    """Return the event-cue groups whose words occur in ``text`` (in rule-file order)."""
    patterns, _ = _cue_patterns()
    return [group for group, pat in patterns if pat.search(text)]


# -- rows from a doc --------------------------------------------------------------------------------

def _sentences(doc: Doc, n_chars: int) -> list[tuple[int, int]]:
    if doc.has_annotation("SENT_START"):
        return [(s.start_char, s.end_char) for s in doc.sents]
    return [(0, n_chars)]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    chunk = text[start:end]
    lead = len(chunk) - len(chunk.lstrip())
    return start + lead, start + len(chunk.rstrip())


def events_from_doc(doc: Doc) -> list[dict]:
    """Return one event row per (sentence, date span with a value) of a parsed doc."""
    dates = [s for s in doc.spans.get("dates", [])
             if s._.timex and s._.timex.get("value") and not s._.timex.get("publication")]
    if not dates:
        return []
    full_text = doc_text(doc)
    sents = _sentences(doc, len(full_text))
    starts = [s for s, _ in sents]
    actors = sorted((s.start_char, s.label_, bool(s._.place)) for s in doc.spans.get("actors", []))
    actor_starts = [a[0] for a in actors]
    rows: list[dict] = []
    for span in sorted(dates, key=lambda s: s.start_char):
        i = max(0, bisect.bisect_right(starts, span.start_char) - 1)
        start, end = _strip(full_text, *sents[i])
        block = block_kind(doc, start)
        if block in SKIP_BLOCKS:
            continue
        lo, hi = bisect.bisect_left(actor_starts, start), bisect.bisect_left(actor_starts, end)
        inside = actors[lo:hi]
        text = full_text[start:end]
        tx = span._.timex
        rows.append({
            "date": tx["value"], "precision": tx["precision"],
            "date_start": tx["start"], "date_end": tx["end"],
            S.TEXT: text, S.START_CHAR: start, S.END_CHAR: end,
            "actors": ";".join(sorted({code for _, code, place in inside if not place})),
            "places": ";".join(sorted({code for _, code, place in inside if place})),
            "expression": span.text, "expression_start": span.start_char,
            "relative": bool(tx["relative"]), "uncertain": bool(tx["uncertain"]),
            "block": block, "cue_groups": cue_groups(text),
        })
    return rows


# -- merging across articles ---------------------------------------------------------------------

def _codes(value: object) -> frozenset[str]:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return frozenset()
    if isinstance(value, str):
        return frozenset(p for p in value.split(";") if p)
    if isinstance(value, Iterable):
        return frozenset(str(p) for p in value if p)
    return frozenset()


def _compatible(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """Equal dates, or a month and a day inside it."""
    (va, pa), (vb, pb) = a, b
    if va == vb:
        return True
    if pa == "month" and pb == "day":
        return vb.startswith(va + "-")
    if pb == "month" and pa == "day":
        return va.startswith(vb + "-")
    return False


def _bucket(value: str, precision: str) -> str:
    return value[:7] if precision in ("day", "month") else value


@dataclass
class _Row:
    pos: int
    article: str
    date: tuple[str, str]
    actors: frozenset[str]
    codes: frozenset[str]   # actors and places
    cues: frozenset[str]    # strong cue groups only


def _score(a: _Row, b: _Row) -> int:
    """How strongly two rows look like one event (0: not the same event)."""
    shared_actors = len(a.actors & b.actors)
    shared_codes = len(a.codes & b.codes)
    shared_cues = len(a.cues & b.cues)
    if a.cues and b.cues and not (a.cues <= b.cues or b.cues <= a.cues):
        return 0        # each reports a kind of thing the other does not: two events
    needed = min(2, len(a.codes), len(b.codes))   # two shared codes, unless a row names only one
    if shared_cues and shared_codes and shared_codes >= needed:
        return 2 * shared_cues + shared_codes
    if shared_actors >= 2 and not (a.cues and b.cues):
        return shared_actors
    return 0


def _event_id(article: str, text: str, value: str) -> str:
    return "e" + hashlib.sha1(f"{article}\x1f{text}\x1f{value}".encode()).hexdigest()[:12]


PRECISION_ORDER = {"year": 0, "season": 1, "month": 2, "day": 3}
MAX_COMPARED = 8   # members of a candidate event a row is compared with (keeps merging linear)


@dataclass
class _Event:
    members: list[_Row]
    articles: set[str]
    dates: set[tuple[str, str]]


def _best_event(row: _Row, cands: Iterable[int], events: list[_Event]) -> int | None:
    """The candidate event the row joins: equal dates first, then the strongest evidence."""
    best, best_key = None, (0, 0)
    for c in cands:
        ev = events[c]
        if row.article in ev.articles or not all(_compatible(d, row.date) for d in ev.dates):
            continue
        score = min(_score(row, m) for m in ev.members[:MAX_COMPARED])   # every member must agree
        key = (int(row.date in ev.dates), score)
        if score > 0 and key > best_key:
            best, best_key = c, key
    return best


def merge_events(rows: pd.DataFrame) -> pd.DataFrame:
    """Return ``rows`` with ``event_id`` (and ``n_articles``): one id per event across articles.

    Needs columns article_id, date, precision, text, start_char, actors and
    cue_groups (";"-joined strings or lists); ``places`` and ``expression`` are
    used when present. Coarse dates are grouped first, so a day joins the month
    that holds it only when no article already gave that event; the ids come
    from the first member's article, sentence and date, never from row order.
    """
    out = rows.copy()
    if out.empty:
        out[S.EVENT_ID] = pd.Series(dtype=str)
        out["n_articles"] = pd.Series(dtype=int)
        return out
    _, weak = _cue_patterns()
    n = len(out)
    col = {name: (out[name].tolist() if name in out.columns else [""] * n)
           for name in (S.ARTICLE_ID, "date", "precision", "actors", "places", "cue_groups",
                        S.TEXT, S.START_CHAR, "expression")}
    items: list[_Row] = []
    for i in range(n):
        actors = _codes(col["actors"][i])
        items.append(_Row(i, str(col[S.ARTICLE_ID][i]), (str(col["date"][i]), str(col["precision"][i])),
                          actors, actors | _codes(col["places"][i]), _codes(col["cue_groups"][i]) - weak))
    order = sorted(range(n), key=lambda i: (PRECISION_ORDER.get(items[i].date[1], 9), items[i].article,
                                            int(col[S.START_CHAR][i] or 0), items[i].date[0],
                                            str(col["expression"][i])))
    events: list[_Event] = []
    index: dict[tuple[str, str], set[int]] = {}
    assigned = [0] * n
    for i in order:
        row = items[i]
        bucket = _bucket(*row.date)
        cands = sorted({c for code in row.codes for c in index.get((bucket, code), ())})
        best = _best_event(row, cands, events)
        if best is None:
            best = len(events)
            events.append(_Event([], set(), set()))
        ev = events[best]
        ev.members.append(row)
        ev.articles.add(row.article)
        ev.dates.add(row.date)
        assigned[i] = best
        for code in row.codes:
            index.setdefault((bucket, code), set()).add(best)
    ids: list[str] = []
    seen: dict[str, int] = {}
    for ev in events:
        seed = min(ev.members, key=lambda m: (m.article, int(col[S.START_CHAR][m.pos] or 0)))
        eid = _event_id(seed.article, str(col[S.TEXT][seed.pos]), seed.date[0])
        seen[eid] = seen.get(eid, 0) + 1
        ids.append(eid if seen[eid] == 1 else f"{eid}-{seen[eid]}")
    out[S.EVENT_ID] = [ids[c] for c in assigned]
    out["n_articles"] = [len(events[c].articles) for c in assigned]
    return out
