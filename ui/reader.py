"""The article reader's Streamlit glue: pick the article from the URL, draw its highlighted text.

The URL carries ``article`` (an article id) and ``sentence`` (a sentence id):
``reader?article=<id>&sentence=<id>`` opens the article scrolled to that
sentence, which is outlined. The article HTML comes from
:mod:`analysis.highlight` (all text escaped) and is shown with ``st.html``
(sanitised by Streamlit, JavaScript off); only a tiny script of ours, built
from a JSON-encoded sentence id, scrolls to the sentence.
"""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from analysis import highlight as H
from analysis import schema as S
from analysis.store import Dataset

ARTICLE_PARAM = "article"
SENTENCE_PARAM = "sentence"
WIDGET_KEY = "reader_article"
_SEEN_KEY = "_reader_url_article"


def kept_articles(ds: Dataset) -> tuple[str, ...]:
    """Ids of the articles a (filtered) dataset keeps, newest first (a view for ``loaders.view``)."""
    arts = ds[S.ARTICLES].sort_values("published", ascending=False, na_position="last", kind="stable")
    return tuple(str(a) for a in arts[S.ARTICLE_ID])


def plain_label(text: str, *, limit: int = 90) -> str:
    """A one-line label for a widget option (widgets show it as text)."""
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def article_choices(ds: Dataset, kept: tuple[str, ...]) -> dict[str, str]:
    """Map the kept article ids (plus the one named in the URL, if it exists) to option labels."""
    arts = ds[S.ARTICLES]
    labels = {}
    for aid, title, file, date in zip(arts[S.ARTICLE_ID], arts["title"], arts["file"], arts["published"],
                                      strict=True):
        name = H.cell_text(title) or H.cell_text(file) or str(aid)
        day = H.cell_text(date)
        labels[str(aid)] = plain_label(f"{name} ({day})" if day else name)
    ids = list(kept)
    wanted = st.query_params.get(ARTICLE_PARAM)
    if wanted and wanted in labels and wanted not in kept:
        ids.insert(0, wanted)
    return {aid: labels[aid] for aid in ids if aid in labels}


def _remember_choice() -> None:
    """Widget callback: put the chosen article in the URL and drop the old sentence."""
    aid = st.session_state.get(WIDGET_KEY)
    st.query_params[ARTICLE_PARAM] = aid
    st.query_params.pop(SENTENCE_PARAM, None)
    st.session_state[_SEEN_KEY] = aid


def select_article(choices: dict[str, str]) -> str:
    """Draw the article picker; the ``article`` query parameter chooses it when it changes."""
    wanted = st.query_params.get(ARTICLE_PARAM)
    if wanted in choices and st.session_state.get(_SEEN_KEY) != wanted:
        st.session_state[WIDGET_KEY] = wanted
        st.session_state[_SEEN_KEY] = wanted
    if st.session_state.get(WIDGET_KEY) not in choices:
        st.session_state[WIDGET_KEY] = next(iter(choices))
    return st.selectbox("Article", list(choices), format_func=choices.get, key=WIDGET_KEY,
                        on_change=_remember_choice)


def focus_sentence(ds: Dataset, article_id: str) -> str | None:
    """The ``sentence`` query parameter when it names a sentence of this article, else None."""
    wanted = st.query_params.get(SENTENCE_PARAM)
    sents = ds[S.SENTENCES]
    mine = sents[(sents[S.ARTICLE_ID] == article_id) & (sents[S.SENTENCE_ID] == wanted)]
    return wanted if wanted and len(mine) else None


def _names(ds: Dataset) -> dict[str, str]:
    """Display names of people and actors by id."""
    people = dict(zip(ds[S.PEOPLE][S.PERSON_ID].astype(str), ds[S.PEOPLE]["name"].astype(str), strict=True))
    actors = dict(zip(ds[S.ACTORS][S.ACTOR_ID].astype(str), ds[S.ACTORS]["name"].astype(str), strict=True))
    return actors | people


def _rows(ds: Dataset, table: str, article_id: str) -> pd.DataFrame:
    """The rows of ``table`` that belong to one article."""
    frame = ds[table]
    return frame[frame[S.ARTICLE_ID] == article_id]


@st.cache_data(max_entries=64, show_spinner=False)
def article_page_html(stamp: str, article_id: str, focus: str | None, _ds: Dataset) -> str:
    """Metadata, legend and highlighted text of one article as HTML (cached per dataset stamp)."""
    ds = _ds
    article = _rows(ds, S.ARTICLES, article_id).iloc[0].to_dict()
    names = _names(ds)
    marks = (H.mention_marks(_rows(ds, S.MENTIONS, article_id), names=names)
             + H.claim_marks(_rows(ds, S.CLAIMS, article_id), names=names))
    body = H.article_html(article.get(S.TEXT) or "", sentences=_rows(ds, S.SENTENCES, article_id),
                          marks=marks, focus=focus)
    return H.metadata_html(article) + H.legend_html() + body


def scroll_script(sentence_id: str) -> str:
    """A small script that scrolls the sentence with this id into view once it is on the page.

    It contains no ``<`` besides its own tags: Streamlit's DOMPurify drops a script whose text
    has one followed by a word character.
    """
    target = json.dumps(sentence_id).replace("<", "\\u003c").replace(">", "\\u003e")
    return ("<script>(function () { var tries = 0; function go() {"
            " var el = document.getElementById(" + target + ");"
            " if (el) { el.scrollIntoView({block: 'center', behavior: 'smooth'}); }"
            " else if (40 > tries++) { setTimeout(go, 100); } } go(); })();</script>")


def show_article(ds: Dataset, article_id: str, *, stamp: str, focus: str | None = None) -> None:
    """Draw the article (metadata, legend, highlighted text) and scroll to ``focus`` if given."""
    if focus:
        sents = _rows(ds, S.SENTENCES, article_id)
        idx = int(sents.loc[sents[S.SENTENCE_ID] == focus, "idx"].iloc[0])
        st.caption(f"The linked sentence ({idx + 1} of {len(sents)}) is outlined in yellow.")
    st.html(article_page_html(stamp, article_id, focus, ds))
    if focus:
        st.html(scroll_script(focus), unsafe_allow_javascript=True)
