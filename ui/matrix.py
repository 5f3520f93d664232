"""Draw the opinion matrix: a plotly heatmap of people x questions, its evidence and its download.

Stance colours are Okabe-Ito (colour-blind safe) and every cell also says its
stance in words. All text from articles is HTML-escaped before it reaches
plotly (which renders a subset of HTML in labels and hovers) and in the
evidence table (:mod:`ui.table`). The chart is drawn by :mod:`ui.plot`.
"""

from __future__ import annotations

import textwrap

import streamlit as st

from analysis import schema as S
from analysis.views import NO_VIEW, MatrixView, csv_bytes
from ui import esc, quote_esc, wrap_esc
from ui.plot import Figure, clicked, plot
from ui.table import READER_LINK, Column, table

COLOURS = {"yes": "#0072B2", "no": "#E69F00", "mixed": "#CC79A7", NO_VIEW: "#EDEDED"}
CODES = {NO_VIEW: 0, "yes": 1, "no": 2, "mixed": 3}
MAX_ROWS = 80
WRAP_UP_TO = 9
CHART_KEY = "matrix_chart"
PERSON_KEY, QUESTION_KEY = "person", "question"
"""Query parameters (and widget keys) of the chosen cell."""


def _hover(row: object, question: str) -> str:
    """Hover text of one cell: person, question, stance with counts, deciding sentence, source."""
    counts = f"{row.n_yes} yes, {row.n_no} no, {row.n_mixed} mixed"
    when = f", {esc(row.published)}" if row.published else ""
    return (f"<b>{esc(row.person)}</b><br>{wrap_esc(question)}<br>"
            f"<b>Stance: {esc(row.stance)}</b> ({counts} sentences)<br>"
            f"<i>{quote_esc(row.text)}</i><br>— {esc(row.title)}{when}")


