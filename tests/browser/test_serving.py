"""In a real browser: the server is warm before its first visitor, and a page's URL finds the server at once.

See ui/serve.py: ``streamlit run app.py`` serves the ``st.App`` that app.py declares.
"""

from __future__ import annotations

import urllib.parse

import pytest

from tests.browser import open_page, wait_rendered

pytestmark = pytest.mark.browser


def test_the_server_runs_every_page_once_and_answers_without_delay_before_it_takes_visitors(app):
    log = app.server.log_path.read_text(encoding="utf-8", errors="replace")
    assert "Expert Lens warm-up: the app ran, then 3 of 3 other pages" in log, app.server.log_tail()
    assert "TCP_NODELAY on 1 listening socket" in log, app.server.log_tail()


@pytest.mark.parametrize("name", ["timeline", "graph", "reader"])
def test_a_page_url_connects_to_the_server_without_a_wrong_guess(app, new_page, watch, name):
    page = new_page(fresh=True)
    asked: list[str] = []
    page.on("request", lambda request: asked.append(urllib.parse.urlsplit(request.url).path))
    open_page(page, app.server.url(name))
    wait_rendered(page, name)
    # without the hint, Streamlit first asks /<page>/_stcore/health (a 404), waits, then asks /_stcore/health
    assert [path for path in asked if "/_stcore/" in path and not path.startswith("/_stcore/")] == []
    assert page.evaluate("window.__streamlit.BACKEND_BASE_URL") == app.server.base + "/"
    assert urllib.parse.urlsplit(page.url).path == f"/{name}"
    assert watch.script_errors() == []


@pytest.mark.parametrize(("name", "modules", "library"), [
    ("matrix", ["BidiComponent.", "Selectbox.", "Button.", "DownloadButton."], "plotly-expert-lens.min.js"),
    ("graph", ["BidiComponent.", "Selectbox.", "ButtonGroup.", "Button."], "vis-network.min.js"),
    ("reader", ["BidiComponent.", "Html.", "Selectbox."], None),
])
def test_a_page_html_starts_loading_what_the_page_draws_before_it_connects(app, new_page, watch, name, modules,
                                                                          library):
    page = new_page(fresh=True)
    page.goto(app.server.url(name), wait_until="domcontentloaded")
    started = page.evaluate("Object.keys(window.expertLensPreloaded || {})")
    for stem in modules:
        assert any(file.startswith(stem) for file in started), (stem, started)
    assert not any(file.startswith(("DateInput.", "Multiselect.")) for file in started)   # the filters are ours
    libraries = page.evaluate("[...document.querySelectorAll('head script[src*=\"/app/static/\"]')]"
                              ".map(s => s.src.split('/').pop())")
    assert libraries == ([library] if library else [])
    wait_rendered(page, name)
    assert watch.script_errors() == []


def test_opening_another_page_in_the_app_preloads_its_code_from_the_run(app, new_page, watch):
    page = new_page(fresh=True)
    open_page(page, app.server.url("reader"))
    wait_rendered(page, "reader")
    before = page.evaluate("Object.keys(window.expertLensPreloaded || {})")
    assert not any(file.startswith(("Radio.", "DownloadButton.")) for file in before)   # not on the reader
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Timeline").click()
    wait_rendered(page, "timeline")
    assert page.locator('[data-testid="stSidebar"] .el-preload').count() == 1
    started = page.evaluate("Object.keys(window.expertLensPreloaded || {})")
    assert any(file.startswith("Radio.") for file in started), started
    assert any(file.startswith("DownloadButton.") for file in started), started
    assert watch.script_errors() == []
