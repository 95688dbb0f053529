"""Canned SPARQL queries over an evkg build, run in-process (pyoxigraph) or against an endpoint.

The canned queries live in ``queries/*.rq`` (see :func:`pipeline.resources.queries_dir`). Each
starts with a header comment block::

    # name: who-blamed-whom
    # description: Who attributed blame ... to whom, and when.
    # param: kind  (optional) only claims of this kind, e.g. accuses
    # param: actor  (required, iri) the actor: its label, an alias, or its IRI

A description may continue on following ``#`` lines indented by at least two spaces; the header
ends at the first blank comment line (``#``) or the first line that is not a comment.

Parameters are never spliced into the query as text. A query declaring parameter ``P`` contains
the placeholder line ``VALUES ?P_param { UNDEF }`` (so the file runs unmodified anywhere, e.g.
in Fuseki, with the parameter unset), and the query tests ``?P_param``. :func:`bind_params`
replaces ``UNDEF`` in that placeholder, and nothing else, with one RDF term built from the value:

* an escaped SPARQL string literal (backslash, quote, newline, carriage return, tab, backspace and
  form feed escaped), whatever the value contains: quotes, braces, ``#``, ``DROP ALL``;
* or, only for parameters flagged ``iri`` and only when the value looks like an IRI
  (``<scheme:…>`` or a bare ``http://…`` / ``https://…``) *and* is a valid absolute IRI with
  none of the characters IRIREF forbids, an IRI term ``<…>``. Anything else stays a literal.

All placeholders are replaced in one pass over the original text, so a value that itself
contains placeholder text is never rescanned.

Results are converted to plain Python identically on both paths (:func:`run_query` with a
pyoxigraph store, :func:`run_query_endpoint` through SPARQLWrapper with JSON results): IRIs →
``str``; blank nodes → ``"_:id"``; ``xsd:boolean`` → ``bool``; ``xsd:integer`` and the integer
types derived from it (``xsd:nonNegativeInteger``, ``xsd:int`` …) → ``int``; every other literal
(``xsd:date`` included) → its lexical form; unbound → ``None``.

On a pyoxigraph store, a query ending in ``ORDER BY`` on variables is run without it and its
rows are sorted in Python, in the same order (:mod:`pipeline.ordering`); an endpoint gets the
query as written.
"""

from __future__ import annotations

import csv
import gc
import io
import itertools
import json
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping
from urllib.parse import urlsplit

import pyoxigraph as ox

from pipeline.errors import Failure, UsageProblem
from pipeline.ordering import INTEGER_LEXICAL_RE, INTEGER_TYPES, XSD_BOOLEAN, Ordering, plan_ordering
from pipeline.resources import queries_dir
from pipeline.terms import CLAIM_KINDS, FIGURE_MEASURES  # not pipeline.vocab: it imports rdflib

__all__ = [
    "CannedQuery",
    "QueryError",
    "QueryFileError",
    "QueryParam",
    "QueryResult",
    "QuerySyntaxError",
    "QueryUsageError",
    "check_params",
    "bind_params",
    "format_result",
    "format_table",
    "is_iri_column",
    "is_locator_column",
    "list_queries",
    "load_query",
    "figures_by_source",
    "reshape",
    "open_store",
    "run_query",
    "run_query_endpoint",
    "select",
    "sparql_iri",
    "sparql_literal",
]

FORMATS = ("table", "csv", "json")


class QueryError(Failure):
    """A user-facing error: a query that failed, an endpoint that did not answer (exit status 1)."""


class QueryUsageError(QueryError, UsageProblem):
    """The command is wrong: unknown query, bad parameter, unreadable query or data file (exit status 2)."""


class QueryFileError(QueryUsageError):
    """A query file that cannot be used: the message names the file and, when its text is at
    fault, the line and the reason (exit status 2)."""


class QuerySyntaxError(QueryUsageError):
    """A query that is not valid SPARQL, with where (line, column, from 1) and why."""

    def __init__(self, line: int, column: int, reason: str):
        reason = " ".join(reason.split())
        if len(reason) > 200:  # oxigraph may list every character it would have accepted
            reason = reason[:200] + "…"
        super().__init__(f"invalid SPARQL query: line {line}, column {column}: {reason}")
        self.line, self.column, self.reason = line, column, reason

    def in_file(self, path: object) -> QueryFileError:
        return QueryFileError(f"{path}: line {self.line}, column {self.column}: not valid SPARQL: {self.reason}")


