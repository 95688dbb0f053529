"""One claim as a person checks it: what it says, where it was said, and its sentence in its
paragraph with the cue and the actors marked (``evkg show``).

The graph holds the evidence sentence and its offsets; the paragraph around it comes from the
document text, read back from the inputs the build's manifest names (as the HTML report does).
When the text cannot be read, the sentence is shown alone and the view says why.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from .errors import Failure, UsageProblem
from .query import open_store, run_query, sparql_iri

# How much of a long paragraph is shown on each side of the sentence.
CONTEXT_CHARS = 600

_PREFIXES = """PREFIX evkg: <https://w3id.org/evkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
_CLAIMS = _PREFIXES + "SELECT DISTINCT ?claim WHERE { ?claim a evkg:Claim } ORDER BY ?claim"
_CLAIM = _PREFIXES + """SELECT ?claimant ?kind ?hedged ?said_on ?event ?cue ?document ?title ?published ?url ?exact ?start ?end
WHERE {
  VALUES ?claim { CLAIM }
  ?claim evkg:claimant ?claimant_iri ;
      evkg:kind ?kind_iri ;
      evkg:hedged ?hedged ;
      evkg:reportedIn ?source ;
      evkg:evidence ?ev .
  ?claimant_iri rdfs:label ?claimant .
  ?kind_iri skos:notation ?kind .
  ?source evkg:documentId ?document .
  ?ev evkg:exact ?exact ; evkg:start ?start ; evkg:end ?end .
  OPTIONAL { ?claim evkg:saidOn ?said_on }
  OPTIONAL { ?claim evkg:aboutEvent ?event_iri . ?event_iri rdfs:label ?event }
  OPTIONAL { ?claim evkg:cue ?cue }
  OPTIONAL { ?source evkg:title ?title }
  OPTIONAL { ?source evkg:published ?published }
  OPTIONAL { ?source evkg:url ?url }
}
LIMIT 1
"""
_ACTORS = _PREFIXES + """SELECT DISTINCT ?role ?actor ?label ?name
WHERE {
  VALUES ?claim { CLAIM }
  { ?claim evkg:claimant ?actor . BIND ("claimant" AS ?role) }
  UNION
  { ?claim evkg:target ?actor . BIND ("target" AS ?role) }
  ?actor rdfs:label ?label .
  { ?actor rdfs:label ?name } UNION { ?actor skos:altLabel ?name }
}
ORDER BY ?role ?label ?actor ?name
"""


class ClaimNotFound(UsageProblem):
    """No claim, or more than one, has the IRI or IRI ending the user gave (exit status 2)."""


@dataclass
class ClaimView:
    iri: str
    claimant: str
    kind: str
    targets: list[str]
    hedged: bool
    said_on: str | None
    event: str | None
    cue: str | None
    document: str
    title: str | None
    published: str | None
    url: str | None
    start: int  # the sentence's character offsets in the document text
    end: int
    excerpt: str  # the sentence, in as much of its paragraph as is shown
    excerpt_start: int  # where the excerpt starts in the document text
    names: list[str] = field(default_factory=list)  # the claimant's and targets' names and aliases
    note: str | None = None  # why the paragraph is not shown


def show(claim: str, data: Sequence[str | Path]) -> ClaimView:
    """The claim whose IRI is ``claim``, or ends with it (``claim:6b8c…``, ``6b8c…``), in the
    build folder(s) or RDF files ``data``; :class:`ClaimNotFound` when none or several match."""
    store = open_store(data)
    iri = _find(claim, [str(row["claim"]) for row in _run(_CLAIMS, store)], data)
    term = f"<{iri}>"
    found = _run(_CLAIM.replace("CLAIM", term), store)
    if not found:
        raise Failure(f"claim {iri} lacks a claimant, kind, hedged, source or evidence: does the graph conform?")
    row = found[0]
    actors = _run(_ACTORS.replace("CLAIM", term), store)
    targets = list(dict.fromkeys(str(r["label"]) for r in actors if r["role"] == "target"))
    start, end = int(row["start"]), int(row["end"])
    text, note = _document_text(str(row["document"]), data)
    if text is None or text[start:end] != row["exact"]:
        note = note or "the document text no longer matches the evidence"
        excerpt, excerpt_start = str(row["exact"]), start
    else:
        excerpt_start, excerpt_end = paragraph_around(text, start, end)
        excerpt = text[excerpt_start:excerpt_end]
    return ClaimView(
        iri=iri, claimant=str(row["claimant"]), kind=str(row["kind"]), targets=targets, hedged=bool(row["hedged"]),
        said_on=row["said_on"], event=row["event"], cue=row["cue"], document=str(row["document"]),
        title=row["title"], published=row["published"], url=row["url"], start=start, end=end,
        excerpt=excerpt, excerpt_start=excerpt_start,
        names=sorted({str(r["name"]) for r in actors}, key=lambda n: (-len(n), n)), note=note)


def _run(text: str, store) -> list[dict]:
    return run_query(text, store, union_default_graph=True).rows


def _find(wanted: str, claims: list[str], data: Sequence[str | Path]) -> str:
    given = wanted.strip()
    iri = sparql_iri(given)
    if iri is not None and iri[1:-1] in claims:
        return iri[1:-1]
    suffix = given.strip("<>")
    if suffix.startswith("claim:"):  # a Turtle prefixed name, as in the build's files
        suffix = "claim/" + suffix[len("claim:"):]
    found = [claim for claim in claims if suffix and claim.endswith(suffix)]
    where = ", ".join(map(str, data))
    if not found:
        raise ClaimNotFound(f"no claim in {where} is or ends with {given!r} (the claim_iri column of "
                            f"`evkg query who-blamed-whom --format csv` gives each claim's IRI)")
    if len(found) > 1:
        shown = ", ".join(found[:10]) + (f", … ({len(found) - 10} more)" if len(found) > 10 else "")
        raise ClaimNotFound(f"{given!r} ends {len(found)} claims in {where}: {shown}; give more of the IRI")
    return found[0]


