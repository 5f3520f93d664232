"""Preloading: each page asks the browser early for the Streamlit modules it draws with, nothing else."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from ui import preload


def test_the_modules_exist_in_this_streamlit_build() -> None:
    for element in preload.CHUNKS:
        name = preload.chunk_file(element)
        assert name and (preload.FRONTEND_JS / name).is_file(), element


def test_the_script_imports_by_the_entry_script_url_and_hides_its_element() -> None:
    script = preload.preload_script("plotly", "dataframe")
    assert f'"{preload.chunk_file("plotly")}"' in script and f'"{preload.chunk_file("dataframe")}"' in script
    assert "import(new URL(" in script and "display:none" in script


def test_an_unknown_build_sends_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setattr(preload, "FRONTEND_JS", tmp_path)
    preload.chunk_file.cache_clear()
    try:
        assert preload.preload_script("plotly") is None
    finally:
        preload.chunk_file.cache_clear()


def _preloaded(at: AppTest) -> list[str]:
    """The modules the run asked the browser to preload (from the hidden element in the sidebar)."""
    return [element for element in preload.CHUNKS
            for node in at.sidebar if getattr(node, "proto", None) is not None
            and preload.chunk_file(element) in str(node.proto)]


@pytest.mark.parametrize(("page", "expected"), [
    ("pages/matrix.py", ["plotly", "dataframe"]),
    ("pages/timeline.py", ["plotly", "dataframe"]),
    ("pages/graph.py", ["dataframe"]),
    ("pages/reader.py", []),
])
def test_each_page_preloads_what_it_draws(make_app: Callable[..., AppTest], page: str,
                                          expected: list[str]) -> None:
    at = make_app(page=page).run()
    assert not at.exception
    assert _preloaded(at) == expected
