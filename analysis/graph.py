"""The alliance graph: relation evidence aggregated to edges, actor nodes, networkx graph, exports.

One edge per unordered actor pair and relation kind (cooperation or conflict),
carrying the summed weight, the number of evidence sentences and the pair's
strongest kind. Nodes are the actors at either end of an edge, sized by how
often the (filtered) text mentions them. Everything here is pure: frames in,
frames, graphs or bytes out.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import networkx as nx
import pandas as pd

from analysis import schema as S
from analysis.store import Dataset

EDGE_COLUMNS = [
    "source", "target", "kind", "weight", "n_evidence", "n_articles", "strongest",
    "quads", "cues", "evidence", "sentence_ids",
]
NODE_COLUMNS = [S.ACTOR_ID, "name", "type", "n_mentions", "degree", "weight"]
EVIDENCE_COLUMNS = [
    "source", "target", "kind", "quad", "cue", "weight", S.TEXT, S.ARTICLE_ID, S.SENTENCE_ID,
    S.PERSON_ID,
]


def _collect(rel: pd.DataFrame, keys: list[str], col: str, *, limit: int | None) -> dict[tuple, tuple]:
    """Per group of ``keys``, the tuple of distinct non-empty ``col`` strings in first-seen order."""
    out: dict[tuple, dict[str, None]] = {}
    for *key, value in zip(*(rel[c].tolist() for c in keys), rel[col].tolist(), strict=True):
        if isinstance(value, str) and value:
            seen = out.setdefault(tuple(key), {})
            if limit is None or len(seen) < limit:
                seen[value] = None
    return {key: tuple(seen) for key, seen in out.items()}


def pair_key(relations: pd.DataFrame) -> pd.DataFrame:
    """Return ``relations`` with ``source``/``target`` ordered so each unordered pair has one key."""
    rel = relations.copy()
    src = rel["source"].astype(str)
    tgt = rel["target"].astype(str)
    swap = src > tgt
    rel["source"] = src.where(~swap, tgt)
    rel["target"] = tgt.where(~swap, src)
    return rel


def aggregate_edges(relations: pd.DataFrame, *, max_evidence: int = 5) -> pd.DataFrame:
    """Aggregate relation evidence rows to one edge per unordered actor pair and kind."""
    rel = relations[relations["source"].notna() & relations["target"].notna()]
    rel = rel[rel["source"].astype(str) != rel["target"].astype(str)]
    if rel.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in EDGE_COLUMNS})
    rel = pair_key(rel)
    rel["weight"] = pd.to_numeric(rel["weight"], errors="coerce").fillna(1.0)
    rel = rel.sort_values("weight", ascending=False, kind="stable")
    keys = ["source", "target", "kind"]
    edges = rel.groupby(keys, sort=False).agg(
        weight=("weight", "sum"), n_evidence=(S.SENTENCE_ID, "nunique"),
        n_articles=(S.ARTICLE_ID, "nunique"))
    lists = (("quad", "quads", None), ("cue", "cues", None), (S.TEXT, "evidence", max_evidence),
             (S.SENTENCE_ID, "sentence_ids", max_evidence))
    for col, out, limit in lists:
        found = _collect(rel, keys, col, limit=limit)
        edges[out] = [found.get(key, ()) for key in edges.index]
    edges = edges.reset_index()
    edges["weight"] = edges["weight"].astype(float)
    ranked = edges.sort_values(["weight", "n_evidence", "kind"], ascending=[False, False, True])
    strongest = ranked.drop_duplicates(["source", "target"]).set_index(["source", "target"])["kind"]
    pairs = pd.MultiIndex.from_frame(edges[["source", "target"]])
    edges["strongest"] = strongest.reindex(pairs).to_numpy()
    edges = edges.sort_values(["weight", "source", "target", "kind"], ascending=[False, True, True, True])
    return edges[EDGE_COLUMNS].reset_index(drop=True)


def edge_evidence(relations: pd.DataFrame, *, source: str, target: str,
                  kind: str | None = None) -> pd.DataFrame:
    """Return the evidence rows behind the edge between ``source`` and ``target`` (either direction)."""
    rel = relations
    hit = ((rel["source"] == source) & (rel["target"] == target)) | (
        (rel["source"] == target) & (rel["target"] == source))
    if kind:
        hit &= rel["kind"] == kind
    out = rel.loc[hit, EVIDENCE_COLUMNS]
    return out.sort_values("weight", ascending=False, kind="stable").reset_index(drop=True)


def node_table(edges: pd.DataFrame, *, actors: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """Return one row per actor at an end of an edge, with name, type, mention count and degree."""
    ends = pd.concat([edges[["source", "weight"]].rename(columns={"source": S.ACTOR_ID}),
                      edges[["target", "weight"]].rename(columns={"target": S.ACTOR_ID})])
    if ends.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in NODE_COLUMNS})
    stats = ends.groupby(S.ACTOR_ID).agg(degree=("weight", "size"), weight=("weight", "sum"))
    act = mentions[mentions["kind"] == "actor"]
    n_mentions = act.groupby("ref").size()
    info = actors.drop_duplicates(S.ACTOR_ID).set_index(S.ACTOR_ID)
    nodes = stats.reset_index()
    ids = nodes[S.ACTOR_ID]
    nodes["name"] = ids.map(info["name"]).fillna(ids).astype(str)
    nodes["type"] = ids.map(info["type"]).fillna("").astype(str)
    nodes["n_mentions"] = ids.map(n_mentions).fillna(0).astype(int)
    nodes["degree"] = nodes["degree"].astype(int)
    nodes["weight"] = nodes["weight"].astype(float)
    nodes = nodes.sort_values(["n_mentions", S.ACTOR_ID], ascending=[False, True])
    return nodes[NODE_COLUMNS].reset_index(drop=True)


def _attr(value: object) -> str | int | float:
    """A GraphML/GEXF-safe attribute value (str, int or float)."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return value
    if isinstance(value, tuple | list):
        return " | ".join(str(v) for v in value)
    return "" if value is None else str(value)


