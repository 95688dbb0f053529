"""Event mentions of every type events.json names (with place and time) and reported figures
("at least 40 killed")."""

from __future__ import annotations

from typing import Optional

from spacy.tokens import Span, Token

from ..model import EventMention, FigureMention, TextSpan, TimeMention
from .context import Context


def sentence_span(context: Context, number: int) -> TextSpan:
    sent = context.sents[number]
    text = sent.text
    stripped = text.strip()
    start = sent.start_char + len(text) - len(text.lstrip())
    return TextSpan(start=start, end=start + len(stripped), text=stripped)


def vague(context: Context, ent: Span) -> bool:
    return any(t.lower_ in context.lexicon.vague_time_words for t in ent)


def event_type(context: Context, token: Token) -> Optional[str]:
    """The event type a word names (events.json), if any: an entry for the word as this part of
    speech ("fire/VERB"), else for it with its modifier or governing verb ("election fraud",
    "opened fire"), else for the word."""
    words = context.lexicon.event_words
    lemma = token.lemma_.lower()
    keys = [f"{lemma}/{token.pos_}"]
    keys += [f"{c.lemma_.lower()} {lemma}" for c in token.children if c.dep_ in ("compound", "amod")]
    if token.dep_ == "dobj":
        keys.append(f"{token.head.lemma_.lower()} {lemma}")
    for key in keys:
        if key in words:
            return words[key]
    return words.get(lemma)


def _names_event(context: Context, token: Token) -> bool:
    return token.pos_ in ("NOUN", "VERB") and event_type(context, token) is not None


def event_mention(context: Context, token: Token) -> EventMention:
    lexicon = context.lexicon
    kind = event_type(context, token) or "Attack"
    place = None
    scope = list(token.subtree)
    if token.pos_ == "VERB":
        scope = [t for c in token.children if c.dep_ in ("dobj", "prep", "npadvmod") for t in c.subtree]
    in_scope = {t.i for t in scope}
    sent = context.sents[context.sentence_of(token)]
    sentence_ents = [e for e in sent.ents]
    for ent in sentence_ents:
        # a facility, or a named place that is not itself a known actor
        if ent.root.i in in_scope and (ent.label_ == "FAC" or (
                ent.label_ in ("ORG", "GPE", "LOC") and lexicon.canonical(ent.text) is None)):
            place = _clean_name(context, ent.text)
            break
    time = None
    for ent in sentence_ents:
        if ent.label_ != "DATE" or vague(context, ent):
            continue
        if ent.root.i in in_scope or (token.dep_ in ("nsubj", "nsubjpass") and ent.root.head == token.head) or \
                (token.dep_ == "nsubj" and ent.root.head.head == token.head):
            time = TimeMention(text=ent.text, start=ent.start_char, end=ent.end_char)
            break
    return EventMention(type=kind, head=token.lemma_.lower(), start=token.idx, end=token.idx + len(token.text),
                        place=place, time=time)


def event_near(context: Context, token: Token) -> Optional[EventMention]:
    """The event a claim is about, of any type: in the cue's phrase, else in its sentence."""
    sent = context.sents[context.sentence_of(token)]
    for t in list(token.subtree) + list(sent):
        if _names_event(context, t):
            return event_mention(context, t)
    return None


def events(context: Context) -> list[EventMention]:
    doc, pos, lemma = context.doc, context.pos, context.lemma
    # Only a noun or a verb whose lemma ends a key of events.json names an event (every key
    # event_type tries ends with the lemma): the others are passed over without a Token.
    last = _last_words(context.lexicon.event_words)
    nominal = (doc[i] for i in range(len(doc)) if pos[i] in ("NOUN", "VERB") and lemma[i] in last)
    return [event_mention(context, t) for t in nominal if _names_event(context, t) and not t.is_stop]


_LAST_WORDS: dict[int, tuple[object, frozenset]] = {}


def _last_words(words: dict) -> frozenset:
    """Every lemma that can end a key of ``words`` as ``event_type`` spells keys ("fire/VERB",
    "election fraud", "fire"): each key less its part of speech, and what follows each space."""
    cached = _LAST_WORDS.get(id(words))
    if cached is None or cached[0] is not words:
        found = set()
        for key in words:
            for stem in {key, key.rsplit("/", 1)[0]}:
                found.add(stem)
                found.update(stem[n + 1:] for n, char in enumerate(stem) if char == " ")
        cached = _LAST_WORDS[id(words)] = (words, frozenset(found))
    return cached[1]


def figures(context: Context) -> list[FigureMention]:
    found = []
    for ent in context.doc.ents:
        if ent.label_ != "CARDINAL":
            continue
        value = _number(ent, context.lexicon.number_words)
        measure = _figure_measure(context, ent) if value is not None else None
        if measure is None:
            continue
        n = context.sentence_of(ent.root)
        found.append(FigureMention(measure=measure, value=value, qualifier=_qualifier(context, ent),
                                   sentence=sentence_span(context, n), sentence_index=n,
                                   event=event_near(context, ent.root)))
    return found


def _figure_measure(context: Context, ent: Span) -> Optional[str]:
    words = context.lexicon.figure_words
    root = ent.root
    candidates = [root.head] + list(root.head.children) + [root.head.head] + list(ent.doc[ent.end: ent.end + 3])
    if root.head.pos_ == "NOUN":
        candidates += list(root.head.children) + [root.head.head]
        candidates += [c for c in root.head.head.children if c.dep_ in ("acomp", "oprd", "xcomp", "ccomp")]
    sentence = context.sentence_of(root)
    for token in candidates:
        if context.sentence_of(token) != sentence:
            continue
        measure = words.get(token.lower_) or words.get(token.lemma_.lower())
        if measure:
            return measure
    return None


def _qualifier(context: Context, ent: Span) -> Optional[str]:
    """'at least' before the number, or inside the entity ('At least 139')."""
    number = _number_token(ent)
    start = number.idx if number is not None else ent.start_char
    before = " ".join(context.text[max(0, start - 25): start].lower().split())
    for phrase, qualifier in context.lexicon.qualifiers:
        if before == phrase or before.endswith(" " + phrase):
            return qualifier
    return None


def _clean_name(context: Context, text: str) -> str:
    grammar = context.grammar
    first, _, rest = text.partition(" ")
    if rest and first.lower() in grammar.determiners:
        text = rest
    for marker in grammar.possessive_markers:
        if text.endswith(marker):
            text = text[: -len(marker)]
    return text.strip()


def _number_token(ent: Span) -> Optional[Token]:
    numbers = [t for t in ent if t.like_num]
    return numbers[-1] if len(numbers) == 1 else None


def _number(ent: Span, number_words: dict[str, int]) -> Optional[int]:
    """The count a CARDINAL entity gives ("137", "At least 139", "eleven"), if it is one number."""
    token = _number_token(ent)
    if token is None:
        return None
    text = token.text.replace(",", "")
    if text.isdecimal():  # not isdigit: "²" is a digit that int() refuses
        value = int(text)
        return value if value < 10_000_000 else None
    return number_words.get(text.lower())
