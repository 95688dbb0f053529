"""Validate: check graphs against the SHACL shapes (SHACL Core, no inference)."""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence, Union

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from .resources import shapes_path

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str
    severity: str = "Violation"

    def __str__(self) -> str:
        return f"{self.severity}: {self.focus} {self.path}: {self.message}"


@dataclass
class ValidationResult:
    conforms: bool
    violations: list[Violation]
    report: Optional[Graph] = None  # None for a graph validated in a batch (validate_graphs)


@functools.lru_cache(maxsize=4)
def load_shapes(path: Optional[str] = None) -> Graph:
    shapes = Graph()
    shapes.parse(path or shapes_path(), format="turtle")
    return shapes


def validate_graph(data: Graph, shapes: Optional[Union[str, Path]] = None) -> ValidationResult:
    """Validate ``data`` with SHACL Core and no inference (rdfs inference is 7-50x slower)."""
    conforms, report = _shacl(data, load_shapes(str(shapes) if shapes else None))
    return ValidationResult(conforms=bool(conforms), violations=violations_in(report), report=report)


def _shacl(data: Graph, shapes_graph: Graph) -> tuple[bool, Graph]:
    from pyshacl import validate as shacl_validate  # imported when needed: a re-run may not validate

    conforms, report, _ = shacl_validate(data, shacl_graph=shapes_graph, inference="none",
                                         abort_on_first=False, allow_warnings=True, meta_shacl=False,
                                         advanced=False)
    return bool(conforms), report


# Batches ------------------------------------------------------------------------------
#
# One pyshacl call costs a few milliseconds whatever the size of the graph, and a document
# graph is small, so validate_graphs checks many graphs in one call over their union. The
# union must not let one graph's triples change another's result: every node two graphs
# share (an actor, a statement, an event, a place) is renamed apart in each graph, which
# SHACL cannot tell from the original as long as the shapes never name it and never read
# its spelling. After renaming, a path walked from a node of one graph stays in that
# graph's triples, except through the nodes kept shared: the IRIs the shapes name (classes,
# kind concepts), predicates, and the IRIs whose spelling a constraint reads (values of the
# sh:path of an sh:pattern, say). A kept node must be described identically in every graph
# that has it, point to no renamed node, and be the object of no predicate that a
# sh:inversePath walks back along, else those graphs are checked alone. Each result goes
# back to the graph that owns its focus node, under its own name.

_MARK = "_evkgShaclBatch"
_MARK_PATTERN = re.compile(re.escape(_MARK) + r"\d+_+")
# Under these a focus node can be a node the shapes do not name, met in several graphs at
# once (a literal object, a node reached by a SPARQL query): no batching.
_UNSAFE = (SH.targetNode, SH.targetObjectsOf, SH.sparql, SH.target)
# These read the spelling of an IRI value (pyshacl compares IRIs with sh:lessThan as strings).
_SPELLING = (SH.pattern, SH.flags, SH.maxLength, SH.minLength, SH.lessThan, SH.lessThanOrEquals)
_ALLOWED_SEVERITIES = (SH.Warning, SH.Info)  # allow_warnings=True: these do not break conformance


@dataclass(frozen=True)
class _BatchRules:
    """What the shapes allow a batch to rename: ``constants`` (every IRI the shapes name) and
    the objects of ``spelled`` predicates stay as they are; a kept node shared by graphs must
    not be the object of an ``inverse`` predicate."""

    constants: frozenset
    spelled: frozenset
    inverse: frozenset


