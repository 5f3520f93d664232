"""Shared fixtures for the app tests: fixture datasets on disk and an AppTest factory pointed at one.

``make_app(data=..., page=..., params=...)`` returns an :class:`AppTest` of
``app.py`` whose dataset folder (EXPERT_LENS_DATA) is ``data`` (default: the
small fixture dataset), opened on ``page`` (a file under pages/, as if the URL
path named it) with ``params`` as the URL's query parameters. Call ``.run()``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.fixture_data import make_dataset

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
TIMEOUT = 30


@pytest.fixture(scope="session")
def small_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three-article fixture dataset, built once per test session."""
    return make_dataset(tmp_path_factory.mktemp("small") / "data")


@pytest.fixture(scope="session")
def hostile_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture dataset plus an article full of <script> and <img onerror> markup."""
    return make_dataset(tmp_path_factory.mktemp("hostile") / "data", hostile=True)


@pytest.fixture
def make_app(monkeypatch: pytest.MonkeyPatch, small_dataset: Path) -> Callable[..., AppTest]:
    """Factory for an AppTest of app.py on a dataset folder, a page and URL query parameters."""

    def factory(*, data: Path | None = None, page: str | None = None,
                params: dict[str, str | list[str]] | None = None) -> AppTest:
        monkeypatch.setenv("EXPERT_LENS_DATA", str(data or small_dataset))
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
        if page:
            at.switch_page(page)
        for key, value in (params or {}).items():
            at.query_params[key] = value
        return at

    return factory


TEXT_ONLY = {"Dataframe", "Selectbox", "Multiselect", "ButtonGroup"}   # never render markup
TEXT_ONLY_COMPONENTS = {"expert_lens_filters"}
"""Components of ours that set the dataset's text only as text (static/filters.js: textContent, value,
title; tests/ui/test_sidebar_filters.py reads its code for any HTML parsing, a browser test shows the text)."""


def markup_free_elements(at: AppTest) -> int:
    """Assert no element that can render markup carries the raw payloads; return how many were checked."""
    from tests.ui.fixture_data import IMG, SCRIPT

    checked = 0
    for tree in (at.main, at.sidebar):
        for node in tree:
            proto = getattr(node, "proto", None)
            if proto is None or type(node).__name__ in TEXT_ONLY \
                    or getattr(proto, "component_name", None) in TEXT_ONLY_COMPONENTS:
                continue
            checked += 1
            assert SCRIPT not in str(proto) and IMG not in str(proto), type(node).__name__
    return checked


def page_runner(make_app: Callable[..., AppTest], default: Path, page: str) -> Callable[..., AppTest]:
    """Return run(data=None, **params): the page run once on ``data`` (else ``default``), no exception."""

    def run(data: Path | None = None, **params: str | list[str]) -> AppTest:
        at = make_app(data=data or default, page=page, params=params).run()
        assert not at.exception, at.exception
        return at

    return run


@pytest.fixture
def plotly_spec() -> Callable[[AppTest], dict]:
    """Function returning the JSON figure of the first plotly chart (ui/plot.py) on an AppTest's page."""

    def spec(at: AppTest, index: int = 0) -> dict:
        charts = [el for el in at.get("bidi_component") if el.proto.component_name == "expert_lens_plot"]
        return json.loads(json.loads(charts[index].proto.json)["spec"])

    return spec


@pytest.fixture
def filters_data() -> Callable[[AppTest], dict]:
    """Function returning the data the sidebar's filters component (ui/filters.py) was given on an AppTest's
    run: its fields (key, label, options as [id, label], chosen ids) and dates (min, max, from, to)."""

    def data(at: AppTest) -> dict:
        boxes = [el for el in at.sidebar.get("bidi_component") if el.proto.component_name == "expert_lens_filters"]
        assert len(boxes) == 1
        return json.loads(boxes[0].proto.json)

    return data


# -- fixtures added by other helpers go below ------------------------------------------------------
