"""Render an article's cleaned text as HTML with entities and claims marked, in the manner of displaCy.

Actors, people and dates become labelled ``<mark>`` elements, claims a
labelled underlined span, and every sentence an element whose ``id`` is its
sentence id so other pages can link to it. Every piece of article text passes
through :func:`html.escape`: the markup is ours, the text never is.
Styles differ by more than colour (border style and a text label) so that
colour-blind readers can tell them apart.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass
from html import escape
from urllib.parse import urlsplit

import pandas as pd

from analysis import schema as S

# Okabe-Ito colours; each kind also has its own border style and a text label.
STYLES = {
    "actor": ("#0072B2", "#D6EAF8", "solid", "ACTOR"),
    "person": ("#E69F00", "#FBE8C4", "dashed", "PERSON"),
    "date": ("#009E73", "#CDEFE3", "dotted", "DATE"),
    "claim": ("#CC79A7", "transparent", "double", "CLAIM"),
}
FOCUS_COLOUR = "#F0E442"

CSS = "\n".join([
    ".el-article{white-space:pre-wrap;line-height:2.4;font-size:1rem;}",
    ".el-sent{border-radius:0.3em;scroll-margin-top:6rem;}",
    f".el-sent.el-focus,.el-sent:target{{background:{FOCUS_COLOUR}66;"
    f"outline:2px solid {FOCUS_COLOUR};}}",
    ".el-ent{padding:0.15em 0.35em;margin:0 0.1em;border-radius:0.35em;line-height:1;"
    "border-width:2px;}",
    ".el-label{font-size:0.62em;font-weight:700;text-transform:uppercase;margin-left:0.4em;"
    "vertical-align:middle;letter-spacing:0.03em;}",
    ".el-claim{padding-bottom:0.1em;}",
    *(f".el-{kind}{{background:{bg};border-color:{fg};border-style:{line};}}"
      for kind, (fg, bg, line, _) in STYLES.items() if kind != "claim"),
    f".el-claim{{border-bottom:3px {STYLES['claim'][2]} {STYLES['claim'][0]};}}",
    f".el-claim>.el-label{{color:#FFFFFF;background:{STYLES['claim'][0]};border-radius:0.3em;"
    "padding:0 0.3em;margin:0 0.3em 0 0;}",
    ".el-legend{display:flex;gap:1em;flex-wrap:wrap;margin:0.5em 0 1em 0;line-height:2.2;}",
])


@dataclass(frozen=True)
class Mark:
    """One highlighted span of the article text: [start, end) with its kind, label and hover text."""

    start: int
    end: int
    kind: str
    label: str
    title: str = ""


def _non_overlapping(marks: list[Mark]) -> list[Mark]:
    """Keep the earliest, then longest marks so that no two kept marks overlap."""
    kept: list[Mark] = []
    end = -1
    for mark in sorted(marks, key=lambda m: (m.start, -(m.end - m.start))):
        if mark.start >= end:
            kept.append(mark)
            end = mark.end
    return kept


def mention_marks(mentions: pd.DataFrame, *, names: dict[str, str] | None = None) -> list[Mark]:
    """Marks for actor, person and date mentions; ``names`` maps a ref to a display name."""
    names = names or {}
    marks = []
    for row in mentions.to_dict("records"):
        kind = str(row.get("kind") or "")
        if kind not in ("actor", "person", "date"):
            continue
        ref = str(row.get("ref") or "")
        label = STYLES[kind][3] + (f" {ref}" if kind in ("actor", "date") and ref else "")
        title = names.get(ref, ref)
        marks.append(Mark(int(row[S.START_CHAR]), int(row[S.END_CHAR]), kind, label, title))
    return marks


def claim_marks(claims: pd.DataFrame, *, names: dict[str, str] | None = None) -> list[Mark]:
    """Marks for claims, labelled with the speaker's name and hover text with kind and cue."""
    names = names or {}
    marks = []
    for row in claims.to_dict("records"):
        who = names.get(str(row.get(S.PERSON_ID) or ""), str(row.get(S.PERSON_ID) or ""))
        held = "" if row.get("held", True) in (True, None) else " (reported to reject it)"
        title = f"{row.get('kind') or 'claim'} by {who}; cue: {row.get('cue') or '-'}{held}"
        marks.append(Mark(int(row[S.START_CHAR]), int(row[S.END_CHAR]), "claim",
                          f"{STYLES['claim'][3]} {who}".strip(), title))
    return marks


def _overlapping(marks: list[Mark], ends: list[int], start: int, end: int) -> list[Mark]:
    """The marks (sorted, non-overlapping, with their ``ends``) that overlap [start, end)."""
    out = []
    for i in range(bisect.bisect_right(ends, start), len(marks)):
        if marks[i].start >= end:
            break
        out.append(marks[i])
    return out


def _segments(start: int, end: int, claims: list[Mark], ents: list[Mark]) -> list[tuple[int, int, Mark | None,
                                                                                       Mark | None]]:
    """Split [start, end) at every mark boundary: (a, b, claim covering it, entity covering it)."""
    cuts = {start, end}
    for m in (*claims, *ents):
        cuts.update(c for c in (m.start, m.end) if start < c < end)
    points = sorted(cuts)
    out = []
    for a, b in itertools.pairwise(points):
        claim = next((m for m in claims if m.start <= a and b <= m.end), None)
        ent = next((m for m in ents if m.start <= a and b <= m.end), None)
        out.append((a, b, claim, ent))
    return out


