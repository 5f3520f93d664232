"""Spec for the stances component (claim -> question, yes / no / mixed) and for positions."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.nlp import build_nlp
from analysis.positions import decide, positions, split_summary

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="module")
def nlp():
    return build_nlp(components=("expert_lens_sentences", "expert_lens_stances"))


def run(nlp, text: str):
    """Parse ``text`` with every sentence a claim (the claims component is not under test here)."""
    doc = nlp.get_pipe("expert_lens_sentences")(nlp.make_doc(text))
    doc._.claims = [{"start_char": s.start_char, "end_char": s.end_char, "person": "p", "kind": "quote",
                     "cue": "said", "held": True} for s in doc.sents]
    return nlp.get_pipe("expert_lens_stances")(doc)


def stances(nlp, text: str) -> set[tuple[str, str]]:
    return {(s["question_id"], s["stance"]) for s in run(nlp, text)._.stances}


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


SEED_TEXT = _flat(" ".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))))

# Every gold evidence sentence, copied from the seed texts: (sentence, question_id, stance).
GOLD_EVIDENCE = [
    # china-approval: Braghiroli no, Schake no, Atkinson yes, Yu yes
    ("Therefore, one should not assume that North Korea’s actions are coordinated with or approved by "
     "China to any significant extent.", "china-approval", "no"),
    ("The second reason why the deployment of North Korean troops could prove problematic for Russia is "
     "that they could lead to tensions with China.", "china-approval", "no"),
    ("While this may just be an attempt to maintain Beijing’s image as some kind of uninvolved party, it "
     "could also indicate some frustration in China as Russia looks for ways to avoid being China’s junior "
     "partner by using North Korea as an alternative to over-reliance on China China chooses.",
     "china-approval", "no"),
    ("I think it is highly probable that when Putin and Kim decided on the deployment of North Korean "
     "troops, they sought Beijing's approval and received it, he indicated.", "china-approval", "yes"),
    ("“This war in Ukraine launched by Russia is truly a war of coalition among its buddies, China and North "
     "Korea,” Yu said.", "china-approval", "yes"),
    # tech-transfer: Atkinson, Fontaine, Braghiroli, Garlauskas yes
    ("The transfer of 12,000 troops at a time when Putin wants to avoid another mobilization among Russians "
     "is \"very valuable\" for the Kremlin, and Pyongyang is \"almost certainly\" going to receive something "
     "of comparable value in return—it could be missile, nuclear, submarine, or satellite technology.",
     "tech-transfer", "yes"),
    ("It may also be providing missile technology and possibly submarine technology.”",
     "tech-transfer", "yes"),
    ("North Korea might begin receiving more from Russia, including military technology it needs.",
     "tech-transfer", "yes"),
    ("Markus Garlauskas, the director of the new Indo-Pacific Security Initiative of the Scowcroft Center "
     "for Strategy and Security and the former national intelligence officer for North Korea under the "
     "director of national intelligence, said that “the resources, military technology, and capabilities "
     "Russia may provide to North Korea in exchange for its support could fundamentally reshape the "
     "security situation on the Korean Peninsula and in the broader Indo-Pacific.”", "tech-transfer", "yes"),
    # russia-weakness: Schake yes, Braghiroli yes
    ("First, the fact that Russia requested foreign troops suggested that it no longer had enough soldiers "
     "of its own to continue the war.", "russia-weakness", "yes"),
    ("Russia has grown weaker and now relies on North Korea.", "russia-weakness", "yes"),
    # military-significance: Braghiroli no, Atkinson yes, Garlauskas mixed
    ("Stefano Braghiroli: This move is undoubtedly symbolic.", "military-significance", "no"),
    ("The problem is, of course, that the deployment of these troops further tilts the balance of the war "
     "against Ukraine and ultimately against all of Europe, and waiting for Beijing only delays a swift "
     "Western response, Atkinson noted.", "military-significance", "yes"),
    ("Garlauskas thinks that such a conflict, considering the “crumbling deterrence” on the Korean "
     "Peninsula, could pull in China and the United States, which he says would “indirectly influence the "
     "war in Ukraine far more than what North Korean troops would bring to the fight itself.”",
     "military-significance", "mixed"),
    # western-response: Braghiroli, Schake, Atkinson yes
    ("The best way for the West to prevent this scenario is to act now.", "western-response", "yes"),
    ("Instead, the West should confront Russia and North Korea with its own threats and measures.",
     "western-response", "yes"),
    ("The problem is, of course, that the deployment of these troops further tilts the balance of the war "
     "against Ukraine and ultimately against all of Europe, and waiting for Beijing only delays a swift "
     "Western response, Atkinson noted.", "western-response", "yes"),
]

# Seed sentences that must give NO stance at all (reported views, questions, off-topic).
NO_STANCE = [
    # the trap: Atkinson reports this view in order to reject it
    "It is generally believed that the troop deployment is happening despite Beijing's objections, said "
    "Atkinson, an expert in international relations in East Asia.",
    "He noted that, according to this theory, it would be assumed that Xi \"fears that the transfer of "
    "troops will strengthen the perception of a new 'axis of evil' and trigger a stronger reaction from the "
    "U.S. and its European and Asian allies, and that Russia is reducing Beijing's influence on North Korea "
    "and allowing it to behave more boldly, while Beijing wants to control it.\"",
    "Many commentators speculate that the situation worries China, North Korea’s nominal ally, because it "
    "could risk sullying Beijing’s reputation by association; entangle security on the Korean "
    "Peninsula—China’s doorstep—with a raging European war; and lead to North Korea conspiring with Russia "
    "behind China’s back.",
    "For those reasons, some imagine that Beijing might be convinced to throw a spanner in the works of the "
    "Moscow-Pyongyang coalition.",
    "Does China have any influence over Russia in the context of the war, and could the decision to send "
    "North Korean troops, if made without China's knowledge, cause dissatisfaction in Beijing?",
    "Xi's number one priority is to avoid the fate of the Soviet Union.",
    "North Korea plays its own game, and China plays its own.",
    "Cha also thinks the deployment will revitalize relations between South Korea and NATO.",
]

# Sentences that must not take a stance on one particular question.
NOT_ON_QUESTION = [
    ("“This shortage undeniably has been blessed by support from Russia, but the combat experience is "
     "invaluable.”", "russia-weakness"),
    ("China has given Russia colossal amounts of economic assistance and technical support.",
     "tech-transfer"),
    ("Beijing is unlikely to oppose, much less do anything to stop, North Korea’s military support to "
     "Russia.", "china-backs-russia"),
]


@pytest.mark.parametrize("sentence", [s for s, _, _ in GOLD_EVIDENCE] + NO_STANCE
                         + [s for s, _ in NOT_ON_QUESTION])
def test_table_sentences_are_copied_from_the_seeds(sentence):
    assert _flat(sentence) in SEED_TEXT


@pytest.mark.parametrize(("sentence", "question_id", "stance"), GOLD_EVIDENCE)
def test_gold_evidence_sentence(nlp, sentence, question_id, stance):
    got = dict(stances(nlp, sentence))
    assert got.get(question_id) == stance, got


@pytest.mark.parametrize("sentence", NO_STANCE)
def test_no_stance(nlp, sentence):
    assert stances(nlp, sentence) == set()


@pytest.mark.parametrize(("sentence", "question_id"), NOT_ON_QUESTION)
def test_no_stance_on_question(nlp, sentence, question_id):
    assert question_id not in dict(stances(nlp, sentence))


def test_reported_view_is_not_held(nlp):
    doc = run(nlp, NO_STANCE[0] + " I think Beijing gave its approval, he said.")
    assert [c["held"] for c in doc._.claims] == [False, True]
    got = [(s["claim"], s["question_id"], s["stance"]) for s in doc._.stances]
    assert got == [(1, "china-approval", "yes")]


def test_claims_already_unheld_are_skipped(nlp):
    doc = nlp.get_pipe("expert_lens_sentences")(nlp.make_doc("Beijing approved the deployment."))
    doc._.claims = [{"start_char": 0, "end_char": len(doc.text), "person": "p", "held": False}]
    assert nlp.get_pipe("expert_lens_stances")(doc)._.stances == []


# The decision rules on short general sentences.
RULES = [
    ("Beijing approved the deployment.", "china-approval", "yes", "approved"),
    ("Beijing did not approve the deployment.", "china-approval", "no", "not … approve"),
    ("Beijing never gave its approval to the deployment.", "china-approval", "no", "never … approval"),
    ("I don't think Beijing approved the deployment.", "china-approval", "no", "n't think … approved"),
    ("Beijing approved the plan but voiced objections.", "china-approval", "mixed", "approved / objections"),
    ("Beijing has mixed feelings about the deployment.", "china-approval", "mixed", "mixed feelings"),
    ("If the West does not act now, Russia will escalate further.", "western-response", "yes", "act now"),
    ("The troops will not make a significant difference.", "military-significance", "no",
     "not … significant difference"),
    ("Russia not only grew weaker but also relies on North Korea.", "russia-weakness", "yes", "weaker"),
    ("Russia has enough soldiers for the war.", "russia-weakness", "no", "enough soldiers"),
    ("Russia no longer has enough soldiers.", "russia-weakness", "yes", "no … enough soldiers"),
    ("China is unlikely to object to the deployment.", "china-approval", "yes", "unlikely to … object"),
    # hardware that only Russia could hand over counts as technology in return
    ("Moscow will provide Pyongyang with fighter jets for its soldiers.", "tech-transfer", "yes", "provide"),
    ("Russia sent air defense systems as a quid pro quo.", "tech-transfer", "yes", "quid pro quo"),
    ("The warplanes Russia sends are Soviet-era models.", "tech-transfer", "mixed", "Soviet-era"),
]


@pytest.mark.parametrize(("sentence", "question_id", "stance", "cue"), RULES)
def test_decision_rules(nlp, sentence, question_id, stance, cue):
    doc = run(nlp, sentence)
    got = {s["question_id"]: (s["stance"], s["cue"]) for s in doc._.stances}
    assert got.get(question_id) == (stance, cue)


def test_relevance_needs_every_group(nlp):
    # approval words without China / Beijing / Xi: not the china-approval question
    assert "china-approval" not in dict(stances(nlp, "Moscow approved the deployment."))


def test_stance_record_fields(nlp):
    doc = run(nlp, "Russia has grown weaker and now relies on North Korea.")
    assert doc._.stances == [{"claim": 0, "question_id": "russia-weakness", "stance": "yes", "cue": "weaker"}]


def test_seeds_stances_are_a_focused_minority(nlp):
    """Most seed sentences take no stance: the codebook is about the contested questions only."""
    from analysis.clean import clean_text

    n_sentences = n_with = 0
    for path in sorted(SEEDS.glob("*.txt")):
        doc = run(nlp, clean_text(path.read_text(encoding="utf-8")).text)
        n_sentences += len(doc._.claims)
        n_with += len({s["claim"] for s in doc._.stances})
    assert 0.1 * n_sentences < n_with < 0.4 * n_sentences, f"{n_with}/{n_sentences}"


# -- positions: one stance per person and question ---------------------------------------------------

def _stances(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"claim_id": c, "person_id": p, "question_id": q, "stance": s, "cue": f"cue-{c}",
          "text": f"text {c}"} for c, p, q, s in rows])


@pytest.mark.parametrize(("n_yes", "n_no", "n_mixed", "expected"), [
    (2, 1, 0, "yes"), (1, 3, 0, "no"), (2, 2, 0, "mixed"), (0, 0, 1, "mixed"),
    (1, 0, 1, "mixed"), (3, 1, 1, "yes"), (1, 1, 1, "mixed"), (0, 0, 0, None),
])
def test_decide(n_yes, n_no, n_mixed, expected):
    assert decide(n_yes, n_no, n_mixed) == expected


def test_positions_majority_and_deciding_claim():
    table = positions(_stances([
        ("c1", "atkinson", "china-approval", "no"),
        ("c2", "atkinson", "china-approval", "yes"),
        ("c3", "atkinson", "china-approval", "yes"),
        ("c4", "schake", "china-approval", "no"),
        ("c5", "yu", "china-approval", "yes"),
        ("c6", "yu", "china-approval", "no"),
        ("c7", "garlauskas", "military-significance", "mixed"),
    ]))
    rows = {(r.person_id, r.question_id): r for r in table.itertuples()}
    atkinson = rows[("atkinson", "china-approval")]
    assert (atkinson.stance, atkinson.n_yes, atkinson.n_no, atkinson.n_mixed) == ("yes", 2, 1, 0)
    assert (atkinson.claim_id, atkinson.text, atkinson.cue) == ("c2", "text c2", "cue-c2")
    assert rows[("schake", "china-approval")].stance == "no"
    assert (rows[("yu", "china-approval")].stance, rows[("yu", "china-approval")].claim_id) == ("mixed", "c5")
    assert rows[("garlauskas", "military-significance")].stance == "mixed"
    assert len(table) == 4


def test_positions_drop_claims_not_held_and_take_text_from_claims():
    stances_frame = _stances([("c1", "atkinson", "china-approval", "no"),
                              ("c2", "atkinson", "china-approval", "yes")]).drop(columns="text")
    claims = pd.DataFrame({"claim_id": ["c1", "c2"], "held": [False, True], "text": ["trap", "approval"]})
    table = positions(stances_frame, claims=claims)
    assert table[["person_id", "stance", "n_yes", "n_no", "claim_id", "text"]].values.tolist() == [
        ["atkinson", "yes", 1, 0, "c2", "approval"]]


def test_positions_of_nothing():
    assert positions(_stances([]).reindex(columns=["claim_id", "person_id", "question_id", "stance"])).empty


def test_split_summary():
    table = positions(_stances([
        ("c1", "braghiroli", "china-approval", "no"), ("c2", "schake", "china-approval", "no"),
        ("c3", "atkinson", "china-approval", "yes"), ("c4", "yu", "china-approval", "yes"),
        ("c5", "garlauskas", "military-significance", "mixed"),
        ("c6", "atkinson", "military-significance", "yes"),
    ]))
    assert split_summary(table) == {"china-approval": "2 yes, 2 no",
                                    "military-significance": "1 yes, 1 mixed"}
