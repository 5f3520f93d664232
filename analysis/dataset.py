"""Assemble per-article records into the dataset tables (the cross-article steps).

People are merged by id (the normalised name), events reported by several
articles are merged under one event id, the actors table counts mentions, and
the codebook's questions are written alongside, so the dataset is
self-contained for the app and the exports.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from analysis import schema as S
from analysis.pipeline import Records
from analysis.store import conform, empty_table

_ROLE_RANK = {"official": 0, "expert": 1, "journalist": 2, "author": 3}


def _frame(name: str, rows: list[dict]) -> pd.DataFrame:
    return conform(name, pd.DataFrame(rows)) if rows else empty_table(name)


def _merge_people(rows: list[dict]) -> pd.DataFrame:
    """One row per person id: the fullest title and affiliation, all names and articles."""
    merged: dict[str, dict] = {}
    for row in rows:
        pid = row[S.PERSON_ID]
        cur = merged.setdefault(pid, {**row, "aliases": set(), "articles": set(), "n_claims": 0,
                                      "_names": Counter(), "_roles": Counter()})
        cur["_names"][row["name"]] += 1
        cur["_roles"][row["role"]] += 1 + row.get("n_claims", 0)
        cur["aliases"].update(a for a in (row.get("aliases") or "").split(";") if a)
        cur["articles"].update(a for a in (row.get("articles") or "").split(";") if a)
        cur["n_claims"] += int(row.get("n_claims") or 0)
        for col in ("title", "affiliation", "country"):
            if len(row.get(col) or "") > len(cur.get(col) or ""):
                cur[col] = row[col]
    out = []
    for cur in merged.values():
        names = cur.pop("_names")
        roles = cur.pop("_roles")
        cur["name"] = names.most_common(1)[0][0]
        cur["role"] = min(roles, key=lambda r: (-roles[r], _ROLE_RANK.get(r, 9)))
        cur["aliases"] = ";".join(sorted(set(cur["aliases"]) | (set(names) - {cur["name"]})))
        cur["articles"] = ";".join(sorted(cur["articles"]))
        out.append(cur)
    frame = _frame(S.PEOPLE, out)
    return frame.sort_values(["n_claims", "name"], ascending=[False, True]).reset_index(drop=True)


def _actors(mentions: pd.DataFrame) -> pd.DataFrame:
    from analysis.components.actors import actor_table

    table = actor_table()
    hits = mentions[(mentions["kind"] == "actor") & (mentions["via"] != "place")]
    counts = hits.groupby("ref").agg(n_mentions=(S.ARTICLE_ID, "size"),
                                     n_articles=(S.ARTICLE_ID, "nunique"))
    table = table.merge(counts, left_on=S.ACTOR_ID, right_index=True, how="inner")
    table = table.sort_values(["n_mentions", S.ACTOR_ID], ascending=[False, True])
    return conform(S.ACTORS, table)


def _questions() -> pd.DataFrame:
    from analysis.codebook import load_codebook, questions_table

    return conform(S.QUESTIONS, questions_table(load_codebook()))


def assemble(per_article: list[Records]) -> dict[str, pd.DataFrame]:
    """Merge the records of every article into the dataset tables."""
    from analysis.events import merge_events

    rows: dict[str, list[dict]] = {name: [] for name in S.TABLES}
    for records in per_article:
        for name, items in records.items():
            rows.setdefault(name, []).extend(items)
    tables = {name: _frame(name, rows.get(name, [])) for name in
              (S.ARTICLES, S.SENTENCES, S.MENTIONS, S.CLAIMS, S.STANCES, S.RELATIONS)}
    tables[S.ARTICLES] = tables[S.ARTICLES].sort_values("file").reset_index(drop=True)
    tables[S.PEOPLE] = _merge_people(rows.get(S.PEOPLE, []))
    events = pd.DataFrame(rows.get(S.EVENTS, []))
    tables[S.EVENTS] = conform(S.EVENTS, merge_events(events)) if len(events) else empty_table(S.EVENTS)
    tables[S.ACTORS] = _actors(tables[S.MENTIONS])
    tables[S.QUESTIONS] = _questions()
    return tables
