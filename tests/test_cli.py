"""The `evkg` command-line contract of issue #2, on the sample build.

build -> exit 0 and the output files; validate -> exit 0, or 1 with one line per violation;
queries -> one line per canned query with its parameters; query NAME|FILE.rq --data OUTDIR|FILE...
[--param KEY=VALUE]... [--format table|csv|json]; each canned query answers with a row a reader
of the sample articles expects.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH

from pipeline.cli import main
from pipeline.resources import shapes_path
from pipeline.vocab import DEFAULT_BASE

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "data" / "articles"
QUERIES = ROOT / "queries"
DOC_IDS = sorted(p.stem for p in ARTICLES.glob("*.txt"))
EVKG = "https://w3id.org/evkg/ontology#"
PUTIN_IRI = DEFAULT_BASE + "actor/vladimir-putin"
ISKP = "Islamic State Khorasan Province"
CROCUS = "Crocus City Hall attack"
WHO_VARS = ["claimant", "claimant_iri", "kind", "cue", "target", "target_iri", "event", "said_on", "hedged",
            "document", "start", "end", "evidence", "claim_iri"]


def doc_id(prefix: str) -> str:
    (found,) = [d for d in DOC_IDS if d.startswith(prefix + "_")]
    return found


def run(*args: str, code: int | None = 0):
    result = CliRunner().invoke(main, [str(a) for a in args])
    if code is not None:
        assert result.exit_code == code, (
            f"evkg {' '.join(map(str, args))} exited {result.exit_code}, expected {code}\n"
            f"stdout: {result.stdout}\nstderr: {result.stderr}\n{result.exception!r}")
    return result


def query_json(*args: str) -> list[dict]:
    rows = json.loads(run("query", *args, "--format", "json").stdout)
    assert isinstance(rows, list)
    return rows


def has_row(rows: list[dict], **expected) -> bool:
    return any(all(row.get(k) == v for k, v in expected.items()) for row in rows)


def show(rows: list[dict], *keys: str) -> str:
    keys = keys or tuple(rows[0]) if rows else ()
    return "\n".join("  " + " | ".join(str(r.get(k)) for k in keys) for r in rows) or "  (no rows)"


# --------------------------------------------------------------------------------------------
# build


def test_build(sample_build, tmp_path):
    outdir = tmp_path / "out"
    result = run("build", ARTICLES, "-o", outdir, "--no-progress")
    assert f"built {len(DOC_IDS)} document(s)" in result.stderr
    for name in ("graph.trig", "graph.ttl", "validation.ttl", "manifest.json"):
        assert (outdir / name).is_file(), name
    assert sorted(p.name for p in (outdir / "docs").glob("*.ttl")) == [f"{d}.ttl" for d in DOC_IDS]
    # Same input, same bytes: the CLI build equals the session build (made through the API).
    for name in ("graph.trig", "graph.ttl", "validation.ttl", "manifest.json",
                 *(f"docs/{d}.ttl" for d in DOC_IDS)):
        assert (outdir / name).read_bytes() == (sample_build / name).read_bytes(), name


def test_build_missing_input_is_a_usage_error(tmp_path):
    result = run("build", tmp_path / "nope", "-o", tmp_path / "out", code=None)
    assert result.exit_code == 2
    assert "nope" in result.stderr


def test_verbose_and_quiet(sample_build, tmp_path):
    """-v: a line per document and the seconds per stage; -q: nothing but errors and warnings."""
    outdir = tmp_path / "out"
    verbose = run("-v", "build", ARTICLES, "-o", outdir, "--no-progress").stderr.splitlines()
    assert verbose[:len(DOC_IDS)] == [
        f"evkg: {d['id']}: ok, {d['claims']} claim(s), {d['figures']} figure(s), {d['triples']} triple(s)"
        for d in json.loads((sample_build / "manifest.json").read_text(encoding="utf-8"))["documents"]]
    assert verbose[len(DOC_IDS)].startswith("evkg: seconds per stage: ") and " nlp " in verbose[len(DOC_IDS)]
    assert verbose[-1].startswith(f"evkg: built {len(DOC_IDS)} document(s)") and len(verbose) == len(DOC_IDS) + 2

    assert run("-q", "build", ARTICLES, "-o", outdir).stderr == ""
    assert run("build", ARTICLES, "-o", outdir, "--no-progress").stderr.startswith("evkg: built ")
    limited = ("query", "who-blamed-whom", "--data", outdir, "--limit", "1")
    assert run(*limited).stderr.endswith("rows (--limit)\n")
    assert run("-q", *limited).stderr == ""
    assert run("-v", *limited).stderr.startswith("evkg: who-blamed-whom: ")
    error = run("-q", "show", "no-such-claim", "--data", outdir, code=2).stderr
    assert error.startswith("evkg: error: no claim in "), "errors stay"


@pytest.mark.parametrize("command", [["build", "{text}", "-o", "{tmp}/out", "--no-progress"],
                                     ["explain", "The mayor of Ostrov blamed the council."]])
def test_without_the_spacy_model_one_line_says_how_to_install_it(tmp_path, command):
    """The model is simulated missing (a name no package has), not uninstalled."""
    (tmp_path / "a.txt").write_text("The mayor of Ostrov blamed the council for the flood.\n", encoding="utf-8")
    args = [a.format(text=tmp_path / "a.txt", tmp=tmp_path) for a in command]
    script = ("import sys; import pipeline.nlp as nlp; nlp.MODEL = 'en_no_such_model'; "
              "from pipeline.cli import main; sys.argv = ['evkg'] + sys.argv[1:]; main()")
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 1, done.stderr
    assert done.stderr == (
        "evkg: error: the spaCy model en_no_such_model is not installed; install it from a wheel folder with "
        "`pip install --no-index --find-links ../shared/wheels en_no_such_model` or from spaCy's host with "
        "`python -m spacy download en_no_such_model`\n")


# --------------------------------------------------------------------------------------------
# validate


@pytest.mark.parametrize("name", ["graph.ttl", "graph.trig", f"docs/{DOC_IDS[0]}.ttl"])
def test_validate_conforming_output(sample_build, name):
    result = run("validate", sample_build / name)
    assert "conforms" in result.stdout


def test_validate_a_build_folder(sample_build, tmp_path):
    """A build folder: its graph.ttl is validated, graph.trig when there is no graph.ttl."""
    assert run("validate", sample_build).stdout == f"{sample_build / 'graph.ttl'}: conforms\n"
    trig_only = tmp_path / "trig-only"
    trig_only.mkdir()
    shutil.copy(sample_build / "graph.trig", trig_only / "graph.trig")
    assert run("validate", trig_only).stdout == f"{trig_only / 'graph.trig'}: conforms\n"
    not_a_build = run("validate", tmp_path / "trig-only" / "..", code=2)
    assert not_a_build.stderr == (f"evkg: error: {tmp_path / 'trig-only' / '..'} is a folder without graph.ttl "
                                  f"or graph.trig (is it an evkg build folder?)\n")


def violation_pairs(data: Graph, shapes: Graph) -> list[tuple[str, str]]:
    """(focus, path) of each violation, as pyshacl reports them (the CLI must print one line each)."""
    _, report, _ = shacl_validate(data, shacl_graph=shapes, inference="none")
    return sorted((str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultPath)))
                  for r in report.subjects(RDF.type, SH.ValidationResult))


LINE = re.compile(r"^(?P<focus>\S+) (?P<path>\S+): (?P<message>\S.*)$")


def parse_lines(stdout: str) -> list[tuple[str, str, str]]:
    lines = [line for line in stdout.splitlines() if line.strip()]
    parsed = []
    for line in lines:
        match = LINE.match(line)
        assert match, f"not a 'focus path: message' line: {line!r}"
        parsed.append((match["focus"], match["path"], match["message"]))
    return parsed


def test_validate_broken_file(sample_build, tmp_path):
    """A Claim without claimant and an Actor without label: exit 1, one line per violation."""
    graph = Graph().parse(sample_build / "docs" / f"{doc_id('001')}.ttl", format="turtle")
    claim = sorted(graph.subjects(RDF.type, URIRef(EVKG + "Claim")))[0]
    graph.remove((claim, URIRef(EVKG + "claimant"), None))
    actor = URIRef(DEFAULT_BASE + "actor/david-cameron")
    assert graph.value(actor, RDFS.label) is not None
    graph.remove((actor, RDFS.label, None))
    broken = tmp_path / "broken.ttl"
    broken.write_text(graph.serialize(format="turtle"), encoding="utf-8")

    result = run("validate", broken, code=1)
    lines = parse_lines(result.stdout)
    expected = violation_pairs(graph, Graph().parse(shapes_path(), format="turtle"))
    assert sorted((f, p) for f, p, _ in lines) == expected, "one stdout line per violation"
    assert (str(claim), EVKG + "claimant") in {(f, p) for f, p, _ in lines}
    assert (str(actor), str(RDFS.label)) in {(f, p) for f, p, _ in lines}
    assert all(message.strip() for _, _, message in lines)
    assert "violation" in result.stderr


def test_validate_with_other_shapes(sample_build, tmp_path):
    shapes = tmp_path / "strict.ttl"
    shapes.write_text(f"""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix evkg: <{EVKG}> .
