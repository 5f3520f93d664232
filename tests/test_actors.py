"""Spec for the actor dictionary and the `expert_lens_actors` component."""

from __future__ import annotations

import itertools
import re

import pytest
import spacy

from analysis import schema
from analysis.components.actors import actor_name, actor_table, load_actors
from analysis.nlp import build_nlp


@pytest.fixture(scope="module")
def nlp():
    return build_nlp(components=("expert_lens_sentences", "expert_lens_actors"))


def mentions(nlp, text: str) -> list[tuple[str, bool]]:
    doc = nlp(text)
    return [(span.label_, span._.place) for span in doc.spans["actors"]]


A, P = False, True  # the actor itself / a place

CASES = [
    # demonyms, aliases, names
    ("North Korean troops arrived in Kursk.", [("PRK", A)]),
    ("10,000 North Koreans were sent.", [("PRK", A)]),
    ("the DPRK said", [("PRK", A)]),
    ("the Democratic People's Republic of Korea (DPRK)", [("PRK", A), ("PRK", A)]),
    ("the Democratic People’s Republic of Korea", [("PRK", A)]),
    ("Seoul summoned the Russian ambassador.", [("KOR", A), ("RUS", A)]),
    ("U.S. and South Korean intelligence", [("USA", A), ("KOR", A)]),
    ("the Kremlin announced", [("RUS", A)]),
    ("All we've heard from the White House is this.", [("USA", A)]),
    ("Russia's war and North Korea’s troops", [("RUS", A), ("PRK", A)]),
    ("Taiwan", [("TWN", A)]),
    ("Iran covertly began offering military support.", [("IRN", A)]),
    ("the Sino-Russian partnership", [("CHN", A), ("RUS", A)]),
    ("the Korean People's Army", [("PRK", A)]),
    # organisations
    ("drones flying into NATO airspace", [("NATO", A)]),
    ("the BRICS summit in Kazan", [("BRICS", A)]),
    ("G7 countries plus Australia", [("G7", A), ("AUS", A)]),
    ("any new action from the UN Security Council", [("UN", A)]),
    ("he told the U.N. Security Council", [("UN", A)]),
    ("relations with the European Union", [("EU", A)]),
    # hyphenated compounds
    ("EU-DPRK relations", [("EU", A), ("PRK", A)]),
    ("the Moscow-Pyongyang coalition", [("RUS", A), ("PRK", A)]),
    ("the Russia-North Korea pact", [("RUS", A), ("PRK", A)]),
    ("the Washington-Tokyo-Seoul triangle", [("USA", A), ("JPN", A), ("KOR", A)]),
    ("the U.S.-led coalition", [("USA", A)]),
    ("the US-led West", [("USA", A)]),
    # capitals: government or place
    ("He was in Pyongyang last week.", [("PRK", P)]),
    ("Putin traveled to Pyongyang to sign a pact.", [("PRK", P)]),
    ("the regime in Pyongyang", [("PRK", A)]),
    ("the government in Kyiv", [("UKR", A)]),
    ("officials in Seoul said", [("KOR", A)]),
    ("authorities in Beijing, Moscow, and Pyongyang", [("CHN", A), ("RUS", A), ("PRK", A)]),
    ("Pyongyang has provided Moscow with shells.", [("PRK", A), ("RUS", A)]),
    ("Seoul only provides humanitarian aid to Kyiv.", [("KOR", A), ("UKR", A)]),
    ("some frustration in Beijing", [("CHN", A)]),
    ("in Pyongyang's view", [("PRK", A)]),
    ("an attaché in Moscow and Kyiv", [("RUS", P), ("UKR", P)]),
    ("a pact signed in Pyongyang, Seoul stated", [("PRK", P), ("KOR", A)]),
    ("From Tallinn to Lisbon, everyone agrees.", [("EST", P), ("PRT", P)]),
    ("a Seoul-based analyst", [("KOR", P)]),
    ("MOSCOW, June 18. The treaty", [("RUS", P)]),
    ("fighting in Ukraine", [("UKR", A)]),  # a country name is always the actor
    # no actor
    ("Let us know what you think.", []),
    ("The weather was mild and the talks went well.", []),
    ("Victor Cha, Korea chair at CSIS", []),
    ("the Center for Strategic and International Studies", []),
    ("the Center for a New American Security", []),
    ("the Russian Academy of Sciences’ Institute of China and Contemporary Asia", []),
    ("security on the Korean Peninsula", []),
    ("patrols in the South China Sea and the Sea of Japan", []),
    ("the Washington Post reported", []),
    ("Soviet-era fighter jets", []),
    ("an Asian NATO", []),
    ("the Korean Central News Agency (KCNA)", []),
    ("translated from English into German.", []),
    ("He met Michael Jordan and Chad Smith.", []),
    ("the US$1 billion deal", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_actor_mentions(nlp, text, expected):
    assert mentions(nlp, text) == expected


def test_spans_do_not_overlap_and_longest_wins(nlp):
    doc = nlp("South Korea, the UN Security Council and North Korean troops")
    spans = list(doc.spans["actors"])
    assert [s.text for s in spans] == ["South Korea", "UN Security Council", "North Korean"]
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


def test_span_records_how_it_matched(nlp):
    doc = nlp("Russia, the Kremlin, Russian troops and Moscow")
    assert [s._.via for s in doc.spans["actors"]] == ["name", "alias", "demonym", "capital"]


def test_infix_rule_stays_in_its_own_pipeline(nlp):
    assert [t.text for t in nlp.make_doc("U.S.-led")] == ["U.S.", "-", "led"]
    assert [t.text for t in spacy.blank("en").make_doc("U.S.-led")] == ["U.S.-led"]


def test_dictionary_covers_un_members_and_codes_are_well_formed():
    actors = load_actors().actors
    codes = [a["code"] for a in actors]
    assert len(codes) == len(set(codes))
    states = [a for a in actors if a["type"] == "state"]
    assert sum(1 for a in states if a.get("un_member", True)) == 193
    assert all(re.fullmatch(r"[A-Z]{3}", a["code"]) for a in states)
    assert {"TWN", "PSE", "XKX"} <= set(codes)
    orgs = {a["code"] for a in actors if a["type"] == "organisation"}
    assert {"NATO", "EU", "UN", "BRICS", "G7", "G20", "ASEAN", "AU", "OSCE", "IAEA", "SCO",
            "WTO", "IMF", "CSTO", "OPEC", "QUAD"} <= orgs
    assert {a["type"] for a in actors} == {"state", "organisation"}


def test_actor_table_and_names():
    table = actor_table()
    assert list(table.columns) == [schema.ACTOR_ID, "name", "type"]
    assert table[schema.ACTOR_ID].is_unique
    assert actor_name("PRK") == "North Korea"
    assert actor_name("NATO") == "NATO"
    assert actor_name("XYZ") == "XYZ"
