"""Load the built dataset once, and derived views once per filter set.

The dataset folder comes from a setting: the ``EXPERT_LENS_DATA`` environment
variable, else ``EXPERT_LENS_DATA`` in ``st.secrets``, else ``data/`` next to
``app.py``. The loaded :class:`Dataset` is cached per folder and manifest
stamp (modification time and size), so a rebuild is picked up on the next
rerun and nothing is re-read otherwise. It and the views the pages derive from
it (keyed by dataset stamp, view name and :class:`Filters`) are cached as
shared resources, without a copy per rerun: they are large and never mutated.

A missing or invalid dataset stops the page with a message that says how to
build it, never a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import streamlit as st

from analysis import schema
from analysis.filters import Filters, apply_filters
from analysis.store import Dataset, DatasetError, load_dataset, read_manifest

T = TypeVar("T")

DATA_SETTING = "EXPERT_LENS_DATA"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = PROJECT_ROOT / "data"


def data_dir() -> Path:
    """Return the dataset folder named by the setting (env var, then secrets, then data/)."""
    value = os.environ.get(DATA_SETTING, "").strip()
    if not value and st.secrets.load_if_toml_exists():
        value = str(st.secrets.get(DATA_SETTING, "") or "").strip()
    return Path(value).expanduser() if value else DEFAULT_DATA


def build_command(path: Path) -> str:
    """Return the command that builds the dataset into ``path`` from the seed corpus."""
    try:
        out = path.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        out = str(path)
    return f"python -m analysis build --corpus seeds --out {out}"


def _stamp(path: Path) -> str:
    """Version stamp of the dataset at ``path``; raises DatasetError when it is not a dataset."""
    read_manifest(path)
    st_ = (path / schema.MANIFEST).stat()
    return f"{st_.st_mtime_ns}:{st_.st_size}"


@st.cache_resource(max_entries=2, show_spinner="Loading the dataset…")
def _load(path: str, stamp: str) -> Dataset:
    """Load the dataset at ``path`` (``stamp`` only keys the cache)."""
    return load_dataset(Path(path))


def _ensure_router() -> None:
    """Rerun through app.py when Streamlit ran a page file directly.

    On the first request to a fresh server, Streamlit's legacy ``pages/``
    folder mode runs the page named in the URL without running ``app.py``
    (it only switches to ``st.navigation`` once app.py has run once). The page
    then lacks the sidebar and page config; switching the legacy mode off and
    rerunning serves the same URL through the router.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # pragma: no cover - internal module moved
        return
    if getattr(PagesManager, "uses_pages_directory", False):
        PagesManager.uses_pages_directory = False
        st.rerun()


def _missing(path: Path, reason: str) -> None:
    """Explain that there is no usable dataset and how to build one, then stop the page."""
    st.error(f"No dataset to show: {reason}", icon=":material/database:")
    st.info("Build the dataset from the seed articles, then reload this page:", icon=":material/build:")
    st.code(build_command(path), language="bash")
    st.caption(f"The dataset folder is set by the {DATA_SETTING} environment variable or secret "
               f"(default: data/). Current folder: {path}")
    st.stop()


def dataset() -> Dataset:
    """Return the cached dataset, or show how to build it and stop the page."""
    _ensure_router()
    path = data_dir()
    try:
        return _load(str(path.resolve()), _stamp(path))
    except DatasetError as exc:
        _missing(path, str(exc))
    except OSError as exc:
        _missing(path, f"{path} cannot be read ({exc.__class__.__name__})")
    raise AssertionError("unreachable")  # st.stop() raises


def dataset_stamp() -> str:
    """Return a key that changes whenever the dataset is rebuilt (folder and manifest stamp)."""
    path = data_dir()
    try:
        return f"{path.resolve()}|{_stamp(path)}"
    except (DatasetError, OSError):
        return f"{path}|missing"


@st.cache_resource(max_entries=48, show_spinner=False)
def _view(name: str, stamp: str, filters: Filters, _build: Callable[[Dataset], T], _ds: Dataset) -> T:
    """Cached ``_build(apply_filters(_ds, filters))``, keyed by view name, dataset stamp and filters."""
    return _build(apply_filters(_ds, filters))


def view(build: Callable[[Dataset], T], filters: Filters) -> T:
    """Return ``build`` applied to the filtered dataset, computed once per dataset version and filters.

    The result is shared between reruns and sessions without a copy (a 10,000-article
    view would cost a pickle round trip per rerun with ``st.cache_data``): treat it as
    read-only.
    """
    ds = dataset()
    name = f"{build.__module__}.{build.__qualname__}"
    return _view(name, dataset_stamp(), filters, build, ds)