@prefix ex: <https://example.org/test#> .
ex:SourceReviewed a sh:NodeShape ;
    sh:targetClass evkg:Source ;
    sh:property [ sh:path ex:reviewedBy ; sh:minCount 1 ; sh:message "a source needs a reviewer" ] .
""", encoding="utf-8")
    result = run("validate", sample_build / "graph.ttl", "--shapes", shapes, code=1)
    lines = parse_lines(result.stdout)
    assert sorted(f for f, _, _ in lines) == sorted(f"{DEFAULT_BASE}source/{d}" for d in DOC_IDS)
    assert {(p, m) for _, p, m in lines} == {("https://example.org/test#reviewedBy", "a source needs a reviewer")}


def test_validate_missing_file(tmp_path):
    result = run("validate", tmp_path / "missing.ttl", code=2)
    assert "missing.ttl" in result.stderr


# --------------------------------------------------------------------------------------------
# queries


def header(rq: Path) -> tuple[str, list[str]]:
    text = rq.read_text(encoding="utf-8")
    name = re.search(r"^# name:\s*(\S+)", text, re.M)
    params = re.findall(r"^# param:\s*(\S+)", text, re.M)
    return (name.group(1) if name else rq.stem), params


def test_queries_lists_every_canned_query_with_its_parameters():
    lines = [line for line in run("queries").stdout.splitlines() if line.strip()]
    files = sorted(QUERIES.glob("*.rq"))
    assert len(lines) == len(files), "one line per canned query"
    for rq in files:
        name, params = header(rq)
        (line,) = [line for line in lines if line.split()[0] == name]
        for param in params:
            assert f"{param}=" in line, (name, param, line)
        assert len(line.split()) > 2, f"{name}: no description in {line!r}"
    by_name = {line.split()[0]: line for line in lines}
    assert "actor=" in by_name["claims-by-actor"] and "kind=" in by_name["who-blamed-whom"]


# --------------------------------------------------------------------------------------------
# query: formats, data, files, parameters


def test_query_json(sample_build):
    rows = query_json("who-blamed-whom", "--data", sample_build)
    assert rows
    for row in rows:
        assert list(row) == WHO_VARS
    assert has_row(rows, claimant="Vladimir Putin", claimant_iri=PUTIN_IRI, kind="accuses", target="Ukraine",
                   target_iri=DEFAULT_BASE + "actor/ukraine", hedged=True), show(rows, "claimant", "kind", "target", "hedged")
    assert has_row(rows, claimant=ISKP, kind="claims_responsibility", document=doc_id("001"))
    assert all(isinstance(row["hedged"], bool) for row in rows)


def test_claim_rows_lead_to_their_sentence(sample_build):
    """Each row's claim IRI, cue and offsets: the offsets cut the evidence out of the article text."""
    rows = query_json("who-blamed-whom", "--data", sample_build)
    for row in rows:
        text = (ARTICLES / f"{row['document']}.txt").read_text(encoding="utf-8")
        assert text[row["start"]:row["end"]] == row["evidence"], row
        assert row["cue"] and row["cue"].casefold() in row["evidence"].casefold(), row
        assert row["claim_iri"].startswith(DEFAULT_BASE + "claim/"), row
    assert has_row(rows, claimant="Vladimir Putin", kind="accuses", cue="insinuated", target="Ukraine",
                   document=doc_id("004"))


