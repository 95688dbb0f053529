"""The OWL ontology (ontology/evkg.ttl) declares every term of pipeline.vocab.EVKG and aligns it with SEM, PROV-O, schema.org and Web Annotation."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, SH, SKOS, XSD, Graph, Literal, Namespace, URIRef

from pipeline.resources import ontology_path, shapes_path
from pipeline.vocab import (ACTOR_TYPES, CLAIM_KINDS, EVENT_TYPES, EVKG, ONTOLOGY_IRI, claim_kind, event_lineage,
                           event_parents, event_root)

SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")

TERMS = list(EVKG.__annotations__)
DECLARATION_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual)


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ontology_path(), format="turtle")


def declared_as(onto: Graph, term: URIRef) -> set[URIRef]:
    return {t for t in onto.objects(term, RDF.type) if t in DECLARATION_TYPES}


def test_ontology_header(onto):
    assert (URIRef(ONTOLOGY_IRI), RDF.type, OWL.Ontology) in onto
    assert onto.value(URIRef(ONTOLOGY_IRI), RDFS.label) is not None
    assert onto.value(URIRef(ONTOLOGY_IRI), OWL.versionInfo) is not None


def test_vocab_has_terms():
    assert len(TERMS) > 40 and "Claim" in TERMS and "accuses" in TERMS


@pytest.mark.parametrize("name", TERMS)
def test_every_vocab_term_is_declared_with_label_and_comment(onto, name):
    term = EVKG[name]
    kinds = declared_as(onto, term)
    assert len(kinds) == 1, f"evkg:{name} should be declared exactly once as class, property or individual, got {kinds}"
    labels = list(onto.objects(term, RDFS.label))
    comments = list(onto.objects(term, RDFS.comment))
    assert len(labels) == 1 and str(labels[0]).strip(), f"evkg:{name} needs one rdfs:label"
    assert len(comments) == 1 and len(str(comments[0])) > 10, f"evkg:{name} needs one rdfs:comment"


def test_ontology_declares_nothing_outside_vocab(onto):
    in_ns = {s for s in onto.subjects() if isinstance(s, URIRef) and str(s).startswith(str(EVKG._NS))}
    assert in_ns == {EVKG[n] for n in TERMS}


def test_declaration_kinds_follow_naming(onto):
    """Capitalised terms are classes (the concept scheme excepted), lower-case ones properties or claim kinds."""
    for name in TERMS:
        (kind,) = declared_as(onto, EVKG[name])
        if name in CLAIM_KINDS or name == "ClaimKindScheme":
            assert kind == OWL.NamedIndividual, name
        elif name[0].isupper():
            assert kind == OWL.Class, name
        else:
            assert kind in (OWL.ObjectProperty, OWL.DatatypeProperty), name


def test_properties_have_ranges_and_ranges_are_declared(onto):
    classes = set(onto.subjects(RDF.type, OWL.Class))
    for p in onto.subjects(RDF.type, OWL.ObjectProperty):
        if not str(p).startswith(str(EVKG._NS)):
            continue
        (rng,) = onto.objects(p, RDFS.range)
        assert rng in classes, p
        for dom in onto.objects(p, RDFS.domain):
            assert dom in classes, p
    for p in onto.subjects(RDF.type, OWL.DatatypeProperty):
        if not str(p).startswith(str(EVKG._NS)):
            continue
        (rng,) = onto.objects(p, RDFS.range)
        assert str(rng).startswith(str(XSD)) or rng == RDFS.Literal, p


# The datatypes an OWL 2 DL ontology may name (OWL 2 Structural Specification, section 4).
OWL2_DATATYPE_MAP = {RDF.PlainLiteral, RDF.XMLLiteral, RDFS.Literal, OWL.real, OWL.rational} | {
    XSD[name]
    for name in (
        "decimal integer nonNegativeInteger nonPositiveInteger positiveInteger negativeInteger "
        "long int short byte unsignedLong unsignedInt unsignedShort unsignedByte double float "
        "string normalizedString token language Name NCName NMTOKEN boolean hexBinary "
        "base64Binary anyURI dateTime dateTimeStamp"
    ).split()
}


def test_every_datatype_is_in_the_owl2_datatype_map(onto):
    used = {rng for p in onto.subjects(RDF.type, OWL.DatatypeProperty) for rng in onto.objects(p, RDFS.range)}
    used |= set(onto.subjects(RDF.type, RDFS.Datatype)) | set(onto.objects(None, OWL.onDatatype))
    assert XSD.string in used
    assert used <= OWL2_DATATYPE_MAP, used - OWL2_DATATYPE_MAP


@pytest.mark.parametrize("prop", [EVKG.saidOn, EVKG.occurredOn, EVKG.published])
def test_dates_are_literals_in_owl_and_xsd_dates_in_the_shapes(onto, prop):
    # xsd:date is not in the OWL 2 datatype map, so the ontology leaves it to the shapes.
    assert "xsd:date" in str(onto.value(prop, RDFS.comment))
    shapes = Graph().parse(shapes_path(), format="turtle")
    assert {shapes.value(s, SH.datatype) for s in shapes.subjects(SH.path, prop)} == {XSD.date}


@pytest.mark.parametrize(
    "prop, datatype",
    [
        (EVKG.hedged, XSD.boolean),
        (EVKG.saidOn, RDFS.Literal),
        (EVKG.occurredOn, RDFS.Literal),
        (EVKG.published, RDFS.Literal),
        (EVKG.start, XSD.nonNegativeInteger),
        (EVKG.end, XSD.nonNegativeInteger),
        (EVKG.sentenceIndex, XSD.nonNegativeInteger),
        (EVKG.value, XSD.integer),
        (EVKG.url, XSD.anyURI),
        (EVKG.exact, XSD.string),
        (EVKG.sourceCount, XSD.positiveInteger),
        (EVKG.earliestDate, RDFS.Literal),
        (EVKG.latestDate, RDFS.Literal),
    ],
)
def test_datatype_ranges(onto, prop, datatype):
    assert (prop, RDF.type, OWL.DatatypeProperty) in onto
    assert set(onto.objects(prop, RDFS.range)) == {datatype}


@pytest.mark.parametrize(
    "prop, domain, range_",
    [
        (EVKG.place, EVKG.Event, EVKG.Place),
        (EVKG.participant, EVKG.Event, EVKG.Actor),
        (EVKG.reportOf, EVKG.Claim, EVKG.Statement),
        (EVKG.respondsTo, EVKG.Statement, EVKG.Statement),
    ],
)
def test_object_property_domain_and_range(onto, prop, domain, range_):
    assert (prop, RDFS.domain, domain) in onto
    assert (prop, RDFS.range, range_) in onto


@pytest.mark.parametrize("prop, range_", [
    (EVKG.claimant, EVKG.Actor), (EVKG.target, EVKG.Actor), (EVKG.kind, EVKG.ClaimKind)])
def test_claim_and_statement_properties(onto, prop, range_):
    """A statement has the claimant, targets and kind of its reports: the same properties."""
    assert (prop, RDFS.range, range_) in onto
    rows = onto.query("SELECT ?m WHERE { ?p rdfs:domain/owl:unionOf/rdf:rest*/rdf:first ?m }",
                      initNs={"rdfs": RDFS, "owl": OWL, "rdf": RDF}, initBindings={"p": prop})
    assert {r.m for r in rows} == {EVKG.Claim, EVKG.Statement}


@pytest.mark.parametrize("prop, members", [
    (EVKG.aboutEvent, {EVKG.Claim, EVKG.Statement, EVKG.Figure}),
    (EVKG.evidence, {EVKG.Claim, EVKG.Figure}),
    (EVKG.reportedIn, {EVKG.Claim, EVKG.Figure, EVKG.Evidence}),
    (EVKG.mentionedIn, {EVKG.Actor, EVKG.Event}),
])
def test_union_domains(onto, prop, members):
    rows = onto.query(
        """SELECT ?m WHERE { ?p rdfs:domain/owl:unionOf/rdf:rest*/rdf:first ?m }""",
        initNs={"rdfs": RDFS, "owl": OWL, "rdf": RDF},
        initBindings={"p": prop},
    )
    assert {r.m for r in rows} == members


# ------------------------------------------------------------------------------------------
# Claim kinds
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CLAIM_KINDS)
def test_claim_kind_concept(onto, name):
    kind = claim_kind(name)
    assert (kind, RDF.type, SKOS.Concept) in onto
    assert (kind, RDF.type, EVKG.ClaimKind) in onto
    assert (kind, SKOS.inScheme, EVKG.ClaimKindScheme) in onto
    assert (EVKG.ClaimKindScheme, SKOS.hasTopConcept, kind) in onto
    assert list(onto.objects(kind, SKOS.notation)) == [Literal(name)]
    assert len(list(onto.objects(kind, SKOS.prefLabel))) == 1
    (definition,) = onto.objects(kind, SKOS.definition)
    assert len(str(definition)) > 20


def test_claim_kinds_are_exactly_the_vocab_kinds(onto):
    assert set(onto.subjects(RDF.type, EVKG.ClaimKind)) == {claim_kind(k) for k in CLAIM_KINDS}
    assert set(onto.subjects(SKOS.inScheme, EVKG.ClaimKindScheme)) == {claim_kind(k) for k in CLAIM_KINDS}
    notations = [str(n) for k in CLAIM_KINDS for n in onto.objects(claim_kind(k), SKOS.notation)]
    assert sorted(notations) == sorted(CLAIM_KINDS)


def test_claim_kind_scheme(onto):
    assert (EVKG.ClaimKindScheme, RDF.type, SKOS.ConceptScheme) in onto
    assert (EVKG.ClaimKind, RDFS.subClassOf, SKOS.Concept) in onto


def test_annotation_properties_used_by_instance_data(onto):
    for p in (RDFS.label, SKOS.altLabel, SKOS.notation):
        assert (p, RDF.type, OWL.AnnotationProperty) in onto


# ------------------------------------------------------------------------------------------
# Hierarchy and alignments
# ------------------------------------------------------------------------------------------


def test_actor_and_event_subclasses(onto):
    assert set(onto.subjects(RDFS.subClassOf, EVKG.Actor)) == {EVKG[t] for t in ACTOR_TYPES}
    below_event = set(onto.transitive_subjects(RDFS.subClassOf, EVKG.Event)) - {EVKG.Event}
    assert below_event == {EVKG[t] for t in EVENT_TYPES}


def test_event_hierarchy():
    assert event_parents() == {
        "Attack": "Event", "Bombing": "Attack", "Shooting": "Attack", "Killing": "Attack", "Poisoning": "Attack",
        "Kidnapping": "Attack", "Cyberattack": "Event", "Accident": "Event", "Crash": "Accident", "Fire": "Accident",
        "Detention": "Event", "Sanction": "Event", "Warning": "Event", "ElectionFraud": "Event"}
    assert event_lineage("Bombing") == ("Bombing", "Attack") and event_root("Fire") == "Accident"
    assert event_lineage("Unknown") == () and event_root("Unknown") == "Unknown"


CAMEO = Namespace("https://w3id.org/evkg/cameo#")


@pytest.mark.parametrize("term, relation, code, label", [
    (EVKG.Attack, SKOS.exactMatch, "18", "Assault"),
    (EVKG.Bombing, SKOS.broadMatch, "18", "Assault"),
    (EVKG.Detention, SKOS.broadMatch, "17", "Coerce"),
    (EVKG.Sanction, SKOS.broadMatch, "16", "Reduce relations"),
])
def test_cameo_root_codes(onto, term, relation, code, label):
    concept = CAMEO[code]
    assert (term, relation, concept) in onto
    assert (concept, RDF.type, SKOS.Concept) in onto and (concept, SKOS.inScheme, CAMEO.scheme) in onto
    assert (concept, SKOS.notation, Literal(code)) in onto
    assert (concept, SKOS.prefLabel, Literal(label, lang="en")) in onto


def test_every_event_type_of_the_events_table_is_an_event_class():
    import json

    from pipeline.resources import lexicon_path

    table = json.loads(lexicon_path("events.json").read_text(encoding="utf-8"))["events"]
    used = {t for t in table.values() if t is not None}
    assert used == set(EVENT_TYPES) - {"Accident"}  # an accident is named as a crash or a fire


def test_owl_same_as_is_not_declared(onto):
    """Wikidata links are owl:sameAs, OWL's own term: declaring it would take the ontology out of OWL 2 DL."""
    assert not set(onto.objects(OWL.sameAs, RDF.type))


