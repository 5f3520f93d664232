"""Positions: one stance per person and question, aggregated from their claims' stances.

A person's position on a question is the majority of the stances of their
claims on it. A tie between yes and no, or a plurality of explicitly mixed
claims, gives "mixed". The deciding claim is the first claim (in table order,
i.e. article and sentence order) that carries the winning stance; on a yes/no
tie it is the person's first claim on the question.
"""

from __future__ import annotations

import pandas as pd

from analysis import schema

POSITION_COLUMNS = [
    schema.PERSON_ID, schema.QUESTION_ID, "stance", "n_yes", "n_no", "n_mixed",
    schema.CLAIM_ID, schema.TEXT, "cue",
]


def decide(n_yes: int, n_no: int, n_mixed: int) -> str | None:
    """The position for these counts: majority, "mixed" on a yes/no tie or a mixed plurality."""
    if n_yes + n_no + n_mixed == 0:
        return None
    if n_mixed and n_mixed >= max(n_yes, n_no):
        return "mixed"
    if n_yes == n_no:
        return "mixed"
    return "yes" if n_yes > n_no else "no"


def held_stances(stances: pd.DataFrame, claims: pd.DataFrame | None) -> pd.DataFrame:
    """Drop stances of claims marked ``held = False``; add claim text when the stances lack it."""
    if claims is None or claims.empty or schema.CLAIM_ID not in claims:
        return stances
    out = stances
    if "held" in claims:
        unheld = set(claims.loc[claims["held"].astype("boolean").eq(False).fillna(False), schema.CLAIM_ID])
        out = out[~out[schema.CLAIM_ID].isin(unheld)]
    if schema.TEXT not in out and schema.TEXT in claims:
        text = dict(zip(claims[schema.CLAIM_ID], claims[schema.TEXT], strict=True))
        out = out.assign(**{schema.TEXT: out[schema.CLAIM_ID].map(text)})
    return out


def positions(stances: pd.DataFrame, *, claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (person_id, question_id): stance, counts and the deciding claim.

    ``stances`` has the columns of the ``stances`` table (at least claim_id,
    person_id, question_id, stance); ``claims``, when given, drops stances of
    claims that are not held and supplies the claim text. The deciding claim is
    the first (in table order) carrying the winning stance, else the person's
    first claim on the question. Counting is one groupby, not a loop per cell.
    """
    frame = held_stances(stances, claims)
    if frame.empty:
        return pd.DataFrame(columns=POSITION_COLUMNS)
    frame = frame[frame["stance"].isin(schema.STANCE_VALUES)]
    frame = frame.assign(**{c: "" for c in (schema.TEXT, "cue") if c not in frame})
    keys = [schema.PERSON_ID, schema.QUESTION_ID]
    counts = (frame.groupby([*keys, "stance"]).size().unstack(fill_value=0)
              .reindex(columns=list(schema.STANCE_VALUES), fill_value=0))
    counts.columns = ["n_yes", "n_no", "n_mixed"]
    counts["stance"] = [decide(int(y), int(n), int(m)) for y, n, m in counts.to_numpy()]
    pos = counts[counts["stance"].notna()].reset_index()
    claim_cols = [schema.CLAIM_ID, schema.TEXT, "cue"]
    carrying = frame.drop_duplicates([*keys, "stance"])[[*keys, "stance", *claim_cols]]
    first = frame.drop_duplicates(keys)[[*keys, *claim_cols]].reset_index(drop=True)
    first["_order"] = range(len(first))          # rows come out in order of first appearance
    pos = pos.merge(carrying, on=[*keys, "stance"], how="left")
    pos = pos.merge(first, on=keys, how="left", suffixes=("", "_first"))
    missing = pos[schema.CLAIM_ID].isna()        # a yes/no tie: no claim carries "mixed"
    for col in claim_cols:
        pos.loc[missing, col] = pos.loc[missing, f"{col}_first"]
    pos = pos.sort_values("_order").reset_index(drop=True)
    return pos[POSITION_COLUMNS]


def split_summary(positions: pd.DataFrame) -> dict[str, str]:
    """Per question, how the people split: e.g. ``{"china-approval": "2 yes, 2 no"}``."""
    out: dict[str, str] = {}
    if positions.empty:
        return out
    for question, group in positions.groupby(schema.QUESTION_ID, sort=False):
        counts = group["stance"].value_counts()
        out[str(question)] = ", ".join(f"{int(counts[v])} {v}" for v in schema.STANCE_VALUES if v in counts)
    return out
