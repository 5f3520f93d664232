"""Read a corpus folder: article files of mixed formats plus an optional ``metadata.csv``.

Article files are ``*.txt``, ``*.md`` / ``*.markdown`` (markdown syntax stripped) and
``*.html`` / ``*.htm`` (tags, scripts and styles stripped, paragraph breaks kept,
entities unescaped), in the folder or its sub-folders (hidden entries are ignored).
Bytes are decoded as UTF-8 (with or without BOM), else Windows-1252, else Latin-1,
with a note on the article. Line endings become ``\\n``.

Skipped, each with a one-line reason: empty files, binary files, a file whose text
is the same as an earlier file's (in name order), files of another type. Metadata
rows that cannot be read fully are reported by file and line; their article still
builds with what could be read. Only ``metadata.csv`` is read (columns
file,title,outlet,author,published,url; any order, extra columns ignored).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import ClassVar

from analysis.pipeline import ArticleInput

METADATA_FILE = "metadata.csv"
META_FIELDS: tuple[str, ...] = ("title", "outlet", "author", "published", "url")
TEXT_SUFFIXES = frozenset({".txt", ".text"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
ARTICLE_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES

SKIPPED = "skipped"
WARNING = "warning"

_NOT_CONTROL = bytes(b for b in range(256) if b >= 32 or b in (9, 10, 12, 13))
_SNIFF = 8192
_MONTHS = {m: i for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"), start=1)}
_MONTHS.update({name[:3]: num for name, num in list(_MONTHS.items())})
_MONTHS["sept"] = 9


class CorpusError(Exception):
    """The corpus folder cannot be read at all (a usage error)."""


@dataclass(frozen=True)
class Problem:
    """A file that was skipped, or a problem with an article that still builds."""

    file: str
    reason: str
    severity: str = SKIPPED   # skipped | warning

    def __str__(self) -> str:
        verb = "skipped" if self.severity == SKIPPED else "warning"
        return f"{verb}: {self.file}: {self.reason}"


# -- decoding ----------------------------------------------------------------------------------

def is_binary(data: bytes) -> bool:
    """Return True when ``data`` looks like a binary file (NUL bytes, many control bytes)."""
    head = data[:_SNIFF]
    if b"\x00" in head:
        return True
    if not head:
        return False
    control = len(head.translate(None, _NOT_CONTROL))
    return control / len(head) > 0.05


def decode(data: bytes) -> tuple[str, tuple[str, ...]]:
    """Decode bytes as UTF-8 (BOM or not), else Windows-1252, else Latin-1; return text and notes."""
    try:
        text = data.decode("utf-8-sig")
        notes: tuple[str, ...] = ()
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
            notes = ("decoded as windows-1252",)
        except UnicodeDecodeError:
            text = data.decode("latin-1")
            notes = ("decoded as latin-1",)
    return text.replace("\r\n", "\n").replace("\r", "\n"), notes


def text_hash(text: str) -> str:
    """Return the sha256 hex digest of ``text`` (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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

def _row_fields(header: list[str], row: list[str]) -> dict[str, str]:
    """Map a row to header fields; extra fields are taken as commas inside the title."""
    if len(row) > len(header) and "title" in header:
        at = header.index("title")
        tail = len(header) - at - 1
        row = [*row[:at], ",".join(row[at:len(row) - tail]), *row[len(row) - tail:]]
    values = [v.strip() for v in row[:len(header)]]
    values += [""] * (len(header) - len(values))
    return dict(zip(header, values, strict=True))


def read_metadata(path: Path) -> tuple[dict[str, tuple[int, dict[str, str]]], list[Problem]]:
    """Read ``metadata.csv``: file name -> (line, fields), and problems found by line."""
    name = path.name
    text, _ = decode(path.read_bytes())
    reader = csv.reader(io.StringIO(text))
    problems: list[Problem] = []
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        return {}, [Problem(name, "empty metadata file", WARNING)]
    except csv.Error as exc:
        return {}, [Problem(name, f"line 1: {exc}", WARNING)]
    if "file" not in header:
        return {}, [Problem(name, "line 1: no 'file' column; metadata ignored", WARNING)]
    rows: dict[str, tuple[int, dict[str, str]]] = {}
    line = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(name, f"line {line}: {exc}", WARNING))
            line = reader.line_num + 1
            continue
        here, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        fields = _row_fields(header, row)
        if len(row) != len(header):
            problems.append(Problem(
                name, f"line {here}: expected {len(header)} fields, found {len(row)}", WARNING))
        file = fields.get("file", "")
        if not file:
            problems.append(Problem(name, f"line {here}: no file name", WARNING))
            continue
        published = fields.get("published", "")
        if published and (iso := parse_date(published)) is None:
            problems.append(Problem(name, f"line {here}: unparseable date {published!r}", WARNING))
            fields["published"] = ""
        elif published:
            fields["published"] = iso
        if file in rows:
            problems.append(Problem(
                name, f"line {here}: second row for {file} (line {rows[file][0]} is used)", WARNING))
            continue
        rows[file] = (here, {k: fields.get(k, "") for k in META_FIELDS})
    return rows, problems


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


