"""Slots: where a construction finds its claimant and its target.

A construction in ``en/patterns.json`` lists slots by name, tried in order; the first that
yields actors wins. Each slot is one small function of the match. The slot names are
checked against ``pipeline.lexicon.CLAIMANT_SLOTS``/``TARGET_SLOTS`` when patterns load.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from spacy.tokens import Token

from ..model import ActorMention
from . import syntax
from .actors import ActorIndex
from .context import Context
from .frames import Frames, sources_of
from .ledger import Ledger, actor_key


@dataclass(frozen=True)
class Match:
    """One construction matched at one cue, with the context to read it."""

    construction: object  # lexicon.Construction
    cue: Token
    nodes: dict[str, Token]
    sentence: int
    context: Context
    actors: ActorIndex
    frames: Frames
    ledger: Ledger
    claimants: tuple[ActorMention, ...] = ()


def _subject(m: Match) -> list[ActorMention]:
    cue = m.cue
    if cue.pos_ in ("NOUN", "PROPN"):
        return []
    speech = m.context.words("speech_verbs")
    own_subject = any(c.dep_ in m.context.grammar.subject_deps for c in cue.children)
    if not own_subject and cue.dep_ == m.context.grammar.conj_dep and cue.head.dep_ == "ccomp" and \
            cue.head.head.lemma_.lower() in speech:
        # "X said five officers died and blamed Y": an act of blame coordinated into what X
        # reports is X's own, not the reported clause's subject's
        found = sources_of(cue.head.head, m.context, m.actors)
        if found:
            return found
    found = sources_of(cue, m.context, m.actors) if not syntax.is_passive(cue, m.context) else []
    if not found:
        found = _first_person_speaker(m, syntax.subject_tokens(cue, m.context))
    infinitive = syntax.infinitive(cue, m.context)
    subjects = [c for c in cue.children if c.dep_ in m.context.grammar.subject_deps]
    # "wrote a note on his site blaming Y" may parse "site" as the participle's subject
    misparsed = cue.tag_ == "VBG" and cue.dep_ in ("pcomp", "acl") and not any(
        m.actors.actors(c) or c.pos_ == "PRON" for c in subjects)
    has_subject = bool(subjects) and not misparsed
    if not found and not has_subject and (cue.tag_ == "VBG" or infinitive or cue.dep_ == "conj"):
        # "X wrote a note online, accusing Y": the participle belongs to a clause above
        node = cue
        partner = cue.head if cue.dep_ == m.context.grammar.conj_dep else None
        while not found and node.head.i != node.i:
            node = node.head
            if node.pos_ in ("VERB", "AUX"):
                found = sources_of(node, m.context, m.actors)
                # the clause above has a subject of its own, who is no actor; but a verb
                # coordinated into a reported clause ("said the aid was frozen but denied…")
                # is the speaker's, not that clause's subject's
                if not found and node is not partner and any(
                        c.dep_ in m.context.grammar.subject_deps and c.dep_ != "expl" for c in node.children):
                    break
    if not found and not has_subject and cue.dep_ == "ROOT" and cue.tag_ in ("VBD", "VBZ", "VBP"):
        found = _stranded_subject(m)
    if not found and not any(m.actors.actors(c) for c in subjects):
        found = _participle_subject(m)
    return found


def _participle_subject(m: Match) -> list[ActorMention]:
    """"Ana Lind talking to a Tarsk think tank blamed the guild", parsed with "think
    tank" as the verb's subject and Lind as the participle's: the participle's actor speaks."""
    grammar = m.context.grammar
    for child in m.cue.children:
        if child.dep_ == "advcl" and child.tag_ == "VBG" and child.i < m.cue.i:
            found = [a for c in child.children if c.dep_ in grammar.active_subject_deps for a in m.actors.actors(c)]
            if found:
                return found
    return []


