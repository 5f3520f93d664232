"""Attribute sentences to the people who say them: the claims of an article.

A sentence is a claim of a person when the text attributes it: a speech verb
next to the person ("X said", "said X", "X, a fellow at ..., argued"),
"according to X", "quoted X as saying", an interview turn ("X: ..."), a
pronoun or a description after a named speaker ("he said", "the expert
noted"), a quotation that runs on from an attributed sentence, or a paragraph
whose one speaker closes it ("..., X asserts."). In an op-ed, the author's own
voice carries the sentences nobody else is credited with. Captions, headings,
datelines and publisher notes are never claims.
"""

from __future__ import annotations

import bisect
import difflib
import itertools
import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

import numpy
from spacy.attrs import IDX, ORTH
from spacy.language import Language
from spacy.tokens import Doc

from analysis.components.patterns import alternation, find_all, fold, order_free
from analysis.components.people import name_key
from analysis.extensions import block_kind, doc_text, people_rows, sentence_bounds, token_array, token_column
from analysis.rules import load_yaml

OPEN_Q = "“"
CLOSE_Q = "”"
OPED_MAX_ATTRIBUTED = 0.25
CACHE_LIMIT = 200_000       # words remembered across docs (see _VerbWords)
TRAILING_AT = 0.5       # an attribution this far into its sentence trails what it attributes
RECENT_SPEAKERS = 5     # how far back "she said" looks for a speaker "she" can stand for
_SELF_REFERENCE = re.compile(r"\b(?:this author|this writer|I|I'm|I’m|my|we|our|us)\b")
_PREPOSITIONS = frozenset({"under", "of", "with", "by", "for", "to", "from", "against", "about",
                           "on", "at", "between", "like", "toward", "towards", "into", "than"})
_TURN_LABEL = re.compile(r"^([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}):\s+")
_QUOTES = ('"', OPEN_Q, CLOSE_Q)
_NAME_GAP_AFTER = re.compile(r"(?:[\w.’'-]+\s+){0,6}")          # "according to [the analyst] X"
_NAME_GAP_BEFORE = re.compile(r"\s+(?:[A-Z][\w.’'-]*\s+){0,4}")   # "said [Professor] X"
_TITLE_RUN = re.compile(r"(?:\b[A-Z][\w.’'-]*\s*)(?:(?:of|for|and)?\s*\b[A-Z][\w.’'-]*\s*)*$")
_QUOTATION = re.compile(r"[\"“][^\"”]*[\"”]")
_NON_WORD = re.compile(r"\W")


class _Hints(NamedTuple):
    """Offsets in the doc where a "before speaker" phrase / an "own view" phrase may start."""

    before: list[int] | None     # None: anywhere
    own: list[int] | None


class _Mention:
    """A person mention: character offsets and the person key (read once from the span)."""

    __slots__ = ("end_char", "person", "start_char")

    def __init__(self, start_char: int, end_char: int, person: str | None) -> None:
        self.start_char, self.end_char, self.person = start_char, end_char, person


class _Sent(NamedTuple):
    start: int
    end: int
    text: str
    block: str
    para: int
    first_in_para: bool
    opens_inside_quote: bool
    quote_open_after: bool
    may_have_verb: bool = True      # False: no speech verb can match in the text (see _VerbWords)
    verb_starts: tuple[int, ...] | None = None   # offsets in the text where one may start (None: anywhere)


