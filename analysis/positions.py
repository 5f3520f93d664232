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


def _held_only(stances: pd.DataFrame, claims: pd.DataFrame | None) -> pd.DataFrame:
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
    claims that are not held and supplies the claim text.
    """
    frame = _held_only(stances, claims)
    rows = []
    if frame.empty:
        return pd.DataFrame(columns=POSITION_COLUMNS)
    keys = [schema.PERSON_ID, schema.QUESTION_ID]
    for (person, question), group in frame.groupby(keys, sort=False):
        counts = group["stance"].value_counts()
        n_yes, n_no, n_mixed = (int(counts.get(v, 0)) for v in schema.STANCE_VALUES)
        stance = decide(n_yes, n_no, n_mixed)
        if stance is None:
            continue
        carrying = group[group["stance"] == stance]
        first = (carrying if len(carrying) else group).iloc[0]
        rows.append({
            schema.PERSON_ID: person, schema.QUESTION_ID: question, "stance": stance,
            "n_yes": n_yes, "n_no": n_no, "n_mixed": n_mixed,
            schema.CLAIM_ID: first[schema.CLAIM_ID],
            schema.TEXT: first.get(schema.TEXT, ""), "cue": first.get("cue", ""),
        })
    return pd.DataFrame(rows, columns=POSITION_COLUMNS)


def split_summary(positions: pd.DataFrame) -> dict[str, str]:
    """Per question, how the people split: e.g. ``{"china-approval": "2 yes, 2 no"}``."""
    out: dict[str, str] = {}
    if positions.empty:
        return out
    for question, group in positions.groupby(schema.QUESTION_ID, sort=False):
        counts = group["stance"].value_counts()
        out[str(question)] = ", ".join(f"{int(counts[v])} {v}" for v in schema.STANCE_VALUES if v in counts)
    return out
