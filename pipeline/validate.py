"""Validate: check graphs against the SHACL shapes (SHACL Core, no inference)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Union

from pyshacl import validate as shacl_validate
from rdflib import Graph, Namespace
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
    report: Graph


@functools.lru_cache(maxsize=4)
def load_shapes(path: Optional[str] = None) -> Graph:
    shapes = Graph()
    shapes.parse(path or shapes_path(), format="turtle")
    return shapes


def validate_graph(data: Graph, shapes: Optional[Union[str, Path]] = None) -> ValidationResult:
    """Validate ``data`` with SHACL Core and no inference (rdfs inference is 7-50x slower)."""
    shapes_graph = load_shapes(str(shapes) if shapes else None)
    conforms, report, _ = shacl_validate(data, shacl_graph=shapes_graph, inference="none",
                                         abort_on_first=False, allow_warnings=True, meta_shacl=False,
                                         advanced=False)
    return ValidationResult(conforms=bool(conforms), violations=violations_in(report), report=report)


def violations_in(report: Graph) -> list[Violation]:
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        severity = report.value(result, SH.resultSeverity)
        found.append(Violation(
            focus=str(focus), path=str(path) if path is not None else "-",
            message=str(message) if message is not None else "constraint violated",
            severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation"))
    return sorted(found, key=lambda v: (v.focus, v.path, v.message))


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

    path = Path(path)
    fmt = guess_format(path)
    if fmt in ("trig", "nquads"):
        dataset = Dataset()
        dataset.parse(path, format=fmt)
        data = Graph()
        for quad in dataset.quads((None, None, None, None)):
            data.add(quad[:3])
    else:
        data = Graph()
        data.parse(path, format=fmt)
    return validate_graph(data, shapes)