def _stranded_subject(m: Match) -> list[ActorMention]:
    """"In a statement after the attack, Ana Lind, a spokeswoman for X, blamed…" parsed
    with the name as the attack's apposition: a finite verb with no subject takes the name
    set off by commas right before it."""
    cue, context = m.cue, m.context
    sent = context.sents[m.sentence]
    before = [t for t in sent if t.i < cue.i]
    while before and before[-1].head.i == cue.i and before[-1].dep_ in ("aux", "auxpass", "neg", "advmod"):
        before = before[:-1]  # "…, was sentenced"
    if not before or before[-1].text != ",":
        return []
    grammar = context.grammar
    first = None  # the leftmost name of the run: "Ana Lind, sister of Eva Lind, was sentenced" is Ana
    for token in reversed(before[:-1]):
        if token.dep_ in (grammar.appos_dep, grammar.conj_dep) and token.i in context.ent_at and \
                (token.dep_ == grammar.appos_dep or context.ent_at[token.i].label_ == "PERSON"):
            # "…, Ana Lind, a spokeswoman for X, blamed"; "On Friday in Orsk, Ana Lind, …, was sentenced"
            first = token
        elif token.dep_ not in ("appos", "prep", "pobj", "det", "compound", "punct", "amod", "cc", "conj"):
            break
    return m.actors.actors(first) if first is not None else []


def _first_person_speaker(m: Match, tokens: list[Token]) -> list[ActorMention]:
    """"we warn…" inside a quotation: the quotation's speaker; "we" of a spokesperson for a
    body is the body ("'We had nothing to do with it,' said Ana Lind, a spokeswoman for X")."""
    if any(m.actors.is_first_person(t) for t in tokens):
        frame = m.frames.frame_of(m.cue)
        if frame is not None:
            plural = any(t.lower_ in m.context.grammar.plural_first_person for t in tokens)
            return [(body_spoken_for(source, m) if plural else None) or source for source in frame.sources]
    return []


def body_spoken_for(person: ActorMention, m: Match) -> Optional[ActorMention]:
    """The organisation a named person is the spokesperson of, by the apposition that says so."""
    if person.type != "Person":
        return None
    span = m.context.doc.char_span(person.start, person.end, alignment_mode="expand")
    if span is None:
        return None
    voices = m.context.lexicon.actor_nouns["voice_nouns"]
    preps = m.context.lexicon.actor_nouns["label_prepositions"]
    for appos in (c for c in span.root.children if c.dep_ == m.context.grammar.appos_dep and c.lemma_.lower() in voices):
        for obj in syntax.pobjs(appos, preps):
            body = m.actors.mention(obj)
            if body is not None and body.type in ("Organization", "Group", "Country"):
                return body
    return None


def _agent(m: Match) -> list[ActorMention]:
    return [a for t in syntax.agent_tokens(m.cue, m.context) for a in m.actors.actors(t)]


def _possessor(m: Match) -> list[ActorMention]:
    return [a for c in m.cue.children if c.dep_ == m.context.grammar.poss_dep for a in m.actors.actors(c)]


def _by(m: Match) -> list[ActorMention]:
    """"by X" on the noun, or on the "of" phrase it heads ("claims of responsibility by X")."""
    grammar = m.context.grammar
    holders = [m.cue, *(o for o in syntax.pobjs(m.cue, grammar.of_preps))]
    return [a for h in holders for t in syntax.pobjs(h, grammar.source_preps) for a in m.actors.actors(t)]


def _light_verb_subject(m: Match) -> list[ActorMention]:
    head = m.cue.head
    if m.cue.dep_ in ("dobj", "attr") and head.lemma_.lower() in m.context.words("light_verbs"):
        return [a for s in syntax.subject_tokens(head, m.context) for a in m.actors.actors(s)]
    return []


def _light_verb_agent(m: Match) -> list[ActorMention]:
    head = m.cue.head
    if m.cue.dep_ == "nsubjpass" and head.lemma_.lower() in m.context.words("light_verbs"):
        return [a for t in syntax.agent_tokens(head, m.context) for a in m.actors.actors(t)]
    return []


COURT_REACH = 4  # sentences


def _court_context(m: Match) -> list[ActorMention]:
    """A passive ruling with no agent ("were acquitted"): the last court the document named."""
    if not syntax.is_passive(m.cue, m.context) or syntax.agent_tokens(m.cue, m.context) or \
            m.cue.lemma_.lower() not in m.context.words("court_verbs_agentless"):
        return []  # "X was charged": by prosecutors, not by the last court named
    court_like = m.context.lexicon.actor_nouns["court_like"]
    court = m.actors.last_with_head(court_like, m.cue)
    if court is None:
        return []
    courts = {actor_key(a) for a in m.actors.with_heads(court_like)}
    distance = m.sentence - m.context.sentence_of(m.context.doc.char_span(court.start, court.end, alignment_mode="expand")[0])
    # the court nearby, or the document's only court within its paragraph or so: a verdict
    # pages later ("was convicted in 2010") is another case's
    return [court] if distance <= 1 or (len(courts) == 1 and distance <= COURT_REACH) else []


