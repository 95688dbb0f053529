"""Extraction on sentences written for these tests (no sample-article names): one case per
construction the extractor must handle, and sentences where it must find nothing."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.extract import extract
from pipeline.lexicon import load_lexicon
from pipeline.model import Document
from pipeline.nlp import load_nlp
from pipeline.resolve import resolve


def claims_in(text: str, published: date | None = None) -> set[tuple]:
    """(claimant, kind, target, hedged, said_on) for every resolved claim in ``text``."""
    document = Document(id="t", text=text, origin="test", published=published)
    extraction = extract(load_nlp()(text), document)
    (resolved,) = resolve([extraction], load_lexicon())
    labels = {a.key: a.label for a in resolved.actors}
    return {(labels[c.claimant], c.kind, labels[t], c.hedged, c.said_on)
            for c in resolved.claims for t in c.targets}


def triples(found: set[tuple]) -> set[tuple]:
    return {(c, k, t) for c, k, t, *_ in found}


CASES = [
    # active voice, "of"-complement
    ("Israel accused Hamas of launching the rocket attack.", {("Israel", "accuses", "Hamas")}),
    # passive voice with agent
    ("Hamas was blamed by Israel for the rocket attack on the city.", {("Israel", "accuses", "Hamas")}),
    # blame X on Y
    ("The Saudi government blamed the explosion on Houthi rebels.", {("Saudi Arabia", "accuses", "Houthis")}),
    # reported speech: "said that Y was behind"
    ("Iran said that Israel was behind the assassination of the scientist.", {("Iran", "accuses", "Israel")}),
    # according to
    ("According to the Pentagon, Iran carried out the drone strike on the base.",
     {("United States", "accuses", "Iran")}),
    # claim of responsibility
    ("The Taliban claimed responsibility for the bombing in Kabul.", {("Taliban", "claims_responsibility", "Taliban")}),
    # coordination gives two targets
    ("Russia blamed the United States and Britain for the pipeline sabotage.",
     {("Russia", "accuses", "United States"), ("Russia", "accuses", "United Kingdom")}),
    # double negation: no reason to doubt a claim -> confirms
    ("France said it had no reason to doubt al-Shabaab's claim of responsibility.",
     {("France", "confirms", "al-Shabaab"), ("al-Shabaab", "claims_responsibility", "al-Shabaab")}),
    # denial of one's own involvement
    ("Hezbollah denied any involvement in the attack.", {("Hezbollah", "denies", "Hezbollah")}),
    # speaker carried over by a pronoun, title folded
    ("Prime Minister Narendra Modi spoke to reporters in New Delhi. He blamed Pakistan for the attack.",
     {("Narendra Modi", "accuses", "Pakistan")}),
    # metonyms map to states
    ("Washington accused Beijing of hacking the servers.", {("United States", "accuses", "China")}),
    # the Kremlin stays its own actor
    ("The Kremlin blamed Ukraine for the drone attack.", {("Kremlin", "accuses", "Ukraine")}),
    # hold responsible
    ("The United Nations held the Syrian government responsible for the chemical attack.",
     {("United Nations", "accuses", "Syria")}),
    # dismissal of someone's accusation -> disputes the holder
    ("China dismissed Washington's accusations as baseless.", {("China", "disputes", "United States")}),
    # cast doubt on a claim
    ("Britain cast doubt on Moscow's claim about the downed drone.", {("United Kingdom", "disputes", "Russia")}),
    # rejecting allegations described by a demonym
    ("Kyiv rejected the Russian allegations as absurd.", {("Ukraine", "disputes", "Russia")}),
    # warning
    ("The United States warned Israel about an imminent attack.", {("United States", "warns", "Israel")}),
    # unnamed officials speak for their state
    ("US officials blamed Iran for the attack on the tanker.", {("United States", "accuses", "Iran")}),
    # nominal: X's claim of responsibility
    ("Boko Haram's claim of responsibility for the kidnapping was broadcast on Monday.",
     {("Boko Haram", "claims_responsibility", "Boko Haram")}),
    # pointing the finger
    ("Ukraine pointed the finger at Russia over the collapse of the dam.", {("Ukraine", "accuses", "Russia")}),
    # reported perpetration: "said … caused by a rocket launched by X"
    ("The Israeli military said the blast was caused by a rocket launched by Hamas.",
     {("Israel", "accuses", "Hamas")}),
    # coordinated claimants, hold … responsible
    ("Canada and Australia held Russia responsible for the downing of the airliner.",
     {("Canada", "accuses", "Russia"), ("Australia", "accuses", "Russia")}),
    # expletive "it is likely that": hedged
    ("Britain said it was highly likely that Russia was responsible for the poisoning.",
     {("United Kingdom", "accuses", "Russia")}),
    # the attack was claimed by X (passive, agent)
    ("The bombing was claimed by the Taliban.", {("Taliban", "claims_responsibility", "Taliban")}),
    # relative clause object: "which Washington blames"
    ("Iran, which Washington blames for the attack on the tanker, denied any role.",
     {("United States", "accuses", "Iran"), ("Iran", "denies", "Iran")}),
    # rejecting claims about one's own involvement is a denial
    ("Russia rejected claims that it was behind the sabotage of the pipeline.", {("Russia", "denies", "Russia")}),
    # generic group named by the text
    ("Turkey blamed Kurdish militants for the bombing in Ankara.", {("Turkey", "accuses", "Kurdish militants")}),
    # a quotation followed by its speaker
    ("\u201cHamas is responsible for this massacre,\u201d Netanyahu said.", {("Netanyahu", "accuses", "Hamas")}),
    # a spokesman speaks for the organisation; a negated perpetration is a denial
    ("\u201cWe did not carry out the attack,\u201d a Hezbollah spokesman said.", {("Hezbollah", "denies", "Hezbollah")}),
    # "the group" refers back to the group just named
    ("Boko Haram fighters stormed the village on Sunday. In a video, the group said it carried out the attack.",
     {("Boko Haram", "claims_responsibility", "Boko Haram")}),
    # nominal: X's dismissal of Y's claim
    ("Germany's dismissal of Iran's claim drew criticism.", {("Germany", "disputes", "Iran")}),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0][:40] for c in CASES])
def test_construction(text, expected):
    assert triples(claims_in(text)) == expected


NOTHING = [
    "The President blamed them for the attack.",
    "He accused her of lying about the bombing.",
    "Police said the suspect was arrested on Tuesday.",
    "The company blamed the weather for poor sales.",
    "Analysts said the market was responsible for the decline.",
    "Officials did not blame Iran for the attack.",
    "The minister denied that the budget would be cut.",
    "Scientists warned that the glacier is melting faster than expected.",
    "The team claimed a 3-1 victory over their rivals.",
    "She suggested that the meeting be moved to Friday.",
]


@pytest.mark.parametrize("text", NOTHING, ids=[t[:40] for t in NOTHING])
def test_no_claim(text):
    assert claims_in(text) == set()


def test_hedged_suggestion():
    found = claims_in("Russian officials suggested that Ukraine was behind the explosion at the depot.")
    assert found == {("Russia", "accuses", "Ukraine", True, None)}


def test_flat_assertion_is_not_hedged():
    found = claims_in("Israel accused Hamas of launching the rocket attack.")
    assert {h for *_, h, _ in found} == {False}


def test_weekday_resolves_against_publication_date():
    # 2023-10-12 was a Thursday: "on Tuesday" is 2023-10-10
    found = claims_in("On Tuesday, Israel accused Hamas of launching the rocket attack.",
                      published=date(2023, 10, 12))
    assert found == {("Israel", "accuses", "Hamas", False, date(2023, 10, 10))}


def test_date_not_guessed_without_anchor():
    found = claims_in("On Tuesday, Israel accused Hamas of launching the rocket attack.")
    assert found == {("Israel", "accuses", "Hamas", False, None)}


def test_month_day_takes_year_from_publication():
    found = claims_in("On March 7, the Kremlin blamed Ukraine for the drone attack.", published=date(2023, 3, 9))
    assert found == {("Kremlin", "accuses", "Ukraine", False, date(2023, 3, 7))}


def test_vague_time_gives_no_date():
    found = claims_in("Earlier this month, the Kremlin blamed Ukraine for the drone attack.",
                      published=date(2023, 3, 9))
    assert found == {("Kremlin", "accuses", "Ukraine", False, None)}


def test_role_is_kept_and_title_folded():
    text = "Foreign Minister Sergey Lavrov blamed Kyiv for the strike on the bridge."
    document = Document(id="t", text=text, origin="test")
    (resolved,) = resolve([extract(load_nlp()(text), document)], load_lexicon())
    lavrov = next(a for a in resolved.actors if a.label == "Sergey Lavrov")
    assert lavrov.type == "Person"
    assert "Foreign Minister" in lavrov.roles
    assert {(c.claimant, c.kind, c.targets) for c in resolved.claims} == {("sergey lavrov", "accuses", ("ukraine",))}


def test_evidence_is_the_exact_sentence():
    text = "Markets fell sharply. Israel accused Hamas of launching the rocket attack. Talks resume today."
    document = Document(id="t", text=text, origin="test")
    (resolved,) = resolve([extract(load_nlp()(text), document)], load_lexicon())
    (claim,) = resolved.claims
    assert claim.evidence.text == "Israel accused Hamas of launching the rocket attack."
    assert text[claim.evidence.start:claim.evidence.end] == claim.evidence.text
