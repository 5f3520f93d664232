"""The alliance graph: evidence rows -> edges per unordered pair and kind, nodes, exports, ego graphs."""

from __future__ import annotations

import io
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from analysis import graph as G
from analysis import schema as S


def rel(source: str, target: str, kind: str = "cooperation", weight: float = 1.0, *,
        sid: str = "s1", aid: str = "a1", text: str = "evidence", cue: str = "signed") -> dict:
    """One relation evidence row."""
    return {S.RELATION_ID: f"r-{source}-{target}-{sid}-{kind}", "source": source, "target": target,
            "kind": kind, "quad": f"verbal_{kind}", "cue": cue, "weight": weight, S.ARTICLE_ID: aid,
            S.SENTENCE_ID: sid, S.TEXT: text, S.PERSON_ID: ""}


def frame(*rows: dict) -> pd.DataFrame:
    """A relations frame with the schema's columns."""
    return pd.DataFrame(list(rows), columns=S.COLUMNS[S.RELATIONS])


ACTORS = pd.DataFrame({S.ACTOR_ID: ["RUS", "PRK", "CHN", "UKR"],
                       "name": ["Russia", "North Korea", "China", "Ukraine"],
                       "type": ["state"] * 4, "n_mentions": [0] * 4, "n_articles": [0] * 4})
MENTIONS = pd.DataFrame({"kind": ["actor"] * 5 + ["person"],
                         "ref": ["RUS", "RUS", "PRK", "CHN", "UKR", "RUS"],
                         S.ARTICLE_ID: ["a1"] * 6, S.SENTENCE_ID: ["s1"] * 6})


@pytest.mark.parametrize(("rows", "expected"), [
    # both directions of a pair are one edge
    ([rel("RUS", "PRK", sid="s1"), rel("PRK", "RUS", sid="s2", weight=0.5)],
     [("PRK", "RUS", "cooperation", 1.5, 2)]),
    # the same pair with both kinds is two edges
    ([rel("RUS", "PRK"), rel("PRK", "RUS", "conflict", 2.0, sid="s2")],
     [("PRK", "RUS", "conflict", 2.0, 1), ("PRK", "RUS", "cooperation", 1.0, 1)]),
    # two evidence rows from one sentence count as one sentence but both weights add up
    ([rel("CHN", "RUS", cue="joint"), rel("RUS", "CHN", cue="drills")],
     [("CHN", "RUS", "cooperation", 2.0, 1)]),
    # self-loops are dropped
    ([rel("RUS", "RUS"), rel("UKR", "RUS", "conflict")], [("RUS", "UKR", "conflict", 1.0, 1)]),
    ([], []),
])
def test_edges_per_unordered_pair_and_kind(rows: list[dict], expected: list[tuple]) -> None:
    edges = G.aggregate_edges(frame(*rows))
    assert list(edges.columns) == G.EDGE_COLUMNS
    got = [(r.source, r.target, r.kind, r.weight, r.n_evidence) for r in edges.itertuples()]
    assert got == expected


def test_strongest_kind_is_the_heavier_kind_of_the_pair() -> None:
    edges = G.aggregate_edges(frame(rel("RUS", "PRK", weight=0.5),
                                    rel("PRK", "RUS", "conflict", 2.0, sid="s2"),
                                    rel("CHN", "RUS", weight=1.0)))
    strongest = {(r.source, r.target, r.kind): r.strongest for r in edges.itertuples()}
    assert strongest == {("PRK", "RUS", "conflict"): "conflict", ("PRK", "RUS", "cooperation"): "conflict",
                         ("CHN", "RUS", "cooperation"): "cooperation"}


def test_edge_evidence_keeps_distinct_sentences_strongest_first_up_to_the_limit() -> None:
    rows = [rel("RUS", "PRK", weight=w, sid=f"s{i}", text=f"sentence {i}") for i, w in enumerate([0.2, 3, 1])]
    rows.append(rel("RUS", "PRK", weight=0.1, sid="s1", text="sentence 1"))
    edge = G.aggregate_edges(frame(*rows), max_evidence=2).iloc[0]
    assert edge["evidence"] == ("sentence 1", "sentence 2")
    assert edge["n_evidence"] == 3
    assert edge["cues"] == ("signed",)


def test_edge_evidence_rows_for_one_pair_in_either_direction() -> None:
    rels = frame(rel("RUS", "PRK", sid="s1"), rel("PRK", "RUS", "conflict", sid="s2"), rel("CHN", "RUS"))
    assert set(G.edge_evidence(rels, source="RUS", target="PRK")[S.SENTENCE_ID]) == {"s1", "s2"}
    assert list(G.edge_evidence(rels, source="PRK", target="RUS", kind="conflict")[S.SENTENCE_ID]) == ["s2"]


