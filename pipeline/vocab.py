"""The evkg ontology's terms, declared once.

Every term here is declared in ``ontology/evkg.ttl``; a test checks that the
pipeline emits nothing the ontology does not declare.
"""

import functools

from rdflib import Namespace, URIRef
from rdflib.namespace import RDFS, DefinedNamespace

from .terms import ACTOR_TYPES, CLAIM_KINDS, EVENT_TYPES, FIGURE_MEASURES, FIGURE_QUALIFIERS  # noqa: F401 - re-exported

ONTOLOGY_IRI = "https://w3id.org/evkg/ontology"
DEFAULT_BASE = "https://w3id.org/evkg/id/"
# Wikidata entities (an alias-table entry's "wikidata" QID): owl:sameAs WIKIDATA["Q159"]
WIKIDATA = Namespace("http://www.wikidata.org/entity/")


class EVKG(DefinedNamespace):
    """evkg: actors, events, claims, figures and the sources reporting them."""

    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    # Actors
    Actor: URIRef
    Person: URIRef
    Organization: URIRef
    Country: URIRef
    Group: URIRef
    role: URIRef  # a title or office the text gives the actor ("Foreign Secretary")
    partOf: URIRef  # the state an institution belongs to (it stays an actor of its own)

    # Events: a small type hierarchy (ontology/evkg.ttl), the words for each in events.json
    Event: URIRef
    Attack: URIRef
    Bombing: URIRef
    Shooting: URIRef
    Killing: URIRef
    Poisoning: URIRef
    Kidnapping: URIRef
    Cyberattack: URIRef
    Accident: URIRef
    Crash: URIRef
    Fire: URIRef
    Detention: URIRef
    Sanction: URIRef
    Warning: URIRef
    ElectionFraud: URIRef
    Place: URIRef
    occurredOn: URIRef
    place: URIRef
    participant: URIRef

    # Claims
    Claim: URIRef
    ClaimKind: URIRef
    ClaimKindScheme: URIRef
    claimant: URIRef
    target: URIRef
    kind: URIRef
    aboutEvent: URIRef
    hedged: URIRef
    saidOn: URIRef
    cue: URIRef  # the word or phrase that signalled the claim ("blamed", "denied")

    # Statements: what a claimant said, across the documents that report it
    Statement: URIRef
    reportOf: URIRef  # a claim (one source's report) -> its statement
    respondsTo: URIRef  # a denial or dispute -> the accusation or responsibility claim it answers
    sourceCount: URIRef
    earliestDate: URIRef
    latestDate: URIRef

    # Claim kinds (SKOS concepts; their skos:notation is the short code)
    accuses: URIRef
    claims_responsibility: URIRef
    denies: URIRef
    disputes: URIRef
    confirms: URIRef
    warns: URIRef

    # Figures reported by a source
    Figure: URIRef
    measure: URIRef
    value: URIRef
    qualifier: URIRef

    # Provenance shared by claims and figures
    reportedIn: URIRef
    evidence: URIRef
    Evidence: URIRef
    exact: URIRef
    start: URIRef
    end: URIRef
    sentenceIndex: URIRef

    # Sources
    Source: URIRef
    documentId: URIRef
    title: URIRef
    url: URIRef
    publisher: URIRef
    published: URIRef
    mentionedIn: URIRef




def claim_kind(notation: str) -> URIRef:
    """The SKOS concept for a claim kind notation such as ``"accuses"``."""
    if notation not in CLAIM_KINDS:
        raise ValueError(f"unknown claim kind {notation!r}")
    return EVKG[notation]


@functools.lru_cache(maxsize=1)
def event_parents() -> dict[str, str]:
    """Each event type's parent in the ontology's hierarchy ("Bombing" -> "Attack", "Attack" ->
    "Event"), read from ontology/evkg.ttl: the ontology is the one place it is written."""
    from rdflib import Graph

    from .resources import ontology_path

    onto = Graph().parse(ontology_path(), format="turtle")
    names = {EVKG[name]: name for name in ("Event", *EVENT_TYPES)}
    parents = {}
    for name in EVENT_TYPES:
        (parent,) = [names[o] for o in onto.objects(EVKG[name], RDFS.subClassOf) if o in names]
        parents[name] = parent
    return parents


def event_lineage(event_type: str) -> tuple[str, ...]:
    """An event type and its ancestors below evkg:Event, most specific first: ("Bombing", "Attack").
    An unknown type has none."""
    parents = event_parents()
    lineage = []
    while event_type in parents:
        lineage.append(event_type)
        event_type = parents[event_type]
    return tuple(lineage)


def event_root(event_type: str) -> str:
    """The top of an event type's branch ("Bombing" -> "Attack"): events are coreferent only
    within one branch. An unknown type is its own root."""
    lineage = event_lineage(event_type)
    return lineage[-1] if lineage else event_type