def _reporter(m: Match) -> list[ActorMention]:
    """"X is suspected of the bombing, police said": an agentless passive cue inside what
    someone reports is that someone's claim."""
    if not syntax.is_passive(m.cue, m.context) or syntax.agent_tokens(m.cue, m.context):
        return []
    return _frame_source(m)


def _frame_source(m: Match) -> list[ActorMention]:
    frame = m.frames.frame_of(m.cue)
    return list(frame.sources) if frame else []


def _object(m: Match) -> list[ActorMention]:
    objects = syntax.objects(m.cue, m.context)
    if not objects and m.cue.dep_ == "ROOT" and syntax.is_passive(m.cue, m.context):
        return _stranded_subject(m)  # a passive's patient that a misparse left outside its clause
    return [a for t in objects for a in m.actors.actors(t)]


def _object_owner(m: Match) -> list[ActorMention]:
    return [a for t in syntax.objects(m.cue, m.context) if m.actors.mention(t) is None
            for a in syntax.owners(t, m.actors, m.context)]


def _xcomp_object(m: Match) -> list[ActorMention]:
    """"threatened to expel the envoy": the one the threatened harm is done to."""
    words = m.context.words
    harms = words("threat_verbs") | words("responsibility_verbs") | words("act_verbs")
    return [a for c in m.cue.children if c.dep_ == "xcomp" and c.lemma_.lower() in harms
            for t in syntax.objects(c, m.context) for a in m.actors.actors(t)]


def _self(m: Match) -> list[ActorMention]:
    return list(m.claimants)


def _doer(m: Match) -> list[ActorMention]:
    """Who did what a verb says: its active subject or its passive agent."""
    cue = m.cue
    if syntax.is_passive(cue, m.context):
        # "inflicted by the rebels' guns": whose the instrument is
        return _agent(m) or [a for t in syntax.agent_tokens(cue, m.context) for a in syntax.owners(t, m.actors, m.context)]
    tokens = syntax.subject_tokens(cue, m.context)
    found = [a for t in tokens for a in m.actors.actors(t)]
    if not found:  # "the governor's decision ruined…", "Kestrel's airstrikes killed…": the act's owner
        acts = m.context.words("act_nouns") | m.context.words("crime_nouns")
        found = [a for t in tokens if t.lemma_.lower() in acts for a in syntax.owners(t, m.actors, m.context)]
    return found or _first_person_speaker(m, tokens)


def _doer_to_actor(m: Match) -> list[ActorMention]:
    """An act done to someone ("attacked journalists", "were sent by the firm"): its doer."""
    grammar = m.context.grammar
    patients = [t for t in syntax.objects(m.cue, m.context) if t.lower_ not in grammar.reflexive_pronouns]
    if syntax.is_passive(m.cue, m.context):
        return _agent(m) if any(m.actors.actors(t) for t in patients) else []
    if m.cue.lemma_.lower() in m.context.words("passive_only_acts") or not any(m.actors.actors(t) for t in patients):
        return []  # "shot himself": no one wronged by someone else
    return _doer(m)


def _predicate_subject_tokens(m: Match) -> list[Token]:
    cue = m.cue
    for holder in (cue, cue.head, cue.head.head):
        tokens = [c for c in holder.children if c.dep_ in m.context.grammar.subject_deps and c.dep_ != "expl"]
        if tokens:
            return tokens
        if holder.dep_ not in m.context.grammar.predicate_subject_deps:
            break
    return []


def _predicate_owner(m: Match) -> list[ActorMention]:
    """"The governor's order was unlawful", "…was a blunder": whose act the predicate is said of."""
    if m.cue.pos_ == "NOUN" and m.cue.dep_ not in m.context.grammar.attribute_deps:
        return []  # a noun that is no predicate ("…without participation by X") says nothing of a subject
    found = []
    for t in _predicate_subject_tokens(m):
        found.extend(m.actors.actors(t) or syntax.owners(t, m.actors, m.context))
    return found


def _predicate_holder(m: Match) -> list[ActorMention]:
    """"The ministry's claim is a lie", "It is a lie": who holds the claim so described."""
    found = []
    for t in _predicate_subject_tokens(m):
        if t.lemma_.lower() in m.context.words("claim_nouns") or t.lower_ in m.context.words("anaphoric_claim_words"):
            found.extend(holders(t, m))
    return found


