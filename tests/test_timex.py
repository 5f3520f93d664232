"""Temporal expressions: found, anchored and normalised to ISO at the text's precision."""

from __future__ import annotations

import pytest

from analysis.nlp import build_nlp
from analysis.timex import find_mentions, normalise


def timex_of(text: str, expression: str, *, published: str | None = None) -> dict | None:
    """The timex of the first mention whose text is ``expression`` (None if there is none)."""
    _, found = normalise(text, published=published)
    for mention, tx in found:
        if mention.text == expression:
            return tx
    return None


# -- (text, published) -> (expression, value, precision) -------------------------------------------

ANCHORED = "2024-11-05"   # a Tuesday

@pytest.mark.parametrize(
    ("text", "published", "expression", "value", "precision"),
    [
        # explicit dates need no anchor
        ("It was first signed on November 5, 2024.", None, "November 5, 2024", "2024-11-05", "day"),
        ("The photo was taken on 11 October 2021.", None, "11 October 2021", "2021-10-11", "day"),
        ("Talks resumed on Jan. 11, 2025, in Seoul.", None, "Jan. 11, 2025", "2025-01-11", "day"),
        ("Picture taken on March 15, 2024 shows him.", None, "March 15, 2024", "2024-03-15", "day"),
        ("South Korea became a partner state in 2006.", None, "2006", "2006", "year"),
        ("The talks stalled in June 2023 and resumed.", None, "June 2023", "2023-06", "month"),
        ("A report dated 2024-06-18 said so.", None, "2024-06-18", "2024-06-18", "day"),
        ("It was agreed in the summer of 2023.", None, "the summer of 2023", "2023-22", "season"),
        # month names alone: the most recent such month not after the anchor
        ("In June, Putin traveled to Pyongyang.", ANCHORED, "June", "2024-06", "month"),
        ("Reports first emerged in October.", ANCHORED, "October", "2024-10", "month"),
        ("Reports first emerged in December.", ANCHORED, "December", "2023-12", "month"),
        ("Missiles were found as of early December.", "2024-12-20", "early December", "2024-12", "month"),
        ("Haines hinted at it in April of this year.", ANCHORED, "April of this year", "2024-04", "month"),
        ("They met in July and August.", ANCHORED, "August", "2024-08", "month"),
        ("Fighting has decreased since April.", "2025-04-30", "April", "2025-04", "month"),
        ("Officials did so last October.", "2024-12-10", "last October", "2024-10", "month"),
        # relative words
        ("Russia promoted last month’s BRICS summit.", ANCHORED, "last month", "2024-10", "month"),
        ("It happened earlier this month in Kursk.", ANCHORED, "earlier this month", "2024-11", "month"),
        ("Intelligence reported last week that troops moved.", ANCHORED, "last week", "2024-10", "month"),
        ("Intelligence reported last week that troops moved.", "2024-11-20", "last week", "2024-11", "month"),
        ("Seoul also announced yesterday that it agreed.", ANCHORED, "yesterday", "2024-11-04", "day"),
        ("It has demonstrated this year its ability.", ANCHORED, "this year", "2024", "year"),
        ("The deal was signed three weeks ago.", ANCHORED, "three weeks ago", "2024-10", "month"),
        ("The deal was signed two years ago.", ANCHORED, "two years ago", "2022", "year"),
        # month-day without a year: the most recent such day not after the anchor
        ("Leff told the Council on Dec. 18 that it was so.", "2025-01-10", "Dec. 18", "2024-12-18", "day"),
        ("In the Oct. 22 episode of his podcast, Yu said so.", ANCHORED, "Oct. 22", "2024-10-22", "day"),
        ("On October 21, Seoul summoned the ambassador.", ANCHORED, "October 21", "2024-10-21", "day"),
        ("He will pay a state visit on June 18-19.", "2024-06-17", "June 18-19", "2023-06-18", "day"),
        # weekdays against a stated anchor: the most recent such day on or before it
        ("On Monday (November 4), it was confirmed.", ANCHORED, "Monday (November 4)", "2024-11-04", "day"),
        ("On Wednesday, Austin told reporters in Rome.", ANCHORED, "Wednesday", "2024-10-30", "day"),
        ("Zelensky said on Tuesday that he expects more.", ANCHORED, "Tuesday", "2024-11-05", "day"),
        ("Last Saturday, Zelensky published photos.", ANCHORED, "Last Saturday", "2024-11-02", "day"),
        ("It was announced on Monday, Nov. 4, in Kyiv.", ANCHORED, "Monday, Nov. 4", "2024-11-04", "day"),
        # seasons (EDTF 21 spring, 22 summer, 23 autumn, 24 winter)
        ("Kursk has been occupied since the summer.", ANCHORED, "the summer", "2024-22", "season"),
        ("It was occupied in the summer.", "2024-03-01", "the summer", "2023-22", "season"),
        ("The offensive began last winter.", ANCHORED, "last winter", "2023-24", "season"),
        # ranges
        ("Soldiers returned in the January-March period.", "2025-04-30", "the January-March period",
         "2025-01", "month"),
        ("It held from 2023-24 onwards.", None, "2023-24", "2023", "year"),
    ],
)
def test_normalised(text: str, published: str | None, expression: str, value: str, precision: str) -> None:
    tx = timex_of(text, expression, published=published)
    assert tx is not None, [m.text for m in find_mentions(text)]
    assert (tx["value"], tx["precision"]) == (value, precision)


