"""The stance codebook: load and validate the analyst-editable question file.

The default file is ``analysis/rules/codebook.yaml``; ``$EXPERT_LENS_CODEBOOK``
names another one. A malformed codebook raises :class:`CodebookError` with a
message that names the file and the problem ("questions[2] (id 'x'): 'yes'
must be a list of words"), so an analyst can fix it without reading code.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from analysis import schema
from analysis.rules import RULES_DIR, YAML_LOADER

ENV_VAR = "EXPERT_LENS_CODEBOOK"
DEFAULT_PATH = RULES_DIR / "codebook.yaml"
STANCE_KEYS = ("yes", "no", "mixed")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# YAML 1.1 reads unquoted yes/no/on/off as booleans: map the keys back, reject them in lists.
_BOOL_KEYS = {True: "yes", False: "no"}


class CodebookError(ValueError):
    """The codebook file cannot be read or does not follow the expected structure."""


@dataclass(frozen=True)
class Question:
    """One codebook question with its relevance groups and stance cues."""

    id: str
    question: str
    label: str
    relevant: tuple[tuple[str, ...], ...]
    yes: tuple[str, ...]
    no: tuple[str, ...]
    mixed: tuple[str, ...]


@dataclass(frozen=True)
class Codebook:
    """The whole codebook: shared cue lists and the questions."""

    path: Path
    version: str
    questions: tuple[Question, ...]
    reported_view_cues: tuple[str, ...]
    negators: tuple[str, ...]
    negator_exceptions: tuple[str, ...]
    scope_negators: tuple[str, ...]
    scope_breaks: tuple[str, ...]
    clause_breaks: tuple[str, ...]
    conditionals: tuple[str, ...] = ()
    negation_window: int = 4
    skip_questions: bool = True
    fingerprint: str = ""      # sha256 of the file's bytes: key caches on it, edits invalidate them

    def question(self, question_id: str) -> Question:
        """Return the question with ``question_id`` (KeyError when absent)."""
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)


def codebook_path() -> Path:
    """The codebook file in use: ``$EXPERT_LENS_CODEBOOK`` if set, else the shipped one."""
    env = os.environ.get(ENV_VAR, "").strip()
    return Path(env).expanduser() if env else DEFAULT_PATH


class _Checker:
    """Validation helpers that prefix every problem with the file name."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, problem: str) -> CodebookError:
        return CodebookError(f"codebook {self.path}: {problem}")

    def words(self, raw: Any, where: str, *, required: bool = False) -> tuple[str, ...]:
        if raw is None:
            raw = []
        if not isinstance(raw, list):
            raise self.fail(f"{where} must be a list of words or phrases, got {type(raw).__name__}")
        out = []
        for i, item in enumerate(raw):
            if isinstance(item, bool):
                raise self.fail(f"{where}[{i}] was read as {item}: quote words like \"no\", \"yes\", "
                                f"\"on\", \"off\"")
            if isinstance(item, (int, float)):
                item = str(item)
            if not isinstance(item, str) or not item.strip():
                raise self.fail(f"{where}[{i}] must be a non-empty string, got {item!r}")
            out.append(item.strip())
        if required and not out:
            raise self.fail(f"{where} must not be empty")
        return tuple(out)

    def text(self, raw: Any, where: str) -> str:
        if not isinstance(raw, str) or not raw.strip():
            raise self.fail(f"{where} must be a non-empty string")
        return raw.strip()


