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

# The pages, the first at the root URL: url_path, script, title, icon, and the elements the page draws
# whose browser code loads on first use (ui/preload.py). (Comments, not docstrings: Streamlit would show
# a bare string in this script on the page.)
PAGES = (
    ("matrix", "pages/matrix.py", "Opinion matrix", ":material/grid_view:",
     ("plotly", "selectbox", "button", "download_button")),
    ("timeline", "pages/timeline.py", "Timeline", ":material/timeline:",
     ("plotly", "radio", "button", "download_button")),
    ("graph", "pages/graph.py", "Alliance graph", ":material/hub:",
     ("graph", "selectbox", "segmented_control", "button", "download_button")),
    ("reader", "pages/reader.py", "Article reader", ":material/article:", ("selectbox",)),
)
# What every page draws: the shared filters' component in the sidebar (ui/filters.py), the hidden preload
# element.
SIDEBAR = ("component", "html")


def route() -> None:
    """One run of the app: page config, the navigation, the shared filters, then the chosen page."""
    st.set_page_config(page_title="Expert Lens", page_icon="🔎", layout="wide")
    elements = {st.Page(script, title=title, icon=icon, url_path=path, default=k == 0): drawn
                for k, (path, script, title, icon, drawn) in enumerate(PAGES)}
    page = st.navigation(list(elements))
    # a page opened from the navigation (no new HTML): the browser loads the page's chart, graph and
    # table code while this run computes (ui/preload.py)
    preload.preload(*elements[page])

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

    from ui import assets, serve

    others = [path for path, *_ in PAGES[1:]]   # the pages away from the root URL
    urls = ["", *others]   # the default page is at the base URL
    heads = {url: serve.page_head(url, SIDEBAR + drawn) for url, (*_, drawn) in zip(urls, PAGES, strict=True)}
    app = st.App(__file__, lifespan=serve.lifespan_for(others),
                 middleware=[Middleware(assets.streamlit_assets), Middleware(serve.PageHead, heads=heads)])