def test_start_and_end_cover_the_expression() -> None:
    june = timex_of("It began in June.", "June", published=ANCHORED)
    assert (june["start"], june["end"]) == ("2024-06-01", "2024-06-30")
    winter = timex_of("It began last winter.", "last winter", published=ANCHORED)
    assert (winter["start"], winter["end"]) == ("2023-12-01", "2024-02-29")
    period = timex_of("Back in the January-March period.", "the January-March period", published="2025-04-30")
    assert (period["start"], period["end"], period["range_end"]) == ("2025-01-01", "2025-03-31", "2025-03")
    visit = timex_of("A visit on June 18-19.", "June 18-19", published="2024-06-30")
    assert (visit["value"], visit["start"], visit["end"]) == ("2024-06-18", "2024-06-18", "2024-06-19")


@pytest.mark.parametrize(
    ("text", "expression", "relative"),
    [
        ("It was signed on November 5, 2024.", "November 5, 2024", False),
        ("It was signed in 2006.", "2006", False),
        ("It was signed in June.", "June", True),
        ("It was signed last week.", "last week", True),
        ("It was signed on Monday.", "Monday", True),
    ],
)
def test_relative_flag(text: str, expression: str, relative: bool) -> None:
    tx = timex_of(text, expression, published=ANCHORED)
    assert tx["relative"] is relative
    assert tx["uncertain"] is False     # the anchor is stated


# -- not dates: durations, quantities, times, the modal "may" ----------------------------------------

@pytest.mark.parametrize(
    "text",
    [
        "The war has lasted three years.",
        "For months, North Korea has been providing missiles.",
        "Across the course of the two-and-a-half year conflict with Ukraine.",
        "It consumes six percent of the Russian state budget.",
        "Casualties were decimated at a rate of about 1,000 per day.",
        "At least 10,000 North Korean soldiers were stationed there.",
        "He said 2000 troops had arrived.",
        "Under Resolution 2087 the council acted.",
        "The treaty may be signed following Putin's trip.",
        "May God help them, he said.",
        "Protesters march on the capital. They March again.",
        "It was the Ukrainian summer offensive in Russia.",
        "He spoke after the fall of Kabul.",
        "Over the last month the front barely moved.",
        "Trade has not returned to pre-pandemic levels in recent years.",
        "Theresa May and Boris Johnson disagreed.",
        "Jan Kowalski and Mar Rodriguez spoke.",
        "It was on the agenda for the next decade.",
        "Monday mornings and Fridays are busy; on Mondays he rests.",
    ],
)
def test_not_a_date(text: str) -> None:
    assert [m.text for m in find_mentions(text)] == []


