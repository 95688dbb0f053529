"""Build: run the stages over a batch of inputs and write OUTDIR.

ingest -> nlp + extract (per document, cached by content hash, optionally in worker
processes) -> resolve (across all documents) -> rdf -> validate -> output.

OUTDIR/docs/<doc-id>.ttl   one Turtle file per document
OUTDIR/graph.trig          one named graph per document
OUTDIR/graph.ttl           all triples in one graph
OUTDIR/validation.ttl      the SHACL report
OUTDIR/manifest.json       per input: id, status, triples, content hash, message
OUTDIR/.evkg-cache/        extraction results by content hash (incremental builds)
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Sequence

from . import __version__
from .ingest import InputProblem, nlp_text, read_inputs
from .lexicon import lexicon_fingerprint, load_lexicon
from .model import Document, Extraction, ResolvedDocument
from .output import assemble, doc_file_name, turtle, validation_report, write_json, write_text
from .rdf import IriMinter, document_graph
from .resolve import resolve
from .validate import Violation, validate_graph
from .vocab import DEFAULT_BASE

MANIFEST_VERSION = 1


@dataclass
class BuildReport:
    outdir: Path
    documents: list[dict] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)
    stage_seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    conforms: bool = True

    @property
    def failed(self) -> list[InputProblem]:
        return [p for p in self.problems if p.status == "failed"]

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


class _Timer:
    def __init__(self, report: BuildReport, stage: str):
        self.report, self.stage = report, stage

    def __enter__(self):
        self.start = time.perf_counter()

    def __exit__(self, *exc):
        self.report.stage_seconds[self.stage] += time.perf_counter() - self.start


def _cache_key(document: Document, fingerprint: str) -> str:
    return hashlib.sha256(f"{__version__}\x1f{fingerprint}\x1f{document.content_hash}".encode()).hexdigest()


def _extract_batch(documents: Sequence[Document], actor_files: tuple[str, ...]) -> list[dict]:
    """NLP and extraction for a batch of documents (runs in a worker process when --jobs > 1)."""
    from .extract import extract
    from .nlp import load_nlp

    nlp = load_nlp(actor_files)
    lexicon = load_lexicon(actor_files)
    texts = (nlp_text(d) for d in documents)
    return [extract(doc, d, lexicon).to_json() for doc, d in zip(nlp.pipe(texts, batch_size=16), documents)]


def extract_documents(documents: Sequence[Document], jobs: int = 1, actor_files: tuple[str, ...] = (),
                      on_done: Optional[Callable[[int], None]] = None) -> Iterator[Extraction]:
    """Extractions for ``documents``, in order, using ``jobs`` processes."""
    batch = 8
    batches = [documents[i: i + batch] for i in range(0, len(documents), batch)]
    if jobs <= 1 or len(batches) <= 1:
        for chunk in batches:
            for data in _extract_batch(chunk, actor_files):
                yield Extraction.from_json(data)
            if on_done:
                on_done(len(chunk))
        return
    import multiprocessing

    context = multiprocessing.get_context("fork")
    with context.Pool(jobs) as pool:
        results = pool.imap(_extract_batch_star, [(chunk, actor_files) for chunk in batches])
        for chunk, data in zip(batches, results):
            for item in data:
                yield Extraction.from_json(item)
            if on_done:
                on_done(len(chunk))


def _extract_batch_star(args):
    return _extract_batch(*args)


def build(inputs: Iterable[str | Path], outdir: str | Path, *, base: str = DEFAULT_BASE, jobs: int = 1,
          actor_files: Sequence[str] = (), progress: bool = False,
          on_problem: Callable[[InputProblem], None] = lambda p: None) -> BuildReport:
    """Build OUTDIR from ``inputs``; bad inputs are reported, never fatal to the batch."""
    outdir = Path(outdir)
    actor_files = tuple(str(Path(f)) for f in actor_files)
    minter = IriMinter(base)
    report = BuildReport(outdir=outdir)
    lexicon = load_lexicon(actor_files)

    with _Timer(report, "ingest"):
        documents: list[Document] = []
        for item in read_inputs(inputs):
            if isinstance(item, Document):
                documents.append(item)
            else:
                report.problems.append(item)
                on_problem(item)

    cache_dir = outdir / ".evkg-cache" / "extract"
    fingerprint = lexicon_fingerprint(actor_files)
    extractions: dict[str, Extraction] = {}
    missing: list[Document] = []
    with _Timer(report, "cache"):
        for document in documents:
            cached = cache_dir / f"{_cache_key(document, fingerprint)}.json"
            if cached.exists():
                try:
                    extraction = Extraction.from_json(json.loads(cached.read_text(encoding="utf-8")))
                    extractions[document.id] = replace_document(extraction, document)
                    continue
                except (ValueError, KeyError, TypeError):
                    pass  # a damaged cache entry is recomputed
            missing.append(document)

    bar = _progress(len(missing), progress)
    with _Timer(report, "nlp+extract"):
        for document, extraction in zip(missing, extract_documents(
                missing, jobs=jobs, actor_files=actor_files, on_done=bar.update if bar else None)):
            extractions[document.id] = extraction
            write_text(cache_dir / f"{_cache_key(document, fingerprint)}.json",
                       json.dumps(extraction.to_json(), ensure_ascii=False))
    if bar:
        bar.close()

    with _Timer(report, "resolve"):
        resolved = resolve([extractions[d.id] for d in documents], lexicon)

    previous = _previous_manifest(outdir)
    docs_dir = outdir / "docs"
    violations_by_doc: dict[str, list[Violation]] = {}
    written: list[tuple[str, Path]] = []
    for item in sorted(resolved, key=lambda r: r.document.id):
        entry = _write_document(item, minter, docs_dir, previous, report)
        violations_by_doc[item.document.id] = [Violation(**v) for v in entry.pop("_violations")]
        report.documents.append(entry)
        written.append((item.document.id, docs_dir / entry["file"]))

    with _Timer(report, "write"):
        keep = {path.name for _, path in written}
        if docs_dir.exists():
            for stale in docs_dir.glob("*.ttl"):
                if stale.name not in keep:
                    stale.unlink()
        assemble(written, minter, outdir / "graph.trig", outdir / "graph.ttl")
        report.conforms = not any(violations_by_doc.values())
        write_text(outdir / "validation.ttl", turtle(validation_report(violations_by_doc, minter)))
        write_json(outdir / "manifest.json", _manifest(report, base, violations_by_doc))
    return report


def resolve_inputs(inputs: Iterable[str | Path], *, jobs: int = 1,
                   actor_files: tuple[str, ...] = ()) -> list[ResolvedDocument]:
    """Ingest, extract and resolve in memory (no output folder): for evaluation and tests."""
    documents = [item for item in read_inputs(inputs) if isinstance(item, Document)]
    extractions = list(extract_documents(documents, jobs=jobs, actor_files=actor_files))
    return resolve(extractions, load_lexicon(actor_files))


def replace_document(extraction: Extraction, document: Document) -> Extraction:
    """A cached extraction with this run's document record (the origin path may differ)."""
    from dataclasses import replace

    return replace(extraction, document=document)


