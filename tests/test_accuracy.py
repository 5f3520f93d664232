"""Accuracy on the seeds against the gold file (issue 2, point 5), and the evaluator itself.

The seeds dataset is built once per session (or the committed data/ is used when it is
fresh); each acceptance check of the issue is one test. The evaluator is tested on a
dataset written from the gold file itself (every check passes) and on broken copies.
"""

from __future__ import annotations

import copy

import pandas as pd
import pytest

from analysis import schema
from analysis.evaluate import EvaluationResult, evaluate, format_result, load_gold, norm_name
from analysis.store import Dataset, empty_table

from .conftest import GOLD

GOLD_DATA = load_gold(GOLD)

CHECKS = [
    "people precision",                        # >= 0.9 over experts/officials with a claim
    "people recall",                           # >= 0.9 over gold experts and officials
    "expert affiliations",                     # every expert's affiliation holds the institution
    "claims evidence attributed",              # every gold evidence is a claim of the right person
    "event june-pact dated and linked",        # 2024-06, one event id for both articles
    "event october-deployment dated and linked",
    "events dated",                            # >= 10 of 13 at the gold date and precision
    "relations gold kind",                     # >= 12 of 14 pairs with the gold kind strongest
    "relations opposite kind",                 # none with the opposite kind strongest
    "stances right",                           # >= 12 of 16 cells
    "stances china-approval split",            # Braghiroli, Schake no; Atkinson, Yu yes
    "stance trap Joel Atkinson / china-approval",
]


@pytest.fixture(scope="module")
def seeds_result(seeds_dataset: Dataset) -> EvaluationResult:
    return evaluate(seeds_dataset, GOLD_DATA)


@pytest.mark.parametrize("name", CHECKS)
def test_seeds_accuracy(seeds_result: EvaluationResult, name: str) -> None:
    check = seeds_result.check(name)
    assert check.ok, f"{name}: {check.value} (target {check.target})\n{format_result(seeds_result)}"


# -- the evaluator on a dataset written from the gold file -----------------------------------

def gold_dataset(gold: dict) -> Dataset:
    """A dataset that says exactly what the gold file says."""
    files = sorted(gold["articles"])
    aid = {f: f"a{i}" for i, f in enumerate(files)}
    pid = {p["name"]: f"p-{norm_name(p['name']).replace(' ', '-')}" for p in gold["people"]}
    people = [{"person_id": pid[p["name"]], "name": p["name"], "role": p["role"],
               "affiliation": p.get("affiliation", "")} for p in gold["people"]]
    claims, stances = [], []
    for p in gold["people"]:
        claims.append({"claim_id": f"c-{pid[p['name']]}", "person_id": pid[p["name"]], "text": "Hello.",
                       "held": True, "sentence_id": ""})
    for q in gold["questions"]:
        for i, s in enumerate(q["stances"]):
            cid = f"c-{q['id']}-{i}"
            claims.append({"claim_id": cid, "person_id": pid[s["who"]], "held": True, "sentence_id": "",
                           "text": s["evidence"].replace("...", "and then").replace("'", "’")})
            stances.append({"claim_id": cid, "person_id": pid[s["who"]], "question_id": q["id"],
                            "stance": s["stance"]})
            if s.get("trap"):
                trap = s["trap"].split(" (")[0]
                claims.append({"claim_id": cid + "-trap", "person_id": pid[s["who"]], "held": False,
                               "sentence_id": "", "text": trap})
                stances.append({"claim_id": cid + "-trap", "person_id": pid[s["who"]],
                                "question_id": q["id"], "stance": "no" if s["stance"] == "yes" else "yes"})
    events = [{"event_id": e["key"], "date": str(e["date"]),
               "precision": {4: "year", 7: "month", 10: "day"}[len(str(e["date"]))],
               "text": " ".join(e["match"]), "article_id": aid[f], "actors": ";".join(e["actors"])}
              for e in gold["events"] for f in e["articles"]]
    relations = [{"source": r["a"], "target": r["b"], "kind": r["kind"], "weight": 1.0}
                 for r in gold["relations"]]
    tables = {
        schema.ARTICLES: pd.DataFrame({"article_id": list(aid.values()), "file": list(aid)}),
        schema.PEOPLE: pd.DataFrame(people), schema.CLAIMS: pd.DataFrame(claims),
        schema.STANCES: pd.DataFrame(stances), schema.EVENTS: pd.DataFrame(events),
        schema.RELATIONS: pd.DataFrame(relations), schema.SENTENCES: empty_table(schema.SENTENCES),
    }
    return Dataset(tables=tables)


