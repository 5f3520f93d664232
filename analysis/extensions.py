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
- ``doc._.people``: ``{key: {"name", "title", "affiliation", "role", "country", "evidence", "partners",
  "gender"}}`` (``partners``: the keys of the people named together with this one, "Reps. A and B";
  ``gender``: "f" or "m" when a title says so, "Ms." or "spokesman", else "").
- ``doc._.claims``: list of dicts (start_char, end_char of the sentence, person,
  kind, cue, held); the stances component sets held=False on reported views.
- ``doc._.article_format``: interview | op-ed | news (written by the claims component).
- ``doc._.relations``: list of dicts (source, target, kind, quad, cue, weight,
  start_char, end_char, passive, cue_start, cue_end).
- ``doc._.stances``: list of dicts (claim index, question_id, stance, cue).
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable

import numpy
from spacy.attrs import IDX, LOWER, NORM, ORTH
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


# -- fast access to the attributes above ------------------------------------------------------------
# ``doc._.x`` / ``span._.x`` build an Underscore object on every read and write; the values live in
# ``doc.user_data`` under ("._.", name, start, end) (start/end: None for the Doc, the span's
# character offsets for a Span). The helpers below read and write those entries directly when
# this spaCy version keys them that way (checked once at import), else go through ``._``.

def _underscore_keys_checked() -> bool:
    from spacy.vocab import Vocab

    probe_doc = Doc(Vocab(), words=["a", "b"])
    probe = Span(probe_doc, 1, 2)
    name = next(iter(_SPAN_DEFAULTS))
    if not Span.has_extension(name):
        return False
    setattr(probe._, name, "probe")
    return probe_doc.user_data.get(("._.", name, probe.start_char, probe.end_char)) == "probe"


def doc_attr(doc: Doc, name: str) -> object:
    """Return ``doc._.<name>`` (one of the attributes registered here) without an Underscore object."""
    if _DIRECT:
        return doc.user_data.get(("._.", name, None, None), _DOC_DEFAULTS[name])
    return getattr(doc._, name)


def span_attr(span: Span, name: str) -> object:
    """Return ``span._.<name>`` (one of the attributes registered here) without an Underscore object."""
    if _DIRECT:
        return span.doc.user_data.get(("._.", name, span.start_char, span.end_char), _SPAN_DEFAULTS[name])
    return getattr(span._, name)


def set_span_attrs(span: Span, **values: object) -> None:
    """Set several ``span._`` attributes at once (``set_span_attrs(span, place=True, via="name")``)."""
    if _DIRECT:
        data, start, end = span.doc.user_data, span.start_char, span.end_char
        for name, value in values.items():
            if name not in _SPAN_DEFAULTS:
                raise AttributeError(f"unknown span attribute {name!r}")
            data[("._.", name, start, end)] = value
        return
    underscore = span._
    for name, value in values.items():
        setattr(underscore, name, value)


def write_span_attr(doc: Doc, name: str, values: list[tuple[int, int, object]]) -> None:
    """Set ``span._.<name> = value`` for many spans at once: ``values`` holds (start_char, end_char, value)."""
    if name not in _SPAN_DEFAULTS:
        raise AttributeError(f"unknown span attribute {name!r}")
    if _DIRECT:
        doc.user_data.update({("._.", name, start, end): value for start, end, value in values})
        return
    for start, end, value in values:
        setattr(doc.char_span(start, end)._, name, value)


def sentence_bounds(doc: Doc) -> list[tuple[int, int, int, int]]:
    """Return ``(start, end, start_char, end_char)`` of every ``doc.sents`` span, computed once per Doc.

    The sentence component clears the cache when it sets the boundaries.
    """
    bounds = doc.user_data.get(SENTS_KEY)
    if bounds is None:
        bounds = doc.user_data[SENTS_KEY] = [(s.start, s.end, s.start_char, s.end_char) for s in doc.sents]
    return bounds


def block_kind(doc: Doc, start_char: int) -> str:
    """Return the cleaning block kind of the paragraph that holds ``start_char``."""
    blocks = doc_attr(doc, "blocks") or ()
    index = doc.user_data.get("expert_lens_block_index")
    if index is None or index[0] is not blocks or len(index[1]) != len(blocks):
        index = doc.user_data["expert_lens_block_index"] = (blocks, [b[0] for b in blocks])
    i = bisect.bisect_right(index[1], start_char) - 1
    if i >= 0 and start_char < blocks[i][1]:
        return blocks[i][2]
    return "body"


