"""Streamlit glue for Expert Lens: cached loaders, the shared URL-bound filters, renderers.

Dependencies run one way: ``pages -> ui -> analysis``. Nothing here computes
what a view means; it draws frames that :mod:`analysis` returns. The two
helpers below are for plotly, which renders a subset of HTML in labels and
hovers: every string from an article goes through :func:`esc` first.
"""

from __future__ import annotations

import html
import textwrap


def esc(text: object) -> str:
    """Escape text for plotly labels and hovers (& < > become entities, shown as text)."""
    return html.escape(str(text), quote=False)


def wrap_esc(text: object, width: int = 70) -> str:
    """Escape text and wrap it into plotly ``<br>`` lines."""
    return "<br>".join(esc(line) for line in textwrap.wrap(str(text), width) or [""])


OPENING_QUOTES = "\"“‘«'"


def quote_esc(text: object, width: int = 70) -> str:
    """:func:`wrap_esc` in quotation marks, unless the sentence already opens with its own."""
    body = wrap_esc(text, width)
    return body if str(text).lstrip().startswith(tuple(OPENING_QUOTES)) else f"“{body}”"
