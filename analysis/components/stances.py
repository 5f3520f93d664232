"""Stances: each claim matched to the codebook's questions and given yes / no / mixed.

Reads ``doc._.claims`` (the claims component) and the codebook
(:mod:`analysis.codebook`, ``analysis/rules/codebook.yaml`` or
``$EXPERT_LENS_CODEBOOK``); writes ``doc._.stances``: one dict per (claim,
question) with ``claim`` (index into ``doc._.claims``), ``question_id``,
``stance`` and ``cue`` (the deciding cue, "negator … cue" when a negation
flipped it). A claim whose sentence reports a view in order to distance the
speaker from it ("It is generally believed that ...") gets no stance, and its
claim dict is set to ``held = False``. The decision rules are documented at the
top of the codebook file.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from analysis.codebook import Codebook, load_codebook

SHARED = ("reported_view_cues", "negators", "negator_exceptions", "scope_negators",
          "scope_breaks", "clause_breaks", "conditionals")
CONDITION_REACH = 4     # "if the West does not": a negator this close after "if" states a condition
QUESTION_END = frozenset({'"', "”", "’", "'", ")", "]"})


@dataclass(frozen=True)
class _Cue:
    start: int
    end: int
    polarity: str       # yes | no | mixed


class _Matches:
    """Every codebook phrase found in one doc: key -> sorted (start, end) list."""

    def __init__(self, found: dict[str, list[tuple[int, int]]]) -> None:
        self.found = {k: sorted(v) for k, v in found.items()}
        self.starts = {k: [s for s, _ in v] for k, v in self.found.items()}

    def within(self, key: str, start: int, end: int) -> list[tuple[int, int]]:
        """Matches of ``key`` that start in ``[start, end)``."""
        starts = self.starts.get(key)
        if not starts:
            return []
        return self.found[key][bisect_left(starts, start):bisect_left(starts, end)]

    def any_within(self, key: str, start: int, end: int) -> bool:
        starts = self.starts.get(key)
        return bool(starts) and bisect_left(starts, start) < bisect_left(starts, end)


class StanceFinder:
    """The ``expert_lens_stances`` component: claims x codebook questions -> ``doc._.stances``."""

    def __init__(self, nlp: Language, name: str, *, codebook: str = "") -> None:
        self.codebook: Codebook = load_codebook(codebook or None)
        cb = self.codebook
        self.by_norm = PhraseMatcher(nlp.vocab, attr="NORM")
        self.by_orth = PhraseMatcher(nlp.vocab, attr="ORTH")   # "US", "PRC": case matters
        for key in SHARED:
            self._add(nlp, key, getattr(cb, key))
        for qi, q in enumerate(cb.questions):
            for gi, group in enumerate(q.relevant):
                self._add(nlp, f"{qi}|rel|{gi}", group)
            for polarity in ("yes", "no", "mixed"):
                self._add(nlp, f"{qi}|{polarity}", getattr(q, polarity))

    def _add(self, nlp: Language, key: str, phrases: tuple[str, ...]) -> None:
        exact = [p for p in phrases if any(len(w) > 1 and w.isupper() for w in p.split())]
        folded = [p for p in phrases if p not in exact]
        if folded:
            self.by_norm.add(key, list(nlp.tokenizer.pipe(folded)))
        if exact:
            self.by_orth.add(key, list(nlp.tokenizer.pipe(exact)))

    # -- find then write ------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        """Give every claim of ``doc`` its stances and write them to ``doc._.stances``."""
        stances, unheld = self.match(doc)
        self.set_annotations(doc, stances, unheld)
        return doc

    def match(self, doc: Doc) -> tuple[list[dict], list[int]]:
        """Return the stance records and the indices of claims that report a view they do not hold."""
        claims = doc._.claims or []
        if not claims:
            return [], []
        found: dict[str, list[tuple[int, int]]] = {}
        for matcher in (self.by_norm, self.by_orth):
            for key_id, s, e in matcher(doc):
                found.setdefault(doc.vocab.strings[key_id], []).append((s, e))
        m = _Matches(found)
        stances: list[dict] = []
        unheld: list[int] = []
        for ci, claim in enumerate(claims):
            if claim.get("held") is False:
                continue
            span = self._span(doc, claim)
            if span is None:
                continue
            if self.codebook.skip_questions and self._asks(span):
                continue
            if m.any_within("reported_view_cues", span.start, span.end):
                unheld.append(ci)
                continue
            for qi, q in enumerate(self.codebook.questions):
                if not all(m.any_within(f"{qi}|rel|{gi}", span.start, span.end)
                           for gi in range(len(q.relevant))):
                    continue
                decided = self._decide(doc, m, qi, span)
                if decided:
                    stances.append({"claim": ci, "question_id": q.id, "stance": decided[0],
                                    "cue": decided[1]})
        return stances, unheld

    def set_annotations(self, doc: Doc, stances: list[dict], unheld: list[int]) -> None:
        """Write ``doc._.stances`` and mark reported-view claims ``held = False``."""
        for ci in unheld:
            doc._.claims[ci]["held"] = False
        doc._.stances = stances

    # -- deciding one claim on one question --------------------------------------------------------
    @staticmethod
    def _asks(span: Span) -> bool:
        """True when the span's last word-like token is a question mark (closing quotes skipped)."""
        for i in range(len(span) - 1, -1, -1):
            text = span[i].text
            if not (span[i].is_space or text in QUESTION_END):
                return text.endswith("?")
        return False

    @staticmethod
    def _span(doc: Doc, claim: dict) -> Span | None:
        start = claim.get("start_char", claim.get("sent_start"))
        end = claim.get("end_char", claim.get("sent_end"))
        if start is None or end is None:
            return None
        return doc.char_span(int(start), int(end), alignment_mode="expand")

    def _cues(self, m: _Matches, qi: int, span: Span) -> list[_Cue]:
        """The question's cues in the span, overlaps resolved longest-first."""
        cues = [_Cue(s, e, p) for p in ("yes", "no", "mixed")
                for s, e in m.within(f"{qi}|{p}", span.start, span.end) if e <= span.end]
        taken: set[int] = set()
        kept = []
        for cue in sorted(cues, key=lambda c: (c.start - c.end, c.start)):
            if taken.isdisjoint(range(cue.start, cue.end)):
                kept.append(cue)
                taken.update(range(cue.start, cue.end))
        return sorted(kept, key=lambda c: c.start)

    def _decide(self, doc: Doc, m: _Matches, qi: int, span: Span) -> tuple[str, str] | None:
        cues = self._cues(m, qi, span)
        if not cues:
            return None
        readings = []
        for cue in cues:
            polarity, text = cue.polarity, doc[cue.start:cue.end].text
            if polarity != "mixed":
                negator = self._negator(doc, m, span, cue)
                if negator is not None:
                    polarity = "no" if polarity == "yes" else "yes"
                    text = f"{doc[negator[0]:negator[1]].text} … {text}"
            readings.append((polarity, text))
        mixed = [t for p, t in readings if p == "mixed"]
        if mixed:
            return "mixed", mixed[0]
        yes = [t for p, t in readings if p == "yes"]
        no = [t for p, t in readings if p == "no"]
        if yes and no:
            return "mixed", f"{yes[0]} / {no[0]}"
        return ("yes", yes[0]) if yes else ("no", no[0])

    def _negator(self, doc: Doc, m: _Matches, span: Span, cue: _Cue) -> tuple[int, int] | None:
        """The (start, end) of the negation that flips ``cue``, or None (two negations cancel)."""
        scopes = [(s, e) for s, e in m.within("scope_negators", span.start, cue.start)
                  if e <= cue.start and not m.any_within("scope_breaks", e, cue.start)]
        scope = scopes[-1] if scopes else None
        inside_scope = {i for s, e in scopes for i in range(s, e)}
        local = None
        window_start = max(span.start, cue.start - self.codebook.negation_window)
        for s, e in reversed(m.within("negators", window_start, cue.start)):
            if s in inside_scope or e > cue.start or m.any_within("negator_exceptions", s, s + 1):
                continue
            if m.any_within("conditionals", max(span.start, s - CONDITION_REACH), s):
                break
            if m.any_within("clause_breaks", e, cue.start):
                continue
            local = (s, e)
            break
        if scope and local:
            return None
        return scope or local


@Language.factory(
    "expert_lens_stances",
    default_config={"codebook": ""},
    assigns=["doc._.stances"],
)
def make_stances(nlp: Language, name: str, codebook: str) -> StanceFinder:
    """Create the stances component (``codebook``: a file path; empty = default / env var)."""
    return StanceFinder(nlp, name, codebook=codebook)
