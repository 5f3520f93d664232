"""Chart labels and hovers: article text is escaped for plotly, wrapped, and quoted once."""

from __future__ import annotations

import pytest

from ui import esc, quote_esc, wrap_esc


@pytest.mark.parametrize(("text", "shown"), [
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("Tom & Jerry", "Tom &amp; Jerry"),
    ('He said "no".', 'He said "no".'),
])
def test_escape_keeps_markup_as_text(text: str, shown: str) -> None:
    assert esc(text) == shown


def test_long_text_is_wrapped_then_escaped_line_by_line() -> None:
    lines = wrap_esc("a <b> " * 20, 30).split("<br>")
    assert lines == ["a &lt;b&gt; " * 4 + "a &lt;b&gt;"] * 4   # 29 characters of text a line


@pytest.mark.parametrize(("text", "shown"), [
    ("Russia needs soldiers.", "“Russia needs soldiers.”"),
    ("“There is an opportunity,” she said.", "“There is an opportunity,” she said."),
    ('"We will act," he said.', '"We will act," he said.'),
    ("<b>bold</b> claim", "“&lt;b&gt;bold&lt;/b&gt; claim”"),
])
def test_a_sentence_is_quoted_once(text: str, shown: str) -> None:
    assert quote_esc(text) == shown
