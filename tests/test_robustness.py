"""Robustness (issue #6): bad input, interrupted runs, determinism, hostile text.

* A batch mixing good articles with every kind of bad input exits 1, names every bad input on
  stderr (one line each, no traceback), records it in manifest.json with its status, writes
  every good document, produces output that parses and conforms, and a second run, a run with
  the inputs in another order and a run with --jobs 2 produce byte-identical files.
* Exit status: 0 all processed, 1 some inputs failed, 2 usage errors; a traceback only with --debug.
* A document that makes extraction or RDF output raise fails alone, named, and the batch goes on.
* Hostile text (control characters, lone surrogates, ``>"\\`` in names, long tokens, names that
  slugify alike) gives valid IRIs, escaped literals, no IRI collisions: checked with hypothesis
  from ingest to RDF, and on the RDF layer alone.
* Crash safety: builds killed with SIGKILL at several points leave every output file readable,
  and the next run completes the work, byte for byte equal to a clean build.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef

from pipeline.cli import main
from pipeline.ingest import read_inputs
from pipeline.model import Actor, Claim, Document, Event, Figure, ResolvedDocument, TextSpan
from pipeline.output import assemble, doc_file_name, turtle, turtle_body
from pipeline.rdf import IriMinter, clean_text, document_graph, slug
from pipeline.validate import validate_graph

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "data" / "articles"
SAMPLES = sorted(ARTICLES.glob("*.txt"))
GRAPH_FILES = ("graph.trig", "graph.ttl", "validation.ttl")
# Characters no IRI may hold (RFC 3987 excludes them; Turtle cannot write them in <...>).
BAD_IRI_CHARS = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f-\x9f]')
GERMAN = ("Der russische Präsident Wladimir Putin sagte am Dienstag, die Ukraine stecke hinter dem "
          "Anschlag auf die Crocus City Hall. Kiew wies das zurück. Die Terrormiliz Islamischer Staat "
          "reklamierte den Anschlag für sich, und amerikanische Beamte erklärten, sie hätten Moskau gewarnt.")


def evkg(*args, timeout: float = 300) -> subprocess.CompletedProcess:
    """`evkg ARGS` in its own process, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, "PYTHONHASHSEED": "random"})


def graph_files(outdir: Path) -> dict[str, bytes]:
    """graph.trig, graph.ttl, validation.ttl and docs/*.ttl, by relative path."""
    files = {name: (outdir / name).read_bytes() for name in GRAPH_FILES}
    for path in sorted((outdir / "docs").glob("*.ttl")):
        if not path.name.startswith("."):
            files[f"docs/{path.name}"] = path.read_bytes()
    return files


def check_readable(outdir: Path) -> int:
    """Every output file there is parses (they may be from different runs); how many there are."""
    count = 0
    if (outdir / "manifest.json").exists():
        json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))
        count += 1
    if (outdir / "graph.trig").exists():
        Dataset().parse(outdir / "graph.trig", format="trig")
        count += 1
    for path in [outdir / "graph.ttl", outdir / "validation.ttl", *sorted((outdir / "docs").glob("[!.]*.ttl"))]:
        if path.exists():
            Graph().parse(path, format="turtle")
            count += 1
    return count


def union(outdir: Path) -> Graph:
    dataset = Dataset()
    dataset.parse(outdir / "graph.trig", format="trig")
    graph = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


# The mixed batch ------------------------------------------------------------------------------


HOSTILE_TEXT = ('Ukrainian official Taras "Bad>Name\\" Shevchenko blamed Russia for the attack on '
                'Crocus City Hall.\x01\x1b[31m Russian Foreign Ministry spokeswoman Maria Zakharova said '
                'the United States was behind the attack \ud800 on Crocus City Hall. '
                'The Kremlin accused <Evil> "O\'Brien\\x" of the attack. ' + "A" * 5000 + " ends here.")

# origin (relative to the batch folder) -> (status, words the reason must contain)
BAD_INPUTS = {
    "empty.txt": ("failed", "empty file"),
    "blank.md": ("failed", "only whitespace"),
    "binary.txt": ("failed", "binary file"),
    "latin.txt": ("warning", "cp1252"),
    "wide.txt": ("warning", "UTF-16"),
    "deutsch.txt": ("warning", "does not look like English"),
    "notes.pdf": ("skipped", "unknown extension"),
    "dangling.txt": ("failed", "broken symbolic link"),
    "sub/loop": ("skipped", "symbolic link loop"),
    "feed.jsonl:2": ("failed", "malformed JSON line"),
    "feed.jsonl:3 (id no-text)": ("failed", "no 'text'"),
    "feed.jsonl:4 (id number-text)": ("failed", "'text' is an integer"),
    "feed.jsonl:5": ("failed", "'id' is a number"),
    "feed.jsonl:6 (id feed-good)": ("failed", "duplicate document id"),
    "feed.jsonl:7 (id 000_29f069f98ff610cd)": ("failed", "duplicate document id"),
    "feed.jsonl:8 (id hostile)": ("warning", "lone surrogate"),
}
GOOD_IDS = {p.stem for p in SAMPLES[:3]} | {"feed-good", "latin", "wide", "deutsch", "hostile", "42", "many"}


def make_batch(root: Path) -> Path:
    batch = root / "batch"
    (batch / "sub").mkdir(parents=True)
    for path in SAMPLES[:3]:
        shutil.copy(path, batch / path.name)
    (batch / "empty.txt").write_bytes(b"")
    (batch / "blank.md").write_bytes(b" \n\t\n")
    (batch / "binary.txt").write_bytes(b"GIF89a\x00\x01\x00\x00\xff" * 20)
    (batch / "latin.txt").write_bytes("Café owners said the Kremlin blamed Ukraine for the attack.".encode("cp1252"))
    (batch / "wide.txt").write_bytes("\ufeffPutin blamed Ukraine for the attack on Crocus City Hall.".encode("utf-16-le"))
    (batch / "deutsch.txt").write_text(GERMAN, encoding="utf-8")
    (batch / "notes.pdf").write_bytes(b"%PDF-1.4\n")
    (batch / "dangling.txt").symlink_to(root / "nowhere.txt")
    (batch / "sub" / "loop").symlink_to(batch, target_is_directory=True)
    (batch / "sub" / "many.txt").write_text(
        " ".join(f"Sentence {n}: Kirby said the United States had warned Russia." for n in range(300)),
        encoding="utf-8")
    lines = [
        {"id": "feed-good", "text": "Russian President Vladimir Putin blamed Ukraine for the attack on Crocus City Hall.",
         "title": 'A "quoted" <title> \\ with \x07 bell', "url": "http://example.org/a b>c", "published": "2024-03-23"},
        "{this is not json",
        {"id": "no-text", "title": "x"},
        {"id": "number-text", "text": 12},
        {"id": 1.5, "text": "a float id"},
        {"id": "feed-good", "text": "the same id again"},
        {"id": SAMPLES[0].stem, "text": "the id of a .txt file"},
        {"id": "hostile", "text": HOSTILE_TEXT},
        {"id": 42, "text": "IS-K claimed responsibility for the attack on Crocus City Hall."},
    ]
    (batch / "feed.jsonl").write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines),
                                      encoding="utf-8")
    return batch


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    root = tmp_path_factory.mktemp("mixed")
    batch = make_batch(root)
    first = evkg("build", batch, "-o", root / "out", "--no-progress")
    second = evkg("build", batch, "-o", root / "out", "--no-progress")
    return batch, root / "out", first, second


def test_mixed_batch_exits_1_and_names_every_bad_input_once(mixed):
    batch, _, first, _ = mixed
    assert first.returncode == 1, first.stderr
    assert "Traceback" not in first.stderr
    lines = first.stderr.splitlines()
    for origin, (status, words) in BAD_INPUTS.items():
        label = {"failed": "error", "skipped": "note", "warning": "warning"}[status]
        found = [line for line in lines if line.startswith(f"evkg: {label}: {batch}/{origin}: ")]
        assert len(found) == 1, (origin, lines)
        assert words in found[0], found[0]
    assert lines[-1].startswith(f"evkg: built {len(GOOD_IDS)} document(s)")
    assert len(lines) == len(BAD_INPUTS) + 1, lines


