"""Build: run the stages over a batch of inputs and write OUTDIR.

ingest -> nlp + extract (per document, cached by content hash) -> resolve (across all
documents) -> rdf -> validate -> output. NLP + extract and rdf + validate + Turtle run in
batches on an executor (``--jobs`` worker processes or a Dask cluster, pipeline.executors).
Texts and extraction records wait on disk (pipeline.records) and resolution streams over
them, so this process holds compact indexes of the corpus, never its texts, records or graph.
A re-run reuses extractions by content hash and per-document outputs by result hash
(manifest), so only what changed is recomputed.

OUTDIR/docs/<doc-id>.ttl   one Turtle file per document
OUTDIR/graph.trig          one named graph per document
OUTDIR/graph.ttl           all triples in one graph
OUTDIR/validation.ttl      the SHACL report
OUTDIR/manifest.json       per input: id, status, triples, content hash, message
OUTDIR/store/              an Oxigraph store holding graph.trig's quads (pipeline.store)
OUTDIR/store.json          the manifest the store matches (written after the store)
OUTDIR/.evkg-cache/        extraction results by content hash (incremental builds), and
                           records.sqlite while a build runs
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import os
import sys
import textwrap
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Sequence

from . import __version__
from .batching import ItemFailed, isolate_failures, plan_batches
from .errors import Failure
from .executors import Executor, ProcessPool, executor_for
from .ingest import FALLBACK_ENCODING, InputProblem, check_paths, nlp_text, read_inputs
from .lexicon import lexicon_fingerprint, load_lexicon
from .model import Document, Extraction, ResolvedDocument
from .output import (CACHE_NAME, MANIFEST_NAME, assemble, atomic_writer, check_build_folder, doc_file_name,
                     file_sha256, json_text, outdir_lock, remove_stale_temp_files, turtle, validation_report,
                     write_text)
from .rdf import RDF_REVISION, IriMinter, check_base, document_graph
from .records import RECORDS_NAME, RecordStore
from .resolve import CorpusResolver, resolve
from .store import update_store
from .validate import Violation, validate_graphs
from .vocab import DEFAULT_BASE

MANIFEST_VERSION = 2
OUTPUT_FILES = ("graph.trig", "graph.ttl", "validation.ttl")


class BuildFailed(Failure):
    """The build stopped (nothing to build, a file that cannot be written); one line says why."""


@dataclass
class BuildReport:
    outdir: Path
    problems: list[InputProblem] = field(default_factory=list)
    # Seconds per stage; stages run by worker processes are summed over the processes.
    stage_seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    conforms: bool = True
    jobs: int = 1
    extracted: int = 0  # documents that went through NLP and extraction (not from the cache)
    rendered: int = 0  # documents whose RDF was built, validated and written (not reused)
    wall_seconds: float = 0.0
    built: int = 0  # documents in the build (rendered or reused)
    claims: int = 0
    triples: int = 0
    # one byte per document built, in id order: 1 when its outputs were reused (the entries
    # themselves are in the manifest: a build of any size holds none of them)
    reused_flags: bytearray = field(default_factory=bytearray)

    @property
    def documents(self) -> list[dict]:
        """The manifest entry of every document built, in id order, with ``reused`` (read back
        from the manifest on demand)."""
        from .output import read_manifest

        manifest = read_manifest(self.outdir) or {}
        built = [d for d in manifest.get("documents", []) if "file" in d][:self.built]
        return [{**d, "reused": bool(flag)} for d, flag in zip(built, self.reused_flags)]

    def timings(self) -> dict:
        """What the build spent its time on (for ``evkg build --timings`` and bench/bench.py)."""
        return {
            "jobs": self.jobs, "wall_seconds": round(self.wall_seconds, 4),
            "documents": self.built, "extracted": self.extracted, "rendered": self.rendered,
            "reused": sum(self.reused_flags),
            "stage_seconds": {k: round(v, 4) for k, v in self.stage_seconds.items()},
        }

    @property
    def failed(self) -> list[InputProblem]:
        return [p for p in self.problems if p.status == "failed"]

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


class _Timer:
    """Times a stage; a file the stage cannot write stops the build with one line naming the
    file and the stage (not a bare "[Errno 28]")."""

    def __init__(self, report: Optional[BuildReport], stage: str):
        self.report, self.stage = report, stage

    def __enter__(self):
        self.start = time.perf_counter()

    def __exit__(self, exc_type, exc, tb):
        if self.report is not None:
            self.report.stage_seconds[self.stage] += time.perf_counter() - self.start
        if isinstance(exc, OSError) and not isinstance(exc, BuildFailed):
            where = f"{exc.filename}: " if exc.filename else ""
            raise BuildFailed(f"{self.stage}: cannot write {where}{exc.strerror or exc}; "
                              f"manifest.json still describes the last complete build") from exc


def _timed(report: BuildReport, stage: str, items: Iterable) -> Iterator:
    """``items``, the time spent producing each counted to ``stage`` (not the time its consumer
    spends on it)."""
    iterator = iter(items)
    while True:
        with _Timer(report, stage):
            try:
                item = next(iterator)
            except StopIteration:
                return
        yield item


def _cache_key(document: Document, fingerprint: str) -> str:
    return hashlib.sha256(f"{__version__}\x1f{fingerprint}\x1f{document.content_hash}".encode()).hexdigest()


# Work is done in batches (pipeline.batching): NLP and extraction in batches of documents, RDF,
# SHACL and Turtle in batches of resolved documents, run by an executor (pipeline.executors):
# --jobs forked worker processes, or the workers of a Dask cluster (--cluster). With one
# local batch it runs in this process; otherwise the process holding the spaCy model never
# holds the records of the whole corpus, and the one holding the records never holds the model.
NLP_PIECE_CHARS = 10_000
RENDER_BATCH_DOCS = 64


def _extract_batch(documents: Sequence[Document], actor_files: tuple[str, ...]) -> tuple[list, dict]:
    """NLP and extraction for a batch of documents: an ``Extraction`` each, or ``ItemFailed``
    for a document that made them raise. A missing spaCy model still fails the build."""
    from .nlp import ModelMissing

    return isolate_failures(functools.partial(_extract_batch_unchecked, actor_files=actor_files), documents,
                            fatal=(ModelMissing,))


def _extract_batch_unchecked(documents: Sequence[Document],
                             actor_files: tuple[str, ...]) -> tuple[list[Extraction], dict]:
    """NLP and extraction for a batch of documents (in a worker), with the seconds spent in each."""
    from .extract import extract
    from .nlp import load_nlp, parse_texts

    seconds = defaultdict(float)
    clock = time.perf_counter()
    nlp = load_nlp(actor_files)  # once per process (on a Dask worker: when it starts)
    lexicon = load_lexicon(actor_files)
    now = time.perf_counter()
    seconds["load"] += now - clock
    clock = now
    parsed = parse_texts(nlp, [nlp_text(d) for d in documents], batch_size=max(1, len(documents)),
                         max_length=min(NLP_PIECE_CHARS, nlp.max_length))
    extractions = []
    for document in documents:
        doc = next(parsed)
        now = time.perf_counter()
        seconds["nlp"] += now - clock
        clock = now
        extractions.append(extract(doc, document, lexicon))
        del doc
        now = time.perf_counter()
        seconds["extract"] += now - clock
        clock = now
    del parsed
    _release_memory()
    return extractions, dict(seconds)


def _release_memory() -> None:
    """Give the memory a batch's parse (in a worker) or a stage (in the build process) used back
    to the system (glibc keeps freed blocks and the heap fragments, so a long-running process
    would grow batch after batch)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.lru_cache(maxsize=1)
