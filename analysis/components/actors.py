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

import pandas as pd
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from analysis import schema
from analysis.extensions import register_extensions
from analysis.rules import load_yaml

RULES_FILE = "actors.yaml"
SPAN_KEY = "actors"
BLOCK = "_NOT_ACTOR"
KINDS = ("name", "alias", "demonym", "capital")  # the values of span._.via
DASHES = frozenset({"-", "–", "—"})
DATELINE_AFTER = frozenset({",", "(", "—", "–"})


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
        for (code, kind), texts in self.dictionary.surfaces.items():
            key = f"{code}|{kind}"
            self.matcher.add(key, [nlp.make_doc(t) for t in texts])
            self.keys[strings.add(key)] = (code, kind)
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
            if any(taken[start:end]):
                continue
            taken[start:end] = b"\x01" * (end - start)
            if match_id != self.block_id:
                chosen.append((match_id, start, end))
        chosen.sort(key=lambda m: m[1])
        out: list[tuple[str, str, int, int, bool]] = []
        last_place_end = -1
        for match_id, start, end in chosen:
            code, kind = self.keys[match_id]
            if self._inside_name(doc, start, end) or self._person_like(doc, start, end):
                continue
            if kind == "demonym" and self._language(doc, start, end):
                continue
            place = kind == "capital" and self._is_place(doc, start, end, last_place_end)
            if place:
                last_place_end = end
            out.append((code, kind, start, end, place))
        return out

    def _inside_name(self, doc: Doc, start: int, end: int) -> bool:
        """True when the mention is part of an institution or place name."""
        n = len(doc)
        k = end
        while k < n and k - end < self.name_scan and _is_cap_word(doc[k]):
            if doc[k].text in self.heads:
                return True
            k += 1
        k = start - 1
        while k >= 0 and start - k <= self.name_scan and _is_cap_word(doc[k]):
            k -= 1
        if k >= 0 and doc[k].lower_ in self.articles:
            k -= 1
        if k >= 1 and doc[k].lower_ in self.connectors:
            return doc[k - 1].text in self.heads
        return False

    def _language(self, doc: Doc, start: int, end: int) -> bool:
        """True for a demonym used as a language name ("translated into German.")."""
        if start == 0 or doc[start - 1].lower_ not in self.language_preps:
            return False
        return end == len(doc) or doc[end].is_punct or doc[end].is_space

    def _person_like(self, doc: Doc, start: int, end: int) -> bool:
        """True for a risky name ("Jordan") standing next to another capitalised word."""
        if end - start != 1 or doc[start].text not in self.name_risk:
            return False
        if start > 0:
            prev = doc[start - 1]
            if _is_cap_word(prev) and not prev.is_sent_start and prev.text not in self.name_risk_ok:
                return True
        if end < len(doc):
            nxt = doc[end]
            if _is_cap_word(nxt) and not nxt.is_sent_start and nxt.text not in self.name_risk_ok:
                return True
        return False

    def _is_place(self, doc: Doc, start: int, end: int, last_place_end: int) -> bool:
        """True when a capital is used as a location, not as the government."""
        n = len(doc)
        if end < n and doc[end].text in self.possessive:
            return False
        if end + 1 < n and doc[end].text in DASHES and doc[end + 1].lower_ in self.place_suffixes:
            return True
        if doc[start].text.isupper() and end < n and doc[end].text in DATELINE_AFTER:
            return True  # dateline: "MOSCOW, June 18"
        if start == 0:
            return False
        if last_place_end >= 0 and self._coordinated(doc, start, end, last_place_end):
            return True
        prev = doc[start - 1].lower_
        if prev in self.place_verbs:
            return True
        if prev not in self.locative and prev not in self.directional:
            return False
        before = doc[start - 2].lower_ if start >= 2 else ""
        if before in self.gov_nouns or before in self.actor_cues:
            return False
        if prev in self.locative:
            return True
        if last_place_end == start - 1:
            return True  # the second half of a route: "from Tallinn to Lisbon"
        if doc[start - 1].text in self.route_openers and end < n and doc[end].lower_ in self.directional:
            opener = doc[start - 1]
            if opener.is_sent_start or start < 2 or doc[start - 2].is_punct or doc[start - 2].is_space:
                return True
        lo = max(0, start - 1 - self.motion_window)
        return any(doc[k].lower_ in self.motion for k in range(lo, start - 1))

    def _coordinated(self, doc: Doc, start: int, end: int, last_place_end: int) -> bool:
        """True when the capital continues a list whose previous item was a place."""
        k = start - 1
        conj = False
        while k >= 0 and start - k <= 2 and (doc[k].text == "," or doc[k].lower_ in self.coordination):
            conj = conj or doc[k].lower_ in self.coordination
            k -= 1
        if k == start - 1 or k + 1 != last_place_end:
            return False
        if conj:
            return True
        return end < len(doc) and (doc[end].text == "," or doc[end].lower_ in self.coordination)

    # -- write --------------------------------------------------------------------------
    def set_annotations(self, doc: Doc, matches: list[tuple[str, str, int, int, bool]]) -> None:
        """Write one span per mention to ``doc.spans["actors"]``."""
        spans = []
        for code, kind, start, end, place in matches:
            span = Span(doc, start, end, label=code)
            span._.place = place
            span._.via = kind
            spans.append(span)
        doc.spans[SPAN_KEY] = spans


def _is_cap_word(tok: Token) -> bool:
    text = tok.text
    return bool(text) and text[0].isupper() and (tok.is_alpha or text.isupper())


@Language.factory(
    "expert_lens_actors",
    assigns=["doc.spans"],
    default_config={"rules": RULES_FILE, "split_abbreviation_hyphens": True},
)
def make_actor_recognizer(nlp: Language, name: str, rules: str,
                          split_abbreviation_hyphens: bool) -> ActorRecognizer:
    """Build the actor recognizer from the rule file ``rules``."""
    return ActorRecognizer(nlp, name, rules=rules, split_abbreviation_hyphens=split_abbreviation_hyphens)
