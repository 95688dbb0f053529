"""Reported-statement frames: who says what, when, and how firmly.

A frame has a source (the actors speaking), a cue, content (the clause roots of what is
said), a time and a hedge. Frame families, one generator each:

* speech verbs with their subject ("Ostrov said the rebels…", "…, the ministry claimed");
* "according to X" (X, or the owner of X's statement or report);
* nominal frames ("X's claim that…", "assertions by X that…", "X has evidence that…");
* quotations: a quoted sentence with no speaker of its own takes the speaker of the quote
  or statement in the sentence before it.

``Frames.frame_of(token)`` is the innermost frame whose content contains the token.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Optional

from spacy.tokens import Token

from ..model import ActorMention, TimeMention
from . import syntax
from .actors import ActorIndex
from .context import Context


@dataclass(frozen=True)
class Frame:
    family: str  # speech | according_to | nominal | quote
    sources: tuple[ActorMention, ...]
    cue: int  # token index of the cue
    content: tuple[int, ...]  # token indices of the content's clause roots
    hedged: bool
    time: Optional[TimeMention]
    sentence: int
    agreeing: bool = False  # "X agreed, saying…": the content backs an earlier claim
    clearing: bool = False  # "X did not find that…": what the content says of its doers is denied


@dataclass(frozen=True)
class Frames:
    frames: tuple[Frame, ...]
    by_root: dict[int, Frame]  # content root -> its frame
    unsaid: frozenset[int]  # speech verbs negated or refused ("did not say", "declined to say")

    def frame_of(self, token: Token) -> Optional[Frame]:
        node = token
        for _ in range(40):
            frame = self.by_root.get(node.i)
            if frame is not None and frame.cue != token.i:
                return frame
            if node.head.i == node.i or node.head.i in self.unsaid:
                return None  # what someone did not say is nobody's claim
            node = node.head
        return None


def find_frames(context: Context, actors: ActorIndex) -> Frames:
    frames: list[Frame] = []
    for number, sent in enumerate(context.sents[: context.commentary_from]):
        found = [*speech_frames(context, actors, sent, number), *according_to_frames(context, actors, sent, number),
                 *nominal_frames(context, actors, sent, number)]
        cues = {f.cue for f in found}
        found += [f for f in colon_quote_frames(context, actors, sent, number) if f.cue not in cues]
        if not found:
            found = list(quote_frames(context, actors, sent, number, frames))
        frames.extend(found)
    by_root: dict[int, Frame] = {}
    for frame in frames:
        for root in frame.content:
            by_root.setdefault(root, frame)
    speech = context.words("speech_verbs")
    findings = context.words("finding_verbs")
    doc, pos, lemma = context.doc, context.pos, context.lemma
    unsaid = frozenset(t.i for t in (doc[i] for i in range(len(doc)) if pos[i] in ("VERB", "AUX") and lemma[i] in speech)
                       if (syntax.negated(t, context) and lemma[t.i] not in findings) or syntax.refused(t, context))
    return Frames(tuple(frames), by_root, unsaid)


def sources_of(verb: Token, context: Context, actors: ActorIndex) -> list[ActorMention]:
    """Who speaks through a verb: its subject (a statement's owner when the subject is the
    statement), its passive agent, or the speaker of the quotation it stands in."""
    found: list[ActorMention] = []
    reporting = context.words("reporting_nouns")
    if _reduced_relative(verb, context):
        return found
    for subject in syntax.subject_tokens(verb, context) or syntax.agent_tokens(verb, context):
        if subject.lemma_.lower() in reporting and actors.mention(subject) is None:
            found.extend(statement_owners(subject, context, actors))
        elif actors.is_first_person(subject):
            continue
        else:
            found.extend(actors.actors(subject))
    if not found and verb.dep_ == "acl" and verb.head.lemma_.lower() in reporting:
        found.extend(statement_owners(verb.head, context, actors))
    return found


def _reduced_relative(verb: Token, context: Context) -> bool:
    """"The Sarn Brigade, believed to be behind the raid, …" parsed as the Brigade believing:
    a verb set off by a comma right after its subject, with an infinitive, is a participle
    (believed by someone unnamed)."""
    if verb.tag_ not in ("VBD", "VBN") or verb.i < 2 or context.doc[verb.i - 1].text != ",":
        return False
    subjects = [c for c in verb.children if c.dep_ in context.grammar.subject_deps]
    infinitive = any(c.dep_ == "xcomp" and any(a.dep_ == "aux" and a.lower_ in context.grammar.infinitive_markers
                                               for a in c.children) for c in verb.children)
    return infinitive and any(s.right_edge.i in (verb.i - 2, verb.i - 1) for s in subjects)


def statement_owners(noun: Token, context: Context, actors: ActorIndex) -> list[ActorMention]:
    """Whose statement or report this is; for a bare "the statement", whose the last one
    with an owner was."""
    found = syntax.owners(noun, actors, context)
    if found:
        return found
    head = noun.head  # "X sent a note saying", "X released a statement"
    if noun.dep_ in ("dobj",) and head.pos_ == "VERB":
        found = [a for s in syntax.subject_tokens(head, context) for a in actors.actors(s)]
        if found:
            return found
    lemma = noun.lemma_.lower()
    for earlier in reversed(context.doc[max(0, noun.i - 2000): noun.i]):  # the last such statement nearby
        if earlier.lemma_.lower() == lemma and earlier.pos_ == "NOUN":
            found = syntax.owners(earlier, actors, context)
            if not found and earlier.dep_ == "dobj":
                found = [a for s in syntax.subject_tokens(earlier.head, context) for a in actors.actors(s)]
            if found:
                return found
    return []


def speech_frames(context: Context, actors: ActorIndex, sent, number: int) -> Iterator[Frame]:
    speech = context.words("speech_verbs")
    grammar = context.grammar
    pos, lemma = context.pos, context.lemma
    for i in range(sent.start, sent.end):
        if pos[i] not in ("VERB", "AUX") or lemma[i] not in speech:
            continue
        token = context.doc[i]
        negated = syntax.negated(token, context)
        clearing = negated and token.lemma_.lower() in context.words("finding_verbs")
        if (negated and not clearing) or syntax.refused(token, context):
            continue
        takes_infinitive = token.lemma_.lower() in context.words("xcomp_speech_verbs")
        content = [c.i for c in token.children if c.dep_ in grammar.content_deps and c.pos_ in ("VERB", "AUX", "ADJ", "NOUN")
                   and (c.dep_ != "xcomp" or takes_infinitive)]
        if not content and token.dep_ in ("parataxis", "ccomp", "advcl") and token.head.i != token.i \
                and token.head.pos_ in ("VERB", "AUX"):
            content = [token.head.i]  # "The rebels did it, the minister said."
        # "insinuated without evidence that…": the clause hangs off the prepositional phrase
        content += [clause.i for prep in token.children if prep.dep_ == "prep" for obj in prep.children
                    if obj.dep_ == "pobj" for clause in obj.children if clause.dep_ in ("acl", "ccomp")
                    and any(m.lower_ in grammar.complementizers and m.dep_ == "mark" for m in clause.children)]
        quoted = [c.i for c in token.children if c.i in context.quoted and c.dep_ in ("dobj", "attr", "npadvmod")]
        content += quoted
        if not content and not _introduces_quote(context, sent, number):
            continue
        sources = sources_of(token, context, actors)
        if not sources:
            continue
        agreeing = token.lemma_.lower() in context.words("confirming_speech_verbs") or (
            token.dep_ == "advcl" and token.head.lemma_.lower() in context.words("confirming_speech_verbs"))
        yield Frame("speech", tuple(sources), token.i, tuple(content), syntax.hedged(token, context),
                    syntax.time_of(token, context), number, agreeing, clearing)


def _introduces_quote(context: Context, sent, number: int) -> bool:
    """"…, the judge told the court:" and the quotation follows in the next sentence."""
    words = [t for t in sent if not t.is_space]
    if words and words[-1].text in context.grammar.quote_introducers:
        return True
    if number + 1 < len(context.sents):
        following = [t for t in context.sents[number + 1] if not t.is_space]
        return bool(following) and following[0].text in context.grammar.open_quotes | context.grammar.straight_quotes
    return False


def according_to_frames(context: Context, actors: ActorIndex, sent, number: int) -> Iterator[Frame]:
    reporting = context.words("reporting_nouns")
    lower = context.lower
    for i in range(sent.start, sent.end):
        pair = next((p for p in context.grammar.according_to if lower[i] == p[0]), None)
        if pair is None:
            continue
        token = context.doc[i]
        objects = [o for c in token.children if c.lower_ == pair[1] for o in c.children if o.dep_ == "pobj"]
        if not any(c.lower_ == pair[1] for c in token.children) and token.nbor(1).lower_ == pair[1]:
            objects += [o for o in token.children if o.dep_ == "pobj"]
        sources: list[ActorMention] = []
        for obj in objects:
            if obj.lemma_.lower() in reporting:
                sources.extend(statement_owners(obj, context, actors))
            else:
                sources.extend(actors.actors(obj))
        head = token.head
        if not sources or head.i == token.i:
            continue
        yield Frame("according_to", tuple(sources), token.i, (head.i,), syntax.hedged(head, context), None, number)


def nominal_frames(context: Context, actors: ActorIndex, sent, number: int) -> Iterator[Frame]:
    claim_nouns = context.words("claim_nouns") | context.words("reporting_nouns") | context.words("belief_nouns")
    light = context.words("light_verbs")
    pos, lemma = context.pos, context.lemma
    for i in range(sent.start, sent.end):
        if pos[i] != "NOUN" or lemma[i] not in claim_nouns:
            continue
        token = context.doc[i]
        content = [c.i for c in token.children if c.dep_ in ("acl", "ccomp", "relcl") and
                   any(m.lower_ in context.grammar.complementizers and m.dep_ == "mark" for m in c.children)]
        if not content:
            continue
        if syntax.negated(token, context):
            continue
        sources = syntax.owners(token, actors, context)
        head = token.head
        if not sources and token.dep_ in ("dobj", "attr") and (head.lemma_.lower() in light or head.lemma_.lower() == "have"):
            sources = [a for s in syntax.subject_tokens(head, context) for a in actors.actors(s)]
        if not sources:
            continue
        yield Frame("nominal", tuple(sources), token.i, tuple(content), syntax.hedged(token, context), None, number)


def colon_quote_frames(context: Context, actors: ActorIndex, sent, number: int) -> Iterator[Frame]:
    """"X described the raid: "…"": a quotation after a colon is the words of the clause
    before it, whatever its verb; the quotation's later sentences follow as quote frames."""
    grammar = context.grammar
    opening = grammar.open_quotes | grammar.straight_quotes
    orth = context.orth
    for i in range(sent.start, sent.end):
        if orth[i] not in grammar.quote_introducers or i + 1 >= sent.end or orth[i + 1] not in opening:
            continue
        token = context.doc[i]
        region = [t for t in context.doc[token.i + 2: sent.end] if t.i in context.quoted]
        inside = {t.i for t in region}
        content = tuple(t.i for t in region if (t.head.i not in inside or t.head.i == t.i)
                        and t.pos_ in ("VERB", "AUX", "ADJ", "NOUN"))
        verb = next((t for t in reversed(context.doc[sent.start: token.i]) if t.dep_ == "ROOT" or
                     (t.pos_ in ("VERB", "AUX") and t.i not in context.quoted and t.head.i >= token.i)), None)
        while verb is not None and verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
        if not content or verb is None or verb.i in context.quoted:
            continue
        sources = sources_of(verb, context, actors)
        if sources:
            yield Frame("quote", tuple(sources), verb.i, content, syntax.hedged(verb, context),
                        syntax.time_of(verb, context), number)
        return


def quote_frames(context: Context, actors: ActorIndex, sent, number: int, earlier: list[Frame]) -> Iterator[Frame]:
    """A sentence inside quotation marks with no speaker of its own: the speaker of the
    quotation or statement just before it."""
    words = [t for t in sent if not t.is_punct and not t.is_space]
    if not words or sum(1 for t in words if t.i in context.quoted) < 0.8 * len(words):
        return
    previous = [f for f in earlier if f.sentence == number - 1]
    if previous:
        frame = previous[-1]
        yield Frame("quote", frame.sources, frame.cue, (sent.root.i,), frame.hedged, frame.time, number)
        return
    # "X denied it, saying…" / "X rejected the claim." followed by X's quotation
    stating = context.words("speech_verbs") | context.words("statement_verbs")
    for token in context.sents[number - 1] if number else ():
        if token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in stating:
            sources = sources_of(token, context, actors)
            if sources:
                yield Frame("quote", tuple(sources), token.i, (sent.root.i,), False, None, number)
                return