@functools.lru_cache(maxsize=4)
def _batch_rules(shapes: Optional[str]) -> Optional[_BatchRules]:
    """The rules batches of graphs follow under ``shapes``; None when they cannot be checked
    in batches."""
    shapes_graph = load_shapes(shapes)
    if any(True for p in _UNSAFE for _ in shapes_graph.triples((None, p, None))):
        return None
    spelled = set()
    for parameter in _SPELLING:
        for shape, value in shapes_graph.subject_objects(parameter):
            if parameter == SH.minLength and isinstance(value, Literal) and str(value) in ("0", "1"):
                continue  # a renamed IRI is longer: a minimum length of 0 or 1 cannot tell
            path = shapes_graph.value(shape, SH.path)
            if not isinstance(path, URIRef):
                return None  # the values read are not just the objects of one predicate
            spelled.add(path)
            if parameter in (SH.lessThan, SH.lessThanOrEquals):
                if not isinstance(value, URIRef):
                    return None
                spelled.add(value)
    inverse = set()
    for walked in shapes_graph.objects(None, SH.inversePath):
        if not isinstance(walked, URIRef):
            return None  # the inverse of a complex path: its steps are not checked here
        inverse.add(walked)
    constants = set()
    for triple in shapes_graph:
        constants.update(t for t in triple if isinstance(t, URIRef))
    return _BatchRules(frozenset(constants), frozenset(spelled), frozenset(inverse))


def validate_graphs(graphs: Sequence[Graph], shapes: Optional[Union[str, Path]] = None) -> list[ValidationResult]:
    """``[validate_graph(g) for g in graphs]`` (same conformance, same violations), with far
    fewer pyshacl calls: the graphs are checked together (``report`` is then None)."""
    graphs = list(graphs)
    shapes_graph = load_shapes(str(shapes) if shapes else None)
    rules = _batch_rules(str(shapes) if shapes else None)
    if len(graphs) < 2 or rules is None:
        return [validate_graph(g, shapes) for g in graphs]

    node_graphs: dict = defaultdict(list)
    predicates = set()
    spelled = set()  # IRIs whose spelling a constraint reads
    walked_back = set()  # objects of the predicates an inverse path walks
    for i, graph in enumerate(graphs):
        nodes = set()
        for s, p, o in graph:
            nodes.add(s)
            predicates.add(p)
            if not isinstance(o, Literal):
                nodes.add(o)
                if p in rules.spelled and isinstance(o, URIRef):
                    spelled.add(o)
                if p in rules.inverse:
                    walked_back.add(o)
        for node in nodes:
            node_graphs[node].append(i)

    alone: set[int] = set()
    kept = []  # nodes shared by graphs and kept as they are
    renamed: dict[tuple[int, object], object] = {}
    original: dict[object, tuple[int, object]] = {}
    for node, owners in node_graphs.items():
        if len(owners) < 2:
            continue
        named = isinstance(node, URIRef) and (node in rules.constants or node in predicates or node in spelled)
        if named or not isinstance(node, (URIRef, BNode)):  # only IRIs and blank nodes can be renamed
            kept.append((node, owners))
            continue
        for i in owners:
            if isinstance(node, BNode):
                new = BNode()
            else:
                new = URIRef(f"{node}{_MARK}{i}_")
                while new in node_graphs or new in original:
                    new = URIRef(f"{new}_")
            renamed[(i, node)] = new
            original[new] = (i, node)
    for node, owners in kept:
        descriptions = {frozenset(graphs[i].predicate_objects(node)) for i in owners}
        if (len(descriptions) > 1 or node in walked_back
                or any((i, o) in renamed for i in owners for o in graphs[i].objects(node))):
            alone.update(owners)

    batch = [i for i in range(len(graphs)) if i not in alone]
    results: dict[int, ValidationResult] = {i: validate_graph(graphs[i], shapes) for i in sorted(alone)}
    if len(batch) == 1:
        results[batch[0]] = validate_graph(graphs[batch[0]], shapes)
    elif batch:
        union = Graph(bind_namespaces="none")
        for prefix, namespace in graphs[batch[0]].namespaces():
            union.bind(prefix, namespace, override=True, replace=True)
        add = union.add
        for i in batch:
            for s, p, o in graphs[i]:
                add((renamed.get((i, s), s), p, renamed.get((i, o), o)))
        conforms, report = _shacl(union, shapes_graph)
        found = _attribute(report, batch, graphs, original)
        if found is None or conforms != all(ok for ok, _ in found.values()):
            # Cannot happen with the checks above; never trade correctness for speed.
            results.update({i: validate_graph(graphs[i], shapes) for i in batch})
        else:
            for i in batch:
                ok, violations = found[i]
                results[i] = ValidationResult(conforms=ok, violations=sorted(
                    violations, key=lambda v: (v.focus, v.path, v.message)))
    return [results[i] for i in range(len(graphs))]


