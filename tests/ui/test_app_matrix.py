"""The opinion matrix page: default view, URL filters and cell, empty state, escaping."""

from __future__ import annotations

import pytest

from tests.ui.html_tables import page_table
from ui.matrix import COLOURS

OKABE_ITO = {"yes": "#0072B2", "no": "#E69F00", "mixed": "#CC79A7"}


def _heatmap(spec: dict) -> dict:
    return next(t for t in spec["data"] if t["type"] == "heatmap")


def test_default_view_draws_every_person_and_question_with_the_split(make_app, plotly_spec):
    at = make_app().run()
    assert not at.exception
    assert at.title[0].value == "Who thinks what?"
    heat = _heatmap(plotly_spec(at))
    assert heat["y"] == ["Anna Kovalenko", "James Holt", "Liu Wei"]
    assert heat["x"][0].startswith("<b>China</b><br><b>approves</b>")  # wrapped to fit the column
    assert "2 yes" not in heat["x"][0] and "1 yes, 1 no, 1 mixed" in heat["x"][0]
    assert heat["text"][2][0] == "no"          # Liu Wei on China approves, in words as well as colour
    assert len(page_table(at, "matrix_evidence")) == 8     # every stance sentence behind the matrix
    assert at.get("download_button")[0].label.startswith("Download matrix")


def test_stance_colours_are_colour_blind_safe_and_have_a_legend(make_app, plotly_spec):
    at = make_app().run()
    spec = plotly_spec(at)
    colours = {c for _, c in _heatmap(spec)["colorscale"]}
    assert {v for k, v in COLOURS.items() if k in OKABE_ITO} == set(OKABE_ITO.values()) <= colours
    legend = [t["name"] for t in spec["data"] if t.get("showlegend", True) and t.get("name")]
    assert legend == ["yes", "no", "mixed", "no view"]


def test_hover_shows_the_deciding_sentence(make_app, plotly_spec):
    at = make_app(params={"people": "Liu Wei"}).run()
    hover = _heatmap(plotly_spec(at))["customdata"][0][0]
    assert "Stance: no" in hover and "argued that Beijing is" in hover
    assert "Russia and North Korea seal a defence pact" in hover


@pytest.mark.parametrize(("params", "rows", "people"), [
    ({"people": "Liu Wei"}, 1, ["Liu Wei"]),
    ({"questions": ["Russia weakened", "Tech transfer"]}, 3, ["Anna Kovalenko", "James Holt"]),
    ({"articles": "The West should act before the axis hardens"}, 3, ["James Holt", "Anna Kovalenko"]),
    ({"actors": "China"}, 3, ["Anna Kovalenko", "James Holt", "Liu Wei"]),  # "Beijing" counts
])
def test_a_filter_in_the_url_cuts_the_matrix(make_app, plotly_spec, params, rows, people):
    at = make_app(params=params).run()
    assert not at.exception
    assert len(page_table(at, "matrix_evidence")) == rows
    assert _heatmap(plotly_spec(at))["y"] == people


def test_a_cell_in_the_url_lists_its_evidence_with_a_reader_link(make_app):
    at = make_app(params={"person": "Anna Kovalenko", "question": "Tech transfer"}).run()
    assert not at.exception
    ev = page_table(at, "matrix_evidence")
    assert list(ev["sentence"]) == ["\u201cPyongyang is almost certainly going to receive advanced missile "
                                    "technology in return,\u201d Kovalenko said."]
    assert list(ev["title"]) == ["Russia and North Korea seal a defence pact"]
    assert list(ev["published"]) == ["2024-06-20"]
    assert list(ev["link"]) == ["reader?article=a-pact&sentence=a-pact-s3"]


def test_choosing_a_person_narrows_the_evidence(make_app):
    at = make_app().run()
    at.selectbox(key="person").set_value("p-james-holt").run()
    assert set(page_table(at, "matrix_evidence")["person"]) == {"James Holt"}
    assert "1 sentence" not in at.caption[1].value and "3 sentences behind this choice" in at.caption[1].value


def test_a_filter_that_matches_nothing_shows_the_empty_state(make_app):
    at = make_app(params={"actors": "European Union"}).run()
    assert not at.exception
    assert "No opinions match these filters" in at.info[0].value
    assert not at.main.get("bidi_component")
    at.button(key="matrix_empty").click().run()
    assert at.main.get("bidi_component") and not at.info


def test_article_text_is_escaped_in_the_chart(make_app, plotly_spec, hostile_dataset):
    at = make_app(data=hostile_dataset).run()
    assert not at.exception
    heat = _heatmap(plotly_spec(at))
    shown = " ".join(heat["y"] + heat["x"] + [h for row in heat["customdata"] for h in row])
    assert "<script>" not in shown and "<img" not in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
