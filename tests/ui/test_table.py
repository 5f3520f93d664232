"""Evidence tables (ui/table.py): every value as text, links that open the reader, long tables a page at a time."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.html_tables import html_tables, page_table
from ui.table import FIRST_ROWS, MORE_ROWS, Column, table_html

COLUMNS = {"sentence": Column("Sentence", width="40%", help='What "they" said'),
           "weight": Column("Weight", number=".2f"),
           "link": Column("Reader", link="Open at sentence")}


def _frame(**columns: list) -> pd.DataFrame:
    return pd.DataFrame(columns)


@pytest.mark.parametrize(("value", "shown"), [
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ('<img src=x onerror="alert(1)">', "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"),
    ("Tom & Jerry", "Tom &amp; Jerry"),
])
def test_markup_in_a_value_is_escaped(value, shown):
    markup = table_html(_frame(sentence=[value], weight=[1.0], link=[""]), COLUMNS, name="t")
    assert f"<td>{shown}</td>" in markup
    assert "<script>" not in markup and "<img" not in markup
    assert html_tables(markup)["t"]["sentence"].tolist() == [value]


def test_a_link_column_opens_the_reader_in_a_new_tab_with_its_url_escaped():
    markup = table_html(_frame(sentence=["s"], weight=[1.0], link=["reader?article=a&sentence=\"x"]),
                        COLUMNS, name="t")
    assert ('<a href="reader?article=a&amp;sentence=&quot;x" target="_blank" rel="noopener">'
            "Open at sentence</a>") in markup
    assert html_tables(markup)["t"]["link"].tolist() == ['reader?article=a&sentence="x']


def test_numbers_are_formatted_and_missing_values_are_empty():
    frame = pd.DataFrame({"sentence": pd.array(["a", pd.NA], dtype="string"), "weight": [2.0, float("nan")],
                          "link": ["reader?article=a", None]})
    rows = html_tables(table_html(frame, COLUMNS, name="t"))["t"]
    assert rows.values.tolist() == [["a", "2.00", "reader?article=a"], ["", "", ""]]


def test_headers_carry_labels_widths_help_and_column_names():
    markup = table_html(_frame(sentence=[], weight=[], link=[]), COLUMNS, name="t")
    assert '<th data-col="sentence" style="width:40%" title="What &quot;they&quot; said">Sentence</th>' in markup
    assert '<th data-col="weight">Weight</th>' in markup
    assert 'data-table="t"' in markup and "<tbody></tbody>" in markup


def _table_app(n: int) -> None:
    """An app that shows a table of ``n`` sentences (AppTest runs this function's body as its script)."""
    import pandas as pd

    from ui.table import Column, table

    frame = pd.DataFrame({"sentence": [f"sentence {k}" for k in range(n)]})
    table(frame, {"sentence": Column("Sentence")}, key="long")


def _long_table_app(n: int) -> AppTest:
    return AppTest.from_function(_table_app, kwargs={"n": n})


def test_a_long_table_shows_a_short_first_page_then_adds_rows_at_each_click():
    n = FIRST_ROWS + MORE_ROWS + 30
    at = _long_table_app(n).run()
    assert len(page_table(at, "long")) == FIRST_ROWS
    assert f"first {FIRST_ROWS} of {n} rows" in at.caption[0].value
    assert at.button(key="long_more").label == f"Show {MORE_ROWS} more"
    at.button(key="long_more").click().run()
    assert len(page_table(at, "long")) == FIRST_ROWS + MORE_ROWS
    assert at.button(key="long_more").label == "Show 30 more"
    at.button(key="long_more").click().run()
    assert len(page_table(at, "long")) == n
    assert not at.button and not at.caption


def test_a_short_table_has_no_button():
    at = _long_table_app(3).run()
    assert page_table(at, "long")["sentence"].tolist() == ["sentence 0", "sentence 1", "sentence 2"]
    assert not at.button
