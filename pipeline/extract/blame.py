"""From matched constructions to claims of the six kinds.

One handler per construction family (``family`` in ``en/patterns.json``):

* ``blame``: a direct cue (accuse, blame, charge, convict, claim responsibility, acquit…);
* ``content``: a responsibility predicate (carried out, was behind, ordered, is the
  culprit…) inside what a frame reports: its source accuses the predicate's agent, claims
  responsibility when that is itself, denies when the predicate is negated;
* ``rejection``: rejecting a claim disputes its holder, or denies when the one rejecting
  is the accused;
* ``denial``: denying involvement;
* ``warning``: a warning or threat to a named actor.

Every candidate a guard drops is written to the ledger with the reason.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Optional

from ..model import ActorMention, ClaimMention, TimeMention
from . import syntax
from .actors import only_a_role
from .events import event_near, sentence_span
from .ledger import actor_key
from .slots import Match, body_spoken_for, fill


def read_match(m: Match, excluded: bool) -> None:
    construction, cue, context = m.construction, m.cue, m.context
    drop = lambda reason: m.ledger.drop(m.sentence, construction.id, cue.text, reason)  # noqa: E731
    if excluded:
        return drop("an excluded word goes with the cue ('warned X against…', 'to face charges')")
    negated = any(syntax.negated(node, context) for node in {cue, *m.nodes.values()})
    hedged_clause, clause = False, cue
    if construction.family == "content":  # "he is not guilty", "was not at fault", "was likely behind it"
        while clause.dep_ in context.grammar.predicate_clause_deps and clause.head.i != clause.i:
            clause = clause.head
            negated = negated or syntax.negated(clause, context)
            hedged_clause = hedged_clause or syntax.hedged(clause, context)
    if syntax.refused(cue, context) or (cue.pos_ == "NOUN" and cue.dep_ in ("dobj", "nsubjpass") and
                                         syntax.refused(cue.head, context)):
        return drop(f"'{cue.head.text}' means no statement was made")
    kind = construction.kind
    if construction.requires_negation:
        if not negated:
            return drop("needs a negation")
    elif negated:
        if construction.family == "content" and kind == "accuses":
            kind = "denies"
        elif construction.negated:
            kind = construction.negated
        else:
            return drop("negated")
    if construction.family in ("blame", "warning") and syntax.infinitive(cue, context) \
            and cue.head.lemma_.lower() not in context.words("xcomp_speech_verbs"):
        return drop("an intended act ('to punish…'), not one done")
    if construction.family != "content" and _hearsay(m):
        return drop("reported by no one ('it was alleged that…')")
    frame = m.frames.frame_of(cue)
    if construction.family == "content":
        if frame is None:
            return drop("no one reports this (the narrator's voice)")
        if frame.clearing and kind == "accuses":
            kind = "denies"  # "the inquiry did not find that X breached the law"
        if (syntax.future(cue, context) or syntax.future(clause, context)) and not construction.requires_future:
            return drop("a future act is no blame")
        if _background(clause, context):
            return drop("the setting of a statement ('since X invaded…'), not its claim")
    elif construction.family != "warning" and syntax.future(cue, context) and not construction.requires_future:
        return drop("a statement not yet made ('will deny')")
    elif construction.family == "blame" and _modal(cue, context) and not construction.requires_future:
        return drop("a possibility ('could be sentenced'), not an act")
    if _supposed(clause, context) and not construction.requires_future:
        return drop("a supposition ('if…', 'whether…') is no blame")
    if construction.requires_future and not syntax.future(cue, context):
        return drop("a threat needs a future act")
    if construction.family == "warning" and (syntax.future(cue, context) or _modal(cue, context)):
        return drop("a warning not yet given")
    claimants = [c for c in _first(construction.claimant, m) if not c.start <= cue.idx < c.end]
    if not claimants:  # (a claimant is never the cue itself: "the prosecution of X was…")
        return drop("no claimant")
    claimants = _principals(m, claimants)
    m = replace(m, claimants=tuple(claimants))
    targets = _first(construction.target, m)
    if not targets:
        return drop("no target")
    if construction.named_targets:
        targets = [t for t in targets if _named(t, context)]
        if not targets:
            return drop("only someone the text names counts ('arrested 30 people')")
    # a spokesperson saying what "we" did speaks as the body: its claim, of itself
    target_keys = {actor_key(t) for t in targets}
    bodies = [body_spoken_for(c, m) for c in claimants]
    if any(b is not None and actor_key(b) in target_keys for b in bodies):
        claimants = [b if b is not None and actor_key(b) in target_keys else c for c, b in zip(claimants, bodies)]
        m = replace(m, claimants=tuple(claimants))
    objects = [t for t in syntax.objects(cue, context)]  # "attributed preliminary blame to…"
    hedged = construction.hedged or hedged_clause or syntax.hedged(cue, context) or any(
        syntax.hedged(o, context) for o in objects) or bool(
        frame is not None and frame.hedged and construction.family == "content")
    time = syntax.time_of(cue, context) or (frame.time if frame is not None else None)
    if time is None and cue.pos_ == "NOUN" and cue.dep_ in context.grammar.object_deps:
        time = syntax.time_of(cue.head, context)  # "on Thursday, X filed a lawsuit against…"
    node = cue
    while time is None and node.dep_ in ("advcl", "conj", "xcomp") and node.tag_ == "VBG":
        node = node.head  # "In remarks on Monday, X criticised…, calling… and accusing…"
        time = syntax.time_of(node, context)
    if time is None:
        time = _scene_time(m, context.doc[frame.cue] if construction.family == "content" and frame else cue)
    for claimant in claimants:
        for claim_kind, kept in _kinds(m, kind, claimant, targets):
            if not kept:
                drop(f"{claimant.name} would be its own target")
                continue
            # what a frame reports is signalled by its verb ("insinuated"), not by the predicate
            cue_text = context.doc[frame.cue].text if construction.family == "content" and frame else cue.text
            _add(m, claimant, kept, claim_kind, hedged, time, cue_text)



def _first(slots, m: Match) -> list[ActorMention]:
    for slot in slots:
        found = fill(slot, m)
        if found:
            return _unique(found)
    return []


def _kinds(m: Match, kind: str, claimant: ActorMention, targets: list[ActorMention]):
    """The kinds a claimant's statement gives, with their targets."""
    me = actor_key(claimant)
    others = [t for t in targets if actor_key(t) != me]
    mine = {actor_key(c) for c in m.claimants}
    if kind == "denies" and len(mine) > 1 and {actor_key(t) for t in targets} == mine:
        targets = [claimant]  # "the pair denied wrongdoing": each denies its own
    family = m.construction.family
    if kind == "claims_responsibility":
        yield kind, [claimant]
    elif family == "content" and kind == "accuses" and not others:
        # "we carried it out": only an act said of the speaker, not something the speaker owns
        if _claimable_act(m):
            yield "claims_responsibility", [claimant]
    elif family == "content" and kind == "denies":
        yield kind, targets
    elif family == "content" and kind == "disputes" and (not others or _accused_by(m, claimant, targets)):
        yield "denies", [claimant]  # "the charges (against me) are baseless", said by the accused
    elif family == "content" and kind == "accuses" and _agreeing(m):
        yield "confirms", others
    elif family == "rejection":
        denial = m.cue.lemma_.lower() in m.context.grammar.denial_verbs
        others = [t for t in others if actor_key(t) not in mine]  # co-claimants do not dispute each other
        for accused in [claimant, *_represented(m, claimant)]:
            accusation = m.ledger.accused(accused, m.sentence)
            if (not others and accused is claimant) or (denial and accusation is not None) or (
                    accusation is not None and any(actor_key(t) == actor_key(accusation.claimant) for t in targets)):
                yield "denies", [accused]  # the accused (or its lawyer) rejecting the accusation denies it
                return
        yield kind, others
    elif kind == "denies":
        yield kind, targets
    else:
        yield kind, others


