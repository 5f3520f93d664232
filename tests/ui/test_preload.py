"""Preloading: each page asks the browser early for the code it draws with (Streamlit's modules, the charts'
plotly.js, the graph's vis-network), nothing else."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from ui import preload


def test_the_modules_exist_in_this_streamlit_build() -> None:
    for element in preload.CHUNKS:
        name = preload.chunk_file(element)
        assert name and (preload.FRONTEND_JS / name).is_file(), element


def test_the_head_script_starts_the_libraries_at_once_and_the_modules_once_streamlit_has_run() -> None:
    script = preload.head_script("plotly", "multiselect")
    assert script.startswith("<script>") and script.endswith("</script>")
    loaders, modules = script.split('document.addEventListener("DOMContentLoaded"')
    assert preload.PLOTLY_CALL in loaders and preload.loader_js() in loaders
    assert f'"{preload.chunk_file("multiselect")}"' in modules and "import(new URL(" in modules
    assert f'"{preload.chunk_file("plotly")}"' in modules   # Streamlit's module that mounts v2 components
    assert preload.head_script() is None and "el-preload" not in script


def test_the_script_imports_by_the_entry_script_url_and_hides_its_element() -> None:
    script = preload.preload_script("plotly", "dataframe")
    assert f'"{preload.chunk_file("dataframe")}"' in script
    assert "import(new URL(" in script and "display:none" in script


def test_the_script_starts_loading_the_charts_plotly_bundle() -> None:
    script = preload.preload_script("plotly")
    assert f'"{preload.chunk_file("plotly")}"' in script   # Streamlit's module that mounts v2 components
    assert preload.loader_js() in script and script.rstrip().endswith(preload.PLOTLY_CALL + "</script>")
    assert "plotly-expert-lens.min.js" in preload.loader_js()


def test_the_graph_script_starts_loading_vis_network_and_its_component_module() -> None:
    script = preload.preload_script("graph")
    assert f'"{preload.chunk_file("graph")}"' in script   # Streamlit's module that mounts v2 components
    assert preload.vis_loader_js() in script and script.rstrip().endswith(preload.GRAPH_CALL + "</script>")
    assert "vis-network.min.js" in preload.vis_loader_js() and "vis-network.css" in preload.vis_loader_js()
    assert preload.PLOTLY_CALL not in script


def test_an_unknown_build_sends_only_the_loaders(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setattr(preload, "FRONTEND_JS", tmp_path)
    preload.chunk_file.cache_clear()
    try:
        assert preload.preload_script("dataframe") is None
        assert preload.PLOTLY_CALL in preload.preload_script("plotly", "dataframe")
        assert preload.GRAPH_CALL in preload.preload_script("graph", "dataframe")
    finally:
        preload.chunk_file.cache_clear()


def _preloaded(at: AppTest) -> list[str]:
    """What the run asked the browser to preload (from the hidden element in the sidebar)."""
    markers = {"plotly": preload.PLOTLY_CALL, "graph": preload.GRAPH_CALL,
               **{e: preload.chunk_file(e) for e in preload.CHUNKS if e not in ("plotly", "graph", "component")}}
    # ("component" is the module that mounts the charts and the graph too: their markers say it)
    return [element for element, marker in markers.items()
            for node in at.sidebar if getattr(node, "proto", None) is not None and marker in str(node.proto)]


@pytest.mark.parametrize(("page", "expected"), [
    ("pages/matrix.py", ["plotly", "selectbox", "button", "download_button"]),
    ("pages/timeline.py", ["plotly", "radio", "button", "download_button"]),
    ("pages/graph.py", ["graph", "selectbox", "segmented_control", "button", "download_button"]),
    ("pages/reader.py", ["selectbox"]),
])
def test_each_page_preloads_what_it_draws(make_app: Callable[..., AppTest], page: str,
                                          expected: list[str]) -> None:
    at = make_app(page=page).run()
    assert not at.exception
    assert _preloaded(at) == expected