def test_nodes_are_edge_ends_with_names_and_mention_counts() -> None:
    edges = G.aggregate_edges(frame(rel("RUS", "PRK"), rel("RUS", "XYZ", "conflict")))
    nodes = G.node_table(edges, actors=ACTORS, mentions=MENTIONS)
    got = {r.actor_id: (r.name, r.n_mentions, r.degree) for r in nodes.itertuples()}
    assert got == {"RUS": ("Russia", 2, 2), "PRK": ("North Korea", 1, 1), "XYZ": ("XYZ", 0, 1)}
    assert list(nodes.columns) == G.NODE_COLUMNS


def test_graph_exports_parse_and_keep_both_kinds_of_a_pair() -> None:
    edges = G.aggregate_edges(frame(rel("RUS", "PRK", text="<script>alert(1)</script>"),
                                    rel("PRK", "RUS", "conflict", sid="s2")))
    graph = G.build_graph(G.node_table(edges, actors=ACTORS, mentions=MENTIONS), edges)
    assert graph.number_of_nodes() == 2 and graph.number_of_edges() == 2
    graphml = G.to_graphml(graph)
    back = nx.read_graphml(io.BytesIO(graphml))
    assert back.nodes["RUS"]["name"] == "Russia"
    kinds = sorted(d["kind"] for _, _, d in back.edges(data=True))
    assert kinds == ["conflict", "cooperation"]
    assert "<script>" not in graphml.decode()            # XML-escaped, still recoverable
    assert any(d["evidence"] == "<script>alert(1)</script>" for _, _, d in back.edges(data=True))
    root = ET.fromstring(G.to_gexf(graph))
    assert root.tag.endswith("gexf")
    assert len(root.findall(".//{*}edge")) == 2


@pytest.mark.parametrize(("focus", "radius", "expected"), [
    ("UKR", 1, {"UKR", "RUS"}),
    ("UKR", 2, {"UKR", "RUS", "PRK", "CHN"}),
    ("PRK", 1, {"PRK", "RUS", "CHN"}),
    ("NONE", 1, set()),
])
def test_neighbourhood_of_a_focused_actor(focus: str, radius: int, expected: set[str]) -> None:
    edges = G.aggregate_edges(frame(rel("UKR", "RUS", "conflict"), rel("RUS", "PRK"), rel("PRK", "CHN"),
                                    rel("CHN", "RUS", sid="s9")))
    nodes = G.node_table(edges, actors=ACTORS, mentions=MENTIONS)
    sub_nodes, sub_edges = G.neighbourhood(nodes, edges, focus=focus, radius=radius)
    assert set(sub_nodes[S.ACTOR_ID]) == expected
    assert set(sub_edges["source"]) | set(sub_edges["target"]) <= expected


def test_large_evidence_table_aggregates_quickly() -> None:
    n = 30_000
    big = pd.DataFrame({"source": [f"A{i % 300:03d}" for i in range(n)],
                        "target": [f"A{(i * 7 + 1) % 300:03d}" for i in range(n)],
                        "kind": ["cooperation", "conflict"] * (n // 2), "quad": "q", "cue": "c",
                        "weight": 1.0, S.ARTICLE_ID: [f"a{i // 5}" for i in range(n)],
                        S.SENTENCE_ID: [f"s{i}" for i in range(n)], S.TEXT: "t", S.PERSON_ID: ""})
    start = time.perf_counter()
    edges = G.aggregate_edges(big)
    assert time.perf_counter() - start < 2.0
    assert edges["n_evidence"].sum() == n


def test_alliance_view_of_a_dataset_carries_titles_and_speakers(tmp_path: Path) -> None:
    from analysis.store import load_dataset
    from tests.ui.fixture_data import make_dataset

    al = G.alliance(load_dataset(make_dataset(tmp_path / "data")))
    assert len(al.edges) == 8
    assert set(al.nodes[S.ACTOR_ID]) == {"RUS", "PRK", "CHN", "UKR", "KOR", "NATO", "EU"}
    row = al.evidence[al.evidence[S.SENTENCE_ID] == "a-pact-s2"].iloc[0]
    assert (row["source"], row["target"]) == ("PRK", "RUS")          # ordered like the edges
    assert row["title"] == "Russia and North Korea seal a defence pact"
    assert row["person"] == "Anna Kovalenko"
    assert (al.evidence["person"] == "").sum() > 0                   # no speaker: "" not NaN