def _document_text(document: str, data: Sequence[str | Path]) -> tuple[str | None, str | None]:
    """The document's text from the build folder(s) among ``data`` (a file's own folder counts),
    or None and why not."""
    from .report import document_texts

    folders = [Path(p) if Path(p).is_dir() else Path(p).parent for p in data]
    builds = [folder for folder in dict.fromkeys(folders) if (folder / "manifest.json").is_file()]
    notes = []
    for build in builds:
        text, note = document_texts(build).get(document, (None, f"{document} is not in {build}/manifest.json"))
        if text is not None:
            return text, None
        notes.append(note)
    return None, "; ".join(notes) or "no build folder (with a manifest.json) holds its text"


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def paragraph_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The offsets of the paragraph holding ``text[start:end]``: up to the blank lines around it
    (the line breaks, in a text without blank lines), at most :data:`CONTEXT_CHARS` on each side
    cut at a space, without the white space at either end."""
    breaks = _BLANK_LINE if _BLANK_LINE.search(text) else re.compile(r"\n")
    before = [m.end() for m in breaks.finditer(text, 0, start)]
    after = breaks.search(text, end)
    first, last = (before[-1] if before else 0), (after.start() if after else len(text))
    if start - first > CONTEXT_CHARS:
        space = text.find(" ", start - CONTEXT_CHARS, start)
        first = space + 1 if space >= 0 else start - CONTEXT_CHARS
    if last - end > CONTEXT_CHARS:
        space = text.rfind(" ", end, end + CONTEXT_CHARS)
        last = space if space >= 0 else end + CONTEXT_CHARS
    while first < start and text[first].isspace():
        first += 1
    while last > end and text[last - 1].isspace():
        last -= 1
    return first, last


# Formatting --------------------------------------------------------------------------------

# Plain-text marks (no terminal): the sentence, the cue, the actors.
SENTENCE_MARKS, CUE_MARKS, ACTOR_MARKS = ("⟦", "⟧"), ("[", "]"), ("«", "»")
_STYLES = {"context": "dim", "sentence": "", "cue": "bold black on yellow", "actor": "bold cyan"}


def excerpt_parts(view: ClaimView) -> list[tuple[str, str]]:
    """The excerpt as (text, part) pieces, part one of context, sentence, cue, actor: the cue
    is its first whole-word occurrence in the sentence, the actors every occurrence there of
    one of their names (the longest first), in any case."""
    lo, hi = view.start - view.excerpt_start, view.end - view.excerpt_start
    sentence = view.excerpt[lo:hi]
    marks: list[tuple[int, int, str]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e, _ in marks)

    if view.cue:
        match = re.search(rf"(?<!\w){re.escape(view.cue)}(?!\w)", sentence, re.IGNORECASE)
        if match:
            marks.append((match.start(), match.end(), "cue"))
    for name in view.names:
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", sentence, re.IGNORECASE):
            if free(match.start(), match.end()):
                marks.append((match.start(), match.end(), "actor"))
    parts = [(view.excerpt[:lo], "context")] if lo else []
    at = 0
    for s, e, part in sorted(marks):
        parts += [(sentence[at:s], "sentence"), (sentence[s:e], part)]
        at = e
    parts.append((sentence[at:], "sentence"))
    if hi < len(view.excerpt):
        parts.append((view.excerpt[hi:], "context"))
    return [(text, part) for text, part in parts if text]


def format_claim(view: ClaimView, styled: bool = False, width: int | None = None) -> str:
    """The claim for reading: its fields, then the excerpt. ``styled``: terminal colours (rich);
    else plain text with the sentence in ⟦ ⟧, the cue in [ ] and the actors in « »."""
    from rich.console import Console
    from rich.text import Text

    fields = [("claim", view.iri), ("claimant", view.claimant), ("kind", view.kind),
              ("target" if len(view.targets) == 1 else "targets", ", ".join(view.targets)),
              ("hedged", "true" if view.hedged else "false"),
              ("said on", view.said_on or "not given in the text"), ("event", view.event), ("cue", view.cue),
              ("document", view.document), ("title", view.title), ("published", view.published),
              ("url", view.url), ("evidence", f"characters {view.start}–{view.end}"), ("note", view.note)]
    out = Text()
    for label, value in fields:
        if value:
            out.append(f"{label:<10}", style="bold" if styled else "")
            out.append(f"{value}\n")
    out.append("\n")
    marks = {"sentence": SENTENCE_MARKS, "cue": CUE_MARKS, "actor": ACTOR_MARKS}
    parts = excerpt_parts(view)
    for i, (text, part) in enumerate(parts):
        if styled:
            out.append(text, style=_STYLES[part])
            continue
        opens_sentence = part != "context" and (i == 0 or parts[i - 1][1] == "context")
        closes_sentence = part != "context" and (i == len(parts) - 1 or parts[i + 1][1] == "context")
        before, after = marks[part] if part in ("cue", "actor") else ("", "")
        out.append((SENTENCE_MARKS[0] if opens_sentence else "") + before + text + after
                   + (SENTENCE_MARKS[1] if closes_sentence else ""))
    if not styled:
        return out.plain.rstrip("\n") + "\n"
    console = Console(file=io.StringIO(), force_terminal=True, width=width, highlight=False)
    console.print(out, end="")
    return console.file.getvalue().rstrip("\n") + "\n"
