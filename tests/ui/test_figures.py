"""The chart figures: plain dicts that plotly's own validators accept and that serialise as plotly would.

The app sends them without ``go.Figure`` (see ui/plot.py); these tests are where
plotly checks every property name and value, on the committed seed data, the
fixture dataset, the hostile one and a large synthetic one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import plotly.graph_objects as go
import pytest

from analysis.store import load_dataset
from analysis.views import matrix_view, timeline_view
from tests.browser import DATA, valid_dataset
from tests.ui.fixture_data import make_large_dataset
from ui import matrix, plot, timeline

FIGURES: dict[str, Callable] = {
    "matrix": lambda ds: matrix.figure(matrix_view(ds)),
    "timeline by actors": lambda ds: timeline.figure(timeline_view(ds), color="actors"),
    "timeline by article": lambda ds: timeline.figure(timeline_view(ds), color="article"),
}


@pytest.fixture(scope="module")
def large_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_large_dataset(tmp_path_factory.mktemp("large") / "data", n_articles=300)


@pytest.fixture(params=["seed", "small", "hostile", "large"])
def dataset(request: pytest.FixtureRequest) -> object:
    if request.param == "seed":
        if not valid_dataset(DATA):
            pytest.skip("data/ is not built")
        return load_dataset(DATA)
    name = {"small": "small_dataset", "hostile": "hostile_dataset", "large": "large_dataset"}[request.param]
    return load_dataset(request.getfixturevalue(name))


@pytest.mark.parametrize("name", FIGURES)
def test_plotly_accepts_every_property_of_the_figure(dataset: object, name: str) -> None:
    go.Figure(FIGURES[name](dataset))   # raises ValueError on an unknown property or a bad value


@pytest.mark.parametrize("name", FIGURES)
def test_the_json_sent_is_what_plotly_would_send(dataset: object, name: str) -> None:
    fig = FIGURES[name](dataset)
    expected = go.Figure(fig, layout_template=plot.template())
    assert json.loads(plot.to_json(fig)) == json.loads(expected.to_json())


def test_the_charts_use_plotlys_white_template_in_the_apps_font() -> None:
    chosen = plot.template()
    assert chosen["layout"]["plot_bgcolor"].lower() in ("white", "#ffffff")
    assert chosen["layout"]["font"]["family"] == plot.FONT


def test_a_property_plotly_does_not_know_is_caught() -> None:
    with pytest.raises(ValueError, match="colour"):
        go.Figure({"data": [{"type": "heatmap", "z": [[1]]}], "layout": {"colour": "red"}})
