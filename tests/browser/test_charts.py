"""In a real browser: the charts (our plotly.js bundle, ui/plot.py) hover and click like plotly charts.

Hovering a matrix cell shows its deciding sentence; clicking it narrows the
evidence to that cell (and puts the cell in the URL); clicking a timeline event
lists only its sources. On the hostile dataset, the hover shows markup as text.
"""

from __future__ import annotations

import urllib.parse

import plotly.offline
import pytest

from tests.browser import error_report, open_page, wait_idle, wait_rendered, wait_rerun, watch_runs
from tests.ui.fixture_data import SCRIPT

pytestmark = pytest.mark.browser

CENTRE = """selector => {
  const area = document.querySelector('.el-plot .draglayer .nsewdrag').getBoundingClientRect();
  const inside = r => r.width + r.height > 0 && r.left + r.width / 2 > area.left
    && r.left + r.width / 2 < area.right && r.top + r.height / 2 > area.top && r.top + r.height / 2 < area.bottom;
  const el = [...document.querySelectorAll(selector)].find(e => inside(e.getBoundingClientRect()));
  if (!el) { return null; }
  el.scrollIntoView({block: 'center'});
  const r = el.getBoundingClientRect();
  return {x: r.left + r.width / 2, y: r.top + r.height / 2}; }"""
"""JS: the on-screen centre of the first element matching ``selector`` inside the plot area, scrolled into
view (null when there is none)."""

MATRIX_CELL = ".el-plot .scatterlayer .trace:first-child .point"
"""A matrix cell that holds a stance (the clickable overlay of ui/matrix.py, one marker per such cell)."""
TIMELINE_EVENT = ".el-plot .scatterlayer .point, .el-plot .barlayer .point"
"""A day-precise event's dot or a longer event's bar on the timeline."""
HOVER_TEXT = """() => { const el = document.querySelector('.el-plot .hoverlayer .hovertext');
  return el ? el.textContent : null; }"""


def _point(page: object, selector: str) -> dict[str, float]:
    """Where the first ``selector`` element inside the plot area is on screen, scrolled into view."""
    point = page.evaluate(CENTRE, selector)
    assert point, f"nothing matches {selector!r}"
    return point


def _hover(page: object, selector: str) -> str:
    """Move the mouse onto the first ``selector`` element; return the hover label's text."""
    point = _point(page, selector)
    page.mouse.move(point["x"] + 2, point["y"] + 2)
    page.mouse.move(point["x"], point["y"])
    page.wait_for_function(HOVER_TEXT, timeout=10_000)
    return page.evaluate(HOVER_TEXT)


def _click(page: object, selector: str) -> None:
    """Click the first ``selector`` element and wait for the rerun the click starts."""
    point = _point(page, selector)
    page.mouse.move(point["x"], point["y"])
    watch_runs(page)
    page.mouse.click(point["x"], point["y"])
    wait_rerun(page)
    wait_idle(page)


def _caption(page: object, start: str) -> str:
    """The first caption of the main area that starts with ``start``."""
    captions = page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').all_inner_texts()
    found = [c for c in captions if c.strip().startswith(start)]
    assert found, f"no caption starts with {start!r}: {captions}"
    return found[0]


def test_the_page_runs_the_plotly_js_release_of_the_plotly_package(app, page):
    open_page(page, app.server.url("matrix"))
    wait_rendered(page, "matrix")
    assert page.evaluate("() => window.Plotly.version") == plotly.offline.get_plotlyjs_version()


LABELS_INSIDE = """() => { const chart = document.querySelector('.el-plot .main-svg').getBoundingClientRect();
  const plot = document.querySelector('.el-plot .nsewdrag').getBoundingClientRect();
  const boxes = sel => [...document.querySelectorAll(sel)].map(t => t.getBoundingClientRect())
    .filter(b => b.width > 0);
  const ys = boxes('.el-plot .ytick text'), xs = boxes('.el-plot .xtick text');
  return {n: ys.length + xs.length,
          outside: [...ys, ...xs].filter(b => b.left < chart.left - 0.5 || b.top < chart.top - 0.5).length,
          onPlot: ys.filter(b => b.right > plot.left + 1).length,
          spare: Math.min(...ys.map(b => b.left - chart.left))}; }"""
"""JS: the chart's tick labels: how many, how many stick out of the chart, how many y labels run into the
plot area, and the least room left of a y label."""


@pytest.mark.parametrize("name", ["matrix", "timeline"])
def test_axis_labels_fit_in_the_margins_given_before_drawing(app, page, name):
    open_page(page, app.server.url(name))
    wait_rendered(page, name)
    layout = page.evaluate("() => { const l = document.querySelector('.el-plot')._fullLayout;"
                           " return {x: l.xaxis.automargin, y: l.yaxis.automargin}; }")
    assert layout["y"] is False    # measured in the page: plotly draws once
    labels = page.evaluate(LABELS_INSIDE)
    assert labels["n"] > 3 and labels["outside"] == 0 and labels["onPlot"] == 0, labels
    assert labels["spare"] < 60, labels   # not a wasteful margin either


def test_hovering_a_matrix_cell_shows_its_deciding_sentence(app, page):
    open_page(page, app.server.url("matrix"))
    wait_rendered(page, "matrix")
    text = _hover(page, MATRIX_CELL)
    assert "Stance:" in text and "“" in text


def test_clicking_a_matrix_cell_lists_only_its_evidence(app, page):
    open_page(page, app.server.url("matrix"))
    wait_rendered(page, "matrix")
    _click(page, MATRIX_CELL)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)
    assert query.get("person") and query.get("question"), page.url
    assert "behind this cell" in " ".join(
        page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').all_inner_texts())
    assert error_report(page) == []


def test_clicking_a_timeline_event_lists_only_its_sources(app, page):
    open_page(page, app.server.url("timeline"))
    wait_rendered(page, "timeline")
    _click(page, TIMELINE_EVENT)
    assert "Sources of the 1 selected event" in _caption(page, "Sources of the")
    assert error_report(page) == []


HOSTILE_CELL = """needle => { const gd = document.querySelector('.el-plot');
  const overlay = gd.data.findIndex(t => t.type === 'scatter' && Array.isArray(t.hovertext) && t.hovertext.length);
  return overlay < 0 ? -1 : gd.data[overlay].hovertext.findIndex(h => h.includes(needle)); }"""
"""JS: the index of the first matrix cell whose hover text contains ``needle`` (escaped as plotly needs)."""


def test_a_chart_hover_shows_markup_as_text(hostile_app, page, watch):
    open_page(page, hostile_app.server.url("matrix"))
    wait_rendered(page, "matrix")
    cell = page.evaluate(HOSTILE_CELL, "&lt;script&gt;")
    assert cell >= 0, "no matrix cell carries the hostile article's text"
    text = _hover(page, f"{MATRIX_CELL.removesuffix(':first-child .point')}:first-child .point:nth-child({cell + 1})")
    assert SCRIPT in text
    assert watch.dialogs == []
    assert page.evaluate("() => document.querySelectorAll('img[src=\"x\"], [onerror]').length") == 0
