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
from operator import itemgetter

import pandas as pd
from spacy.tokens import Doc

from analysis import schema as S
from analysis.extensions import actor_rows, block_kind, doc_text, sentence_bounds, span_attr
from analysis.rules import load_yaml

CUES_FILE = "event_cues.yaml"
SKIP_BLOCKS = frozenset({"dateline", "note"})


# -- cue groups ---------------------------------------------------------------------------------

def _cue_alternation(words: Iterable[str], suffix: str) -> str:
    alt = "|".join(re.escape(str(w)).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))
    return rf"(?:{alt})(?:{suffix})?"


@lru_cache(maxsize=2)
def _cue_patterns(name: str = CUES_FILE) -> tuple[tuple[tuple[str, re.Pattern[str]], ...], frozenset[str]]:
    raw = load_yaml(name)
    suffix = "|".join(re.escape(s) for s in raw["suffixes"])
    out = []
    for group, words in raw["groups"].items():
        out.append((group, re.compile(rf"\b{_cue_alternation(words, suffix)}\b", re.IGNORECASE)))
    return tuple(out), frozenset(raw.get("weak") or ())


# -- cue groups, word by word ---------------------------------------------------------------------
# A group's pattern is ``\b(?:words)(?:suffixes)?\b`` (case ignored). For a word made of word
# characters only (with suffixes made of word characters), a match starts and ends at a word
# boundary and every character it covers is a word character (a character that matches a letter
# with case ignored is a letter), so it is a whole run of word characters (``\w+``) of the text.
# Such words are decided per run, once per distinct run (across texts: a property of the run);
# the other words ("export controls") keep a pattern of their own. The groups a text has are those
# with a match of either kind: the same as searching the group's pattern.
_RUN = re.compile(r"\w+")
_SIMPLE = re.compile(r"\w+")
CUE_CACHE_LIMIT = 200_000       # runs remembered across texts


class _CueIndex:
    """The cue groups of a rule file, read run by run (see above)."""

    def __init__(self, name: str) -> None:
        raw = load_yaml(name)
        suffixes = [str(s) for s in raw["suffixes"]]
        suffix = "|".join(re.escape(s) for s in suffixes)
        self.groups = tuple(str(g) for g in raw["groups"])
        usable = all(_SIMPLE.fullmatch(s) for s in suffixes)
        self.whole: list[re.Pattern[str] | None] = []    # per group: fullmatch on one run
        self.rest: list[re.Pattern[str] | None] = []     # per group: search in the text
        for words in raw["groups"].values():
            simple = [w for w in map(str, words) if usable and _SIMPLE.fullmatch(w)]
            other = [w for w in map(str, words) if w not in simple]
            self.whole.append(re.compile(_cue_alternation(simple, suffix), re.IGNORECASE) if simple else None)
            self.rest.append(re.compile(rf"\b{_cue_alternation(other, suffix)}\b", re.IGNORECASE)
                             if other else None)
        self._runs: dict[str, int] = {}     # run -> bit mask of the groups it is a cue of

    def _mask(self, run: str) -> int:
        mask = 0
        for i, pat in enumerate(self.whole):
            if pat is not None and pat.fullmatch(run):
                mask |= 1 << i
        return mask

    def groups_in(self, text: str) -> list[str]:
        """The groups whose pattern has a match in ``text``, in rule-file order."""
        runs, mask = self._runs, 0
        for run in set(_RUN.findall(text)):
            found = runs.get(run)
            if found is None:
                if len(runs) > CUE_CACHE_LIMIT:
                    runs.clear()
                found = runs[run] = self._mask(run)
            mask |= found
        return [group for i, group in enumerate(self.groups)
                if mask >> i & 1 or (self.rest[i] is not None and self.rest[i].search(text))]


@lru_cache(maxsize=2)
def _cue_index(name: str = CUES_FILE) -> _CueIndex:
    return _CueIndex(name)


def cue_groups(text: str) -> list[str]:
    """Return the event-cue groups whose words occur in ``text`` (in rule-file order)."""
    return _cue_index().groups_in(text)


# -- rows from a doc --------------------------------------------------------------------------------

def _sentences(doc: Doc, n_chars: int) -> list[tuple[int, int]]:
    if doc.has_annotation("SENT_START"):
        return [(start_char, end_char) for _s, _e, start_char, end_char in sentence_bounds(doc)]
    return [(0, n_chars)]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    chunk = text[start:end]
    lead = len(chunk) - len(chunk.lstrip())
    return start + lead, start + len(chunk.rstrip())


def events_from_doc(doc: Doc) -> list[dict]:
    """Return one event row per (sentence, date span with a value) of a parsed doc."""
    cues = _cue_index()     # the rules are read on the first call, whatever the doc holds
    dates = []      # (start_char, end_char, timex), read once from each span
    for span in doc.spans.get("dates", []):
        tx = span_attr(span, "timex")
        if tx and tx.get("value") and not tx.get("publication"):
            dates.append((span.start_char, span.end_char, tx))
    if not dates:
        return []
    full_text = doc_text(doc)
    sents = _sentences(doc, len(full_text))
    starts = [s for s, _ in sents]
    actors = sorted((start_char, code, place) for _s, _e, start_char, _ec, code, place, _via in actor_rows(doc))
    actor_starts = [a[0] for a in actors]
    rows: list[dict] = []
    groups_of: dict[str, list[str]] = {}    # sentence text -> its cue groups
    for span_start, span_end, tx in sorted(dates, key=itemgetter(0)):
        i = max(0, bisect.bisect_right(starts, span_start) - 1)
        start, end = _strip(full_text, *sents[i])
        block = block_kind(doc, start)
        if block in SKIP_BLOCKS:
            continue
        lo, hi = bisect.bisect_left(actor_starts, start), bisect.bisect_left(actor_starts, end)
        inside = actors[lo:hi]
        text = full_text[start:end]
        groups = groups_of.get(text)
        if groups is None:
            groups = groups_of[text] = cues.groups_in(text)
        rows.append({
            "date": tx["value"], "precision": tx["precision"],
            "date_start": tx["start"], "date_end": tx["end"],
            S.TEXT: text, S.START_CHAR: start, S.END_CHAR: end,
            "actors": ";".join(sorted({code for _, code, place in inside if not place})),
            "places": ";".join(sorted({code for _, code, place in inside if place})),
            "expression": full_text[span_start:span_end], "expression_start": span_start,
            "relative": bool(tx["relative"]), "uncertain": bool(tx["uncertain"]),
            "block": block, "cue_groups": list(groups),
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
