"""Find people: full names with their titles, affiliations and roles, then later mentions.

A run of capitalised words is a person's name when something in the text
vouches for it: a title before it ("Foreign Minister X"), an appositive after
it ("X, a senior fellow at ..."), a speech verb next to it ("X said", "said X",
"according to X"), an interview-turn label ("X: ..."), a byline ("By X") or a
bio line ("X is a professor at ..."). Surname-only (or given-name-only)
mentions resolve to the person named earlier in the same article. Every word
list lives in ``analysis/rules/people.yaml`` and ``speech.yaml``.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span

from analysis.extensions import doc_text
from analysis.rules import load_yaml

_UP = "A-ZÀ-ÖØ-ÞĀ-Ž"
_LOW = "a-zß-öø-ÿā-ž"
_WORD = rf"(?:[{_UP}][{_LOW}]+(?:[A-Z][{_LOW}]+)?(?:['’][{_UP}][{_LOW}]+|-[{_UP}{_LOW}]+)*|[{_UP}]\.)"
_RUN = re.compile(rf"(?<![\w'’-]){_WORD}(?: {_WORD})*(?![\w-])")
_DETERMINERS = ("a ", "an ", "the ")


def name_key(name: str) -> str:
    """Normalise a name for matching: no accents, case, hyphens or dots."""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[-'’.]", " ", folded).lower().split())


@dataclass
class PersonInfo:
    """What the article says about one person."""

    name: str
    title: str = ""
    affiliation: str = ""
    role: str = "expert"
    country: str = ""
    evidence: set[str] = field(default_factory=set)

    def as_dict(self) -> dict[str, str]:
        """Return the record written to ``doc._.people``."""
        return {"name": self.name, "title": self.title, "affiliation": self.affiliation,
                "role": self.role, "country": self.country, "evidence": sorted(self.evidence)}


@dataclass(frozen=True)
class _Candidate:
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
        self.journalist = [c.lower() for c in rules["journalist_cues"]]
        self.official = [c.lower() for c in rules["official_cues"]]
        self.expert = [c.lower() for c in rules["expert_cues"]]
        self.org_followers = {w.lower() for w in rules["org_followers"]}
        self.interviewers = {w.lower() for w in rules["interviewer_labels"]}
        verbs = sorted(speech["verbs"], key=len, reverse=True)
        between = "|".join(re.escape(w) for w in speech["between"])
        verb_alt = "|".join(re.escape(v) for v in verbs)
        role_words = "|".join(re.escape(t) for t in self.titles + self.expert)
        self.appositive_re = re.compile(rf"^,? (?:a |an |the )?(?:[\w.'’-]+ ){{0,6}}?(?:{role_words})\b",
                                        re.IGNORECASE)
        self.role_word_re = re.compile(rf"(?<!\w)(?:{role_words})(?!\w)")
        when = speech["time_between"]
        self.verb_word = re.compile(rf"\b(?:{verb_alt})\b")
        self.verb_after = re.compile(rf"^(?:,? (?:{between}|{when}))*,? (?:{verb_alt})\b")
        self.verb_before = re.compile(
            rf"\b(?:{verb_alt}|{'|'.join(re.escape(p) for p in speech['before_speaker'])})"
            rf"(?: [{_LOW}.]+){{0,3}}? $")
        bare_titles = sorted({t.rstrip(".") for t in self.titles}, key=len, reverse=True)
        self.title_re = re.compile(
            rf"\b(?:{'|'.join(re.escape(t) for t in bare_titles)})\.?$", re.IGNORECASE)

    # -- find ---------------------------------------------------------------
    def _candidates(self, text: str, actor_chars: set[int]) -> list[_Candidate]:
        out: list[_Candidate] = []
        for m in _RUN.finditer(text):
            words = [(w.start() + m.start(), w.group()) for w in re.finditer(r"\S+", m.group())]
            run: list[tuple[int, str]] = []
            prefix: list[str] = []
            for pos, word in [*words, (-1, "")]:
                bare = word.rstrip(".")
                stop = (not word or bare.lower() in self.stop or pos in actor_chars
                        or (len(bare) > 1 and bare.isupper()))
                if not stop:
                    run.append((pos, word))
                    continue
                if len(run) >= 2:
                    end = run[-1][0] + len(run[-1][1])
                    out.append(_Candidate(run[0][0], end, text[run[0][0]:end], " ".join(prefix)))
                    prefix = []
                elif run:
                    prefix = []
                run = []
                if word:
                    prefix.append(word)
        return out

    def _is_org(self, text: str, cand: _Candidate) -> bool:
        after = text[cand.end:cand.end + 40]
        nxt = re.match(r"\s*\(?([\w'’-]+)", after)
        if nxt and (nxt.group(1).lower() in self.org_followers):
            return True
        before = text[max(0, cand.start - 5):cand.start].lower()
        return before.endswith("the ") and not cand.prefix

    def _vouched(self, text: str, cand: _Candidate) -> set[str]:
        before = text[max(0, cand.start - 60):cand.start]
        after = text[cand.end:cand.end + 160]
        why: set[str] = set()
        if (cand.prefix and self.title_re.search(cand.prefix.rstrip("."))) or self.title_re.search(
                before.rstrip().rstrip(".,")):
            why.add("title")
        if self.verb_after.match(after) or self.verb_before.search(before):
            why.add("speech")
        if self.appositive_re.match(after):
            why.add("appositive")
        if re.match(r"^ is (?:a|an|the) ", after):
            why.add("bio")
        if re.search(r"(?:^|\n)By $", before):
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
        tail = re.search(r"([\w.'’-]+(?: (?:of |for |and )?[\w.'’-]+){0,7}) ?$", window)
        if not tail:
            return ""
        words = tail.group(1).split()
        # keep the trailing words that are title-like: capitalised, a title word, or "of"
        kept: list[str] = []
        for word in reversed(words):
            low = word.lower().rstrip(",")
            if (word.endswith(",") or low in {"the", "a", "an", "by", "said", "that", "with", "and"}
                    or (word.endswith(".") and low not in self.titles)):
                break
            if word[:1].isupper() or low in self.titles or low in {"of", "for"} or any(
                    low == t.split()[-1] for t in self.titles) or low in {"military", "intelligence",
                                                                        "foreign", "defense", "state"}:
                kept.append(word)
            else:
                break
        while kept and kept[-1].lower() in {"of", "for"}:
            kept.pop()
        title = " ".join(reversed(kept))
        return title if self.title_re.search(title.rstrip(".")) or any(
            t in title.lower().split() for t in self.titles) else ""

    def _appositive(self, text: str, cand: _Candidate) -> tuple[str, str]:
        """Return (title, affiliation) from what follows the name, if anything."""
        after = text[cand.end:cand.end + 400].split("\n")[0]
        m = re.match(r"^,\s*(.+?)(?:,\s+(?=[a-z“\"])|\)|[.;:]\s|[.;:]?$|\s[—–-]\s)", after)
        if not m:
            m = re.match(r"^ is (?:a|an|the) (.+?)[.;]", after)
        if m and len(m.group(1).split()) <= 40 and not self.verb_word.search(m.group(1)):
            return self._split_affiliation(m.group(1).strip())
        m = re.match(rf"^ (?:from|of|at) ((?:the )?[{_UP}][\w'’-]*(?: (?:of|for|and|the|on|[{_UP}][\w'’-]*))*)",
                     after)
        return ("", m.group(1)) if m else ("", "")

    @staticmethod
    def _split_affiliation(appositive: str) -> tuple[str, str]:
        appositive = re.sub(r"^(?:a|an|the)\s+", "", appositive)
        for pat in (r"\s(?:at|from|with)\s", r"\sof\s"):
            m = re.search(pat, appositive)
            if m:
                return appositive[:m.start()].strip(), appositive[m.end():].strip()
        return appositive, ""

    def _role(self, pre: str, title: str, affiliation: str) -> str:
        pre_l, rest = pre.lower(), f"{title} {affiliation}".lower()
        def has(cues: list[str], text: str) -> bool:
            return any(re.search(rf"(?<!\w){re.escape(c)}(?!\w)", text) for c in cues)
        if has(self.journalist, pre_l + " " + rest):
            return "journalist"
        if has(self.official, pre_l):
            return "official"
        if has(self.expert, pre_l + " " + rest):
            return "expert"
        if has(self.official, rest):
            return "official"
        return "expert"

    # -- write ------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        """Find people and write ``doc.spans["people"]`` and ``doc._.people``."""
        actors = list(doc.spans.get("actors", []))
        actor_chars = {s.start_char for s in actors} | {
            t.idx for s in actors for t in s}
        people, mentions = self.match(doc, actor_chars, actors)
        self.set_annotations(doc, people, mentions)
        return doc

    def match(self, doc: Doc, actor_chars: set[int], actors: list[Span]
              ) -> tuple[dict[str, PersonInfo], list[tuple[int, int, str, str]]]:
        """Return the people of the article and their mentions (start, end, key, via)."""
        text = doc_text(doc)
        cands = self._candidates(text, actor_chars)
        people: dict[str, PersonInfo] = {}
        full: list[tuple[int, int, str, str]] = []
        pending: list[_Candidate] = []
        for cand in cands:
            if cand.text.split()[0].lower() in self.interviewers:
                continue
            why = self._vouched(text, cand)
            key = name_key(cand.text)
            if not why or self._is_org(text, cand):
                pending.append(cand)
                continue
            info = people.get(key) or PersonInfo(name=cand.text)
            info.evidence |= why
            pre = self._pre_title(text, cand)
            title, affil = self._appositive(text, cand)
            app = f"{title} {affil}".lower()
            if "speech" in why and not pre and app.strip() and not self.role_word_re.search(app):
                title, affil = "", ""
            if not info.title and (pre or title or affil):
                info.title = " ".join(x for x in (pre, title) if x)
                info.affiliation = affil
                info.role = self._role(pre, title, affil)
                codes = [a.label_ for a in actors if cand.start - 80 <= a.start_char < cand.start
                         and a.end_char <= cand.start and a.start_char >= cand.start - len(pre) - 2]
                info.country = codes[-1] if codes and info.role == "official" else ""
            if "byline" in why and not info.title:
                info.role = "journalist"
            people[key] = info
            full.append((cand.start, cand.end, key, "name"))
        for cand in pending:
            key = name_key(cand.text)
            if key in people:
                full.append((cand.start, cand.end, key, "name"))
        full.sort()
        short = self._short_mentions(text, people, full)
        return people, sorted(full + short)

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
        pat = re.compile(r"(?<![\w'’-])(" + "|".join(map(re.escape, sorted(forms, key=len, reverse=True)))
                         + r")(?![\w-])")
        cover_starts = [s for s, _e in covered]
        for m in pat.finditer(text):
            j = bisect.bisect_right(cover_starts, m.start()) - 1
            if j >= 0 and covered[j][0] <= m.start() < covered[j][1]:
                continue
            seen = forms[m.group()]
            k = bisect.bisect_left([pos for pos, _key in seen], m.start())
            key = seen[k - 1][1] if k else seen[0][1]
            out.append((m.start(), m.end(), key, "surname"))
        return out

    def set_annotations(self, doc: Doc, people: dict[str, PersonInfo],
                        mentions: list[tuple[int, int, str, str]]) -> None:
        """Write the people and their mention spans onto the Doc."""
        spans: list[Span] = []
        last_end = -1
        for start, end, key, via in mentions:
            span = doc.char_span(start, end, label="PERSON", alignment_mode="expand")
            if span is None or span.start < last_end:
                continue
            span._.person = key
            span._.via = via
            spans.append(span)
            last_end = span.end
        doc.spans["people"] = spans
        doc._.people = {key: info.as_dict() for key, info in people.items()}


@Language.factory("expert_lens_people", assigns=["doc.spans", "doc._.people"],
                  requires=["doc.sents"])
def make_people(nlp: Language, name: str) -> PeopleFinder:
    """Build the people component from ``analysis/rules/people.yaml``."""
    return PeopleFinder(nlp, name)
