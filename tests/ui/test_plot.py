"""The charts' plotly.js: the vendored bundle is the plotly package's plotly.js release and is served to the page."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import plotly.offline

from ui import plot, preload

ROOT = Path(__file__).resolve().parents[2]


def test_the_bundle_is_the_plotly_packages_version_of_plotly_js() -> None:
    head = plot.BUNDLE.read_text(encoding="utf-8")[:200]
    found = re.search(r"plotly\.js v(\S+) ", head)
    assert found and found.group(1) == plotly.offline.get_plotlyjs_version()


def test_the_app_serves_static_files_where_the_loader_fetches_the_bundle() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableStaticServing"] is True
    assert plot.BUNDLE.parent == ROOT / "static"
    assert f'"{plot.BUNDLE.name}"' in preload.loader_js() and "app/static/" in preload.loader_js()

