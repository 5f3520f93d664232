"""The article reader page (AppTest): article and sentence from the URL, filters, empty state, escaping."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import markup_free_elements, page_runner
from tests.ui.fixture_data import HOSTILE_ARTICLE_ID, SCRIPT
from ui import reader


@pytest.fixture
def run_reader(make_app: Callable[..., AppTest], small_dataset: Path) -> Callable[..., AppTest]:
    """Run the reader page (on the small dataset unless ``data`` is given) with query parameters."""
    return page_runner(make_app, small_dataset, "pages/reader.py")


def article_html(at: AppTest) -> str:
    """The body of the st.html element that holds the article."""
    bodies = [h.proto.body for h in at.get("html") if 'class="el-article"' in h.proto.body]
    assert len(bodies) == 1
    return bodies[0]


def test_default_view_shows_the_newest_article_with_anchors_and_highlights(run_reader) -> None:
    at = run_reader()
    assert at.title[0].value == "Article reader"
    picker = at.selectbox(key=reader.WIDGET_KEY)
    assert picker.options == ["The West should act before the axis hardens (2024-11-05)",
                              "North Korean troops arrive in Russia (2024-10-26)",
                              "Russia and North Korea seal a defence pact (2024-06-20)"]
    body = article_html(at)
    assert all(f'id="a-oped-s{i}"' in body for i in range(5))
    text = body.split('class="el-article"')[1]
    for css in ('class="el-ent el-actor"', 'class="el-ent el-person"', 'class="el-claim"'):
        assert css in text
    assert "2024-11-05 (inferred from the text)" in body
    assert "el-focus" not in text


def test_article_and_sentence_from_the_url_outline_and_scroll_to_it(run_reader) -> None:
    at = run_reader(article="a-troops", sentence="a-troops-s3")
    assert at.selectbox(key=reader.WIDGET_KEY).value == "a-troops"
    body = article_html(at)
    assert '<span class="el-sent el-focus" id="a-troops-s3"' in body
    assert body.split('class="el-article"')[1].count("el-focus") == 1
    assert "(4 of 5)" in at.caption[0].value
    scripts = [h.proto.body for h in at.get("html") if "scrollIntoView" in h.proto.body]
    assert len(scripts) == 1 and '"a-troops-s3"' in scripts[0]


@pytest.mark.parametrize(("params", "shown"), [
    ({"article": "no-such-article"}, "a-oped"),                          # ignored, first article
    ({"article": "a-pact", "sentence": "a-troops-s3"}, "a-pact"),      # sentence of another article
])
def test_unknown_ids_in_the_url_are_ignored(run_reader, params: dict, shown: str) -> None:
    at = run_reader(**params)
    assert at.selectbox(key=reader.WIDGET_KEY).value == shown
    body = article_html(at)
    assert 'class="el-sent el-focus" id=' not in body
    assert not [h for h in at.get("html") if "scrollIntoView" in h.proto.body]


def test_choosing_an_article_puts_it_in_the_url(run_reader) -> None:
    at = run_reader(article="a-troops", sentence="a-troops-s3")
    at.selectbox(key=reader.WIDGET_KEY).set_value("a-pact").run()
    assert at.query_params["article"] in ("a-pact", ["a-pact"])
    assert "sentence" not in at.query_params
    body = article_html(at)
    assert 'id="a-pact-s1"' in body
    assert '<a href="https://example.org/news/pact"' in body.split('class="el-legend"')[0]


@pytest.mark.parametrize(("params", "expected"), [
    ({"people": ["Liu Wei"]}, ["a-pact"]),
    ({"articles": ["North Korean troops arrive in Russia"]}, ["a-troops"]),
    ({"from": "2024-10-01"}, ["a-oped", "a-troops"]),
])
def test_shared_filters_in_the_url_narrow_the_article_list(run_reader, params: dict,
                                                           expected: list[str]) -> None:
    at = run_reader(**params)
    picker = at.selectbox(key=reader.WIDGET_KEY)
    assert len(picker.options) == len(expected)
    assert picker.value == expected[0]


def test_a_linked_article_outside_the_filters_still_opens(run_reader) -> None:
    at = run_reader(people=["Liu Wei"], article="a-oped")
    assert at.selectbox(key=reader.WIDGET_KEY).value == "a-oped"
    assert len(at.selectbox(key=reader.WIDGET_KEY).options) == 2


def test_filters_that_match_nothing_show_an_empty_state(run_reader) -> None:
    at = run_reader(people=["Liu Wei"],
                    articles=["North Korean troops arrive in Russia"])
    assert not [s for s in at.selectbox if s.key == reader.WIDGET_KEY]
    assert "No articles match these filters" in at.info[0].value


def test_missing_dataset_says_how_to_build_it(run_reader, tmp_path: Path) -> None:
    at = run_reader(tmp_path / "nowhere")
    assert "No dataset" in at.error[0].value
    assert "python -m analysis build" in at.code[0].value


def test_hostile_article_shows_as_text_everywhere(run_reader, hostile_dataset: Path) -> None:
    at = run_reader(hostile_dataset, article=HOSTILE_ARTICLE_ID, sentence=f"{HOSTILE_ARTICLE_ID}-s1")
    assert markup_free_elements(at) > 3
    body = article_html(at)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "&lt;img src=x onerror=alert(1)&gt;" in body
    assert "<script" not in body and "<img" not in body
    assert "<a " not in body.split('class="el-legend"')[0]       # a javascript: url is never a link


def test_the_scroll_script_survives_streamlits_sanitiser() -> None:
    script = reader.scroll_script(f"s-1{SCRIPT}")
    inner = script.removeprefix("<script>").removesuffix("</script>")
    assert not re.search(r"<[/\w]", inner)     # DOMPurify drops a script whose text has one
    assert "scrollIntoView" in inner and "s-1" in inner
