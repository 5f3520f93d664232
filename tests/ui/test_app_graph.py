"""The alliance graph: the network pyvis builds, the component and the download page that draw it
(offline, escaped, bounded physics), and its page (AppTest)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import pyvis
from streamlit.testing.v1 import AppTest

from analysis import graph as G
from analysis.store import load_dataset
from tests.ui.conftest import markup_free_elements, page_runner
from tests.ui.fixture_data import IMG, SCRIPT, make_large_dataset
from tests.ui.html_tables import page_table
from ui import graph as UG
from ui import preload
from ui.table import FIRST_ROWS


def vis_data(page: str) -> tuple[list[dict], list[dict]]:
    """The node and edge lists a self-contained graph page hands to vis-network."""
    network = network_of(page)
    return network["nodes"], network["edges"]


def network_of(page: str) -> dict:
    """The network ({nodes, edges, options, height}) inlined in a self-contained graph page."""
    match = re.search(r"window\.expertLensData = ", page)
    assert match, "no inlined network"
    return json.JSONDecoder().raw_decode(page, match.end())[0]


def graph_html(path: Path, *, focus: str | None = None) -> str:
    """The pyvis page for the dataset at ``path``."""
    al = G.alliance(load_dataset(path))
    return UG.network_html(UG.node_records(al.nodes), UG.edge_records(al.edges), focus=focus)


@pytest.fixture(scope="module")
def big_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic dataset whose graph has 300 actors."""
    return make_large_dataset(tmp_path_factory.mktemp("graph-big") / "data", n_articles=200)


@pytest.fixture(scope="module")
def small_page(small_dataset: Path) -> str:
    return graph_html(small_dataset)


@pytest.fixture(scope="module")
def hostile_page(hostile_dataset: Path) -> str:
    return graph_html(hostile_dataset)


# -- the HTML -----------------------------------------------------------------------------------

def test_the_page_inlines_vis_network_and_loads_nothing_from_the_network(small_page: str) -> None:
    page = small_page
    assert "vis.Network" in page and len(page) > 300_000          # the library itself is inside
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+href=", page)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)


def test_the_download_template_links_vis_network_next_to_it_for_inlining() -> None:
    frame = (UG.FRAME_DIR / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r"<script[^>]+src=\"([^\"]+)\"", frame)
    links = re.findall(r"<link[^>]+href=\"([^\"]+)\"", frame)
    assert scripts == ["vis-network.min.js"] and links == ["vis-network.css"]   # replaced by network_html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", frame)
    assert "vis.Network" in frame and len(frame) < 10_000      # the library is not inside


def component_js() -> str:
    """The graph component's browser code, as registered (static/vis-loader.js + static/graph.js)."""
    UG._component.cache_clear()
    registered: dict[str, str] = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(UG.st.components.v2, "component", lambda name, **kw: registered.update(name=name, **kw))
        UG._component()
    UG._component.cache_clear()
    assert registered["name"] == UG.COMPONENT and registered["isolate_styles"] is False   # in the page
    assert ".vis-tooltip" in registered["css"]
    return registered["js"]


def test_the_app_component_loads_vis_network_from_the_app_only() -> None:
    js = component_js()
    assert js.startswith(preload.vis_loader_js())
    assert re.findall(r'"([\w.-]+\.(?:js|css))"', preload.vis_loader_js()) == list(UG.ASSETS)
    assert '"../../app/static/" + file' in js and '"app/static/" + file' in js   # this server's static files
    assert not re.search(r"https?:|//[a-z]", js)   # no other host
    assert "vis.Network" in js and len(js) < 20_000      # the library is not inside


def test_the_component_redraws_in_place_with_bounded_physics_and_escaped_tips() -> None:
    js = component_js()
    assert "network.setOptions(args.options);\n    network.setData(data);" in js   # no new Network per run
    assert 'once("stabilizationIterationsDone"' in js
    assert "setOptions({physics: {enabled: false}})" in js
    assert "el.innerHTML = markup" in js        # as the download page's tip(): escaped text shows as text
    for attribute in ("received", "drawn", "stabilised"):
        assert f"box.dataset.{attribute}" in js
    assert "window.expertLensNetwork = network" in js