def test_mixed_batch_manifest_records_every_input(mixed):
    batch, out, _, _ = mixed
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entries = {e["origin"]: e for e in manifest["documents"] if e["status"] not in ("ok", "invalid")}
    for origin, (status, words) in BAD_INPUTS.items():
        entry = entries[f"{batch}/{origin}"]
        assert entry["status"] == status and words in entry["message"], entry
    written = {e["id"] for e in manifest["documents"] if e["status"] in ("ok", "invalid")}
    assert written == GOOD_IDS
    assert manifest["counts"]["failed"] == sum(1 for s, _ in BAD_INPUTS.values() if s == "failed")


def test_mixed_batch_writes_every_good_document_and_conforms(mixed):
    _, out, _, _ = mixed
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    files = {e["id"]: e["file"] for e in manifest["documents"] if e["status"] == "ok"}
    assert set(files) == GOOD_IDS, "every good document conforms"
    assert sorted(files.values()) == sorted(p.name for p in (out / "docs").glob("*.ttl"))
    assert check_readable(out) == 4 + len(GOOD_IDS)
    assert validate_graph(union(out)).conforms
    graph = Graph().parse(out / "graph.ttl", format="turtle")
    titles = {str(o) for o in graph.objects(None, URIRef("https://w3id.org/evkg/ontology#title"))}
    assert 'A "quoted" <title> \\ with \ufffd bell' in titles, "literals are escaped, not mangled"
    exact = {str(o) for o in graph.objects(None, URIRef("https://w3id.org/evkg/ontology#exact"))}
    assert any('"Bad>Name\\"' in text for text in exact), exact


def test_mixed_batch_second_run_is_byte_identical(mixed):
    _, out, first, second = mixed
    assert second.returncode == 1 and second.stderr == first.stderr
    again = out.parent / "again"
    shutil.copytree(out, again)
    third = evkg("build", mixed[0], "-o", again, "--no-progress")
    assert third.returncode == 1
    assert graph_files(again) == graph_files(out)
    assert (again / "manifest.json").read_bytes() == (out / "manifest.json").read_bytes()


def test_input_order_and_jobs_do_not_change_the_bytes(mixed, tmp_path):
    batch, out, _, _ = mixed
    # The same inputs given file by file, in reverse order, with two worker processes.
    inputs = sorted((p for p in batch.iterdir() if p.name != "sub"), reverse=True) + [batch / "sub" / "many.txt"]
    result = evkg("build", *inputs, "-o", tmp_path / "out", "--jobs", "2", "--no-progress")
    assert result.returncode == 1, result.stderr
    assert graph_files(tmp_path / "out") == graph_files(out)


# Exit status and errors ------------------------------------------------------------------------


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def one_error_line(result, code: int, *words: str) -> str:
    assert result.exit_code == code, (result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if "rror" in line]
    assert len(errors) == 1, result.stderr
    assert all(word in errors[0] for word in words), errors[0]
    return errors[0]


def test_all_good_inputs_exit_0(tmp_path):
    (tmp_path / "in").mkdir()
    shutil.copy(SAMPLES[0], tmp_path / "in")
    result = invoke("build", tmp_path / "in", "-o", tmp_path / "out", "--no-progress")
    assert result.exit_code == 0 and result.stderr.startswith("evkg: built 1 document(s)"), result.stderr


@pytest.mark.parametrize("args, words", [
    (["{tmp}/nope", "-o", "{tmp}/out"], ["nope", "no such file"]),
    (["{article}", "-o", "{tmp}/out", "--base", "not an iri"], ["--base", "not an absolute IRI"]),
    (["{article}", "-o", "{tmp}/out", "--base", "http://x/<y>"], ["--base"]),
    (["{article}", "-o", "{tmp}/out", "--jobs", "-1"], ["--jobs"]),
    (["{article}", "-o", "{tmp}/out", "--jobs", "many"], ["--jobs"]),
    (["{article}", "-o", "{tmp}/out", "--encoding-fallback", "klingon"], ["--encoding-fallback", "klingon"]),
    (["{article}", "-o", "{tmp}/out", "--frobnicate"], ["--frobnicate"]),
    (["{article}"], ["-o"]),
    (["{article}", "-o", "{article}"], ["is a file"]),
])
def test_usage_errors_exit_2_with_one_line(tmp_path, args, words):
    args = [a.format(tmp=tmp_path, article=SAMPLES[0]) for a in args]
    one_error_line(invoke("build", *args), 2, *words)
    assert not (tmp_path / "out").exists(), "a usage error writes nothing"


