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
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

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


@dataclass(frozen=True)
class _Actor:
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
        for i, (_group, words, verb_object) in enumerate(groups):
            key = f"cue{i}"
            if verb_object:
                for role in ("verb", "object"):
                    phrases = _words(verb_object.get(f"{role}s"), f"{key} {role}s")
                    self.movers.add(f"{key}:{role}", list(nlp.tokenizer.pipe(phrases)))
                self.max_gap[key] = int(verb_object.get("max_gap", 3))
            else:
                self.cues.add(key, list(nlp.tokenizer.pipe(words)))
        self.markers = PhraseMatcher(nlp.vocab, attr="NORM")
        for key in MARKERS:
            self.markers.add(key, list(nlp.tokenizer.pipe(_words(raw.get(key) or ["-"], key))))
        self.markers.add("commas", [nlp.make_doc(",")])
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

    def _mover_matches(self, doc: Doc) -> list[tuple[str, int, int]]:
        """``(key, start, end)`` for a moving verb and the object it moves ("sent 1,000 troops")."""
        verbs: list[tuple[str, int, int]] = []
        objects: dict[str, list[tuple[int, int]]] = {}
        for key_id, s, e in self.movers(doc):
            key, role = doc.vocab.strings[key_id].split(":")
            if role == "verb":
                verbs.append((key, s, e))
            else:
                objects.setdefault(key, []).append((s, e))
        out = []
        for key, s, e in verbs:
            for os_, oe in objects.get(key, ()):
                if e <= os_ <= e + self.max_gap[key] and not any(doc[i].is_punct for i in range(e, os_)):
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
        raw = [Span(doc, s, e, label=k) for k, s, e in self.cues(doc)]
        raw.extend(Span(doc, s, e, label=k) for k, s, e in self._mover_matches(doc))
        if not raw or not doc.spans.get("actors"):
            return []
        return _Reader(self, doc).read(sorted(filter_spans(raw), key=lambda sp: sp.start))

    def set_annotations(self, doc: Doc, relations: list[dict]) -> None:
        """Write the relation records to ``doc._.relations``."""
        doc._.relations = relations


