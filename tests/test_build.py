"""`evkg build` writes a complete, consistent, valid and reproducible OUTDIR.

Checks the build contract of issue #2 on the sample articles (the session fixture
``sample_build``): every output file exists; manifest.json agrees with docs/<id>.ttl;
graph.trig holds exactly one named graph per document, equal to that document's Turtle;
graph.ttl is their union; validation.ttl says the build conforms and each document graph
conforms on its own; every class and property the pipeline emits is declared in the
ontology (checked by SPARQL); two builds give the same bytes; ``--base`` changes the IRIs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyshacl import validate as shacl_validate
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from pipeline.cli import main
from pipeline.ingest import read_inputs
from pipeline.model import Document
from pipeline.resources import ontology_path, shapes_path
from pipeline.vocab import DEFAULT_BASE

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "data" / "articles"

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")

DOC_IDS = sorted(p.stem for p in ARTICLES.glob("*.txt"))
OUTPUT_FILES = ("graph.trig", "graph.ttl", "validation.ttl", "manifest.json")
OTHER_BASE = "https://example.org/kg/"


def parse_ttl(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def triples(graph: Graph) -> set:
    return set(graph.triples((None, None, None)))


def graph_iri(doc_id: str, base: str = DEFAULT_BASE) -> URIRef:
    """The named graph of a document (docs/rdf-model.md: <base>graph/<doc-slug>)."""
    return URIRef(f"{base}graph/{doc_id}")


def output_files(outdir: Path) -> dict[str, bytes]:
    """Every output file of a build (the extraction cache and the store's database excluded: the
    store is compared by its quads, tests/test_store.py), by relative path."""
    files = {}
    for path in sorted(outdir.rglob("*")):
        rel = path.relative_to(outdir).as_posix()
        if path.is_file() and not rel.startswith((".evkg-cache/", "store/")):
            files[rel] = path.read_bytes()
    return files


@pytest.fixture(scope="module")
def manifest(sample_build) -> dict:
    return json.loads((sample_build / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def doc_graphs(sample_build) -> dict[str, Graph]:
    return {doc_id: parse_ttl(sample_build / "docs" / f"{doc_id}.ttl") for doc_id in DOC_IDS}


@pytest.fixture(scope="module")
def dataset(sample_build) -> Dataset:
    ds = Dataset()
    ds.parse(sample_build / "graph.trig", format="trig")
    return ds


# --------------------------------------------------------------------------------------------
# Files and manifest


def test_sample_articles_are_there():
    assert len(DOC_IDS) == 5, DOC_IDS


def test_every_output_file_exists(sample_build):
    for name in OUTPUT_FILES:
        path = sample_build / name
        assert path.is_file() and path.stat().st_size > 0, name
    docs = sorted(p.name for p in (sample_build / "docs").iterdir())
    assert docs == [f"{doc_id}.ttl" for doc_id in DOC_IDS], "one docs/<doc-id>.ttl per document, nothing else"


def test_manifest_has_one_ok_entry_per_document(manifest, doc_graphs):
    entries = manifest["documents"]
    assert sorted(e["id"] for e in entries) == DOC_IDS, "one manifest entry per input, no extra ones"
    hashes = {d.id: d.content_hash for d in read_inputs([ARTICLES]) if isinstance(d, Document)}
    for entry in entries:
        doc_id = entry["id"]
        assert {"id", "status", "triples", "content_hash", "message"} <= set(entry), entry
        assert entry["status"] == "ok", (doc_id, entry["status"], entry["message"])
        assert entry["message"] == "", entry
        assert entry["triples"] == len(doc_graphs[doc_id]) > 0, (
            f"{doc_id}: manifest says {entry['triples']} triples, docs/{doc_id}.ttl has {len(doc_graphs[doc_id])}")
        assert re.fullmatch(r"[0-9a-f]{64}", entry["content_hash"]), entry["content_hash"]
        assert entry["content_hash"] == hashes[doc_id]
    assert manifest["conforms"] is True
    assert manifest["base"] == DEFAULT_BASE
    assert manifest["counts"]["documents"] == len(DOC_IDS)
    assert manifest["counts"]["failed"] == 0
    assert manifest["counts"]["triples"] == sum(len(g) for g in doc_graphs.values())


def test_content_hash_follows_the_text(manifest, tmp_path):
    """The manifest's hash is of the document content: a changed article changes it."""
    changed = tmp_path / f"{DOC_IDS[0]}.txt"
    changed.write_text((ARTICLES / f"{DOC_IDS[0]}.txt").read_text(encoding="utf-8") + "\nOne more line.\n",
                       encoding="utf-8")
    (doc,) = [d for d in read_inputs([changed]) if isinstance(d, Document)]
    original = next(e for e in manifest["documents"] if e["id"] == DOC_IDS[0])
    assert doc.content_hash != original["content_hash"]