def _malloc_trim():
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None  # not glibc: nothing to do


def _extract_task(task):
    number, documents, actor_files = task
    return number, _extract_batch(documents, actor_files)


def _extraction_lost(task, reason: str):
    """What a batch whose worker died twice gives: every document of it failed, by name."""
    number, documents, _ = task
    return number, ([ItemFailed(reason) for _ in documents], {})


def _extractions(plan: list[list[int]], document: Callable[[int], Document], workers: Executor,
                 actor_files: tuple[str, ...], seconds: dict) -> Iterator[tuple[int, Extraction]]:
    """(index, extraction) for every document, by batches of indices (``plan``), in the order
    batches finish; ``document(index)`` gives a document when its batch is handed to a worker.
    ``seconds`` collects the time per stage (summed over processes)."""
    tasks = ((n, [document(i) for i in batch], actor_files) for n, batch in enumerate(plan))
    for number, (extractions, batch_seconds) in workers.run(_extract_task, tasks, _extraction_lost):
        for stage, value in batch_seconds.items():
            seconds[stage] += value
        yield from zip(plan[number], extractions)


def extract_documents(documents: Sequence[Document], jobs: int = 1, actor_files: tuple[str, ...] = (),
                      on_done: Optional[Callable[[int], None]] = None) -> Iterator[Extraction]:
    """Extractions for ``documents``, in order, using ``jobs`` processes."""
    documents = list(documents)
    results: list[Optional[Extraction]] = [None] * len(documents)
    workers = ProcessPool(jobs)
    try:
        plan = plan_batches([len(d.text) for d in documents])
        for index, extraction in _extractions(plan, documents.__getitem__, workers, actor_files, defaultdict(float)):
            results[index] = extraction
            if on_done:
                on_done(1)
    finally:
        workers.close()
    yield from results


