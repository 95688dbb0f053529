"""The evkg ontology's terms, declared once.

Every term here is declared in ``ontology/evkg.ttl``; a test checks that the
pipeline emits nothing the ontology does not declare.
"""

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

ONTOLOGY_IRI = "https://w3id.org/evkg/ontology"
DEFAULT_BASE = "https://w3id.org/evkg/id/"


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

    # Events
    Event: URIRef
    Attack: URIRef
    Detention: URIRef
    Warning: URIRef
    Statement: URIRef
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


CLAIM_KINDS = ("accuses", "claims_responsibility", "denies", "disputes", "confirms", "warns")
ACTOR_TYPES = ("Person", "Organization", "Country", "Group")
EVENT_TYPES = ("Attack", "Detention", "Warning", "Statement")
FIGURE_MEASURES = ("killed", "injured", "missing", "detained")
FIGURE_QUALIFIERS = ("exactly", "at least", "more than", "about", "up to", "fewer than")


def claim_kind(notation: str) -> URIRef:
    """The SKOS concept for a claim kind notation such as ``"accuses"``."""
    if notation not in CLAIM_KINDS:
        raise ValueError(f"unknown claim kind {notation!r}")
    return EVKG[notation]
