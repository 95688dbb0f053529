"""evkg's spaCy components, registered by name and added in ``pipeline.nlp``.

* ``evkg_paragraphs``: line breaks start sentences, so headings, captions and paragraphs
  never run into the next sentence.
* ``evkg_actor_ruler``: an entity ruler, run before the statistical NER, that tags the
  actor names the alias table knows so NER does not split or miss them.
* ``evkg_name_joins``: joins an organisation's name split by NER at a joining word
  (``grammar.json: name_joining_words``: "the Tribunal of Appeal" + "for" + "the Tarsk Region")
  back into one name.
* ``evkg_lemmas``: corrects the lemmas of the word forms the model gets wrong
  (``resources/en/lemmas.json``), so a cue table of lemmas finds them.
"""

from __future__ import annotations

import json

import numpy

from spacy.attrs import LOWER
from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc, Span

from .lexicon import load_lexicon
from .resources import lexicon_path

SENTENCE_END = tuple(".!?:;\"”’')")
RULER_LABELS = {"Person": "PERSON", "Organization": "ORG", "Country": "GPE", "Group": "ORG"}


@Language.component("evkg_paragraphs")
def paragraph_breaks(doc: Doc) -> Doc:
    """In hard-wrapped text (most lines end mid-sentence) only a blank line or a line ending
    in closing punctuation starts a sentence; elsewhere every line break does."""
    breaks = [t for t in doc[1:-1] if t.is_space and "\n" in t.text]
    if not breaks:
        return doc
    open_ends = sum(1 for t in breaks if "\n\n" not in t.text and not doc[t.i - 1].text.endswith(SENTENCE_END))
    hard_wrapped = len(breaks) > 5 and open_ends > len(breaks) / 2
    for token in breaks:
        if not hard_wrapped or token.text.count("\n") > 1 or doc[token.i - 1].text.endswith(SENTENCE_END):
            doc[token.i + 1].is_sent_start = True
    return doc


@Language.factory("evkg_actor_ruler", default_config={"actor_files": []})
def make_actor_ruler(nlp: Language, name: str, actor_files: list[str]) -> EntityRuler:
    """Entity patterns for every known actor name and alias (not demonyms or seats)."""
    lexicon = load_lexicon(tuple(actor_files))
    ruler = EntityRuler(nlp, name=name, phrase_matcher_attr="ORTH", overwrite_ents=False)
    patterns = []
    for actor in lexicon.actors.values():
        for alias in (actor.name, *actor.aliases):
            # Two-letter words ("IS", "AP") are too ambiguous to force as entities; NER and
            # the alias table still see them.
            if len(alias) < 3:
                continue
            variants = {alias}
            if alias.startswith("the "):
                variants.add("The " + alias[4:])
            for variant in sorted(variants):
                patterns.append({"label": RULER_LABELS[actor.type], "pattern": variant, "id": actor.name})
    ruler.add_patterns(patterns)
    return ruler


@Language.factory("evkg_lemmas", default_config={"table": "en/lemmas.json"})
def make_lemma_fixes(nlp: Language, name: str, table: str):
    corrections = json.loads(lexicon_path(table).read_text(encoding="utf-8"))["corrections"]
    # the forms as string-store ids: the words are found on one array, not token by token
    lemma_of = {nlp.vocab.strings.add(form): lemma for form, lemma in corrections.items()}
    forms = numpy.array(sorted(lemma_of), dtype=numpy.uint64)

    def fix_lemmas(doc: Doc) -> Doc:
        lowers = doc.to_array(LOWER)
        for i in numpy.flatnonzero(numpy.isin(lowers, forms)):
            doc[int(i)].lemma_ = lemma_of[int(lowers[i])]
        return doc

    return fix_lemmas


JOINED_LABELS = ("ORG",)


@Language.factory("evkg_name_joins")
def make_name_joins(nlp: Language, name: str):
    joining = load_lexicon().grammar.name_joining_words

    def join_names(doc: Doc) -> Doc:
        ents = list(doc.ents)
        joined, changed = [], False
        for ent in ents:
            last = joined[-1] if joined else None
            if last is not None and last.label_ in JOINED_LABELS and ent.label_ in JOINED_LABELS and \
                    ent.start == last.end + 1 and doc[last.end].lower_ in joining:
                joined[-1] = Span(doc, last.start, ent.end, label=last.label_)
                changed = True
            else:
                joined.append(ent)
        if changed:
            doc.ents = joined
        return doc

    return join_names