def usable_cores() -> int:
    """The cores this process may run on (``--jobs 0``)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def build(inputs: Iterable[str | Path], outdir: str | Path, *, base: str = DEFAULT_BASE, jobs: int = 1,
          actor_files: Sequence[str] = (), progress: bool = False,
          on_problem: Callable[[InputProblem], None] = lambda p: None,
          encoding_fallback: Optional[str] = FALLBACK_ENCODING, wait: bool = False, force: bool = False,
          keep_cache: bool = False, on_note: Callable[[str], None] = lambda message: None,
          cluster: Optional[str] = None) -> BuildReport:
    """Build OUTDIR from ``inputs``; bad inputs are reported, never fatal to the batch.

    ``encoding_fallback``: how to read a file that is not UTF-8 (None: it fails). OUTDIR must be
    empty, new or an evkg build (``force``: any folder); it is locked for the build, and a
    second build waits (``wait``) or fails at once. ``keep_cache``: keep the cached extractions
    of documents that are not in this build. ``on_note``: notes such as "waiting for the lock".
    ``cluster``: a Dask scheduler address (``tcp://host:8786``) or ``local:N`` (a LocalCluster of
    N workers) to run the batches on instead of ``jobs`` local processes."""
    outdir = Path(outdir)
    inputs = check_paths(inputs)  # a usage error writes nothing, not even OUTDIR
    check_base(base)
    check_build_folder(outdir, force)
    actor_files = tuple(str(Path(f)) for f in actor_files)
    lexicon = load_lexicon(actor_files)  # a bad --aliases file is a usage error: nothing is written
    if cluster:
        from .executors import check_cluster_address

        check_cluster_address(cluster)
    cores = usable_cores()
    if jobs > cores and not cluster:
        on_note(f"--jobs {jobs} is more than the {cores} core(s) this process may use: it is slower, not faster")
    with outdir_lock(outdir, wait, on_note) as lock_fd:
        return _build_locked(inputs, outdir, base, executor_for(jobs, cluster, actor_files, lock_fd), actor_files,
                             lexicon, progress, on_problem, encoding_fallback, keep_cache)


def _build_locked(inputs, outdir: Path, base: str, workers: Executor, actor_files: tuple[str, ...], lexicon,
                  progress: bool, on_problem: Callable[[InputProblem], None], encoding_fallback: Optional[str],
                  keep_cache: bool) -> BuildReport:
    minter = IriMinter(base)
    started = time.perf_counter()
    # Worker processes are started now, while this process is small: a forked process counts
    # its parent's pages in its RSS, and the parent is about to read the whole corpus.
    workers.start()
    report = BuildReport(outdir=outdir, jobs=workers.workers)
    try:
        return _build_stages(inputs, outdir, base, minter, report, started, lexicon, workers, actor_files,
                             progress, on_problem, encoding_fallback, keep_cache)
    finally:
        workers.close()


def _build_stages(inputs, outdir: Path, base: str, minter: IriMinter, report: BuildReport, started: float,
                  lexicon, workers: Executor, actor_files: tuple[str, ...], progress: bool,
                  on_problem: Callable[[InputProblem], None], encoding_fallback: Optional[str],
                  keep_cache: bool) -> BuildReport:
    with _Timer(report, "ingest"):  # a disk too full for it stops the build in one line
        records = RecordStore(outdir / CACHE_NAME / RECORDS_NAME)
    try:
        return _build_from_records(inputs, outdir, base, minter, report, started, lexicon, workers, actor_files,
                                   progress, on_problem, encoding_fallback, keep_cache, records)
    finally:
        records.close()


def _build_from_records(inputs, outdir: Path, base: str, minter: IriMinter, report: BuildReport, started: float,
                        lexicon, workers: Executor, actor_files: tuple[str, ...], progress: bool,
                        on_problem: Callable[[InputProblem], None], encoding_fallback: Optional[str],
                        keep_cache: bool, records: RecordStore) -> BuildReport:
    def problem_found(problem: InputProblem) -> None:
        report.problems.append(problem)
        on_problem(problem)

    previous = _previous_manifest(outdir)
    previous_manifest_sha256 = file_sha256(outdir / MANIFEST_NAME)  # the build the store may hold
    docs_dir = outdir / "docs"
    cache_dir = outdir / CACHE_NAME / "extract"
    for folder in (outdir, docs_dir, cache_dir):  # left by a build that was killed
        remove_stale_temp_files(folder)
    fingerprint = lexicon_fingerprint(actor_files)

    # Each document goes to the record store as it is read: its cached extraction, or its text
    # waiting for NLP. Only the sizes of the texts to parse stay in memory (to plan batches).
    waiting_sizes: list[int] = []
    for item in _timed(report, "ingest", read_inputs(inputs, encoding_fallback=encoding_fallback)):
        if not isinstance(item, Document):
            problem_found(item)
            continue
        cache_key = _cache_key(item, fingerprint)
        records.put_input(item.id, item.origin, cache_key)
        with _Timer(report, "cache"):
            extraction = _cached_extraction(cache_dir / f"{cache_key}.json", item)
            if extraction is None:
                records.put_waiting(item)
                waiting_sizes.append(len(item.text))
            else:
                records.put_extraction(extraction)
    if not records.has_inputs() and (previous or docs_dir.is_dir()):
        raise BuildFailed(f"the inputs gave no document to build; the build in {outdir} is left as it was")

    plan = plan_batches(waiting_sizes)
    bar = _progress(len(waiting_sizes), progress)
    del waiting_sizes
    for number, extraction in _extractions(plan, records.waiting, workers, actor_files, report.stage_seconds):
        doc_id = records.waiting_id(number)
        if bar:
            bar.update(1)
        if isinstance(extraction, ItemFailed):  # reported; the rest of the batch goes on
            problem_found(InputProblem(records.origin(doc_id), f"extraction failed: {extraction.reason}",
                                       doc_id=doc_id, detail=extraction.detail))
            continue
        report.extracted += 1
        with _Timer(report, "cache"):
            data = extraction.to_json()  # once, for the record store and the cache
            records.put_extraction(extraction, data)
            write_text(cache_dir / f"{records.cache_key(doc_id)}.json", json.dumps(data, ensure_ascii=False))
    if bar:
        bar.close()
    del plan

    # In id order (the record store's), whatever order the inputs came in: the output never
    # depends on it.
    resolver = CorpusResolver(lexicon, on_failure=lambda e, exc: problem_found(
        _failure_problem(e.document, "resolution failed", exc)))
    with _Timer(report, "resolve"):
        resolver.learn(records.extractions())
        resolver.count_statements(records.extractions())
    _release_memory()

    def render_tasks() -> Iterator[tuple]:
        """Batches of the resolved documents whose outputs cannot be reused, as they come."""
        batch: list[tuple[ResolvedDocument, str]] = []
        number = 0
        for item in _timed(report, "resolve", resolver.documents(records.extractions())):
            with _Timer(report, "reuse"):
                doc = item.document
                result_hash = _result_hash(item, minter)
                old = previous.get(doc.id)
                # reused only when docs/ holds the file the manifest describes: a build stopped
                # after writing docs/ but before its manifest leaves files no manifest describes
                if (old and old.get("result_hash") == result_hash and old.get("file_hash")
                        and file_sha256(docs_dir / doc_file_name(doc.id)) == old.get("file_hash")):
                    records.put_entry({**old, "origin": doc.origin, "reused": True})
                    continue
            batch.append((item, result_hash))
            if len(batch) == RENDER_BATCH_DOCS:
                yield number, batch, minter.base
                batch, number = [], number + 1
        if batch:
            yield number, batch, minter.base

    try:
        _render_documents(report, workers, render_tasks(), docs_dir, records, problem_found)
    except BaseException:  # docs/ keeps the last complete build's files
        _remove_pending(docs_dir)
        raise
    workers.close()

    def written() -> Iterator[tuple[str, Path]]:
        """Each document built, in id order, with the file holding its Turtle now (a file waiting
        for the commit when it was rendered anew); the report's counts as they go by."""
        for entry in records.entries():
            report.built += 1
            report.claims += entry.get("claims", 0)
            report.triples += entry["triples"]
            reused = entry["reused"]
            report.reused_flags.append(reused)
            if entry.get("violations"):
                violations_by_doc[entry["id"]] = [Violation(**v) for v in entry["violations"]]
            yield entry["id"], docs_dir / (entry["file"] if reused else _pending_name(entry["file"]))

    violations_by_doc: dict[str, list[Violation]] = {}  # documents with violations only
    try:
        with _Timer(report, "assemble"):
            assemble(written(), minter, outdir / "graph.trig", outdir / "graph.ttl")
            report.conforms = not violations_by_doc
            write_text(outdir / "validation.ttl", turtle(validation_report(violations_by_doc, minter)))
            # The commit record, written last: it names the hash of every file it describes, and
            # readers check them, so a build stopped before this point is never taken for complete.
            outputs = {name: file_sha256(outdir / name) for name in OUTPUT_FILES}
            _write_manifest(outdir / MANIFEST_NAME, report, base, records.entries(), outputs)
    except BaseException:
        # docs/ keeps the last complete build's files: a document's graph depends on the others
        # (the sources of its statements), so an unchanged input may have a new file
        _remove_pending(docs_dir)
        raise
    with _Timer(report, "assemble"):
        for entry in records.entries(changed=True):
            os.replace(docs_dir / _pending_name(entry["file"]), docs_dir / entry["file"])
        # Only now, with the new set complete, do the files no longer in it go.
        for stale in docs_dir.glob("*.ttl") if docs_dir.exists() else ():
            if not records.has_file(stale.name):
                stale.unlink()
        if not keep_cache:
            for stale in cache_dir.glob("*.json") if cache_dir.exists() else ():
                if not records.has_cache_key(stale.stem):
                    stale.unlink()
    _release_memory()  # before the store's buffers, what assembly freed
    with _Timer(report, "store"):
        # after the commit: store.json ties the store to this manifest once it is up to date
        update_store(outdir, previous_manifest_sha256,
                     lambda: ((e["id"], str(minter.graph(e["id"])), docs_dir / e["file"]) for e in records.entries()),
                     lambda: (e["id"] for e in records.entries(changed=True)),
                     outdir / "graph.trig")
    report.wall_seconds = time.perf_counter() - started
    return report