def _question(check: _Checker, raw: Any, index: int) -> Question:
    where = f"questions[{index}]"
    if not isinstance(raw, dict):
        raise check.fail(f"{where} must be a mapping with id, question, label, relevant, yes, no")
    raw = {_BOOL_KEYS.get(k, k): v for k, v in raw.items()}
    qid = raw.get("id")
    if not isinstance(qid, str) or not _ID.match(qid):
        raise check.fail(f"{where}: id must be a lower-case slug like 'china-approval', got {qid!r}")
    where = f"{where} (id {qid!r})"
    relevant = raw.get("relevant")
    if not isinstance(relevant, dict) or "all_of" not in relevant:
        raise check.fail(f"{where}: relevant must be a mapping with an 'all_of' list of word lists")
    groups = relevant["all_of"]
    if not isinstance(groups, list) or not groups:
        raise check.fail(f"{where}: relevant.all_of must be a non-empty list of word lists")
    all_of = tuple(check.words(g, f"{where} relevant.all_of[{i}]", required=True)
                   for i, g in enumerate(groups))
    cues = {key: check.words(raw.get(key), f"{where} '{key}'") for key in STANCE_KEYS}
    if not cues["yes"] and not cues["no"]:
        raise check.fail(f"{where}: needs at least one 'yes' or 'no' cue")
    unknown = set(raw) - {"id", "question", "label", "relevant", *STANCE_KEYS}
    if unknown:
        raise check.fail(f"{where}: unknown keys {sorted(map(str, unknown))}")
    return Question(
        id=qid, question=check.text(raw.get("question"), f"{where} question"),
        label=check.text(raw.get("label"), f"{where} label"), relevant=all_of,
        yes=cues["yes"], no=cues["no"], mixed=cues["mixed"],
    )


def parse_codebook(raw: Any, *, path: Path, fingerprint: str = "") -> Codebook:
    """Validate an already-parsed YAML document and return the :class:`Codebook`."""
    check = _Checker(path)
    if not isinstance(raw, dict):
        raise check.fail("the file must be a YAML mapping with 'version' and 'questions'")
    if "version" not in raw:
        raise check.fail("missing 'version'")
    questions = raw.get("questions")
    if not isinstance(questions, list) or not questions:
        raise check.fail("'questions' must be a non-empty list")
    parsed = tuple(_question(check, q, i) for i, q in enumerate(questions))
    seen: set[str] = set()
    for q in parsed:
        if q.id in seen:
            raise check.fail(f"question id {q.id!r} appears twice")
        seen.add(q.id)
    window = raw.get("negation_window", 4)
    if isinstance(window, bool) or not isinstance(window, int) or window < 0:
        raise check.fail(f"negation_window must be a non-negative integer, got {window!r}")
    return Codebook(
        path=path, version=str(raw["version"]), questions=parsed,
        reported_view_cues=check.words(raw.get("reported_view_cues"), "reported_view_cues"),
        negators=check.words(raw.get("negators"), "negators"),
        negator_exceptions=check.words(raw.get("negator_exceptions"), "negator_exceptions"),
        scope_negators=check.words(raw.get("scope_negators"), "scope_negators"),
        scope_breaks=check.words(raw.get("scope_breaks"), "scope_breaks"),
        clause_breaks=check.words(raw.get("clause_breaks"), "clause_breaks"),
        conditionals=check.words(raw.get("conditionals"), "conditionals"),
        negation_window=window, skip_questions=bool(raw.get("skip_questions", True)),
        fingerprint=fingerprint,
    )


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Read and validate the codebook at ``path`` (default: :func:`codebook_path`)."""
    path = Path(path) if path else codebook_path()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CodebookError(f"codebook {path}: cannot read the file ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise CodebookError(f"codebook {path}: not UTF-8 text ({exc.reason})") from exc
    try:
        raw = yaml.load(text, Loader=YAML_LOADER)  # a safe loader (libyaml's when present)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise CodebookError(f"codebook {path}: invalid YAML{where}: {problem}") from exc
    return parse_codebook(raw, path=path, fingerprint=hashlib.sha256(text.encode("utf-8")).hexdigest())


def questions_table(codebook: Codebook) -> pd.DataFrame:
    """The ``questions`` table of the dataset: question_id, question, label."""
    return pd.DataFrame(
        [(q.id, q.question, q.label) for q in codebook.questions],
        columns=schema.COLUMNS[schema.QUESTIONS],
    )