def _governing_subject(m: Match) -> list[ActorMention]:
    """The speaker of the nearest clause above that has one ("…demanded a notice for X")."""
    node = m.cue
    while node.head.i != node.i:
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            found = sources_of(node, m.context, m.actors)
            if found:
                return found
    return []


def _predicate_subject(m: Match) -> list[ActorMention]:
    """The subject a predicate word is said of ("X was responsible", "X are the culprits",
    "X is behind it", "holds X responsible")."""
    cue = m.cue
    if cue.head.dep_ == "prep" and cue.head.lower_ in m.context.grammar.as_preps:
        return _as_predicated(m)
    for holder in (cue, cue.head, cue.head.head):
        tokens = [c for c in holder.children if c.dep_ in m.context.grammar.subject_deps and c.dep_ != "expl"]
        if tokens:
            found = [a for t in tokens for a in m.actors.actors(t)]
            return found or _first_person_speaker(m, tokens)
        if holder.dep_ not in m.context.grammar.predicate_subject_deps:
            break
    return []


def _as_predicated(m: Match) -> list[ActorMention]:
    """"a report that points to X as responsible", "named X as the culprit": what "as" says is
    said of the object named just before it, not of the clause's subject."""
    grammar = m.context.grammar
    start = m.context.sents[m.sentence].start
    for token in reversed(m.context.doc[start: m.cue.head.i]):
        if token.dep_ in grammar.object_deps | {"pobj", "dative"}:
            found = m.actors.actors(token)
            if found:
                return found
        if token.dep_ in grammar.subject_deps:
            break
    return []


def _denied(m: Match) -> list[ActorMention]:
    """What a denial names: the owner of the denied involvement ("denied Kestrel's role"),
    the doer in a denied clause ("denied that the army fired"), else the one denying."""
    cue, context = m.cue, m.context
    deniable = context.words("denial_objects") | context.words("involvement_nouns") | context.words("claim_nouns")
    for t in syntax.objects(cue, context):
        if t.lemma_.lower() in context.words("involvement_nouns"):
            owners = syntax.owners(t, m.actors, context)
            if owners:
                return owners
        denied_act = t.lemma_.lower() in context.words("crime_nouns") | context.words("act_nouns") or any(
            c.dep_ == "det" and c.lower_ in context.grammar.any_determiners for c in t.children)
        if t.lemma_.lower() not in deniable and t.lower_ not in deniable and not denied_act:
            return []  # "deny the enemy a victory": no denial of blame; "denied any contact" is one
    blame_words = context.words("responsibility_adjectives") | context.words("culprit_nouns") | \
        context.words("responsibility_nouns") | context.words("wrongful_adjectives") | context.words("crime_nouns")
    for clause in (c for c in cue.children if c.dep_ in ("ccomp", "xcomp")):
        predicates = [c for c in clause.children if c.dep_ in context.grammar.attribute_deps]
        if clause.lemma_.lower() in context.words("copular_verbs") and predicates and \
                not any(p.lemma_.lower() in blame_words for p in predicates):
            return []  # "denies that Lind is eligible": a quality denied, not a blame
        subjects = syntax.subject_tokens(clause, context)
        if syntax.is_passive(clause, context):
            # "denied that the girl was shot by soldiers": the soldiers; "…that it was involved": it
            subjects = syntax.agent_tokens(clause, context) or (
                [c for c in clause.children if c.dep_ in context.grammar.passive_subject_deps]
                if clause.lower_ in context.words("responsibility_adjectives") else [])
        doers = [a for s in subjects for a in m.actors.actors(s)]
        if doers:
            return doers
        if any(m.actors.is_first_person(s) for s in subjects) or clause.dep_ == "xcomp":
            return list(m.claimants)
        return []  # "denied that the embargo had any effect": no one's blame denied
    return list(m.claimants)


HELD_KINDS = ("accuses", "claims_responsibility", "warns")  # claims someone can answer


def _antecedent_holder(m: Match) -> list[ActorMention]:
    """Who made the claim this one answers: the last accusation or claim nearby by someone else."""
    mine = {actor_key(c) for c in m.claimants}
    for claim in m.ledger.recent(m.sentence, window=1, kinds=HELD_KINDS):
        if actor_key(claim.claimant) not in mine:
            return [claim.claimant]
    return []


