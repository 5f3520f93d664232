"""The timeline page: default view, precision drawn, merged events standing out, URL filters, empty state."""

from __future__ import annotations

import pytest

from tests.ui.html_tables import page_table

DAY_MS = 86_400_000


def _traces(spec: dict, kind: str) -> list[dict]:
    return [t for t in spec["data"] if t["type"] == kind]


def test_default_view_lists_every_event_with_its_sources(make_app):
    at = make_app(page="pages/timeline.py").run()
    assert not at.exception
    assert at.title[0].value == "What happened when?"
    src = page_table(at, "timeline_sources")
    assert len(src) == 4  # the pact is reported twice
    assert list(src["link"])[:2] == ["reader?article=a-pact&sentence=a-pact-s1",
                                     "reader?article=a-troops&sentence=a-troops-s4"]
    assert [b.label for b in at.get("download_button")] == ["Download events (CSV)",
                                                            "Download for TimelineJS (JSON)"]
    assert at.radio(key="color").value == "actors"


def test_a_month_is_a_bar_across_the_month_and_a_day_is_a_point(make_app, plotly_spec):
    at = make_app(page="pages/timeline.py").run()
    spec = plotly_spec(at)
    bars = {y: (b, w) for t in _traces(spec, "bar")
            for y, b, w in zip(t["y"], t["base"], t["x"], strict=True)}
    october = next(y for y in bars if y.startswith("Oct 2024"))
    assert bars[october] == ("2024-10-01", 31 * DAY_MS)
    points = [y for t in _traces(spec, "scatter") if t.get("mode") == "markers" for y in t["y"]]
    assert any("19 Jun 2024" in y for y in points)


def test_an_event_with_several_sources_stands_out(make_app, plotly_spec):
    at = make_app(page="pages/timeline.py").run()
    spec = plotly_spec(at)
    labels = [t for t in _traces(spec, "scatter") if t.get("mode") == "text"]
    assert labels and labels[0]["text"] == ["2 sources"]
    assert labels[0]["y"][0].startswith("<b>19 Jun 2024")
    dots = next(t for t in _traces(spec, "scatter") if t.get("mode") == "markers" and "19 Jun" in t["y"][0])
    assert dots["marker"]["size"][0] > 12


@pytest.mark.parametrize(("params", "n_sources"), [
    ({"actors": "European Union"}, 1),
    ({"people": "Liu Wei"}, 1),
    ({"articles": "North Korean troops arrive in Russia"}, 2),
    ({"from": "2024-10-15", "to": "2024-10-31"}, 1),  # the month-long deployment overlaps
    ({"from": "2024-06-01", "to": "2024-06-30"}, 2),  # the pact, also as reported in October
])
def test_a_filter_in_the_url_cuts_the_timeline(make_app, params, n_sources):
    at = make_app(page="pages/timeline.py", params=params).run()
    assert not at.exception
    assert len(page_table(at, "timeline_sources")) == n_sources


def test_colour_by_article_comes_from_the_url(make_app, plotly_spec):
    at = make_app(page="pages/timeline.py", params={"color": "article"}).run()
    names = {t.get("name") for t in plotly_spec(at)["data"] if t.get("showlegend", True)}
    assert {"2 articles", "North Korean troops arrive in Russia"} <= names


def test_a_filter_that_matches_nothing_shows_the_empty_state(make_app):
    at = make_app(page="pages/timeline.py", params={"from": "2024-12-31"}).run()
    assert not at.exception
    assert "No dated events match these filters" in at.info[0].value
    assert not at.main.get("bidi_component")


def test_article_text_is_escaped_in_the_chart(make_app, plotly_spec, hostile_dataset):
    at = make_app(data=hostile_dataset, page="pages/timeline.py").run()
    assert not at.exception
    spec = plotly_spec(at)
    shown = " ".join(str(v) for t in spec["data"] for k in ("y", "hovertext", "name", "text")
                     for v in (t.get(k) or []) if isinstance(t.get(k), list)) + str(
        [t.get("name") for t in spec["data"]])
    assert "<script>" not in shown and "<img" not in shown
    assert "&lt;script&gt;" in shown


def test_the_view_opens_on_the_recent_story_when_a_few_dates_are_old():
    import pandas as pd

    from ui.timeline import _window

    dates = ["1927-01-01", "2006-01-01"] + [f"2024-{m:02d}-15" for m in range(3, 12)]
    events = pd.DataFrame({"date_start": dates, "date_end": dates})
    start, hidden = _window(events)
    assert start.isoformat() >= "2023-05-01" and hidden == 2
    recent = events.iloc[2:]
    assert _window(recent) == (pd.Timestamp("2024-03-15").date(), 0)
