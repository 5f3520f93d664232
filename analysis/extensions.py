"""Custom attributes the Expert Lens components read and write on Docs and Spans.

The contract between components (who writes what):

- ``doc._.blocks``: ``[(start_char, end_char, kind)]`` paragraphs from cleaning,
  kind in body | caption | heading | dateline | note | turn (written before the
  pipeline runs, by :func:`analysis.pipeline.make_doc`).
- ``doc._.published``: ISO date the article states or its metadata gives, or None.
- ``doc._.author``: the author's name from metadata, or None.
- ``doc.spans["actors"]``: actor mentions, ``span.label_`` is the actor code,
  ``span._.place`` is True when the mention is a location, not the actor,
  ``span._.via`` how it was named (name | alias | demonym | capital).
- ``doc.spans["dates"]``: temporal expressions, ``span._.timex`` a dict with
  value, precision, start, end, relative, uncertain (or None for durations).
- ``doc._.anchor`` / ``doc._.anchor_inferred``: the date relative expressions
  were resolved against, and whether it was inferred.
- ``doc.spans["people"]``: person mentions, ``span._.person`` the person key,
  ``span._.via`` how it was found (name | surname | pronoun | description).
- ``doc._.people``: ``{key: {"name", "title", "affiliation", "role", "country"}}``.
- ``doc._.claims``: list of dicts (start_char, end_char of the sentence, person,
  kind, cue, held); the stances component sets held=False on reported views.
- ``doc._.article_format``: interview | op-ed | news (written by the claims component).
- ``doc._.relations``: list of dicts (source, target, kind, quad, cue, weight,
  start_char, end_char, passive, cue_start, cue_end).
- ``doc._.stances``: list of dicts (claim index, question_id, stance, cue).
"""

from __future__ import annotations

import bisect

from spacy.tokens import Doc, Span

_DOC_DEFAULTS: dict[str, object] = {
    "blocks": None,
    "published": None,
    "author": None,
    "anchor": None,
    "anchor_inferred": False,
    "people": None,
    "claims": None,
    "relations": None,
    "stances": None,
    "article_format": None,
}
_SPAN_DEFAULTS: dict[str, object] = {
    "place": False,
    "timex": None,
    "person": None,
    "via": None,
}


def register_extensions() -> None:
    """Register every custom attribute once (idempotent)."""
    for name, default in _DOC_DEFAULTS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name, default in _SPAN_DEFAULTS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)


def doc_text(doc: Doc) -> str:
    """Return ``doc.text``, built once per Doc (spaCy rebuilds it from the tokens on every read)."""
    text = doc.user_data.get("expert_lens_text")
    if text is None:
        text = doc.user_data["expert_lens_text"] = doc.text
    return text


def block_kind(doc: Doc, start_char: int) -> str:
    """Return the cleaning block kind of the paragraph that holds ``start_char``."""
    blocks = doc._.blocks or ()
    starts = doc.user_data.get("expert_lens_block_starts")
    if starts is None or len(starts) != len(blocks):
        starts = doc.user_data["expert_lens_block_starts"] = [b[0] for b in blocks]
    i = bisect.bisect_right(starts, start_char) - 1
    if i >= 0 and start_char < blocks[i][1]:
        return blocks[i][2]
    return "body"


register_extensions()
