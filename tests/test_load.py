"""`evkg load` / `evkg export` / `evkg query --endpoint` against a real SPARQL server.

The server is `oxigraph serve` (the `oxigraph` test dependency) with its default options, on a
free loopback port and a temporary store, started per test and stopped afterwards. Failure modes
a real server will not produce on demand (HTTP 500, 503 then success, a rejected graph, a dropped
connection, authentication) come from a small local http.server that counts its hits.
"""

from __future__ import annotations

import base64
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Callable, Optional
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
import pytest
import requests
from click.testing import CliRunner

from conftest import stop_server
from pipeline.cli import main
from pipeline.load import ONTOLOGY_GRAPH, export_nquads, load, query_endpoint_for
from pipeline.query import bind_params, list_queries, load_query, run_query_endpoint
from pipeline.resources import ontology_path

BIN = Path(sys.executable).parent
HOSTILE = [
    'x" } DROP ALL #',
    "x' } ; DROP ALL ; #",
    '"""} DROP ALL {"""',
    "<http://example.org/x> } DROP ALL { <http://example.org/y>",
    "http://example.org/a>} DROP ALL #",
    "\\\" } DROP ALL #",
    "DROP ALL",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _oxigraph() -> str:
    local = BIN / "oxigraph"
    binary = str(local) if local.is_file() else shutil.which("oxigraph")
    if binary is None:
        pytest.fail("the oxigraph server binary is missing: pip install -e '.[test]'")
    return binary


def _cli(*args: str, env: Optional[dict] = None):
    result = CliRunner().invoke(main, [str(a) for a in args], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def _one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


# --------------------------------------------------------------------------------------------
# A real server


@contextmanager
def _oxigraph_server(location: Path, *options: str):
    """`oxigraph serve` on a free loopback port (default options unless given); stopped on exit."""
    binary = _oxigraph()
    for _ in range(3):  # another process may grab the free port first
        port = _free_port()
        proc = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                                 *options], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                requests.get(f"{base}/query", params={"query": "ASK {}"}, timeout=1).raise_for_status()
                break
            except requests.RequestException:
                time.sleep(0.05)
        if proc.poll() is None:
            break
    else:
        pytest.fail(f"oxigraph serve did not start: {proc.stderr.read().decode(errors='replace')}")
    try:
        yield SimpleNamespace(store=f"{base}/store", query=f"{base}/query", base=base)
    finally:
        stop_server(proc, timeout=10)
        proc.stderr.close()


@pytest.fixture
def server(tmp_path):
    """`oxigraph serve` with its default options and an empty store."""
    with _oxigraph_server(tmp_path / "oxigraph-db") as running:
        yield running


def _select(query_url: str, query: str) -> list[dict]:
    response = requests.post(query_url, data={"query": query},
                             headers={"Accept": "application/sparql-results+json"}, timeout=10)
    response.raise_for_status()
    return response.json()["results"]["bindings"]


def _quads(server) -> int:
    """Every quad in the store: default graph and named graphs."""
    rows = _select(server.query, "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")
    return int(rows[0]["n"]["value"])


def _graphs(server) -> set[str]:
    return {r["g"]["value"] for r in _select(server.query, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}


def _trig_graphs(outdir: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for quad in ox.parse(path=str(outdir / "graph.trig"), format=ox.RdfFormat.TRIG):
        counts[quad.graph_name.value] = counts.get(quad.graph_name.value, 0) + 1
    return counts


def _ontology_triples() -> int:
    return len(set(ox.parse(path=str(ontology_path()), format=ox.RdfFormat.TURTLE)))


# --------------------------------------------------------------------------------------------
# A scripted HTTP server for failures


@dataclass
class Hit:
    method: str
    path: str
    graph: Optional[str]
    headers: dict
    body: bytes


@dataclass
class FakeStore:
    """A Graph Store Protocol endpoint in a dict; ``respond`` may override any answer."""

    url: str = ""
    hits: list[Hit] = field(default_factory=list)
    graphs: dict[str, bytes] = field(default_factory=dict)
    respond: Optional[Callable[[Hit], Optional[tuple]]] = None

    def default(self, hit: Hit) -> tuple:
        if hit.method == "PUT":
            created = hit.graph not in self.graphs
            self.graphs[hit.graph] = hit.body
            return (201 if created else 204), {}, b""
        if hit.method == "GET":
            if hit.graph not in self.graphs:
                return 404, {"Content-Type": "text/plain"}, b"no such graph"
            return 200, {"Content-Type": "text/turtle"}, self.graphs[hit.graph]
        if hit.method == "DELETE":
            return (204 if self.graphs.pop(hit.graph, None) is not None else 404), {}, b""
        return 405, {"Content-Type": "text/plain"}, b"method not allowed"


@pytest.fixture
def fake():
    store = FakeStore()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def _handle(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            url = urlsplit(self.path)
            hit = Hit(self.command, url.path, parse_qs(url.query).get("graph", [None])[0],
                      dict(self.headers), body)
            store.hits.append(hit)
            answer = store.respond(hit) if store.respond else None
            if answer is None:
                answer = store.default(hit)
            if answer == "drop":  # close the connection without answering
                self.close_connection = True
                return
            status, headers, payload = answer
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    # Not .../store or .../data: no query endpoint is derived, the count check GETs the graphs.
    store.url = f"http://127.0.0.1:{httpd.server_address[1]}/gsp"
    try:
        yield store
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


# --------------------------------------------------------------------------------------------
# Round trip against Oxigraph


def _param_cases(outdir: Path) -> list[tuple[str, list[str]]]:
    actors = json.loads(_cli("query", "actors", "--data", outdir, "--format", "json").stdout)
    assert actors
    cases = []
    for query in list_queries():
        names = {p.name for p in query.params}
        cases.append((query.name, ["--param", f"actor={actors[0]['actor']}"] if "actor" in names else []))
        if "actor" in names:
            cases.append((query.name, ["--param", f"actor=<{actors[-1]['actor_iri']}>"]))
        for name, value in (("kind", "accuses"), ("measure", "killed")):
            if name in names:
                cases.append((query.name, ["--param", f"{name}={value}"]))
    return cases


def test_load_then_query_gives_the_local_rows(server, sample_build):
    result = _cli("load", sample_build, "--graph-store", server.store)
    assert result.exit_code == 0, result.stderr
    expected = sum(_trig_graphs(sample_build).values()) + _ontology_triples()
    assert _one_line(result.stderr) == (f"evkg: loaded {len(_trig_graphs(sample_build)) + 1} graph(s), "
                                        f"{expected} quad(s), {expected} counted on the server ({server.store})")
    assert _quads(server) == expected

    local = _cli("query", "who-blamed-whom", "--data", sample_build, "--format", "json")
    remote = _cli("query", "who-blamed-whom", "--endpoint", server.query, "--format", "json")
    assert remote.exit_code == 0 == local.exit_code, remote.stderr
    assert json.loads(local.stdout), "the sample build has no claims: the comparison proves nothing"
    assert remote.stdout == local.stdout

    for name, params in _param_cases(sample_build):
        for fmt in ("json", "csv", "table"):
            local = _cli("query", name, "--data", sample_build, "--format", fmt, *params)
            remote = _cli("query", name, "--endpoint", server.query, "--format", fmt, *params)
            assert (remote.exit_code, remote.stdout) == (0, local.stdout), (name, params, fmt, remote.stderr)


def test_same_rows_on_a_union_default_graph_server(sample_build, tmp_path):
    """Servers set to merge the named graphs into the default graph give the same rows too."""
    with _oxigraph_server(tmp_path / "db", "--union-default-graph") as union:
        assert load(sample_build, union.store).ok
        # The default graph is the union here (it is empty on a default server: nothing is loaded into it).
        assert int(_select(union.query, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]["value"]) > 0
        for name, params in _param_cases(sample_build):
            local = _cli("query", name, "--data", sample_build, "--format", "json", *params)
            remote = _cli("query", name, "--endpoint", union.query, "--format", "json", *params)
            assert (remote.exit_code, remote.stdout) == (0, local.stdout), (name, params, remote.stderr)


def test_loading_twice_changes_nothing(server, sample_build):
    trig = _trig_graphs(sample_build)
    first = load(sample_build, server.store)
    assert first.ok and first.error is None
    assert {g.iri: g.counted for g in first.loaded} == {**trig, ONTOLOGY_GRAPH: _ontology_triples()}
    assert _graphs(server) == set(trig) | {ONTOLOGY_GRAPH}
    assert _select(server.query, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]["value"] == "0"  # default graph
    count = _quads(server)
    assert count == first.expected == first.counted == sum(trig.values()) + _ontology_triples()

    second = load(sample_build, server.store)
    assert second.ok and second.counted == first.counted
    assert _quads(server) == count
    assert _graphs(server) == set(trig) | {ONTOLOGY_GRAPH}

    # The ontology is optional; what is in the store stays.
    third = load(sample_build, server.store, ontology=False)
    assert third.ok and ONTOLOGY_GRAPH not in {g.iri for g in third.graphs}
    assert _quads(server) == count


def _drop_last_document(build: Path, tmp_path: Path) -> tuple[Path, str]:
    """A copy of ``build`` without its last document; returns the copy and that document's graph."""
    copy = tmp_path / "smaller"
    shutil.copytree(build, copy)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    gone = manifest["documents"].pop()
    (copy / "docs" / gone["file"]).unlink()
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return copy, f"{manifest['base']}graph/{gone['id']}"


def test_replace_removes_only_this_builds_stale_graphs(server, sample_build, tmp_path):
    smaller, stale = _drop_last_document(sample_build, tmp_path)
    trig = _trig_graphs(sample_build)
    assert stale in trig
    foreign = "http://example.org/somebody-elses-graph"
    requests.put(server.store, params={"graph": foreign}, data=b"<http://example.org/s> <http://example.org/p> 1 .",
                 headers={"Content-Type": "text/turtle"}, timeout=10).raise_for_status()
    requests.put(f"{server.store}?default", data=b"<http://example.org/s> <http://example.org/p> 2 .",
                 headers={"Content-Type": "text/turtle"}, timeout=10).raise_for_status()
    assert load(sample_build, server.store).ok

    without = load(smaller, server.store)
    assert without.ok and without.removed == []
    assert stale in _graphs(server)

    result = _cli("load", smaller, "--graph-store", server.store, "--replace")
    assert result.exit_code == 0, result.stderr
    assert "1 stale graph(s) removed" in _one_line(result.stderr)
    assert _graphs(server) == (set(trig) - {stale}) | {ONTOLOGY_GRAPH, foreign}
    assert _quads(server) == sum(trig.values()) - trig[stale] + _ontology_triples() + 2

    again = load(smaller, server.store, replace=True)  # nothing left to remove
    assert again.ok and again.removed == []


def test_hostile_parameters_stay_values_on_the_server(server, sample_build):
    assert load(sample_build, server.store).ok
    count = _quads(server)
    for value in HOSTILE:
        for name, param in (("claims-by-actor", "actor"), ("who-blamed-whom", "kind"), ("figures", "measure")):
            args = ("query", name, "--param", f"{param}={value}", "--format", "json")
            remote = _cli(*args, "--endpoint", server.query)
            local = _cli(*args, "--data", sample_build)
            # No actor, kind or measure has such a name: a usage error, on the server as locally ...
            assert (remote.exit_code, local.exit_code) == (2, 2), (value, remote.stderr, local.stderr)
            assert remote.stderr == local.stderr and remote.stdout == "" == local.stdout, value
            # ... and sent to the server as it is, the value stays one value.
            text = bind_params(load_query(name), {param: value})
            assert run_query_endpoint(text, server.query).rows == [], value
    assert _quads(server) == count


# --------------------------------------------------------------------------------------------
# Failures


def test_server_down_is_one_line_and_exit_1(sample_build):
    port = _free_port()  # nothing listens there
    evkg = BIN / "evkg"
    done = subprocess.run([str(evkg), "load", str(sample_build), "--graph-store",
                           f"http://127.0.0.1:{port}/store", "--retries", "1", "--backoff", "0"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stdout == ""
    assert _one_line(done.stderr) == (f"evkg: error: cannot reach the graph store http://127.0.0.1:{port}/store: "
                                      "connection refused (after 2 attempts); nothing was loaded")

    done = subprocess.run([str(evkg), "query", "who-blamed-whom", "--endpoint", f"http://127.0.0.1:{port}/query"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "connection refused" in _one_line(done.stderr)


def test_a_server_that_never_answers_times_out(sample_build):
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/store"
        started = time.monotonic()
        report = load(sample_build, url, retries=1, backoff=0, timeout=0.3)
    assert time.monotonic() - started < 5
    assert report.error == f"cannot reach the graph store {url}: timed out (after 2 attempts)"
    assert report.exit_code == 1 and not report.loaded


def test_server_answering_500_is_retried_then_a_clear_error(fake, sample_build):
    fake.respond = lambda hit: (500, {"Content-Type": "text/plain"}, b"disk on fire")
    result = _cli("load", sample_build, "--graph-store", fake.url, "--retries", "2", "--backoff", "0")
    assert result.exit_code == 1
    assert _one_line(result.stderr) == (
        f"evkg: error: the graph store {fake.url} refused PUT ?graph=<{ONTOLOGY_GRAPH}>: HTTP 500 Internal Server "
        "Error: disk on fire (after 3 attempts); nothing was loaded")
    assert [(h.method, h.graph) for h in fake.hits] == [("PUT", ONTOLOGY_GRAPH)] * 3

    # urllib3's schedule: the first retry at once, then the delays double, within the bound.
    fake.hits.clear()
    delays: list[float] = []
    report = load(sample_build, fake.url, retries=5, backoff=0.25, max_backoff=1.0, sleep=delays.append)
    assert delays == [0.5, 1.0, 1.0, 1.0]
    assert len(fake.hits) == 6 and report.exit_code == 1 and not report.loaded


def test_transient_errors_are_retried_and_the_load_completes(fake, sample_build):
    seen: set[str] = set()

    def flaky(hit):
        if hit.method == "PUT" and hit.graph not in seen:
            seen.add(hit.graph)
            return (503, {"Retry-After": "0"}, b"") if len(seen) % 2 else "drop"
        return None

    fake.respond = flaky
    report = load(sample_build, fake.url, retries=1, backoff=0)
    assert report.ok, (report.error, report.failed, report.count_error)
    assert [g.attempts for g in report.graphs] == [2] * len(report.graphs)
    assert set(fake.graphs) == {g.iri for g in report.graphs}
    # Counted by GETting each graph back (no query endpoint beside .../gsp).
    assert report.verified and report.counted == report.expected
    assert sum(1 for h in fake.hits if h.method == "GET") == len(report.graphs)


def test_a_rejected_graph_is_reported_and_the_others_load(fake, sample_build):
    bad = f"https://w3id.org/evkg/id/graph/{json.loads((sample_build / 'manifest.json').read_text())['documents'][1]['id']}"
    rejecting = True
    fake.respond = lambda hit: ((400, {"Content-Type": "text/plain"}, b"Parser error at line 3")
                                if rejecting and hit.method == "PUT" and hit.graph == bad else None)
    result = _cli("load", sample_build, "--graph-store", fake.url, "--retries", "3", "--backoff", "0")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith(f"evkg: error: graph <{bad}> (")
    assert lines[0].endswith("HTTP 400 Bad Request: Parser error at line 3 (after 1 attempt)")  # a 4xx is not retried
    total = len(_trig_graphs(sample_build)) + 1
    assert lines[1].startswith(f"evkg: loaded {total - 1} of {total} graph(s)")
    assert bad not in fake.graphs and len(fake.graphs) == total - 1

    rejecting = False  # running again completes the load
    assert _cli("load", sample_build, "--graph-store", fake.url).exit_code == 0
    assert len(fake.graphs) == total


def test_a_connection_lost_mid_load_stops_and_says_what_loaded(fake, sample_build):
    fake.respond = lambda hit: "drop" if sum(h.method == "PUT" for h in fake.hits) > 3 else None
    report = load(sample_build, fake.url, retries=2, backoff=0)
    assert [g.status for g in report.graphs][:4] == ["loaded", "loaded", "loaded", "pending"]
    assert set(g.status for g in report.graphs[4:]) == {"pending"}
    assert report.error == (f"cannot reach the graph store {fake.url}: remote end closed connection without "
                            "response (after 3 attempts)")
    assert report.exit_code == 1 and report.counted is None

    fake.hits.clear()
    result = _cli("load", sample_build, "--graph-store", fake.url, "--retries", "0")
    line = _one_line(result.stderr)
    assert result.exit_code == 1
    assert line.endswith(f"3 of {len(report.graphs)} graph(s) loaded; run `evkg load` again to finish "
                         "(nothing is duplicated)")


def test_a_count_that_differs_is_an_error(fake, sample_build):
    def lossy(hit):
        if hit.method == "GET" and hit.graph == ONTOLOGY_GRAPH:
            triples = list(ox.parse(fake.graphs[hit.graph], format=ox.RdfFormat.TURTLE))[1:]
            return 200, {"Content-Type": "application/n-triples"}, ox.serialize(triples, format=ox.RdfFormat.N_QUADS)
        return None

    fake.respond = lossy
    result = _cli("load", sample_build, "--graph-store", fake.url)
    assert result.exit_code == 1
    n = _ontology_triples()
    assert result.stderr.splitlines()[0] == (f"evkg: error: graph <{ONTOLOGY_GRAPH}>: {n} quad(s) sent, "
                                             f"{n - 1} on the server")


def test_authentication(fake, sample_build):
    token = "Basic " + base64.b64encode(b"evkg:s3cret").decode()
    fake.respond = lambda hit: None if hit.headers.get("Authorization") == token else (
        401, {"WWW-Authenticate": 'Basic realm="x"', "Content-Type": "text/plain"}, b"")
    result = _cli("load", sample_build, "--graph-store", fake.url)
    assert result.exit_code == 1
    assert "refused" in _one_line(result.stderr) and "HTTP 401 Unauthorized" in result.stderr
    assert len(fake.hits) == 1  # not retried

    assert _cli("load", sample_build, "--graph-store", fake.url, "--user", "evkg", "--password", "s3cret").exit_code == 0
    fake.graphs.clear()
    assert _cli("load", sample_build, "--graph-store", fake.url, "--user", "evkg",
                env={"EVKG_PASSWORD": "s3cret"}).exit_code == 0
    assert len(fake.graphs) == len(_trig_graphs(sample_build)) + 1


def test_usage_errors_exit_2_and_send_nothing(fake, sample_build, tmp_path):
    for args in (
        (tmp_path, "--graph-store", fake.url),  # no manifest.json
        (sample_build, "--graph-store", "ftp://example.org/data"),
        (sample_build, "--graph-store", fake.url, "--replace"),  # no query endpoint to list graphs
        (sample_build, "--graph-store", fake.url, "--password", "x"),
    ):
        result = _cli("load", *args)
        assert result.exit_code == 2, (args, result.stderr)
        assert _one_line(result.stderr).startswith("evkg: error: ")
    assert _cli("load", sample_build).exit_code == 2  # --graph-store is required
    assert fake.hits == []


@pytest.mark.parametrize("store,query", [
    ("http://localhost:7878/store", "http://localhost:7878/query"),
    ("http://h:3030/ds/data", "http://h:3030/ds/query"),
    ("https://h/fuseki/ds/data/", "https://h/fuseki/ds/query"),
    ("http://h:3030/ds", None),
    ("http://h/gsp", None),
])
def test_query_endpoint_for(store, query):
    assert query_endpoint_for(store) == query


# --------------------------------------------------------------------------------------------
# N-Quads for bulk loaders


def _without_blank_nodes(quads) -> set:
    return {q for q in quads if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)}


def test_export_nquads_for_bulk_loaders(sample_build, tmp_path):
    target = tmp_path / "evkg.nq"
    result = _cli("export", sample_build, "-o", target)
    assert result.exit_code == 0, result.stderr
    exported = list(ox.parse(path=str(target), format=ox.RdfFormat.N_QUADS))
    trig = list(ox.parse(path=str(sample_build / "graph.trig"), format=ox.RdfFormat.TRIG))
    ontology = [ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(ONTOLOGY_GRAPH))
                for q in ox.parse(path=str(ontology_path()), format=ox.RdfFormat.TURTLE)]
    assert len(exported) == len(trig) + len(ontology)
    assert result.stderr.strip() == f"evkg: wrote {len(exported)} quad(s) to {target}"
    assert _without_blank_nodes(exported) == _without_blank_nodes(trig + ontology)

    # `oxigraph load` takes it as is, and holds what `evkg load` would.
    db = tmp_path / "db"
    subprocess.run([_oxigraph(), "load", "--location", str(db), "--file", str(target)],
                   check=True, capture_output=True, timeout=60)
    counted = subprocess.run([_oxigraph(), "query", "--location", str(db), "--results-format", "csv", "--query",
                              "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"],
                             check=True, capture_output=True, text=True, timeout=60)
    assert counted.stdout.split() == ["n", str(len(exported))]

    # Without the ontology, to standard output.
    result = _cli("export", sample_build, "-o", "-", "--no-ontology")
    assert result.exit_code == 0
    assert len(list(ox.parse(result.stdout_bytes, format=ox.RdfFormat.N_QUADS))) == len(trig)


def test_export_is_atomic(sample_build, tmp_path):
    target = tmp_path / "evkg.nq"
    target.write_text("old\n")
    broken = tmp_path / "broken"
    (broken / "docs").mkdir(parents=True)
    (broken / "graph.trig").write_text("<http://example.org/g> { <http://example.org/s> <http://example.org/p> ")
    result = _cli("export", broken, "-o", target)
    assert result.exit_code == 2 and _one_line(result.stderr).startswith("evkg: error: ")
    assert _cli("export", tmp_path / "missing", "-o", target).exit_code == 2
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".evkg.nq")] == []  # no temporary left
    assert export_nquads(sample_build, target) > 0
