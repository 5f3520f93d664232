"""Sentence boundaries for the blank English pipeline.

Rules: a paragraph break always starts a sentence; ``.``, ``!``, ``?`` end one
when the next word starts like a sentence (capital, digit, opening quote or
bracket); closing quotes and brackets stay with the sentence they close.
Abbreviations ("Oct.", "Prof.", "U.S.") are single tokens in spaCy's English
tokenizer, so they never end a sentence here.
"""

from __future__ import annotations

import numpy
from spacy.attrs import ORTH, SENT_START, SPACY
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
    strings = doc.vocab.strings
    # token texts and trailing-space flags from arrays: no Token objects are created
    texts = [strings[h] for h in doc.to_array(ORTH).tolist()]
    spaced = doc.to_array(SPACY).tolist()
    starts = [False] * n
    starts[0] = True
    open_quote = False          # parity of straight double quotes in the paragraph
    pending_end = False         # saw a sentence-ender, waiting for the next word
    for i, text in enumerate(texts):
        if text.isspace():
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
            prev = texts[i - 1].lower() if i else ""
            pending_end = not (text == "." and prev in ABBREVIATIONS and not spaced[i - 1])
    # SENT_START values: 1 a start, -1 not a start; spaCy stores them as uint64
    flags = numpy.full((n, 1), -1, dtype="int64").astype("uint64")
    for i, text in enumerate(texts):
        # whitespace tokens never start a sentence: give the flag to the next word
        if starts[i] and i > 0 and text.isspace():
            if i + 1 < n:
                starts[i + 1] = True
        elif starts[i]:
            flags[i, 0] = 1
    doc.from_array([SENT_START], flags)
    return doc
