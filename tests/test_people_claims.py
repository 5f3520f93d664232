"""People and claims: who is named, with what title and role, and who says what."""

from __future__ import annotations

import pytest
from spacy.language import Language

from analysis.clean import clean_text
from analysis.nlp import build_nlp
from analysis.pipeline import make_doc

COMPONENTS = ("expert_lens_sentences", "expert_lens_actors", "expert_lens_people", "expert_lens_claims")


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_nlp(components=COMPONENTS)


def run(nlp: Language, raw: str, **meta: str):
    doc = make_doc(nlp, clean_text(raw), meta=meta)
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def claims_of(doc) -> list[tuple[str, str]]:
    people = doc._.people
    return [(people[c["person"]]["name"], doc.text[c["start_char"]:c["end_char"]]) for c in doc._.claims]


@pytest.mark.parametrize(
    ("text", "name", "role", "title_part", "affiliation_part"),
    [
        ("Jana Novak, associate professor at the Institute of Politics at the University of Lund, "
         "told us that this matters.", "Jana Novak", "expert", "associate professor", "University of Lund"),
        ("Elected Foreign Minister Tomas Berg said the talks failed.", "Tomas Berg", "official",
         "Foreign Minister", ""),
        ("The war will go on, said Prof. Omar Haddad from Aldgate University of Foreign Studies in Cairo.",
         "Omar Haddad", "expert", "Prof.", "Aldgate University of Foreign Studies"),
        ("Lena Fischer is a senior fellow at the Atlantic Policy Institute.", "Lena Fischer", "expert",
         "senior fellow", "Atlantic Policy Institute"),
        ("By Park Min-ho, staff reporter", "Park Min-ho", "journalist", "staff reporter", ""),
        ("Russian Ambassador Ivan Petrov claimed that nothing had changed.", "Ivan Petrov", "official",
         "Russian Ambassador", ""),
    ],
)
def test_person_with_title_affiliation_and_role(nlp: Language, text: str, name: str, role: str,
                                                title_part: str, affiliation_part: str) -> None:
    people = {p["name"]: p for p in run(nlp, text)._.people.values()}
    assert name in people
    assert people[name]["role"] == role
    assert title_part in people[name]["title"]
    assert affiliation_part in people[name]["affiliation"]


@pytest.mark.parametrize(
    "text",
    [
        "The Johan Berg Institute published a report.",      # an organisation, not a person
        "Senior officials met in Paris on Monday.",
        "The Rodong Sinmun newspaper printed it.",
    ],
)
def test_no_person(nlp: Language, text: str) -> None:
    assert run(nlp, text)._.people == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # inverted attribution, then a pronoun
        ("It will end soon, said Maria Lopez, a fellow at the Rand Institute. It cannot last, she said.",
         [("Maria Lopez", "It will end soon, said Maria Lopez, a fellow at the Rand Institute."),
          ("Maria Lopez", "It cannot last, she said.")]),
        # surname-only mention resolves to the full name
        ("Maria Lopez, a fellow at the Rand Institute, said the war is lost. Lopez added that it was a pity.",
         [("Maria Lopez", "Maria Lopez, a fellow at the Rand Institute, said the war is lost."),
          ("Maria Lopez", "Lopez added that it was a pity.")]),
        # according to
        ("Half of the shells come from abroad, according to intelligence chief Pavel Orlov.",
         [("Pavel Orlov", "Half of the shells come from abroad, according to intelligence chief Pavel Orlov.")]),
        # a quotation that runs over two sentences
        ('The Times quoted Sam Reed, the CEO of the Center for Study, as saying: "It helps. It may also hurt."',
         [("Sam Reed", 'The Times quoted Sam Reed, the CEO of the Center for Study, as saying: "It helps.'),
          ("Sam Reed", 'It may also hurt."')]),
        # a description after a named speaker
        ("Prof. Ana Ruiz from Vale University spoke.\n\nThe goals are aligned, the expert noted.",
         [("Ana Ruiz", "The goals are aligned, the expert noted.")]),
        # a title before the name, a time phrase between the name and the verb
        ("The NATO secretary general, Lena Holm, on Monday confirmed that troops had arrived.",
         [("Lena Holm", "The NATO secretary general, Lena Holm, on Monday confirmed that troops had arrived.")]),
        # an abbreviated title does not end the sentence
        ("Many died, the agency told lawmakers, according to Reps. Lee Min-su of the Unity Party.",
         [("Lee Min-su", "Many died, the agency told lawmakers, according to Reps. Lee Min-su of the Unity Party.")]),
        # a name inside a prepositional phrase is not the speaker
        ("The government under Tom Hale has responded by signalling fear.", []),
        # an unnamed source is nobody's claim
        ('"We may send staff," a government source in the capital told the news agency.', []),
    ],
)
def test_claims_attributed(nlp: Language, text: str, expected: list[tuple[str, str]]) -> None:
    assert claims_of(run(nlp, text)) == expected


def test_interview_turns_belong_to_the_speaker_until_the_next_turn(nlp: Language) -> None:
    text = ("Nora Blake, a professor at Ely University, told us about it.\n\n"
            "Interviewer: Is this a test?\n\n"
            "Nora Blake: It is not a test. It is the next step.\n\n"
            "We must act now.\n\n"
            "Interviewer: And then?\n\n"
            "Nora Blake: Then we wait.")
    doc = run(nlp, text)
    said = [t for n, t in claims_of(doc) if n == "Nora Blake"]
    assert "We must act now." in said
    assert "It is the next step." in said
    assert not any("Is this a test?" in t or "And then?" in t for _n, t in claims_of(doc))
    assert doc._.article_format == "interview"