def _cached_extraction(path: Path, document: Document) -> Optional[Extraction]:
    """The cached extraction of ``document``, None when there is none or the entry is damaged
    or is another text's (a copied cache): those are recomputed."""
    try:
        extraction = Extraction.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if not isinstance(extraction.document, Document) or extraction.document.text != document.text:
        return None
    # this run's document record: the origin path may differ from the cached one
    return replace(extraction, document=document)


def resolve_inputs(inputs: Iterable[str | Path], *, jobs: int = 1, actor_files: tuple[str, ...] = (),
                   on_problem: Callable[[InputProblem], None] = lambda problem: None) -> list[ResolvedDocument]:
    """Ingest, extract and resolve in memory (no output folder): for evaluation and tests.
    Bad inputs and documents whose extraction failed go to ``on_problem`` and are left out."""
    documents = []
    for item in read_inputs(inputs):
        if isinstance(item, Document):
            documents.append(item)
        else:
            on_problem(item)

    def failed(document: Document, extraction: ItemFailed) -> None:
        on_problem(InputProblem(document.origin, f"extraction failed: {extraction.reason}",
                                doc_id=document.id, detail=extraction.detail))

    return resolve_documents(
        documents, jobs=jobs, actor_files=actor_files, on_failed=failed,
        on_resolution_failed=lambda d, exc: on_problem(_failure_problem(d, "resolution failed", exc)))


