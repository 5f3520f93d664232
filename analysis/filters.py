"""The shared filters (people, actors, dates, articles, questions) and how they cut the dataset.

One rule for every view, so that a filter means the same thing on every page:

- **articles**: keep records from these articles only;
- **people**: keep the articles that quote these people, and in the opinion
  matrix only these people's claims and stances;
- **actors** (countries and organisations): keep sentences that mention one of
  them: claims and stances whose sentence mentions one, events that involve one,
  relations with one at either end;
- **dates**: keep events whose date span overlaps the range (whenever the
  article reporting them was published), and the other records (claims,
  stances, relations, ...) from articles published in the range (articles with
  no known date are kept);
- **questions**: keep stances on these questions (the matrix columns).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis import schema as S
from analysis.store import Dataset
from analysis.views import date_span

_ISO_DAY = r"\d{4}-\d{2}-\d{2}"


@dataclass(frozen=True)
class Filters:
    """A hashable set of filter values; an empty tuple or None means "no filter"."""

    people: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    date_from: str | None = None   # ISO day, inclusive
    date_to: str | None = None     # ISO day, inclusive
    extra: tuple[tuple[str, str], ...] = field(default=())

    def is_empty(self) -> bool:
        """Return True when no filter is set."""
        return self == Filters()

    def cleared(self) -> Filters:
        """Return the filters with everything reset."""
        return replace(self, people=(), actors=(), articles=(), questions=(),
                       date_from=None, date_to=None)


def _isin(col: pd.Series, values: object) -> pd.Series:
    """``col.isin(values)``, fast for large value sets (pandas builds one Arrow scalar per value)."""
    wanted = [str(v) for v in values]
    if not wanted or col.empty:
        return pd.Series(False, index=col.index, dtype=bool)
    try:
        arr = pa.array(col, type=pa.string(), from_pandas=True)
    except (pa.ArrowException, TypeError):
        arr = pa.array(col.astype(object).where(col.notna(), None).map(
            lambda v: v if v is None else str(v)), type=pa.string())
    hit = pc.is_in(arr, value_set=pa.array(wanted, type=pa.string())).fill_null(False)
    return pd.Series(hit.to_numpy(zero_copy_only=False), index=col.index, dtype=bool)


def _keep_articles(ds: Dataset, f: Filters) -> set[str]:
    arts = ds[S.ARTICLES]
    keep = set(arts[S.ARTICLE_ID])
    if f.articles:
        keep &= set(f.articles)
    if f.people:
        claims = ds[S.CLAIMS]
        keep &= set(claims.loc[_isin(claims[S.PERSON_ID], f.people), S.ARTICLE_ID])
    if f.date_from or f.date_to:
        pub = arts.set_index(S.ARTICLE_ID)["published"].fillna("").astype(str)
        lo, hi = f.date_from or "0000-00-00", f.date_to or "9999-99-99"
        in_range = pub.eq("") | ((pub.str[:10] >= lo) & (pub.str[:10] <= hi))
        keep &= set(pub.index[in_range])
    return keep


def _actor_sentences(ds: Dataset, actors: tuple[str, ...]) -> set[str]:
    men = ds[S.MENTIONS]
    hit = men[(men["kind"] == "actor") & _isin(men["ref"], actors)]
    return set(hit[S.SENTENCE_ID])


def _has_actor(codes: pd.Series, actors: tuple[str, ...]) -> pd.Series:
    wanted = set(actors)
    return codes.fillna("").astype(str).map(lambda s: bool(wanted & set(s.split(";"))))


def _event_spans(events: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """First and last ISO day of each event: the stored span, or the one its date and precision give."""
    def col(name: str) -> pd.Series:
        return events[name].astype(object).where(events[name].notna(), "").astype(str)

    start, end = col("date_start"), col("date_end")
    bad = ~(start.str.fullmatch(_ISO_DAY) & end.str.fullmatch(_ISO_DAY))
    if bad.any():
        spans = [date_span(d, p) for d, p in zip(col("date")[bad], col("precision")[bad], strict=True)]
        start, end = start.copy(), end.copy()
        start[bad] = [a for a, _ in spans]
        end[bad] = [b for _, b in spans]
    return start, end


def apply_filters(ds: Dataset, f: Filters) -> Dataset:
    """Return a new :class:`Dataset` holding only the records the filters keep."""
    if f.is_empty():
        return ds
    keep = _keep_articles(ds, f)
    if len(keep) == len(ds[S.ARTICLES]):   # no article is cut: skip the per-table scans
        t = dict(ds.tables)
    else:
        t = {name: frame[_isin(frame[S.ARTICLE_ID], keep)] if S.ARTICLE_ID in frame.columns else frame
             for name, frame in ds.tables.items()}
    if f.people:
        t[S.STANCES] = t[S.STANCES][_isin(t[S.STANCES][S.PERSON_ID], f.people)]
        t[S.CLAIMS] = t[S.CLAIMS][_isin(t[S.CLAIMS][S.PERSON_ID], f.people)]
    if f.actors:
        sents = _actor_sentences(ds, f.actors)
        t[S.CLAIMS] = t[S.CLAIMS][_isin(t[S.CLAIMS][S.SENTENCE_ID], sents)]
        t[S.STANCES] = t[S.STANCES][_isin(t[S.STANCES][S.SENTENCE_ID], sents)]
        t[S.EVENTS] = t[S.EVENTS][_has_actor(t[S.EVENTS]["actors"], f.actors)]
        rel = t[S.RELATIONS]
        t[S.RELATIONS] = rel[_isin(rel["source"], f.actors) | _isin(rel["target"], f.actors)]
    if f.date_from or f.date_to:
        undated = _keep_articles(ds, replace(f, date_from=None, date_to=None))
        ev = ds[S.EVENTS][_isin(ds[S.EVENTS][S.ARTICLE_ID], undated)]
        if f.actors:
            ev = ev[_has_actor(ev["actors"], f.actors)]
        lo, hi = f.date_from or "0000-00-00", f.date_to or "9999-99-99"
        start, end = _event_spans(ev)
        t[S.EVENTS] = ev[(end >= lo) & (start <= hi)]
    if f.questions:
        t[S.STANCES] = t[S.STANCES][_isin(t[S.STANCES][S.QUESTION_ID], f.questions)]
    people_kept = set(t[S.CLAIMS][S.PERSON_ID])
    t[S.PEOPLE] = ds[S.PEOPLE][_isin(ds[S.PEOPLE][S.PERSON_ID], people_kept)]
    return Dataset(tables={k: v.reset_index(drop=True) for k, v in t.items()}, manifest=ds.manifest)
