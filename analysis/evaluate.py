"""Measure a built dataset against a gold file (the structure of tests/fixtures/gold_seeds.yaml).

Per table, recall is over the gold items; precision is over what the dataset says about
them (people: over the experts and officials to whom a claim is attributed; events,
relations, stances: over the gold items the dataset gives an answer for). The issue's
acceptance checks are computed alongside and returned as :class:`Check` rows.
Names match case-, diacritic- and hyphen-insensitively; texts match with quotation
marks dropped (a quote may open mid-phrase) and dashes, case and whitespace folded.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis import schema
from analysis.store import Dataset, load_dataset

QUOTED_ROLES = ("expert", "official")
_FOLD = str.maketrans({**dict.fromkeys("'‘’‚‛′`\"“”„‟″«»", ""),
                       "–": "-", "—": "-", "‐": "-", "‑": "-", "\u00a0": " "})


class GoldError(Exception):
    """The gold file is missing or not in the expected structure."""


@dataclass(frozen=True)
class Check:
    """One acceptance check: its measured value, its target and whether it passed."""

    name: str
    value: str
    target: str
    ok: bool


@dataclass
class Score:
    """Precision and recall of one table, with the items behind the figures."""

    table: str
    found: int = 0              # gold items the dataset gets right
    total: int = 0              # gold items
    answered: int = 0           # items the precision is computed over
    correct: int = 0            # of those, right
    misses: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        """Right gold items over all gold items."""
        return self.found / self.total if self.total else 0.0

    @property
    def precision(self) -> float | None:
        """Right answers over the answers given (None when there is no answer)."""
        return self.correct / self.answered if self.answered else None


@dataclass
class EvaluationResult:
    """Scores per table and the acceptance checks of the issue."""

    scores: dict[str, Score]
    checks: list[Check]

    @property
    def passed(self) -> bool:
        """True when every check passed."""
        return all(c.ok for c in self.checks)

    def check(self, name: str) -> Check:
        """Return the check called ``name``."""
        for c in self.checks:
            if c.name == name:
                return c
        raise KeyError(name)


# -- normalisation -------------------------------------------------------------------------------

def norm_name(name: str) -> str:
    """Fold case, diacritics, hyphens and punctuation out of a name."""
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"[-‐‑–—_.]", " ", text)
    return " ".join(re.sub(r"[^\w\s]", "", text).split())


def norm_text(text: str) -> str:
    """Drop quotation marks and apostrophes; fold dashes, case and whitespace (for containment)."""
    return " ".join(str(text).translate(_FOLD).casefold().split())


def evidence_parts(evidence: str) -> list[str]:
    """Split a gold evidence string on "..." into normalised parts."""
    parts = re.split(r"\.\.\.|…", evidence)
    return [p for p in (norm_text(x).strip(" .,;:") for x in parts) if p]


def gold_date(value: Any) -> tuple[str, str]:
    """Return (ISO date, precision) of a gold date given as YAML int, date or string."""
    iso = str(value)
    return iso, {4: "year", 7: "month", 10: "day"}.get(len(iso), "?")


# -- loading ------------------------------------------------------------------------------------

def load_gold(path: Path) -> dict:
    """Load the gold YAML file; raise GoldError when it cannot be used."""
    import yaml

    path = Path(path)
    try:
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise GoldError(f"cannot read gold file {path}: {exc}") from exc
    if not isinstance(gold, dict) or not isinstance(gold.get("people"), list):
        raise GoldError(f"{path} is not a gold file (no 'people' list)")
    return gold


def _col(frame: pd.DataFrame, name: str, default: Any = "") -> pd.Series:
    if name in frame.columns:
        return frame[name]
    return pd.Series([default] * len(frame), index=frame.index, dtype=object)


class _People:
    """Dataset people matched to gold people by name forms."""

    def __init__(self, people: pd.DataFrame) -> None:
        self.frame = people
        self.by_norm: dict[str, list[str]] = defaultdict(list)
        for pid, name in zip(_col(people, schema.PERSON_ID), _col(people, "name"), strict=True):
            self.by_norm[norm_name(name)].append(pid)

    @staticmethod
    def forms(person: dict) -> set[str]:
        """Normalised name forms of a gold person."""
        return {norm_name(n) for n in [person["name"], *(person.get("also") or [])]}

    def ids(self, person: dict) -> set[str]:
        """Dataset person ids matching the gold person."""
        return {pid for form in self.forms(person) for pid in self.by_norm.get(form, ())}


# -- per table ------------------------------------------------------------------------------------

def score_people(ds: Dataset, gold: dict, people: _People) -> tuple[Score, Score]:
    """People quoted: precision/recall; and the experts' affiliations."""
    frame, claims = ds[schema.PEOPLE], ds[schema.CLAIMS]
    speakers = set(_col(claims, schema.PERSON_ID).dropna())
    quoted = frame[_col(frame, "role").isin(QUOTED_ROLES) & _col(frame, schema.PERSON_ID).isin(speakers)]
    gold_forms = set().union(*(people.forms(p) for p in gold["people"]))
    gold_forms |= {norm_name(n) for n in gold.get("acceptable_speakers") or []}
    score = Score("people", answered=len(quoted))
    for name in _col(quoted, "name"):
        if norm_name(name) in gold_forms:
            score.correct += 1
        else:
            score.errors.append(f"not a gold speaker: {name}")
    quoted_ids = set(_col(quoted, schema.PERSON_ID))
    targets = [p for p in gold["people"] if p.get("role") in QUOTED_ROLES]
    score.total = len(targets)
    for person in targets:
        if people.ids(person) & quoted_ids:
            score.found += 1
        else:
            score.misses.append(f"{person['name']} ({person['role']})")
    aff = Score("affiliation")
    affiliations = dict(zip(_col(frame, schema.PERSON_ID), _col(frame, "affiliation"), strict=True))
    for person in gold["people"]:
        keys = person.get("affiliation_keys")
        if person.get("role") != "expert" or not keys:
            continue
        aff.total += 1
        got = [str(affiliations.get(pid) or "") for pid in people.ids(person)]
        if any(norm_name(k) in norm_name(a) for k in keys for a in got):
            aff.found += 1
        else:
            aff.misses.append(f"{person['name']}: {'; '.join(got) or 'not found'} (want {' or '.join(keys)})")
    return score, aff