def _span_rows(doc: Doc, group_name: str, key: str, row: Callable[[Span], tuple]) -> list:
    """``row(span)`` per span of ``doc.spans[group_name]``, kept in ``doc.user_data[key]``.

    Read once per Doc (the component that writes the spans writes the rows with them); a span
    group replaced or resized since is read again.
    """
    group = doc.spans.get(group_name)
    if group is None:
        return []
    cached = doc.user_data.get(key)
    if cached is not None and cached[0] is group and len(cached[1]) == len(group):
        return cached[1]
    rows = [row(s) for s in group]
    doc.user_data[key] = (group, rows)
    return rows


def _actor_row(s: Span) -> tuple[int, int, int, int, str, bool, str | None]:
    return s.start, s.end, s.start_char, s.end_char, s.label_, bool(span_attr(s, "place")), span_attr(s, "via")


def _person_row(s: Span) -> tuple[int, int, str | None, str | None]:
    return s.start_char, s.end_char, span_attr(s, "person"), span_attr(s, "via")


def actor_rows(doc: Doc) -> list[tuple[int, int, int, int, str, bool, str | None]]:
    """Return ``(start, end, start_char, end_char, code, place, via)`` per ``doc.spans["actors"]`` span."""
    return _span_rows(doc, "actors", ACTORS_KEY, _actor_row)


def people_rows(doc: Doc) -> list[tuple[int, int, str | None, str | None]]:
    """Return ``(start_char, end_char, person, via)`` per ``doc.spans["people"]`` span."""
    return _span_rows(doc, "people", PEOPLE_KEY, _person_row)


def token_column(doc: Doc, attr: int) -> list[int]:
    """Return ``doc.to_array(attr)`` as a list of ints, built once per Doc and attribute.

    For attributes fixed by the tokenizer (ORTH, LOWER, NORM, lexical flags): no Token
    objects are created; a hash turns back into its string with ``doc.vocab.strings[h]``.
    """
    key = ("expert_lens_column", attr)
    column = doc.user_data.get(key)
    if column is None:
        column = doc.user_data[key] = token_array(doc, attr).tolist() if len(doc) else []
    return column


class TokenView:
    """Token attributes of one Doc read from arrays, without creating Token objects.

    ``text(i)`` / ``lower(i)`` / ``norm(i)`` are ``doc[i].text`` / ``.lower_`` / ``.norm_``;
    ``column(attr)`` is the whole column of an attribute (lexical flags such as IS_ALPHA are
    0 / 1, SPACY is 1 where the token has trailing whitespace). Columns are read on first use.
    """

    def __init__(self, doc: Doc, lexemes: dict[int, tuple] | None = None) -> None:
        self.doc = doc
        self.n = len(doc)
        self.strings = doc.vocab.strings
        self.orth = token_column(doc, ORTH)
        self._lower: list[int] | None = None
        self._norm: list[int] | None = None
        # lexeme attributes by ORTH hash; a component passes its own dict to keep them across docs
        # (of one vocab: a lexeme's attributes are set when it is made)
        self._lexemes: dict[int, tuple] = {} if lexemes is None else lexemes

    def flags(self, i: int) -> tuple[bool, bool, bool, bool]:
        """``(is_alpha, is_lower, is_stop, is_title)`` of ``doc[i]`` (read from its lexeme, once per word)."""
        orth = self.orth[i]
        found = self._lexemes.get(orth)
        if found is None:
            if len(self._lexemes) > LEXEME_CACHE_LIMIT:
                self._lexemes.clear()
            lex = self.doc.vocab[orth]
            found = self._lexemes[orth] = (lex.is_alpha, lex.is_lower, lex.is_stop, lex.is_title)
        return found

    def column(self, attr: int) -> list[int]:
        """``doc.to_array(attr)`` as a list (cached on the Doc)."""
        return token_column(self.doc, attr)

    def text(self, i: int) -> str:
        """``doc[i].text``."""
        return self.strings[self.orth[i]]

    def lower(self, i: int) -> str:
        """``doc[i].lower_``."""
        if self._lower is None:
            self._lower = token_column(self.doc, LOWER)
        return self.strings[self._lower[i]]

    def lower_id(self, i: int) -> int:
        """``doc[i].lower`` (the hash of ``lower_``)."""
        if self._lower is None:
            self._lower = token_column(self.doc, LOWER)
        return self._lower[i]

    def norm(self, i: int) -> str:
        """``doc[i].norm_``."""
        if self._norm is None:
            self._norm = token_column(self.doc, NORM)
        return self.strings[self._norm[i]]


