"""The claims that are unambiguously in the sample articles are extracted, resolved and emitted.

Only claims a careful reader finds in the text are asserted (extraction keeps improving, so
the full output is deliberately not pinned, and no row is asserted absent). Each expected claim
is checked twice: in memory (``sample_resolved``) and in the RDF of the document
(``sample_build``/docs/<id>.ttl). Then: one IRI per actor label across the corpus, "Putin" and
"President Putin" are Vladimir Putin, and every evidence span is the document text at
[start:end].
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from pipeline.model import ActorMention
from pipeline.vocab import DEFAULT_BASE

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "data" / "articles"
EVKG = Namespace("https://w3id.org/evkg/ontology#")
DOC_IDS = sorted(p.stem for p in ARTICLES.glob("*.txt"))
CROCUS = "Crocus City Hall attack"
PUTIN = "Vladimir Putin"
ISKP = "Islamic State Khorasan Province"


def doc_id(prefix: str) -> str:
    (found,) = [d for d in DOC_IDS if d.startswith(prefix + "_")]
    return found


@dataclass(frozen=True)
class Expected:
    doc: str  # "000" .. "004"
    claimant: str  # canonical label
    kind: str
    target: Optional[str] = None  # None: any target (claims of responsibility name the claimant)
    hedged: Optional[bool] = None  # None: not asserted
    said_on: Optional[str] = None  # None: not asserted
    why: str = ""

    def __str__(self) -> str:
        extra = "".join(f" {k}={v}" for k, v in (("hedged", self.hedged), ("said_on", self.said_on)) if v is not None)
        return f"{self.doc}: {self.claimant} {self.kind} {self.target or '*'}{extra}"


EXPECTED = [
    # 000: gold has hedged=true ("preliminary blame"); hedging is not asserted here
    Expected("000", PUTIN, "accuses", "Ukraine",
             why="President Vladimir Putin has attributed preliminary blame to Ukrainian facilitators"),
    Expected("000", ISKP, "claims_responsibility",
             why="claims of responsibility by the Islamic State Khorasan Province"),
    Expected("001", ISKP, "claims_responsibility",
             why="IS-K preemptively claimed responsibility for the massacre"),
    Expected("001", "David Cameron", "disputes", "Russia",
             why='David Cameron labeled Russia\'s claims as "utter nonsense"'),
    Expected("001", "Maria Zakharova", "disputes", ISKP,
             why="Maria Zakharova expressed skepticism towards Islamic State Khorasan's (IS-K) claim"),
    Expected("001", "Maria Zakharova", "accuses", "Ukraine", hedged=True,
             why="instead suggesting Ukraine's involvement"),
    Expected("001", PUTIN, "accuses", "Ukraine", hedged=True,
             why="Putin echoed this sentiment, hinting at Kyiv's advantage in the tragedy without direct accusations"),
    Expected("002", ISKP, "claims_responsibility",
             why="the terror organisation ISIS-K has publicly claimed responsibility for the attack"),
    Expected("002", "Islamic State", "claims_responsibility", said_on="2024-03-22",
             why="The Islamic State has claimed responsibility for the attack, first on Friday"),
    Expected("002", "the West", "confirms", ISKP,
             why="the West has said that it has intelligence that backs these claims"),
    Expected("002", "United States", "confirms", "Islamic State",
             why="The US has maintained that it has intelligence that confirms that the Islamic State is responsible"),
    # 002: gold has hedged=true ("he suspects Ukraine's hand"); hedging is not asserted here
    Expected("002", PUTIN, "accuses", "Ukraine",
             why="Putin said that he suspects Ukraine's hand in the brutal assault"),
    Expected("002", "United States", "warns", "Russia", hedged=False,
             why="US claims it warned Russia"),
    Expected("003", "United States", "warns", "Russia",
             why="The US had warned Moscow about ISIS militants planning to target Russia"),
    Expected("003", "United States", "accuses", "Islamic State",
             why="The US had warned Moscow about ISIS militants planning to target Russia"),
    Expected("003", "United States", "confirms", "Islamic State", said_on="2024-03-22",
             why="On Friday, a US official stated that Washington had no reason to doubt ISIS' claim"),
    Expected("003", PUTIN, "disputes", "United States", said_on="2024-03-19",
             why='In a speech on Tuesday, Putin criticized the American warnings, calling them "provocative"'),
    Expected("003", PUTIN, "accuses", "United States", said_on="2024-03-19",
             why="In a speech on Tuesday, Putin ... accusing the US of using blackmail tactics"),
    Expected("003", "Islamic State", "claims_responsibility",
             why="Washington had no reason to doubt ISIS' claim of responsibility"),
    Expected("004", "United States", "warns", "Russia", said_on="2024-03-06",
             why="On March 6, the United States ... communicated to Moscow the risk of a terrorist attack"),
    Expected("004", "Islamic State", "claims_responsibility",
             why="the deadliest attack on Russian soil in nearly two decades, claimed by the Islamic State"),
    Expected("004", PUTIN, "disputes", "United States",
             why="Russian authorities, including ... President Putin, criticized the information as too general"),
    Expected("004", "United States", "disputes", PUTIN,
             why="Russian officials, including President Putin, insinuated ... a claim that was promptly refuted by U.S. officials"),
    Expected("004", PUTIN, "accuses", "Ukraine", hedged=True,
             why="insinuated without evidence that Ukraine might be involved in the attack"),
]


# --------------------------------------------------------------------------------------------
# In memory: sample_resolved


@pytest.fixture(scope="module")
def resolved_by_id(sample_resolved):
    return {r.document.id: r for r in sample_resolved}


def describe_claims(resolved) -> str:
    labels = {a.key: a.label for a in resolved.actors}
    lines = [f"  {labels.get(c.claimant, c.claimant)} {c.kind} {[labels.get(t, t) for t in c.targets]}"
             f" hedged={c.hedged} said_on={c.said_on} cue={c.cue!r}" for c in resolved.claims]
    return "\n".join(lines) or "  (no claims)"


@pytest.mark.parametrize("expected", EXPECTED, ids=str)
def test_expected_claim_is_resolved(resolved_by_id, expected):
    resolved = resolved_by_id[doc_id(expected.doc)]
    labels = {a.key: a.label for a in resolved.actors}
    matches = [
        c for c in resolved.claims
        if labels.get(c.claimant) == expected.claimant and c.kind == expected.kind
        and (expected.target is None or expected.target in [labels.get(t) for t in c.targets])
    ]
    assert matches, (f"missing claim {expected} ({expected.why!r}); "
                     f"{resolved.document.id} has:\n{describe_claims(resolved)}")
    if expected.hedged is not None:
        assert any(c.hedged is expected.hedged for c in matches), (
            f"{expected}: found with hedged={[c.hedged for c in matches]}")
    if expected.said_on is not None:
        assert any(c.said_on == datetime.date.fromisoformat(expected.said_on) for c in matches), (
            f"{expected}: found with said_on={[str(c.said_on) for c in matches]}")


def test_responsibility_claims_are_about_the_crocus_attack(sample_resolved):
    """Every claim of responsibility in the sample is about the attack of 22 March 2024."""
    found = 0
    for resolved in sample_resolved:
        events = {e.key: e for e in resolved.events}
        for claim in resolved.claims:
            if claim.kind == "claims_responsibility":
                found += 1
                assert claim.event in events, (resolved.document.id, claim)
                event = events[claim.event]
                assert event.label == CROCUS, (resolved.document.id, event)
                assert event.occurred_on == datetime.date(2024, 3, 22), (resolved.document.id, event)
    assert found >= 2


# --------------------------------------------------------------------------------------------
# In RDF: sample_build/docs/<id>.ttl

CLAIM_ROWS = """
PREFIX evkg: <https://w3id.org/evkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?claimant ?kind ?target ?hedged ?said_on WHERE {
  ?claim a evkg:Claim ; evkg:claimant ?c ; evkg:target ?t ; evkg:kind ?k ; evkg:hedged ?hedged .
  ?k skos:notation ?kind .
  ?c rdfs:label ?claimant .
  ?t rdfs:label ?target .
  OPTIONAL { ?claim evkg:saidOn ?said_on }
}
"""


@pytest.fixture(scope="module")
def rdf_rows(sample_build):
    rows = {}
    for doc in DOC_IDS:
        graph = Graph().parse(sample_build / "docs" / f"{doc}.ttl", format="turtle")
        rows[doc] = [
            (str(r.claimant), str(r.kind), str(r.target), r.hedged.toPython(),
             str(r.said_on) if r.said_on is not None else None)
            for r in graph.query(CLAIM_ROWS)
        ]
    return rows


@pytest.mark.parametrize("expected", EXPECTED, ids=str)
def test_expected_claim_is_in_the_rdf(rdf_rows, expected):
    rows = rdf_rows[doc_id(expected.doc)]
    matches = [r for r in rows if r[0] == expected.claimant and r[1] == expected.kind
               and (expected.target is None or r[2] == expected.target)]
    assert matches, f"missing in docs/{doc_id(expected.doc)}.ttl: {expected}; rows: {sorted(rows)}"
    if expected.hedged is not None:
        assert any(r[3] is expected.hedged for r in matches), (expected, matches)
    if expected.said_on is not None:
        assert any(r[4] == expected.said_on for r in matches), (expected, matches)


# --------------------------------------------------------------------------------------------
# Actors: one IRI per label; Putin is Vladimir Putin


@pytest.fixture(scope="module")
def union(sample_build) -> Graph:
    return Graph().parse(sample_build / "graph.ttl", format="turtle")


def test_every_actor_label_has_exactly_one_iri(union):
    iris_by_label = defaultdict(set)
    labels_by_iri = defaultdict(set)
    for actor in union.subjects(RDF.type, EVKG.Actor):
        for label in union.objects(actor, RDFS.label):
            iris_by_label[" ".join(str(label).casefold().split())].add(actor)
            labels_by_iri[actor].add(str(label))
    assert len(labels_by_iri) >= 8
    assert {k: v for k, v in iris_by_label.items() if len(v) > 1} == {}, "one actor label, several IRIs"
    assert {k: v for k, v in labels_by_iri.items() if len(v) > 1} == {}, "one actor IRI, several labels"


def test_every_actor_label_has_one_key_in_memory(sample_resolved):
    keys_by_label = defaultdict(set)
    for resolved in sample_resolved:
        for actor in resolved.actors:
            keys_by_label[actor.label].add(actor.key)
    assert {k: v for k, v in keys_by_label.items() if len(v) > 1} == {}


def test_vladimir_putin_is_one_actor_across_documents(union, sample_resolved):
    putin = URIRef(DEFAULT_BASE + "actor/vladimir-putin")
    assert union.value(putin, RDFS.label) == Literal(PUTIN)
    assert (putin, RDF.type, EVKG.Person) in union
    mentioned_in = {str(union.value(s, EVKG.documentId)) for s in union.objects(putin, EVKG.mentionedIn)}
    assert {doc_id("000"), doc_id("001"), doc_id("002"), doc_id("003")} <= mentioned_in
    putin_like = [(r.document.id, a.label) for r in sample_resolved for a in r.actors
                  if "putin" in a.label.casefold() or any("putin" in x.casefold() for x in a.aliases)]
    assert putin_like and all(label == PUTIN for _, label in putin_like), putin_like
    aliases = {str(a) for a in union.objects(putin, SKOS.altLabel)}
    assert "Putin" in aliases, "the bare surname used in 002/003 is recorded as an alias"


@pytest.fixture(scope="module")
def sample_extractions():
    from pipeline.build import extract_documents
    from pipeline.ingest import read_inputs
    from pipeline.model import Document

    documents = [d for d in read_inputs([ARTICLES]) if isinstance(d, Document)]
    return list(extract_documents(documents))


@pytest.mark.parametrize("doc", ["000", "002", "003", "004"])
@pytest.mark.parametrize("surface,role", [("Putin", None), ("President Putin", "President"),
                                          ("Russian President Putin", "Russian President")])
def test_putin_and_president_putin_resolve_to_vladimir_putin(sample_extractions, doc, surface, role):
    """A bare "Putin" (with or without a title) anywhere in the corpus is Vladimir Putin."""
    from pipeline.lexicon import load_lexicon
    from pipeline.resolve import ActorResolver

    resolver = ActorResolver(sample_extractions, load_lexicon())
    mention = ActorMention(name="Putin", type="Person", start=0, end=len(surface), surface=surface, role=role)
    extraction = next(e for e in sample_extractions if e.document.id == doc_id(doc))
    assert resolver.label(mention, resolver.contribution(extraction)) == PUTIN


def test_putin_mentions_in_the_text_resolve_to_vladimir_putin(sample_extractions):
    """Every actor mention extract found naming Putin ("Putin", "President Putin" in 004) resolves."""
    from pipeline.lexicon import load_lexicon
    from pipeline.resolve import ActorResolver

    resolver = ActorResolver(sample_extractions, load_lexicon())
    seen = set()
    for extraction in sample_extractions:
        mentions = list(extraction.actors)
        for claim in extraction.claims:
            mentions += [claim.claimant, *claim.targets]
        for mention in mentions:
            if "Putin" in mention.name:
                seen.add(mention.surface or mention.name)
                assert resolver.label(mention, resolver.contribution(extraction)) == PUTIN, (
                    extraction.document.id, mention)
    assert "Putin" in seen, seen


# --------------------------------------------------------------------------------------------
# Evidence is the document text at [start:end]


def article_text(doc: str) -> str:
    return (ARTICLES / f"{doc}.txt").read_text(encoding="utf-8")


def test_evidence_spans_match_the_text_in_memory(sample_resolved):
    checked = 0
    for resolved in sample_resolved:
        text = article_text(resolved.document.id)
        assert resolved.document.text == text
        for item in (*resolved.claims, *resolved.figures):
            span = item.evidence
            assert 0 <= span.start < span.end <= len(text), (resolved.document.id, span)
            assert text[span.start:span.end] == span.text, (resolved.document.id, span)
            assert span.text.strip(), (resolved.document.id, span)
            checked += 1
    assert checked >= 20


EVIDENCE_ROWS = """
PREFIX evkg: <https://w3id.org/evkg/ontology#>
SELECT ?ev ?exact ?start ?end WHERE {
  ?x evkg:evidence ?ev .
  ?ev evkg:exact ?exact ; evkg:start ?start ; evkg:end ?end .
}
"""


@pytest.mark.parametrize("doc", DOC_IDS)
def test_evidence_spans_match_the_text_in_rdf(sample_build, doc):
    graph = Graph().parse(sample_build / "docs" / f"{doc}.ttl", format="turtle")
    text = article_text(doc)
    rows = list(graph.query(EVIDENCE_ROWS))
    assert rows, f"{doc} has no evidence"
    for row in rows:
        start, end = int(row.start), int(row.end)
        assert text[start:end] == str(row.exact), (doc, str(row.ev), start, end, str(row.exact)[:80])
    claims = set(graph.subjects(RDF.type, EVKG.Claim)) | set(graph.subjects(RDF.type, EVKG.Figure))
    assert claims == {x for x in claims if graph.value(x, EVKG.evidence) is not None}
