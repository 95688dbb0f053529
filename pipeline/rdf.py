"""Build RDF: one rdflib ``Graph`` per resolved document, under a configurable base IRI.

IRIs are deterministic: actors and events from their canonical keys (so one actor has one
IRI in every document), statements from a hash of claimant, kind, targets and event (one IRI
across the documents reporting them), claims, figures and evidence from a hash of what they
say and where. The same input gives the same IRIs and, serialized, the same bytes.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from .resolve import actor_key, lone_statement, statement_key
from .model import Actor, Claim, Event, Figure, ResolvedDocument, Statement, TextSpan
from .vocab import DEFAULT_BASE, EVKG, WIKIDATA, claim_kind, event_lineage

# Not starting with "." (a key "." or ".." would give a dot segment, which IRI resolution drops).
_SIMPLE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.]*( [A-Za-z0-9_.]+)*$")
# Characters XML 1.0 (and so many RDF tools) cannot carry; replaced in literals.
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def slug(key: str) -> str:
    """An IRI path segment for ``key``, distinct for distinct keys.

    Simple keys ("ana lind", "000_29f0") read as "ana-lind"; anything else gets an ASCII
    approximation plus "--" and a hash of the key, which a simple key can never produce.
    """
    if _SIMPLE.match(key):
        return key.replace(" ", "-")
    ascii_form = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode("ascii").lower()
    readable = re.sub(r"[^a-z0-9]+", "-", ascii_form).strip("-")[:60] or "x"
    digest = hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{readable}--{digest}"


def clean_text(text: str) -> str:
    """A literal's text with characters no serializer can carry replaced by U+FFFD."""
    return _BAD_CHARS.sub("\ufffd", text)


def check_base(base: str) -> str:
    """``base`` if it is an absolute http(s) IRI (RFC 3987) ending in "/" or "#", the only
    ones every instance IRI minted under it is a valid IRI that Turtle and TriG can carry;
    raises ValueError otherwise."""
    import rfc3987

    if not isinstance(base, str) or rfc3987.match(base, rule="IRI") is None:
        raise ValueError(f"base IRI {base!r} is not an absolute IRI (RFC 3987)")
    parts = rfc3987.parse(base, rule="IRI")
    if (parts["scheme"] or "").lower() not in ("http", "https") or not parts["authority"]:
        raise ValueError(f"base IRI {base!r} is not an absolute IRI with http:// or https:// and a host")
    if not base.endswith(("/", "#")):
        raise ValueError(f"base IRI {base!r} must end in '/' or '#'")
    return base


class IriMinter:
    def __init__(self, base: str = DEFAULT_BASE):
        self.base = check_base(base)
        base = self.base
        self.ns = {name: Namespace(f"{base}{name}/") for name in
                   ("source", "actor", "event", "place", "claim", "statement", "figure", "evidence", "graph",
                    "validation")}

    def source(self, doc_id: str) -> URIRef:
        return self.ns["source"][slug(doc_id)]

    def graph(self, doc_id: str) -> URIRef:
        return self.ns["graph"][slug(doc_id)]

    def actor(self, key: str) -> URIRef:
        return self.ns["actor"][slug(key)]

    def event(self, key: str) -> URIRef:
        return self.ns["event"][slug(key)]

    def place(self, label: str) -> URIRef:
        return self.ns["place"][slug(" ".join(label.casefold().split()))]

    def hashed(self, kind: str, *parts) -> URIRef:
        digest = hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8", "surrogatepass")).hexdigest()[:16]
        return self.ns[kind][digest]


def bind_prefixes(graph: Graph, minter: IriMinter) -> None:
    graph.bind("evkg", EVKG._NS, override=True)
    graph.bind("rdfs", RDFS)
    graph.bind("skos", SKOS)
    graph.bind("xsd", XSD)
    graph.bind("owl", OWL)
    graph.bind("wd", WIKIDATA)
    for name, ns in minter.ns.items():
        graph.bind(name, ns)


def new_graph(minter: IriMinter, identifier=None) -> Graph:
    graph = Graph(identifier=identifier, bind_namespaces="none")
    bind_prefixes(graph, minter)
    return graph


