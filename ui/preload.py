"""Load what a page will need before it asks: the browser code of its widgets, charts and tables, the server's imports.

Streamlit's frontend fetches, compiles and runs the code of almost every
element (each widget, ``st.html``, the module that mounts custom components)
only when the first such element arrives, after the script has computed it,
and shows a placeholder until then; the same goes for the libraries our
components load, the charts' plotly.js (1.2 MB, ui/plot.py) and the graph's
vis-network (ui/graph.py): one wait after the other. Two scripts start all of
that at once, by the same URLs as Streamlit's own lazy imports:

- :func:`head_script` goes into the HTML of a page (ui/serve.py): plotly.js or
  vis-network start loading while Streamlit's own bundle does, and the page's
  Streamlit modules as soon as that bundle has run (before the page connects
  to the server), so they are ready when the first elements arrive;
- :func:`preload` sends the same, first thing in a run, as a hidden element:
  for a page opened from the app's navigation, which loads no new HTML.

They only warm the browser's caches: what the page shows does not change, and
without them (an unknown Streamlit build) the page just loads as before.

:func:`warm_up` does the same for the server: after a fresh server's first
run it imports the other pages' modules in a background thread, so the first
visit of each page does not wait for them.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import json
import threading
from pathlib import Path

import streamlit as st

CHUNKS = {"dataframe": "DataFrame", "plotly": "BidiComponent", "graph": "BidiComponent",
          "component": "BidiComponent", "html": "Html",
          "multiselect": "Multiselect", "selectbox": "Selectbox", "date_input": "DateInput", "radio": "Radio",
          "segmented_control": "ButtonGroup", "button": "Button", "download_button": "DownloadButton"}
"""Element -> stem of its module in Streamlit's frontend build (``static/js/<stem>.<hash>.js``); the
charts, the graph and the sidebar's filters are v2 custom components, mounted by Streamlit's BidiComponent
module."""
FRONTEND_JS = Path(st.__file__).resolve().parent / "static" / "static" / "js"
STATIC = Path(__file__).resolve().parent.parent / "static"
"""The app's own browser files, served at ``app/static/`` (``server.enableStaticServing``)."""
LOADER_JS = STATIC / "plotly-loader.js"
"""Defines ``window.expertLensLoadPlotly()``: loads the charts' plotly.js bundle once per tab (ui/plot.py)."""
PLOTLY_CALL = "window.expertLensLoadPlotly().catch(function () {});"
VIS_LOADER_JS = LOADER_JS.with_name("vis-loader.js")
"""Defines ``window.expertLensLoadVis()``: loads the graph's vis-network script and stylesheet once per
tab (ui/graph.py)."""
GRAPH_CALL = "window.expertLensLoadVis().catch(function () {});"
STATIC_LOADER_JS = LOADER_JS.with_name("static-loader.js")
"""Defines ``window.expertLensLoad(script, style)``, which both loaders above use."""

IMPORTS = """(function (files) {
  var entry = document.querySelector('script[type="module"][src*="/static/js/index."]');
  if (!entry) { return; }
  var done = window.expertLensPreloaded = window.expertLensPreloaded || {};
  files.forEach(function (file) {
    if (done[file]) { return; }
    done[file] = true;
    import(new URL("./" + file, entry.src).href).catch(function () { delete done[file]; });
  });
})(%s);"""
"""Import each module (by file name) relative to Streamlit's entry script, once per browser tab."""
SCRIPT = """<style>[data-testid="stElementContainer"]:has(.el-preload){display:none}</style>
<span class="el-preload"></span><script>%s%s</script>"""
"""The run's preload: the imports, then the loaders of the charts' plotly.js and the graph's vis-network
when asked. The element that carries the script (in the sidebar) is hidden: it takes no room."""
HEAD_SCRIPT = """<script>%s
document.addEventListener("DOMContentLoaded", function () {
%s
});</script>"""
"""The page's preload, in its HTML after Streamlit's entry script: plotly.js or vis-network start loading at
once; the Streamlit modules once the entry script has run (``DOMContentLoaded`` follows the module scripts),
so that they do not hold up Streamlit's own bundle."""


