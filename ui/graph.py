"""Draw the alliance graph with pyvis: vis-network from our own server, colour-blind-safe edges, escaped hovers.

pyvis builds the nodes, edges and options from hashable records (cached,
never written to disk). They are drawn in the page itself, no iframe, by a
Streamlit v2 component (``static/graph.js``) with pyvis's copy of vis-network,
which ``static/vis-loader.js`` loads once per browser tab from the app's static
files (``server.enableStaticServing``: ``static/X`` is served at ``app/static/X``),
started early by :mod:`ui.preload`. Each rerun hands over only the new network,
drawn again in place. Physics runs a bounded stabilisation and is then switched
off, so a 300-node graph stays responsive. Nothing comes from the network;
:func:`network_html` makes the same graph a self-contained page (library and
data inlined into ``static/index.html``) for the download.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Iterable
from html import escape

import pandas as pd
import streamlit as st
from pyvis.edge import Edge
from pyvis.network import Network

from analysis import graph as G
from analysis import schema as S
from analysis.views import reader_link
from ui.preload import STATIC, static_text, vis_loader_js
from ui.table import READER_LINK, Column, table

COOPERATION = {"color": "#0072B2", "dashes": False, "smooth": {"type": "curvedCW", "roundness": 0.12}}
CONFLICT = {"color": "#D55E00", "dashes": [10, 6], "smooth": {"type": "curvedCCW", "roundness": 0.12}}
EDGE_STYLE = {"cooperation": COOPERATION, "conflict": CONFLICT}
FOCUS_COLOUR = "#F0E442"
NODE_COLOUR = {"background": "#E8E8E8", "border": "#555555"}
MAX_EDGES = 800
HEIGHT = 620
VIS_LIB = "lib/vis-9.1.2"
"""pyvis's copy of vis-network (under its template folder), the one ``static/`` holds."""
ASSETS = ("vis-network.min.js", "vis-network.css")
FRAME_DIR = STATIC
"""``static/``: the download page's template (index.html), the component's code (graph.js) and a copy
of pyvis's vis-network files, which Streamlit serves to the browser at ``app/static/``."""
COMPONENT = "expert_lens_graph"
GRAPH_KEY = "alliance_graph"
"""Widget key of the graph: it keeps the same element (and its network) across reruns."""
CSS = """
.el-graph-wrap{position:relative;}
.el-graph{width:100%;height:620px;background:#FFFFFF;border:1px solid #DDDDDD;box-sizing:border-box;}
.el-graph-legend{position:absolute;top:8px;left:8px;background:#FFFFFFE6;color:#31333F;padding:4px 8px;
  font-size:12px;border:1px solid #DDDDDD;border-radius:4px;line-height:1.6;}
.el-graph .vis-tooltip{max-width:460px;white-space:normal !important;line-height:normal;}
.el-tip p{margin:0.3em 0;font-size:inherit;line-height:inherit;}
.el-graph-loading{position:absolute;top:50%;left:0;right:0;text-align:center;color:#555555;font-size:14px;
  pointer-events:none;}
"""
"""The graph's look in the page (the component is not style-isolated, so vis-network's own CSS, loaded
by static/vis-loader.js, styles its tooltip)."""

OPTIONS = {
    "physics": {
        "enabled": True, "solver": "barnesHut", "minVelocity": 0.75,
        "barnesHut": {"gravitationalConstant": -9000, "springLength": 150, "springConstant": 0.035,
                      "damping": 0.35, "avoidOverlap": 0.2},
        "stabilization": {"enabled": True, "iterations": 200, "updateInterval": 25, "fit": True},
    },
    "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": True, "keyboard": True},
    "nodes": {"shape": "dot", "font": {"size": 14, "face": "sans-serif"}},
    "edges": {"selectionWidth": 2, "hoverWidth": 1.5},
}

def edge_title(source: str, target: str, kind: str, weight: float, n_evidence: int,
               evidence: tuple[str, ...]) -> str:
    """Hover markup for an edge: our tags, every piece of data HTML-escaped."""
    head = (f"<b>{escape(source)} \u2013 {escape(target)}</b>: {escape(kind)} "
            f"(weight {weight:g}, {n_evidence} sentence{'s' if n_evidence != 1 else ''})")
    body = "".join(f"<p>\u201c{escape(text)}\u201d</p>" for text in evidence)
    return head + body


