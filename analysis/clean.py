"""Clean scraped article text before parsing: furniture out, paragraphs classified.

What it handles: navigation and share-button lines, photo credits and
captions (a caption is kept, marked, because a dated caption can still be an
event, but it is nobody's opinion), headlines and paragraphs printed twice,
lines wrapped in mid-sentence, bullets, datelines and publisher notes.
The rules are regular expressions in ``analysis/rules/boilerplate.yaml``.
"""

from __future__ import annotations

import re
import re._constants as _sre
import re._parser as _parser
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache

from analysis.components.patterns import Gate, fold
from analysis.rules import load_yaml

TERMINAL = ('.', '!', '?', '"', '”', '’', ')', ':', ';', '…', "'")
MAX_HEADING_WORDS = 20
# runs of spacing become one space: the runs that are not already a single space
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]{2,}|[\t\u00a0\u2000-\u200b\u202f\u205f\u3000]")
_ODD_SPACE_CHARS = "\t\u00a0" + "".join(map(chr, range(0x2000, 0x200C))) + "\u202f\u205f\u3000"
_CIRCLED = re.compile(r"^[①-⑳]\s*")
_WORD_RUN = re.compile(r"\w+")
# ASCII byte -> its lower case if a word character (\\w), else a space
_ASCII_KEY = bytes(ord(chr(c).lower()) if re.match(r"\w", chr(c)) else 32 for c in range(128)) + b" " * 128
_ZERO_WIDTH_CHARS = "\u200c\u200d\u200e\u200f\ufeff\u2060"
_ZERO_WIDTH = re.compile(f"[{_ZERO_WIDTH_CHARS}]")
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


def _branches(patterns: list[str]) -> _Gates:
    """``_alternation(patterns)`` as gates: one per alternative (the alternation matches where one
    of them does), or one for the whole when a group refers back to another.

    A gate skips a paragraph that lacks a literal its pattern needs (see
    :class:`analysis.components.patterns.Gate`): most paragraphs match no rule.
    """
    whole = _alternation(patterns)
    if _refers_back(_parser.parse(whole.pattern, whole.flags)):
        return _Gates((Gate(whole),))
    return _Gates(tuple(Gate(re.compile(f"(?:{p})", re.IGNORECASE)) for p in patterns))


def _refers_back(items: object) -> bool:
    for op, av in items:  # type: ignore[attr-defined]
        if op in (_sre.GROUPREF, _sre.GROUPREF_EXISTS):
            return True
        for sub in av if isinstance(av, (tuple, list)) else ():
            if isinstance(sub, _parser.SubPattern) and _refers_back(sub):
                return True
            if isinstance(sub, list) and any(isinstance(b, _parser.SubPattern) and _refers_back(b) for b in sub):
                return True
    return False


class _Gates(tuple):
    """The gates of one rule list, and per first character of a text the gates that may match at
    its start (``Gate.possible_at_start``: where a gate knows its first characters, the text's
    first character alone decides; the others test their literals)."""

    def __new__(cls, gates: tuple[Gate, ...]) -> _Gates:
        self = super().__new__(cls, gates)
        self._by_first: dict[str, tuple[tuple[Gate, bool], ...]] = {}
        return self

    def at_start(self, first: str) -> tuple[tuple[Gate, bool], ...]:
        """``(gate, literals to test)`` for the gates that may match a text beginning with ``first``
        ("" for the empty text), in order."""
        found = self._by_first.get(first)
        if found is None:
            found = self._by_first[first] = tuple(
                (gate, gate.first is None) for gate in self
                if gate.first is None or (first and gate.first.admits(first)))
        return found


def _any_fullmatch(gates: _Gates, text: str, folded: str) -> bool:
    for gate, test in gates.at_start(text[:1]):
        if (not test or gate.possible(text, folded)) and gate.pattern.fullmatch(text):
            return True
    return False


def _any_match(gates: _Gates, text: str, folded: str) -> bool:
    for gate, test in gates.at_start(text[:1]):
        if (not test or gate.possible(text, folded)) and gate.pattern.match(text):
            return True
    return False


@dataclass(frozen=True)
class _Rules:
    drop: _Gates
    credit: tuple[Gate, ...]
    caption: _Gates
    strip: tuple[Gate, ...]
    note: _Gates
    dateline: _Gates
    bullet: re.Pattern[str]
    syndication: re.Pattern[str]
    blank: tuple[str, bool] = ("", False)     # a blank line after the line rules, and whether it is dropped


