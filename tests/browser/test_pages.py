"""In a real browser: every page renders cleanly, the graph draws, URLs share views, links reach sentences.

These drive headless Chromium against ``streamlit run app.py`` (see conftest.py).
"""

from __future__ import annotations

import urllib.parse

import pytest

from tests.browser import (
    INK_PIXELS,
    PAGES,
    error_report,
    graph_frame,
    open_page,
    wait_idle,
    wait_rendered,
    wait_rerun,
    watch_runs,
)
from tests.browser.conftest import UPDATE_DOCS, doc_screenshot

pytestmark = pytest.mark.browser

MIN_INK_PIXELS = 1500
"""A drawn graph has at least this many non-transparent canvas pixels (a blank box has none)."""

FILTER = '[data-testid="stSidebar"] .elf-field[data-key="{}"]'
"""One of the sidebar's filters (ui/filters.py, static/filters.js), by its key: people, actors, ..."""
DATE = '[data-testid="stSidebar"] .elf-dates input[name="{}"]'
"""One of the sidebar's two date fields: from, to."""

IN_VIEW = """id => { const el = document.getElementById(id); if (!el) { return false; }
  const r = el.getBoundingClientRect();
  return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }"""


def _wait_for_ink(frame: object) -> None:
    """Wait until the graph's canvas has drawn :data:`MIN_INK_PIXELS` (vis-network draws the laid-out
    network on the animation frame after it reports the layout done)."""
    frame.wait_for_function(f"() => ({INK_PIXELS})().ink >= {MIN_INK_PIXELS}", timeout=10_000, polling=50)


def _path(url: str) -> str:
    """The page part of an app URL ("" for the default page)."""
    return urllib.parse.urlsplit(url).path.strip("/")


def _query(url: str) -> dict[str, list[str]]:
    """The query parameters of a URL."""
    return urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)


CHIPS = """() => Object.fromEntries([...document.querySelectorAll('[data-testid="stSidebar"] .elf-field')]
  .filter(field => field.querySelector('.elf-chips'))
  .map(field => [field.querySelector('.elf-label').textContent,
                 [...field.querySelectorAll('.elf-chip span')].map(chip => chip.textContent).sort()]))"""
"""JS: the chosen values the sidebar shows, by filter label."""


def _chips(page: object) -> dict[str, list[str]]:
    """The sidebar's chosen values by filter label, and its two dates."""
    dates = {name: page.locator(DATE.format(name)).input_value() for name in ("from", "to")}
    return {**page.evaluate(CHIPS), **dates}


def _view(page: object) -> dict[str, object]:
    """What identifies the view on screen: page title, active nav link, filter chips, main captions."""
    main = page.locator('[data-testid="stMain"]')
    return {"title": main.locator("h1").first.inner_text().strip(),
            "nav": page.locator('[data-testid="stSidebarNavLink"][aria-current="page"]').inner_text().strip(),
            "chips": _chips(page),
            "captions": main.locator('[data-testid="stCaptionContainer"]').all_inner_texts()}


def _rendered(page: object, app: object, name: str) -> object:
    """``page`` with the app's page ``name`` opened and its content drawn."""
    open_page(page, app.server.url(name))
    wait_rendered(page, name)
    return page


def _choose(page: object, key: str, nth: int = 0) -> str:
    """Open the sidebar's ``key`` filter, tick its ``nth`` option and wait for the rerun; return its label."""
    field = page.locator(FILTER.format(key))
    if field.locator("details[open]").count() == 0:
        field.locator("summary").click()
    option = field.locator(".elf-list label").nth(nth)
    chosen = option.inner_text().strip()
    watch_runs(page)
    option.click()
    wait_rerun(page)
    wait_idle(page)
    return chosen


@pytest.mark.parametrize("name", PAGES)
def test_page_renders_without_error(app, page, watch, name):
    open_page(page, app.server.url(name))
    wait_rendered(page, name)

    assert error_report(page) == [], f"{name} on the {app.label}"
    assert watch.page_errors == []
    assert watch.external == []      # everything, vis-network included, comes from the app's server
    assert page.locator('[data-testid="stMain"] h1').count() == 1
    if UPDATE_DOCS:  # the README shows the committed dataset, never the fixture
        assert app.committed, "build data/ first: the README's screenshots show the committed dataset"
        doc_screenshot(page, name)


def test_graph_canvas_has_drawn_pixels(app, page):
    open_page(page, app.server.url("graph"))
    wait_rendered(page, "graph")

    frame = graph_frame(page)
    _wait_for_ink(frame)
    pixels = frame.evaluate(INK_PIXELS)

    assert pixels["ink"] >= MIN_INK_PIXELS, pixels


