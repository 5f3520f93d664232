"""Fast regular expressions for word lists (the rule files' verbs, titles, cues, ...).

Python's ``re`` tries the branches of ``a|b|c|...`` one by one at every position,
so a list of a hundred words costs a hundred attempts per word of text.
:func:`alternation` writes the same list as a trie (``s(?:a(?:id|ys|y)|tate(?:d|s))``):
one attempt per character. It matches exactly what the plain alternation
``"|".join(map(re.escape, sorted(words, key=len, reverse=True)))`` matches, with the
same preference (at one position, the longest word that lets the rest of the pattern
match), because every word that can match at a position is a prefix of the text there,
so those words lie on one path of the trie, which is tried deepest first.
"""

from __future__ import annotations

import itertools
import re
import re._constants as _sre
import re._parser as _parser
from collections.abc import Iterable, Iterator

_END = ""


def alternation(words: Iterable[str], *, word_start: bool = False) -> str:
    """Return a regex (non-capturing) matching any of ``words``, longest first, as a trie.

    ``word_start=True`` gives ``\\b(?:words)`` for words that begin with a word character,
    written so that the pattern begins with the first letters (``(?:A(?<!\\w.)pril|...)``):
    re then skips straight to the letters a word can start with.
    """
    trie: dict[str, dict] = {}
    for word in words:
        if word_start and not _WORD_CHAR.match(word):
            raise ValueError(f"{word!r} does not start with a word character")
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[_END] = {}
    if not trie:
        return "(?!)"
    after_first = r"(?<!\w.)" if word_start else ""
    if word_start and _END in trie:
        raise ValueError("the empty word does not start with a word character")
    return "(?:" + "|".join(re.escape(ch) + after_first + _emit(child) for ch, child in trie.items()) + ")"


_WORD_CHAR = re.compile(r"\w")


def _emit(node: dict[str, dict]) -> str:
    branches = [re.escape(ch) + _emit(child) for ch, child in node.items() if ch != _END]
    if not branches:
        return ""
    if len(branches) == 1 and _END not in node:
        return branches[0]
    # deeper words first, then the word that ends here: longest first, as in the flat list
    return "(?:" + "|".join(branches) + ("|" if _END in node else "") + ")"


def order_free(words: Iterable[str], *, ignore_case: bool = False) -> bool:
    """True when no word is a proper prefix of another: then at most one word can match at a position."""
    keys = sorted({w.lower() if ignore_case else w for w in words})
    return not any(b.startswith(a) for a, b in itertools.pairwise(keys) if a != b)


# -- literals a pattern needs ------------------------------------------------------------------------
# Most texts cannot match most rules: a rule needs literal text ("©", ":", "photo", ...) the
# text does not have. ``Gate`` reads those literals from the parsed pattern once and skips the
# regex when one is missing (an exact test: it only skips what could not match). ``Scanner``
# tries a pattern only where its leading literal (or a line start, for ``^``) occurs.
# Case-insensitive literals are looked for in the folded text: lower case, with the three
# characters Python's re also matches to ASCII letters under IGNORECASE (İ ı -> i, ſ -> s).
# Folding keeps every character at its offset (İ is the one character whose lower case is longer).
_FOLD_EXTRA = {"\u0130": "i", "\u0131": "i", "\u017f": "s"}
_FOLD_TABLE = str.maketrans(_FOLD_EXTRA)
assert set(_FOLD_EXTRA) == {"\u0130", "\u0131", "\u017f"}   # (tested one by one in fold)
_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", _sre.MAX_REPEAT))


def fold(text: str) -> str:
    """The text as IGNORECASE sees ASCII letters: lower case, İ ı ſ folded to i, i, s."""
    if not text.isascii() and ("\u0130" in text or "\u0131" in text or "\u017f" in text):   # _FOLD_EXTRA
        text = text.translate(_FOLD_TABLE)
    return text.lower()


Clause = frozenset[tuple[str, bool]]   # one of these (literal, in folded text?) must occur
MAX_OPTIONS = 8


def _foldable(ch: str) -> bool:
    """True when IGNORECASE matches ``ch`` exactly where the folded text has ``ch.lower()``.

    ASCII (with the extras above), and characters without case ("©", ":", "@").
    """
    return ch.isascii() or ch.lower() == ch.upper() == ch.casefold() == ch


def _clauses(items: object, flags: int) -> list[Clause]:
    """Literals a parsed (sub)pattern cannot match without: all clauses must hold."""
    out: list[Clause] = []
    run: list[str] = []
    folded = bool(flags & re.IGNORECASE)

    def flush() -> None:
        if run:
            out.append(frozenset({("".join(run), folded)}))
            run.clear()

    for op, av in items:  # type: ignore[attr-defined]
        if op is _sre.LITERAL and (not folded or _foldable(chr(av))):
            run.append(chr(av).lower() if folded else chr(av))
            continue
        flush()
        if op is _sre.SUBPATTERN:
            _group, add, delete, sub = av
            out.extend(_clauses(sub, (flags | add) & ~delete))
        elif op is _sre.BRANCH:
            options: set[tuple[str, bool]] = set()
            for branch in av[1]:
                got = _clauses(branch, flags)
                if not got:
                    break       # a branch that needs nothing: no requirement from the branch point
                options |= max(got, key=lambda c: min(len(lit) for lit, _f in c))
            else:
                if len(options) <= MAX_OPTIONS:    # a long word list is not worth testing first
                    out.append(frozenset(options))
        elif op in _REPEATS and av[0] >= 1:
            out.extend(_clauses(av[2], flags))
        elif op is getattr(_sre, "ATOMIC_GROUP", None):
            out.extend(_clauses(av, flags))
    flush()
    return out


