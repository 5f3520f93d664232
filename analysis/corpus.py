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
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from analysis.formats import html_to_text, markdown_to_text, parse_date
from analysis.pipeline import ArticleInput

METADATA_FILE = "metadata.csv"
FOLDER_DOCS = frozenset({"readme", "license", "licence", "changelog", "contributing"})
"""File stems (any case, any extension) of a folder's own documentation: never read as articles."""
META_FIELDS: tuple[str, ...] = ("title", "outlet", "author", "published", "url")
TEXT_SUFFIXES = frozenset({".txt", ".text"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
ARTICLE_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES

SKIPPED = "skipped"
WARNING = "warning"
IGNORED = "ignored"     # a file that is not meant to be an article (the folder's README): no failure

_NOT_CONTROL = bytes(b for b in range(256) if b >= 32 or b in (9, 10, 12, 13))
_SNIFF = 8192


class CorpusError(Exception):
    """The corpus folder cannot be read at all (a usage error)."""


@dataclass(frozen=True)
class Problem:
    """A file that was skipped, or a problem with an article that still builds."""

    file: str
    reason: str
    severity: str = SKIPPED   # skipped | warning | ignored

    def __str__(self) -> str:
        return f"{self.severity}: {self.file}: {self.reason}"


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


# -- files ----------------------------------------------------------------------------------------

def is_folder_doc(path: Path) -> bool:
    """True for a README, LICENSE and the like (:data:`FOLDER_DOCS`): they describe the folder."""
    return path.name.split(".")[0].lower() in FOLDER_DOCS


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
        if is_folder_doc(path):
            problems.append(Problem(name, "the folder's documentation, not an article", IGNORED))
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
    if not files or all(p.relative_to(folder).as_posix() == METADATA_FILE or is_folder_doc(p) for p in files):
        raise CorpusError(f"no article files (.txt, .md, .html) in {folder}")
    return articles, problems