# -- files ----------------------------------------------------------------------------------------

def _article_files(folder: Path, *, ignore: tuple[Path, ...] = ()) -> list[Path]:
    """Every non-hidden file under ``folder`` outside the ``ignore`` folders, in posix-path order."""
    found = []
    skip = tuple(p.resolve() for p in ignore)
    for path in folder.rglob("*"):
        rel = path.relative_to(folder)
        if any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
            continue
        if path.is_file() and not any(path.resolve().is_relative_to(s) for s in skip):
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def _to_text(suffix: str, text: str) -> tuple[str, dict[str, str], tuple[str, ...]]:
    """Strip markup by file type; return plain text, metadata found in the markup and notes."""
    if suffix in MARKDOWN_SUFFIXES:
        plain, meta = markdown_to_text(text)
        return plain, meta, ("converted from markdown",)
    if suffix in HTML_SUFFIXES:
        plain, meta = html_to_text(text)
        return plain, meta, ("converted from html",)
    return text, {}, ()


def read_article(path: Path, *, name: str) -> tuple[str, dict[str, str], tuple[str, ...]] | str:
    """Read one article file: (text, markup metadata, notes), or the reason to skip it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if not data.strip():
        return "empty file"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text, notes = data.decode("utf-16").replace("\r\n", "\n"), ("decoded as utf-16",)
        except UnicodeDecodeError:
            return "binary file"
    elif is_binary(data):
        return "binary file"
    else:
        text, notes = decode(data)
    plain, meta, more = _to_text(PurePosixPath(name).suffix.lower(), text)
    if not plain.strip():
        return "empty file (no text)"
    return plain, meta, notes + more


def read_corpus(folder: Path, *, ignore: tuple[Path, ...] = ()) -> tuple[list[ArticleInput], list[Problem]]:
    """Read every article of ``folder`` (not under ``ignore``); return the articles and the problems."""
    folder = Path(folder)
    if not folder.exists():
        raise CorpusError(f"corpus folder {folder} does not exist")
    if not folder.is_dir():
        raise CorpusError(f"{folder} is not a folder")
    problems: list[Problem] = []
    metadata: dict[str, tuple[int, dict[str, str]]] = {}
    files = _article_files(folder, ignore=ignore)
    meta_path = folder / METADATA_FILE
    if meta_path.is_file():
        metadata, problems = read_metadata(meta_path)
    seen: dict[str, str] = {}
    articles: list[ArticleInput] = []
    for path in files:
        name = path.relative_to(folder).as_posix()
        suffix = path.suffix.lower()
        if name == METADATA_FILE:
            continue
        if suffix not in ARTICLE_SUFFIXES:
            reason = ("only metadata.csv is read as metadata" if path.stem.lower() == "metadata"
                      else f"not an article file ({suffix or 'no extension'})")
            problems.append(Problem(name, reason))
            continue
        got = read_article(path, name=name)
        if isinstance(got, str):
            problems.append(Problem(name, got))
            continue
        text, markup_meta, notes = got
        digest = text_hash(text.strip())
        if digest in seen:
            problems.append(Problem(name, f"same text as {seen[digest]}"))
            continue
        seen[digest] = name
        meta = {key: markup_meta.get(key, "") for key in META_FIELDS}
        row = metadata.get(name) or metadata.get(path.name)
        if row is not None:
            meta.update({k: v for k, v in row[1].items() if v})
        notes += tuple(f"{METADATA_FILE} {p.reason}" for p in problems
                       if row is not None and p.file == METADATA_FILE
                       and p.reason.startswith(f"line {row[0]}:"))
        articles.append(ArticleInput(file=name, raw=text, meta=meta, notes=notes))
    built = {a.file for a in articles} | {PurePosixPath(a.file).name for a in articles}
    listed = {p.file for p in problems}
    for file, (line, _) in metadata.items():
        if file not in built and file not in listed:
            problems.append(Problem(METADATA_FILE, f"line {line}: no article file {file}", WARNING))
    if not files or all(p.relative_to(folder).as_posix() == METADATA_FILE for p in files):
        raise CorpusError(f"no article files (.txt, .md, .html) in {folder}")
    return articles, problems
