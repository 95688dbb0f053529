"""Report: one self-contained HTML page over a build folder, for a person to read.

The page shows the blame network (Cytoscape.js: actors as nodes, one directed edge per
claimant → target pair), a timeline of dated events and claims, the figures of each source side
by side, and a filterable table of claims whose rows open the evidence inside the document text.
Everything it needs is inlined (the vendored Cytoscape.js, the page's script and styles, the
data as JSON), so the file opens from disk with no network.

The graph is read from the build's ``graph.ttl`` with SPARQL (pyoxigraph, through
:mod:`pipeline.query`). The graph holds each evidence sentence and its offsets but not the full
document texts: those are read again from the inputs the manifest names, and used only when
their content hash is the one the build recorded (else the page shows the sentence alone and
says why).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from .ingest import read_inputs
from .model import Document
from .output import write_text
from .query import QueryError, open_store, run_query
from .resources import PACKAGE_DIR

TEMPLATES = PACKAGE_DIR / "templates"
CYTOSCAPE = PACKAGE_DIR / "vendor" / "cytoscape" / "cytoscape.min.js"

_PREFIXES = """
PREFIX evkg: <https://w3id.org/evkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

_ACTORS = _PREFIXES + """
SELECT DISTINCT ?iri ?label ?type WHERE {
  ?iri a evkg:Actor, ?type_iri ; rdfs:label ?label .
  VALUES (?type_iri ?type) {
    (evkg:Person "Person") (evkg:Organization "Organization") (evkg:Country "Country") (evkg:Group "Group")
  }
}
ORDER BY ?label ?iri
"""

_CLAIMS = _PREFIXES + """
SELECT DISTINCT ?claim ?claimant ?kind ?hedged ?cue ?said_on ?event ?document ?exact ?start ?end WHERE {
  ?claim a evkg:Claim ;
      evkg:claimant ?claimant ;
      evkg:kind ?kind_iri ;
      evkg:hedged ?hedged ;
      evkg:reportedIn ?source ;
      evkg:evidence ?ev .
  ?kind_iri skos:notation ?kind .
  ?source evkg:documentId ?document .
  ?ev evkg:exact ?exact ; evkg:start ?start ; evkg:end ?end .
  OPTIONAL { ?claim evkg:cue ?cue }
  OPTIONAL { ?claim evkg:saidOn ?said_on }
  OPTIONAL { ?claim evkg:aboutEvent ?event_iri . ?event_iri rdfs:label ?event }
}
ORDER BY ?document ?start ?claim
"""

_TARGETS = _PREFIXES + """
SELECT DISTINCT ?claim ?target WHERE { ?claim a evkg:Claim ; evkg:target ?target . }
ORDER BY ?claim ?target
"""

_EVENTS = _PREFIXES + """
SELECT DISTINCT ?event ?label ?date WHERE {
  ?event a evkg:Event ; rdfs:label ?label .
  OPTIONAL { ?event evkg:occurredOn ?date }
}
ORDER BY ?date ?label ?event
"""

_FIGURES = _PREFIXES + """
SELECT DISTINCT ?figure ?measure ?value ?qualifier ?event ?document ?exact ?start ?end WHERE {
  ?figure a evkg:Figure ;
      evkg:measure ?measure ;
      evkg:value ?value ;
      evkg:reportedIn ?source ;
      evkg:evidence ?ev .
  ?source evkg:documentId ?document .
  ?ev evkg:exact ?exact ; evkg:start ?start ; evkg:end ?end .
  OPTIONAL { ?figure evkg:qualifier ?qualifier }
  OPTIONAL { ?figure evkg:aboutEvent ?event_iri . ?event_iri rdfs:label ?event }
}
ORDER BY ?event ?measure ?document ?start ?figure
"""

_SOURCES = _PREFIXES + """
SELECT DISTINCT ?document ?label ?published ?url ?publisher WHERE {
  ?source a evkg:Source ; evkg:documentId ?document ; rdfs:label ?label .
  OPTIONAL { ?source evkg:published ?published }
  OPTIONAL { ?source evkg:url ?url }
  OPTIONAL { ?source evkg:publisher ?publisher }
}
ORDER BY ?document
"""


@dataclass
class ReportSummary:
    path: Path
    actors: int
    claims: int
    pairs: int
    documents: int
    texts_missing: list[str]  # documents whose text could not be read back (sentence shown alone)


def report(outdir: str | Path, output: str | Path | None = None) -> ReportSummary:
    """Write the HTML report of build folder ``outdir`` to ``output`` (default OUTDIR/report.html)."""
    outdir = Path(outdir)
    output = Path(output) if output is not None else outdir / "report.html"
    graph_file = outdir / "graph.ttl"
    if not graph_file.is_file():
        raise QueryError(f"{outdir}: no graph.ttl (is it an evkg build folder?)")
    data = report_data(outdir)
    page = render(data)
    write_text(output, page)
    return ReportSummary(path=output, actors=len(data["actors"]), claims=len(data["claims"]),
                         pairs=len(data["edges"]), documents=len(data["documents"]),
                         texts_missing=[d["id"] for d in data["documents"] if d["text"] is None])