SCENE_REACH = 2  # sentences: as far as "they" looks back


def _scene_time(m: Match, verb) -> Optional[TimeMention]:
    """"The ministers met in Orsk on Wednesday. They concluded that…": a pronoun subject
    continuing the subject of a sentence just before speaks at the time that sentence gives."""
    context = m.context
    subjects = [c for c in verb.children if c.dep_ in context.grammar.active_subject_deps]
    if len(subjects) != 1 or subjects[0].pos_ != "PRON" or m.sentence == 0:
        return None
    mine = {actor_key(a) for a in m.actors.actors(subjects[0])}
    for n in range(m.sentence - 1, max(-1, m.sentence - 1 - SCENE_REACH), -1):
        root = context.sents[n].root
        before = {actor_key(a) for s in syntax.subject_tokens(root, context) for a in m.actors.actors(s)}
        if mine and mine & before:  # the sentence that set the scene for these speakers
            return syntax.time_of(root, context) if root.pos_ in ("VERB", "AUX") else None
    return None


def _principals(m: Match, claimants: list[ActorMention]) -> list[ActorMention]:
    """"X lodged the complaint on behalf of the guild", "…on the guild's behalf": the guild
    makes the claim through X."""
    context = m.context
    preposition, word = context.grammar.behalf_phrase
    verb = m.cue.head if m.cue.pos_ == "NOUN" and m.cue.dep_ in context.grammar.object_deps else m.cue
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == preposition):
        for behalf in (o for o in prep.children if o.dep_ == "pobj" and o.lemma_.lower() == word):
            found = [a for c in behalf.children if c.dep_ == context.grammar.poss_dep for a in m.actors.actors(c)]
            found += [a for o in syntax.pobjs(behalf, context.grammar.of_preps) for a in m.actors.actors(o)]
            if found:
                return found
    return claimants


