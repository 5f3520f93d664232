"""Temporal expressions as spans: ``doc.spans["dates"]`` with ``span._.timex``, and the anchor.

Reads ``doc._.published`` (metadata date, or None) and ``doc._.blocks`` (photo
captions never give the inferred anchor day). Writes:

- ``doc.spans["dates"]``: one span (label ``DATE``) per temporal expression;
  ``span._.timex`` is the dict from :func:`analysis.timex.resolve` plus
  ``publication`` (True for the text's own publication statement or dateline).
  Durations, quantities and clock times get no span; a relative expression with
  no anchor keeps its span with ``value`` None.
- ``doc._.anchor`` / ``doc._.anchor_inferred``.
- ``doc.user_data``: ``published_source`` (metadata | text | inferred | none),
  ``published_inferred`` (the inferred anchor), ``published_note``; a date the
  text states is also put in ``doc._.published`` when that was None.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from analysis.extensions import doc_text
from analysis.timex import RULES_FILE, Anchor, Mention, normalise
from analysis.timex import rules as compile_rules

NO_ANCHOR_KINDS = frozenset({"caption"})   # block kinds whose dates never give the anchor day
SPAN_KEY = "dates"
LABEL = "DATE"


class DateTagger:
    """Find temporal expressions, choose the anchor, resolve and write spans."""

    def __init__(self, nlp: Language, name: str, *, rules: str, borrowed_year_is_stated: bool) -> None:
        self.name = name
        self.rules = rules
        self.borrowed_year_is_stated = borrowed_year_is_stated
        compile_rules(rules)   # compile the patterns once, when the pipeline is built

    def __call__(self, doc: Doc) -> Doc:
        """Annotate one doc (find, then write)."""
        matches = self.match(doc)
        self.set_annotations(doc, matches)
        return doc

    def match(self, doc: Doc) -> tuple[Anchor, list[tuple[Mention, dict]]]:
        """Return the anchor and every (mention, timex) of the doc."""
        excluded = [(s, e) for s, e, kind in doc._.blocks or () if kind in NO_ANCHOR_KINDS]
        return normalise(doc_text(doc), published=doc._.published, excluded=excluded,
                         borrowed_year_is_stated=self.borrowed_year_is_stated, rules_file=self.rules)

    def set_annotations(self, doc: Doc, matches: tuple[Anchor, list[tuple[Mention, dict]]]) -> None:
        """Write the spans, the anchor and where the publication date came from."""
        anchor, found = matches
        spans = []
        for mention, timex in found:
            span = doc.char_span(mention.start, mention.end, label=LABEL, alignment_mode="expand")
            if span is None:
                continue
            span._.timex = timex
            spans.append(span)
        doc.spans[SPAN_KEY] = spans
        doc._.anchor = anchor.iso
        doc._.anchor_inferred = anchor.inferred
        doc.user_data["published_source"] = anchor.source
        if anchor.note:
            doc.user_data["published_note"] = anchor.note
        if anchor.source == "text" and not doc._.published:
            doc._.published = anchor.iso
        if anchor.inferred:
            doc.user_data["published_inferred"] = anchor.iso


@Language.factory(
    "expert_lens_dates",
    default_config={"rules": RULES_FILE, "borrowed_year_is_stated": False},
    assigns=["doc.spans", "doc._.anchor", "doc._.anchor_inferred"],
)
def make_date_tagger(nlp: Language, name: str, rules: str, borrowed_year_is_stated: bool) -> DateTagger:
    """Create the ``expert_lens_dates`` component."""
    return DateTagger(nlp, name, rules=rules, borrowed_year_is_stated=borrowed_year_is_stated)