class CharSpans:
    """Token ranges of character spans of one Doc, as ``doc.char_span(..., alignment_mode="expand")``
    gives them, found by bisection on the token offsets (no Span is built)."""

    def __init__(self, doc: Doc) -> None:
        self.idx = token_column(doc, IDX)
        self.orth = token_column(doc, ORTH)
        self.strings = doc.vocab.strings
        self.size = len(doc_text(doc))

    def bounds(self, start_char: int, end_char: int) -> tuple[int, int] | None:
        """``(span.start, span.end)`` of the char span; None where spaCy gives None."""
        idx, size = self.idx, self.size
        # spaCy's token_by_char: a token owns its trailing whitespace
        start = bisect.bisect_right(idx, start_char) - 1 if 0 <= start_char < size else -1
        if start < 0:
            return None
        end = bisect.bisect_right(idx, end_char - 1) - 1 if 0 <= end_char - 1 < size else -1
        if end < 0:
            return None
        if start_char == idx[start] + len(self.strings[self.orth[start]]):
            start += 1      # the trailing whitespace is not part of the previous token
        if start > end + 1:
            raise IndexError(f"[E035] Error creating span with start {start} and end {end + 1}")
        return start, end + 1


def char_span_bounds(doc: Doc, start_char: int, end_char: int) -> tuple[int, int] | None:
    """``(span.start, span.end)`` of ``doc.char_span(start_char, end_char, alignment_mode="expand")``.

    None where that span is None (see :class:`CharSpans`, for many spans of one Doc).
    """
    return CharSpans(doc).bounds(start_char, end_char)


def token_array(doc: Doc, attr: int) -> numpy.ndarray:
    """Return ``doc.to_array(attr)`` (one value per token), built once per Doc and attribute.

    For attributes fixed by the tokenizer, as :func:`token_column` (which gives it as a list).
    """
    key = ("expert_lens_array", attr)
    array = doc.user_data.get(key)
    if array is None:
        array = doc.user_data[key] = doc.to_array(attr)
    return array


def keep_token_arrays(doc: Doc, arrays: dict[int, numpy.ndarray]) -> None:
    """Store arrays already read (``{attr: doc.to_array(attr)}``) for :func:`token_array`."""
    for attr, array in arrays.items():
        doc.user_data[("expert_lens_array", attr)] = array


def keep_token_columns(doc: Doc, columns: dict[int, list[int]]) -> None:
    """Store columns already read (``{attr: doc.to_array(attr).tolist()}``) for :func:`token_column`."""
    for attr, column in columns.items():
        doc.user_data[("expert_lens_column", attr)] = column


def block_kinds(doc: Doc, starts: list[int]) -> list[str]:
    """``[block_kind(doc, s) for s in starts]`` for offsets in increasing order (one walk over the blocks)."""
    blocks = doc_attr(doc, "blocks") or ()
    ordered = all(b[0] <= b[1] for b in blocks) and all(a[1] <= b[0] for a, b in itertools.pairwise(blocks))
    if not ordered or any(a > b for a, b in itertools.pairwise(starts)):
        return [block_kind(doc, s) for s in starts]
    out: list[str] = []
    i, last = 0, len(blocks) - 1
    for start in starts:
        while i < last and start >= blocks[i][1]:
            i += 1
        out.append(blocks[i][2] if blocks and blocks[i][0] <= start < blocks[i][1] else "body")
    return out


SENTS_KEY = "expert_lens_sents"
LEXEME_CACHE_LIMIT = 200_000
ACTORS_KEY = "expert_lens_actor_rows"
PEOPLE_KEY = "expert_lens_people_rows"
register_extensions()
_DIRECT = _underscore_keys_checked()
