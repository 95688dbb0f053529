"""Load an evkg build into a SPARQL server, or export it for the servers' bulk loaders.

:func:`load` uploads every document's named graph through the SPARQL 1.1 Graph Store HTTP
Protocol: one ``PUT <graph-store>?graph=<iri>`` per graph with the document's Turtle
(``OUTDIR/docs/<file>``, listed in ``manifest.json``), plus the ontology into the graph
``https://w3id.org/evkg/ontology``. ``PUT`` replaces a graph's content, so loading the same build
twice leaves the store unchanged, and re-running a load that stopped half-way completes it
without duplicates. Works with any server that implements the protocol, e.g.

* Fuseki:   graph store ``http://host:3030/ds/data``, query endpoint ``http://host:3030/ds/query``
* Oxigraph: graph store ``http://host:7878/store``,   query endpoint ``http://host:7878/query``

Requests go through :mod:`pipeline.http` (timeouts, retries, redirects, authentication, redacted
URLs): connection errors, timeouts, HTTP 429 and 5xx answers are retried with bounded exponential
backoff (urllib3's ``Retry``: at once, then ``backoff * 2**n`` seconds, at most ``max_backoff``).
When the server cannot be reached, or refuses before anything was loaded (wrong URL,
authentication, a 5xx that outlasts the retries), the load stops with one message in :attr:`LoadReport.error`; a graph the server rejects
later on (say, HTTP 400) is reported in :attr:`LoadReport.failed` and the others still load.

Afterwards the quads on the server are counted per loaded graph and compared with the quads
sent: by a SPARQL ``COUNT`` on the query endpoint (derived from the graph-store URL, or given),
or else by ``GET``-ting each graph back.

``replace=True`` makes the store's evkg document graphs exactly this build: after the upload,
named graphs under this build's graph namespace (``<base>graph/``, ``base`` from the manifest)
that are not in the build are deleted (``DELETE ?graph=``). Nothing else in the store is touched:
neither other graphs nor the default graph. It needs the query endpoint, to list the graphs.

:func:`export_nquads` streams ``graph.trig`` (and the ontology, in its named graph) to one
N-Quads file for offline bulk loading (``tdb2.tdbloader``, ``oxigraph load``): see docs/fuseki.md.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable, Iterator, Optional
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph as ox
import requests

from .errors import UsageProblem
from .http import HttpClient, Unreachable, http_reason, redact
from .output import MANIFEST_NAME, atomic_writer, checked_output
from .rdf import IriMinter
from .resources import ontology_path
from .vocab import DEFAULT_BASE, ONTOLOGY_IRI

__all__ = [
    "ONTOLOGY_GRAPH",
    "GraphLoad",
    "LoadReport",
    "export_nquads",
    "load",
    "query_endpoint_for",
]

ONTOLOGY_GRAPH = ONTOLOGY_IRI
_SPARQL_JSON = "application/sparql-results+json"
_N_TRIPLES = "application/n-triples"
# HTTP answers that mean "this server will not take anything": they stop the load at once.
_REFUSED_ALWAYS = frozenset({401, 403, 407})
# ... and those that do when nothing has been loaded yet (wrong URL, no Turtle support, a broken server).
_REFUSED_AT_START = frozenset({404, 405, 406, 415, 501})
_COUNT_BATCH = 200


@dataclass
class GraphLoad:
    """One named graph: where it came from, how many triples, and how its upload went."""

    iri: str
    source: str  # the file uploaded
    file_hash: Optional[str] = None  # its SHA-256 in the manifest: another file is not uploaded
    triples: int = 0  # distinct triples in the file (the quads expected on the server)
    status: str = "pending"  # "loaded" | "failed" | "pending" (not attempted: the load stopped)
    reason: str = ""
    attempts: int = 0
    counted: Optional[int] = None  # quads in the graph on the server after the load


@dataclass
class LoadReport:
    graph_store: str
    query_endpoint: Optional[str]
    graphs: list[GraphLoad] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # stale graphs deleted by replace=True
    error: Optional[str] = None  # a server-level problem that stopped the load
    replace_error: Optional[str] = None
    verified: bool = False  # the count check ran
    count_error: Optional[str] = None  # why the count check could not run

    @property
    def loaded(self) -> list[GraphLoad]:
        return [g for g in self.graphs if g.status == "loaded"]

    @property
    def failed(self) -> list[GraphLoad]:
        return [g for g in self.graphs if g.status == "failed"]

    @property
    def pending(self) -> list[GraphLoad]:
        return [g for g in self.graphs if g.status == "pending"]

    @property
    def expected(self) -> int:
        """Quads sent in the graphs that loaded."""
        return sum(g.triples for g in self.loaded)

    @property
    def counted(self) -> Optional[int]:
        """Quads the server holds in the graphs that loaded (``None`` if not counted)."""
        if not self.verified:
            return None
        return sum(g.counted or 0 for g in self.loaded)

    @property
    def mismatched(self) -> list[GraphLoad]:
        return [g for g in self.loaded if self.verified and g.counted != g.triples]

    @property
    def ok(self) -> bool:
        return (self.error is None and self.replace_error is None and self.count_error is None
                and not self.failed and not self.pending and not self.mismatched)

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1


# --------------------------------------------------------------------------------------------
# URLs


def _check_url(url: str, what: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageProblem(f"{what} {redact(url)!r} is not an http:// or https:// URL")
    return url


def query_endpoint_for(graph_store_url: str) -> Optional[str]:
    """The SPARQL query endpoint beside a graph store, for the usual layouts; ``None`` otherwise.

    Oxigraph ``…/store`` → ``…/query``; Fuseki ``…/ds/data`` → ``…/ds/query``.
    """
    parts = urlsplit(graph_store_url)
    path = parts.path.rstrip("/")
    for suffix in ("/store", "/data"):
        if path.endswith(suffix):
            return urlunsplit((parts.scheme, parts.netloc, path[: -len(suffix)] + "/query", "", ""))
    return None


# --------------------------------------------------------------------------------------------
# What to load


def _read_manifest(outdir: Path) -> dict:
    path = outdir / "manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageProblem(f"{path} not found (is {outdir} an evkg build output?)") from None
    except (OSError, ValueError) as exc:
        raise UsageProblem(f"cannot read {path}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise UsageProblem(f"{path} is not an evkg manifest")
    return data


def _plan(outdir: Path, manifest: dict, ontology: bool) -> list[GraphLoad]:
    minter = IriMinter(manifest.get("base") or DEFAULT_BASE)
    graphs = []
    if ontology:
        graphs.append(GraphLoad(ONTOLOGY_GRAPH, str(ontology_path())))
    for entry in manifest["documents"]:
        if isinstance(entry, dict) and entry.get("file") and entry.get("id"):
            name = entry["file"]
            if not isinstance(name, str) or name != Path(name).name or name.startswith(".") or "\\" in name:
                raise UsageProblem(f"{outdir / MANIFEST_NAME}: file {name!r} of document {entry['id']!r} is not a "
                                 f"file name in docs/; refused")
            graphs.append(GraphLoad(str(minter.graph(entry["id"])), str(outdir / "docs" / name),
                                    file_hash=entry.get("file_hash")))
    return graphs


def _triple_count(data: bytes, fmt: ox.RdfFormat) -> int:
    return len(set(ox.parse(data, format=fmt)))


# --------------------------------------------------------------------------------------------
# Loading


def load(outdir: str | Path, graph_store_url: str, *, replace: bool = False, user: Optional[str] = None,
         password: Optional[str] = None, query_endpoint: Optional[str] = None, ontology: bool = True,
         verify: bool = True, progress: bool = False, retries: int = 4, backoff: float = 0.5,
         max_backoff: float = 30.0, timeout: float = 60.0, auth: str = "basic",
         sleep: Callable[[float], None] = time.sleep) -> LoadReport:
    """Upload the build in ``outdir`` to a SPARQL 1.1 Graph Store; see the module docstring.

    Raises :class:`FileNotFoundError` / :class:`ValueError` for a bad ``outdir`` or URL (nothing is
    sent then); every problem with the server ends up in the returned :class:`LoadReport`.
    """
    outdir = Path(outdir)
    _check_url(graph_store_url, "graph store")
    if query_endpoint is not None:
        _check_url(query_endpoint, "query endpoint")
    else:
        query_endpoint = query_endpoint_for(graph_store_url)
    if replace and query_endpoint is None:
        raise UsageProblem(f"replace needs the SPARQL query endpoint to list the graphs in the store, and "
                         f"none can be derived from {redact(graph_store_url)}: give it (--query-endpoint)")
    if password is not None and user is None:
        raise UsageProblem("a password needs a user name (--user)")
    manifest = _read_manifest(outdir)
    report = LoadReport(graph_store_url, query_endpoint, _plan(outdir, manifest, ontology))
    http = HttpClient([graph_store_url, query_endpoint], user, password, auth=auth, retries=retries,
                      backoff=backoff, max_backoff=max_backoff, timeout=timeout, sleep=sleep)
    try:
        _upload(http, report, progress)
        if report.error is None and replace:
            _remove_stale(http, report, IriMinter(manifest.get("base") or DEFAULT_BASE).ns["graph"])
        if report.error is None and verify and report.loaded:
            _verify(http, report)
    finally:
        http.close()
    return report


def _upload(http: HttpClient, report: LoadReport, progress: bool) -> None:
    bar = None
    if progress and report.graphs:
        from tqdm import tqdm

        bar = tqdm(total=len(report.graphs), unit="graph", desc="load", file=sys.stderr, leave=False)
    try:
        for graph in report.graphs:
            _put(http, report, graph)
            if report.error is not None:
                return
            if bar:
                bar.update(1)
    finally:
        if bar:
            bar.close()


def _put(http: HttpClient, report: LoadReport, graph: GraphLoad) -> None:
    """Upload one graph; a server-level problem goes to ``report.error``, others to ``graph``."""
    url = report.graph_store
    try:
        data = Path(graph.source).read_bytes()
        if graph.file_hash is not None and hashlib.sha256(data).hexdigest() != graph.file_hash:
            graph.status = "failed"
            graph.reason = f"{graph.source} is not the file the manifest describes (a build stopped half-way?)"
            return
        graph.triples = _triple_count(data, ox.RdfFormat.TURTLE)
    except (OSError, SyntaxError, ValueError) as exc:
        graph.status, graph.reason = "failed", f"cannot read {graph.source}: {exc}"
        return
    try:
        response, graph.attempts = http.send("PUT", url, params={"graph": graph.iri}, data=data,
                                             headers={"Content-Type": "text/turtle; charset=utf-8"})
    except Unreachable as exc:
        graph.attempts = exc.attempts
        report.error = f"cannot reach the graph store {redact(url)}: {exc.reason} (after {_attempts(exc.attempts)})"
        return
    if _success(response):
        graph.status = "loaded"
        return
    reason = f"{http_reason(response)} (after {_attempts(graph.attempts)})"
    status = response.status_code
    if status in _REFUSED_ALWAYS or (not report.loaded and (
            status in _REFUSED_AT_START or status >= 500 or status == 429)):
        report.error = f"the graph store {redact(url)} refused PUT ?graph=<{graph.iri}>: {reason}"
        return
    graph.status, graph.reason = "failed", reason


def _success(response: requests.Response) -> bool:
    return 200 <= response.status_code < 300


def _attempts(n: int) -> str:
    return f"{n} attempt{'s' if n != 1 else ''}"


def _sparql_select(http: HttpClient, endpoint: str, query: str) -> list[dict]:
    """The bindings of a SELECT query on ``endpoint``; raises ``RuntimeError`` with a short reason."""
    try:
        response, attempts = http.send("POST", endpoint, data={"query": query},
                                       headers={"Accept": _SPARQL_JSON})
    except Unreachable as exc:
        raise RuntimeError(f"cannot reach the query endpoint {redact(endpoint)}: {exc.reason} "
                           f"(after {_attempts(exc.attempts)})") from None
    if not _success(response):
        raise RuntimeError(f"the query endpoint {redact(endpoint)} answered {http_reason(response)}")
    try:
        return response.json()["results"]["bindings"]
    except (ValueError, KeyError, TypeError):
        raise RuntimeError(f"the query endpoint {redact(endpoint)} did not answer with SPARQL JSON results") from None


def _remove_stale(http: HttpClient, report: LoadReport, namespace: str) -> None:
    keep = {g.iri for g in report.graphs}
    try:
        rows = _sparql_select(http, report.query_endpoint, "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
    except RuntimeError as exc:
        report.replace_error = f"cannot list the graphs to replace: {exc}"
        return
    stale = sorted({row["g"]["value"] for row in rows if row.get("g", {}).get("type") == "uri"})
    stale = [g for g in stale if g.startswith(namespace) and g not in keep]
    for iri in stale:
        try:
            response, attempts = http.send("DELETE", report.graph_store, params={"graph": iri})
        except Unreachable as exc:
            report.replace_error = f"cannot delete stale graph <{iri}>: {exc.reason}"
            return
        if _success(response) or response.status_code == 404:  # 404: already gone
            report.removed.append(iri)
        else:
            report.replace_error = f"cannot delete stale graph <{iri}>: {http_reason(response)}"
            return


def _verify(http: HttpClient, report: LoadReport) -> None:
    graphs = report.loaded
    try:
        if report.query_endpoint:
            counts = _count_by_sparql(http, report.query_endpoint, [g.iri for g in graphs])
        else:
            counts = {g.iri: _count_by_get(http, report.graph_store, g.iri) for g in graphs}
    except RuntimeError as exc:
        report.count_error = f"cannot count the quads on the server: {exc}"
        return
    for graph in graphs:
        graph.counted = counts.get(graph.iri, 0)
    report.verified = True


def _count_by_sparql(http: HttpClient, endpoint: str, iris: list[str]) -> dict[str, int]:
    from .query import sparql_iri

    counts: dict[str, int] = {}
    for start in range(0, len(iris), _COUNT_BATCH):
        terms = []
        for iri in iris[start: start + _COUNT_BATCH]:
            term = sparql_iri(f"<{iri}>")
            if term is None:
                raise RuntimeError(f"<{iri}> is not a valid IRI")
            terms.append(term)
        query = ("SELECT ?g (COUNT(*) AS ?n) WHERE { VALUES ?g { " + " ".join(terms)
                 + " } GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        for row in _sparql_select(http, endpoint, query):
            try:
                counts[row["g"]["value"]] = int(row["n"]["value"])
            except (KeyError, TypeError, ValueError):
                raise RuntimeError(f"the query endpoint {redact(endpoint)} answered a malformed count") from None
    return counts


def _count_by_get(http: HttpClient, graph_store: str, iri: str) -> int:
    try:
        response, _ = http.send("GET", graph_store, params={"graph": iri}, headers={"Accept": _N_TRIPLES})
    except Unreachable as exc:
        raise RuntimeError(f"cannot reach the graph store {redact(graph_store)}: {exc.reason}") from None
    if response.status_code == 404:
        return 0
    if not _success(response):
        raise RuntimeError(f"GET ?graph=<{iri}> answered {http_reason(response)}")
    content_type = response.headers.get("Content-Type", _N_TRIPLES).split(";")[0].strip() or _N_TRIPLES
    fmt = ox.RdfFormat.from_media_type(content_type)
    if fmt is None:
        raise RuntimeError(f"GET ?graph=<{iri}> answered an unknown RDF format {content_type!r}")
    try:
        return _triple_count(response.content, fmt)
    except (SyntaxError, ValueError) as exc:
        raise RuntimeError(f"GET ?graph=<{iri}> answered unreadable {fmt.name}: {exc}") from None


# --------------------------------------------------------------------------------------------
# N-Quads for bulk loaders


def _export_quads(outdir: Path, ontology: bool) -> Iterator[ox.Quad]:
    if ontology:
        graph = ox.NamedNode(ONTOLOGY_GRAPH)
        for quad in ox.parse(path=str(ontology_path()), format=ox.RdfFormat.TURTLE):
            yield ox.Quad(quad.subject, quad.predicate, quad.object, graph)
    yield from ox.parse(path=str(outdir / "graph.trig"), format=ox.RdfFormat.TRIG)


def export_nquads(outdir: str | Path, output: str | Path | BinaryIO, *, ontology: bool = True) -> int:
    """Write the build's quads (``graph.trig``, plus the ontology in its graph) as N-Quads.

    Streams: the corpus is never held in memory. ``output`` is a path, written atomically (the
    old file stays until the new one is complete), or a binary stream. Returns the quads written.
    """
    outdir = Path(outdir)
    trig = outdir / "graph.trig"
    if not trig.is_file():
        raise UsageProblem(f"{trig} not found (is {outdir} an evkg build output?)")
    checked_output(outdir, "graph.trig")
    count = 0

    def counted() -> Iterator[ox.Quad]:
        nonlocal count
        for quad in _export_quads(outdir, ontology):
            count += 1
            yield quad

    try:
        if hasattr(output, "write"):
            ox.serialize(counted(), output, ox.RdfFormat.N_QUADS)
        else:
            with atomic_writer(Path(output), "wb") as handle:
                ox.serialize(counted(), handle, ox.RdfFormat.N_QUADS)
    except SyntaxError as exc:
        raise UsageProblem(f"cannot read the build in {outdir}: {exc}") from exc
    return count
