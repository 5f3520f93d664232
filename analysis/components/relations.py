"""Relations between actors: cooperation or conflict, from cue words (CAMEO / PLOVER quads).

Per sentence, every cue from ``analysis/rules/relation_cues.yaml`` links a
source actor to a target actor:

- **source**: the actor right before a cue noun ("Russia's war", "Chinese
  support"), else the nearest actor (not a place) before the cue in the same
  clause. A definite determiner right before a cue noun ("the war in Ukraine")
  means the text does not say whose it is: no relation.
- **target**: the direct object of a cue verb ("supply Russia"), else the
  actor after one of the cue's prepositions ("war against Ukraine", "support
  for Russia"). Actors "on X's side" / "on X's behalf" are never targets.
- **coordination** fans out ("China, Russia and Iran ... cooperation with X");
  symmetric cues ("partnership", "cooperation") link "between A and B",
  "among A, B and C", "A and B ... partnership" and "China, North Korea's ally"
  pairwise.
- **passive**: "X was supplied by Y" gives Y -> X; a passive without a by-agent
  gives nothing (the agent is unknown).
- **labels**: "Seoul described Pyongyang as a criminal regime" gives Seoul -> Pyongyang.
- **negation**: a negator a few tokens before the cue ("has not condemned",
  "is not directed against") cancels it; it is not flipped into the opposite.

Weights: material cues 1.0, verbal cues 0.5 (in the rule file). One sentence is
one piece of evidence: a pair gets at most one relation of each kind from it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, NamedTuple

from spacy.attrs import IDX, IS_PUNCT, NORM, SPACY
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.strings import hash_string
from spacy.tokens import Doc

from analysis.extensions import TokenView, actor_rows, doc_text, sentence_bounds
from analysis.rules import load_yaml

RULES_FILE = "relation_cues.yaml"
QUAD_KINDS = {
    "verbal_cooperation": "cooperation", "material_cooperation": "cooperation",
    "verbal_conflict": "conflict", "material_conflict": "conflict",
}
PAIRWISE_PREPS = frozenset({"between", "among", "amongst"})
LIST_JOINERS = frozenset({",", "and", "or", "&", "-", "/", "nor"})
POSSESSIVE = frozenset({"'s", "'"})
MARKERS = ("negators", "negator_exceptions", "blockers", "clause_breaks", "label_verbs", "boosters")
NO_SOURCE = -2
CACHE_LIMIT = 200_000       # words remembered across docs
_COMMA, _DASH, _BY = hash_string(","), hash_string("-"), hash_string("by")


def _ids(words: Iterable[str]) -> frozenset[int]:
    """The NORM hashes of ``words`` (a token's ``norm`` equals one when its ``norm_`` is that word)."""
    return frozenset(hash_string(w) for w in words)


@dataclass(frozen=True)
class CueGroup:
    """One group of cues from the rule file and how its cues find their actors."""

    quad: str
    kind: str
    weight: float
    takes: frozenset[str]
    direct: bool = False
    symmetric: bool = False
    requires: bool = False
    label: bool = False
    label_ok: bool = False
    place_target: bool = False
    stative: bool = False


class _Actor(NamedTuple):
    start: int
    end: int
    code: str
    place: bool
    possessive: bool


@dataclass
class _Sentence:
    start: int
    end: int
    breaks: set[int]        # clause-closing tokens, commas outside actor lists included
    hard_breaks: set[int]   # the same without commas (for passive subjects)
    cue_kind: dict[int, str]  # token -> kind of the cue covering it
    start_char: int = 0
    end_char: int = 0


class RulesError(ValueError):
    """The relation cue file is malformed."""


def _words(raw: Any, where: str) -> list[str]:
    if not isinstance(raw, list) or not all(isinstance(w, str) and w.strip() for w in raw):
        raise RulesError(f"{RULES_FILE}: {where} must be a list of words")
    return [w.strip() for w in raw]


def load_groups(raw: dict) -> list[tuple[CueGroup, list[str], dict | None]]:
    """Validate the ``cues`` section: ``[(group, words, verb_object)]``; duplicates are an error."""
    weights = raw.get("weights") or {}
    seen: dict[str, int] = {}
    out = []
    for i, item in enumerate(raw.get("cues") or []):
        quad = item.get("quad")
        if quad not in QUAD_KINDS:
            raise RulesError(f"{RULES_FILE}: cue group {i + 1} has unknown quad {quad!r}")
        group = CueGroup(
            quad=quad, kind=QUAD_KINDS[quad],
            weight=float(weights.get(quad.split("_")[0], 1.0)),
            takes=frozenset(_words(item.get("takes") or [], f"cue group {i + 1} takes")),
            direct=bool(item.get("direct")), symmetric=bool(item.get("symmetric")),
            requires=bool(item.get("requires")), label=bool(item.get("label")),
            label_ok=bool(item.get("label_ok")), place_target=bool(item.get("place_target")),
            stative=bool(item.get("stative")),
        )
        verb_object = item.get("verb_object")
        words = [] if verb_object else _words(item.get("words"), f"cue group {i + 1} words")
        for w in words:
            if w.lower() in seen:
                raise RulesError(f"{RULES_FILE}: cue {w!r} is in groups {seen[w.lower()] + 1} and {i + 1}")
            seen[w.lower()] = i
        out.append((group, words, verb_object))
    if not out:
        raise RulesError(f"{RULES_FILE}: no cue groups")
    return out


class RelationFinder:
    """The ``expert_lens_relations`` component: cue matches -> ``doc._.relations``."""

    def __init__(self, nlp: Language, name: str, *, rules: str = RULES_FILE) -> None:
        raw = load_yaml(rules)
        self.win = {k: int(v) for k, v in (raw.get("windows") or {}).items()}
        groups = load_groups(raw)
        self.groups = [g for g, _, _ in groups]
        self.cues = PhraseMatcher(nlp.vocab, attr="NORM")
        # "send ... troops": verbs and objects matched separately, paired within max_gap tokens
        self.movers = PhraseMatcher(nlp.vocab, attr="NORM")
        self.max_gap: dict[str, int] = {}
        patterns: dict[str, tuple[str, list[Doc]]] = {}     # key -> (matcher, patterns)
        for i, (_group, words, verb_object) in enumerate(groups):
            key = f"cue{i}"
            if verb_object:
                for role in ("verb", "object"):
                    phrases = _words(verb_object.get(f"{role}s"), f"{key} {role}s")
                    patterns[f"{key}:{role}"] = ("movers", list(nlp.tokenizer.pipe(phrases)))
                self.max_gap[key] = int(verb_object.get("max_gap", 3))
            else:
                patterns[key] = ("cues", list(nlp.tokenizer.pipe(words)))
        self.markers = PhraseMatcher(nlp.vocab, attr="NORM")
        for key in MARKERS:
            patterns[key] = ("markers", list(nlp.tokenizer.pipe(_words(raw.get(key) or ["-"], key))))
        patterns["commas"] = ("markers", [nlp.make_doc(",")])
        for key, (matcher, docs) in patterns.items():
            getattr(self, matcher).add(key, docs)
        self.merged, self.key_role = _merged_matcher(nlp, patterns)
        def norms(key: str) -> frozenset[str]:
            return frozenset(w.lower() for w in _words(raw.get(key) or [], key))

        self.coordinators = norms("coordinators")
        self.role_words = norms("role_words")
        self.fillers = norms("fillers")
        self.no_source = norms("no_source_determiners")
        self.passive_aux = norms("passive_aux")
        self.participles = norms("irregular_participles")
        self.side = norms("side_markers")
        self.object_preps = norms("object_preps")
        # the same words as NORM hashes: the reader compares token hashes, not strings
        self.norm_ids = {name: _ids(words) for name, words in (
            ("possessive", POSSESSIVE), ("closers", {")", "]", "'s", "'"}), ("and_or_the", {"and", "or", "the"}),
            ("no_source", self.no_source), ("side", self.side), ("fillers", self.fillers),
            ("and_or_but", {"and", "or", "but"}), ("object_preps", self.object_preps), ("joiners", LIST_JOINERS),
            ("closing", {"and", "or", "nor", "&"}), ("coordinators", self.coordinators),
            ("role_words", self.role_words), ("passive_aux", self.passive_aux))}
        self.takes_ids = [_ids(group.takes) for group in self.groups]
        self.participle_of: dict[int, bool] = {}     # ORTH hash -> a participle (see _Reader._is_participle)
        self.lexemes: dict[int, tuple] = {}          # ORTH hash -> lexical flags (see TokenView.flags)
        self._cue_labels: dict[int, str] = {}        # match key hash -> the key ("cue3")

    def _find(self, doc: Doc) -> tuple[list[tuple[int, int, int]], list[tuple[int, int, int]],
                                       list[tuple[int, int, int]]]:
        """``(cue, mover, marker)`` matches of the doc, each in its own matcher's order."""
        if self.merged is None:
            return self.cues(doc), self.movers(doc), self.markers(doc)
        found: dict[str, list[tuple[int, int, int]]] = {"cues": [], "movers": [], "markers": []}
        role = self.key_role
        for match in self.merged(doc):
            found[role[match[0]]].append(match)
        return found["cues"], found["movers"], found["markers"]

    def _mover_matches(self, doc: Doc, toks: TokenView, movers: list[tuple[int, int, int]]
                       ) -> list[tuple[str, int, int]]:
        """``(key, start, end)`` for a moving verb and the object it moves ("sent 1,000 troops")."""
        verbs: list[tuple[str, int, int]] = []
        objects: dict[str, list[tuple[int, int]]] = {}
        for key_id, s, e in movers:
            key, role = doc.vocab.strings[key_id].split(":")
            if role == "verb":
                verbs.append((key, s, e))
            else:
                objects.setdefault(key, []).append((s, e))
        out = []
        if not verbs:
            return out
        punct = toks.column(IS_PUNCT)
        for key, s, e in verbs:
            for os_, oe in objects.get(key, ()):
                if e <= os_ <= e + self.max_gap[key] and not any(punct[i] for i in range(e, os_)):
                    out.append((key, s, oe))
                    break
        return out

    # -- find -----------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        """Find the relations the sentences state and write them to ``doc._.relations``."""
        matches = self.match(doc)
        self.set_annotations(doc, matches)
        return doc

    def match(self, doc: Doc) -> list[dict]:
        """Return one record per (sentence, actor pair, kind) the cues state."""
        strings = doc.vocab.strings
        toks = TokenView(doc, self.lexemes)
        cues, movers, markers = self._find(doc)
        labels = self._cue_labels
        raw = []
        for k, s, e in cues:
            label = labels.get(k)
            if label is None:
                label = labels[k] = strings[k]
            raw.append(_Cue(label, s, e))
        raw.extend(_Cue(k, s, e) for k, s, e in self._mover_matches(doc, toks, movers))
        if not raw or not doc.spans.get("actors"):
            return []
        return _Reader(self, doc, toks, markers).read(sorted(_filter_spans(raw), key=lambda sp: sp.start))

    def set_annotations(self, doc: Doc, relations: list[dict]) -> None:
        """Write the relation records to ``doc._.relations``."""
        doc._.relations = relations


def _merged_matcher(nlp: Language, patterns: dict[str, tuple[str, list[Doc]]]
                    ) -> tuple[PhraseMatcher | None, dict[int, str]]:
    """One matcher for the cue, mover and marker phrases, and which matcher each key belongs to.

    One pass over the doc instead of three; the matches are split back by matcher. The matches of
    a key come in the same order from either (by start, then length); only matches of different
    keys at the same tokens could come in another order, so when two keys of one matcher share a
    phrase (by NORM) the three matchers are kept (None).
    """
    seen: dict[tuple[str, tuple[int, ...]], str] = {}
    for key, (matcher, docs) in patterns.items():
        for pattern in docs:
            norms = (matcher, tuple(pattern.to_array(NORM).tolist()))
            if seen.setdefault(norms, key) != key:
                return None, {}
    merged = PhraseMatcher(nlp.vocab, attr="NORM")
    role: dict[int, str] = {}
    for key, (matcher, docs) in patterns.items():
        merged.add(key, docs)
        role[nlp.vocab.strings.add(key)] = matcher
    return merged, role


class _Cue:
    """A cue match: tokens ``[start, end)``, the cue group key ("cue3") and its group index."""

    __slots__ = ("end", "group", "label_", "start")

    def __init__(self, label: str, start: int, end: int) -> None:
        self.label_, self.start, self.end = label, start, end
        group = _GROUP_OF.get(label)
        if group is None:
            group = _GROUP_OF[label] = int(label[3:])
        self.group = group


_GROUP_OF: dict[str, int] = {}      # cue key ("cue3") -> its group index (3)


def _filter_spans(spans: list[_Cue]) -> list[_Cue]:
    """``spacy.util.filter_spans`` for cue matches: the (first) longest of overlapping matches wins."""
    result = []
    seen: set[int] = set()
    for span in sorted(spans, key=lambda sp: (sp.end - sp.start, -sp.start), reverse=True):
        # end - 1: boundaries are inclusive
        if span.start not in seen and span.end - 1 not in seen:
            result.append(span)
            seen.update(range(span.start, span.end))
    return sorted(result, key=lambda sp: sp.start)


class _Reader:
    """Reads one doc with the finder's rules (per-doc state lives here, not on the component)."""

    def __init__(self, rules: RelationFinder, doc: Doc, toks: TokenView,
                 markers: list[tuple[int, int, int]]) -> None:
        for name in ("win", "groups", "markers", "coordinators", "role_words", "fillers", "no_source",
                     "passive_aux", "participles", "side", "object_preps", "takes_ids", "participle_of"):
            setattr(self, name, getattr(rules, name))
        for name, ids in rules.norm_ids.items():
            setattr(self, f"{name}_ids", ids)
        # the windows (in tokens), read once
        self.w_modifier, self.w_prep, self.w_filler = self.win.get("modifier", 4), self.win.get("prep", 8), \
            self.win.get("filler", 3)
        self.w_source, self.w_by_agent = self.win.get("source", 25), self.win.get("by_agent", 2)
        self.w_negation, self.w_blocker = self.win.get("negation", 4), self.win.get("blocker", 2)
        self.t = toks
        self.n = toks.n
        self.norm = toks.norm
        self.nid = toks.column(NORM)        # NORM hash per token
        self.text_at = toks.text
        self.spacy = toks.column(SPACY)
        self.flags = toks.flags         # (is_alpha, is_lower, is_stop, is_title) of a token
        self.full = doc_text(doc)
        self._doc_setup(doc, markers)
        self.doc = doc

    def read(self, cues: list[_Cue]) -> list[dict]:
        """Relations of every sentence that holds a cue and at least two actor mentions."""
        doc = self.doc
        found: list[dict] = []
        if doc.has_annotation("SENT_START"):
            sents = sentence_bounds(doc)
        else:       # the whole doc is one sentence
            last = self.n - 1
            sents = [(0, self.n, 0, self.t.column(IDX)[last] + len(self.text_at(last)))]
        starts = [s[0] for s in sents]
        by_sent: dict[int, list[_Cue]] = {}
        for cue in cues:
            by_sent.setdefault(bisect_left(starts, cue.start + 1) - 1, []).append(cue)
        for si, sent_cues in by_sent.items():
            start, end, start_char, end_char = sents[si]
            if bisect_left(self._actor_starts, end) - bisect_left(self._actor_starts, start) < 2:
                continue
            ctx = self._sentence(start, end, start_char, end_char, sent_cues)
            best: dict[tuple[frozenset[str], str], dict] = {}
            for k, cue in enumerate(sent_cues):
                prev = sent_cues[k - 1] if k else None
                for rec in self._relations(ctx, cue, prev):
                    key = (frozenset((rec["source"], rec["target"])), rec["kind"])
                    if key not in best or rec["weight"] > best[key]["weight"]:
                        best[key] = rec
            found.extend(best.values())
        return found

    # -- per document -----------------------------------------------------------------------------
    def _doc_setup(self, doc: Doc, markers: list[tuple[int, int, int]]) -> None:
        n, nid, possessive_ids = self.n, self.nid, self.possessive_ids
        actors = [_Actor(start, end, code, place, end < n and nid[end] in possessive_ids)
                  for start, end, _sc, _ec, code, place, _via in sorted(actor_rows(doc), key=itemgetter(0))]
        self._actors = actors
        self._actor_starts = [a.start for a in actors]
        self._tok2actor = {i: k for k, a in enumerate(actors) for i in range(a.start, a.end)}
        marks: dict[int, dict[int, int]] = {}       # marker key hash -> {start: furthest end}
        for key_id, s, e in markers:
            found = marks.get(key_id)
            if found is None:
                found = marks[key_id] = {}
            furthest = found.get(s)
            if furthest is None or e > furthest:
                found[s] = e
        strings = doc.vocab.strings
        self._marks = {key: {} for key in (*MARKERS, "commas")}
        self._marks.update((strings[key_id], found) for key_id, found in marks.items())
        self._mark_starts = {key: sorted(found) for key, found in self._marks.items()}

    def _marks_in(self, key: str, start: int, end: int) -> list[int]:
        starts = self._mark_starts[key]
        return starts[bisect_left(starts, start):bisect_left(starts, end)]

    def _sentence(self, start: int, end: int, start_char: int, end_char: int, cues: list[_Cue]) -> _Sentence:
        hard = {i for i in self._marks_in("clause_breaks", start, end) if not self._hyphen(i)}
        breaks = set(hard)
        breaks.update(i for i in self._marks_in("commas", start, end) if not self._list_comma(i, start, end))
        groups = self.groups
        kinds = {i: groups[cue.group].kind for cue in cues for i in range(cue.start, cue.end)}
        return _Sentence(start, end, breaks, hard, kinds, start_char, end_char)

    def _hyphen(self, i: int) -> bool:
        """A word-internal hyphen ("full-scale"): NORM folds it together with the dashes."""
        return self.text_at(i) == "-" and not self.spacy[i] and i > 0 and not self.spacy[i - 1]

    def _list_comma(self, i: int, sent_start: int, sent_end: int) -> bool:
        """A comma between two actors ("China, Russia and Iran"; "China, North Korea's ally")."""
        prev = i - 1
        while prev >= sent_start and self.nid[prev] in self.closers_ids:
            prev -= 1
        nxt = i + 1
        while nxt < sent_end and self.nid[nxt] in self.and_or_the_ids:
            nxt += 1
        return prev in self._tok2actor and nxt in self._tok2actor

    # -- per cue ------------------------------------------------------------------------------------
    def _relations(self, ctx: _Sentence, cue: _Cue, prev: _Cue | None) -> list[dict]:
        group = self.groups[cue.group]
        cs = cue.start
        if self._is_name(ctx, cs) or self._negated(ctx, cs):
            return []
        if prev is not None and self.groups[prev.group].kind == group.kind and self._modifies(prev, cue) \
                and self._negated(ctx, prev.start):
            return []    # "prevents X from providing military assistance": the object shares the negation
        if group.requires and not self._near_before(ctx, cs, "boosters", self.w_negation):
            return []
        passive = False
        pairs: list[tuple[int, int]] = []
        label = self._label_verb(ctx, cs) if (group.label or group.label_ok) else None
        if label is not None:
            pairs = self._label_pairs(ctx, label)
        elif group.label:
            return []
        else:
            agent = self._by_agent(ctx, cue)
            if agent is not None:
                passive = True
                subject = self._nearest_before(ctx, cs, kind=group.kind, hard=True)
                if subject is None:
                    return []
                pairs = [(s, t) for s in self._group(agent, forward=True)
                         for t in self._group(subject, forward=False)]
            elif not group.stative and self._passive_without_agent(ctx, cue):
                return []
            else:
                pairs = self._active_pairs(ctx, cue, group)
        return self._records(ctx, cue, group, pairs, passive=passive)

    def _active_pairs(self, ctx: _Sentence, cue: _Cue, group: CueGroup) -> list[tuple[int, int]]:
        cs, ce = cue.start, cue.end
        source, possessor = self._source(ctx, cs, group.kind)
        prep, target = self._target(ctx, ce, group, self.takes_ids[cue.group])
        if prep in PAIRWISE_PREPS and target is not None:
            members = self._group(target, forward=True)
            return [(a, b) for i, a in enumerate(members) for b in members[i + 1:]]
        if source in (None, NO_SOURCE):
            return []
        sources = self._group(source, forward=False)
        if target is not None:
            return [(s, t) for s in sources for t in self._group(target, forward=True)]
        if not group.symmetric:
            return []
        if len(sources) >= 2:
            return [(a, b) for i, a in enumerate(sources) for b in sources[i + 1:]]
        if possessor:
            # "China, North Korea's ally": the possessor's partner is the actor before it
            other = self._nearest_before(ctx, self._actors[source].start, kind=group.kind)
            if other is not None:
                return [(other, source)]
        return []

    def _records(self, ctx: _Sentence, cue: _Cue, group: CueGroup,
                 pairs: list[tuple[int, int]], *, passive: bool) -> list[dict]:
        out = []
        if not pairs:
            return out
        idx = self.t.column(IDX)
        cue_start = idx[cue.start]
        cue_end = idx[cue.end - 1] + len(self.text_at(cue.end - 1))
        cue_text = self.full[cue_start:cue_end]
        for s, t in pairs:
            src, tgt = self._actors[s].code, self._actors[t].code
            if src == tgt:
                continue
            out.append({
                "source": src, "target": tgt, "kind": group.kind, "quad": group.quad,
                "cue": cue_text, "weight": group.weight,
                "start_char": ctx.start_char, "end_char": ctx.end_char,
                "cue_start": cue_start, "cue_end": cue_end,
                "negated": False, "passive": passive,
            })
        return out

    # -- source and target ------------------------------------------------------------------------------
    def _source(self, ctx: _Sentence, cs: int, kind: str) -> tuple[int | None, bool]:
        """The cue's subject (actor index, or NO_SOURCE) and whether it is a possessor right before it."""
        i, steps = cs - 1, 0
        lowest, most, breaks, nid, tok2actor = ctx.start, self.w_modifier, ctx.breaks, self.nid, self._tok2actor
        while i >= lowest and steps <= most:
            a = tok2actor.get(i)
            if a is not None:
                if not self._actors[a].place:
                    return a, self._actors[a].possessive
                break
            norm = nid[i]
            if norm in self.possessive_ids:
                i -= 1
                continue
            if norm in self.no_source_ids:
                return NO_SOURCE, False
            alpha, lower, stop, _title = self.flags(i)
            modifier = (alpha and lower and not stop) or norm == _DASH
            if i in breaks or not modifier:
                break
            steps += 1
            i -= 1
        return self._nearest_before(ctx, cs, kind=kind, skip_objects=True), False

    def _target(self, ctx: _Sentence, ce: int, group: CueGroup, takes: frozenset[int]
                ) -> tuple[str | None, int | None]:
        """``(preposition or None, actor index)`` of the cue's target, or ``(None, None)``."""
        if group.direct and ce < ctx.end and self.nid[ce] != _BY:
            a = self._actor_after(ctx, ce, place_ok=group.place_target)
            if a is not None:
                return None, a
        limit = min(ctx.end, ce + self.w_prep)
        for j in range(ce, limit):
            if j in ctx.breaks or ctx.cue_kind.get(j, group.kind) != group.kind:
                break
            if self.nid[j] in takes:
                a = self._actor_after(ctx, j + 1, place_ok=group.place_target)
                if a is not None:
                    return self.norm(j), a
        return None, None

    def _actor_after(self, ctx: _Sentence, pos: int, *, place_ok: bool) -> int | None:
        """The actor starting within a few filler words after ``pos`` (not "on X's side")."""
        j, skipped = pos, 0
        while j < ctx.end and skipped <= self.w_filler:
            a = self._tok2actor.get(j)
            if a is not None:
                actor = self._actors[a]
                if actor.place and not place_ok:
                    return None
                if actor.possessive and actor.end + 1 < self.n and self.nid[actor.end + 1] in self.side_ids:
                    return None
                return a
            if not (self.nid[j] in self.fillers_ids or self.flags(j)[3]):
                return None
            skipped += 1
            j += 1
        return None

    def _nearest_before(self, ctx: _Sentence, pos: int, *, kind: str, hard: bool = False,
                        skip_objects: bool = False) -> int | None:
        """The nearest actor (not a place) before ``pos`` in its clause.

        Comma-delimited insertions without actors are stepped over ("troops from North Korea,
        with many more to come, are fighting"); with ``skip_objects`` an actor governed by a
        preposition ("against Russia") is passed by.
        """
        breaks = ctx.hard_breaks if hard else ctx.breaks
        lowest = max(ctx.start, pos - self.w_source)
        i = pos - 1
        while i >= lowest:
            if i in breaks:
                i = self._skip_insertion(ctx, i)
                if i is None:
                    return None
                continue
            a = self._tok2actor.get(i)
            if a is not None:
                actor = self._actors[a]
                if not actor.place and not (skip_objects and self._prep_object(ctx, actor)):
                    return a
                i = actor.start
            i -= 1
        return None

    def _skip_insertion(self, ctx: _Sentence, comma: int) -> int | None:
        """Index before a ", insertion," that holds no actor and closes at ``comma``, else None."""
        if self.nid[comma] != _COMMA:
            return None
        for p in range(comma - 1, max(ctx.start, comma - 12) - 1, -1):
            if p in self._tok2actor:
                return None
            if p in ctx.breaks:
                if self.nid[p] != _COMMA or p - 1 < ctx.start or self.nid[comma + 1] in self.and_or_but_ids:
                    return None
                return p - 1
        return None

    def _prep_object(self, ctx: _Sentence, actor: _Actor) -> bool:
        """True for "with Iran", "against the Kremlin" (not for possessors: "against Russia's plan")."""
        if actor.possessive:
            return False
        i = actor.start - 1
        while i >= ctx.start and self.nid[i] in self.fillers_ids:
            i -= 1
        return i >= ctx.start and self.nid[i] in self.object_preps_ids

    def _group(self, a: int, *, forward: bool) -> list[int]:
        """``a`` and the actors coordinated with it ("China, Russia and North Korea").

        Forwards, a comma-joined actor only counts once an "and" / "or" closes the list
        ("Russia, North Korea was ..." is not a list; "Russia, Iran and China" is).
        """
        members, pending = [a], []
        place = self._actors[a].place
        cur = a
        while True:
            nxt, closing = self._coordinated(cur, forward=forward)
            if nxt is None or self._actors[nxt].place != place:
                break
            if forward and not closing:
                pending.append(nxt)
            else:
                members.extend(pending)
                members.append(nxt)
                pending = []
                if forward:
                    break
            cur = nxt
        return members

    def _coordinated(self, a: int, *, forward: bool) -> tuple[int | None, bool]:
        """The next actor joined to ``a`` and whether an "and" / "or" joined it."""
        actor = self._actors[a]
        step = 1 if forward else -1
        i = actor.end if forward else actor.start - 1
        joined = closing = False
        for _ in range(6):
            if not 0 <= i < self.n:
                break
            b = self._tok2actor.get(i)
            if b is not None and b != a:
                return (b, closing) if joined else (None, False)
            norm = self.nid[i]
            if norm == _DASH and not self._hyphen(i):
                break
            if norm in self.joiners_ids:
                joined = True
                closing = closing or norm in self.closing_ids
            elif not (norm in self.coordinators_ids or norm in self.role_words_ids or self.flags(i)[3]):
                break
            i += step
        return None, False

    # -- voice, labels, negation ------------------------------------------------------------------
    def _modifies(self, prev: _Cue, cue: _Cue) -> bool:
        """True when only a few modifiers stand between two cues ("providing overt military aid")."""
        gap = range(prev.end, cue.start)
        return len(gap) <= self.w_modifier and all(
            self.flags(i)[0] and self.flags(i)[1] for i in gap)

    def _is_participle(self, i: int) -> bool:
        orth = self.t.orth[i]
        found = self.participle_of.get(orth)
        if found is None:       # a property of the word's lower case (its lexeme's): kept across docs
            if len(self.participle_of) > CACHE_LIMIT:
                self.participle_of.clear()
            low = self.t.strings[self.t.doc.vocab[orth].lower]
            found = self.participle_of[orth] = low.endswith(("ed", "en")) or low in self.participles
        return found

    def _by_agent(self, ctx: _Sentence, cue: _Cue) -> int | None:
        """The by-agent of a passive cue ("supplied by North Korea"), else None."""
        if not self._is_participle(cue.start):
            return None
        for j in range(cue.end, min(ctx.end, cue.end + self.w_by_agent + 1)):
            if self.nid[j] == _BY:
                return self._actor_after(ctx, j + 1, place_ok=False)
            if j in ctx.breaks:
                return None
        return None

    def _passive_without_agent(self, ctx: _Sentence, cue: _Cue) -> bool:
        if not self._is_participle(cue.start):
            return False
        for j in range(cue.start - 1, max(ctx.start, cue.start - 3) - 1, -1):
            if self.nid[j] in self.passive_aux_ids:
                return True
            alpha, lower, _stop, _title = self.flags(j)
            if not (alpha and lower):
                return False
        return False

    def _label_verb(self, ctx: _Sentence, cs: int) -> int | None:
        """Token index of a labelling verb before the cue in its clause ("described ... as")."""
        for i in range(cs - 1, max(ctx.start, cs - 12) - 1, -1):
            if i in ctx.hard_breaks:
                return None
            if i in self._marks["label_verbs"]:
                return i
        return None

    def _label_pairs(self, ctx: _Sentence, verb: int) -> list[tuple[int, int]]:
        end = self._marks["label_verbs"][verb]
        if end < ctx.end and self.nid[end] == _BY:           # "seen by the West as a pariah"
            agent = self._actor_after(ctx, end + 1, place_ok=False)
            labelled = self._nearest_before(ctx, verb, kind="conflict", hard=True)
            if agent is None or labelled is None:
                return []
            return [(s, t) for s in self._group(agent, forward=True)
                    for t in self._group(labelled, forward=False)]
        target = self._actor_after(ctx, end, place_ok=False)
        if target is None:
            return []
        clause_start = max([b for b in ctx.hard_breaks if b < verb], default=ctx.start - 1) + 1
        first = bisect_left(self._actor_starts, clause_start)
        last = bisect_left(self._actor_starts, verb)
        source = next((a for a in range(first, last) if not self._actors[a].place), None)
        if source is None:
            return []
        return [(s, t) for s in self._group(source, forward=True)
                for t in self._group(target, forward=True)]

    def _near_before(self, ctx: _Sentence, cs: int, key: str, window: int) -> int | None:
        """Start of a ``key`` marker ending within ``window`` tokens before ``cs``, same clause."""
        starts = self._mark_starts[key]
        hi = bisect_left(starts, cs)
        if not hi:
            return None
        lowest = cs - window if cs - window > ctx.start else ctx.start
        for s in reversed(starts[bisect_left(starts, lowest, 0, hi):hi]):
            if self._marks[key][s] <= cs and not any(b in ctx.breaks for b in range(s + 1, cs)):
                return s
        return None

    def _negated(self, ctx: _Sentence, cs: int) -> bool:
        neg = self._near_before(ctx, cs, "negators", self.w_negation)
        if neg is not None and neg not in self._marks["negator_exceptions"]:
            return True
        return self._near_before(ctx, cs, "blockers", self.w_blocker) is not None

    def _is_name(self, ctx: _Sentence, cs: int) -> bool:
        """A capitalised cue inside a name ("Multilateral Sanctions Monitoring Team")."""
        if cs <= ctx.start or not self.flags(cs)[3]:
            return False
        return self.flags(cs - 1)[3] and cs - 1 not in self._tok2actor and cs - 1 > ctx.start


@Language.factory(
    "expert_lens_relations",
    default_config={"rules": RULES_FILE},
    assigns=["doc._.relations"],
)
def make_relations(nlp: Language, name: str, rules: str) -> RelationFinder:
    """Create the relations component (rules from ``analysis/rules/<rules>``)."""
    return RelationFinder(nlp, name, rules=rules)