def _accused_speaker(m: Match) -> list[ActorMention]:
    """"The charges against me are baseless", "X said the allegations were politically
    motivated" with no one else holding them: the speaker rejects its own blame."""
    words = m.context.words("accusation_nouns")
    mine = {actor_key(c) for c in m.claimants}
    for t in _predicate_subject_tokens(m):
        if t.lower_ not in words and t.lemma_.lower() not in words:
            continue
        against = syntax.pobjs(t, m.context.grammar.accused_preps)
        accused = {actor_key(a) for o in against for a in m.actors.actors(o)}
        if any(m.actors.is_first_person(o) for o in against) or (accused and accused <= mine) or (
                not accused and m.claimants and m.ledger.accused(m.claimants[0], m.sentence) is not None):
            return list(m.claimants)
    return []


STORY_REACH = 10  # sentences


def _story_holder(m: Match) -> list[ActorMention]:
    """"This is a cheap stunt", paragraphs after the story told of one claim: whoever made
    the last one, if only one actor made claims that far back."""
    subjects = _predicate_subject_tokens(m)
    if not subjects or any(t.lower_ not in m.context.words("anaphoric_claim_words") for t in subjects):
        return []  # "X had lied" says what X did; only "it", "this" point back at a claim
    mine = {actor_key(c) for c in m.claimants}
    claims = m.ledger.recent(m.sentence, window=STORY_REACH, kinds=HELD_KINDS)
    holders = {actor_key(c.claimant): c.claimant for c in claims if actor_key(c.claimant) not in mine}
    return list(holders.values()) if len(holders) == 1 else []


def _antecedent_targets(m: Match) -> list[ActorMention]:
    """"Similar accusations were made by X": the targets of the last accusation nearby."""
    for claim in m.ledger.recent(m.sentence, kinds=(m.construction.kind,)):
        return list(claim.targets)
    return []


SLOTS: dict[str, Callable[[Match], list[ActorMention]]] = {
    "subject": _subject, "agent": _agent, "possessor": _possessor, "by": _by,
    "light_verb_subject": _light_verb_subject, "light_verb_agent": _light_verb_agent,
    "court_context": _court_context, "frame_source": _frame_source, "reporter": _reporter,
    "object": _object, "object_actor": _object, "object_owner": _object_owner, "xcomp_object": _xcomp_object,
    "self": _self, "doer": _doer, "predicate_subject": _predicate_subject, "denied": _denied,
    "doer_to_actor": _doer_to_actor, "predicate_owner": _predicate_owner, "predicate_holder": _predicate_holder,
    "governing_subject": _governing_subject,
    "antecedent_holder": _antecedent_holder, "antecedent_targets": _antecedent_targets, "story_holder": _story_holder,
    "accused_speaker": _accused_speaker,
}


def fill(slot: str, m: Match) -> list[ActorMention]:
    if slot in SLOTS:
        return SLOTS[slot](m)
    prefix, _, name = slot.partition(":")
    if prefix == "prep":
        return [a for t in syntax.pobjs(m.cue, (name,)) for a in m.actors.actors(t)]
    node = m.nodes.get(name)
    if node is None:
        return []
    if prefix == "node":
        return m.actors.actors(node)
    if prefix == "subject_of":
        return [a for c in node.children if c.dep_ in m.context.grammar.subject_deps for a in m.actors.actors(c)]
    if prefix == "owner_of":
        return syntax.owners(node, m.actors, m.context)
    if prefix == "holder_of":
        return holders(node, m)
    raise KeyError(slot)  # cannot happen: lexicon checks slot names


def holders(claim_noun: Token, m: Match) -> list[ActorMention]:
    """Who holds a claim: its owner; for "it", "this" or a bare "the accusation", whoever
    made the last claim nearby; a person called a liar is the holder himself."""
    owners = syntax.owners(claim_noun, m.actors, m.context)
    if owners:
        return owners
    direct = m.actors.actors(claim_noun)
    if direct and claim_noun.lower_ not in m.context.words("anaphoric_claim_words"):
        return direct
    found = _antecedent_holder(m)
    rejecting = m.construction.family == "rejection" or m.cue.lemma_.lower() in m.context.grammar.denial_verbs
    if not found and rejecting and claim_noun.dep_ == "dobj" and \
            claim_noun.lower_ in m.context.words("accusation_nouns"):
        return list(m.claimants)  # "X denied/rejected the accusations", no one else's: X denies its own blame
    return found