def test_other_errors_are_one_line_and_debug_shows_the_traceback(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    args = ["build", tmp_path / "in", "-o", tmp_path / "file" / "out", "--no-progress"]
    line = one_error_line(invoke(*args), 1, "evkg: error:")
    assert "Not a directory" in line
    debug = CliRunner().invoke(main, ["--debug", *map(str, args)])
    assert debug.exit_code == 1 and "Traceback (most recent call last)" in debug.stderr


# One bad document never stops the batch -------------------------------------------------------------


def corpus(folder: Path, texts: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


GOOD = "Russian President Vladimir Putin blamed Ukraine for the attack on Crocus City Hall."


def test_a_document_that_breaks_extraction_fails_alone(tmp_path, monkeypatch):
    import pipeline.extract
    from pipeline.build import build

    real = pipeline.extract.extract

    def extract(doc, document, lexicon=None):
        if "EXPLODE" in document.text:
            raise RuntimeError("boom\nsecond line")
        return real(doc, document, lexicon)

    monkeypatch.setattr(pipeline.extract, "extract", extract)
    inputs = corpus(tmp_path / "in", {"a": GOOD, "b": GOOD + " EXPLODE", "c": GOOD.replace("Ukraine", "the West")})
    seen = []
    report = build([inputs], tmp_path / "out", on_problem=seen.append)
    assert report.exit_code == 1
    (problem,) = seen
    assert problem.origin == str(inputs / "b.txt") and problem.doc_id == "b" and problem.status == "failed"
    assert problem.reason == "extraction failed: RuntimeError: boom\\x0asecond line"
    assert "Traceback" in problem.detail
    assert sorted(p.name for p in (tmp_path / "out" / "docs").iterdir()) == ["a.ttl", "c.ttl"]
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert {(e["id"], e["status"]) for e in manifest["documents"]} == {("a", "ok"), ("b", "failed"), ("c", "ok")}


def test_a_document_that_breaks_rdf_output_fails_alone(tmp_path, monkeypatch):
    import pipeline.build
    from pipeline.build import build

    inputs = corpus(tmp_path / "in", {"a": GOOD, "b": GOOD.replace("Putin", "Medvedev")})
    assert build([inputs], tmp_path / "out").exit_code == 0
    real = pipeline.build.document_graph

    def document_graph(item, minter):
        if item.document.id == "b":
            raise ValueError("cannot render")
        return real(item, minter)

    monkeypatch.setattr(pipeline.build, "document_graph", document_graph)
    (inputs / "b.txt").write_text(GOOD.replace("Putin", "Peskov"), encoding="utf-8")  # b must be re-rendered
    seen = []
    report = build([inputs], tmp_path / "out", on_problem=seen.append)
    assert report.exit_code == 1 and [p.reason for p in seen] == ["RDF output failed: ValueError: cannot render"]
    assert [p.name for p in (tmp_path / "out" / "docs").iterdir()] == ["a.ttl"], "b's old output is gone"
    graphs = {str(g.identifier) for g in Dataset().parse(tmp_path / "out" / "graph.trig", format="trig").graphs()}
    assert not any(g.endswith("/graph/b") for g in graphs)


# Hostile text ----------------------------------------------------------------------------------


def test_turtle_body_keeps_literal_lines_that_look_like_prefixes():
    minter = IriMinter()
    graph = Graph()
    value = 'x\n@prefix evil: <http://e/> .\nPREFIX y: <z>\n"""\\ end"'
    graph.add((minter.actor("a"), URIRef("https://w3id.org/evkg/ontology#exact"), Literal(value)))
    body = turtle_body(turtle(graph))
    assert "@prefix evil" in body
    parsed = Graph().parse(data=turtle(graph).split("\n\n", 1)[0] + "\n" + body, format="turtle")
    assert {str(o) for o in parsed.objects()} == {value}


def test_names_that_slugify_alike_get_distinct_iris_and_files():
    keys = ["vladimir putin", "Vladimir Putin", "vladimir-putin", "vladimir  putin", "vladimír putin",
            "vladimir_putin", "vladimir.putin", "vladimir putin ", " vladimir putin", "vladimir\tputin",
            "vladimir>putin", 'vladimir"putin', "vladimir\\putin", "vladimir\x00putin", "vladimir\ud800putin",
            ".", "..", "-", "--", "", "putin--0123456789", "ПУТИН", "путин", "普京", "🙂", "a" * 5000]
    minter = IriMinter()
    iris = [minter.actor(key) for key in keys]
    assert len(set(iris)) == len(keys)
    for iri in iris:
        assert not BAD_IRI_CHARS.search(iri) and not iri.endswith(("/.", "/..")), iri
    names = [doc_file_name(key) for key in keys]
    assert len({n.lower() for n in names}) == len(keys), "distinct even on a case-insensitive file system"
    for name in names:
        assert re.fullmatch(r"[a-z0-9][a-z0-9._-]*\.ttl", name) and len(name.encode()) <= 160, name


KEYS = st.text(min_size=1, max_size=30)


@settings(max_examples=200, deadline=None)
@given(a=KEYS, b=KEYS)
def test_slugs_and_file_names_never_collide(a, b):
    if a != b:
        assert slug(a) != slug(b)
        assert doc_file_name(a).lower() != doc_file_name(b).lower()
    assert not BAD_IRI_CHARS.search(slug(a)) and slug(a) not in (".", "..")


ANY_TEXT = st.text(max_size=60)
NAME = st.text(min_size=1, max_size=40).filter(lambda s: s.strip())


@st.composite
def resolved_documents(draw):
    """A ResolvedDocument with arbitrary strings everywhere a string can go."""
    text = draw(st.text(min_size=1, max_size=200))
    span = TextSpan(0, len(text), text)
    keys = draw(st.lists(NAME, min_size=2, max_size=4, unique_by=lambda k: " ".join(k.casefold().split())))
    actors = tuple(Actor(key=k, label=draw(NAME), type=draw(st.sampled_from(["Person", "Organization", "Country",
                                                                              "Group"])),
                         aliases=tuple(draw(st.lists(NAME, max_size=2))), roles=tuple(draw(st.lists(NAME, max_size=2))))
                   for k in keys)
    event = Event(key=draw(NAME), label=draw(NAME), type="Attack", occurred_on=date(2024, 3, 22), place=draw(NAME))
    claim = Claim(claimant=keys[0], targets=tuple(keys[1:]), kind="accuses", hedged=draw(st.booleans()),
                  cue=draw(NAME), evidence=span, sentence_index=0, event=event.key, said_on=date(2024, 3, 23))
    figure = Figure(measure="killed", value=draw(st.integers(0, 10**6)), qualifier=draw(st.sampled_from([None, "at least", "about"])),
                    evidence=span, sentence_index=0, event=event.key)
    document = Document(id=draw(NAME), text=text, origin="x", title=draw(st.none() | NAME),
                        url=draw(st.none() | NAME), publisher=draw(st.none() | NAME), published=date(2024, 3, 23))
    return ResolvedDocument(document=document, actors=actors, events=(event,), claims=(claim,), figures=(figure,))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(item=resolved_documents())
def test_any_strings_give_rdf_that_parses_round_trips_and_conforms(item):
    minter = IriMinter()
    graph = document_graph(item, minter)
    text = turtle(graph)
    text.encode("utf-8")
    parsed = Graph().parse(data=text, format="turtle")
    assert set(parsed) == set(graph), "Turtle writes every literal and IRI so that it reads back the same"
    for s, p, o in parsed:
        for term in (s, p, o):
            if isinstance(term, URIRef):
                assert not BAD_IRI_CHARS.search(term), term
    labels = {str(o) for o in parsed.objects(minter.actor(item.actors[0].key), URIRef(
        "http://www.w3.org/2000/01/rdf-schema#label"))}
    assert labels == {clean_text(item.actors[0].label)}
    result = validate_graph(graph)
    assert result.conforms, result.violations


HOSTILE_CHARS = st.sampled_from(list('<>"\\\'{}|^`&;#%') + ["\x01", "\x0b", "\x1b", "\x7f", "\x85", "\u2028",
                                                            "\u202e", "\ufeff", "\ufffe", "\ud800", "\udfff",
                                                            "\U0001F600", "\n", "\r", "\t"])
HOSTILE_WORD = st.text(alphabet=st.one_of(st.characters(), HOSTILE_CHARS), min_size=1, max_size=12)
PLAIN_NAMES = st.sampled_from(["Maria", "Zakharova", "John", "Kirby", "Vladimir", "Putin", "Dmitry", "Peskov",
                               "Volodymyr", "Zelensky", "Ukraine", "Kremlin", "Moscow", "Islamic", "State"])
# Names NER still takes for names, with hostile characters in and around them, and pure noise.
CAPITALISED = st.one_of(
    PLAIN_NAMES,
    st.builds(lambda name, c, at: name[:at] + c + name[at:], PLAIN_NAMES, HOSTILE_CHARS, st.integers(0, 8)),
    st.builds(lambda name, w: name + w, PLAIN_NAMES, HOSTILE_WORD),
    st.builds(lambda w: w[:1].upper() + w[1:], HOSTILE_WORD))


@st.composite
def hostile_articles(draw):
    """Text around sentences extraction reacts to, with hostile names and arbitrary noise."""
    a = " ".join(draw(st.lists(CAPITALISED, min_size=1, max_size=3)))
    b = " ".join(draw(st.lists(CAPITALISED, min_size=1, max_size=3)))
    noise = draw(st.text(alphabet=st.one_of(st.characters(), HOSTILE_CHARS), max_size=80))
    sentences = [f"President {a} blamed {b} for the attack on Crocus City Hall.",
                 f'"{b} was behind it," said {a}, a spokesman for the {b} Ministry.',
                 f"{a} denied that {b} carried out the attack.", noise,
                 "At least 140 people were killed, officials said on Friday."]
    order = draw(st.permutations(sentences))
    return draw(st.sampled_from([" ", "\n", "\n\n"])).join(order)


# Extraction bugs hostile text found once, kept as regression tests.
def test_superscript_digits_in_a_count_do_not_break_extraction():
    from pipeline.batching import ItemFailed
    from pipeline.build import _extract_batch

    document = Document(id="sup", text="At least 0² people were killed, officials said.", origin="sup.txt")
    (result,), _ = _extract_batch([document], ())
    assert not isinstance(result, ItemFailed), result.reason


def test_a_parenthesis_inside_an_entity_token_does_not_break_extraction():
    from pipeline.batching import ItemFailed
    from pipeline.build import _extract_batch

    document = Document(id="par", text="Officials at Gazprom(Russia said the attack was terrible.", origin="par.txt")
    (result,), _ = _extract_batch([document], ())
    assert not isinstance(result, ItemFailed), result.reason


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=hostile_articles(), doc_id=st.text(min_size=1, max_size=20).filter(str.strip))
def test_hostile_text_from_ingest_to_rdf(tmp_path_factory, text, doc_id):
    from pipeline.batching import ItemFailed
    from pipeline.build import _extract_batch
    from pipeline.resolve import resolve

    folder = tmp_path_factory.mktemp("hostile")
    (folder / "in.jsonl").write_text(json.dumps({"id": doc_id, "text": text, "title": text[:30]}) + "\n",
                                     encoding="utf-8")
    documents = [d for d in read_inputs([folder / "in.jsonl"]) if isinstance(d, Document)]
    if not documents:  # only for a text that is blank or holds NUL: a reported problem, not a crash
        assert not text.strip() or "\x00" in text
        return
    (result,), _ = _extract_batch(documents, ())
    assert not isinstance(result, ItemFailed), result.detail
    (item,) = resolve([result])
    minter = IriMinter()
    graph = document_graph(item, minter)
    path = folder / "docs" / doc_file_name(item.document.id)
    path.parent.mkdir()
    path.write_text(turtle(graph), encoding="utf-8")
    assemble([(item.document.id, path)], minter, folder / "graph.trig", folder / "graph.ttl")
    for fmt, name in (("turtle", path), ("turtle", folder / "graph.ttl")):
        assert set(Graph().parse(name, format=fmt)) == set(graph)
    dataset = Dataset().parse(folder / "graph.trig", format="trig")
    assert set(dataset.graph(minter.graph(item.document.id))) == set(graph)
    assert validate_graph(graph).conforms


def test_a_ten_thousand_sentence_document(tmp_path):
    from pipeline.build import build

    text = " ".join(f"On day {n} Kirby said the United States had warned Russia." for n in range(10_000))
    report = build([corpus(tmp_path / "in", {"long": text})], tmp_path / "out")
    assert report.exit_code == 0 and report.conforms


# Crash safety -------------------------------------------------------------------------------


def test_a_tampered_docs_file_is_rewritten_not_reused(sample_build, tmp_path):
    """A build killed after writing docs/ but before manifest.json leaves docs files the old
    manifest does not describe: the next build must not reuse them."""
    from pipeline.build import build

    out = tmp_path / "out"
    shutil.copytree(sample_build, out)
    victim = sorted((out / "docs").glob("*.ttl"))[0]
    original = victim.read_bytes()
    victim.write_text("# a newer, different result\n", encoding="utf-8")
    assert build([ARTICLES], out).exit_code == 0
    assert victim.read_bytes() == original
    assert graph_files(out) == graph_files(sample_build)


def test_stale_temporary_files_are_cleaned_up(sample_build, tmp_path):
    from pipeline.build import build

    out = tmp_path / "out"
    shutil.copytree(sample_build, out)
    # Under the OUTDIR lock no other build can be writing one, however fresh it looks.
    left = [out / ".graph.trig.abc123.tmp", out / "docs" / ".x.ttl.def456.tmp", out / ".graph.ttl.ghi789.tmp"]
    for path in left:
        path.write_text("half a file", encoding="utf-8")
    build([ARTICLES], out)
    assert not any(path.exists() for path in left)


def generated_corpus(folder: Path, count: int, seed: int) -> Path:
    """``count`` small articles made of sentences of the sample articles."""
    sentences = []
    for path in SAMPLES:
        sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+", path.read_text(encoding="utf-8"))
                      if len(s.split()) > 4]
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / f"gen_{seed}_{n:03d}.txt").write_text(
            f"date 2024-03-{1 + n % 28:02d}\n" + " ".join(rng.sample(sentences, 4)) + f"\nReport {n}.\n",
            encoding="utf-8")
    return folder


