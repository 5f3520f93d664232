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

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from spacy.attrs import IDX, IS_SPACE
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from analysis.codebook import Codebook, load_codebook
from analysis.extensions import CharSpans, TokenView, doc_text

SHARED = ("reported_view_cues", "negators", "negator_exceptions", "scope_negators",
          "scope_breaks", "clause_breaks", "conditionals")
CONDITION_REACH = 4     # "if the West does not": a negator this close after "if" states a condition
QUESTION_END = frozenset({'"', "”", "’", "'", ")", "]"})


@dataclass(frozen=True)
class _Cue:
    start: int
    end: int
    polarity: str       # yes | no | mixed


class _ClaimTokens(TokenView):
    """Token texts of one Doc from arrays (no Token or Span objects)."""

    def span_text(self, start: int, end: int) -> str:
        """``doc[start:end].text``."""
        if start >= end:
            return ""
        idx = self.column(IDX)
        return doc_text(self.doc)[idx[start]:idx[end - 1] + len(self.text(end - 1))]


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
        self.rel_keys = [[f"{qi}|rel|{gi}" for gi in range(len(q.relevant))] for qi, q in enumerate(cb.questions)]
        self.polarity_keys = [[(p, f"{qi}|{p}") for p in ("yes", "no", "mixed")] for qi in range(len(cb.questions))]

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
        by_id: dict[int, list[tuple[int, int]]] = {}
        for matcher in (self.by_norm, self.by_orth):
            for key_id, s, e in matcher(doc):
                found = by_id.get(key_id)
                if found is None:
                    found = by_id[key_id] = []
                found.append((s, e))
        strings = doc.vocab.strings
        m = _Matches({strings[key_id]: found for key_id, found in by_id.items()})
        toks = _ClaimTokens(doc)
        char_spans = CharSpans(doc)
        questions = self.codebook.questions
        # per question, the match starts of each of its relevant groups
        relevant = [[m.starts.get(key, ()) for key in keys] for keys in self.rel_keys]
        unheld: list[int] = []
        asked: list[tuple[int, int, int]] = []      # (claim index, start, end) of the claims to decide
        for ci, claim in enumerate(claims):
            if claim.get("held") is False:
                continue
            span = self._span(char_spans, claim)
            if span is None:
                continue
            start, end = span
            if self.codebook.skip_questions and self._asks(toks, start, end):
                continue
            if m.any_within("reported_view_cues", start, end):
                unheld.append(ci)
                continue
            asked.append((ci, start, end))
        stances: list[dict] = []
        for (ci, start, end), qis in zip(asked, _questions_per_claim(asked, relevant), strict=True):
            for qi in qis:
                decided = self._decide(toks, m, qi, (start, end))
                if decided:
                    stances.append({"claim": ci, "question_id": questions[qi].id, "stance": decided[0],
                                    "cue": decided[1]})
        return stances, unheld

    def set_annotations(self, doc: Doc, stances: list[dict], unheld: list[int]) -> None:
        """Write ``doc._.stances`` and mark reported-view claims ``held = False``."""
        for ci in unheld:
            doc._.claims[ci]["held"] = False
        doc._.stances = stances

    # -- deciding one claim on one question --------------------------------------------------------
    @staticmethod
    def _asks(toks: _ClaimTokens, start: int, end: int) -> bool:
        """True when the span's last word-like token is a question mark (closing quotes skipped)."""
        space = toks.column(IS_SPACE)
        for i in range(end - 1, start - 1, -1):
            text = toks.text(i)
            if not (space[i] or text in QUESTION_END):
                return text.endswith("?")
        return False

    @staticmethod
    def _span(spans: CharSpans, claim: dict) -> tuple[int, int] | None:
        """Token range of the claim's sentence (``doc.char_span(..., alignment_mode="expand")``)."""
        start = claim.get("start_char", claim.get("sent_start"))
        end = claim.get("end_char", claim.get("sent_end"))
        if start is None or end is None:
            return None
        return spans.bounds(int(start), int(end))

    def _cues(self, m: _Matches, qi: int, span: tuple[int, int]) -> list[_Cue]:
        """The question's cues in the span, overlaps resolved longest-first."""
        start, end = span
        cues = [_Cue(s, e, p) for p, key in self.polarity_keys[qi]
                for s, e in m.within(key, start, end) if e <= end]
        taken: set[int] = set()
        kept = []
        for cue in sorted(cues, key=lambda c: (c.start - c.end, c.start)):
            if taken.isdisjoint(range(cue.start, cue.end)):
                kept.append(cue)
                taken.update(range(cue.start, cue.end))
        return sorted(kept, key=lambda c: c.start)

    def _decide(self, toks: _ClaimTokens, m: _Matches, qi: int, span: tuple[int, int]) -> tuple[str, str] | None:
        cues = self._cues(m, qi, span)
        if not cues:
            return None
        readings = []
        for cue in cues:
            polarity, text = cue.polarity, toks.span_text(cue.start, cue.end)
            if polarity != "mixed":
                negator = self._negator(m, span, cue)
                if negator is not None:
                    polarity = "no" if polarity == "yes" else "yes"
                    text = f"{toks.span_text(negator[0], negator[1])} … {text}"
            readings.append((polarity, text))
        mixed = [t for p, t in readings if p == "mixed"]
        if mixed:
            return "mixed", mixed[0]
        yes = [t for p, t in readings if p == "yes"]
        no = [t for p, t in readings if p == "no"]
        if yes and no:
            return "mixed", f"{yes[0]} / {no[0]}"
        return ("yes", yes[0]) if yes else ("no", no[0])

    def _negator(self, m: _Matches, span: tuple[int, int], cue: _Cue) -> tuple[int, int] | None:
        """The (start, end) of the negation that flips ``cue``, or None (two negations cancel)."""
        span_start = span[0]
        scopes = [(s, e) for s, e in m.within("scope_negators", span_start, cue.start)
                  if e <= cue.start and not m.any_within("scope_breaks", e, cue.start)]
        scope = scopes[-1] if scopes else None
        inside_scope = {i for s, e in scopes for i in range(s, e)}
        local = None
        window_start = max(span_start, cue.start - self.codebook.negation_window)
        for s, e in reversed(m.within("negators", window_start, cue.start)):
            if s in inside_scope or e > cue.start or m.any_within("negator_exceptions", s, s + 1):
                continue
            if m.any_within("conditionals", max(span_start, s - CONDITION_REACH), s):
                break
            if m.any_within("clause_breaks", e, cue.start):
                continue
            local = (s, e)
            break
        if scope and local:
            return None
        return scope or local