def resolve_documents(documents: Sequence[Document], *, jobs: int = 1, actor_files: tuple[str, ...] = (),
                      on_failed: Callable[[Document, ItemFailed], None] = lambda d, f: None,
                      on_resolution_failed: Callable[[Document, BaseException], None] = lambda d, e: None
                      ) -> list[ResolvedDocument]:
    """Extract and resolve documents in memory; one whose extraction or resolution raised is
    left out (``on_failed`` / ``on_resolution_failed`` is told)."""
    extractions = []
    for document, extraction in zip(documents, extract_documents(documents, jobs=jobs, actor_files=actor_files)):
        if isinstance(extraction, ItemFailed):
            on_failed(document, extraction)
        else:
            extractions.append(extraction)
    return resolve(extractions, load_lexicon(actor_files),
                   on_failure=lambda e, exc: on_resolution_failed(e.document, exc))


def _failure_problem(document: Document, stage: str, exc: BaseException) -> InputProblem:
    """The problem record of a document that made a stage raise (the traceback for --debug)."""
    import traceback

    from .ingest import printable

    reason = printable(f"{type(exc).__name__}: {exc}", limit=300)
    return InputProblem(document.origin, f"{stage}: {reason}", doc_id=document.id,
                        detail="".join(traceback.format_exception(exc)))