def test_time_is_not_a_date_but_the_date_next_to_it_is() -> None:
    assert [m.text for m in find_mentions("8:39 PM EDT, October 26, 2024")] == ["October 26, 2024"]


@pytest.mark.parametrize(
    ("text", "expression"),
    [
        ("The deal was signed in May.", "May"),
        ("The deal was signed in May 2024.", "May 2024"),
        ("The deal was signed on May 5, 2024.", "May 5, 2024"),
        ("The vote was held in March.", "March"),
        ("Since early May, shelling has grown.", "early May"),
    ],
)
def test_may_and_march_as_months(text: str, expression: str) -> None:
    assert expression in [m.text for m in find_mentions(text)]


# -- the anchor: stated, found in the text, or inferred ------------------------------------------------

@pytest.mark.parametrize(
    ("text", "published", "anchor", "inferred", "source"),
    [
        ("Something happened on Monday.", "2024-11-05", "2024-11-05", False, "metadata"),
        ("Body text.\n\nThe magazine first published it on November 5, 2024.", None,
         "2024-11-05", False, "text"),
        ("Body.\n\nThis article first appeared in the magazine “X.com” on November 5, 2024 – now here.", None,
         "2024-11-05", False, "text"),
        ("A title\n8:39 PM EDT, October 26, 2024\nBody text in October.", None, "2024-10-26", False, "text"),
        ("Saturday, October 26, 2024\nBody text.", None, "2024-10-26", False, "text"),
        # a dateline with month and day: the year comes from the text, so the anchor is inferred
        ("SEOUL, April 30 (Agency) — The agency said so. A photo from Jan. 11, 2025 showed it.", None,
         "2025-04-30", True, "inferred"),
        # no statement: the latest explicit date, month-days taking the latest explicit year
        ("Picture taken on March 15, 2024.\n\nOn October 21, Seoul summoned him. Zelensky spoke on Sunday.",
         None, "2024-10-21", True, "inferred"),
        ("Trade in 2024 has not recovered. In the Oct. 22 episode, Yu said so.", None,
         "2024-10-22", True, "inferred"),
        ("Nothing was dated until June 2023, when talks began.", None, "2023-06-30", True, "inferred"),
        ("On March 15, 2024 it began; by June 2024 it grew.", None, "2024-06-30", True, "inferred"),
        ("In October 2024 it grew; on October 21, 2024 it peaked.", None, "2024-10-21", True, "inferred"),
        # another article's publication on a weekday is not this article's date
        ("In an article published on Wednesday, Cha said so. Trade in 2024 fell on Oct. 22.", None,
         "2024-10-22", True, "inferred"),
        # a bare (historical) year alone does not date the article
        ("Last Saturday it happened, for the first time since 1953.", None, None, False, "none"),
        ("Last Saturday and earlier this month it happened.", None, None, False, "none"),
        # a dateline with no year anywhere cannot be placed
        ("MOSCOW, June 18. /TASS/. The Kremlin announced on Monday a visit.", None, None, False, "none"),
    ],
)
def test_anchor(text: str, published: str | None, anchor: str | None, inferred: bool, source: str) -> None:
    a, _ = normalise(text, published=published)
    assert (a.iso, a.inferred, a.source) == (anchor, inferred, source)


def test_caption_dates_do_not_give_the_anchor_day() -> None:
    text = "Kim views a fly-by, 11 October 2021.\n\nIn November, Shin said so. On Saturday he spoke."
    caption = (0, text.index("\n"))
    a, found = normalise(text, excluded=[caption])
    assert a.iso is None
    assert {m.text: tx["value"] for m, tx in found} == {"11 October 2021": "2021-10-11",
                                                        "November": None, "Saturday": None}


