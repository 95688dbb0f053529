"""Extract: actors, events, claims and figures from a parsed spaCy ``Doc``.

Rule-based over the dependency parse; every word it reacts to comes from the lexicon
files (``pipeline/lexicon.py``). Two spaCy components are registered here and added by
name in ``pipeline.nlp``:

* ``evkg_actor_ruler``: entity patterns for the known actors' names and aliases, so the
  statistical NER does not split "Islamic State Khorasan" or miss "IS-K".
* ``evkg_cues``: marks cue tokens (``Doc._.cues``: ``(token index, lemma, entry number)``).

``extract(doc, document)`` then reads one document into an ``Extraction``:

* cue claims: a cue word (blame, deny, dismiss, warn, …) with its claimant (subject,
  passive agent, possessor, "according to", the speaker of a quote, a resolved pronoun)
  and targets found through the cue's target slots;
* reported responsibility: "X said (that) Y carried out / was behind / is responsible
  for …" gives X accuses Y (claims_responsibility when X is Y, denies when negated);
* figures (killed / injured / missing / detained counts with their qualifier);
* event mentions with their place and time expression.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Optional

from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc, Span, Token

from .lexicon import Cue, Lexicon, load_lexicon
from .model import (ActorMention, ClaimMention, Document, EventMention, Extraction,
                    FigureMention, TextSpan, TimeMention)

Doc.set_extension("cues", default=None, force=True)

ACTOR_LABELS = {"PERSON": "Person", "ORG": "Organization", "GPE": "Country", "NORP": "Group",
                "LOC": "Group"}
RULER_LABELS = {"Person": "PERSON", "Organization": "ORG", "Country": "GPE", "Group": "ORG"}
SUBJECTS = ("nsubj", "nsubjpass", "csubj")
CLAUSE_LINKS = ("ccomp", "xcomp", "advcl", "conj", "parataxis", "pcomp")
RELATIVE = {"who", "that", "which", "whom"}
FIRST_PERSON = {"i", "we", "me", "us", "my", "our", "ours"}
PERSONAL = {"he", "she", "him", "her", "his", "hers"}
NONPERSONAL = {"it", "its", "they", "them", "their", "theirs"}
OPEN_QUOTES = {"“", "‘", "«"}
CLOSE_QUOTES = {"”", "’", "»"}
STRAIGHT_QUOTES = {'"'}


# spaCy components ---------------------------------------------------------------------


@Language.factory("evkg_actor_ruler", default_config={"actor_files": []})
def make_actor_ruler(nlp: Language, name: str, actor_files: list[str]) -> EntityRuler:
    """Entity patterns for every known actor name and alias (not demonyms or seats)."""
    lexicon = load_lexicon(tuple(actor_files))
    ruler = EntityRuler(nlp, name=name, phrase_matcher_attr="ORTH", overwrite_ents=False)
    patterns = []
    for actor in lexicon.actors.values():
        for alias in (actor.name, *actor.aliases):
            # Bare two-letter words ("IS", "AP") and one-word common names ("West") are
            # too ambiguous to force as entities; NER and the alias table still see them.
            if len(alias) < 3 or " " not in alias and alias.istitle() and alias in ("West",):
                continue
            variants = {alias}
            if alias.startswith("the "):
                variants.add("The " + alias[4:])
            for variant in sorted(variants):
                patterns.append({"label": RULER_LABELS[actor.type], "pattern": variant, "id": actor.name})
    ruler.add_patterns(patterns)
    return ruler


@Language.factory("evkg_cues", default_config={"actor_files": []})
def make_cue_marker(nlp: Language, name: str, actor_files: list[str]):
    lexicon = load_lexicon(tuple(actor_files))

    def mark_cues(doc: Doc) -> Doc:
        found = []
        for token in doc:
            for key in (token.lemma_.lower(), token.lower_):
                entries = lexicon.cues.get(key)
                if entries:
                    for number, cue in enumerate(entries):
                        misread_verb = "VERB" in cue.pos and token.pos_ == "NOUN" and any(
                            c.dep_ == "dobj" for c in token.children)
                        if token.pos_ in cue.pos or misread_verb:
                            found.append((token.i, key, number))
                    break
        doc._.cues = found
        return doc

    return mark_cues


# Extraction ---------------------------------------------------------------------------


def extract(doc: Doc, document: Document, lexicon: Optional[Lexicon] = None) -> Extraction:
    """Everything evkg reads from one parsed document."""
    reader = _DocumentReader(doc, lexicon or load_lexicon())
    return reader.read(document)


class _DocumentReader:
    def __init__(self, doc: Doc, lexicon: Lexicon):
        self.doc = doc
        self.lex = lexicon
        self.sents = list(doc.sents)
        self.sent_index = {}
        for n, sent in enumerate(self.sents):
            for token in sent:
                self.sent_index[token.i] = n
        # Doc.text, Doc.ents and Token.sent are rebuilt on every access: keep them once
        self.text = doc.text
        self.ents = list(doc.ents)
        self.ent_at = {i: ent for ent in self.ents for i in range(ent.start, ent.end)}
        self.sent_ents: list[list[Span]] = [[] for _ in self.sents]
        for ent in self.ents:
            self.sent_ents[self.sent_index[ent.start]].append(ent)
        self.quoted = self._quoted_tokens()
        self.by_token: dict[int, ActorMention] = {}
        self.mentions: list[ActorMention] = []
        self._index_entities()
        self._index_institutions()
        self.rejecting_verbs = frozenset(
            lemma for lemma, cues in lexicon.cues.items() for c in cues
            if c.kind in ("disputes", "denies") and "VERB" in c.pos and not c.negated)
        self.claims: list[ClaimMention] = []
        self._antecedent_claim: Optional[ClaimMention] = None
        self.speakers: dict[int, list[ActorMention]] = {}

    def sent_of(self, token: Token) -> Span:
        return self.sents[self.sent_index[token.i]]

    # Actors -----------------------------------------------------------------------

    def _index_entities(self) -> None:
        for ent in self.ents:
            mention = self._entity_mention(ent)
            if mention is None:
                continue
            for token in ent:
                self.by_token[token.i] = mention
            self.mentions.append(mention)

    def _entity_mention(self, ent: Span) -> Optional[ActorMention]:
        if ent.label_ not in ACTOR_LABELS:
            return None
        tokens = list(ent)
        while tokens and (tokens[0].lower_ == "the" or tokens[0].is_punct):
            tokens = tokens[1:]
        while tokens and (tokens[-1].tag_ == "POS" or tokens[-1].is_punct or tokens[-1].text in ("'s", "’s")):
            tokens = tokens[:-1]
        if not tokens:
            return None
        titles = []
        title_words = self.lex.person_title_words
        while len(tokens) > 1 and tokens[0].text in title_words and ent.label_ == "PERSON":
            titles.append(tokens[0].text)
            tokens = tokens[1:]
        if all(t.text in self.lex.person_title_words or t.lower_ in self.lex.person_title_words for t in tokens):
            return None  # a bare title ("the President") is never an actor's name
        name = self.doc[tokens[0].i: tokens[-1].i + 1].text
        if "(" in name and ")" not in name:  # "Balochistan Liberation Front (BLF"
            name = name.split("(")[0].strip()
            tokens = [t for t in tokens if t.idx + len(t.text) <= tokens[0].idx + len(name)]
            if not tokens or not name:
                return None
        if name in self.lex.not_actors:
            return None
        if len(tokens) == 1 and self._is_institution_noun(tokens[0]):
            return None  # "the Embassy" alone: resolved to the last embassy named
        canonical = ent.ent_id_ or self.lex.canonical(name)
        if ent.label_ in ("NORP", "LOC") and canonical is None:
            return None  # a nationality or a region on its own is not an actor
        if any(c.isdigit() for c in name) or len(name) < 2:
            return None
        if canonical:
            actor_type = self.lex.actors[canonical].type
        else:
            actor_type = ACTOR_LABELS[ent.label_]
        role = self._role_before(ent) if actor_type == "Person" else None
        if titles:
            role = " ".join(filter(None, [role, *titles]))
        start = tokens[0].idx
        end = tokens[-1].idx + len(tokens[-1].text)
        return ActorMention(name=name, type=actor_type, start=start, end=end,
                            surface=self.text[self._np_start(ent):end], role=role or None,
                            canonical=canonical)

    def _np_start(self, ent: Span) -> int:
        left = ent.root.left_edge
        for token in self.doc[left.i: ent.start]:
            if token.dep_ in ("det", "poss", "punct", "case", "prep", "cc") or token.pos_ == "ADP":
                left = self.doc[token.i + 1]
            else:
                break
        return min(left.idx, ent.start_char)

    def _role_before(self, ent: Span) -> Optional[str]:
        """The title the noun phrase gives a person: 'Russian Foreign Ministry spokeswoman'."""
        start = self._np_start(ent)
        if start >= ent.start_char:
            return None
        role = self.text[start: ent.start_char].strip(" ,")
        return role or None

    def _index_institutions(self) -> None:
        """'US officials' -> United States; 'the US embassy in Moscow' -> a templated actor."""
        for token in self.doc:
            if token.i in self.by_token or token.pos_ not in ("NOUN", "PROPN"):
                continue
            for inst in self.lex.institutions:
                if token.text not in inst["nouns"] and token.lemma_ not in inst["nouns"]:
                    continue
                country = self._country_modifier(token)
                if country is None:
                    if inst["actor"] == "country":
                        # "a Hezbollah spokesman", "Kremlin officials": whoever they speak for
                        mention = self._organisation_modifier(token)
                        if mention:
                            self.by_token[token.i] = mention
                            self.mentions.append(mention)
                    break
                mention = self._institution_mention(token, inst, country)
                if mention:
                    self.by_token[token.i] = mention
                    self.mentions.append(mention)
                break

    def _country_modifier(self, token: Token) -> Optional[str]:
        modifiers = [c for c in token.children if c.dep_ in ("amod", "compound", "nmod", "poss") and c.i < token.i]
        if token.dep_ == "compound" and token.i > 0:
            before = self.doc[token.i - 1]  # a flat compound: "U.S. intelligence corroborates"
            if before.dep_ == "compound" and before.head.i == token.head.i:
                modifiers.append(before)
        for child in modifiers:
            country = self.lex.country_of(self._phrase(child))
            if country:
                return country
        return None

    def _organisation_modifier(self, token: Token) -> Optional[ActorMention]:
        for child in token.children:
            if child.dep_ in ("compound", "poss", "nmod") and child.i < token.i and child.i in self.by_token:
                owner = self.by_token[child.i]
                if owner.type in ("Organization", "Group"):
                    start = token.left_edge.idx
                    end = token.idx + len(token.text)
                    return replace(owner, start=start, end=end, surface=self.text[start:end], role=None)
        return None

    def _phrase(self, token: Token) -> str:
        """The name a modifier token belongs to ('United' in 'United States' -> 'United States')."""
        ent = self.ent_at.get(token.i)
        if ent is None:
            return token.text
        text = ent.text
        for suffix in ("'s", "’s", "'", "’"):
            if text.endswith(suffix):
                text = text[: -len(suffix)]
        return text

    def _institution_mention(self, token: Token, inst: dict, country: str) -> Optional[ActorMention]:
        template = inst["actor"]
        start = token.left_edge.idx
        end = token.idx + len(token.text)
        if template == "country":
            actor = self.lex.actors[country]
            return ActorMention(name=country, type=actor.type, start=start, end=end,
                                surface=self.text[start:end], canonical=country)
        host = None
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in inst.get("host_preps", ()):
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        place = self._phrase(pobj)
                        host_country = self.lex.country_of(place)
                        if "{host_country}" in template:
                            host = host_country or self.lex.canonical(place) or place
                        elif host_country and self.lex.capitals.get(host_country):
                            host = self.lex.capitals[host_country]  # embassy "in Russia" = in Moscow
                        else:
                            host = place
                        end = max(end, pobj.idx + len(pobj.text))
        if host is None and "{host" in template:
            name = inst["fallback"].format(country=country)
        else:
            name = template.format(country=country, host=host, host_country=host)
        return ActorMention(name=name, type=inst.get("type", "Organization"), start=start, end=end,
                            surface=self.text[start:end], canonical=name)

    def _is_institution_noun(self, token: Token) -> bool:
        return any(token.text in inst["nouns"] or token.lemma_ in inst["nouns"] for inst in self.lex.institutions)

    def _last_group(self, token: Token) -> Optional[ActorMention]:
        """The group or organisation most recently named within the last three sentences."""
        n = self.sent_index[token.i]
        for mention in reversed(self.mentions):
            if mention.start < token.idx and mention.type in ("Group", "Organization"):
                span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
                if span is not None and n - self.sent_index[span[0].i] <= 3:
                    return mention
                return None
        return None

    def _anaphoric_institution(self, token: Token) -> Optional[ActorMention]:
        """'the Embassy' alone: the last embassy the document named."""
        for inst in self.lex.institutions:
            if inst.get("anaphoric") and (token.text in inst["nouns"] or token.lemma_ in inst["nouns"]):
                words = {n.lower() for n in inst["nouns"]}
                for mention in reversed(self.mentions):
                    if mention.start < token.idx and any(w in mention.name.lower().split() for w in words):
                        return replace(mention, start=token.idx, end=token.idx + len(token.text),
                                       surface=token.text)
        return None

    def _group_mention(self, token: Token) -> Optional[ActorMention]:
        """A generic collective the text names ('radical Islamists'), kept as written."""
        if token.lemma_.lower() not in self.lex.word_lists.get("group_nouns", ()) and \
                token.lower_ not in self.lex.word_lists.get("group_nouns", ()):
            return None
        if token.tag_ not in ("NNS", "NNPS"):
            return None
        mods = [c for c in token.children if c.dep_ in ("amod", "compound") and c.i < token.i]
        if not mods:
            return None
        start = min(m.left_edge.idx for m in mods)
        text = self.text[start: token.idx + len(token.text)]
        name = text[0].upper() + text[1:]
        return ActorMention(name=name, type="Group", start=start, end=token.idx + len(token.text),
                            surface=text)

    def actor_of(self, token: Token) -> Optional[ActorMention]:
        """The actor the token names or refers to, if any."""
        if token.i in self.by_token:
            return self.by_token[token.i]
        if token.pos_ == "PRON":
            return self._resolve_pronoun(token)
        if token.pos_ == "PROPN" and not token.ent_type_:
            known = self.lex.canonical(token.text)  # a known name NER missed ("Kyiv rejected …")
            if known:
                return ActorMention(name=known, type=self.lex.actors[known].type, start=token.idx,
                                    end=token.idx + len(token.text), surface=token.text, canonical=known)
        for child in token.children:  # "its main rival, the Awami National Party"
            if child.dep_ == "appos" and child.i in self.by_token and not any(
                    g.lower_ in self.lex.collective_markers for g in child.children):
                return self.by_token[child.i]
        if token.lemma_.lower() in self.lex.word_lists.get("descriptor_nouns", ()):
            # "the terror organisation ISIS-K", "the group Hamas"
            for child in token.children:
                if child.dep_ in ("appos", "compound", "npadvmod") and child.i in self.by_token:
                    return self.by_token[child.i]
            if any(c.dep_ == "det" and c.lower_ == "the" for c in token.children) and token.tag_ == "NN":
                return self._last_group(token)  # "the group said it carried out the attack"
            return None
        return self._group_mention(token) or self._anaphoric_institution(token)

    def actors_at(self, token: Token) -> list[ActorMention]:
        """The actors a noun phrase names: members of a collective, conjuncts, or itself."""
        members = self._members(token)
        if members:
            return members
        first = self.actor_of(token)
        if first is None:
            return []
        found = [first]
        for conj in token.conjuncts:
            if conj.i > token.i:
                other = self.actor_of(conj)
                if other and other not in found:
                    found.append(other)
        return found

    def _members(self, token: Token) -> list[ActorMention]:
        """'Russian authorities, including Bortnikov and Putin' -> Bortnikov, Putin."""
        markers = self.lex.collective_markers
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in markers:
                return [m for pobj in child.children if pobj.dep_ == "pobj" for m in self.actors_at(pobj)]
            if child.dep_ == "appos" and any(g.lower_ in markers for g in child.children):
                members = [self.actor_of(child)] + [self.actor_of(c) for c in child.conjuncts]
                return [m for m in members if m]
        return []

    def owner_of(self, token: Token, depth: int = 0) -> list[ActorMention]:
        """Whose thing a noun is: 'Ukraine's involvement', 'American warnings', 'claims by X'."""
        if depth > 3:
            return []
        for child in token.children:
            if child.dep_ == "poss":
                found = self.actors_at(child)
                if found:
                    return found
        for child in token.children:
            if child.dep_ in ("amod", "compound", "nmod") and child.i < token.i:
                found = self.actors_at(child)
                if found:
                    return found
                known = self.lex.country_of(self._phrase(child)) or self.lex.canonical(child.text)
                if known:
                    return [ActorMention(name=known, type=self.lex.actors[known].type, start=child.idx,
                                         end=child.idx + len(child.text), surface=child.text,
                                         canonical=known)]
        for pobj in self._pobjs(token, ("of", "by", "from")):
            found = self.actors_at(pobj) or self.owner_of(pobj, depth + 1)
            if found:
                return found
        for adjective in token.children:
            if adjective.dep_ == "amod" and adjective.pos_ == "ADJ":  # "sources familiar with X"
                for pobj in self._pobjs(adjective):
                    found = self.actors_at(pobj)
                    if found:
                        return found
        return []

    @staticmethod
    def _pobjs(token: Token, words: Optional[tuple[str, ...]] = None,
               deps: tuple[str, ...] = ("prep", "dative")) -> list[Token]:
        """Objects of the prepositions (``deps``) hanging on ``token``, optionally only ``words``."""
        return [pobj for prep in token.children if prep.dep_ in deps and (words is None or prep.lower_ in words)
                for pobj in prep.children if pobj.dep_ in ("pobj", "pcomp")]

    def actor_or_owner(self, token: Token) -> list[ActorMention]:
        return self.actors_at(token) or self.owner_of(token)

    # Pronouns and speakers --------------------------------------------------------------

    def _quoted_tokens(self) -> set[int]:
        quoted: set[int] = set()
        for sent in self.sents:
            inside = False
            for token in sent:
                text = token.text
                if text in OPEN_QUOTES or (text in STRAIGHT_QUOTES and not inside):
                    inside = True
                    continue
                if text in CLOSE_QUOTES or (text in STRAIGHT_QUOTES and inside):
                    inside = False
                    continue
                if inside:
                    quoted.add(token.i)
        return quoted

    def quote_speaker(self, token: Token) -> list[ActorMention]:
        """Who is quoted: the subject of a speech verb outside the quotes, in this sentence or
        the nearest one before."""
        n = self.sent_index[token.i]
        for m in (n, n + 1, n - 1):
            if 0 <= m < len(self.sents):
                for verb in self.sents[m]:
                    if verb.lemma_ in self.lex.speech_verbs and verb.i not in self.quoted and verb.pos_ == "VERB":
                        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
                        for subject in subjects:
                            if subject.i in self.quoted:
                                continue
                            found = self.actors_at(subject)
                            if found:
                                return found
        return []

    def _resolve_pronoun(self, token: Token) -> Optional[ActorMention]:
        word = token.lower_
        if word in FIRST_PERSON:
            if token.i in self.quoted:
                speakers = self.quote_speaker(token)
                return speakers[0] if speakers else None
            return None
        if word not in PERSONAL and word not in NONPERSONAL:
            return None
        # Inside "X said (that) he/it …" the pronoun is X.
        clause = token.head
        while clause.dep_ in ("xcomp", "conj", "aux") and clause.head.i != clause.i:
            clause = clause.head
        if clause.dep_ == "ccomp" and clause.head.lemma_ in self.lex.speech_verbs:
            for subject in clause.head.children:
                if subject.dep_ == "nsubj" and subject.i != token.i and subject.pos_ != "PRON":
                    found = self.actors_at(subject)
                    if found and (found[0].type == "Person") == (word in PERSONAL):
                        return found[0]
        # Otherwise the nearest subject of the right kind before it: in this sentence, then
        # in the previous one (speakers and agents are what pronouns mostly refer back to).
        want_person = word in PERSONAL
        n = self.sent_index[token.i]
        for m in (n, n - 1):
            if m < 0:
                break
            candidates = [t for t in self.sents[m] if t.i < token.i and t.dep_ in ("nsubj", "nsubjpass")
                          and t.pos_ != "PRON"]
            for subject in reversed(candidates):
                found = self.actors_at(subject)
                if found and (found[0].type == "Person") == want_person:
                    return found[0]
        if want_person:
            for mention in reversed(self.mentions):  # he/she: the last person named nearby
                if mention.type == "Person" and mention.start < token.idx:
                    span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
                    if span is not None and n - self.sent_index[span[0].i] <= 2:
                        return mention
                    break
        return None

    # Claims -------------------------------------------------------------------------------

    def subject_actors(self, verb: Token, depth: int = 0) -> list[ActorMention]:
        """Who does ``verb``: its subject, its passive agent, or the subject it inherits."""
        if depth > 6:
            return []
        for pobj in self._pobjs(verb, deps=("agent",)):
            found = self.actor_or_owner(pobj)
            if found:
                return found
        subjects = [verb.head if c.lower_ in RELATIVE and verb.dep_ == "relcl" else c
                    for c in verb.children if c.dep_ in ("nsubj", "csubj")]
        subjects.sort(key=lambda t: t.i not in self.by_token)  # named actors before descriptions
        for subject in subjects:  # the parser may give two ("the organisation ISIS-K")
            found = self.actors_at(subject)
            if found:
                return found
        for subject in subjects:
            found = self._source_owner(subject, depth)
            if found:
                return found
        if subjects:
            return []
        if verb.pos_ in ("ADP", "ADV", "SCONJ") and verb.head.i != verb.i:
            return self.subject_actors(verb.head, depth + 1)  # "… going as far as calling it …"
        if verb.dep_ == "ROOT" and verb.tag_ in ("VBD", "VBZ", "VBP"):
            orphan = self._orphan_subject(verb)
            if orphan:
                return orphan
        passive_subjects = [c for c in verb.children if c.dep_ == "nsubjpass"]
        for child in passive_subjects:  # "This intelligence was reported to be …, pointing to …"
            found = self._source_owner(child, depth)
            if found:
                return found
        if passive_subjects and verb.dep_ == "conj":
            return []  # "… was performed by X, but the film is set to suggest …": not X
        if verb.pos_ in ("NOUN", "PROPN"):
            # A verb the tagger read as a noun ("U.S. intelligence corroborates …"): its
            # subject is the noun compound before it.
            compounds = [c for c in verb.children if c.dep_ == "compound" and c.i < verb.i]
            if compounds:
                return self.actors_at(compounds[-1]) or self._source_owner(compounds[-1], depth)
            return []
        if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN"):
            if any(c.lower_ == "to" and c.dep_ == "aux" for c in verb.children):
                return self.nominal_claimant(verb.head, depth + 1)  # "had no reason to doubt"
            return []
        if verb.dep_ == "conj" and verb.head.i != verb.i:
            speaker = self._conjoined_reporter(verb, depth)
            if speaker:
                return speaker
        if verb.dep_ in CLAUSE_LINKS and verb.head.i != verb.i:
            return self.subject_actors(verb.head, depth + 1)
        if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
            if verb.tag_ in ("VBD", "VBN") and not any(
                    c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "of") for c in verb.children):
                found = self.actors_at(verb.head)  # misparsed "officials, including X, insinuated …"
                if found:
                    return found
            return self.nominal_claimant(verb.head, depth + 1)
        return []

    def _passive_without_agent(self, verb: Token) -> bool:
        children = list(verb.children)
        # A participle hanging on a noun is a passive ("forces accused of torture") unless it
        # governs a that-clause ("officials, including X, insinuated that …": a misparse).
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in children) or (
            verb.tag_ == "VBN" and verb.dep_ in ("acl", "relcl") and verb.head.pos_ in ("NOUN", "PROPN")
            and not any(t.dep_ == "mark" and t.lower_ == "that" for t in verb.subtree))
        return passive and not any(c.dep_ == "agent" for c in children)

    def _orphan_subject(self, verb: Token) -> list[ActorMention]:
        """A finite main verb the parser left without subject ("Despite the alert, Russian
        authorities, including …, criticized …"): the nearest actor phrase before it that is
        not inside a clause of its own."""
        sent = self.sent_of(verb)
        for token in reversed(list(sent[: verb.i - sent.start])):
            if token.pos_ in ("VERB", "AUX") and token.dep_ not in ("prep",):
                break
            if token.dep_ in ("appos", "npadvmod", "nsubj") and token.pos_ in ("NOUN", "PROPN"):
                found = self.actors_at(token)
                if found:
                    return found
        return []

    def _conjoined_reporter(self, verb: Token, depth: int) -> list[ActorMention]:
        """'He said that X was responsible and questioned Y': the parser may hang a reporting
        verb (a dispute or denial cue) on the reported clause; its subject is the reporter."""
        if not any(verb.lemma_ == cue.lemma and cue.kind in ("disputes", "denies")
                   for cue in self.lex.cues.get(verb.lemma_, ())):
            return []
        node = verb.head
        while node.dep_ in ("ccomp", "xcomp", "conj") and node.head.i != node.i:
            node = node.head
            if node.lemma_ in self.lex.speech_verbs and node.i != verb.head.i:
                return self.subject_actors(node, depth + 1)
        return []

    def _source_owner(self, noun: Token, depth: int) -> list[ActorMention]:
        """The actor behind a source noun: 'U.S. intelligence', 'it has intelligence that …'."""
        if noun.lemma_.lower() not in self.lex.source_nouns and noun.lower_ not in self.lex.source_nouns:
            return []
        found = self.owner_of(noun)
        if found:
            return found
        if noun.dep_ in ("dobj", "nsubj") and noun.head.pos_ in ("VERB", "AUX") and noun.dep_ == "dobj":
            return self.subject_actors(noun.head, depth + 1)
        if any(c.lower_ in ("this", "that", "the", "these") for c in noun.children):
            n = self.sent_index[noun.i]
            for claim in reversed(self.claims):
                if n - claim.sentence_index <= 2:
                    self._antecedent_claim = claim  # "This intelligence …": that claim's source and time
                    return [claim.claimant]
        return []

    def nominal_claimant(self, noun: Token, depth: int = 0) -> list[ActorMention]:
        """Who makes a nominal claim: 'Zakharova's dismissal', 'claims by IS-K', 'X issued a warning'."""
        for child in noun.children:
            if child.dep_ == "poss":
                found = self.actors_at(child)
                if found:
                    return found
        # "claims of responsibility by X": the by-phrase may hang on the of-object
        holders = [noun] + self._pobjs(noun, ("of",))
        for pobj in (p for holder in holders for p in self._pobjs(holder, ("by", "from"))):
            found = self.actor_or_owner(pobj)
            if found:
                return found
        head = noun.head
        if noun.dep_ in ("dobj", "nsubjpass") and head.lemma_ in self.lex.light_verbs:
            return self.subject_actors(head, depth + 1)
        if noun.dep_ == "conj":
            return self.nominal_claimant(head, depth + 1)
        return []

    def according_to(self, anchor: Token) -> list[ActorMention]:
        """'according to X', when it modifies the clause ``anchor`` belongs to."""
        chain = {anchor.i} | {a.i for a in anchor.ancestors}
        for token in self.sent_of(anchor):
            if token.lower_ == "according" and token.head.i in chain:
                for pobj in self._pobjs(token, ("to",)):
                    # "according to Kremlin", "according to US intelligence"; not
                    # "according to a French journalist" (a journalist is not France)
                    found = self.actors_at(pobj) or self._source_owner(pobj, 0)
                    if found:
                        return found
        return []

    def claimant_of(self, cue_token: Token, cue: Cue) -> list[ActorMention]:
        if cue_token.pos_ == "NOUN" and "VERB" in cue.pos and "NOUN" not in cue.pos:
            return self.subject_actors(cue_token)  # a verb the tagger read as a noun
        if cue_token.pos_ == "VERB" and self._passive_without_agent(cue_token):
            # "X is warned …", "Y was blamed for …": who did it is not said here (the
            # reporter of the sentence is not the one who blamed)
            return self.according_to(cue_token)
        if cue_token.pos_ == "VERB":
            found = self.subject_actors(cue_token)
        elif cue_token.pos_ == "ADJ":
            found = self.nominal_claimant(cue_token.head)
        else:
            found = self.nominal_claimant(cue_token)
        if not found:
            found = self.according_to(cue_token)
        if not found and cue_token.i in self.quoted and not any(
                c.dep_ in SUBJECTS for c in cue_token.children):
            found = self.quote_speaker(cue_token)
        return found

    def _negated(self, token: Token) -> bool:
        """Is the cue itself negated ('did not blame', 'no evidence of', 'no reason to doubt')?

        Negation of a governing verb does not reach a nominal cue in its object: in 'had no
        reason to doubt X's claim' the doubt is negated, the claim is not."""
        if any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ in ("no", "neither")) for c in token.children):
            return True
        if token.dep_ == "pobj" and token.head.lower_ == "without":
            return True
        if token.pos_ != "VERB":
            return False
        head = token.head
        if token.dep_ == "xcomp" and head.pos_ in ("VERB", "AUX"):  # "did not want to blame", "have yet to claim"
            return any(c.dep_ == "neg" or c.lower_ == "yet" for c in head.children)
        if token.dep_ in ("relcl", "acl") and head.pos_ == "NOUN" and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in token.children):  # "no reason to doubt"
            return any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in head.children) or (
                head.head.pos_ in ("VERB", "AUX") and any(c.dep_ == "neg" for c in head.head.children))
        return False

    def _object_tokens(self, cue_token: Token) -> list[Token]:
        skip = {"nsubj", "nsubjpass", "agent", "csubj", "aux", "auxpass", "punct"}
        tokens = []
        for child in cue_token.children:
            if child.dep_ in skip and not (child.dep_ == "nsubjpass"):
                continue
            tokens.extend(child.subtree)
        return tokens

    def _requirements_met(self, cue_token: Token, cue: Cue) -> bool:
        if cue.requires_context:
            others = [t for t in self.sent_of(cue_token) if t.i != cue_token.i]
            words = {t.lemma_.lower() for t in others} | {t.lower_ for t in others}
            if not words & cue.requires_context:
                return False
        if not cue.requires:
            return True
        if cue.requires_object:
            objects = [c for c in cue_token.children if c.dep_ in ("dobj", "nsubjpass")]
            return any(o.lemma_.lower() in cue.requires or o.lower_ in cue.requires for o in objects)
        if cue.requires_scope == "clause":
            scope = list(self.sent_of(cue_token))
        elif cue.requires_scope == "head":  # "the attack, claimed by X" / "the attack was claimed by X"
            scope = [cue_token.head] if cue_token.dep_ in ("acl", "relcl") else []
            scope += [c for c in cue_token.children if c.dep_ == "nsubjpass"]
        else:
            scope = self._object_tokens(cue_token)
            if cue.requires_scope == "object_or_head" and cue_token.dep_ in ("acl", "relcl"):
                scope.append(cue_token.head)
        return any(t.lemma_.lower() in cue.requires or t.lower_ in cue.requires for t in scope if t.i != cue_token.i)

    def _objects(self, cue_token: Token) -> list[Token]:
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in cue_token.children)
        deps = ("nsubjpass",) if passive else ("dobj", "dative", "attr")
        found = [cue_token.head if c.lower_ in RELATIVE and cue_token.dep_ == "relcl" else c
                 for c in cue_token.children if c.dep_ in deps]  # "Iran, which Washington blames"
        if not found and cue_token.dep_ in ("acl", "relcl") and cue_token.tag_ == "VBN":
            found = [cue_token.head]  # "a claim that was refuted by …": the claim is the object
        return found

    def targets_of(self, cue_token: Token, cue: Cue, claimants: list[ActorMention]) -> list[ActorMention]:
        for slot in cue.targets:
            found = self._slot(cue_token, cue, slot, claimants)
            if found:
                return found
        return []

    def _slot(self, cue_token: Token, cue: Cue, slot: str, claimants) -> list[ActorMention]:
        if slot == "self":
            # "denied the allegations" is about the denier; "denied claims that the man was
            # killed at a crossing" is about something else
            if any(t.dep_ in ("acl", "ccomp") and t.head.dep_ in ("dobj", "pobj") for t in cue_token.subtree):
                return []
            return list(claimants)
        if slot == "object":
            for obj in self._objects(cue_token):
                found = self.actors_at(obj) or self.owner_of(obj)
                if found:
                    return found
            return []
        if slot == "object_owner":
            for obj in self._objects(cue_token):
                found = self.actors_at(obj) or self.owner_of(obj) or self.claim_holder(obj, claimants)
                if found:
                    return found
            return []
        if slot.startswith("prep:") or slot.startswith("head_prep:"):
            word = slot.split(":", 1)[1]
            anchor = cue_token.head if slot.startswith("head_prep:") else cue_token
            pobjs = self._pobjs(anchor, (word,))
            for obj in self._objects(cue_token):
                pobjs.extend(self._pobjs(obj, (word,)))
            for pobj in pobjs:
                found = self.actors_at(pobj) or self.owner_of(pobj) or self.claim_holder(pobj, claimants)
                if found:
                    return found
            return []
        if slot == "clause_subject":
            # the subject of the that-clause the cue governs, also when the parser hung the
            # clause lower ("insinuated without evidence that Ukraine might be involved")
            skip = {"nsubj", "nsubjpass", "agent"}
            queue = [c for c in cue_token.children if c.dep_ not in skip]
            while queue:
                node = queue.pop(0)
                if node.dep_ in ("ccomp", "xcomp") or (
                        node.dep_ in ("acl", "advcl") and any(m.dep_ == "mark" and m.lower_ == "that" for m in node.children)):
                    for subject in node.children:
                        if subject.dep_ in ("nsubj", "nsubjpass"):
                            found = self.actors_at(subject) or self.owner_of(subject)
                            if found:
                                return found
                if node.dep_ in ("prep", "pobj", "dobj"):
                    queue.extend(node.children)
            return []
        if slot == "clause_subject_responsible":
            # "denied that it was involved": only a clause about involvement, not "denied that
            # the journalist was killed"
            words = self.lex.word_lists["involvement_words"] | self.lex.word_lists["responsibility_predicates"]
            objects = [t for c in cue_token.children if c.dep_ not in ("nsubj", "nsubjpass", "agent")
                       for t in c.subtree]
            for node in objects:
                if node.dep_ in ("ccomp", "acl", "relcl") and any(
                        t.lemma_.lower() in words or t.lower_ in words for t in node.subtree):
                    for subject in node.children:
                        if subject.dep_ in ("nsubj", "nsubjpass"):
                            found = self.actors_at(subject)
                            if found:
                                return found
            return []
        if slot == "clause_subject_of_head":
            node = cue_token.head
            while node.pos_ not in ("VERB", "AUX") and node.head.i != node.i:
                node = node.head
            for child in node.children:
                if child.dep_ in ("nsubj", "nsubjpass"):
                    return self.actors_at(child)
            return []
        if slot == "compound":
            for child in cue_token.children:
                if child.dep_ in ("compound", "amod", "poss", "nmod"):
                    found = self.actors_at(child) or self.owner_of(cue_token)
                    if found:
                        return found
            return []
        if slot == "acl_object":
            for child in cue_token.children:
                if child.dep_ in ("acl", "relcl"):
                    for obj in self._objects(child):
                        found = self.actors_at(obj)
                        if found:
                            return found
            return []
        if slot == "attack_place":
            # Intelligence about a planned attack in X, with no addressee named, went to X.
            for token in cue_token.subtree:
                if self.lex.event_words.get(token.lemma_) == "Attack":
                    for pobj in self._pobjs(token, ("in", "on")):
                        country = self.lex.country_of(self._phrase(pobj))
                        if country:
                            return [ActorMention(name=country, type="Country", start=pobj.idx,
                                                 end=pobj.idx + len(pobj.text), surface=pobj.text,
                                                 canonical=country)]
            return []
        raise ValueError(f"unknown target slot {slot!r} in cues.json")

    def claim_holder(self, noun: Token, claimants: list[ActorMention]) -> list[ActorMention]:
        """Who holds a claim a dispute or confirmation refers back to ('the advice', 'these claims')."""
        if noun.pos_ == "PRON":
            antecedent = self._claim_noun_before(noun)
            if antecedent is not None:
                return self.owner_of(antecedent) or self.claim_holder(antecedent, claimants)
        word = noun.lemma_.lower()
        if word not in self.lex.word_lists["claim_nouns"] and noun.lower_ not in self.lex.word_lists["claim_nouns"]:
            return []
        prefer = self.lex.claim_noun_kinds.get(word)  # "the advice" refers back to a warning
        n = self.sent_index[noun.i]
        excluded = {a.canonical or a.name for a in claimants}
        candidates = [c for c in reversed(self.claims)
                      if n - c.sentence_index <= 3 and (c.claimant.canonical or c.claimant.name) not in excluded]
        if prefer:
            for claim in candidates:
                if claim.kind == prefer:
                    return [claim.claimant]
        if noun.lower_ in ("it", "them", "this", "that", "these", "those") or word in ("claim", "allegation", "accusation", "suggestion", "assertion"):
            for claim in candidates:
                return [claim.claimant]
        return []

    def _claim_noun_before(self, pronoun: Token) -> Optional[Token]:
        """The nearest claim noun ('warnings from the US') before a pronoun, this or last sentence."""
        n = self.sent_index[pronoun.i]
        nouns = self.lex.word_lists["claim_nouns"]
        for m in (n, n - 1):
            if m < 0:
                break
            for token in reversed(self.sents[m]):
                if token.i < pronoun.i and token.pos_ == "NOUN" and token.lemma_.lower() in nouns:
                    return token
        return None

    def hedged(self, cue_token: Token, cue: Cue) -> bool:
        if cue.hedged:
            return True
        scope = list(cue_token.children) + [g for c in cue_token.children for g in c.children]
        for child in cue_token.children:
            if child.dep_ in ("ccomp", "xcomp"):
                scope.extend(c for c in child.children if c.dep_ == "aux")
        return any(t.lemma_.lower() in self.lex.hedge_words or t.lower_ in self.lex.hedge_words for t in scope)

    def time_of(self, cue_token: Token) -> Optional[TimeMention]:
        """The date expression attached to the cue or to the clauses that report it."""
        chain = [cue_token]
        node = cue_token
        if cue_token.pos_ in ("NOUN", "ADJ"):
            # a nominal claim is dated by the verb that makes it ("issued a warning on March 7"),
            # not by whatever verb mentions it ("stated on Friday that … X's claim …")
            if cue_token.head.lemma_ not in self.lex.light_verbs or cue_token.dep_ not in ("dobj", "nsubjpass"):
                chain = [cue_token]
                return self._time_on(chain, cue_token)
            node = cue_token.head
            chain.append(node)
        while node.head.i != node.i:
            head = node.head
            if node.dep_ in CLAUSE_LINKS and head.pos_ in ("VERB", "AUX"):
                node = head
            elif node.dep_ in ("relcl", "acl") and any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children) \
                    and head.dep_ in ("dobj", "attr") and head.head.pos_ in ("VERB", "AUX"):
                node = head.head  # "stated that Washington had no reason to doubt …"
            else:
                break
            chain.append(node)
        return self._time_on(chain, cue_token)

    def _time_on(self, chain: list[Token], cue_token: Token) -> Optional[TimeMention]:
        best = None
        for ent in self.sent_ents[self.sent_index[cue_token.i]]:
            if ent.label_ != "DATE" or self._vague(ent):
                continue
            attachment = ent.root.head
            while attachment.pos_ not in ("VERB", "AUX") or (attachment.dep_ == "acl" and attachment.head.i != attachment.i):
                if attachment.head.i == attachment.i:
                    break
                attachment = attachment.head
            if attachment in chain:
                rank = chain.index(attachment)
                if best is None or rank < best[0]:
                    best = (rank, ent)
        if best is None:
            return None
        ent = best[1]
        return TimeMention(text=ent.text, start=ent.start_char, end=ent.end_char)

    def _vague(self, ent: Span) -> bool:
        return any(t.lower_ in self.lex.vague_time_words for t in ent)

    def event_near(self, token: Token) -> Optional[EventMention]:
        for t in list(token.subtree) + list(self.sent_of(token)):
            kind = self.lex.event_words.get(t.lemma_.lower())
            if kind == "Attack" and t.pos_ in ("NOUN", "VERB"):
                return self._event_mention(t)
        return None

    def _is_commentary_heading(self, sent: Span) -> bool:
        text = sent.text.strip().lower().replace("’", "'")
        return any(text.startswith(h) for h in self.lex.word_lists.get("commentary_headings", ()))

    def _cue_claims(self, sentence_index: int, sent: Span) -> None:
        entries = [(i, lemma, n) for (i, lemma, n) in self.doc._.cues if sent.start <= i < sent.end]
        for i, lemma, number in entries:
            token = self.doc[i]
            cue = self.lex.cues[lemma][number]
            negated = self._negated(token)
            if cue.only_negated and not negated:
                continue
            kind = cue.kind
            if negated:
                if not cue.negated:
                    continue
                kind = cue.negated
            if not self._requirements_met(token, cue):
                continue
            self._antecedent_claim = None
            claimants = self.claimant_of(token, cue)
            if not claimants:
                continue
            targets = self.targets_of(token, cue, claimants)
            if kind == "claims_responsibility":
                targets = list(claimants)
            hedged = self.hedged(token, cue) and kind != "claims_responsibility"
            self._add_claims(claimants, targets, kind, hedged, token, sentence_index, sent)
            if cue.also and not negated:
                also_targets = []
                for slot in cue.also.targets:
                    word = slot.split(":", 1)[1] if ":" in slot else None
                    for pobj in (self._pobjs(token, (word,)) if word else []):
                        if cue.also.requires_predicate and not any(
                                c.dep_ in ("acl", "relcl", "xcomp") for c in pobj.children):
                            continue
                        also_targets.extend(self.actors_at(pobj))
                    if also_targets:
                        break
                self._add_claims(claimants, also_targets, cue.also.kind, False, token, sentence_index, sent)

    def _reported_responsibility(self, sentence_index: int, sent: Span) -> None:
        """'X said (that) Y was behind / carried out / is responsible for the attack'."""
        predicates = self.lex.word_lists["responsibility_predicates"]
        for token in sent:
            if token.lemma_.lower() not in predicates:
                continue
            agents = self._predicate_agents(token)
            if not agents:
                continue
            clause = token if token.pos_ in ("VERB", "AUX") else token.head
            crimes = self.lex.word_lists["crime_words"]
            scope = list(clause.subtree) + ([clause.head] if clause.dep_ in ("acl", "relcl") else [])
            if not any(t.lemma_.lower() in crimes or t.lower_ in crimes for t in scope):
                continue  # "she became involved in the industry" is not an attribution
            if token.lemma_.lower() in self.lex.word_lists["intent_predicates"] and not any(
                    self.lex.event_words.get(t.lemma_.lower()) == "Attack" for t in token.subtree):
                continue  # "plans to conduct tests" is not planning an attack
            negated = any(c.dep_ == "neg" for c in clause.children) or any(
                c.dep_ == "neg" for c in token.children)
            speaker, speech = self._reporting_speaker(clause)
            if not speaker:
                continue
            speaker_keys = {a.canonical or a.name for a in speaker}
            if speech is not None and speech.lemma_ in self.rejecting_verbs:
                # "X rejected claims that it was behind …": a denial of its own involvement;
                # a third party's rejection needs the claim's holder, which this does not name
                own = [a for a in agents if (a.canonical or a.name) in speaker_keys]
                self._add_claims(speaker, own, "denies", False, token, sentence_index, sent)
                continue
            if speech is not None and speech.lemma_ in self.lex.confirming_speech_verbs:
                kind = "confirms"
            else:
                kind = "accuses"
            hedged = speech is not None and speech.lemma_ in self.lex.hedged_speech_verbs
            hedged = hedged or any(c.dep_ == "aux" and c.lemma_ in self.lex.hedge_words for c in clause.children)
            hedged = hedged or any(t.lemma_ in self.lex.hedge_words and t.dep_ in ("acomp", "advmod")
                                   for a in clause.ancestors for t in a.children if a.i != (speech.i if speech is not None else -1))
            for agent in agents:
                agent_kind = kind
                if (agent.canonical or agent.name) in speaker_keys:
                    agent_kind = "denies" if negated else "claims_responsibility"
                elif negated:
                    agent_kind = "denies"
                self._add_claims(speaker, [agent], agent_kind, hedged and agent_kind == "accuses",
                                 token, sentence_index, sent)

    def _predicate_agents(self, token: Token) -> list[ActorMention]:
        if token.pos_ == "ADJ" or token.lower_ == "behind":  # "Y is responsible", "Y was behind it"
            for child in token.children:  # a small clause: "held Russia responsible"
                if child.dep_ in ("nsubj", "nsubjpass"):
                    return self.actor_or_owner(child)
            head = token.head
            if token.dep_ in ("acomp", "prep", "attr") and head.lemma_ in ("be", "become", "remain", "seem", "appear"):
                for child in head.children:
                    if child.dep_ in ("nsubj", "nsubjpass"):
                        return self.actor_or_owner(child)
            return []
        if token.pos_ == "VERB":
            if any(c.dep_ == "agent" for c in token.children):
                return [a for pobj in self._pobjs(token, deps=("agent",)) for a in self.actor_or_owner(pobj)]
            for child in token.children:
                if child.dep_ == "nsubj":
                    return self.actors_at(child)
                if child.dep_ == "nsubjpass" and token.lemma_ == "involve":  # "X is involved in …"
                    return self.actors_at(child)
        return []

    def _reporting_speaker(self, clause: Token) -> tuple[list[ActorMention], Optional[Token]]:
        """Who reports the clause: the subject of the nearest speech verb above it.

        Climbs through clauses, and through the noun phrases a clause may hang on ("caused by a
        rocket launched by X"), but stops at a verb with an active subject of its own that is
        not a speech verb ("the US was trying to convince the world that ISIS was responsible":
        the US is not reporting, and Putin's "said" is not reached)."""
        node = clause
        for _ in range(10):
            if node.head.i == node.i:
                break
            node = node.head
            if node.pos_ not in ("VERB", "AUX"):
                continue
            if node.lemma_ in self.lex.speech_verbs or node.lemma_ in self.rejecting_verbs:
                found = self.subject_actors(node) or self.according_to(node)
                return found, node
            subjects = [c for c in node.children if c.dep_ == "nsubj"]
            if subjects and not all(s.lower_ == "it" for s in subjects):
                break
            # "it is highly likely that …" (an expletive) or a passive: keep climbing
        found = self.according_to(clause)
        if found:
            return found, None
        return [], None

    def _add_claims(self, claimants, targets, kind, hedged, cue_token, sentence_index, sent) -> None:
        if not claimants or not targets:
            return
        start = sent.start_char
        end = sent.end_char
        text = self.text[start:end]
        stripped = text.strip()
        start += len(text) - len(text.lstrip())
        evidence = TextSpan(start=start, end=start + len(stripped), text=stripped)
        time = self.time_of(cue_token)
        if time is None and self._antecedent_claim is not None:
            time = self._antecedent_claim.time
        event = self.event_near(cue_token)
        for claimant in claimants:
            key = claimant.canonical or claimant.name
            kept = tuple(t for t in targets if (t.canonical or t.name) != key or kind in ("claims_responsibility", "denies"))
            if kind == "claims_responsibility":
                kept = (claimant,)
            if not kept:
                continue
            self.claims.append(ClaimMention(
                claimant=claimant, targets=kept, kind=kind, hedged=hedged, cue=cue_token.text,
                sentence=evidence, sentence_index=sentence_index, event=event, time=time))

    # Events and figures ---------------------------------------------------------------------

    def _event_mention(self, token: Token) -> EventMention:
        kind = self.lex.event_words.get(token.lemma_.lower()) or "Attack"
        place = None
        scope = list(token.subtree)
        if token.pos_ == "VERB":
            scope = [t for c in token.children if c.dep_ in ("dobj", "prep", "npadvmod") for t in c.subtree]
        in_scope = {t.i for t in scope}
        sentence_ents = self.sent_ents[self.sent_index[token.i]]
        for ent in sentence_ents:
            # a facility, or a named place that is not itself a known actor (a country or city
            # where something happened is fine; "Crocus City Hall" is the place we want)
            if ent.root.i in in_scope and (ent.label_ == "FAC" or (
                    ent.label_ in ("ORG", "GPE", "LOC") and self.lex.canonical(ent.text) is None)):
                place = _clean_name(ent.text)
                break
        time = None
        candidates = [ent for ent in sentence_ents if ent.label_ == "DATE" and not self._vague(ent)]
        for ent in candidates:
            if ent.root.i in in_scope or (token.dep_ in ("nsubj", "nsubjpass") and ent.root.head == token.head) or \
                    (token.dep_ in ("nsubj",) and ent.root.head.head == token.head):
                time = TimeMention(text=ent.text, start=ent.start_char, end=ent.end_char)
                break
        return EventMention(type=kind, head=token.lemma_.lower(), start=token.idx,
                            end=token.idx + len(token.text), place=place, time=time)

    def events(self) -> list[EventMention]:
        found = []
        for token in self.doc:
            kind = self.lex.event_words.get(token.lemma_.lower())
            if kind == "Attack" and token.pos_ in ("NOUN", "VERB") and not token.is_stop:
                found.append(self._event_mention(token))
        return found

    def figures(self) -> list[FigureMention]:
        found = []
        for ent in self.ents:
            if ent.label_ != "CARDINAL":
                continue
            value = _number(ent, self.lex.number_words)
            if value is None:
                continue
            measure = self._figure_measure(ent)
            if measure is None:
                continue
            sent = self.sent_of(ent.root)
            n = self.sent_index[ent.start]
            text = sent.text.strip()
            start = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
            found.append(FigureMention(
                measure=measure, value=value, qualifier=self._qualifier(ent),
                sentence=TextSpan(start, start + len(text), text), sentence_index=n,
                event=self.event_near(ent.root)))
        return found

    def _figure_measure(self, ent: Span) -> Optional[str]:
        words = self.lex.figure_words
        root = ent.root
        # "137 lives", "182 injured", "140 people dead", "139 people were killed"
        candidates = [root.head] + list(root.head.children) + [root.head.head] + list(ent.doc[ent.end: ent.end + 3])
        if root.head.pos_ == "NOUN":
            candidates += [c for c in root.head.children] + [root.head.head]
            candidates += [c for c in root.head.head.children if c.dep_ in ("acomp", "oprd", "xcomp", "ccomp")]
        for token in candidates:
            if self.sent_index[token.i] != self.sent_index[ent.start]:
                continue
            measure = words.get(token.lower_) or words.get(token.lemma_.lower())
            if measure:
                return measure
        return None

    def _qualifier(self, ent: Span) -> Optional[str]:
        """'at least' before the number, or inside the entity ('At least 139')."""
        number = _number_token(ent)
        start = number.idx if number is not None else ent.start_char
        before = " ".join(self.text[max(0, start - 25): start].lower().split())
        for phrase, qualifier in self.lex.qualifiers:
            if before == phrase or before.endswith(" " + phrase):
                return qualifier
        return None

    # Whole document -------------------------------------------------------------------------

    def read(self, document: Document) -> Extraction:
        for n, sent in enumerate(self.sents):
            if self._is_commentary_heading(sent):
                break  # an editor's note or disclaimer: the outlet's own voice, not reported claims
            self._cue_claims(n, sent)
            self._reported_responsibility(n, sent)
        times = tuple(TimeMention(e.text, e.start_char, e.end_char) for e in self.ents
                      if e.label_ == "DATE" and not self._vague(e))
        return Extraction(document=document, claims=tuple(self.claims), figures=tuple(self.figures()),
                          events=tuple(self.events()), actors=tuple(self.mentions), times=times)


def _clean_name(text: str) -> str:
    for article in ("the ", "The "):
        if text.startswith(article):
            text = text[len(article):]
    for suffix in ("'s", "’s"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
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
