"""Sentence boundaries for the blank English pipeline.

Rules: a paragraph break always starts a sentence; ``.``, ``!``, ``?`` end one
when the next word starts like a sentence (capital, digit, opening quote or
bracket); closing quotes and brackets stay with the sentence they close.
Abbreviations ("Oct.", "Prof.", "U.S.") are single tokens in spaCy's English
tokenizer, so they never end a sentence here.
"""

from __future__ import annotations

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from analysis.rules import load_yaml

ENDERS = frozenset({".", "!", "?", "…", "...", "?!"})
CLOSERS = frozenset({"”", "’", ")", "]", "»"})
OPENERS = frozenset({"“", "‘", "(", "[", "«", "-", "–", "—", "•"})
STRAIGHT_QUOTES = frozenset({'"', "'"})


ABBREVIATIONS = frozenset(str(w).lower() for w in load_yaml("sentences.yaml")["abbreviations"])


def _starts_like_sentence(text: str) -> bool:
    ch = text[:1]
    return ch.isupper() or ch.isdigit() or text in OPENERS or text in STRAIGHT_QUOTES


@Language.component(
    "expert_lens_sentences",
    assigns=["token.is_sent_start"],
)
def sentence_boundaries(doc: Doc) -> Doc:
    """Set ``is_sent_start`` on every token from punctuation, quotes and paragraphs."""
    n = len(doc)
    if not n:
        return doc
    starts = [False] * n
    starts[0] = True
    open_quote = False          # parity of straight double quotes in the paragraph
    pending_end = False         # saw a sentence-ender, waiting for the next word
    for i, tok in enumerate(doc):
        text = tok.text
        if tok.is_space:
            if "\n" in text:
                open_quote = False
                pending_end = False
                if i + 1 < n:
                    starts[i + 1] = True
            continue
        if pending_end:
            if text in CLOSERS or (text == '"' and open_quote):
                if text == '"':
                    open_quote = False
                continue
            if _starts_like_sentence(text) and not starts[i]:
                starts[i] = True
            pending_end = False
        if text == '"':
            open_quote = not open_quote
        elif text in ENDERS:
            prev = doc[i - 1].text.lower() if i else ""
            pending_end = not (text == "." and prev in ABBREVIATIONS and not doc[i - 1].whitespace_)
    # SENT_START values: 1 a start, -1 not a start; spaCy stores them as uint64
    flags = numpy.full((n, 1), -1, dtype="int64").astype("uint64")
    for i, tok in enumerate(doc):
        # whitespace tokens never start a sentence: give the flag to the next word
        if starts[i] and tok.is_space and i > 0:
            if i + 1 < n:
                starts[i + 1] = True
        elif starts[i]:
            flags[i, 0] = 1
    doc.from_array([SENT_START], flags)
    return doc