def test_actor_types_are_pairwise_disjoint(onto):
    rows = onto.query(
        """SELECT ?m WHERE { ?d a owl:AllDisjointClasses ; owl:members/rdf:rest*/rdf:first ?m }""",
        initNs={"owl": OWL, "rdf": RDF},
    )
    assert {r.m for r in rows} == {EVKG[t] for t in ACTOR_TYPES}


ALIGNMENTS = [
    (EVKG.Event, RDFS.subClassOf, SEM.Event),
    (EVKG.Actor, RDFS.subClassOf, SEM.Actor),
    (EVKG.Place, RDFS.subClassOf, SEM.Place),
    (EVKG.participant, RDFS.subPropertyOf, SEM.hasActor),
    (EVKG.place, RDFS.subPropertyOf, SEM.hasPlace),
    (EVKG.occurredOn, RDFS.subPropertyOf, SEM.hasTimeStamp),
    (EVKG.reportedIn, RDFS.subPropertyOf, PROV.wasDerivedFrom),
    (EVKG.claimant, RDFS.subPropertyOf, PROV.wasAttributedTo),
    (EVKG.Claim, RDFS.subClassOf, SCHEMA.Claim),
    (EVKG.Statement, RDFS.subClassOf, SCHEMA.Claim),
    (EVKG.reportOf, RDFS.subPropertyOf, PROV.wasQuotedFrom),
    (EVKG.Source, RDFS.subClassOf, SCHEMA.NewsArticle),
    (EVKG.published, RDFS.subPropertyOf, SCHEMA.datePublished),
    (EVKG.title, RDFS.subPropertyOf, SCHEMA.headline),
    (EVKG.url, RDFS.subPropertyOf, SCHEMA.url),
    (EVKG.aboutEvent, RDFS.subPropertyOf, SCHEMA.about),
    (EVKG.Evidence, RDFS.subClassOf, OA.TextQuoteSelector),
    (EVKG.Evidence, RDFS.subClassOf, OA.TextPositionSelector),
    (EVKG.exact, RDFS.subPropertyOf, OA.exact),
    (EVKG.start, RDFS.subPropertyOf, OA.start),
    (EVKG.end, RDFS.subPropertyOf, OA.end),
    (EVKG.ClaimKind, RDFS.subClassOf, SKOS.Concept),
]