class _Reader:
    """Reads one doc with the finder's rules (per-doc state lives here, not on the component)."""

    def __init__(self, rules: RelationFinder, doc: Doc) -> None:
        for name in ("win", "groups", "markers", "coordinators", "role_words", "fillers", "no_source",
                     "passive_aux", "participles", "side", "object_preps"):
            setattr(self, name, getattr(rules, name))
        self._doc_setup(doc)
        self.doc = doc

    def read(self, cues: list[Span]) -> list[dict]:
        """Relations of every sentence that holds a cue and at least two actor mentions."""
        doc = self.doc
        found: list[dict] = []
        sents = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
        starts = [s.start for s in sents]
        by_sent: dict[int, list[Span]] = {}
        for cue in cues:
            by_sent.setdefault(bisect_left(starts, cue.start + 1) - 1, []).append(cue)
        for si, sent_cues in by_sent.items():
            sent = sents[si]
            if bisect_left(self._actor_starts, sent.end) - bisect_left(self._actor_starts, sent.start) < 2:
                continue
            ctx = self._sentence(doc, sent, sent_cues)
            best: dict[tuple[frozenset[str], str], dict] = {}
            for k, cue in enumerate(sent_cues):
                prev = sent_cues[k - 1] if k else None
                for rec in self._relations(doc, ctx, cue, prev):
                    key = (frozenset((rec["source"], rec["target"])), rec["kind"])
                    if key not in best or rec["weight"] > best[key]["weight"]:
                        best[key] = rec
            found.extend(best.values())
        return found

    # -- per document -----------------------------------------------------------------------------
    def _doc_setup(self, doc: Doc) -> None:
        actors = []
        for span in sorted(doc.spans["actors"], key=lambda s: s.start):
            nxt = doc[span.end].norm_ if span.end < len(doc) else ""
            actors.append(_Actor(span.start, span.end, span.label_, bool(span._.place), nxt in POSSESSIVE))
        self._actors = actors
        self._actor_starts = [a.start for a in actors]
        self._tok2actor = {i: k for k, a in enumerate(actors) for i in range(a.start, a.end)}
        self._marks: dict[str, dict[int, int]] = {key: {} for key in (*MARKERS, "commas")}
        for key_id, s, e in self.markers(doc):
            key = doc.vocab.strings[key_id]
            self._marks[key][s] = max(e, self._marks[key].get(s, e))
        self._mark_starts = {key: sorted(marks) for key, marks in self._marks.items()}

    def _marks_in(self, key: str, start: int, end: int) -> list[int]:
        starts = self._mark_starts[key]
        return starts[bisect_left(starts, start):bisect_left(starts, end)]

    def _sentence(self, doc: Doc, sent: Span, cues: list[Span]) -> _Sentence:
        hard = {i for i in self._marks_in("clause_breaks", sent.start, sent.end) if not self._hyphen(doc, i)}
        breaks = set(hard)
        breaks.update(i for i in self._marks_in("commas", sent.start, sent.end)
                      if not self._list_comma(doc, i, sent))
        kinds = {i: self._group_of(cue).kind for cue in cues for i in range(cue.start, cue.end)}
        return _Sentence(sent.start, sent.end, breaks, hard, kinds)

    @staticmethod
    def _hyphen(doc: Doc, i: int) -> bool:
        """A word-internal hyphen ("full-scale"): NORM folds it together with the dashes."""
        tok = doc[i]
        return tok.text == "-" and not tok.whitespace_ and i > 0 and not doc[i - 1].whitespace_

    def _group_of(self, cue: Span) -> CueGroup:
        return self.groups[int(cue.label_[3:])]

    def _list_comma(self, doc: Doc, i: int, sent: Span) -> bool:
        """A comma between two actors ("China, Russia and Iran"; "China, North Korea's ally")."""
        prev = i - 1
        while prev >= sent.start and doc[prev].norm_ in {")", "]", "'s", "'"}:
            prev -= 1
        nxt = i + 1
        while nxt < sent.end and doc[nxt].norm_ in {"and", "or", "the"}:
            nxt += 1
        return prev in self._tok2actor and nxt in self._tok2actor

    # -- per cue ------------------------------------------------------------------------------------
    def _relations(self, doc: Doc, ctx: _Sentence, cue: Span, prev: Span | None) -> list[dict]:
        group = self._group_of(cue)
        cs = cue.start
        if self._is_name(doc, ctx, cs) or self._negated(doc, ctx, cs):
            return []
        if prev is not None and self._group_of(prev).kind == group.kind and self._modifies(doc, prev, cue) \
                and self._negated(doc, ctx, prev.start):
            return []    # "prevents X from providing military assistance": the object shares the negation
        if group.requires and not self._near_before(ctx, cs, "boosters", self.win.get("negation", 4)):
            return []
        passive = False
        pairs: list[tuple[int, int]] = []
        label = self._label_verb(doc, ctx, cs) if (group.label or group.label_ok) else None
        if label is not None:
            pairs = self._label_pairs(doc, ctx, label)
        elif group.label:
            return []
        else:
            agent = self._by_agent(doc, ctx, cue)
            if agent is not None:
                passive = True
                subject = self._nearest_before(doc, ctx, cs, kind=group.kind, hard=True)
                if subject is None:
                    return []
                pairs = [(s, t) for s in self._group(doc, agent, forward=True)
                         for t in self._group(doc, subject, forward=False)]
            elif not group.stative and self._passive_without_agent(doc, ctx, cue):
                return []
            else:
                pairs = self._active_pairs(doc, ctx, cue, group)
        return self._records(doc, ctx, cue, group, pairs, passive=passive)

    def _active_pairs(self, doc: Doc, ctx: _Sentence, cue: Span, group: CueGroup) -> list[tuple[int, int]]:
        cs, ce = cue.start, cue.end
        source, possessor = self._source(doc, ctx, cs, group.kind)
        prep, target = self._target(doc, ctx, ce, group)
        if prep in PAIRWISE_PREPS and target is not None:
            members = self._group(doc, target, forward=True)
            return [(a, b) for i, a in enumerate(members) for b in members[i + 1:]]
        if source in (None, NO_SOURCE):
            return []
        sources = self._group(doc, source, forward=False)
        if target is not None:
            return [(s, t) for s in sources for t in self._group(doc, target, forward=True)]
        if not group.symmetric:
            return []
        if len(sources) >= 2:
            return [(a, b) for i, a in enumerate(sources) for b in sources[i + 1:]]
        if possessor:
            # "China, North Korea's ally": the possessor's partner is the actor before it
            other = self._nearest_before(doc, ctx, self._actors[source].start, kind=group.kind)
            if other is not None:
                return [(other, source)]
        return []

    def _records(self, doc: Doc, ctx: _Sentence, cue: Span, group: CueGroup,
                 pairs: list[tuple[int, int]], *, passive: bool) -> list[dict]:
        out = []
        for s, t in pairs:
            src, tgt = self._actors[s].code, self._actors[t].code
            if src == tgt:
                continue
            out.append({
                "source": src, "target": tgt, "kind": group.kind, "quad": group.quad,
                "cue": cue.text, "weight": group.weight,
                "start_char": doc[ctx.start].idx, "end_char": doc[ctx.end - 1].idx + len(doc[ctx.end - 1]),
                "cue_start": cue.start_char, "cue_end": cue.end_char,
                "negated": False, "passive": passive,
            })
        return out

    # -- source and target ------------------------------------------------------------------------------
    def _source(self, doc: Doc, ctx: _Sentence, cs: int, kind: str) -> tuple[int | None, bool]:
        """The cue's subject (actor index, or NO_SOURCE) and whether it is a possessor right before it."""
        i, steps = cs - 1, 0
        while i >= ctx.start and steps <= self.win.get("modifier", 4):
            a = self._tok2actor.get(i)
            if a is not None:
                if not self._actors[a].place:
                    return a, self._actors[a].possessive
                break
            tok = doc[i]
            if tok.norm_ in POSSESSIVE:
                i -= 1
                continue
            if tok.norm_ in self.no_source:
                return NO_SOURCE, False
            modifier = (tok.is_alpha and tok.is_lower and not tok.is_stop) or tok.norm_ == "-"
            if i in ctx.breaks or not modifier:
                break
            steps += 1
            i -= 1
        return self._nearest_before(doc, ctx, cs, kind=kind, skip_objects=True), False

    def _target(self, doc: Doc, ctx: _Sentence, ce: int, group: CueGroup) -> tuple[str | None, int | None]:
        """``(preposition or None, actor index)`` of the cue's target, or ``(None, None)``."""
        if group.direct and ce < ctx.end and doc[ce].norm_ not in {"by"}:
            a = self._actor_after(doc, ctx, ce, place_ok=group.place_target)
            if a is not None:
                return None, a
        limit = min(ctx.end, ce + self.win.get("prep", 8))
        for j in range(ce, limit):
            if j in ctx.breaks or ctx.cue_kind.get(j, group.kind) != group.kind:
                break
            norm = doc[j].norm_
            if norm in group.takes:
                a = self._actor_after(doc, ctx, j + 1, place_ok=group.place_target)
                if a is not None:
                    return norm, a
        return None, None

    def _actor_after(self, doc: Doc, ctx: _Sentence, pos: int, *, place_ok: bool) -> int | None:
        """The actor starting within a few filler words after ``pos`` (not "on X's side")."""
        j, skipped = pos, 0
        while j < ctx.end and skipped <= self.win.get("filler", 3):
            a = self._tok2actor.get(j)
            if a is not None:
                actor = self._actors[a]
                if actor.place and not place_ok:
                    return None
                if actor.possessive and actor.end + 1 < len(doc) and doc[actor.end + 1].norm_ in self.side:
                    return None
                return a
            tok = doc[j]
            if not (tok.norm_ in self.fillers or tok.is_title):
                return None
            skipped += 1
            j += 1
        return None

    def _nearest_before(self, doc: Doc, ctx: _Sentence, pos: int, *, kind: str, hard: bool = False,
                        skip_objects: bool = False) -> int | None:
        """The nearest actor (not a place) before ``pos`` in its clause.

        Comma-delimited insertions without actors are stepped over ("troops from North Korea,
        with many more to come, are fighting"); with ``skip_objects`` an actor governed by a
        preposition ("against Russia") is passed by.
        """
        breaks = ctx.hard_breaks if hard else ctx.breaks
        lowest = max(ctx.start, pos - self.win.get("source", 25))
        i = pos - 1
        while i >= lowest:
            if i in breaks:
                i = self._skip_insertion(doc, ctx, i)
                if i is None:
                    return None
                continue
            a = self._tok2actor.get(i)
            if a is not None:
                actor = self._actors[a]
                if not actor.place and not (skip_objects and self._prep_object(doc, ctx, actor)):
                    return a
                i = actor.start
            i -= 1
        return None

    def _skip_insertion(self, doc: Doc, ctx: _Sentence, comma: int) -> int | None:
        """Index before a ", insertion," that holds no actor and closes at ``comma``, else None."""
        if doc[comma].norm_ != ",":
            return None
        for p in range(comma - 1, max(ctx.start, comma - 12) - 1, -1):
            if p in self._tok2actor:
                return None
            if p in ctx.breaks:
                if doc[p].norm_ != "," or p - 1 < ctx.start or doc[comma + 1].norm_ in {"and", "or", "but"}:
                    return None
                return p - 1
        return None

    def _prep_object(self, doc: Doc, ctx: _Sentence, actor: _Actor) -> bool:
        """True for "with Iran", "against the Kremlin" (not for possessors: "against Russia's plan")."""
        if actor.possessive:
            return False
        i = actor.start - 1
        while i >= ctx.start and doc[i].norm_ in self.fillers:
            i -= 1
        return i >= ctx.start and doc[i].norm_ in self.object_preps

    def _group(self, doc: Doc, a: int, *, forward: bool) -> list[int]:
        """``a`` and the actors coordinated with it ("China, Russia and North Korea").

        Forwards, a comma-joined actor only counts once an "and" / "or" closes the list
        ("Russia, North Korea was ..." is not a list; "Russia, Iran and China" is).
        """
        members, pending = [a], []
        place = self._actors[a].place
        cur = a
        while True:
            nxt, closing = self._coordinated(doc, cur, forward=forward)
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

    def _coordinated(self, doc: Doc, a: int, *, forward: bool) -> tuple[int | None, bool]:
        """The next actor joined to ``a`` and whether an "and" / "or" joined it."""
        actor = self._actors[a]
        step = 1 if forward else -1
        i = actor.end if forward else actor.start - 1
        joined = closing = False
        for _ in range(6):
            if not 0 <= i < len(doc):
                break
            b = self._tok2actor.get(i)
            if b is not None and b != a:
                return (b, closing) if joined else (None, False)
            tok = doc[i]
            if tok.norm_ == "-" and not self._hyphen(doc, i):
                break
            if tok.norm_ in LIST_JOINERS:
                joined = True
                closing = closing or tok.norm_ in {"and", "or", "nor", "&"}
            elif not (tok.norm_ in self.coordinators or tok.norm_ in self.role_words or tok.is_title):
                break
            i += step
        return None, False

    # -- voice, labels, negation ------------------------------------------------------------------
    def _modifies(self, doc: Doc, prev: Span, cue: Span) -> bool:
        """True when only a few modifiers stand between two cues ("providing overt military aid")."""
        gap = range(prev.end, cue.start)
        return len(gap) <= self.win.get("modifier", 4) and all(
            doc[i].is_alpha and doc[i].is_lower for i in gap)

    def _is_participle(self, tok: Any) -> bool:
        low = tok.lower_
        return low.endswith(("ed", "en")) or low in self.participles

    def _by_agent(self, doc: Doc, ctx: _Sentence, cue: Span) -> int | None:
        """The by-agent of a passive cue ("supplied by North Korea"), else None."""
        if not self._is_participle(cue[0]):
            return None
        for j in range(cue.end, min(ctx.end, cue.end + self.win.get("by_agent", 2) + 1)):
            if doc[j].norm_ == "by":
                return self._actor_after(doc, ctx, j + 1, place_ok=False)
            if j in ctx.breaks:
                return None
        return None

    def _passive_without_agent(self, doc: Doc, ctx: _Sentence, cue: Span) -> bool:
        if not self._is_participle(cue[0]):
            return False
        for j in range(cue.start - 1, max(ctx.start, cue.start - 3) - 1, -1):
            norm = doc[j].norm_
            if norm in self.passive_aux:
                return True
            if not (doc[j].is_alpha and doc[j].is_lower):
                return False
        return False

    def _label_verb(self, doc: Doc, ctx: _Sentence, cs: int) -> int | None:
        """Token index of a labelling verb before the cue in its clause ("described ... as")."""
        for i in range(cs - 1, max(ctx.start, cs - 12) - 1, -1):
            if i in ctx.hard_breaks:
                return None
            if i in self._marks["label_verbs"]:
                return i
        return None

    def _label_pairs(self, doc: Doc, ctx: _Sentence, verb: int) -> list[tuple[int, int]]:
        end = self._marks["label_verbs"][verb]
        if end < ctx.end and doc[end].norm_ == "by":           # "seen by the West as a pariah"
            agent = self._actor_after(doc, ctx, end + 1, place_ok=False)
            labelled = self._nearest_before(doc, ctx, verb, kind="conflict", hard=True)
            if agent is None or labelled is None:
                return []
            return [(s, t) for s in self._group(doc, agent, forward=True)
                    for t in self._group(doc, labelled, forward=False)]
        target = self._actor_after(doc, ctx, end, place_ok=False)
        if target is None:
            return []
        clause_start = max([b for b in ctx.hard_breaks if b < verb], default=ctx.start - 1) + 1
        first = bisect_left(self._actor_starts, clause_start)
        last = bisect_left(self._actor_starts, verb)
        source = next((a for a in range(first, last) if not self._actors[a].place), None)
        if source is None:
            return []
        return [(s, t) for s in self._group(doc, source, forward=True)
                for t in self._group(doc, target, forward=True)]

    def _near_before(self, ctx: _Sentence, cs: int, key: str, window: int) -> int | None:
        """Start of a ``key`` marker ending within ``window`` tokens before ``cs``, same clause."""
        for s in reversed(self._marks_in(key, max(ctx.start, cs - window), cs)):
            if self._marks[key][s] <= cs and not any(b in ctx.breaks for b in range(s + 1, cs)):
                return s
        return None

    def _negated(self, doc: Doc, ctx: _Sentence, cs: int) -> bool:
        neg = self._near_before(ctx, cs, "negators", self.win.get("negation", 4))
        if neg is not None and neg not in self._marks["negator_exceptions"]:
            return True
        return self._near_before(ctx, cs, "blockers", self.win.get("blocker", 2)) is not None

    def _is_name(self, doc: Doc, ctx: _Sentence, cs: int) -> bool:
        """A capitalised cue inside a name ("Multilateral Sanctions Monitoring Team")."""
        if cs <= ctx.start or not doc[cs].is_title:
            return False
        prev = doc[cs - 1]
        return prev.is_title and cs - 1 not in self._tok2actor and cs - 1 > ctx.start


@Language.factory(
    "expert_lens_relations",
    default_config={"rules": RULES_FILE},
    assigns=["doc._.relations"],
)
def make_relations(nlp: Language, name: str, rules: str) -> RelationFinder:
    """Create the relations component (rules from ``analysis/rules/<rules>``)."""
    return RelationFinder(nlp, name, rules=rules)
