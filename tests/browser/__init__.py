"""Harness for driving the real app: ``streamlit run app.py`` on a free port, headless Debian Chromium.

Shared by the browser tests (``tests/browser/``) and the UI benchmark
(``benchmarks/bench_ui.py``). Playwright never downloads a browser here: it
drives the Debian ``chromium`` package at :data:`CHROMIUM`.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
CHROMIUM = Path(os.environ.get("EXPERT_LENS_CHROMIUM", "/usr/bin/chromium"))
PLAYWRIGHT_DISABLED_FEATURES = (
    "AvoidUnnecessaryBeforeUnloadCheckSync", "DestroyProfileOnBrowserClose", "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable", "LensOverlay", "MediaRouter", "PaintHolding",
    "ThirdPartyStoragePartitioning", "AvoidCorsURLLoaderRestartOnRedirect", "OptimizationHints",
    "NetworkTimeServiceQuerying", "AimEnabled", "PreconnectToSearch")
"""The Chromium features Playwright 1.65 turns off itself. Chromium reads only the last
``--disable-features`` switch, so ours must repeat them."""
BROWSER_UI_FEATURES = ("WebUIOmniboxPopup", "WebUIOmniboxAimPopup")
"""Chromium 156 draws the address bar's drop-downs as web pages: every new window (each Playwright
context or tab) starts a renderer for them that takes ~1 s of CPU in its first second, on the cores the
page under test needs. Headless, nobody sees an address bar; a visitor's browser has long started its
own. Turned off so that a page's timings are the page's."""
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage",
                 "--disable-features=" + ",".join(PLAYWRIGHT_DISABLED_FEATURES + BROWSER_UI_FEATURES)]
PAGES = ("matrix", "timeline", "graph", "reader")
"""The app's pages, by ``st.navigation`` url_path."""
PAGE_PATHS = {"matrix": "", "timeline": "timeline", "graph": "graph", "reader": "reader"}
"""URL path of each page: the default page (the matrix) lives at the root."""
OFFLINE_PROXY = {"server": "http://127.0.0.1:9", "bypass": "127.0.0.1,localhost"}
"""Every request that is not to this machine goes to a proxy that is not there, so it fails: the
browser can only reach the local servers (no network in CI). Chromium's own blocking, not Playwright
request interception, which would switch the browser's HTTP cache off and slow every request."""
EXTERNAL = re.compile(r"^(?!https?://(127\.0\.0\.1|localhost)[:/])[a-z]+://")
"""URLs that are not on the local servers (``data:`` and ``about:`` URLs are not requests)."""
VIEWPORT = {"width": 1400, "height": 900}
TIMEOUT_MS = 60_000
"""How long a page may take to do anything (generous: CI machines can be slow and busy)."""

APP_IDLE = ('() => { const app = document.querySelector(\'[data-testid="stApp"]\');'
            ' return !!app && app.getAttribute("data-test-script-state") === "notRunning"'
            ' && app.getAttribute("data-test-connection-state") === "CONNECTED"; }')
"""JS predicate: the app is connected and its script is not running (a run has finished)."""

SOCKET_WATCH = """(() => {
  const seen = window.__elSocket = {lastSend: -1, lastRecv: -1};
  const Native = window.WebSocket;
  function Watched(url, protocols) {
    const ws = protocols === undefined ? new Native(url) : new Native(url, protocols);
    ws.addEventListener("message", () => { seen.lastRecv = performance.now(); });
    const send = ws.send.bind(ws);
    ws.send = (data) => { seen.lastSend = performance.now(); return send(data); };
    return ws;
  }
  Watched.prototype = Native.prototype;
  Object.assign(Watched, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
  window.WebSocket = Watched;
})();"""
"""Init script: when the page last sent to and received from the Streamlit server (its websocket).
A fast rerun can come and go between two frames, so that the app's "running" state is never drawn:
the socket still shows that the request went out and the answer came back."""
QUIET_MS = 150
"""A rerun the app never showed as running is finished once the socket has been quiet this long."""