def report_data(outdir: Path) -> dict:
    """Everything the page shows, as plain JSON-ready data."""
    store = open_store([outdir / "graph.ttl"])
    rows = {name: run_query(text, store).rows for name, text in
            (("actors", _ACTORS), ("claims", _CLAIMS), ("targets", _TARGETS), ("events", _EVENTS),
             ("figures", _FIGURES), ("sources", _SOURCES))}

    actors = [{"id": r["iri"], "label": r["label"], "type": r["type"]} for r in rows["actors"]]
    targets: dict[str, list[str]] = defaultdict(list)
    for r in rows["targets"]:
        targets[r["claim"]].append(r["target"])
    claims = []
    for r in rows["claims"]:
        claims.append({
            "id": r["claim"], "claimant": r["claimant"], "targets": targets[r["claim"]],
            "kind": r["kind"], "hedged": bool(r["hedged"]), "cue": r["cue"], "said_on": r["said_on"],
            "event": r["event"], "document": r["document"],
            "evidence": {"exact": r["exact"], "start": r["start"], "end": r["end"]},
        })

    # One edge per claimant -> target pair, carrying the claims behind it.
    pairs: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for claim in claims:
        for target in claim["targets"]:
            pairs[(claim["claimant"], target)].append(claim)
    edges = []
    for n, ((source, target), pair_claims) in enumerate(sorted(pairs.items())):
        kinds = sorted({c["kind"] for c in pair_claims})
        edges.append({
            "id": f"e{n}", "source": source, "target": target,
            "kind": kinds[0] if len(kinds) == 1 else "mixed", "kinds": kinds,
            "hedged": all(c["hedged"] for c in pair_claims),
            "sources": len({c["document"] for c in pair_claims}),
            "claims": [c["id"] for c in pair_claims],
        })

    figures = [{"id": r["figure"], "measure": r["measure"], "value": r["value"], "qualifier": r["qualifier"],
                "event": r["event"], "document": r["document"],
                "evidence": {"exact": r["exact"], "start": r["start"], "end": r["end"]}} for r in rows["figures"]]
    texts = document_texts(outdir)
    documents = []
    for r in rows["sources"]:
        text, note = texts.get(r["document"], (None, "not in the manifest"))
        documents.append({"id": r["document"], "label": r["label"], "published": r["published"],
                          "url": r["url"], "publisher": r["publisher"], "text": text, "note": note})
    events = [{"id": r["event"], "label": r["label"], "date": r["date"]} for r in rows["events"]]
    return {"actors": actors, "claims": claims, "edges": edges, "figures": figures,
            "documents": documents, "events": events}


def document_texts(outdir: Path) -> dict[str, tuple[str | None, str | None]]:
    """Document id -> (its text, None), or (None, why not), from the inputs the manifest names.

    An origin is the path the build was given (relative to where it ran), or ``file:line`` for a
    JSON Lines record; it is looked up as given and relative to the build folder's parent. A text
    is used only when it hashes to the manifest's content hash: then the evidence offsets hold.
    """
    try:
        manifest = json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))
        entries = [d for d in manifest.get("documents", []) if d.get("content_hash")]
    except (OSError, ValueError, AttributeError):
        return {}
    by_file: dict[Path, list[dict]] = defaultdict(list)
    found: dict[str, tuple[str | None, str | None]] = {}
    for entry in entries:
        origin = str(entry.get("origin", ""))
        path = _input_file(origin, outdir)
        if path is None:
            found[entry["id"]] = (None, f"input {origin} not found")
        else:
            by_file[path].append(entry)
    for path, wanted in by_file.items():
        read: dict[str, Document] = {}
        try:
            read = {d.id: d for d in read_inputs([path], check_english=False) if isinstance(d, Document)}
        except (OSError, ValueError) as exc:
            for entry in wanted:
                found[entry["id"]] = (None, f"cannot read {path}: {exc}")
            continue
        for entry in wanted:
            document = read.get(entry["id"])
            if document is None:
                found[entry["id"]] = (None, f"{path} no longer holds this document")
            elif document.content_hash != entry["content_hash"]:
                found[entry["id"]] = (None, f"{path} changed since the build")
            else:
                found[entry["id"]] = (document.text, None)
    return found


def _input_file(origin: str, outdir: Path) -> Path | None:
    candidates = [origin]
    line = re.match(r"^(?P<file>.+):\d+$", origin)
    if line:
        candidates.append(line.group("file"))
    for candidate in candidates:
        for base in (Path.cwd(), outdir.resolve().parent):
            path = base / candidate
            if path.is_file():
                return path
    return None


def _script_json(data: object) -> str:
    """JSON safe inside <script>: no "</" can close the element early."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")


def render(data: dict) -> str:
    """The page for ``report_data``'s data, every asset inlined."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                      keep_trailing_newline=True)
    template = env.get_template("report.html")
    return template.render(
        style=(TEMPLATES / "report.css").read_text(encoding="utf-8"),
        cytoscape=CYTOSCAPE.read_text(encoding="utf-8").replace("</script", "<\\/script"),
        script=(TEMPLATES / "report.js").read_text(encoding="utf-8"),
        data=_script_json(data),
        counts={"actors": len(data["actors"]), "claims": len(data["claims"]), "edges": len(data["edges"]),
                "documents": len(data["documents"]), "figures": len(data["figures"])},
    )