@dataclass
class QueryParam:
    name: str
    description: str
    required: bool
    iri: bool = False  # a value that is a valid absolute IRI is bound as an IRI, not a string


@dataclass
class CannedQuery:
    name: str
    description: str
    params: list[QueryParam]
    path: Path | None
    text: str

    def param(self, name: str) -> QueryParam | None:
        return next((p for p in self.params if p.name == name), None)


@dataclass
class QueryResult:
    variables: list[str]
    rows: list[dict[str, object]] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Reading the canned queries

_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_HEADER_KEY_RE = re.compile(r"^#\s*(name|description|param)\s*:\s*(.*)$", re.IGNORECASE)
_PARAM_RE = re.compile(r"^(?P<name>\S+)\s*(?:\((?P<flags>[^)]*)\))?\s*(?P<description>.*)$")
_PLACEHOLDER_RE = re.compile(
    r"VALUES\s+\?(?P<name>[A-Za-z_][A-Za-z0-9_]*?)_param\s*\{\s*UNDEF\s*\}", re.IGNORECASE
)


def _parse_query(text: str, path: Path | None, fallback_name: str) -> CannedQuery:
    name = ""
    description_parts: list[str] = []
    params: list[QueryParam] = []
    last: str | None = None  # which header entry a continuation line extends
    where = path or fallback_name
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            if last is None and not name:
                continue  # blank lines before the header
            break
        if not line.startswith("#"):
            break
        match = _HEADER_KEY_RE.match(line)
        if match:
            key, value = match.group(1).lower(), match.group(2).strip()
            if key == "name":
                name = value
            elif key == "description":
                description_parts = [value] if value else []
            else:
                params.append(_parse_param(value, f"{where}: line {number}"))
            last = key
            continue
        body = line[1:]
        if not body.strip():
            break  # "#" alone ends the header
        if last in ("description", "param") and re.match(r"\s{2,}", body):
            if last == "description":
                description_parts.append(body.strip())
            else:
                params[-1].description = f"{params[-1].description} {body.strip()}".strip()
            continue
        last = None  # any other comment: not part of an entry
    seen: set[str] = set()
    for p in params:
        if p.name in seen:
            raise QueryFileError(f"{where}: parameter {p.name!r} declared twice")
        seen.add(p.name)
    return CannedQuery(
        name=name or fallback_name,
        description=" ".join(description_parts),
        params=params,
        path=path,
        text=text,
    )


def _parse_param(value: str, where: object) -> QueryParam:
    match = _PARAM_RE.match(value)
    if not match or not _NAME_RE.match(match.group("name")):
        raise QueryFileError(f"{where}: malformed '# param:' line: {value!r}")
    flags = {f.strip().lower() for f in (match.group("flags") or "").split(",") if f.strip()}
    unknown = flags - {"required", "optional", "iri"}
    if unknown or {"required", "optional"} <= flags:
        raise QueryFileError(f"{where}: bad flags for parameter {match.group('name')!r}: {value!r}")
    return QueryParam(
        name=match.group("name"),
        description=match.group("description").strip(),
        required="required" in flags,
        iri="iri" in flags,
    )


def _read(path: Path) -> CannedQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise QueryFileError(f"query file {path} is not UTF-8 text") from None
    except OSError as exc:
        raise QueryFileError(f"cannot read query file {path}: {exc}") from exc
    return _parse_query(text, path, path.stem)


def list_queries() -> list[CannedQuery]:
    """The canned queries shipped in ``queries/``, sorted by name."""
    queries = [_read(p) for p in sorted(queries_dir().glob("*.rq"))]
    return sorted(queries, key=lambda q: q.name)


def load_query(name_or_path: str | Path) -> CannedQuery:
    """A canned query by name (``who-blamed-whom``), or any ``.rq`` file by path.

    A :class:`~pathlib.Path`, or a string ending in ``.rq`` or containing a path separator, is a
    file path; anything else is first looked up among the canned queries (by header name or file
    stem), then as a file. Raises :class:`QueryError` naming the query and the known names.
    """
    text = str(name_or_path)
    path = Path(name_or_path)
    if isinstance(name_or_path, Path) or text.endswith(".rq") or "/" in text or "\\" in text:
        if path.is_file():
            return _read(path)
        shipped = queries_dir() / path.name
        if path.name == text and shipped.is_file():
            return _read(shipped)
        raise QueryUsageError(f"no such query file: {path}")
    known = list_queries()
    for query in known:
        if query.name == text or (query.path is not None and query.path.stem == text):
            return query
    if path.is_file():
        return _read(path)
    names = ", ".join(q.name for q in known) or "(none)"
    raise QueryUsageError(f"unknown query {text!r}; known queries: {names}")