KILLER = """
import os, runpy, signal, sys
n = int(sys.argv.pop(1))
real, calls = os.replace, [0]
def replace(src, dst):
    calls[0] += 1
    if calls[0] == n:  # killed after the temporary file is written, before it replaces the old one
        os.kill(os.getpid(), signal.SIGKILL)
    return real(src, dst)
os.replace = replace
sys.argv[0] = "evkg"
runpy.run_module("pipeline", run_name="__main__")
"""


def kill_when(args, condition, timeout: float = 120) -> bool:
    """Run `evkg ARGS`, SIGKILL it as soon as ``condition()`` holds; True if it was killed running."""
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", *map(str, args)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            if condition():
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                return proc.returncode == -signal.SIGKILL
            time.sleep(0.005)
        return False
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_builds_killed_at_any_moment_leave_readable_outputs_and_the_next_run_completes(tmp_path):
    old_corpus = generated_corpus(tmp_path / "v1", 40, seed=1)
    new_corpus = tmp_path / "v2"
    shutil.copytree(old_corpus, new_corpus)
    for path in sorted(new_corpus.glob("*.txt"))[:10]:  # changed, removed and new documents
        path.write_text(path.read_text(encoding="utf-8") + "The Kremlin blamed the West.\n", encoding="utf-8")
    for path in sorted(new_corpus.glob("*.txt"))[-8:]:
        path.unlink()
    generated_corpus(new_corpus, 30, seed=2)
    build = ["build", new_corpus, "--no-progress", "-o"]

    reference = evkg(*build, tmp_path / "ref")  # a clean build of the new corpus
    assert reference.returncode == 0, reference.stderr
    out = tmp_path / "out"
    assert evkg("build", old_corpus, "--no-progress", "-o", out).returncode == 0

    # SIGKILL from outside while it extracts (its cache grows).
    cache = out / ".evkg-cache" / "extract"
    cached = len(list(cache.glob("*.json")))
    killed = kill_when([*build, out], lambda: len(list(cache.glob("*.json"))) >= cached + 5)
    assert killed, "the build was still running when killed"
    assert check_readable(out) >= 4

    # SIGKILL from outside after a delay.
    kill_when([*build, out], lambda start=time.monotonic(): time.monotonic() - start > 1.0)
    assert check_readable(out) >= 4

    # SIGKILL from inside, between writing a file and renaming it into place: early (a docs/ file),
    # late (graph.trig, graph.ttl, validation.ttl, manifest.json).
    script = tmp_path / "killer.py"
    script.write_text(KILLER, encoding="utf-8")
    for n in (3, 25, 60):
        proc = subprocess.run([sys.executable, script, str(n), *map(str, build), out], cwd=ROOT,
                              capture_output=True, text=True, timeout=300)
        if proc.returncode == 0:
            break  # fewer renames than n: this run completed
        assert proc.returncode == -signal.SIGKILL, proc.stderr
        assert check_readable(out) >= 4
    # The build that finishes the work equals the clean build, byte for byte.
    final = evkg(*build, out)
    assert final.returncode == 0, final.stderr
    assert graph_files(out) == graph_files(tmp_path / "ref")
    assert (out / "manifest.json").read_bytes() == (tmp_path / "ref" / "manifest.json").read_bytes()


def test_kill_at_the_last_renames(tmp_path):
    """Killed just before graph.ttl, validation.ttl or manifest.json replace the old ones."""
    corpus_dir = generated_corpus(tmp_path / "in", 6, seed=3)
    out = tmp_path / "out"
    assert evkg("build", corpus_dir, "-o", out, "--no-progress").returncode == 0
    done = {name: (out / name).read_bytes() for name in ("graph.trig", "graph.ttl", "validation.ttl", "manifest.json")}
    (corpus_dir / "gen_3_000.txt").write_text(GOOD, encoding="utf-8")  # one document changes
    script = tmp_path / "killer.py"
    script.write_text(KILLER, encoding="utf-8")
    # The renames of such a run end with docs/gen_3_000.ttl (unless reused), graph.trig, graph.ttl,
    # validation.ttl, manifest.json: killed before the last ones, manifest.json is the old one.
    for n in (6, 5, 4, 3):
        proc = subprocess.run([sys.executable, script, str(n), "build", corpus_dir, "-o", out, "--no-progress"],
                              cwd=ROOT, capture_output=True, text=True, timeout=300)
        if proc.returncode == 0:
            break  # fewer renames than n: this run completed
        assert proc.returncode == -signal.SIGKILL, proc.stderr
        assert check_readable(out) == 4 + 6
        assert (out / "manifest.json").read_bytes() == done["manifest.json"]
    final = evkg("build", corpus_dir, "-o", out, "--no-progress")
    assert final.returncode == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["documents"][0]["id"] == "gen_3_000" and manifest["documents"][0]["claims"] >= 1


# Issue 10: one document's resolution, a lost worker, the output folder, HTTP, alias files -------

# Invented: a dated bombing, and a second report of it whose date does not exist.
DATED = "A car bombing in Karvona, Estland on April 3 2011 killed four people. The Karvona Front claimed responsibility for the bombing."
NO_SUCH_DATE = "A second bombing in Karvona, Estland on April 89 2011 wounded six people. The Karvona Front claimed responsibility for the bombing."


def test_an_impossible_date_beside_a_real_one_builds_both(tmp_path):
    inputs = corpus(tmp_path / "in", {"alpha": DATED, "beta": NO_SUCH_DATE})
    result = invoke("build", inputs, "-o", tmp_path / "out", "--no-progress")
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert {(e["id"], e["status"]) for e in manifest["documents"]} == {("alpha", "ok"), ("beta", "ok")}
    trig = (tmp_path / "out" / "graph.trig").read_text(encoding="utf-8")
    assert '"2011-04-03"^^xsd:date' in trig, "the real date is the event's date"