def test_query_csv(sample_build):
    result = run("query", "who-blamed-whom", "--data", sample_build, "--format", "csv")
    table = list(csv.reader(io.StringIO(result.stdout)))
    assert table[0] == WHO_VARS
    rows = [dict(zip(table[0], r)) for r in table[1:]]
    assert has_row(rows, claimant="Vladimir Putin", kind="accuses", target="Ukraine", hedged="true")
    assert len(rows) == len(query_json("who-blamed-whom", "--data", sample_build))


def test_query_table_is_what_make_run_prints(sample_build):
    """`make run`: who blamed whom, including Putin -> Ukraine (hedged) and IS-K claiming responsibility."""
    result = run("query", "who-blamed-whom", "--data", sample_build, "--format", "table", "--wide")
    lines = result.stdout.splitlines()
    assert lines[0].split() == WHO_VARS
    assert set(lines[1]) == {"─"}
    assert any(re.search(r"Vladimir Putin .* accuses +insinuated +Ukraine .* true ", line) for line in lines), result.stdout
    assert any(re.search(rf"{ISKP} .* claims_responsibility +\S+ +{ISKP} ", line) for line in lines), result.stdout
    assert run("query", "who-blamed-whom", "--data", sample_build, "--wide").stdout == result.stdout, \
        "table is the default"


