"""Expert Lens: the router. Page config, the shared URL-bound filters, and st.navigation.

Run with ``streamlit run app.py``. The dataset folder is set by the
EXPERT_LENS_DATA environment variable or secret (default: data/).
"""

import streamlit as st

from ui import filters, loaders

st.set_page_config(page_title="Expert Lens", page_icon="🔎", layout="wide")

page = st.navigation([
    st.Page("pages/matrix.py", title="Opinion matrix", icon=":material/grid_view:", url_path="matrix",
            default=True),
    st.Page("pages/timeline.py", title="Timeline", icon=":material/timeline:", url_path="timeline"),
    st.Page("pages/graph.py", title="Alliance graph", icon=":material/hub:", url_path="graph"),
    st.Page("pages/reader.py", title="Article reader", icon=":material/article:", url_path="reader"),
])
ds = loaders.dataset()
filters.sidebar(ds, loaders.dataset_stamp())
page.run()
