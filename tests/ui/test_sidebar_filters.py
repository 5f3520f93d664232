"""The sidebar's filters component: what it sends is checked, the URL says what is chosen, its code makes no HTML."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from ui import filters
from ui.preload import STATIC

LABELS = {"people": {"p-ann": "Ann Lee", "p-bo": "Bo Chen"}, "actors": {"CHN": "China"},
          "articles": {"a-1": "A title <script>"}, "questions": {"q-1": "China approves?"}}


def test_a_change_from_the_sidebar_gives_every_filter():
    change = filters.read_change({"people": ["p-bo", "p-ann", "p-bo"], "actors": [], "articles": ["a-1"],
                                  "questions": [], "from": "2024-06-01", "to": ""})
    assert change == {"people": ["p-bo", "p-ann"], "actors": [], "articles": ["a-1"], "questions": [],
                      "from": dt.date(2024, 6, 1), "to": None}


@pytest.mark.parametrize("value", [
    None, "people", ["p-ann"], {"people": "p-ann"}, {"people": [1]}, {"from": 20240601},
])
def test_a_malformed_change_is_ignored(value):
    assert filters.read_change(value) is None


def test_a_change_with_a_date_that_is_not_one_clears_that_date():
    assert filters.read_change({"from": "June"})["from"] is None


def test_the_url_names_choices_by_label_or_id_and_unknown_ones_are_left_out():
    chosen = filters.from_url({"people": ["Bo Chen", "p-ann", "Nobody"], "actors": ["China"],
                               "from": ["2024-06-01"], "to": ["soon"]}, LABELS)
    assert chosen == {"people": ["p-bo", "p-ann"], "actors": ["CHN"], "articles": [], "questions": [],
                      "from": dt.date(2024, 6, 1), "to": None}


def test_the_url_says_the_choices_by_label_and_the_days_in_iso():
    params = filters.to_url({"people": ["p-bo", "p-ann"], "articles": ["a-1"], "from": dt.date(2024, 6, 1),
                             "to": None}, LABELS)
    assert params == {"people": ["Bo Chen", "Ann Lee"], "actors": [], "articles": ["A title <script>"],
                      "questions": [], "from": ["2024-06-01"], "to": []}


def test_the_url_and_back_give_the_same_choices():
    chosen = {"people": ["p-ann"], "actors": ["CHN"], "articles": ["a-1"], "questions": ["q-1"],
              "from": dt.date(2024, 1, 31), "to": dt.date(2024, 12, 1)}
    assert filters.from_url(filters.to_url(chosen, LABELS), LABELS) == chosen


def test_the_component_sets_the_datasets_text_only_as_text():
    code = (STATIC / "filters.js").read_text(encoding="utf-8")
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|DOMParser|eval\(", code)
    assert "textContent" in code