# --------------------------------------------------------------------------------------------
# Binding parameters safely

_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_IRI_FORBIDDEN_RE = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def sparql_literal(value: str) -> str:
    """``value`` as a SPARQL string literal, every special character escaped."""
    return '"' + "".join(_ECHAR.get(ch, ch) for ch in value) + '"'


def sparql_iri(value: str) -> str | None:
    """``<iri>`` if ``value`` looks like an IRI and is a valid absolute one, else ``None``.

    Looks like an IRI: ``<…>`` around anything, or a bare value starting ``http://`` or
    ``https://``. Valid: a scheme, none of the characters the SPARQL IRIREF production forbids
    (spaces, controls, ``<>"{}|^`\\``), and accepted by pyoxigraph's IRI parser.
    """
    if len(value) >= 2 and value.startswith("<") and value.endswith(">"):
        iri = value[1:-1]
    elif value.startswith(("http://", "https://")):
        iri = value
    else:
        return None
    if not _SCHEME_RE.match(iri) or _IRI_FORBIDDEN_RE.search(iri):
        return None
    try:
        ox.NamedNode(iri)
    except ValueError:
        return None
    return f"<{iri}>"


def _term_for(param: QueryParam, value: str) -> str:
    if param.iri:
        iri = sparql_iri(value)
        if iri is not None:
            return iri
    return sparql_literal(value)


def bind_params(query: CannedQuery, params: Mapping[str, str | None] | None = None) -> str:
    """The query text with each given parameter bound as one escaped RDF term.

    Raises :class:`QueryError` for a parameter the query does not declare, a missing required
    parameter, or a declared parameter without its ``VALUES ?P_param { UNDEF }`` placeholder.
    Parameters given as ``None`` count as not given; unset optional parameters stay ``UNDEF``.
    """
    given = {k: v for k, v in (params or {}).items() if v is not None}
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        accepted = ", ".join(declared) or "none"
        raise QueryUsageError(
            f"query {query.name!r} has no parameter {', '.join(map(repr, unknown))} "
            f"(its parameters: {accepted})"
        )
    missing = [p.name for p in query.params if p.required and p.name not in given]
    if missing:
        raise QueryUsageError(
            f"query {query.name!r} needs parameter {', '.join(map(repr, missing))}"
            + "".join(f"\n  {p.name}: {p.description}" for p in query.params if p.name in missing)
        )
    present = {m.group("name") for m in _PLACEHOLDER_RE.finditer(query.text)}
    lacking = [p.name for p in query.params if p.name not in present]
    if lacking:
        raise QueryUsageError(
            f"query {query.name!r} declares parameter {lacking[0]!r} but has no "
            f"'VALUES ?{lacking[0]}_param {{ UNDEF }}' line to bind it"
        )
    terms = {}
    for name, value in given.items():
        if not isinstance(value, str):
            value = str(value)
        terms[name] = _term_for(declared[name], value)

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in terms:
            return match.group(0)
        return f"VALUES ?{name}_param {{ {terms[name]} }}"

    # One pass over the original text: inserted values are never scanned again.
    return _PLACEHOLDER_RE.sub(replace, query.text)


# --------------------------------------------------------------------------------------------
# Checking parameter values before a query runs

# Parameters whose values come from a fixed set, by name, in every query that declares them.
FIXED_VALUES: dict[str, tuple[str, ...]] = {"kind": CLAIM_KINDS, "measure": FIGURE_MEASURES}

_ACTOR_NAMES = """PREFIX evkg: <https://w3id.org/evkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?actor ?label ?name (LCASE(STR(?name)) AS ?key) WHERE {
  { ?actor a evkg:Actor ; rdfs:label ?label . { ?actor rdfs:label ?name } UNION { ?actor skos:altLabel ?name } }
  UNION
  { GRAPH ?g { ?actor a evkg:Actor ; rdfs:label ?label . { ?actor rdfs:label ?name } UNION { ?actor skos:altLabel ?name } } }
}
ORDER BY ?label ?actor ?name
"""
# A value as the actor queries compare names: LCASE(STR(…)), by the engine that runs them.
_NAME_KEY = "SELECT (LCASE(STR(?value)) AS ?key) WHERE {{ VALUES ?value {{ {} }} }}"
_WORD_RE = re.compile(r"\w+")


