"""Scale: --jobs N gives the same bytes as --jobs 1, incremental builds reuse per-document
results, long texts are parsed in pieces with exact offsets, and SHACL validation in batches
reports exactly what validating each document alone reports (GitHub issue #5)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from conftest import ARTICLES


def _tree(outdir: Path) -> dict[str, bytes]:
    """Every file of a build but the store's database (compared by its quads: tests/test_store.py)."""
    return {p.relative_to(outdir).as_posix(): p.read_bytes() for p in sorted(outdir.rglob("*"))
            if p.is_file() and p.relative_to(outdir).parts[0] != "store"}


def _outputs(outdir: Path) -> dict[str, bytes]:
    return {k: v for k, v in _tree(outdir).items() if not k.startswith(".evkg-cache/")}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The sample articles plus two generated ones (longer: two articles run together)."""
    folder = tmp_path_factory.mktemp("scale") / "articles"
    shutil.copytree(ARTICLES, folder)
    texts = [p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*.txt"))]
    (folder / "gen_a.txt").write_text(texts[0] + "\n\n" + texts[1], encoding="utf-8")
    (folder / "gen_b.txt").write_text(texts[2] + "\n\n" + texts[3] + "\n\n" + texts[4], encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def small_batches():
    """Several NLP and render batches even on a small corpus, so --jobs 2 really uses workers."""
    from pipeline import batching
    from pipeline import build as build_module

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(batching, "NLP_BATCH_CHARS", 4000)
        mp.setattr(build_module, "RENDER_BATCH_DOCS", 2)
        yield


@pytest.fixture(scope="module")
def built_jobs1(corpus, small_batches, tmp_path_factory) -> Path:
    from pipeline.build import build

    outdir = tmp_path_factory.mktemp("jobs1") / "out"
    report = build([corpus], outdir, jobs=1)
    assert report.exit_code == 0 and report.extracted == len(report.documents) == 7
    return outdir


def test_plan_batches_bounded_and_longest_first():
    from pipeline.batching import plan_batches

    sizes = [10, 500, 30, 30, 2000, 5, 400]
    plan = plan_batches(sizes, max_items=2, max_size=600)
    assert sorted(i for batch in plan for i in batch) == list(range(len(sizes)))
    assert plan[0] == [4]  # bigger than max_size: alone, and first
    for batch in plan:
        assert len(batch) <= 2 and (len(batch) == 1 or sum(sizes[i] for i in batch) <= 600)
    assert plan == plan_batches(sizes, max_items=2, max_size=600)


def test_jobs2_output_is_byte_identical(corpus, small_batches, built_jobs1, tmp_path):
    from pipeline.build import build

    outdir = tmp_path / "out"
    report = build([corpus], outdir, jobs=2)
    assert report.exit_code == 0 and report.extracted == 7
    assert _tree(outdir) == _tree(built_jobs1)  # the extraction cache too


def test_one_batch_in_process_is_byte_identical(corpus, small_batches, built_jobs1, tmp_path, monkeypatch):
    from pipeline import batching
    from pipeline import build as build_module

    monkeypatch.setattr(batching, "NLP_BATCH_CHARS", 10**9)
    monkeypatch.setattr(build_module, "RENDER_BATCH_DOCS", 10**6)
    outdir = tmp_path / "out"
    build_module.build([corpus], outdir, jobs=1)  # one task per stage: no worker process
    assert _tree(outdir) == _tree(built_jobs1)


def test_rerun_reuses_everything_and_one_change_rebuilds_only_it(corpus, small_batches, built_jobs1, tmp_path):
    from pipeline.build import build

    articles = tmp_path / "articles"
    shutil.copytree(corpus, articles)
    outdir = tmp_path / "out"
    shutil.copytree(built_jobs1, outdir)
    before = _tree(outdir)

    again = build([articles], outdir)
    assert again.extracted == 0 and again.rendered == 0
    assert all(d["reused"] for d in again.documents)
    assert "nlp" not in again.stage_seconds and "validate" not in again.stage_seconds
    after = _tree(outdir)
    assert after.pop("manifest.json").replace(str(articles).encode(), str(corpus).encode()) == \
        before.pop("manifest.json")  # only the inputs' folder differs
    assert after.pop("store.json") != before.pop("store.json")  # it names the manifest's hash
    assert after == before

    changed = articles / "002_843530625c114428.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nThe ministry said nothing more.\n",
                       encoding="utf-8")
    one = build([articles], outdir)
    assert one.extracted == 1
    by_id = {d["id"]: d for d in one.documents}
    assert by_id["002_843530625c114428"]["reused"] is False
    assert one.rendered < len(one.documents)

    fresh = tmp_path / "fresh"
    build([articles], fresh)
    assert _outputs(outdir) == _outputs(fresh)


def test_a_build_over_one_written_as_other_rdf_renders_every_document_anew(corpus, built_jobs1, tmp_path,
                                                                          monkeypatch):
    """The RDF revision is part of what a document's outputs depend on: Turtle an older evkg wrote
    (other datatypes, say) is not reused, while its extractions are."""
    import pipeline.build as build_module

    outdir = tmp_path / "out"
    shutil.copytree(built_jobs1, outdir)
    monkeypatch.setattr(build_module, "RDF_REVISION", build_module.RDF_REVISION + 1)
    again = build_module.build([corpus], outdir)
    assert again.exit_code == 0 and again.extracted == 0 and again.rendered == len(again.documents) > 0


def test_long_text_is_parsed_in_pieces_with_exact_offsets():
    from pipeline.extract import extract
    from pipeline.ingest import make_document, nlp_text
    from pipeline.lexicon import load_lexicon
    from pipeline.nlp import load_nlp, parse_texts, split_text

    text = "\n\n".join(p.read_text(encoding="utf-8").strip() for p in sorted(ARTICLES.glob("*.txt"))[:3])
    for limit in (1, 7, 80, 300, 1000):
        pieces = split_text(text, limit)
        assert "".join(pieces) == text and all(len(p) <= limit for p in pieces)
    assert all(p.endswith("\n\n") for p in split_text(text, 1000)[:-1])  # paragraph boundaries

    nlp = load_nlp()
    document = make_document("long", text, "long.txt")
    doc = next(parse_texts(nlp, [nlp_text(document), "A short one."], max_length=400))
    assert doc.text == nlp_text(document) and len(text) > 400
    for token in doc:
        assert doc.text[token.idx: token.idx + len(token.text)] == token.text
    # every piece's annotations survive the merge: parse, sentences, entities (evkg's actor ruler)
    assert doc.has_annotation("DEP") and doc.has_annotation("SENT_START") and doc.has_annotation("LEMMA")
    assert doc.ents and any(e.ent_id_ for e in doc.ents), "the actor ruler's entities are on the merged Doc"
    for entity in doc.ents:
        assert doc.text[entity.start_char: entity.end_char] == entity.text

    extraction = extract(doc, document, load_lexicon())
    assert extraction.claims and extraction.actors
    for claim in extraction.claims:
        assert text[claim.sentence.start: claim.sentence.end] == claim.sentence.text
    for mention in extraction.actors:  # offsets into the whole text, not into a piece
        assert 0 <= mention.start < mention.end <= len(text)
        assert mention.surface.endswith(text[mention.start: mention.end])
        assert text.find(mention.surface, mention.end - len(mention.surface)) == mention.end - len(mention.surface)
    for figure in extraction.figures:
        assert text[figure.sentence.start: figure.sentence.end] == figure.sentence.text


def test_text_beyond_max_length_is_processed_not_rejected():
    from pipeline.build import _extract_batch
    from pipeline.ingest import make_document
    from pipeline.nlp import load_nlp

    text = "\n\n".join(p.read_text(encoding="utf-8").strip() for p in sorted(ARTICLES.glob("*.txt"))[:2])
    nlp = load_nlp()
    saved = nlp.max_length
    nlp.max_length = 500
    try:
        (extraction,), seconds = _extract_batch([make_document("long", text, "long.txt")], ())
    finally:
        nlp.max_length = saved
    assert len(text) > 500 and extraction.actors and seconds["nlp"] > 0
    for mention in extraction.actors:
        assert 0 <= mention.start < mention.end <= len(text)


# SHACL in batches ---------------------------------------------------------------------------


def _graphs():
    """Document graphs sharing actors: alone, A breaks a rule (its claim targets an actor it
    does not describe) that B hides in a union, and B and C label one actor differently, which
    a union would report as two labels."""
    from pipeline.model import Actor, Claim, Document, ResolvedDocument, TextSpan
    from pipeline.rdf import IriMinter, document_graph

    def doc(doc_id, actors, claims=()):
        return ResolvedDocument(document=Document(id=doc_id, text="x", origin=doc_id, title=doc_id,
                                                  published=date(2024, 3, 27)),
                                actors=tuple(actors), claims=tuple(claims))

    putin = Actor(key="vladimir putin", label="Vladimir Putin", type="Person")
    isis = Actor(key="islamic state", label="Islamic State", type="Group")
    claim = Claim(claimant="vladimir putin", targets=("islamic state",), kind="accuses", hedged=False,
                  cue="blamed", evidence=TextSpan(0, 1, "x"), sentence_index=0)
    minter = IriMinter()
    return [
        document_graph(doc("a", [putin], [claim]), minter),
        document_graph(doc("b", [putin, isis], [claim]), minter),
        document_graph(doc("c", [Actor(key="vladimir putin", label="V. Putin", type="Person")]), minter),
        document_graph(doc("d", [isis]), minter),
    ]


def test_batched_validation_reports_what_each_graph_reports_alone():
    from pipeline.validate import validate_graph, validate_graphs

    graphs = _graphs()
    alone = [validate_graph(g) for g in graphs]
    assert [r.conforms for r in alone] == [False, True, True, True]
    assert any("target" in v.path for v in alone[0].violations)
    batched = validate_graphs(graphs)
    assert [(r.conforms, r.violations) for r in batched] == [(r.conforms, r.violations) for r in alone]


def test_batched_validation_on_real_documents(sample_resolved):
    from pipeline.rdf import IriMinter, document_graph
    from pipeline.validate import validate_graph, validate_graphs

    minter = IriMinter()
    graphs = [document_graph(item, minter) for item in sample_resolved] + _graphs()
    batched = validate_graphs(graphs)
    assert [(r.conforms, r.violations) for r in batched] == \
        [(r.conforms, r.violations) for r in map(validate_graph, graphs)]


def _counting_shacl(monkeypatch) -> list:
    """Counts pyshacl calls (pipeline.validate._shacl)."""
    from pipeline import validate

    calls = []
    real = validate._shacl

    def counted(data, shapes_graph):
        calls.append(len(data))
        return real(data, shapes_graph)

    monkeypatch.setattr(validate, "_shacl", counted)
    return calls


def test_sample_documents_are_validated_in_one_call(sample_resolved, monkeypatch):
    """The shipped shapes (with an sh:pattern on owl:sameAs and an inverse path from statements
    to their reports) still let a batch of documents that share actors, statements, events
    and Wikidata IRIs be checked in one pyshacl call."""
    from rdflib.namespace import OWL

    from pipeline.rdf import IriMinter, document_graph
    from pipeline.validate import validate_graphs

    minter = IriMinter()
    graphs = [document_graph(item, minter) for item in sample_resolved]
    linked = [g for g in graphs if any(True for _ in g.triples((None, OWL.sameAs, None)))]
    assert len(linked) >= 2  # one Wikidata IRI shared by graphs: kept, not renamed
    calls = _counting_shacl(monkeypatch)
    results = validate_graphs(graphs)
    assert all(r.conforms for r in results)
    assert len(calls) == 1


def test_batched_validation_names_the_invalid_document(sample_resolved, monkeypatch):
    """A document whose claims no longer report a statement other documents of the batch also
    report, and whose actor links to a malformed Wikidata IRI, is found invalid, alone, with
    the violations it has alone under the original IRIs; in the same single call."""
    from rdflib import URIRef
    from rdflib.namespace import OWL

    from pipeline.rdf import IriMinter, document_graph
    from pipeline.validate import _MARK, validate_graph, validate_graphs
    from pipeline.vocab import EVKG

    minter = IriMinter()
    graphs = [document_graph(item, minter) for item in sample_resolved]
    reports = [{s for _, _, s in g.triples((None, EVKG.reportOf, None))} for g in graphs]
    shared = {s for i, r in enumerate(reports) for s in r
              if any(s in other for j, other in enumerate(reports) if j != i)}
    broken = next(i for i, r in enumerate(reports) if r & shared)
    statement = sorted(reports[broken] & shared)[0]
    for claim in list(graphs[broken].subjects(EVKG.reportOf, statement)):
        graphs[broken].remove((claim, EVKG.reportOf, statement))
    actor = next(graphs[broken].subjects(EVKG.mentionedIn, None))
    graphs[broken].add((actor, OWL.sameAs, URIRef("http://www.wikidata.org/entity/not-a-qid")))

    alone = [validate_graph(g) for g in graphs]
    assert [r.conforms for r in alone] == [i != broken for i in range(len(graphs))]
    calls = _counting_shacl(monkeypatch)
    batched = validate_graphs(graphs)
    assert len(calls) == 1
    assert [(r.conforms, r.violations) for r in batched] == [(r.conforms, r.violations) for r in alone]
    violations = batched[broken].violations
    assert str(statement) in {v.focus for v in violations}  # the statement no claim reports
    assert str(actor) in {v.focus for v in violations if v.path == str(OWL.sameAs)}
    assert not any(_MARK in v.focus or _MARK in v.message for v in violations)


_EX_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:ThingShape a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:first ; sh:lessThan ex:second ] ,
                [ sh:path ex:home ; sh:pattern "^http://example.org/" ] .
ex:HubShape a sh:NodeShape ; sh:targetClass ex:Hub ;
    sh:property [ sh:path [ sh:inversePath ex:linksTo ] ; sh:maxCount 1 ] , [ sh:path ex:has ; sh:maxCount 1 ] .
"""


