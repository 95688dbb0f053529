"""NLP stage: the spaCy pipeline evkg runs on every document.

``en_core_web_sm`` plus evkg's own registered components (added by name, configured from
the lexicon files in ``pipeline/resources``):

* ``evkg_actor_ruler``: an entity ruler, run before the statistical NER, that tags actor
  names the alias table knows (``IS-K``, ``the Kremlin``) so NER does not split them.
* ``evkg_cues``: marks attribution cue words (``Doc._.cues``), from ``cues.json``.

Extraction proper (``pipeline.extract``) reads the parsed ``Doc``.
"""

from __future__ import annotations

import functools
import warnings

from spacy.language import Language
from spacy.tokens import Doc

MODEL = "en_core_web_sm"


class ModelMissing(RuntimeError):
    pass


# en_core_web_sm 3.7.1 gives the same output under spaCy 3.8 (checked token for token), but
# spaCy warns (W095) that it was trained with 3.7.2. Silence only that warning.
warnings.filterwarnings("ignore", message=r".*\[W095\].*")


SENTENCE_END = tuple(".!?:;\"”’')")


@Language.component("evkg_paragraphs")
def paragraph_breaks(doc: Doc) -> Doc:
    """A blank line, or a line break after closing punctuation, starts a new sentence, so
    headings and paragraphs never run together (a hard-wrapped line inside a sentence does not)."""
    for token in doc[1:-1]:
        if token.is_space and "\n" in token.text:
            if token.text.count("\n") > 1 or doc[token.i - 1].text.endswith(SENTENCE_END):
                doc[token.i + 1].is_sent_start = True
    return doc


@functools.lru_cache(maxsize=4)
def load_nlp(actor_files: tuple[str, ...] = ()):
    """The shared spaCy pipeline (loaded once per process)."""
    import spacy

    from . import extract  # noqa: F401  registers the evkg components

    try:
        nlp = spacy.load(MODEL)
    except OSError as exc:
        raise ModelMissing(
            f"spaCy model {MODEL} is not installed: run 'make setup' or "
            f"'pip install --no-index --find-links ../shared/wheels {MODEL}'"
        ) from exc
    nlp.add_pipe("evkg_paragraphs", before="parser")
    nlp.add_pipe("evkg_actor_ruler", before="ner", config={"actor_files": list(actor_files)})
    nlp.add_pipe("evkg_cues", last=True, config={"actor_files": list(actor_files)})
    return nlp


