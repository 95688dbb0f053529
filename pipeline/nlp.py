"""NLP stage: the spaCy pipeline evkg runs on every document.

``en_core_web_sm`` plus evkg's own registered components (added by name, configured from
the lexicon files in ``pipeline/resources``):

``evkg_paragraphs``, ``evkg_actor_ruler``, ``evkg_name_joins`` and ``evkg_lemmas`` (``pipeline.components``).

Extraction proper (``pipeline.extract``) reads the parsed ``Doc``.
"""

from __future__ import annotations

import functools
import re
import warnings
from typing import Iterable, Iterator, Optional

import numpy
from spacy.tokens import Doc
from spacy.tokens.doc import DOCBIN_ALL_ATTRS

from .errors import Failure

MODEL = "en_core_web_sm"


class ModelMissing(Failure):
    """The spaCy model is not installed: one line says how to install it (exit status 1)."""


# en_core_web_sm 3.7.1 gives the same output under spaCy 3.8 (checked token for token), but
# spaCy warns (W095) that it was trained with 3.7.2. Silence only that warning.
warnings.filterwarnings("ignore", message=r"\[W095\] Model 'en_core_web_sm'")


@functools.lru_cache(maxsize=4)
def load_nlp(actor_files: tuple[str, ...] = ()):
    """The shared spaCy pipeline (loaded once per process)."""
    import spacy

    from . import components  # noqa: F401  registers the evkg components

    try:
        nlp = spacy.load(MODEL)
    except OSError as exc:
        raise ModelMissing(
            f"the spaCy model {MODEL} is not installed; install it from a wheel folder with "
            f"`pip install --no-index --find-links ../shared/wheels {MODEL}` or from spaCy's host with "
            f"`python -m spacy download {MODEL}`"
        ) from exc
    nlp.add_pipe("evkg_paragraphs", before="parser")
    nlp.add_pipe("evkg_actor_ruler", before="ner", config={"actor_files": list(actor_files)})
    nlp.add_pipe("evkg_lemmas", after="lemmatizer")
    nlp.add_pipe("evkg_name_joins", after="ner")
    return nlp


# Long texts -----------------------------------------------------------------------------

# Where a text longer than the limit may be cut, best first: after a blank line, after a line
# break, after the end of a sentence, after any whitespace.
_CUTS = (re.compile(r"\n[ \t]*\n\s*"), re.compile(r"\n\s*"), re.compile(r"[.!?][\"”’')\]]*\s+"), re.compile(r"\s+"))


def split_text(text: str, limit: int) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, cut on paragraph boundaries when it can
    (else line breaks, else sentence ends, else whitespace, else anywhere). The pieces
    concatenate back to exactly ``text``."""
    if limit < 1:
        raise ValueError("limit must be positive")
    pieces: list[str] = []
    start = 0
    while len(text) - start > limit:
        window = text[start: start + limit]
        cut = 0
        for pattern in _CUTS:
            last = None
            for last in pattern.finditer(window):
                pass
            if last is not None:
                cut = last.end()
                break
        if cut <= 0:
            cut = limit
        pieces.append(text[start: start + cut])
        start += cut
    pieces.append(text[start:])
    return pieces


def parse_texts(nlp, texts: Iterable[str], batch_size: int = 64, max_length: Optional[int] = None) -> Iterator[Doc]:
    """``nlp.pipe(texts)``, except that a text longer than ``max_length`` (default: the
    pipeline's ``max_length``) is parsed in pieces split on paragraph boundaries and merged
    back into one ``Doc`` whose character offsets index into the whole text."""
    limit = max_length or nlp.max_length
    texts = list(texts)
    short = [text for text in texts if len(text) <= limit]
    parsed = nlp.pipe(short, batch_size=batch_size) if short else iter(())
    for text in texts:
        if len(text) <= limit:
            yield next(parsed)
        else:
            yield parse_long(nlp, text, limit)


def parse_long(nlp, text: str, limit: int, batch_size: int = 1) -> Doc:
    """One ``Doc`` for a text longer than ``limit``: its pieces parsed (one at a time by default:
    spaCy's memory grows with the characters of a batch) and concatenated. To keep memory
    low only the annotations of each piece are kept (as ``Doc.from_docs`` merges them), not
    the piece, and the merged ``Doc`` has no ``tensor`` (evkg's extraction does not read it)."""
    words: list[str] = []
    spaces: list[bool] = []
    arrays = []
    for piece in nlp.pipe(split_text(text, limit), batch_size=batch_size):
        words.extend(token.text for token in piece)
        spaces.extend(bool(token.whitespace_) for token in piece)
        arrays.append(piece.to_array(_MERGE_ATTRS))
        del piece
    merged = Doc(nlp.vocab, words=words, spaces=spaces)
    merged.from_array(_MERGE_ATTRS, numpy.concatenate(arrays))  # heads are relative: they stay valid
    if merged.text != text:  # cannot happen: the pieces concatenate to the text
        raise AssertionError("merged Doc does not reproduce the text")
    return merged


# Every token annotation a Doc can carry (what Doc.from_docs and DocBin copy).
_MERGE_ATTRS = list(DOCBIN_ALL_ATTRS)


