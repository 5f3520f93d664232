"""Draw a plotly figure in the page with a plotly.js cut down to our traces, and report the points clicked.

``st.plotly_chart`` ships the whole of plotly.js (4.7 MB), which the browser
compiles on every first visit of a page: 1-2 s of CPU before anything is drawn.
The charts here need only heatmaps, bars and scatters: ``static/plotly-expert-lens.min.js``
is plotly.js's core with those traces (1.2 MB, the same plotly.js release as
the plotly package's, built by ``tools/plotly-bundle/build.sh``; it loads and
starts in a third of the time of plotly.js's own 1.5 MB cartesian bundle).
This module mounts it as a Streamlit v2 component: no iframe, the library
loaded once per browser tab from the app's static files
(``server.enableStaticServing``, set in ``.streamlit/config.toml``), and each
rerun hands over only the figure.

A figure is a plain dict (``{"data": [...], "layout": {...}}``, text from
articles HTML-escaped by the renderers) sent as JSON with plotly's default
template added, as ``go.Figure`` would. It is not validated by ``go.Figure``
at run time: the first validation in a process loads plotly's validators, 0.6 s
on a page's first visit. The tests validate every figure instead
(tests/ui/test_figures.py).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import plotly
import streamlit as st

from ui.preload import STATIC, loader_js, static_text

BUNDLE = STATIC / "plotly-expert-lens.min.js"
"""The charts' plotly.js, served to the browser as ``app/static/plotly-expert-lens.min.js``."""
CONFIG = {"displayModeBar": False, "responsive": True}
"""plotly.js config of every chart: no mode bar (the pages offer their own downloads)."""
TEMPLATE = Path(plotly.__file__).resolve().parent / "package_data" / "templates" / "plotly_white.json"
"""plotly's white template: the figure's look where the renderers leave it open (``go.Figure`` would put
plotly's default template in; ``st.plotly_chart`` put Streamlit's colours in)."""
FONT = '"Source Sans", "Source Sans Pro", sans-serif'
"""The app's own font (the charts are drawn in the page, which has loaded it)."""

Figure = dict[str, Any]
"""A plotly figure as plain data: ``{"data": [trace, ...], "layout": {...}}``."""


@functools.cache
def template() -> dict | None:
    """The charts' template: plotly's white one in the app's font (None when this plotly has no such
    file: plotly.js's defaults apply)."""
    try:
        found = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    layout = found.setdefault("layout", {})
    layout["font"] = {**layout.get("font", {}), "family": FONT}
    return found


def _plain(value: object) -> object:
    """JSON for what ``json`` does not know: numpy scalars and arrays, dates."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def to_json(fig: Figure) -> str:
    """The figure as plotly.js reads it, with the charts' :func:`template` unless it has one."""
    layout = fig.get("layout") or {}
    chosen = template()
    if "template" not in layout and chosen is not None:
        fig = {**fig, "layout": {**layout, "template": chosen}}
    return json.dumps(fig, default=_plain, separators=(",", ":"))


@functools.cache
def _component() -> Callable[..., object]:
    """Register the chart component once per process (its code: static/plotly-loader.js + plot.js)."""
    js = loader_js() + "\n" + static_text("plot.js")
    return st.components.v2.component("expert_lens_plot", js=js, isolate_styles=False)


def _ignore() -> None:
    """A no-op callback: registering one is what makes Streamlit keep the component's value."""


def plot(fig: Figure, *, key: str, on_click: Callable[[], None] | None = None) -> list:
    """Draw ``fig``; return the customdata of the points last clicked (empty when none).

    ``on_click`` runs before the rerun a click causes, with the clicked points'
    customdata in :func:`clicked` (a double-click clears the choice).
    """
    result = _component()(key=key, data={"spec": to_json(fig), "config": CONFIG}, default={"selected": []},
                          on_selected_change=_ignore, on_click_change=on_click or _ignore)
    return list(getattr(result, "selected", None) or [])


def clicked(key: str) -> list:
    """In an ``on_click`` callback: the customdata of the points just clicked on the chart ``key``."""
    value = st.session_state.get(key)
    return list(getattr(value, "click", None) or []) if value is not None else []