def _questions_per_claim(claims: list[tuple[int, int, int]], relevant: list[list[list[int]]]) -> list[list[int]]:
    """Per claim ``(index, start, end)``, in order, the questions every relevant group of which has a
    match starting in the claim's tokens. ``relevant[qi]``: the sorted match starts of each group."""
    out: list[list[int]] = [[] for _ in claims]
    starts = [start for _ci, start, _end in claims]
    ends = [end for _ci, _start, end in claims]
    if any(e > s for e, s in zip(ends, starts[1:], strict=False)):     # overlapping claims: one at a time
        for j, (_ci, start, end) in enumerate(claims):
            for qi, groups in enumerate(relevant):
                if all(bisect_left(found, start) < bisect_left(found, end) for found in groups):
                    out[j].append(qi)
        return out
    everyone = set(range(len(claims)))
    for qi, groups in enumerate(relevant):
        hit = everyone
        for found in groups:    # the claims a match of the group starts in (claims are in order, apart)
            inside = set()
            for pos in found:
                j = bisect_right(starts, pos) - 1
                if j >= 0 and pos < ends[j]:
                    inside.add(j)
            hit = hit & inside
            if not hit:
                break
        for j in sorted(hit):
            out[j].append(qi)
    return out


@Language.factory(
    "expert_lens_stances",
    default_config={"codebook": ""},
    assigns=["doc._.stances"],
)
def make_stances(nlp: Language, name: str, codebook: str) -> StanceFinder:
    """Create the stances component (``codebook``: a file path; empty = default / env var)."""
    return StanceFinder(nlp, name, codebook=codebook)