class _VerbWords:
    """Which sentences can hold a speech verb, decided from their tokens (no regex run).

    ``verb_re`` matches a verb at a word boundary. Such a match starts either at a token whose
    text is the verb's first word, or inside a token after a non-word character ("x.said"), and
    such a token holds the first word too. A sentence with neither kind of token has no match.
    This holds when the tokenizer keeps every first word whole, which is checked here: if not,
    every sentence is searched.
    """

    def __init__(self, nlp: Language, verbs: list[str]) -> None:
        self.firsts = frozenset(v.split(" ")[0] for v in verbs)
        self._known: set[int] = set()        # ORTH hashes decided (across docs: a property of the word)
        self._flagged: set[int] = set()      # those that may hold a verb's first word
        self.usable = all(v.replace(" ", "").isalpha() for v in verbs) and all(
            any(self._holds(t.text) for t in nlp.make_doc(context.format(w)))
            for w in self.firsts for context in ("{}", "({})", "“{}”", "{}.", "{},", "x {} y", "{}’s", "-{}-"))

    def _holds(self, text: str) -> bool:
        """The token is a verb's first word, or has one after a non-word character in it."""
        return text in self.firsts or (_NON_WORD.search(text) is not None and any(w in text for w in self.firsts))

    def _decide(self, doc: Doc, words: set[int]) -> None:
        """Decide the words (ORTH hashes) not seen before, once."""
        if not self._known.issuperset(words):
            if len(self._known) > CACHE_LIMIT:
                self._known.clear()
                self._flagged.clear()
            strings = doc.vocab.strings
            for h in words.difference(self._known):
                self._known.add(h)
                if self._holds(strings[h]):
                    self._flagged.add(h)

    def in_tokens(self, doc: Doc, orth: list[int]) -> bool:
        """True when a speech verb may start in the tokens whose ORTH hashes are ``orth``."""
        if not self.usable:
            return True
        self._decide(doc, set(orth))
        return not self._flagged.isdisjoint(orth)

    def starts(self, doc: Doc, orth: list[int], positions: list[int], offset: int) -> tuple[int, ...] | None:
        """Where in its sentence (starting at character ``offset``) a speech verb may start, given the
        ``positions`` of its tokens that may hold one (see :meth:`positions`): a token whose text is
        a verb's first word holds a match only at its start (inside it, a letter comes before); for a
        token with a non-word character in it, None (anywhere)."""
        strings, firsts = doc.vocab.strings, self.firsts
        idx = token_column(doc, IDX)
        out = []
        for i in positions:
            if strings[orth[i]] not in firsts:
                return None
            out.append(idx[i] - offset)
        return tuple(out)

    def positions(self, doc: Doc, orth: list[int]) -> list[int] | None:
        """The sorted positions of the tokens (ORTH hashes ``orth``, a whole doc) in which a speech
        verb may start (see :meth:`in_tokens`); None when any token may hold one."""
        if not self.usable:
            return None
        if not self._known.issuperset(orth):
            self._decide(doc, set(orth))
        flagged = self._flagged.intersection(orth)
        if not flagged:
            return []
        column = token_array(doc, ORTH)
        found = None
        for h in flagged:
            hit = column == numpy.uint64(h)
            found = hit if found is None else found | hit
        return numpy.flatnonzero(found).tolist()


def _quote_balance(text: str, open_before: bool) -> bool:
    """Return whether a quotation is still open after ``text``.

    Curly quotes set the state (“ opens, ” closes), a straight quote flips it: the state
    after the text is set by its last curly quote, then flipped once per straight quote after it.
    """
    last_open, last_close = text.rfind(OPEN_Q), text.rfind(CLOSE_Q)
    if last_open < 0 and last_close < 0:
        state, flips = open_before, text.count('"')
    else:
        last = max(last_open, last_close)
        state, flips = last == last_open, text.count('"', last + 1)
    return state != (flips % 2 == 1)


def _quoted_at(text: str, open_before: bool, pos: int) -> bool:
    """Return whether the character at ``pos`` lies inside a quotation (quote marks count as inside)."""
    if text[pos] in ('"', OPEN_Q):
        return True
    return _quote_balance(text[:pos], open_before)


