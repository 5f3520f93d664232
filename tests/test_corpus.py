"""Reading a corpus folder: formats, decoding, metadata.csv, skipped files."""

from __future__ import annotations

import pytest

from analysis.corpus import SKIPPED, WARNING, CorpusError, decode, is_binary, read_corpus
from analysis.formats import html_to_text, markdown_to_text, parse_date

from .conftest import SEEDS

BODY = "First paragraph of the article.\n\nSecond paragraph.\n"


@pytest.mark.parametrize(("data", "text", "notes"), [
    ("café “quoted”".encode(), "café “quoted”", ()),
    ("\ufeffcafé".encode(), "café", ()),                                 # UTF-8 with BOM
    (b"caf\xe9 \x93quoted\x94 \x96 dash", "café “quoted” – dash", ("decoded as windows-1252",)),
    (b"caf\xe9 na\xefve", "café naïve", ("decoded as windows-1252",)),   # Latin-1 text
    (b"undefined in 1252: \x81\xe9", "undefined in 1252: \x81é", ("decoded as latin-1",)),
    (b"line one\r\nline two\rline three", "line one\nline two\nline three", ()),
])
def test_decode(data: bytes, text: str, notes: tuple[str, ...]) -> None:
    assert decode(data) == (text, notes)


@pytest.mark.parametrize(("data", "binary"), [
    (b"plain text\n", False),
    ("accents é and “quotes”".encode(), False),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", True),
    (b"%PDF-1.7\n" + bytes(range(1, 9)) * 40, True),
    (b"text with a \x0c form feed\n", False),
])
def test_is_binary(data: bytes, binary: bool) -> None:
    assert is_binary(data) is binary


@pytest.mark.parametrize(("value", "iso"), [
    ("2024-10-26", "2024-10-26"),
    ("2024-10", "2024-10"),
    ("2024", "2024"),
    ("2024/10/26", "2024-10-26"),
    ("2024-10-26T20:39:00-04:00", "2024-10-26"),
    ("October 26, 2024", "2024-10-26"),
    ("26 October 2024", "2024-10-26"),
    ("Oct. 26, 2024", "2024-10-26"),
    ("November 2024", "2024-11"),
    ("2024-13-01", None),
    ("last Tuesday", None),
    ("26/10/2024", None),
])
def test_parse_date(value: str, iso: str | None) -> None:
    assert parse_date(value) == iso


@pytest.mark.parametrize(("markdown", "text", "meta"), [
    ("# The Title\n\nBody with *emphasis* and **strong**.\n", "The Title\n\nBody with emphasis and strong.\n",
     {"title": "The Title"}),
    ("A [link to](https://x.org/a) text and ![a photo](p.jpg) image.\n", "A link to text and  image.\n", {}),
    ("> Quoted paragraph\n\n- first item\n- second item\n",
     "Quoted paragraph\n\nfirst item\nsecond item\n", {}),
    ("snake_case_name and 3 * 4 * 5 stay\n", "snake_case_name and 3 * 4 * 5 stay\n", {}),
    ("---\ntitle: \"Front matter\"\ndate: 2024-11-05\nauthor: A. Writer\n---\nBody.\n", "Body.\n",
     {"title": "Front matter", "published": "2024-11-05", "author": "A. Writer"}),
    ("Title\n=====\n\nText after a rule\n\n***\n\nEnd\n", "Title\n\nText after a rule\n\nEnd\n", {}),
])
def test_markdown_to_text(markdown: str, text: str, meta: dict) -> None:
    assert markdown_to_text(markdown) == (text, meta)


