"""Article file formats: markdown and HTML to plain text, with the metadata they carry.

Markdown front matter and the first heading, HTML ``<title>`` and ``<meta>`` tags fill in
title, author and date; dates in metadata are parsed to ISO by :func:`parse_date`.
"""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser
from typing import ClassVar

_MONTHS = {m: i for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"), start=1)}
_MONTHS.update({name[:3]: num for name, num in list(_MONTHS.items())})
_MONTHS["sept"] = 9


# -- dates in metadata ---------------------------------------------------------------------------

_ISO = re.compile(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?:[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?")
_DMY = re.compile(r"(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?([A-Za-z]{3,9})\.?,?\s+(\d{4})")
_MDY = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")


def _iso(year: int, month: int | None, day: int | None) -> str | None:
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        return None
    if month is None:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}" if day is None else f"{year:04d}-{month:02d}-{day:02d}"


def parse_date(value: str) -> str | None:
    """Return ``value`` as an ISO date at the precision it gives (YYYY[-MM[-DD]]), or None."""
    value = value.strip()
    if m := _ISO.fullmatch(value):
        return _iso(int(m[1]), int(m[2]) if m[2] else None, int(m[3]) if m[3] else None)
    if m := _MDY.fullmatch(value):
        month = _MONTHS.get(m[1].lower())
        return _iso(int(m[3]), month, int(m[2])) if month else None
    if m := _DMY.fullmatch(value):
        month = _MONTHS.get(m[2].lower())
        return _iso(int(m[3]), month, int(m[1]) if m[1] else None) if month else None
    return None


# -- metadata.csv --------------------------------------------------------------------------------

# -- markup ----------------------------------------------------------------------------------

_MD_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.M), r) for p, r in (
    (r"^[ \t]{0,3}(?:[-*_][ \t]*){3,}$", ""),                  # horizontal rules
    (r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S+.*$", ""),              # reference definitions
    (r"!\[([^\]\n]*)\]\([^)\n]*\)", ""),                        # images
    (r"\[([^\]\n]+)\](?:\([^)\n]*\)|\[[^\]\n]*\])", r"\1"),     # links -> their text
    (r"<(https?://[^>\s]+)>", r"\1"),                          # autolinks
    (r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$", r"\1"),     # ATX headings
    (r"^[ \t]{0,3}(?:>[ \t]?)+", ""),                          # blockquotes
    (r"^([ \t]*)[-*+][ \t]+", r"\1"),                          # bullets
    (r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2"),                 # strong
    (r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])", r"\1"),     # emphasis *x*
    (r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])", r"\1"),       # emphasis _x_
    (r"~~(.+?)~~", r"\1"),                                     # strikethrough
    (r"`{1,3}([^`\n]*)`{1,3}", r"\1"),                         # code
    (r"^[ \t]*(?:=+|-+)[ \t]*$", ""),                          # setext underlines
))
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n(?:---|\.\.\.)\n", re.S)
_MD_TITLE = re.compile(r"^[ \t]{0,3}#[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)
_FRONT_KEYS = {"title": "title", "author": "author", "date": "published", "published": "published",
               "outlet": "outlet", "publisher": "outlet", "url": "url", "source": "url"}


def markdown_to_text(text: str) -> tuple[str, dict[str, str]]:
    """Strip markdown syntax; return the plain text and metadata (front matter, first heading)."""
    meta: dict[str, str] = {}
    if m := _FRONT_MATTER.match(text):
        text = text[m.end():]
        for line in m[1].splitlines():
            key, _, value = line.partition(":")
            field = _FRONT_KEYS.get(key.strip().lower())
            if field and value.strip():
                meta.setdefault(field, value.strip().strip("\"'"))
    if "title" not in meta and (m := _MD_TITLE.search(text)):
        meta["title"] = m[1].strip()
    for pattern, repl in _MD_RULES:
        text = pattern.sub(repl, text)
    if published := meta.get("published"):
        meta["published"] = parse_date(published[:10]) or parse_date(published) or ""
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n", meta


class _HTMLText(HTMLParser):
    """Collect the visible text of an HTML page, one paragraph per block element."""

    SKIP: ClassVar[frozenset[str]] = frozenset({
        "script", "style", "noscript", "template", "svg", "nav", "footer", "aside", "form",
        "button", "iframe", "select", "head", "title"})
    BLOCKS: ClassVar[frozenset[str]] = frozenset({
        "p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6",
        "li", "ul", "ol", "blockquote", "figure", "figcaption", "table", "tr", "pre", "dl", "dt",
        "dd", "hr", "address", "details", "summary"})
    META: ClassVar[dict[str, str]] = {
        "og:title": "title", "dc.title": "title", "og:site_name": "outlet", "author": "author",
        "article:author": "author", "article:published_time": "published", "date": "published",
        "pubdate": "published", "dc.date": "published", "og:url": "url"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.meta: dict[str, str] = {}
        self.capture: str | None = None          # "title" or "h1" while inside one
        self.captured: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): v or "" for k, v in attrs}
        if tag == "meta":
            field = self.META.get((a.get("property") or a.get("name") or "").lower())
            if field and a.get("content", "").strip():
                self.meta.setdefault(field, a["content"].strip())
        elif tag == "link" and "canonical" in a.get("rel", "").lower() and a.get("href"):
            self.meta.setdefault("url", a["href"])
        if tag in ("title", "h1") and tag not in self.captured:
            self.capture = tag
            self.captured[tag] = []
        if tag in self.SKIP:
            self.skip += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in self.SKIP:
            self.skip -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag == self.capture:
            self.capture = None
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self.capture:
            self.captured[self.capture].append(data)
        if not self.skip:
            self.parts.append(data.replace("\n", " "))

    def heading(self, tag: str) -> str:
        """The text of the first ``tag`` element, whitespace collapsed."""
        return " ".join("".join(self.captured.get(tag, ())).split())


def html_to_text(text: str) -> tuple[str, dict[str, str]]:
    """Strip tags, scripts and styles; return paragraphs of text and the page's metadata."""
    parser = _HTMLText()
    parser.feed(text)
    parser.close()
    paragraphs = []
    for block in re.split(r"\n\s*\n", "".join(parser.parts)):
        lines = (" ".join(line.split()) for line in block.split("\n"))
        if para := "\n".join(line for line in lines if line):
            paragraphs.append(para)
    meta = dict(parser.meta)
    if title := parser.heading("h1") or meta.get("title") or parser.heading("title"):
        meta["title"] = title
    if published := meta.get("published"):
        meta["published"] = parse_date(published[:10]) or parse_date(published) or ""
    return "\n\n".join(paragraphs) + "\n", meta