def _attribute(report: Graph, batch: list[int], graphs: Sequence[Graph], original: dict):
    """Each result of a batch report, as its owner graph would have reported it; None if some
    result has no owner."""
    found = {i: (True, []) for i in batch}
    top = set(report.objects(None, SH.result))
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        if focus in original:
            owner, focus = original[focus]
            owners = [owner]
        else:
            owners = [i for i in batch if (focus, None, None) in graphs[i]]
            if not owners:
                return None
        violation = _violation(report, result, focus)
        if original:
            violation = Violation(focus=violation.focus, path=violation.path,
                                  message=_MARK_PATTERN.sub("", violation.message), severity=violation.severity)
        breaks = result in top and report.value(result, SH.resultSeverity) not in _ALLOWED_SEVERITIES
        for i in owners:
            ok, violations = found[i]
            violations.append(violation)
            found[i] = (ok and not breaks, violations)
    return found


def violations_in(report: Graph) -> list[Violation]:
    found = [_violation(report, result, report.value(result, SH.focusNode))
             for result in report.subjects(RDF.type, SH.ValidationResult)]
    return sorted(found, key=lambda v: (v.focus, v.path, v.message))


def _violation(report: Graph, result, focus) -> Violation:
    path = report.value(result, SH.resultPath)
    message = report.value(result, SH.resultMessage)
    severity = report.value(result, SH.resultSeverity)
    return Violation(
        focus=str(focus), path=str(path) if path is not None else "-",
        message=str(message) if message is not None else "constraint violated",
        severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation")


def guess_format(path: Path) -> str:
    name = path.name.lower()
    for suffix, fmt in ((".trig", "trig"), (".nq", "nquads"), (".nt", "nt"), (".jsonld", "json-ld"),
                        (".rdf", "xml"), (".owl", "xml")):
        if name.endswith(suffix):
            return fmt
    return "turtle"


def validate_file(path: Union[str, Path], shapes: Optional[Union[str, Path]] = None) -> ValidationResult:
    """Validate an RDF file; a TriG or N-Quads file is validated as the union of its graphs."""
    from rdflib import Dataset

    from .errors import UsageProblem

    path = Path(path)
    fmt = guess_format(path)
    try:
        if fmt in ("trig", "nquads"):
            dataset = Dataset()
            dataset.parse(path, format=fmt)
            data = Graph()
            for quad in dataset.quads((None, None, None, None)):
                data.add(quad[:3])
        else:
            data = Graph()
            data.parse(path, format=fmt)
    except Exception as exc:  # noqa: BLE001 - rdflib's parsers raise many kinds of errors
        reason = " ".join(str(exc).split())[:300] or type(exc).__name__
        raise UsageProblem(f"{path} is not valid {fmt or 'RDF'}: {reason}") from exc
    return validate_graph(data, shapes)


def validate(path: Union[str, Path], shapes: Optional[Union[str, Path]] = None) -> tuple[Path, ValidationResult]:
    """Validate an RDF file, or the graph of a build folder: its ``graph.ttl`` (every triple in one
    graph; ``graph.trig`` when there is none), checked against the build's manifest first.
    Returns the file validated and the result."""
    from .errors import UsageProblem
    from .output import checked_output

    path = Path(path)
    if path.is_dir():
        name = next((n for n in ("graph.ttl", "graph.trig") if (path / n).is_file()), None)
        if name is None:
            raise UsageProblem(f"{path} is a folder without graph.ttl or graph.trig (is it an evkg build folder?)")
        path = checked_output(path, name)
    return path, validate_file(path, shapes)
