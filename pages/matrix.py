"""Opinion matrix: who thinks what, with the sentence behind every cell."""

import streamlit as st

from analysis.views import matrix_view
from ui import empty, filters, loaders, matrix

loaders.dataset()
f = filters.current()
mv = loaders.view(matrix_view, f)

st.title("Who thinks what?")
st.caption("People down the side, the corpus's contested questions across the top. Each cell is the "
           "person's stance (the majority of their sentences on it); hover for the deciding sentence, "
           "click for all of them.")
if mv.cells.empty:
    empty.empty_state("opinions", f, key="matrix_empty")
    st.stop()

matrix.chart(mv)
st.subheader("Evidence")
person, question = matrix.pick_cell(mv)
matrix.evidence(mv, person, question)
matrix.download(mv)
