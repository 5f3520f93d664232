"""Read the pages' HTML tables (ui/table.py) back into frames, as a reader of the page would see them."""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd
from streamlit.testing.v1 import AppTest


class _Tables(HTMLParser):
    """Collect each ``<table data-table=...>``: its ``data-col`` names and its rows (a link cell: its href)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, tuple[list[str], list[list[str]]]] = {}
        self._name: str | None = None
        self._text: list[str] | None = None
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and a.get("data-table"):
            self._name = a["data-table"]
            self.tables[self._name] = ([], [])
        elif self._name is None:
            return
        elif tag == "th":
            self.tables[self._name][0].append(a.get("data-col") or "")
        elif tag == "tr" and "data-row" in a:
            self.tables[self._name][1].append([])
        elif tag == "td":
            self._text, self._href = [], None
        elif tag == "a" and self._text is not None:
            self._href = a.get("href") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._name = None
        elif tag == "td" and self._name is not None and self._text is not None:
            value = self._href if self._href is not None else "".join(self._text)
            self.tables[self._name][1][-1].append(value)
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def html_tables(markup: str) -> dict[str, pd.DataFrame]:
    """The tables in ``markup`` by name: one column per ``data-col``, one row per ``data-row``, as text."""
    parser = _Tables()
    parser.feed(markup)
    return {name: pd.DataFrame(rows, columns=cols) for name, (cols, rows) in parser.tables.items()}


def page_table(at: AppTest, name: str) -> pd.DataFrame:
    """The HTML table ``name`` (its ``data-table``) on the page the AppTest ran."""
    for element in at.get("html"):
        found = html_tables(element.proto.body)
        if name in found:
            return found[name]
    raise AssertionError(f"no table {name!r} on the page")