def test_query_output_is_deterministic(sample_build):
    args = ("query", "who-blamed-whom", "--data", sample_build, "--format", "json")
    assert run(*args).stdout == run(*args).stdout


@pytest.mark.parametrize("data", ["graph.ttl", "graph.trig", "docs"])
def test_query_data_files(sample_build, data):
    """--data accepts the build folder, graph.trig, graph.ttl or several files, with the same rows."""
    expected = query_json("who-blamed-whom", "--data", sample_build)
    if data == "docs":
        args = [a for d in DOC_IDS for a in ("--data", sample_build / "docs" / f"{d}.ttl")]
    else:
        args = ["--data", sample_build / data]
    assert query_json("who-blamed-whom", *args) == expected


def test_query_file_syntax_error_names_file_line_and_reason(sample_build, tmp_path):
    broken = tmp_path / "broken.rq"
    broken.write_text("# name: broken\nPREFIX evkg: <https://w3id.org/evkg/ontology#>\nSELECT ?claim WHERE {\n"
                      "  ?claim a evkg:Claim\n}\nLIMIT ten\n", encoding="utf-8")
    result = run("query", broken, "--data", sample_build, code=2)
    assert re.fullmatch(rf"evkg: error: {re.escape(str(broken))}: line 6, column 7: not valid SPARQL: expected .+\n",
                        result.stderr), result.stderr
    assert len(result.stderr) < 400, "a reason in one short line"
    broken.write_text("# name: broken\n# param: 2x no name\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    result = run("query", broken, "--data", sample_build, code=2)
    assert result.stderr == f"evkg: error: {broken}: line 2: malformed '# param:' line: '2x no name'\n"


def test_query_from_a_file(sample_build, tmp_path):
    copy = tmp_path / "mine.rq"
    shutil.copy(QUERIES / "who-blamed-whom.rq", copy)
    assert query_json(copy, "--data", sample_build) == query_json("who-blamed-whom", "--data", sample_build)
    assert query_json(copy, "--data", sample_build, "--param", "kind=warns")
    count = tmp_path / "count.rq"
    count.write_text("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }\n", encoding="utf-8")
    manifest = json.loads((sample_build / "manifest.json").read_text(encoding="utf-8"))
    assert query_json(count, "--data", sample_build) == [{"n": manifest["counts"]["triples"]}]


def test_query_param_kind(sample_build):
    rows = query_json("who-blamed-whom", "--data", sample_build, "--param", "kind=accuses")
    assert rows and {r["kind"] for r in rows} == {"accuses"}
    assert has_row(rows, claimant="Vladimir Putin", target="Ukraine", hedged=True)


@pytest.mark.parametrize("actor", ["Putin", "putin", "Vladimir Putin", PUTIN_IRI, f"<{PUTIN_IRI}>"])
def test_claims_by_actor(sample_build, actor):
    rows = query_json("claims-by-actor", "--data", sample_build, "--param", f"actor={actor}")
    assert has_row(rows, role="claimant", claimant="Vladimir Putin", kind="accuses", target="Ukraine",
                   hedged=True), show(rows, "role", "claimant", "kind", "target")
    for row in rows:
        assert (row["claimant_iri"] if row["role"] == "claimant" else row["target_iri"]) == PUTIN_IRI, row
    assert rows == query_json("claims-by-actor", "--data", sample_build, "--param", "actor=Vladimir Putin")


def test_query_parameter_errors(sample_build):
    missing = run("query", "claims-by-actor", "--data", sample_build, code=None)
    assert missing.exit_code != 0 and "actor" in missing.stderr
    unknown = run("query", "who-blamed-whom", "--data", sample_build, "--param", "nope=1", code=None)
    assert unknown.exit_code != 0 and "nope" in unknown.stderr
    malformed = run("query", "who-blamed-whom", "--data", sample_build, "--param", "kind", code=None)
    assert malformed.exit_code != 0
    no_query = run("query", "no-such-query", "--data", sample_build, code=None)
    assert no_query.exit_code != 0 and "who-blamed-whom" in no_query.stderr


# --------------------------------------------------------------------------------------------
# Each canned query on the sample output


def check_who_blamed_whom(rows):
    assert has_row(rows, claimant="Vladimir Putin", kind="accuses", target="Ukraine", hedged=True)
    assert has_row(rows, claimant=ISKP, kind="claims_responsibility")


def check_claims_by_actor(rows):
    assert has_row(rows, role="claimant", claimant="Vladimir Putin", kind="disputes", target="United States",
                   said_on="2024-03-19", document=doc_id("003"))


def check_responsibility_claims(rows):
    assert has_row(rows, claimant=ISKP, kind="claims_responsibility", document=doc_id("001"))
    assert has_row(rows, claimant="Islamic State", kind="claims_responsibility", said_on="2024-03-22",
                   document=doc_id("002"), event=CROCUS)
    assert {r["kind"] for r in rows} <= {"claims_responsibility", "confirms"}


def check_denials_and_disputes(rows):
    assert has_row(rows, claimant="David Cameron", kind="disputes", target="Russia", document=doc_id("001"))
    assert has_row(rows, claimant="Maria Zakharova", kind="disputes", target=ISKP, document=doc_id("001"))
    assert {r["kind"] for r in rows} <= {"denies", "disputes"}


def check_timeline(rows):
    assert has_row(rows, date="2024-03-22", type="event", label=CROCUS)
    assert has_row(rows, date="2024-03-06", dated="statement", type="claim", label="United States warns Russia",
                   kind="warns", document=doc_id("004"))
    # 001 is the one sample with a publication date (2024-03-27): it is a row, and its undated
    # claims are placed there, marked as dated by the publication.
    assert has_row(rows, date="2024-03-27", dated="publication", type="publication", document=doc_id("001"))
    assert has_row(rows, date="2024-03-27", dated="publication", type="claim", label="David Cameron disputes Russia",
                   document=doc_id("001"))
    assert {r["dated"] for r in rows if r["type"] == "claim" and r["document"] != doc_id("001")} == {"statement"}
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates), "in date order"