class ClaimFinder:
    """The ``expert_lens_claims`` component."""

    def __init__(self, nlp: Language, name: str) -> None:
        speech = load_yaml("speech.yaml")
        people = load_yaml("people.yaml")
        verbs = sorted(speech["verbs"], key=len, reverse=True)
        between = "|".join(re.escape(w) for w in speech["between"])
        self.verb_re = re.compile(rf"\b{alternation(verbs)}\b")
        self.verb_words = _VerbWords(nlp, verbs)
        when = speech["time_between"]
        self.gap_re = re.compile(rf"^(?:,[^\"“”]{{0,320}}?,)?,?\s*(?:(?:{between}|{when}),?\s+)*$")
        self.pronoun_before = re.compile(rf"\b(he|she)\s+(?:(?:{between})\s+)*$", re.IGNORECASE)
        self.pronoun_after = re.compile(r"^\s+(he|she)\b")
        # "they said" after two people named together ("Reps. A and B"): both of them
        self.they_before = re.compile(rf"\b(they)\s+(?:(?:{between})\s+)*$", re.IGNORECASE)
        self.they_after = re.compile(r"^\s+they\b")
        desc = "|".join(re.escape(d) for d in people["descriptions"])
        self.desc_before = re.compile(
            rf"\bthe\s+(?:[\w-]+\s+){{0,2}}?({desc})\s+(?:(?:{between})\s+)*$", re.IGNORECASE)
        self.desc_after = re.compile(rf"^\s+the\s+(?:[\w-]+\s+){{0,2}}?({desc})\b", re.IGNORECASE)
        self.before_speaker = [p.lower() for p in speech["before_speaker"]]
        self.before_speaker_re = [(p, re.compile(rf"\b{re.escape(p)}\s+")) for p in self.before_speaker]
        own_view = speech["own_view"]
        own_alt = (alternation(own_view) if order_free(own_view, ignore_case=True)
                   else "(?:" + "|".join(re.escape(p) for p in own_view) + ")")
        self.own_view = re.compile(rf"\b{own_alt}\b", re.IGNORECASE)
        # a match starts where one of the phrases (lower case, in the folded text) does
        self.own_view_phrases = [p.lower() for p in own_view] if all(p.isascii() for p in own_view) else None
        self.interviewers = {w.lower() for w in people["interviewer_labels"]}
        self.expert_words = {"expert", "analyst", "researcher", "professor", "scholar",
                             "interviewee", "academic", "specialist", "economist", "historian",
                             "fellow", "author"}
        self.official_words = {"leader", "official"}    # "the Russian leader": any official's

    # -- helpers -------------------------------------------------------------------
    def _sentences(self, doc: Doc) -> list[_Sent]:
        out: list[_Sent] = []
        blocks = list(doc._.blocks or [])
        para_of = 0
        open_q = False
        last_para = -1
        full = doc_text(doc)
        orth = token_column(doc, ORTH)
        verbs_at = self.verb_words.positions(doc, orth)     # where a speech verb may start
        # blocks in order and apart (as cleaning writes them): the block found by the walk below
        # is the one block_kind finds
        ordered = all(a[1] <= b[0] for a, b in itertools.pairwise(blocks)) and all(
            b[0] <= b[1] for b in blocks)
        for first_token, end_token, start, end in sentence_bounds(doc):
            text = full[start:end].rstrip()
            if not text:        # (right-stripped: empty when all of it is space)
                continue
            while blocks and para_of < len(blocks) - 1 and start >= blocks[para_of][1]:
                para_of += 1
            first = para_of != last_para
            if first:
                open_q = False
            inside = open_q
            open_q = _quote_balance(text, open_q)
            if not ordered:
                kind = block_kind(doc, start)
            elif blocks and blocks[para_of][0] <= start < blocks[para_of][1]:
                kind = blocks[para_of][2]
            else:
                kind = "body"
            verb_starts = None
            if verbs_at is None:
                may_have_verb = True
            else:
                lo, hi = bisect.bisect_left(verbs_at, first_token), bisect.bisect_left(verbs_at, end_token)
                may_have_verb = lo < hi
                if may_have_verb:
                    verb_starts = self.verb_words.starts(doc, orth, verbs_at[lo:hi], start)
            out.append(_Sent(start, start + len(text), text, kind, para_of,
                             first, inside, open_q, may_have_verb, verb_starts))
            last_para = para_of
        return out

    def _resolve_description(self, word: str, pos: int, mentions: list[_Mention],
                             people: dict[str, dict]) -> str | None:
        word = word.lower()
        for span in reversed([m for m in mentions if m.start_char < pos]):
            info = people.get(span.person, {})
            if word in self.expert_words and info.get("role") == "expert":
                return span.person
            if word in self.official_words and info.get("role") == "official":
                return span.person
            if word in (info.get("title") or "").lower():
                return span.person
        return None

    def _hints(self, doc: Doc) -> _Hints:
        """Where in the doc the phrases :meth:`_attribution` looks for may occur (found once per doc)."""
        full = doc_text(doc)
        folded = fold(full)     # as lower() for these ASCII phrases, with every offset kept
        # (ASCII phrases: found in text.lower() only where found in the folded text)
        before = (sorted({pos for phrase in self.before_speaker for pos in find_all(folded, phrase)})
                  if all(p.isascii() for p in self.before_speaker) else None)
        own = (None if self.own_view_phrases is None else
               sorted({pos for phrase in self.own_view_phrases for pos in find_all(folded, phrase)}))
        return _Hints(before, own)

    def _own_view(self, text: str, off: int, hints: _Hints) -> re.Match[str] | None:
        """``self.own_view.search(text)`` for the sentence at ``off``, tried where the phrases occur."""
        if hints.own is None:
            return self.own_view.search(text)
        end = off + len(text)
        for pos in hints.own[bisect.bisect_left(hints.own, off):bisect.bisect_left(hints.own, end)]:
            if m := self.own_view.match(text, pos - off):
                return m
        return None

    def _attribution(self, sent: _Sent, mentions: list[_Mention], starts: list[int],
                     people: dict[str, dict], recent: tuple[str, ...], hints: _Hints,
                     group: tuple[str, ...] = ()) -> tuple[str | None, str, str, int]:
        """Return (person key, kind, cue, position of the cue) for an attribution in ``sent``.

        ``recent``: the latest speakers, the last one last ("he said" goes to the last one "he" can
        stand for). ``group``: the people of the last attribution when it named several ("they said"
        is theirs; the cue then starts with "they").
        """
        last_speaker = recent[-1] if recent else None
        text, off = sent.text, sent.start
        lo = bisect.bisect_left(starts, sent.start)
        hi = bisect.bisect_left(starts, sent.end)
        inside = mentions[lo:hi]
        quoted = '"' in text or OPEN_Q in text or CLOSE_Q in text
        kind = "quote" if quoted else "reported"
        if hints.before is None:
            has_before = True
        else:
            i = bisect.bisect_left(hints.before, off)
            has_before = i < len(hints.before) and hints.before[i] < sent.end
        low = text.lower() if has_before else ""
        for phrase, phrase_re in self.before_speaker_re if has_before else ():
            if phrase not in low:
                continue
            for m in phrase_re.finditer(low):
                for span in inside:
                    gap = text[m.end():span.start_char - off]
                    if span.start_char - off >= m.end() and _NAME_GAP_AFTER.fullmatch(gap):
                        return (span.person, "according_to" if phrase == "according to" else kind,
                                phrase, m.start())
        has_quotes = sent.opens_inside_quote or quoted
        if not sent.may_have_verb:
            verbs: Iterable[re.Match[str]] = ()
        elif sent.verb_starts is None:
            verbs = self.verb_re.finditer(text)
        else:
            verbs = _matches_at(self.verb_re, text, sent.verb_starts)
        for vm in verbs:
            if has_quotes and _quoted_at(text, sent.opens_inside_quote, vm.start()):
                continue            # a speech verb inside a quotation is the quoted person's
            vstart, vend = vm.start() + off, vm.end() + off
            for span in reversed([s for s in inside if s.end_char <= vstart]):
                if (self.gap_re.match(doc_slice(text, span.end_char - off, vm.start()))
                        and not self._object_of_preposition(text[:span.start_char - off])):
                    return span.person, kind, vm.group(), vm.start()
            for span in [s for s in inside if s.start_char >= vend]:
                gap = text[vm.end():span.start_char - off]
                if _NAME_GAP_BEFORE.fullmatch(gap):
                    return span.person, kind, vm.group(), vm.start()
                break
            before = text[:vm.start()]
            # "he"/"the" (any case) must occur before the verb for the pronoun/description patterns
            before_low = before.lower()
            if last_speaker:
                pm = (self.pronoun_before.search(before) if "he" in before_low else None
                      ) or self.pronoun_after.match(text[vm.end():])
                who = self._pronoun_speaker(pm.group(1), recent, people) if pm else None
                if who:
                    return who, kind, pm.group(1) + " " + vm.group(), vm.start()
                if len(group) > 1:
                    tm = self.they_before.search(before) if "they" in before_low else None
                    if tm or self.they_after.match(text[vm.end():]):
                        return last_speaker, kind, "they " + vm.group(), vm.start()
            dm = ((self.desc_before.search(before) if "the" in before_low else None)
                  or self.desc_after.match(text[vm.end():]))
            if dm:
                recent = mentions[max(0, lo - 50):hi]
                who = self._resolve_description(dm.group(1), vstart, recent, people)
                if who:
                    return who, kind, f"the {dm.group(1)}", vm.start()
        if last_speaker and (ov := self._own_view(text, off, hints)):
            return last_speaker, "reported", ov.group(), ov.start()
        return None, "", "", -1

    @staticmethod
    def _object_of_preposition(before: str) -> bool:
        """True when the words before a name end in a preposition ("under X", "with X")."""
        # drop a title before the name ("Secretary of Defense"), then look at the word before it
        words = _TITLE_RUN.sub("", before).split()
        return bool(words) and words[-1].lower() in _PREPOSITIONS

    def _turn_label(self, sent: _Sent, mentions: list[_Mention], starts: list[int]
                    ) -> tuple[bool, str | None]:
        """Return (is a turn label, speaker key) for a paragraph that opens with "Name: "."""
        if not sent.first_in_para:
            return False, None
        m = _TURN_LABEL.match(sent.text)
        if not m:
            return False, None
        label = m.group(1)
        if label.lower() in self.interviewers:
            return True, None
        i = bisect.bisect_left(starts, sent.start)
        for span in mentions[i:i + 3]:
            if sent.start <= span.start_char < sent.start + m.end(1):
                return True, span.person
        return (len(label.split()) >= 2 and label.split()[0].lower() not in self.interviewers,
                None)

    def _author_key(self, doc: Doc, people: dict[str, dict]) -> str | None:
        meta = doc._.author
        if meta:
            mkey = name_key(meta)
            for key, info in people.items():
                ratio = difflib.SequenceMatcher(None, mkey, key).ratio()
                if key == mkey or (ratio >= 0.8 and mkey.split()[0] == key.split()[0]):
                    info["aliases"] = sorted({*info.get("aliases", []), info["name"]} - {meta})
                    info["name"] = meta
                    return key
            people[mkey] = {"name": meta, "title": "", "affiliation": "", "role": "author",
                            "country": ""}
            return mkey
        for clue in ("bio", "byline"):
            for key, info in people.items():
                if clue in info.get("evidence", ()):
                    return key
        return None

    # -- find then write --------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        """Attribute the article's sentences and write ``doc._.claims``."""
        claims, fmt = self.match(doc)
        self.set_annotations(doc, claims, fmt)
        return doc

    def match(self, doc: Doc) -> tuple[list[dict], str]:
        """Return the claims of the article and its format (interview | op-ed | news)."""
        people: dict[str, dict] = doc._.people or {}
        mentions = sorted((_Mention(start_char, end_char, person) for start_char, end_char, person, _via
                           in people_rows(doc)), key=lambda m: m.start_char)
        starts = [m.start_char for m in mentions]
        sents = self._sentences(doc)
        hints = self._hints(doc)
        speakers: list[tuple[str | None, str, str, float]] = [(None, "", "", -1.0)] * len(sents)
        turn: str | None = None
        turns = 0
        recent: list[str] = []              # the latest speakers, each once, the last one last
        group: tuple[str, ...] = ()         # the people of the last attribution
        together: dict[int, list[str]] = {}     # sentence -> the people who say it with its speaker
        last_para_speaker: dict[int, str | None] = {}
        for i, sent in enumerate(sents):
            if sent.block == "heading":
                turn = None
            if sent.block != "body":
                continue
            is_label, label_speaker = self._turn_label(sent, mentions, starts)
            if is_label:
                turns += 1
                turn = label_speaker
                if turn:
                    speakers[i] = (turn, "turn", "interview turn", 0.0)
                    _spoke(recent, turn)
                continue
            who, kind, cue, pos = self._attribution(sent, mentions, starts, people, tuple(recent), hints, group)
            at = pos / max(len(sent.text), 1)
            if who is None and sent.opens_inside_quote and i and sents[i - 1].para == sent.para:
                who, kind, cue, at = speakers[i - 1][0], "quote", "quotation continues", 0.0
            if (who is None and not sent.first_in_para and sent.text[:1] in ('"', OPEN_Q)
                    and speakers[i - 1][1] == "quote"):
                who, kind, cue, at = speakers[i - 1][0], "quote", "quotation continues", 0.0
            if who is None and sent.first_in_para and sent.text[:1] in ('"', OPEN_Q) and i:
                prev = last_para_speaker.get(sent.para - 1)
                if prev:
                    who, kind, cue, at = prev, "quote", "quotation continues", 0.0
            if who is None and turn:
                who, kind, cue, at = turn, "turn", "interview turn", 0.0
            if who is not None:
                speakers[i] = (who, kind, cue, at)
                _spoke(recent, who)
                last_para_speaker[sent.para] = who
                co = self._co_speakers(who, cue, sent, mentions, starts, people, group)
                if co:
                    together[i] = co
                group = (who, *co)
        fmt = self._format(doc, sents, speakers, turns)
        self._fill_paragraphs(sents, speakers, fmt)
        if fmt == "op-ed":
            author = self._author_key(doc, people) or self._unnamed_author(doc, people)
            for i, sent in enumerate(sents):
                if sent.block == "body" and speakers[i][0] is None and not self._is_bio(sent, people):
                    speakers[i] = (author, "author", "author's voice", 0.0)
        else:
            self._author_key(doc, people)
        doc._.people = people
        claims = [
            {"start_char": sent.start, "end_char": sent.end, "person": who, "kind": kind,
             "cue": cue, "held": True}
            for sent, (who, kind, cue, _at) in zip(sents, speakers, strict=True) if who
        ]
        claims += [
            {"start_char": sents[i].start, "end_char": sents[i].end, "person": other, "kind": speakers[i][1],
             "cue": speakers[i][2], "held": True}
            for i, others in together.items() for other in others
        ]
        return claims, fmt

    @staticmethod
    def _pronoun_speaker(pronoun: str, recent: tuple[str, ...], people: dict[str, dict]) -> str | None:
        """The last of the ``recent`` speakers that ``pronoun`` ("he", "she") can stand for: one whose
        title says nothing of their gender, or says the pronoun's."""
        gender = "f" if pronoun.lower() == "she" else "m"
        for key in reversed(recent):
            if (people.get(key) or {}).get("gender", "") in ("", gender):
                return key
        return None

    @staticmethod
    def _co_speakers(who: str, cue: str, sent: _Sent, mentions: list[_Mention], starts: list[int],
                     people: dict[str, dict], group: tuple[str, ...]) -> list[str]:
        """Who says ``sent`` with ``who``: the people named with them there ("according to A and B"), or,
        for "they said", the people of the previous attribution."""
        if cue.startswith("they "):
            return [p for p in group if p != who]
        partners = (people.get(who) or {}).get("partners") or ()
        if not partners:
            return []
        lo, hi = bisect.bisect_left(starts, sent.start), bisect.bisect_left(starts, sent.end)
        named = {m.person for m in mentions[lo:hi]}
        return [p for p in partners if p in named and p != who]

    @staticmethod
    def _is_bio(sent: _Sent, people: dict[str, dict]) -> bool:
        # (any name the sentence starts with, and " is " early on: the second test needs no name)
        return bool(people) and " is " in sent.text[:80] and sent.text.startswith(
            tuple(info["name"] for info in people.values()))

    @staticmethod
    def _unnamed_author(doc: Doc, people: dict[str, dict]) -> str:
        title = (doc.user_data.get("title") or "this article").strip()
        name = f"Author of “{title}”"
        key = name_key(name)
        people[key] = {"name": name, "title": "author", "affiliation": "", "role": "author",
                       "country": ""}
        return key

    @staticmethod
    def _format(doc: Doc, sents: list[_Sent], speakers: list[tuple[str | None, str, str, float]],
                turns: int) -> str:
        if turns >= 2:
            return "interview"
        body = [i for i, s in enumerate(sents) if s.block == "body"]
        if not body:
            return "news"
        attributed = sum(1 for i in body if speakers[i][0])
        self_ref = any(
            _SELF_REFERENCE.search(_QUOTATION.sub("", sents[i].text))
            for i in body if not speakers[i][0])
        has_bio = any("bio" in info.get("evidence", ()) for info in (doc._.people or {}).values())
        if attributed / len(body) < OPED_MAX_ATTRIBUTED and (doc._.author or self_ref or has_bio):
            return "op-ed"
        return "news"

    @staticmethod
    def _fill_paragraphs(sents: list[_Sent], speakers: list[tuple[str | None, str, str, float]],
                         fmt: str) -> None:
        """Give a paragraph's one speaker the sentences before a trailing attribution ("..., X said.")."""
        if fmt == "op-ed":
            return
        by_para: dict[int, list[int]] = {}
        for i, sent in enumerate(sents):
            if sent.block == "body":
                by_para.setdefault(sent.para, []).append(i)
        for idx in by_para.values():
            who = {speakers[i][0] for i in idx if speakers[i][0]}
            if len(who) != 1:
                continue
            person = who.pop()
            last = max(i for i in idx if speakers[i][0])
            if speakers[last][3] < TRAILING_AT:
                continue
            for i in idx:
                if i < last and not speakers[i][0]:
                    speakers[i] = (person, "reported", "paragraph attribution", 0.0)

    @staticmethod
    def set_annotations(doc: Doc, claims: list[dict], fmt: str) -> None:
        """Write the claims and the article format onto the Doc."""
        doc._.claims = claims
        doc._.article_format = fmt


def _spoke(recent: list[str], who: str) -> None:
    """Make ``who`` the last of the ``recent`` speakers, keeping the latest :data:`RECENT_SPEAKERS`."""
    if who in recent:
        recent.remove(who)
    recent.append(who)
    del recent[:-RECENT_SPEAKERS]


def _matches_at(pattern: re.Pattern[str], text: str, starts: tuple[int, ...]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` when every match starts at one of ``starts`` (in order)."""
    last_end = 0        # matches do not overlap: the next one starts at or after this
    for pos in starts:
        if pos >= last_end and (m := pattern.match(text, pos)):
            yield m
            last_end = m.end()


def doc_slice(text: str, start: int, end: int) -> str:
    """Return ``text[start:end]`` (empty when the bounds cross)."""
    return text[start:end] if end >= start else ""


@Language.factory("expert_lens_claims", assigns=["doc._.claims", "doc._.article_format"],
                  requires=["doc.sents"])
def make_claims(nlp: Language, name: str) -> ClaimFinder:
    """Build the claims component from ``analysis/rules/speech.yaml``."""
    return ClaimFinder(nlp, name)
