"""Cleaning: page furniture out, captions and headings marked, wrapped lines joined."""

from __future__ import annotations

import pytest

from analysis.clean import clean_text


def kinds(raw: str) -> list[tuple[str, str]]:
    c = clean_text(raw)
    return [(c.text[b.start:b.end], b.kind) for b in c.blocks]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("close\nclose\n\nA headline here\n\nBody text says this.",
         [("A headline here", "heading"), ("Body text says this.", "body")]),
        ("  1. Home page\n  2. policy\nHe said it was so.", [("He said it was so.", "body")]),
        ("Some\nanalysts say the war\nwill go on.", [("Some analysts say the war will go on.", "body")]),
        ("Leaders met in a hall. Photo: Jane Roe\nLeaders met in a hall.\nText follows here.",
         [("Leaders met in a hall.", "caption"), ("Text follows here.", "body")]),
        ("Para one is here.\nPara two is here.\nPara one is here.\nPara two is here.",
         [("Para one is here.", "body"), ("Para two is here.", "body")]),
        ("8:39 PM EDT, October 26, 2024\nThe text.", [("8:39 PM EDT, October 26, 2024", "dateline"),
                                                     ("The text.", "body")]),
        ("  • A bullet point sentence.\n- A dash paragraph.",
         [("A bullet point sentence.", "body"), ("A dash paragraph.", "body")]),
        ("The post Big Title Here appeared first on Some Outlet.",
         [("The post Big Title Here appeared first on Some Outlet.", "note")]),
        ("Logo line © example.com\nCopy\nTop\nReal text.", [("Real text.", "body")]),
    ],
)
def test_blocks(raw: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(raw) == expected


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        ("JANE ROE Why the Sky Is Blue\n\nBody text here.", "Why the Sky Is Blue"),
        ("Plain Headline\nBody.", "Plain Headline"),
        ("Body sentence one. Another.\nThe post Real Title appeared first on Outlet.", "Real Title"),
        ("Only a body sentence that is long enough to be the title.",
         "Only a body sentence that is long enough to be the title."),
        ("", ""),
    ],
)
def test_title_from_text(raw: str, title: str) -> None:
    assert clean_text(raw).title == title


def test_blocks_index_into_the_cleaned_text() -> None:
    c = clean_text("Head line\n\nFirst para.\nSecond para.")
    assert [c.text[b.start:b.end] for b in c.blocks] == ["Head line", "First para.", "Second para."]
    assert c.text == "Head line\n\nFirst para.\n\nSecond para."