def check_conflicting_figures(rows):
    """A pivot: one row per (event, measure), one column per source with what it reported."""
    killed = next(r for r in rows if r["event"] == CROCUS and r["measure"] == "killed")
    expected = {doc_id("000"): "137", doc_id("001"): "at least 140", doc_id("002"): "at least 139"}
    assert {d: killed.get(d) for d in expected} == expected, (
        f"the Crocus City Hall attack death toll differs between sources (137 in 000, 'at least 140 people "
        f"dead' in 001, 'At least 139 people were killed' in 002): {killed}")
    assert list(killed)[:2] == ["event", "measure"] and sorted(list(killed)[2:]) == list(killed)[2:]
    assert len({(r["event"], r["measure"]) for r in rows}) == len(rows)


def check_figures(rows):
    assert has_row(rows, event=CROCUS, measure="killed", value=137, document=doc_id("000"))
    assert has_row(rows, event=CROCUS, measure="injured", value=182, document=doc_id("000"))
    assert all(isinstance(r["value"], int) for r in rows)


def check_actors(rows):
    assert has_row(rows, actor="Vladimir Putin", actor_iri=PUTIN_IRI, type="Person")
    assert has_row(rows, actor=ISKP, type="Group")
    assert has_row(rows, actor="Russia", type="Country")
    assert has_row(rows, actor="Ukraine", type="Country")
    putin = next(r for r in rows if r["actor_iri"] == PUTIN_IRI)
    assert putin["as_claimant"] >= 4 and putin["documents"] >= 4, putin