def is_actor_param(name: str) -> bool:
    """Parameters named ``actor`` (or ``…_actor``) name an actor."""
    return name == "actor" or name.endswith("_actor")


def check_params(query: CannedQuery, params: Mapping[str, str | None],
                 run: Callable[[str], QueryResult]) -> dict[str, str | None]:
    """``params`` ready to bind, or :class:`QueryUsageError` saying what is wrong with one.

    A fixed-value parameter (:data:`FIXED_VALUES`) must be one of its values. An actor
    parameter that is not an IRI is a name: the name or alias of exactly one actor (compared as
    the query compares them, by LCASE) binds that actor's IRI, which the query looks up directly
    where it would match every name of every graph, for the same rows; the name of several
    actors is bound as it is (the query then matches all of them). Otherwise it may be a part of
    one ("moss" for "Lena Moss"): when it is a word or words of the names of exactly one actor,
    that actor's IRI is bound. ``run`` runs a query on the same data.
    """
    checked = dict(params)
    declared = {p.name for p in query.params}
    for name, value in params.items():
        if value is None or name not in declared:
            continue  # bind_params reports undeclared parameters
        if name in FIXED_VALUES and value not in FIXED_VALUES[name]:
            raise QueryUsageError(f"{name}={value!r} is not allowed; use one of: {', '.join(FIXED_VALUES[name])}")
        if is_actor_param(name) and sparql_iri(value) is None:
            key = run(_NAME_KEY.format(sparql_literal(value))).rows[0]["key"]
            checked[name] = _match_actor(name, value, run(_ACTOR_NAMES).rows, key)
    return checked


def _match_actor(param: str, value: str, rows: list[dict[str, object]], key: object) -> str:
    import difflib

    named = {str(r["actor"]) for r in rows if r["key"] == key}
    if len(named) == 1:
        return f"<{named.pop()}>"  # the one actor the query would match by this name
    wanted = value.casefold().strip()
    labels = {str(r["actor"]): str(r["label"]) for r in rows}
    if named or any(str(r["name"]).casefold() == wanted for r in rows):
        return value  # the name of several actors, or one but for case folding: the query compares them
    words = _WORD_RE.findall(wanted)

    def contains(name: str) -> bool:
        have = _WORD_RE.findall(name.casefold())
        return bool(words) and any(have[i:i + len(words)] == words for i in range(len(have)))

    found = sorted({str(r["actor"]) for r in rows if contains(str(r["name"]))}, key=lambda a: (labels[a], a))
    if len(found) == 1:
        return f"<{found[0]}>"
    if found:
        shown = ", ".join(labels[a] for a in found[:8]) + (", …" if len(found) > 8 else "")
        raise QueryUsageError(f"{param}={value!r} matches {len(found)} actors: {shown}; give one of their names")
    names = sorted({str(r["name"]) for r in rows})
    close = difflib.get_close_matches(value, names, n=3, cutoff=0.6) or difflib.get_close_matches(
        wanted, [n.casefold() for n in names], n=3, cutoff=0.6)
    by_fold = {n.casefold(): n for n in names}
    close = [by_fold.get(c, c) for c in close]
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else " (`evkg query actors` lists them)"
    raise QueryUsageError(f"no actor matches {value!r}{hint}")


# --------------------------------------------------------------------------------------------
# Loading data

_FORMAT_BY_SUFFIX = {
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".n3": ox.RdfFormat.N3,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
}


def _data_file(path: Path) -> Path:
    if path.is_dir():
        from .output import checked_output

        for name in ("graph.trig", "graph.ttl"):
            if (path / name).is_file():
                return checked_output(path, name)  # a build stopped half-way is refused
        raise QueryUsageError(f"{path} is a folder without graph.trig (is it an evkg build output?)")
    if not path.is_file():
        raise QueryUsageError(f"no such file or folder: {path}")
    return path