GRAPH_STATE = """() => { const box = document.querySelector('#mynetwork'), net = window.expertLensNetwork;
  if (!window.__elFirstNetwork) { window.__elFirstNetwork = net; }
  return {received: Number(box.dataset.received), drawn: Number(box.dataset.drawn),
          nodes: net.body.data.nodes.length, same: net === window.__elFirstNetwork,
          graphs: document.querySelectorAll('.el-graph').length,
          iframes: document.querySelectorAll('iframe').length}; }"""
"""JS: the graph's state attributes, its node count, and whether it is still the first network drawn."""


def test_graph_redraws_in_place_when_the_view_changes(app, page):
    open_page(page, app.server.url("graph"))
    wait_rendered(page, "graph")
    before = page.evaluate(GRAPH_STATE)

    watch_runs(page)
    page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option").nth(1).click()   # focus on the first actor: its neighbourhood only
    wait_rerun(page)
    page.wait_for_function(f"() => Number(document.querySelector('#mynetwork').dataset.drawn) > {before['drawn']}")
    graph_frame(page)
    after = page.evaluate(GRAPH_STATE)

    assert before["graphs"] == after["graphs"] == 1 and before["iframes"] == after["iframes"] == 0
    assert after["same"], "the network must be drawn again in place, not created anew"
    assert after["received"] > before["received"] and after["nodes"] <= before["nodes"]


EDGE_MIDDLE = """index => {
  const net = window.expertLensNetwork, edge = net.body.data.edges.get()[index];
  const p = net.canvasToDOM(net.body.edges[edge.id].edgeType.getPoint(0.5));
  const box = document.querySelector('#mynetwork canvas').getBoundingClientRect();
  return {id: edge.id, x: box.left + p.x, y: box.top + p.y}; }"""
"""JS: the id and on-screen middle (viewport pixels) of the graph's ``index``-th edge."""


def test_clicking_an_edge_in_the_graph_lists_its_evidence(app, page):
    open_page(page, app.server.url("graph"))
    wait_rendered(page, "graph")
    page.locator("#mynetwork").scroll_into_view_if_needed()
    assert "edge" not in _query(page.url)   # the strongest edge's evidence, by default
    for index in range(1, 6):   # an edge whose middle no other edge or node covers
        edge = page.evaluate(EDGE_MIDDLE, index)
        watch_runs(page)
        page.mouse.click(edge["x"], edge["y"])
        try:
            wait_rerun(page, timeout_ms=3_000)
        except Exception:   # the click hit a node or nothing: no rerun
            continue
        break
    wait_idle(page)
    label = _query(page.url)["edge"][0]   # "North Korea – Russia, cooperation (12 sentences)"
    assert edge["id"].split("|")[2] in label
    sentences = int(label.rsplit("(", 1)[1].split()[0])
    assert page.locator('.el-table[data-table="graph_evidence"] tbody tr').count() == min(sentences, 100)
    assert error_report(page) == []


OFFLINE_DRAWN = ("() => !!document.querySelector('#mynetwork canvas')"
                 " && document.body.dataset.stabilised === '1'")
"""JS predicate (the downloaded page, static/index.html with everything inlined): drawn and settled."""


def test_downloaded_graph_page_draws_on_its_own(app, new_page, watch, tmp_path):
    page = _rendered(new_page(), app, "graph")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download HTML (works offline)").click()
    saved = tmp_path / "graph.html"
    download.value.save_as(saved)

    offline = new_page()
    offline.goto(saved.as_uri())
    offline.wait_for_function(OFFLINE_DRAWN, timeout=30_000, polling=50)

    _wait_for_ink(offline)
    assert [url for url in watch.external if not url.startswith("file:")] == []   # nothing fetched
    assert watch.script_errors() == []


def test_copied_url_restores_filters_and_page(app, new_page):
    page = _rendered(new_page(), app, "timeline")
    chosen = _choose(page, "people")
    page.wait_for_function("() => new URLSearchParams(location.search).has('people')")
    shared, before = page.url, _view(page)   # the person may have no events: the page then shows its empty state

    other = new_page(fresh=True)  # a new browser context: nothing shared but the URL
    open_page(other, shared)
    other.locator(FILTER.format("people") + " .elf-chip").first.wait_for()
    after = _view(other)
    for _ in range(50):  # the page may still be settling: give the view up to ~5 s to match
        if after == before:
            break
        other.wait_for_timeout(100)
        after = _view(other)

    assert _path(shared) == "timeline"
    assert before["chips"]["People"] == [chosen]
    assert _path(other.url) == "timeline"
    assert _query(other.url) == _query(shared)
    assert after == before