@functools.cache
def static_text(name: str) -> str:
    """The text of ``static/<name>``, read once per process."""
    return (STATIC / name).read_text(encoding="utf-8")


def loader_js() -> str:
    """The browser code that defines ``window.expertLensLoadPlotly()`` (static/plotly-loader.js)."""
    return static_text(STATIC_LOADER_JS.name) + static_text(LOADER_JS.name)


def vis_loader_js() -> str:
    """The browser code that defines ``window.expertLensLoadVis()`` (static/vis-loader.js)."""
    return static_text(STATIC_LOADER_JS.name) + static_text(VIS_LOADER_JS.name)


@functools.cache
def chunk_file(element: str) -> str | None:
    """File name of the frontend module that draws ``element`` (None when the build has no single one)."""
    found = sorted(FRONTEND_JS.glob(f"{CHUNKS[element]}.*.js"))
    return found[0].name if len(found) == 1 else None


def _parts(elements: tuple[str, ...]) -> tuple[str, str]:
    """The code that imports the Streamlit modules drawing ``elements`` ("" when this build has none), and
    the code that starts loading plotly.js (``"plotly"``) and vis-network (``"graph"``) if asked."""
    files = list(dict.fromkeys(name for name in (chunk_file(e) for e in elements if e in CHUNKS) if name))
    loaders = (("plotly", loader_js, PLOTLY_CALL), ("graph", vis_loader_js, GRAPH_CALL))
    code = "".join("\n" + source() + call for element, source, call in loaders if element in elements)
    return (IMPORTS % json.dumps(files) if files else ""), code


def preload_script(*elements: str) -> str | None:
    """The script that starts loading these elements' code (None when there is nothing to load).

    ``"plotly"`` is the charts' plotly.js bundle (ui/plot.py) and ``"graph"`` the graph's
    vis-network (ui/graph.py), each with the Streamlit module that mounts custom components;
    the other elements are Streamlit's own (:data:`CHUNKS`).
    """
    imports, code = _parts(elements)
    return SCRIPT % (imports, code) if imports or code else None


def head_script(*elements: str) -> str | None:
    """:func:`preload_script` for a page's HTML (:data:`HEAD_SCRIPT`; None when there is nothing to load)."""
    imports, code = _parts(elements)
    return HEAD_SCRIPT % (code, imports) if imports or code else None


def preload(*elements: str) -> None:
    """Start loading the browser code of ``elements`` ("plotly", "graph", "dataframe") now, in the background."""
    script = preload_script(*elements)
    if script:
        st.sidebar.html(script, unsafe_allow_javascript=True)


PAGE_MODULES = ("ui.matrix", "ui.timeline", "ui.graph", "ui.reader", "analysis.views", "analysis.graph")
"""What the pages import: pyvis alone takes 0.6 s to import (it pulls in IPython)."""
_warm_up: list[threading.Thread] = []
"""The warm-up thread, once started (at most one per process)."""
_warm_up_lock = threading.Lock()


def _import_all(modules: tuple[str, ...]) -> None:
    """Import ``modules`` (errors are left for the page that needs the module to show)."""
    for name in modules:
        with contextlib.suppress(Exception):
            importlib.import_module(name)


def warm_up(modules: tuple[str, ...] = PAGE_MODULES) -> None:
    """Once per server process, import every page's modules in a background thread.

    Called at the end of a run, so the first visit of each page does not wait for
    its imports (the page the user opened first has paid for its own already).
    """
    with _warm_up_lock:
        if _warm_up:
            return
        _warm_up.append(threading.Thread(target=_import_all, args=(modules,), name="expert-lens-warm-up",
                                         daemon=True))
    _warm_up[0].start()


def wait_warmed_up() -> None:
    """Start :func:`warm_up` if no run has, and wait until it has imported every page's modules."""
    warm_up()
    _warm_up[0].join()