@pytest.mark.parametrize("triple", ALIGNMENTS, ids=[f"{t[0].fragment}-{t[2].n3().rsplit('/', 1)[-1]}" for t in ALIGNMENTS])
def test_alignment(onto, triple):
    assert triple in onto
    # the external term is declared with the same kind, so the ontology stays OWL 2 DL without imports
    sub, rel, sup = triple
    kinds = declared_as(onto, sup) if sup != SKOS.Concept else {OWL.Class}
    assert kinds == declared_as(onto, sub)


def test_alignments_by_sparql(onto):
    q = """
    SELECT ?term WHERE {
      { ?term rdfs:subClassOf ?sup } UNION { ?term rdfs:subPropertyOf ?sup }
      FILTER(STRSTARTS(STR(?term), STR(evkg:)))
      FILTER(STRSTARTS(STR(?sup), STR(sem:)) || STRSTARTS(STR(?sup), STR(prov:))
             || STRSTARTS(STR(?sup), STR(schema:)) || STRSTARTS(STR(?sup), STR(oa:)))
    }"""
    rows = onto.query(q, initNs={"rdfs": RDFS, "evkg": EVKG._NS, "sem": SEM, "prov": PROV, "schema": SCHEMA, "oa": OA})
    aligned = {r.term for r in rows}
    assert {EVKG.Event, EVKG.Actor, EVKG.Claim, EVKG.Source, EVKG.Evidence, EVKG.reportedIn, EVKG.claimant} <= aligned