def _ex_graph(text: str):
    from rdflib import Graph

    return Graph().parse(data="@prefix ex: <http://example.org/> .\n" + text, format="turtle")


def test_batched_validation_keeps_the_iris_whose_spelling_is_compared(tmp_path):
    """pyshacl compares IRIs with sh:lessThan as strings: the values of the paths compared are
    never renamed, so a batch orders them as each graph alone does."""
    from pipeline.validate import validate_graph, validate_graphs

    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(_EX_SHAPES, encoding="utf-8")
    # <…/a> < <…/a0>, but <…/a_renamed> > <…/a0_renamed>
    graphs = [_ex_graph(f"ex:t{i} a ex:Thing ; ex:first ex:a ; ex:second ex:a0 .") for i in range(2)]
    alone = [validate_graph(g, shapes) for g in graphs]
    assert all(r.conforms for r in alone)
    assert [(r.conforms, r.violations) for r in validate_graphs(graphs, shapes)] == \
        [(r.conforms, r.violations) for r in alone]


@pytest.mark.parametrize("hub", ["ex:t{i} ex:linksTo ex:hub .", "ex:hub ex:has ex:part . ex:part a ex:Thing ."],
                         ids=["walked-back-to", "points-to-a-renamed-node"])
def test_batched_validation_checks_alone_the_graphs_of_a_kept_node_a_union_would_change(hub, tmp_path, monkeypatch):
    """A node kept shared (here: its spelling is checked) that an inverse path walks back to, or
    that points to a node renamed apart, would have the links of every graph in a union: its
    graphs are checked alone."""
    from pipeline.validate import validate_graph, validate_graphs

    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(_EX_SHAPES, encoding="utf-8")
    graphs = [_ex_graph(f"ex:t{i} a ex:Thing ; ex:home ex:hub . ex:hub a ex:Hub . " + hub.format(i=i))
              for i in range(2)]
    graphs.append(_ex_graph("ex:other a ex:Thing ; ex:home ex:elsewhere ."))
    alone = [validate_graph(g, shapes) for g in graphs]
    assert all(r.conforms for r in alone)
    calls = _counting_shacl(monkeypatch)
    assert [(r.conforms, r.violations) for r in validate_graphs(graphs, shapes)] == \
        [(r.conforms, r.violations) for r in alone]
    assert len(calls) == 3  # the two graphs sharing the hub alone, and the third (a batch of one)
