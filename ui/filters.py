"""The shared sidebar filters, bound to the URL so that a copied link opens the same view.

Each widget is bound to a query parameter named after its key (Streamlit's
``bind="query-params"``): ``people``, ``actors``, ``articles``, ``questions``
(repeated for several values, e.g. ``?people=Anna+Kovalenko&people=Liu+Wei``;
the value is the label shown in the widget) and ``from`` / ``to`` (ISO days).
The page is the URL path (``st.navigation`` url_path). The widgets live in
``app.py``'s run, so their values survive a page switch.

The two dates sit in a popover whose button says the range they hold: the
browser draws date inputs only once the popover is opened, and two of them took
0.1 to 0.2 s of every page's first render here.

Pages read the values with :func:`current`, which returns the hashable
:class:`analysis.filters.Filters` that every view is computed from.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from analysis import schema as S
from analysis.filters import Filters
from analysis.store import Dataset
from analysis.views import headline

PEOPLE, ACTORS, ARTICLES, QUESTIONS, DATE_FROM, DATE_TO = (
    "people", "actors", "articles", "questions", "from", "to")
LIST_KEYS = (PEOPLE, ACTORS, ARTICLES, QUESTIONS)
DATE_KEYS = (DATE_FROM, DATE_TO)
QUERY_PARAMS = LIST_KEYS + DATE_KEYS
"""Query parameter names of the shared filters (also their widget keys)."""
DATES_KEY = "dates"
"""Key of the popover that holds the two dates (not in the URL)."""


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


def sidebar(ds: Dataset, stamp: str) -> Filters:
    """Draw the shared filters in the sidebar and return their values."""
    opts = options(stamp, ds)
    labels = {k: opts[k] for k in LIST_KEYS}
    titles = {PEOPLE: "People", ACTORS: "Countries and organisations", ARTICLES: "Articles",
              QUESTIONS: "Questions"}
    helps = {PEOPLE: "Articles that quote these people; in the matrix, only their opinions.",
             ACTORS: "Sentences, events and relations that involve one of these.",
             ARTICLES: "Only these articles.", QUESTIONS: "Only these questions (matrix columns)."}
    with st.sidebar:
        st.header("Filters")
        for key in (PEOPLE, ACTORS):
            _multiselect(key, titles[key], labels[key], helps[key])
        lo, hi = (_day(opts["dates"].get(k, "")) for k in ("min", "max"))
        lo = lo.replace(month=1, day=1) if lo else None
        hi = hi.replace(month=12, day=31) if hi else None
        with st.popover(dates_label(), icon=":material/calendar_month:", width="stretch", key=DATES_KEY):
            left, right = st.columns(2)
            with left:
                st.date_input("From", value=None, min_value=lo, max_value=hi, key=DATE_FROM,
                              bind="query-params", format="YYYY-MM-DD",
                              help="Events whose date overlaps the range, and articles published in it.")
            with right:
                st.date_input("To", value=None, min_value=lo, max_value=hi, key=DATE_TO,
                              bind="query-params", format="YYYY-MM-DD")
        for key in (ARTICLES, QUESTIONS):
            _multiselect(key, titles[key], labels[key], helps[key])
        f = current()
        st.button("Clear all", on_click=clear_all, disabled=f.is_empty(), key="clear_all",
                  icon=":material/filter_alt_off:", width="stretch")
        st.caption("The filters and the page are in the address bar: copy it to share this view.")
    return f


def _widget_day(key: str) -> str | None:
    """The ISO day date filter ``key``'s widget holds (None: no day, or no widget yet)."""
    value = st.session_state.get(key)
    return value.isoformat() if isinstance(value, dt.date) else None


def _chosen_day(key: str) -> str | None:
    """The ISO day held by date filter ``key``: its widget's, else (before the widget exists in this
    session) the URL's; None when there is none."""
    if key in st.session_state:
        return _widget_day(key)
    day = _day(str(st.query_params.get(key, "")))
    return day.isoformat() if day else None


def dates_label() -> str:
    """The date popover's button: the range it holds ("Dates: any", "From 2024-06-01", ...)."""
    lo, hi = _chosen_day(DATE_FROM), _chosen_day(DATE_TO)
    if lo and hi:
        return f"{lo} \u2013 {hi}"
    if lo:
        return f"From {lo}"
    return f"Until {hi}" if hi else "Dates: any"


def _multiselect(key: str, label: str, choices: dict[str, str], help_text: str) -> None:
    """One URL-bound multiselect over ids, showing labels."""
    st.multiselect(label, list(choices), format_func=lambda i: choices.get(i, i), key=key,
                   bind="query-params", placeholder="All", help=help_text)


def current() -> Filters:
    """Return the filters now set in the sidebar (empty filters before the sidebar has run)."""
    ss = st.session_state

    def many(key: str) -> tuple[str, ...]:
        return tuple(sorted(str(v) for v in (ss.get(key) or ())))

    lo, hi = _widget_day(DATE_FROM), _widget_day(DATE_TO)
    if lo and hi and lo > hi:
        lo, hi = hi, lo
    return Filters(people=many(PEOPLE), actors=many(ACTORS), articles=many(ARTICLES),
                   questions=many(QUESTIONS), date_from=lo, date_to=hi)
