"""The SHACL shapes (shapes/evkg.shacl.ttl) accept well-formed evkg RDF and reject each kind of breakage.

A conforming graph holds an actor of every type, a source, a place, events, a claim of every kind, a
figure and their evidence. Each parametrised case breaks a copy of it in one place and checks that
the validation report names the expected focus node, path, shape, constraint component and message.
A coverage test checks that every constraint of every shape is exercised by some case.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import RDF, RDFS, SKOS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, SH

from pipeline.resources import ontology_path, shapes_path
from pipeline.vocab import ACTOR_TYPES, CLAIM_KINDS, DEFAULT_BASE, EVKG, EVENT_TYPES, claim_kind

ID = Namespace(DEFAULT_BASE)
EVKGSH = Namespace("https://w3id.org/evkg/shapes#")
FIXTURES = Path(__file__).parent / "fixtures"


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def nni(n: int) -> Literal:
    """A count or an offset as evkg writes them: an xsd:integer literal (rdflib's for an int)."""
    return Literal(n)


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(shapes_path(), format="turtle")


def run_shacl(data: Graph, shapes: Graph) -> tuple[bool, list[dict]]:
    """Validate ``data`` without inference; return conforms and the results as dicts."""
    conforms, report, _ = validate(data, shacl_graph=shapes, inference="none", allow_warnings=False)
    results = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        results.append(
            {
                "focus": report.value(r, SH.focusNode),
                "path": report.value(r, SH.resultPath),
                "shape": report.value(r, SH.sourceShape),
                "component": report.value(r, SH.sourceConstraintComponent),
                "message": str(report.value(r, SH.resultMessage)),
            }
        )
    return bool(conforms), results


# Actors, events and so on of the conforming graph
SOURCE = ID["source/000_29f069f98ff610cd"]
OTHER_SOURCE = ID["source/001_b963823c6e30401b"]
PLACE = ID["place/krasnogorsk"]
ATTACK = ID["event/crocus-city-hall-attack"]
WARNING = ID["event/us-pre-attack-warning"]
PUTIN = ID["actor/vladimir-putin"]
FSB = ID["actor/federal-security-service"]
UKRAINE = ID["actor/ukraine"]
USA = ID["actor/united-states"]
ISIS = ID["actor/islamic-state"]
FIGURE = ID["figure/f1"]
FIGURE_EVIDENCE = ID["evidence/f1"]
ACTOR_OF_TYPE = {"Person": PUTIN, "Organization": FSB, "Country": UKRAINE, "Group": ISIS}


def claim(kind: str) -> URIRef:
    return ID[f"claim/{kind}"]


def statement(kind: str) -> URIRef:
    return ID[f"statement/{kind}"]


def claim_evidence(kind: str) -> URIRef:
    return ID[f"evidence/{kind}"]


CLAIMS = {
    # kind: (claimant, targets, event, hedged, said_on, cue)
    "accuses": (PUTIN, [UKRAINE], ATTACK, True, datetime.date(2024, 3, 22), "suggested"),
    "claims_responsibility": (ISIS, [ISIS], ATTACK, False, None, "claimed responsibility"),
    "denies": (USA, [UKRAINE], ATTACK, False, None, "no Kyiv trace"),
    "disputes": (PUTIN, [USA], WARNING, False, datetime.date(2024, 3, 19), "provocative"),
    "confirms": (USA, [ISIS], ATTACK, False, None, "no reason to doubt"),
    "warns": (USA, [ID["actor/russia"], FSB], ATTACK, False, datetime.date(2024, 3, 7), "warned"),
}


def add_evidence(g: Graph, node: URIRef, text: str, start: int, sentence: int) -> None:
    g.add((node, RDF.type, EVKG.Evidence))
    g.add((node, EVKG.exact, Literal(text)))
    g.add((node, EVKG.start, nni(start)))
    g.add((node, EVKG.end, nni(start + len(text))))
    g.add((node, EVKG.sentenceIndex, nni(sentence)))
    g.add((node, EVKG.reportedIn, SOURCE))


def build_valid_graph() -> Graph:
    """One document's graph, as docs/rdf-model.md describes it, that conforms to the shapes."""
    g = Graph()
    g.bind("evkg", EVKG)
    g.bind("id", ID)

    for src, doc_id in ((SOURCE, "000_29f069f98ff610cd"), (OTHER_SOURCE, "001_b963823c6e30401b")):
        g.add((src, RDF.type, EVKG.Source))
        g.add((src, RDFS.label, Literal(doc_id)))
        g.add((src, EVKG.documentId, Literal(doc_id)))
    g.add((SOURCE, EVKG.title, Literal("Crocus City Hall attack: who is to blame?")))
    g.add((SOURCE, EVKG.url, Literal("https://example.org/news/crocus", datatype=XSD.anyURI)))
    g.add((SOURCE, EVKG.publisher, Literal("Example News")))
    g.add((SOURCE, EVKG.published, Literal(datetime.date(2024, 3, 27))))

    actors = {
        PUTIN: ("Person", "Vladimir Putin", ["Putin", "President Vladimir Putin"], "President"),
        FSB: ("Organization", "Federal Security Service", ["FSB"], None),
        UKRAINE: ("Country", "Ukraine", ["Kyiv"], None),
        USA: ("Country", "United States", ["Washington", "U.S. officials"], None),
        ID["actor/russia"]: ("Country", "Russia", [], None),
        ISIS: ("Group", "Islamic State", ["ISIS", "IS"], None),
    }
    for actor, (type_, label, aliases, role) in actors.items():
        g.add((actor, RDF.type, EVKG.Actor))
        g.add((actor, RDF.type, EVKG[type_]))
        g.add((actor, RDFS.label, Literal(label)))
        for alias in aliases:
            g.add((actor, SKOS.altLabel, Literal(alias)))
        if role:
            g.add((actor, EVKG.role, Literal(role)))
        g.add((actor, EVKG.mentionedIn, SOURCE))

    g.add((PLACE, RDF.type, EVKG.Place))
    g.add((PLACE, RDFS.label, Literal("Krasnogorsk")))

    g.add((ATTACK, RDF.type, EVKG.Event))
    g.add((ATTACK, RDF.type, EVKG.Attack))
    g.add((ATTACK, RDFS.label, Literal("Crocus City Hall attack")))
    g.add((ATTACK, EVKG.occurredOn, Literal(datetime.date(2024, 3, 22))))
    g.add((ATTACK, EVKG.place, PLACE))
    g.add((ATTACK, EVKG.participant, ISIS))
    g.add((ATTACK, EVKG.mentionedIn, SOURCE))
    g.add((WARNING, RDF.type, EVKG.Event))
    g.add((WARNING, RDF.type, EVKG.Warning))
    g.add((WARNING, RDFS.label, Literal("US pre-attack warning")))
    g.add((WARNING, EVKG.participant, USA))
    g.add((WARNING, EVKG.mentionedIn, SOURCE))

    for i, (kind, (claimant, targets, event, hedged, said_on, cue)) in enumerate(CLAIMS.items()):
        c, ev = claim(kind), claim_evidence(kind)
        g.add((c, RDF.type, EVKG.Claim))
        g.add((c, EVKG.claimant, claimant))
        for t in targets:
            g.add((c, EVKG.target, t))
        g.add((c, EVKG.kind, claim_kind(kind)))
        g.add((claim_kind(kind), SKOS.notation, Literal(kind)))
        g.add((c, EVKG.aboutEvent, event))
        g.add((c, EVKG.hedged, Literal(hedged)))
        if said_on:
            g.add((c, EVKG.saidOn, Literal(said_on)))
        g.add((c, EVKG.cue, Literal(cue)))
        g.add((c, EVKG.reportedIn, SOURCE))
        g.add((c, EVKG.evidence, ev))
        add_evidence(g, ev, f"Sentence {i} saying that somebody {cue} something.", 100 * (i + 1), i + 1)
        s = statement(kind)
        g.add((c, EVKG.reportOf, s))
        g.add((s, RDF.type, EVKG.Statement))
        g.add((s, RDFS.label, Literal(f"{kind} statement")))
        g.add((s, EVKG.claimant, claimant))
        for t in targets:
            g.add((s, EVKG.target, t))
        g.add((s, EVKG.kind, claim_kind(kind)))
        g.add((s, EVKG.aboutEvent, event))
        g.add((s, EVKG.sourceCount, nni(2)))
        if said_on:
            g.add((s, EVKG.earliestDate, Literal(said_on)))
            g.add((s, EVKG.latestDate, Literal(datetime.date(2024, 3, 27))))
    # the denial answers the accusation; the dispute answers a statement reported elsewhere
    g.add((statement("denies"), EVKG.respondsTo, statement("accuses")))
    g.add((statement("disputes"), EVKG.respondsTo, ID["statement/reported-in-another-document"]))
    g.add((PUTIN, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q7747")))
    g.add((ID["event/market-bombing"], RDF.type, EVKG.Event))
    g.add((ID["event/market-bombing"], RDF.type, EVKG.Attack))
    g.add((ID["event/market-bombing"], RDF.type, EVKG.Bombing))
    g.add((ID["event/market-bombing"], RDFS.label, Literal("Tarrow market bombing")))
    g.add((ID["event/depot-fire"], RDF.type, EVKG.Event))
    g.add((ID["event/depot-fire"], RDF.type, EVKG.Accident))
    g.add((ID["event/depot-fire"], RDF.type, EVKG.Fire))
    g.add((ID["event/depot-fire"], RDFS.label, Literal("Marxburg depot fire")))

    g.add((FIGURE, RDF.type, EVKG.Figure))
    g.add((FIGURE, EVKG.measure, Literal("killed")))
    g.add((FIGURE, EVKG.value, Literal(137)))
    g.add((FIGURE, EVKG.qualifier, Literal("at least")))
    g.add((FIGURE, EVKG.aboutEvent, ATTACK))
    g.add((FIGURE, EVKG.reportedIn, SOURCE))
    g.add((FIGURE, EVKG.evidence, FIGURE_EVIDENCE))
    add_evidence(g, FIGURE_EVIDENCE, "At least 137 people were killed.", 0, 0)
    return g


# --------------------------------------------------------------------------------------------
# The conforming graph
# --------------------------------------------------------------------------------------------


def test_valid_graph_covers_the_model():
    g = build_valid_graph()
    types = set(g.objects(None, RDF.type))
    assert {EVKG[t] for t in ACTOR_TYPES} <= types
    assert {EVKG.Source, EVKG.Place, EVKG.Event, EVKG.Claim, EVKG.Statement, EVKG.Figure, EVKG.Evidence} <= types
    assert {claim_kind(k) for k in CLAIM_KINDS} == set(g.objects(None, EVKG.kind))


def test_valid_graph_conforms(shapes):
    conforms, results = run_shacl(build_valid_graph(), shapes)
    assert conforms, results


def test_turtle_fixture_conforms(shapes):
    data = Graph().parse(FIXTURES / "document_graph.ttl", format="turtle")
    conforms, results = run_shacl(data, shapes)
    assert conforms, results


def test_nodes_typed_only_with_a_subclass_are_still_validated(shapes):
    """Without inference, sh:targetClass evkg:Actor would miss a node typed only evkg:Group."""
    g = build_valid_graph()
    stray = ID["actor/stray"]
    g.add((stray, RDF.type, EVKG.Group))
    conforms, results = run_shacl(g, shapes)
    assert not conforms
    hit = {(r["focus"], r["shape"]) for r in results}
    assert (stray, EVKGSH["Actor-type"]) in hit
    assert (stray, EVKGSH["Actor-label"]) in hit


# --------------------------------------------------------------------------------------------
# Minimally broken copies
# --------------------------------------------------------------------------------------------

Mutation = Callable[[Graph], None]


def drop(s, p, o=None) -> Mutation:
    def mutate(g: Graph) -> None:
        assert (s, p, o) in g if o is not None else g.value(s, p) is not None, "nothing to drop"
        g.remove((s, p, o))

    return mutate


def put(s, p, o) -> Mutation:
    """Replace every value of (s, p) with o."""

    def mutate(g: Graph) -> None:
        g.remove((s, p, None))
        g.add((s, p, o))

    return mutate


def add(s, p, o) -> Mutation:
    def mutate(g: Graph) -> None:
        assert (s, p, o) not in g
        g.add((s, p, o))

    return mutate


def both(first: Mutation, second: Mutation) -> Mutation:
    def mutate(g: Graph) -> None:
        first(g)
        second(g)

    return mutate


@dataclass(frozen=True)
class Case:
    id: str
    mutate: Mutation
    focus: URIRef
    path: URIRef | None  # None: an inverse path (sh:inversePath)
    shape: str  # local name in the evkgsh: namespace
    component: str  # local name of the sh:...ConstraintComponent, without the suffix


C = claim("accuses")
EV = claim_evidence("accuses")
D = Literal(datetime.date(2024, 3, 23))
S = statement("accuses")
BOMBING = ID["event/market-bombing"]
FIRE = ID["event/depot-fire"]

CASES = [
    # --- Actor
    Case("actor-not-typed-Actor", drop(PUTIN, RDF.type, EVKG.Actor), PUTIN, RDF.type, "Actor-type", "HasValue"),
    Case("actor-no-subtype", drop(PUTIN, RDF.type, EVKG.Person), PUTIN, RDF.type, "Actor-subtype", "QualifiedMinCount"),
    Case("actor-two-subtypes", add(PUTIN, RDF.type, EVKG.Organization), PUTIN, RDF.type, "Actor-subtype", "QualifiedMaxCount"),
    Case("actor-no-label", drop(PUTIN, RDFS.label), PUTIN, RDFS.label, "Actor-label", "MinCount"),
    Case("actor-two-labels", add(PUTIN, RDFS.label, Literal("Putin")), PUTIN, RDFS.label, "Actor-label", "MaxCount"),
    Case("actor-empty-label", put(PUTIN, RDFS.label, Literal("")), PUTIN, RDFS.label, "Actor-label", "MinLength"),
    Case("actor-langtagged-label", put(PUTIN, RDFS.label, Literal("Putin", lang="en")), PUTIN, RDFS.label, "Actor-label", "Datatype"),
    Case("actor-altlabel-not-string", add(PUTIN, SKOS.altLabel, Literal(7)), PUTIN, SKOS.altLabel, "Actor-altLabel", "Datatype"),
    Case("actor-altlabel-empty", add(PUTIN, SKOS.altLabel, Literal("")), PUTIN, SKOS.altLabel, "Actor-altLabel", "MinLength"),
    Case("actor-role-not-string", put(PUTIN, EVKG.role, Literal(1)), PUTIN, EVKG.role, "Actor-role", "Datatype"),
    Case("actor-role-empty", put(PUTIN, EVKG.role, Literal("")), PUTIN, EVKG.role, "Actor-role", "MinLength"),
    Case("actor-mentionedIn-not-source", put(PUTIN, EVKG.mentionedIn, ATTACK), PUTIN, EVKG.mentionedIn, "Actor-mentionedIn", "Class"),
    Case("actor-partOf-not-country", put(PUTIN, EVKG.partOf, ATTACK), PUTIN, EVKG.partOf, "Actor-partOf", "Class"),
    Case("actor-two-sameAs", add(PUTIN, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q159")), PUTIN, OWL.sameAs,
         "Actor-sameAs", "MaxCount"),
    Case("actor-sameAs-literal", put(PUTIN, OWL.sameAs, Literal("Q7747")), PUTIN, OWL.sameAs, "Actor-sameAs", "NodeKind"),
    Case("actor-sameAs-not-wikidata", put(PUTIN, OWL.sameAs, URIRef("https://example.org/putin")), PUTIN, OWL.sameAs,
         "Actor-sameAs", "Pattern"),
    Case("actor-partOf-two-states", both(put(FSB, EVKG.partOf, UKRAINE), add(FSB, EVKG.partOf, USA)), FSB, EVKG.partOf,
         "Actor-partOf", "MaxCount"),
    # --- Event
    Case("event-not-typed-Event", drop(ATTACK, RDF.type, EVKG.Event), ATTACK, RDF.type, "Event-type", "HasValue"),
    Case("event-two-subtypes", add(ATTACK, RDF.type, EVKG.Detention), ATTACK, RDF.type, "Event-subtype", "QualifiedMaxCount"),
    Case("event-two-attack-kinds", add(BOMBING, RDF.type, EVKG.Shooting), BOMBING, RDF.type, "Event-attackKind",
         "QualifiedMaxCount"),
    Case("event-two-accident-kinds", add(FIRE, RDF.type, EVKG.Crash), FIRE, RDF.type, "Event-accidentKind",
         "QualifiedMaxCount"),
    Case("bombing-not-typed-Attack", drop(BOMBING, RDF.type, EVKG.Attack), BOMBING, RDF.type, "AttackKind-type", "HasValue"),
    Case("fire-not-typed-Accident", drop(FIRE, RDF.type, EVKG.Accident), FIRE, RDF.type, "AccidentKind-type", "HasValue"),
    Case("event-no-label", drop(ATTACK, RDFS.label), ATTACK, RDFS.label, "Event-label", "MinCount"),
    Case("event-two-labels", add(ATTACK, RDFS.label, Literal("Crocus attack")), ATTACK, RDFS.label, "Event-label", "MaxCount"),
    Case("event-empty-label", put(ATTACK, RDFS.label, Literal("")), ATTACK, RDFS.label, "Event-label", "MinLength"),
    Case("event-label-not-string", put(ATTACK, RDFS.label, Literal(3)), ATTACK, RDFS.label, "Event-label", "Datatype"),
    Case("event-two-dates", add(ATTACK, EVKG.occurredOn, D), ATTACK, EVKG.occurredOn, "Event-occurredOn", "MaxCount"),
    Case("event-date-as-string", put(ATTACK, EVKG.occurredOn, Literal("2024-03-22")), ATTACK, EVKG.occurredOn, "Event-occurredOn", "Datatype"),
    Case("event-place-not-place", put(ATTACK, EVKG.place, SOURCE), ATTACK, EVKG.place, "Event-place", "Class"),
    Case("event-participant-not-actor", put(ATTACK, EVKG.participant, PLACE), ATTACK, EVKG.participant, "Event-participant", "Class"),
    Case("event-mentionedIn-not-source", put(ATTACK, EVKG.mentionedIn, PUTIN), ATTACK, EVKG.mentionedIn, "Event-mentionedIn", "Class"),
    # --- Place
    Case("place-no-label", drop(PLACE, RDFS.label), PLACE, RDFS.label, "Place-label", "MinCount"),
    Case("place-two-labels", add(PLACE, RDFS.label, Literal("Moscow")), PLACE, RDFS.label, "Place-label", "MaxCount"),
    Case("place-empty-label", put(PLACE, RDFS.label, Literal("")), PLACE, RDFS.label, "Place-label", "MinLength"),
    Case("place-label-not-string", put(PLACE, RDFS.label, Literal(1.5)), PLACE, RDFS.label, "Place-label", "Datatype"),
    # --- Claim
    Case("claim-no-claimant", drop(C, EVKG.claimant), C, EVKG.claimant, "Claim-claimant", "MinCount"),
    Case("claim-two-claimants", add(C, EVKG.claimant, USA), C, EVKG.claimant, "Claim-claimant", "MaxCount"),
    Case("claim-claimant-not-actor", put(C, EVKG.claimant, SOURCE), C, EVKG.claimant, "Claim-claimant", "Class"),
    Case("claim-claimant-literal", put(C, EVKG.claimant, Literal("Putin")), C, EVKG.claimant, "Claim-claimant", "Class"),
    Case("claim-no-target", drop(C, EVKG.target), C, EVKG.target, "Claim-target", "MinCount"),
    Case("claim-target-not-actor", add(C, EVKG.target, ATTACK), C, EVKG.target, "Claim-target", "Class"),
    Case("claim-no-kind", drop(C, EVKG.kind), C, EVKG.kind, "Claim-kind", "MinCount"),
    Case("claim-two-kinds", add(C, EVKG.kind, EVKG.confirms), C, EVKG.kind, "Claim-kind", "MaxCount"),
    Case("claim-kind-unknown", put(C, EVKG.kind, EVKG.Attack), C, EVKG.kind, "Claim-kind", "In"),
    Case("claim-kind-as-notation", put(C, EVKG.kind, Literal("accuses")), C, EVKG.kind, "Claim-kind", "In"),
    Case("claim-no-hedged", drop(C, EVKG.hedged), C, EVKG.hedged, "Claim-hedged", "MinCount"),
    Case("claim-two-hedged", add(C, EVKG.hedged, Literal(False)), C, EVKG.hedged, "Claim-hedged", "MaxCount"),
    Case("claim-hedged-as-string", put(C, EVKG.hedged, Literal("true")), C, EVKG.hedged, "Claim-hedged", "Datatype"),
    Case("claim-two-saidOn", add(C, EVKG.saidOn, D), C, EVKG.saidOn, "Claim-saidOn", "MaxCount"),
    Case("claim-saidOn-datetime", put(C, EVKG.saidOn, Literal(datetime.datetime(2024, 3, 22, 12))), C, EVKG.saidOn, "Claim-saidOn", "Datatype"),
    Case("claim-no-reportedIn", drop(C, EVKG.reportedIn), C, EVKG.reportedIn, "Claim-reportedIn", "MinCount"),
    Case("claim-two-reportedIn", add(C, EVKG.reportedIn, OTHER_SOURCE), C, EVKG.reportedIn, "Claim-reportedIn", "MaxCount"),
    Case("claim-reportedIn-not-source", put(C, EVKG.reportedIn, EV), C, EVKG.reportedIn, "Claim-reportedIn", "Class"),
    Case("claim-no-evidence", drop(C, EVKG.evidence), C, EVKG.evidence, "Claim-evidence", "MinCount"),
    Case("claim-two-evidence", add(C, EVKG.evidence, FIGURE_EVIDENCE), C, EVKG.evidence, "Claim-evidence", "MaxCount"),
    Case("claim-evidence-literal", put(C, EVKG.evidence, Literal("Putin suggested ...")), C, EVKG.evidence, "Claim-evidence", "Class"),
    Case("claim-two-events", add(C, EVKG.aboutEvent, WARNING), C, EVKG.aboutEvent, "Claim-aboutEvent", "MaxCount"),
    Case("claim-event-not-event", put(C, EVKG.aboutEvent, PLACE), C, EVKG.aboutEvent, "Claim-aboutEvent", "Class"),
    Case("claim-two-cues", add(C, EVKG.cue, Literal("blamed")), C, EVKG.cue, "Claim-cue", "MaxCount"),
    Case("claim-cue-not-string", put(C, EVKG.cue, Literal(True)), C, EVKG.cue, "Claim-cue", "Datatype"),
    Case("claim-cue-empty", put(C, EVKG.cue, Literal("")), C, EVKG.cue, "Claim-cue", "MinLength"),
    Case("claim-no-reportOf", drop(C, EVKG.reportOf), C, EVKG.reportOf, "Claim-reportOf", "MinCount"),
    Case("claim-two-reportOf", add(C, EVKG.reportOf, statement("denies")), C, EVKG.reportOf, "Claim-reportOf", "MaxCount"),
    Case("claim-reportOf-not-statement", put(C, EVKG.reportOf, ATTACK), C, EVKG.reportOf, "Claim-reportOf", "Class"),
    # --- Statement
    Case("statement-no-label", drop(S, RDFS.label), S, RDFS.label, "Statement-label", "MinCount"),
    Case("statement-two-labels", add(S, RDFS.label, Literal("another")), S, RDFS.label, "Statement-label", "MaxCount"),
    Case("statement-empty-label", put(S, RDFS.label, Literal("")), S, RDFS.label, "Statement-label", "MinLength"),
    Case("statement-label-not-string", put(S, RDFS.label, Literal(2)), S, RDFS.label, "Statement-label", "Datatype"),
    Case("statement-no-claimant", drop(S, EVKG.claimant), S, EVKG.claimant, "Statement-claimant", "MinCount"),
    Case("statement-two-claimants", add(S, EVKG.claimant, USA), S, EVKG.claimant, "Statement-claimant", "MaxCount"),
    Case("statement-claimant-not-actor", put(S, EVKG.claimant, SOURCE), S, EVKG.claimant, "Statement-claimant", "Class"),
    Case("statement-no-target", drop(S, EVKG.target), S, EVKG.target, "Statement-target", "MinCount"),
    Case("statement-target-not-actor", add(S, EVKG.target, PLACE), S, EVKG.target, "Statement-target", "Class"),
    Case("statement-no-kind", drop(S, EVKG.kind), S, EVKG.kind, "Statement-kind", "MinCount"),
    Case("statement-two-kinds", add(S, EVKG.kind, EVKG.denies), S, EVKG.kind, "Statement-kind", "MaxCount"),
    Case("statement-kind-unknown", put(S, EVKG.kind, Literal("accuses")), S, EVKG.kind, "Statement-kind", "In"),
    Case("statement-two-events", add(S, EVKG.aboutEvent, WARNING), S, EVKG.aboutEvent, "Statement-aboutEvent", "MaxCount"),
    Case("statement-event-not-event", put(S, EVKG.aboutEvent, PUTIN), S, EVKG.aboutEvent, "Statement-aboutEvent", "Class"),
    Case("statement-no-sourceCount", drop(S, EVKG.sourceCount), S, EVKG.sourceCount, "Statement-sourceCount", "MinCount"),
    Case("statement-two-sourceCounts", add(S, EVKG.sourceCount, nni(3)), S,
         EVKG.sourceCount, "Statement-sourceCount", "MaxCount"),
    # a derived integer type is not what a store keeps (Oxigraph stores it as an xsd:integer)
    Case("statement-sourceCount-positiveInteger", put(S, EVKG.sourceCount, Literal("2", datatype=XSD.positiveInteger)),
         S, EVKG.sourceCount, "Statement-sourceCount", "Datatype"),
    Case("statement-sourceCount-zero", put(S, EVKG.sourceCount, nni(0)), S,
         EVKG.sourceCount, "Statement-sourceCount", "MinInclusive"),
    Case("statement-two-earliest", add(S, EVKG.earliestDate, D), S, EVKG.earliestDate, "Statement-earliestDate", "MaxCount"),
    Case("statement-earliest-as-string", put(S, EVKG.earliestDate, Literal("2024-03-22")), S, EVKG.earliestDate,
         "Statement-earliestDate", "Datatype"),
    Case("statement-two-latest", add(S, EVKG.latestDate, D), S, EVKG.latestDate, "Statement-latestDate", "MaxCount"),
    Case("statement-latest-as-string", put(S, EVKG.latestDate, Literal("2024-03-27")), S, EVKG.latestDate,
         "Statement-latestDate", "Datatype"),
    Case("statement-earliest-after-latest", put(S, EVKG.earliestDate, Literal(datetime.date(2024, 3, 28))), S,
         EVKG.earliestDate, "Statement-earliestNotAfterLatest", "LessThanOrEquals"),
    Case("statement-respondsTo-literal", add(statement("denies"), EVKG.respondsTo, Literal("the accusation")),
         statement("denies"), EVKG.respondsTo, "Statement-respondsTo", "NodeKind"),
    Case("statement-reported-by-no-claim", drop(C, EVKG.reportOf, S), S, None, "Statement-report", "MinCount"),
    Case("statement-reported-by-a-figure", add(FIGURE, EVKG.reportOf, S), S, None, "Statement-report", "Class"),
    # --- Figure
    Case("figure-no-measure", drop(FIGURE, EVKG.measure), FIGURE, EVKG.measure, "Figure-measure", "MinCount"),
    Case("figure-two-measures", add(FIGURE, EVKG.measure, Literal("injured")), FIGURE, EVKG.measure, "Figure-measure", "MaxCount"),
    Case("figure-measure-unknown", put(FIGURE, EVKG.measure, Literal("wounded")), FIGURE, EVKG.measure, "Figure-measure", "In"),
    Case("figure-no-value", drop(FIGURE, EVKG.value), FIGURE, EVKG.value, "Figure-value", "MinCount"),
    Case("figure-two-values", add(FIGURE, EVKG.value, Literal(140)), FIGURE, EVKG.value, "Figure-value", "MaxCount"),
    Case("figure-value-as-string", put(FIGURE, EVKG.value, Literal("137")), FIGURE, EVKG.value, "Figure-value", "Datatype"),
    Case("figure-value-decimal", put(FIGURE, EVKG.value, Literal(1.5)), FIGURE, EVKG.value, "Figure-value", "Datatype"),
    Case("figure-value-negative", put(FIGURE, EVKG.value, Literal(-1)), FIGURE, EVKG.value, "Figure-value", "MinInclusive"),
    Case("figure-two-qualifiers", add(FIGURE, EVKG.qualifier, Literal("about")), FIGURE, EVKG.qualifier, "Figure-qualifier", "MaxCount"),
    Case("figure-qualifier-unknown", put(FIGURE, EVKG.qualifier, Literal("roughly")), FIGURE, EVKG.qualifier, "Figure-qualifier", "In"),
    Case("figure-no-reportedIn", drop(FIGURE, EVKG.reportedIn), FIGURE, EVKG.reportedIn, "Figure-reportedIn", "MinCount"),
    Case("figure-two-reportedIn", add(FIGURE, EVKG.reportedIn, OTHER_SOURCE), FIGURE, EVKG.reportedIn, "Figure-reportedIn", "MaxCount"),
    Case("figure-reportedIn-not-source", put(FIGURE, EVKG.reportedIn, ATTACK), FIGURE, EVKG.reportedIn, "Figure-reportedIn", "Class"),
    Case("figure-no-evidence", drop(FIGURE, EVKG.evidence), FIGURE, EVKG.evidence, "Figure-evidence", "MinCount"),
    Case("figure-two-evidence", add(FIGURE, EVKG.evidence, EV), FIGURE, EVKG.evidence, "Figure-evidence", "MaxCount"),
    Case("figure-evidence-not-evidence", put(FIGURE, EVKG.evidence, SOURCE), FIGURE, EVKG.evidence, "Figure-evidence", "Class"),
    Case("figure-two-events", add(FIGURE, EVKG.aboutEvent, WARNING), FIGURE, EVKG.aboutEvent, "Figure-aboutEvent", "MaxCount"),
    Case("figure-event-not-event", put(FIGURE, EVKG.aboutEvent, PUTIN), FIGURE, EVKG.aboutEvent, "Figure-aboutEvent", "Class"),
    # --- Evidence
    Case("evidence-no-exact", drop(EV, EVKG.exact), EV, EVKG.exact, "Evidence-exact", "MinCount"),
    Case("evidence-two-exact", add(EV, EVKG.exact, Literal("another sentence")), EV, EVKG.exact, "Evidence-exact", "MaxCount"),
    Case("evidence-empty-exact", put(EV, EVKG.exact, Literal("")), EV, EVKG.exact, "Evidence-exact", "MinLength"),
    Case("evidence-exact-langtagged", put(EV, EVKG.exact, Literal("text", lang="en")), EV, EVKG.exact, "Evidence-exact", "Datatype"),
    Case("evidence-no-start", drop(EV, EVKG.start), EV, EVKG.start, "Evidence-start", "MinCount"),
    Case("evidence-two-starts", add(EV, EVKG.start, nni(101)), EV, EVKG.start, "Evidence-start", "MaxCount"),
    # An offset is an xsd:integer (`evkg:start 100` in Turtle), not a derived type a store would not keep.
    Case("evidence-start-nonNegativeInteger", put(EV, EVKG.start, Literal("100", datatype=XSD.nonNegativeInteger)), EV,
         EVKG.start, "Evidence-start", "Datatype"),
    Case("evidence-start-as-string", put(EV, EVKG.start, Literal("100")), EV, EVKG.start, "Evidence-start", "Datatype"),
    Case("evidence-start-negative", put(EV, EVKG.start, nni(-1)), EV, EVKG.start, "Evidence-start", "MinInclusive"),
    Case("evidence-no-end", drop(EV, EVKG.end), EV, EVKG.end, "Evidence-end", "MinCount"),
    Case("evidence-two-ends", add(EV, EVKG.end, nni(10_000)), EV, EVKG.end, "Evidence-end", "MaxCount"),
    Case("evidence-end-nonNegativeInteger", put(EV, EVKG.end, Literal("180", datatype=XSD.nonNegativeInteger)), EV,
         EVKG.end, "Evidence-end", "Datatype"),
    Case("evidence-end-negative", put(EV, EVKG.end, nni(-1)), EV, EVKG.end, "Evidence-end", "MinInclusive"),
    Case("evidence-start-equals-end", put(EV, EVKG.end, nni(100)), EV, EVKG.start, "Evidence-startBeforeEnd", "LessThan"),
    Case("evidence-start-after-end", put(EV, EVKG.start, nni(5_000)), EV, EVKG.start, "Evidence-startBeforeEnd", "LessThan"),
    Case("evidence-two-sentence-indexes", add(EV, EVKG.sentenceIndex, nni(9)), EV, EVKG.sentenceIndex, "Evidence-sentenceIndex", "MaxCount"),
    Case("evidence-sentence-index-nonNegativeInteger", put(EV, EVKG.sentenceIndex, Literal("1", datatype=XSD.nonNegativeInteger)),
         EV, EVKG.sentenceIndex, "Evidence-sentenceIndex", "Datatype"),
    Case("evidence-sentence-index-negative", put(EV, EVKG.sentenceIndex, nni(-1)), EV, EVKG.sentenceIndex,
         "Evidence-sentenceIndex", "MinInclusive"),
    Case("evidence-two-reportedIn", add(EV, EVKG.reportedIn, OTHER_SOURCE), EV, EVKG.reportedIn, "Evidence-reportedIn", "MaxCount"),
    Case("evidence-reportedIn-not-source", put(EV, EVKG.reportedIn, C), EV, EVKG.reportedIn, "Evidence-reportedIn", "Class"),
    # --- Source
    Case("source-no-label", drop(SOURCE, RDFS.label), SOURCE, RDFS.label, "Source-label", "MinCount"),
    Case("source-two-labels", add(SOURCE, RDFS.label, Literal("Other title")), SOURCE, RDFS.label, "Source-label", "MaxCount"),
    Case("source-empty-label", put(SOURCE, RDFS.label, Literal("")), SOURCE, RDFS.label, "Source-label", "MinLength"),
    Case("source-label-not-string", put(SOURCE, RDFS.label, Literal(0)), SOURCE, RDFS.label, "Source-label", "Datatype"),
    Case("source-no-documentId", drop(SOURCE, EVKG.documentId), SOURCE, EVKG.documentId, "Source-documentId", "MinCount"),
    Case("source-two-documentIds", add(SOURCE, EVKG.documentId, Literal("x")), SOURCE, EVKG.documentId, "Source-documentId", "MaxCount"),
    Case("source-empty-documentId", put(SOURCE, EVKG.documentId, Literal("")), SOURCE, EVKG.documentId, "Source-documentId", "MinLength"),
    Case("source-documentId-not-string", put(SOURCE, EVKG.documentId, Literal(0)), SOURCE, EVKG.documentId, "Source-documentId", "Datatype"),
    Case("source-two-published", add(SOURCE, EVKG.published, D), SOURCE, EVKG.published, "Source-published", "MaxCount"),
    Case("source-published-as-string", put(SOURCE, EVKG.published, Literal("2024-03-27")), SOURCE, EVKG.published, "Source-published", "Datatype"),
    Case("source-two-urls", add(SOURCE, EVKG.url, Literal("https://example.org/b", datatype=XSD.anyURI)), SOURCE, EVKG.url, "Source-url", "MaxCount"),
    Case("source-url-as-string", put(SOURCE, EVKG.url, Literal("https://example.org/a")), SOURCE, EVKG.url, "Source-url", "Datatype"),
    Case("source-url-as-iri", put(SOURCE, EVKG.url, URIRef("https://example.org/a")), SOURCE, EVKG.url, "Source-url", "Datatype"),
    Case("source-two-titles", add(SOURCE, EVKG.title, Literal("Second headline")), SOURCE, EVKG.title, "Source-title", "MaxCount"),
    Case("source-title-not-string", put(SOURCE, EVKG.title, Literal(5)), SOURCE, EVKG.title, "Source-title", "Datatype"),
    Case("source-two-publishers", add(SOURCE, EVKG.publisher, Literal("Other News")), SOURCE, EVKG.publisher, "Source-publisher", "MaxCount"),
    Case("source-publisher-not-string", put(SOURCE, EVKG.publisher, Literal(5)), SOURCE, EVKG.publisher, "Source-publisher", "Datatype"),
]


def shape_message(shapes: Graph, shape: URIRef) -> str:
    messages = list(shapes.objects(shape, SH.message))
    assert len(messages) == 1, f"{shape} should have exactly one sh:message"
    return str(messages[0])


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_broken_copy_does_not_conform(case: Case, shapes):
    g = build_valid_graph()
    case.mutate(g)
    conforms, results = run_shacl(g, shapes)
    assert not conforms, f"{case.id}: a broken graph conforms"

    shape = EVKGSH[case.shape]
    component = SH[case.component + "ConstraintComponent"]
    matching = [
        r
        for r in results
        if r["focus"] == case.focus and (r["path"] == case.path or case.path is None and isinstance(r["path"], BNode))
        and r["shape"] == shape and r["component"] == component
    ]
    assert matching, f"{case.id}: expected {case.component} on {case.focus} {case.path} from {shape}; got {results}"
    assert all(r["message"] == shape_message(shapes, shape) for r in matching)


# --------------------------------------------------------------------------------------------
# The shapes themselves
# --------------------------------------------------------------------------------------------

# The constraint parameters used in the shapes, and the component each one belongs to.
PARAMETER_COMPONENT = {
    SH.minCount: "MinCount",
    SH.maxCount: "MaxCount",
    SH["class"]: "Class",
    SH.datatype: "Datatype",
    SH["in"]: "In",
    SH.hasValue: "HasValue",
    SH.minLength: "MinLength",
    SH.minInclusive: "MinInclusive",
    SH.lessThan: "LessThan",
    SH.qualifiedMinCount: "QualifiedMinCount",
    SH.qualifiedMaxCount: "QualifiedMaxCount",
    SH.nodeKind: "NodeKind",
    SH.pattern: "Pattern",
    SH.lessThanOrEquals: "LessThanOrEquals",
}

# Parameters outside SHACL Core's constraint list, or that need SPARQL or inference.
NOT_CORE = {SH.sparql, SH.select, SH.ask, SH.rule, SH.target, SH.targetSubjectsOf}


def property_shapes(shapes: Graph) -> list[URIRef]:
    return sorted(s for s in shapes.subjects(RDF.type, SH.PropertyShape) if isinstance(s, URIRef))


def test_every_constraint_is_exercised_by_a_broken_case(shapes):
    expected = set()
    for ps in property_shapes(shapes):
        for p in shapes.predicates(ps, None):
            if p in PARAMETER_COMPONENT:
                expected.add((ps.split("#")[1], PARAMETER_COMPONENT[p]))
    covered = {(c.shape, c.component) for c in CASES}
    assert expected - covered == set(), "constraints no broken case exercises"
    assert covered - expected == set(), "cases naming a constraint the shapes do not have"


def test_every_property_shape_is_named_and_has_a_message(shapes):
    for ps in shapes.subjects(SH.path, None):
        assert isinstance(ps, URIRef), f"anonymous property shape on {shapes.value(ps, SH.path)}"
        assert (None, SH.property, ps) in shapes, f"{ps} is attached to no node shape"
        shape_message(shapes, ps)
        for p in shapes.predicates(ps, None):
            assert p in PARAMETER_COMPONENT or p in {RDF.type, SH.path, SH.message, SH.qualifiedValueShape}, (ps, p)


def test_node_shapes_use_target_class_and_core_only(shapes):
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    assert {EVKGSH[n] for n in ("ActorShape", "EventShape", "AttackKindShape", "AccidentKindShape", "PlaceShape", "ClaimShape",
                                "StatementShape", "FigureShape", "EvidenceShape", "SourceShape")} == node_shapes
    for ns in node_shapes:
        assert list(shapes.objects(ns, SH.targetClass)), f"{ns} has no sh:targetClass"
    assert not any(p in NOT_CORE for p in shapes.predicates()), "shapes use non-Core features"
    actor_targets = set(shapes.objects(EVKGSH.ActorShape, SH.targetClass))
    assert actor_targets == {EVKG.Actor} | {EVKG[t] for t in ACTOR_TYPES}
    event_targets = set(shapes.objects(EVKGSH.EventShape, SH.targetClass))
    assert event_targets == {EVKG.Event} | {EVKG[t] for t in EVENT_TYPES}


def test_claim_kind_list_matches_vocab(shapes):
    (lst,) = shapes.objects(EVKGSH["Claim-kind"], SH["in"])
    assert list(Collection(shapes, lst)) == [claim_kind(k) for k in CLAIM_KINDS]


def test_shapes_and_valid_graph_use_only_declared_terms(shapes):
    """Every class and property the shapes mention, and every predicate the valid graph uses, is in the ontology."""
    onto = Graph().parse(ontology_path(), format="turtle")
    declared_props = set()
    for t in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty):
        declared_props |= set(onto.subjects(RDF.type, t))
    declared_classes = set(onto.subjects(RDF.type, OWL.Class))

    paths = {shapes.value(p, SH.inversePath) if isinstance(p, BNode) else p for p in shapes.objects(None, SH.path)}
    assert paths - declared_props - {RDF.type, OWL.sameAs} == set()  # OWL's own owl:sameAs is no ontology term
    classes = set(shapes.objects(None, SH.targetClass)) | set(shapes.objects(None, SH["class"]))
    assert classes - declared_classes == set()

    g = build_valid_graph()
    assert set(g.predicates()) - {RDF.type, OWL.sameAs} - declared_props == set()
    assert set(g.objects(None, RDF.type)) - declared_classes == set()
    for kind in g.objects(None, EVKG.kind):
        assert (kind, RDF.type, EVKG.ClaimKind) in onto
    assert not any(isinstance(n, BNode) for n in g.all_nodes())