def check_blame_network(rows):
    assert has_row(rows, claimant="Vladimir Putin", kind="accuses", target="Ukraine", statements=1, sources=4)


def check_contested_claims(rows):
    assert has_row(rows, claimant="Vladimir Putin", kind="accuses", target="Ukraine", responder="United States",
                   response_kind="denies", response_document=doc_id("002"))
    assert has_row(rows, claimant="Vladimir Putin", kind="accuses", target="Ukraine", responder="David Cameron",
                   response_kind="disputes", response_document=doc_id("001"))


def check_statements_by_source(rows):
    assert has_row(rows, document=doc_id("004"), claimant="Vladimir Putin", kind="accuses", target="Ukraine", sources=4)


def check_events(rows):
    assert has_row(rows, event=CROCUS, type="Attack", place="Crocus City Hall", occurred_on="2024-03-22", documents=5)


CANNED = {
    "blame-network": ([], check_blame_network),
    "contested-claims": ([], check_contested_claims),
    "statements-by-source": ([], check_statements_by_source),
    "events": ([], check_events),
    "who-blamed-whom": ([], check_who_blamed_whom),
    "claims-by-actor": (["--param", "actor=Putin"], check_claims_by_actor),
    "responsibility-claims": ([], check_responsibility_claims),
    "denials-and-disputes": ([], check_denials_and_disputes),
    "timeline": ([], check_timeline),
    "conflicting-figures": ([], check_conflicting_figures),
    "figures": ([], check_figures),
    "actors": ([], check_actors),
}


def test_every_canned_query_has_a_check():
    assert set(CANNED) == {header(rq)[0] for rq in QUERIES.glob("*.rq")}


@pytest.mark.parametrize("name", sorted(CANNED))
def test_canned_query_rows(sample_build, name):
    args, check = CANNED[name]
    rows = query_json(name, "--data", sample_build, *args)
    assert rows, f"{name} returned no rows"
    try:
        check(rows)
    except AssertionError as exc:
        raise AssertionError(f"{name}: {exc}\nrows:\n{show(rows)}") from None
    # The same rows from graph.ttl (everything in the default graph).
    assert query_json(name, "--data", sample_build / "graph.ttl", *args) == rows


def test_conflicting_figures_measure_param(sample_build):
    rows = query_json("conflicting-figures", "--data", sample_build, "--param", "measure=killed")
    assert [(r["event"], r["measure"], r[doc_id("000")]) for r in rows] == [(CROCUS, "killed", "137")]


def test_conflicting_figures_pivot_in_every_format(sample_build):
    """csv and the table hold the same pivot as json: a column per source, empty where it said nothing."""
    rows = query_json("conflicting-figures", "--data", sample_build)
    csv_text = run("query", "conflicting-figures", "--data", sample_build, "--format", "csv").stdout
    assert list(csv.DictReader(io.StringIO(csv_text))) == [{k: v or "" for k, v in r.items()} for r in rows]
    table = run("query", "conflicting-figures", "--data", sample_build, "--format", "table", "--wide").stdout
    assert table.splitlines()[0].split() == list(rows[0])
    assert re.search(rf"^{CROCUS} +killed +137 +at least 140 +at least 139$", table, re.MULTILINE), table
    injured = next(r for r in rows if r["measure"] == "injured")
    assert injured[doc_id("001")] is None, "001 gives no number of injured"
