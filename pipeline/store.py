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
import json
from pathlib import Path
from typing import Iterable, Optional

import pyoxigraph as ox

STORE_NAME = "store"
STORE_STATE_NAME = "store.json"
MANIFEST_NAME = "manifest.json"  # pipeline.output's: not imported, a query need not load rdflib's graphs


def _manifest_sha256(outdir: Path) -> Optional[str]:
    try:
        return hashlib.sha256((outdir / MANIFEST_NAME).read_bytes()).hexdigest()
    except OSError:
        return None


def _state(outdir: Path) -> Optional[str]:
    """The SHA-256 of the manifest the store matches, per store.json (None: none or unreadable)."""
    try:
        value = json.loads((outdir / STORE_STATE_NAME).read_text(encoding="utf-8")).get("manifest_sha256")
    except (OSError, ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None


def store_matches(outdir: Path, manifest_sha256: Optional[str]) -> bool:
    """Whether OUTDIR/store/ holds the build whose manifest has this hash."""
    return manifest_sha256 is not None and (outdir / STORE_NAME).is_dir() and _state(outdir) == manifest_sha256


def open_build_store(outdir: Path) -> Optional[ox.Store]:
    """OUTDIR's store, read-only, when it matches OUTDIR's manifest; else None (parse graph.trig)."""
    outdir = Path(outdir)
    manifest = _manifest_sha256(outdir)
    if not store_matches(outdir, manifest):
        return None
    try:
        store = ox.Store.read_only(str(outdir / STORE_NAME))
    except OSError:
        return None
    # a build that committed while the store was being opened: its state is not this one
    return store if _manifest_sha256(outdir) == manifest and _state(outdir) == manifest else None


def update_store(outdir: Path, previous_manifest_sha256: Optional[str], graphs: dict[str, tuple[str, Path]],
                 changed: Iterable[str], trig: Path) -> None:
    """Bring OUTDIR/store/ to the build just committed: ``graphs`` maps each document id to its
    named graph's IRI and its docs/ file, ``changed`` names the documents rendered anew. The
    store is updated in place when it matched the manifest this build started from, else
    loaded afresh from ``trig``."""
    outdir = Path(outdir)
    store = ox.Store(str(outdir / STORE_NAME))
    try:
        if store_matches(outdir, previous_manifest_sha256):
            keep = {iri for iri, _ in graphs.values()}
            for graph in list(store.named_graphs()):
                if isinstance(graph, ox.NamedNode) and graph.value not in keep:
                    store.remove_graph(graph)
            for doc_id in changed:
                iri, path = graphs[doc_id]
                name = ox.NamedNode(iri)
                store.remove_graph(name)
                store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=name)
        else:
            store.clear()
            store.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
        store.flush()
        # compacted, a store opens for a query in a fraction of the time: its readers start a
        # process per query, the build compacts once
        store.optimize()
    finally:
        del store  # closes the database before the state says it may be read
    from .output import write_json

    write_json(outdir / STORE_STATE_NAME, {"manifest_sha256": _manifest_sha256(outdir)})
