"""Temporal expressions: find them in plain text and normalise them to ISO at the text's precision.

Pure functions, no spaCy; the vocabulary comes from ``analysis/rules/dates.yaml``.

- :func:`find_mentions` returns every temporal expression (a :class:`Mention`).
  Durations ("three years", "for months", "a two-and-a-half year conflict"),
  quantities ("six percent", "1,000 per day", "2000 troops") and clock times
  ("8:39 PM") are not temporal expressions: they produce no mention at all.
- :func:`choose_anchor` picks the day relative expressions are resolved
  against: the metadata date, else a publication statement or dateline in the
  text, else a date inferred from the text's latest explicit date.
- :func:`resolve` turns a mention into a timex dict: ``value`` (ISO at
  precision: "2024", "2024-06", "2024-06-18", season "2024-22"), ``precision``
  (day | month | season | year), ``start`` / ``end`` (ISO days covering it),
  ``relative``, ``uncertain``, ``kind``. A relative expression with no anchor
  keeps a dict whose value is None.

Decisions: "last week" gives the MONTH of anchor - 7 days; a month range
("the January-March period") gives the first month's value at month precision
with ``start``/``end`` covering the whole range (``range_end`` names the last
month); "early December" is December at month precision (``modifier``
"early"); winter YYYY runs from December YYYY to February YYYY+1.
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache

from analysis.formats import parse_date
from analysis.rules import load_yaml

RULES_FILE = "dates.yaml"
YEAR = r"(?:1[89]\d\d|20\d\d)"
DAY_SUFFIX = r"(?:st|nd|rd|th)?"
TIME = re.compile(r"\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[AaPp]\.?\s?[Mm]\.?)?(?:\s*\(?[A-Z]{2,5}\)?(?!\w))?")
DAY_KINDS = ("date", "month_day")


@dataclass(frozen=True)
class Mention:
    """One temporal expression in the text, with the calendar fields it states."""

    start: int
    end: int
    text: str
    kind: str  # date | month_day | month_year | month | month_of_year | month_range | year
    #            weekday | relative | ago | season
    year: int | None = None
    month: int | None = None
    day: int | None = None
    year2: int | None = None
    month2: int | None = None
    day2: int | None = None
    weekday: int | None = None
    season: int | None = None
    unit: str | None = None     # day | week | month | year (relative, ago)
    shift: int | None = None    # -1 last / 0 this / +1 next; -n for "n ... ago"
    modifier: str | None = None  # early | late | mid
    forward: bool = False       # "by 2030": not used to infer the publication year


@dataclass(frozen=True)
class Anchor:
    """The day relative expressions resolve against, and where it came from."""

    day: date | None
    inferred: bool = False
    source: str = "none"        # metadata | text | inferred | none
    publication: Mention | None = None   # the text's own publication statement or dateline
    statements: tuple[Mention, ...] = ()  # every mention that states the article's own date
    year_hint: int | None = None         # the latest explicit year (Y)
    note: str = ""

    @property
    def iso(self) -> str | None:
        """The anchor day as an ISO string (or None)."""
        return self.day.isoformat() if self.day else None


# -- rules -> compiled patterns ---------------------------------------------------------

@dataclass(frozen=True)
class _Rules:
    month_of: dict[str, int]
    ambiguous: frozenset[str]
    weekday_of: dict[str, int]
    season_of: dict[str, int]
    season_months: dict[int, tuple[int, int]]
    number_words: dict[str, int | None]
    relative: dict[str, tuple[str, int]]
    count_nouns: frozenset[str]
    number_labels: frozenset[str]
    season_blockers: frozenset[str]
    weekday_blockers: frozenset[str]
    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    by_trigger: dict[str, tuple[int, ...]]
    month_ctx: re.Pattern[str]
    strict_month_ctx: re.Pattern[str]
    prev_month: re.Pattern[str]
    season_ctx: re.Pattern[str]
    duration_ctx: re.Pattern[str]
    forward_ctx: re.Pattern[str]
    publication: tuple[re.Pattern[str], ...]
    publication_reach: int
    city_dateline: re.Pattern[str]
    trigger_words: dict[str, str]   # word -> wd | mon | sea | rel (numbers are "num")
    trigger: re.Pattern[str]        # numbers, capitalised trigger words and the lower-case trigger words
    scanners: dict[tuple[str, int], object]   # (pattern, flags) -> patterns.Scanner of it
    gates: dict[tuple[str, int], object]      # (pattern, flags) -> patterns.Gate of it (publication cues)
    trigger_parts: tuple[object, ...] = ()   # ``trigger``'s word parts (digits: _digit_runs), quick to run
    firsts: tuple[object, ...] = ()  # per pattern: patterns.FirstChars a match can begin with, or None
    # (trigger category, first character) -> the patterns that can start there (filled as texts are read)
    admitted: dict[tuple[str, str], tuple[int, ...]] = field(default_factory=dict, compare=False)


# which patterns can hold which trigger word (a month name, a weekday, a season, a relative word, a number)
_PATTERNS_FOR = {
    "num": ("iso", "mdy", "dmy", "md", "dm", "my", "range", "year", "ago"),
    "mon": ("mdy", "dmy", "md", "dm", "my", "month_of_year", "range", "month"),
    "wd": ("weekday",),
    "sea": ("season",),
    "rel": ("relative", "ago", "month_of_year"),
}


def _by_trigger(kinds: tuple[str, ...]) -> dict[str, tuple[int, ...]]:
    return {cat: tuple(i for i, k in enumerate(kinds) if k in names) for cat, names in _PATTERNS_FOR.items()}


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _left_ctx(words: Iterable[str]) -> re.Pattern[str]:
    return re.compile(rf"(?:^|[^\w])(?:{_alt(words)})[\s-]+$", re.IGNORECASE)


_CAP_RUN = re.compile(r"[A-Z][A-Za-z]*")


@lru_cache(maxsize=4)
def rules(name: str = RULES_FILE) -> _Rules:
    """Compile the patterns of a dates rule file (cached)."""
    # imported here: analysis.components imports the date component, which imports this module
    from analysis.components.patterns import Gate, Scanner, alternation, first_chars

    raw = load_yaml(name)
    month_of: dict[str, int] = {}
    full, abbr = [], []
    for num, names in raw["months"].items():
        for i, word in enumerate(names):
            month_of[word.lower()] = int(num)
            (full if i == 0 else abbr).extend([word, word.upper()])
    full_alt, abbr_alt = _alt(full), _alt(abbr)

    def mon(group: str) -> str:
        return rf"(?P<{group}>\b(?:{full_alt})(?!\w)|\b(?:{abbr_alt})(?:\.|(?=\s+\d)))"

    wd_words = raw["weekdays"]
    weekday_of = {w.lower(): i for i, w in enumerate(wd_words)}
    wd_alt = _alt([*wd_words, *(w.upper() for w in wd_words)])
    season_of = {k.lower(): int(v) for k, v in raw["seasons"].items()}
    relative = {e["phrase"].lower(): (e["unit"], int(e["shift"])) for e in raw["relative"]}
    numbers = {k.lower(): v for k, v in raw["number_words"].items()}
    month_mods = _alt(raw["month_modifiers"])
    season_mods = _alt(raw["season_modifiers"])
    d1 = rf"(?P<day>\d{{1,2}}){DAY_SUFFIX}"
    d2 = rf"(?:\s*[-–]\s*(?P<day2>\d{{1,2}}){DAY_SUFFIX})?"
    year = rf"(?P<year>{YEAR})(?!\d)"
    patterns = (
        ("iso", rf"(?<![\w-])(?P<year>{YEAR})-(?P<month>0[1-9]|1[0-2])-(?P<day>[0-3]\d)(?![\w-])"),
        ("mdy", rf"{mon('mon')}\s+{d1}{d2},?\s+{year}"),
        ("dmy", rf"(?<![\d,.])\b{d1}{d2}\s+(?:of\s+)?{mon('mon')},?\s+{year}"),
        ("md", rf"{mon('mon')}\s+{d1}{d2}(?![\w:]|[.,]\d)"),
        ("dm", rf"(?<![\d,.])\b(?P<day>\d{{1,2}})(?:(?:st|nd|rd|th)\s+of\s+|{DAY_SUFFIX}\s+){mon('mon')}"),
        ("my", rf"{mon('mon')}(?:,?\s+|\s+of\s+){year}"),
        ("month_of_year", rf"{mon('mon')}\s+(?:of\s+)?(?P<rel>(?i:this|last|next))\s+year(?!\w)"),
        ("range", rf"(?:(?i:the)\s+)?{mon('mon')}\s*[-–]\s*{mon('mon2')}(?:,?\s+{year})?(?:\s+(?i:period))?"
                  rf"|(?i:between)\s+{mon('mon3')}\s+(?i:and)\s+{mon('mon4')}(?:,?\s+(?P<yearb>{YEAR}))?"),
        ("month", rf"(?:(?P<mod>\b(?i:{month_mods}))[\s-]+)?{mon('mon')}(?P<poss>['’]s)?"),
        ("weekday", rf"(?:(?P<mod>\b(?i:last|this|next))\s+)?(?P<wd>\b(?:{wd_alt}))(?!s\b)(?!\w)"),
        ("season", rf"(?:(?P<the>\b(?i:the))\s+|(?P<mod>\b(?i:{season_mods}))[\s-]+)?"
                   rf"(?P<season>\b(?i:{_alt(season_of)}))(?!\w)(?:,?\s+(?:of\s+)?{year})?"),
        ("relative", rf"\b(?P<rel>(?i:{_alt(relative)}))(?!\w)"),
        ("ago", rf"\b(?P<n>\d{{1,3}}|(?i:{_alt(numbers)}))\s+"
                rf"(?P<unit>(?i:day|week|month|year))s?\s+(?i:ago)\b"),
        ("year", rf"(?:(?<=mid-)|(?<=early-)|(?<=late-)|(?<=pre-)|(?<=post-)|(?<![\w$€£¥#/.,:\-–]))"
                 rf"(?P<year>{YEAR})(?:\s*[-–/]\s*(?P<year2>\d{{4}}|\d{{2}}))?(?![\w%]|[.,:]\d)"),
    )
    cues = tuple(re.compile(p, re.IGNORECASE | re.MULTILINE) for p in raw["publication_cues"])
    trigger_words: dict[str, str] = {}
    rel_words = {p.split()[-1] for p in relative} | {"day", "week", "month", "year", "ago"}
    for cat, words, lower in (("wd", weekday_of, False), ("mon", month_of, False), ("sea", season_of, True),
                              ("rel", rel_words, True)):
        for w in words:
            forms = {w, w + "s"} if cat == "rel" else {w}
            for f in forms:
                for v in (f.capitalize(), f.upper(), *((f.lower(),) if lower else ())):
                    trigger_words.setdefault(v, cat)
    city = re.compile(r"^[ \t]*[A-Z][A-Z'’.\- ]{1,30}[A-Z.](?:,[ \t]*[A-Z][A-Za-z.]+)?,[ \t]*", re.MULTILINE)
    caps = sorted(w for w in trigger_words if _CAP_RUN.fullmatch(w))
    lower = sorted(w for w in trigger_words if w.islower())
    compiled = tuple((k, re.compile(p)) for k, p in patterns)
    return _Rules(
        month_of=month_of,
        ambiguous=frozenset(w.lower() for w in raw["ambiguous_months"]),
        weekday_of=weekday_of,
        season_of=season_of,
        season_months={int(k): (int(v[0]), int(v[1])) for k, v in raw["season_months"].items()},
        number_words=numbers,
        relative=relative,
        count_nouns=frozenset(w.lower() for w in raw["count_nouns"]),
        number_labels=frozenset(w.lower() for w in raw["number_labels"]),
        season_blockers=frozenset(w.lower() for w in raw["season_blockers"]),
        weekday_blockers=frozenset(w.lower() for w in raw["weekday_blockers"]),
        patterns=compiled,
        by_trigger=_by_trigger(tuple(k for k, _ in patterns)),
        month_ctx=_left_ctx(raw["month_context"]),
        strict_month_ctx=_left_ctx(raw["strict_month_context"]),
        prev_month=re.compile(rf"{mon('pm')}\s*(?:,|and|or|to|through|until|[-–])\s*$"),
        season_ctx=re.compile(rf"(?:^|[^\w])(?:{_alt(raw['season_context'])})\s+$", re.IGNORECASE),
        duration_ctx=_left_ctx(raw["duration_before"]),
        forward_ctx=_left_ctx(raw["forward_before"]),
        publication=cues,
        publication_reach=int(raw["publication_reach"]),
        city_dateline=city,
        trigger_words=trigger_words,
        # what ``\d+|\b[A-Z][A-Za-z]*|\b(?:lower-case words)\b`` finds, less the capitalised words
        # that are no trigger word: a capitalised word counts when its whole [A-Za-z] run is one
        trigger=re.compile(r"\d+|\b" + alternation(caps) + r"(?![A-Za-z])|\b(?:" + _alt(lower) + r")\b"),
        scanners={(pat.pattern, pat.flags): Scanner(pat) for pat in (*cues, city)},
        gates={(pat.pattern, pat.flags): Gate(pat) for pat in cues},
        # the alternatives of ``trigger`` match disjoint characters (digits, words), so their
        # matches never overlap: found one at a time they are the same matches (digits: _digit_runs)
        trigger_parts=(re.compile(alternation(caps, word_start=True) + r"(?![A-Za-z])"),
                       Scanner(re.compile(r"\b(?:" + _alt(lower) + r")\b"))),
        firsts=tuple(first_chars(pat) for _kind, pat in compiled),
    )


# -- finding --------------------------------------------------------------------------------

_NEXT_WORD = re.compile(r"\s*(\S+)")
_PREV_WORD = re.compile(r"(\S+)\s*$")


def _next_word(text: str, pos: int) -> str:
    m = _NEXT_WORD.match(text, pos)
    return m.group(1).lower().strip(".,;:!?\"'’”)") if m else ""


def _prev_word(text: str, pos: int) -> str:
    m = _PREV_WORD.search(text[max(0, pos - 30):pos])
    return m.group(1).lower() if m else ""


def _month(r: _Rules, word: str | None) -> int | None:
    return r.month_of.get(word.rstrip(".").lower()) if word else None


def _build(kind: str, m: re.Match[str], text: str, r: _Rules) -> Mention | None:
    """Turn one regex match into a Mention, or None when the context says it is not a date."""
    g = m.groupdict()
    s, e = m.span()
    base = {"start": s, "end": e, "text": text[s:e]}
    yr = int(g["year"]) if g.get("year") else None
    if kind == "iso":
        return Mention(kind="date", year=yr, month=int(g["month"]), day=int(g["day"]), **base)
    if kind in ("mdy", "dmy", "md", "dm"):
        day2 = int(g["day2"]) if g.get("day2") else None
        return Mention(kind="date" if yr else "month_day", year=yr, month=_month(r, g["mon"]),
                       day=int(g["day"]), day2=day2, **base)
    if kind == "my":
        return Mention(kind="month_year", year=yr, month=_month(r, g["mon"]), **base)
    if kind == "month_of_year":
        shift = {"this": 0, "last": -1, "next": 1}[g["rel"].lower()]
        return Mention(kind="month_of_year", month=_month(r, g["mon"]), shift=shift, **base)
    if kind == "range":
        m1, m2 = _month(r, g.get("mon") or g.get("mon3")), _month(r, g.get("mon2") or g.get("mon4"))
        yr = yr or (int(g["yearb"]) if g.get("yearb") else None)
        return Mention(kind="month_range", month=m1, month2=m2, year=yr, **base)
    if kind == "month":
        return _bare_month(m, text, r, base)
    if kind == "weekday":
        if _next_word(text, e) in r.weekday_blockers:
            return None
        mod = (g.get("mod") or "").lower()
        shift = {"last": -1, "this": 0, "next": 1}.get(mod)
        return Mention(kind="weekday", weekday=r.weekday_of[g["wd"].lower()], shift=shift, **base)
    if kind == "season":
        return _season(m, text, r, base)
    if kind == "relative":
        phrase = g["rel"].lower()
        if phrase.split()[0] in ("last", "next") and r.duration_ctx.search(text[max(0, s - 20):s]):
            return None
        unit, shift = r.relative[phrase]
        return Mention(kind="relative", unit=unit, shift=shift, **base)
    if kind == "ago":
        n = g["n"].lower()
        count = int(n) if n.isdigit() else r.number_words.get(n)
        if not count:
            return None
        return Mention(kind="ago", unit=g["unit"].lower(), shift=-count, **base)
    if kind == "year":
        return _year(m, text, r, base)
    return None


def _bare_month(m: re.Match[str], text: str, r: _Rules, base: dict) -> Mention | None:
    """A month name with no day or year: a date only in a date-like context ("in June")."""
    g = m.groupdict()
    word = g["mon"].rstrip(".").lower()
    mod = (g.get("mod") or "").lower() or None
    s = m.start()
    left = text[max(0, s - 30):s]
    ambiguous = word in r.ambiguous
    if not mod:
        if g.get("poss") and not ambiguous:
            pass
        elif not ((r.strict_month_ctx if ambiguous else r.month_ctx).search(left)
                  or (not ambiguous and r.prev_month.search(left))):
            return None
    if ambiguous and _next_word(text, m.end()) in {"be", "have", "has", "had", "not", "also", "well"}:
        return None
    if g.get("poss"):
        base = {**base, "end": m.end("mon"), "text": text[s:m.end("mon")]}
    shift = {"last": -1, "this": 0, "next": 1}.get(mod or "")
    modifier = mod if mod in ("early", "late", "mid") else None
    return Mention(kind="month", month=_month(r, word), shift=shift, modifier=modifier, **base)


def _season(m: re.Match[str], text: str, r: _Rules, base: dict) -> Mention | None:
    """A season is a date with a year, a modifier ("last summer") or as "in/since the summer"."""
    g = m.groupdict()
    code = r.season_of[g["season"].lower()]
    yr = int(g["year"]) if g.get("year") else None
    after = _next_word(text, m.end())
    if after in r.season_blockers or (not yr and after == "of"):
        return None
    mod = (g.get("mod") or "").lower()
    left = text[max(0, m.start() - 30):m.start()]
    if not yr and not mod and not (g.get("the") and r.season_ctx.search(left)):
        return None
    shift = {"last": -1, "this": 0, "next": 1}.get(mod)
    modifier = mod if mod in ("early", "late", "mid") else None
    return Mention(kind="season", season=code, year=yr, shift=shift, modifier=modifier, **base)


def _year(m: re.Match[str], text: str, r: _Rules, base: dict) -> Mention | None:
    """A four-digit year, unless it counts things ("2000 troops") or labels them ("Resolution 2087")."""
    if _next_word(text, m.end()) in r.count_nouns or _prev_word(text, m.start()) in r.number_labels:
        return None
    yr = int(m.group("year"))
    y2 = m.group("year2")
    year2 = None
    if y2:
        year2 = int(y2) if len(y2) == 4 else (yr // 100) * 100 + int(y2)
        if year2 <= yr:
            return None
    forward = bool(r.forward_ctx.search(text[max(0, m.start() - 20):m.start()]))
    return Mention(kind="year", year=yr, year2=year2, forward=forward, **base)


_MERGE_GAP = re.compile(r"\s*[,(]?\s*")


def _merge_weekday_dates(text: str, found: list[Mention]) -> list[Mention]:
    """"Monday (November 4)" / "Monday, Nov. 4": the stated date wins, the span covers both."""
    out: list[Mention] = []
    for cur in found:
        prev = out[-1] if out else None
        if (prev is not None and prev.kind == "weekday" and cur.kind in DAY_KINDS
                and _MERGE_GAP.fullmatch(text[prev.end:cur.start])):
            end = cur.end
            if "(" in text[prev.end:cur.start]:
                close = re.match(r"\s*\)", text[end:])
                end = end + close.end() if close else end
            out[-1] = replace(cur, start=prev.start, end=end, text=text[prev.start:end], weekday=prev.weekday)
            continue
        out.append(cur)
    return out


class _Run:
    """A run of digits found without a regex, read like a match: ``group()`` and ``start()``."""

    __slots__ = ("at", "text")

    def __init__(self, at: int, text: str) -> None:
        self.at, self.text = at, text

    def group(self) -> str:
        """The digits."""
        return self.text

    def start(self) -> int:
        """Where they start."""
        return self.at


_DIGITS = re.compile(r"\d+")
_ASCII_BYTES = bytes(range(128))


def _digit_runs(text: str) -> list:
    """``_DIGITS.finditer(text)``: found with ``str.find`` when every decimal digit of ``text`` is ASCII."""
    if not text.isascii():
        others = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES)
        if any(ch.isdecimal() for ch in set(others.decode("utf-8", "surrogatepass"))):
            return list(_DIGITS.finditer(text))
    found = []
    for digit in "0123456789":
        pos = text.find(digit)
        while pos >= 0:
            found.append(pos)
            pos = text.find(digit, pos + 1)
    found.sort()
    runs: list[_Run] = []
    i, n = 0, len(found)
    while i < n:
        j = i
        while j + 1 < n and found[j + 1] == found[j] + 1:
            j += 1
        runs.append(_Run(found[i], text[found[i]:found[j] + 1]))
        i = j + 1
    return runs


LOOK_BACK_WORDS, LOOK_BACK_CHARS = 3, 30
_WORD = re.compile(r"\w+")


def _starts(text: str, pos: int) -> list[int]:
    """Where an expression holding the word at ``pos`` may begin: there or up to three words back."""
    lo = max(0, pos - LOOK_BACK_CHARS)
    back = [m.start() for m in _WORD.finditer(text, lo, pos)]
    return [pos, *reversed(back[-LOOK_BACK_WORDS:])]


ADMITTED_LIMIT = 100_000     # (category, character) pairs remembered (see find_mentions)


def find_mentions(text: str, *, rules_file: str = RULES_FILE) -> list[Mention]:
    """Return the temporal expressions of ``text`` in order (longest match wins an overlap).

    Every expression holds a trigger (a month, weekday or season name, a relative
    word or a number): the patterns are tried only where one may start around a trigger.
    """
    r = rules(rules_file)
    cands: list[tuple[int, int, int, Mention]] = []
    tried: set[tuple[int, int]] = set()
    triggers = sorted([*_digit_runs(text), *(m for part in r.trigger_parts for m in part.finditer(text))],
                      key=lambda m: m.start())
    firsts = r.firsts
    # per (trigger category, first character): the patterns that can start with the character
    # (a pattern that cannot is never tried at a position starting with it: skipped, as before)
    admitted = r.admitted
    for t in triggers:
        word = t.group()
        cat = "num" if word[0].isdigit() else r.trigger_words.get(word)
        if cat is None:
            continue
        for s in _starts(text, t.start()):
            first = text[s]
            indices = admitted.get((cat, first))
            if indices is None:
                if len(admitted) > ADMITTED_LIMIT:
                    admitted.clear()
                indices = admitted[cat, first] = tuple(
                    prio for prio in r.by_trigger[cat] if firsts[prio] is None or firsts[prio].admits(first))
            for prio in indices:
                if (s, prio) in tried:
                    continue
                tried.add((s, prio))
                kind, pat = r.patterns[prio]
                m = pat.match(text, s)
                if m is None or m.end() <= t.start():
                    continue
                mention = _build(kind, m, text, r)
                if mention is not None:
                    cands.append((-(mention.end - mention.start), prio, mention.start, mention))
    cands.sort(key=lambda c: c[:3])
    taken = bytearray(len(text))
    chosen: list[Mention] = []
    for _, _, _, mention in cands:
        if any(taken[mention.start:mention.end]):
            continue
        taken[mention.start:mention.end] = b"\x01" * (mention.end - mention.start)
        chosen.append(mention)
    chosen.sort(key=lambda x: x.start)
    return _merge_weekday_dates(text, chosen)


# -- the anchor -------------------------------------------------------------------------------

def _safe_date(y: int | None, m: int | None, d: int | None) -> date | None:
    try:
        return date(y, m, d) if y and m and d else None
    except ValueError:
        return None


def _last_day(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def year_hint(mentions: Sequence[Mention]) -> int | None:
    """The latest explicit year: from full dates if any, else from bare years not pointing forward."""
    full = [m.year for m in mentions if m.kind in ("date", "month_year") and m.year]
    if full:
        return max(full)
    bare = [m.year for m in mentions
            if m.kind in ("year", "season", "month_range") and m.year and not m.forward]
    return max(bare) if bare else None


def find_publications(text: str, mentions: Sequence[Mention], *,
                      rules_file: str = RULES_FILE) -> list[Mention]:
    """Return the mentions that state the article's own date, best first.

    Publication statements ("first published ... on <full date>") come first, then
    lines made only of a date and a time, then "CITY, Month Day." datelines.
    """
    r = rules(rules_file)
    days = [m for m in mentions if m.kind in DAY_KINDS]
    full = [m for m in days if m.kind == "date"]
    full_starts = [m.start for m in full]
    found: list[Mention] = []
    folded = None
    for cue in r.publication:
        scanner = r.scanners[cue.pattern, cue.flags]
        if folded is None:
            folded = scanner.fold(text)
        if not r.gates[cue.pattern, cue.flags].possible(text, folded):
            continue        # the text lacks a word the cue needs: no match
        for c in scanner.finditer(text, folded):
            stop = text.find("\n", c.end())
            stop = min(c.end() + r.publication_reach, len(text) if stop < 0 else stop)
            i = bisect.bisect_left(full_starts, c.end())
            hit = full[i] if i < len(full) and full[i].start < stop else None
            if hit and hit not in found:
                found.append(hit)
    found.sort(key=lambda m: m.start)
    lines: dict[tuple[int, int], list[Mention]] = {}
    for m in days:
        lo = text.rfind("\n", 0, m.start) + 1
        hi = text.find("\n", m.end)
        lines.setdefault((lo, len(text) if hi < 0 else hi), []).append(m)
    for (lo, hi), inside in lines.items():
        if len(inside) == 1 and inside[0] not in found:
            rest = text[lo:inside[0].start] + text[inside[0].end:hi]
            if _DATE_ONLY_REST.fullmatch(TIME.sub("", rest)):
                found.append(inside[0])
    day_at = {m.start: m for m in days}
    for c in r.scanners[r.city_dateline.pattern, r.city_dateline.flags].finditer(text):
        hit = day_at.get(c.end())
        if hit and hit not in found and re.match(r"\s*(?:[.(/—–,]|-\s)", text[hit.end:]):
            found.append(hit)
    return found


_DATE_ONLY_REST = re.compile(r"[\s,.|:·•–—-]*(?:(?i:updated|published|posted)[\s,.:|–—-]*)?")


def parse_published(value: str | None) -> date | None:
    """A metadata date as a day: ISO ("2024-11-05") or written out ("November 5, 2024"), else None."""
    iso = parse_date(str(value)) if value else None
    return date.fromisoformat(iso) if iso and len(iso) == 10 else None


def choose_anchor(text: str, mentions: Sequence[Mention], *, published: str | None = None,
                  excluded: Sequence[tuple[int, int]] = (), borrowed_year_is_stated: bool = False,
                  rules_file: str = RULES_FILE) -> Anchor:
    """Pick the anchor: metadata date, else the text's own date, else infer from the latest explicit date.

    ``excluded`` are character ranges (e.g. photo captions) whose dates may give the
    year but never the inferred anchor day.
    """
    y_hint = year_hint(mentions)
    pubs = tuple(find_publications(text, mentions, rules_file=rules_file))
    pub = pubs[0] if pubs else None
    stated = parse_published(published)
    if stated:
        return Anchor(stated, False, "metadata", pub, pubs, y_hint)
    if pub is not None:
        if pub.year:
            day = _safe_date(pub.year, pub.month, pub.day)
            if day:
                return Anchor(day, False, "text", pub, pubs, y_hint)
        elif y_hint:
            day = _safe_date(y_hint, pub.month, pub.day)
            if day:
                note = "month and day stated in a dateline, year taken from the text"
                if borrowed_year_is_stated:
                    return Anchor(day, False, "text", pub, pubs, y_hint, note)
                return Anchor(day, True, "inferred", pub, pubs, y_hint, note)
    days: list[date] = []
    months: list[tuple[int, int]] = []
    for m in mentions:
        if any(s <= m.start < e for s, e in excluded):
            continue
        if m.kind in DAY_KINDS:
            d = _safe_date(m.year or y_hint, m.month, m.day)
            if d:
                days.append(d)
                months.append((d.year, d.month))
        elif m.kind == "month_year" and m.year and m.month:
            months.append((m.year, m.month))
    best = None
    if months:   # the latest month named; its latest day when one is given, else its last day
        latest = max(months)
        in_latest = [d for d in days if (d.year, d.month) == latest]
        best = max(in_latest) if in_latest else _last_day(*latest)
    if best is None:
        return Anchor(None, False, "none", pub, pubs, y_hint)
    return Anchor(best, True, "inferred", pub, pubs, y_hint, "latest explicit date in the text")


# -- resolving ----------------------------------------------------------------------------------

def _timex(value: str | None, precision: str | None, start: date | None, end: date | None, *,
           relative: bool, uncertain: bool, kind: str, **extra: object) -> dict:
    out = {"value": value, "precision": precision,
           "start": start.isoformat() if start else None, "end": end.isoformat() if end else None,
           "relative": relative, "uncertain": uncertain and value is not None, "kind": kind}
    out.update({k: v for k, v in extra.items() if v is not None})
    return out


def _day(d: date, **kw: object) -> dict:
    return _timex(d.isoformat(), "day", d, d, **kw)


def _month_tx(y: int, m: int, **kw: object) -> dict:
    return _timex(f"{y:04d}-{m:02d}", "month", date(y, m, 1), _last_day(y, m), **kw)


def _year_tx(y: int, y2: int | None = None, **kw: object) -> dict:
    return _timex(f"{y:04d}", "year", date(y, 1, 1), date(y2 or y, 12, 31), **kw)


def _season_bounds(r: _Rules, y: int, code: int) -> tuple[date, date]:
    first, last = r.season_months[code]
    end_year = y + 1 if last < first else y
    return date(y, first, 1), _last_day(end_year, last)


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + k
    return idx // 12, idx % 12 + 1


def _month_year(month: int, anchor: date, shift: int | None) -> int:
    """Year of a month named alone: most recent not after the anchor; last = before, next = after."""
    if shift == 1:
        return anchor.year if month > anchor.month else anchor.year + 1
    if shift == 0:
        return anchor.year
    if shift == -1:
        return anchor.year if month < anchor.month else anchor.year - 1
    return anchor.year if month <= anchor.month else anchor.year - 1


def _weekday(wd: int, a: Anchor, shift: int | None) -> date:
    anchor = a.day
    assert anchor is not None
    back = (anchor.weekday() - wd) % 7
    if shift == 1:
        return anchor + timedelta(days=(wd - anchor.weekday()) % 7 or 7)
    if a.inferred:   # the nearest such day, three days either way
        return anchor - timedelta(days=back) if back <= 3 else anchor + timedelta(days=7 - back)
    if shift == -1:
        return anchor - timedelta(days=back or 7)
    return anchor - timedelta(days=back)


def _season_year(r: _Rules, code: int, anchor: date, shift: int | None) -> int:
    years = range(anchor.year - 2, anchor.year + 2)
    if shift == 1:
        return min(y for y in years if _season_bounds(r, y, code)[0] > anchor)
    if shift == -1:
        return max(y for y in years if _season_bounds(r, y, code)[1] < anchor)
    if shift == 0:
        s, e = _season_bounds(r, anchor.year - 1, code)
        return anchor.year - 1 if s <= anchor <= e else anchor.year
    return max(y for y in years if _season_bounds(r, y, code)[0] <= anchor)


def resolve(m: Mention, anchor: Anchor, *, rules_file: str = RULES_FILE) -> dict | None:
    """Return the timex dict of a mention (value None when it lacks an anchor), or None if not a date."""
    r = rules(rules_file)
    a = anchor.day
    rel = m.kind not in ("date", "month_year", "year") and not (
        m.kind in ("season", "month_range") and m.year)
    kw = {"relative": rel, "uncertain": rel and anchor.inferred, "kind": m.kind, "modifier": m.modifier}
    unresolved = _timex(None, None, None, None, **kw)
    if m.kind == "date":
        d = _safe_date(m.year, m.month, m.day)
        if d is None:
            return None
        end = _safe_date(m.year, m.month, m.day2) if m.day2 else None
        return _timex(d.isoformat(), "day", d, end if end and end > d else d, **kw)
    if m.kind == "month_year":
        return _month_tx(m.year, m.month, **kw)
    if m.kind == "year":
        return _year_tx(m.year, m.year2, **kw)
    if m.kind == "season" and m.year:
        s, e = _season_bounds(r, m.year, m.season)
        return _timex(f"{m.year:04d}-{m.season}", "season", s, e, **kw)
    if m.kind == "month_day" and not (1 <= (m.day or 0) <= 31):
        return None
    if a is None:
        return unresolved
    if m.kind == "month_day":
        if anchor.inferred and anchor.year_hint:
            y = anchor.year_hint
        else:
            y = a.year if (m.month, m.day) <= (a.month, a.day) else a.year - 1
        d = _safe_date(y, m.month, m.day)
        if d is None:
            return None
        end = _safe_date(y, m.month, m.day2) if m.day2 else None
        return _timex(d.isoformat(), "day", d, end if end and end > d else d, **kw)
    if m.kind == "month":
        return _month_tx(_month_year(m.month, a, m.shift), m.month, **kw)
    if m.kind == "month_of_year":
        return _month_tx(a.year + (m.shift or 0), m.month, **kw)
    if m.kind == "month_range":
        y = m.year or _month_year(m.month, a, None)
        y2 = y if m.month2 >= m.month else y + 1
        return _timex(f"{y:04d}-{m.month:02d}", "month", date(y, m.month, 1), _last_day(y2, m.month2),
                      range_end=f"{y2:04d}-{m.month2:02d}", **kw)
    if m.kind == "weekday":
        return _day(_weekday(m.weekday, anchor, m.shift), **kw)
    if m.kind == "season":
        y = _season_year(r, m.season, a, m.shift)
        s, e = _season_bounds(r, y, m.season)
        return _timex(f"{y:04d}-{m.season}", "season", s, e, **kw)
    if m.kind in ("relative", "ago"):
        shift = m.shift or 0
        if m.unit == "day":
            return _day(a + timedelta(days=shift), **kw)
        if m.unit == "week":
            d = a + timedelta(days=7 * shift)
            return _month_tx(d.year, d.month, **kw)
        if m.unit == "month":
            return _month_tx(*_add_months(a.year, a.month, shift), **kw)
        return _year_tx(a.year + shift, **kw)
    return unresolved


def normalise(text: str, *, published: str | None = None, excluded: Sequence[tuple[int, int]] = (),
              borrowed_year_is_stated: bool = False,
              rules_file: str = RULES_FILE) -> tuple[Anchor, list[tuple[Mention, dict]]]:
    """Find, anchor and resolve every temporal expression of ``text`` in one call."""
    mentions = find_mentions(text, rules_file=rules_file)
    anchor = choose_anchor(text, mentions, published=published, excluded=excluded,
                           borrowed_year_is_stated=borrowed_year_is_stated, rules_file=rules_file)
    out = []
    for m in mentions:
        tx = resolve(m, anchor, rules_file=rules_file)
        if tx is not None:
            tx["publication"] = m in anchor.statements
            out.append((m, tx))
    return anchor, out
