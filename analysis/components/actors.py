"""Actor mentions: states and organisations from the actor dictionary (rules/actors.yaml).

Finds names, aliases, demonyms and capitals with one case-sensitive PhraseMatcher
("US" matches, the pronoun "us" does not), keeps the longest match (phrases listed as
``not_actors`` win ties and are then dropped: "Korean Peninsula", "Soviet-era"), drops
mentions inside institution and place names ("Russian Academy", "Sea of Japan") and
person-like uses of risky names ("Michael Jordan"), and writes ``doc.spans["actors"]``:
``span.label_`` is the actor code, ``span._.place`` is True when a capital is a location
("in Pyongyang") rather than the government ("the regime in Pyongyang"), and
``span._.via`` says which kind of string matched (name | alias | demonym | capital).

Tokenization: the component adds ONE infix rule to the pipeline it is added to, so that
"U.S.-led" splits like "US-led" already does ("U.S.", "-", "led"). Nothing else changes,
and no other pipeline or language is touched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

import pandas as pd
from spacy.attrs import IS_PUNCT, IS_SPACE, SENT_START
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.strings import hash_string
from spacy.tokens import Doc, Span

from analysis import schema
from analysis.extensions import ACTORS_KEY, TokenView, register_extensions, write_span_attr
from analysis.rules import load_yaml

RULES_FILE = "actors.yaml"
SPAN_KEY = "actors"
BLOCK = "_NOT_ACTOR"
KINDS = ("name", "alias", "demonym", "capital")  # the values of span._.via
DASHES = frozenset({"-", "–", "—"})
DATELINE_AFTER = frozenset({",", "(", "—", "–"})
CACHE_LIMIT = 200_000       # words remembered across docs (see _Tokens.cap_word)


@dataclass(frozen=True)
class ActorDictionary:
    """The parsed actor file: surface strings per (code, kind), blockers and rules."""

    version: str
    actors: tuple[dict, ...]
    surfaces: dict[tuple[str, str], tuple[str, ...]]
    not_actors: tuple[str, ...]
    rules: dict


def _plural(word: str, endings: Iterable[str]) -> str | None:
    if any(word.endswith(end) for end in endings):
        return None
    return word + "s"


def _variants(text: str, *, upper_min: int) -> set[str]:
    out = {text, text.replace("'", "’"), text.replace("’", "'")}
    if len(text) >= upper_min and not text.isupper():
        out |= {v.upper() for v in list(out)}
    return out


@lru_cache(maxsize=8)
def load_actors(*, name: str = RULES_FILE) -> ActorDictionary:
    """Parse the actor dictionary ``name`` (a file in analysis/rules/) once."""
    data = load_yaml(name)
    rules = dict(data.get("rules") or {})
    upper_min = int(rules.get("upper_min_length", 4))
    endings = tuple(rules.get("no_plural_endings") or ())
    surfaces: dict[tuple[str, str], set[str]] = {}
    owner: dict[str, str] = {}
    for actor in data["actors"]:
        code = str(actor["code"])
        groups = {
            "name": [actor["name"]],
            "alias": actor.get("aliases") or [],
            "demonym": actor.get("demonyms") or [],
            "capital": actor.get("capitals") or [],
        }
        plurals = [p for d in groups["demonym"] if (p := _plural(str(d), endings))]
        groups["demonym"] = [*groups["demonym"], *plurals]
        for kind, strings in groups.items():
            for raw in strings:
                for text in _variants(str(raw), upper_min=upper_min):
                    if owner.setdefault(text, code) != code:
                        raise ValueError(f"{name}: {text!r} names both {owner[text]} and {code}")
                    surfaces.setdefault((code, kind), set()).add(text)
    not_actors = {v for raw in data.get("not_actors") or () for v in _variants(str(raw), upper_min=10**6)}
    return ActorDictionary(
        version=str(data.get("version", "")),
        actors=tuple(data["actors"]),
        surfaces={key: tuple(sorted(val)) for key, val in surfaces.items()},
        not_actors=tuple(sorted(not_actors)),
        rules=rules,
    )


def actor_table(*, name: str = RULES_FILE) -> pd.DataFrame:
    """Return one row per dictionary actor: actor_id, name, type."""
    rows = [(str(a["code"]), str(a["name"]), str(a["type"])) for a in load_actors(name=name).actors]
    return pd.DataFrame(rows, columns=[schema.ACTOR_ID, "name", "type"])


def actor_name(code: str, *, name: str = RULES_FILE) -> str:
    """Return the display name of actor ``code`` (the code itself when unknown)."""
    return _names(name).get(code, code)


@lru_cache(maxsize=8)
def _names(name: str) -> dict[str, str]:
    return {str(a["code"]): str(a["name"]) for a in load_actors(name=name).actors}


def add_abbreviation_infix(nlp: Language, pattern: str) -> bool:
    """Add the infix ``pattern`` to ``nlp``'s tokenizer once; return True if it was added."""
    tokenizer = nlp.tokenizer
    finditer = getattr(tokenizer, "infix_finditer", None)
    current = getattr(getattr(finditer, "__self__", None), "pattern", None)
    if finditer is not None and current is None:
        return False  # a custom infix callable we do not know how to extend
    if current and pattern in current:
        return False
    combined = f"{current}|{pattern}" if current else pattern
    tokenizer.infix_finditer = re.compile(combined).finditer
    return True