def node_records(nodes: pd.DataFrame) -> tuple[tuple[str, str, str, int], ...]:
    """Hashable node records (actor_id, name, type, n_mentions) for the cached renderer."""
    return tuple((str(r[S.ACTOR_ID]), str(r["name"]), str(r["type"]), int(r["n_mentions"]))
                 for r in nodes.to_dict("records"))


def edge_records(edges: pd.DataFrame, *, limit: int = MAX_EDGES) -> tuple[tuple, ...]:
    """Hashable edge records (source, target, kind, weight, n_evidence, evidence), strongest first."""
    top = edges.sort_values("weight", ascending=False, kind="stable").head(limit)
    return tuple((str(r["source"]), str(r["target"]), str(r["kind"]), float(r["weight"]),
                  int(r["n_evidence"]), tuple(str(t) for t in r["evidence"]))
                 for r in top.to_dict("records"))


def network_data(nodes: tuple[tuple[str, str, str, int], ...], edges: tuple[tuple, ...], *,
                 focus: str | None = None, height: int = HEIGHT) -> dict:
    """The network pyvis builds from these records: {"nodes", "edges", "options", "height"} for vis."""
    net = Network(height=f"{height}px", width="100%", cdn_resources="in_line")
    names = {code: name for code, name, _, _ in nodes}
    for code, name, typ, n_mentions in nodes:
        colour = dict(NODE_COLOUR, border="#000000", background=FOCUS_COLOUR) if code == focus \
            else NODE_COLOUR
        net.add_node(code, label=name, size=10 + 5 * math.sqrt(max(n_mentions, 0)),
                     shape="square" if typ == "organisation" else "dot", color=colour,
                     borderWidth=3 if code == focus else 1,
                     title=f"<b>{escape(name)}</b> ({escape(code)})<br>{n_mentions} mentions")
    for src, tgt, kind, weight, n_evidence, evidence in edges:
        if src not in names or tgt not in names:
            continue
        style = EDGE_STYLE.get(kind, COOPERATION)
        # pyvis's add_edge drops a second edge between the same pair; a pair may have both kinds.
        net.edges.append(Edge(src, tgt, net.directed, id=edge_id(src, tgt, kind),
                              width=1.5 + 2.0 * math.sqrt(max(weight, 0.0)), color=style["color"],
                              dashes=style["dashes"], smooth=style["smooth"],
                              title=edge_title(names[src], names[tgt], kind, weight, n_evidence,
                                               evidence)).options)
    net.options = OPTIONS
    nodes_, edges_, _, _, _, options = net.get_network_data()
    return {"nodes": nodes_, "edges": edges_, "options": json.loads(options), "height": height}


def _inline_json(value: object) -> str:
    """JSON for a <script> element: no "<", so no "</script>" can end it early."""
    return json.dumps(value).replace("<", "\\u003c")


def network_html(nodes: tuple[tuple[str, str, str, int], ...], edges: tuple[tuple, ...], *,
                 focus: str | None = None, height: int = HEIGHT) -> str:
    """A self-contained HTML page of the graph: static/index.html with vis-network and the data inlined."""
    page, css, js = (static_text(name) for name in ("index.html", "vis-network.css", "vis-network.min.js"))
    data = _inline_json(network_data(nodes, edges, focus=focus, height=height))
    replacements = {
        '<link rel="stylesheet" href="vis-network.css">': lambda: f"<style>{css}</style>",
        '<script src="vis-network.min.js"></script>':
            lambda: f"<script>{js}</script>\n<script>window.expertLensData = {data};</script>",
    }
    for old, new in replacements.items():
        if old not in page:
            raise ValueError(f"static/index.html no longer contains {old!r}")
        page = page.replace(old, new())
    return page


@st.cache_data(max_entries=32, show_spinner=False)
def cached_network_json(nodes: tuple, edges: tuple, *, focus: str | None = None,
                        height: int = HEIGHT) -> str:
    """Cached :func:`network_data` as JSON, keyed by the hashable records."""
    return json.dumps(network_data(nodes, edges, focus=focus, height=height), separators=(",", ":"))


