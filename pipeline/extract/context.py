"""The read-only view of one parsed document that every extraction step works from.

spaCy rebuilds ``Doc.text``, ``Doc.ents`` and ``Token.sent`` on every access; the context
computes them once, with the quotation spans and the lexicon, and nothing changes it later.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date
from typing import Optional

from spacy.attrs import IS_SPACE, LEMMA, LOWER, ORTH, POS
from spacy.tokens import Doc, Span, Token

from ..lexicon import Grammar, Lexicon


@dataclass(frozen=True)
class Context:
    doc: Doc
    lexicon: Lexicon
    text: str
    sents: tuple[Span, ...]
    sent_starts: tuple[int, ...]  # token index where each sentence starts
    ent_at: dict[int, Span]  # token index -> its entity
    quoted: frozenset[int]  # token indices inside quotation marks
    published: Optional[date]
    commentary_from: int  # first sentence of the outlet's own commentary (len(sents) if none)
    headlines: frozenset[int] = frozenset()  # sentences that are headlines (no final stop, a line of their own)
    # Each token's strings, as the loops over every token test them (Token.pos_, lemma_.lower(),
    # lower_, text): one Token object per token and look was a fifth of extraction's time.
    pos: tuple[str, ...] = ()
    lemma: tuple[str, ...] = ()
    lower: tuple[str, ...] = ()
    orth: tuple[str, ...] = ()

    @property
    def grammar(self) -> Grammar:
        return self.lexicon.grammar

    def words(self, table: str) -> frozenset:
        return self.lexicon.words[table]

    def sentence_of(self, token: Token) -> int:
        return bisect.bisect_right(self.sent_starts, token.i) - 1


def place_after_place(token: Token, context: "Context") -> bool:
    """"Orsk, Velmar": a place name right after a place name and a comma (where, not who)."""
    ent = context.ent_at.get(token.i)
    if ent is None or ent.label_ != "GPE" or ent.start < 2 or context.doc[ent.start - 1].text != ",":
        return False
    before = context.ent_at.get(ent.start - 2)
    return before is not None and before.label_ == "GPE"


def pobjs(token: Token, words) -> list[Token]:
    """The objects of the prepositions ``words`` on a token ("by X", "of X")."""
    return [obj for c in token.children if c.dep_ in ("prep", "agent") and c.lower_ in words
            for obj in c.children if obj.dep_ == "pobj"]


def build_context(doc: Doc, lexicon: Lexicon, published: Optional[date] = None) -> Context:
    sents = tuple(doc.sents)
    grammar = lexicon.grammar
    text = doc.text
    commentary_from = len(sents)
    for n, sent in enumerate(sents):
        # the text's own slice is the sentence's text (Span.text joins its tokens one by one)
        if text[sent.start_char: sent.end_char].strip().lower().startswith(lexicon.commentary_headings):
            commentary_from = n
            break
    orth = _strings(doc, ORTH)
    return Context(
        doc=doc, lexicon=lexicon, text=text, sents=sents,
        sent_starts=tuple(s.start for s in sents),
        ent_at={i: ent for ent in doc.ents for i in range(ent.start, ent.end)},
        quoted=frozenset(_quoted_tokens(doc, grammar, orth)), published=published,
        commentary_from=commentary_from, headlines=frozenset(_headlines(sents, grammar)),
        pos=_strings(doc, POS), lemma=_strings(doc, LEMMA, str.lower), lower=_strings(doc, LOWER), orth=orth)


def _strings(doc: Doc, attr: int, change=None) -> tuple[str, ...]:
    """Each token's ``attr`` as a string (``change``d), read from one array: a document has few
    distinct values, each looked up once."""
    strings = doc.vocab.strings
    values = doc.to_array(attr).tolist()
    seen = {value: change(strings[value]) if change else strings[value] for value in set(values)}
    return tuple(map(seen.__getitem__, values))


HEADLINE_WORDS = 20  # longer than this, a line without a final stop is no headline
HEADLINE_LINES = 4  # headlines (and a date line) stand before a story's first sentence


def _headlines(sents: tuple[Span, ...], grammar: Grammar) -> list[int]:
    """Lines before the first sentence with no final stop, standing alone: headline grammar ("Rebels
    say envoy killed in Varno") makes a bare past participle a passive."""
    found = []
    for n, sent in enumerate(sents[:HEADLINE_LINES]):
        words = [t for t in sent if not t.is_space]
        if not words:
            continue
        if len(words) > HEADLINE_WORDS or words[-1].text in grammar.sentence_ends:
            break  # the story has begun: a later short line is a subheading, in the story's voice
        text = sent.doc.text
        before = text[: words[0].idx].rstrip(" \t")
        after = text[words[-1].idx + len(words[-1].text):].lstrip(" \t")
        if (not before or before.endswith("\n")) and (not after or after.startswith("\n")):
            found.append(n)
    return found


def _quoted_tokens(doc: Doc, grammar: Grammar, orth: tuple[str, ...]) -> set[int]:
    """Tokens between quotation marks: curly quotes pair by direction, straight quotes in
    turn within a paragraph (a paragraph break closes any quote left open). ``orth``: each
    token's text."""
    inside: set[int] = set()
    opened: Optional[int] = None
    spaces = doc.to_array(IS_SPACE).tolist()
    for i, text in enumerate(orth):
        if "\n\n" in text or (spaces[i] and text.count("\n") > 1):
            opened = None
            continue
        if text in grammar.open_quotes and opened is None:
            opened = i
        elif text in grammar.close_quotes and opened is not None:
            inside.update(range(opened + 1, i))
            opened = None
        elif text in grammar.straight_quotes:
            if opened is None:
                opened = i
            else:
                inside.update(range(opened + 1, i))
                opened = None
    return inside
