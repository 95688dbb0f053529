"""Output: write build results so that nothing is ever half-written.

Every file is written to a temporary file in the same folder and renamed over the old one,
so a build killed at any moment leaves the previous complete file in place. ``graph.trig``
and ``graph.ttl`` are assembled by streaming the per-document Turtle files, never by
holding the whole corpus graph in memory.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterable, Iterator

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from .rdf import IriMinter, new_graph
from .validate import SH, Violation

_UMASK = os.umask(0o022)
os.umask(_UMASK)
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,150}$")


@contextmanager
def atomic_writer(path: Path, mode: str = "w") -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success it replaces ``path`` in one rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else "utf-8", newline=None if "b" in mode else "\n") as handle:
            yield handle
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600 files; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_text(path: Path, text: str) -> None:
    with atomic_writer(path) as handle:
        handle.write(text)


def write_json(path: Path, data) -> None:
    write_text(path, json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n")


def doc_file_name(doc_id: str) -> str:
    """A file name for a document id: the id itself when it is a safe name."""
    from .rdf import slug

    if _SAFE_NAME.match(doc_id):
        return f"{doc_id}.ttl"
    return f"{slug(doc_id)}.ttl"


def turtle(graph: Graph) -> str:
    return graph.serialize(format="turtle")


def prefix_header(minter: IriMinter) -> str:
    graph = new_graph(minter)
    return "".join(f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in sorted(graph.namespaces())) + "\n"


def turtle_body(text: str) -> str:
    """A Turtle document without its prefix lines (they are declared once, at the top)."""
    lines = text.splitlines(keepends=True)
    body = [line for line in lines if not line.startswith(("@prefix", "PREFIX", "@base"))]
    return "".join(body).strip("\n") + "\n"


def assemble(docs: Iterable[tuple[str, Path]], minter: IriMinter, trig_path: Path, ttl_path: Path) -> None:
    """Stream per-document Turtle files into graph.trig (a named graph each) and graph.ttl."""
    header = prefix_header(minter)
    with atomic_writer(trig_path) as trig, atomic_writer(ttl_path) as ttl:
        trig.write(header)
        ttl.write(header)
        for doc_id, path in docs:
            body = turtle_body(path.read_text(encoding="utf-8"))
            trig.write(f"<{minter.graph(doc_id)}> {{\n{body}}}\n\n")
            ttl.write(body + "\n")


def validation_report(violations_by_doc: dict[str, list[Violation]], minter: IriMinter) -> Graph:
    """One SHACL report for the whole build, with IRIs instead of blank nodes (stable bytes)."""
    graph = new_graph(minter)
    graph.bind("sh", SH)
    report = URIRef(f"{minter.base}validation/report")
    graph.add((report, RDF.type, SH.ValidationReport))
    conforms = not any(violations_by_doc.values())
    graph.add((report, SH.conforms, Literal(conforms)))
    for doc_id in sorted(violations_by_doc):
        for n, violation in enumerate(violations_by_doc[doc_id]):
            result = minter.hashed("validation", doc_id, n, violation.focus, violation.path, violation.message)
            graph.add((report, SH.result, result))
            graph.add((result, RDF.type, SH.ValidationResult))
            graph.add((result, SH.focusNode, URIRef(violation.focus)))
            if violation.path != "-":
                graph.add((result, SH.resultPath, URIRef(violation.path)))
            graph.add((result, SH.resultMessage, Literal(violation.message)))
            graph.add((result, SH.resultSeverity, SH[violation.severity]))
    return graph
