"""Open-world actor mentions and their in-document coreference.

Every PERSON, ORG, GPE, NORP or LOC entity is a candidate actor, and so is every noun
phrase headed by an actor noun (``en/actor_nouns.json``: courts, ministries, rebels,
critics, spokespeople…) with its modifiers ("the Maldorian security service", "Lund's
allies", "a court in Tarrow"). Unnamed officials of a state stand for the state;
institutions are actors of their own, linked to their state. The alias table only
normalises names: it never decides whether a phrase is an actor.

Coreference inside the document: a pronoun takes the last compatible actor (a person for
he/she, a group, organisation or country for they/it); a bare definite actor noun ("the
court", "the group") the last actor with that head; a bare role ("the minister") the last
person the document gave that role. ``ActorIndex`` is built once per document and only
read afterwards.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace
from typing import Iterable, Optional

from spacy.tokens import Span, Token

from ..model import ActorMention
from .context import Context, place_after_place, pobjs

ENTITY_TYPES = {"PERSON": "Person", "ORG": "Organization", "GPE": "Country", "NORP": "Group", "LOC": "Group"}
ACTOR_HEADS = ("state_proxy", "institution", "collective", "role")  # the actor_nouns.json tables that head an actor


@dataclass(frozen=True)
class ActorIndex:
    context: Context
    by_head: dict[int, ActorMention]  # head token index -> mention
    modifiers: dict[int, ActorMention]  # names that only modify a noun ("a Tarrow lawsuit")
    genders: dict[str, str]  # person name -> "male" | "female", where the document tells
    heads: tuple[int, ...]  # sorted head indices, for looking back
    head_lemma: dict[int, str]
    groups: dict[int, tuple[ActorMention, ...]]  # "the pair", "both men": the people they refer back to

    # Looking up --------------------------------------------------------------------------

    def mention(self, token: Token) -> Optional[ActorMention]:
        """The actor a token heads, with pronouns and bare definite nouns resolved."""
        token = self._head(token)
        lower = token.lower_ if token.pos_ in ("PRON", "DET") else ""  # "US" is no "us"
        grammar = self.context.grammar
        if lower in grammar.person_pronouns:
            gender = "male" if lower in grammar.male_pronouns else "female" if lower in grammar.female_pronouns else None
            return self._antecedent(token, ("Person",), gender=gender)
        if lower in grammar.plural_pronouns:
            return self._antecedent(token, ("Organization", "Group", "Country", "Person"), plural=True)
        if lower in grammar.group_pronouns:
            return self._antecedent(token, ("Organization", "Group", "Country"), subjects_only=True, plural=False)
        if lower in grammar.first_person or lower in grammar.relative_words:
            return None
        return self.by_head.get(token.i)

    def actors(self, token: Token) -> list[ActorMention]:
        """Every actor a phrase names: an apposition's name before its description,
        coordinated actors each, the named members of an umbrella ("officials, including
        the minister")."""
        token = self._head(token)
        if token.i in self.groups:
            return list(self.groups[token.i])
        grammar = self.context.grammar
        named_head = token.i in self.context.ent_at and self.mention(token) is not None
        if not named_head:
            apposed = self._apposed_names(token)  # "the head of the agency, Ana Lind,"
            if apposed:
                return [*apposed, *self._conjuncts(token)]
        members = self._members(token)
        if members:
            return members
        named = self._called(token)  # "another group, called the Sable Army"
        if named:
            return named
        if token.lower_ in self.context.lexicon.actor_nouns["quantifier_pronouns"]:  # "both of them"
            found = [a for o in pobjs(token, self.context.grammar.of_preps) for a in self.actors(o)]
            if found:
                return found
        if token.pos_ == "PRON" and token.lower_ in grammar.plural_pronouns:
            head = self._antecedent_head(token, ("Organization", "Group", "Country", "Person"), plural=True)
            if head is not None:  # "Lind and Varga… They denied it": both of them
                first = min([head, *(c.i for c in self.context.doc[head].conjuncts if c.i in self.by_head)])
                return _unique([self.by_head[first], *self._conjuncts(self.context.doc[first])])
        first = self.mention(token)
        if first is None and token.lower_ in grammar.relative_words and token.head.dep_ == "relcl":
            first = self.mention(token.head.head)
        found = [first] if first else []
        return _unique(found + self._conjuncts(token))

    def _called(self, token: Token) -> list[ActorMention]:
        verbs = self.context.lexicon.actor_nouns["naming_verbs"]
        for child in token.children:
            if child.dep_ == "acl" and child.lemma_.lower() in verbs:
                for name in child.children:
                    if name.dep_ in ("oprd", "attr", "dobj", "xcomp") and name.i in self.context.ent_at:
                        found = self.mention(name)
                        if found is not None:
                            return [found]
        return []

    def _appositions(self, token: Token) -> list[Token]:
        """Appositions of the noun or of the "of" phrase it heads ("the head of the
        agency, Ana Lind")."""
        appos = self.context.grammar.appos_dep
        found = [c for c in token.children if c.dep_ == appos]
        for obj in (o for c in token.children if c.dep_ == "prep" for o in c.children if o.dep_ == "pobj"):
            found += [c for c in obj.children if c.dep_ == appos]
        return found

    def _conjuncts(self, token: Token) -> list[ActorMention]:
        found = []
        umbrella = self.context.grammar.umbrella_markers
        for conj in token.conjuncts:
            if conj.lower_ in umbrella or any(c.lower_ in umbrella for c in conj.children):
                continue  # "X and other agencies": the named one only
            if conj.i > token.i:
                apposed = self._apposed_names(conj)  # "Lind and her counterparts, Varga and Holm,"
                mention = self.mention(conj)
                if apposed and (mention is None or conj.i not in self.context.ent_at):
                    found.extend(apposed)
                elif mention is not None:
                    found.append(mention)
        return found

    def _apposed_names(self, token: Token) -> list[ActorMention]:
        """The names in apposition with a noun, each coordinated one too ("the ministers,
        Ana Lind and Ivo Varga,")."""
        appositions = self._appositions(token)
        described = self.by_head.get(token.i)
        # a tagged name first: "Member of Parliament (MP) Ana Lind" is Lind, not "MP"
        for child in sorted(appositions, key=lambda t: not t.ent_type_):
            named = self.mention(child)
            if named is not None and named.type == "Country" and (
                    described is not None and described.type == "Person" or place_after_place(child, self.context)):
                continue  # "his accountant Dorn Velmar": a person is no country; "a court in Orsk, Velmar": where
            if named is not None and (child.ent_type_ or child.pos_ == "PROPN" and any(
                    c.dep_ == "compound" and c.pos_ == "PROPN" for c in child.children)):  # untagged "Ana Lind"
                return [named, *self._conjuncts(child)]
        return []

    def _members(self, token: Token) -> list[ActorMention]:
        """"officials, including the minister", "critics, which include the Green League"."""
        markers = {m for m in self.context.grammar.member_markers if " " not in m}
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in markers:
                members = [m for obj in child.children if obj.dep_ == "pobj" for m in self.actors(obj)]
                if members:
                    return members
            if child.dep_ == "relcl" and child.lemma_.lower() in markers | self.context.grammar.member_verbs:
                members = [m for obj in child.children if obj.dep_ == "dobj" for m in self.actors(obj)]
                if members:
                    return members
        return []

    def owner(self, token: Token) -> list[ActorMention]:
        """The actors a modifier names ("the Lund campaign", "Kestrel's denial")."""
        token = self._head(token)
        if token.i in self.modifiers:
            return [self.modifiers[token.i]]
        return self.actors(token)

    def is_first_person(self, token: Token) -> bool:
        token = self._head(token)
        return token.pos_ == "PRON" and token.lower_ in self.context.grammar.first_person

    def _head(self, token: Token) -> Token:
        ent = self.context.ent_at.get(token.i)
        return ent.root if ent is not None else token

    def _antecedent(self, token: Token, types: tuple[str, ...], subjects_only: bool = False,
                    plural: Optional[bool] = None, gender: Optional[str] = None) -> Optional[ActorMention]:
        head = self._antecedent_head(token, types, subjects_only, plural, gender)
        return self.by_head[head] if head is not None else None

    def _antecedent_head(self, token: Token, types: tuple[str, ...], subjects_only: bool = False,
                         plural: Optional[bool] = None, gender: Optional[str] = None, reach: int = 1) -> Optional[int]:
        """The last actor of one of ``types`` before ``token`` in its sentence or the one
        before it; subjects first, since reports keep their speaker as subject. ``plural``:
        "they" wants a plural phrase or a group, "it" a singular one; "they" looks a
        sentence further back when the one before names no plural ("Lind and Holm met.
        Varga joined them. They said…")."""
        context = self.context
        sentence = context.sentence_of(token)
        earliest = context.sent_starts[max(0, sentence - reach)]
        stop = bisect.bisect_left(self.heads, token.i)
        fallback = agent = None
        quoted = token.i in context.quoted and token.lower_ not in context.grammar.first_person
        speech = context.lexicon.words["speech_verbs"]
        own_subjects = _clause_subjects(token, context)
        chained = self._pronoun_subjects(token, earliest, gender) if types == ("Person",) else []
        for i in reversed(self.heads[:stop]):
            if i < earliest:
                break
            while chained and chained[-1] > i:  # "She testified… She told the court…": the same she
                head = self._antecedent_head(self.context.doc[chained.pop()], types, subjects_only, plural, gender)
                if head is not None:
                    return head
            mention = self.by_head[i]
            if mention.type not in types:
                continue
            head = context.doc[i]
            if gender and self.genders.get(mention.name, gender) != gender:
                continue
            # "it" wants a singular phrase; "they" a plural one, a group, a country or an
            # organisation ("the embassy… They advised…"), but no single person
            if plural is not None and (mention.type not in ("Group", "Country") or head.tag_ == "NN"):
                is_plural = head.tag_ in ("NNS", "NNPS") or bool(list(head.conjuncts))
                if plural != is_plural and not (plural and mention.type == "Organization"
                                                and head.dep_ in context.grammar.subject_deps):
                    continue
            if i in own_subjects:
                continue  # "X accused him": "him" is not X
            if quoted and i not in context.quoted and head.dep_ in context.grammar.subject_deps and \
                    head.head.lemma_.lower() in speech:
                continue  # '"He is innocent," his lawyer said': "he" is not the one speaking
            if head.dep_ in context.grammar.subject_deps and head.head.lemma_.lower() in speech and \
                    head.head in token.ancestors and mention.type == "Person" and mention.role == mention.name:
                # "Ana Lind's lawyer said she was innocent": she is the one the lawyer speaks for
                owner = next((c.i for c in head.children if c.dep_ == context.grammar.poss_dep and c.i in self.by_head
                              and self.by_head[c.i].type == "Person"), None)
                if owner is not None:
                    return owner
            if head.dep_ in context.grammar.subject_deps:
                return i
            if agent is None and (head.dep_ == "agent" or head.head.dep_ == "agent"):
                agent = i  # "X was praised by Y. He said…": X before Y, Y before any object
            elif fallback is None and not subjects_only:
                fallback = i
        while chained:
            head = self._antecedent_head(self.context.doc[chained.pop()], types, subjects_only, plural, gender)
            if head is not None:
                return head
        if agent is None and fallback is None and plural and reach == 1 and sentence > 1:
            return self._antecedent_head(token, types, subjects_only, plural, gender, reach=2)
        return agent if agent is not None else fallback

    def _pronoun_subjects(self, token: Token, earliest: int, gender: Optional[str]) -> list[int]:
        """The personal pronouns of the same gender that are subjects between ``earliest``
        and ``token``, in order, and quoted only where ``token`` is."""
        context = self.context
        grammar = context.grammar
        same = grammar.male_pronouns if gender == "male" else grammar.female_pronouns if gender == "female" else ()
        quoted = token.i in context.quoted
        return [t.i for t in context.doc[earliest: token.i]
                if t.pos_ == "PRON" and t.lower_ in same and t.dep_ in grammar.subject_deps
                and (t.i in context.quoted) == quoted]

    def with_heads(self, lemmas: frozenset) -> list[ActorMention]:
        return [self.by_head[i] for i in self.heads if self.head_lemma.get(i) in lemmas]

    def last_with_head(self, lemmas: frozenset, before: Token) -> Optional[ActorMention]:
        stop = bisect.bisect_left(self.heads, before.i)
        start = bisect.bisect_left(self.heads, before.i - LOOK_BACK)
        for i in reversed(self.heads[start:stop]):
            if self.head_lemma.get(i) in lemmas:
                return self.by_head[i]
        return None


def _clause_subjects(pronoun: Token, context: Context) -> set[int]:
    """The subjects of the clause an object pronoun stands in, through the coordinated or
    participle clauses that share them ("X served Y with a writ, accusing him…")."""
    grammar = context.grammar
    if pronoun.dep_ not in grammar.object_deps | {"dative"} or pronoun.lower_ in grammar.reflexive_pronouns:
        return set()
    found: set[int] = set()
    verb = pronoun.head
    for _ in range(4):
        subjects = [c for c in verb.children if c.dep_ in grammar.active_subject_deps]
        for subject in subjects:
            found.add(subject.i)
            found.update(t.i for t in subject.subtree if t.ent_type_)  # a named subject's words
        if subjects or verb.dep_ not in ("conj", "advcl", "xcomp") or verb.head.i == verb.i:
            break
        verb = verb.head
    return found


# Building ---------------------------------------------------------------------------------


def index_actors(context: Context) -> ActorIndex:
    by_head = Mentions()
    head_lemma: dict[int, str] = {}
    doc = context.doc
    modifiers: dict[int, ActorMention] = {}
    for ent in doc.ents:
        mention = _entity_mention(context, ent)
        if mention is not None:
            by_head[ent.root.i] = mention
            head_lemma[ent.root.i] = ent.root.lemma_.lower()
        else:
            mention = _entity_mention(context, ent, as_modifier=True)
            if mention is not None:
                modifiers[ent.root.i] = mention
    _retype_after_roles(context, by_head)
    _retype_surnames(by_head)  # after: a name retyped as a person gives its surname
    _shared_surnames(context, by_head)
    _short_organisation_names(context, by_head)
    nouns = context.lexicon.actor_nouns
    actor_nouns = frozenset().union(*(nouns[table] for table in ACTOR_HEADS), nouns["place_titles"])
    # Only nouns and proper nouns can head an actor: find them on the context's strings, not Token objects.
    nominal = [i for i, pos in enumerate(context.pos) if pos in ("NOUN", "PROPN")]
    nominal = sorted(nominal + _participles_as_nouns(context))
    distributed: dict[int, tuple[ActorMention, ...]] = {}
    for i in nominal:
        if i in by_head or i in context.ent_at:
            continue
        token = doc[i]
        lemma = token.lower_ if token.pos_ == "VERB" else token.lemma_.lower()
        if lemma not in actor_nouns and token.lower_ not in actor_nouns:
            continue
        mention = _noun_mention(context, token, lemma, by_head, head_lemma)
        if mention is not None:
            by_head[token.i] = _apposed_person(context, token, mention, by_head)
            head_lemma[token.i] = lemma
            each = _distributed(context, token, lemma, by_head, head_lemma)
            if each:
                distributed[token.i] = each
                by_head[token.i] = each[0]
    for i in nominal:
        if i not in by_head and i not in context.ent_at:
            token = doc[i]
            mention = _unrecognised_name(context, token)
            if mention is not None:
                by_head[token.i] = mention
                head_lemma[token.i] = token.lemma_.lower()
    _refer_generic_heads_again(context, by_head, head_lemma)
    _speakers_for_bodies(context, by_head, head_lemma)
    introduced = _introduced_later(context, by_head, head_lemma)
    index = ActorIndex(context, by_head, modifiers, _genders(context, by_head), tuple(sorted(by_head)), head_lemma,
                       {**_group_anaphors(context, by_head), **introduced, **distributed})
    owned = _owned_by_pronoun(index)
    if not owned:
        return index
    for i, mention in owned.items():
        by_head[i] = mention
    return replace(index, by_head=by_head)


def _owned_by_pronoun(index: ActorIndex) -> dict[int, ActorMention]:
    """"Police charged Ana Lind… her lawyers said": the lawyers are Ana Lind's, and are
    named so (a bare "lawyers" would be anyone's); "the army said its soldiers fired": the
    soldiers are the army (as "Sarn Brigade fighters" are). Only when the owner is the one
    actor of its kind named since the sentence before."""
    context = index.context
    grammar = context.grammar
    nouns = context.lexicon.actor_nouns
    owned_nouns = nouns["role"] | nouns["collective"]
    renamed: dict[int, ActorMention] = {}
    for i, mention in index.by_head.items():
        if i in context.ent_at:
            continue
        head, lemma = context.doc[i], index.head_lemma.get(i)
        body = _sole_owner(index, head, grammar.group_pronouns, BODY_TYPES) if lemma in nouns["member_nouns"] else None
        if body is not None:
            renamed[i] = replace(body, start=mention.start, end=mention.end, surface=mention.surface)
        elif lemma in owned_nouns and (mention.type == "Group" or mention.type == "Person" and mention.role == mention.name):
            person = _sole_owner(index, head, grammar.person_pronouns, ("Person",))
            if person is not None:  # "Judge Lind sentenced Varga. His brother said…": whose brother is a guess
                name = f"{person.name}'s {mention.name}"
                renamed[i] = replace(mention, name=name, role=name if mention.role == mention.name else mention.role)
    return renamed


BODY_TYPES = ("Organization", "Group", "Country")


def _sole_owner(index: ActorIndex, head: Token, pronouns: frozenset, types: tuple[str, ...]) -> Optional[ActorMention]:
    """What a possessive pronoun of ``pronouns`` on ``head`` refers to, when it is the one
    named actor of ``types`` since the sentence before."""
    context = index.context
    pronoun = next((c for c in head.children if c.dep_ == context.grammar.poss_dep and c.pos_ == "PRON"
                    and c.lower_ in pronouns), None)
    owner = index.mention(pronoun) if pronoun is not None else None
    if owner is None or owner.type not in types or only_a_role(owner):
        return None
    earliest = context.sent_starts[max(0, context.sentence_of(head) - 1)]
    since = index.heads[bisect.bisect_left(index.heads, earliest): bisect.bisect_left(index.heads, head.i)]
    named = {index.by_head[j].name for j in since if index.by_head[j].type in types and not only_a_role(index.by_head[j])}
    return owner if named == {owner.name} else None


def only_a_role(mention: ActorMention) -> bool:
    """A person the text gives only a role ("the policeman"), no name."""
    return mention.type == "Person" and mention.role == mention.name


LEAD_SENTENCES = 2  # a story introduces its people by role in its first sentences…
NAMED_WITHIN = 8  # …and names them in the paragraphs right after


def _introduced_later(context: Context, by_head: Mentions, head_lemma: dict[int, str]) -> dict[int, tuple[ActorMention, ...]]:
    """"A Varno court jailed a doctor… Dr. Ana Lind was found guilty…": people a lead
    introduces by an indefinite role ("a doctor", "two officers") are the ones the next
    sentences name with that role (a title, a role before the name, an apposition). One
    person takes the mention's place; several are returned as a group."""
    numbers = context.lexicon.number_words
    roles = context.lexicon.actor_nouns["role"]
    found: dict[int, tuple[ActorMention, ...]] = {}
    lead = [n for n in range(len(context.sents)) if n not in context.headlines][:LEAD_SENTENCES]
    for i in list(by_head.order):
        mention, token = by_head[i], context.doc[i]
        sentence = context.sentence_of(token)
        if sentence not in lead or i in context.ent_at or mention.canonical or head_lemma.get(i) not in roles:
            continue
        determiners = [c.lower_ for c in token.children if c.dep_ in ("det", "nummod")]
        size = 1 if token.tag_ == "NN" and any(d in ("a", "an") for d in determiners) else next(
            (numbers[d] for d in determiners if d in numbers), None) if token.tag_ == "NNS" else None
        if not size:
            continue
        last = min(len(context.sents) - 1, sentence + NAMED_WITHIN)
        end = context.sents[last].end
        first = next((j for j in by_head.order if i < j < end and j in context.ent_at and by_head[j].type == "Person"
                      and _named_as(context, j, by_head[j], head_lemma[i])), None)
        if first is None:
            continue
        people = [by_head[first], *(by_head[c.i] for c in context.doc[first].conjuncts
                                    if c.i in by_head and by_head[c.i].type == "Person")]
        if len(people) >= size:
            named = tuple(replace(p, start=mention.start, end=mention.end, surface=mention.surface)
                          for p in people[:size])
            if size == 1:
                by_head[i] = named[0]
            else:
                found[i] = named
    return found


def _named_as(context: Context, head: int, person: ActorMention, role: str) -> bool:
    """Whether the document names this person with the role: a title ("Dr."), a role
    before the name ("officers Ana Lind and…") or after it ("Ana Lind, a doctor,")."""
    titles = context.lexicon.title_roles
    words = {titles.get(w, w.lower()) for w in (person.role or "").split()}
    ent = context.ent_at[head]
    before = context.doc[ent.start - 1] if ent.start > 0 else None
    return role in words or role in {w.rstrip("s") for w in words} or (
        before is not None and before.lemma_.lower() == role)


GROUP_REACH = 4  # sentences: a story names "the pair" in one paragraph and refers to them in the next


def _group_anaphors(context: Context, by_head: Mentions) -> dict[int, tuple[ActorMention, ...]]:
    """"The pair denied…", "both men", "all three were convicted": the that-many people
    named last, in this sentence or the four before, when there are at least that many."""
    grammar = context.grammar
    sizes = dict(grammar.group_anaphors)
    numbers = context.lexicon.number_words
    heads = context.lexicon.actor_nouns["person_group_heads"]
    positions = grammar.subject_deps | grammar.object_deps | {"pobj", grammar.conj_dep}
    groups: dict[int, tuple[ActorMention, ...]] = {}
    for token in context.doc:
        if token.dep_ not in positions:
            continue
        if token.i in by_head:
            coordinated = _coordinated_people(context, token, by_head)
            if coordinated:
                groups[token.i] = coordinated
            continue
        lower, size = token.lower_, None
        if lower not in sizes and lower not in numbers and token.lemma_.lower() not in heads:
            continue
        definite = _definite(context, token) or any(c.lower_ in sizes or c.lower_ in grammar.totality_words for c in token.children)
        if lower in sizes and (definite or token.pos_ in ("PRON", "DET")):
            size = sizes[lower]  # "the pair", "both"
        elif token.pos_ == "NUM" and lower in numbers and definite:
            size = numbers[lower]  # "the two", "all three"
        elif token.lemma_.lower() in heads and token.tag_ in ("NNS", "NNPS"):
            counts = [sizes.get(c.lower_) or numbers.get(c.lower_) for c in token.children
                      if c.dep_ in ("nummod", "det", "predet")]
            size = next((n for n in counts if n), None) if definite or any(
                c.lower_ in sizes for c in token.children) else None  # "the two men", "both defendants"
        if not size or size < 2:
            continue
        earliest = context.sent_starts[max(0, context.sentence_of(token) - GROUP_REACH)]
        people: dict[str, ActorMention] = {}
        for i in _earlier(by_head, token.i):
            if i < earliest or len(people) == size:
                break
            if by_head[i].type == "Person":
                people.setdefault(by_head[i].name, by_head[i])
        if len(people) == size:
            groups[token.i] = tuple(reversed(list(people.values())))
    return groups


def _coordinated_people(context: Context, token: Token, by_head: Mentions) -> tuple[ActorMention, ...]:
    """"Officers Ana Lind and Bo Varga… the officers denied it": a bare definite plural
    of a people noun ("the defendants", "the brothers") is the named people last
    coordinated, in this sentence or the four before."""
    if token.lemma_.lower() not in context.lexicon.actor_nouns["person_group_heads"] or \
            token.tag_ not in ("NNS", "NNPS") or not _definite(context, token) or \
            any(c.dep_ != "det" for c in token.children):
        return ()
    earliest = context.sent_starts[max(0, context.sentence_of(token) - GROUP_REACH)]
    for i in _earlier(by_head, token.i):
        if i < earliest:
            break
        head = context.doc[i]
        if head.dep_ == context.grammar.conj_dep:
            continue  # the coordination is found from its first member
        people = [by_head[j] for j in (i, *(c.i for c in head.conjuncts)) if j in by_head]
        named = _unique(m for m in people if m.type == "Person" and m.role != m.name)
        if len(named) >= 2:
            return tuple(named)
    return ()


def _refer_generic_heads_again(context: Context, by_head: Mentions, head_lemma: dict[int, str]) -> None:
    """"The Sarn Brigade… the group denied": names NER missed are found after the noun
    phrases, so a bare "the group" left unresolved looks back once more."""
    generic = context.lexicon.actor_nouns["group_heads"]
    for i in list(by_head.order):
        token, mention = context.doc[i], by_head[i]
        if head_lemma.get(i) in generic and mention.name.lower() == token.lower_ and _definite(context, token):
            earlier = _last_before(context, token, head_lemma[i], by_head, head_lemma, False)
            if earlier is not None:
                by_head[i] = replace(earlier, start=mention.start, end=mention.end, surface=mention.surface)


def _speakers_for_bodies(context: Context, by_head: dict[int, ActorMention], head_lemma: dict[int, str]) -> None:
    """"a spokesperson for the Varno water board", "a source within the ministry": an
    unnamed voice of a body speaks as that body (as unnamed officials speak as their state)."""
    proxies = context.lexicon.actor_nouns["voice_nouns"]
    preps = context.lexicon.actor_nouns["label_prepositions"]
    voice_links = context.lexicon.actor_nouns["voice_links"]  # "sources familiar with X"
    for i, mention in list(by_head.items()):
        token = context.doc[i]
        if head_lemma.get(i) not in proxies or i in context.ent_at or mention.canonical:
            continue
        if any(c.dep_ == context.grammar.appos_dep for c in (*token.children, token)) or \
                mention.type == "Person" and mention.surface != context.text[mention.start:mention.end]:
            continue  # "the spokesman, Ana Lind," is Ana Lind
        links = [token, *(c for c in token.children if c.dep_ == "amod" and c.lower_ in voice_links)]
        bodies = [by_head[o.i] for link in links for c in link.children if c.dep_ == "prep" and
                  (c.lower_ in preps or link is not token) for o in c.children if o.dep_ == "pobj" and o.i in by_head]
        if len(bodies) == 1 and bodies[0].type == "Organization":
            by_head[i] = replace(bodies[0], start=mention.start, end=mention.end, surface=mention.surface)
        elif not bodies:
            body = _body_before_voice(context, token)
            if body is not None:
                by_head[i] = replace(body, start=mention.start, end=mention.end, surface=mention.surface)


def _body_before_voice(context: Context, voice: Token) -> Optional[ActorMention]:
    """"a U.S. military spokesperson", "a police source": the body the compound before the
    voice names."""
    nouns = context.lexicon.actor_nouns
    compound = next((c for c in voice.children if c.dep_ in ("compound", "amod") and c.pos_ in ("NOUN", "ADJ")
                     and c.lemma_.lower() in nouns["institution"]), None)
    if compound is None or compound.i + 1 != voice.i:
        return None
    words = [t for t in voice.lefts if t.dep_ in ("compound", "amod", "nmod") and t.i <= compound.i
             and t.lower_ not in nouns["non_identifying_modifiers"]]
    name = _join(context, words)
    state = _state_modifier(context, voice)
    canonical = context.lexicon.canonical(name)
    if canonical is None and state is not None and len(words) == 1:
        name = f"{state} {compound.text}"  # "a military spokesperson" of a state named with it
        canonical = context.lexicon.canonical(name)
    start, end = words[0].idx, compound.idx + len(compound.text)
    return ActorMention(name=canonical or name, type=context.lexicon.actors[canonical].type if canonical else "Organization",
                        start=start, end=end, surface=context.text[start:end], canonical=canonical,
                        state=(context.lexicon.state_of(canonical) if canonical else None) or state)


def _genders(context: Context, by_head: dict[int, ActorMention]) -> dict[str, str]:
    """What the document tells of each person's gender: a title or role ("Mrs", "his
    widow", "spokeswoman")."""
    nouns = context.lexicon.actor_nouns
    genders: dict[str, str] = {}
    for i, mention in by_head.items():
        if mention.type != "Person":
            continue
        words = {w.lower() for w in f"{mention.role or ''} {mention.surface}".split()}
        if words & nouns["male_words"] and not words & nouns["female_words"]:
            genders.setdefault(mention.name, "male")
        elif words & nouns["female_words"] and not words & nouns["male_words"]:
            genders.setdefault(mention.name, "female")
    return genders


def _apposed_person(context: Context, token: Token, mention: ActorMention,
                    by_head: dict[int, ActorMention]) -> ActorMention:
    """"Ana Lind, the foreign minister," and "the foreign minister, Ana Lind,": one person,
    so a later "the foreign minister" finds her."""
    appos = context.grammar.appos_dep
    if mention.type != "Person":
        return mention
    partner = token.head if token.dep_ == appos else next((c for c in token.children if c.dep_ == appos), None)
    role = mention.role
    if partner is None:
        partner, role = _named_after_role_phrase(context, token, mention)
    if partner is None or partner.i not in context.ent_at:
        return mention
    person = by_head.get(context.ent_at[partner.i].root.i)
    if person is None or person.type != "Person":
        return mention
    return replace(person, start=mention.start, end=mention.end, surface=mention.surface,
                   role=role or person.role)


def _named_after_role_phrase(context: Context, token: Token, mention: ActorMention):
    """"Velmar Ambassador to Lindia Ivo Brask" parsed with the name inside the "to" phrase:
    the person is Ivo Brask, the role what comes before the name."""
    for prep in (c for c in token.children if c.dep_ == "prep"):
        for obj in (o for o in prep.children if o.dep_ == "pobj"):
            ent = context.ent_at.get(obj.i)
            if ent is None or ent.label_ != "PERSON" or ent.start == prep.i + 1:
                continue
            if not any(context.doc[i].ent_type_ in ("GPE", "ORG", "NORP") for i in range(prep.i + 1, ent.start)):
                continue
            role = context.text[context.doc[_mention_start(context, mention)].idx: context.doc[ent.start - 1].idx
                                + len(context.doc[ent.start - 1].text)].strip()
            return obj, role
    return None, None


def _mention_start(context: Context, mention: ActorMention) -> int:
    span = context.doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return span.start if span is not None else 0


def _retype_after_roles(context: Context, by_head: dict[int, ActorMention]) -> None:
    """NER tags "officers Ana Lind and Ivo Stanek" as organisations now and then: names right
    after a role noun ("lawyer", "officers") or in apposition with one ("Ana Lind, spokesperson
    for…") are people, and so are names coordinated with them."""
    roles = context.lexicon.actor_nouns["role"]
    retyped: set[int] = set()
    for i, mention in list(by_head.items()):
        ent = context.ent_at.get(i)
        if mention.type == "Person" or mention.canonical or ent is None or ent.start == 0:
            continue
        before = context.doc[ent.start - 1]
        head = context.doc[i]
        coordinated = [c for c in head.head.conjuncts if c.i < i] if head.dep_ == "conj" else []
        apposed = [c for c in head.children if c.dep_ == context.grammar.appos_dep] + (
            [head.head] if head.dep_ == context.grammar.appos_dep else [])
        if before.lemma_.lower() in roles and before.pos_ == "NOUN" or any(
                a.lemma_.lower() in roles and a.pos_ == "NOUN" and a.i not in context.ent_at for a in apposed) or any(
                c.i in by_head and context.ent_at.get(c.i) is not None and context.ent_at[c.i].start > 0 and
                context.doc[context.ent_at[c.i].start - 1].lemma_.lower() in roles or c.i in retyped
                for c in coordinated):
            by_head[i] = replace(mention, type="Person")
            retyped.add(i)


def _retype_surnames(by_head: dict[int, ActorMention]) -> None:
    """NER tags a bare surname as an organisation or place now and then: a one-word
    name that is the surname of a person the document names is that person."""
    surnames: dict[str, set[str]] = {}
    for mention in by_head.values():
        if mention.type == "Person" and " " in mention.name:
            surnames.setdefault(mention.name.split()[-1], set()).add(mention.name)
    for i, mention in list(by_head.items()):
        if mention.type != "Person" and not mention.canonical and len(surnames.get(mention.name, ())) == 1:
            by_head[i] = replace(mention, type="Person", name=next(iter(surnames[mention.name])))


def _shared_surnames(context: Context, by_head: dict[int, ActorMention]) -> None:
    """"Tomas and Greta Rell": a lone given name coordinated with a full name right after it
    shares that name's surname, unless it is the surname of someone the document names."""
    doc = context.doc
    surnames = {m.name.split()[-1] for m in by_head.values() if m.type == "Person" and " " in m.name}
    for i, mention in list(by_head.items()):
        token = doc[i]
        if mention.type != "Person" or " " in mention.name or mention.canonical or mention.name in surnames or \
                i + 2 >= len(doc) or doc[i + 1].dep_ != "cc" or doc[i + 1].head.i != i:
            continue
        partner = next((c for c in token.children if c.dep_ == "conj"), None)
        other = by_head.get(partner.i) if partner is not None else None
        if other is None or other.type != "Person" or " " not in other.name or context.ent_at.get(partner.i) is None or \
                context.ent_at[partner.i].start != i + 2:
            continue
        by_head[i] = replace(mention, name=f"{mention.name} {other.name.split()[-1]}")


def _participles_as_nouns(context: Context) -> list[int]:
    """"Police said the accused fled": the model tags a definite "accused" a participle; where
    it stands as a noun phrase it is the accused-role noun."""
    doc, roles = context.doc, context.lexicon.actor_nouns["accused_roles"]
    return [i for i, (pos, lower) in enumerate(zip(context.pos, context.lower)) if pos == "VERB" and lower in roles
            and doc[i].tag_ == "VBN" and doc[i].dep_ in NAME_POSITIONS and _definite(context, doc[i])]


def _short_organisation_names(context: Context, by_head: dict[int, ActorMention]) -> None:
    """"The regulator grounded Dravik Air… Dravik smuggled arms": a one-word name that begins the
    name of one organisation the document names is that organisation; "the House" is a name
    of its own, not short for "House Ethics Committee"."""
    first_words: dict[str, dict[str, ActorMention]] = {}  # first word -> full name -> a mention of it
    for mention in by_head.values():
        if mention.type == "Organization" and " " in mention.name:
            first_words.setdefault(mention.name.split()[0], {}).setdefault(mention.name, mention)
    for i, mention in list(by_head.items()):
        names = first_words.get(mention.name, {})
        if " " not in mention.name and mention.type not in ("Country", "Person") and not mention.canonical and \
                len(names) == 1 and not any(c.dep_ == "det" for c in context.doc[i].children):
            (full,) = names.values()
            by_head[i] = replace(mention, name=full.name, type=full.type, canonical=full.canonical, state=full.state)


NAME_POSITIONS = ("nsubj", "nsubjpass", "dobj", "pobj", "conj", "appos", "poss", "dative")


def _is_document_word(context: Context, word: str) -> bool:
    return word in context.lexicon.actor_nouns["document_nouns"] or word in context.lexicon.words["reporting_nouns"]


def _unrecognised_name(context: Context, token: Token) -> Optional[ActorMention]:
    """A proper name NER did not tag, where an actor stands ("Ostrov said…"): a person,
    or an organisation when one of its words is an institution noun."""
    if token.dep_ not in NAME_POSITIONS or not token.text[:1].isupper():
        return None
    words = [c for c in token.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"] + [token]
    if token.pos_ != "PROPN" and (token.pos_ != "NOUN" or len(words) < 2 or token.i == token.sent.start):
        return None  # a capitalised noun after a proper name is the name's end ("Ana Waters")
    titles = context.lexicon.person_title_words
    while len(words) > 1 and words[0].text in titles:
        words = words[1:]
    if any(w.i in context.ent_at and context.ent_at[w.i].label_ in ENTITY_TYPES and context.ent_at[w.i].label_ != "NORP"
           for w in words):
        return None
    if token.text.endswith("s"):  # "radical Islamists": a group as described
        skip = context.lexicon.actor_nouns["non_identifying_modifiers"]
        words = [c for c in token.lefts if c.dep_ == "amod" and c.lower_ not in skip and c.i < words[0].i] + words
    name = _join(context, words)
    lexicon = context.lexicon
    if name in lexicon.person_titles or name in lexicon.not_actors or not name.replace("-", "").replace(".", "").isalpha() \
            and " " not in name:
        return None
    nouns = lexicon.actor_nouns
    if token.lemma_.lower() in nouns["role"] or token.lower_.rstrip("s") in nouns["role"]:
        return None  # "Presidents", "Ministers": titles, not names
    if len(words) == 1 and _is_document_word(context, token.lower_):
        return None  # "the Decree of Council was void": a document, not its author
    organised = any(w.lemma_.lower() in nouns["institution"] or w.lower_ in nouns["institution"] for w in words)
    canonical = lexicon.canonical(name)
    actor_type = lexicon.actors[canonical].type if canonical else ("Organization" if organised else "Person")
    start, end = words[0].idx, token.idx + len(token.text)
    return ActorMention(name=name, type=actor_type, start=start, end=end, surface=name, canonical=canonical,
                        state=lexicon.state_of(canonical) if canonical else None)

LOOK_BACK = 2000  # tokens: an antecedent further back than this is not worth the search


class Mentions(dict):
    """Head token index -> mention, keeping its keys in order so looking back is a bisection."""

    def __init__(self):
        super().__init__()
        self.order: list[int] = []

    def __setitem__(self, key: int, value: ActorMention) -> None:
        if key not in self:
            bisect.insort(self.order, key)
        super().__setitem__(key, value)


def _earlier(by_head: Mentions, before: int) -> list[int]:
    """Head indices of the mentions before a token (nearest first), within ``LOOK_BACK``."""
    order = by_head.order
    return order[bisect.bisect_left(order, before - LOOK_BACK): bisect.bisect_left(order, before)][::-1]


def _entity_mention(context: Context, ent: Span, as_modifier: bool = False) -> Optional[ActorMention]:
    actor_type = ENTITY_TYPES.get(ent.label_)
    lexicon = context.lexicon
    if actor_type is None:
        return None
    root = ent.root
    # A demonym or a country name modifying a noun ("Maldorian officials", "the Tarrow
    # court") qualifies that noun's actor; it is not an actor of its own there.
    if not as_modifier and root.dep_ in ("amod", "compound", "nmod") and root.head.pos_ in ("NOUN", "PROPN") and \
            (root.head.i not in context.ent_at or root.dep_ == "nmod"):
        return None
    if ent.label_ == "NORP" and not as_modifier and root.dep_ not in context.grammar.subject_deps | {"pobj", "dobj", "conj", "appos"}:
        return None
    name = _clean_entity_name(context, ent)
    if not name or name in lexicon.not_actors or not any(c.isalpha() for c in name) or \
            root.lemma_.lower() in lexicon.actor_nouns["not_actor_heads"]:
        return None
    if root.i == next(t.i for t in ent if t.dep_ != "det") and _is_document_word(context, root.lemma_.lower()):
        return None  # "an Order stating…", "the Decree of Council" tagged a name: a document, not its author
    if ent.label_ == "NORP" and root.tag_.startswith("NN") and root.text.endswith("s"):  # "radical Islamists"
        skip = lexicon.actor_nouns["non_identifying_modifiers"]
        described = [c for c in root.lefts if c.dep_ == "amod" and c.i < ent.start and c.lower_ not in skip]
        if described:
            name = context.text[described[0].idx: ent.end_char].strip()
    canonical = lexicon.canonical(name) or lexicon.canonical(ent.text)
    if canonical is None and ent.label_ == "NORP":
        canonical = lexicon.demonyms.get(name) or lexicon.demonyms.get(name.rstrip("s"))
        state = lexicon.world_demonyms.get(name) or lexicon.world_demonyms.get(name.rstrip("s"))
        if canonical is None and state:  # "Bolivians say…": Bolivia, which the alias table does not know
            return ActorMention(name=state, type="Country", start=ent.start_char, end=ent.end_char, surface=ent.text)
    if canonical:
        actor_type = lexicon.actors[canonical].type
    elif ent.label_ == "GPE":
        actor_type = "Country"
    role = (_role_before(context, ent) or _role_in_apposition(context, root)) if actor_type == "Person" else None
    start = ent.start_char
    return ActorMention(name=name, type=actor_type, start=start, end=ent.end_char, surface=ent.text,
                        role=role, canonical=canonical, state=lexicon.state_of(canonical) if canonical else None)


def _clean_entity_name(context: Context, ent: Span) -> str:
    words = list(ent)
    titles = context.lexicon.person_title_words
    grammar = context.grammar
    while words and (words[0].lower_ in grammar.determiners or
                     (ent.label_ == "PERSON" and words[0].text in titles and len(words) > 1)):
        words = words[1:]
    while words and (words[-1].text in grammar.possessive_markers or words[-1].is_punct):
        words = words[:-1]
    # NER sometimes runs a name into the phrase after it ("the Velor Front of the raid")
    for n, word in enumerate(words[1:-1], start=1):
        if word.lower_ in grammar.name_breaks and all(not w.text[:1].isupper() for w in words[n + 1:]):
            words = words[:n]
            break
    if not words:
        return ""
    return context.text[words[0].idx: words[-1].idx + len(words[-1].text)].strip()


def _role_in_apposition(context: Context, root: Token) -> Optional[str]:
    """"Ana Lind, the foreign minister,": the role an apposition gives a person."""
    roles = context.lexicon.actor_nouns["role"]
    for child in root.children:
        if child.dep_ == context.grammar.appos_dep and child.lemma_.lower() in roles:
            words = [t for t in child.subtree if t.dep_ not in ("det", "punct") and t.pos_ != "PRON"
                     and t.i <= child.i]
            return _join(context, words) or None
    return None


def _role_before(context: Context, ent: Span) -> Optional[str]:
    """The title words right before a person's name ("Foreign Minister Ana Lind")."""
    doc = context.doc
    start = ent.start
    words = []
    i = start - 1
    # "Deputy Prime Minister Ana Lind": "Deputy" and "Prime" hang on "Minister", not on the name
    while i >= 0 and (doc[i].head.i == ent.root.i or any(doc[i].head.i == w.i for w in words)) and \
            doc[i].dep_ in ("compound", "amod", "nmod", "punct") and not doc[i].is_punct:
        words.insert(0, doc[i])
        i -= 1
    titled = [w for w in ent if w.text in context.lexicon.person_title_words and w.i < ent.root.i]
    words = titled + words
    if not words:
        return None
    return " ".join(w.text for w in words)


def _distributed(context: Context, token: Token, lemma: str, by_head: dict[int, ActorMention],
                 head_lemma: dict[int, str]) -> tuple[ActorMention, ...]:
    """"Russian and Syrian forces", "police and county officials": coordinated modifiers of one
    noun, led by a state or an institution, name one actor each (Russian forces, Syrian forces),
    not one actor "Russian and Syrian forces"."""
    modifier = next((c for c in token.lefts if c.dep_ in ("nmod", "compound", "amod") and
                     any(k.dep_ == "cc" for k in c.children) and c.conjuncts), None)
    if modifier is None:
        return ()
    ent = context.ent_at.get(modifier.i)
    if ent is not None and any(context.ent_at.get(c.i) is ent for c in modifier.conjuncts):
        return ()
    institutions = context.lexicon.actor_nouns["institution"]
    if not (context.lexicon.country_of(modifier.text) or modifier.lemma_.lower() in institutions):
        return ()  # "state and federal officials" are one body of officials; "Trinidad and Tobago" one name
    found = []
    for each in (modifier, *modifier.conjuncts):
        mention = _noun_mention(context, token, lemma, by_head, head_lemma, swap=(modifier, each))
        if mention is None:
            return ()
        found.append(mention)
    found = _unique(found)
    return tuple(found) if len(found) > 1 else ()


def _noun_mention(context: Context, token: Token, lemma: str, by_head: dict[int, ActorMention],
                  head_lemma: dict[int, str], swap: Optional[tuple[Token, Token]] = None) -> Optional[ActorMention]:
    """The actor an actor noun heads; with ``swap`` (a coordinated modifier, one of its
    conjuncts), the phrase read with only that conjunct as the modifier."""
    lexicon = context.lexicon
    nouns = lexicon.actor_nouns
    # A noun that only modifies another ("police officials", "court ruling") is no actor itself.
    if token.dep_ in ("compound", "amod", "nmod") and token.head.pos_ in ("NOUN", "PROPN"):
        return None
    group = _member_of_named_group(context, token)
    if group is not None:
        return group
    if lemma in nouns["condition_heads"] and any(
            o.pos_ != "PROPN" and not o.ent_type_ and o.lemma_.lower() not in nouns["institution"]
            and o.lemma_.lower() not in nouns["collective"] for o in pobjs(token, context.grammar.of_preps)):
        return None  # "the state of emergency", "the balance of power": a condition, not an actor
    place = _place_named_after(context, token, by_head)
    if place is not None or not any(lemma in nouns[table] for table in ACTOR_HEADS):
        return place  # "the city of Tarsk" is Tarsk; "the city" alone is no actor
    state = _state_modifier(context, token, swap)
    if state is None and lemma in nouns["state_bodies"]:
        state = _possessing_country(context, token, by_head)  # "their government" after "Iran"
    label_tokens = _label_tokens(context, token, swap)
    content = [t for t in label_tokens if t.i != token.i and not _is_state_word(context, t) and t.pos_ != "ADP"]
    if (lemma in nouns["state_proxy"] and not content or lemma in nouns["state_bodies"]) and state:
        # "Maldorian officials", "the Maldorian government": the state itself
        return ActorMention(name=state, type=lexicon.actors[state].type if state in lexicon.actors else "Country",
                            start=token.idx, end=token.idx + len(token.text), surface=token.text, canonical=state)
    label = _join(context, label_tokens)
    if not label or label.lower() in context.lexicon.not_actors:
        return None
    is_role = lemma in nouns["role"] and lemma not in nouns["institution"] and token.tag_ in ("NN", "NNP")
    titles = lexicon.person_title_words
    bare = len(label_tokens) == 1 or (is_role and all(t.text in titles or t.lower_ in titles for t in label_tokens))
    if is_role and bare and token.tag_ == "NN" and token.text.islower() and token.dep_ != context.grammar.appos_dep \
            and not any(c.dep_ in ("det", "poss", "nummod") for c in token.children):
        return None  # "obstruction of justice", "as president": a role no one holds here
    if bare and lemma in nouns["accused_roles"]:
        accused = _last_accused(context, token, by_head) if _definite(context, token) else None
        if accused is not None:  # "the suspect", "the defendant"
            return replace(accused, start=token.idx, end=token.idx + len(token.text), surface=token.text)
        if lemma in nouns["anonymous_wrongdoers"] or token.pos_ == "VERB":
            # "the attacker" the text never names, "the accused" read as a participle: nobody
            # to blame by name
            return None
    if bare and lemma in nouns["single_offices"] and token.tag_ in ("NNS", "NNPS"):
        return None  # "other presidents", "heads": no one in particular
    if is_role and not bare and _definite(context, token):
        # "the foreign minister": the last person the document gave that role
        wanted = {t.lower_ for t in label_tokens}
        for i in _earlier(by_head, token.i):
            earlier = by_head[i]
            if earlier.type == "Person" and earlier.role and _holds_role(context, wanted, earlier.role):
                return replace(earlier, start=token.idx, end=token.idx + len(token.text), surface=token.text)
    if bare and _definite(context, token):
        # "the court", "the group", "the minister": the last such actor in the document
        earlier = _last_before(context, token, lemma, by_head, head_lemma, is_role)
        if earlier is not None:
            return replace(earlier, start=token.idx, end=token.idx + len(token.text), surface=token.text)
    if bare and lemma in nouns["state_proxy"] and token.tag_ in ("NNS", "NNPS") and not _definite(context, token):
        return None  # "officials said", "sources say": nobody in particular
    if bare and (lemma in nouns["state_proxy"] or lemma in nouns["vague_heads"] or lemma in lexicon.words["reporting_nouns"]):
        return None  # "intelligence shows…": a source, not an actor
    canonical = lexicon.canonical(label)
    if canonical:
        actor_type = lexicon.actors[canonical].type
    elif is_role:
        actor_type = "Person"
    elif lemma in nouns["institution"]:
        actor_type = "Organization"
    else:
        actor_type = "Group"
    start = label_tokens[0].idx
    end = label_tokens[-1].idx + len(label_tokens[-1].text)
    return ActorMention(name=label, type=actor_type, start=start, end=end, surface=context.text[start:end],
                        role=label if actor_type == "Person" else None, canonical=canonical,
                        state=(lexicon.state_of(canonical) if canonical else None) or state)


def _place_named_after(context: Context, token: Token, by_head: dict[int, ActorMention]) -> Optional[ActorMention]:
    """"the state of Vermont", "the city of Tarsk": the place the "of" phrase names."""
    if token.lemma_.lower() not in context.lexicon.actor_nouns["place_titles"] or token.tag_ != "NN":
        return None
    for obj in pobjs(token, context.grammar.of_preps):
        ent = context.ent_at.get(obj.i)
        if ent is not None and ent.label_ == "GPE" and ent.root.i in by_head and obj.left_edge.i >= ent.start:
            return replace(by_head[ent.root.i], start=token.idx, end=ent.end_char, surface=context.text[token.idx: ent.end_char])
    return None


def _possessing_country(context: Context, token: Token, by_head: dict[int, ActorMention]) -> Optional[str]:
    """"their government", "its army": the country named last, in this sentence or the one
    before, or the country of the people named last."""
    grammar = context.grammar
    if not any(c.dep_ == grammar.poss_dep and c.lower_ in grammar.group_pronouns | grammar.plural_pronouns
               for c in token.children):
        return None
    earliest = context.sent_starts[max(0, context.sentence_of(token) - 1)]
    for i in _earlier(by_head, token.i):
        if earliest <= i and by_head[i].type == "Country":
            return by_head[i].canonical or by_head[i].name
        if earliest <= i and by_head[i].state:
            return by_head[i].state  # "Tarsk citizens criticised their government": Tarsk's
    return None


def _member_of_named_group(context: Context, token: Token) -> Optional[ActorMention]:
    """"Taliban insurgents", "Sable Army fighters": members named by their group are the group."""
    if token.lemma_.lower() not in context.lexicon.actor_nouns["member_nouns"]:
        return None
    for child in token.children:
        ent = context.ent_at.get(child.i)
        if child.dep_ == "compound" and ent is not None and ent.label_ in ("ORG", "NORP") and ent.end == token.i:
            mention = _entity_mention(context, ent, as_modifier=True)
            if mention is not None and mention.type in ("Group", "Organization"):
                return replace(mention, start=ent.start_char, end=token.idx + len(token.text),
                               surface=context.text[ent.start_char: token.idx + len(token.text)])
    return None


def _last_accused(context: Context, token: Token, by_head: dict[int, ActorMention]) -> Optional[ActorMention]:
    """The last person the document charged, arrested or accused before this token."""
    verbs = context.lexicon.actor_nouns["accusing_verbs"]
    for i in _earlier(by_head, token.i):
        mention, head = by_head[i], context.doc[i]
        if mention.type == "Person" and head.dep_ in ("dobj", "nsubjpass") and head.head.lemma_.lower() in verbs:
            return mention
        participles = [*head.children, *(head.head.children if head.dep_ == "nsubj" else ())]
        if mention.type == "Person" and any(p.tag_ == "VBN" and p.dep_ in ("acl", "advcl") and p.lemma_.lower() in verbs
                                            for p in participles):
            return mention  # "Rana Holt, charged with arson,", "Holt appeared in court, charged with arson"
        if mention.type == "Person" and head.dep_ == "nsubj" and context.sentence_of(head) not in context.headlines and \
                head.head.lemma_.lower() in context.lexicon.words["responsibility_verbs"]:
            return mention  # "Rana Holt shot three people": the gunman (a headline's "Holt shot" is a passive)
    return None


def _definite(context: Context, token: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in context.grammar.definite_determiners for c in token.children)


def _last_before(context: Context, token: Token, lemma: str, by_head: dict[int, ActorMention],
                 head_lemma: dict[int, str], is_role: bool) -> Optional[ActorMention]:
    generic = context.lexicon.actor_nouns["group_heads"]
    for i in _earlier(by_head, token.i):
        mention = by_head[i]
        if head_lemma.get(i) == lemma:
            return mention
        if is_role and mention.type == "Person" and mention.role and _holds_role(context, {lemma}, mention.role):
            return mention
        if lemma in generic and mention.type in ("Group", "Organization") and (
                i in context.ent_at or context.doc[i].pos_ == "PROPN"):
            speaker = context.doc[i]
            if speaker.dep_ in context.grammar.subject_deps and speaker.head in token.ancestors and \
                    speaker.head.lemma_.lower() in context.lexicon.words["speech_verbs"]:
                continue  # "the council did not find that the firm…": the firm is not the council
            return mention
    return None


def _holds_role(context: Context, wanted: set[str], role: str) -> bool:
    """"the prime minister" is the person titled prime minister, not a deputy prime minister."""
    words = _role_words(context, role)
    return wanted <= words and not (words - wanted) & context.lexicon.actor_nouns["subordinate_ranks"]


def _role_words(context: Context, role: str) -> set[str]:
    """The words of a role up to its first preposition: a "spokesperson for the governor" is
    a spokesperson, not a governor."""
    words = []
    for word in role.replace("'s", " ").lower().split():
        if word in context.lexicon.actor_nouns["label_prepositions"]:
            break
        words.append(word)
    return set(words)


def _is_state_word(context: Context, token: Token) -> bool:
    return context.lexicon.country_of(token.text) is not None or token.lower_ in context.grammar.determiners


def _state_modifier(context: Context, token: Token, swap: Optional[tuple[Token, Token]] = None) -> Optional[str]:
    """The state a noun phrase belongs to: a demonym or country before it, a country's
    possessive, or a country after "of"/"from"/"in"."""
    lexicon = context.lexicon
    for child in token.children:
        if swap is not None and child.i == swap[0].i:
            child = swap[1]
        if child.dep_ in ("amod", "compound", "nmod", "poss") or child.ent_type_ in ("NORP", "GPE"):
            ent = context.ent_at.get(child.i)
            text = _strip_possessive(context, ent.text if ent is not None else child.text)
            country = lexicon.country_of(text)
            if country:
                return country
        if child.dep_ == "prep" and child.lower_ in context.grammar.state_preps:
            for obj in child.children:
                if obj.dep_ == "pobj":
                    ent = context.ent_at.get(obj.i)
                    country = lexicon.country_of(ent.text if ent is not None else obj.text)
                    if country and lexicon.actors.get(country) and lexicon.actors[country].type == "Country":
                        return country
    return None


def _strip_possessive(context: Context, text: str) -> str:
    for marker in context.grammar.possessive_markers:
        if text.endswith(marker):
            return text[: -len(marker)]
    return text


LABEL_PARTICIPLE_WORDS = 5  # "associated with Maldoria" names a group; a longer participle clause describes it


def _label_tokens(context: Context, token: Token, swap: Optional[tuple[Token, Token]] = None) -> list[Token]:
    """The words that name the actor: its identifying modifiers, the noun, and a
    prepositional or relative phrase that says whose or where ("critics within Tarrow",
    "a court in Orsk", "people who fish the lake")."""
    grammar = context.grammar
    nouns = context.lexicon.actor_nouns
    skip = nouns["non_identifying_modifiers"] | grammar.determiners
    kept: list[Token] = []
    for child in token.lefts:
        if child.dep_ in ("det", "predet", "nummod", "quantmod", "punct", "cc", "preconj", "advmod",
                          "prep", "mark", "nsubj", "aux", "neg"):  # a misparse's clause words are no name
            continue
        if child.dep_ == "poss" and (child.lower_ in grammar.determiners or child.pos_ == "PRON"):
            continue
        words = child.subtree
        if swap is not None and child.i == swap[0].i:  # only one conjunct of the modifier
            others = {t.i for c in swap[0].conjuncts for t in c.subtree} | {
                c.i for c in swap[0].children if c.dep_ in ("cc", "punct")}
            words = swap[1].subtree if swap[1].i != swap[0].i else [t for t in child.subtree if t.i not in others]
        # a word of a name stays ("New" of "a New York court")
        subtree = [t for t in words if (t.lower_ not in skip or t.pos_ == "PROPN" and t.ent_type_)
                   and t.dep_ not in ("punct", "det") and not (t.pos_ == "PRON" and t.dep_ == "poss")]
        while subtree and subtree[-1].dep_ == "cc":
            subtree = subtree[:-1]
        kept.extend(subtree)
    kept.append(token)
    for child in token.rights:
        if child.dep_ == "amod" and any(c.dep_ == "prep" for c in child.children) or (
                child.dep_ == "acl" and child.tag_ == "VBN" and len(list(child.subtree)) <= LABEL_PARTICIPLE_WORDS
                and any(c.dep_ in ("prep", "agent") for c in child.children)):
            # "forces loyal to the governor", "militias backed by Maldoria"
            kept.extend(t for t in child.subtree if not t.is_punct and not _inside_apposition(t, child))
        elif child.dep_ == "prep" and child.lower_ in nouns["label_prepositions"]:
            objects = [o for o in child.children if o.dep_ == "pobj" and o.ent_type_ not in ("DATE", "TIME")
                       and o.pos_ != "VERB" and o.lemma_.lower() not in context.lexicon.words["crime_nouns"]]
            if objects and (objects[0].pos_ == "PROPN" or objects[0].ent_type_ or
                            objects[0].lemma_.lower() in nouns["institution"] | nouns["collective"] | nouns["role"]):
                crimes = context.lexicon.words["crime_nouns"]
                kept.append(child)
                kept.extend(t for t in objects[0].subtree if not _inside_apposition(t, objects[0])
                            and not _inside_phrase_about(t, objects[0], crimes))
        elif child.dep_ == "relcl" and token.lemma_.lower() in nouns["collective"] | nouns["state_proxy"] \
                and len(list(child.subtree)) <= 8 and child.left_edge.lower_ in grammar.person_relatives:
            kept.extend(t for t in child.subtree if not t.is_punct)  # "people who fish the lake"
        elif child.dep_ == "compound":
            kept.append(child)
    kept = sorted({t.i: t for t in kept}.values(), key=lambda t: t.i)
    named = next((t.i for t in kept if t.i < token.i and t.head.i == token.i and (t.pos_ == "PROPN" or t.ent_type_)), None)
    if named is not None:  # "the greedy, careless Tarrow ministers": the name says who
        kept = [t for t in kept if not (t.i < named and t.head.i == token.i and t.dep_ == "amod"
                                        and t.pos_ == "ADJ" and t.is_lower and t.lower_ not in nouns["office_adjectives"])]
    while kept and kept[0].is_punct:
        kept = kept[1:]
    return kept


def _inside_phrase_about(token: Token, top: Token, nouns: frozenset) -> bool:
    """Inside a prepositional phrase about a crime or an act ("… of murder", "… of torturing X")."""
    node = token
    while node.i != top.i:
        if node.dep_ == "prep" and any((o.dep_ == "pobj" and o.lemma_.lower() in nouns) or o.dep_ == "pcomp"
                                       for o in node.children):
            return True
        node = node.head
    return False


def _inside_apposition(token: Token, top: Token) -> bool:
    node = token
    while node.i != top.i:
        if node.dep_ in ("appos", "punct", "relcl", "acl"):
            return True
        node = node.head
    return False


def _join(context: Context, tokens: list[Token]) -> str:
    """The words as the text writes them, without editorial brackets ("[t]he ministry")."""
    text = _joined(context, tokens).replace("[", "").replace("]", "")
    first, _, rest = text.partition(" ")
    if rest and first.lower() in context.grammar.determiners:
        text = rest
    return text.strip()


def _joined(context: Context, tokens: list[Token]) -> str:
    if not tokens:
        return ""
    kept = {t.i for t in tokens}
    gaps = [t for t in context.doc[tokens[0].i: tokens[-1].i + 1] if t.i not in kept]
    contiguous = all(t.is_punct and t.text in "-'’" for t in gaps)  # "in-law", "13-year-old"
    if contiguous:
        return context.text[tokens[0].idx: tokens[-1].idx + len(tokens[-1].text)].strip()
    parts = []
    for a, b in zip(tokens, tokens[1:] + [None]):
        parts.append(a.text + (a.whitespace_ if b is not None and b.i == a.i + 1 else (" " if b is not None else "")))
    return "".join(parts).strip()


def _unique(mentions: Iterable[ActorMention]) -> list[ActorMention]:
    seen = set()
    found = []
    for mention in mentions:
        key = mention.canonical or mention.name
        if key not in seen:
            seen.add(key)
            found.append(mention)
    return found
