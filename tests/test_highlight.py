"""The article reader's highlighted HTML: escaping, sentence anchors, mark spans and nesting."""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd
import pytest

from analysis import schema as S
from analysis.highlight import (
    Mark,
    article_html,
    claim_marks,
    legend_html,
    mention_marks,
    metadata_html,
    safe_url,
)

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


class Tree(HTMLParser):
    """Parse our HTML: check nesting, collect tags, sentence texts, marked texts and plain text."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.tags: list[str] = []
        self.ids: list[str] = []
        self.focus: list[str] = []
        self.text = ""          # article text without our labels and CSS
        self.marks: list[tuple[str, str]] = []   # (class, text) of every mark / claim, in order
        self._open: list[list] = []
        self.feed(markup)
        self.close()
        assert not self.stack, f"unclosed tags: {self.stack}"

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attr = dict(attrs)
        self.tags.append(tag)
        self.stack.append((tag, attr))
        cls = attr.get("class") or ""
        if "el-sent" in cls.split():
            self.ids.append(attr.get("id", ""))
            if "el-focus" in cls.split():
                self.focus.append(attr.get("id", ""))
        if "el-ent" in cls.split() or cls == "el-claim":
            self._open.append([cls, ""])

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1][0] == tag, f"</{tag}> closes {self.stack[-1:]}"
        _, attr = self.stack.pop()
        cls = attr.get("class") or ""
        if "el-ent" in cls.split() or cls == "el-claim":
            done = self._open.pop()
            self.marks.append((done[0].replace("el-ent ", ""), done[1]))

    def handle_data(self, data: str) -> None:
        if any(t == "style" or a.get("class") == "el-label" for t, a in self.stack):
            return
        self.text += data
        for item in self._open:
            item[1] += data


def sentences_of(text: str, spans: list[tuple[int, int]], *, prefix: str = "s") -> pd.DataFrame:
    """A sentences frame for ``text`` from (start, end) spans."""
    return pd.DataFrame([{S.SENTENCE_ID: f"{prefix}{i}", S.ARTICLE_ID: "a", "idx": i, S.START_CHAR: a,
                          S.END_CHAR: b, S.TEXT: text[a:b], "block": "body"}
                         for i, (a, b) in enumerate(spans)])


def span_of(text: str, part: str) -> tuple[int, int]:
    """(start, end) of the first occurrence of ``part`` in ``text``."""
    start = text.index(part)
    return start, start + len(part)


PACT = "Russia and North Korea signed a pact on June 19, 2024. Kim said: \u201cIt is historic.\u201d"


@pytest.mark.parametrize(("text", "marks", "expected"), [
    (PACT, [("actor", "Russia"), ("actor", "North Korea"), ("date", "June 19, 2024")],
     [("el-actor", "Russia"), ("el-actor", "North Korea"), ("el-date", "June 19, 2024")]),
    (PACT, [("person", "Kim"), ("claim", "It is historic.")],
     [("el-person", "Kim"), ("el-claim", "It is historic.")]),
    # an entity inside a claim nests inside it
    (PACT, [("claim", "Russia and North Korea signed a pact"), ("actor", "North Korea")],
     [("el-actor", "North Korea"), ("el-claim", "Russia and North Korea signed a pact")]),
    # overlapping entities: the earlier, longer one wins
    (PACT, [("actor", "North Korea"), ("actor", "Korea"), ("person", "North")],
     [("el-actor", "North Korea")]),
    # an entity crossing a claim boundary is split but stays well nested
    (PACT, [("claim", "Russia and North"), ("actor", "North Korea")],
     [("el-actor", "North"), ("el-claim", "Russia and North"), ("el-actor", " Korea")]),
])
def test_marks_cover_exactly_their_spans(text: str, marks: list[tuple[str, str]],
                                         expected: list[tuple[str, str]]) -> None:
    mk = [Mark(*span_of(text, part), kind, kind.upper()) for kind, part in marks]
    tree = Tree(article_html(text, sentences=sentences_of(text, [(0, 54), (55, len(text))]), marks=mk))
    assert tree.marks == expected
    assert tree.text == text


@pytest.mark.parametrize("payload", [SCRIPT, IMG, '"><b onmouseover=alert(1)>', "a & b < c > d"])
def test_article_text_labels_and_titles_are_escaped(payload: str) -> None:
    text = f"Russia {payload} agreed. {payload} said {payload}."
    marks = [Mark(0, 6, "actor", f"ACTOR {payload}", title=payload),
             Mark(*span_of(text, f"{payload} said"), "claim", f"CLAIM {payload}", title=payload)]
    markup = article_html(text, sentences=sentences_of(text, [(0, text.index(".") + 1)]), marks=marks)
    tree = Tree(markup)
    assert set(tree.tags) <= {"style", "div", "span", "mark"}
    assert tree.text == text                        # the payload shows as text
    assert payload not in markup.replace(f"<style>{markup.split('<style>')[1].split('</style>')[0]}", "")


def test_every_sentence_is_an_anchor_with_its_id_and_the_focus_is_marked() -> None:
    text = "First one. Second one.\n\nThird one."
    sents = sentences_of(text, [(0, 10), (11, 22), (24, 34)], prefix="art-1-")
    tree = Tree(article_html(text, sentences=sents, focus="art-1-1"))
    assert tree.ids == ["art-1-0", "art-1-1", "art-1-2"]
    assert tree.focus == ["art-1-1"]
    assert tree.text == text


def test_sentence_ids_are_escaped_in_attributes() -> None:
    text = "One."
    sents = sentences_of(text, [(0, 4)])
    sents[S.SENTENCE_ID] = ['x" onclick="alert(1)']
    tree = Tree(article_html(text, sentences=sents))
    assert tree.ids == ['x" onclick="alert(1)']
    assert "onclick" not in {k for _, a in tree.stack for k in a}


@pytest.mark.parametrize(("marks", "n_marks"), [
    ([Mark(-5, 3, "actor", "A")], 1),      # clipped to the text
    ([Mark(2, 999, "date", "D")], 1),
    ([Mark(7, 7, "actor", "A")], 0),       # empty spans are dropped
    ([Mark(50, 60, "actor", "A")], 0),     # outside the text
])
def test_bad_spans_never_break_the_markup(marks: list[Mark], n_marks: int) -> None:
    text = "Russia and China."
    tree = Tree(article_html(text, sentences=sentences_of(text, [(0, len(text))]), marks=marks))
    assert len(tree.marks) == n_marks
    assert tree.text == text


def test_marks_from_mentions_and_claims_tables() -> None:
    mentions = pd.DataFrame([
        {S.START_CHAR: 0, S.END_CHAR: 6, "kind": "actor", "ref": "RUS"},
        {S.START_CHAR: 40, S.END_CHAR: 53, "kind": "date", "ref": "2024-06-19"},
        {S.START_CHAR: 55, S.END_CHAR: 58, "kind": "person", "ref": "p-kim"},
        {S.START_CHAR: 0, S.END_CHAR: 3, "kind": "other", "ref": "x"},
    ])
    start, end = span_of(PACT, "It is historic.")
    claims = pd.DataFrame([{S.PERSON_ID: "p-kim", "kind": "quote", "cue": "said", "held": True,
                            S.START_CHAR: start, S.END_CHAR: end}])
    names = {"RUS": "Russia", "p-kim": "Kim Jong"}
    marks = mention_marks(mentions, names=names) + claim_marks(claims, names=names)
    assert [(m.kind, m.label, m.title) for m in marks] == [
        ("actor", "ACTOR RUS", "Russia"), ("date", "DATE 2024-06-19", "2024-06-19"),
        ("person", "PERSON", "Kim Jong"), ("claim", "CLAIM Kim Jong", "quote by Kim Jong; cue: said")]
    tree = Tree(article_html(PACT, sentences=sentences_of(PACT, [(0, 54), (55, len(PACT))]), marks=marks))
    assert [m[1] for m in tree.marks] == ["Russia", "June 19, 2024", "Kim", "It is historic."]


def test_styles_differ_by_more_than_colour_and_the_legend_names_them() -> None:
    from analysis.highlight import STYLES

    assert len({line for _, _, line, _ in STYLES.values()}) == len(STYLES)
    assert len({label for _, _, _, label in STYLES.values()}) == len(STYLES)
    tree = Tree(legend_html())
    assert {c for c, _ in tree.marks} >= {"el-actor", "el-person", "el-date", "el-claim"}


@pytest.mark.parametrize(("url", "expected"), [
    ("https://example.org/a?b=1", "https://example.org/a?b=1"),
    ("HTTP://example.org", "HTTP://example.org"),
    ("javascript:alert(1)", None),
    ("ftp://example.org/x", None),
    ("//example.org/x", None),
    ('https://example.org/"onmouseover=alert(1)', None),
    ("", None),
    (None, None),
    (float("nan"), None),
])
def test_only_absolute_http_urls_are_links(url: object, expected: str | None) -> None:
    assert safe_url(url) == expected


@pytest.mark.parametrize(("article", "has", "lacks"), [
    ({"title": "Pact", "outlet": "Times", "author": "Mina Park", "published": "2024-06-20",
      "published_inferred": False, "url": "https://example.org/p"},
     ["<h3", "Pact", "Times", "Mina Park", "2024-06-20", '<a href="https://example.org/p"'], ["inferred"]),
    ({"title": "Op-ed", "published": "2024-11-05", "published_inferred": True, "url": "ftp://x/y"},
     ["2024-11-05 (inferred from the text)", "ftp://x/y"], ["<a ", "Author"]),
    ({"title": f"T {SCRIPT}", "author": IMG, "url": "javascript:alert(1)", "published": ""},
     ["T &lt;script&gt;", "&lt;img src=x", "unknown"], ["<script", "<img", "<a "]),
    ({"file": "raw.txt", "author": float("nan")}, ["raw.txt"], ["nan"]),
])
def test_metadata_is_escaped_and_says_when_the_date_was_inferred(article: dict, has: list[str],
                                                                 lacks: list[str]) -> None:
    markup = metadata_html(article)
    Tree(markup)
    for part in has:
        assert part in markup
    for part in lacks:
        assert part not in markup