class Gate:
    """A compiled pattern and the literals it needs (see above)."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        parsed = _parser.parse(pattern.pattern, pattern.flags)
        # the clauses with fewest options first, longer literals first: the cheapest tests that fail most
        clauses = sorted(_clauses(parsed, parsed.state.flags),
                         key=lambda c: (len(c), -min(len(lit) for lit, _f in c)))
        # (literals, in the folded text?) per clause; a clause mixing both is split by where to look
        self.checks = tuple((tuple(sorted(lit for lit, f in clause if f == folded)), folded)
                            for clause in clauses for folded in (True, False)
                            if all(f == folded for _lit, f in clause))
        self.first = first_chars(pattern)

    def possible_at_start(self, text: str, folded: str) -> bool:
        """Like :meth:`possible`, for a match at the start of ``text`` (``match``, ``fullmatch``):
        where the pattern's first characters are known, the first character of ``text`` decides."""
        first = self.first
        if first is None:
            return self.possible(text, folded)
        return bool(text) and first.admits(text[0])

    def possible(self, text: str, folded: str) -> bool:
        """False when ``text`` lacks a literal the pattern needs (then it cannot match)."""
        for literals, in_folded in self.checks:
            where = folded if in_folded else text
            for lit in literals:
                if lit in where:
                    break
            else:
                return False
        return True


class Scanner:
    """``pattern.finditer(text)``, trying the pattern only where a match can start.

    A match starts with the pattern's leading literal (found with ``str.find``, in the folded
    text when case is ignored), or at a line start for a leading ``^`` under MULTILINE, or at 0
    for a leading ``^``; other patterns, and patterns that can match the empty string, are run
    as they are. The matches are the same, in the same order.
    """

    fold = staticmethod(fold)

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        parsed = _parser.parse(pattern.pattern, pattern.flags)
        self.start: tuple[str, tuple[str, ...], bool] | None = None   # (how, literals, in folded text)
        if parsed.getwidth()[0] > 0:
            self.start = _leading(parsed, parsed.state.flags)
        self.first = first_chars(pattern) if self.start is not None else None
        if self.start is not None and len(self.start[1]) > 1:
            # where a literal occurs, every literal it starts with occurs too: those alone give
            # the same offsets ("day" for "day" and "days")
            how, literals, in_folded = self.start
            self.start = (how, tuple(lit for lit in literals
                                     if not any(lit != other and lit.startswith(other) for other in literals)),
                          in_folded)

    def candidates(self, text: str, folded: str | None = None) -> list[int] | None:
        """Every offset of ``text`` where a match may start (sorted), or None when any may.

        Also valid for a part of the text: a match in ``text[a:b]`` starts at one of these.
        """
        if self.start is None or self.start[0] != "literal":
            return None
        _how, literals, in_folded = self.start
        where = (folded if folded is not None else fold(text)) if in_folded else text
        return sorted({pos for literal in literals for pos in find_all(where, literal)})

    def finditer(self, text: str, folded: str | None = None) -> Iterator[re.Match[str]]:
        """The matches of the pattern in ``text`` (``folded``: :func:`fold` of it, if at hand)."""
        if self.start is None:
            yield from self.pattern.finditer(text)
            return
        how, literals, in_folded = self.start
        match = self.pattern.match
        if how == "start":
            if m := match(text, 0):
                yield m
            return
        last_end = 0        # matches do not overlap: the next one starts at or after this
        if how == "line":
            first, size = self.first, len(text)
            pos = 0
            while pos >= 0:
                # (a match cannot start with a character the pattern's first characters exclude)
                if pos >= last_end and (first is None or (pos < size and first.admits(text[pos]))) and (
                        m := match(text, pos)):
                    yield m
                    last_end = m.end()
                pos = text.find("\n", pos)
                pos = pos + 1 if pos >= 0 else -1
            return
        where = (folded if folded is not None else fold(text)) if in_folded else text
        starts: Iterable[int] = (find_all(where, literals[0]) if len(literals) == 1 else
                                 sorted({pos for literal in literals for pos in find_all(where, literal)}))
        for pos in starts:
            if pos >= last_end and (m := match(text, pos)):
                yield m
                last_end = m.end()


def find_all(text: str, literal: str) -> Iterator[int]:
    """Every offset where ``literal`` occurs in ``text`` (overlapping occurrences included)."""
    pos = text.find(literal)
    while pos >= 0:
        yield pos
        pos = text.find(literal, pos + 1)