def _open(mark: Mark, first: bool) -> str:
    """Opening tag of a mark (the claim label goes at its first piece)."""
    title = f' title="{escape(mark.title)}"' if mark.title else ""
    if mark.kind == "claim":
        label = f'<span class="el-label">{escape(mark.label)}</span>' if first else ""
        return f'<span class="el-claim"{title}>{label}'
    return f'<mark class="el-ent el-{mark.kind}"{title}>'


def _close(mark: Mark, last: bool) -> str:
    """Closing tag of a mark (the entity label goes at its last piece)."""
    if mark.kind == "claim":
        return "</span>"
    label = f'<span class="el-label">{escape(mark.label)}</span>' if last else ""
    return f"{label}</mark>"


def _render_span(text: str, start: int, end: int, claims: list[Mark], ents: list[Mark]) -> str:
    """HTML for text[start:end] with nested claim and entity marks, text escaped."""
    parts: list[str] = []
    cur_claim: Mark | None = None
    cur_ent: Mark | None = None
    for a, b, claim, ent in _segments(start, end, claims, ents):
        if ent is not cur_ent or claim is not cur_claim:
            if cur_ent is not None:
                parts.append(_close(cur_ent, a >= cur_ent.end))
            if claim is not cur_claim:
                if cur_claim is not None:
                    parts.append(_close(cur_claim, True))
                if claim is not None:
                    parts.append(_open(claim, a == claim.start))
            if ent is not None:
                parts.append(_open(ent, True))
            cur_claim, cur_ent = claim, ent
        parts.append(escape(text[a:b]))
    if cur_ent is not None:
        parts.append(_close(cur_ent, True))
    if cur_claim is not None:
        parts.append(_close(cur_claim, True))
    return "".join(parts)


def article_html(text: str, *, sentences: pd.DataFrame, marks: list[Mark] = (),
                 focus: str | None = None, with_css: bool = True) -> str:
    """Render ``text`` as HTML: sentences with ``id`` anchors, marks highlighted, all text escaped."""
    text = str(text or "")
    size = len(text)
    fixed = [Mark(max(0, m.start), min(size, m.end), m.kind, m.label, m.title) for m in marks]
    fixed = [m for m in fixed if m.start < m.end]
    claims = _non_overlapping([m for m in fixed if m.kind == "claim"])
    ents = _non_overlapping([m for m in fixed if m.kind != "claim"])
    claim_ends, ent_ends = [m.end for m in claims], [m.end for m in ents]
    parts = [f"<style>{CSS}</style>"] if with_css else []
    parts.append('<div class="el-article">')
    pos = 0
    sents = sentences.sort_values(S.START_CHAR) if len(sentences) else sentences
    for row in sents.to_dict("records"):
        start, end = max(pos, int(row[S.START_CHAR])), min(size, int(row[S.END_CHAR]))
        if start >= end:
            continue
        parts.append(_render_span(text, pos, start, [], []))
        sid = str(row[S.SENTENCE_ID])
        cls = "el-sent el-focus" if sid == focus else "el-sent"
        block = escape(str(row.get("block") or "body"))
        parts.append(f'<span class="{cls}" id="{escape(sid)}" data-block="{block}">')
        parts.append(_render_span(text, start, end, _overlapping(claims, claim_ends, start, end),
                                  _overlapping(ents, ent_ends, start, end)))
        parts.append("</span>")
        pos = end
    parts.append(_render_span(text, pos, size, [], []))
    parts.append("</div>")
    return "".join(parts)


def legend_html() -> str:
    """A legend showing each highlight style with its label."""
    items = []
    for kind, (_, _, _, label) in STYLES.items():
        if kind == "claim":
            items.append(f'<span class="el-claim"><span class="el-label">{label}</span>speaker</span>')
        else:
            items.append(f'<mark class="el-ent el-{kind}">{kind}<span class="el-label">{label}</span></mark>')
    items.append('<span class="el-sent el-focus">linked sentence</span>')
    return f'<div class="el-legend">{"".join(items)}</div>'


def cell_text(value: object) -> str:
    """A cell as stripped text ("" for None and NaN)."""
    return "" if value is None or (isinstance(value, float) and value != value) else str(value).strip()


def safe_url(url: object) -> str | None:
    """Return ``url`` when it is an absolute http(s) URL, else None (never a javascript: link)."""
    text = cell_text(url)
    parts = urlsplit(text)
    if parts.scheme.lower() in ("http", "https") and parts.netloc and not any(c in text for c in "\"'<> "):
        return text
    return None


def metadata_html(article: dict) -> str:
    """The article's metadata as escaped HTML: title, outlet, author, date (and whether inferred), link."""
    title = next((cell_text(article.get(k)) for k in ("title", "file", S.ARTICLE_ID)
                  if cell_text(article.get(k))), "Untitled")
    facts = [f"<b>{label}:</b> {escape(cell_text(article.get(key)))}"
             for key, label in (("outlet", "Outlet"), ("author", "Author"), ("format", "Format"))
             if cell_text(article.get(key))]
    published = cell_text(article.get("published"))
    inferred = article.get("published_inferred") in (True, "true", "True", 1)
    facts.append(f"<b>Published:</b> {escape(published) or 'unknown'}"
                 + (" (inferred from the text)" if published and inferred else ""))
    url = safe_url(article.get("url"))
    if url:
        link = f'<a href="{escape(url)}" target="_blank" rel="noopener noreferrer">'
        facts.append(f"{link}Original article</a>")
    elif cell_text(article.get("url")):
        facts.append(f"<b>Source:</b> {escape(cell_text(article.get('url')))}")
    return (f'<div class="el-meta"><h3 class="el-title">{escape(title)}</h3>'
            f'<p>{" &middot; ".join(facts)}</p></div>')