def _string(text: str) -> Literal:
    return Literal(clean_text(text))  # a simple literal: xsd:string in RDF 1.1


def _date(value: date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


# What the RDF of one resolved document is made of: raised whenever the same resolved document
# gives other triples (2: counts and offsets as xsd:integer, not derived integer types), so that a
# build over an older one renders its documents anew instead of reusing their Turtle.
RDF_REVISION = 2


def _count(value: int) -> Literal:
    """A count or an offset, an xsd:integer in its canonical form: a triple store keeps that as
    written, where Oxigraph and Virtuoso store an xsd:nonNegativeInteger or xsd:positiveInteger
    literal as an xsd:integer (the shapes check the range, the ontology states it)."""
    return Literal(int(value))


def document_graph(resolved: ResolvedDocument, minter: IriMinter) -> Graph:
    """Every triple one document supports, ready to validate and serialize."""
    doc = resolved.document
    graph = new_graph(minter, identifier=minter.graph(doc.id))
    add = graph.add
    source = minter.source(doc.id)
    add((source, RDF.type, EVKG.Source))
    add((source, RDFS.label, _string(doc.title or doc.id)))
    add((source, EVKG.documentId, _string(doc.id)))
    if doc.title:
        add((source, EVKG.title, _string(doc.title)))
    if doc.url:
        add((source, EVKG.url, Literal(clean_text(doc.url), datatype=XSD.anyURI)))
    if doc.publisher:
        add((source, EVKG.publisher, _string(doc.publisher)))
    if doc.published:
        add((source, EVKG.published, _date(doc.published)))

    for actor in resolved.actors:
        _add_actor(graph, minter, actor, source)
    for event in resolved.events:
        _add_event(graph, minter, event, source)
    labels = {actor.key: actor.label for actor in resolved.actors}
    statements = {s.key: s for s in resolved.statements}
    for claim in resolved.claims:  # a document resolved without the corpus: its claims stand alone
        statements.setdefault(statement_key(claim), lone_statement(claim, doc.published))
    for key in sorted(statements):
        _add_statement(graph, minter, statements[key], labels)
    for claim in resolved.claims:
        _add_claim(graph, minter, claim, doc.id, source)
    for figure in resolved.figures:
        _add_figure(graph, minter, figure, doc.id, source)
    return graph


def _add_actor(graph: Graph, minter: IriMinter, actor: Actor, source: URIRef) -> None:
    node = minter.actor(actor.key)
    graph.add((node, RDF.type, EVKG.Actor))
    graph.add((node, RDF.type, EVKG[actor.type]))
    graph.add((node, RDFS.label, _string(actor.label)))
    for alias in actor.aliases:
        graph.add((node, SKOS.altLabel, _string(alias)))
    for role in actor.roles:
        graph.add((node, EVKG.role, _string(role)))
    graph.add((node, EVKG.mentionedIn, source))
    if actor.wikidata:
        graph.add((node, OWL.sameAs, WIKIDATA[actor.wikidata]))
    if actor.state:
        state = minter.actor(actor_key(actor.state))
        graph.add((node, EVKG.partOf, state))
        graph.add((state, RDF.type, EVKG.Actor))
        graph.add((state, RDF.type, EVKG.Country))
        graph.add((state, RDFS.label, _string(actor.state)))


def _add_event(graph: Graph, minter: IriMinter, event: Event, source: URIRef) -> None:
    node = minter.event(event.key)
    graph.add((node, RDF.type, EVKG.Event))
    for event_type in event_lineage(event.type):  # "Bombing": a evkg:Bombing, evkg:Attack
        graph.add((node, RDF.type, EVKG[event_type]))
    graph.add((node, RDFS.label, _string(event.label)))
    if event.occurred_on:
        graph.add((node, EVKG.occurredOn, _date(event.occurred_on)))
    if event.place:
        place = minter.place(event.place)
        graph.add((place, RDF.type, EVKG.Place))
        graph.add((place, RDFS.label, _string(event.place)))
        graph.add((node, EVKG.place, place))
    graph.add((node, EVKG.mentionedIn, source))


def _add_evidence(graph: Graph, minter: IriMinter, span: TextSpan, sentence_index: int,
                  doc_id: str, source: URIRef) -> URIRef:
    node = minter.hashed("evidence", doc_id, span.start, span.end)
    graph.add((node, RDF.type, EVKG.Evidence))
    graph.add((node, EVKG.exact, _string(span.text)))
    graph.add((node, EVKG.start, _count(span.start)))
    graph.add((node, EVKG.end, _count(span.end)))
    graph.add((node, EVKG.sentenceIndex, _count(sentence_index)))
    graph.add((node, EVKG.reportedIn, source))
    return node


def statement_iri(minter: IriMinter, key: str) -> URIRef:
    return minter.hashed("statement", key)


def _add_statement(graph: Graph, minter: IriMinter, statement: Statement, labels: dict[str, str]) -> None:
    """The statement a claim of this document reports, as every document reporting it gives it."""
    node = statement_iri(minter, statement.key)
    kind = claim_kind(statement.kind)
    graph.add((node, RDF.type, EVKG.Statement))
    targets = ", ".join(labels.get(t, t) for t in statement.targets)
    graph.add((node, RDFS.label, _string(f"{labels.get(statement.claimant, statement.claimant)} "
                                         f"{statement.kind} {targets}")))
    graph.add((node, EVKG.claimant, minter.actor(statement.claimant)))
    for target in statement.targets:
        graph.add((node, EVKG.target, minter.actor(target)))
    graph.add((node, EVKG.kind, kind))
    if statement.event:
        graph.add((node, EVKG.aboutEvent, minter.event(statement.event)))
    graph.add((node, EVKG.sourceCount, _count(statement.sources)))
    if statement.earliest:
        graph.add((node, EVKG.earliestDate, _date(statement.earliest)))
    if statement.latest:
        graph.add((node, EVKG.latestDate, _date(statement.latest)))
    for answered in statement.responds_to:
        graph.add((node, EVKG.respondsTo, statement_iri(minter, answered)))


def _add_claim(graph: Graph, minter: IriMinter, claim: Claim, doc_id: str, source: URIRef) -> None:
    node = minter.hashed("claim", doc_id, claim.claimant, claim.kind, "|".join(claim.targets),
                         claim.event, claim.evidence.start, claim.evidence.end)
    kind = claim_kind(claim.kind)
    graph.add((node, RDF.type, EVKG.Claim))
    graph.add((node, EVKG.claimant, minter.actor(claim.claimant)))
    for target in claim.targets:
        graph.add((node, EVKG.target, minter.actor(target)))
    graph.add((node, EVKG.kind, kind))
    graph.add((kind, SKOS.notation, Literal(claim.kind)))
    graph.add((node, EVKG.hedged, Literal(claim.hedged)))
    if claim.event:
        graph.add((node, EVKG.aboutEvent, minter.event(claim.event)))
    if claim.said_on:
        graph.add((node, EVKG.saidOn, _date(claim.said_on)))
    graph.add((node, EVKG.cue, _string(claim.cue)))
    graph.add((node, EVKG.reportedIn, source))
    graph.add((node, EVKG.reportOf, statement_iri(minter, statement_key(claim))))
    graph.add((node, EVKG.evidence,
               _add_evidence(graph, minter, claim.evidence, claim.sentence_index, doc_id, source)))


def _add_figure(graph: Graph, minter: IriMinter, figure: Figure, doc_id: str, source: URIRef) -> None:
    node = minter.hashed("figure", doc_id, figure.measure, figure.value, figure.qualifier,
                         figure.event, figure.evidence.start)
    graph.add((node, RDF.type, EVKG.Figure))
    graph.add((node, EVKG.measure, _string(figure.measure)))
    graph.add((node, EVKG.value, Literal(figure.value, datatype=XSD.integer)))
    if figure.qualifier:
        graph.add((node, EVKG.qualifier, _string(figure.qualifier)))
    if figure.event:
        graph.add((node, EVKG.aboutEvent, minter.event(figure.event)))
    graph.add((node, EVKG.reportedIn, source))
    graph.add((node, EVKG.evidence,
               _add_evidence(graph, minter, figure.evidence, figure.sentence_index, doc_id, source)))