@pytest.mark.parametrize(("html", "text", "meta"), [
    ("<p>One &amp; two</p><p>Caf&eacute; &#8220;q&#8221;</p>", "One & two\n\nCafé “q”\n", {}),
    ("<html><head><title>Page | Outlet</title><style>p {color: red}</style>"
     "<script>var x = '<p>no</p>';</script></head><body><h1>Head  line</h1>"
     "<p>Text\nwrapped in\nthe source.</p></body></html>",
     "Head line\n\nText wrapped in the source.\n", {"title": "Head line"}),
    ("<nav>Home | World</nav><article><p>Kept<br>two lines</p></article><footer>(c) 2024</footer>",
     "Kept\ntwo lines\n", {}),
    ('<meta property="og:site_name" content="The Outlet">'
     '<meta property="article:published_time" content="2024-10-26T20:39:00Z">'
     '<link rel="canonical" href="https://example.org/a"><title>T</title><p>Body</p>',
     "Body\n", {"outlet": "The Outlet", "published": "2024-10-26", "url": "https://example.org/a",
                "title": "T"}),
])
def test_html_to_text(html: str, text: str, meta: dict) -> None:
    assert html_to_text(html) == (text, meta)


def test_seeds_read_in_name_order() -> None:
    articles, problems = read_corpus(SEEDS)
    assert [a.file for a in articles] == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert [p for p in problems if p.severity == SKIPPED] == []
    assert all(a.raw.strip() and "\r" not in a.raw for a in articles)


def test_mixed_formats_without_metadata(write_corpus) -> None:
    folder = write_corpus({
        "a.txt": BODY,
        "b.md": "# Markdown title\n\n" + BODY,
        "c.html": "<h1>HTML title</h1><p>First paragraph.</p><p>Second.</p>",
        "sub/d.htm": "<p>Nested file.</p>",
        ".hidden.txt": BODY + "hidden",
        "notes.docx": b"PK\x03\x04",
    })
    articles, problems = read_corpus(folder)
    assert [(a.file, a.meta["title"]) for a in articles] == [
        ("a.txt", ""), ("b.md", "Markdown title"), ("c.html", "HTML title"), ("sub/d.htm", "")]
    assert articles[1].notes == ("converted from markdown",)
    assert [str(p) for p in problems] == ["skipped: notes.docx: not an article file (.docx)"]


@pytest.mark.parametrize(("files", "expected"), [
    ({"a.txt": BODY, "b.txt": ""}, ["skipped: b.txt: empty file"]),
    ({"a.txt": BODY, "b.txt": "  \n\n "}, ["skipped: b.txt: empty file"]),
    ({"a.txt": BODY, "b.txt": b"\x00\x01\x02binary\x00" * 50}, ["skipped: b.txt: binary file"]),
    ({"a.txt": BODY, "b.txt": BODY}, ["skipped: b.txt: same text as a.txt"]),
    ({"a.txt": BODY, "b.md": BODY.replace("\n", "\r\n")}, ["skipped: b.md: same text as a.txt"]),
    ({"a.txt": BODY, "b.html": "<script>x()</script>"}, ["skipped: b.html: empty file (no text)"]),
    ({"a.txt": BODY, "metadata.yaml": "a.txt: {}"},
     ["skipped: metadata.yaml: only metadata.csv is read as metadata"]),
    ({"a.txt": BODY, "README.md": "# Our corpus\n\nArticles quoting Jane Roe, professor."},
     ["ignored: README.md: the folder's documentation, not an article"]),
    ({"a.txt": BODY, "readme.txt": BODY + "x", "LICENSE": "CC BY 4.0"},
     ["ignored: LICENSE: the folder's documentation, not an article",
      "ignored: readme.txt: the folder's documentation, not an article"]),
])
def test_skipped_files(write_corpus, files: dict, expected: list[str]) -> None:
    articles, problems = read_corpus(write_corpus(files))
    assert [a.file for a in articles] == ["a.txt"]
    assert [str(p) for p in problems] == expected


HEADER = "file,title,outlet,author,published,url\n"


