"""Tidy frames behind the opinion matrix and the timeline, and their exports.

Pure pandas: every function takes a (usually already filtered) :class:`Dataset`
or a frame built here and returns a new frame or a plain value. The UI only
draws what these return, so what a cell, bar or row means is decided, and
tested, here.

- Matrix: :func:`matrix_cells` (one row per person x question: the position
  that :mod:`analysis.positions` decides, with the deciding sentence),
  :func:`split_text` ("2 yes, 2 no" per question), :func:`matrix_evidence`
  (every held stance behind the cells, with article title, date and a reader
  link; a claim reported in order to reject it is nobody's evidence).
- Timeline: :func:`timeline_events` (one row per event, the span its date's
  precision covers), :func:`timeline_sources` (one row per event and source
  sentence), :func:`timelinejs` (the TimelineJS3 JSON).
- Exports: :func:`csv_bytes` (CSV safe to open in a spreadsheet).
"""

from __future__ import annotations

import calendar
import html
import re
from dataclasses import dataclass
from urllib.parse import quote_plus, urlencode

import pandas as pd

from analysis import schema as S
from analysis.positions import held_stances, positions, split_summary
from analysis.store import Dataset

NO_VIEW = "no view"
READER_PATH = "reader"
"""url_path of the article reader page; it reads the ``article`` and ``sentence`` query params."""

_MONTHS = tuple(calendar.month_abbr)
_SEASONS = {21: ("Spring", (3, 5)), 22: ("Summer", (6, 8)), 23: ("Autumn", (9, 11)),
            24: ("Winter", (12, 2))}
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# -- shared helpers ----------------------------------------------------------------------------

def reader_link(article_id: str, sentence_id: str | None = None) -> str:
    """Return the relative URL that opens the article reader at a sentence."""
    params = {"article": article_id}
    if sentence_id:
        params["sentence"] = sentence_id
    return f"{READER_PATH}?{urlencode(params)}"


def _quoted(ids: pd.Series) -> pd.Series:
    """URL-encode ids for a query string (ids of only safe characters, the usual case, pass as they are)."""
    ids = ids.astype(object).where(ids.notna(), "").astype(str)
    unsafe = ~ids.str.fullmatch(r"[A-Za-z0-9._~-]*").astype(bool)
    if unsafe.any():
        ids = ids.copy()
        ids[unsafe] = ids[unsafe].map(quote_plus)
    return ids


def reader_links(article_ids: pd.Series, sentence_ids: pd.Series) -> pd.Series:
    """Vectorised :func:`reader_link` for aligned columns of article and sentence ids."""
    base = f"{READER_PATH}?article=" + _quoted(article_ids)
    sentence = _quoted(sentence_ids)
    return base.where(sentence == "", base + "&sentence=" + sentence)


def _text(frame: pd.DataFrame, col: str) -> pd.Series:
    """Column ``col`` as plain str with missing values as ""."""
    if col not in frame.columns:
        return pd.Series([""] * len(frame), index=frame.index, dtype=object)
    # object dtype on purpose: Python-level iteration over Arrow-backed strings is ~10x slower
    col_ = frame[col]
    out = col_.astype(object).where(col_.notna(), "")
    if pd.api.types.is_string_dtype(col_.dtype) and col_.dtype != object:
        return out
    return out.map(str).astype(object)


def _names(ds: Dataset, table: str, id_col: str, name_col: str) -> dict[str, str]:
    """Map ids to display names for one table (the id itself when the name is empty)."""
    frame = ds[table]
    ids, names = _text(frame, id_col), _text(frame, name_col)
    return {i: (n or i) for i, n in zip(ids, names, strict=True)}


def _articles(ds: Dataset) -> pd.DataFrame:
    """Article id, title (or file name) and publication date."""
    arts = ds[S.ARTICLES]
    title = _text(arts, "title")
    title = title.where(title != "", _text(arts, "file"))
    return pd.DataFrame({S.ARTICLE_ID: _text(arts, S.ARTICLE_ID), "title": title,
                         "published": _text(arts, "published").str[:10]})