@functools.cache
def _component() -> Callable[..., object]:
    """Register the graph component once per process (its code: static/vis-loader.js + graph.js)."""
    js = vis_loader_js() + "\n" + static_text("graph.js")
    return st.components.v2.component(COMPONENT, js=js, css=CSS, isolate_styles=False)


def show_network(nodes: pd.DataFrame, edges: pd.DataFrame, *, focus: str | None = None,
                 height: int = HEIGHT) -> None:
    """Draw the graph in the page (never inside a hidden tab) from node and edge frames."""
    shown = edge_records(edges)
    if len(edges) > len(shown):
        st.caption(f"Showing the {len(shown)} strongest of {len(edges)} edges.")
    network = cached_network_json(node_records(nodes), shown, focus=focus, height=height)
    _component()(key=GRAPH_KEY, data={"network": network, "height": height}, on_edge_change=_on_edge_click)


def edge_id(source: str, target: str, kind: str) -> str:
    """The id of an edge, in the graph and in the URL: its two actors and its kind."""
    return f"{source}|{target}|{kind}"


def edge_ids(edges: pd.DataFrame) -> list[str]:
    """:func:`edge_id` of every row of an edge frame, in its order."""
    return [edge_id(*row) for row in zip(edges["source"].astype(str), edges["target"].astype(str),
                                         edges["kind"].astype(str), strict=True)]


def _first_sentence(evidence: Iterable[object], n_evidence: int) -> str:
    """The first evidence sentence of an edge, and how many more state it."""
    texts = [str(t) for t in evidence]
    if not texts:
        return ""
    more = max(int(n_evidence), len(texts)) - 1
    return texts[0] + (f" (+{more} more)" if more else "")


def _some_cues(cues: Iterable[object], *, limit: int = 6) -> str:
    """An edge's cue words, each once whatever its case, the first ``limit`` of them."""
    seen: dict[str, str] = {}
    for cue in cues:
        seen.setdefault(str(cue).lower(), str(cue))
    shown = list(seen.values())
    return ", ".join(shown[:limit]) + (f" (+{len(shown) - limit} more)" if len(shown) > limit else "")


def edge_table(edges: pd.DataFrame, *, names: dict[str, str]) -> pd.DataFrame:
    """The edge table shown under the graph: names, kind, weight, counts, the main cues, the first sentence."""
    out = pd.DataFrame({
        "from": edges["source"].map(lambda c: names.get(c, c)),
        "to": edges["target"].map(lambda c: names.get(c, c)),
        "kind": edges["kind"], "weight": edges["weight"].round(2), "sentences": edges["n_evidence"],
        "articles": edges["n_articles"], "cues": edges["cues"].map(_some_cues),
        "evidence": [_first_sentence(ev, n) for ev, n in zip(edges["evidence"], edges["n_evidence"], strict=True)],
    })
    return out.reset_index(drop=True)


EDGE_COLUMNS = {
    "from": Column("From"), "to": Column("To"), "kind": Column("Kind"),
    "weight": Column("Weight", number=".2f", help="How much evidence: more sentences, articles and speakers "
                                                   "weigh more."),
    "sentences": Column("Sentences", number="d"), "articles": Column("Articles", number="d"),
    "cues": Column("Cues", help="The words that state the relation."),
    "evidence": Column("Evidence", width="40%"),
}
EVIDENCE_COLUMNS = {
    "sentence": Column("Sentence", width="40%"), "cue": Column("Cue"), "quad": Column("Class"),
    "weight": Column("Weight", number=".2f"), "said by": Column("Said by"), "article": Column("Article"),
    "published": Column("Published", nowrap=True),
    "open": READER_LINK,
}
EDGE_KEY = "edge"
"""Query parameter (and widget key) of the edge whose evidence is listed."""


def actor_names(nodes: pd.DataFrame) -> dict[str, str]:
    """Map the node table's actor ids to their display names."""
    return dict(zip(nodes[S.ACTOR_ID].astype(str), nodes["name"].astype(str), strict=True))