def open_store(paths: Iterable[Path | str]) -> ox.Store:
    """A store holding the given data.

    A folder is an evkg build output. Given alone, its persistent store (``store/``, read-only)
    is opened when it matches the build's manifest; else its ``graph.trig`` is loaded into
    memory (``graph.ttl`` if there is no ``graph.trig``: older builds). ``.trig`` / ``.nq`` files load as quads into their named graphs; ``.ttl``,
    ``.nt`` (and ``.n3``, ``.rdf``, ``.owl``, ``.jsonld``) load into the default graph.
    """
    paths = list(paths)
    if len(paths) == 1 and Path(paths[0]).is_dir():
        from .store import open_build_store

        built = open_build_store(Path(paths[0]))
        if built is not None:
            return built
    store = ox.Store()
    for given in paths:
        path = _data_file(Path(given))
        fmt = _FORMAT_BY_SUFFIX.get(path.suffix.lower())
        if fmt is None:
            known = ", ".join(sorted(_FORMAT_BY_SUFFIX))
            raise QueryUsageError(f"cannot tell the RDF format of {path} (known extensions: {known})")
        try:
            store.bulk_load(path=str(path), format=fmt)
        except SyntaxError as exc:
            raise QueryUsageError(f"{path} is not valid {fmt.name}: {exc}") from exc
        except (OSError, ValueError) as exc:
            raise QueryUsageError(f"cannot load {path}: {exc}") from exc
    return store


# --------------------------------------------------------------------------------------------
# Running queries


def _literal(lexical: str, datatype: str | None) -> object:
    if datatype == XSD_BOOLEAN:
        if lexical in ("true", "1"):
            return True
        if lexical in ("false", "0"):
            return False
        return lexical
    if datatype in INTEGER_TYPES and INTEGER_LEXICAL_RE.match(lexical):
        return int(lexical)
    return lexical


def _from_oxigraph(term: object) -> object:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return _literal(term.value, term.datatype.value)
    return str(term)  # an RDF-star triple term


def _from_json(binding: Mapping[str, str] | None) -> object:
    if binding is None:
        return None
    kind = binding.get("type")
    value = binding.get("value", "")
    if kind == "uri":
        return value
    if kind == "bnode":
        return f"_:{value}"
    if kind in ("literal", "typed-literal"):
        return _literal(value, binding.get("datatype"))
    return value


def uses_service(query_text: str) -> bool:
    """Whether the query has a ``SERVICE`` clause (which makes the query engine send requests to
    any URL the query names). A query rdflib cannot parse counts as having one if the word
    appears at all: the check must never let one through."""
    # Without the keyword (nor a \u escape that could spell it) there is none: no need to load
    # rdflib's SPARQL parser, the larger part of a query's start-up
    if not re.search(r"service|\\u", query_text, re.IGNORECASE):
        return False
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    def has_service(node) -> bool:
        if isinstance(node, CompValue):
            return node.name == "ServiceGraphPattern" or any(has_service(v) for v in node.values())
        if isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            return any(has_service(v) for v in node)
        return False

    try:
        return has_service(parseQuery(query_text))
    except Exception:  # noqa: BLE001 - rdflib's parser raises pyparsing's errors and others
        return re.search(r"\bSERVICE\b", query_text, re.IGNORECASE) is not None


# pyoxigraph's syntax errors: "error at 3:2: expected one of …"
_SYNTAX_ERROR_RE = re.compile(r"^error at (?P<line>\d+):(?P<column>\d+): (?P<reason>.*)$", re.DOTALL)


_IRI_TEXT = attrgetter("value")  # a column of IRIs only: their text, without looking each up


class _Converted(dict):
    """Each term's Python value (:func:`_from_oxigraph`), converted once per query: a long result
    repeats its labels, kinds, dates and actors' IRIs on many rows."""

    def __missing__(self, term: object) -> object:
        value = self[term] = _from_oxigraph(term)
        return value


def _evaluate(query_text: str, store: ox.Store, union_default_graph: bool) -> bool | tuple[list[str], list[tuple]]:
    """An ASK query's answer, or a SELECT query's variables and solutions (tuples of terms)."""
    try:
        results = store.query(query_text, use_default_graph_as_union=union_default_graph)
    except SyntaxError as exc:
        where = _SYNTAX_ERROR_RE.match(str(exc))
        if where:
            raise QuerySyntaxError(int(where["line"]), int(where["column"]), where["reason"]) from exc
        raise QueryUsageError(f"invalid SPARQL query: {exc}") from exc
    except OSError as exc:
        raise QueryError(f"query failed: {exc}") from exc
    if isinstance(results, ox.QueryBoolean):
        return bool(results)
    if not isinstance(results, ox.QuerySolutions):
        raise QueryUsageError("only SELECT and ASK queries can be run (this one builds a graph)")
    variables = [v.value for v in results.variables]
    try:
        return variables, [tuple(solution) for solution in results]
    except OSError as exc:
        raise QueryError(f"query failed: {exc}") from exc