@pytest.mark.parametrize(
    ("text", "expression", "value"),
    [
        # an inferred anchor (Monday 2024-10-21): the NEAREST such weekday, three days either way
        ("On October 21, 2024, Seoul acted. Zelensky announced on Sunday a plan.", "Sunday", "2024-10-20"),
        ("On October 21, 2024, Seoul acted. On Wednesday, Austin spoke.", "Wednesday", "2024-10-23"),
        ("On October 21, 2024, Seoul acted. On Friday, Austin spoke.", "Friday", "2024-10-18"),
        # month names alone against an inferred anchor
        ("On October 21, 2024, Seoul acted. In June, a pact was signed.", "June", "2024-06"),
        ("On October 21, 2024, Seoul acted. Intelligence reported last week.", "last week", "2024-10"),
    ],
)
def test_inferred_anchor_marks_relative_dates_uncertain(text: str, expression: str, value: str) -> None:
    a, _ = normalise(text)
    assert a.inferred
    tx = timex_of(text, expression)
    assert (tx["value"], tx["relative"], tx["uncertain"]) == (value, True, True)


def test_no_anchor_leaves_relative_expressions_without_value() -> None:
    text = "The United States warned on Monday that troops moved toward Kursk, invaded in August."
    _, found = normalise(text)
    assert [(m.text, tx["value"], tx["relative"]) for m, tx in found] == [
        ("Monday", None, True), ("August", None, True)]


def test_publication_statement_is_marked() -> None:
    text = "Body on November 4, 2024.\n\nThe magazine first published it on November 5, 2024."
    _, found = normalise(text)
    assert {m.text: tx["publication"] for m, tx in found} == {"November 4, 2024": False,
                                                              "November 5, 2024": True}


# -- the spaCy component ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def nlp():
    return build_nlp(components=("expert_lens_sentences", "expert_lens_dates"))


def test_component_writes_spans_and_anchor(nlp) -> None:
    doc = nlp.make_doc("In June, Putin went to Pyongyang. For three years it lasted. On Monday it ended.")
    doc._.published = "2024-11-05"
    doc = nlp.get_pipe("expert_lens_dates")(nlp.get_pipe("expert_lens_sentences")(doc))
    spans = doc.spans["dates"]
    assert [(s.text, s._.timex["value"], s._.timex["precision"]) for s in spans] == [
        ("June", "2024-06", "month"), ("Monday", "2024-11-04", "day")]
    assert (doc._.anchor, doc._.anchor_inferred, doc.user_data["published_source"]) == (
        "2024-11-05", False, "metadata")


def test_component_exposes_a_date_stated_in_the_text(nlp) -> None:
    doc = nlp("A title\n8:39 PM EDT, October 26, 2024\nIn October, it sent 3,000 soldiers.")
    assert (doc._.published, doc._.anchor, doc._.anchor_inferred) == ("2024-10-26", "2024-10-26", False)
    assert doc.user_data["published_source"] == "text"


def test_component_marks_an_inferred_anchor(nlp) -> None:
    doc = nlp("On October 21, 2024, Seoul summoned the ambassador. Zelensky spoke on Sunday.")
    assert doc._.published is None
    assert (doc._.anchor, doc._.anchor_inferred) == ("2024-10-21", True)
    assert doc.user_data["published_source"] == "inferred"
    assert doc.user_data["published_inferred"] == "2024-10-21"


def test_component_without_any_date(nlp) -> None:
    doc = nlp("North Korea sent troops last week.")
    assert (doc._.anchor, doc._.anchor_inferred, doc.user_data["published_source"]) == (None, False, "none")
    assert [(s.text, s._.timex["value"]) for s in doc.spans["dates"]] == [("last week", None)]


@pytest.mark.parametrize(
    ("published", "anchor"),
    [("2024-11-05", "2024-11-05"), ("2024-11-05T10:32:00Z", "2024-11-05"), ("November 5, 2024", "2024-11-05"),
     ("5 Nov. 2024", "2024-11-05"), ("not a date", None)],
)
def test_metadata_dates_in_any_common_form(published: str, anchor: str | None) -> None:
    a, _ = normalise("Nothing dated here.", published=published)
    assert a.iso == anchor


def test_a_borrowed_dateline_year_can_be_counted_as_stated() -> None:
    text = "SEOUL, April 30 (Agency) — It was said. A photo from Jan. 11, 2025 showed it."
    a, _ = normalise(text, borrowed_year_is_stated=True)
    assert (a.iso, a.inferred, a.source) == ("2025-04-30", False, "text")
