"""Extraction (``pipeline/extract/``) on sentences written for these tests.

Every name, place and organisation here is invented; none comes from the sample articles
or any gold set. Each construction family gets sentences whose exact claims are asserted
(after resolution, as the rest of the pipeline sees them), and there are sentences where
nothing may be found. ``test_every_example_gives_its_construction`` runs the ``example``
of every construction in ``en/patterns.json``; the lexicon tests check that a broken
patterns file fails at load, naming the file and the construction.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from pipeline.extract import extract, read
from pipeline.lexicon import LexiconError, load_lexicon, read_constructions
from pipeline.model import Document, Extraction, ResolvedDocument
from pipeline.nlp import load_nlp
from pipeline.resolve import resolve


def extracted(text: str, published: date | None = None) -> Extraction:
    document = Document(id="t", text=text, origin="test", published=published)
    return extract(load_nlp()(text), document, load_lexicon())


def resolved(text: str, published: date | None = None) -> ResolvedDocument:
    (document,) = resolve([extracted(text, published)], load_lexicon())
    return document


def claims_in(text: str, published: date | None = None) -> set[tuple]:
    """(claimant, kind, target, hedged, said_on) for every resolved claim in ``text``."""
    document = resolved(text, published)
    labels = {a.key: a.label for a in document.actors}
    return {(labels[c.claimant], c.kind, labels[t], c.hedged, c.said_on)
            for c in document.claims for t in c.targets}


def found(text: str) -> set[tuple]:
    """(claimant, kind, target, hedged) for every resolved claim in ``text``."""
    return {(c, k, t, h) for c, k, t, h, _ in claims_in(text)}


def _cases(*cases):
    return pytest.mark.parametrize("text,expected", cases, ids=[text[:50] for text, _ in cases])


# Direct blame: accuse, blame, attribute, hold responsible, condemn, suspect, point the finger.
BLAME = _cases(
    ("Senator Hal Brighton accused the Orvane Party of rigging the vote.",
     {("Hal Brighton", "accuses", "Orvane Party", False)}),
    ("The Orvane Party was accused by Senator Hal Brighton of rigging the vote.",
     {("Hal Brighton", "accuses", "Orvane Party", False)}),
    ("Mayor Aldo Renquist blamed the Grey Hand militia for the fire at the Ostbury depot.",
     {("Aldo Renquist", "accuses", "Grey Hand militia", False)}),
    # speaking out against an act blames its doer; "the attack" is the airstrike named before
    ("The Velmar navy carried out the strike on the harbour. Mayor Ivo Brask of Lindia spoke out against the raid.",
     {("Ivo Brask", "accuses", "Velmar navy", False)}),
    ("Mayor Ana Lind spoke out against the Velmar army's airstrike.", {("Ana Lind", "accuses", "Velmar army", False)}),
    ("Union members protested against the Halvard Mining Company.",
     {("Union members", "accuses", "Halvard Mining Company", False)}),
    ("Ana Lind spoke out against violence.", set()),
    ("The bishop decried the militia's raid on the village.", {("bishop", "accuses", "militia", False)}),
    # blaming an actor's policies blames the actor
    ("Sheriff Ivo Brask blamed the Velmar government's policies.", {("Ivo Brask", "accuses", "Velmar government", False)}),
    ("Sheriff Ivo Brask blamed the policies of the Velmar government for the riots.",
     {("Ivo Brask", "accuses", "Velmar government", False)}),
    ("Mirela Costa was blamed by the Dunmere council for the collapse of the bridge.",
     {("Dunmere council", "accuses", "Mirela Costa", False)}),
    ("The Ministry of Waters blamed the Tessel Liberation Front and the Grey Hand militia for the sabotage.",
     {("Ministry of Waters", "accuses", "Tessel Liberation Front", False),
      ("Ministry of Waters", "accuses", "Grey Hand militia", False)}),
    ("The Tarsk police attributed the explosion to the Crimson Oath.",
     {("Tarsk police", "accuses", "Crimson Oath", False)}),
    # an act of blame coordinated into what the speaker reports is the speaker's
    ("Ivo Stanek, a local police official, said five officers died in the attack, and blamed the Sarn Brigade for it.",
     {("Ivo Stanek", "accuses", "Sarn Brigade", False)}),
    # a name set off by commas before a verb with no subject is its subject, however parsed
    ("In a statement after the bombing, Omar Haddad, a spokesman for the Sarn Brigade, blamed both Velmar and "
     "Orvania for the bombing.", {("Omar Haddad", "accuses", "Velmar", False), ("Omar Haddad", "accuses", "Orvania", False)}),
    # an umbrella with a named member: the member
    ("Governor Ana Lind has been criticised. Her critics, which include the environmental group Green League, "
     "blame her for the fires.", {("Green League", "accuses", "Ana Lind", False)}),
    # "the governor" is not the governor's spokesperson
    ("Omar Haddad, spokesperson for the governor of Orsk province, said the port was closed. The governor blamed "
     "the Sarn Brigade for the unrest.", {("governor of Orsk province", "accuses", "Sarn Brigade", False)}),
    # an object pronoun is not its own clause's subject
    ("The Attorney-General served John Harlow with a writ, accusing him of scandalising the court.",
     {("Attorney-General", "accuses", "John Harlow", False)}),
    # a bare "the decision", "the operation": whose the act named just before was
    ("Governor Ilse Marek announced her decision to close the port. Senator Hal Brighton called the decision a disgrace.",
     {("Hal Brighton", "accuses", "Ilse Marek", False)}),
    ("The Velmar army launched a military operation in the north. The operation was denounced by the Brannock council.",
     {("Brannock council", "accuses", "Velmar army", False)}),
    # a participle whose misparsed subject is no actor belongs to the clause above
    ("Senator Hal Brighton left a comment on social media blaming the Orvane Party for the riots.",
     {("Hal Brighton", "accuses", "Orvane Party", False)}),
    ("The Velmar ministry blamed the blackout on the Drevan Collective.",
     {("Velmar ministry", "accuses", "Drevan Collective", False)}),
    ("The Brannock council held the Halvard Mining Company responsible for the flooding.",
     {("Brannock council", "accuses", "Halvard Mining Company", False)}),
    ("The Brannock council and the Dunmere council held the Halvard Mining Company responsible for the flooding.",
     {("Brannock council", "accuses", "Halvard Mining Company", False),
      ("Dunmere council", "accuses", "Halvard Mining Company", False)}),
    ("Governor Ilse Marek condemned the Sarn Brigade for the massacre in Quillon.",
     {("Ilse Marek", "accuses", "Sarn Brigade", False)}),
    ("The Brannock mayor pointed the finger at the Halvard Mining Company over the flooding.",
     {("Brannock mayor", "accuses", "Halvard Mining Company", False)}),
    # suspicion is hedged
    ("The Quillon police suspect the Marrow Syndicate of the robbery.",
     {("Quillon police", "accuses", "Marrow Syndicate", True)}),
    # a relative clause's subject blames its antecedent; the main clause denies
    ("The Sarn Brigade, which the Velmar ministry blames for the raid, denied any role.",
     {("Velmar ministry", "accuses", "Sarn Brigade", False), ("Sarn Brigade", "denies", "Sarn Brigade", False)}),
    # a pronoun subject is the person the previous sentence named
    ("Governor Ilse Marek spoke in Quillon on Monday. She blamed the Sarn Brigade for the raid.",
     {("Ilse Marek", "accuses", "Sarn Brigade", False)}),
)

# Legal acts: charge, convict, sentence, sue, arrest warrant, acquit, overturn, plead.
# An allegation accuses the one its clause is about, whatever the act.
ALLEGATION = _cases(
    # "Ambassador to Spain Mara Quist" parsed with the name inside the "to" phrase
    ("Canadian Ambassador to Spain Mara Quist accused the Orsk airline of smuggling weapons.",
     {("Mara Quist", "accuses", "Orsk airline", False)}),
    ("British Ambassador to France John Harlow accused the Sarn Brigade of the bombing.",
     {("John Harlow", "accuses", "Sarn Brigade", False)}),
    # a one-word short form of an organisation the document named in full
    ("The regulator grounded Dravik Air in March. The ministry alleged Dravik had smuggled weapons.",
     {("ministry", "accuses", "Dravik Air", False)}),
    ("The regulator fined Kestrel Mining Company in May. The union said Kestrel had poisoned the river.",
     {("regulator", "accuses", "Kestrel Mining Company", False), ("union", "accuses", "Kestrel Mining Company", False)}),
    # "the Senate" is a name of its own, not short for the one committee named in full
    ("The Senate Ethics Committee met in May. Ana Lind condemned the Senate for the delay.",
     {("Ana Lind", "accuses", "Senate", False)}),
    # a spy said of an actor blames it
    ("The Velmar ministry said Ivo Brask and John Harlow were spies.",
     {("Velmar ministry", "accuses", "Ivo Brask", False), ("Velmar ministry", "accuses", "John Harlow", False)}),
    ("The Velmar government alleges the Orsk airline carries guns for the rebels.",
     {("Velmar government", "accuses", "Orsk airline", False)}),
    ("The union alleged that the Halvard Mining Company ignored safety rules.",
     {("union", "accuses", "Halvard Mining Company", False)}),
    ('Ambassador Ivo Brask alleged the Orsk airline had "fuelled the war for years".',
     {("Ivo Brask", "accuses", "Orsk airline", False)}),
    # not alleged, or alleged by no one, or of no actor
    ("The union did not allege that the Halvard Mining Company ignored safety rules.", set()),
    ("It was alleged that the Halvard Mining Company ignored safety rules.", set()),
    ("The union alleged that the weather caused delays.", set()),
)


@ALLEGATION
def test_allegations(text, expected):
    assert found(text) == expected


LEGAL = _cases(
    # a lone given name coordinated with a full name shares its surname
    ("Judge Ana Lind sentenced Tomas and Greta Rell to life in prison.",
     {("Ana Lind", "accuses", "Tomas Rell", False), ("Ana Lind", "accuses", "Greta Rell", False)}),
    ("Prosecutors say Marco and Julia Bellini hid the money from the Orvane tax office.",
     {("Prosecutors", "accuses", "Marco Bellini", False), ("Prosecutors", "accuses", "Julia Bellini", False)}),
    ("The Velmar court convicted Peter and Hanna Dorsey of fraud on Monday.",
     {("Velmar court", "accuses", "Peter Dorsey", False), ("Velmar court", "accuses", "Hanna Dorsey", False)}),
    # "the accused", parsed as a participle, is the person last charged
    ("Police charged John Miller with murder on Friday. The prosecutor alleged the accused carried out two attacks.",
     {("Police", "accuses", "John Miller", False), ("prosecutor", "accuses", "John Miller", False)}),
    ("The Tarsk court charged Rolf Amsel with arson. Prosecutors said the accused stabbed the guard.",
     {("Tarsk court", "accuses", "Rolf Amsel", False), ("Prosecutors", "accuses", "Rolf Amsel", False)}),
    ("The Tarsk court charged Rolf Amsel with arson. Witnesses said the accused had attacked the guard.",
     {("Tarsk court", "accuses", "Rolf Amsel", False), ("Witnesses", "accuses", "Rolf Amsel", False)}),
    # ...or the person a participle says was charged
    ("Rolf Amsel appeared in court on Friday, charged with murder. Prosecutors alleged the accused staged both raids.",
     {("Prosecutors", "accuses", "Rolf Amsel", False)}),
    ("Rolf Amsel, charged with arson, appeared in court. Prosecutors said the suspect set the fire.",
     {("Prosecutors", "accuses", "Rolf Amsel", False)}),
    # charges unsealed, a lawsuit filed, proceedings launched against someone
    ("The ministry filed a lawsuit on Monday against John Miller.", {("ministry", "accuses", "John Miller", False)}),
    ("The Orsk council lodged a lawsuit against the Dravik company.", {("Orsk council", "accuses", "Dravik company", False)}),
    # "the state of X", "the city of X" are X
    ("The ministry brought a lawsuit against the state of Vermont.", {("ministry", "accuses", "Vermont", False)}),
    ("The Orvane Party sued the city of Tarsk over the ban.", {("Orvane Party", "accuses", "Tarsk", False)}),
    # an act the relative clause says someone did is theirs
    ("The Orvane Party lodged a complaint against the decree that Governor Ana Lind signed.",
     {("Orvane Party", "accuses", "Ana Lind", False)}),
    ("The Orvane Party condemned the decree the governor signed last week.", {("Orvane Party", "accuses", "governor", False)}),
    # acting on someone's behalf: that one claims
    ("Council speaker Tomas Rell lodged the complaint against Ana Lind on behalf of the Orsk council.",
     {("Orsk council", "accuses", "Ana Lind", False)}),
    ("Tomas Rell accused the mayor of fraud on behalf of the Orvane Party.", {("Orvane Party", "accuses", "mayor", False)}),
    # a named person arrested or detained for an offence, or on suspicion of one
    ("Police arrested Tomas Rell for fraud.", {("Police", "accuses", "Tomas Rell", False)}),
    ("Police questioned Tomas Rell as a suspect.", {("Police", "accuses", "Tomas Rell", True)}),
    # a role before a name NER takes for an organisation makes it a person ("her" is hers)
    ("Yesterday, a jury convicted Tomas Rell, the lawyer who represented pop star Greta Holm in her lawsuit "
     "against the mayor, Ana Lind, of fraud.",
     {("jury", "accuses", "Tomas Rell", False), ("Greta Holm", "accuses", "Ana Lind", False)}),
    # citing or documenting someone's abuses accuses them
    ("The minister cited the Orvane government's repression of its people as the reason.",
     {("minister", "accuses", "Orvane government", False)}),
    ("The Velor envoy cited the Orsk regime's repression of protesters as the reason for the sanctions.",
     {("Velor envoy", "accuses", "Orsk regime", False)}),
    ("Ana Lind denounced the Sarn Brigade's intimidation of voters.", {("Ana Lind", "accuses", "Sarn Brigade", False)}),
    ("Police arrested Tomas Rell on suspicion of fraud.", {("Police", "accuses", "Tomas Rell", False)}),
    ("The Orsk police detained Dana Pell for spreading rumours about the mayor.",
     {("Orsk police", "accuses", "Dana Pell", False)}),
    ("Yesterday the Justice Department unsealed further charges against John Miller.",
     {("Justice Department", "accuses", "John Miller", False)}),
    ("The Velmar ministry lodged a lawsuit against the Orvane Party.",
     {("Velmar ministry", "accuses", "Orvane Party", False)}),
    ("The Orvane Party launched legal proceedings against the Brannock Herald.",
     {("Orvane Party", "accuses", "Brannock Herald", False)}),
    # a participle of a statement "by" someone is that one's
    ("The mayor read a statement by the Orvane Party accusing the police of brutality.",
     {("Orvane Party", "accuses", "police", False)}),
    ("Reporters saw a letter by the Grey Hand militia claiming responsibility for the blast.",
     {("Grey Hand militia", "claims_responsibility", "Grey Hand militia", False)}),
    # coordinated states or institutions before one noun: one actor each
    ("The rebels blamed Russian and Syrian forces for the bombing.",
     {("rebels", "accuses", "Russian forces", False), ("rebels", "accuses", "Syrian forces", False)}),
    ("The rebels blamed army and police officers for the killings.",
     {("rebels", "accuses", "army", False), ("rebels", "accuses", "police", False)}),
    ("Turkish and Iraqi officials blamed the Grey Hand militia for the blast.",
     {("Turkey", "accuses", "Grey Hand militia", False), ("Iraq", "accuses", "Grey Hand militia", False)}),
    ("State and federal officials blamed the Grey Hand militia for the blast.",
     {("State and federal officials", "accuses", "Grey Hand militia", False)}),
    # any state's demonym, beyond the alias table's states; a person named like a country stays a person
    ("Malian officials blamed the Sarn Brigade for the raid.", {("Mali", "accuses", "Sarn Brigade", False)}),
    ("Malians blamed the Sarn Brigade for the raid.", {("Mali", "accuses", "Sarn Brigade", False)}),
    ("Peru sent two doctors. Bolivian nurses condemned their government's handling of the fever outbreak.",
     {("Bolivian nurses", "accuses", "Bolivia", False)}),
    ("Michael Jordan said the Sarn Brigade attacked the depot.", {("Michael Jordan", "accuses", "Sarn Brigade", False)}),
    # "their government": the government of the people just named, not of the last country
    ("Peru sent two doctors. Chinese nurses condemned their government's handling of the fever outbreak.",
     {("Chinese nurses", "accuses", "China", False)}),
    ("France sent aid. Iranian students condemned their government's crackdown on the protests.",
     {("Iranian students", "accuses", "Iran", False)}),
    # a passive's patient a misparse leaves outside its clause: the first name set off before it
    ("On Friday in Tarsk, John Harlow, brother of the singer Ana Lind, was sentenced to twenty years "
     "by a tribunal in Tarsk.", {("tribunal in Tarsk", "accuses", "John Harlow", False)}),
    ("After the verdict, Ivo Brask, a cousin of the mayor and friend of Rolf Amsel, was jailed by the Vetra court.",
     {("Vetra court", "accuses", "Ivo Brask", False)}),
    ("In a speech on Monday, Ana Lind, a sister of the poet Eva Lind, blamed the Sarn Brigade for the fire.",
     {("Ana Lind", "accuses", "Sarn Brigade", False)}),
    # "New" of a place name stays in the name; the place's country is no second claimant
    ("A New York court convicted the landlord of fraud in May.", {("New York court", "accuses", "landlord", False)}),
    ("Leeds Crown Court in England, UK has fined a landlord.", {("Leeds Crown Court", "accuses", "landlord", False)}),
    ("A court in Lyon, France has jailed a nurse for two years.", {("court in Lyon", "accuses", "nurse", False)}),
    ("Prosecutors in Lyon, France charged the driver with murder.", {("Prosecutors in Lyon", "accuses", "driver", False)}),
    # a court's name NER splits at "for" is one name
    ("The Tribunal of Appeal for the Tarsk Region overturned the conviction of Ana Lind.",
     {("Tribunal of Appeal for the Tarsk Region", "denies", "Ana Lind", False)}),
    # a party and state in parentheses are no apposed name
    ("The Tarsk bar council charged attorney Mara Quist (R-Velmar) with fraud.",
     {("Tarsk bar council", "accuses", "Mara Quist", False)}),
    # "fined": a form the model lemmatizes wrongly
    ("Ana Lind was fined by the Tarsk Board of Health for selling tainted milk.",
     {("Tarsk Board of Health", "accuses", "Ana Lind", False)}),
    ("Prosecutors charged Petra Lindqvist with the murder of a guard.",
     {("Prosecutors", "accuses", "Petra Lindqvist", False)}),
    ("Petra Lindqvist was charged with arson by prosecutors in Vetra.",
     {("prosecutors in Vetra", "accuses", "Petra Lindqvist", False)}),
    ("A court in Dunmere convicted Oren Falk of murder.",
     {("court in Dunmere", "accuses", "Oren Falk", False)}),
    ("The Vetra court sentenced Mirela Costa to life in prison for the bombing.",
     {("Vetra court", "accuses", "Mirela Costa", False)}),
    ("The Ostbury family sued the Halvard Mining Company over the deaths.",
     {("Ostbury family", "accuses", "Halvard Mining Company", False)}),
    ("The Tarsk prosecutor issued an arrest warrant for Oskar Brell.",
     {("Tarsk prosecutor", "accuses", "Oskar Brell", False)}),
    ("The jury acquitted Tobias Wren of the killing.", {("jury", "denies", "Tobias Wren", False)}),
    ("Tobias Wren has been charged with arson, the Tarsk police said.", {("Tarsk police", "accuses", "Tobias Wren", False)}),
    # a lead's "a doctor", "two officers" are the people the next paragraphs name with that role
    ("On Wednesday, a state judge jailed a doctor for fraud. Dr. John Harlow was convicted in May. "
     "Judge Mary Brent handed down the sentence.", {("Mary Brent", "accuses", "John Harlow", False)}),
    ("After a trial, two officers were declared guilty of theft by a Varno court on Thursday. The victim met "
     "officers John Harlow and Peter Quayle at a bar.",
     {("Varno court", "accuses", "John Harlow", False), ("Varno court", "accuses", "Peter Quayle", False)}),
    ("The Brannock inquiry cleared Captain Lena Ward of wrongdoing.",
     {("Brannock inquiry", "denies", "Lena Ward", False)}),
    ("An appeals court in Dunmere overturned the conviction of Oren Falk.",
     {("appeals court in Dunmere", "denies", "Oren Falk", False)}),
    ("The appeals court overturned Nadia Korsakova's conviction.",
     {("appeals court", "denies", "Nadia Korsakova", False)}),
    ("Oskar Brell pleaded guilty to the bombing of the Vetra station.",
     {("Oskar Brell", "claims_responsibility", "Oskar Brell", False)}),
    ("Oskar Brell pleaded not guilty to the bombing of the Vetra station.",
     {("Oskar Brell", "denies", "Oskar Brell", False)}),
)

# Claims of responsibility.
RESPONSIBILITY = _cases(
    # a spokesperson saying what "we" did: the body claims it
    ('"We carried out the attack," said Omar Haddad, a spokesman for the Sarn Brigade.',
     {("Sarn Brigade", "claims_responsibility", "Sarn Brigade", False)}),
    ("The Crimson Oath claimed responsibility for the bombing of the Tarsk embassy.",
     {("Crimson Oath", "claims_responsibility", "Crimson Oath", False)}),
    ("The Sarn Brigade's claim of responsibility was posted online.",
     {("Sarn Brigade", "claims_responsibility", "Sarn Brigade", False)}),
    ("The bombing was claimed by the Crimson Oath.",
     {("Crimson Oath", "claims_responsibility", "Crimson Oath", False)}),
    ("The raid, claimed by the Sarn Brigade, destroyed the depot.",
     {("Sarn Brigade", "claims_responsibility", "Sarn Brigade", False)}),
    ("The Crimson Oath claimed the attack on the Velmar pipeline.",
     {("Crimson Oath", "claims_responsibility", "Crimson Oath", False)}),
    ("In a statement, the Sarn Brigade said it carried out the raid.",
     {("Sarn Brigade", "claims_responsibility", "Sarn Brigade", False)}),
    # "the group" refers back to the group just named
    ("The Sarn Brigade stormed the Quillon depot on Sunday. In a video, the group said it carried out the attack.",
     {("Sarn Brigade", "claims_responsibility", "Sarn Brigade", False)}),
    ("Tomas Reeve confessed to the killing of the judge.",
     {("Tomas Reeve", "claims_responsibility", "Tomas Reeve", False)}),
)

# Reported-statement content: what a speaker says someone did.
REPORTED = _cases(
    # breaking a law or a truce, lacking the authority for an act, is blame
    ("Ana Lind said the government is breaking the law.", {("Ana Lind", "accuses", "government", False)}),
    ("The Velor mayor said the Orsk council broke the law.", {("Velor mayor", "accuses", "Orsk council", False)}),
    ("Rebels said the army had breached the ceasefire.", {("Rebels", "accuses", "army", False)}),
    ("The Orsk tribunal ruled that the governor lacked the authority to close the port.",
     {("Orsk tribunal", "accuses", "governor", False)}),
    ("The court ruled that Governor Ana Lind lacked the authority to delay the election.",
     {("court", "accuses", "Ana Lind", False)}),
    # a headline's "X stabbed" is a passive: X is the victim, not "the suspects"
    ("date 2020-03-01\n\nMayor Ana Lind stabbed\n\nYesterday, Mayor Ana Lind was stabbed in Orsk. Police arrested "
     "two suspects. Rolf Amsel said the suspects planned the attack.",
     {("Rolf Amsel", "accuses", "suspects", False)}),
    # "quoted as saying", "cited as saying": the one quoted speaks
    ("Rolf Amsel was quoted as saying the rebels attacked the depot.", {("Rolf Amsel", "accuses", "rebels", False)}),
    ("The Velmar Herald quoted Rolf Amsel as saying the rebels attacked the depot.",
     {("Rolf Amsel", "accuses", "rebels", False)}),
    ("The agency chief, Rolf Amsel, was cited as saying the Sarn Brigade was behind the blast.",
     {("Rolf Amsel", "accuses", "Sarn Brigade", False)}),
    # "the prime minister" is not the deputy prime minister named before
    ("Deputy Prime Minister Tomas Rell spoke first. The prime minister said the Sarn Brigade attacked the depot.",
     {("prime minister", "accuses", "Sarn Brigade", False)}),
    ("Vice President Ana Lind met the press. The president accused the Sarn Brigade of the attack.",
     {("president", "accuses", "Sarn Brigade", False)}),
    ("Deputy Prime Minister Tomas Rell and Prime Minister Ana Lind spoke. The deputy prime minister said the "
     "Sarn Brigade attacked the depot.", {("Tomas Rell", "accuses", "Sarn Brigade", False)}),
    ("Governor Ilse Marek said the Sarn Brigade carried out the attack on the Quillon bridge.",
     {("Ilse Marek", "accuses", "Sarn Brigade", False)}),
    ("The Velmar ministry said the Crimson Oath was behind the explosion.",
     {("Velmar ministry", "accuses", "Crimson Oath", False)}),
    ("Inspector Rolf Amsel said the Halvard Mining Company was responsible for the spill.",
     {("Rolf Amsel", "accuses", "Halvard Mining Company", False)}),
    ("Tarsk officials said that Colonel Ivo Stanek ordered the shelling.",
     {("Tarsk officials", "accuses", "Ivo Stanek", False)}),
    ("The Velmar ministry said Colonel Ivo Stanek had ordered the shelling of Quillon.",
     {("Velmar ministry", "accuses", "Ivo Stanek", False)}),
    ("Ilse Marek said agents of the Drevan Collective were involved in the riot.",
     {("Ilse Marek", "accuses", "agents of the Drevan Collective", False)}),
    ("Rolf Amsel said the leak was the Halvard Mining Company's doing.",
     {("Rolf Amsel", "accuses", "Halvard Mining Company", False)}),
    # the speaker between the parts of the reported clause
    ("The Sarn Brigade, the Velmar ministry said, was behind the raid.",
     {("Velmar ministry", "accuses", "Sarn Brigade", False)}),
    # according to
    ("According to the Brannock council, the Grey Hand militia bombed the warehouse.",
     {("Brannock council", "accuses", "Grey Hand militia", False)}),
    ("According to Inspector Rolf Amsel, the Marrow Syndicate was behind the robbery.",
     {("Rolf Amsel", "accuses", "Marrow Syndicate", False)}),
    ("According to the Tarsk police, the Crimson Oath carried out the attack.",
     {("Tarsk police", "accuses", "Crimson Oath", False)}),
    # a negation on the clause that holds the predicate denies
    ("The Velmar ministry said the Sarn Brigade was not to blame.", {("Velmar ministry", "denies", "Sarn Brigade", False)}),
    # an agentless passive cue inside a report is the reporter's
    ("The Sarn Brigade is suspected of carrying out the raid, the Tarsk police said.",
     {("Tarsk police", "accuses", "Sarn Brigade", True)}),
    ("According to the Velmar ministry, the Sarn Brigade was blamed for the raid.",
     {("Velmar ministry", "accuses", "Sarn Brigade", False)}),
    ("Senator Hal Brighton said the Velmar ministry had mishandled the crisis.",
     {("Hal Brighton", "accuses", "Velmar ministry", False)}),
    # opposing someone's statement disputes it; a lie told by X disputes X
    ("The Orvane Party issued a statement on the riots. Senator Hal Brighton opposed the party's statement.",
     {("Hal Brighton", "disputes", "Orvane Party", False)}),
    ('Senator Hal Brighton said: "The worst lie told by the Velmar ministry is that the rebels are beaten."',
     {("Hal Brighton", "disputes", "Velmar ministry", False)}),
    # a hedge on the clause that holds the predicate hedges the claim
    ("The Velmar ministry said the Sarn Brigade was likely behind the bombing.",
     {("Velmar ministry", "accuses", "Sarn Brigade", True)}),
    # the parties to an act ("the deal between X and Y") own it
    ("The tribunal concluded that the agreement between the Sarn Republic and Orvania is null and void.",
     {("tribunal", "accuses", "Sarn Republic", False), ("tribunal", "accuses", "Orvania", False)}),
    # a passive act's instrument: whose it is; a bare participle shares the passive before it
    ("Police insisted that the fatal wounds were inflicted by the Sarn Brigade's rifles.",
     {("Police", "accuses", "Sarn Brigade", False)}),
    ("The minister said the villagers were beaten and robbed by the Grey Hand militia.",
     {("minister", "accuses", "Grey Hand militia", False)}),
    ("The ministry said the Sarn Brigade had a role in the bombing.",
     {("ministry", "accuses", "Sarn Brigade", False)}),
    # a quotation after a colon is the words of the clause before it, whatever its verb
    ('In a statement, the Velmar ministry described the raid as "necessary": "Colonel Ivo Stanek had ordered '
     'the shelling of three villages."', {("Velmar ministry", "accuses", "Ivo Stanek", False)}),
    # an unnamed spokesperson or source of a body speaks as the body; a named one as herself
    ("According to three sources familiar with the Velmar Interior Ministry, the Sarn Brigade had planned the raid.",
     {("Velmar Interior Ministry", "accuses", "Sarn Brigade", False)}),
    ("A Velmar police source said the Sarn Brigade had planted the bomb.",
     {("Velmar police", "accuses", "Sarn Brigade", False)}),
    ("A spokesperson for the Dunmere Water Board said the Marrow Syndicate had poisoned the reservoir.",
     {("Dunmere Water Board", "accuses", "Marrow Syndicate", False)}),
    ("A source within the Velmar Interior Ministry said the Sarn Brigade had planted the bomb.",
     {("Velmar Interior Ministry", "accuses", "Sarn Brigade", False)}),
    # quotations with the speaker after
    ("\u201cThe Sarn Brigade is responsible for this massacre,\u201d Governor Ilse Marek said.",
     {("Ilse Marek", "accuses", "Sarn Brigade", False)}),
    ("\u201cThe Orvane Party is behind these attacks,\u201d said Senator Hal Brighton.",
     {("Hal Brighton", "accuses", "Orvane Party", False)}),
    ('"Colonel Ivo Stanek ordered the shelling," the Velmar ministry said in a statement.',
     {("Velmar ministry", "accuses", "Ivo Stanek", False)}),
    ('"The Marrow Syndicate ordered the killing," Inspector Rolf Amsel told reporters.',
     {("Rolf Amsel", "accuses", "Marrow Syndicate", False)}),
    # hedged speech and belief
    ("Velmar officials suggested that the Crimson Oath was behind the explosion.",
     {("Velmar officials", "accuses", "Crimson Oath", True)}),
    ("The Velmar ministry suggested that the Crimson Oath may have been behind the explosion.",
     {("Velmar ministry", "accuses", "Crimson Oath", True)}),
    ("Governor Ilse Marek said she believed the Sarn Brigade had bombed the depot.",
     {("Ilse Marek", "accuses", "Sarn Brigade", True)}),
    # innocence is a denial
    ("Her lawyer said Petra Lindqvist was innocent.", {("lawyer", "denies", "Petra Lindqvist", False)}),
    # a negated responsibility predicate is a denial
    ("The Velmar ministry said the Crimson Oath was not behind the explosion.",
     {("Velmar ministry", "denies", "Crimson Oath", False)}),
    ("The Velmar ministry said the Crimson Oath was not responsible for the explosion.",
     {("Velmar ministry", "denies", "Crimson Oath", False)}),
    # a gerund after "by", "after"… is done by the subject of the verb it modifies
    ("The Velmar ministry said the Sarn Brigade had provoked the crisis by shelling Quillon.",
     {("Velmar ministry", "accuses", "Sarn Brigade", False)}),
    ("The Sarn Brigade said it had taken defensive action by killing Colonel Ivo Stanek.",
     {("Sarn Brigade", "claims_responsibility", "Sarn Brigade", False)}),
    ("Tarsk police said John Harlow was arrested after stabbing a guard.",
     {("Tarsk police", "accuses", "John Harlow", False)}),
    # "X took action to…, by V-ing": the act of the noun's infinitive is X's
    ("The ministry said the Sarn Brigade had launched an operation to seize the port by shelling Quillon.",
     {("ministry", "accuses", "Sarn Brigade", False)}),
    ("Ilse Marek said the Velmar army took steps to silence critics by kidnapping journalists.",
     {("Ilse Marek", "accuses", "Velmar army", False)}),
    ("The Sarn Brigade said it had launched a raid to free the hostages by killing the guards.",
     {("Sarn Brigade", "claims_responsibility", "Sarn Brigade", False)}),
    # forms the model lemmatizes wrongly ("raped" as "rap") are still cues
    ("Prosecutors said Peter Quayle raped the woman.", {("Prosecutors", "accuses", "Peter Quayle", False)}),
    # "X talking to a Y think tank blamed…" parsed with "think tank" as the subject
    ("Velmar premier Ivo Brask talking to a Tarsk university think tank blamed the Sarn Brigade for the bombing.",
     {("Ivo Brask", "accuses", "Sarn Brigade", False)}),
    # "as responsible" is said of the object just before it
    ("The inspector said the forensic report points to the Sarn Brigade as responsible for the fire.",
     {("inspector", "accuses", "Sarn Brigade", False)}),
    ("Governor Ilse Marek said her office regards the Halvard Mining Company as responsible for the spill.",
     {("Ilse Marek", "accuses", "Halvard Mining Company", False)}),
    ("The Tarsk police said the evidence identified John Harlow as responsible for the fire.",
     {("Tarsk police", "accuses", "John Harlow", False)}),
    # an act called a betrayal, barbaric, unacceptable is its doer's blame
    ("Rolf Amsel said the Velmar ministry's decision was a betrayal.",
     {("Rolf Amsel", "accuses", "Velmar ministry", False)}),
    ("Ilse Marek said the Sarn Brigade's attack on the village was barbaric.",
     {("Ilse Marek", "accuses", "Sarn Brigade", False)}),
    ("Tarsk officials said the governor's order was unacceptable.", {("Tarsk officials", "accuses", "governor", False)}),
    # "a number of X", "dozens of X" are X
    ("A number of lawmakers condemned the Water Board's decision.", {("lawmakers", "accuses", "Water Board", False)}),
    ("Dozens of lawmakers criticised the Telecom Board.", {("lawmakers", "accuses", "Telecom Board", False)}),
    # describing adjectives before a name are no part of the actor's name
    ("The bishop said the greedy, careless Tarrow ministers had robbed the temple.",
     {("bishop", "accuses", "Tarrow ministers", False)}),
)

# Rejections and disputes of someone's claim.
STORY = ("The Velmar ministry accused the Sarn Brigade of the bombing on Monday. The blast destroyed a bridge. "
         "Traffic was diverted. Repairs will take weeks. ")
REJECTION = _cases(
    # a rejected appeal or petition disputes whoever brought it
    ("The Velmar Supreme Court dismissed an appeal by Ilsa Marek.",
     {("Velmar Supreme Court", "disputes", "Ilsa Marek", False)}),
    ("The court rejected John Miller's appeal on Monday.", {("court", "disputes", "John Miller", False)}),
    ("The Tarsk tribunal threw out the petition filed by the Orvane Party.",
     {("Tarsk tribunal", "disputes", "Orvane Party", False)}),
    ("Before the ruling by the Tarsk Court of Appeals rejecting John Miller's appeal, the former mayor voiced optimism.",
     {("Tarsk Court of Appeals", "disputes", "John Miller", False)}),
    # "it is a stunt" paragraphs later: the story's one accuser's claim; with two accusers, no one's
    (STORY + '"This is a cheap stunt," Rolf Amsel said.',
     {("Velmar ministry", "accuses", "Sarn Brigade", False), ("Rolf Amsel", "disputes", "Velmar ministry", False)}),
    (STORY + 'Rolf Amsel said: "This is nonsense."',
     {("Velmar ministry", "accuses", "Sarn Brigade", False), ("Rolf Amsel", "disputes", "Velmar ministry", False)}),
    (STORY + "Governor Ilse Marek blamed the Grey Hand militia for the fire. The fire spread. "
     'Rolf Amsel said: "It is a cheap stunt."',
     {("Velmar ministry", "accuses", "Sarn Brigade", False), ("Ilse Marek", "accuses", "Grey Hand militia", False)}),
    ("The Orvane Party rejected Senator Hal Brighton's accusations as baseless.",
     {("Orvane Party", "disputes", "Hal Brighton", False)}),
    ("The Velmar ministry dismissed the Crimson Oath's claims as propaganda.",
     {("Velmar ministry", "disputes", "Crimson Oath", False)}),
    ("The Drevan Collective disputed the Velmar ministry's account of the blackout.",
     {("Drevan Collective", "disputes", "Velmar ministry", False)}),
    ("The Halvard Mining Company denied the council's allegations.",
     {("Halvard Mining Company", "disputes", "council", False)}),
    ("The Sarn Brigade's statement was dismissed by Governor Ilse Marek as a lie.",
     {("Ilse Marek", "disputes", "Sarn Brigade", False)}),
    ("Rolf Amsel described the Orvane Party's claims as lies.",
     {("Rolf Amsel", "disputes", "Orvane Party", False)}),
    ('Arvid Sorn called the Velmar ministry\'s report "a fabrication."',
     {("Arvid Sorn", "disputes", "Velmar ministry", False)}),
    # "the claim" is the claim just made
    ("The Crimson Oath said it carried out the bombing. Governor Ilse Marek called the claim a fabrication.",
     {("Crimson Oath", "claims_responsibility", "Crimson Oath", False),
      ("Ilse Marek", "disputes", "Crimson Oath", False)}),
    # the accused rejecting the accusation denies it
    ("The Velmar ministry accused the Drevan Collective of the blackout. "
     "The Drevan Collective rejected the accusation.",
     {("Velmar ministry", "accuses", "Drevan Collective", False),
      ("Drevan Collective", "denies", "Drevan Collective", False)}),
    ("The Velmar ministry accused the Drevan Collective of the blackout. "
     "The Drevan Collective called the accusation a fabrication.",
     {("Velmar ministry", "accuses", "Drevan Collective", False),
      ("Drevan Collective", "denies", "Drevan Collective", False)}),
)

# Denials.
DENIAL = _cases(
    # the accused, by surname, or the accused's lawyer or spokesman denying the charges
    ("Prosecutors charged Tomas Rell with fraud. Rell denied the charges.",
     {("Prosecutors", "accuses", "Tomas Rell", False), ("Tomas Rell", "denies", "Tomas Rell", False)}),
    ("Prosecutors charged Tomas Rell with fraud. His lawyer, Mara Quist, denied the charges.",
     {("Prosecutors", "accuses", "Tomas Rell", False), ("Mara Quist", "denies", "Tomas Rell", False)}),
    ("Police accused John Miller of arson. The charge was rejected by Mara Quist, the lawyer of Miller.",
     {("Police", "accuses", "John Miller", False), ("Mara Quist", "denies", "John Miller", False)}),
    ("The Velmar ministry accused Ilse Marek of bribery. Her spokesman, Rolf Amsel, rejected the accusation.",
     {("Velmar ministry", "accuses", "Ilse Marek", False), ("Rolf Amsel", "denies", "Ilse Marek", False)}),
    ("The Sarn Brigade denied any involvement in the bombing.",
     {("Sarn Brigade", "denies", "Sarn Brigade", False)}),
    ("The Halvard Mining Company denied responsibility for the spill.",
     {("Halvard Mining Company", "denies", "Halvard Mining Company", False)}),
    ("The Orvane Party denied that it had rigged the vote.",
     {("Orvane Party", "denies", "Orvane Party", False)}),
    ("The Velmar ministry denied that the Grey Hand militia had attacked the convoy.",
     {("Velmar ministry", "denies", "Grey Hand militia", False)}),
    ("Governor Ilse Marek denied the Tessel Liberation Front's role in the riot.",
     {("Ilse Marek", "denies", "Tessel Liberation Front", False)}),
    ("The Drevan Collective's denial of involvement came within hours.",
     {("Drevan Collective", "denies", "Drevan Collective", False)}),
    # "any" + whatever the noun names, and an act noun, are denials of one's own part
    ("Inspector Rolf Amsel denied any contact with the smugglers.", {("Rolf Amsel", "denies", "Rolf Amsel", False)}),
    ("The Sarn Brigade denied the kidnapping.", {("Sarn Brigade", "denies", "Sarn Brigade", False)}),
    # a denial coordinated with a passive verb is the speaker's, not the passive subject's
    ("John Harlow said that he had told the board that the loan was conditional on cuts but denied that "
     "he signed any pact with the Marrow Syndicate.", {("John Harlow", "denies", "John Harlow", False)}),
    ("John Harlow said that he had told the board that the loan was linked to cuts but denied that he "
     "signed any pact with the Marrow Syndicate.", {("John Harlow", "denies", "John Harlow", False)}),
    ("Oskar Vint has always maintained his innocence.", {("Oskar Vint", "denies", "Oskar Vint", False)}),
    ("Dr. Oskar Vint testified in his own defence, saying the records were accurate.",
     {("Oskar Vint", "denies", "Oskar Vint", False)}),
    # a negated finding clears the doer; "the network" is not the body that found nothing
    ("The Tessel Broadcasting Network lost its licence. After a hearing, the Velmar Senate did not find that the "
     "network had violated its permit.", {("Velmar Senate", "denies", "Tessel Broadcasting Network", False)}),
    # "X's lawyer said he was innocent": he is X
    ("John Harlow's lawyer said he was innocent.", {("John Harlow's lawyer", "denies", "John Harlow", False)}),
    ("The Sarn Brigade said it had nothing to do with the attack.", {("Sarn Brigade", "denies", "Sarn Brigade", False)}),
    ('"We had nothing to do with it," said Omar Haddad.', {("Omar Haddad", "denies", "Omar Haddad", False)}),
    # "we" of a spokesperson for a body is the body
    ('"We had nothing to do with it," said Omar Haddad, a spokesman for the Sarn Brigade.',
     {("Sarn Brigade", "denies", "Sarn Brigade", False)}),
    # "the group" after a name NER missed
    ("The Velmar ministry said the Sarn Brigade carried out the attack, but the group denied involvement.",
     {("Velmar ministry", "accuses", "Sarn Brigade", False), ("Sarn Brigade", "denies", "Sarn Brigade", False)}),
    ("The Sarn Brigade called the allegations baseless.", {("Sarn Brigade", "denies", "Sarn Brigade", False)}),
    # rejecting accusations no one else is said to hold: one's own blame denied
    ("The Sarn Brigade rejected the accusations.", {("Sarn Brigade", "denies", "Sarn Brigade", False)}),
    ("The Velmar foreign ministry dismissed the allegations as baseless.",
     {("Velmar foreign ministry", "denies", "Velmar foreign ministry", False)}),
    # a third person inside a quotation is not its speaker
    ('Edward Crane, a lawyer for John Harlow, said, "He has always maintained his innocence."',
     {("John Harlow", "denies", "John Harlow", False)}),
    ("John Harlow and Peter Quayle were arrested in May. They denied wrongdoing.",
     {("John Harlow", "denies", "John Harlow", False), ("Peter Quayle", "denies", "Peter Quayle", False)}),
    # "the pair", "the two men": the people named just before, each denying its own part
    ("John Harlow and Peter Quayle were arrested in May. The pair denied wrongdoing.",
     {("John Harlow", "denies", "John Harlow", False), ("Peter Quayle", "denies", "Peter Quayle", False)}),
    ("Police arrested John Harlow and Peter Quayle. The two men denied the charges.",
     {("John Harlow", "denies", "John Harlow", False), ("Peter Quayle", "denies", "Peter Quayle", False)}),
    # a denied passive clause: its agent, or who was said to be involved
    ("The Sarn Brigade denied that it was involved in the attack.", {("Sarn Brigade", "denies", "Sarn Brigade", False)}),
    ("Ana Lind denied that she was implicated in the fraud.", {("Ana Lind", "denies", "Ana Lind", False)}),
    # "its soldiers" of the army are the army
    ("The Velmar army denied that the girl was shot by its soldiers.", {("Velmar army", "denies", "Velmar army", False)}),
    # calling the charges against oneself baseless or politically motivated denies one's own blame
    ("Ana Lind said the charges against her were politically motivated.", {("Ana Lind", "denies", "Ana Lind", False)}),
    ("Ana Lind said the charges against her were baseless.", {("Ana Lind", "denies", "Ana Lind", False)}),
    ('"The allegations against me are false," said Ivo Brask.', {("Ivo Brask", "denies", "Ivo Brask", False)}),
    ("Ivo Brask said the allegations against the Sarn Brigade were false.", set()),
    # acting in self-defence is no wrongdoing
    ("Her lawyer said Mara Quist acted in self-defence.", {("lawyer", "denies", "Mara Quist", False)}),
    ('"I shot him in self-defence," John Harlow told the court.', {("John Harlow", "denies", "John Harlow", False)}),
    ("The Velmar ministry said the guards acted in self-defence.", {("Velmar ministry", "denies", "guards", False)}),
    # "the pair" a paragraph after the two were named
    ("John Harlow and Peter Quayle ran a garage near the docks. Harlow picked up the car. Records show calls "
     "between the men that day. The car was never found. The pair denied wrongdoing.",
     {("John Harlow", "denies", "John Harlow", False), ("Peter Quayle", "denies", "Peter Quayle", False)}),
    # a bare "the defendants", "the officers": the named people last coordinated
    ("Prosecutors charged John Harlow and Peter Quayle with fraud. The jury heard them. "
     "The defendants denied wrongdoing.",
     {("Prosecutors", "accuses", "John Harlow", False), ("Prosecutors", "accuses", "Peter Quayle", False),
      ("John Harlow", "denies", "John Harlow", False), ("Peter Quayle", "denies", "Peter Quayle", False)}),
    ("The brothers Ivo Stanek and Emil Stanek were questioned on Monday. The brothers rejected the allegations.",
     {("Ivo Stanek", "denies", "Ivo Stanek", False), ("Emil Stanek", "denies", "Emil Stanek", False)}),
    ("Officers Rolf Amsel and Jon Brask were suspended. A witness saw them leave. "
     "The officers denied any role in the beating.",
     {("Rolf Amsel", "denies", "Rolf Amsel", False), ("Jon Brask", "denies", "Jon Brask", False)}),
)

# Pronouns: a subject "she" continues the "she" before it, and a subject comes before a "by" agent.
PRONOUNS = _cases(
    ("Mara Ellis met the two guards at the gate. Later, she said, she was beaten by the guards "
     "and an unnamed driver. She told the jury the Marrow Syndicate had ordered the attack.",
     {("Mara Ellis", "accuses", "guards", False), ("Mara Ellis", "accuses", "driver", False),
      ("Mara Ellis", "accuses", "Marrow Syndicate", False)}),
    ("Ana Lind was praised by Greta Holm at the rally. She said the Orvane Party had rigged the vote.",
     {("Ana Lind", "accuses", "Orvane Party", False)}),
    ("Inspector Petra Lindqvist spoke after Greta Holm. She said she had been attacked by Holm, "
     "and she said the Velmar ministry ordered the attack.",
     {("Petra Lindqvist", "accuses", "Greta Holm", False), ("Petra Lindqvist", "accuses", "Velmar ministry", False)}),
    # "they" over the people of a coordination, with the names apposed to a plural role,
    # looking a sentence further back when the one before names no plural
    ("Governor Ilse Marek and her deputies, Rolf Amsel and Petra Lindqvist, met in Vetra on Monday. "
     "The Dunmere envoy, John Harlow, arrived later. They said the Sarn Brigade had bombed the pipeline.",
     {("Ilse Marek", "accuses", "Sarn Brigade", False), ("Rolf Amsel", "accuses", "Sarn Brigade", False),
      ("Petra Lindqvist", "accuses", "Sarn Brigade", False)}),
    ("The ministers, Ana Lind and Ivo Varga, met in Orsk. They accused the Sarn Brigade of the bombing.",
     {("Ana Lind", "accuses", "Sarn Brigade", False), ("Ivo Varga", "accuses", "Sarn Brigade", False)}),
    ("Mayor Ana Lind and Governor Ivo Varga toured the site. The Dunmere envoy, Petra Quist, stayed behind. "
     "They blamed the Halvard Mining Company for the flood.",
     {("Ana Lind", "accuses", "Halvard Mining Company", False), ("Ivo Varga", "accuses", "Halvard Mining Company", False)}),
    # "her lawyers" are named for her, when she is the only person named just before
    ("Police charged Ana Lind with fraud. Her lawyers said the Orsk bank had forged the papers.",
     {("Police", "accuses", "Ana Lind", False), ("Ana Lind's lawyers", "accuses", "Orsk bank", False)}),
    ("Mara Quist was arrested in May. Her supporters said the Velmar ministry had orchestrated the arrest.",
     {("Mara Quist's supporters", "accuses", "Velmar ministry", False)}),
    ("Judge Ivo Brask sentenced John Harlow to ten years. His brother said the Tarsk police had beaten him.",
     {("Ivo Brask", "accuses", "John Harlow", False), ("brother", "accuses", "Tarsk police", False)}),
    # no plural to refer to: nobody
    ("Governor Ilse Marek toured the site. John Harlow stayed behind. They blamed the Halvard Mining Company for the flood.",
     set()),
)


@PRONOUNS
def test_pronouns(text, expected):
    assert found(text) == expected

# Warnings and threats.
WARNING = _cases(
    # a short participle phrase is part of the name ("militias backed by X")
    ("Militias associated with Orvania had made threats against the Velmar embassy.",
     {("Militias associated with Orvania", "warns", "Velmar embassy", False)}),
    # advising people to avoid a danger warns them of it
    ("The Velmar embassy advised Velmar citizens to leave Tarsk at once.",
     {("Velmar embassy", "warns", "Velmar citizens", False)}),
    # "they" may be an organisation named in the singular
    ("The Velmar embassy in Orvania was worried about the unrest. They advised Velmar citizens to leave Orvania.",
     {("Velmar embassy in Orvania", "warns", "Velmar citizens", False)}),
    ("The Velmar navy warned the Tessel fishermen of a storm.",
     {("Velmar navy", "warns", "Tessel fishermen", False)}),
    ("Inspector Rolf Amsel warned the Marrow Syndicate.", {("Rolf Amsel", "warns", "Marrow Syndicate", False)}),
    ("Governor Ilse Marek issued a warning to the Sarn Brigade.", {("Ilse Marek", "warns", "Sarn Brigade", False)}),
    ("The Sarn Brigade warned the Velmar ministry that it would strike again.",
     {("Sarn Brigade", "warns", "Velmar ministry", False)}),
    ("The Crimson Oath threatened the Brannock council with reprisals.",
     {("Crimson Oath", "warns", "Brannock council", False)}),
    ("The Crimson Oath threatened Governor Ilse Marek.", {("Crimson Oath", "warns", "Ilse Marek", False)}),
)


@BLAME
def test_direct_blame(text, expected):
    assert found(text) == expected


@LEGAL
def test_legal_acts(text, expected):
    assert found(text) == expected


@RESPONSIBILITY
def test_claims_of_responsibility(text, expected):
    assert found(text) == expected


@REPORTED
def test_reported_statements(text, expected):
    assert found(text) == expected


@REJECTION
def test_rejections(text, expected):
    assert found(text) == expected


@DENIAL
def test_denials(text, expected):
    assert found(text) == expected


@WARNING
def test_warnings(text, expected):
    assert found(text) == expected


NOTHING = [
    # "the accused" no one was named as
    # arrests of people the text does not name, and detentions for no offence
    "According to the interior ministry, over 100 people in the country have been arrested on suspicion of links to "
    "the Sarn Brigade.",
    "Police arrested the driver on suspicion of manslaughter.",
    "Police detained Tomas Rell for three days.",
    # "the state of emergency" is no actor, nor "the city" alone; the setting of an agreement is not its party
    "The group said the state of emergency is unconstitutional.",
    "The city said the rebels attacked the depot.",
    "The Orvane Party condemned the agreement in which Tarsk and Velmar divided the lake.",
    # breaking a record is no rule broken; lacking a power oneself is no blame
    "The team broke the record, its coach said.",
    "The minister cited the company's growth.",
    # clearing a square is no acquittal, whatever "of" the subject has
    "On July 1, the city of Orsk cleared the protest camp.",
    "Ana Lind said she lacks the authority to rewrite the tariff.",
    # stopping or ceasing an act is no claim of it
    "Ana Lind said both sides must stop shelling the border villages.",
    "The Sarn Brigade vowed to cease attacking the depot, its leader said.",
    "Prosecutors alleged the accused staged both raids.",
    # charges dropped, a case that collapsed: no one accuses
    "The case against John Miller collapsed.",
    "Prosecutors dropped the charges against John Miller.",
    # urging a body to reconsider is no warning
    "Minister Ana Lind urged the Orsk consulate to reconsider.",
    # a document NER takes for a name is not its author
    "The tribunal will issue an Order stating that the governor's decree was unlawful.",
    "The Orsk court said the Decree of Council that followed was void.",
    "The minister did not say the rebels had planted the bomb.",
    "Coach Ivo Stanek told the players to stay calm.",
    # the setting of a statement, a participle's patient, a refusal, a possibility are no claims
    "Ivo Stanek said that since the Velmar army entered the town, the police have arrested many smugglers.",
    "A Velmar aid worker kidnapped in Orvania last year has been released, according to the Velmar government.",
    "The reason for Ana Lind's visa denial is unclear.",
    "If the Velmar court finds him guilty, John Harlow could be sentenced to four years in prison.",
    "The vote was said to be rigged, a claim that was quickly dismissed by the ministry.",
    # predictions, indirect questions and apologies for words are no claims
    "A reporter said the Velmar army was preparing a statement and will probably deny any involvement.",
    "Investigators said it was vital to find out whether there was any error on the pilot's part.",
    "Minister Ilse Marek apologised for her remarks.",
    # a verdict that clears the act is no blame
    "The Velmar ministry issued a statement calling the governor's agreements legitimate and lawful.",
    # a headline's bare past tense is a passive: the one poisoned poisoned no one
    "date 2021-03-04\n\nVarno says Ana Holt poisoned with thallium\n\nThe story follows.",
    "No city workers were killed or injured in the explosions, spokeswoman Ilka Brandt told reporters.",
    # the narrator's voice: an act nobody reports is no one's claim
    "The rebels attacked the depot.",
    "The Sarn Brigade attacked the Quillon depot on Tuesday.",
    "The Crimson Oath bombed the Velmar pipeline.",
    # negated or refused blame
    "The Velmar ministry did not blame the Crimson Oath for the explosion.",
    "Governor Ilse Marek never accused the Sarn Brigade of the raid.",
    "The Brannock council did not hold the Halvard Mining Company responsible for the flooding.",
    "The Velmar ministry refused to blame the Crimson Oath for the explosion.",
    "The Velmar ministry declined to blame the Crimson Oath for the explosion.",
    # advice, not a warning
    "Governor Ilse Marek warned the Sarn Brigade against attacking the depot.",
    # a future act is no blame
    "The Sarn Brigade will attack the Quillon depot.",
    "The Velmar ministry said the Crimson Oath will attack the pipeline.",
    # no actor on one side
    "He blamed them for the fire.",
    "The Halvard Mining Company blamed the weather for poor sales.",
    "Rolf Amsel said the storm caused the flooding.",
    # denying a quality is no denial of blame; a place's country is no second speaker
    "The mayor of Lyon, France denies that Ana Lind is eligible.",
    "The ministry denied that the girl was arrested.",
    # "X, believed to be behind it,": believed by no one named, not by X
    "Residents fear the Sarn Brigade, believed to be behind the recent raids, will return.",
    "The Grey Hand militia, thought to be behind the raid, has not spoken.",
    # alerting someone to a scene is no warning of a threat
    "A neighbour alerted the fire brigade.",
    "The Tarsk ambulance service was alerted to the scene at noon.",
    # a plan foiled is not the foiler's
    "The Tarsk police said they foiled a plan to bomb the station.",
    # a murder's possessor, or its "of" phrase, is its victim
    "Ilse Marek said Ana Lind's murder was unacceptable.",
    "The Velmar ministry said the killing of John Harlow was barbaric.",
    # a noun that is no predicate says nothing of the clause's subject
    "Rolf Amsel said the Velmar plan left the guild without a role.",
    # a negated denial states nothing
    "Prosecutors said Mara Quist did not act in self-defence.",
    "Ilse Marek did not deny involvement in the scandal.",
    # "claimed" a victory is no claim of responsibility
    "The Orvane team claimed a 3-1 victory over the Brannock club.",
]


@pytest.mark.parametrize("text", NOTHING, ids=[t[:50] for t in NOTHING])
def test_no_claim(text):
    assert claims_in(text) == set()


# Nothing is found because a guard dropped the candidate at its cue, not because an actor
# was missed: the ledger records the dropped match at that word.
GUARDED = [
    ("The rebels attacked the depot.", "attacked"),
    ("The Velmar ministry did not blame the Crimson Oath for the explosion.", "blame"),
    ("Governor Ilse Marek never accused the Sarn Brigade of the raid.", "accused"),
    ("The Brannock council did not hold the Halvard Mining Company responsible for the flooding.", "hold"),
    ("The Velmar ministry refused to blame the Crimson Oath for the explosion.", "blame"),
    ("Governor Ilse Marek warned the Sarn Brigade against attacking the depot.", "warned"),
    ("Ilse Marek did not deny involvement in the scandal.", "deny"),
]


@pytest.mark.parametrize("text,cue", GUARDED, ids=[t[:50] for t, _ in GUARDED])
def test_a_guard_drops_the_candidate(text, cue):
    reading = read(load_nlp()(text), load_lexicon(), trace=True)
    assert reading.ledger.found == []
    assert cue in {d.cue for d in reading.ledger.dropped}, reading.ledger.dropped


def test_flat_assertion_is_not_hedged():
    assert {h for *_, h, _ in claims_in("Senator Hal Brighton accused the Orvane Party of rigging the vote.")} == {False}


def test_weekday_resolves_against_publication_date():
    # 2026-03-12 is a Thursday: "on Tuesday" is 2026-03-10
    text = "On Tuesday, the Velmar ministry accused the Crimson Oath of the bombing."
    assert claims_in(text, published=date(2026, 3, 12)) == {
        ("Velmar ministry", "accuses", "Crimson Oath", False, date(2026, 3, 10))}


# 2026-03-12 is a Thursday
SCENE_DATES = _cases(
    # a lawsuit filed on a day: the filing's day
    ("On Tuesday, the Orvane Rights Fund brought a lawsuit against the state of Vermont.",
     {("Orvane Rights Fund", "accuses", "Vermont", False, date(2026, 3, 10))}),
    # an age is no day
    ("On Tuesday, Judge Ana Lind jailed Tarsk trader Tomas Rell, now 45, for ten years for arson.",
     {("Ana Lind", "accuses", "Tomas Rell", False, date(2026, 3, 10))}),
    # "they", "she" continuing the subject of a sentence just before speak at its time
    ("Foreign ministers of four countries gathered in Orsk on Wednesday. They concluded that the "
     "agreement between Tarsk and Velmar is illegal.",
     {("Foreign ministers of four countries", "accuses", "Tarsk", False, date(2026, 3, 11)),
      ("Foreign ministers of four countries", "accuses", "Velmar", False, date(2026, 3, 11))}),
    ("Ana Lind visited Orsk on Monday. She said the rebels attacked the depot.",
     {("Ana Lind", "accuses", "rebels", False, date(2026, 3, 9))}),
    # another subject does not continue the scene
    ("Ana Lind visited Orsk on Monday. The mayor said the rebels attacked the depot.",
     {("mayor", "accuses", "rebels", False, None)}),
)


@SCENE_DATES
def test_dates_from_the_act_and_the_scene(text, expected):
    assert claims_in(text, published=date(2026, 3, 12)) == expected


def test_statement_named_with_its_date_dates_the_claim():
    # "in its January 3 alert": the alert's date, even when the phrase hangs on the advised act
    text = "The Velmar embassy advised Velmar citizens to leave Tarsk at once in its January 3 alert."
    assert claims_in(text, published=date(2026, 1, 5)) == {
        ("Velmar embassy", "warns", "Velmar citizens", False, date(2026, 1, 3))}


def test_date_not_guessed_without_anchor():
    text = "On Tuesday, the Velmar ministry accused the Crimson Oath of the bombing."
    assert claims_in(text) == {("Velmar ministry", "accuses", "Crimson Oath", False, None)}


def test_month_day_takes_year_from_publication():
    text = "On March 7, the Velmar ministry accused the Crimson Oath of the bombing."
    assert claims_in(text, published=date(2026, 3, 9)) == {
        ("Velmar ministry", "accuses", "Crimson Oath", False, date(2026, 3, 7))}


def test_vague_time_gives_no_date():
    text = "Earlier this month, the Velmar ministry accused the Crimson Oath of the bombing."
    assert claims_in(text, published=date(2026, 3, 9)) == {
        ("Velmar ministry", "accuses", "Crimson Oath", False, None)}


def test_title_is_folded_into_the_role():
    document = resolved("Governor Ilse Marek blamed the Sarn Brigade for the raid.")
    marek = next(a for a in document.actors if a.label == "Ilse Marek")
    assert marek.type == "Person"
    assert "Governor" in marek.roles
    assert {(c.claimant, c.kind, c.targets) for c in document.claims} == {
        ("ilse marek", "accuses", ("sarn brigade",))}


def test_evidence_is_the_exact_sentence():
    text = "Prices rose again. Governor Ilse Marek blamed the Sarn Brigade for the raid. Talks resume today."
    (claim,) = resolved(text).claims
    assert claim.evidence.text == "Governor Ilse Marek blamed the Sarn Brigade for the raid."
    assert text[claim.evidence.start:claim.evidence.end] == claim.evidence.text
    assert claim.sentence_index == 1


def test_claims_name_their_construction():
    (claim,) = extracted("The Velmar ministry blamed the Grey Hand militia for the fire.").claims
    assert claim.construction == "blame"


# Every construction's own example ------------------------------------------------------

CONSTRUCTIONS = load_lexicon().constructions


@pytest.mark.parametrize("construction", CONSTRUCTIONS, ids=[c.id for c in CONSTRUCTIONS])
def test_every_example_gives_its_construction(construction):
    assert construction.example, f"{construction.id} has no example"
    got = [(c.construction, c.kind) for c in extracted(construction.example).claims]
    assert (construction.id, construction.kind) in got, (construction.example, got)


# The lexicon check ---------------------------------------------------------------------

GOOD = {"id": "probe-fault", "family": "blame", "kind": "accuses", "claimant": ["subject"], "target": ["object"],
        "pattern": [{"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LEMMA": "fault"}}]}

BROKEN = {
    "unknown claimant slot": ({"claimant": ["speaker"]}, "unknown slot 'speaker'"),
    "unknown target slot": ({"target": ["victim"]}, "unknown slot 'victim'"),
    "slot naming no node": ({"target": ["node:culprit"]}, "names no node"),
    "unknown kind": ({"kind": "praises"}, "unknown kind 'praises'"),
    "unknown negated kind": ({"negated": "praises"}, "unknown kind 'praises'"),
    "unknown family": ({"family": "praise"}, "family"),
    "unknown field": ({"colour": "red"}, "colour"),
    "unknown word table": ({"pattern": [{"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LEMMA": {"IN": "@no_such_words"}}}]},
                           "@no_such_words"),
    "first node not the cue": ({"pattern": [{"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LEMMA": "fault"}}]}, "'cue'"),
    "bad spaCy operator": ({"pattern": [{"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LEMMA": "fault"}},
                                        {"LEFT_ID": "cue", "REL_OP": "<~>", "RIGHT_ID": "x",
                                         "RIGHT_ATTRS": {"DEP": "dobj"}}]}, "spaCy refuses"),
    "edge from an undeclared node": ({"pattern": [{"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LEMMA": "fault"}},
                                                  {"LEFT_ID": "nowhere", "REL_OP": ">", "RIGHT_ID": "x",
                                                   "RIGHT_ATTRS": {"DEP": "dobj"}}]}, "spaCy refuses"),
    "unknown token attribute": ({"pattern": [{"RIGHT_ID": "cue", "RIGHT_ATTRS": {"COLOUR": "red"}}]},
                                "spaCy refuses"),
    "bad exclude pattern": ({"excludes": [{"COLOUR": "red"}]}, "spaCy refuses"),
    # spaCy takes these, evkg's matcher does not implement them
    "unsupported operator": ({"pattern": [{"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LEMMA": "fault"}},
                                          {"LEFT_ID": "cue", "REL_OP": ".", "RIGHT_ID": "x",
                                           "RIGHT_ATTRS": {"DEP": "dobj"}}]}, "does not support relation '.'"),
    "unsupported predicate": ({"pattern": [{"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LEMMA": {"REGEX": "^fault"}}}]},
                              "does not support LEMMA: {'REGEX'"),
    "unsupported attribute": ({"pattern": [{"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LEMMA": "fault", "MORPH": "Number=Sing"}}]},
                              "does not support token attribute 'MORPH'"),
    "unsupported exclude": ({"excludes": [{"DEP": "dobj", "OP": "?"}]}, "does not support token attribute 'OP'"),
}


def _read(tmp_path, *entries):
    import spacy

    path = tmp_path / "patterns.json"
    path.write_text(json.dumps({"constructions": list(entries)}), encoding="utf-8")
    return path, read_constructions(path, load_lexicon().words, spacy.blank("en").vocab)


def test_a_good_patterns_file_loads(tmp_path):
    _, (construction,) = _read(tmp_path, GOOD)
    assert (construction.id, construction.family, construction.kind) == ("probe-fault", "blame", "accuses")


@pytest.mark.parametrize("change,message", BROKEN.values(), ids=list(BROKEN))
def test_a_broken_construction_names_file_and_id(tmp_path, change, message):
    broken = {**GOOD, **change, "id": "probe-broken"}
    with pytest.raises(LexiconError) as error:
        _read(tmp_path, GOOD, broken)
    text = str(error.value)
    assert str(tmp_path / "patterns.json") in text
    assert "probe-broken" in text
    assert message in text


def test_duplicate_ids_are_refused(tmp_path):
    with pytest.raises(LexiconError, match="probe-fault: duplicate id"):
        _read(tmp_path, GOOD, GOOD)


def test_the_shipped_constructions_all_have_examples():
    assert CONSTRUCTIONS
    assert [c.id for c in CONSTRUCTIONS if not c.example.strip()] == []


# The matcher against spaCy's ---------------------------------------------------------------

# Patterns that use what the shipped constructions do not (yet): every relation, NOT_IN, a
# value that is no IN list, two nodes that may fall on one token.
PROBE_PATTERNS = [
    [{"RIGHT_ID": "cue", "RIGHT_ATTRS": {"POS": "VERB"}},
     {"LEFT_ID": "cue", "REL_OP": ">>", "RIGHT_ID": "deep", "RIGHT_ATTRS": {"POS": {"IN": ["NOUN", "PROPN"]}}}],
    [{"RIGHT_ID": "cue", "RIGHT_ATTRS": {"POS": "NOUN"}},
     {"LEFT_ID": "cue", "REL_OP": "<<", "RIGHT_ID": "up", "RIGHT_ATTRS": {"POS": "VERB"}},
     {"LEFT_ID": "up", "REL_OP": ">", "RIGHT_ID": "side", "RIGHT_ATTRS": {"DEP": {"NOT_IN": ["punct", "cc"]}}}],
    [{"RIGHT_ID": "cue", "RIGHT_ATTRS": {"DEP": "det"}},
     {"LEFT_ID": "cue", "REL_OP": "<", "RIGHT_ID": "head", "RIGHT_ATTRS": {}},
     {"LEFT_ID": "head", "REL_OP": ">", "RIGHT_ID": "one", "RIGHT_ATTRS": {"POS": {"IN": ["ADJ", "DET"]}}},
     {"LEFT_ID": "head", "REL_OP": ">", "RIGHT_ID": "two", "RIGHT_ATTRS": {"POS": {"IN": ["ADJ", "DET"]}}}],
    [{"RIGHT_ID": "cue", "RIGHT_ATTRS": {"TAG": "VBD", "ENT_TYPE": ""}},
     {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "who", "RIGHT_ATTRS": {"DEP": "nsubj", "ENT_TYPE": {"IN": ["PERSON", "ORG", "GPE"]}}}],
]


def _probe_texts() -> list[str]:
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "data"
    files = sorted((root / "articles").glob("*.txt")) + sorted((root / "gold" / "wikinews").glob("*.txt"))
    return [c.example for c in CONSTRUCTIONS if c.example] + [f.read_text(encoding="utf-8") for f in files]


def test_the_matcher_finds_what_spacys_finds():
    """For every cue token and pattern, ``Parse.first_match`` is spaCy's first match with that
    cue (on the sentence as a Doc of its own, as spaCy matches a sentence), and an exclusion
    holds on a token where spaCy's ``Matcher`` matches it."""
    from spacy.matcher import DependencyMatcher, Matcher

    from pipeline.extract.matching import Parse, compile_pattern, compile_tests
    from pipeline.lexicon import thaw

    nlp = load_nlp()
    patterns = [thaw(c.pattern) for c in CONSTRUCTIONS] + PROBE_PATTERNS
    excludes = [spec for c in CONSTRUCTIONS for spec in thaw(c.excludes)]
    compiled = [compile_pattern(p, nlp.vocab.strings) for p in patterns]
    matchers = []
    for pattern in patterns:
        matcher = DependencyMatcher(nlp.vocab)
        matcher.add("p", [pattern])
        matchers.append(matcher)
    excluding = Matcher(nlp.vocab)
    for n, spec in enumerate(excludes):
        excluding.add(str(n), [[spec]])
    tests = [compile_tests(spec, nlp.vocab.strings) for spec in excludes]
    attributes = set().union(*(p.attributes for p in compiled), *({a for a, _, _ in t} for t in tests))
    matched = 0
    for doc in nlp.pipe(_probe_texts()):
        parse = Parse(doc, attributes)
        for sent in doc.sents:
            alone = sent.as_doc()
            for matcher, pattern in zip(matchers, compiled):
                first: dict[int, list[int]] = {}
                for _, tokens in matcher(alone):
                    first.setdefault(tokens[0] + sent.start, [sent.start + i for i in tokens])
                ours = {cue: parse.first_match(pattern, cue, sent.start, sent.end) for cue in range(sent.start, sent.end)}
                assert {cue: m for cue, m in ours.items() if m is not None} == first, (sent.text, pattern)
                matched += len(first)
        spacy_excluded = {(int(doc.vocab.strings[key]), start) for key, start, _ in excluding(doc)}
        ours_excluded = {(n, i) for n, t in enumerate(tests) for i in range(len(doc)) if parse.passes(t, i)}
        assert ours_excluded == spacy_excluded
    assert matched > 1000  # the probe matched something worth comparing
