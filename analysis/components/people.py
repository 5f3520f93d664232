"""Find people: full names with their titles, affiliations and roles, then later mentions.

A run of capitalised words is a person's name when something in the text
vouches for it: a title before it ("Foreign Minister X"), an appositive after
it ("X, a senior fellow at ..."), a speech verb next to it ("X said", "said X",
"according to X"), an interview-turn label ("X: ..."), a byline ("By X") or a
bio line ("X is a professor at ..."). Two names joined by "and" under one
plural title ("Reps. A of X and B of Y") or one speech cue ("according to A and
B", "A and B said") are both people, recorded as each other's ``partners``.
Surname-only (or given-name-only) mentions resolve to the person named earlier
in the same article. Every word
list lives in ``analysis/rules/people.yaml`` and ``speech.yaml``.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import NamedTuple

from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc, Span

from analysis.components.patterns import alternation, find_all
from analysis.extensions import PEOPLE_KEY, actor_rows, doc_text, set_span_attrs, token_column
from analysis.rules import load_yaml

_UP = "A-ZÀ-ÖØ-ÞĀ-Ž"
_LOW = "a-zß-öø-ÿā-ž"
_WORD = rf"(?:[{_UP}][{_LOW}]+(?:[A-Z][{_LOW}]+)?(?:['’][{_UP}][{_LOW}]+|-[{_UP}{_LOW}]+)*|[{_UP}]\.)"
# a run of two or more capitalised words (a one-word run is never a name): written to start with
# the capital letter, so that re skips to the capitals; ``(?<![\w'’-].)`` after it is the
# ``(?<![\w'’-])`` before it
_WORD_TAIL = rf"(?:[{_LOW}]+(?:[A-Z][{_LOW}]+)?(?:['’][{_UP}][{_LOW}]+|-[{_UP}{_LOW}]+)*|\.)"
_RUN = re.compile(rf"[{_UP}](?<![\w'’-].){_WORD_TAIL}(?: {_WORD})+(?![\w-])")
_DETERMINERS = ("a ", "an ", "the ")
CACHE_LIMIT = 200_000       # words remembered across docs (see PeopleFinder._candidates)
_NAME_MARKS = str.maketrans({"-": " ", "'": " ", "’": " ", ".": " "})
_FORM_START = re.compile(r"(?<![\w'’-])")
_FORM_END = re.compile(r"(?![\w-])")
_TAIL = re.compile(r"([\w.'’-]+(?: (?:of |for |and )?[\w.'’-]+){0,7}) ?$")
_TAIL_BREAK = re.compile(r"[^\w.'’ -]|  ")
_CONNECTORS = frozenset({"of", "for", "and"})
_APPOSITIVE = re.compile(r"^,\s*(.+?)(?:,\s+(?=[a-z“\"])|\)|[.;:]\s|[.;:]?$|\s[—–-]\s)")
_BIO = re.compile(r"^ is (?:a|an|the) (.+?)[.;]")
_FROM_ORG = re.compile(rf"^ (?:from|of|at) ((?:the )?[{_UP}][\w'’-]*(?: (?:of|for|and|the|on|[{_UP}][\w'’-]*))*)")
_NEXT_WORD = re.compile(r"\s*\(?([\w'’-]+)")
_BIO_START = re.compile(r"^ is (?:a|an|the) ")
_BYLINE = re.compile(r"(?:^|\n)By $")
_DETERMINER = re.compile(r"^(?:a|an|the)\s+")
_SPLITTERS = (re.compile(r"\s(?:at|from|with)\s"), re.compile(r"\sof\s"))
# what may stand between two people named together: the first one's organisation, then "and"
_COORDINATED = re.compile(rf"(?: (?:of|from|at) (?:the )?[{_UP}][^\n;:()]{{0,80}}?)?,? and ")
_SENTENCE_BREAK = re.compile(rf"[.!?][\"”’]? [{_UP}]")
_COORDINATION_GAP = 100     # most characters between two people named together


def name_key(name: str) -> str:
    """Normalise a name for matching: no accents, case, hyphens or dots."""
    if name.isascii():      # nothing to decompose, no combining marks
        folded = name
    else:
        folded = unicodedata.normalize("NFKD", name)
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(folded.translate(_NAME_MARKS).lower().split())


def _title_tail(window: str) -> str | None:
    """``_TAIL.search(window).group(1)``: the last words of ``window`` (None when there are none).

    The words joined by single spaces at the end of the window, as many as eight units (a word,
    or "of"/"for"/"and" and the word after it) allow, found without the regex's backtracking.
    """
    brk = _TAIL_BREAK.search(window[::-1])   # the last character that is not a word, ".", "'" or space
    region = window[len(window) - brk.start():] if brk else window
    if region.endswith(" "):
        region = region[:-1]
    words = region.split(" ")
    if words and not words[0]:
        words = words[1:]           # the space after the break
    if not words or not all(words):
        return None
    n = len(words)
    for first in range(n):          # the leftmost start whose words fit in eight units
        units, i = 0, first + 1
        while i < n:
            i += 2 if (words[i] in _CONNECTORS and i + 1 < n) else 1
            units += 1
        if units <= 7:
            return " ".join(words[first:])
    return None


def _cue_re(cues: list[str]) -> re.Pattern[str]:
    """One pattern for "any of these cues as a whole word" (the cues are lower-case)."""
    return re.compile(rf"(?<!\w){alternation(cues)}(?!\w)")


@dataclass
class PersonInfo:
    """What the article says about one person."""

    name: str
    title: str = ""
    affiliation: str = ""
    role: str = "expert"
    country: str = ""
    evidence: set[str] = field(default_factory=set)
    partners: set[str] = field(default_factory=set)     # people named with them ("Reps. A and B")
    gender: str = ""    # "f" or "m" when a title says so ("Ms.", "spokesman"), else ""

    def as_dict(self) -> dict[str, str]:
        """Return the record written to ``doc._.people``."""
        return {"name": self.name, "title": self.title, "affiliation": self.affiliation,
                "role": self.role, "country": self.country, "evidence": sorted(self.evidence),
                "partners": sorted(self.partners), "gender": self.gender}


class _Candidate(NamedTuple):
    start: int
    end: int
    text: str
    prefix: str       # the stop words trimmed from the front of the run (titles)


class PeopleFinder:
    """The ``expert_lens_people`` component."""

    def __init__(self, nlp: Language, name: str) -> None:
        rules = load_yaml("people.yaml")
        speech = load_yaml("speech.yaml")
        self.stop = {w.lower() for w in rules["not_name_words"].split()}
        self.titles = sorted({t.lower() for t in rules["titles"]}, key=len, reverse=True)
        self.title_set = frozenset(self.titles)
        self.title_heads = frozenset(t.split()[-1] for t in self.titles)
        self.plural_titles = frozenset(t.lower().rstrip(".") for t in rules["plural_titles"])
        self.journalist = [c.lower() for c in rules["journalist_cues"]]
        self.official = [c.lower() for c in rules["official_cues"]]
        self.expert = [c.lower() for c in rules["expert_cues"]]
        self.cue_res = {id(cues): _cue_re(cues) for cues in (self.journalist, self.official, self.expert)}
        self.org_followers = {w.lower() for w in rules["org_followers"]}
        self.interviewers = {w.lower() for w in rules["interviewer_labels"]}
        self.gender_words = {**{w.lower().rstrip("."): "m" for w in rules["male_words"]},
                             **{w.lower().rstrip("."): "f" for w in rules["female_words"]}}
        self._stop_word: dict[str, bool] = {}    # word -> never part of a name (see _candidates)
        verbs = sorted(speech["verbs"], key=len, reverse=True)
        between = "|".join(re.escape(w) for w in speech["between"])
        # the word-list patterns below are only ever used as yes/no tests (or for the longest
        # word, as the flat lists sorted by length were), so their lists are written as tries
        role_words = alternation(self.titles + self.expert)
        self.appositive_re = re.compile(rf"^,? (?:a |an |the )?(?:[\w.'’-]+ ){{0,6}}?{role_words}\b",
                                        re.IGNORECASE)
        self.role_word_re = re.compile(rf"(?<!\w){role_words}(?!\w)")
        when = speech["time_between"]
        self.verb_word = re.compile(rf"\b{alternation(verbs)}\b")
        self.verb_after = re.compile(rf"^(?:,? (?:{between}|{when}))*,? {alternation(verbs)}\b")
        speakers = [*verbs, *speech["before_speaker"]]
        self.verb_before = re.compile(rf"\b{alternation(speakers)}(?: [{_LOW}.]+){{0,3}}? $")
        bare_titles = sorted({t.rstrip(".") for t in self.titles}, key=len, reverse=True)
        self.title_re = re.compile(rf"\b{alternation(bare_titles)}\.?$", re.IGNORECASE)
        # the two patterns above end the text: they match it where these match it read backwards
        # (a word boundary and [...] classes read the same both ways; words start with letters)
        self.verb_before_rev = re.compile(rf" (?:[{_LOW}.]+ ){{0,3}}{alternation(w[::-1] for w in speakers)}\b")
        self.title_rev = re.compile(rf"\.?{alternation(t[::-1] for t in bare_titles)}\b", re.IGNORECASE)
        self.reversible = all(w[:1].isalpha() for w in [*speakers, *bare_titles])

    # -- find ---------------------------------------------------------------
    def _candidates(self, text: str, actor_chars: set[int]) -> list[_Candidate]:
        out: list[_Candidate] = []
        stop_word = self._stop_word
        for m in _RUN.finditer(text):
            # the words of a run are separated by single spaces (none is empty); a stop word or an
            # actor ends a run of name words, and the stop words before a run are its prefix
            pos = m.start()
            prefix: list[str] = []
            size = first = last_end = 0     # the current run of name words: length, start, end
            for word in m.group().split(" "):
                stop = stop_word.get(word)
                if stop is None:    # a property of the word alone: kept across docs
                    if len(stop_word) > CACHE_LIMIT:
                        stop_word.clear()
                    bare = word.rstrip(".")
                    stop = stop_word[word] = (not word or bare.lower() in self.stop
                                              or (len(bare) > 1 and bare.isupper()))
                if not (stop or pos in actor_chars):
                    if not size:
                        first = pos
                    size += 1
                    last_end = pos + len(word)
                else:
                    if size >= 2:
                        out.append(_Candidate(first, last_end, text[first:last_end], " ".join(prefix)))
                        prefix = []
                    elif size:
                        prefix = []
                    size = 0
                    prefix.append(word)
                pos += len(word) + 1
            if size >= 2:
                out.append(_Candidate(first, last_end, text[first:last_end], " ".join(prefix)))
        return out

    def _ends_in_title(self, text: str) -> bool:
        """``self.title_re.search(text)``, matched backwards from the end of the text."""
        if text.endswith("\n") or not self.reversible:     # ($ may stand before a final newline)
            return bool(self.title_re.search(text))
        return self.title_rev.match(text[::-1]) is not None

    def _ends_in_speech(self, text: str) -> bool:
        """``self.verb_before.search(text)``, matched backwards from the end of the text."""
        if text.endswith("\n") or not self.reversible:
            return bool(self.verb_before.search(text))
        return self.verb_before_rev.match(text[::-1]) is not None

    def _is_org(self, text: str, cand: _Candidate) -> bool:
        after = text[cand.end:cand.end + 40]
        nxt = _NEXT_WORD.match(after)
        if nxt and (nxt.group(1).lower() in self.org_followers):
            return True
        before = text[max(0, cand.start - 5):cand.start].lower()
        return before.endswith("the ") and not cand.prefix

    def _vouched(self, text: str, cand: _Candidate) -> set[str]:
        before = text[max(0, cand.start - 60):cand.start]
        after = text[cand.end:cand.end + 160]
        why: set[str] = set()
        if (cand.prefix and self._ends_in_title(cand.prefix.rstrip("."))) or self._ends_in_title(
                before.rstrip().rstrip(".,")):
            why.add("title")
        if self.verb_after.match(after) or self._ends_in_speech(before):
            why.add("speech")
        # "X, a professor" or "X research fellow", not "Conflict Armament Research (CAR)": a role word
        # right after a name without a comma must be lower-case, or it is the rest of a name
        if self.appositive_re.match(after) and (after[:1] == "," or after[1:2].islower()):
            why.add("appositive")
        if _BIO_START.match(after):
            why.add("bio")
        if "By " in before and _BYLINE.search(before):
            why.add("byline")
        if after.startswith(":") and (cand.start == 0 or text[cand.start - 1] == "\n"):
            why.add("turn")
        return why

    # -- describe -------------------------------------------------------------
    def _pre_title(self, text: str, cand: _Candidate) -> str:
        window = text[max(0, cand.start - 80):cand.start]
        window = window.split("\n")[-1]
        if window.endswith(", ") and text[cand.end:cand.end + 1] == ",":
            window = window[:-2]        # "The NATO secretary general, Mark Rutte, said"
        tail = _title_tail(window)
        if not tail:
            return ""
        words = tail.split()
        # keep the trailing words that are title-like: capitalised, a title word, or "of"
        kept: list[str] = []
        for word in reversed(words):
            low = word.lower().rstrip(",")
            if (word.endswith(",") or low in {"the", "a", "an", "by", "said", "that", "with", "and"}
                    or (word.endswith(".") and low not in self.title_set)):
                break
            if word[:1].isupper() or low in self.title_set or low in {"of", "for"} or (
                    low in self.title_heads) or low in {"military", "intelligence", "foreign", "defense",
                                                         "state"}:
                kept.append(word)
            else:
                break
        while kept and kept[-1].lower() in {"of", "for"}:
            kept.pop()
        title = " ".join(reversed(kept))
        return title if self._ends_in_title(title.rstrip(".")) or not self.title_set.isdisjoint(
            title.lower().split()) else ""

    def _appositive(self, text: str, cand: _Candidate) -> tuple[str, str]:
        """Return (title, affiliation) from what follows the name, if anything."""
        after = text[cand.end:cand.end + 400].split("\n")[0]
        m = _APPOSITIVE.match(after)
        if not m:
            m = _BIO.match(after)
        if m and len(m.group(1).split()) <= 40 and not self.verb_word.search(m.group(1)):
            return self._split_affiliation(m.group(1).strip())
        m = _FROM_ORG.match(after)
        return ("", m.group(1)) if m else ("", "")

    @staticmethod
    def _split_affiliation(appositive: str) -> tuple[str, str]:
        appositive = _DETERMINER.sub("", appositive)
        for pat in _SPLITTERS:
            m = pat.search(appositive)
            if m:
                return appositive[:m.start()].strip(), appositive[m.end():].strip()
        return appositive, ""

    def _role(self, pre: str, title: str, affiliation: str) -> str:
        pre_l, rest = pre.lower(), f"{title} {affiliation}".lower()
        def has(cues: list[str], text: str) -> bool:
            return bool(self.cue_res[id(cues)].search(text))
        if has(self.journalist, pre_l + " " + rest):
            return "journalist"
        if has(self.official, pre_l):
            return "official"
        if has(self.expert, pre_l + " " + rest):
            return "expert"
        if has(self.official, rest):
            return "official"
        return "expert"

    def _describe(self, text: str, cand: _Candidate, why: set[str], pre: str, people: dict[str, PersonInfo],
                  actors: list[tuple], actor_starts: list[int], actors_sorted: bool) -> None:
        """Add ``cand`` to ``people`` (or add to what is known of them): title, affiliation, role, country."""
        key = name_key(cand.text)
        info = people.get(key) or PersonInfo(name=cand.text)
        info.evidence |= why
        title, affil = self._appositive(text, cand)
        app = f"{title} {affil}".lower()
        if "speech" in why and not pre and app.strip() and not self.role_word_re.search(app):
            title, affil = "", ""
        if not info.title and (pre or title or affil):
            info.title = " ".join(x for x in (pre, title) if x)
            info.affiliation = affil
            info.role = self._role(pre, title, affil)
            lo, hi = 0, len(actors)
            if actors_sorted:
                lo = bisect.bisect_left(actor_starts, cand.start - 80)
                hi = bisect.bisect_left(actor_starts, cand.start)
            codes = [row[4] for row in actors[lo:hi] if cand.start - 80 <= row[2] < cand.start
                     and row[3] <= cand.start and row[2] >= cand.start - len(pre) - 2]
            info.country = codes[-1] if codes and info.role == "official" else ""
        if "byline" in why and not info.title:
            info.role = "journalist"
        people[key] = info

    def _plural_title(self, title: str) -> bool:
        """True when ``title`` ends in a plural title word ("Reps.", "Professors"): it names several people."""
        return bool(title.strip()) and title.split()[-1].lower().rstrip(".") in self.plural_titles

    def _coordinated(self, text: str, first: _Candidate, second: _Candidate, title: str, why: set[str]) -> bool:
        """True when ``second`` is named with ``first`` ("A of X and B") and what vouches for one covers both:
        a plural title before the first, or a speech verb or "according to"."""
        if second.start - first.end >= _COORDINATION_GAP or not ("speech" in why or self._plural_title(title)):
            return False
        between = text[first.end:second.start]
        return _COORDINATED.fullmatch(between) is not None and not _SENTENCE_BREAK.search(between)

    def _named_before(self, text: str, loose: list[_Candidate], cand: _Candidate, why: set[str]
                      ) -> _Candidate | None:
        """Of the names not vouched for just before ``cand``, the person named together with it, if any."""
        for first in loose[::-1]:
            if cand.start - first.end >= _COORDINATION_GAP:
                break
            if self._coordinated(text, first, cand, "", why) and not self._is_org(text, first):
                return first
        return None

    @staticmethod
    def _pair(people: dict[str, PersonInfo], key_a: str, key_b: str, b: _Candidate) -> None:
        """Record that two people are named together; the first one's affiliation stops before the second."""
        if key_a == key_b or key_a not in people or key_b not in people:
            return
        first = people[key_a]
        cut = first.affiliation.find(f" and {b.text}")
        if cut >= 0:
            first.affiliation = first.affiliation[:cut]
        first.partners.add(key_b)
        people[key_b].partners.add(key_a)

    # -- write ------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        """Find people and write ``doc.spans["people"]`` and ``doc._.people``."""
        actors = actor_rows(doc)
        # where each token of an actor mention starts
        actor_chars = {row[2] for row in actors}
        if any(row[1] - row[0] > 1 for row in actors):
            idx = token_column(doc, IDX)
            actor_chars.update(idx[i] for start, end, *_ in actors if end - start > 1 for i in range(start, end))
        people, mentions = self.match(doc, actor_chars, actors)
        self.set_annotations(doc, people, mentions)
        return doc

    def match(self, doc: Doc, actor_chars: set[int], actors: list[tuple]
              ) -> tuple[dict[str, PersonInfo], list[tuple[int, int, str, str]]]:
        """Return the people of the article and their mentions (start, end, key, via).

        ``actors``: the rows of :func:`analysis.extensions.actor_rows`.
        """
        text = doc_text(doc)
        actor_starts = [row[2] for row in actors]
        actors_sorted = all(a <= b for a, b in itertools.pairwise(actor_starts))
        cands = self._candidates(text, actor_chars)
        people: dict[str, PersonInfo] = {}
        full: list[tuple[int, int, str, str]] = []
        pending: list[_Candidate] = []
        last: tuple[_Candidate, str, set[str]] | None = None    # the last person found: name, title, why
        loose: list[_Candidate] = []    # the names not vouched for since the last person found
        for cand in cands:
            if cand.text.split()[0].lower() in self.interviewers:
                continue
            why = self._vouched(text, cand)
            key = name_key(cand.text)
            shared = ""     # a plural title before the first of two people ("Reps. A and B")
            together = last is not None and self._coordinated(text, last[0], cand, last[1], last[2] | why)
            if not why and together:
                why, shared = {"coordinated"}, last[1] if self._plural_title(last[1]) else ""
            if not why or self._is_org(text, cand):
                pending.append(cand)
                loose.append(cand)
                continue
            pre = shared or self._pre_title(text, cand)
            self._describe(text, cand, why, pre, people, actors, actor_starts, actors_sorted)
            full.append((cand.start, cand.end, key, "name"))
            if together and last:
                self._pair(people, name_key(last[0].text), key, cand)
            elif "speech" in why and (first := self._named_before(text, loose, cand, why)):
                # "A of X and B said": the speech verb vouches for both
                pending.remove(first)
                self._describe(text, first, {"coordinated"}, self._pre_title(text, first), people, actors,
                               actor_starts, actors_sorted)
                full.append((first.start, first.end, name_key(first.text), "name"))
                self._pair(people, name_key(first.text), key, cand)
            last, loose = (cand, pre, why), []
        for cand in pending:
            key = name_key(cand.text)
            if key in people:
                full.append((cand.start, cand.end, key, "name"))
        full.sort()
        short = self._short_mentions(text, people, full)
        mentions = sorted(full + short)
        self._genders(text, people, mentions)
        return people, mentions

    def _genders(self, text: str, people: dict[str, PersonInfo], mentions: list[tuple[int, int, str, str]]
                 ) -> None:
        """Set each person's ``gender`` when the words before their mentions ("Ms. Roe") or their title
        ("spokeswoman") say it, and say one thing only."""
        said: dict[str, set[str]] = {}
        for start, _end, key, _via in mentions:
            before = text[max(0, start - 12):start].split()
            if before and (g := self.gender_words.get(before[-1].lower().rstrip("."))):
                said.setdefault(key, set()).add(g)
        for key, info in people.items():
            found = said.get(key, set()) | {g for w in info.title.lower().replace(".", " ").split()
                                            if (g := self.gender_words.get(w))}
            info.gender = found.pop() if len(found) == 1 else ""

    def _short_mentions(self, text: str, people: dict[str, PersonInfo],
                        full: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
        forms: dict[str, list[tuple[int, str]]] = {}
        for start, _end, key, _via in full:
            parts = people[key].name.split()
            for part in {parts[-1], parts[0]}:
                if part.lower() not in self.stop and len(part) > 1:
                    forms.setdefault(part, []).append((start, key))
        covered = [(s, e) for s, e, _k, _v in full]
        out: list[tuple[int, int, str, str]] = []
        if not forms:
            return out
        # what ``(?<![\w'’-])(form|form|...)(?![\w-])`` (longest form first) finds, without compiling
        # a pattern per article: every form is a name word, so it starts with a capital letter
        by_first: dict[str, list[str]] = {}
        for form in sorted(forms, key=len, reverse=True):
            by_first.setdefault(form[0], []).append(form)
        form_starts = {form: [pos for pos, _key in seen] for form, seen in forms.items()}
        cover_starts = [s for s, _e in covered]
        last_end = 0
        # a match starts where one of the forms occurs
        for start in sorted({pos for form in forms for pos in find_all(text, form)}):
            if start < last_end or not _FORM_START.match(text, start):
                continue
            form = next((f for f in by_first[text[start]]
                         if text.startswith(f, start) and _FORM_END.match(text, start + len(f))), None)
            if form is None:
                continue
            end = last_end = start + len(form)
            j = bisect.bisect_right(cover_starts, start) - 1
            if j >= 0 and covered[j][0] <= start < covered[j][1]:
                continue
            seen = forms[form]
            k = bisect.bisect_left(form_starts[form], start)
            key = seen[k - 1][1] if k else seen[0][1]
            out.append((start, end, key, "surname"))
        return out

    def set_annotations(self, doc: Doc, people: dict[str, PersonInfo],
                        mentions: list[tuple[int, int, str, str]]) -> None:
        """Write the people and their mention spans onto the Doc."""
        spans: list[Span] = []
        rows: list[tuple[int, int, str | None, str | None]] = []     # what people_rows(doc) returns
        last_end = -1
        for start, end, key, via in mentions:
            span = doc.char_span(start, end, label="PERSON", alignment_mode="expand")
            if span is None or span.start < last_end:
                continue
            set_span_attrs(span, person=key, via=via)
            spans.append(span)
            rows.append((span.start_char, span.end_char, key, via))
            last_end = span.end
        doc.spans["people"] = spans
        doc.user_data[PEOPLE_KEY] = (doc.spans["people"], rows)
        doc._.people = {key: info.as_dict() for key, info in people.items()}


@Language.factory("expert_lens_people", assigns=["doc.spans", "doc._.people"],
                  requires=["doc.sents"])
def make_people(nlp: Language, name: str) -> PeopleFinder:
    """Build the people component from ``analysis/rules/people.yaml``."""
    return PeopleFinder(nlp, name)
