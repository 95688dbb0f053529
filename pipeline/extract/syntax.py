"""Small questions about the dependency parse that every construction asks: who is the
subject of a verb, what a noun belongs to, whether a word is negated or hedged, when a
statement was made. Each reads the parse and the actor index; none changes anything."""

from __future__ import annotations

from typing import Optional

from spacy.tokens import Token

from ..model import ActorMention, TimeMention
from .actors import ActorIndex
from .context import Context, place_after_place, pobjs


def is_passive(verb: Token, context: Context) -> bool:
    if any(c.dep_ in context.grammar.passive_subject_deps or c.dep_ == "auxpass" for c in verb.children):
        return True
    if verb.dep_ == "acl" and verb.tag_ in ("VBN", "VBD") and verb.head.dep_ != "ROOT" and not any(
            c.dep_ in context.grammar.subject_deps | context.grammar.object_deps | {"ccomp"} for c in verb.children):
        # "an aid worker kidnapped last year": the noun is the one kidnapped (unless the noun
        # is the sentence's root: then the parse missed the main verb, "Officials, …, insinuated")
        return True
    if verb.tag_ in ("VBD", "VBN") and context.sentence_of(verb) in context.headlines and \
            not any(c.dep_ in ("aux", "dobj") for c in verb.children):
        return True  # a headline's "Envoy killed in Varno" is "was killed"
    # "were killed or injured": a bare participle coordinated with a passive shares it
    return verb.dep_ == context.grammar.conj_dep and verb.tag_ == "VBN" and verb.head.i != verb.i and \
        not any(c.dep_ in context.grammar.subject_deps or c.dep_ == "aux" for c in verb.children) and \
        any(c.dep_ in context.grammar.passive_subject_deps or c.dep_ == "auxpass" for c in verb.head.children)


def subject_tokens(verb: Token, context: Context, depth: int = 0) -> list[Token]:
    """The active subject of a verb, inherited through coordination, control and
    participles ("X rejected the claim, calling it…"); the antecedent of a relative."""
    grammar = context.grammar
    found = [c for c in verb.children if c.dep_ in grammar.active_subject_deps]
    if found and verb.dep_ == "relcl" and all(t.lower_ in grammar.relative_words for t in found):
        return [verb.head]  # "intelligence that shows…": the noun the relative stands for
    if len(found) > 1:
        # "the mayor of Orsk, Velmar denies…": the place's country is no second subject
        found = [t for t in found if not place_after_place(t, context)] or found
    if len(found) > 1:
        # "the rebel group Sable Army claimed…" parsed as two subjects: the name, not its description
        named = [t for t in found if t.i in context.ent_at]
        found = [t for t in found if t in named or not any(
            context.ent_at[n.i].start == t.right_edge.i + 1 for n in named)]
    if found:
        return found
    if is_passive(verb, context) or depth > 3:
        return []
    if verb.dep_ == "conj" and is_passive(verb.head, context):
        # "X said the aid was frozen but denied…": an active verb coordinated with a passive
        # one has no patient for a subject; it is the speaker's, a clause further up
        return subject_tokens(verb.head.head, context, depth + 1) if verb.head.dep_ in ("ccomp", "conj") else []
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head.pos_ in ("VERB", "AUX"):
        return subject_tokens(verb.head, context, depth + 1)
    if verb.dep_ == "acl" and verb.head.dep_ == "dobj" and verb.head.head.lemma_.lower() in context.words("undertaking_verbs") \
            and any(c.dep_ == "aux" and c.lower_ in grammar.infinitive_markers for c in verb.children):
        return subject_tokens(verb.head.head, context, depth + 1)  # "X launched a raid to free…": X frees
    if verb.dep_ in ("relcl", "acl") and verb.head.pos_ in ("NOUN", "PROPN", "PRON") and not is_passive(verb, context):
        by = agent_tokens(verb.head, context) if verb.tag_ == "VBG" else []
        if by:
            return by  # "a statement by the ministry accusing Y": the ministry accuses
        if verb.tag_ == "VBG" and verb.head.dep_ in ("dobj", "pobj") and verb.head.i not in context.ent_at:
            # "X wrote a note online accusing Y": the participle is X's; but in "a ruling by
            # the Tarsk Court rejecting Y's appeal" the court, a name, rejects
            node = verb.head
            while node.head.i != node.i and node.pos_ not in ("VERB", "AUX"):
                node = node.head
            if node.pos_ in ("VERB", "AUX") and node.lemma_.lower() in context.words("light_verbs") | context.words("speech_verbs"):
                return subject_tokens(node, context, depth + 1)
        return [verb.head]
    governor = verb.head.head
    if verb.dep_ == "pcomp" and verb.tag_ == "VBG" and verb.head.lower_ in grammar.as_preps and \
            governor.pos_ in ("VERB", "AUX"):
        # "X was quoted as saying…", "the paper cited X as saying…": the one quoted speaks
        if is_passive(governor, context):
            return [c for c in governor.children if c.dep_ in grammar.passive_subject_deps]
        return [c for c in governor.children if c.dep_ in grammar.object_deps] or subject_tokens(governor, context, depth + 1)
    if verb.dep_ == "pcomp" and verb.tag_ == "VBG" and verb.head.lower_ in grammar.gerund_subject_preps and \
            governor.pos_ in ("VERB", "AUX"):
        # "X provoked the crisis by shelling Y"; "X was arrested after stabbing Y": X's
        if is_passive(governor, context):
            return [c for c in governor.children if c.dep_ in grammar.passive_subject_deps]
        return subject_tokens(governor, context, depth + 1)
    return []


