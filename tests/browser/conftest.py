"""Browser-test fixtures: one ``streamlit run`` per dataset per session, one headless Chromium.

The app is served on the committed ``data/`` when it holds a valid dataset,
else on the fixture dataset of ``tests/ui/fixture_data.py`` (the header line
of the run says which). A second server serves the hostile fixture dataset
(HTML/JS payloads in every string) for the security tests. A missing Chromium
fails the tests with a message saying how to install it; nothing is skipped.

Each test gets new tabs (each its own Streamlit session) in one shared browser
context, or a fresh context where it must share nothing; whatever a tab shows
at the end of the test is saved to ``screenshots/<test>.png`` (git-ignored).
With ``EXPERT_LENS_UPDATE_SCREENSHOTS=1`` the page tests also refresh the
README's ``docs/screenshots/``.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.browser import (
    DATA,
    EXTERNAL,
    ROOT,
    SOCKET_WATCH,
    TIMEOUT_MS,
    VIEWPORT,
    StreamlitServer,
    chromium_problem,
    launch_chromium,
    valid_dataset,
)

SCREENSHOTS = ROOT / "screenshots"
DOC_SCREENSHOTS = ROOT / "docs" / "screenshots"
UPDATE_DOCS = os.environ.get("EXPERT_LENS_UPDATE_SCREENSHOTS", "") not in ("", "0")


def doc_screenshot(page: object, name: str) -> Path:
    """Save the page as ``docs/screenshots/<name>.png`` for the README (palette PNG: small to commit)."""
    import io

    from PIL import Image

    DOC_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    out = DOC_SCREENSHOTS / f"{name}.png"
    image = Image.open(io.BytesIO(page.screenshot()))
    image.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(out, optimize=True)
    return out


@dataclass
class Served:
    """A running server and what it serves."""

    server: StreamlitServer
    label: str
    committed: bool = False


@dataclass
class Watch:
    """What a page reported while a test drove it: console errors, uncaught errors, dialogs."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    """Requests for anything but the local servers (the browser fails them: it is offline)."""

    def script_errors(self) -> list[str]:
        """Console errors and uncaught exceptions that are not failed resource loads."""
        return self.page_errors + [m for m in self.console_errors if "Failed to load resource" not in m]


def _say(config: pytest.Config, line: str) -> None:
    """Write a line to the terminal (shown even with -q)."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(line)


def _serve(data: Path, *, name: str, tmp: Path) -> StreamlitServer:
    """Start a server on ``data`` (its log goes to ``tmp``)."""
    return StreamlitServer(data, log=tmp / f"streamlit-{name}.log", name=name).start()


@pytest.fixture(scope="session")
def app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The app on the committed data/ when it is valid, else on the small fixture dataset."""
    tmp = tmp_path_factory.mktemp("browser-app")
    if valid_dataset(DATA):
        data, label, committed = DATA, f"committed dataset {DATA}", True
    else:
        from tests.ui.fixture_data import make_dataset

        data = make_dataset(tmp / "data")
        label, committed = "fixture dataset (data/ has no valid dataset yet)", False
    server = _serve(data, name="app", tmp=tmp)
    _say(request.config, f"\nbrowser tests: app on {label} at {server.base}")
    yield Served(server, label, committed)
    server.stop()


@pytest.fixture(scope="session")
def hostile_app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The app on the fixture dataset plus an article whose strings carry HTML/JS payloads."""
    from tests.ui.fixture_data import make_dataset

    tmp = tmp_path_factory.mktemp("browser-hostile")
    server = _serve(make_dataset(tmp / "data", hostile=True), name="hostile", tmp=tmp)
    _say(request.config, f"\nbrowser tests: hostile app at {server.base}")
    yield Served(server, "hostile fixture dataset")
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium driven by Playwright (fails, never skips, when it is missing)."""
    problem = chromium_problem()
    if problem:
        pytest.fail(problem, pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = launch_chromium(pw)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def shared_context(browser: object) -> Iterator[object]:
    """One browser context for the session: its pages share the HTTP cache (Streamlit's bundle)."""
    ctx = _context(browser)
    yield ctx
    ctx.close()


def _context(browser: object) -> object:
    """A browser context (the browser reaches only the local servers: see launch_chromium)."""
    ctx = browser.new_context(viewport=VIEWPORT)
    ctx.set_default_timeout(TIMEOUT_MS)
    ctx.add_init_script(SOCKET_WATCH)   # lets wait_rerun see reruns too fast to be drawn
    return ctx


@pytest.fixture
def watch() -> Watch:
    """The console errors, uncaught errors and dialogs of the test's pages."""
    return Watch()


@pytest.fixture
def new_page(browser: object, shared_context: object, watch: Watch,
             request: pytest.FixtureRequest) -> Iterator[object]:
    """Return ``open(fresh=False)``: a new tab (a new Streamlit session); ``fresh``: in a new context.

    A new browser context shares nothing with the others (no cache, no cookies,
    no storage): what a colleague's browser sees when opening a copied link.
    """
    contexts: list[object] = []
    pages: list[object] = []

    def on_dialog(dialog: object) -> None:
        watch.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def instrument(page: object) -> None:
        if page in pages:
            return
        page.on("console", lambda msg: watch.console_errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: watch.page_errors.append(str(exc)))
        page.on("dialog", on_dialog)
        page.on("request", lambda req: watch.external.append(req.url) if EXTERNAL.match(req.url) else None)
        pages.append(page)

    def open_new(*, fresh: bool = False) -> object:
        if fresh:
            ctx = _context(browser)
            ctx.on("page", instrument)
            contexts.append(ctx)
        else:
            ctx = shared_context
        page = ctx.new_page()
        instrument(page)
        return page

    # pages the app opens itself (links with target=_blank) are watched too
    shared_context.on("page", instrument)
    yield open_new
    shared_context.remove_listener("page", instrument)
    SCREENSHOTS.mkdir(exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
    for k, page in enumerate(pages):
        if page.is_closed():
            continue
        with contextlib.suppress(Exception):  # a screenshot must never hide the test's result
            page.screenshot(path=str(SCREENSHOTS / f"{name}{f'-{k}' if k else ''}.png"))
        page.close()
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def page(new_page: object) -> object:
    """A new tab: a fresh Streamlit session."""
    return new_page()
