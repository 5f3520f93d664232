"""Expert Lens: the router. Page config, the shared URL-bound filters, and st.navigation.

Run with ``streamlit run app.py``. The dataset folder is set by the
EXPERT_LENS_DATA environment variable or secret (default: data/).
"""

import streamlit as st

from ui import preload

st.set_page_config(page_title="Expert Lens", page_icon="🔎", layout="wide")
matrix = st.Page("pages/matrix.py", title="Opinion matrix", icon=":material/grid_view:", url_path="matrix",
                 default=True)
timeline = st.Page("pages/timeline.py", title="Timeline", icon=":material/timeline:", url_path="timeline")
graph = st.Page("pages/graph.py", title="Alliance graph", icon=":material/hub:", url_path="graph")
reader = st.Page("pages/reader.py", title="Article reader", icon=":material/article:", url_path="reader")
# the Streamlit elements each page draws whose browser code loads on first use (ui/preload.py)
ELEMENTS = {matrix: ("plotly", "dataframe"), timeline: ("plotly", "dataframe"), graph: ("graph", "dataframe")}

page = st.navigation([matrix, timeline, graph, reader])
preload.preload(*ELEMENTS.get(page, ()))   # the browser loads them while this run computes

# Imported after the preload is on its way: the first run of a fresh server spends ~0.6 s importing
# pandas and the analysis package here, and the browser's work now overlaps it.
from ui import filters, loaders  # noqa: E402

ds = loaders.dataset()
filters.sidebar(ds, loaders.dataset_stamp())
page.run()
preload.warm_up()   # after the first run, import the other pages' modules in the background
