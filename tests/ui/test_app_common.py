"""App-wide behaviour: the missing-dataset message, URL-bound filters and page, clear-all, layering."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from analysis import schema
from tests.ui.html_tables import page_table
from ui.filters import QUERY_PARAMS

ROOT = Path(__file__).resolve().parents[2]
BUILD = "python -m analysis build --corpus seeds --out"


def _no_dataset(tmp: Path) -> Path:
    return tmp / "empty"


def _not_built(tmp: Path) -> Path:
    (tmp / "nothing-yet").mkdir()
    return tmp / "nothing-yet"


def _other_schema(tmp: Path) -> Path:
    (tmp / "old").mkdir()
    (tmp / "old" / schema.MANIFEST).write_text(json.dumps({"schema_version": -1}))
    return tmp / "old"


def _corrupt_table(tmp: Path, small: Path) -> Path:
    import shutil

    bad = tmp / "corrupt"
    shutil.copytree(small, bad)
    (bad / f"{schema.STANCES}{schema.TABLE_SUFFIX}").write_bytes(b"not parquet")
    return bad


@pytest.mark.parametrize("make", ["missing", "empty folder", "other schema", "corrupt table"])
@pytest.mark.parametrize("page", [None, "pages/timeline.py"])
def test_a_missing_or_invalid_dataset_says_how_to_build_it(make, page, make_app, small_dataset, tmp_path):
    data = {"missing": lambda: _no_dataset(tmp_path), "empty folder": lambda: _not_built(tmp_path),
            "other schema": lambda: _other_schema(tmp_path),
            "corrupt table": lambda: _corrupt_table(tmp_path, small_dataset)}[make]()
    at = make_app(data=data, page=page).run()
    assert not at.exception
    assert [e.value for e in at.error] and "No dataset to show" in at.error[0].value
    assert any(BUILD in c.value for c in at.code)
    assert not at.get("bidi_component")


def test_the_default_data_folder_command_is_the_documented_one(monkeypatch):
    from ui import loaders

    monkeypatch.delenv("EXPERT_LENS_DATA", raising=False)
    assert loaders.data_dir() == ROOT / "data"
    assert loaders.build_command(loaders.data_dir()) == "python -m analysis build --corpus seeds --out data"


def test_filters_come_from_the_url_and_survive_a_page_switch(make_app):
    at = make_app(params={"people": ["Liu Wei", "James Holt"], "actors": "China",
                          "from": "2024-06-01", "to": "2024-12-31", "questions": "China approves"}).run()
    assert not at.exception
    assert at.session_state["people"] == ["p-liu-wei", "p-james-holt"]
    assert at.session_state["actors"] == ["CHN"]
    assert at.session_state["questions"] == ["china-approval"]
    assert str(at.session_state["from"]) == "2024-06-01"
    at.switch_page("pages/timeline.py").run()
    assert not at.exception
    assert at.title[0].value == "What happened when?"
    assert at.session_state["people"] == ["p-liu-wei", "p-james-holt"]
    assert at.query_params["people"] == ["Liu Wei", "James Holt"]
    assert at.query_params["to"] == "2024-12-31"


def test_a_copied_link_opens_the_same_page_with_the_same_filters(make_app):
    """The page is the URL path: opening /timeline?actors=... lands on the filtered timeline."""
    at = make_app(page="pages/timeline.py", params={"actors": "European Union"}).run()
    assert not at.exception
    assert at.title[0].value == "What happened when?"
    assert at.session_state["actors"] == ["EU"]
    assert len(page_table(at, "timeline_sources")) == 1


def test_unknown_values_in_the_url_are_dropped_not_fatal(make_app):
    at = make_app(params={"people": "Nobody At All", "from": "not-a-date"}).run()
    assert not at.exception
    assert at.session_state["people"] == []
    assert "people" not in at.query_params


def test_clear_all_resets_every_filter_and_the_url(make_app, filters_data):
    at = make_app(params={"people": "Liu Wei", "actors": "European Union", "to": "2024-10-31"}).run()
    at.button(key="matrix_empty").click().run()   # the empty state's offer; the sidebar's is in the browser tests
    assert not at.exception
    assert at.session_state["people"] == [] and at.session_state["actors"] == []
    assert at.session_state["to"] is None
    assert not any(k in at.query_params for k in QUERY_PARAMS)
    data = filters_data(at)
    assert [f["chosen"] for f in data["fields"]] == [[], [], [], []]
    assert data["dates"]["to"] == ""


def test_the_sidebar_holds_every_shared_filter(make_app, filters_data):
    data = filters_data(make_app().run())
    assert [f["key"] for f in data["fields"]] == ["people", "actors", "articles", "questions"]
    assert [f["label"] for f in data["fields"]] == ["People", "Countries and organisations", "Articles", "Questions"]
    people = data["fields"][0]
    assert [label for _, label in people["options"]] == ["Anna Kovalenko", "James Holt", "Liu Wei"]  # quoted, by name
    assert people["options"][0] == ["p-anna-kovalenko", "Anna Kovalenko"]
    assert all(f["help"] for f in data["fields"]) and data["dates"]["help"]


@pytest.mark.parametrize(("params", "chosen", "dates"), [
    ({}, [[], [], [], []], ("", "")),
    ({"people": ["Liu Wei", "p-james-holt"], "from": "2024-06-01"}, [["p-liu-wei", "p-james-holt"], [], [], []],
     ("2024-06-01", "")),
    ({"questions": "China approves", "to": "2024-12-31"}, [[], [], [], ["china-approval"]], ("", "2024-12-31")),
    ({"people": "Nobody", "from": "not-a-date"}, [[], [], [], []], ("", "")),
])
def test_the_sidebar_shows_what_the_url_chose(make_app, filters_data, params, chosen, dates):
    data = filters_data(make_app(params=params).run())
    assert [f["chosen"] for f in data["fields"]] == chosen
    assert (data["dates"]["from"], data["dates"]["to"]) == dates


def test_the_date_fields_span_the_years_of_the_dataset(make_app, filters_data):
    dates = filters_data(make_app().run())["dates"]
    assert dates["min"].endswith("-01-01") and dates["max"].endswith("-12-31") and dates["min"] < dates["max"]


def test_analysis_never_imports_streamlit():
    offenders = []
    for path in sorted((ROOT / "analysis").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "streamlit"]
    assert offenders == []


@pytest.mark.parametrize("page", [None, "pages/timeline.py"])
def test_an_empty_but_valid_dataset_shows_the_empty_state(page, make_app, tmp_path):
    from analysis.store import write_dataset

    data = write_dataset({}, tmp_path / "data")
    at = make_app(data=data, page=page).run()
    assert not at.exception
    assert "has no" in at.info[0].value and "yet" in at.info[0].value
    assert [b.key for b in at.main.button] == []   # nothing to clear: no "Clear all filters" offer
