"""Build: run the stages over a batch of inputs and write OUTDIR.

ingest -> nlp + extract (per document, cached by content hash) -> resolve (across all
documents) -> rdf -> validate -> output. NLP + extract and rdf + validate + docs/<id>.ttl run
in batches, in ``--jobs`` worker processes; only the small Extraction / ResolvedDocument
records of all documents are held, never a graph of the corpus. A re-run reuses extractions
by content hash and per-document outputs by result hash (manifest), so only what changed
is recomputed.

OUTDIR/docs/<doc-id>.ttl   one Turtle file per document
OUTDIR/graph.trig          one named graph per document
OUTDIR/graph.ttl           all triples in one graph
OUTDIR/validation.ttl      the SHACL report
OUTDIR/manifest.json       per input: id, status, triples, content hash, message
OUTDIR/.evkg-cache/        extraction results by content hash (incremental builds)
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
import time
import weakref
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Sequence

from . import __version__
from .errors import Failure
from .ingest import FALLBACK_ENCODING, InputProblem, check_paths, nlp_text, read_inputs
from .lexicon import lexicon_fingerprint, load_lexicon
from .model import Document, Extraction, ResolvedDocument
from .output import (CACHE_NAME, MANIFEST_NAME, assemble, check_build_folder, doc_file_name, file_sha256,
                     outdir_lock, remove_stale_temp_files, turtle, validation_report, write_json, write_text)
from .rdf import IriMinter, check_base, document_graph
from .resolve import resolve
from .validate import Violation, validate_graphs
from .vocab import DEFAULT_BASE

MANIFEST_VERSION = 2
OUTPUT_FILES = ("graph.trig", "graph.ttl", "validation.ttl")


class BuildFailed(Failure):
    """The build stopped (nothing to build, a file that cannot be written); one line says why."""


@dataclass
class BuildReport:
    outdir: Path
    documents: list[dict] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)
    # Seconds per stage; stages run by worker processes are summed over the processes.
    stage_seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    conforms: bool = True
    jobs: int = 1
    extracted: int = 0  # documents that went through NLP and extraction (not from the cache)
    rendered: int = 0  # documents whose RDF was built, validated and written (not reused)
    wall_seconds: float = 0.0

    def timings(self) -> dict:
        """What the build spent its time on (for ``evkg build --timings`` and bench/bench.py)."""
        return {
            "jobs": self.jobs, "wall_seconds": round(self.wall_seconds, 4),
            "documents": len(self.documents), "extracted": self.extracted, "rendered": self.rendered,
            "reused": sum(1 for d in self.documents if d.get("reused")),
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


def _cache_key(document: Document, fingerprint: str) -> str:
    return hashlib.sha256(f"{__version__}\x1f{fingerprint}\x1f{document.content_hash}".encode()).hexdigest()


# Work is done in batches: NLP and extraction in batches of documents, RDF, SHACL and Turtle
# in batches of resolved documents. When there is more than one batch, they go to --jobs
# forked worker processes (one with --jobs 1: the process holding the spaCy model then never
# holds the records of the whole corpus, and the one holding the records never holds the
# model). A batch's result never depends on which process ran it, so the output is
# byte-identical whatever --jobs is. spaCy's memory grows with the characters it parses at
# once (about 4 KB per character with en_core_web_sm), so a batch is bounded in characters
# and a longer text is parsed in pieces cut at paragraph boundaries (pipeline.nlp.parse_texts):
# the memory of a process depends neither on the size of the corpus nor on its longest article.
NLP_BATCH_DOCS = 64
NLP_BATCH_CHARS = 10_000
NLP_PIECE_CHARS = 10_000
RENDER_BATCH_DOCS = 64


def plan_batches(sizes: Sequence[int], max_items: Optional[int] = None,
                 max_size: Optional[int] = None) -> list[list[int]]:
    """Indices grouped into batches of at most ``max_items`` items and ``max_size`` total size
    (default: NLP_BATCH_DOCS, NLP_BATCH_CHARS; an item bigger than that is a batch of its own),
    biggest items first: worker processes take the longest batches first and finish together.
    The plan depends only on ``sizes``."""
    max_items = max_items or NLP_BATCH_DOCS
    max_size = max_size or NLP_BATCH_CHARS
    order = sorted(range(len(sizes)), key=lambda i: (-sizes[i], i))
    batches: list[list[int]] = []
    current: list[int] = []
    total = 0
    for i in order:
        if current and (len(current) >= max_items or total + sizes[i] > max_size):
            batches.append(current)
            current, total = [], 0
        current.append(i)
        total += sizes[i]
    if current:
        batches.append(current)
    return batches


@dataclass(frozen=True)
class ExtractionFailed:
    """What came back instead of an ``Extraction`` for a document whose NLP or extraction raised."""

    reason: str
    detail: str = ""  # the traceback (shown with --debug)


def _extract_batch(documents: Sequence[Document], actor_files: tuple[str, ...]) -> tuple[list, dict]:
    """``_extract_batch_unchecked``, except that a document that makes NLP or extraction raise
    comes back as ``ExtractionFailed`` instead of failing the batch (the batch is redone one
    document at a time to tell which). A missing spaCy model still fails the build."""
    from .nlp import ModelMissing

    try:
        return _extract_batch_unchecked(documents, actor_files)
    except ModelMissing:
        raise
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the batch
        if len(documents) == 1:
            import traceback

            from .ingest import printable

            reason = printable(f"{type(exc).__name__}: {exc}", limit=300)
            return [ExtractionFailed(reason, traceback.format_exc())], {}
    results: list = []
    seconds: dict = defaultdict(float)
    for document in documents:
        (result,), more = _extract_batch([document], actor_files)
        results.append(result)
        for stage, value in more.items():
            seconds[stage] += value
    return results, dict(seconds)


def _extract_batch_unchecked(documents: Sequence[Document],
                             actor_files: tuple[str, ...]) -> tuple[list[Extraction], dict]:
    """NLP and extraction for a batch of documents (in a worker process when --jobs > 1), with
    the seconds spent in each."""
    from .extract import extract
    from .nlp import load_nlp, parse_texts

    seconds = defaultdict(float)
    clock = time.perf_counter()
    nlp = load_nlp(actor_files)  # once per process
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
    """Give the memory a batch's parse used back to the system (glibc keeps freed blocks and
    the heap fragments, so a long-running process would grow batch after batch)."""
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
    return number, ([ExtractionFailed(reason) for _ in documents], {})


class _Workers:
    """Runs batch tasks in a pool of ``jobs`` forked worker processes (pebble), shared by the
    extraction and rendering stages; a single task runs in this process.

    A worker that dies in a task (the OOM killer's SIGKILL) is replaced, and its task is run
    once more in a fresh worker; if that one dies too, ``on_lost(task, reason)`` stands for
    the task's result, so a build never waits for a result that cannot come."""

    def __init__(self, jobs: int, lock_fd: Optional[int] = None):
        self.jobs = jobs
        self.lock_fd = lock_fd  # the OUTDIR lock: a worker outliving a killed build must not hold it
        self.pool = None

    def start(self) -> None:
        if self.pool is None:
            import multiprocessing

            import pebble

            try:
                context = multiprocessing.get_context("fork")  # the parent's modules, no re-import
            except ValueError:
                context = multiprocessing.get_context()
            self.pool = pebble.ProcessPool(max_workers=self.jobs, context=context, initializer=_worker_start,
                                           initargs=(self.lock_fd,))
            # Stopped however the build ends, even by an exception before close().
            self._finalizer = weakref.finalize(self, _terminate, self.pool)
            self.pool.schedule(int).result()  # forks the workers now

    def run(self, function, tasks: list, on_lost: Callable) -> Iterator:
        """``function(task)`` for every task, in the order they finish."""
        if len(tasks) <= 1:
            yield from map(function, tasks)
            return
        from concurrent.futures import FIRST_COMPLETED, wait

        from pebble import ProcessExpired

        self.start()
        pending = {self.pool.schedule(function, args=(task,)): (task, 1) for task in tasks}
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                task, attempt = pending.pop(future)
                try:
                    result = future.result()
                except ProcessExpired as exc:
                    if attempt == 1:
                        pending[self.pool.schedule(function, args=(task,))] = (task, 2)
                        continue
                    result = on_lost(task, f"worker process died twice ({_death(exc.exitcode)})")
                yield result

    def close(self) -> None:
        if self.pool is not None:
            self._finalizer()
            self.pool = None


def _worker_start(lock_fd: Optional[int]) -> None:
    """In a new worker: the parent handles Ctrl-C and SIGTERM for the whole build (one message,
    not a traceback per worker), and the worker lets go of the OUTDIR lock it inherited."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if lock_fd is not None:
        os.close(lock_fd)


def _death(exitcode: Optional[int]) -> str:
    import signal

    if exitcode is not None and exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            pass
    return f"exit status {exitcode}"


def _terminate(pool) -> None:
    pool.stop()
    pool.join()


def _extractions(documents: Sequence[Document], plan: list[list[int]], workers: _Workers,
                 actor_files: tuple[str, ...], seconds: dict) -> Iterator[tuple[int, Extraction]]:
    """(index in ``documents``, extraction) for every document, by batches of ``plan``, in the
    order batches finish; ``seconds`` collects the time per stage (summed over processes)."""
    tasks = [(n, [documents[i] for i in batch], actor_files) for n, batch in enumerate(plan)]
    for number, (extractions, batch_seconds) in workers.run(_extract_task, tasks, _extraction_lost):
        for stage, value in batch_seconds.items():
            seconds[stage] += value
        yield from zip(plan[number], extractions)


def extract_documents(documents: Sequence[Document], jobs: int = 1, actor_files: tuple[str, ...] = (),
                      on_done: Optional[Callable[[int], None]] = None) -> Iterator[Extraction]:
    """Extractions for ``documents``, in order, using ``jobs`` processes."""
    documents = list(documents)
    results: list[Optional[Extraction]] = [None] * len(documents)
    workers = _Workers(jobs)
    try:
        plan = plan_batches([len(d.text) for d in documents])
        for index, extraction in _extractions(documents, plan, workers, actor_files, defaultdict(float)):
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
          keep_cache: bool = False, on_note: Callable[[str], None] = lambda message: None) -> BuildReport:
    """Build OUTDIR from ``inputs``; bad inputs are reported, never fatal to the batch.

    ``encoding_fallback``: how to read a file that is not UTF-8 (None: it fails). OUTDIR must be
    empty, new or an evkg build (``force``: any folder); it is locked for the build, and a
    second build waits (``wait``) or fails at once. ``keep_cache``: keep the cached extractions
    of documents that are not in this build. ``on_note``: notes such as "waiting for the lock"."""
    outdir = Path(outdir)
    inputs = check_paths(inputs)  # a usage error writes nothing, not even OUTDIR
    check_base(base)
    check_build_folder(outdir, force)
    actor_files = tuple(str(Path(f)) for f in actor_files)
    lexicon = load_lexicon(actor_files)  # a bad --aliases file is a usage error: nothing is written
    cores = usable_cores()
    if jobs > cores:
        on_note(f"--jobs {jobs} is more than the {cores} core(s) this process may use: it is slower, not faster")
    with outdir_lock(outdir, wait, on_note) as lock_fd:
        return _build_locked(inputs, outdir, base, jobs, actor_files, lexicon, progress, on_problem,
                             encoding_fallback, keep_cache, lock_fd)


def _build_locked(inputs, outdir: Path, base: str, jobs: int, actor_files: tuple[str, ...], lexicon, progress: bool,
                  on_problem: Callable[[InputProblem], None], encoding_fallback: Optional[str],
                  keep_cache: bool, lock_fd: int) -> BuildReport:
    minter = IriMinter(base)
    report = BuildReport(outdir=outdir, jobs=jobs)
    started = time.perf_counter()
    # Worker processes are forked now, while this process is small: a forked process counts
    # its parent's pages in its RSS, and the parent is about to read the whole corpus.
    workers = _Workers(jobs, lock_fd)
    workers.start()
    try:
        return _build_stages(inputs, outdir, base, minter, report, started, lexicon, workers, actor_files,
                             progress, on_problem, encoding_fallback, keep_cache)
    finally:
        workers.close()


def _build_stages(inputs, outdir: Path, base: str, minter: IriMinter, report: BuildReport, started: float,
                  lexicon, workers: _Workers, actor_files: tuple[str, ...], progress: bool,
                  on_problem: Callable[[InputProblem], None], encoding_fallback: Optional[str],
                  keep_cache: bool) -> BuildReport:
    def problem_found(problem: InputProblem) -> None:
        report.problems.append(problem)
        on_problem(problem)

    with _Timer(report, "ingest"):
        documents: list[Document] = []
        for item in read_inputs(inputs, encoding_fallback=encoding_fallback):
            if isinstance(item, Document):
                documents.append(item)
            else:
                problem_found(item)
    previous = _previous_manifest(outdir)
    docs_dir = outdir / "docs"
    if not documents and (previous or docs_dir.is_dir()):
        raise BuildFailed(f"the inputs gave no document to build; the build in {outdir} is left as it was")

    cache_dir = outdir / CACHE_NAME / "extract"
    for folder in (outdir, docs_dir, cache_dir):  # left by a build that was killed
        remove_stale_temp_files(folder)
    fingerprint = lexicon_fingerprint(actor_files)
    extractions: dict[str, Extraction] = {}
    missing: list[Document] = []
    cache_files = {d.id: cache_dir / f"{_cache_key(d, fingerprint)}.json" for d in documents}
    with _Timer(report, "cache"):
        for document in documents:
            extraction = _cached_extraction(cache_files[document.id], document)
            if extraction is None:
                missing.append(document)
            else:
                extractions[document.id] = extraction

    plan = plan_batches([len(d.text) for d in missing])
    bar = _progress(len(missing), progress)
    for index, extraction in _extractions(missing, plan, workers, actor_files, report.stage_seconds):
        document = missing[index]
        if bar:
            bar.update(1)
        if isinstance(extraction, ExtractionFailed):  # reported; the rest of the batch goes on
            problem_found(InputProblem(document.origin, f"extraction failed: {extraction.reason}",
                                       doc_id=document.id, detail=extraction.detail))
            continue
        extractions[document.id] = extraction
        report.extracted += 1
        with _Timer(report, "cache"):
            write_text(cache_files[document.id], json.dumps(extraction.to_json(), ensure_ascii=False))
    if bar:
        bar.close()

    with _Timer(report, "resolve"):
        # In id order, whatever order the inputs came in: the output never depends on it.
        resolved = resolve([extractions[d.id] for d in sorted(documents, key=lambda d: d.id) if d.id in extractions],
                           lexicon, on_failure=lambda e, exc: problem_found(
                               _failure_problem(e.document, "resolution failed", exc)))
    del extractions

    entries: dict[str, dict] = {}
    to_render: list[tuple[ResolvedDocument, str]] = []
    with _Timer(report, "reuse"):
        for item in resolved:
            doc = item.document
            result_hash = _result_hash(item, minter)
            old = previous.get(doc.id)
            # reused only when docs/ holds the file the manifest describes: a build stopped
            # after writing docs/ but before its manifest leaves files no manifest describes
            if (old and old.get("result_hash") == result_hash and old.get("file_hash")
                    and file_sha256(docs_dir / doc_file_name(doc.id)) == old.get("file_hash")):
                entries[doc.id] = {**old, "origin": doc.origin, "reused": True,
                                   "_violations": old.get("violations", [])}
            else:
                to_render.append((item, result_hash))
    to_render.sort(key=lambda pair: pair[0].document.id)
    tasks = [(n, to_render[i: i + RENDER_BATCH_DOCS], minter.base, docs_dir)
             for n, i in enumerate(range(0, len(to_render), RENDER_BATCH_DOCS))]
    try:
        _render_documents(report, workers, tasks, entries, problem_found)
    except BaseException:  # docs/ keeps the last complete build's files
        _remove_pending(docs_dir)
        raise
    workers.close()

    violations_by_doc: dict[str, list[Violation]] = {}
    written: list[tuple[str, Path]] = []
    pending: list[tuple[Path, Path]] = []  # docs rendered now: (waiting file, its docs/ name)
    for doc_id in sorted(entries):
        entry = entries[doc_id]
        violations_by_doc[doc_id] = [Violation(**v) for v in entry.pop("_violations")]
        report.documents.append(entry)
        final = docs_dir / entry["file"]
        if entry.get("reused"):
            written.append((doc_id, final))
        else:
            pending.append((docs_dir / _pending_name(entry["file"]), final))
            written.append((doc_id, pending[-1][0]))

    try:
        with _Timer(report, "assemble"):
            assemble(written, minter, outdir / "graph.trig", outdir / "graph.ttl")
            report.conforms = not any(violations_by_doc.values())
            write_text(outdir / "validation.ttl", turtle(validation_report(violations_by_doc, minter)))
            # The commit record, written last: it names the hash of every file it describes, and
            # readers check them, so a build stopped before this point is never taken for complete.
            outputs = {name: file_sha256(outdir / name) for name in OUTPUT_FILES}
            write_json(outdir / MANIFEST_NAME, _manifest(report, base, violations_by_doc, outputs))
    except BaseException:
        # docs/ keeps the last complete build's files: a document's graph depends on the others
        # (the sources of its statements), so an unchanged input may have a new file
        _remove_pending(docs_dir)
        raise
    with _Timer(report, "assemble"):
        for waiting, final in pending:
            os.replace(waiting, final)
        # Only now, with the new set complete, do the files no longer in it go.
        keep = {entries[doc_id]["file"] for doc_id in entries}
        for stale in docs_dir.glob("*.ttl") if docs_dir.exists() else ():
            if stale.name not in keep:
                stale.unlink()
        if not keep_cache:
            current = {path.name for path in cache_files.values()}
            for stale in cache_dir.glob("*.json") if cache_dir.exists() else ():
                if stale.name not in current:
                    stale.unlink()
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

    def failed(document: Document, extraction: ExtractionFailed) -> None:
        on_problem(InputProblem(document.origin, f"extraction failed: {extraction.reason}",
                                doc_id=document.id, detail=extraction.detail))

    return resolve_documents(
        documents, jobs=jobs, actor_files=actor_files, on_failed=failed,
        on_resolution_failed=lambda d, exc: on_problem(_failure_problem(d, "resolution failed", exc)))


def resolve_documents(documents: Sequence[Document], *, jobs: int = 1, actor_files: tuple[str, ...] = (),
                      on_failed: Callable[[Document, ExtractionFailed], None] = lambda d, f: None,
                      on_resolution_failed: Callable[[Document, BaseException], None] = lambda d, e: None
                      ) -> list[ResolvedDocument]:
    """Extract and resolve documents in memory; one whose extraction or resolution raised is
    left out (``on_failed`` / ``on_resolution_failed`` is told)."""
    extractions = []
    for document, extraction in zip(documents, extract_documents(documents, jobs=jobs, actor_files=actor_files)):
        if isinstance(extraction, ExtractionFailed):
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
    return hashlib.sha256(json.dumps([minter.base, data], ensure_ascii=False,
                                     sort_keys=True).encode("utf-8", "surrogatepass")).hexdigest()


def _render_task(task):
    number, items, base, docs_dir = task
    return number, _render_batch_checked(items, base, docs_dir)


def _render_lost(task, reason: str):
    number, items, _, _ = task
    return number, ([{"id": item.document.id, "origin": item.document.origin, "_failed": reason, "_detail": ""}
                     for item, _ in items], {})


def _render_batch_checked(items: Sequence[tuple[ResolvedDocument, str]], base: str,
                          docs_dir: Path) -> tuple[list[dict], dict]:
    """``_render_batch``, except that a document whose RDF, validation or Turtle raises comes
    back as ``{"id", "origin", "_failed", "_detail"}`` instead of failing the batch (the batch
    is redone one document at a time to tell which). An OSError (disk full) still stops the build."""
    try:
        return _render_batch(items, base, docs_dir)
    except OSError:
        raise
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the batch
        if len(items) == 1:
            import traceback

            from .ingest import printable

            doc = items[0][0].document
            return [{"id": doc.id, "origin": doc.origin, "_detail": traceback.format_exc(),
                     "_failed": printable(f"{type(exc).__name__}: {exc}", limit=300)}], {}
    entries: list[dict] = []
    seconds: dict = defaultdict(float)
    for item in items:
        more_entries, more = _render_batch_checked([item], base, docs_dir)
        entries.extend(more_entries)
        for stage, value in more.items():
            seconds[stage] += value
    return entries, dict(seconds)


def _render_batch(items: Sequence[tuple[ResolvedDocument, str]], base: str, docs_dir: Path) -> tuple[list[dict], dict]:
    """RDF, SHACL validation and docs/<id>.ttl for a batch of resolved documents (in a worker
    process when --jobs > 1), with the seconds spent in each. The batch's graphs are the only
    ones alive: nothing corpus-wide is held."""
    minter = IriMinter(base)
    seconds = {}
    clock = time.perf_counter()
    graphs = [document_graph(item, minter) for item, _ in items]
    now = time.perf_counter()
    seconds["rdf"], clock = now - clock, now
    results = validate_graphs(graphs)  # one pyshacl call for the batch, results per document
    now = time.perf_counter()
    seconds["validate"], clock = now - clock, now
    entries = []
    for (item, result_hash), graph, result in zip(items, graphs, results):
        doc = item.document
        file_name = doc_file_name(doc.id)
        text = turtle(graph)
        write_text(docs_dir / _pending_name(file_name), text)  # docs/file_name once the build is complete
        violations = [v.__dict__ for v in result.violations]
        entries.append({
            "id": doc.id, "origin": doc.origin, "file": file_name,
            "file_hash": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "status": "ok" if result.conforms else "invalid",
            "triples": len(graph), "claims": len(item.claims), "figures": len(item.figures),
            "content_hash": doc.content_hash, "result_hash": result_hash,
            "message": "" if result.conforms else f"{len(violations)} SHACL violation(s)",
            "violations": violations, "reused": False, "_violations": violations,
        })
    seconds["write"] = time.perf_counter() - clock
    return entries, seconds


def _render_documents(report: BuildReport, workers: "_Workers", tasks: list, entries: dict,
                      problem_found: Callable[[InputProblem], None]) -> None:
    """RDF, validation and Turtle for the documents not reused, in the workers; each entry goes
    to ``entries``, its Turtle to a file waiting for the commit (``_pending_name``)."""
    with _Timer(None, "writing docs/"):
        for _, (batch_entries, batch_seconds) in workers.run(_render_task, tasks, _render_lost):
            for stage, value in batch_seconds.items():
                report.stage_seconds[stage] += value
            for entry in batch_entries:
                if "_failed" in entry:  # reported; its docs/ file is left out (a stale one is removed)
                    problem_found(InputProblem(entry["origin"], f"RDF output failed: {entry['_failed']}",
                                               doc_id=entry["id"], detail=entry["_detail"]))
                    continue
                entries[entry["id"]] = entry
                report.rendered += 1


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


def _manifest(report: BuildReport, base: str, violations_by_doc, outputs: dict[str, Optional[str]]) -> dict:
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
        "outputs": outputs,
        "documents": documents,
    }


def _progress(total: int, enabled: bool):
    if not enabled or total == 0:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", desc="nlp+extract", file=sys.stderr, leave=False)