def _named(mention: ActorMention, context) -> bool:
    """An actor the text names, not one it only describes ("people in the area", "the driver")."""
    if mention.canonical or mention.type == "Country" or (mention.type == "Person" and not only_a_role(mention)):
        return True
    span = context.doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return span is not None and any(t.pos_ == "PROPN" or t.ent_type_ for t in span)


def _represented(m: Match, speaker: ActorMention) -> list[ActorMention]:
    """"Mara Quist, Rell's lawyer", "his spokesman", "counsel for Rell": whom the speaker speaks for."""
    context = m.context
    span = context.doc.char_span(speaker.start, speaker.end, alignment_mode="expand")
    if span is None:
        return []
    root = span.root
    nouns = context.words("representative_nouns")
    appositions = [c for c in root.children if c.dep_ == context.grammar.appos_dep]
    for token in [root, *appositions, *([root.head] if root.dep_ == context.grammar.appos_dep else [])]:
        if token.lemma_.lower() in nouns:
            owners = [a for c in token.children if c.dep_ == context.grammar.poss_dep for a in m.actors.actors(c)]
            owners += [a for o in syntax.pobjs(token, context.grammar.representing_preps) for a in m.actors.actors(o)]
            if owners:
                return owners
    return []


def _accused_by(m: Match, claimant: ActorMention, holders: list[ActorMention]) -> bool:
    """One of ``holders`` accused ``claimant`` earlier in the document."""
    accused = m.ledger.accused(claimant, m.sentence)
    return accused is not None and any(actor_key(h) == actor_key(accused.claimant) for h in holders)


def _hearsay(m: Match) -> bool:
    """Inside what an agentless passive reports ("it was alleged that X confessed")."""
    context, node = m.context, m.cue
    speech = context.words("speech_verbs")
    while node.head.i != node.i and node.dep_ in ("ccomp", "xcomp"):
        node = node.head
        if node.pos_ in ("VERB", "AUX") and node.lemma_.lower() in speech:
            return syntax.is_passive(node, context) and not syntax.agent_tokens(node, context)
    return False


def _supposed(cue, context) -> bool:
    """The act or a clause it depends on is under "if" ("if the council decides to close…")."""
    node = cue
    for _ in range(4):
        if syntax.conditional(node, context):
            return True
        if node.dep_ not in ("xcomp", "ccomp", "conj") or node.head.i == node.i:
            return False
        node = node.head
    return False


def _background(clause, context) -> bool:
    """The reported act is a temporal clause of the statement ("since X invaded…")."""
    inside = clause.i in context.quoted
    return any(c.dep_ == "mark" and c.lower_ in context.grammar.background_marks and (c.i in context.quoted) == inside
               for c in clause.children)


def _modal(token, context) -> bool:
    return any(c.dep_ == "aux" and c.lower_ in context.grammar.modal_words for c in token.children)


def _agreeing(m: Match) -> bool:
    frame = m.frames.frame_of(m.cue)
    return frame is not None and frame.agreeing


def _claimable_act(m: Match) -> bool:
    """"We carried out the strike": an attack-like act, said of the speaker itself."""
    if any(slot.startswith("owner_of:") for slot in m.construction.target):
        return False
    words = m.context.words
    return m.cue.lemma_.lower() in words("attack_verbs") or any(
        t.lemma_.lower() in words("crime_nouns") for t in m.cue.subtree)


def _add(m: Match, claimant: ActorMention, targets: list[ActorMention], kind: str, hedged: bool,
         time: Optional[TimeMention], cue_text: str) -> None:
    for claim in m.ledger.recent(m.sentence, window=0):
        if claim.kind == kind and actor_key(claim.claimant) == actor_key(claimant) and \
                {actor_key(t) for t in claim.targets} == {actor_key(t) for t in targets}:
            if hedged and not claim.hedged:  # the same claim, found by two constructions: one hedges it
                m.ledger.hedge(claim)
            return
    claim = ClaimMention(
        claimant=claimant, targets=tuple(targets), kind=kind, hedged=hedged, cue=cue_text,
        sentence=sentence_span(m.context, m.sentence), sentence_index=m.sentence,
        event=event_near(m.context, m.cue), time=time, construction=m.construction.id)
    m.ledger.add(claim, m.construction.id)


def _unique(mentions: list[ActorMention]) -> list[ActorMention]:
    seen = set()
    kept = []
    for mention in mentions:
        if actor_key(mention) not in seen:
            seen.add(actor_key(mention))
            kept.append(mention)
    return kept
