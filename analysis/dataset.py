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
from analysis.rows import Records
from analysis.store import conform, empty_table

_ROLE_RANK = {"official": 0, "expert": 1, "journalist": 2, "author": 3}
_UNDESCRIBED_ROLES = frozenset({"journalist", "author"})
"""Roles an article gives without a title (a byline, an author line): they count as described."""


def _frame(name: str, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    frame = frames.get(name)
    return conform(name, frame) if frame is not None and len(frame) else empty_table(name)


def _row_dicts(frame: pd.DataFrame | None) -> list[dict]:
    """The rows of ``frame`` as dicts, missing values as None."""
    if frame is None or not len(frame):
        return []
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _merge_people(rows: list[dict]) -> pd.DataFrame:
    """One row per person id: the fullest title and affiliation, all names and articles."""
    merged: dict[str, dict] = {}
    for row in rows:
        pid = row[S.PERSON_ID]
        cur = merged.setdefault(pid, {**row, "aliases": set(), "articles": set(), "n_claims": 0,
                                      "_names": Counter(), "_roles": Counter(),
                                      "_described": Counter()})
        cur["_names"][row["name"]] += 1
        # an article that names the person without saying who they are leaves the role at its
        # default: it votes only when no article describes them
        described = bool(row.get("title") or row.get("affiliation")) or row["role"] in _UNDESCRIBED_ROLES
        cur["_described" if described else "_roles"][row["role"]] += 1 + int(row.get("n_claims") or 0)
        cur["aliases"].update(a for a in (row.get("aliases") or "").split(";") if a)
        cur["articles"].update(a for a in (row.get("articles") or "").split(";") if a)
        cur["n_claims"] += int(row.get("n_claims") or 0)
        for col in ("title", "affiliation", "country"):
            if len(row.get(col) or "") > len(cur.get(col) or ""):
                cur[col] = row[col]
    out = []
    for cur in merged.values():
        names = cur.pop("_names")
        roles = cur.pop("_described") or cur["_roles"]
        cur.pop("_roles")
        cur["name"] = names.most_common(1)[0][0]
        cur["role"] = min(roles, key=lambda r: (-roles[r], _ROLE_RANK.get(r, 9)))
        cur["aliases"] = ";".join(sorted(set(cur["aliases"]) | (set(names) - {cur["name"]})))
        cur["articles"] = ";".join(sorted(cur["articles"]))
        out.append(cur)
    frame = conform(S.PEOPLE, pd.DataFrame(out)) if out else empty_table(S.PEOPLE)
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


def assemble_frames(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Merge the pre-merge rows of every article (frames by table, in corpus order) into the tables."""
    from analysis.events import merge_events

    tables = {name: _frame(name, frames) for name in
              (S.ARTICLES, S.SENTENCES, S.MENTIONS, S.CLAIMS, S.STANCES, S.RELATIONS)}
    tables[S.ARTICLES] = tables[S.ARTICLES].sort_values("file").reset_index(drop=True)
    tables[S.PEOPLE] = _merge_people(_row_dicts(frames.get(S.PEOPLE)))
    events = frames.get(S.EVENTS)
    tables[S.EVENTS] = (conform(S.EVENTS, merge_events(events)) if events is not None and len(events)
                        else empty_table(S.EVENTS))
    tables[S.ACTORS] = _actors(tables[S.MENTIONS])
    tables[S.QUESTIONS] = _questions()
    return tables


def assemble(per_article: list[Records]) -> dict[str, pd.DataFrame]:
    """Merge the records of every article (in corpus order) into the dataset tables."""
    from analysis.rows import frames_from_records

    return assemble_frames(frames_from_records(per_article))
