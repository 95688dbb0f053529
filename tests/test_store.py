"""The build's persistent Oxigraph store: it holds graph.trig's quads after every build, queries
read it, and a build that fails or stops never leaves it disagreeing with the files that
readers use (GitHub issue #13)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import ARTICLES

CHANGED = "002_843530625c114428"
REMOVED = "003_4b8d16c853d2c68c"


def _quads(store: ox.Store) -> set:
    return set(store.quads_for_pattern(None, None, None, None))


def _trig_quads(outdir: Path) -> set:
    """graph.trig's quads as written: parsed, not loaded into a store (which would normalise its
    literals as the build's store does, and hide the difference)."""
    return set(ox.parse(path=str(outdir / "graph.trig"), format=ox.RdfFormat.TRIG))


def _store_quads(outdir: Path) -> set:
    from pipeline.store import open_build_store

    store = open_build_store(outdir)
    assert store is not None, "the store matches the manifest"
    return _quads(store)


def _rows_of_every_canned_query(store: ox.Store) -> dict[str, list]:
    from pipeline.query import bind_params, list_queries, run_query

    required = {"actor": "https://w3id.org/evkg/id/actor/vladimir-putin"}  # claims-by-actor's
    return {q.name: run_query(bind_params(q, {p.name: required[p.name] for p in q.params if p.required}), store).rows
            for q in list_queries()}


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    """A build of the samples, then an incremental rebuild with one changed and one removed."""
    from pipeline.build import build

    root = tmp_path_factory.mktemp("store")
    articles = root / "articles"
    shutil.copytree(ARTICLES, articles)
    assert (articles / f"{REMOVED}.txt").exists()
    outdir = root / "out"
    assert build([articles], outdir).exit_code == 0
    first = {"trig": _trig_quads(outdir), "store": _store_quads(outdir)}
    changed = articles / f"{CHANGED}.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nThe ministry said nothing more.\n", encoding="utf-8")
    (articles / f"{REMOVED}.txt").unlink()
    again = build([articles], outdir)
    assert again.exit_code == 0 and again.extracted == 1
    return articles, outdir, first


def test_the_store_holds_graph_trigs_quads_after_a_build(rebuilt):
    """The very quads: a literal the store would normalise (a derived integer type, a number not
    in its canonical form) differs from graph.trig's."""
    _, _, first = rebuilt
    assert first["store"] == first["trig"] and len(first["trig"]) > 1000
    typed = {q.object.datatype.value.rpartition("#")[2] for q in first["trig"] if isinstance(q.object, ox.Literal)}
    assert {"integer", "boolean", "date", "string"} <= typed


def test_after_a_change_and_a_removal_the_store_still_holds_graph_trigs_quads(rebuilt):
    from pipeline.rdf import IriMinter

    _, outdir, first = rebuilt
    quads = _store_quads(outdir)
    assert quads == _trig_quads(outdir) and quads != first["store"]
    graphs = {q.graph_name.value for q in quads}
    assert str(IriMinter().graph(REMOVED)) not in graphs and str(IriMinter().graph(CHANGED)) in graphs


def test_queries_give_the_same_rows_from_the_store_as_from_graph_trig(rebuilt):
    from pipeline.query import open_store

    _, outdir, _ = rebuilt
    persistent = open_store([outdir])
    assert _quads(persistent) == _store_quads(outdir)  # the folder opens the store, not a parse
    rows = _rows_of_every_canned_query(persistent)
    assert rows["who-blamed-whom"], "the samples have accusations"
    assert rows == _rows_of_every_canned_query(open_store([outdir / "graph.trig"]))


