"""Timeline: what happened when, each date with the sentence and article it came from."""

import streamlit as st

from analysis.views import timeline_view
from ui import empty, filters, loaders, timeline

loaders.dataset()
f = filters.current()
tv = loaders.view(timeline_view, f)

st.title("What happened when?")
st.caption("Dated events found in the articles, at the precision the text gives. Hover for the "
           "sentence; click an event to list its sources.")
if tv.events.empty:
    empty.empty_state("dated events", f, key="timeline_empty")
    st.stop()

color = timeline.color_by()
selected = timeline.chart(tv, color=color)
st.subheader("Sources")
timeline.sources(tv, selected)
timeline.downloads(tv, color=color)
