"""The build's persistent Oxigraph store (OUTDIR/store/), so that queries open it instead of
parsing graph.trig on every call.

It holds exactly the quads of graph.trig: one named graph per document. ``build`` updates it
after the files are committed (the manifest written, docs/ renamed into place): the named
graph of each document rendered anew is replaced, the graph of each document no longer in
the build removed. A database cannot be renamed into place with the files, so the store is
tied to the commit by OUTDIR/store.json, written after the store: it names the SHA-256 of
the manifest.json the store matches. Until it is rewritten (a build stopped during the update,
or a failed build that left the old manifest) the store is not used: readers parse graph.trig,
and the next build, finding the store out of step with the manifest it starts from, loads it
afresh from graph.trig instead of updating it.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

import pyoxigraph as ox

STORE_NAME = "store"
STORE_STATE_NAME = "store.json"
MANIFEST_NAME = "manifest.json"  # pipeline.output's: not imported, a query need not load rdflib's graphs
# The stat of the manifest store.json was written for, beside the database (RocksDB leaves files
# that are not its own alone). Not in store.json: an inode and a time differ from build to build,
# and a build's files are the same bytes for the same input.
STAT_HINT_NAME = f"{STORE_NAME}/evkg-manifest-stat.json"


def _manifest_sha256(outdir: Path) -> Optional[str]:
    digest = hashlib.sha256()
    try:
        with open(outdir / MANIFEST_NAME, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def _manifest_stat(outdir: Path) -> Optional[list[int]]:
    """The manifest's inode, size and modification time: a build replaces the manifest by
    renaming a new file into place, so another manifest has other values."""
    try:
        stat = os.stat(outdir / MANIFEST_NAME)
    except OSError:
        return None
    return [stat.st_ino, stat.st_size, stat.st_mtime_ns]


def _read_state(outdir: Path, name: str = STORE_STATE_NAME) -> dict:
    """store.json (or the stat hint): {"manifest_sha256": ...} ({}: none or unreadable)."""
    try:
        state = json.loads((outdir / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) and isinstance(state.get("manifest_sha256"), str) else {}


def _state(outdir: Path) -> Optional[str]:
    """The SHA-256 of the manifest the store matches, per store.json (None: none or unreadable)."""
    return _read_state(outdir).get("manifest_sha256")


def store_matches(outdir: Path, manifest_sha256: Optional[str]) -> bool:
    """Whether OUTDIR/store/ holds the build whose manifest has this hash."""
    return manifest_sha256 is not None and (outdir / STORE_NAME).is_dir() and _state(outdir) == manifest_sha256


def _manifest_is(outdir: Path, state: dict) -> bool:
    """Whether OUTDIR's manifest is the one ``state`` (store.json) names. The file the build
    hashed for it (the same stat, per STAT_HINT_NAME) is that one without reading it again, which
    matters for a query: a large build's manifest takes tens of milliseconds to hash, twice per
    query. Any other file is hashed (a copied folder, an older build)."""
    hint = _read_state(outdir, STAT_HINT_NAME)
    stat = _manifest_stat(outdir)
    if stat is not None and hint.get("manifest_sha256") == state["manifest_sha256"] and stat == hint.get("manifest_stat"):
        return True
    return _manifest_sha256(outdir) == state["manifest_sha256"]


def open_build_store(outdir: Path) -> Optional[ox.Store]:
    """OUTDIR's store, read-only, when it matches OUTDIR's manifest; else None (parse graph.trig)."""
    outdir = Path(outdir)
    state = _read_state(outdir)
    if not state or not (outdir / STORE_NAME).is_dir() or not _manifest_is(outdir, state):
        return None
    try:
        store = ox.Store.read_only(str(outdir / STORE_NAME))
    except OSError:
        return None
    # a build that committed while the store was being opened: its state is not this one
    return store if _read_state(outdir) == state and _manifest_is(outdir, state) else None


# Quads handed to RocksDB at once. The store writes each batch as sorted files of its own, so a
# batch is all it holds in memory: pyoxigraph's bulk_load of a whole graph.trig holds the graph
# (about 440 MB at 500,000 quads), and transactional loads fill write buffers that grow with the
# build (650 MB for the same quads); 10,000 quads stay near 30 MB at any size.
BATCH_QUADS = 10_000
# Past this share of the documents changed or gone, the store is rebuilt from graph.trig: removing
# named graphs one transaction each costs more than writing all of it anew.
REBUILD_SHARE = 0.5


def _add(store: ox.Store, quads: Iterable[ox.Quad]) -> None:
    """Add ``quads`` in batches of BATCH_QUADS, so that memory does not grow with the build."""
    quads = iter(quads)
    while batch := list(itertools.islice(quads, BATCH_QUADS)):
        store.bulk_extend(batch)


def _document_quads(graphs: Iterable[tuple[str, Path]]) -> Iterator[ox.Quad]:
    """The quads of each (named graph IRI, Turtle file), parsed one file at a time."""
    for iri, path in graphs:
        name = ox.NamedNode(iri)
        for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            yield ox.Quad(triple.subject, triple.predicate, triple.object, name)


def update_store(outdir: Path, previous_manifest_sha256: Optional[str],
                 graphs: Callable[[], Iterator[tuple[str, str, Path]]], changed: Callable[[], Iterator[str]],
                 trig: Path) -> None:
    """Bring OUTDIR/store/ to the build just committed: ``graphs()`` gives each document's id, its
    named graph's IRI and its docs/ file, ``changed()`` the ids of the documents rendered anew
    (callables, each read when needed: neither list is held). The store is updated in place when
    it matched the manifest this build started from and most documents are as they were, else
    loaded afresh from ``trig``."""
    outdir = Path(outdir)
    location = outdir / STORE_NAME
    store = ox.Store(str(location)) if store_matches(outdir, previous_manifest_sha256) else None
    try:
        if store is not None:
            keep = {iri for _, iri, _ in graphs()}  # the build's graph names: a compact index
            stale = [g for g in store.named_graphs() if isinstance(g, ox.NamedNode) and g.value not in keep]
            if len(stale) + sum(1 for _ in changed()) > REBUILD_SHARE * max(1, len(keep)):
                store = None
        if store is None:
            # a new database rather than clear(), which deletes quad by quad through the write buffers
            shutil.rmtree(location, ignore_errors=True)
            store = ox.Store(str(location))
            _add(store, ox.parse(path=str(trig), format=ox.RdfFormat.TRIG))
        else:
            for graph in stale:
                store.remove_graph(graph)
            renewed = set(changed())
            files = [(iri, path) for doc_id, iri, path in graphs() if doc_id in renewed]
            for iri, _ in files:
                store.remove_graph(ox.NamedNode(iri))
            _add(store, _document_quads(files))
        store.flush()
        # compacted, a store opens for a query in a fraction of the time: its readers start a
        # process per query, the build compacts once
        store.optimize()
    finally:
        del store  # closes the database before the state says it may be read
    from .output import write_json

    manifest = _manifest_sha256(outdir)
    write_json(outdir / STORE_STATE_NAME, {"manifest_sha256": manifest})
    write_json(outdir / STAT_HINT_NAME, {"manifest_sha256": manifest, "manifest_stat": _manifest_stat(outdir)})