def run_query(query_text: str, store: ox.Store, union_default_graph: bool = False) -> QueryResult:
    """Run a SELECT (or ASK) query on a pyoxigraph store; the store's default graph is used as is,
    or is the union of all its graphs with ``union_default_graph`` (as on Virtuoso).

    An ASK query gives one row with the variable ``ask``. A query ending in an ORDER BY on
    variables is run without it and its rows sorted here, in the same order
    (:mod:`pipeline.ordering`: Oxigraph's sort reads the terms it compares back from the store);
    the query runs as written when its sort columns hold terms only the engine orders.
    """
    ordering = plan_ordering(query_text)
    with _cyclic_gc_paused():
        if ordering is not None:
            try:
                unordered = _evaluate(ordering.text, store, union_default_graph)
            except QueryUsageError:
                pass  # the query as written says what is wrong with it, and where
            else:
                result = _result(unordered, ordering)
                if result is not None:
                    return result
        return _result(_evaluate(query_text, store, union_default_graph))


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Python's cycle collector paused: a result is a great many tuples, lists and dicts, none in
    a cycle, and the collector would otherwise walk all of those built so far again and again
    while they are built (5–7% of the CPU samples of a query listing every claim of a million
    triples)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _result(evaluated: bool | tuple[list[str], list[tuple]], ordering: Ordering | None = None) -> QueryResult | None:
    """The result of :func:`_evaluate`, its rows ordered by ``ordering`` (None when a sort column
    holds terms only the engine orders)."""
    if isinstance(evaluated, bool):
        return QueryResult(["ask"], [{"ask": evaluated}])
    variables, solutions = evaluated
    # by column: a column's terms are converted in one pass, and sort keys are columns
    terms = list(zip(*solutions)) if solutions else [() for _ in variables]
    convert = _Converted().__getitem__
    values = [list(map(_IRI_TEXT, column)) if set(map(type, column)) == {ox.NamedNode} else list(map(convert, column))
              for column in terms]
    kept, rows = list(range(len(variables))), None
    if ordering is not None:
        ordered = ordering.order(variables, terms, values)
        if ordered is None:
            return None
        kept, rows = ordered
    names = [variables[j] for j in kept]
    if not names:  # a query selecting no variable: its rows are empty
        return QueryResult(names, [{} for _ in (solutions if rows is None else rows)])
    columns = [values[j] if rows is None else list(map(values[j].__getitem__, rows)) for j in kept]
    return QueryResult(names, [dict(zip(names, row)) for row in zip(*columns)])


def run_query_endpoint(
    query_text: str,
    endpoint_url: str,
    user: str | None = None,
    password: str | None = None,
    timeout: float = 60.0,
    auth: str = "basic",
    retries: int = 2,
) -> QueryResult:
    """Run a SELECT (or ASK) query against a SPARQL endpoint, rows converted as :func:`run_query`.

    SPARQLWrapper builds the SPARQL protocol request (a POST with JSON results); it is sent
    through :mod:`pipeline.http`: a timeout, retries, no credentials to another host, a POST
    kept a POST on 307/308, other redirects reported, URLs in messages redacted.
    """
    from SPARQLWrapper import ASK, JSON, POST, SELECT, SPARQLWrapper

    from .http import HttpClient, Unreachable, http_reason, redact

    where = redact(endpoint_url)
    if urlsplit(endpoint_url).scheme not in ("http", "https") or not urlsplit(endpoint_url).netloc:
        raise QueryUsageError(f"endpoint {where!r} is not an http:// or https:// URL")
    sparql = SPARQLWrapper(endpoint_url)
    sparql.setQuery(query_text)
    if sparql.queryType not in (SELECT, ASK):
        raise QueryUsageError(
            f"only SELECT and ASK queries can be run (this one is {sparql.queryType})"
        )
    sparql.setReturnFormat(JSON)
    sparql.setMethod(POST)
    request = sparql._createRequest()  # the protocol request: URL, form body, Accept header
    client = HttpClient([endpoint_url], user, password, auth=auth, retries=retries, timeout=timeout)
    try:
        response, _ = client.send(request.get_method(), request.full_url, data=request.data,
                                  headers=dict(request.header_items()))
    except Unreachable as exc:
        raise QueryError(f"endpoint {where}: {exc.reason} (after {exc.attempts} attempt(s))") from None
    finally:
        client.close()
    if not 200 <= response.status_code < 300:
        raise QueryError(f"endpoint {where}: {http_reason(response)}")
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise QueryError(f"endpoint {where} did not answer with SPARQL JSON results")
    if "boolean" in data:
        return QueryResult(["ask"], [{"ask": bool(data["boolean"])}])
    try:
        variables = list(data["head"].get("vars", []))
        bindings = data["results"]["bindings"]
    except (KeyError, TypeError, AttributeError) as exc:
        raise QueryError(f"endpoint {where} answered malformed JSON results") from exc
    rows = [{name: _from_json(b.get(name)) for name in variables} for b in bindings]
    return QueryResult(variables, rows)