WATCH_RUNS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  window.__elRuns = {started: 0, finished: 0, last: 0, t0: 0, watched: performance.now()};
  document.addEventListener("pointerdown", () => { if (!window.__elRuns.t0) {
    window.__elRuns.t0 = performance.now(); } }, {capture: true, once: true});
  if (window.__elObserver) { window.__elObserver.disconnect(); }
  window.__elObserver = new MutationObserver(() => {
    const s = app.getAttribute("data-test-script-state");
    if (s === "running" || s === "rerunRequested") { window.__elRuns.started += 1; }
    if (s === "notRunning" && window.__elRuns.started > 0) {
      window.__elRuns.finished += 1; window.__elRuns.last = performance.now(); }
  });
  window.__elObserver.observe(app, {attributes: true, attributeFilter: ["data-test-script-state"]});
}"""
"""JS: start counting script runs (to wait for the rerun a widget change triggers)."""

RUN_STARTED = """() => { const runs = window.__elRuns, ws = window.__elSocket;
  return !!runs && (runs.started > 0 || runs.finished > 0 || (!!ws && ws.lastSend >= runs.watched)); }"""
"""JS predicate: a run has started since :data:`WATCH_RUNS` (or its request went out)."""

RUN_DONE = """() => { const runs = window.__elRuns, ws = window.__elSocket;
  const app = document.querySelector('[data-testid="stApp"]');
  if (!runs || app.getAttribute("data-test-script-state") !== "notRunning") { return false; }
  if (runs.finished > 0) { return true; }
  return !!ws && ws.lastSend >= runs.watched && ws.lastRecv > ws.lastSend
    && performance.now() - ws.lastRecv > QUIET_MS; }""".replace("QUIET_MS", str(QUIET_MS))
"""JS predicate: a run started after :data:`WATCH_RUNS` has finished and the app is idle again (seen
as "running" then "notRunning", or, for a run too fast to be drawn, as a request answered and then a
quiet socket: needs :data:`SOCKET_WATCH`)."""

def chromium_problem() -> str | None:
    """Return why Chromium cannot be used (a message saying how to install it), or None."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return None
    return (f"Chromium is not installed at {CHROMIUM}: the browser tests need Debian's chromium "
            "package. Install it with `sudo apt-get install -y chromium` (bash scripts/test.sh does "
            "this), or point EXPERT_LENS_CHROMIUM at a Chromium binary.")


def launch_chromium(playwright: object, *, headless: bool = True) -> object:
    """Launch the Debian Chromium, offline but for this machine (raises RuntimeError when it is missing)."""
    problem = chromium_problem()
    if problem:
        raise RuntimeError(problem)
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=headless,
                                      args=CHROMIUM_ARGS, proxy=OFFLINE_PROXY)


def free_port() -> int:
    """Return a TCP port on localhost that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def valid_dataset(path: Path) -> bool:
    """True when ``path`` holds a dataset the app can load."""
    from analysis.store import DatasetError, load_dataset

    try:
        load_dataset(path)
    except (DatasetError, OSError):
        return False
    return True


class StreamlitServer:
    """``streamlit run app.py`` (or ``script``) on a free local port with ``EXPERT_LENS_DATA`` set."""

    def __init__(self, data: Path, *, log: Path, name: str = "app", script: Path | None = None) -> None:
        self.data = Path(data)
        self.script = str(script or "app.py")
        self.log_path = Path(log)
        self.name = name
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.startup_s = 0.0

    def start(self, *, timeout: float = 90.0) -> StreamlitServer:
        """Start the server and wait until /_stcore/health answers "ok"."""
        env = dict(os.environ, EXPERT_LENS_DATA=str(self.data), PYTHONUNBUFFERED="1")
        cmd = [sys.executable, "-m", "streamlit", "run", self.script, "--server.port", str(self.port),
               "--server.address", "127.0.0.1", "--server.headless", "true",
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
               "--server.runOnSave", "false"]
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit ({self.name}) exited with {self.proc.returncode}:\n"
                                   f"{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.base}/_stcore/health", timeout=2) as resp:
                    if resp.read().strip() == b"ok":
                        self.startup_s = time.perf_counter() - t0
                        return self
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"streamlit ({self.name}) not healthy after {timeout:.0f} s:\n{self.log_tail()}")

    def url(self, page: str = "", query: Iterable[tuple[str, str]] = ()) -> str:
        """Return the URL of ``page`` (a name in :data:`PAGES`, or a path) with these query parameters."""
        qs = urllib.parse.urlencode(list(query))
        return f"{self.base}/{PAGE_PATHS.get(page, page)}" + (f"?{qs}" if qs else "")

    def log_tail(self, n: int = 60) -> str:
        """Return the last ``n`` lines of the server log."""
        try:
            lines = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return "(no log)"
        return "\n".join(lines[-n:])

    def stop(self) -> None:
        """Stop the server (terminate, then kill after 10 s)."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def __enter__(self) -> StreamlitServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def wait_idle(page: object, *, timeout_ms: float = TIMEOUT_MS) -> None:
    """Wait until the app is connected and no script run is in progress."""
    page.wait_for_function(APP_IDLE, timeout=timeout_ms, polling=50)