@pytest.mark.parametrize(("rows", "meta", "problems"), [
    ('a.txt,"Title, with comma",Outlet,Author,2024-10-26,https://x.org\n',
     {"title": "Title, with comma", "outlet": "Outlet", "author": "Author", "published": "2024-10-26",
      "url": "https://x.org"}, []),
    ("a.txt,Title,Outlet,,October 26 2024,\n",
     {"title": "Title", "outlet": "Outlet", "author": "", "published": "2024-10-26", "url": ""}, []),
    ("a.txt,Title,Outlet,Author,not a date,\n",
     {"title": "Title", "outlet": "Outlet", "author": "Author", "published": "", "url": ""},
     ["warning: metadata.csv: line 2: unparseable date 'not a date'"]),
    ("a.txt,Title\n",
     {"title": "Title", "outlet": "", "author": "", "published": "", "url": ""},
     ["warning: metadata.csv: line 2: expected 6 fields, found 2"]),
    ("a.txt,Russia, North Korea bolster ties,PAP,,2024-10-26,\n",
     {"title": "Russia, North Korea bolster ties", "outlet": "PAP", "author": "", "published": "2024-10-26",
      "url": ""}, ["warning: metadata.csv: line 2: expected 6 fields, found 7"]),
    ("\nb.txt,Other,,,,\na.txt,Title,,,2024-02-30,\n",
     {"title": "Title", "outlet": "", "author": "", "published": "", "url": ""},
     ["warning: metadata.csv: line 4: unparseable date '2024-02-30'",
      "warning: metadata.csv: line 3: no article file b.txt"]),
])
def test_metadata_rows(write_corpus, rows: str, meta: dict, problems: list[str]) -> None:
    folder = write_corpus({"a.txt": BODY, "metadata.csv": HEADER + rows})
    articles, found = read_corpus(folder)
    assert [a.meta for a in articles] == [meta]
    assert [str(p) for p in found] == problems
    assert all(p.severity == WARNING for p in found)


def test_malformed_metadata_row_is_noted_on_its_article(write_corpus) -> None:
    folder = write_corpus({"a.txt": BODY, "b.txt": BODY + "b", "metadata.csv":
                           HEADER + "a.txt,A,,,2024-99-99,\nb.txt,B,,,2024-01-02,\n"})
    a, b = read_corpus(folder)[0]
    assert a.notes == ("metadata.csv line 2: unparseable date '2024-99-99'",)
    assert (b.meta["title"], b.meta["published"], b.notes) == ("B", "2024-01-02", ())


def test_metadata_overrides_markup(write_corpus) -> None:
    folder = write_corpus({"a.md": "# Markup title\n\nBody.\n", "metadata.csv": HEADER + "a.md,Listed,,,,\n"})
    assert read_corpus(folder)[0][0].meta["title"] == "Listed"


@pytest.mark.parametrize(("files", "message"), [
    (None, "does not exist"),
    ({}, "no article files"),
    ({"metadata.csv": HEADER}, "no article files"),
    ({"README.md": "# About these articles\n\nSome text."}, "no article files"),
])
def test_unusable_folder(write_corpus, tmp_path, files: dict | None, message: str) -> None:
    folder = tmp_path / "missing" if files is None else write_corpus(files)
    with pytest.raises(CorpusError, match=message):
        read_corpus(folder)


def test_synthetic_benchmark_corpus_is_deterministic_and_varied(tmp_path) -> None:
    from benchmarks.make_corpus import write_corpus

    one = write_corpus(tmp_path / "one", n=3, seed=1)
    two = write_corpus(tmp_path / "two", n=3, seed=1)
    other = write_corpus(tmp_path / "other", n=3, seed=2)
    texts = [p.read_text(encoding="utf-8") for p in one]
    assert texts == [p.read_text(encoding="utf-8") for p in two]
    assert texts != [p.read_text(encoding="utf-8") for p in other]
    articles, problems = read_corpus(tmp_path / "one")
    assert (len(articles), problems) == (3, [])
    assert [bool(a.meta["published"]) for a in articles] == [False, True, True]