# --------------------------------------------------------------------------------------------
# Reshaping a canned query's rows for reading (SPARQL cannot make one column per source)


def figures_by_source(result: QueryResult) -> QueryResult:
    """Figure rows (event, measure, qualifier, value, document, …) as a pivot: one row per
    (event, measure), one column per document holding what it reported ("at least 140"; two
    figures of one document joined by "; "), empty where it reported none. Rows keep the order
    of their first figure; document columns are sorted."""
    cells: dict[tuple, dict[str, list[str]]] = {}
    for row in result.rows:
        figure = " ".join(str(part) for part in (row["qualifier"], row["value"]) if part is not None)
        reported = cells.setdefault((row["event"], row["measure"]), {}).setdefault(str(row["document"]), [])
        if figure not in reported:
            reported.append(figure)
    documents = sorted({document for by_document in cells.values() for document in by_document})
    empty = dict.fromkeys(documents)  # a row holds every column; most cells of a row are empty
    rows = [{"event": event, "measure": measure, **empty,
             **{document: "; ".join(figures) for document, figures in by_document.items()}}
            for (event, measure), by_document in cells.items()]
    return QueryResult(["event", "measure", *documents], rows)


# Canned queries whose rows evkg reshapes after running them (the .rq file gives them as they are).
RESHAPED: dict[str, Callable[[QueryResult], QueryResult]] = {"conflicting-figures": figures_by_source}


def reshape(query: CannedQuery, result: QueryResult) -> QueryResult:
    """``result`` as evkg shows the rows of ``query`` (:data:`RESHAPED`), in every format."""
    reshaper = RESHAPED.get(query.name)
    return reshaper(result) if reshaper else result


# --------------------------------------------------------------------------------------------
# Formatting results


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def is_iri_column(result: QueryResult, name: str) -> bool:
    """A column of IRIs: named ``…_iri``, or every value in it an ``http(s)://`` IRI."""
    if name == "iri" or name.endswith("_iri"):
        return True
    values = [row.get(name) for row in result.rows if row.get(name) is not None]
    return bool(values) and all(isinstance(v, str) and v.startswith(("http://", "https://")) for v in values)


# The evidence's character offsets: for programs and `evkg show`, not for reading.
OFFSET_COLUMNS = ("start", "end")


def is_locator_column(result: QueryResult, name: str) -> bool:
    """A column that locates rather than says: IRIs (:func:`is_iri_column`) and character offsets."""
    return name in OFFSET_COLUMNS or is_iri_column(result, name)


def select(result: QueryResult, columns: Iterable[str] | None = None, limit: int | None = None) -> QueryResult:
    """The result with only ``columns`` (in that order) and the first ``limit`` rows."""
    variables = list(result.variables)
    if columns is not None:
        columns = list(columns)
        unknown = [c for c in columns if c not in variables]
        if unknown:
            raise QueryUsageError(f"no column {', '.join(map(repr, unknown))} in this result "
                             f"(its columns: {', '.join(variables) or 'none'})")
        variables = columns
    rows = result.rows if limit is None else result.rows[:limit]
    return QueryResult(variables, [{name: row.get(name) for name in variables} for row in rows])


