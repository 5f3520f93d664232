"""The shared filters (people, actors, dates, articles, questions) and how they cut the dataset.

One rule for every view, so that a filter means the same thing on every page:

- **articles**: keep records from these articles only;
- **people**: keep the articles that quote these people, and in the opinion
  matrix only these people's claims and stances;
- **actors** (countries and organisations): keep sentences that mention one of
  them: claims and stances whose sentence mentions one, events that involve one,
  relations with one at either end;
- **dates**: keep events whose date span overlaps the range, and records from
  articles published in the range (articles with no known date are kept);
- **questions**: keep stances on these questions (the matrix columns).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from analysis import schema as S
from analysis.store import Dataset


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


def _keep_articles(ds: Dataset, f: Filters) -> set[str]:
    arts = ds[S.ARTICLES]
    keep = set(arts[S.ARTICLE_ID])
    if f.articles:
        keep &= set(f.articles)
    if f.people:
        claims = ds[S.CLAIMS]
        keep &= set(claims.loc[claims[S.PERSON_ID].isin(f.people), S.ARTICLE_ID])
    if f.date_from or f.date_to:
        pub = arts.set_index(S.ARTICLE_ID)["published"].fillna("").astype(str)
        lo, hi = f.date_from or "0000-00-00", f.date_to or "9999-99-99"
        in_range = pub.eq("") | ((pub.str[:10] >= lo) & (pub.str[:10] <= hi))
        keep &= set(pub.index[in_range])
    return keep


def _actor_sentences(ds: Dataset, actors: tuple[str, ...]) -> set[str]:
    men = ds[S.MENTIONS]
    hit = men[(men["kind"] == "actor") & men["ref"].isin(actors)]
    return set(hit[S.SENTENCE_ID])


def _has_actor(codes: pd.Series, actors: tuple[str, ...]) -> pd.Series:
    wanted = set(actors)
    return codes.fillna("").astype(str).map(lambda s: bool(wanted & set(s.split(";"))))


def apply_filters(ds: Dataset, f: Filters) -> Dataset:
    """Return a new :class:`Dataset` holding only the records the filters keep."""
    if f.is_empty():
        return ds
    keep = _keep_articles(ds, f)
    t = {name: frame[frame[S.ARTICLE_ID].isin(keep)] if S.ARTICLE_ID in frame.columns else frame
         for name, frame in ds.tables.items()}
    if f.people:
        t[S.STANCES] = t[S.STANCES][t[S.STANCES][S.PERSON_ID].isin(f.people)]
        t[S.CLAIMS] = t[S.CLAIMS][t[S.CLAIMS][S.PERSON_ID].isin(f.people)]
    if f.actors:
        sents = _actor_sentences(ds, f.actors)
        t[S.CLAIMS] = t[S.CLAIMS][t[S.CLAIMS][S.SENTENCE_ID].isin(sents)]
        t[S.STANCES] = t[S.STANCES][t[S.STANCES][S.SENTENCE_ID].isin(sents)]
        t[S.EVENTS] = t[S.EVENTS][_has_actor(t[S.EVENTS]["actors"], f.actors)]
        rel = t[S.RELATIONS]
        t[S.RELATIONS] = rel[rel["source"].isin(f.actors) | rel["target"].isin(f.actors)]
    if f.date_from or f.date_to:
        ev = t[S.EVENTS]
        lo, hi = f.date_from or "0000-00-00", f.date_to or "9999-99-99"
        t[S.EVENTS] = ev[(ev["date_end"].astype(str) >= lo) & (ev["date_start"].astype(str) <= hi)]
    if f.questions:
        t[S.STANCES] = t[S.STANCES][t[S.STANCES][S.QUESTION_ID].isin(f.questions)]
    people_kept = set(t[S.CLAIMS][S.PERSON_ID])
    t[S.PEOPLE] = ds[S.PEOPLE][ds[S.PEOPLE][S.PERSON_ID].isin(people_kept)]
    return Dataset(tables={k: v.reset_index(drop=True) for k, v in t.items()}, manifest=ds.manifest)
