"""Expert Lens: the router. Page config, the shared URL-bound filters, and st.navigation.

Run with ``streamlit run app.py``. The dataset folder is set by the
EXPERT_LENS_DATA environment variable or secret (default: data/).

This file is read two ways. Each session runs it as its script (``__main__``):
that is the router, :func:`route`. To serve, ``streamlit run`` first finds the
``st.App`` at the bottom and imports this file as a module to get it: the
app's server, which runs the router once before its first visitor and tells
the browser where the server is (ui/serve.py).
"""

import streamlit as st

from ui import preload


def route() -> None:
    """One run of the app: page config, the navigation, the shared filters, then the chosen page."""
    st.set_page_config(page_title="Expert Lens", page_icon="🔎", layout="wide")
    page = st.navigation([
        st.Page("pages/matrix.py", title="Opinion matrix", icon=":material/grid_view:", url_path="matrix",
                default=True),
        st.Page("pages/timeline.py", title="Timeline", icon=":material/timeline:", url_path="timeline"),
        st.Page("pages/graph.py", title="Alliance graph", icon=":material/hub:", url_path="graph"),
        st.Page("pages/reader.py", title="Article reader", icon=":material/article:", url_path="reader"),
    ])
    # the browser loads the page's chart, graph and table code while this run computes (ui/preload.py)
    preload.preload(*preload.PAGE_ELEMENTS.get(page.url_path or preload.DEFAULT_PAGE, ()))

    # Imported after the preload is on its way: when the server skipped its warm-up, its first run
    # spends ~0.6 s importing pandas and the analysis package here, and the browser's work overlaps it.
    from ui import filters, loaders

    ds = loaders.dataset()
    filters.sidebar(ds, loaders.dataset_stamp())
    page.run()
    preload.warm_up()   # after the first run, import the other pages' modules in the background


if __name__ == "__main__":
    route()
else:
    from starlette.middleware import Middleware

    from ui import serve

    app = st.App(__file__, lifespan=serve.lifespan, middleware=[Middleware(serve.BaseUrl)])
