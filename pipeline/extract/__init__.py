"""Extract: actors, frames, claims, events and figures from a parsed spaCy ``Doc``.

Rule-based over the dependency parse, one module per concern, all reading one read-only
``Context``: ``actors`` (open-world mentions and coreference), ``frames`` (who reports
what), the constructions of ``en/patterns.json`` matched with spaCy's
``DependencyMatcher`` and read by ``blame`` through ``slots``, ``events`` (events and
figures). What each sentence gave, and what a guard dropped and why, is in the
``Ledger``; ``read`` returns all of it (``evkg explain`` prints it), ``extract`` the
``Extraction`` the rest of the pipeline takes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Optional

from spacy.matcher import DependencyMatcher, Matcher
from spacy.tokens import Doc

from ..lexicon import Lexicon, thaw
from ..model import Document, Extraction, TimeMention
from .actors import ActorIndex, index_actors
from .blame import read_match
from .context import Context, build_context
from .events import events, figures, vague
from .frames import Frames, find_frames
from .ledger import Ledger
from .slots import Match

__all__ = ["extract", "read", "Reading"]


@dataclass(frozen=True)
class Reading:
    """Everything extraction saw in one document."""

    context: Context
    actors: ActorIndex
    frames: Frames
    ledger: Ledger


def extract(doc: Doc, document: Document, lexicon: Lexicon) -> Extraction:
    """Everything evkg reads from one parsed document."""
    reading = read(doc, lexicon, document.published)
    context = reading.context
    claims = tuple(found.claim for found in reading.ledger.found)
    times = tuple(TimeMention(e.text, e.start_char, e.end_char) for e in doc.ents
                  if e.label_ == "DATE" and not vague(context, e))
    actors = tuple(reading.actors.by_head[i] for i in reading.actors.heads)
    return Extraction(document=document, claims=claims, figures=tuple(figures(context)),
                      events=tuple(events(context)), actors=actors, times=times)


def read(doc: Doc, lexicon: Lexicon, published: Optional[date] = None) -> Reading:
    context = build_context(doc, lexicon, published)
    actors = index_actors(context)
    frames = find_frames(context, actors)
    ledger = Ledger()
    matchers = _matchers(lexicon, doc.vocab)
    by_cue: dict[int, list] = {}
    for match_id, tokens in matchers.dependency(doc):
        by_cue.setdefault(tokens[0], []).append((match_id, tokens))
    excluded = {(doc.vocab.strings[match_id], start) for match_id, start, _ in matchers.excludes(doc)}
    order = {c.id: n for n, c in enumerate(lexicon.constructions)}
    constructions = {c.id: c for c in lexicon.constructions}
    for cue_index in sorted(by_cue):
        cue = doc[cue_index]
        sentence = context.sentence_of(cue)
        if sentence >= context.commentary_from:
            continue
        # The first construction in file order claims the cue; "also" constructions read it too.
        matches = sorted(by_cue[cue_index], key=lambda mt: order[doc.vocab.strings[mt[0]]])
        claiming = [mt for mt in matches if not constructions[doc.vocab.strings[mt[0]]].also][:1]
        seen = set()
        for match_id, tokens in claiming + [mt for mt in matches if constructions[doc.vocab.strings[mt[0]]].also]:
            construction = constructions[doc.vocab.strings[match_id]]
            if construction.id in seen:
                continue
            seen.add(construction.id)
            names = [node["RIGHT_ID"] for node in thaw(construction.pattern)]
            nodes = {name: doc[i] for name, i in zip(names, tokens)}
            is_excluded = any((construction.id, child.i) in excluded for child in cue.children)
            read_match(Match(construction, cue, nodes, sentence, context, actors, frames, ledger), is_excluded)
    return Reading(context, actors, frames, ledger)


@dataclass(frozen=True)
class _Matchers:
    dependency: DependencyMatcher
    excludes: Matcher


_COMPILED: dict[tuple[int, int], tuple[Lexicon, object, _Matchers]] = {}


def _matchers(lexicon: Lexicon, vocab) -> _Matchers:
    """The constructions compiled for a vocabulary (once per process and lexicon)."""
    key = (id(lexicon), id(vocab))
    if key not in _COMPILED:
        dependency = DependencyMatcher(vocab)
        excludes = Matcher(vocab)
        for construction in lexicon.constructions:
            dependency.add(construction.id, [thaw(construction.pattern)])
            if construction.excludes:
                excludes.add(construction.id, [[token] for token in thaw(construction.excludes)])
        _COMPILED[key] = (lexicon, vocab, _Matchers(dependency, excludes))
    return _COMPILED[key][2]
