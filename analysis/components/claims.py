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
import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from analysis.components.people import name_key
from analysis.extensions import block_kind, doc_text
from analysis.rules import load_yaml

OPEN_Q = "“"
CLOSE_Q = "”"
OPED_MAX_ATTRIBUTED = 0.25
TRAILING_AT = 0.5       # an attribution this far into its sentence trails what it attributes
_SELF_REFERENCE = re.compile(r"\b(?:this author|this writer|I|I'm|I’m|my|we|our|us)\b")
_PREPOSITIONS = frozenset({"under", "of", "with", "by", "for", "to", "from", "against", "about",
                           "on", "at", "between", "like", "toward", "towards", "into", "than"})
_TURN_LABEL = re.compile(r"^([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}):\s+")


@dataclass
class _Sent:
    start: int
    end: int
    text: str
    block: str
    para: int
    first_in_para: bool
    opens_inside_quote: bool
    quote_open_after: bool


def _quote_balance(text: str, open_before: bool) -> bool:
    """Return whether a quotation is still open after ``text``."""
    state = open_before
    for ch in text:
        if ch == '"':
            state = not state
        elif ch == OPEN_Q:
            state = True
        elif ch == CLOSE_Q:
            state = False
    return state


class ClaimFinder:
    """The ``expert_lens_claims`` component."""

    def __init__(self, nlp: Language, name: str) -> None:
        speech = load_yaml("speech.yaml")
        people = load_yaml("people.yaml")
        verbs = sorted(speech["verbs"], key=len, reverse=True)
        between = "|".join(re.escape(w) for w in speech["between"])
        self.verb_re = re.compile(rf"\b(?:{'|'.join(re.escape(v) for v in verbs)})\b")
        when = speech["time_between"]
        self.gap_re = re.compile(rf"^(?:,[^\"“”]{{0,320}}?,)?,?\s*(?:(?:{between}|{when}),?\s+)*$")
        self.pronoun_before = re.compile(rf"\b(he|she)\s+(?:(?:{between})\s+)*$", re.IGNORECASE)
        self.pronoun_after = re.compile(r"^\s+(he|she)\b")
        desc = "|".join(re.escape(d) for d in people["descriptions"])
        self.desc_before = re.compile(
            rf"\bthe\s+(?:[\w-]+\s+){{0,2}}?({desc})\s+(?:(?:{between})\s+)*$", re.IGNORECASE)
        self.desc_after = re.compile(rf"^\s+the\s+(?:[\w-]+\s+){{0,2}}?({desc})\b", re.IGNORECASE)
        self.before_speaker = [p.lower() for p in speech["before_speaker"]]
        self.own_view = re.compile(
            r"\b(?:" + "|".join(re.escape(p) for p in speech["own_view"]) + r")\b", re.IGNORECASE)
        self.interviewers = {w.lower() for w in people["interviewer_labels"]}
        self.expert_words = {"expert", "analyst", "researcher", "professor", "scholar",
                             "interviewee", "academic", "specialist", "economist", "historian",
                             "fellow", "author"}

    # -- helpers -------------------------------------------------------------------
    @staticmethod
    def _sentences(doc: Doc) -> list[_Sent]:
        out: list[_Sent] = []
        blocks = list(doc._.blocks or [])
        para_of = 0
        open_q = False
        last_para = -1
        full = doc_text(doc)
        for sent in doc.sents:
            text = full[sent.start_char:sent.end_char].rstrip()
            if not text.strip():
                continue
            start = sent.start_char
            while blocks and para_of < len(blocks) - 1 and start >= blocks[para_of][1]:
                para_of += 1
            first = para_of != last_para
            if first:
                open_q = False
            inside = open_q
            open_q = _quote_balance(text, open_q)
            out.append(_Sent(start, start + len(text), text, block_kind(doc, start), para_of,
                             first, inside, open_q))
            last_para = para_of
        return out

    def _resolve_description(self, word: str, pos: int, mentions: list[Span],
                             people: dict[str, dict]) -> str | None:
        word = word.lower()
        for span in reversed([m for m in mentions if m.start_char < pos]):
            info = people.get(span._.person, {})
            if word in self.expert_words and info.get("role") == "expert":
                return span._.person
            if word in (info.get("title") or "").lower():
                return span._.person
        return None

    def _attribution(self, sent: _Sent, mentions: list[Span], starts: list[int],
                     people: dict[str, dict],
                     last_speaker: str | None) -> tuple[str | None, str, str, int]:
        """Return (person key, kind, cue, position of the cue) for an attribution in ``sent``."""
        text, off = sent.text, sent.start
        lo = bisect.bisect_left(starts, sent.start)
        hi = bisect.bisect_left(starts, sent.end)
        inside = mentions[lo:hi]
        quoted = any(q in text for q in ('"', OPEN_Q, CLOSE_Q))
        kind = "quote" if quoted else "reported"
        low = text.lower()
        for phrase in self.before_speaker:
            for m in re.finditer(rf"\b{re.escape(phrase)}\s+", low):
                for span in inside:
                    gap = text[m.end():span.start_char - off]
                    if span.start_char - off >= m.end() and re.fullmatch(r"(?:[\w.’'-]+\s+){0,6}", gap):
                        return (span._.person, "according_to" if phrase == "according to" else kind,
                                phrase, m.start())
        has_quotes = sent.opens_inside_quote or any(q in text for q in ('"', OPEN_Q, CLOSE_Q))
        quoted_chars = _quoted_mask(text, sent.opens_inside_quote) if has_quotes else None
        for vm in self.verb_re.finditer(text):
            if quoted_chars and quoted_chars[vm.start()]:
                continue            # a speech verb inside a quotation is the quoted person's
            vstart, vend = vm.start() + off, vm.end() + off
            for span in reversed([s for s in inside if s.end_char <= vstart]):
                if (self.gap_re.match(doc_slice(text, span.end_char - off, vm.start()))
                        and not self._object_of_preposition(text[:span.start_char - off])):
                    return span._.person, kind, vm.group(), vm.start()
            for span in [s for s in inside if s.start_char >= vend]:
                gap = text[vm.end():span.start_char - off]
                if re.fullmatch(r"\s+(?:[A-Z][\w.’'-]*\s+){0,4}", gap):
                    return span._.person, kind, vm.group(), vm.start()
                break
            before = text[:vm.start()]
            pm = self.pronoun_before.search(before)
            if last_speaker and (pm or self.pronoun_after.match(text[vm.end():])):
                return (last_speaker, kind, (pm.group(1) if pm else "he") + " " + vm.group(),
                        vm.start())
            dm = self.desc_before.search(before) or self.desc_after.match(text[vm.end():])
            if dm:
                recent = mentions[max(0, lo - 50):hi]
                who = self._resolve_description(dm.group(1), vstart, recent, people)
                if who:
                    return who, kind, f"the {dm.group(1)}", vm.start()
        if last_speaker and (ov := self.own_view.search(text)):
            return last_speaker, "reported", ov.group(), ov.start()
        return None, "", "", -1

    @staticmethod
    def _object_of_preposition(before: str) -> bool:
        """True when the words before a name end in a preposition ("under X", "with X")."""
        # drop a title before the name ("Secretary of Defense"), then look at the word before it
        words = re.sub(r"(?:\b[A-Z][\w.’'-]*\s*)(?:(?:of|for|and)?\s*\b[A-Z][\w.’'-]*\s*)*$", "",
                       before).split()
        return bool(words) and words[-1].lower() in _PREPOSITIONS

    def _turn_label(self, sent: _Sent, mentions: list[Span], starts: list[int]
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
                return True, span._.person
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
        mentions = sorted(doc.spans.get("people", []), key=lambda s: s.start_char)
        starts = [m.start_char for m in mentions]
        sents = self._sentences(doc)
        speakers: list[tuple[str | None, str, str, float]] = [(None, "", "", -1.0)] * len(sents)
        turn: str | None = None
        turns = 0
        last_speaker: str | None = None
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
                    last_speaker = turn
                continue
            who, kind, cue, pos = self._attribution(sent, mentions, starts, people, last_speaker)
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
                last_speaker = who
                last_para_speaker[sent.para] = who
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
        return claims, fmt

    @staticmethod
    def _is_bio(sent: _Sent, people: dict[str, dict]) -> bool:
        return any(sent.text.startswith(info["name"]) and " is " in sent.text[:80]
                   for info in people.values())

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
            _SELF_REFERENCE.search(re.sub(r"[\"“][^\"”]*[\"”]", "", sents[i].text))
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


def _quoted_mask(text: str, open_before: bool) -> list[bool]:
    """Return, per character, whether it lies inside a quotation."""
    mask: list[bool] = []
    state = open_before
    for ch in text:
        if ch == '"':
            state = not state
            mask.append(True)
            continue
        if ch == OPEN_Q:
            state = True
        mask.append(state)
        if ch == CLOSE_Q:
            state = False
    return mask


def doc_slice(text: str, start: int, end: int) -> str:
    """Return ``text[start:end]`` (empty when the bounds cross)."""
    return text[start:end] if end >= start else ""


@Language.factory("expert_lens_claims", assigns=["doc._.claims", "doc._.article_format"],
                  requires=["doc.sents"])
def make_claims(nlp: Language, name: str) -> ClaimFinder:
    """Build the claims component from ``analysis/rules/speech.yaml``."""
    return ClaimFinder(nlp, name)
