"""Shortcuts the components take for speed decide exactly what the plain code decides."""

from __future__ import annotations

import random
import re

import pytest

from analysis.clean import _key
from analysis.components import people as people_module
from analysis.timex import _DIGITS, _alt, _digit_runs, rules
from tests.shortcut_texts import MIXED_TEXT, random_words

TEXT = MIXED_TEXT


def test_sentences_without_verb_tokens_hold_no_speech_verb(nlp) -> None:
    claims = nlp.get_pipe("expert_lens_claims")
    assert claims.verb_words.usable
    rng = random.Random(5)
    parts = ["said", "x.", "-", "says", "ess", "ays", " ", "’s", "(", ")", "Said", "pointed", " out", ".", "\n\n",
             "U.S."]
    texts = [TEXT, *(" ".join(random_words(rng, parts, 40)) for _ in range(40))]
    for text in texts:
        doc = nlp(text)
        for sent in claims._sentences(doc):
            if claims.verb_re.search(sent.text):
                assert sent.may_have_verb, sent.text


def test_title_tail_is_the_regex(nlp) -> None:
    rng = random.Random(1)
    windows = random_words(rng, ["of ", "for ", "and ", "X", "y", " ", "  ", ".", "-", "é", ",", "’", "_", "1"], 5000)
    for window in [*windows, "Foreign Minister", "the NATO secretary general ", "a b c d e f g h i j k l"]:
        found = people_module._TAIL.search(window)
        assert people_module._title_tail(window) == (found.group(1) if found else None), window


def test_backward_title_and_speech_tests_are_the_regexes(nlp) -> None:
    finder = nlp.get_pipe("expert_lens_people")
    rng = random.Random(2)
    parts = ["said ", "Said", "gen.", "Gen", "dr", " ", "  ", ".", "x", "according to ", "é", "\n", "minister",
             "vice president", "told the "]
    for text in random_words(rng, parts, 5000):
        assert finder._ends_in_title(text) == bool(finder.title_re.search(text)), text
        assert finder._ends_in_speech(text) == bool(finder.verb_before.search(text)), text


def test_digit_runs_and_trigger_parts_are_the_regexes() -> None:
    r = rules()
    combined = re.compile(r"\d+|\b[A-Z][A-Za-z]*|\b(?:" + _alt(w for w in r.trigger_words if w.islower()) + r")\b")
    rng = random.Random(3)
    parts = ["May", "MAY", "day", "today", "2024", "7", "٣", " ", "x", "_", "-", ".", "Mayday", "last week", "ago"]
    texts = [TEXT, *random_words(rng, parts, 300)]
    for text in texts:
        assert [(m.start(), m.group()) for m in _digit_runs(text)] == [(m.start(), m.group())
                                                                       for m in _DIGITS.finditer(text)]
        parts = sorted([*_digit_runs(text), *(m for part in r.trigger_parts for m in part.finditer(text))],
                       key=lambda m: m.start())
        counted = [(m.start(), m.group()) for m in combined.finditer(text)
                   if m.group()[0].isdigit() or m.group() in r.trigger_words]
        assert [(m.start(), m.group()) for m in parts] == counted


@pytest.mark.parametrize("text", [TEXT, "", "—", "It’s “quoted” — twice…", "ÉCOLE école", "Straße STRASSE",
                                  "a_b  c\t\x1cd", "x٣y"])
def test_duplicate_key_is_the_words_of_the_folded_text(text: str) -> None:
    folded = text.casefold().replace("’", "'").replace("“", '"').replace("”", '"')
    assert _key(text) == re.sub(r"\W+", " ", folded).strip()


def test_one_matcher_finds_what_the_three_relation_matchers_find(nlp) -> None:
    relations = nlp.get_pipe("expert_lens_relations")
    assert relations.merged is not None
    doc = nlp(TEXT + " China and Russia deepened cooperation against Ukraine; Iran did not supply arms to Syria.")
    cues, movers, markers = relations._find(doc)
    assert (list(cues), list(movers), list(markers)) == (relations.cues(doc), relations.movers(doc),
                                                         relations.markers(doc))