def test_a_document_whose_resolution_raises_fails_alone_by_name(tmp_path, monkeypatch):
    import pipeline.resolve
    from pipeline.build import build

    real = pipeline.resolve._resolve_document

    def resolve_document(extraction, *args):
        if extraction.document.id == "beta":
            raise TypeError("cannot compare")
        return real(extraction, *args)

    monkeypatch.setattr(pipeline.resolve, "_resolve_document", resolve_document)
    inputs = corpus(tmp_path / "in", {"alpha": DATED, "beta": NO_SUCH_DATE, "gamma": GOOD})
    seen = []
    report = build([inputs], tmp_path / "out", on_problem=seen.append)
    assert report.exit_code == 1
    (problem,) = seen
    assert (problem.doc_id, problem.origin) == ("beta", str(inputs / "beta.txt"))
    assert problem.reason == "resolution failed: TypeError: cannot compare" and "Traceback" in problem.detail
    assert sorted(p.name for p in (tmp_path / "out" / "docs").iterdir()) == ["alpha.ttl", "gamma.ttl"]


def test_a_document_that_breaks_corpus_wide_resolution_is_left_out_of_it(monkeypatch):
    from pipeline.lexicon import load_lexicon
    from pipeline.model import EventMention, Extraction, TimeMention
    from pipeline.resolve import EventResolver, resolve

    def extraction(doc_id, time_text):
        document = Document(id=doc_id, text="x", origin=f"{doc_id}.txt")
        event = EventMention(type="Attack", head="bombing", start=0, end=7, place="Karvona",
                             time=TimeMention(text=time_text, start=0, end=len(time_text)))
        return Extraction(document=document, events=(event,))

    real = EventResolver.contribution

    def contribution(self, item):
        if item.document.id == "bad":
            raise RecursionError("too deep")
        return real(self, item)

    monkeypatch.setattr(EventResolver, "contribution", contribution)
    failures = []
    items = [extraction("bad", "May 9 2011"), extraction("good", "April 3 2011"), extraction("odd", "April 89 2011")]
    resolved = resolve(items, load_lexicon(), on_failure=lambda e, exc: failures.append((e.document.id, type(exc))))
    assert failures == [("bad", RecursionError)]
    assert [r.document.id for r in resolved] == ["good", "odd"]
    with pytest.raises(RecursionError):
        resolve(items, load_lexicon())


@pytest.fixture
def watchdog():
    """Ends the test run with a traceback if a test hangs (a lost worker must never do that)."""
    import faulthandler

    faulthandler.dump_traceback_later(240, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


def killing_extract(monkeypatch, marker: str, times_file: Path, times: int):
    """pipeline.extract.extract, except that a worker given a document with ``marker`` is
    SIGKILLed, as the OOM killer does, ``times`` times; ``times_file`` counts the kills."""
    import pipeline.batching
    import pipeline.extract

    real = pipeline.extract.extract

    def extract(doc, document, lexicon=None):
        killed = times_file.read_text() if times_file.exists() else ""
        if marker in document.text and os.getpid() != parent and len(killed) < times:
            with times_file.open("a") as handle:
                handle.write("x")
            os.kill(os.getpid(), signal.SIGKILL)
        return real(doc, document, lexicon)

    parent = os.getpid()
    monkeypatch.setattr(pipeline.extract, "extract", extract)
    monkeypatch.setattr(pipeline.batching, "NLP_BATCH_DOCS", 1)  # one document per task


def test_a_worker_killed_twice_fails_its_documents_by_name_and_the_build_finishes(tmp_path, monkeypatch, watchdog):
    from pipeline.build import build

    kills = tmp_path / "kills"
    killing_extract(monkeypatch, "Oomfeld", kills, times=5)
    inputs = corpus(tmp_path / "in", {"a": GOOD, "b": GOOD.replace("Putin", "Oomfeld"), "c": DATED})
    seen = []
    started = time.monotonic()
    report = build([inputs], tmp_path / "out", jobs=2, on_problem=seen.append)
    assert time.monotonic() - started < 200
    assert kills.read_text() == "xx", "killed, retried once in a fresh worker, killed again"
    assert report.exit_code == 1
    assert [(p.doc_id, p.reason) for p in seen] == [
        ("b", "extraction failed: worker process died twice (killed by SIGKILL)")]
    assert sorted(p.name for p in (tmp_path / "out" / "docs").iterdir()) == ["a.ttl", "c.ttl"]


def test_a_worker_killed_once_is_retried_and_its_documents_built(tmp_path, monkeypatch, watchdog):
    from pipeline.build import build

    kills = tmp_path / "kills"
    killing_extract(monkeypatch, "Oomfeld", kills, times=1)
    inputs = corpus(tmp_path / "in", {"a": GOOD, "b": GOOD.replace("Putin", "Oomfeld")})
    report = build([inputs], tmp_path / "out", jobs=2)
    assert kills.read_text() == "x" and report.exit_code == 0, report.problems
    assert sorted(p.name for p in (tmp_path / "out" / "docs").iterdir()) == ["a.ttl", "b.ttl"]


# The output folder: one build at a time, only evkg's folders, one consistent set ------------------


def manifest_of(outdir: Path) -> dict:
    return json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))


def assert_manifest_describes_the_files(outdir: Path) -> None:
    """Every file the manifest names exists with the hash it gives: `evkg load` can use it."""
    from pipeline.output import file_sha256

    manifest = manifest_of(outdir)
    for name, digest in manifest["outputs"].items():
        assert file_sha256(outdir / name) == digest, name
    for entry in manifest["documents"]:
        if entry.get("file"):
            assert file_sha256(outdir / "docs" / entry["file"]) == entry["file_hash"], entry["file"]


def reuse_cache(sample_build, outdir: Path) -> None:
    """The sample build's extraction cache in OUTDIR (the base does not change it): keeps tests fast."""
    shutil.copytree(sample_build / ".evkg-cache", outdir / ".evkg-cache")


def test_a_second_build_into_a_locked_outdir_fails_at_once_or_waits(sample_build, tmp_path):
    import threading

    from pipeline.output import outdir_lock

    out = tmp_path / "out"
    reuse_cache(sample_build, out)
    with outdir_lock(out):  # a real flock, as another build holds it
        result = invoke("build", ARTICLES, "-o", out, "--base", "http://one.example/id/", "--no-progress")
        line = one_error_line(result, 1, str(out), "being built by another evkg build", "--wait")
        assert line.startswith("evkg: error:")
        assert not (out / "manifest.json").exists() and not (out / "docs").exists()

    held = outdir_lock(out)
    held.__enter__()
    threading.Timer(1.0, held.__exit__, (None, None, None)).start()
    started = time.monotonic()
    result = invoke("build", ARTICLES, "-o", out, "--base", "http://two.example/id/", "--wait", "--no-progress")
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started >= 0.9
    assert "waiting" in result.stderr
    assert manifest_of(out)["base"] == "http://two.example/id/"
    assert "<http://two.example/id/graph/" in (out / "graph.trig").read_text(encoding="utf-8")
    assert_manifest_describes_the_files(out)


def test_two_concurrent_builds_never_mix_their_outputs(sample_build, tmp_path):
    out = tmp_path / "out"
    reuse_cache(sample_build, out)
    command = [sys.executable, "-m", "pipeline", "build", str(ARTICLES), "-o", str(out), "--no-progress", "--wait"]
    first = subprocess.Popen([*command, "--base", "http://one.example/id/"], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen([*command, "--base", "http://two.example/id/"], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    assert first.wait(timeout=300) == 0 and second.wait(timeout=300) == 0, (first.stderr.read(), second.stderr.read())
    base = manifest_of(out)["base"]
    trig = (out / "graph.trig").read_text(encoding="utf-8")
    other = {"http://one.example/id/": "http://two.example/id/", "http://two.example/id/": "http://one.example/id/"}[base]
    assert base in trig and other not in trig
    assert all(other not in p.read_text(encoding="utf-8") for p in (out / "docs").iterdir())
    assert_manifest_describes_the_files(out)


def test_a_folder_that_is_not_an_evkg_build_is_refused_unless_forced(tmp_path):
    inputs = corpus(tmp_path / "in", {"a": GOOD})
    out = tmp_path / "mine"
    (out / "docs").mkdir(parents=True)
    (out / "docs" / "notes.ttl").write_text("<urn:x> <urn:y> <urn:z> .\n", encoding="utf-8")
    (out / "manifest.json").write_text('{"name": "my own project"}\n', encoding="utf-8")
    result = invoke("build", inputs, "-o", out, "--no-progress")
    one_error_line(result, 2, str(out), "not an evkg build", "--force")
    assert (out / "docs" / "notes.ttl").exists()
    assert (out / "manifest.json").read_text(encoding="utf-8") == '{"name": "my own project"}\n'
    assert sorted(p.name for p in out.iterdir()) == ["docs", "manifest.json"], "nothing written"

    result = invoke("build", inputs, "-o", out, "--force", "--no-progress")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out / "docs").iterdir()) == ["a.ttl"]