def test_no_blank_nodes(doc_graphs):
    """Every node has a deterministic IRI (blank nodes would break 'same input, same IRIs')."""
    for doc_id, graph in doc_graphs.items():
        blanks = [t for t in graph if any(isinstance(term, BNode) for term in t)]
        assert not blanks, (doc_id, blanks[:3])


# --------------------------------------------------------------------------------------------
# graph.trig and graph.ttl


def test_graph_trig_has_one_named_graph_per_document(dataset, doc_graphs):
    named = {g.identifier: g for g in dataset.graphs() if len(g) and g.identifier != dataset.default_graph.identifier}
    assert len(dataset.default_graph) == 0, "graph.trig puts everything in named graphs"
    assert set(named) == {graph_iri(doc_id) for doc_id in DOC_IDS}
    for doc_id, graph in doc_graphs.items():
        in_trig = triples(named[graph_iri(doc_id)])
        assert in_trig == triples(graph), (
            f"named graph of {doc_id} differs from docs/{doc_id}.ttl: "
            f"only in trig {sorted(in_trig - triples(graph))[:3]}, only in ttl {sorted(triples(graph) - in_trig)[:3]}")


def test_graph_ttl_is_the_union(sample_build, doc_graphs):
    union = set().union(*(triples(g) for g in doc_graphs.values()))
    assert triples(parse_ttl(sample_build / "graph.ttl")) == union


def test_graph_ttl_states_each_triple_once(sample_build, doc_graphs):
    import pyoxigraph as ox

    statements = list(ox.parse(path=str(sample_build / "graph.ttl"), format=ox.RdfFormat.TURTLE))
    repeated = sum(len(g) for g in doc_graphs.values())
    assert len(statements) == len(set(statements)) < repeated, "shared actors and events are stated once"


def test_shared_nodes_are_repeated_in_each_graph(doc_graphs):
    """Actors have one IRI across documents, and each graph that mentions one types and labels it."""
    seen: dict[URIRef, set[str]] = {}
    for doc_id, graph in doc_graphs.items():
        for actor in graph.subjects(RDF.type, URIRef("https://w3id.org/evkg/ontology#Actor")):
            seen.setdefault(actor, set()).add(doc_id)
            assert graph.value(actor, URIRef("http://www.w3.org/2000/01/rdf-schema#label")) is not None
    assert any(len(docs) > 1 for docs in seen.values()), "some actor should be shared by several documents"


# --------------------------------------------------------------------------------------------
# Validation


def test_validation_report_conforms(sample_build):
    report = parse_ttl(sample_build / "validation.ttl")
    (node,) = report.subjects(RDF.type, SH.ValidationReport)
    assert report.value(node, SH.conforms) == Literal(True)
    assert list(report.objects(node, SH.result)) == []


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(shapes_path(), format="turtle")


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_each_document_graph_conforms_on_its_own(doc_graphs, shapes, doc_id):
    conforms, _, text = shacl_validate(doc_graphs[doc_id], shacl_graph=shapes, inference="none")
    assert conforms, f"docs/{doc_id}.ttl does not conform on its own:\n{text}"


def test_union_conforms(sample_build, shapes):
    conforms, _, text = shacl_validate(parse_ttl(sample_build / "graph.ttl"), shacl_graph=shapes,
                                       inference="none")
    assert conforms, text


# --------------------------------------------------------------------------------------------
# Every emitted class and property is declared in the ontology

DATA_G = URIRef("urn:evkg-test:data")
ONTO_G = URIRef("urn:evkg-test:ontology")

UNDECLARED = f"""
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT DISTINCT ?term ?usage WHERE {{
  GRAPH <{DATA_G}> {{
    {{ ?s ?term ?o . BIND ("property" AS ?usage) }}
    UNION
    {{ ?s rdf:type ?term . BIND ("class" AS ?usage) }}
  }}
  FILTER (?term != rdf:type && ?term != owl:sameAs)  # OWL's own terms: an OWL 2 DL ontology cannot declare them
  FILTER NOT EXISTS {{
    GRAPH <{ONTO_G}> {{ ?term rdf:type ?declared . }}
    FILTER (
      (?usage = "class" && ?declared = owl:Class)
      || (?usage = "property" && ?declared IN (owl:ObjectProperty, owl:DatatypeProperty, owl:AnnotationProperty))
    )
  }}
}}
ORDER BY ?usage ?term
"""

USED = f"""
SELECT (COUNT(DISTINCT ?p) AS ?properties) (COUNT(DISTINCT ?c) AS ?classes) WHERE {{
  GRAPH <{DATA_G}> {{
    {{ ?s ?p ?o }} UNION {{ ?s a ?c }}
  }}
}}
"""