def _words(rules: dict, key: str) -> frozenset[str]:
    return frozenset(str(w) for w in rules.get(key) or ())


class ActorRecognizer:
    """Find actor mentions with a PhraseMatcher, then write ``doc.spans["actors"]``."""

    def __init__(self, nlp: Language, name: str, *, rules: str, split_abbreviation_hyphens: bool) -> None:
        register_extensions()
        self.name = name
        self.dictionary = load_actors(name=rules)
        r = self.dictionary.rules
        if split_abbreviation_hyphens and r.get("abbreviation_hyphen_infix"):
            add_abbreviation_infix(nlp, str(r["abbreviation_hyphen_infix"]))
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        strings = nlp.vocab.strings
        self.keys: dict[int, tuple[str, str]] = {}
        self.label_ids: dict[str, int] = {}     # actor code -> its hash (the span label)
        for (code, kind), texts in self.dictionary.surfaces.items():
            key = f"{code}|{kind}"
            self.matcher.add(key, [nlp.make_doc(t) for t in texts])
            self.keys[strings.add(key)] = (code, kind)
            self.label_ids[code] = strings.add(code)
        self.block_id = strings.add(BLOCK)
        self.matcher.add(BLOCK, [nlp.make_doc(t) for t in self.dictionary.not_actors])
        self.locative = _words(r, "locative_prepositions")
        self.directional = _words(r, "directional_prepositions")
        self.motion = _words(r, "motion_words")
        self.motion_window = int(r.get("motion_window", 4))
        self.place_verbs = _words(r, "place_verbs")
        self.place_suffixes = _words(r, "place_suffixes")
        self.gov_nouns = _words(r, "government_nouns")
        self.actor_cues = _words(r, "actor_before_preposition")
        self.coordination = _words(r, "coordination")
        self.route_openers = _words(r, "route_openers")
        self.language_preps = _words(r, "language_prepositions")
        self.possessive = _words(r, "possessive")
        self.heads = _words(r, "institution_heads") | _words(r, "region_heads")
        self.connectors = _words(r, "name_connectors")
        self.articles = _words(r, "name_articles")
        self.name_scan = int(r.get("name_scan", 5))
        self.name_risk = _words(r, "name_risk")
        self.name_risk |= frozenset(w.upper() for w in self.name_risk)
        self.name_risk_ok = _words(r, "name_risk_ok")
        # word sets as hashes, compared with a token's ORTH / LOWER hash (no string is built)
        self.head_ids = _ids(self.heads)
        self.article_ids = _ids(self.articles)
        self.connector_ids = _ids(self.connectors)
        self.name_risk_ids = _ids(self.name_risk)
        self._caps: dict[int, bool] = {}    # ORTH hash -> is a capitalised word (see _Tokens.cap_word)
        self._lower_of: dict[int, int] = {}  # ORTH hash -> LOWER hash (see _Tokens.lower_id)

    def __call__(self, doc: Doc) -> Doc:
        """Annotate ``doc`` with actor spans."""
        matches = self.match(doc)
        self.set_annotations(doc, matches)
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        """Annotate a stream of docs."""
        for doc in stream:
            yield self(doc)

    # -- find ---------------------------------------------------------------------------
    def match(self, doc: Doc) -> list[tuple[str, str, int, int, bool]]:
        """Return ``(code, kind, start, end, place)`` for each kept mention, in text order."""
        raw = self.matcher(doc)
        # longest first; at equal length the earlier one, and a not_actors phrase wins ties
        raw.sort(key=lambda m: (m[1] - m[2], m[1], m[0] != self.block_id))
        taken = bytearray(len(doc))
        chosen: list[tuple[int, int, int]] = []
        for match_id, start, end in raw:
            if end - start == 1:
                if taken[start]:
                    continue
                taken[start] = 1
            else:
                if any(taken[start:end]):
                    continue
                taken[start:end] = b"\x01" * (end - start)
            if match_id != self.block_id:
                chosen.append((match_id, start, end))
        chosen.sort(key=itemgetter(1))
        out: list[tuple[str, str, int, int, bool]] = []
        if not chosen:
            return out
        toks = _Tokens(doc, self._caps, self._lower_of)
        orth, name_risk = toks.orth, self.name_risk_ids     # (the first test of _person_like)
        last_place_end = -1
        for match_id, start, end in chosen:
            code, kind = self.keys[match_id]
            if self._inside_name(toks, start, end) or (
                    end - start == 1 and orth[start] in name_risk and self._person_like(toks, start, end)):
                continue
            if kind == "demonym" and self._language(toks, start, end):
                continue
            place = kind == "capital" and self._is_place(toks, start, end, last_place_end)
            if place:
                last_place_end = end
            out.append((code, kind, start, end, place))
        return out

    def _inside_name(self, t: _Tokens, start: int, end: int) -> bool:
        """True when the mention is part of an institution or place name."""
        n, scan, heads, orth = t.n, self.name_scan, self.head_ids, t.orth
        caps = self._caps       # ORTH hash -> t.cap_word (read there once per word)
        k = end
        while k < n and k - end < scan:
            cap = caps.get(orth[k])
            if not (t.cap_word(k) if cap is None else cap):
                break
            if orth[k] in heads:
                return True
            k += 1
        k = start - 1
        while k >= 0 and start - k <= scan:
            cap = caps.get(orth[k])
            if not (t.cap_word(k) if cap is None else cap):
                break
            k -= 1
        if k < 0:
            return False
        lower_of = self._lower_of       # ORTH hash -> t.lower_id (read there once per word)
        low = lower_of.get(orth[k])
        if (t.lower_id(k) if low is None else low) in self.article_ids:   # "the" before the name: one word further
            k -= 1
        if k < 1:
            return False
        low = lower_of.get(orth[k])
        return (t.lower_id(k) if low is None else low) in self.connector_ids and orth[k - 1] in heads

    def _language(self, t: _Tokens, start: int, end: int) -> bool:
        """True for a demonym used as a language name ("translated into German.")."""
        if start == 0 or t.lower(start - 1) not in self.language_preps:
            return False
        return end == t.n or bool(t.punct[end]) or bool(t.space[end])

    def _person_like(self, t: _Tokens, start: int, end: int) -> bool:
        """True for a risky name ("Jordan") standing next to another capitalised word."""
        if end - start != 1 or t.orth[start] not in self.name_risk_ids:
            return False
        if start > 0:
            prev = start - 1
            if t.cap_word(prev) and not t.sent_start(prev) and t.text(prev) not in self.name_risk_ok:
                return True
        if end < t.n:
            nxt = end
            if t.cap_word(nxt) and not t.sent_start(nxt) and t.text(nxt) not in self.name_risk_ok:
                return True
        return False

    def _is_place(self, t: _Tokens, start: int, end: int, last_place_end: int) -> bool:
        """True when a capital is used as a location, not as the government."""
        n = t.n
        if end < n and t.text(end) in self.possessive:
            return False
        if end + 1 < n and t.text(end) in DASHES and t.lower(end + 1) in self.place_suffixes:
            return True
        if t.text(start).isupper() and end < n and t.text(end) in DATELINE_AFTER:
            return True  # dateline: "MOSCOW, June 18"
        if start == 0:
            return False
        if last_place_end >= 0 and self._coordinated(t, start, end, last_place_end):
            return True
        prev = t.lower(start - 1)
        if prev in self.place_verbs:
            return True
        if prev not in self.locative and prev not in self.directional:
            return False
        before = t.lower(start - 2) if start >= 2 else ""
        if before in self.gov_nouns or before in self.actor_cues:
            return False
        if prev in self.locative:
            return True
        if last_place_end == start - 1:
            return True  # the second half of a route: "from Tallinn to Lisbon"
        if (t.text(start - 1) in self.route_openers and end < n and t.lower(end) in self.directional
                and (t.sent_start(start - 1) or start < 2 or t.punct[start - 2] or t.space[start - 2])):
            return True
        lo = max(0, start - 1 - self.motion_window)
        return any(t.lower(k) in self.motion for k in range(lo, start - 1))

    def _coordinated(self, t: _Tokens, start: int, end: int, last_place_end: int) -> bool:
        """True when the capital continues a list whose previous item was a place."""
        k = start - 1
        conj = False
        while k >= 0 and start - k <= 2 and (t.text(k) == "," or t.lower(k) in self.coordination):
            conj = conj or t.lower(k) in self.coordination
            k -= 1
        if k == start - 1 or k + 1 != last_place_end:
            return False
        if conj:
            return True
        return end < t.n and (t.text(end) == "," or t.lower(end) in self.coordination)

    # -- write --------------------------------------------------------------------------
    def set_annotations(self, doc: Doc, matches: list[tuple[str, str, int, int, bool]]) -> None:
        """Write one span per mention to ``doc.spans["actors"]``."""
        label = self.label_ids
        spans = [Span(doc, start, end, label=label[code]) for code, _kind, start, end, _place in matches]
        chars = [(span.start_char, span.end_char) for span in spans]
        write_span_attr(doc, "place", [(sc, ec, m[4]) for (sc, ec), m in zip(chars, matches, strict=True)])
        write_span_attr(doc, "via", [(sc, ec, m[1]) for (sc, ec), m in zip(chars, matches, strict=True)])
        doc.spans[SPAN_KEY] = spans
        # what actor_rows(doc) returns
        rows = [(start, end, sc, ec, code, bool(place), kind)
                for (sc, ec), (code, kind, start, end, place) in zip(chars, matches, strict=True)]
        doc.user_data[ACTORS_KEY] = (doc.spans[SPAN_KEY], rows)


