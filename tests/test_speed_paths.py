"""The pipeline's newer shortcuts decide exactly what the plain code decides (random texts and tables)."""

from __future__ import annotations

import random
import re

import pytest

from analysis import clean as clean_module
from analysis.clean import _any_fullmatch, _any_match, _rules
from analysis.components import people as people_module
from analysis.components.claims import _matches_at
from analysis.components.patterns import Scanner, fold
from analysis.events import _cue_patterns, cue_groups, events_from_doc
from analysis.extensions import actor_rows, people_rows, sentence_bounds, span_attr
from tests.shortcut_texts import MIXED_TEXT, random_words

TEXT = (MIXED_TEXT + "\n\n"
        "Kim Jong Un met Vladimir Putin in Pyongyang in June 2024 to sign a treaty; the summit's deal "
        "deployed troops, export  controls and an asset freeze followed. Prof. Anna Petrov: “Yes.”")


# -- events ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("sentence", "groups"),
    [
        ("Export controls and an ASSET  FREEZE were announced.", ["sanctions", "statement"]),
        ("The troops' deployments, re-deployed: troopsx", ["deployment"]),
        ("Striking a deal_ and 2 summits", ["meeting", "attack"]),     # "deal_" is one word
        ("The POWs and the pows", ["capture"]),
        ("", []),
    ],
)
def test_cue_groups_word_by_word(sentence: str, groups: list[str]) -> None:
    assert cue_groups(sentence) == groups


def test_cue_groups_are_the_group_patterns() -> None:
    patterns, _weak = _cue_patterns()
    rng = random.Random(11)
    parts = ["troop", "s", "ed", "ment", " ", "  ", "\n", "deal", "export", "controls", "asset", "freeze", "-",
             "_", "x", "É", "ı", "K", "ſ", "’", "STRIKE", "sign", "1", "elect", "ion", "POW", "."]
    for text in [TEXT, *(" ".join(random_words(rng, parts, 12)) for _ in range(400))]:
        assert cue_groups(text) == [group for group, pat in patterns if pat.search(text)], text


def test_event_rows_read_the_spans_as_before(nlp) -> None:
    doc = nlp(TEXT)
    doc._.published = "2024-06-20"
    rows = events_from_doc(doc)
    assert rows, "the text has dated sentences"
    sents = [(s.start_char, s.end_char) for s in doc.sents]
    assert sents == [(s, e) for _a, _b, s, e in sentence_bounds(doc)]
    for row in rows:
        span = next(s for s in doc.spans["dates"] if s.start_char == row["expression_start"])
        assert row["expression"] == span.text and row["date"] == span._.timex["value"]
    assert actor_rows(doc) == [(s.start, s.end, s.start_char, s.end_char, s.label_, bool(s._.place), s._.via)
                               for s in doc.spans["actors"]]
    assert people_rows(doc) == [(s.start_char, s.end_char, span_attr(s, "person"), span_attr(s, "via"))
                                for s in doc.spans["people"]]


# -- claims -------------------------------------------------------------------------------------------

def test_speech_verbs_are_found_where_their_tokens_are(nlp) -> None:
    claims = nlp.get_pipe("expert_lens_claims")
    rng = random.Random(5)
    parts = ["said", "x.", "-", "says", "ess", "ays", " ", "’s", "(", ")", "Said", "pointed", " out", ".", "\n\n",
             "U.S.", "told", "noted", "according to", "“", "”", "a", "e"]
    checked = 0
    for text in [TEXT, *(" ".join(random_words(rng, parts, 40)) for _ in range(60))]:
        for sent in claims._sentences(nlp(text)):
            found = [(m.start(), m.group()) for m in claims.verb_re.finditer(sent.text)]
            if not sent.may_have_verb:
                assert not found, sent.text
            elif sent.verb_starts is not None:
                assert [(m.start(), m.group()) for m in _matches_at(claims.verb_re, sent.text, sent.verb_starts)
                        ] == found, sent.text
                checked += 1
    assert checked > 20


