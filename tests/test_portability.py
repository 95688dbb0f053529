"""Every canned query gives the same rows on pyoxigraph, on rdflib's SPARQL engine and on Virtuoso.

The data is the sample build (data/articles). Virtuoso is Debian's `virtuoso-opensource` (7.2),
started here on loopback with free ports and a temporary database; `.ci/run` installs it. Outside
CI the Virtuoso tests are skipped when it is not installed; in CI (CI=true) they fail.
"""

from __future__ import annotations

import configparser
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Literal, URIRef

from conftest import stop_server
from pipeline import query as q
from pipeline.query import QueryResult, bind_params, list_queries, load_query, open_store, run_query
from pipeline.vocab import DEFAULT_BASE

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

# Each canned query, unbound and with its parameters bound as users bind them: an actor by an alias
# in another case, by its label (an actor that is its own target), by its IRI, a name nobody has;
# a kind; a measure.
CASES = [
    ("actors", {}),
    ("blame-network", {}),
    ("blame-network", {"kind": "accuses"}),
    ("contested-claims", {}),
    ("events", {}),
    ("statements-by-source", {}),
    ("statements-by-source", {"document": "001_b963823c6e30401b"}),
    ("claims-by-actor", {"actor": "putin"}),
    ("claims-by-actor", {"actor": "Islamic State Khorasan Province"}),
    ("claims-by-actor", {"actor": DEFAULT_BASE + "actor/vladimir-putin"}),
    ("claims-by-actor", {"actor": "nobody of that name"}),
    ("conflicting-figures", {}),
    ("conflicting-figures", {"measure": "killed"}),
    ("denials-and-disputes", {}),
    ("figures", {}),
    ("figures", {"measure": "killed"}),
    ("responsibility-claims", {}),
    ("timeline", {}),
    ("who-blamed-whom", {}),
    ("who-blamed-whom", {"kind": "accuses"}),
]
EMPTY = {("claims-by-actor", "nobody of that name")}

SERVER_START_SECONDS = 60
QUERY_SECONDS = 60


def test_every_canned_query_is_compared():
    assert {name for name, _ in CASES} == {query.name for query in list_queries()}


def _case_id(case: tuple[str, dict[str, str]]) -> str:
    name, params = case
    return name + "".join(f"-{k}={v}" for k, v in params.items())


def normalised(result: QueryResult, query_text: str) -> tuple[list[str], list[tuple]]:
    """Variables and rows as tuples; rows sorted unless the query orders them itself."""
    rows = [tuple(row[v] for v in result.variables) for row in result.rows]
    if not re.search(r"^\s*ORDER\s+BY\b", query_text, re.MULTILINE | re.IGNORECASE):
        rows.sort(key=repr)
    return list(result.variables), rows


