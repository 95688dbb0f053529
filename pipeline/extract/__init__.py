"""Extract: actors, frames, claims, events and figures from a parsed spaCy ``Doc``.

Rule-based over the dependency parse, one module per concern, all reading one read-only
``Context``: ``actors`` (open-world mentions and coreference), ``frames`` (who reports
what), the constructions of ``en/patterns.json`` (spaCy ``DependencyMatcher`` patterns,
matched from their cue by ``matching``) read by ``blame`` through ``slots``, ``events`` (events and
figures). What each sentence gave, and what a guard dropped and why, is in the
``Ledger``; ``read`` returns all of it (``evkg explain`` prints it), ``extract`` the
``Extraction`` the rest of the pipeline takes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Optional

from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Doc

from ..lexicon import Lexicon, thaw
from ..model import Document, Extraction, TimeMention
from .actors import ActorIndex, index_actors
from .blame import read_match
from .context import Context, build_context
from .events import events, figures, vague
from .frames import Frames, find_frames
from .ledger import Ledger
from .matching import Parse, Pattern, compile_pattern, compile_tests
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


def read(doc: Doc, lexicon: Lexicon, published: Optional[date] = None, trace: bool = False) -> Reading:
    """Everything extraction sees in a document. ``trace`` also matches reported-content
    constructions where no frame reports, so that the ledger says why they gave nothing
    (``evkg explain``); the claims are the same either way."""
    context = build_context(doc, lexicon, published)
    actors = index_actors(context)
    frames = find_frames(context, actors)
    ledger = Ledger()
    matchers = _matchers(lexicon, doc.vocab)
    by_cue: dict[int, list] = {}
    # Only the constructions whose cue word a sentence has are tried there, and
    # reported-content ones only where a frame reports.
    reported = {f.sentence for f in frames.frames}
    # each token's word and lemma as string-store ids, read once (Token objects are costly)
    ids = doc.to_array([LOWER, LEMMA])
    parse = Parse(doc, matchers.attributes)
    for number, sent in enumerate(context.sents[: context.commentary_from]):
        words = set(ids[sent.start: sent.end].ravel().tolist()) & matchers.by_id.keys()
        candidates = set(matchers.always)
        for word in words:
            candidates.update(matchers.by_id[word])
        if number not in reported and not trace:
            candidates -= matchers.needing_frame
        # in file order, as the claiming of a cue below expects
        for index in sorted(candidates):
            name, pattern, (attr, cue_ids) = matchers.patterns[index]
            column = parse.values[attr] if cue_ids is not None else None
            for cue in range(sent.start, sent.end):
                if column is not None and column[cue] not in cue_ids:
                    continue
                tokens = parse.first_match(pattern, cue, sent.start, sent.end)
                if tokens is not None:
                    by_cue.setdefault(cue, []).append((name, tokens))
    constructions = matchers.by_id_name
    for cue_index in sorted(by_cue):
        cue = doc[cue_index]
        sentence = context.sentence_of(cue)
        if sentence >= context.commentary_from or sentence in context.headlines:
            continue  # a headline's telegraphic grammar misleads, and its story repeats it in full
        # The first construction in file order claims the cue; "also" constructions read it too.
        # (by_cue holds each construction's first match on the cue, in file order)
        matches = by_cue[cue_index]
        claiming = [mt for mt in matches if not constructions[mt[0]].also][:1]
        for name, tokens in claiming + [mt for mt in matches if constructions[mt[0]].also]:
            construction = constructions[name]
            nodes = {node: doc[i] for node, i in zip(matchers.node_names[name], tokens)}
            exclusions = matchers.excludes.get(name)
            is_excluded = exclusions is not None and any(
                parse.passes(tests, child) for child in parse.children(cue_index) for tests in exclusions)
            read_match(Match(construction, cue, nodes, sentence, context, actors, frames, ledger), is_excluded)
    return Reading(context, actors, frames, ledger)


@dataclass(frozen=True)
class _Matchers:
    # (construction id, compiled pattern, (attribute, ids) a cue must have: None when any), in file order
    patterns: tuple[tuple[str, Pattern, tuple[int, Optional[frozenset]]], ...]
    by_id: dict[int, tuple[int, ...]]  # a cue word's string-store id -> the constructions whose cue it can be
    always: frozenset[int]  # constructions whose cue takes any word
    needing_frame: frozenset[int]  # reported-content constructions: only where a frame reports
    excludes: dict[str, tuple]  # construction id -> the token tests of its child tokens that cancel it
    node_names: dict[str, tuple[str, ...]]  # construction id -> its nodes' names, in pattern order
    by_id_name: dict[str, object]  # construction id -> construction
    attributes: frozenset[int]  # every token attribute the patterns test


_COMPILED: dict[tuple[int, int], tuple[Lexicon, object, _Matchers]] = {}


def _cue_words(attrs: dict) -> Optional[set]:
    """The words (lower case) a cue node's LEMMA or LOWER allows; None when it allows any."""
    for name in ("LEMMA", "LOWER"):
        value = attrs.get(name)
        if isinstance(value, str):
            return {value.lower()}
        if isinstance(value, dict) and "IN" in value:
            return {w.lower() for w in value["IN"]}
    return None


def _cue_test(pattern: Pattern) -> tuple[int, Optional[frozenset]]:
    """An attribute and the ids a token must have there to be the pattern's cue (one of the
    cue node's own tests), so that most tokens are passed over at one look; None: no such test."""
    for attr, test, value in pattern.nodes[0].tests:
        if test == "==":
            return attr, frozenset((value,))
        if test == "IN":
            return attr, value
    return 0, None


def _matchers(lexicon: Lexicon, vocab) -> _Matchers:
    """The constructions compiled for a vocabulary (once per process and lexicon)."""
    key = (id(lexicon), id(vocab))
    if key not in _COMPILED:
        patterns, excludes, node_names = [], {}, {}
        by_word, always, needing_frame = {}, set(), set()
        for index, construction in enumerate(lexicon.constructions):
            pattern = thaw(construction.pattern)
            compiled = compile_pattern(pattern, vocab.strings)
            patterns.append((construction.id, compiled, _cue_test(compiled)))
            node_names[construction.id] = tuple(node["RIGHT_ID"] for node in pattern)
            if construction.family == "content":
                needing_frame.add(index)
            if construction.excludes:
                excludes[construction.id] = tuple(compile_tests(spec, vocab.strings)
                                                  for spec in thaw(construction.excludes))
            words = _cue_words(pattern[0]["RIGHT_ATTRS"])
            if words is None:
                always.add(index)
            for word in words or ():
                by_word.setdefault(word, []).append(index)
        # lemmas are matched in lower case: a proper noun's lemma keeps its capital, so both forms
        by_id: dict[int, set] = {}
        for word, indices in by_word.items():
            for form in {word, word.capitalize(), word.upper()}:
                by_id.setdefault(vocab.strings.add(form), set()).update(indices)
        attributes = frozenset(attr for _, compiled, _ in patterns for attr in compiled.attributes) | \
            frozenset(attr for specs in excludes.values() for tests in specs for attr, _, _ in tests)
        _COMPILED[key] = (lexicon, vocab, _Matchers(tuple(patterns), {w: tuple(sorted(i)) for w, i in by_id.items()},
                                                    frozenset(always), frozenset(needing_frame), excludes, node_names,
                                                    {c.id: c for c in lexicon.constructions}, attributes))
    return _COMPILED[key][2]
