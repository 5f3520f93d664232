"""The shared sidebar filters, kept in the URL so that a copied link opens the same view.

Each filter is a query parameter: ``people``, ``actors``, ``articles``,
``questions`` (repeated for several values, e.g.
``?people=Anna+Kovalenko&people=Liu+Wei``; the value is the label shown in the
sidebar, an id is read too) and ``from`` / ``to`` (ISO days). The page is the
URL path (``st.navigation`` url_path). A session takes its filters from the URL
on its first run and writes them back on every run after a change; they live
in ``st.session_state`` under the same names (lists of ids, dates), set in
``app.py``'s run, so they survive a page switch.

The sidebar draws them with one component of its own (static/filters.js): a
picker per list, with the chosen values as removable chips and a list that
narrows as you type, two date fields and "Clear all", in plain DOM. Streamlit's
own multiselects, date popover and button took ~0.25 s of every page's first
render here (paired: matrix -0.26 s, faster in 7 of 8, with the component).

Pages read the values with :func:`current`, which returns the hashable
:class:`analysis.filters.Filters` that every view is computed from.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping

import pandas as pd
import streamlit as st

from analysis import schema as S
from analysis.filters import Filters
from analysis.store import Dataset
from analysis.views import headline
from ui.preload import static_text

PEOPLE, ACTORS, ARTICLES, QUESTIONS, DATE_FROM, DATE_TO = (
    "people", "actors", "articles", "questions", "from", "to")
LIST_KEYS = (PEOPLE, ACTORS, ARTICLES, QUESTIONS)
DATE_KEYS = (DATE_FROM, DATE_TO)
QUERY_PARAMS = LIST_KEYS + DATE_KEYS
"""Query parameter names of the shared filters (also their keys in ``st.session_state``)."""
COMPONENT_KEY = "shared_filters"
"""Key of the sidebar's filters component (not in the URL)."""
STARTED_KEY = "_filters_from_url"
"""Set once the session has taken its filters from the URL (its first run)."""
TITLES = {PEOPLE: "People", ACTORS: "Countries and organisations", ARTICLES: "Articles", QUESTIONS: "Questions"}
HELPS = {PEOPLE: "Articles that quote these people; in the matrix, only their opinions.",
         ACTORS: "Sentences, events and relations that involve one of these.",
         ARTICLES: "Only these articles.", QUESTIONS: "Only these questions (matrix columns)."}
DATES_HELP = "Events whose date overlaps the range, and articles published in it."


def _col(frame: pd.DataFrame, col: str) -> list[str]:
    """Column as a list of str ("" for missing)."""
    if col not in frame.columns:
        return [""] * len(frame)
    return ["" if pd.isna(v) else str(v) for v in frame[col]]