def build_graph(nodes: pd.DataFrame, edges: pd.DataFrame) -> nx.MultiGraph:
    """Return an undirected multigraph: one node per actor, one edge (keyed by kind) per edge row."""
    graph = nx.MultiGraph()
    for row in nodes.to_dict("records"):
        graph.add_node(row[S.ACTOR_ID], **{k: _attr(v) for k, v in row.items() if k != S.ACTOR_ID})
    for row in edges.to_dict("records"):
        attrs = {k: _attr(v) for k, v in row.items() if k not in ("source", "target")}
        graph.add_edge(row["source"], row["target"], key=row["kind"], **attrs)
    return graph


def to_graphml(graph: nx.Graph) -> bytes:
    """Serialise ``graph`` as GraphML bytes."""
    buf = io.BytesIO()
    nx.write_graphml(graph, buf, encoding="utf-8")
    return buf.getvalue()


def to_gexf(graph: nx.Graph) -> bytes:
    """Serialise ``graph`` as GEXF bytes."""
    buf = io.BytesIO()
    nx.write_gexf(graph, buf, encoding="utf-8")
    return buf.getvalue()


def neighbourhood(nodes: pd.DataFrame, edges: pd.DataFrame, *, focus: str,
                  radius: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the nodes and edges of the ego graph of ``focus`` within ``radius`` hops."""
    graph = nx.Graph()
    graph.add_nodes_from(nodes[S.ACTOR_ID])
    graph.add_edges_from(zip(edges["source"], edges["target"], strict=True))
    if focus not in graph:
        return nodes.iloc[0:0], edges.iloc[0:0]
    keep = set(nx.ego_graph(graph, focus, radius=radius).nodes)
    sub_nodes = nodes[nodes[S.ACTOR_ID].isin(keep)].reset_index(drop=True)
    sub_edges = edges[edges["source"].isin(keep) & edges["target"].isin(keep)].reset_index(drop=True)
    return sub_nodes, sub_edges


@dataclass(frozen=True)
class Alliance:
    """The graph view of a (filtered) dataset: nodes, edges and the evidence rows behind them."""

    nodes: pd.DataFrame
    edges: pd.DataFrame
    evidence: pd.DataFrame


def alliance(ds: Dataset) -> Alliance:
    """Build the graph view: edges from relations, nodes with mention counts, evidence with titles."""
    edges = aggregate_edges(ds[S.RELATIONS])
    nodes = node_table(edges, actors=ds[S.ACTORS], mentions=ds[S.MENTIONS])
    rel = pair_key(ds[S.RELATIONS]) if len(ds[S.RELATIONS]) else ds[S.RELATIONS].copy()
    arts = ds[S.ARTICLES].drop_duplicates(S.ARTICLE_ID).set_index(S.ARTICLE_ID)
    people = ds[S.PEOPLE].drop_duplicates(S.PERSON_ID).set_index(S.PERSON_ID)["name"]
    evidence = rel[EVIDENCE_COLUMNS].copy()
    lookups = (("title", S.ARTICLE_ID, arts["title"]), ("published", S.ARTICLE_ID, arts["published"]),
               ("person", S.PERSON_ID, people))
    for col, keys, values in lookups:
        found = evidence[keys].map(values).astype(object)
        evidence[col] = found.where(found.notna(), "")
    return Alliance(nodes=nodes, edges=edges, evidence=evidence.reset_index(drop=True))