def _claim_texts(ds: Dataset) -> pd.DataFrame:
    """Claims with their normalised text and the normalised text of their sentence."""
    claims = ds[schema.CLAIMS].copy()
    sents = ds[schema.SENTENCES]
    sent_text = dict(zip(_col(sents, schema.SENTENCE_ID), _col(sents, schema.TEXT), strict=True))
    claims["_norm"] = [norm_text(t) + " || " + norm_text(sent_text.get(s, ""))
                       for t, s in zip(_col(claims, schema.TEXT), _col(claims, schema.SENTENCE_ID),
                                       strict=True)]
    return claims


def _gold_stances(gold: dict) -> Iterable[tuple[str, dict]]:
    for question in gold.get("questions") or []:
        for stance in question.get("stances") or []:
            yield question["id"], stance


def score_claims(claims: pd.DataFrame, gold: dict, people: _People) -> Score:
    """Each gold stance's evidence (every "..." part) is in a claim of the right person."""
    by_name = {p["name"]: p for p in gold["people"]}
    score = Score("claims")
    for qid, stance in _gold_stances(gold):
        person = by_name.get(stance["who"], {"name": stance["who"]})
        ids = people.ids(person)
        texts = list(claims.loc[_col(claims, schema.PERSON_ID).isin(ids), "_norm"])
        score.total += 1
        score.answered += bool(texts)
        missing = [p for p in evidence_parts(stance["evidence"]) if not any(p in t for t in texts)]
        if missing:
            score.misses.append(f"{stance['who']} / {qid}: {missing[0][:70]!r}")
        else:
            score.found += 1
            score.correct += 1
    return score


