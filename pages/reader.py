"""Article reader: metadata, then the cleaned text with actors, people, dates and claims highlighted."""

import streamlit as st

from ui import empty, filters, loaders, reader

ds = loaders.dataset()
f = filters.current()
kept = loaders.view(reader.kept_articles, f)

st.title("Article reader")
choices = reader.article_choices(ds, kept)
if not choices:
    empty.empty_state("articles", f, key="reader_empty")
    st.stop()

article_id = reader.select_article(choices)
reader.show_article(ds, article_id, stamp=loaders.dataset_stamp(),
                    focus=reader.focus_sentence(ds, article_id))
