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

from dataclasses import dataclass, field
from datetime import date
from typing import Optional

from spacy.matcher import DependencyMatcher, Matcher
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, LOWER, ORTH, POS, SENT_START, SPACY, TAG
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
    # The matcher is most of extraction's time: only the constructions whose cue word the
    # document has are run, and reported-content ones count only where a frame reports.
    reported = {f.sentence for f in frames.frames}
    # each token's word and lemma as string-store ids, read once (Token objects are costly)
    ids = doc.to_array([LOWER, LEMMA])
    copy = _SentenceCopier(doc)
    for number, sent in enumerate(context.sents[: context.commentary_from]):
        words = set(ids[sent.start: sent.end].ravel().tolist()) & matchers.by_id.keys()
        candidates = set(matchers.always)
        for word in words:
            candidates.update(matchers.by_id[word])
        if number not in reported and not trace:
            candidates -= matchers.needing_frame
        if not candidates:
            continue
        # the matcher reads a Span's whole Doc: a copy of the sentence keeps long texts linear
        for match_id, tokens in matchers.combined(tuple(sorted(candidates)))(copy(sent)):
            tokens = [sent.start + i for i in tokens]
            by_cue.setdefault(tokens[0], []).append((match_id, tokens))
    excluded = {(doc.vocab.strings[match_id], start) for match_id, start, _ in matchers.excludes(doc)}
    order, constructions = matchers.order, matchers.by_id_name
    for cue_index in sorted(by_cue):
        cue = doc[cue_index]
        sentence = context.sentence_of(cue)
        if sentence >= context.commentary_from or sentence in context.headlines:
            continue  # a headline's telegraphic grammar misleads, and its story repeats it in full
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


class _SentenceCopier:
    """Sentences as Docs of their own, from one array of the document's annotations (spaCy's
    ``Span.as_doc`` reads the whole document each time, quadratic on long texts)."""

    ATTRS = [ORTH, SPACY, LOWER, LEMMA, POS, TAG, DEP, HEAD, ENT_TYPE, ENT_IOB, SENT_START]

    def __init__(self, doc: Doc):
        self.doc = doc
        self.array = doc.to_array(self.ATTRS)

    def __call__(self, sent) -> Doc:
        rows = self.array[sent.start: sent.end]
        strings = self.doc.vocab.strings
        words = [strings[int(orth)] for orth in rows[:, 0]]
        spaces = [bool(space) for space in rows[:, 1]]
        copy = Doc(self.doc.vocab, words=words, spaces=spaces)
        copy.from_array(self.ATTRS[2:], rows[:, 2:])
        return copy


@dataclass(frozen=True)
class _Matchers:
    vocab: object
    patterns: tuple[tuple[str, list], ...]  # (construction id, pattern), in file order
    by_id: dict[int, tuple[int, ...]]  # a cue word's string-store id -> the constructions whose cue it can be
    always: frozenset[int]  # constructions whose cue takes any word
    needing_frame: frozenset[int]  # reported-content constructions: only where a frame reports
    excludes: Matcher
    order: dict[str, int]  # construction id -> its place in the file (the first claims a cue)
    by_id_name: dict[str, object]  # construction id -> construction
    cache: dict = field(default_factory=dict)

    def combined(self, indices: tuple[int, ...]) -> DependencyMatcher:
        """One matcher for a set of constructions (sentences share few such sets: cached)."""
        matcher = self.cache.get(indices)
        if matcher is None:
            matcher = DependencyMatcher(self.vocab)
            for index in indices:
                matcher.add(*self.patterns[index][:1], [self.patterns[index][1]])
            if len(self.cache) > 4096:
                self.cache.clear()
            self.cache[indices] = matcher
        return matcher


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


def _matchers(lexicon: Lexicon, vocab) -> _Matchers:
    """The constructions compiled for a vocabulary (once per process and lexicon)."""
    key = (id(lexicon), id(vocab))
    if key not in _COMPILED:
        excludes = Matcher(vocab)
        patterns, by_word, always, needing_frame = [], {}, set(), set()
        for index, construction in enumerate(lexicon.constructions):
            pattern = thaw(construction.pattern)
            patterns.append((construction.id, pattern))
            if construction.family == "content":
                needing_frame.add(index)
            if construction.excludes:
                excludes.add(construction.id, [[token] for token in thaw(construction.excludes)])
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
        _COMPILED[key] = (lexicon, vocab, _Matchers(vocab, tuple(patterns), {w: tuple(sorted(i)) for w, i in by_id.items()},
                                                    frozenset(always), frozenset(needing_frame), excludes,
                                                    {c.id: n for n, c in enumerate(lexicon.constructions)},
                                                    {c.id: c for c in lexicon.constructions}))
    return _COMPILED[key][2]