def test_the_app_serves_pyvis_own_vis_network() -> None:
    pyvis_lib = Path(pyvis.__file__).parent / "templates" / UG.VIS_LIB
    for name in UG.ASSETS:     # byte for byte the copy pyvis inlines (a pyvis upgrade must refresh it)
        assert (UG.FRAME_DIR / name).read_bytes() == (pyvis_lib / name).read_bytes(), name


def test_the_page_and_the_app_component_get_the_same_network(small_dataset: Path) -> None:
    al = G.alliance(load_dataset(small_dataset))
    records = UG.node_records(al.nodes), UG.edge_records(al.edges)
    assert network_of(UG.network_html(*records)) == UG.network_data(*records)
    assert json.loads(UG.cached_network_json(*records)) == UG.network_data(*records)


def test_physics_stabilises_in_bounded_iterations_then_switches_off(small_page: str) -> None:
    page = small_page
    options = network_of(page)["options"]
    assert options["physics"]["stabilization"]["iterations"] == 200
    assert 'once("stabilizationIterationsDone"' in page
    assert "setOptions({physics: {enabled: false}})" in page


def test_edges_differ_by_colour_and_dash_and_grow_with_evidence(small_page: str) -> None:
    nodes, edges = vis_data(small_page)
    style = {(e["color"], json.dumps(e["dashes"])) for e in edges}
    assert style == {("#0072B2", "false"), ("#D55E00", "[10, 6]")}
    by_pair = {frozenset((e["from"], e["to"])): e["width"] for e in edges if e["color"] == "#0072B2"}
    assert by_pair[frozenset(("RUS", "PRK"))] > by_pair[frozenset(("EU", "NATO"))]
    size = {n["id"]: n["size"] for n in nodes}
    assert size["RUS"] > size["PRK"] > size["UKR"]


def test_a_pair_with_both_kinds_keeps_both_edges(hostile_page: str) -> None:
    _, edges = vis_data(hostile_page)   # pyvis's add_edge would drop the second one
    kinds = sorted(e["color"] for e in edges if {e["from"], e["to"]} == {"CHN", "PRK"})
    assert kinds == ["#0072B2", "#D55E00"]


def test_hover_titles_escape_the_evidence(hostile_page: str) -> None:
    page = hostile_page
    assert SCRIPT not in page and IMG not in page
    _, edges = vis_data(page)
    titles = [e["title"] for e in edges if "alert(1)" in e["title"]]
    assert titles, "the hostile evidence should be in a hover title"
    for title in titles:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in title
        assert "<script" not in title and "<img" not in title
    assert "el.innerHTML = markup" in page   # titles become elements: escaped text shows as text


def test_focus_is_highlighted(small_dataset: Path) -> None:
    nodes, _ = vis_data(graph_html(small_dataset, focus="UKR"))
    border = {n["id"]: n["borderWidth"] for n in nodes}
    assert border["UKR"] == 3 and border["RUS"] == 1


def test_three_hundred_nodes_build_fast(big_dataset: Path) -> None:
    al = G.alliance(load_dataset(big_dataset))
    assert len(al.nodes) == 300
    start = time.perf_counter()
    page = UG.network_html(UG.node_records(al.nodes), UG.edge_records(al.edges))
    assert time.perf_counter() - start < 2.0
    nodes, edges = vis_data(page)
    assert len(nodes) == 300 and 0 < len(edges) <= UG.MAX_EDGES


# -- the page (AppTest) -------------------------------------------------------------------------

@pytest.fixture
def run_graph(make_app: Callable[..., AppTest], small_dataset: Path) -> Callable[..., AppTest]:
    """Run the graph page (on the small dataset unless ``data`` is given) with query parameters."""
    return page_runner(make_app, small_dataset, "pages/graph.py")


def graph_components(at: AppTest) -> list:
    """The graph components (Streamlit v2 components, drawn in the page) on the page."""
    return [el for el in at.get("bidi_component") if el.proto.component_name == UG.COMPONENT]


def shown_network(at: AppTest) -> dict:
    """The network ({nodes, edges, options, height}) handed to the page's one graph."""
    frames = graph_components(at)
    assert len(frames) == 1
    data = json.loads(frames[0].proto.json)
    network = json.loads(data["network"])
    assert data["height"] == network["height"] == UG.HEIGHT
    return network


def shown_nodes(at: AppTest) -> set[str]:
    """Ids of the nodes in the drawn graph."""
    return {n["id"] for n in shown_network(at)["nodes"]}