def test_a_date_typed_in_the_sidebar_goes_into_the_url_and_a_copied_link(app, new_page):
    page = _rendered(new_page(), app, "timeline")
    watch_runs(page)
    page.locator(DATE.format("from")).fill("2024-10-01")
    wait_rerun(page)
    page.wait_for_function("() => new URLSearchParams(location.search).get('from') === '2024-10-01'")
    wait_idle(page)

    other = new_page(fresh=True)   # the link opens the same range, shown in the field
    open_page(other, page.url)
    wait_rendered(other, "timeline")
    other.wait_for_function(f"() => document.querySelector('{DATE.format('from')}')?.value === '2024-10-01'")


def test_the_filters_stay_chosen_and_in_the_url_on_another_page(app, new_page):
    page = _rendered(new_page(), app, "matrix")
    chosen = _choose(page, "actors")
    page.wait_for_function("() => new URLSearchParams(location.search).has('actors')")
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Timeline").click()
    page.wait_for_function("() => location.pathname.endsWith('/timeline') && "
                           "new URLSearchParams(location.search).getAll('actors').length === 1")
    wait_idle(page)
    assert _query(page.url)["actors"] == [chosen]
    assert _chips(page)["Countries and organisations"] == [chosen]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_filters_native_controls_follow_the_theme(app, new_page, theme):
    page = new_page(fresh=True)
    page.emulate_media(color_scheme=theme)   # Streamlit follows the system's theme by default
    _rendered(page, app, "reader")
    page.locator('[data-testid="stSidebar"] .elf').wait_for()
    assert page.evaluate("getComputedStyle(document.querySelector('.elf-dates input')).colorScheme") == theme


def test_the_sidebar_filters_narrow_remove_and_clear(app, new_page):
    page = _rendered(new_page(), app, "matrix")
    field = page.locator(FILTER.format("actors"))
    clear = page.locator('[data-testid="stSidebar"] .elf-clear')
    assert clear.is_disabled()
    field.locator("summary").click()
    every = field.locator(".elf-list label").count()
    name = field.locator(".elf-list label").nth(2).inner_text().strip()
    field.locator(".elf-find").fill(name[:4])   # typing narrows the list
    assert 1 <= field.locator(".elf-list label").count() < every
    assert name in field.locator(".elf-list").inner_text()
    page.keyboard.press("Escape")   # closes the list, focus back on its summary
    assert field.locator("details[open]").count() == 0
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    field.locator("summary").click()
    field.locator(".elf-find").fill("")
    picked = [_choose(page, "actors", 0), _choose(page, "actors", 1)]   # the list stays open between choices
    page.wait_for_function("() => new URLSearchParams(location.search).getAll('actors').length === 2")
    assert _chips(page)["Countries and organisations"] == sorted(picked)
    assert not clear.is_disabled()

    watch_runs(page)
    field.get_by_role("button", name=f"Remove {picked[0]}").click()   # a chip's x removes its value
    wait_rerun(page)
    page.wait_for_function("kept => JSON.stringify(new URLSearchParams(location.search).getAll('actors')) "
                           "=== JSON.stringify(kept)", arg=[picked[1]])
    _choose(page, "people")
    watch_runs(page)
    clear.click()
    wait_rerun(page)
    page.wait_for_function("() => !['people', 'actors', 'from', 'to'].some(k => new URLSearchParams("
                           "location.search).has(k))")
    wait_idle(page)
    assert _chips(page) == {"People": [], "Countries and organisations": [], "Articles": [], "Questions": [],
                            "from": "", "to": ""}
    assert clear.is_disabled()


SENTENCE_TEXT = """id => { const el = document.getElementById(id).cloneNode(true);
  el.querySelectorAll('.el-label').forEach(label => label.remove());
  return el.textContent.split(/\\s+/).join(' ').trim(); }"""
"""JS: a sentence's text in the reader without the highlight labels (ACTOR, PERSON, ...)."""


def test_evidence_link_opens_reader_at_sentence(app, page):
    open_page(page, app.server.url("matrix"))
    wait_rendered(page, "matrix")
    table = page.locator('.el-table[data-table="matrix_evidence"]')
    columns = table.locator("th").evaluate_all("ths => ths.map(th => th.dataset.col)")
    first = table.locator('tr[data-row="0"] td')
    evidence = " ".join(first.nth(columns.index("sentence")).inner_text().split())

    with page.context.expect_page() as opened:
        first.nth(columns.index("link")).get_by_role("link", name="Open at sentence").click()
    reader = opened.value
    reader.wait_for_load_state("domcontentloaded")
    wait_rendered(reader, "reader")

    assert _path(reader.url) == "reader"
    sentence = _query(reader.url)["sentence"][0]
    target = reader.locator(f'[id="{sentence}"]')
    assert target.count() == 1
    assert "el-focus" in (target.get_attribute("class") or "").split()
    assert evidence == reader.evaluate(SENTENCE_TEXT, sentence)
    reader.wait_for_function(IN_VIEW, arg=sentence, timeout=10_000)
    wait_idle(reader)
    assert error_report(reader) == []