def _unique(labels: list[str]) -> list[str]:
    """Make category labels unique (two people of the same name must not share a row)."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def figure(mv: MatrixView) -> Figure:
    """Return the matrix heatmap with a legend, split counts under each question and escaped hovers."""
    people = mv.people[:MAX_ROWS]
    pidx = {p: i for i, (p, _) in enumerate(people)}
    qidx = {q: j for j, (q, _) in enumerate(mv.questions)}
    wrap = 10 if len(mv.questions) <= WRAP_UP_TO else 200   # many columns: one line, tilted
    xs = ["<br>".join(f"<b>{esc(line)}</b>" for line in textwrap.wrap(lab, wrap, break_long_words=False))
          + f"<br><span style='font-size:11px'>{esc(mv.split.get(q, ''))}</span>" for q, lab in mv.questions]
    ys = _unique([esc(name) for _, name in people])
    z = [[CODES[NO_VIEW]] * len(xs) for _ in ys]
    words = [[""] * len(xs) for _ in ys]
    hovers = [[f"<b>{y}</b><br>{esc(lab)}: no stated view" for _, lab in mv.questions] for y in ys]
    full = dict(zip(mv.cells[S.QUESTION_ID], mv.cells["question"], strict=True))
    px_, py_, hov, ids = [], [], [], []
    for row in mv.cells.itertuples(index=False):
        i, j = pidx.get(row.person_id), qidx.get(row.question_id)
        if i is None or j is None:
            continue
        z[i][j] = CODES.get(row.stance, CODES["mixed"])
        words[i][j] = row.stance
        px_.append(xs[j])
        py_.append(ys[i])
        hovers[i][j] = _hover(row, full.get(row.question_id) or row.label)
        hov.append(hovers[i][j])
        ids.append([row.person_id, row.question_id])
    order = [NO_VIEW, "yes", "no", "mixed"]
    scale = []
    for k, name in enumerate(order):
        scale += [[k / len(order), COLOURS[name]], [(k + 1) / len(order), COLOURS[name]]]
    traces = [
        {"type": "heatmap", "z": z, "x": xs, "y": ys, "text": words, "texttemplate": "%{text}",
         "zmin": -0.5, "zmax": 3.5, "colorscale": scale, "showscale": False, "xgap": 3, "ygap": 3,
         "customdata": hovers, "hovertemplate": "%{customdata}<extra></extra>", "textfont": {"size": 13}},
        {"type": "scatter", "x": px_, "y": py_, "mode": "markers", "customdata": ids, "hovertext": hov,
         "hovertemplate": "%{hovertext}<extra></extra>", "showlegend": False,
         "marker": {"symbol": "square", "size": 36, "opacity": 0.01, "color": "#000000"},
         "selected": {"marker": {"opacity": 0.01}}, "unselected": {"marker": {"opacity": 0.01}}},
    ] + [{"type": "scatter", "x": [None], "y": [None], "mode": "markers", "name": name, "hoverinfo": "skip",
          "marker": {"symbol": "square", "size": 14, "color": COLOURS[name],
                     "line": {"width": 1, "color": "#999999"}}}
         for name in ("yes", "no", "mixed", NO_VIEW)]
    layout = {
        "height": 150 + 44 * len(ys), "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "legend": {"orientation": "h", "y": -0.02, "yanchor": "top", "x": 0, "title": {"text": "Stance "}},
        "hoverlabel": {"align": "left", "bgcolor": "#FFFFFF", "bordercolor": "#777777",
                       "font": {"color": "#222222", "size": 13}},
        "clickmode": "event+select", "dragmode": False, "plot_bgcolor": "#FFFFFF",
        "xaxis": {"side": "top", "showgrid": False, "fixedrange": True, "type": "category", "automargin": True,
                  "tickangle": 0 if wrap < 200 else -35, "tickfont": {"size": 12, "color": "#222222"}},
        "yaxis": {"autorange": "reversed", "showgrid": False, "fixedrange": True, "type": "category",
                  "automargin": True, "tickfont": {"size": 13, "color": "#222222"}},
    }
    return {"data": traces, "layout": layout}


def _on_click() -> None:
    """Copy the clicked cell into the person and question pickers (a callback: runs before the rerun)."""
    cells = [data for data in clicked(CHART_KEY) if isinstance(data, list) and len(data) == 2]
    if cells:
        st.session_state[PERSON_KEY], st.session_state[QUESTION_KEY] = cells[0]


def chart(mv: MatrixView) -> None:
    """Show the matrix; clicking a cell chooses it."""
    plot(figure(mv), key=CHART_KEY, on_click=_on_click)
    if len(mv.people) > MAX_ROWS:
        st.caption(f"Showing the {MAX_ROWS} people with the most positions out of {len(mv.people)}; "
                   "filter by people to see others. The evidence and the download include everyone.")


def pick_cell(mv: MatrixView) -> tuple[str | None, str | None]:
    """Person and question pickers (bound to the URL); return the chosen ids (None for any)."""
    names, labels = dict(mv.people), dict(mv.questions)
    left, right = st.columns(2)
    with left:
        person = st.selectbox("Person", list(names), index=None, format_func=lambda p: names.get(p, p),
                              key=PERSON_KEY, bind="query-params", placeholder="Any person")
    with right:
        question = st.selectbox("Question", list(labels), index=None,
                                format_func=lambda q: labels.get(q, q), key=QUESTION_KEY,
                                bind="query-params", placeholder="Any question")
    return person, question


EVIDENCE_COLUMNS = {
    "person": Column("Person", width="11%"),
    "label": Column("Question", width="11%"),
    "stance": Column("Stance", nowrap=True, help="What this sentence says; the cell shows the majority."),
    "sentence": Column("Sentence", width="42%"),
    "title": Column("Article", width="18%"),
    "published": Column("Date", nowrap=True),
    "link": READER_LINK,
}


def evidence(mv: MatrixView, person: str | None, question: str | None) -> None:
    """List the sentences behind the chosen cell (or row, or column, or the whole matrix)."""
    ev = mv.evidence
    if person:
        ev = ev[ev[S.PERSON_ID] == person]
    if question:
        ev = ev[ev[S.QUESTION_ID] == question]
    scope = "this cell" if person and question else "this choice" if person or question else "the matrix"
    st.caption(f"{len(ev)} sentence{'s' if len(ev) != 1 else ''} behind {scope}. "
               "Click a cell, or choose a person and a question, to narrow the list.")
    if ev.empty:
        st.info("No stated opinion for this choice.", icon=":material/chat_bubble_outline:")
        return
    table(ev, EVIDENCE_COLUMNS, key="matrix_evidence")


def download(mv: MatrixView) -> None:
    """Offer the filtered matrix with its evidence as CSV (one row per evidence sentence)."""
    frame = mv.evidence.rename(columns={"label": "question", "position": "cell_stance",
                                        "stance": "sentence_stance", "title": "article_title",
                                        "link": "reader_link"})
    st.download_button("Download matrix and evidence (CSV)", data=lambda: csv_bytes(frame),
                       file_name="expert-lens-matrix.csv", mime="text/csv", on_click="ignore",
                       icon=":material/download:", key="matrix_csv")