def _alternation(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    raw = load_yaml("boilerplate.yaml")
    rules = _Rules(
        drop=_branches(raw["drop_lines"]),
        credit=tuple(Gate(re.compile(p, re.IGNORECASE)) for p in raw["credit_suffixes"]),
        caption=_branches(raw["caption_starts"]),
        strip=tuple(Gate(re.compile(p, re.IGNORECASE)) for p in raw["strip_suffixes"]),
        note=_branches(raw["note_patterns"]),
        dateline=_branches(raw["dateline"]),
        bullet=re.compile(raw["bullet_prefix"]),
        syndication=re.compile(raw["syndication"], re.IGNORECASE),
    )
    blank, folded = _line("", rules)
    return replace(rules, blank=(blank, _any_fullmatch(rules.drop, blank, folded)))


def _normalise(raw: str) -> str:
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    if any(ch in text for ch in _ZERO_WIDTH_CHARS):     # (a plain scan for each is quicker than the regex)
        text = _ZERO_WIDTH.sub("", text)
    return text


def _key(text: str) -> str:
    """Comparison key for duplicate detection: case, quotes and spacing folded.

    The words (runs of ``\\w``) of the case-folded text, joined by single spaces.
    """
    # the usual case: ASCII once curly quotes, dashes and ellipses are replaced (they are not word
    # characters): one byte table lower-cases letters and blanks everything but word characters
    plain = (text.replace("’", "'").replace("“", '"').replace("”", '"')
             .replace("—", " ").replace("–", " ").replace("…", " "))
    if plain.isascii():
        return b" ".join(plain.encode("ascii").translate(_ASCII_KEY).split()).decode("ascii")
    folded = text.casefold().replace("’", "'").replace("“", '"').replace("”", '"')
    return " ".join(_WORD_RUN.findall(folded))


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


def _strip_credit(text: str, rules: _Rules, folded: str) -> tuple[str, bool]:
    for gate in rules.credit:
        if not gate.possible(text, folded):
            continue            # it cannot match: text unchanged
        new = gate.pattern.sub("", text)
        if new != text:
            return new.rstrip(), True
    return text, False


def _classify(text: str, had_credit: bool, rules: _Rules, folded: str) -> str:
    if _any_fullmatch(rules.dateline, text, folded):
        return "dateline"
    if had_credit or _any_match(rules.caption, text, folded):
        return "caption"
    if _any_fullmatch(rules.note, text, folded):
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


def _line(line: str, rules: _Rules) -> tuple[str, str]:
    """One line with spacing, bullets and social-handle tails removed, and its folded form."""
    line = rules.bullet.sub("", line)
    if "①" <= line[:1] <= "⑳":
        line = _CIRCLED.sub("", line)
    folded = fold(line)
    for gate in rules.strip:
        if gate.possible(line, folded):
            line = gate.pattern.sub("", line)
            folded = fold(line)
    return line, folded


def clean_text(raw: str) -> Cleaned:
    """Return the cleaned text of one article with its paragraphs classified."""
    rules = _rules()
    notes: list[str] = []
    lines: list[str] = []
    kept: list[str] = []
    text = _normalise(raw)
    # spacing other than single spaces: which odd space characters the article has at all
    odd = [ch for ch in _ODD_SPACE_CHARS if ch in text]
    folds: dict[str, str] = {}      # line -> fold(line), for the lines kept as they are
    for line in text.split("\n"):
        if "  " in line or (odd and any(ch in line for ch in odd)):   # else runs are single spaces already
            line = _SPACES.sub(" ", line)
        line = line.strip()
        if line:
            line, folded = _line(line, rules)
            drop = _any_fullmatch(rules.drop, line, folded)
            folds[line] = folded
        else:       # a blank line: what the rules make of it is the same every time
            line, drop = rules.blank
        lines.append(line)
        if not drop:
            kept.append(line)
    dropped = sum(1 for line in lines if line) - sum(1 for line in kept if line)
    paragraphs: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    duplicates = 0
    for line in _unwrap(kept):
        folded = folds.get(line)
        if folded is None:      # lines joined by _unwrap
            folded = fold(line)
        text, had_credit = _strip_credit(line, rules, folded)
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
        paragraphs.append((text, _classify(text, had_credit, rules, folded if text == line else fold(text))))
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
