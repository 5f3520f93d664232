"""One article in, its records out: clean, parse with the spaCy pipeline, extract rows.

``process_article`` is pure and deterministic: the same input and pipeline
version give the same rows, with ids derived from content (file name, sentence
text, names), never from row order.
"""

from __future__ import annotations

import bisect
import hashlib
from bisect import bisect_right
from dataclasses import dataclass, field

import numpy
from spacy.attrs import IS_PUNCT, IS_SPACE
from spacy.language import Language
from spacy.tokens import Doc

from analysis import schema as S
from analysis.clean import Cleaned, clean_text
from analysis.components.people import name_key
from analysis.extensions import actor_rows, block_kinds, doc_text, people_rows, sentence_bounds, span_attr, token_array
from analysis.rows import Records


@dataclass(frozen=True)
class ArticleInput:
    """A decoded article file with its metadata row (blank strings where unknown)."""

    file: str
    raw: str
    meta: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def short_hash(*parts: str, n: int = 12) -> str:
    """Return a short, stable hex digest of ``parts``."""
    h = hashlib.sha1("\x1f".join(parts).encode("utf-8"))
    return h.hexdigest()[:n]


def article_id_for(file: str) -> str:
    """Article ids come from the file name, so edits keep links and reviews pointing at it."""
    return "a" + short_hash(file, n=10)


def person_id_for(name: str) -> str:
    """Person ids come from the normalised name, so one person has one id across articles."""
    return "p" + short_hash(name_key(name), n=10)


def make_doc(nlp: Language, cleaned: Cleaned, *, meta: dict[str, str]) -> Doc:
    """Tokenize the cleaned text and attach what the components read before they run."""
    doc = nlp.make_doc(cleaned.text)
    doc.user_data["expert_lens_text"] = cleaned.text
    doc._.blocks = [(b.start, b.end, b.kind) for b in cleaned.blocks]
    doc._.published = (meta.get("published") or "").strip() or None
    doc._.author = (meta.get("author") or "").strip() or None
    doc.user_data["title"] = (meta.get("title") or "").strip() or cleaned.title
    return doc


def parse(nlp: Language, art: ArticleInput) -> tuple[Cleaned, Doc]:
    """Clean and parse one article."""
    cleaned = clean_text(art.raw)
    doc = make_doc(nlp, cleaned, meta=art.meta)
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    return cleaned, doc


class _SentenceIndex:
    """Map character offsets to sentence ids."""

    def __init__(self, rows: list[dict]) -> None:
        self.starts = [r[S.START_CHAR] for r in rows]
        self.rows = rows

    def at(self, char: int) -> dict:
        i = max(0, bisect.bisect_right(self.starts, char) - 1)
        return self.rows[i]



def _sentence_rows(doc: Doc, aid: str) -> list[dict]:
    full = doc_text(doc)
    rows: list[dict] = []
    seen: dict[str, int] = {}
    sha1 = hashlib.sha1
    for _s, _e, start_char, end_char in sentence_bounds(doc):
        raw = full[start_char:end_char]
        text = raw.strip()
        if not text:
            continue
        lead = len(raw) - len(raw.lstrip())
        digest = sha1(text.encode("utf-8")).hexdigest()[:8]     # short_hash(text, n=8)
        count = seen[digest] = seen.get(digest, 0) + 1
        suffix = "" if count == 1 else f"-{count}"
        start = start_char + lead
        rows.append({S.SENTENCE_ID: f"{aid}-{digest}{suffix}", S.ARTICLE_ID: aid, "idx": len(rows),
                     S.START_CHAR: start, S.END_CHAR: start + len(text), S.TEXT: text})
    for row, kind in zip(rows, block_kinds(doc, [row[S.START_CHAR] for row in rows]), strict=True):
        row["block"] = kind
    return rows


def _word_count(doc: Doc) -> int:
    """Tokens that are neither punctuation nor whitespace (counted from arrays, not Tokens)."""
    if not len(doc):
        return 0
    return len(doc) - int(numpy.count_nonzero(token_array(doc, IS_PUNCT) | token_array(doc, IS_SPACE)))


def _published(doc: Doc, art: ArticleInput) -> tuple[str, bool, str]:
    if (art.meta.get("published") or "").strip():
        return art.meta["published"].strip(), False, "metadata"
    source = doc.user_data.get("published_source")
    if source == "text" and doc._.published:
        return doc._.published, False, "text"
    if doc._.anchor:
        return doc._.anchor, True, "inferred"
    return "", False, "none"


