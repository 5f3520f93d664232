"""Spec for the codebook loader: the shipped file, the env override, and clear errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from analysis import schema
from analysis.codebook import (
    DEFAULT_PATH,
    ENV_VAR,
    CodebookError,
    codebook_path,
    load_codebook,
    questions_table,
)
from analysis.nlp import build_nlp

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "fixtures" / "gold_seeds.yaml"
RULES = ROOT / "analysis" / "rules"
RULE_FILES = [RULES / "codebook.yaml", RULES / "relation_cues.yaml"]

MINIMAL = """
version: 1
negators: [not, "no"]
questions:
  - id: west-acts
    question: Should the West act?
    label: West acts?
    relevant:
      all_of:
        - [West, Western]
    yes: [act now]
    no: [restraint]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "codebook.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_codebook_has_the_gold_questions_and_more():
    book = load_codebook()
    ids = [q.id for q in book.questions]
    gold_ids = [q["id"] for q in yaml.safe_load(GOLD.read_text(encoding="utf-8"))["questions"]]
    assert set(gold_ids) <= set(ids)
    assert len(set(ids) - set(gold_ids)) >= 2
    assert book.path == DEFAULT_PATH
    assert book.reported_view_cues and book.negators
    assert all(q.yes or q.no for q in book.questions)


def test_rule_files_name_no_gold_person():
    """Honest NLP: cue files are general language, never the names of the people in the gold file."""
    names = {p["name"] for p in yaml.safe_load(GOLD.read_text(encoding="utf-8"))["people"]}
    words = {part for name in names for part in name.split() if len(part) > 3} | names
    for path in RULE_FILES:
        text = path.read_text(encoding="utf-8")
        found = sorted(w for w in words if re.search(rf"\b{re.escape(w)}\b", text))
        assert not found, f"{path.name} names {found}"


def test_minimal_codebook(tmp_path):
    book = load_codebook(write(tmp_path, MINIMAL))
    q = book.question("west-acts")
    assert (q.question, q.label, q.relevant, q.yes, q.no, q.mixed) == (
        "Should the West act?", "West acts?", (("West", "Western"),), ("act now",), ("restraint",), ())
    assert book.negators == ("not", "no")


def test_fingerprint_changes_with_the_file(tmp_path):
    first = load_codebook(write(tmp_path, MINIMAL)).fingerprint
    second = load_codebook(write(tmp_path, MINIMAL.replace("act now", "act at once"))).fingerprint
    assert len(first) == 64 and first != second


def test_environment_variable_names_the_file(tmp_path, monkeypatch):
    path = write(tmp_path, MINIMAL)
    monkeypatch.setenv(ENV_VAR, str(path))
    assert codebook_path() == path
    assert [q.id for q in load_codebook().questions] == ["west-acts"]


def test_stances_component_reads_the_environment_codebook(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(write(tmp_path, MINIMAL)))
    nlp = build_nlp(components=("expert_lens_sentences", "expert_lens_stances"))
    doc = nlp.make_doc("The West must act now.")
    doc._.claims = [{"start_char": 0, "end_char": len(doc.text), "person": "p", "held": True}]
    doc = nlp.get_pipe("expert_lens_stances")(doc)
    assert doc._.stances == [{"claim": 0, "question_id": "west-acts", "stance": "yes", "cue": "act now"}]


MALFORMED = [
    ("version: 1\nquestions: [\n", r"invalid YAML at line \d+, column \d+"),
    ("- just\n- a list\n", "must be a YAML mapping"),
    ("questions: []\n", "missing 'version'"),
    ("version: 1\nquestions: []\n", "'questions' must be a non-empty list"),
    (MINIMAL.replace("id: west-acts", "id: West Acts!"), "id must be a lower-case slug"),
    (MINIMAL.replace("    label: West acts?\n", ""), r"questions\[0\] \(id 'west-acts'\) label must be"),
    (MINIMAL.replace("yes: [act now]", "yes: act now"), "'yes' must be a list of words"),
    (MINIMAL.replace("yes: [act now]\n    no: [restraint]", "mixed: [unclear]"),
     "needs at least one 'yes' or 'no'"),
    (MINIMAL.replace("        - [West, Western]", "        - []"), r"relevant.all_of\[0\] must not be empty"),
    (MINIMAL.replace("    relevant:\n      all_of:\n        - [West, Western]\n", "    relevant: [West]\n"),
     "relevant must be a mapping with an 'all_of'"),
    (MINIMAL.replace('[not, "no"]', "[not, no]"), r"negators\[1\] was read as False: quote words"),
    (MINIMAL + MINIMAL[MINIMAL.index("  - id"):], "question id 'west-acts' appears twice"),
    (MINIMAL.replace("    no: [restraint]", "    no: [restraint]\n    maybe: [perhaps]"), "unknown keys"),
    (MINIMAL.replace("version: 1", "version: 1\nnegation_window: -2"), "negation_window must be"),
]


@pytest.mark.parametrize(("text", "problem"), MALFORMED)
def test_malformed_codebook_names_file_and_problem(tmp_path, text, problem):
    path = write(tmp_path, text)
    with pytest.raises(CodebookError) as err:
        load_codebook(path)
    message = str(err.value)
    assert message.startswith(f"codebook {path}:")
    assert re.search(problem, message), message


def test_missing_file(tmp_path):
    with pytest.raises(CodebookError, match=r"codebook .*nope\.yaml: cannot read the file"):
        load_codebook(tmp_path / "nope.yaml")


def test_questions_table():
    table = questions_table(load_codebook())
    assert list(table.columns) == schema.COLUMNS[schema.QUESTIONS]
    assert "china-approval" in set(table[schema.QUESTION_ID])