def test_query_reads_the_store_without_graph_trig_and_graph_trig_without_the_store(rebuilt, tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import main

    _, outdir, _ = rebuilt
    runner = CliRunner()
    expected = runner.invoke(main, ["query", "who-blamed-whom", "--data", str(outdir), "--format", "json"])
    assert expected.exit_code == 0

    no_trig = tmp_path / "no-trig"
    shutil.copytree(outdir, no_trig)
    (no_trig / "graph.trig").unlink()  # a parse would fail: the rows come from the store
    assert runner.invoke(main, ["query", "who-blamed-whom", "--data", str(no_trig), "--format", "json"]
                         ).output == expected.output

    older = tmp_path / "older"  # a build made before the store existed
    shutil.copytree(outdir, older)
    shutil.rmtree(older / "store")
    (older / "store.json").unlink()
    assert runner.invoke(main, ["query", "who-blamed-whom", "--data", str(older), "--format", "json"]
                         ).output == expected.output


def test_a_failed_build_leaves_the_store_with_the_files_it_matches(rebuilt, tmp_path, monkeypatch):
    import pipeline.build

    _, outdir, _ = rebuilt
    articles, out = tmp_path / "articles", tmp_path / "out"
    shutil.copytree(rebuilt[0], articles)
    shutil.copytree(outdir, out)
    before = {"trig": _trig_quads(out), "state": (out / "store.json").read_bytes()}
    (articles / "fresh.txt").write_text("The council accused the mayor of lying about the budget.\n",
                                        encoding="utf-8")

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device", str(out / "graph.trig"))

    monkeypatch.setattr(pipeline.build, "assemble", full_disk)
    with pytest.raises(pipeline.build.BuildFailed):
        pipeline.build.build([articles], out)
    assert (out / "store.json").read_bytes() == before["state"]
    assert _store_quads(out) == _trig_quads(out) == before["trig"]


def test_a_build_stopped_before_its_store_is_updated_falls_back_and_the_next_build_resyncs(
        rebuilt, tmp_path, monkeypatch):
    import pipeline.build
    from pipeline.query import open_store
    from pipeline.store import open_build_store

    _, outdir, _ = rebuilt
    articles, out = tmp_path / "articles", tmp_path / "out"
    shutil.copytree(rebuilt[0], articles)
    shutil.copytree(outdir, out)
    (articles / "late.txt").write_text("The union accused the company of hiding the accident.\n", encoding="utf-8")

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(pipeline.build, "update_store", stopped)
        with pytest.raises(KeyboardInterrupt):
            pipeline.build.build([articles], out)
    # the files are committed, the store is one build behind: readers parse graph.trig
    assert open_build_store(out) is None
    assert _quads(open_store([out])) == _trig_quads(out)
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["counts"]["documents"] == 5

    assert pipeline.build.build([articles], out).exit_code == 0
    assert _store_quads(out) == _trig_quads(out)


# The build's per-document records -------------------------------------------------------------


def test_streaming_resolution_over_the_record_store_gives_what_resolving_in_memory_gives(tmp_path):
    from pipeline.build import extract_documents
    from pipeline.ingest import read_inputs
    from pipeline.records import RecordStore
    from pipeline.resolve import CorpusResolver, resolve

    documents = sorted(read_inputs([ARTICLES]), key=lambda d: d.id)
    extractions = list(extract_documents(documents))
    records = RecordStore(tmp_path / "records.sqlite")
    for extraction in reversed(extractions):  # as they finish, in any order
        records.put_extraction(extraction)
    resolver = CorpusResolver()
    resolver.learn(records.extractions())  # in id order, whatever order they were put in
    resolver.count_statements(records.extractions())
    assert list(resolver.documents(records.extractions())) == resolve(extractions)
    records.close()
    assert not (tmp_path / "records.sqlite").exists()


def test_the_record_store_gives_documents_in_pythons_id_order_whatever_their_characters(tmp_path):
    from pipeline.model import Document
    from pipeline.output import doc_file_name
    from pipeline.records import RecordStore

    # accents, a character beyond the BMP, a lone surrogate (an undecodable file name) and an
    # upper-case letter: SQLite's text order could differ from sorted() on any of them
    ids = ["b", "a\u00e9", "a\U0001f600", "a\udcff", "aZ", "a\uffff", "a"]
    records = RecordStore(tmp_path / "records.sqlite")
    for doc_id in ids:
        records.put_input(doc_id, f"feed.jsonl:{doc_id}", "key")
        records.put_entry({"id": doc_id, "file": doc_file_name(doc_id), "reused": doc_id == "b"})
    assert [e["id"] for e in records.entries()] == sorted(ids)
    assert [e["id"] for e in records.entries(changed=False)] == ["b"]
    assert records.has_file(doc_file_name("a\udcff")) and not records.has_file("c.ttl")
    assert records.origin("a\udcff") == "feed.jsonl:a\udcff"
    number = records.put_waiting(Document(id="a\udcff", text="text", origin="x"))
    assert records.waiting_id(number) == "a\udcff" and records.waiting(number).text == "text"
    records.close()


def test_a_build_leaves_no_records_behind(rebuilt):
    from pipeline.output import CACHE_NAME
    from pipeline.records import RECORDS_NAME

    _, outdir, _ = rebuilt
    assert not (outdir / CACHE_NAME / RECORDS_NAME).exists()


# How the store is written ------------------------------------------------------------------------


@pytest.mark.parametrize("share", [1.0, 0.0])
def test_the_store_updated_in_place_or_rebuilt_holds_graph_trigs_quads(tmp_path, monkeypatch, share):
    """One document changed, one removed. Share 1.0: the graphs of the documents rendered anew
    are replaced and the removed one's dropped in place, however many there are; 0.0: the store
    is rebuilt from graph.trig at any change. Batches of 7 quads: every
    document's graph spans several."""
    import pipeline.build
    import pipeline.store

    monkeypatch.setattr(pipeline.store, "REBUILD_SHARE", share)
    monkeypatch.setattr(pipeline.store, "BATCH_QUADS", 7)
    articles, out = tmp_path / "articles", tmp_path / "out"
    shutil.copytree(ARTICLES, articles)
    assert pipeline.build.build([articles], out).exit_code == 0
    before = _store_quads(out)
    added = []
    real = pipeline.store._add
    monkeypatch.setattr(pipeline.store, "_add", lambda store, quads: real(store, (added.append(q) or q for q in quads)))
    changed = articles / f"{CHANGED}.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nThe union accused the agency of hiding the report.\n",
                       encoding="utf-8")
    (articles / f"{REMOVED}.txt").unlink()
    report = pipeline.build.build([articles], out)
    assert report.exit_code == 0 and report.extracted == 1 and 0 < report.rendered < report.built
    quads = _store_quads(out)
    assert quads == _trig_quads(out) and quads != before
    # in place, only the quads of the documents rendered anew are written; rebuilt, all of them
    assert (len(added) < len(quads)) == (share == 1.0) and set(added) <= quads


