"""In a real browser: an article carrying <script> and <img onerror> markup shows as text and runs nothing.

The hostile fixture dataset puts ``<script>alert(1)</script>`` and
``<img src=x onerror=alert(1)>`` into an article's title, outlet, author,
sentences, a person's name, a stance cue and relation cues. Any of them
running would open an alert dialog, which the page fixture records.
"""

from __future__ import annotations

import urllib.parse

import pytest

from tests.browser import PAGES, error_report, graph_frame, open_page, wait_rendered
from tests.ui.fixture_data import HOSTILE_ARTICLE_ID, IMG, SCRIPT

pytestmark = pytest.mark.browser

INJECTED = """() => ({
  scripts: [...document.querySelectorAll('script')].filter(s => s.textContent.trim() === 'alert(1)').length,
  handlers: document.querySelectorAll('[onerror], [onload], [onclick], [onmouseover]').length,
  images: document.querySelectorAll('img[src="x"]').length,
  jsLinks: [...document.querySelectorAll('a[href]')].filter(a => a.href.trim().toLowerCase()
    .startsWith('javascript:')).length,
})"""
"""JS: elements that injected markup would have created (none may exist)."""

HAS_TEXT = "text => document.body.textContent.includes(text)"

EDGE_POINT = """needle => {
  const net = window.expertLensNetwork;
  const edge = net.body.data.edges.get().find(e => e.title && e.title.textContent.includes(needle));
  if (!edge) { return null; }
  const p = net.canvasToDOM(net.body.edges[edge.id].edgeType.getPoint(0.5));
  const box = document.querySelector('#mynetwork canvas').getBoundingClientRect();
  return {x: box.left + p.x, y: box.top + p.y};
}"""
"""JS: the on-screen middle (viewport pixels) of the first edge of the graph whose hover text contains
``needle``."""

TOOLTIP = """() => { const tip = document.querySelector('.vis-tooltip');
  return tip && tip.style.visibility !== 'hidden' ? tip.textContent : null; }"""

TIP_IS_TEXT = """() => { const tip = document.querySelector('#mynetwork .vis-tooltip');
  return !!tip && !tip.querySelector('script, img') && getComputedStyle(tip).position === 'absolute'; }"""
"""JS: the tooltip is vis-network's, inside the graph, styled by its stylesheet (absolutely positioned),
and holds no element the hostile markup would have made."""


def _injected(page: object) -> dict[str, int]:
    """Injected elements summed over the page and all its frames (the graph is drawn in the page itself)."""
    total: dict[str, int] = {}
    for frame in page.frames:
        for key, value in frame.evaluate(INJECTED).items():
            total[key] = total.get(key, 0) + value
    return total


def _url(served: object, name: str) -> str:
    """The page's URL; the reader opens the hostile article."""
    query = [("article", HOSTILE_ARTICLE_ID)] if name == "reader" else []
    return served.server.url(name, query)


@pytest.mark.parametrize("name", PAGES)
def test_hostile_article_shows_as_text_and_runs_nothing(hostile_app, page, watch, name):
    open_page(page, _url(hostile_app, name))
    wait_rendered(page, name)
    page.wait_for_timeout(500)  # time for an injected onerror or script to fire

    assert watch.dialogs == []
    assert watch.script_errors() == []
    assert error_report(page) == []
    assert _injected(page) == {"scripts": 0, "handlers": 0, "images": 0, "jsLinks": 0}
    if name in ("reader", "matrix"):  # the reader's text and metadata; the matrix's row labels
        assert page.evaluate(HAS_TEXT, SCRIPT), f"{SCRIPT} is not on the {name} page as text"
    if name == "reader":
        assert page.get_by_text(SCRIPT).first.is_visible()
        assert page.get_by_text(IMG).first.is_visible()


def test_graph_hover_shows_markup_as_text(hostile_app, page, watch):
    open_page(page, hostile_app.server.url("graph"))
    wait_rendered(page, "graph")
    frame = graph_frame(page)   # the page's own frame: the graph is drawn in the page
    page.locator("#mynetwork").scroll_into_view_if_needed()

    point = frame.evaluate(EDGE_POINT, IMG)
    assert point, "no edge carries the hostile relation cue's evidence"
    page.mouse.move(point["x"] + 1, point["y"] + 1)
    page.mouse.move(point["x"], point["y"])
    frame.wait_for_function(TOOLTIP, timeout=10_000)
    page.wait_for_timeout(300)

    tip = frame.evaluate(TOOLTIP)
    assert SCRIPT in tip and IMG in tip
    assert frame.evaluate(TIP_IS_TEXT), "the hover must show the markup as text, in vis-network's tooltip"
    assert watch.dialogs == []
    assert _injected(page) == {"scripts": 0, "handlers": 0, "images": 0, "jsLinks": 0}


def test_hostile_titles_show_as_text_in_the_sidebar_filters(hostile_app, page, watch):
    open_page(page, hostile_app.server.url("matrix"))
    wait_rendered(page, "matrix")
    field = page.locator('[data-testid="stSidebar"] .elf-field[data-key="articles"]')
    field.locator("summary").click()
    option = field.locator(".elf-list label").filter(has_text=SCRIPT)
    assert SCRIPT in option.inner_text()   # the title (shortened to 60 characters), as text
    option.click()   # chosen: the chip says the title as text too
    field.locator(".elf-chip").filter(has_text=SCRIPT).wait_for()
    page.wait_for_timeout(500)

    assert watch.dialogs == []
    assert watch.script_errors() == []
    assert _injected(page) == {"scripts": 0, "handlers": 0, "images": 0, "jsLinks": 0}


@pytest.mark.parametrize("name", ["matrix", "reader"])
def test_hostile_query_parameters_run_nothing(hostile_app, page, watch, name):
    query = [("people", SCRIPT), ("actors", IMG), ("article", IMG), ("sentence", SCRIPT),
             ("from", SCRIPT), ("person", IMG), ("question", SCRIPT)]
    open_page(page, hostile_app.server.url(name) + "?" + urllib.parse.urlencode(query))
    page.wait_for_timeout(500)

    assert watch.dialogs == []
    assert watch.script_errors() == []
    assert page.locator('[data-testid="stException"]').count() == 0
    assert _injected(page) == {"scripts": 0, "handlers": 0, "images": 0, "jsLinks": 0}