def test_a_build_killed_before_its_first_manifest_can_be_rerun(tmp_path):
    from pipeline.build import build
    from pipeline.output import outdir_lock

    out = tmp_path / "out"
    with outdir_lock(out):  # what a killed first build leaves: its lock file and some docs
        (out / "docs").mkdir()
        (out / "docs" / "a.ttl").write_text("# half\n", encoding="utf-8")
    assert build([corpus(tmp_path / "in", {"a": GOOD})], out).exit_code == 0
    assert_manifest_describes_the_files(out)


def test_no_document_over_an_existing_build_is_an_error_and_keeps_it(sample_build, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(sample_build, out)
    before = graph_files(out)
    (tmp_path / "empty").mkdir()
    (tmp_path / "skipped").mkdir()
    (tmp_path / "skipped" / "picture.png").write_bytes(b"\x89PNG")
    for inputs in (tmp_path / "empty", tmp_path / "skipped"):
        result = invoke("build", inputs, "-o", out, "--no-progress")
        assert result.exit_code == 1, result.output
        assert "no document to build" in result.stderr and "Traceback" not in result.output
        assert graph_files(out) == before
        assert_manifest_describes_the_files(out)


def test_outputs_that_disagree_with_the_manifest_are_refused_by_readers(sample_build, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(sample_build, out)
    other = tmp_path / "other"
    assert invoke("build", corpus(tmp_path / "in", {"a": GOOD}), "-o", other, "--no-progress").exit_code == 0
    # as if a build was killed after renaming graph.trig and a docs/ file but before its manifest
    shutil.copy(other / "graph.trig", out / "graph.trig")
    first = manifest_of(out)["documents"][0]
    shutil.copy(other / "docs" / "a.ttl", out / "docs" / first["file"])
    # the store is tied to the manifest, not to graph.trig: it still answers with the last complete build
    result = invoke("query", "who-blamed-whom", "--data", out, "--format", "json")
    assert result.exit_code == 0
    assert result.output == invoke("query", "who-blamed-whom", "--data", sample_build, "--format", "json").output
    shutil.rmtree(out / "store")  # a build made before the store existed: graph.trig is read, and refused
    result = invoke("query", "who-blamed-whom", "--data", out)
    one_error_line(result, 1, str(out / "graph.trig"), "manifest.json", "evkg build again")
    result = invoke("export", out, "-o", tmp_path / "all.nq")
    one_error_line(result, 1, str(out / "graph.trig"), "evkg build again")
    assert not (tmp_path / "all.nq").exists()
    from pipeline.load import _plan

    graphs = {g.source: g for g in _plan(out, manifest_of(out), ontology=False)}
    assert graphs[str(out / "docs" / first["file"])].file_hash == first["file_hash"]


def test_a_manifest_file_outside_docs_is_refused(sample_build, tmp_path):
    from pipeline.load import load

    out = tmp_path / "out"
    shutil.copytree(sample_build, out)
    manifest = manifest_of(out)
    manifest["documents"][0]["file"] = "../../secret.ttl"
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ValueError, match=r"'\.\./\.\./secret\.ttl'.*not a file name in docs/"):
        load(out, "http://127.0.0.1:9/store")


def test_a_cache_entry_of_another_document_is_ignored_and_the_cache_is_pruned(tmp_path):
    from pipeline.build import build

    inputs = corpus(tmp_path / "in", {"a": GOOD, "b": DATED})
    out = tmp_path / "out"
    assert build([inputs], out).exit_code == 0
    clean = graph_files(out)
    cache = sorted((out / ".evkg-cache" / "extract").iterdir())
    assert len(cache) == 2
    a_entry, b_entry = sorted(cache, key=lambda p: "Putin" in p.read_text(encoding="utf-8"))[::-1]
    shutil.copy(a_entry, b_entry)  # b's entry now holds a's extraction
    os.remove(out / "docs" / "b.ttl")
    report = build([inputs], out)
    assert report.extracted == 1 and graph_files(out) == clean

    (inputs / "b.txt").unlink()
    build([inputs], out, keep_cache=True)
    assert len(list((out / ".evkg-cache" / "extract").iterdir())) == 2
    build([inputs], out)
    assert [p.name for p in (out / ".evkg-cache" / "extract").iterdir()] == [a_entry.name]


def test_more_jobs_than_cores_warns(tmp_path):
    result = invoke("build", corpus(tmp_path / "in", {"a": GOOD}), "-o", tmp_path / "out", "--jobs", "64",
                    "--no-progress")
    assert result.exit_code == 0, result.output
    assert "--jobs 64 is more than the" in result.stderr


def test_jobs_0_is_one_per_core(tmp_path, monkeypatch):
    timings = tmp_path / "timings.json"
    text = "Mayor Lena Moss blamed the harbour authority of Ostrov for the fire."
    result = invoke("build", corpus(tmp_path / "in", {"a": text}), "-o", tmp_path / "out", "--jobs", "0",
                    "--no-progress", "--timings", timings)
    assert result.exit_code == 0, result.output
    assert json.loads(timings.read_text(encoding="utf-8"))["jobs"] == len(os.sched_getaffinity(0))
    assert "more than the" not in result.stderr

    seen = {}
    monkeypatch.setattr("pipeline.evaluate.evaluate_sets", lambda sets, **options: seen.update(options) or [])
    result = invoke("eval", "--sets", Path(__file__).parent.parent / "data" / "gold" / "sets.json", "--jobs", "0")
    assert result.exit_code == 0, result.output
    assert seen["jobs"] == len(os.sched_getaffinity(0))


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MB tmpfs (root only; CI runs as root): a disk that really fills up."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (not root)")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=True)


def test_a_full_disk_during_assembly_keeps_the_last_build_and_names_path_and_stage(sample_build, small_disk):
    out = small_disk / "out"
    shutil.copytree(sample_build, out)
    fill = os.statvfs(small_disk)
    # room for the build's record store (its tables and indexes take a page each), not for the docs
    (small_disk / "filler").write_bytes(b"\0" * (fill.f_bavail * fill.f_frsize - 10 * 4096))
    result = invoke("build", *SAMPLES[:3], "-o", out, "--no-progress")
    # the three documents' graphs change (their statements have fewer sources): their new Turtle
    # waits beside the last build's until the commit, so the disk may fill before assembly
    line = one_error_line(result, 1, "No space left on device", "manifest.json still describes the last complete build")
    assert ("assemble" in line and str(out / "graph.") in line) or ("writing docs/" in line and ".pending" in line)
    assert "Errno" not in line
    assert manifest_of(out)["counts"]["documents"] == len(SAMPLES)
    assert len(list((out / "docs").iterdir())) == len(SAMPLES), "the last build's docs are all there"
    assert_manifest_describes_the_files(out)
    assert not list(out.glob(".*.tmp")), "no temporary file left behind"


@pytest.mark.parametrize("base", ["http://ex.example/%zz/", "http://ex.example/a#b#", "http://ex.example/\x01/",
                                  "http://[::1/", "javascript:alert(1)/", "ftp://ex.example/id/", "http://ex.example/id",
                                  "http:///id/", "urn:evkg:"])
def test_a_base_evkg_outputs_cannot_carry_is_a_usage_error(tmp_path, base):
    result = invoke("build", SAMPLES[0], "-o", tmp_path / "out", "--base", base)
    one_error_line(result, 2, "--base")
    assert not (tmp_path / "out").exists()