def open_page(page: object, url: str, *, timeout_ms: float = TIMEOUT_MS) -> None:
    """Navigate to ``url`` and wait until the app has finished its first run."""
    page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
    page.wait_for_selector('[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]',
                           timeout=timeout_ms)
    wait_idle(page, timeout_ms=timeout_ms)


def watch_runs(page: object) -> None:
    """Start counting script runs on ``page`` (call before the action that triggers a rerun)."""
    page.evaluate(WATCH_RUNS)


def wait_rerun(page: object, *, timeout_ms: float = TIMEOUT_MS) -> None:
    """Wait until a rerun started after :func:`watch_runs` has finished."""
    page.wait_for_function(RUN_DONE, timeout=timeout_ms, polling=20)


# -- what "rendered" means on each page ------------------------------------------------------------

READY: dict[str, tuple[str, ...]] = {
    "matrix": (".el-plot[data-drawn] .main-svg", '.el-table[data-table="matrix_evidence"]'),
    "timeline": (".el-plot[data-drawn] .main-svg", '.el-table[data-table="timeline_sources"]'),
    "graph": (".el-graph canvas", '.el-table[data-table="graph_edges"]'),
    "reader": (".el-article .el-sent",),
}
"""Per page, the elements that are visible once its main content has rendered (the graph is drawn in
the page by static/graph.js; :func:`wait_rendered` also waits for its network to settle)."""

ERROR_SELECTORS = ('[data-testid="stException"]', '[data-testid="stAlertContentError"]')
ERROR_TEXT = re.compile(r"Traceback|\bError\b")

GRAPH_DRAWN = ("() => { const box = document.querySelector('#mynetwork');"
               " return !!box && !!box.querySelector('canvas') && box.dataset.stabilised === '1'; }")
"""JS predicate: vis-network has drawn in the graph's box (static/graph.js) and its layout has settled."""

INK_PIXELS = """() => {
  const canvas = document.querySelector('#mynetwork canvas');
  const ctx = canvas.getContext('2d');
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let ink = 0;
  for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) { ink += 1; } }
  return {ink: ink, total: canvas.width * canvas.height};
}"""
"""JS: how many pixels of the graph's vis-network canvas are not transparent."""


def graph_frame(page: object, *, timeout_ms: float = TIMEOUT_MS) -> object:
    """Return the frame the graph is drawn in (the page's own: no iframe) once vis-network has drawn and
    settled there."""
    try:
        page.wait_for_function(GRAPH_DRAWN, timeout=timeout_ms, polling=50)
    except Exception as error:
        raise AssertionError("the graph never drew a settled vis-network canvas") from error
    return page.main_frame


def wait_rendered(page: object, name: str, *, timeout_ms: float = TIMEOUT_MS) -> None:
    """Wait until page ``name``'s main content is visible and the app is idle (graph: drawn too)."""
    wait_idle(page, timeout_ms=timeout_ms)
    for selector in READY[name]:
        page.locator(selector).first.wait_for(state="visible", timeout=timeout_ms)
    if name == "graph":
        graph_frame(page, timeout_ms=timeout_ms)
    wait_idle(page, timeout_ms=timeout_ms)


def error_report(page: object) -> list[str]:
    """What on the page looks like an error: exception boxes, st.error alerts, error text."""
    found = [f"{sel} x{page.locator(sel).count()}" for sel in ERROR_SELECTORS if page.locator(sel).count()]
    text = page.locator('[data-testid="stApp"]').inner_text()
    found += [f"text {m.group(0)!r} in: ...{text[max(0, m.start() - 80):m.end() + 80]}..."
              for m in ERROR_TEXT.finditer(text)]
    return found
