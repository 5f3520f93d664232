"""Clean scraped article text before parsing: furniture out, paragraphs classified.

What it handles: navigation and share-button lines, photo credits and
captions (a caption is kept, marked, because a dated caption can still be an
event, but it is nobody's opinion), headlines and paragraphs printed twice,
lines wrapped in mid-sentence, bullets, datelines and publisher notes.
The rules are regular expressions in ``analysis/rules/boilerplate.yaml``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from analysis.rules import load_yaml

TERMINAL = ('.', '!', '?', '"', '”', '’', ')', ':', ';', '…', "'")
MAX_HEADING_WORDS = 20
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200c-\u200f\ufeff\u2060]")
_TURN = re.compile(r"^[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}:\s+\S")


@dataclass(frozen=True)
class Block:
    """One paragraph of the cleaned text: ``text[start:end]`` and what kind it is."""

    start: int
    end: int
    kind: str  # body | caption | heading | dateline | note


@dataclass(frozen=True)
class Cleaned:
    """The cleaned text, its paragraph blocks, a title found in the text, and notes."""

    text: str
    blocks: tuple[Block, ...]
    title: str
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class _Rules:
    drop: re.Pattern[str]
    credit: tuple[re.Pattern[str], ...]
    caption: re.Pattern[str]
    strip: tuple[re.Pattern[str], ...]
    note: re.Pattern[str]
    dateline: re.Pattern[str]
    bullet: re.Pattern[str]
    syndication: re.Pattern[str]


def _alternation(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    raw = load_yaml("boilerplate.yaml")
    return _Rules(
        drop=_alternation(raw["drop_lines"]),
        credit=tuple(re.compile(p, re.IGNORECASE) for p in raw["credit_suffixes"]),
        caption=_alternation(raw["caption_starts"]),
        strip=tuple(re.compile(p, re.IGNORECASE) for p in raw["strip_suffixes"]),
        note=_alternation(raw["note_patterns"]),
        dateline=_alternation(raw["dateline"]),
        bullet=re.compile(raw["bullet_prefix"]),
        syndication=re.compile(raw["syndication"], re.IGNORECASE),
    )


def _normalise(raw: str) -> str:
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    text = _ZERO_WIDTH.sub("", text)
    return text


def _key(text: str) -> str:
    """Comparison key for duplicate detection: case, quotes and spacing folded."""
    folded = text.casefold().replace("’", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\W+", " ", folded).strip()


def _unwrap(lines: list[str]) -> list[str]:
    """Join lines broken inside a sentence; blank lines stay paragraph breaks."""
    out: list[str] = []
    for line in lines:
        if (out and out[-1] and line and line[0].islower()
                and not out[-1].endswith(TERMINAL)):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return [line for line in out if line]


def _strip_credit(text: str, rules: _Rules) -> tuple[str, bool]:
    for pat in rules.credit:
        new = pat.sub("", text)
        if new != text:
            return new.rstrip(), True
    return text, False


def _classify(text: str, had_credit: bool, rules: _Rules) -> str:
    if rules.dateline.fullmatch(text):
        return "dateline"
    if had_credit or rules.caption.match(text):
        return "caption"
    if rules.note.fullmatch(text):
        return "note"
    if (not text.endswith(TERMINAL) and len(text.split()) <= MAX_HEADING_WORDS
            and not _TURN.match(text)):
        return "heading"
    return "body"


def _title_from(paragraphs: list[tuple[str, str]], rules: _Rules) -> str:
    for text, kind in paragraphs:
        if kind == "note" and (m := rules.syndication.fullmatch(text)):
            return m.group("title").strip()
    for text, kind in paragraphs:
        if kind == "heading":
            words = text.split()
            caps = 0
            while caps < len(words) and words[caps].isupper() and len(words[caps]) > 1:
                caps += 1
            if 2 <= caps < len(words) and words[caps][:1].isupper():
                words = words[caps:]          # an upper-case kicker before the headline
            return " ".join(words)
        if kind == "body":
            break
    for text, kind in paragraphs:
        if kind == "body":
            words = text.split()
            first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0].split()
            short = first if len(first) <= 14 else [*first[:12], "…"]
            return " ".join(short) if words else ""
    return ""


def clean_text(raw: str) -> Cleaned:
    """Return the cleaned text of one article with its paragraphs classified."""
    rules = _rules()
    notes: list[str] = []
    lines = []
    for line in _normalise(raw).split("\n"):
        line = _SPACES.sub(" ", line).strip()
        line = rules.bullet.sub("", line)
        line = re.sub(r"^[①-⑳]\s*", "", line)
        for pat in rules.strip:
            line = pat.sub("", line)
        lines.append(line)
    kept = [line for line in lines if not rules.drop.fullmatch(line)]
    dropped = sum(1 for line in lines if line) - sum(1 for line in kept if line)
    paragraphs: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    duplicates = 0
    for line in _unwrap(kept):
        text, had_credit = _strip_credit(line, rules)
        key = _key(text)
        if not key:
            continue
        if key in seen:
            duplicates += 1
            if had_credit:  # a caption printed twice: the first copy is a caption too
                i = seen[key]
                paragraphs[i] = (paragraphs[i][0], "caption")
            continue
        seen[key] = len(paragraphs)
        paragraphs.append((text, _classify(text, had_credit, rules)))
    if dropped:
        notes.append(f"dropped {dropped} navigation/credit line(s)")
    if duplicates:
        notes.append(f"dropped {duplicates} duplicated paragraph(s)")
    blocks: list[Block] = []
    parts: list[str] = []
    pos = 0
    for text, kind in paragraphs:
        blocks.append(Block(pos, pos + len(text), kind))
        parts.append(text)
        pos += len(text) + 2
    return Cleaned(text="\n\n".join(parts), blocks=tuple(blocks),
                   title=_title_from(paragraphs, rules), notes=tuple(notes))