def _unique_labels(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Map ids to labels, appending the id to labels that would otherwise repeat."""
    counts: dict[str, int] = {}
    for _, label in pairs:
        counts[label] = counts.get(label, 0) + 1
    return {i: (label if counts[label] == 1 and label else f"{label} ({i})".strip()) for i, label in pairs}


def _day(value: str) -> dt.date | None:
    """Parse the ISO day at the start of ``value`` (None when it is not one)."""
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


@st.cache_data(max_entries=4, show_spinner=False)
def options(stamp: str, _ds: Dataset) -> dict[str, dict[str, str]]:
    """Filter choices per key as {id: label}, in display order; dates as {"min": iso, "max": iso}."""
    ds = _ds
    quoted = set(_col(ds[S.CLAIMS], S.PERSON_ID))
    people = [(p, n or p) for p, n in zip(_col(ds[S.PEOPLE], S.PERSON_ID), _col(ds[S.PEOPLE], "name"),
                                          strict=True) if p in quoted]
    people.sort(key=lambda pair: pair[1].lower())
    actors = [(a, n or a) for a, n in zip(_col(ds[S.ACTORS], S.ACTOR_ID), _col(ds[S.ACTORS], "name"),
                                          strict=True)]
    actors.sort(key=lambda pair: pair[1].lower())
    arts = ds[S.ARTICLES]
    rows = sorted(zip(_col(arts, "published"), _col(arts, S.ARTICLE_ID), _col(arts, "title"),
                      _col(arts, "file"), strict=True), key=lambda r: (r[0] == "", r[0], r[2]))
    articles = [(aid, headline(title or file or aid, limit=60)) for _, aid, title, file in rows]
    qs = ds[S.QUESTIONS]
    questions = [(q, lab or text or q) for q, lab, text in zip(_col(qs, S.QUESTION_ID), _col(qs, "label"),
                                                               _col(qs, "question"), strict=True)]
    days = [d for d in (_col(ds[S.EVENTS], "date_start") + _col(ds[S.EVENTS], "date_end")
                        + _col(arts, "published")) if _day(d)]
    dates = {"min": min(days)[:10], "max": max(days)[:10]} if days else {}
    return {PEOPLE: _unique_labels(people), ACTORS: _unique_labels(actors),
            ARTICLES: _unique_labels(articles), QUESTIONS: _unique_labels(questions), "dates": dates}


def clear_all() -> None:
    """Reset every shared filter (a widget callback: runs before the next rerun)."""
    for key in LIST_KEYS:
        st.session_state[key] = []
    for key in DATE_KEYS:
        st.session_state[key] = None


def read_change(value: object) -> dict[str, list[str] | dt.date | None] | None:
    """The filters the sidebar component sent (its "change" trigger), checked; None when malformed.

    Lists must be lists of strings (ids; unknown ids are dropped later, against the dataset's
    choices), dates ISO days or "" (none).
    """
    if not isinstance(value, Mapping):
        return None
    out: dict[str, list[str] | dt.date | None] = {}
    for key in LIST_KEYS:
        items = value.get(key, [])
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            return None
        out[key] = list(dict.fromkeys(items))
    for key in DATE_KEYS:
        day = value.get(key, "")
        if not isinstance(day, str):
            return None
        out[key] = _day(day) if day else None
    return out


def from_url(params: Mapping[str, list[str]], labels: Mapping[str, Mapping[str, str]]) -> dict:
    """The filters a URL's query parameters name: list values by label (or id), ISO days; unknown values
    are left out."""
    out: dict[str, list[str] | dt.date | None] = {}
    for key in LIST_KEYS:
        by_label = {label: i for i, label in labels[key].items()}
        ids = [by_label.get(v, v) for v in params.get(key, [])]
        out[key] = list(dict.fromkeys(i for i in ids if i in labels[key]))
    for key in DATE_KEYS:
        values = params.get(key, [])
        out[key] = _day(values[0]) if values else None
    return out


def to_url(chosen: Mapping[str, object], labels: Mapping[str, Mapping[str, str]]) -> dict[str, list[str]]:
    """The query parameters that say ``chosen``: each list by its labels, each date as an ISO day
    (empty lists for what is not set)."""
    out = {key: [labels[key].get(i, i) for i in chosen.get(key) or []] for key in LIST_KEYS}
    for key in DATE_KEYS:
        day = chosen.get(key)
        out[key] = [day.isoformat()] if isinstance(day, dt.date) else []
    return out


@functools.cache
def _component() -> Callable[..., object]:
    """Register the filters' component once per process (its code: static/filters.js)."""
    return st.components.v2.component("expert_lens_filters", js=static_text("filters.js"), isolate_styles=False)


def _on_change() -> None:
    """Take the filters the sidebar sent (a callback: runs before the rerun)."""
    change = read_change(getattr(st.session_state.get(COMPONENT_KEY), "change", None))
    if change is not None:
        st.session_state.update(change)


def _adopt(labels: Mapping[str, Mapping[str, str]]) -> None:
    """Make the session's filters whole: from the URL on its first run, then only choices the dataset
    still has."""
    ss = st.session_state
    if not ss.get(STARTED_KEY):
        params = {key: st.query_params.get_all(key) for key in QUERY_PARAMS}
        ss.update(from_url(params, labels))
        ss[STARTED_KEY] = True
    for key in LIST_KEYS:
        ss[key] = [i for i in ss.get(key) or [] if i in labels[key]]
    for key in DATE_KEYS:
        if not isinstance(ss.get(key), dt.date):
            ss[key] = None


def _to_address_bar(labels: Mapping[str, Mapping[str, str]]) -> None:
    """Put the filters in the URL (only the parameters that changed)."""
    for key, values in to_url(st.session_state, labels).items():
        if st.query_params.get_all(key) == values:
            continue
        if values:
            st.query_params[key] = values
        elif key in st.query_params:
            del st.query_params[key]


def sidebar(ds: Dataset, stamp: str) -> Filters:
    """Draw the shared filters in the sidebar, keep them in the URL, and return their values."""
    opts = options(stamp, ds)
    labels = {k: opts[k] for k in LIST_KEYS}
    _adopt(labels)
    _to_address_bar(labels)
    ss = st.session_state
    days = opts["dates"]
    lo, hi = (_day(days.get(k, "")) for k in ("min", "max"))
    data = {
        "fields": [{"key": key, "label": TITLES[key], "help": HELPS[key], "options": list(labels[key].items()),
                    "chosen": ss[key]} for key in LIST_KEYS],
        "dates": {"label": "Dates", "help": DATES_HELP,
                  "min": lo.replace(month=1, day=1).isoformat() if lo else "",
                  "max": hi.replace(month=12, day=31).isoformat() if hi else "",
                  DATE_FROM: _iso_day(DATE_FROM) or "", DATE_TO: _iso_day(DATE_TO) or ""},
    }
    with st.sidebar:
        st.header("Filters")
        _component()(key=COMPONENT_KEY, data=data, on_change_change=_on_change)
        st.caption("The filters and the page are in the address bar: copy it to share this view.")
    return current()


def _iso_day(key: str) -> str | None:
    """The ISO day date filter ``key`` holds (None: no day)."""
    value = st.session_state.get(key)
    return value.isoformat() if isinstance(value, dt.date) else None


def current() -> Filters:
    """Return the filters now set in the sidebar (empty filters before the sidebar has run)."""
    ss = st.session_state

    def many(key: str) -> tuple[str, ...]:
        return tuple(sorted(str(v) for v in (ss.get(key) or ())))

    lo, hi = _iso_day(DATE_FROM), _iso_day(DATE_TO)
    if lo and hi and lo > hi:
        lo, hi = hi, lo
    return Filters(people=many(PEOPLE), actors=many(ACTORS), articles=many(ARTICLES),
                   questions=many(QUESTIONS), date_from=lo, date_to=hi)