def test_gold_dataset_passes_every_check() -> None:
    result = evaluate(gold_dataset(GOLD_DATA), GOLD_DATA)
    assert [c.name for c in result.checks] == CHECKS
    assert result.passed, format_result(result)
    assert {s.table: (s.found, s.total) for s in result.scores.values()} == {
        "people": (15, 15), "affiliation": (7, 7), "claims": (16, 16), "events": (13, 13),
        "relations": (14, 14), "stances": (16, 16)}


def _set(table: str, where: tuple[str, object], col: str, value: object):
    def edit(ds: Dataset) -> None:
        frame = ds.tables[table]
        frame.loc[frame[where[0]] == where[1], col] = value
    return edit


def _drop(table: str, where: tuple[str, object]):
    def edit(ds: Dataset) -> None:
        frame = ds.tables[table]
        ds.tables[table] = frame[frame[where[0]] != where[1]].reset_index(drop=True)
    return edit


def _add_speakers(ds: Dataset) -> None:
    for i, name in enumerate(["Interviewer", "A government source"]):
        ds.tables[schema.PEOPLE].loc[len(ds.tables[schema.PEOPLE])] = {
            "person_id": f"p-x{i}", "name": name, "role": "official", "affiliation": ""}
        ds.tables[schema.CLAIMS].loc[len(ds.tables[schema.CLAIMS])] = {
            "claim_id": f"c-x{i}", "person_id": f"p-x{i}", "text": "So?", "held": True, "sentence_id": ""}


@pytest.mark.parametrize(("edit", "failed", "value"), [
    (_add_speakers, "people precision", "0.88"),       # 15 of 17
    (_set(schema.PEOPLE, ("name", "Kori Schake"), "name", "Kori Shake"), None, None),   # an `also` form
    (_set(schema.PEOPLE, ("name", "Volodymyr Zelensky"), "name", "volodymyr zelenský"), None, None),
    (_set(schema.PEOPLE, ("name", "Kim Won-chul"), "name", "Kim Won Chul"), None, None),
    (_set(schema.PEOPLE, ("name", "Miles Yu"), "affiliation", "Heritage Foundation"),
     "expert affiliations", "6/7"),
    (_set(schema.CLAIMS, ("claim_id", "c-tech-transfer-1"), "person_id", "p-miles-yu"),
     "claims evidence attributed", "15/16"),
    (_set(schema.EVENTS, ("event_id", "june-pact"), "date", "2024-06-19"),
     "event june-pact dated and linked", "not dated, not linked to 2 articles"),
    (_set(schema.EVENTS, ("event_id", "june-pact"), "event_id", "other"), None, None),
    (_drop(schema.EVENTS, ("article_id", "a0")), "event june-pact dated and linked",
     "dated, not linked to 2 articles"),
    (_set(schema.RELATIONS, ("target", "TWN"), "kind", "cooperation"), "relations opposite kind", "1"),
    (_set(schema.CLAIMS, ("claim_id", "c-china-approval-2-trap"), "held", True),
     ["stances china-approval split", "stance trap Joel Atkinson / china-approval"],
     "1 held wrong stances; cell wrong"),
    (_set(schema.STANCES, ("claim_id", "c-china-approval-3"), "stance", "mixed"),
     "stances china-approval split", "wrong"),
])
def test_evaluator_catches(edit, failed: str | list[str] | None, value: str | None) -> None:
    ds = gold_dataset(GOLD_DATA)
    edit(ds)
    result = evaluate(ds, copy.deepcopy(GOLD_DATA))
    names = [failed] if isinstance(failed, str) else failed or []
    assert [c.name for c in result.checks if not c.ok] == names
    if names:
        assert result.check(names[-1]).value == value