def _sentence_text(ds: Dataset, ids: pd.Series) -> pd.Series:
    """The text of each sentence id in ``ids`` ("" when unknown), aligned with ``ids``."""
    sents = ds[S.SENTENCES]
    text = pd.Series(_text(sents, S.TEXT).to_numpy(), index=_text(sents, S.SENTENCE_ID).to_numpy())
    text = text[~text.index.duplicated()]
    return ids.map(text).fillna("").astype(object)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """Return ``frame`` as UTF-8 CSV; text cells that a spreadsheet would run as a formula are quoted."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            vals = _text(out, col)
            risky = vals.str.startswith(_FORMULA_START)
            out[col] = vals.where(~risky, "'" + vals)
    return out.to_csv(index=False).encode("utf-8")


# -- opinion matrix --------------------------------------------------------------------------------

def _held(ds: Dataset) -> pd.DataFrame:
    """The stances of claims their speaker holds (not those reported in order to reject them)."""
    return held_stances(ds[S.STANCES], ds[S.CLAIMS])


def positions_table(ds: Dataset) -> pd.DataFrame:
    """One position per person x question, as :func:`analysis.positions.positions` decides."""
    cols = [S.PERSON_ID, S.QUESTION_ID, "stance", "n_yes", "n_no", "n_mixed", S.CLAIM_ID, S.TEXT]
    pos = positions(ds[S.STANCES], claims=ds[S.CLAIMS])
    if pos.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    return pd.DataFrame({c: _text(pos, c) if c in (S.PERSON_ID, S.QUESTION_ID, "stance", S.CLAIM_ID, S.TEXT)
                         else pos[c].astype(int) for c in cols})


def _question_order(ds: Dataset) -> pd.DataFrame:
    """Questions in codebook order with their short label (the question text when no label)."""
    qs = ds[S.QUESTIONS]
    label = _text(qs, "label")
    question = _text(qs, "question")
    return pd.DataFrame({S.QUESTION_ID: _text(qs, S.QUESTION_ID), "question": question,
                         "label": label.where(label != "", question)})


_CELL_COLS = [S.PERSON_ID, "person", S.QUESTION_ID, "label", "question", "stance", "n_yes", "n_no",
              "n_mixed", S.CLAIM_ID, S.SENTENCE_ID, S.ARTICLE_ID, S.TEXT, "title", "published"]


def matrix_cells(ds: Dataset) -> pd.DataFrame:
    """One row per person x question with a stance, the deciding sentence and its article.

    Rows are ordered people first (most positions, then name), questions in
    codebook order; people and questions without any stance are absent.
    """
    pos = positions_table(ds)
    if pos.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in _CELL_COLS})
    pos = pos.copy()
    for col in (S.PERSON_ID, S.QUESTION_ID, S.CLAIM_ID, "stance"):
        pos[col] = _text(pos, col)
    st = ds[S.STANCES]
    where = pd.DataFrame({S.CLAIM_ID: _text(st, S.CLAIM_ID), S.QUESTION_ID: _text(st, S.QUESTION_ID),
                          S.SENTENCE_ID: _text(st, S.SENTENCE_ID), S.ARTICLE_ID: _text(st, S.ARTICLE_ID)})
    where = where.drop_duplicates([S.CLAIM_ID, S.QUESTION_ID])
    cells = pos.drop(columns=[c for c in (S.SENTENCE_ID, S.ARTICLE_ID) if c in pos.columns])
    cells = cells.merge(where, on=[S.CLAIM_ID, S.QUESTION_ID], how="left")
    sent = _sentence_text(ds, cells[S.SENTENCE_ID])
    cells[S.TEXT] = sent.where(sent != "", _text(cells, S.TEXT))
    cells = cells.merge(_articles(ds), on=S.ARTICLE_ID, how="left")
    names = _names(ds, S.PEOPLE, S.PERSON_ID, "name")
    cells["person"] = cells[S.PERSON_ID].map(lambda p: names.get(p, p))
    qs = _question_order(ds)
    qrank = {q: i for i, q in enumerate(qs[S.QUESTION_ID])}
    cells = cells.merge(qs, on=S.QUESTION_ID, how="left")
    cells["label"] = _text(cells, "label").where(_text(cells, "label") != "", cells[S.QUESTION_ID])
    n_pos = cells.groupby(S.PERSON_ID)[S.QUESTION_ID].transform("size")
    cells = cells.assign(_n=-n_pos, _q=cells[S.QUESTION_ID].map(lambda q: qrank.get(q, len(qrank))),
                         _name=cells["person"].str.lower())
    cells = cells.sort_values(["_n", "_name", S.PERSON_ID, "_q"], kind="stable")
    for col in ("n_yes", "n_no", "n_mixed"):
        cells[col] = pd.to_numeric(cells[col], errors="coerce").fillna(0).astype(int)
    for col in ("title", "published", "question"):
        cells[col] = _text(cells, col)
    return cells[_CELL_COLS].reset_index(drop=True)


def split_text(cells: pd.DataFrame) -> dict[str, str]:
    """Per question id, how split the people are, e.g. "2 yes, 2 no" (zero counts left out)."""
    return split_summary(cells)


_EVIDENCE_COLS = ["person", "label", "position", "stance", "cue", "sentence", "title", "published",
                  "link", S.PERSON_ID, S.QUESTION_ID, S.ARTICLE_ID, S.SENTENCE_ID, S.CLAIM_ID]


def matrix_evidence(ds: Dataset, cells: pd.DataFrame, *, person_id: str | None = None,
                    question_id: str | None = None) -> pd.DataFrame:
    """Every stance behind the matrix cells (optionally one person's and/or one question's).

    Columns: person, label (question), position (the cell's stance), stance (this
    sentence's), cue, sentence, title, published, link (reader URL), and the ids.
    """
    st = _held(ds)
    ev = pd.DataFrame({S.PERSON_ID: _text(st, S.PERSON_ID), S.QUESTION_ID: _text(st, S.QUESTION_ID),
                       "stance": _text(st, "stance"), "cue": _text(st, "cue"),
                       S.ARTICLE_ID: _text(st, S.ARTICLE_ID), S.SENTENCE_ID: _text(st, S.SENTENCE_ID),
                       S.CLAIM_ID: _text(st, S.CLAIM_ID), "claim": _text(st, S.TEXT)})
    if person_id:
        ev = ev[ev[S.PERSON_ID] == person_id]
    if question_id:
        ev = ev[ev[S.QUESTION_ID] == question_id]
    keys = cells[[S.PERSON_ID, S.QUESTION_ID, "person", "label", "stance"]].rename(
        columns={"stance": "position"})
    ev = ev.merge(keys, on=[S.PERSON_ID, S.QUESTION_ID], how="inner")
    if ev.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in _EVIDENCE_COLS})
    sent = _sentence_text(ds, ev[S.SENTENCE_ID])
    ev["sentence"] = sent.where(sent != "", ev["claim"])
    ev = ev.merge(_articles(ds), on=S.ARTICLE_ID, how="left")
    ev["title"], ev["published"] = _text(ev, "title"), _text(ev, "published")
    ev["link"] = reader_links(ev[S.ARTICLE_ID], ev[S.SENTENCE_ID])
    order = cells[[S.PERSON_ID, S.QUESTION_ID]].assign(_o=range(len(cells)))
    ev = ev.merge(order, on=[S.PERSON_ID, S.QUESTION_ID], how="left")
    ev = ev.sort_values(["_o", "published", S.SENTENCE_ID], kind="stable")
    return ev[_EVIDENCE_COLS].reset_index(drop=True)


# -- timeline ------------------------------------------------------------------------------------------

def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def date_span(date: str, precision: str) -> tuple[str, str]:
    """Return the first and last ISO day a date covers at its precision ("", "" if unreadable).

    Day "2024-06-19" is one day; month "2024-10" runs 2024-10-01..2024-10-31;
    season "2024-22" (EDTF summer) runs 2024-06-01..2024-08-31, winter into the
    next year; year "2024" runs 2024-01-01..2024-12-31.
    """
    parts = str(date or "").strip().split("-")
    try:
        year = int(parts[0])
        second = int(parts[1]) if len(parts) > 1 else None
        day = int(parts[2]) if len(parts) > 2 else None
    except ValueError:
        return "", ""
    if second is not None and second in _SEASONS and (precision == "season" or second > 12):
        m0, m1 = _SEASONS[second][1]
        y1 = year + 1 if m1 < m0 else year
        return f"{year:04d}-{m0:02d}-01", f"{y1:04d}-{m1:02d}-{_last_day(y1, m1):02d}"
    if second is None or not 1 <= second <= 12:
        return f"{year:04d}-01-01", f"{year:04d}-12-31"
    if day is None or precision == "month":
        return f"{year:04d}-{second:02d}-01", f"{year:04d}-{second:02d}-{_last_day(year, second):02d}"
    return (f"{year:04d}-{second:02d}-{day:02d}",) * 2


def date_label(date: str, precision: str) -> str:
    """Human label at the date's precision: "19 Jun 2024", "Oct 2024", "Summer 2024", "2024"."""
    parts = str(date or "").split("-")
    try:
        year = int(parts[0])
        second = int(parts[1]) if len(parts) > 1 else None
        day = int(parts[2]) if len(parts) > 2 else None
    except ValueError:
        return str(date or "")
    if second is not None and second in _SEASONS and (precision == "season" or second > 12):
        return f"{_SEASONS[second][0]} {year}"
    if second is None or not 1 <= second <= 12 or precision == "year":
        return str(year)
    if day is None or precision == "month":
        return f"{_MONTHS[second]} {year}"
    return f"{day} {_MONTHS[second]} {year}"


def headline(text: str, *, limit: int = 70) -> str:
    """The sentence cut at a word boundary to ``limit`` characters, with an ellipsis when cut."""
    text = " ".join(str(text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def _spans(events: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Start and end day per event row: the stored span when it is valid, else computed from the date."""
    starts, ends = [], []
    for d, p, s0, s1 in zip(_text(events, "date"), _text(events, "precision"), _text(events, "date_start"),
                            _text(events, "date_end"), strict=True):
        if _ISO_DAY.match(s0) and _ISO_DAY.match(s1) and s0 <= s1:
            starts.append(s0)
            ends.append(s1)
        else:
            a, b = date_span(d, p)
            starts.append(a)
            ends.append(b)
    return starts, ends


_EVENT_COLS = [S.EVENT_ID, "date", "precision", "date_label", "date_start", "date_end", "point",
               "headline", S.TEXT, "actors", "actor_names", "n_sources", "n_articles", "article",
               "uncertain", S.ARTICLE_ID, S.SENTENCE_ID]


def timeline_events(ds: Dataset) -> pd.DataFrame:
    """One row per event (merged across sources), sorted by start day.

    ``date_start``/``date_end`` are the first and last day the date covers (equal
    for a day-precise event, so ``point`` is True); ``n_sources`` counts the
    sentences that report it; ``article`` is its article's title or "N articles".
    """
    ev = ds[S.EVENTS]
    if ev.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in _EVENT_COLS})
    starts, ends = _spans(ev)
    rows = pd.DataFrame({S.EVENT_ID: _text(ev, S.EVENT_ID), "date": _text(ev, "date"),
                         "precision": _text(ev, "precision"), "date_start": starts, "date_end": ends,
                         S.TEXT: _text(ev, S.TEXT), "actors": _text(ev, "actors"),
                         S.ARTICLE_ID: _text(ev, S.ARTICLE_ID), S.SENTENCE_ID: _text(ev, S.SENTENCE_ID),
                         "uncertain": ev["uncertain"].fillna(False).astype(bool)
                         if "uncertain" in ev.columns else False})
    rows = rows[rows["date_start"] != ""]
    # The headline source: the sentence that names the date earliest (it is about the event), then the
    # shortest one.
    where = [t.lower().find(x.lower()) if x else -1
             for t, x in zip(rows[S.TEXT], _text(ev, "expression")[rows.index], strict=True)]
    rows = rows.assign(_pos=[w if w >= 0 else 10**6 for w in where], _len=rows[S.TEXT].str.len())
    rows = rows.sort_values([S.EVENT_ID, "_pos", "_len"], kind="stable")
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in _EVENT_COLS})
    titles = dict(zip(*(_articles(ds)[c] for c in (S.ARTICLE_ID, "title")), strict=True))
    actor_names = _names(ds, S.ACTORS, S.ACTOR_ID, "name")
    grp = rows.groupby(S.EVENT_ID, sort=False)
    out = grp[[S.TEXT, S.ARTICLE_ID, S.SENTENCE_ID]].first()
    rank = rows["precision"].map({p: i for i, p in enumerate(S.PRECISIONS)}).fillna(-1)
    coarsest = rows.assign(_rank=-rank).sort_values([S.EVENT_ID, "_rank"], kind="stable")
    out[["date", "precision"]] = coarsest.groupby(S.EVENT_ID, sort=False)[["date", "precision"]].first()
    out["date_start"], out["date_end"] = grp["date_start"].min(), grp["date_end"].max()
    out["uncertain"] = grp["uncertain"].all()
    multi = rows[S.EVENT_ID].duplicated(keep=False)
    union = rows[multi].groupby(S.EVENT_ID, sort=False)["actors"].agg(
        lambda s: ";".join(dict.fromkeys(c for a in s for c in a.split(";") if c)))
    out["actors"] = grp["actors"].first()
    out.loc[union.index, "actors"] = union
    names_of = {a: ", ".join(sorted(actor_names.get(c, c) for c in a.split(";") if c))
                for a in out["actors"].unique()}
    out["actor_names"] = out["actors"].map(names_of)
    sources = rows.drop_duplicates([S.EVENT_ID, S.ARTICLE_ID, S.SENTENCE_ID])
    out["n_sources"] = sources.groupby(S.EVENT_ID, sort=False).size()
    out["n_articles"] = sources.groupby(S.EVENT_ID, sort=False)[S.ARTICLE_ID].nunique()
    single = out["n_articles"] == 1
    out["article"] = out[S.ARTICLE_ID].map(lambda a: titles.get(a, a)).where(
        single, out["n_articles"].astype(str) + " articles")
    out["date_label"] = [date_label(d, p) for d, p in zip(out["date"], out["precision"], strict=True)]
    out["headline"] = out[S.TEXT].map(headline)
    frame = out.reset_index()
    frame["n_sources"] = frame["n_sources"].astype(int)
    frame["n_articles"] = frame["n_articles"].astype(int)
    frame["point"] = frame["date_start"] == frame["date_end"]
    frame = frame[_EVENT_COLS]
    return frame.sort_values(["date_start", "date_end", S.EVENT_ID], kind="stable").reset_index(drop=True)


_SOURCE_COLS = [S.EVENT_ID, "date_label", "date", "precision", "date_start", "date_end", "headline",
                "sentence", "expression", "title", "published", "link", S.ARTICLE_ID, S.SENTENCE_ID,
                "actors"]


def timeline_sources(ds: Dataset, events: pd.DataFrame) -> pd.DataFrame:
    """One row per event and source sentence, in timeline order, with article title and reader link."""
    ev = ds[S.EVENTS]
    if ev.empty or events.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in _SOURCE_COLS})
    src = pd.DataFrame({S.EVENT_ID: _text(ev, S.EVENT_ID), S.ARTICLE_ID: _text(ev, S.ARTICLE_ID),
                        S.SENTENCE_ID: _text(ev, S.SENTENCE_ID), "sentence": _text(ev, S.TEXT),
                        "expression": _text(ev, "expression")})
    src = src.drop_duplicates([S.EVENT_ID, S.ARTICLE_ID, S.SENTENCE_ID])
    keep = events[[S.EVENT_ID, "date_label", "date", "precision", "date_start", "date_end", "headline",
                   "actors"]]
    src = keep.merge(src, on=S.EVENT_ID, how="inner").merge(_articles(ds), on=S.ARTICLE_ID, how="left")
    src["title"], src["published"] = _text(src, "title"), _text(src, "published")
    src["link"] = reader_links(src[S.ARTICLE_ID], src[S.SENTENCE_ID])
    return src[_SOURCE_COLS].reset_index(drop=True)


def timelinejs(events: pd.DataFrame, sources: pd.DataFrame, *, group_by: str = "actor") -> dict:
    """Return the TimelineJS3 JSON document for the events (text HTML-escaped, sources listed).

    Dates carry only the parts their precision gives (a month-precise event has
    no day); a span gets an ``end_date``. ``group_by`` is "actor" or "article".
    """
    by_event = {eid: grp for eid, grp in sources.groupby(S.EVENT_ID, sort=False)} if len(sources) else {}
    out = []
    for row in events.itertuples(index=False):
        item: dict = {"unique_id": str(row.event_id),
                      "start_date": _tl_date(row.date_start, row.precision),
                      "display_date": row.date_label}
        if not row.point and row.precision not in ("month", "year"):
            item["end_date"] = _tl_date(row.date_end, "day")
        refs = by_event.get(row.event_id)
        text = f"<p>{html.escape(row.text)}</p>"
        if refs is not None:
            text += "<ul>" + "".join(f"<li>{html.escape(t)} ({html.escape(p or 'undated')})</li>"
                                     for t, p in zip(refs["title"], refs["published"], strict=True)) + "</ul>"
        item["text"] = {"headline": html.escape(row.headline), "text": text}
        group = row.actor_names if group_by == "actor" else row.article
        if group:
            item["group"] = html.escape(group)
        out.append(item)
    return {"events": out}


def _tl_date(day: str, precision: str) -> dict:
    """A TimelineJS date object with the parts the precision gives."""
    y, m, d = ([*day.split("-"), "", ""])[:3]
    date = {"year": str(int(y))}
    if precision in ("day", "month", "season") and m:
        date["month"] = str(int(m))
    if precision in ("day", "season") and d:
        date["day"] = str(int(d))
    return date


# -- whole views --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MatrixView:
    """Everything the opinion matrix page draws: cells, axis order, per-question split, evidence."""

    cells: pd.DataFrame
    evidence: pd.DataFrame
    people: list[tuple[str, str]]      # (person_id, name), top to bottom
    questions: list[tuple[str, str]]   # (question_id, label), left to right
    split: dict[str, str]


def matrix_view(ds: Dataset) -> MatrixView:
    """Build the opinion matrix of a (filtered) dataset."""
    cells = matrix_cells(ds)
    people = list(dict.fromkeys(zip(cells[S.PERSON_ID], cells["person"], strict=True)))
    present = set(cells[S.QUESTION_ID])
    qs = _question_order(ds)
    questions = [(q, lab) for q, lab in zip(qs[S.QUESTION_ID], qs["label"], strict=True) if q in present]
    known = {q for q, _ in questions}
    questions += list(dict.fromkeys((q, lab) for q, lab in zip(cells[S.QUESTION_ID], cells["label"],
                                                               strict=True) if q not in known))
    return MatrixView(cells=cells, evidence=matrix_evidence(ds, cells), people=people,
                      questions=questions, split=split_text(cells))


@dataclass(frozen=True)
class TimelineView:
    """Everything the timeline page draws: merged events and their sources."""

    events: pd.DataFrame
    sources: pd.DataFrame


def timeline_view(ds: Dataset) -> TimelineView:
    """Build the timeline of a (filtered) dataset."""
    events = timeline_events(ds)
    return TimelineView(events=events, sources=timeline_sources(ds, events))