def _from_rdflib(term: object) -> object:
    """An rdflib term as pipeline.query gives terms from pyoxigraph or an endpoint."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        return q._literal(str(term), str(term.datatype) if term.datatype else None)
    return str(term)


def run_rdflib(query_text: str, dataset: Dataset) -> QueryResult:
    result = dataset.query(query_text)
    variables = [str(v) for v in result.vars]
    rows = [{v: _from_rdflib(row[v]) for v in variables} for row in result]
    return QueryResult(variables, rows)


@pytest.fixture(scope="module")
def sample_store(sample_build) -> ox.Store:
    return open_store([sample_build])


@pytest.fixture(scope="module")
def sample_dataset(sample_build) -> Dataset:
    dataset = Dataset()
    dataset.parse(sample_build / "graph.trig", format="trig")
    return dataset


@pytest.mark.parametrize("name,params", CASES, ids=map(_case_id, CASES))
def test_rdflib_gives_the_same_rows(sample_store, sample_dataset, name, params):
    text = bind_params(load_query(name), params)
    expected = run_query(text, sample_store)
    assert bool(expected.rows) != ((name, *params.values()) in EMPTY), expected.rows
    assert normalised(run_rdflib(text, sample_dataset), text) == normalised(expected, text)


# --------------------------------------------------------------------------------------------
# Virtuoso


def _free_ports(count: int) -> list[int]:
    with ExitStack() as stack:
        socks = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in socks:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in socks]


def _write_ini(home: Path, sql_port: int, http_port: int) -> Path:
    ini = configparser.ConfigParser()
    ini.optionxform = str  # Virtuoso's keys are CamelCase
    db = home / "db"
    ini["Database"] = {
        "DatabaseFile": str(db / "virtuoso.db"),
        "ErrorLogFile": str(db / "virtuoso.log"),
        "LockFile": str(db / "virtuoso.lck"),
        "TransactionFile": str(db / "virtuoso.trx"),
        "xa_persistent_file": str(db / "virtuoso.pxa"),
        "TempStorage": "TempDatabase",
    }
    ini["TempDatabase"] = {
        "DatabaseFile": str(db / "virtuoso-temp.db"),
        "TransactionFile": str(db / "virtuoso-temp.trx"),
    }
    ini["Parameters"] = {
        "ServerPort": f"127.0.0.1:{sql_port}",
        "DisableUnixSocket": "1",
        # The only folder the loader may read files from.
        "DirsAllowed": str(home / "data"),
        "NumberOfBuffers": "10000",
        "MaxDirtyBuffers": "6000",
        "CheckpointInterval": "0",
    }
    ini["HTTPServer"] = {
        "ServerPort": f"127.0.0.1:{http_port}",
        "ServerRoot": str(home / "vsp"),
        "ServerThreads": "4",
    }
    ini["SPARQL"] = {"ResultSetMaxRows": "100000", "MaxQueryExecutionTime": str(QUERY_SECONDS)}
    for folder in ("db", "data", "vsp"):
        (home / folder).mkdir()
    path = home / "virtuoso.ini"
    with path.open("w", encoding="utf-8") as out:
        ini.write(out)
    return path


def _log_tail(home: Path) -> str:
    log = home / "db" / "virtuoso.log"
    return log.read_text(errors="replace")[-2000:] if log.is_file() else "(no log)"


def _wait_until_answering(proc: subprocess.Popen, url: str, home: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"virtuoso-t exited with {proc.returncode}:\n{_log_tail(home)}")
        try:
            urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"Virtuoso did not answer on {url} within {SERVER_START_SECONDS} s:\n{_log_tail(home)}")


def _isql(isql: str, sql_port: int, statement: str) -> None:
    done = subprocess.run(
        [isql, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={statement}"],
        capture_output=True, text=True, timeout=QUERY_SECONDS, stdin=subprocess.DEVNULL,
    )
    # isql exits 0 even when the statement fails; the error is on stderr.
    if done.returncode != 0 or "*** Error" in done.stderr:
        pytest.fail(f"isql {statement!r} failed: {done.stderr.strip() or done.returncode}")


@pytest.fixture(scope="module")
def virtuoso(sample_store, tmp_path_factory):
    """The /sparql URL of a Virtuoso server holding the sample build's named graphs."""
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if server is None or isql is None:
        reason = ("Virtuoso is not installed: `apt-get install virtuoso-opensource` "
                  "provides virtuoso-t and isql-vt")
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    home = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = _free_ports(2)
    ini = _write_ini(home, sql_port, http_port)
    url = f"http://127.0.0.1:{http_port}/sparql"
    proc = subprocess.Popen([server, "+configfile", str(ini), "+foreground"], cwd=home,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        _wait_until_answering(proc, url, home)
        quads = home / "data" / "graph.nq"
        sample_store.dump(output=str(quads), format=ox.RdfFormat.N_QUADS)
        # Virtuoso's bulk loader, as docs/fuseki.md shows; the graph IRI is only for triples.
        _isql(isql, sql_port, f"ld_dir('{quads.parent}', '{quads.name}', "
                              f"'{DEFAULT_BASE}graph/default'); rdf_loader_run();")
        loaded = q.run_query_endpoint(
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
            f'FILTER (STRSTARTS(STR(?g), "{DEFAULT_BASE}graph/")) }}', url)
        assert loaded.rows == [{"n": len(sample_store)}]
        yield url
    finally:
        stop_server(proc)


@pytest.mark.parametrize("name,params", CASES, ids=map(_case_id, CASES))
def test_virtuoso_gives_the_same_rows(virtuoso, sample_store, name, params):
    text = bind_params(load_query(name), params)
    expected = run_query(text, sample_store)
    got = q.run_query_endpoint(text, virtuoso, timeout=QUERY_SECONDS)
    assert normalised(got, text) == normalised(expected, text)
