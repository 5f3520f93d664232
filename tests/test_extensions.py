"""Fast access to doc attributes: the same values spaCy's own (slower) accessors give."""

from __future__ import annotations

import random

import pytest
from spacy.attrs import IS_PUNCT, LOWER, NORM, ORTH

from analysis.extensions import (
    TokenView,
    actor_rows,
    block_kind,
    block_kinds,
    char_span_bounds,
    doc_attr,
    sentence_bounds,
    set_span_attrs,
    span_attr,
    token_column,
)
from analysis.nlp import build_nlp

TEXT = ("Russia's war: Moscow said on Monday that North Korea sent troops.\n\n"
        "  “It is  done,” he added.  Kyiv and Seoul, with the U.S.-led allies, disagree!\n")


@pytest.fixture(scope="module")
def nlp():
    return build_nlp(components=("expert_lens_sentences", "expert_lens_actors"))


def test_sentence_bounds_are_the_sentences(nlp) -> None:
    doc = nlp(TEXT)
    assert sentence_bounds(doc) == [(s.start, s.end, s.start_char, s.end_char) for s in doc.sents]


def test_actor_rows_are_the_actor_spans(nlp) -> None:
    doc = nlp(TEXT)
    want = [(s.start, s.end, s.start_char, s.end_char, s.label_, bool(s._.place), s._.via)
            for s in doc.spans["actors"]]
    assert want and actor_rows(doc) == want
    doc.spans["actors"] = list(doc.spans["actors"])[:1]       # replaced: read again
    assert actor_rows(doc) == want[:1]


def test_token_view_reads_what_tokens_say(nlp) -> None:
    doc = nlp(TEXT)
    view = TokenView(doc)
    assert [view.text(i) for i in range(len(doc))] == [t.text for t in doc]
    assert [view.lower(i) for i in range(len(doc))] == [t.lower_ for t in doc]
    assert [view.norm(i) for i in range(len(doc))] == [t.norm_ for t in doc]
    assert [view.flags(i) for i in range(len(doc))] == [(t.is_alpha, t.is_lower, t.is_stop, t.is_title)
                                                       for t in doc]
    for attr in (ORTH, LOWER, NORM, IS_PUNCT):
        assert token_column(doc, attr) == doc.to_array(attr).tolist()


def test_span_attributes_read_and_written_directly(nlp) -> None:
    doc = nlp(TEXT)
    span = doc[2:4]
    set_span_attrs(span, place=True, via="capital")
    assert (span._.place, span._.via) == (True, "capital")
    span._.person = "key"
    assert span_attr(span, "person") == "key" and span_attr(doc[0:1], "timex") is None
    assert doc_attr(doc, "anchor") is None


def test_char_span_bounds_is_char_span_expand(nlp) -> None:
    rng = random.Random(3)
    for text in (TEXT, "", " ", "a", "a  b\n\n c ", "  lead", "trail  ", "x\n"):
        doc = nlp.make_doc(text)
        for _ in range(300):
            start = rng.randint(-2, len(text) + 2)
            end = start + rng.randint(0, 12)
            span = doc.char_span(start, end, alignment_mode="expand")
            assert char_span_bounds(doc, start, end) == (None if span is None else (span.start, span.end))


def test_block_kinds_walk_is_block_kind(nlp) -> None:
    doc = nlp("One.\n\nTwo.\n\nThree.")
    doc._.blocks = [(0, 4, "heading"), (6, 10, "body"), (12, 18, "caption")]
    starts = list(range(0, 20))
    assert block_kinds(doc, starts) == [block_kind(doc, s) for s in starts]
    doc._.blocks = [(6, 10, "body"), (0, 4, "heading")]      # out of order: one bisection per offset
    assert block_kinds(doc, starts) == [block_kind(doc, s) for s in starts]
