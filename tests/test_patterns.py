"""Fast regex helpers: each one finds exactly what the plain regex finds (they only skip work)."""

from __future__ import annotations

import re

import pytest

from analysis.components.patterns import Gate, Scanner, alternation, first_chars, fold, order_free

TEXTS = [
    "He said that, according to the analyst, said-so sayings say nothing. SAID: pointed out, points outward.",
    "First published on May 3, 2024. FIRST PUBLISHED in Moscow.\nOriginally posted: today\n  published: then",
    "Ünïcödé: İstanbul ıı ſay ſaid KELVIN ©2024 photo: x @handle (AP) (Yonhap) ",
    "The day before yesterday, in his view, she believes he points out... the expert noted",
    "",
    "a\nb\n\nc",
]


@pytest.mark.parametrize(("words", "template", "flags"), [
    (["said", "says", "say", "pointed out", "points out", "sa"], r"\b{}\b", 0),
    (["said", "says", "say", "pointed out", "points out"], r"{}", 0),
    (["in his view", "he believes", "she believes", "according to him"], r"\b{}\b", re.IGNORECASE),
    (["a", "ab", "abc", "b", "bc"], r"{}", 0),
    (["x", "xy"], r"(?<![\w-]){}(?!\w)", 0),
])
def test_trie_alternation_finds_what_the_longest_first_list_finds(words: list[str], template: str,
                                                                  flags: int) -> None:
    flat = "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"
    plain, trie = re.compile(template.format(flat), flags), re.compile(template.format(alternation(words)), flags)
    for text in [*TEXTS, "abcx abc ab a bc xy x x-y"]:
        assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)]


@pytest.mark.parametrize("words", [["said", "says", "say"], ["May", "March", "Mar", "MAY"], ["day", "days"]])
def test_word_start_alternation_is_a_word_boundary_before_the_trie(words: list[str]) -> None:
    plain = re.compile(r"\b" + alternation(words) + r"(?![A-Za-z])")
    fast = re.compile(alternation(words, word_start=True) + r"(?![A-Za-z])")
    for text in [*TEXTS, "Mayday May2024 _May 2May xMay Mar. MAY days today"]:
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_order_free_means_no_word_is_a_prefix_of_another() -> None:
    assert order_free(["in his view", "he believes"]) and not order_free(["said", "said so"])
    assert not order_free(["He", "he said"], ignore_case=True)


def test_fold_keeps_offsets_and_folds_what_ignorecase_matches_to_ascii() -> None:
    text = "İstanbul ıſK ÀB"
    assert len(fold(text)) == len(text) and fold(text) == "istanbul isk àb"


@pytest.mark.parametrize(("pattern", "flags", "skipped"), [
    (r"\s*©.*$", re.IGNORECASE, "no copyright sign here"),
    (r"\s+photo\s*:\s*[^.]{0,80}$", re.IGNORECASE, "a photo without a colon"),
    (r".*\b(first|originally) (appeared|published)\b.*", re.IGNORECASE, "it appeared later"),
    (r"\s+(x|twitter)\s*:\s*@\w+\s*$", re.IGNORECASE, "follow on twitter: handle"),
])
def test_gate_skips_only_text_that_cannot_match(pattern: str, flags: int, skipped: str) -> None:
    gate = Gate(re.compile(pattern, flags))
    assert not gate.possible(skipped, fold(skipped))
    for text in [*TEXTS, skipped, "Photo: AP", "FIRST APPEARED here", "ſiſt", "x: @a"]:
        if gate.pattern.search(text) or gate.pattern.fullmatch(text):
            assert gate.possible(text, fold(text))


@pytest.mark.parametrize(("pattern", "flags"), [
    (r"first\s+(?:published|appeared|posted)", re.IGNORECASE | re.MULTILINE),
    (r"(?:published|appeared|posted)\s+first", re.IGNORECASE),
    (r"^\s*(?:originally\s+)?(?:published|posted)\b\s*:?", re.IGNORECASE | re.MULTILINE),
    (r"^\w", 0),
    (r"\bsaid\b", 0),
    (r"(?<!\w)(?:he|she|the)\s", re.IGNORECASE),
    (r"a*", 0),
    (r"\d+", 0),
])
def test_scanner_finds_what_finditer_finds(pattern: str, flags: int) -> None:
    compiled = re.compile(pattern, flags)
    for text in TEXTS:
        want = [(m.span(), m.group()) for m in compiled.finditer(text)]
        assert [(m.span(), m.group()) for m in Scanner(compiled).finditer(text)] == want


@pytest.mark.parametrize(("pattern", "flags", "expected"), [
    (r"(?:the\s+)?May", 0, set("tM")),
    (r"\b(?i:ago)", 0, {"a", "A"}),
    (r"(?<!\d)\d{1,2}", 0, None),      # any decimal digit: checked with str.isdecimal
    (r"a*b", 0, {"a", "b"}),
    (r"x?", 0, None),                   # can match the empty string
    (r"\w+", 0, None),                  # a category: not known
])
def test_first_chars(pattern: str, flags: int, expected: set[str] | None) -> None:
    got = first_chars(re.compile(pattern, flags))
    if pattern.startswith(r"(?<!\d)"):
        assert got is not None and got.admits("7") and got.admits("٣") and not got.admits("x")
    else:
        assert (None if got is None else set(got)) == expected


def test_first_chars_under_ignorecase_include_what_re_folds() -> None:
    got = first_chars(re.compile(r"(?:said|kilo)", re.IGNORECASE))
    assert got is not None and {"s", "S", "\u017f", "k", "K", "\u212a"} <= set(got)
