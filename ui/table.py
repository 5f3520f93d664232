"""Evidence tables as HTML: whole sentences that wrap, links that open the reader, every value shown as text.

The pages list their evidence (a sentence per row, with its article, date and
a link to the reader) in plain HTML tables rather than ``st.dataframe``: a
sentence wraps onto as many lines as it needs instead of being cut at the
column's edge, the link is a real link, and the page does not have to load
Streamlit's data grid (1.6 MB of JavaScript, ~40 files, compiled in every new
tab) to show a few rows of text. Every value is HTML-escaped here; ``st.html``
sanitises the markup again on its way to the page.

A long table shows its first rows in a box that scrolls under a fixed header,
with a button that shows more; the pages' downloads always hold every row. The
first page is short (:data:`FIRST_ROWS`): on a page's first render the browser
sanitises, lays out and paints every row it is given, ~1.2 ms a row here, and
the box shows about ten at a time; each click then adds :data:`MORE_ROWS`.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape

import pandas as pd
import streamlit as st

FIRST_ROWS = 25
"""Rows shown at first (two and a half boxes' worth)."""
MORE_ROWS = 100
"""How many more rows each click on "Show more" adds."""
CSS = """<style>
.el-table-box{max-height:40rem;overflow:auto;border:1px solid rgba(128,128,128,.25);border-radius:.5rem}
.el-table{border-collapse:collapse;width:100%;font-size:.875rem;line-height:1.4;color:inherit}
.el-table th{position:sticky;top:0;z-index:1;text-align:left;font-weight:600;padding:.45rem .6rem;
  background:rgb(240,242,246);color:rgb(49,51,63);border-bottom:1px solid rgba(128,128,128,.35)}
.el-table td{padding:.4rem .6rem;vertical-align:top;border-bottom:1px solid rgba(128,128,128,.15)}
.el-table tr:last-child td{border-bottom:none}
.el-table td.el-num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.el-table td.el-link,.el-table td.el-nowrap{white-space:nowrap}
.el-table th[title]{text-decoration:underline dotted;cursor:help}
</style>"""
"""The tables' look: Streamlit's own header colours, borders that work on a light or a dark theme."""


@dataclass(frozen=True)
class Column:
    """How a column of a table is shown: its header, width, and whether it holds links or numbers."""

    label: str
    width: str | None = None
    """CSS width of the column (e.g. ``"40%"``); None: as the text needs."""
    link: str | None = None
    """The column holds URLs: each is shown as a link with this text, opening in a new tab."""
    number: str | None = None
    """The column holds numbers: shown right-aligned with this format (e.g. ``".2f"``)."""
    help: str | None = None
    """Shown when the pointer rests on the header."""
    nowrap: bool = False
    """Keep each value on one line (dates, short codes)."""


READER_LINK = Column("Reader", link="Open at sentence", help="Opens the article reader at this sentence.")
"""The column of links to the sentence in the article reader, as every evidence table shows it."""


def _cell(value: object, column: Column) -> str:
    """One ``<td>``: the value escaped (a link, a number or text); missing values are empty."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return "<td></td>"
    if column.link is not None:
        return (f'<td class="el-link"><a href="{escape(str(value), quote=True)}" target="_blank" '
                f'rel="noopener">{escape(column.link)}</a></td>') if str(value) else "<td></td>"
    if column.number is not None and isinstance(value, numbers.Real):
        return f'<td class="el-num">{format(value, column.number)}</td>'
    start = '<td class="el-nowrap">' if column.nowrap else "<td>"
    return f"{start}{escape(str(value))}</td>"


def _head(key: str, column: Column) -> str:
    """One ``<th>``: the label, the frame's column name as ``data-col``, the width and help if any."""
    width = f' style="width:{escape(column.width, quote=True)}"' if column.width else ""
    title = f' title="{escape(column.help, quote=True)}"' if column.help else ""
    return f'<th data-col="{escape(key, quote=True)}"{width}{title}>{escape(column.label)}</th>'


def table_html(frame: pd.DataFrame, columns: Mapping[str, Column], *, name: str) -> str:
    """The rows of ``frame`` as an HTML table of ``columns`` (frame column -> :class:`Column`), values escaped.

    ``name`` is the table's ``data-table`` attribute (how tests and scripts find it), each header has
    its frame column's name as ``data-col`` and each row its position in ``frame`` as ``data-row``.
    """
    heads = "".join(_head(key, c) for key, c in columns.items())
    keys = list(columns)
    body = "".join(
        f'<tr data-row="{k}">' + "".join(_cell(v, columns[col]) for col, v in zip(keys, row, strict=True))
        + "</tr>"
        for k, row in enumerate(frame[keys].itertuples(index=False, name=None)))
    return (f'<div class="el-table-box"><table class="el-table" data-table="{escape(name, quote=True)}">'
            f"<thead><tr>{heads}</tr></thead><tbody>{body}</tbody></table></div>")


def _show_more(key: str) -> None:
    """Show :data:`MORE_ROWS` more rows of table ``key`` (a button callback)."""
    st.session_state[key] = st.session_state.get(key, FIRST_ROWS) + MORE_ROWS


def table(frame: pd.DataFrame, columns: Mapping[str, Column], *, key: str) -> None:
    """Show ``frame`` as an HTML table: the first rows, and a button that shows more when there are more."""
    limit_key = f"{key}_rows"
    limit = max(int(st.session_state.get(limit_key, FIRST_ROWS)), FIRST_ROWS)
    st.html(CSS + table_html(frame.head(limit), columns, name=key))
    if len(frame) > limit:
        more = min(MORE_ROWS, len(frame) - limit)
        st.caption(f"Showing the first {limit:,} of {len(frame):,} rows; the download has them all.")
        st.button(f"Show {more:,} more", on_click=_show_more, args=(limit_key,), key=f"{key}_more",
                  icon=":material/expand_more:")
