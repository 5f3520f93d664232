"""Alliance graph: who stands with whom, each edge backed by the sentences that state it."""

import streamlit as st

from analysis.graph import alliance, neighbourhood
from ui import empty, filters, graph, loaders

loaders.dataset()
f = filters.current()
al = loaders.view(alliance, f)

st.title("Who stands with whom?")
st.caption("Countries and organisations as nodes (size: how often the text mentions them); cooperation "
           "(solid blue) and conflict (dashed orange) as edges, wider with more evidence. Hover an edge "
           "for the sentences that state it; click it to list them all below.")
if al.edges.empty:
    empty.empty_state("relations", f, key="graph_empty")
    st.stop()

focus, radius = graph.focus_controls(al.nodes)
nodes, edges = al.nodes, al.edges
if focus:
    nodes, edges = neighbourhood(al.nodes, al.edges, focus=focus, radius=radius)
graph.show_network(nodes, edges, focus=focus)

st.subheader("Edges and their evidence")
graph.edge_section(edges, al.evidence, names=graph.actor_names(al.nodes))
graph.downloads(nodes, edges, focus=focus)