def _result_hash(item: ResolvedDocument, minter: IriMinter) -> str:
    """Hash of everything a document's RDF depends on: unchanged, its outputs are reused.
    Not where it was read from: moving or renaming the input files rebuilds nothing."""
    data = item.to_json()
    data["document"].pop("origin", None)
    return hashlib.sha256(json.dumps([RDF_REVISION, minter.base, data], ensure_ascii=False,
                                     sort_keys=True).encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class RenderedDocument:
    """A document's RDF as a worker gives it back: its manifest entry and its Turtle (written
    by the build process, so that workers on other machines need no access to OUTDIR)."""

    entry: dict
    turtle: str


def _render_task(task):
    """(the batch's documents as (id, origin), their results, seconds per stage)."""
    _, items, base = task
    return [(item.document.id, item.document.origin) for item, _ in items], _render_batch(items, base)


def _render_lost(task, reason: str):
    _, items, _ = task
    return [(item.document.id, item.document.origin) for item, _ in items], ([ItemFailed(reason) for _ in items], {})


def _render_batch(items: Sequence[tuple[ResolvedDocument, str]], base: str) -> tuple[list, dict]:
    """RDF, SHACL validation and Turtle for a batch of resolved documents: a
    ``RenderedDocument`` each, or ``ItemFailed`` for a document that made them raise."""
    return isolate_failures(functools.partial(_render_batch_unchecked, base=base), items)


def _render_batch_unchecked(items: Sequence[tuple[ResolvedDocument, str]], base: str) -> tuple[list, dict]:
    """RDF, SHACL validation and Turtle for a batch of resolved documents (in a worker), with
    the seconds spent in each. The batch's graphs are the only ones alive: nothing corpus-wide
    is held."""
    minter = IriMinter(base)
    seconds = {}
    clock = time.perf_counter()
    graphs = [document_graph(item, minter) for item, _ in items]
    now = time.perf_counter()
    seconds["rdf"], clock = now - clock, now
    results = validate_graphs(graphs)  # one pyshacl call for the batch, results per document
    now = time.perf_counter()
    seconds["validate"], clock = now - clock, now
    rendered = []
    for (item, result_hash), graph, result in zip(items, graphs, results):
        doc = item.document
        text = turtle(graph)
        violations = [v.__dict__ for v in result.violations]
        rendered.append(RenderedDocument(entry={
            "id": doc.id, "origin": doc.origin, "file": doc_file_name(doc.id),
            "file_hash": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "status": "ok" if result.conforms else "invalid",
            "triples": len(graph), "claims": len(item.claims), "figures": len(item.figures),
            "content_hash": doc.content_hash, "result_hash": result_hash,
            "message": "" if result.conforms else f"{len(violations)} SHACL violation(s)",
            "violations": violations, "reused": False,
        }, turtle=text))
    seconds["write"] = time.perf_counter() - clock
    return rendered, seconds


def _render_documents(report: BuildReport, workers: Executor, tasks: Iterable[tuple], docs_dir: Path,
                      records: RecordStore, problem_found: Callable[[InputProblem], None]) -> None:
    """RDF, validation and Turtle for the documents not reused, in the workers; each entry goes
    to ``records``, its Turtle to a file waiting for the commit (``_pending_name``)."""
    with _Timer(None, "writing docs/"):
        for documents, (results, batch_seconds) in workers.run(_render_task, tasks, _render_lost):
            for stage, value in batch_seconds.items():
                report.stage_seconds[stage] += value
            for (doc_id, origin), result in zip(documents, results):
                if isinstance(result, ItemFailed):  # reported; its docs/ file is left out (a stale one is removed)
                    problem_found(InputProblem(origin, f"RDF output failed: {result.reason}",
                                               doc_id=doc_id, detail=result.detail))
                    continue
                clock = time.perf_counter()
                write_text(docs_dir / _pending_name(result.entry["file"]), result.turtle)
                report.stage_seconds["write"] += time.perf_counter() - clock
                records.put_entry(result.entry)
                report.rendered += 1
            _release_memory()  # a batch's Turtle, unpickled by another thread, fragments the heap


def _remove_pending(docs_dir: Path) -> None:
    from .output import TEMP_SUFFIX

    for waiting in docs_dir.glob(f".*.pending{TEMP_SUFFIX}") if docs_dir.is_dir() else ():
        waiting.unlink(missing_ok=True)


def _pending_name(file_name: str) -> str:
    """Where a rendered document's Turtle waits until the manifest commits the build (a temporary
    file's name: one a killed build leaves is removed by the next)."""
    from .output import TEMP_SUFFIX

    return f".{file_name}.pending{TEMP_SUFFIX}"


def _previous_manifest(outdir: Path) -> dict[str, dict]:
    try:
        data = json.loads((outdir / MANIFEST_NAME).read_text(encoding="utf-8"))
        if data.get("version") != MANIFEST_VERSION or data.get("evkg") != __version__:
            return {}
        return {d["id"]: d for d in data.get("documents", []) if d.get("status") in ("ok", "invalid")}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _write_manifest(path: Path, report: BuildReport, base: str, entries: Iterable[dict],
                    outputs: dict[str, Optional[str]]) -> None:
    """Write the manifest, the entries of the documents built (in id order) streamed from
    ``entries`` one at a time: the same bytes as ``write_json`` of the whole dict."""
    head = json_text({
        "version": MANIFEST_VERSION, "evkg": __version__, "base": base,
        "conforms": report.conforms,
        "counts": {
            "documents": report.built,
            "failed": sum(1 for p in report.problems if p.status == "failed"),
            "skipped": sum(1 for p in report.problems if p.status == "skipped"),
            "warnings": sum(1 for p in report.problems if p.status == "warning"),
            "triples": report.triples,
            "claims": report.claims,
        },
        "outputs": outputs,
        "documents": [],
    })
    assert head.endswith('"documents": []\n}\n')
    problems = ({"id": problem.doc_id, "origin": problem.origin, "status": problem.status,
                 "triples": 0, "content_hash": None, "message": problem.reason} for problem in report.problems)
    documents = itertools.chain(({k: v for k, v in d.items() if k != "reused"} for d in entries), problems)
    with atomic_writer(path) as out:
        out.write(head[:-len("[]\n}\n")] + "[")
        separator = "\n"
        for document in documents:
            # an element of a list two levels deep: json.dumps(indent=2) indents its lines by 4
            out.write(separator + textwrap.indent(json_text(document).rstrip("\n"), "    "))
            separator = ",\n"
        out.write("]\n}\n" if separator == "\n" else "\n  ]\n}\n")


def _progress(total: int, enabled: bool):
    if not enabled or total == 0:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", desc="nlp+extract", file=sys.stderr, leave=False)