def _write_document(item: ResolvedDocument, minter: IriMinter, docs_dir: Path, previous: dict,
                    report: BuildReport) -> dict:
    doc = item.document
    result_hash = hashlib.sha256(json.dumps([minter.base, item.to_json()], ensure_ascii=False,
                                            sort_keys=True).encode("utf-8", "surrogatepass")).hexdigest()
    file_name = doc_file_name(doc.id)
    path = docs_dir / file_name
    old = previous.get(doc.id)
    if old and old.get("result_hash") == result_hash and path.exists():
        return {**old, "origin": doc.origin, "reused": True, "_violations": old.get("violations", [])}
    with _Timer(report, "rdf"):
        graph = document_graph(item, minter)
    with _Timer(report, "validate"):
        result = validate_graph(graph)
    with _Timer(report, "write"):
        write_text(path, turtle(graph))
    violations = [v.__dict__ for v in result.violations]
    return {
        "id": doc.id, "origin": doc.origin, "file": file_name,
        "status": "ok" if result.conforms else "invalid",
        "triples": len(graph), "claims": len(item.claims), "figures": len(item.figures),
        "content_hash": doc.content_hash, "result_hash": result_hash,
        "message": "" if result.conforms else f"{len(violations)} SHACL violation(s)",
        "violations": violations, "reused": False, "_violations": violations,
    }


def _previous_manifest(outdir: Path) -> dict[str, dict]:
    try:
        data = json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))
        if data.get("version") != MANIFEST_VERSION or data.get("evkg") != __version__:
            return {}
        return {d["id"]: d for d in data.get("documents", []) if d.get("status") in ("ok", "invalid")}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _manifest(report: BuildReport, base: str, violations_by_doc) -> dict:
    documents = [{k: v for k, v in d.items() if k != "reused"} for d in report.documents]
    for problem in report.problems:
        documents.append({"id": problem.doc_id, "origin": problem.origin, "status": problem.status,
                          "triples": 0, "content_hash": None, "message": problem.reason})
    return {
        "version": MANIFEST_VERSION, "evkg": __version__, "base": base,
        "conforms": report.conforms,
        "counts": {
            "documents": len(report.documents),
            "failed": sum(1 for p in report.problems if p.status == "failed"),
            "skipped": sum(1 for p in report.problems if p.status == "skipped"),
            "warnings": sum(1 for p in report.problems if p.status == "warning"),
            "triples": sum(d["triples"] for d in report.documents),
            "claims": sum(d.get("claims", 0) for d in report.documents),
        },
        "documents": documents,
    }


def _progress(total: int, enabled: bool):
    if not enabled or total == 0:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", desc="nlp+extract", file=sys.stderr, leave=False)
