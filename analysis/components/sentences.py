"""Sentence boundaries for the blank English pipeline.

Rules: a paragraph break always starts a sentence; ``.``, ``!``, ``?`` end one
when the next word starts like a sentence (capital, digit, opening quote or
bracket); closing quotes and brackets stay with the sentence they close.
Abbreviations ("Oct.", "Prof.", "U.S.") are single tokens in spaCy's English
tokenizer, so they never end a sentence here.
"""

from __future__ import annotations

import numpy
from spacy.attrs import IDX, IS_SPACE, ORTH, SENT_START, SPACY
from spacy.language import Language
from spacy.strings import hash_string
from spacy.tokens import Doc

from analysis.extensions import SENTS_KEY, keep_token_arrays, keep_token_columns, token_column
from analysis.rules import load_yaml

ENDERS = frozenset({".", "!", "?", "…", "...", "?!"})
CLOSERS = frozenset({"”", "’", ")", "]", "»"})
OPENERS = frozenset({"“", "‘", "(", "[", "«", "-", "–", "—", "•"})
STRAIGHT_QUOTES = frozenset({'"', "'"})


ABBREVIATIONS = frozenset(str(w).lower() for w in load_yaml("sentences.yaml")["abbreviations"])
_MARK_HASHES = numpy.array(sorted(hash_string(t) for t in ('"', *ENDERS)), dtype="uint64")


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
    doc.user_data.pop(SENTS_KEY, None)
    if not n:
        return doc
    strings = doc.vocab.strings
    # token hashes and flags from arrays: only the tokens that can change the state are looked at
    # (line breaks, straight quotes, sentence enders, and the words right after an ender)
    arr = doc.to_array([ORTH, SPACY, IS_SPACE])
    orth = arr[:, 0]
    marks = arr[:, 2] != 0
    for mark in _MARK_HASHES:
        marks |= orth == mark
    cand = numpy.flatnonzero(marks).tolist()
    orth_at = orth.tolist()
    space_at = arr[:, 2].tolist()
    # the later components read these columns too
    keep_token_columns(doc, {ORTH: orth_at, SPACY: arr[:, 1].tolist(), IS_SPACE: space_at})
    keep_token_arrays(doc, {ORTH: orth, IS_SPACE: arr[:, 2]})

    starts = {0}                # tokens that start a sentence
    open_quote = False          # parity of straight double quotes in the paragraph
    pending_end = False         # saw a sentence-ender, waiting for the next word
    k = 0                       # next entry of ``cand``
    pos = 0                     # tokens before ``pos`` are done
    n_cand = len(cand)
    while True:
        if pending_end:         # every token counts until the next word is seen
            if pos >= n:
                break
            i = pos
        else:
            while k < n_cand and cand[k] < pos:
                k += 1
            if k == n_cand:
                break
            i = cand[k]
        pos = i + 1
        text = strings[orth_at[i]]
        if space_at[i]:
            if "\n" in text:
                open_quote = False
                pending_end = False
                if i + 1 < n:
                    starts.add(i + 1)
            continue
        if pending_end:
            if text in CLOSERS or (text == '"' and open_quote):
                if text == '"':
                    open_quote = False
                continue
            if _starts_like_sentence(text):
                starts.add(i)
            pending_end = False
        if text == '"':
            open_quote = not open_quote
        elif text in ENDERS:
            prev = strings[orth_at[i - 1]].lower() if i else ""
            pending_end = not (text == "." and prev in ABBREVIATIONS and not arr[i - 1, 1])
    # SENT_START values: 1 a start, -1 not a start; spaCy stores them as uint64
    flags = numpy.full((n, 1), -1, dtype="int64").astype("uint64")
    flagged = set()
    for i in sorted(starts):
        # whitespace tokens never start a sentence: give the flag to the next word
        while i > 0 and space_at[i] and i + 1 < n:
            i += 1
        if not (i > 0 and space_at[i]):
            flags[i, 0] = 1
            flagged.add(i)
    doc.from_array([SENT_START], flags)
    # what doc.sents gives, (start, end, start_char, end_char) per sentence: kept for sentence_bounds
    firsts = [0, *sorted(i for i in flagged if i > 0)]
    idx = token_column(doc, IDX)
    doc.user_data[SENTS_KEY] = [(first, end, idx[first], idx[end - 1] + len(strings[orth_at[end - 1]]))
                                for first, end in zip(firsts, [*firsts[1:], n], strict=True)]
    return doc