def test_the_store_is_given_quads_in_batches_that_do_not_grow_with_the_build(monkeypatch):
    """pyoxigraph holds a whole bulk load in memory: the store is given bounded batches instead
    (the fresh load and the in-place update both go through ``_add``, test above)."""
    import pipeline.store

    monkeypatch.setattr(pipeline.store, "BATCH_QUADS", 100)
    sizes = []

    class Recording:
        def bulk_extend(self, quads):
            sizes.append(len(quads))

    quads = (ox.Quad(ox.NamedNode(f"http://example.org/{n}"), ox.NamedNode("http://example.org/p"), ox.Literal(n),
                     ox.NamedNode("http://example.org/g")) for n in range(1050))
    pipeline.store._add(Recording(), quads)
    assert sizes == [100] * 10 + [50]


def test_a_query_on_the_store_imports_neither_rdflib_nor_the_build(rebuilt):
    """A query's start-up is most of its time on a small build: it loads the CLI, pyoxigraph and
    the query code only (rdflib alone took about 0.1 s of it)."""
    import subprocess
    import sys

    _, outdir, _ = rebuilt
    probe = ("import sys\nfrom pipeline.cli import main\n"
             f"try:\n    main(['query', 'who-blamed-whom', '--data', {str(outdir)!r}, '--format', 'csv'])\n"
             "except SystemExit as exit:\n    assert not exit.code, exit.code\n"
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'rdflib', 'pyshacl', 'spacy', 'pipeline'}),"
             " sorted(m for m in sys.modules if m.startswith('pipeline.')), file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "claim_iri" in result.stdout.splitlines()[0]
    loaded = result.stderr.strip().splitlines()[-1]
    assert loaded.startswith("['pipeline']"), loaded
    assert "pipeline.build" not in loaded and "pipeline.output" not in loaded and "pipeline.vocab" not in loaded


def test_a_query_opens_the_store_without_hashing_the_manifest_the_build_hashed(rebuilt, tmp_path, monkeypatch):
    import pipeline.store
    from pipeline.store import open_build_store

    _, outdir, _ = rebuilt
    hashed = []
    real = pipeline.store._manifest_sha256
    monkeypatch.setattr(pipeline.store, "_manifest_sha256", lambda folder: hashed.append(folder) or real(folder))
    assert open_build_store(outdir) is not None and hashed == []

    copied = tmp_path / "copied"  # another file (inode): hashed, and it is the same manifest
    shutil.copytree(outdir, copied)
    assert open_build_store(copied) is not None and hashed

    changed = tmp_path / "changed"  # another manifest in its place: the store is not that build's
    shutil.copytree(outdir, changed)
    manifest = changed / "manifest.json"
    manifest.write_bytes(manifest.read_bytes().replace(b'"conforms"', b' "conforms"', 1))
    assert open_build_store(changed) is None