def test_occurred_on_comment_mentions_sem_has_time(onto):
    comment = str(onto.value(EVKG.occurredOn, RDFS.comment))
    assert "sem:hasTime" in comment and "datatype counterpart" in comment


# --------------------------------------------------------------------------------------------
# OWL 2 DL, checked by the OWL API's profile checker and by HermiT (tests/java/CheckOwl2Dl.java)


def _owl_checker() -> list[str]:
    """The command that checks an ontology file; skips (fails in CI) when it cannot run."""
    java = shutil.which("java")
    spec = importlib.util.find_spec("owlready2")  # ships HermiT.jar, which bundles the OWL API
    jar = Path(spec.submodule_search_locations[0]) / "hermit" / "HermiT.jar" if spec else None
    if java is None or jar is None or not jar.is_file():
        reason = ("the OWL 2 DL check needs `java` (apt-get install default-jre-headless) and "
                  "owlready2's HermiT.jar (pip install -e '.[test]')")
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    source = Path(__file__).parent / "java" / "CheckOwl2Dl.java"
    return [java, "-cp", str(jar), str(source)]


def _check_owl(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(_owl_checker() + [str(path)], capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL)


def test_ontology_is_owl2_dl_and_hermit_classifies_it():
    done = _check_owl(ontology_path())
    assert (done.returncode, done.stdout) == (0, ""), done.stdout + done.stderr


def test_the_owl_check_rejects_a_date_range(tmp_path):
    broken = Graph().parse(ontology_path(), format="turtle")
    broken.set((EVKG.saidOn, RDFS.range, XSD.date))
    path = tmp_path / "evkg.ttl"
    broken.serialize(path, format="turtle")
    done = _check_owl(path)
    assert done.returncode == 1 and "XMLSchema#date" in done.stdout, done.stdout + done.stderr