def score_events(ds: Dataset, gold: dict, *, named: int = 2) -> tuple[Score, list[Check]]:
    """Gold events dated at the gold precision; the named ones linked to all their articles."""
    events = ds[schema.EVENTS]
    file_to_id = dict(zip(_col(ds[schema.ARTICLES], "file"), _col(ds[schema.ARTICLES], schema.ARTICLE_ID),
                          strict=True))
    texts = _col(events, schema.TEXT).map(norm_text)
    score = Score("events")
    checks = []
    for i, event in enumerate(gold.get("events") or []):
        date, precision = gold_date(event["date"])
        arts = {file_to_id.get(f) for f in event.get("articles") or []}
        words = [norm_text(w) for w in event.get("match") or []]
        mentions = texts.map(lambda t, w=words: any(x in t for x in w))
        hit = _col(events, schema.ARTICLE_ID).isin(arts) & mentions
        rows = events[hit]
        score.total += 1
        score.answered += bool(len(rows))
        right = rows[(_col(rows, "date").astype(str) == date) & (_col(rows, "precision") == precision)]
        if len(right):
            score.found += 1
            score.correct += 1
        else:
            got = sorted({f"{d}/{p}" for d, p in zip(_col(rows, "date"), _col(rows, "precision"),
                                                     strict=True)})
            score.misses.append(f"{event['key']}: want {date}/{precision}, got {', '.join(got) or 'nothing'}")
        if i < named:
            linked = any(arts <= set(events.loc[events[schema.EVENT_ID] == eid, schema.ARTICLE_ID])
                         for eid in set(_col(right, schema.EVENT_ID)))
            checks.append(Check(f"event {event['key']} dated and linked",
                                f"{'dated' if len(right) else 'not dated'}, "
                                f"{'linked' if linked else 'not linked'} to {len(arts)} articles",
                                f"{date}, all articles", bool(len(right)) and linked))
    return score, checks


def strongest_kinds(relations: pd.DataFrame) -> dict[frozenset[str], str]:
    """Per unordered actor pair, the kind with the largest summed weight ("tie" on a tie)."""
    weights: dict[frozenset[str], Counter] = defaultdict(Counter)
    weight = pd.to_numeric(_col(relations, "weight", 1.0), errors="coerce").fillna(1.0)
    for src, tgt, kind, w in zip(_col(relations, "source"), _col(relations, "target"),
                                 _col(relations, "kind"), weight, strict=True):
        weights[frozenset((src, tgt))][kind] += float(w)
    out = {}
    for pair, counts in weights.items():
        ranked = counts.most_common(2)
        out[pair] = "tie" if len(ranked) == 2 and ranked[0][1] == ranked[1][1] else ranked[0][0]
    return out


def score_relations(ds: Dataset, gold: dict) -> tuple[Score, int]:
    """Gold pairs whose strongest reading is the gold kind; and how many read the opposite."""
    strongest = strongest_kinds(ds[schema.RELATIONS])
    score = Score("relations")
    opposite = 0
    for rel in gold.get("relations") or []:
        got = strongest.get(frozenset((rel["a"], rel["b"])))
        score.total += 1
        score.answered += got is not None
        if got == rel["kind"]:
            score.found += 1
            score.correct += 1
            continue
        if got in schema.RELATION_KINDS:
            opposite += 1
            score.errors.append(f"{rel['a']}-{rel['b']}: {got}, gold {rel['kind']}")
        else:
            score.misses.append(f"{rel['a']}-{rel['b']}: {got or 'missing'}, gold {rel['kind']}")
    return score, opposite


def _cells(ds: Dataset) -> dict[tuple[str, str], str]:
    """(person_id, question_id) -> stance, as analysis.positions aggregates the claims' stances."""
    from analysis.positions import positions

    table = positions(ds[schema.STANCES], claims=ds[schema.CLAIMS])
    return {(p, q): s for p, q, s in zip(table[schema.PERSON_ID], table[schema.QUESTION_ID],
                                          table["stance"], strict=True)}


def _unheld(claims: pd.DataFrame) -> set[str]:
    """Ids of the claims whose speaker reports a view in order to reject it (held is False)."""
    return {cid for cid, held in zip(_col(claims, schema.CLAIM_ID), _col(claims, "held", True), strict=True)
            if isinstance(held, (bool, np.bool_)) and not held}


def _trap_core(trap: str) -> str:
    """The sentence part of a gold trap note: before the "(" note and before ", said"."""
    core = trap.split(" (")[0]
    return norm_text(re.split(r",\s+(?:said|says|according to)\b", core)[0]).strip(" .,")


