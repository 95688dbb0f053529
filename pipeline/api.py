"""The Python API, importable as ``evkg``: claims from one text, a build from files.

    import evkg
    claims = evkg.extract_text(text, published="2025-04-02")
    evkg.build(["articles/"], "out")

:func:`extract_text` runs the same ingest, extraction and resolution as ``evkg build`` (in
memory, nothing written) and gives each claim with its actors' canonical names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable, Optional, Sequence

from .build import BuildReport, resolve_documents
from .build import build as _build
from .ingest import InputProblem, make_document
from .vocab import DEFAULT_BASE

__all__ = ["Claim", "build", "extract_text"]


@dataclass(frozen=True)
class Claim:
    """One claim found in a text, its actors given by canonical name."""

    claimant: str
    targets: tuple[str, ...]
    kind: str  # accuses | claims_responsibility | denies | disputes | confirms | warns
    hedged: bool
    cue: str  # the words that signalled it
    sentence: str  # the evidence, exactly as in the text
    start: int  # character offsets of the sentence in the text
    end: int
    said_on: Optional[date] = None  # when the text dates the claim
    event: Optional[str] = None  # the event's label, when the claim is about one


def extract_text(text: str, *, published: date | str | None = None, title: Optional[str] = None,
                 doc_id: str = "text", aliases: Sequence[str | Path] = ()) -> list[Claim]:
    """The claims of one article text, in text order.

    ``published`` (a date or ``YYYY-MM-DD``) anchors relative dates such as "on Monday";
    ``aliases`` are extra actor tables (``evkg build --aliases``). Raises ``ValueError`` for a
    text that cannot be a document (empty, binary) or whose extraction fails.
    """
    document = make_document(doc_id, text, "<text>", title=title, published=published)
    if isinstance(document, InputProblem):
        raise ValueError(document.reason)
    failures = []
    resolved = resolve_documents([document], actor_files=tuple(str(a) for a in aliases),
                                 on_failed=lambda doc, failed: failures.append(failed.reason))
    if failures:
        raise ValueError(f"extraction failed: {failures[0]}")
    (result,) = resolved
    labels = {actor.key: actor.label for actor in result.actors}
    events = {event.key: event.label for event in result.events}
    return [
        Claim(claimant=labels.get(c.claimant, c.claimant), targets=tuple(labels.get(t, t) for t in c.targets),
              kind=c.kind, hedged=c.hedged, cue=c.cue, sentence=c.evidence.text, start=c.evidence.start,
              end=c.evidence.end, said_on=c.said_on, event=events.get(c.event) if c.event else None)
        for c in result.claims
    ]


def build(paths: Iterable[str | Path], out: str | Path, *, base: str = DEFAULT_BASE, jobs: int = 1,
          aliases: Sequence[str | Path] = ()) -> BuildReport:
    """``evkg build PATHS -o OUT``: the report says what was built; ``report.problems`` lists the
    inputs that failed or were skipped (never raised: the rest of the batch is built)."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    return _build(paths, out, base=base, jobs=jobs, actor_files=[str(a) for a in aliases])