def test_op_ed_author_voice_takes_unattributed_sentences(nlp: Language) -> None:
    text = ("Why the West must act\n\n"
            "The West should confront the aggressor now. Delay only helps the other side.\n\n"
            "Sanctions have not worked. Arms deliveries are late. The costs keep rising.\n\n"
            'President Omar Khan replied: "No."\n\n'
            "To the author\n\n"
            "Lisa Grant is a senior fellow at the Policy Institute.")
    doc = run(nlp, text)
    assert doc._.article_format == "op-ed"
    claims = claims_of(doc)
    assert ("Lisa Grant", "The West should confront the aggressor now.") in claims
    assert ("Omar Khan", 'President Omar Khan replied: "No."') in claims
    assert not any(t.startswith("Lisa Grant is a senior fellow") for _n, t in claims)


def test_metadata_author_with_variant_spelling_is_one_person(nlp: Language) -> None:
    text = "We must act.\n\nIt is late.\n\nTo the author\n\nKara Shaw is a fellow at the Policy Institute."
    doc = run(nlp, text, author="Kara Schaw")
    names = [p["name"] for p in doc._.people.values()]
    assert names == ["Kara Schaw"]
    assert {n for n, _t in claims_of(doc)} == {"Kara Schaw"}


def test_two_people_under_one_plural_title_are_both_found_and_both_say_it(nlp: Language) -> None:
    doc = run(nlp, "Some 600 soldiers were killed, the agency told lawmakers, according to Sens. Mara Lind of "
                   "the Green Party and Olav Brekke of the Labour Party.\n\n"
                   "The agency did not rule out another deployment, they said.")
    people = {p["name"]: p for p in doc._.people.values()}
    assert {k: (people[k]["title"], people[k]["affiliation"], people[k]["role"]) for k in people} == {
        "Mara Lind": ("Sens.", "the Green Party", "official"),
        "Olav Brekke": ("Sens.", "the Labour Party", "official")}
    said = claims_of(doc)
    assert sorted(name for name, _ in said) == ["Mara Lind", "Mara Lind", "Olav Brekke", "Olav Brekke"]
    assert {text for _, text in said} == {doc.text.split("\n\n")[0], doc.text.split("\n\n")[1]}


def test_a_speech_verb_after_two_people_named_together_is_both_of_theirs(nlp: Language) -> None:
    doc = run(nlp, "Mara Lind of the Nordic Institute and Olav Brekke said the pact is a bluff.")
    assert sorted(name for name, _ in claims_of(doc)) == ["Mara Lind", "Olav Brekke"]


@pytest.mark.parametrize("text", [
    # one title in the singular: the second name is not vouched for by it
    "According to Sen. Mara Lind, the Green Party and Oslo Fjord Holdings gave money.",
    # "they" after a single speaker stays unattributed
    "Mara Lind said the pact holds.\n\nThe deal is a bluff, they said.",
])
def test_no_second_person_without_a_shared_title_or_verb(nlp: Language, text: str) -> None:
    doc = run(nlp, text)
    assert [p["name"] for p in doc._.people.values()] == ["Mara Lind"]
    assert all(name == "Mara Lind" for name, _ in claims_of(doc))
    assert not any("bluff" in said for _, said in claims_of(doc))


def test_a_singular_title_that_ends_in_s_is_not_a_plural_one(nlp: Language) -> None:
    doc = run(nlp, "According to Mrs. Mara Lind of the Green Party and Olav Brekke, the pact holds.")
    people = {p["name"]: p for p in doc._.people.values()}
    assert people["Mara Lind"]["title"] == "Mrs."
    assert people.get("Olav Brekke", {}).get("title", "") == ""


def test_a_generic_description_of_an_official_is_the_last_official_named(nlp: Language) -> None:
    doc = run(nlp, "Professor Ana Silva referred to an article by Foreign Minister Omar Haddad in a newspaper. "
                   "In it, the veteran leader described the treaty as a shield.")
    assert claims_of(doc)[-1] == ("Omar Haddad", "In it, the veteran leader described the treaty as a shield.")


@pytest.mark.parametrize(("text", "last"), [
    # the titles say who "she" can be: the last speaker "she" can stand for
    ("Ms. Ana Silva said the pact holds. Mr. Omar Haddad said it is a bluff. She added that talks go on.",
     ("Ana Silva", "She added that talks go on.")),
    ("Ana Silva, a spokeswoman for the ministry, said the pact holds. Omar Haddad, a spokesman for the "
     "army, said it is a bluff. She added that talks go on.", ("Ana Silva", "She added that talks go on.")),
    # nothing says: the last speaker, as before
    ("Ana Silva said the pact holds. Omar Haddad said it is a bluff. She added that talks go on.",
     ("Omar Haddad", "She added that talks go on.")),
])
def test_a_pronoun_goes_to_the_last_speaker_it_can_stand_for(nlp: Language, text: str, last: tuple) -> None:
    assert claims_of(run(nlp, text))[-1] == last


def test_a_pronoun_no_speaker_can_stand_for_is_left_unattributed(nlp: Language) -> None:
    doc = run(nlp, "Ms. Ana Silva said the pact holds. He added that talks go on.")
    assert claims_of(doc) == [("Ana Silva", "Ms. Ana Silva said the pact holds.")]
    assert doc._.people[next(iter(doc._.people))]["gender"] == "f"
