"""A friendly empty state: say why nothing is shown and offer the way back."""

from __future__ import annotations

import streamlit as st

from analysis.filters import Filters
from ui.filters import clear_all


def empty_state(what: str, filters: Filters, *, key: str) -> None:
    """Say that no ``what`` match the filters (or that the dataset has none) and offer to clear them."""
    if filters.is_empty():
        st.info(f"The dataset has no {what} yet. Add articles with the command line and rebuild it.",
                icon=":material/inbox:")
        return
    st.info(f"No {what} match these filters. Remove a filter in the sidebar, or clear them all.",
            icon=":material/filter_alt_off:")
    st.button("Clear all filters", on_click=clear_all, key=key, icon=":material/restart_alt:")