def agent_tokens(verb: Token, context: Context) -> list[Token]:
    """The "by" phrase of a passive verb or noun ("by the rebels", "by the hand of the rebels")."""
    found = []
    for c in verb.children:
        if c.dep_ == context.grammar.agent_dep or (c.dep_ == "prep" and c.lower_ in context.grammar.agent_preps):
            for obj in c.children:
                if obj.dep_ == "pobj":
                    inner = [o for o in pobjs(obj, context.grammar.of_preps) if obj.lemma_.lower() in context.words("agency_nouns")]
                    found.extend(inner or [obj])
    return found




def objects(verb: Token, context: Context) -> list[Token]:
    grammar = context.grammar
    if is_passive(verb, context):
        return [c for c in verb.children if c.dep_ in grammar.passive_subject_deps]
    return [c for c in verb.children if c.dep_ in grammar.object_deps]


ACT_LOOK_BACK = 10  # sentences: "the decision" is the one named with its owner this recently


def owners(noun: Token, actors: ActorIndex, context: Context) -> list[ActorMention]:
    """Whose a noun is: its possessor, a name or demonym before it, a "by"/"from"/"of"
    phrase, or the agent of a participle after it ("the report released by X"); for a bare
    "the decision" or "this move", whose the last such act with an owner was."""
    found = _own_owners(noun, actors, context)
    acts = context.words("act_nouns") | context.words("crime_nouns")
    if found or noun.lemma_.lower() not in acts or not any(
            c.dep_ == "det" and c.lower_ in context.grammar.definite_determiners for c in noun.children):
        return found
    earliest = context.sent_starts[max(0, context.sentence_of(noun) - ACT_LOOK_BACK)]
    lemma = noun.lemma_.lower()
    attacks = context.words("claimable_acts")
    for earlier in reversed(context.doc[earliest: noun.i]):
        # "X carried out the airstrike… condemned the attack": one attack, named twice
        if earlier.pos_ == "NOUN" and (earlier.lemma_.lower() == lemma or
                                       lemma in attacks and earlier.lemma_.lower() in attacks):
            found = _own_owners(earlier, actors, context)
            if found:
                return found
    return []


def _own_owners(noun: Token, actors: ActorIndex, context: Context) -> list[ActorMention]:
    found: list[ActorMention] = []
    lexicon = context.lexicon
    done_to = noun.lemma_.lower() in context.words("victim_nouns")
    for child in noun.children:
        if child.dep_ == context.grammar.poss_dep or (child.dep_ in ("compound", "nmod") and (
                child.ent_type_ or child.pos_ == "PROPN" or actors.mention(child) is not None)):
            owners = actors.owner(child)
            if done_to:  # "Ana Lind's murder": she is its victim (a state's is its own act)
                owners = [o for o in owners if o.type == "Country"]
            found.extend(owners)
        elif child.dep_ == "amod":
            country = lexicon.country_of(child.text)
            if country:
                found.append(ActorMention(name=country, type="Country", start=child.idx,
                                          end=child.idx + len(child.text), surface=child.text, canonical=country))
    if found:
        return found
    # "the murder of Ana Lind": she is its victim, where "the attack of the rebels" is theirs
    preps = context.grammar.owner_preps - (context.grammar.of_preps if done_to else frozenset())
    for obj in pobjs(noun, preps):
        found.extend(actors.actors(obj))
    preposition, part_word = context.grammar.part_phrase
    for part in (o for o in pobjs(noun, (preposition,)) if o.lemma_.lower() == part_word):
        found.extend(_own_owners(part, actors, context))  # "wrongdoing on X's part"
    if found:
        return found
    statements = context.words("reporting_nouns") | context.words("claim_nouns") | context.words("lie_words")
    for child in noun.children:
        if child.dep_ == "acl" and noun.lemma_.lower() in statements:  # "the report released by X", "the lie told by X"
            for obj in agent_tokens(child, context):
                found.extend(actors.actors(obj))
    for clause in (c for c in noun.children if c.dep_ == "relcl" and not found):
        # "the decree the governor signed": the relative's subject did what the noun names
        subjects = [c for c in clause.children if c.dep_ in context.grammar.active_subject_deps]
        objects = [c for c in clause.children if c.dep_ in context.grammar.object_deps]
        setting = [o for p in clause.children if p.dep_ == "prep" for o in p.children
                   if o.dep_ == "pobj" and o.lower_ in context.grammar.relative_words]  # "…in which X agreed"
        if subjects and all(s.lower_ not in context.grammar.relative_words for s in subjects) and \
                all(o.lower_ in context.grammar.relative_words for o in objects) and not setting:
            found = [a for s in subjects for a in actors.actors(s)]
    if not found and noun.dep_ == "dobj" and noun.head.lemma_.lower() in context.grammar.having_verbs:
        found = [a for s in subject_tokens(noun.head, context) for a in actors.actors(s)]  # "X launched an operation"
    return found