def _ids(words: Iterable[str]) -> frozenset[int]:
    """The hashes of ``words`` (a token's ORTH / LOWER hash equals one when its text / lower case is that word)."""
    return frozenset(hash_string(w) for w in words)


class _Tokens(TokenView):
    """What the actor rules read of a Doc's tokens (no Token objects are created)."""

    def __init__(self, doc: Doc, caps: dict[int, bool], lower_of: dict[int, int]) -> None:
        super().__init__(doc)
        self.punct = self.column(IS_PUNCT)
        self.space = self.column(IS_SPACE)
        self._sent: list[int] | None = None
        self._caps = caps
        self._lower_of = lower_of

    def lower_id(self, i: int) -> int:
        """``doc[i].lower``: the lexeme's, kept per word across docs (a lexeme's attributes are fixed)."""
        orth = self.orth[i]
        found = self._lower_of.get(orth)
        if found is None:
            if len(self._lower_of) > CACHE_LIMIT:
                self._lower_of.clear()
            found = self._lower_of[orth] = self.doc.vocab[orth].lower
        return found

    def lower(self, i: int) -> str:
        """``doc[i].lower_``."""
        return self.strings[self.lower_id(i)]

    def sent_start(self, i: int) -> bool:
        """``doc[i].is_sent_start`` is True."""
        if self._sent is None:
            self._sent = self.doc.to_array(SENT_START).tolist()
        return self._sent[i] == 1

    def cap_word(self, i: int) -> bool:
        """A capitalised word: "Moscow", "NATO" (``is_alpha`` is ``str.isalpha``)."""
        orth = self.orth[i]
        cap = self._caps.get(orth)
        if cap is None:     # a property of the word's text: kept per word across docs
            if len(self._caps) > CACHE_LIMIT:
                self._caps.clear()
            text = self.strings[orth]
            cap = self._caps[orth] = bool(text) and text[0].isupper() and (text.isalpha() or text.isupper())
        return cap


@Language.factory(
    "expert_lens_actors",
    assigns=["doc.spans"],
    default_config={"rules": RULES_FILE, "split_abbreviation_hyphens": True},
)
def make_actor_recognizer(nlp: Language, name: str, rules: str,
                          split_abbreviation_hyphens: bool) -> ActorRecognizer:
    """Build the actor recognizer from the rule file ``rules``."""
    return ActorRecognizer(nlp, name, rules=rules, split_abbreviation_hyphens=split_abbreviation_hyphens)
