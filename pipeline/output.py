"""Output: write build results so that nothing is ever half-written.

Every file is written to a temporary file in the same folder and renamed over the old one,
so a build killed at any moment leaves the previous complete file in place. ``graph.trig``
and ``graph.ttl`` are assembled by streaming the per-document Turtle files, never by
holding the whole corpus graph in memory; ``graph.ttl`` states each triple once.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterable, Iterator

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from .errors import Failure, UsageProblem
from .rdf import IriMinter, new_graph
from .validate import SH, Violation

TEMP_SUFFIX = ".tmp"

# A document id used as its file name as it is: lower case (distinct ids stay distinct files on
# case-insensitive file systems too), no "--" (which marks the hashed names of all other ids).
_SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,150}$")
# Names Windows keeps for devices, whatever the extension ("nul.ttl" opens the null device).
_WINDOWS_DEVICE = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)")
_UMASK = os.umask(0o022)
os.umask(_UMASK)


@contextmanager
def atomic_writer(path: Path, mode: str = "w") -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success it replaces ``path`` in one rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        try:
            with os.fdopen(fd, mode, encoding=None if "b" in mode else "utf-8",
                           newline=None if "b" in mode else "\n") as handle:
                yield handle
            os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600 files; outputs are ordinary files
            os.replace(tmp, path)
        except OSError as exc:
            if exc.filename is not None:
                raise
            # a failed write() names no file ("[Errno 28] No space left on device"): name it
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_text(path: Path, text: str) -> None:
    with atomic_writer(path) as handle:
        handle.write(text)


def json_text(data) -> str:
    """``data`` as evkg writes JSON files: indented, UTF-8, a line break at the end."""
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    # A lone surrogate (an undecodable file name, a bad "\ud800" escape) cannot be written as
    # UTF-8: JSON can carry it escaped.
    return re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", text)


def write_json(path: Path, data) -> None:
    write_text(path, json_text(data))


def doc_file_name(doc_id: str) -> str:
    """A file name for a document id: the id itself when it is a safe name, else a readable
    form plus "--" and a hash of the id. Distinct ids never share a file name (a safe name
    has no "--"), whatever characters they hold, and the name is never longer than 160 bytes."""
    from .rdf import slug

    if _SAFE_NAME.match(doc_id) and "--" not in doc_id and not _WINDOWS_DEVICE.match(doc_id):
        return f"{doc_id}.ttl"
    name = slug(doc_id).lower()
    if "--" not in name:  # slug() kept a simple id ("Doc 1" -> "Doc-1", "nul"): add the hash
        digest = hashlib.sha1(doc_id.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        name = f"{name[:60]}--{digest}"
    return f"{name}.ttl"


def remove_stale_temp_files(folder: Path, min_age: float = 0.0) -> int:
    """Delete the temporary files a killed build left in ``folder`` (not in subfolders): those
    not written to for ``min_age`` seconds. Called under the OUTDIR lock, where no other build
    can be writing one."""
    import time

    removed = 0
    try:
        candidates = list(Path(folder).glob(f".*{TEMP_SUFFIX}"))
    except OSError:
        return 0
    now = time.time()
    for path in candidates:
        try:
            if now - path.stat().st_mtime < min_age:
                continue
            path.unlink()
            removed += 1
        except OSError:
            pass
    return removed


def turtle(graph: Graph) -> str:
    return graph.serialize(format="turtle")


def prefix_header(minter: IriMinter) -> str:
    graph = new_graph(minter)
    return "".join(f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in sorted(graph.namespaces())) + "\n"


def turtle_body(text: str) -> str:
    """A Turtle document without its prefix lines (they are declared once, at the top).

    Only the leading block of directives goes: a line of a multi-line literal further down
    that happens to start with "@prefix" is data and stays."""
    lines = text.splitlines(keepends=True)
    start = 0
    while start < len(lines) and (not lines[start].strip()
                                   or lines[start].startswith(("@prefix", "PREFIX", "@base", "BASE"))):
        start += 1
    return "".join(lines[start:]).strip("\n") + "\n"


def assemble(docs: Iterable[tuple[str, Path]], minter: IriMinter, trig_path: Path, ttl_path: Path) -> None:
    """Stream per-document Turtle files into graph.trig (a named graph each) and graph.ttl.

    Each document graph repeats the description of the actors, events, places and claim kinds
    it mentions (so that it stands alone); graph.ttl, one graph, states each triple once. Only
    the triples about such shared nodes are remembered, never a whole corpus graph: a source,
    claim, figure or evidence node belongs to one document."""
    header = prefix_header(minter)
    prefixes = {prefix: str(ns) for prefix, ns in new_graph(minter).namespaces()}
    own = tuple(f"{minter.base}{kind}/" for kind in ("source", "claim", "figure", "evidence"))
    # 16-byte digests of the shared triples written, not the triples: a fifth of the memory,
    # and one set entry per shared triple of the corpus (statements, events without a place)
    shared_seen: set[bytes] = set()
    with atomic_writer(trig_path) as trig, atomic_writer(ttl_path) as ttl:
        trig.write(header)
        ttl.write(header)
        for doc_id, path in docs:
            text = path.read_text(encoding="utf-8")
            trig.write(f"<{minter.graph(doc_id)}> {{\n{turtle_body(text)}}}\n\n")
            kept = []
            for triple in ox.parse(text, format=ox.RdfFormat.TURTLE):
                if not (isinstance(triple.subject, ox.NamedNode) and triple.subject.value.startswith(own)):
                    key = hashlib.blake2b(str(triple).encode("utf-8", "surrogatepass"), digest_size=16).digest()
                    if key in shared_seen:
                        continue
                    shared_seen.add(key)
                kept.append(triple)
            if kept:
                body = ox.serialize(kept, format=ox.RdfFormat.TURTLE, prefixes=prefixes).decode("utf-8")
                ttl.write(turtle_body(body) + "\n")


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


# The output folder as one set -------------------------------------------------------------

LOCK_NAME = ".evkg-lock"
CACHE_NAME = ".evkg-cache"
MANIFEST_NAME = "manifest.json"


class OutdirError(UsageProblem):
    """OUTDIR is not a folder evkg may write into (a usage error)."""


class OutdirBusy(Failure):
    """OUTDIR is being built by another process."""


class OutputMismatch(Failure):
    """A build output is not the file its manifest describes (a build stopped half-way)."""


def check_build_folder(outdir: Path, force: bool = False) -> None:
    """Refuse to build into a folder that is neither empty nor an evkg build (its docs/*.ttl
    and manifest.json would be replaced), unless ``force``. A folder an earlier build left
    its lock file or cache in is evkg's, even if that build was killed before its manifest."""
    outdir = Path(outdir)
    if force or not outdir.is_dir():
        return
    entries = [p.name for p in outdir.iterdir()]
    if not entries or LOCK_NAME in entries or CACHE_NAME in entries or read_manifest(outdir) is not None:
        return
    raise OutdirError(f"{outdir} is not empty and is not an evkg build (no {MANIFEST_NAME}): "
                      f"give an empty or new folder, or --force to write into it anyway")


def read_manifest(outdir: Path):
    """OUTDIR's manifest as a dict, or None when there is none that evkg wrote."""
    try:
        data = json.loads((Path(outdir) / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(data, dict) and "evkg" in data and isinstance(data.get("documents"), list):
        return data
    return None


@contextmanager
def outdir_lock(outdir: Path, wait: bool = False, on_wait=lambda message: None) -> Iterator[int]:
    """Hold an exclusive lock on OUTDIR (``flock`` on OUTDIR/.evkg-lock) while building, so two
    builds never mix their outputs. Taken by another build: wait for it (``wait``) or raise
    :class:`OutdirBusy` at once. The kernel releases the lock however the holder ends, once
    no process has the file open: gives the descriptor, which forked workers must close."""
    import fcntl

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    path = outdir / LOCK_NAME
    with open(path, "a", encoding="utf-8") as handle:  # empty: the same bytes after every build
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise OutdirBusy(f"{outdir} is being built by another evkg build; give --wait to wait for it") from None
            on_wait(f"{outdir} is being built by another evkg build: waiting")
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield handle.fileno()


def file_sha256(path: Path):
    """SHA-256 of a file (read in pieces), None when it is missing."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def checked_output(outdir: Path, name: str) -> Path:
    """OUTDIR/``name``, after checking it is the file the manifest (the build's commit record,
    written last) describes: a build killed between the two would leave them disagreeing."""
    outdir = Path(outdir)
    path = outdir / name
    outputs = (read_manifest(outdir) or {}).get("outputs")
    expected = outputs.get(name) if isinstance(outputs, dict) else None
    if expected is not None and file_sha256(path) != expected:
        raise OutputMismatch(f"{path} is not the file {outdir / MANIFEST_NAME} describes (a build stopped "
                             f"half-way?): run evkg build again")
    return path