def test_default_view_draws_every_related_actor_with_table_and_downloads(run_graph) -> None:
    at = run_graph()
    assert at.title[0].value == "Who stands with whom?"
    assert shown_nodes(at) == {"RUS", "PRK", "CHN", "UKR", "KOR", "NATO", "EU"}
    table = page_table(at, "graph_edges")
    assert len(table) == 8 and {"from", "to", "kind", "evidence"} <= set(table.columns)
    evidence = page_table(at, "graph_evidence")
    assert len(evidence) and evidence["open"].str.startswith("reader?article=").all()
    chosen = at.selectbox(key="edge")
    assert chosen.index == 0 and chosen.format_func(chosen.value).startswith("North Korea \u2013 Russia, cooperation")
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download GraphML", "Download GEXF", "Download HTML (works offline)"]
    assert all(b.proto.ignore_rerun for b in at.get("download_button"))   # a download reruns nothing


def _edge_ids(path: Path) -> list[str]:
    """The ids of the dataset's edges in the order of the page's edge table (strongest first)."""
    edges = G.alliance(load_dataset(path)).edges.sort_values("weight", ascending=False, kind="stable")
    return UG.edge_ids(edges)


def test_choosing_an_edge_lists_its_evidence(run_graph, small_dataset: Path) -> None:
    at = run_graph()
    second = _edge_ids(small_dataset)[1]
    at.selectbox(key="edge").set_value(second).run()
    assert at.selectbox(key="edge").value == second
    assert len(page_table(at, "graph_evidence")) == int(page_table(at, "graph_edges").loc[1, "sentences"])
    assert second in {e["id"] for e in shown_network(at)["edges"]}   # the graph's own id of that edge


def test_an_edge_in_the_url_opens_with_its_evidence(run_graph) -> None:
    label = run_graph().selectbox(key="edge").options[2]
    at = run_graph(edge=label)
    assert at.selectbox(key="edge").options.index(label) == 2 and at.selectbox(key="edge").value
    assert len(page_table(at, "graph_evidence")) == int(page_table(at, "graph_edges").loc[2, "sentences"])


def test_an_edge_the_filters_hide_falls_back_to_the_strongest(run_graph, small_dataset: Path) -> None:
    at = run_graph(edge="Nowhere \u2013 Nobody, conflict (1 sentence)")
    assert not at.exception and at.selectbox(key="edge").value == _edge_ids(small_dataset)[0]


def test_actor_filter_in_the_url_keeps_its_edges_only(run_graph) -> None:
    at = run_graph(actors=["Ukraine"])
    assert at.session_state["actors"] == ["UKR"]
    assert shown_nodes(at) == {"UKR", "PRK"}
    assert len(page_table(at, "graph_edges")) == 1


@pytest.mark.parametrize(("params", "expected"), [
    ({"focus": "Ukraine"}, {"UKR", "PRK"}),
    ({"focus": "South Korea", "hops": "2 hops"}, {"KOR", "RUS", "PRK", "CHN"}),
])
def test_focus_in_the_url_shows_the_neighbourhood(run_graph, params: dict, expected: set[str]) -> None:
    at = run_graph(**params)
    assert shown_nodes(at) == expected


def test_filters_that_match_nothing_show_an_empty_state(run_graph) -> None:
    at = run_graph(actors=["United States"])
    assert not graph_components(at)
    assert "No relations match these filters" in at.info[0].value
    assert at.button(key="graph_empty").label == "Clear all filters"


def test_missing_dataset_says_how_to_build_it(run_graph, tmp_path: Path) -> None:
    at = run_graph(tmp_path / "nowhere")
    assert "No dataset" in at.error[0].value
    assert "python -m analysis build" in at.code[0].value
    assert not graph_components(at)


def test_hostile_evidence_shows_as_text_everywhere(run_graph, hostile_dataset: Path) -> None:
    at = run_graph(hostile_dataset)
    assert markup_free_elements(at) > 5
    table = page_table(at, "graph_edges")   # the table shows the same text as text (escaped HTML)
    assert table["evidence"].str.contains(SCRIPT, regex=False).any()


def test_the_page_draws_three_hundred_actors(run_graph, big_dataset: Path) -> None:
    at = run_graph(big_dataset)
    assert len(shown_nodes(at)) == 300
    assert len(page_table(at, "graph_edges")) == FIRST_ROWS   # a page of the strongest edges
    assert at.button(key="graph_edges_more")
