"""A small, valid Expert Lens dataset for UI tests, plus a synthetic large one for scale tests.

``make_dataset`` writes three hand-written articles about Russia, North Korea
and China (every table filled, every span indexing into the cleaned text);
``hostile=True`` adds an article whose strings carry HTML/JS payloads.
``make_large_dataset`` writes a synthetic dataset of any size with many actors.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pandas as pd

from analysis import schema as S
from analysis.store import write_dataset

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
HOSTILE_ARTICLE_ID = "a-hostile"
HOSTILE_PERSON_ID = "p-hostile"

ACTORS = [
    ("RUS", "Russia", "state"), ("PRK", "North Korea", "state"), ("CHN", "China", "state"),
    ("UKR", "Ukraine", "state"), ("KOR", "South Korea", "state"), ("USA", "United States", "state"),
    ("NATO", "NATO", "organisation"), ("EU", "European Union", "organisation"),
]

QUESTIONS = [
    ("china-approval", "Did Beijing approve of, or is it content with, North Korea's troop deployment?",
     "China approves"),
    ("tech-transfer", "Will Russia give North Korea advanced military technology in return?",
     "Tech transfer"),
    ("russia-weakness", "Does the deployment show that Russia is weakened or short of soldiers?",
     "Russia weakened"),
    ("military-significance", "Do the North Korean troops make a significant military difference?",
     "Military difference"),
    ("western-response", "Should the West respond more forcefully now?", "Western response"),
]

PEOPLE = [
    # person_id, name, role, title, affiliation, country, aliases
    ("p-anna-kovalenko", "Anna Kovalenko", "expert", "senior fellow", "Baltic Security Institute",
     "EST", "Kovalenko"),
    ("p-liu-wei", "Liu Wei", "expert", "professor", "Fudan University", "CHN", "Liu"),
    ("p-james-holt", "James Holt", "expert", "researcher", "Pacific Forum", "USA", "Holt"),
    ("p-mina-park", "Mina Park", "journalist", "staff reporter", "Example Times", "KOR", "Park"),
]

# An article is a list of sentences; each sentence lists what the pipeline would find in it.
# m: mentions (surface, kind, ref, via); c: claim (person_id, kind, cue, held, quoted part or None);
# st: stances (question_id, stance, cue); ev: events (event_id, date, precision, start, end,
# actors, expression); rel: relations (source, target, kind, quad, cue, weight, person_id).
EVENT_PACT = "e-pact-2024-06-19"
EVENT_TROOPS = "e-troops-2024-10"
EVENT_SANCTIONS = "e-sanctions-2024-11"

ARTICLES = [
    {
        "id": "a-pact", "title": "Russia and North Korea seal a defence pact", "outlet": "Example Times",
        "author": "Mina Park", "url": "https://example.org/news/pact", "published": "2024-06-20",
        "source": "metadata", "format": "news",
        "sentences": [
            {"text": "Russia and North Korea seal a defence pact", "block": "heading",
             "m": [("Russia", "actor", "RUS", "name"), ("North Korea", "actor", "PRK", "name")]},
            {"text": "Russia and North Korea signed a mutual defence treaty on June 19, 2024.",
             "m": [("Russia", "actor", "RUS", "name"), ("North Korea", "actor", "PRK", "name"),
                   ("June 19, 2024", "date", "2024-06-19", "absolute")],
             "ev": [(EVENT_PACT, "2024-06-19", "day", "2024-06-19", "2024-06-19", "RUS;PRK",
                     "June 19, 2024")],
             "rel": [("RUS", "PRK", "cooperation", "material_cooperation", "signed", 1.0, "")]},
            {"text": "Anna Kovalenko, a senior fellow at the Baltic Security Institute, said the pact "
                     "gives Moscow a reliable supplier of artillery shells.",
             "m": [("Anna Kovalenko", "person", "p-anna-kovalenko", "name"),
                   ("Moscow", "actor", "RUS", "capital")],
             "c": ("p-anna-kovalenko", "reported", "said", True, None),
             "st": [("russia-weakness", "yes", "reliable supplier")],
             "rel": [("RUS", "PRK", "cooperation", "material_cooperation", "supplier", 0.8,
                      "p-anna-kovalenko")]},
            {"text": "\u201cPyongyang is almost certainly going to receive advanced missile technology "
                     "in return,\u201d Kovalenko said.",
             "m": [("Pyongyang", "actor", "PRK", "capital"),
                   ("Kovalenko", "person", "p-anna-kovalenko", "surname")],
             "c": ("p-anna-kovalenko", "quote", "said", True,
                   "Pyongyang is almost certainly going to receive advanced missile technology in return"),
             "st": [("tech-transfer", "yes", "receive")]},
            {"text": "Liu Wei, a professor at Fudan University, argued that Beijing is uneasy about "
                     "the pact.",
             "m": [("Liu Wei", "person", "p-liu-wei", "name"), ("Beijing", "actor", "CHN", "capital")],
             "c": ("p-liu-wei", "reported", "argued", True, None),
             "st": [("china-approval", "no", "uneasy")],
             "rel": [("CHN", "PRK", "conflict", "verbal_conflict", "uneasy", 0.5, "p-liu-wei")]},
        ],
    },
    {
        "id": "a-troops", "title": "North Korean troops arrive in Russia", "outlet": "Daily Observer",
        "author": "", "url": "", "published": "2024-10-26", "source": "text", "format": "news",
        "sentences": [
            {"text": "In October 2024, North Korea sent around 10,000 soldiers to Russia.",
             "m": [("October 2024", "date", "2024-10", "absolute"),
                   ("North Korea", "actor", "PRK", "name"), ("Russia", "actor", "RUS", "name")],
             "ev": [(EVENT_TROOPS, "2024-10", "month", "2024-10-01", "2024-10-31", "PRK;RUS",
                     "In October 2024")],
             "rel": [("PRK", "RUS", "cooperation", "material_cooperation", "sent", 1.0, "")]},
            {"text": "Ukraine condemned the deployment, and South Korea summoned the Russian ambassador.",
             "m": [("Ukraine", "actor", "UKR", "name"), ("South Korea", "actor", "KOR", "name"),
                   ("Russian", "actor", "RUS", "demonym")],
             "rel": [("UKR", "PRK", "conflict", "verbal_conflict", "condemned", 1.0, ""),
                     ("KOR", "RUS", "conflict", "verbal_conflict", "summoned", 1.0, "")]},
            {"text": "Anna Kovalenko said that the troops make a significant military difference on the "
                     "front.",
             "m": [("Anna Kovalenko", "person", "p-anna-kovalenko", "name")],
             "c": ("p-anna-kovalenko", "reported", "said that", True, None),
             "st": [("military-significance", "yes", "significant")]},
            {"text": "James Holt, a researcher at the Pacific Forum, said China is quietly content with "
                     "the deployment.",
             "m": [("James Holt", "person", "p-james-holt", "name"), ("China", "actor", "CHN", "name")],
             "c": ("p-james-holt", "reported", "said", True, None),
             "st": [("china-approval", "yes", "content")]},
            {"text": "The treaty that Russia and North Korea signed on June 19, 2024 came into force "
                     "in December.",
             "m": [("Russia", "actor", "RUS", "name"), ("North Korea", "actor", "PRK", "name"),
                   ("June 19, 2024", "date", "2024-06-19", "absolute")],
             "ev": [(EVENT_PACT, "2024-06-19", "day", "2024-06-19", "2024-06-19", "RUS;PRK",
                     "June 19, 2024")],
             "rel": [("RUS", "PRK", "cooperation", "verbal_cooperation", "treaty", 0.5, "")]},
        ],
    },
    {
        "id": "a-oped", "title": "The West should act before the axis hardens", "outlet": "Policy Review",
        "author": "James Holt", "url": "ftp://example.org/oped", "published": "2024-11-05",
        "source": "inferred", "format": "op-ed",
        "sentences": [
            {"text": "Russia has grown weaker and now relies on North Korea for shells and soldiers.",
             "m": [("Russia", "actor", "RUS", "name"), ("North Korea", "actor", "PRK", "name")],
             "c": ("p-james-holt", "author", "", True, None),
             "st": [("russia-weakness", "yes", "weaker")],
             "rel": [("RUS", "PRK", "cooperation", "material_cooperation", "relies on", 0.8,
                      "p-james-holt")]},
            {"text": "The West should confront Russia and North Korea with its own measures.",
             "m": [("Russia", "actor", "RUS", "name"), ("North Korea", "actor", "PRK", "name")],
             "c": ("p-james-holt", "author", "", True, None),
             "st": [("western-response", "yes", "should confront")]},
            {"text": "NATO and the European Union agreed new sanctions on Pyongyang in November 2024.",
             "m": [("NATO", "actor", "NATO", "name"), ("European Union", "actor", "EU", "name"),
                   ("Pyongyang", "actor", "PRK", "capital"),
                   ("November 2024", "date", "2024-11", "absolute")],
             "ev": [(EVENT_SANCTIONS, "2024-11", "month", "2024-11-01", "2024-11-30", "NATO;EU;PRK",
                     "in November 2024")],
             "rel": [("EU", "PRK", "conflict", "material_conflict", "sanctions", 1.0, ""),
                     ("NATO", "PRK", "conflict", "material_conflict", "sanctions", 1.0, ""),
                     ("NATO", "EU", "cooperation", "verbal_cooperation", "agreed", 0.5, "")]},
            {"text": "China and Russia held joint naval drills in the Sea of Japan.",
             "m": [("China", "actor", "CHN", "name"), ("Russia", "actor", "RUS", "name")],
             "rel": [("CHN", "RUS", "cooperation", "material_cooperation", "joint drills", 1.0, "")]},
            {"text": "Kovalenko doubts that Beijing will break with Moscow.",
             "m": [("Kovalenko", "person", "p-anna-kovalenko", "surname"),
                   ("Beijing", "actor", "CHN", "capital"), ("Moscow", "actor", "RUS", "capital")],
             "c": ("p-anna-kovalenko", "reported", "doubts that", True, None),
             "st": [("china-approval", "mixed", "doubts")]},
        ],
    },
]

HOSTILE_NAME = f"Eve {SCRIPT} Mallory {IMG}"
HOSTILE_ARTICLE = {
    "id": HOSTILE_ARTICLE_ID, "title": f"Hostile {SCRIPT} title {IMG}", "outlet": f"Outlet {IMG}",
    "author": f"Author {SCRIPT}", "url": "javascript:alert(1)", "published": "2024-12-01",
    "source": "metadata", "format": "news",
    "sentences": [
        {"text": f"Russia and China agreed {SCRIPT} to cooperate {IMG} on December 1, 2024.",
         "m": [("Russia", "actor", "RUS", "name"), ("China", "actor", "CHN", "name"),
               ("December 1, 2024", "date", "2024-12-01", "absolute")],
         "ev": [("e-hostile", "2024-12-01", "day", "2024-12-01", "2024-12-01", "RUS;CHN",
                 "December 1, 2024")],
         "rel": [("RUS", "CHN", "cooperation", "verbal_cooperation", "agreed", 1.0, HOSTILE_PERSON_ID)]},
        {"text": f"{HOSTILE_NAME} said that China {SCRIPT} approves of the deployment {IMG}.",
         "m": [(HOSTILE_NAME, "person", HOSTILE_PERSON_ID, "name"), ("China", "actor", "CHN", "name")],
         "c": (HOSTILE_PERSON_ID, "reported", "said that", True, None),
         "st": [("china-approval", "yes", f"approves {SCRIPT}")],
         "rel": [("CHN", "PRK", "cooperation", "verbal_cooperation", f"approves {IMG}", 1.0,
                  HOSTILE_PERSON_ID)]},
    ],
}
HOSTILE_PERSON = (HOSTILE_PERSON_ID, HOSTILE_NAME, "expert", f"title {IMG}", f"Institute {SCRIPT}",
                  "", "Mallory")


def _variant(spec: dict, copy: int) -> dict:
    """Return a copy of an article spec with its own id (for n_articles > 3)."""
    if copy == 0:
        return spec
    return dict(spec, id=f"{spec['id']}-{copy}", title=f"{spec['title']} ({copy + 1})")


def _build_article(spec: dict, rows: dict[str, list[dict]]) -> None:
    """Lay out one article's sentences into text and append every table's rows."""
    aid = spec["id"]
    text = ""
    n_words = 0
    for idx, sent in enumerate(spec["sentences"]):
        if idx:
            text += "\n\n" if spec["sentences"][idx - 1].get("block") == "heading" else " "
        start = len(text)
        text += sent["text"]
        end = len(text)
        n_words += len(sent["text"].split())
        sid = f"{aid}-s{idx}"
        rows[S.SENTENCES].append({S.SENTENCE_ID: sid, S.ARTICLE_ID: aid, "idx": idx, S.START_CHAR: start,
                                  S.END_CHAR: end, S.TEXT: sent["text"],
                                  "block": sent.get("block", "body")})
        seen: dict[str, int] = {}
        for surface, kind, ref, via in sent.get("m", []):
            local = sent["text"].index(surface, seen.get(surface, 0))
            seen[surface] = local + len(surface)
            rows[S.MENTIONS].append({S.ARTICLE_ID: aid, S.SENTENCE_ID: sid, S.START_CHAR: start + local,
                                     S.END_CHAR: start + local + len(surface), S.TEXT: surface,
                                     "kind": kind, "ref": ref, "via": via})
        claim_id = ""
        if "c" in sent:
            pid, kind, cue, held, part = sent["c"]
            claim_id = f"c-{sid}"
            local = sent["text"].index(part) if part else 0
            ctext = part or sent["text"]
            rows[S.CLAIMS].append({S.CLAIM_ID: claim_id, S.ARTICLE_ID: aid, S.SENTENCE_ID: sid,
                                   S.PERSON_ID: pid, S.TEXT: ctext, "kind": kind, "cue": cue,
                                   "held": held, S.START_CHAR: start + local,
                                   S.END_CHAR: start + local + len(ctext)})
            for qid, stance, cue2 in sent.get("st", []):
                rows[S.STANCES].append({"stance_id": f"st-{sid}-{qid}", S.CLAIM_ID: claim_id,
                                        S.PERSON_ID: pid, S.QUESTION_ID: qid, "stance": stance,
                                        "cue": cue2, S.ARTICLE_ID: aid, S.SENTENCE_ID: sid,
                                        S.TEXT: ctext})
        for eid, date, prec, d0, d1, actors, expr in sent.get("ev", []):
            rows[S.EVENTS].append({S.EVENT_ID: eid, "date": date, "precision": prec, "date_start": d0,
                                   "date_end": d1, S.TEXT: sent["text"], S.ARTICLE_ID: aid,
                                   S.SENTENCE_ID: sid, "actors": actors, "expression": expr,
                                   "relative": False, "uncertain": spec["source"] == "inferred",
                                   "block": sent.get("block", "body")})
        for k, (src, tgt, kind, quad, cue, weight, pid) in enumerate(sent.get("rel", [])):
            rows[S.RELATIONS].append({S.RELATION_ID: f"r-{sid}-{k}", "source": src, "target": tgt,
                                      "kind": kind, "quad": quad, "cue": cue, "weight": float(weight),
                                      S.ARTICLE_ID: aid, S.SENTENCE_ID: sid, S.TEXT: sent["text"],
                                      S.PERSON_ID: pid})
    rows[S.ARTICLES].append({
        S.ARTICLE_ID: aid, "file": f"{aid}.txt", "title": spec["title"], "outlet": spec["outlet"],
        "author": spec["author"], "url": spec["url"], "published": spec["published"],
        "published_inferred": spec["source"] == "inferred", "published_source": spec["source"],
        "format": spec["format"], "content_hash": hashlib.sha1(text.encode()).hexdigest()[:16],
        "n_sentences": len(spec["sentences"]), "n_words": n_words, S.TEXT: text, "notes": "",
    })


def _people_rows(people: list[tuple], rows: dict[str, list[dict]]) -> list[dict]:
    """People rows with the articles they are quoted in and their claim counts."""
    claims = pd.DataFrame(rows[S.CLAIMS])
    out = []
    for pid, name, role, title, aff, country, aliases in people:
        mine = claims[claims[S.PERSON_ID] == pid] if len(claims) else pd.DataFrame({S.ARTICLE_ID: []})
        out.append({S.PERSON_ID: pid, "name": name, "role": role, "title": title, "affiliation": aff,
                    "country": country, "aliases": aliases,
                    "articles": ";".join(sorted(set(mine[S.ARTICLE_ID]))) if len(mine) else "",
                    "n_claims": len(mine)})
    return out


def _actor_rows(actors: list[tuple], mentions: pd.DataFrame) -> list[dict]:
    """Actor rows with mention and article counts from the mentions table."""
    act = mentions[mentions["kind"] == "actor"] if len(mentions) else mentions
    n_m = act.groupby("ref").size() if len(act) else pd.Series(dtype=int)
    n_a = act.groupby("ref")[S.ARTICLE_ID].nunique() if len(act) else pd.Series(dtype=int)
    return [{S.ACTOR_ID: code, "name": name, "type": typ, "n_mentions": int(n_m.get(code, 0)),
             "n_articles": int(n_a.get(code, 0))} for code, name, typ in actors]


def make_dataset(path: Path, *, hostile: bool = False, n_articles: int = 3) -> Path:
    """Write the small realistic fixture dataset to ``path`` and return it."""
    rows: dict[str, list[dict]] = {name: [] for name in S.TABLES}
    specs = [_variant(ARTICLES[i % len(ARTICLES)], i // len(ARTICLES)) for i in range(n_articles)]
    if hostile:
        specs.append(HOSTILE_ARTICLE)
    for spec in specs:
        _build_article(spec, rows)
    people = PEOPLE + ([HOSTILE_PERSON] if hostile else [])
    tables = {name: pd.DataFrame(rows[name]) for name in S.TABLES if rows[name]}
    tables[S.PEOPLE] = pd.DataFrame(_people_rows(people, rows))
    tables[S.QUESTIONS] = pd.DataFrame([{S.QUESTION_ID: q, "question": text, "label": label}
                                        for q, text, label in QUESTIONS])
    tables[S.ACTORS] = pd.DataFrame(_actor_rows(ACTORS, tables.get(S.MENTIONS, pd.DataFrame())))
    return write_dataset(tables, Path(path), manifest={"source": "tests/ui/fixture_data.py",
                                                       "fixture": "small", "hostile": hostile})


def make_large_dataset(path: Path, *, n_articles: int, n_actors: int = 300) -> Path:
    """Write a synthetic dataset of ``n_articles`` articles over ``n_actors`` actors to ``path``."""
    rng = random.Random(1234)
    actors = [(f"A{i:03d}", f"Country {i:03d}", "state" if i % 10 else "organisation")
              for i in range(n_actors)]
    people = [(f"p-{i:04d}", f"Expert {i:04d}", "expert", "analyst", f"Institute {i % 37}", "", "")
              for i in range(max(10, n_actors // 3))]
    qids = [q for q, _, _ in QUESTIONS]
    rows: dict[str, list[dict]] = {name: [] for name in S.TABLES}
    for a in range(n_articles):
        aid = f"syn-{a:06d}"
        day = f"2024-{1 + a % 12:02d}-{1 + a % 28:02d}"
        sents = []
        for k in range(5):
            (c1, n1, _), (c2, n2, _) = rng.sample(actors, 2)
            pid, pname = rng.choice(people)[:2]
            kind = rng.choice(("cooperation", "conflict"))
            verb = "signed a deal with" if kind == "cooperation" else "condemned"
            sent = {"text": f"{pname} said {n1} {verb} {n2} on {day}.",
                    "m": [(pname, "person", pid, "name"), (n1, "actor", c1, "name"),
                          (n2, "actor", c2, "name"), (day, "date", day, "absolute")],
                    "c": (pid, "reported", "said", True, None),
                    "st": [(qids[(a + k) % len(qids)], rng.choice(("yes", "no", "mixed")), "said")],
                    "rel": [(c1, c2, kind, f"material_{kind}", verb.split()[0], 1.0, pid)]}
            if k == 0:
                sent["ev"] = [(f"e-{aid}", day, "day", day, day, f"{c1};{c2}", day)]
            sents.append(sent)
        _build_article({"id": aid, "title": f"Synthetic article {a}", "outlet": "Synthetic Wire",
                        "author": "", "url": f"https://example.org/{aid}", "published": day,
                        "source": "metadata", "format": "news", "sentences": sents}, rows)
    tables = {name: pd.DataFrame(rows[name]) for name in S.TABLES if rows[name]}
    tables[S.PEOPLE] = pd.DataFrame(_people_rows(people, rows))
    tables[S.QUESTIONS] = pd.DataFrame([{S.QUESTION_ID: q, "question": text, "label": label}
                                        for q, text, label in QUESTIONS])
    tables[S.ACTORS] = pd.DataFrame(_actor_rows(actors, tables[S.MENTIONS]))
    return write_dataset(tables, Path(path), manifest={"source": "tests/ui/fixture_data.py",
                                                       "fixture": "large"})