# -- people -------------------------------------------------------------------------------------------

def _plain_candidates(finder: people_module.PeopleFinder, text: str, actor_chars: set[int]) -> list[tuple]:
    """The candidate runs as first written: every word with its offset, then one pass."""
    out = []
    for m in people_module._RUN.finditer(text):
        words, pos = [], m.start()
        for word in m.group().split(" "):
            words.append((pos, word))
            pos += len(word) + 1
        run: list[tuple[int, str]] = []
        prefix: list[str] = []
        for pos, word in [*words, (-1, "")]:
            bare = word.rstrip(".")
            stop = not word or bare.lower() in finder.stop or (len(bare) > 1 and bare.isupper())
            if not (stop or pos in actor_chars):
                run.append((pos, word))
                continue
            if len(run) >= 2:
                end = run[-1][0] + len(run[-1][1])
                out.append((run[0][0], end, text[run[0][0]:end], " ".join(prefix)))
                prefix = []
            elif run:
                prefix = []
            run = []
            if word:
                prefix.append(word)
    return out


def test_name_candidates_are_the_plain_reading(nlp) -> None:
    finder = nlp.get_pipe("expert_lens_people")
    rng = random.Random(7)
    parts = ["Anna", "Petrov", "The", "NATO", "Dr.", "Ana", "Lee", "Of", "Kim", "Jong", "Un", "A.", "In", "Said"]
    for text in [TEXT, *(" ".join(random_words(rng, parts, 20)) for _ in range(200))]:
        starts = {m.start() for m in re.finditer(r"\b\w", text)}
        for actor_chars in (set(), set(rng.sample(sorted(starts), min(3, len(starts))))):
            got = [tuple(c) for c in finder._candidates(text, actor_chars)]
            assert got == _plain_candidates(finder, text, actor_chars), text


# -- cleaning and patterns -------------------------------------------------------------------------------

def test_gate_lists_by_first_character_are_the_gates() -> None:
    rules = _rules()
    rng = random.Random(9)
    parts = ["Photo", ": ", "©", "Share", " ", "Getty Images", "AP", "(", ")", "Read more", "By ", "x", "1", "—",
             "Updated", "MOSCOW, ", "June 18", "This article", "first appeared", "."]
    for text in ["", *random_words(rng, parts, 600)]:
        folded = fold(text)
        for gates in (rules.drop, rules.caption, rules.note, rules.dateline):
            plain_full = any(g.possible_at_start(text, folded) and g.pattern.fullmatch(text) for g in gates)
            plain_match = any(g.possible_at_start(text, folded) and g.pattern.match(text) for g in gates)
            assert _any_fullmatch(gates, text, folded) == plain_full, text
            assert _any_match(gates, text, folded) == plain_match, text
    assert clean_module.clean_text(TEXT).text


@pytest.mark.parametrize("text", ["", "abc", "İstanbul", "ıI", "ſKK", "Straße", "ÀÉ x"])
def test_fold_is_the_table_then_lower(text: str) -> None:
    assert fold(text) == text.translate(str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})).lower()


@pytest.mark.parametrize("pattern", [r"\b(?:day|days|yesterday|week|weeks)\b", r"(?:ab|abc|abd|b)c?",
                                     r"(?i:x|xy)z", r"(?m)^[ \t]*[A-Z][A-Z. ]{1,5}[A-Z.],[ \t]*",
                                     r"(?im)^\s*(?:published|day)\b\s*:?"])
def test_scanner_with_fewer_literals_finds_the_same(pattern: str) -> None:
    compiled = re.compile(pattern)
    scanner = Scanner(compiled)
    rng = random.Random(13)
    for text in random_words(rng, ["day", "s", "yester", "week", " ", "ab", "c", "d", "b", "x", "y", "z", "X", "\n",
                             "\n\n", "MOSCOW", ", ", "\t", "Published", ":", "A.B"], 600):
        assert [m.span() for m in scanner.finditer(text)] == [m.span() for m in compiled.finditer(text)], text
