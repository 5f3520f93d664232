"""Draw a plotly figure in the page with plotly.js's cartesian bundle, and report the points clicked.

``st.plotly_chart`` ships the whole of plotly.js (4.7 MB), which the browser
compiles on every first visit of a page: 1-2 s of CPU before anything is drawn.
The charts here need only heatmaps, bars and scatters, which plotly.js's
cartesian bundle (1.5 MB, the same plotly.js version as the plotly package's,
``static/plotly-cartesian.min.js``) draws. This module mounts it as a
Streamlit v2 component: no iframe, the library loaded once per browser tab
from the app's static files (``server.enableStaticServing``, set in
``.streamlit/config.toml``), and each rerun hands over only the figure.

The figure is built with plotly's Python classes as before (validated, and
text from articles HTML-escaped by the renderers), then passed as JSON.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

from ui.preload import loader_js

STATIC = Path(__file__).resolve().parent.parent / "static"
BUNDLE = STATIC / "plotly-cartesian.min.js"
"""plotly.js's cartesian bundle, served to the browser as ``app/static/plotly-cartesian.min.js``."""
CONFIG = {"displayModeBar": False, "responsive": True}
"""plotly.js config of every chart: no mode bar (the pages offer their own downloads)."""


@functools.cache
def _component() -> Callable[..., object]:
    """Register the chart component once per process (its code: static/plotly-loader.js + plot.js)."""
    js = loader_js() + "\n" + (STATIC / "plot.js").read_text(encoding="utf-8")
    return st.components.v2.component("expert_lens_plot", js=js, isolate_styles=False)


def _ignore() -> None:
    """A no-op callback: registering one is what makes Streamlit keep the component's value."""


def plot(fig: go.Figure, *, key: str, on_click: Callable[[], None] | None = None) -> list:
    """Draw ``fig``; return the customdata of the points last clicked (empty when none).

    ``on_click`` runs before the rerun a click causes, with the clicked points'
    customdata in :func:`clicked` (a double-click clears the choice).
    """
    result = _component()(key=key, data={"spec": fig.to_json(), "config": CONFIG}, default={"selected": []},
                          on_selected_change=_ignore, on_click_change=on_click or _ignore)
    return list(getattr(result, "selected", None) or [])


def clicked(key: str) -> list:
    """In an ``on_click`` callback: the customdata of the points just clicked on the chart ``key``."""
    value = st.session_state.get(key)
    return list(getattr(value, "click", None) or []) if value is not None else []