def score_stances(ds: Dataset, claims: pd.DataFrame, gold: dict,
                  people: _People) -> tuple[Score, list[Check]]:
    """Gold opinion-matrix cells right; the first question's whole split; the trap sentences."""
    by_name = {p["name"]: p for p in gold["people"]}
    cells = _cells(ds)
    score = Score("stances")
    stances = ds[schema.STANCES]
    unheld = _unheld(claims)
    norm_by_claim = dict(zip(_col(claims, schema.CLAIM_ID), claims["_norm"], strict=True))
    split_ok: dict[str, bool] = {}
    checks = []
    for qid, stance in _gold_stances(gold):
        ids = people.ids(by_name.get(stance["who"], {"name": stance["who"]}))
        got = {cells[(pid, qid)] for pid in ids if (pid, qid) in cells}
        value = got.pop() if len(got) == 1 else ("mixed" if got else None)
        score.total += 1
        score.answered += value is not None
        right = value == stance["stance"]
        split_ok[qid] = split_ok.get(qid, True) and right
        if right:
            score.found += 1
            score.correct += 1
        else:
            score.misses.append(f"{stance['who']} / {qid}: {value or 'none'}, gold {stance['stance']}")
        if stance.get("trap"):
            core = _trap_core(stance["trap"])
            wrong = [s for c, q, s in zip(_col(stances, schema.CLAIM_ID), _col(stances, schema.QUESTION_ID),
                                          _col(stances, "stance"), strict=True)
                     if q == qid and core in norm_by_claim.get(c, "") and c not in unheld
                     and s != stance["stance"]]
            checks.append(Check(f"stance trap {stance['who']} / {qid}",
                                f"{len(wrong)} held wrong stances" + ("" if right else "; cell wrong"),
                                "0 and cell right", not wrong and right))
    first = (gold.get("questions") or [{}])[0].get("id")
    if first:
        checks.insert(0, Check(f"stances {first} split", "right" if split_ok.get(first) else "wrong",
                               "every cell right", bool(split_ok.get(first))))
    return score, checks


# -- the whole evaluation -------------------------------------------------------------------------

def evaluate(ds: Dataset, gold: dict) -> EvaluationResult:
    """Score every table of ``ds`` against ``gold`` and compute the acceptance checks."""
    people = _People(ds[schema.PEOPLE])
    claims = _claim_texts(ds)
    p_score, aff = score_people(ds, gold, people)
    c_score = score_claims(claims, gold, people)
    e_score, e_checks = score_events(ds, gold)
    r_score, opposite = score_relations(ds, gold)
    s_score, s_checks = score_stances(ds, claims, gold, people)
    precision = p_score.precision or 0.0
    checks = [
        Check("people precision", f"{precision:.2f}", ">= 0.90", precision >= 0.9),
        Check("people recall", f"{p_score.recall:.2f}", ">= 0.90", p_score.recall >= 0.9),
        Check("expert affiliations", f"{aff.found}/{aff.total}", "all", aff.found == aff.total),
        Check("claims evidence attributed", f"{c_score.found}/{c_score.total}", "all",
              c_score.found == c_score.total),
        *e_checks,
        Check("events dated", f"{e_score.found}/{e_score.total}", ">= 10", e_score.found >= 10),
        Check("relations gold kind", f"{r_score.found}/{r_score.total}", ">= 12", r_score.found >= 12),
        Check("relations opposite kind", str(opposite), "0", opposite == 0),
        Check("stances right", f"{s_score.found}/{s_score.total}", ">= 12", s_score.found >= 12),
        *s_checks,
    ]
    scores = {s.table: s for s in (p_score, aff, c_score, e_score, r_score, s_score)}
    return EvaluationResult(scores=scores, checks=checks)


def evaluate_dataset(data: Path, gold: Path) -> EvaluationResult:
    """Load the dataset at ``data`` and the gold file ``gold`` and evaluate."""
    return evaluate(load_dataset(Path(data)), load_gold(Path(gold)))


def format_result(result: EvaluationResult) -> str:
    """Render the scores, the checks and what was missed as a plain-text report."""
    def pct(x: float | None) -> str:
        return "-" if x is None else f"{x:.2f}"

    lines = [f"{'table':<12} {'precision':>9} {'recall':>7} {'right':>7}"]
    for s in result.scores.values():
        lines.append(f"{s.table:<12} {pct(s.precision):>9} {pct(s.recall):>7} {s.found:>3}/{s.total:<3}")
    lines += ["", f"{'check':<44} {'value':<34} {'target':<18} ok"]
    for c in result.checks:
        lines.append(f"{c.name:<44} {c.value:<34} {c.target:<18} {'yes' if c.ok else 'NO'}")
    for s in result.scores.values():
        for item in s.misses + s.errors:
            lines.append(f"  {s.table}: {item}")
    lines.append("")
    lines.append("all checks passed" if result.passed
                 else f"{sum(not c.ok for c in result.checks)} checks failed")
    return "\n".join(lines)
