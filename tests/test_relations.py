"""Spec for the relations component: sentence -> actor pairs with cooperation / conflict."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import pytest
import yaml
from spacy.tokens import Span

from analysis.components.relations import RulesError, load_groups
from analysis.nlp import build_nlp
from analysis.rules import load_yaml

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "fixtures" / "gold_seeds.yaml"
COMPONENTS = ("expert_lens_sentences", "expert_lens_actors", "expert_lens_relations")


@pytest.fixture(scope="module")
def nlp():
    return build_nlp(components=COMPONENTS)


def triples(doc) -> set[tuple[str, str, str]]:
    return {(r["source"], r["target"], r["kind"]) for r in doc._.relations}


def unordered(doc) -> set[tuple[frozenset, str]]:
    return {(frozenset((r["source"], r["target"])), r["kind"]) for r in doc._.relations}


# text -> relations that must be found (source, target, kind)
FOUND = [
    ("North Korean troops are fighting in Russia's war against Ukraine.",
     {("PRK", "UKR", "conflict"), ("RUS", "UKR", "conflict")}),
    ("More than 11,000 troops from North Korea, with possibly many more to come, are fighting in "
     "Russia’s war against Ukraine.", {("PRK", "UKR", "conflict"), ("RUS", "UKR", "conflict")}),
    ("Iran supplies drones to Russia.", {("IRN", "RUS", "cooperation")}),
    ("North Korea signed an agreement to supply Russia with artillery munitions.",
     {("PRK", "RUS", "cooperation")}),
    ("So far, China’s support for Russia has been mainly economic.", {("CHN", "RUS", "cooperation")}),
    ("China also provides food and fuel to North Korea.", {("CHN", "PRK", "cooperation")}),
    ("Ukraine was attacked by Russia.", {("RUS", "UKR", "conflict")}),
    ("Half of all artillery shells used by Russian forces in the war, as well as ballistic missiles, "
     "are now supplied by North Korea.", {("PRK", "RUS", "cooperation")}),
    ("Kyiv was shelled by Russian forces on Monday.", {("RUS", "UKR", "conflict")}),
    ("The deployment is a signal that China, Russia and North Korea will continue amping up their "
     "cooperation with Iran.",
     {("CHN", "IRN", "cooperation"), ("RUS", "IRN", "cooperation"), ("PRK", "IRN", "cooperation")}),
    ("It’s also worth remembering that the alliance between China and Russia is borderless.",
     {("CHN", "RUS", "cooperation")}),
    ("The United States, Japan and South Korea agreed to coordinate sanctions on North Korea.",
     {("KOR", "JPN", "cooperation"), ("KOR", "USA", "cooperation"), ("JPN", "USA", "cooperation"),
      ("USA", "PRK", "conflict"), ("JPN", "PRK", "conflict"), ("KOR", "PRK", "conflict")}),
    ("On October 21, South Korea summoned the Russian ambassador in Seoul.", {("KOR", "RUS", "conflict")}),
    ("Seoul officials have described North Korea’s deployment of soldiers to Russia as a severe "
     "security threat.", {("KOR", "PRK", "conflict"), ("PRK", "RUS", "cooperation")}),
    ("Many commentators speculate that the situation worries China, North Korea’s nominal ally.",
     {("PRK", "CHN", "cooperation")}),
    ("Beijing displays this attitude through its military pressure toward Taiwan and India.",
     {("CHN", "TWN", "conflict"), ("CHN", "IND", "conflict")}),
    ("Russia, North Korea bolster ties amid China's quiet nod", {("PRK", "RUS", "cooperation")}),
    ("There is an opportunity for the ROK [South Korea] and NATO to deepen relations.",
     {("NATO", "KOR", "cooperation")}),
    ("Seoul also announced yesterday that it is considering arming Ukraine.",
     {("KOR", "UKR", "cooperation")}),
    ("Russia's cooperation with North Korea is directed against Seoul.",
     {("RUS", "PRK", "cooperation"), ("RUS", "KOR", "conflict")}),
    ("Japan, Australia and the Philippines held joint exercises.",
     {("PHL", "AUS", "cooperation"), ("PHL", "JPN", "cooperation"), ("AUS", "JPN", "cooperation")}),
    ("Chinese leader Xi Jinping and Russian dictator Vladimir Putin declared a \"no limits\" friendship.",
     {("RUS", "CHN", "cooperation")}),
    ("Russia, for its part, would support Beijing.", {("RUS", "CHN", "cooperation")}),
]


@pytest.mark.parametrize(("text", "expected"), FOUND)
def test_relations_found(nlp, text, expected):
    got = triples(nlp(text))
    assert expected <= got, f"missing {expected - got}, got {got}"


# text -> unordered pairs and kinds that must NOT be read
NOT_FOUND = [
    # the possessive in "fighting in Russia's war" is the war's owner, not the enemy
    ("North Korean troops are fighting in Russia's war against Ukraine.", {("PRK", "RUS", "conflict")}),
    # negation cancels the relation; it is not turned into the opposite
    ("Russia's cooperation with North Korea is not directed against Seoul.",
     {("RUS", "KOR", "conflict"), ("PRK", "KOR", "conflict"), ("KOR", "RUS", "cooperation")}),
    ("At the same time, China has not condemned the Russian invasion.",
     {("CHN", "RUS", "conflict"), ("CHN", "RUS", "cooperation")}),
    ("Russia never attacked Ukraine.", {("RUS", "UKR", "conflict")}),
    ("Yet China asserts that it is not sending lethal aid to Russia.", {("CHN", "RUS", "cooperation")}),
    ("It is only fear that prevents Beijing from directly providing military assistance to Russia.",
     {("CHN", "RUS", "cooperation")}),
    ("Germany’s firm opposition to providing certain weapons to Ukraine.",
     {("DEU", "UKR", "cooperation"), ("DEU", "UKR", "conflict")}),
    # "on X's side" / "alongside X": an ally, not a target
    ("If South Korea entered the war on Ukraine’s side, it would win.", {("KOR", "UKR", "conflict")}),
    ("North Korean troops fight alongside Russia in the war.", {("PRK", "RUS", "conflict")}),
    # a passive without a by-agent does not say who acted
    ("Iran was sanctioned.", set()),
    # "the invasion of Ukraine": whose invasion the sentence does not say (China is not the invader)
    ("The closeness between Russia, North Korea, and China developed against the backdrop of the "
     "invasion of Ukraine.", {("CHN", "UKR", "conflict"), ("RUS", "UKR", "conflict")}),
    # an actor governed by a preposition is not the subject of a later cue
    ("The governments of countries in Europe, instead of taking action against Russia or punishing the "
     "DPRK and PRC, engage in dialogue with Beijing.",
     {("RUS", "PRK", "conflict"), ("RUS", "CHN", "conflict")}),
    # a cue inside a name is not a cue
    ("Cha praised the new grouping called the Multilateral Sanctions Monitoring Team established by "
     "the United States, Japan, and South Korea.", {("USA", "JPN", "conflict")}),
    # same actor twice
    ("Moscow said Russia would never attack Russia.", {("RUS", "RUS", "conflict")}),
    # "non-" denies the noun it is joined to
    ("China's stance of non-intervention in the Ukrainian conflict clashes with North Korea's.",
     {("CHN", "UKR", "conflict")}),
]


@pytest.mark.parametrize(("text", "forbidden"), NOT_FOUND)
def test_relations_not_found(nlp, text, forbidden):
    got = unordered(nlp(text))
    bad = {(frozenset(p[:2]), p[2]) for p in forbidden} & got
    assert not bad, f"wrongly read {bad}"
    assert all(r["source"] != r["target"] for r in nlp(text)._.relations)


def test_record_fields(nlp):
    text = "Ukraine was attacked by Russia. Iran supplies drones to Russia."
    doc = nlp(text)
    by_cue = {r["cue"]: r for r in doc._.relations}
    attacked = by_cue["attacked"]
    assert attacked == {
        "source": "RUS", "target": "UKR", "kind": "conflict", "quad": "material_conflict",
        "cue": "attacked", "weight": 1.0, "start_char": 0, "end_char": len("Ukraine was attacked by Russia."),
        "cue_start": text.index("attacked"), "cue_end": text.index("attacked") + len("attacked"),
        "negated": False, "passive": True,
    }
    supplies = by_cue["supplies"]
    assert text[supplies["start_char"]:supplies["end_char"]] == "Iran supplies drones to Russia."
    assert supplies["passive"] is False


def test_verbal_cues_weigh_less_than_material(nlp):
    doc = nlp("Japan condemned China's military pressure on Taiwan.")
    weights = {(r["source"], r["target"]): (r["quad"], r["weight"]) for r in doc._.relations}
    assert weights[("JPN", "CHN")] == ("verbal_conflict", 0.5)
    assert weights[("CHN", "TWN")] == ("material_conflict", 1.0)


def test_one_relation_per_pair_kind_and_sentence(nlp):
    doc = nlp("Currently, Seoul only provides humanitarian aid to Kyiv.")
    assert [(r["source"], r["target"], r["kind"]) for r in doc._.relations] == [("KOR", "UKR", "cooperation")]


def test_place_mentions_are_not_subjects(nlp):
    """Works on hand-set actor spans too: a place ("in Pyongyang") never acts."""
    doc = nlp.get_pipe("expert_lens_sentences")(
        nlp.make_doc("Officials in Pyongyang said Moscow supplies fuel to Tehran."))
    spans = [Span(doc, 2, 3, label="PRK"), Span(doc, 4, 5, label="RUS"), Span(doc, 8, 9, label="IRN")]
    spans[0]._.place = True
    doc.spans["actors"] = spans
    doc = nlp.get_pipe("expert_lens_relations")(doc)
    assert triples(doc) == {("RUS", "IRN", "cooperation")}


def test_no_actors_no_relations(nlp):
    assert nlp("They fought against them and signed a pact.")._.relations == []


def test_rule_file_rejects_a_cue_in_two_groups():
    raw = {"cues": [{"quad": "verbal_conflict", "words": ["warn"]},
                    {"quad": "material_conflict", "words": ["attack", "warn"]}]}
    with pytest.raises(RulesError, match="'warn' is in groups 1 and 2"):
        load_groups(raw)


def test_rule_file_rejects_unknown_quad():
    with pytest.raises(RulesError, match="unknown quad"):
        load_groups({"cues": [{"quad": "friendly", "words": ["hug"]}]})


def test_shipped_rule_file_is_valid_and_covers_every_quad():
    groups = load_groups(load_yaml("relation_cues.yaml"))
    assert {g.quad for g, _, _ in groups} == {
        "verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict"}


# -- the seeds against the gold annotations ---------------------------------------------------------

def _seed_texts() -> list[str]:
    try:
        from analysis.clean import clean_text
    except ImportError:  # the cleaner is optional here: raw text works too
        return [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    return [clean_text(p.read_text(encoding="utf-8")).text for p in sorted(SEEDS.glob("*.txt"))]


@pytest.fixture(scope="module")
def strongest(nlp) -> dict[frozenset, str]:
    """Per unordered pair, the kind with the largest summed weight over the five seed articles."""
    weights: dict[frozenset, Counter] = defaultdict(Counter)
    for doc in nlp.pipe(_seed_texts()):
        for r in doc._.relations:
            weights[frozenset((r["source"], r["target"]))][r["kind"]] += r["weight"]
    out = {}
    for pair, counts in weights.items():
        (top, n), *rest = counts.most_common()
        out[pair] = "tie" if rest and rest[0][1] == n else top
    return out


def test_seed_gold_relations(strongest):
    """At least 12 of the 14 gold pairs read with the gold kind, none with the opposite kind."""
    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))["relations"]
    right = [g for g in gold if strongest.get(frozenset((g["a"], g["b"]))) == g["kind"]]
    opposite = [g for g in gold if strongest.get(frozenset((g["a"], g["b"]))) not in (None, "tie", g["kind"])]
    assert len(right) >= 12, f"{len(right)}/{len(gold)} right"
    assert not opposite, f"opposite kind: {opposite}"


def test_seed_relations_read_no_alliance_as_conflict(strongest):
    """Sanity of the readings: the pairs the seeds call partners are never read as in conflict."""
    for a, b in [("RUS", "PRK"), ("RUS", "CHN"), ("RUS", "IRN"), ("CHN", "PRK"), ("USA", "JPN")]:
        assert strongest.get(frozenset((a, b))) == "cooperation"


def test_doc_without_actor_spans_or_sentences_is_harmless(nlp):
    doc = nlp.get_pipe("expert_lens_relations")(nlp.make_doc("Russia attacked Ukraine."))
    assert doc._.relations == []