SHORT_VALUE = len("2024-03-22")  # a column of values no longer than a date is not cut when it can be helped


def format_table(result: QueryResult, width: int | None = None, wide: bool = False,
                 hide_locators: bool = True) -> str:
    """Aligned columns for a person (rendered by rich), one line per row, fitting ``width``
    characters (default: $COLUMNS, else the terminal's width, else 80).

    IRI and offset columns (:func:`is_locator_column`) are left out unless ``hide_locators`` is
    false. When the rows are too wide, the longest values are cut with an ellipsis, all to the
    same width, so that the short columns (headers, dates, numbers) stay whole and the widest
    column (the evidence, mostly) takes what is left. ``wide`` keeps every column and every character.
    """
    import shutil

    from rich import box
    from rich.console import Console
    from rich.table import Table

    variables = [v for v in result.variables if wide or not hide_locators or not is_locator_column(result, v)]
    cells = [[" ".join(_cell(row.get(name)).split()) for name in variables] for row in result.rows]
    width = width or shutil.get_terminal_size((80, 24)).columns

    def table(widths: list[int] | None) -> Table:
        grid = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
        for i, name in enumerate(variables):
            grid.add_column(name, no_wrap=True, overflow="ellipsis", width=widths[i] if widths else None)
        for line in cells:
            grid.add_row(*line)
        return grid

    def console(columns: int) -> Console:
        return Console(file=io.StringIO(), width=columns, color_system=None, force_terminal=False,
                       legacy_windows=False)

    grid = table(None)
    if not wide and variables:
        longest = [max([len(name)] + [len(line[i]) for line in cells]) for i, name in enumerate(variables)]
        spacing = console(10**6).measure(table([1] * len(variables))).maximum - len(variables)
        room = max(width - spacing, len(variables))
        if sum(longest) > room:
            # Headers, and columns of short values (dates, numbers, true/false), stay whole when
            # they can; every longer value is cut to the same width.
            floor = [n if n <= SHORT_VALUE else min(n, len(name)) for n, name in zip(longest, variables)]
            if sum(floor) > room:
                floor = [min(n, len(name)) for n, name in zip(longest, variables)]
            if sum(floor) > room:
                floor = [1] * len(variables)
            cap = max(c for c in range(1, max(longest) + 1)
                      if sum(max(f, min(n, c)) for f, n in zip(floor, longest)) <= room)
            widths = [max(f, min(n, cap)) for f, n in zip(floor, longest)]
            widest = max(range(len(variables)), key=lambda i: longest[i])
            widths[widest] = min(longest[widest], widths[widest] + room - sum(widths))
            grid = table(widths)
    out = console(10**6 if wide else width)
    out.print(grid)
    return "\n".join(line.rstrip() for line in out.file.getvalue().splitlines()).strip("\n") + "\n"


def format_result(result: QueryResult, fmt: str = "table", *, width: int | None = None, wide: bool = False,
                  hide_locators: bool = True) -> str:
    """The result as ``table`` (:func:`format_table`), or ``csv`` / ``json``, which always
    hold every column and the full values."""
    if fmt == "json":
        return json.dumps(
            [{name: row.get(name) for name in result.variables} for row in result.rows],
            ensure_ascii=False,
            indent=2,
        )
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(result.variables)
        # The csv module writes None as "" and a number as str() gives it, as _cell does; only a
        # column holding booleans needs _cell ("true", not "True"). Rows are taken whole (a wide
        # pivot has thousands of columns), then columns with booleans converted.
        variables = result.variables
        if not variables:
            writer.writerows([] for _ in result.rows)
            return out.getvalue()
        get = itemgetter(*variables)
        try:
            rows = [get(row) for row in result.rows] if len(variables) > 1 else [(get(row),) for row in result.rows]
        except KeyError:  # rows without some columns: those cells are empty
            rows = [tuple(row.get(name) for name in variables) for row in result.rows]
        if bool in set(map(type, itertools.chain.from_iterable(rows))):
            columns = [list(map(_cell, column)) if bool in set(map(type, column)) else column
                       for column in zip(*rows)]
            rows = list(zip(*columns))
        writer.writerows(rows)
        return out.getvalue()
    if fmt == "table":
        return format_table(result, width=width, wide=wide, hide_locators=hide_locators)
    raise QueryUsageError(f"unknown output format {fmt!r}; use one of: {', '.join(FORMATS)}")
