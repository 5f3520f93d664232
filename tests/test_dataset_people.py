"""Merging the people of many articles into one row each: name, role, title, claims."""

from __future__ import annotations

from analysis.dataset import _merge_people


def row(role: str, *, title: str = "", affiliation: str = "", claims: int = 0, article: str = "a1") -> dict:
    return {"person_id": "p1", "name": "Jane Roe", "role": role, "title": title, "affiliation": affiliation,
            "country": "", "aliases": "", "articles": article, "n_claims": claims}


def test_an_article_that_only_names_the_person_does_not_outvote_one_that_says_who_they_are() -> None:
    rows = [row("official", title="Foreign Minister", claims=1, article="a1"),
            row("expert", claims=3, article="a2"), row("expert", article="a3")]
    (person,) = _merge_people(rows).to_dict("records")
    assert (person["role"], person["title"], person["n_claims"]) == ("official", "Foreign Minister", 4)
    assert person["articles"] == "a1;a2;a3"


def test_described_articles_vote_by_weight_of_their_claims() -> None:
    rows = [row("official", title="adviser to the minister", claims=0, article="a1"),
            row("expert", title="senior fellow", affiliation="an institute", claims=4, article="a2")]
    assert _merge_people(rows)["role"].tolist() == ["expert"]


def test_with_no_description_anywhere_the_plain_mentions_decide() -> None:
    assert _merge_people([row("expert", claims=2), row("expert", article="a2")])["role"].tolist() == ["expert"]


def test_a_byline_counts_as_a_description() -> None:
    rows = [row("journalist", article="a1"), row("expert", article="a2")]
    assert _merge_people(rows)["role"].tolist() == ["journalist"]