def process_article(nlp: Language, art: ArticleInput) -> Records:
    """Return every record one article yields, keyed by table name."""
    from analysis.events import events_from_doc

    cleaned, doc = parse(nlp, art)
    aid = article_id_for(art.file)
    sentences = _sentence_rows(doc, aid)
    index = _SentenceIndex(sentences)
    published, inferred, source = _published(doc, art)
    title = (art.meta.get("title") or "").strip() or cleaned.title
    people_info: dict[str, dict] = doc._.people or {}
    pid = {key: person_id_for(info["name"]) for key, info in people_info.items()}

    full = doc_text(doc)
    sent_starts, sent_ids = index.starts, [row[S.SENTENCE_ID] for row in sentences]
    k_article, k_sentence, k_start, k_end, k_text = S.ARTICLE_ID, S.SENTENCE_ID, S.START_CHAR, S.END_CHAR, S.TEXT
    mentions: list[dict] = []
    for group, kind in (("actors", "actor"), ("people", "person"), ("dates", "date")):
        if kind == "actor":     # the actor rows, read once per doc (no Span objects)
            found = [(start_char, end_char, code, "place" if place else "actor")
                     for _s, _e, start_char, end_char, code, place, _via in actor_rows(doc)]
        elif kind == "person":
            found = [(start_char, end_char, pid.get(person, ""), via or "name")
                     for start_char, end_char, person, via in people_rows(doc)]
        else:
            found = []
            for span in doc.spans.get(group, []):
                timex = span_attr(span, "timex") or {}
                ref = timex.get("value") or ""
                if ref:
                    found.append((span.start_char, span.end_char, ref,
                                  "relative" if timex.get("relative") else "explicit"))
        for start_char, end_char, ref, via in found:
            i = bisect_right(sent_starts, start_char) - 1      # (index.at, unrolled: many mentions)
            mentions.append({k_article: aid, k_sentence: sent_ids[i if i > 0 else 0],
                             k_start: start_char, k_end: end_char,
                             k_text: full[start_char:end_char], "kind": kind, "ref": ref, "via": via})

    claims: list[dict] = []
    speaker_at: dict[str, str] = {}
    for c in doc._.claims or []:
        sent = index.at(c["start_char"])
        person = pid[c["person"]] if c["person"] in pid else person_id_for(c["person"])
        cid = "c" + short_hash(aid, sent[S.SENTENCE_ID], person)
        speaker_at[sent[S.SENTENCE_ID]] = person
        claims.append({S.CLAIM_ID: cid, S.ARTICLE_ID: aid, S.SENTENCE_ID: sent[S.SENTENCE_ID],
                       S.PERSON_ID: person, S.TEXT: sent[S.TEXT], "kind": c["kind"],
                       "cue": c["cue"], "held": bool(c.get("held", True)),
                       S.START_CHAR: sent[S.START_CHAR], S.END_CHAR: sent[S.END_CHAR]})

    stances: list[dict] = []
    for st in doc._.stances or []:
        claim = claims[st["claim"]]
        stances.append({"stance_id": "s" + short_hash(claim[S.CLAIM_ID], st["question_id"]),
                        S.CLAIM_ID: claim[S.CLAIM_ID], S.PERSON_ID: claim[S.PERSON_ID],
                        S.QUESTION_ID: st["question_id"], "stance": st["stance"],
                        "cue": st.get("cue", ""), S.ARTICLE_ID: aid,
                        S.SENTENCE_ID: claim[S.SENTENCE_ID], S.TEXT: claim[S.TEXT]})

    n_claims: dict[str, int] = {}
    for c in claims:
        n_claims[c[S.PERSON_ID]] = n_claims.get(c[S.PERSON_ID], 0) + 1
    people = [{S.PERSON_ID: pid[key], "name": info["name"], "role": info.get("role", "expert"),
               "title": info.get("title", ""), "affiliation": info.get("affiliation", ""),
               "country": info.get("country", ""),
               "aliases": ";".join(info.get("aliases", [])), "articles": aid,
               "n_claims": n_claims.get(pid[key], 0)}
              for key, info in people_info.items()]

    events: list[dict] = []
    for ev in events_from_doc(doc):
        sent = index.at(ev.get(S.START_CHAR, ev.get("start", 0)))
        row = {k: v for k, v in ev.items() if k not in ("cue_groups",)}
        row.update({S.ARTICLE_ID: aid, S.SENTENCE_ID: sent[S.SENTENCE_ID]})
        row["cue_groups"] = ";".join(ev.get("cue_groups", []))
        events.append(row)

    relations: list[dict] = []
    for rel in doc._.relations or []:
        sent = index.at(rel["start_char"])
        relations.append({
            S.RELATION_ID: "r" + short_hash(aid, sent[S.SENTENCE_ID], rel["source"], rel["target"],
                                            rel["cue"], str(rel.get("cue_start", ""))),
            "source": rel["source"], "target": rel["target"], "kind": rel["kind"],
            "quad": rel["quad"], "cue": rel["cue"], "weight": float(rel.get("weight", 1.0)),
            S.ARTICLE_ID: aid, S.SENTENCE_ID: sent[S.SENTENCE_ID], S.TEXT: sent[S.TEXT],
            S.PERSON_ID: speaker_at.get(sent[S.SENTENCE_ID], "")})

    article = {S.ARTICLE_ID: aid, "file": art.file, "title": title,
               "outlet": (art.meta.get("outlet") or "").strip(),
               "author": (art.meta.get("author") or "").strip(), "url": (art.meta.get("url") or "").strip(),
               "published": published, "published_inferred": inferred, "published_source": source,
               "format": doc._.article_format or "news",
               "content_hash": hashlib.sha256(art.raw.encode("utf-8")).hexdigest(),
               "n_sentences": len(sentences), "n_words": _word_count(doc),
               S.TEXT: cleaned.text, "notes": "; ".join((*art.notes, *cleaned.notes))}
    return {S.ARTICLES: [article], S.SENTENCES: sentences, S.PEOPLE: people, S.MENTIONS: mentions,
            S.CLAIMS: claims, S.STANCES: stances, S.EVENTS: events, S.RELATIONS: relations}