def test_a_base_ending_in_a_hash_builds_output_that_query_and_export_read(tmp_path):
    out = tmp_path / "out"
    inputs = corpus(tmp_path / "in", {"a": GOOD})
    assert invoke("build", inputs, "-o", out, "--base", "http://kg.example/id#", "--no-progress").exit_code == 0
    result = invoke("query", "who-blamed-whom", "--data", out, "--format", "csv")
    assert result.exit_code == 0 and "http://kg.example/id#actor/" in result.stdout, result.output
    assert invoke("export", out, "-o", tmp_path / "all.nq").exit_code == 0


# HTTP: redirects, credentials, timeouts, redaction (real servers on loopback) ---------------------

SELECT_JSON = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [
    {"x": {"type": "literal", "value": "hello"}}]}}).encode()


class Recorded:
    def __init__(self, method, path, headers, body):
        self.method, self.path, self.headers, self.body = method, path, headers, body


@pytest.fixture
def servers():
    """Start loopback HTTP servers: ``servers(answer)`` gives the URL of one whose ``answer(hit)``
    returns (status, headers, body) or None (never answers); ``hits`` holds every request."""
    import http.server
    import threading

    started, stop = [], threading.Event()

    def start(answer):
        hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def handle_one(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                hit = Recorded(self.command, self.path, dict(self.headers), body)
                hits.append(hit)
                reply = answer(hit)
                if reply is None:
                    stop.wait(30)
                    return
                status, headers, content = reply
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            do_GET = do_POST = do_PUT = do_DELETE = handle_one

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started.append(server)
        url = f"http://127.0.0.1:{server.server_address[1]}"
        return url, hits

    yield start
    stop.set()
    for server in started:
        server.shutdown()
        server.server_close()


def json_results(hit):
    return 200, {"Content-Type": "application/sparql-results+json"}, SELECT_JSON


def test_a_302_is_reported_and_credentials_never_reach_its_target(servers):
    other, other_hits = servers(json_results)
    first, _ = servers(lambda hit: (302, {"Location": f"{other}/sparql"}, b""))
    result = invoke("query", ROOT / "queries" / "who-blamed-whom.rq", "--endpoint", f"{first}/sparql",
                    "--user", "alice", "--password", "s3cret")
    line = one_error_line(result, 1, "HTTP 302", f"{other}/sparql", "not followed")
    assert "s3cret" not in result.output
    assert other_hits == [], "a 302 is not followed: a POST would become a GET without the query"


def test_307_and_308_keep_method_and_body_and_credentials_stay_with_their_origin(servers):
    other, other_hits = servers(json_results)
    first, first_hits = servers(lambda hit: (307, {"Location": f"{other}/sparql"}, b"") if hit.path == "/sparql"
                                else json_results(hit))
    from pipeline.query import run_query_endpoint

    query = "SELECT ?x WHERE { ?s ?p ?x }"
    result = run_query_endpoint(query, f"{first}/sparql", user="alice", password="s3cret")
    assert [str(row["x"]) for row in result.rows] == ["hello"]
    (hit,) = other_hits
    assert hit.method == "POST" and b"query=SELECT" in hit.body
    assert "Authorization" not in hit.headers, "no credentials for another origin"
    assert first_hits[0].headers["Authorization"].startswith("Basic ")

    first_hits.clear()
    same, same_hits = servers(lambda hit: (308, {"Location": "/moved"}, b"") if hit.path == "/sparql"
                              else json_results(hit))
    run_query_endpoint(query, f"{same}/sparql", user="alice", password="s3cret")
    assert [(h.method, h.path, "Authorization" in h.headers, b"query=" in h.body) for h in same_hits] == [
        ("POST", "/sparql", True, True), ("POST", "/moved", True, True)]


def test_digest_authentication_answers_the_challenge(servers):
    def digest(hit):
        given = hit.headers.get("Authorization", "")
        if given.startswith("Digest ") and 'username="alice"' in given and "response=" in given:
            return json_results(hit)
        return 401, {"WWW-Authenticate": 'Digest realm="kg", nonce="abc123", qop="auth", algorithm=MD5'}, b""

    url, hits = servers(digest)
    result = invoke("query", ROOT / "queries" / "who-blamed-whom.rq", "--endpoint", url, "--user", "alice",
                    "--password", "s3cret", "--auth", "digest", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert [h.method for h in hits] == ["POST", "POST"] and all(b"query=" in h.body for h in hits)


def test_an_endpoint_that_never_answers_times_out(servers):
    url, hits = servers(lambda hit: None)
    started = time.monotonic()
    result = invoke("query", ROOT / "queries" / "who-blamed-whom.rq", "--endpoint", url, "--timeout", "0.5")
    one_error_line(result, 1, url, "timed out")
    assert time.monotonic() - started < 20


def test_a_password_in_a_url_is_never_printed(servers, sample_build):
    url, hits = servers(lambda hit: (204, {}, b""))
    secret_url = url.replace("http://", "http://alice:s3cret@") + "/store"
    result = invoke("load", sample_build, "--graph-store", secret_url, "--no-verify")
    assert result.exit_code == 0, result.output
    assert "s3cret" not in result.output and "http://***@127.0.0.1" in result.stderr
    assert hits[0].headers["Authorization"].startswith("Basic ")
    closed = f"http://alice:s3cret@127.0.0.1:{socket_free_port()}/store"
    result = invoke("load", sample_build, "--graph-store", closed, "--retries", "0")
    one_error_line(result, 1, "cannot reach the graph store http://***@127.0.0.1")
    assert "s3cret" not in result.output


def socket_free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --aliases files ------------------------------------------------------------------------------

ALIAS_CASES = [
    ("", "not JSON: Expecting value at line 1 column 1"),
    ("[" * 100_000 + "]" * 100_000, "JSON nested too deeply"),
    ('{"actors": [{"name": "Karvona Front", "type": "Group", "aliases": "abc"}]}',
     "actor 0 ('Karvona Front'), field 'aliases': 'abc' is not of type 'array'"),
    ('[{"name": "Karvona Front", "type": "Group", "aliases": [["KF"]]}]',
     "actor 0 ('Karvona Front'), field 'aliases' item 0: ['KF'] is not of type 'string'"),
    ('[{"name": ["Karvona Front"], "type": "Group"}]', "actor 0, field 'name': ['Karvona Front'] is not of type 'string'"),
    ('[{"name": "Karvona Front", "type": "Band"}]', "actor 0 ('Karvona Front'), field 'type': 'Band' is not one of"),
    ('[{"name": "Karvona Front", "type": "Group", "alias": ["KF"]}]', "actor 0 ('Karvona Front'): Additional properties"),
    ('[{"type": "Group"}]', "actor 0: 'name' is a required property"),
    ('{"people": []}', "'actors' is a required property"),
    ('"Karvona"', "'Karvona' is not of type 'object'"),
    ('[{"name": "Karvona Front", "type": "Group", "aliases": ["KF", "the"]}]',
     "actor 0 ('Karvona Front'), field 'aliases' item 1: 'the' is a common word"),
    ('[{"name": "Karvona Front", "type": "Group", "aliases": ["Kremlin"]}]',
     "actor 0 ('Karvona Front'), field 'aliases' item 0: 'Kremlin' already names the built-in actor 'Kremlin'"),
]


@pytest.mark.parametrize("text, message", ALIAS_CASES)
def test_a_bad_aliases_file_is_one_line_naming_file_entry_and_field(tmp_path, text, message):
    table = tmp_path / "extra-actors.json"
    table.write_text(text, encoding="utf-8")
    result = invoke("build", SAMPLES[0], "-o", tmp_path / "out", "--aliases", table)
    line = one_error_line(result, 2, f"{table}: {message}")
    assert "internal" not in line
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("make", ["device", "fifo"])
def test_devices_and_fifos_are_refused_as_aliases_files(tmp_path, make):
    if make == "fifo":
        table = tmp_path / "table.json"
        os.mkfifo(table)
    else:
        table = Path("/dev/zero")
    started = time.monotonic()
    result = invoke("build", SAMPLES[0], "-o", tmp_path / "out", "--aliases", table)
    one_error_line(result, 2, str(table), "not a regular file")
    assert time.monotonic() - started < 30


def test_a_good_aliases_file_adds_an_actor_and_may_redefine_a_built_in_one(tmp_path):
    from pipeline.lexicon import load_lexicon

    table = tmp_path / "extra.json"
    table.write_text(json.dumps({"actors": [
        {"name": "Karvona Front", "type": "Group", "aliases": ["KF", "the Front"]},
        {"name": "Kremlin", "type": "Organization", "aliases": ["Kremlin", "the Kremlin palace"]}]}), encoding="utf-8")
    lexicon = load_lexicon((str(table),))
    assert lexicon.actors["Karvona Front"].aliases == ("KF", "the Front")
    assert lexicon.canonical("KF") == "Karvona Front"


@pytest.mark.parametrize("doc_id", ["nul", "com1", "aux", "con.backup", "lpt9"])
def test_windows_device_names_get_hashed_file_names(doc_id):
    name = doc_file_name(doc_id)
    assert name.startswith(f"{doc_id.split('.')[0]}") and "--" in name and name.endswith(".ttl")
    assert doc_file_name("nullify") == "nullify.ttl" and doc_file_name("com10") == "com10.ttl"


def test_service_clauses_run_only_with_allow_service(sample_build, tmp_path, servers):
    url, hits = servers(json_results)
    rq = tmp_path / "remote.rq"
    rq.write_text(f"SELECT ?x WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?x }} }}\n", encoding="utf-8")
    result = invoke("query", rq, "--data", sample_build)
    one_error_line(result, 2, "SERVICE", "--allow-service")
    assert hits == [], "nothing was fetched"
    result = invoke("query", rq, "--data", sample_build, "--allow-service", "--format", "csv")
    assert result.exit_code == 0 and "hello" in result.stdout, result.output
    assert len(hits) == 1


# Exit statuses: the table of the README, command by command ----------------------------------------


def readme_exit_codes() -> dict[int, str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("| exit status |"):].split("\n\n")[0]
    return {int(row.split("|")[1]): row.split("|")[2].strip() for row in table.splitlines()[2:]}


def test_the_readme_and_help_give_the_same_exit_statuses():
    from pipeline.errors import EXIT_FAILED, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE

    codes = readme_exit_codes()
    assert sorted(codes) == [EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERNAL]
    assert "usage" in codes[EXIT_USAGE] and "internal" in codes[EXIT_INTERNAL]
    help_text = invoke("--help").output
    for code in codes:
        assert re.search(rf"^\s+{code}\s+\w", help_text, re.MULTILINE), code


@pytest.fixture(scope="module")
def exit_cases(tmp_path_factory):
    from pipeline.build import build

    root = tmp_path_factory.mktemp("exits")
    good = corpus(root / "good", {"a": GOOD})
    out = root / "out"
    assert build([good], out).exit_code == 0
    mixed = corpus(root / "mixed", {"a": GOOD})
    (mixed / "empty.txt").write_bytes(b"")
    (root / "binary.rq").write_bytes(b"\xff\xfe\x00SELECT")
    (root / "broken.ttl").write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    (root / "gold.json").write_text("{not json", encoding="utf-8")
    (root / "file").write_text("x", encoding="utf-8")
    return root


EXIT_TABLE = [
    # command, expected status, words in the one error line
    (["build", "{root}/good", "-o", "{root}/out2"], 0, []),
    (["build", "{root}/mixed", "-o", "{root}/out3"], 1, ["empty.txt"]),
    (["build", "{root}/nope", "-o", "{root}/out4"], 2, ["nope"]),
    (["build", "{root}/good", "-o", "{root}/out5", "--timings", "{root}/file/t.json"], 2, ["--timings", "{root}/file/t.json"]),
    (["validate", "{root}/out/graph.ttl"], 0, []),
    (["validate", "{root}/broken.ttl"], 2, ["{root}/broken.ttl", "not valid"]),
    (["query", "who-blamed-whom", "--data", "{root}/out"], 0, []),
    (["query", "claims-by-actor", "--data", "{root}/out"], 2, ["needs parameter", "actor"]),
    (["query", "claims-by-actor", "--data", "{root}/out", "--param", "actor"], 2, ["KEY=VALUE"]),
    (["query", "{root}/binary.rq", "--data", "{root}/out"], 2, ["{root}/binary.rq", "not UTF-8"]),
    (["query", "who-blamed-whom", "--data", "{root}/missing"], 2, ["{root}/missing"]),
    (["query", "who-blamed-whom", "--endpoint", "http://127.0.0.1:{port}/q", "--timeout", "1"], 1, ["127.0.0.1"]),
    (["export", "{root}/out", "-o", "{root}/all.nq"], 0, []),
    (["export", "{root}/missing", "-o", "{root}/all.nq"], 2, ["{root}/missing"]),
    (["load", "{root}/out", "--graph-store", "http://127.0.0.1:{port}/store", "--retries", "0"], 1, ["cannot reach"]),
    (["load", "{root}/out", "--graph-store", "ftp://127.0.0.1/store"], 2, ["ftp://"]),
    (["eval", "--gold", "{root}/gold.json", "{root}/good"], 2, ["{root}/gold.json", "not a gold file"]),
    (["queries"], 0, []),
]


@pytest.mark.parametrize("args, code, words", EXIT_TABLE)
def test_exit_status_per_command(exit_cases, args, code, words):
    port = socket_free_port()
    fill = lambda text: text.format(root=exit_cases, port=port)  # noqa: E731
    result = invoke(*map(fill, args))
    if code == 0:
        assert result.exit_code == 0, result.output
    else:
        one_error_line(result, code, *map(fill, words))


def test_an_internal_error_exits_3_and_says_so(tmp_path, monkeypatch):
    import pipeline.query

    def broken(*args, **kwargs):
        raise KeyError("a bug")

    monkeypatch.setattr(pipeline.query, "list_queries", broken)
    result = invoke("queries")
    line = one_error_line(result, 3, "internal error", "KeyError", "--debug")
    assert line.startswith("evkg: error:")


def test_a_non_utf8_param_is_a_usage_error(sample_build):
    result = subprocess.run([sys.executable, "-m", "pipeline", "query", "claims-by-actor", "--data", sample_build,
                             "--param", b"actor=\xff\xfe"], cwd=ROOT, capture_output=True)
    assert result.returncode == 2
    errors = [line for line in result.stderr.decode("utf-8", "replace").splitlines() if "rror" in line]
    assert len(errors) == 1 and "not UTF-8" in errors[0] and "--param" in errors[0], result.stderr


def test_sigterm_stops_a_build_with_one_line(tmp_path):
    inputs = generated_corpus(tmp_path / "in", 30, seed=3)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "build", str(inputs), "-o", str(out), "--jobs", "2",
                             "--no-progress"], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not (out / ".evkg-cache").exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM, stderr
    assert stderr.splitlines() == [f"evkg: stopped by SIGTERM; {out} keeps its last complete build"]
    final = evkg("build", inputs, "-o", out, "--no-progress")
    assert final.returncode == 0, final.stderr


def test_a_worker_killed_while_rendering_fails_its_documents_by_name(tmp_path, monkeypatch, watchdog):
    import pipeline.build
    from pipeline.build import build

    real = pipeline.build.document_graph
    parent = os.getpid()

    def document_graph(item, minter):
        if item.document.id == "b" and os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(item, minter)

    monkeypatch.setattr(pipeline.build, "document_graph", document_graph)
    monkeypatch.setattr(pipeline.build, "RENDER_BATCH_DOCS", 1)
    inputs = corpus(tmp_path / "in", {"a": GOOD, "b": GOOD.replace("Putin", "Peskov"), "c": DATED})
    seen = []
    report = build([inputs], tmp_path / "out", jobs=2, on_problem=seen.append)
    assert [(p.doc_id, p.reason) for p in seen] == [
        ("b", "RDF output failed: worker process died twice (killed by SIGKILL)")]
    assert report.exit_code == 1
    assert sorted(p.name for p in (tmp_path / "out" / "docs").iterdir()) == ["a.ttl", "c.ttl"]
    assert_manifest_describes_the_files(tmp_path / "out")