def undeclared_terms(data: Graph) -> list[tuple[str, str]]:
    ds = Dataset()
    ds.graph(DATA_G).parse(data=data.serialize(format="nt"), format="nt")
    ds.graph(ONTO_G).parse(ontology_path(), format="turtle")
    return [(str(row.usage), str(row.term)) for row in ds.query(UNDECLARED)]


def test_every_emitted_class_and_property_is_declared(sample_build):
    data = parse_ttl(sample_build / "graph.ttl")
    assert undeclared_terms(data) == [], "the pipeline emits terms the ontology does not declare"
    ds = Dataset()
    ds.graph(DATA_G).parse(data=data.serialize(format="nt"), format="nt")
    (row,) = ds.query(USED)
    assert int(row.properties) >= 20 and int(row.classes) >= 8, "the check ran on real output"


def test_declaration_check_catches_undeclared_terms(sample_build):
    """The SPARQL check is not vacuous: stray terms, and terms used as the wrong kind, are found."""
    data = parse_ttl(sample_build / "docs" / f"{DOC_IDS[0]}.ttl")
    evkg = "https://w3id.org/evkg/ontology#"
    node = URIRef(DEFAULT_BASE + "actor/stray")
    data.add((node, URIRef(evkg + "nickname"), Literal("x")))       # undeclared property
    data.add((node, RDF.type, URIRef(evkg + "Villain")))             # undeclared class
    data.add((node, RDF.type, URIRef(evkg + "claimant")))            # a property used as a class
    assert undeclared_terms(data) == [
        ("class", evkg + "Villain"), ("class", evkg + "claimant"), ("property", evkg + "nickname")]


# --------------------------------------------------------------------------------------------
# Determinism and --base


def test_same_input_gives_same_bytes(sample_build, tmp_path):
    """A second build, in another process with another hash seed, into another folder: same bytes."""
    outdir = tmp_path / "again"
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    proc = subprocess.run([sys.executable, "-m", "pipeline", "build", str(ARTICLES), "-o", str(outdir),
                           "--no-progress"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    first, second = output_files(sample_build), output_files(outdir)
    assert sorted(first) == sorted(second)
    differing = [name for name in first if first[name] != second[name]]
    assert differing == [], f"these outputs differ between two builds of the same input: {differing}"


def test_base_changes_instance_iris(sample_build, tmp_path):
    outdir = tmp_path / "based"
    # Reuse the extraction cache (it does not depend on the base) to keep the test fast.
    shutil.copytree(sample_build / ".evkg-cache", outdir / ".evkg-cache")
    result = CliRunner().invoke(main, ["build", str(ARTICLES), "-o", str(outdir), "--base", OTHER_BASE,
                                       "--no-progress"])
    assert result.exit_code == 0, result.output

    based = parse_ttl(outdir / "graph.ttl")
    default = parse_ttl(sample_build / "graph.ttl")
    terms = {term for t in based for term in t if isinstance(term, URIRef)}
    assert not [t for t in terms if t.startswith(DEFAULT_BASE)], "no IRI under the default base is left"
    subjects = {s for s in based.subjects()}
    assert subjects and all(s.startswith(OTHER_BASE) or s.startswith("https://w3id.org/evkg/ontology#")
                            for s in subjects)
    assert URIRef(OTHER_BASE + "actor/vladimir-putin") in subjects

    def rebase(term):
        if isinstance(term, URIRef) and term.startswith(OTHER_BASE):
            return URIRef(DEFAULT_BASE + term[len(OTHER_BASE):])
        return term

    rebased = {tuple(rebase(term) for term in t) for t in based}
    assert rebased == triples(default), "--base changes the instance IRIs and nothing else"

    ds = Dataset()
    ds.parse(outdir / "graph.trig", format="trig")
    named = {g.identifier for g in ds.graphs() if len(g) and g.identifier != ds.default_graph.identifier}
    assert named == {graph_iri(doc_id, OTHER_BASE) for doc_id in DOC_IDS}
    manifest = json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["base"] == OTHER_BASE
    assert all(e["status"] == "ok" for e in manifest["documents"])
    report = parse_ttl(outdir / "validation.ttl")
    assert report.value(next(report.subjects(RDF.type, SH.ValidationReport)), SH.conforms) == Literal(True)


def test_bad_base_is_refused(tmp_path):
    result = CliRunner().invoke(main, ["build", str(ARTICLES / f"{DOC_IDS[0]}.txt"), "-o", str(tmp_path / "o"),
                                       "--base", "not an iri"])
    assert result.exit_code != 0
    assert "base" in result.output.lower()