def _leading(items: object, flags: int) -> tuple[str, tuple[str, ...], bool] | None:
    """How a match of the parsed pattern must start: a literal (one of several), a line start or
    the text start. Zero-width checks before it (``\\b``, look-arounds) do not move the start."""
    items = list(items)  # type: ignore[call-overload]
    folded = bool(flags & re.IGNORECASE)
    for i, (op, av) in enumerate(items):
        if op is _sre.SUBPATTERN:
            _group, add, delete, sub = av
            return _leading(sub, (flags | add) & ~delete)
        if op is _sre.AT:
            if av is _sre.AT_BEGINNING:
                return ("line", (), False) if flags & re.MULTILINE else ("start", (), False)
            if av is _sre.AT_BEGINNING_STRING:
                return ("start", (), False)
            continue            # \b, \B, $: zero width
        if op in (_sre.ASSERT, _sre.ASSERT_NOT):
            continue            # look-arounds: zero width
        if op is _sre.LITERAL:
            run = _literal_run(items[i:], folded)
            return ("literal", (run,), folded) if run else None
        if op is _sre.BRANCH:   # every alternative must start with a literal
            runs = [_literal_run(list(branch), folded) for branch in av[1]]
            return ("literal", tuple(sorted(set(runs))), folded) if all(runs) else None
        return None
    return None


def _literal_run(items: list, folded: bool) -> str:
    run = []
    for op, av in items:
        if op is not _sre.LITERAL or (folded and not _foldable(chr(av))):
            break
        run.append(chr(av).lower() if folded else chr(av))
    return "".join(run)


# -- the characters a match can start with ---------------------------------------------------------
DIGIT = "\\d"      # in a first-character set: any decimal digit (``str.isdecimal``, what ``\\d`` matches)


class FirstChars(frozenset):
    """The characters a match can begin with; ``DIGIT`` in the set stands for every decimal digit."""

    def admits(self, ch: str) -> bool:
        """True when a match may begin with ``ch``."""
        return ch in self or (DIGIT in self and ch.isdecimal())


def first_chars(pattern: re.Pattern[str]) -> FirstChars | None:
    """The characters a match of ``pattern`` can begin with, or None when that is not known
    (or when the pattern can match the empty string): a start elsewhere cannot match."""
    parsed = _parser.parse(pattern.pattern, pattern.flags)
    chars, empty = _first_seq(parsed, parsed.state.flags)
    return None if chars is None or empty else FirstChars(chars)


_UNKNOWN: tuple[None, bool] = (None, False)


def _first_seq(items: object, flags: int) -> tuple[set[str] | None, bool]:
    out: set[str] = set()
    for op, av in items:  # type: ignore[attr-defined]
        chars, empty = _first_op(op, av, flags)
        if chars is None:
            return _UNKNOWN
        out |= chars
        if not empty:
            return out, False
    return out, True


def _first_op(op: object, av: object, flags: int) -> tuple[set[str] | None, bool]:
    if op is _sre.LITERAL:
        cased = _cased(chr(av), flags)  # type: ignore[arg-type]
        return _UNKNOWN if cased is None else (cased, False)
    if op is _sre.IN:
        chars: set[str] = set()
        for kind, value in av:  # type: ignore[attr-defined]
            if kind is _sre.CATEGORY and value is _sre.CATEGORY_DIGIT and not flags & re.ASCII:
                chars.add(DIGIT)
                continue
            codes = ([value] if kind is _sre.LITERAL else
                     range(value[0], value[1] + 1) if kind is _sre.RANGE and value[1] - value[0] < 256 else None)
            if codes is None:
                return _UNKNOWN          # negation, other categories (\w, \s, ...), long ranges
            for code in codes:
                cased = _cased(chr(code), flags)
                if cased is None:
                    return _UNKNOWN
                chars |= cased
        return chars, False
    if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
        return set(), True              # zero width
    if op is _sre.SUBPATTERN:
        _group, add, delete, sub = av  # type: ignore[misc]
        return _first_seq(sub, (flags | add) & ~delete)
    if op is _sre.BRANCH:
        chars, empty = set(), False
        for branch in av[1]:  # type: ignore[index]
            got, got_empty = _first_seq(branch, flags)
            if got is None:
                return _UNKNOWN
            chars |= got
            empty = empty or got_empty
        return chars, empty
    if op in _REPEATS:
        low, _high, sub = av  # type: ignore[misc]
        got, got_empty = _first_seq(sub, flags)
        return _UNKNOWN if got is None else (got, got_empty or low == 0)
    return _UNKNOWN


def _cased(ch: str, flags: int) -> set[str] | None:
    """``ch`` and, under IGNORECASE, every character re matches to it (known for ASCII only)."""
    if not flags & re.IGNORECASE or ch.lower() == ch.upper() == ch.casefold() == ch:
        return {ch}
    if not ch.isascii():
        return None
    low = ch.lower()
    return {low, ch.upper(), *(extra for extra, to in _FOLD_EXTRA.items() if to == low),
            *(("\u212a",) if low == "k" else ())}