def negated(token: Token, context: Context) -> bool:
    """A negation on the word itself ("did not blame", "no evidence", "never claimed")."""
    grammar = context.grammar
    for child in token.children:
        if child.dep_ == grammar.negation_dep or (child.dep_ in ("det", "advmod") and child.lower_ in grammar.negation_words):
            return True
    for subject in (c for c in token.children if c.dep_ in grammar.subject_deps):  # "no group claimed…"
        if subject.lower_ in grammar.negation_words or any(
                c.dep_ == "det" and c.lower_ in grammar.negation_words for c in subject.children):
            return True
    if token.dep_ in ("acl", "relcl", "xcomp") and token.head.pos_ == "NOUN" and infinitive(token, context):
        # "no reason to doubt"
        return any(c.dep_ == "det" and c.lower_ in grammar.negation_words for c in token.head.children)
    return False


def refused(token: Token, context: Context) -> bool:
    """"refused to blame", "declined to confirm": no statement was made."""
    head = token.head
    noun_complement = token.dep_ in ("acl", "relcl") and token.head.pos_ == "NOUN"  # "no reason to doubt"
    if token.dep_ not in ("xcomp", "ccomp", "conj") and not noun_complement and \
            infinitive(token, context):
        return True  # "…to punish the mayor": a purpose, not an act reported as done
    return token.dep_ in ("xcomp", "pcomp") and head.lemma_.lower() in context.grammar.refusal_verbs


def hedged(token: Token, context: Context) -> bool:
    """A hedge word on the word, its auxiliaries or an adverb ("may have ordered", "likely")."""
    hedges = context.words("hedge_words")
    for child in token.children:
        if child.lower_ in hedges or child.lemma_.lower() in hedges:
            return True
        if child.dep_ in ("advmod", "amod", "aux", "acomp") and any(t.lower_ in hedges for t in child.subtree):
            return True
    return token.lemma_.lower() in context.words("hedged_speech_verbs")


def infinitive(token: Token, context: Context) -> bool:
    """"to punish", "to doubt": the verb is an infinitive."""
    return any(c.dep_ == "aux" and c.lower_ in context.grammar.infinitive_markers for c in token.children)


def conditional(token: Token, context: Context) -> bool:
    """"if X attacks…": a supposition, not a statement that X did."""
    return any(c.dep_ == "mark" and c.lower_ in context.grammar.conditional_marks for c in token.children)


def future(token: Token, context: Context) -> bool:
    return any(c.dep_ == "aux" and c.lower_ in context.grammar.future_words for c in token.children)


def time_of(verb: Token, context: Context) -> Optional[TimeMention]:
    """A date on the verb itself ("said on Tuesday", "ruled on 3 May", "said late Sunday")."""
    vague = context.lexicon.vague_time_words
    candidates = [c for c in verb.children if c.dep_ in ("npadvmod", "tmod", "advmod")]
    candidates += [o for c in verb.children if c.dep_ == "prep" and c.lower_ in context.grammar.time_preps
                   for o in c.children if o.dep_ == "pobj"]
    # "in its May 9 bulletin", "in a statement on Monday": the date of the statement it was made in
    statements = context.words("reporting_nouns") | context.words("claim_nouns")
    holders = [verb, *(c for c in verb.children if c.dep_ == "xcomp")]  # "advised X to leave… in its alert"
    for noun in (o for h in holders for c in h.children if c.dep_ == "prep" for o in c.children
                 if o.dep_ == "pobj" and o.lemma_.lower() in statements):
        candidates += [c for c in noun.children if c.dep_ in ("compound", "nmod", "npadvmod")]
        candidates += [o for c in noun.children if c.dep_ == "prep" and c.lower_ in context.grammar.time_preps
                       for o in c.children if o.dep_ == "pobj"]
    found = []
    for token in candidates:
        ents = [context.ent_at[t.i] for t in token.subtree if t.i in context.ent_at]
        for ent in ents:
            if ent.text.isdigit() and len(ent.text) < 4:
                continue  # "Tomas Rell, now 22,": an age, not a day
            if ent.label_ in ("DATE", "TIME") and not any(w.lower_ in vague for w in ent) and ent not in found:
                found.append(ent)
    # a day before a time of day ("Saturday morning"): the day is what dates the statement
    found.sort(key=lambda ent: ent.label_ != "DATE")
    if not found:
        return None
    ent = found[0]
    return TimeMention(text=ent.text, start=ent.start_char, end=ent.end_char)
