"""Draw the timeline: events by date with their precision visible, their sources, and the downloads.

One row per event. A day-precise event is a dot; a month-, season- or
year-precise one is a bar across the days it covers. Events reported by
several sources get a bigger dot, a bold label and a "N sources" note, so the
events an analyst asks for by name stand out. Colours are Okabe-Ito; all
article text is HTML-escaped before it reaches plotly.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import streamlit as st

from analysis import schema as S
from analysis.views import TimelineView, csv_bytes, headline, timelinejs
from ui import esc, quote_esc
from ui.plot import Figure, plot
from ui.table import READER_LINK, Column, table

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000")
OTHER = "#999999"
MAX_EVENTS = 150
FOCUS_MONTHS = 18
COLOR_KEY = "color"
COLOR_OPTIONS = ("actors", "article")
"""Query parameter ``color``: colour the events by their actors or by their article."""
CHART_KEY = "timeline_chart"
DAY_MS = 86_400_000


def color_by() -> str:
    """The colour-by radio (bound to the URL); return "actors" or "article"."""
    return st.radio("Colour by", COLOR_OPTIONS, horizontal=True, key=COLOR_KEY, bind="query-params") \
        or COLOR_OPTIONS[0]


def _shown(events: pd.DataFrame) -> pd.DataFrame:
    """The events to draw: all of them, or the best-sourced MAX_EVENTS, in date order."""
    if len(events) <= MAX_EVENTS:
        return events
    top = events.sort_values(["n_sources", "date_start"], ascending=[False, True], kind="stable")
    return top.head(MAX_EVENTS).sort_values(["date_start", "date_end"], kind="stable")


def _labels(events: pd.DataFrame) -> list[str]:
    """Unique, escaped y-axis labels: date at its precision, then the headline; bold when merged."""
    out, seen = [], {}
    for row in events.itertuples(index=False):
        text = esc(f"{row.date_label} · {headline(row.headline, limit=55)}")
        seen[text] = seen.get(text, 0) + 1
        if seen[text] > 1:
            text += f" ({seen[text]})"
        out.append(f"<b>{text}</b>" if row.n_sources > 1 else text)
    return out


def _hover(row: object) -> str:
    """Hover text of an event: date and precision, actors, sources, the sentence."""
    extra = " (date uncertain)" if row.uncertain else ""
    return (f"<b>{esc(row.date_label)}</b> · {esc(row.precision)} precision{extra}<br>"
            f"{esc(row.actor_names)}<br>{row.n_sources} source sentence(s) in {esc(row.article)}<br>"
            f"<i>{quote_esc(row.text)}</i>")


def _window(events: pd.DataFrame) -> tuple[dt.date, int]:
    """Start of the initial view and how many events end before it.

    The view opens on the FOCUS_MONTHS before the latest event when at least
    half the events fall in them (a few old dates, e.g. a treaty from 1961,
    would otherwise squeeze the story into a sliver); else on every event.
    """
    first = dt.date.fromisoformat(events["date_start"].min())
    last = dt.date.fromisoformat(events["date_end"].max())
    cut = (last - dt.timedelta(days=round(FOCUS_MONTHS * 30.44))).isoformat()
    inside = events["date_end"] >= cut
    if first.isoformat() >= cut or inside.mean() < 0.5:
        return first, 0
    start = max(cut, events.loc[inside, "date_start"].min())
    return dt.date.fromisoformat(start), int((~inside).sum())


def _groups(ev: pd.DataFrame, color: str) -> tuple[list[str], dict[str, str]]:
    """Colour group of each event (its actors or its article; rare ones "other") and group colours."""
    groups = ev["actor_names" if color == "actors" else "article"].fillna("").replace("", "unknown")
    ranked = list(groups.value_counts().index)
    colours = {g: PALETTE[i] if i < len(PALETTE) else OTHER for i, g in enumerate(ranked)}
    colours["other"] = OTHER
    return [g if colours[g] != OTHER else "other" for g in groups], colours


def _group_traces(name: str, part: pd.DataFrame, colour: str) -> list[dict]:
    """Bars for the group's spans and dots (sized by sources, hollow when uncertain) for its days."""
    spans, points = part[~part["point"]], part[part["point"]]
    common = {"legendgroup": name, "name": esc(name), "hovertemplate": "%{hovertext}<extra></extra>"}
    traces = []
    if len(spans):
        start = pd.to_datetime(spans["date_start"])
        width = (pd.to_datetime(spans["date_end"]) - start).dt.days.add(1) * DAY_MS
        traces.append({"type": "bar", "base": list(spans["date_start"]), "x": list(width), "y": list(spans["y"]),
                       "orientation": "h", "width": 0.6,
                       "marker": {"color": colour, "opacity": [0.55 if u else 0.9 for u in spans["uncertain"]]},
                       "hovertext": list(spans["hover"]), "customdata": list(spans[S.EVENT_ID]), **common})
    if len(points):
        traces.append({
            "type": "scatter", "x": list(points["date_start"]), "y": list(points["y"]), "mode": "markers",
            "marker": {"color": colour, "size": [min(12 + 5 * (n - 1), 30) for n in points["n_sources"]],
                       "symbol": ["circle-open" if u else "circle" for u in points["uncertain"]],
                       "line": {"width": 2, "color": colour}},
            "hovertext": list(points["hover"]), "customdata": list(points[S.EVENT_ID]),
            "showlegend": len(spans) == 0, **common})
    return traces