def focus_controls(nodes: pd.DataFrame) -> tuple[str | None, int]:
    """Draw the focus picker (an actor and 1 or 2 hops, both in the URL); return (focus, radius)."""
    names = actor_names(nodes)
    order = ["", *sorted(names, key=lambda code: names[code].lower())]
    left, right = st.columns([3, 1])
    with left:
        focus = st.selectbox("Focus on a country or organisation", order, key="focus",
                             format_func=lambda code: names.get(code, code) if code else "All actors",
                             bind="query-params", help="Show only its neighbourhood.")
    with right:
        hops = st.segmented_control("Neighbourhood", [1, 2], default=1, key="hops", required=True,
                                    format_func=lambda n: f"{n} hop{'s' if n > 1 else ''}",
                                    bind="query-params", disabled=not focus)
    return (focus or None), int(hops or 1)


def _on_edge_click() -> None:
    """Choose the edge clicked in the graph (a callback: runs before the rerun the click causes)."""
    value = st.session_state.get(GRAPH_KEY)
    clicked = getattr(value, "edge", None) if value is not None else None
    if isinstance(clicked, str) and clicked:
        st.session_state[EDGE_KEY] = clicked


def edge_section(edges: pd.DataFrame, evidence: pd.DataFrame, *, names: dict[str, str]) -> None:
    """The edge table (one row per pair and kind, strongest first); the chosen edge's evidence below."""
    edges = edges.sort_values("weight", ascending=False, kind="stable").head(MAX_EDGES).reset_index(drop=True)
    table(edge_table(edges, names=names), EDGE_COLUMNS, key="graph_edges")
    ids = edge_ids(edges)
    labels = {i: f"{names.get(r.source, r.source)} \u2013 {names.get(r.target, r.target)}, {r.kind} "
                 f"({r.n_evidence} sentence{'s' if r.n_evidence != 1 else ''})"
              for i, r in zip(ids, edges.itertuples(index=False), strict=True)}
    if st.session_state.get(EDGE_KEY) not in labels:
        st.session_state.pop(EDGE_KEY, None)   # an edge the filters no longer show: back to the strongest
    chosen = st.selectbox("Evidence for", ids, index=0, format_func=labels.get, key=EDGE_KEY,
                          bind="query-params", help="Or click an edge in the graph.")
    edge = edges.iloc[ids.index(chosen) if chosen in ids else 0]
    pick = evidence[(evidence["source"] == edge["source"]) & (evidence["target"] == edge["target"])
                    & (evidence["kind"] == edge["kind"])]
    table(evidence_table(pick), EVIDENCE_COLUMNS, key="graph_evidence")


def evidence_table(evidence: pd.DataFrame) -> pd.DataFrame:
    """Evidence rows for display: sentence, cue, weight, speaker, article and a reader link."""
    return pd.DataFrame({
        "sentence": evidence[S.TEXT], "cue": evidence["cue"], "quad": evidence["quad"],
        "weight": evidence["weight"], "said by": evidence["person"], "article": evidence["title"],
        "published": evidence["published"],
        "open": [reader_link(a, s) for a, s in zip(evidence[S.ARTICLE_ID], evidence[S.SENTENCE_ID],
                                                    strict=True)],
    }).reset_index(drop=True)


def downloads(nodes: pd.DataFrame, edges: pd.DataFrame, *, focus: str | None = None,
              stem: str = "expert-lens-graph") -> None:
    """GraphML, GEXF and self-contained HTML download buttons for the graph shown (built when clicked)."""
    left, middle, right = st.columns(3)
    with left:
        st.download_button("Download GraphML", lambda: G.to_graphml(G.build_graph(nodes, edges)),
                           file_name=f"{stem}.graphml", mime="application/graphml+xml",
                           on_click="ignore", icon=":material/download:", key="dl_graphml")
    with middle:
        st.download_button("Download GEXF", lambda: G.to_gexf(G.build_graph(nodes, edges)),
                           file_name=f"{stem}.gexf", mime="application/gexf+xml",
                           on_click="ignore", icon=":material/download:", key="dl_gexf")
    with right:
        st.download_button("Download HTML (works offline)",
                           lambda: network_html(node_records(nodes), edge_records(edges),
                                                focus=focus).encode("utf-8"),
                           file_name=f"{stem}.html", mime="text/html", on_click="ignore",
                           icon=":material/download:", key="dl_html",
                           help="The graph as one page, vis-network included.")