def figure(tv: TimelineView, *, color: str) -> Figure:
    """Return the timeline chart: bars for spans, dots for days, sized and labelled by sources.

    Plain dicts (see :mod:`ui.plot`; tests/ui/test_figures.py validates them with ``go.Figure``).
    """
    ev = _shown(tv.events).copy()
    ev["y"] = _labels(ev)
    ev["hover"] = [_hover(r) for r in ev.itertuples(index=False)]
    ev["group"], colours = _groups(ev, color)
    traces = [trace for name, part in ev.groupby("group", sort=False)
              for trace in _group_traces(name, part, colours[name])]
    first, _ = _window(ev)
    last = dt.date.fromisoformat(ev["date_end"].max())
    pad = dt.timedelta(days=max((last - first).days, 60) * 0.03)
    merged = ev[ev["n_sources"] > 1]
    if len(merged):
        traces.append({
            "type": "scatter", "x": [(dt.date.fromisoformat(d) + 1.5 * pad).isoformat() for d in merged["date_end"]],
            "y": list(merged["y"]), "mode": "text", "textposition": "middle right", "hoverinfo": "skip",
            "showlegend": False, "text": [f"{n} sources" for n in merged["n_sources"]],
            "textfont": {"size": 12, "color": "#222222"}})
    layout = {
        "height": 150 + 30 * len(ev), "barmode": "overlay", "clickmode": "event+select",
        "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
        "hoverlabel": {"align": "left", "bgcolor": "#FFFFFF", "bordercolor": "#777777",
                       "font": {"color": "#222222", "size": 13}},
        "legend": {"orientation": "h", "y": -0.02, "yanchor": "top", "x": 0,
                   "title": {"text": "Actors " if color == "actors" else "Article "}},
        "plot_bgcolor": "#FFFFFF",
        "xaxis": {"type": "date", "range": [(first - 2 * pad).isoformat(), (last + 8 * pad).isoformat()],
                  "showgrid": True, "gridcolor": "#EEEEEE", "side": "top"},
        "yaxis": {"autorange": "reversed", "type": "category", "categoryorder": "array",
                  "categoryarray": list(ev["y"]), "automargin": True,
                  "tickfont": {"size": 13, "color": "#222222"}},
    }
    return {"data": traces, "layout": layout}


def chart(tv: TimelineView, *, color: str) -> list[str]:
    """Show the timeline; return the ids of the events clicked (empty when none)."""
    picked = plot(figure(tv, color=color), key=CHART_KEY)
    st.caption("A dot is a day-precise date; a bar spans the month, season or year the text gives. "
               "Bigger dots and bold labels mark events reported by several sources; hollow or faded "
               "ones have an uncertain date.")
    shown = _shown(tv.events)
    start, hidden = _window(shown)
    if hidden:
        first = shown["date_start"].min()[:4]
        st.caption(f"{_n(hidden, 'earlier event')} ({first} to {start.year}) lie left of the view: "
                   "drag the chart or double-click it to see every date.")
    if len(tv.events) > MAX_EVENTS:
        st.caption(f"Showing the {MAX_EVENTS} best-sourced of {len(tv.events)} events; the table and "
                   "the downloads include them all.")
    return [data for data in picked if isinstance(data, str)]


SOURCE_COLUMNS = {
    "date_label": Column("Date", nowrap=True),
    "precision": Column("Precision", nowrap=True),
    "headline": Column("Event", width="18%"),
    "sentence": Column("Source sentence", width="40%"),
    "title": Column("Article", width="18%"),
    "published": Column("Published", nowrap=True),
    "link": READER_LINK,
}


def _n(count: int, noun: str) -> str:
    """"1 event", "3 events"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def sources(tv: TimelineView, selected: list[str]) -> None:
    """The table linking each event to its source sentences (only the clicked events, if any)."""
    src = tv.sources
    if selected:
        src = src[src[S.EVENT_ID].isin(selected)]
        st.caption(f"Sources of the {_n(len(selected), 'selected event')}; click an empty spot to show all.")
    else:
        st.caption(f"{_n(len(tv.events), 'event')} from {_n(len(src), 'source sentence')}.")
    table(src, SOURCE_COLUMNS, key="timeline_sources")


def downloads(tv: TimelineView, *, color: str) -> None:
    """Offer the events with their sources as CSV and as TimelineJS JSON."""
    group = "actor" if color == "actors" else "article"
    left, right = st.columns(2)
    with left:
        st.download_button("Download events (CSV)", data=lambda: csv_bytes(tv.sources),
                           file_name="expert-lens-timeline.csv", mime="text/csv", on_click="ignore",
                           icon=":material/download:", key="timeline_csv")
    with right:
        st.download_button("Download for TimelineJS (JSON)",
                           data=lambda: json.dumps(timelinejs(tv.events, tv.sources, group_by=group),
                                                   ensure_ascii=False, indent=1).encode("utf-8"),
                           file_name="expert-lens-timeline.json", mime="application/json",
                           on_click="ignore", icon=":material/download:", key="timeline_json")
