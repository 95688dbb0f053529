"""The explicit record of what extraction found and dropped, sentence by sentence.

Constructions read earlier claims from it ("similar accusations were made by…", a denial
of "the accusation"); ``evkg explain`` prints it. Entries are appended; a claim another
construction also finds as a suggestion is marked hedged.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable, Optional

from ..model import ActorMention, ClaimMention


@dataclass(frozen=True)
class Found:
    claim: ClaimMention
    construction: str


@dataclass(frozen=True)
class Dropped:
    sentence: int
    construction: str
    cue: str
    reason: str


@dataclass
class Ledger:
    found: list[Found] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)

    def add(self, claim: ClaimMention, construction: str) -> None:
        self.found.append(Found(claim, construction))

    def hedge(self, claim: ClaimMention) -> None:
        """Another construction found the same claim as a suggestion: it is hedged."""
        for n, found in enumerate(self.found):
            if found.claim is claim:
                self.found[n] = Found(replace(claim, hedged=True), found.construction)

    def drop(self, sentence: int, construction: str, cue: str, reason: str) -> None:
        self.dropped.append(Dropped(sentence, construction, cue, reason))

    def recent(self, sentence: int, window: int = 3, kinds: Iterable[str] = ()) -> list[ClaimMention]:
        """Claims of the last ``window`` sentences up to this one, latest first."""
        kinds = set(kinds)
        found = []
        for f in reversed(self.found):  # claims are found in sentence order: stop at the window
            if f.claim.sentence_index < sentence - window:
                break
            if f.claim.sentence_index <= sentence and (not kinds or f.claim.kind in kinds):
                found.append(f.claim)
        return found

    def accused(self, actor: ActorMention, before_sentence: int) -> Optional[ClaimMention]:
        """The last accusation of ``actor`` up to this sentence."""
        for found in reversed(self.found):
            claim = found.claim
            if claim.sentence_index <= before_sentence and claim.kind == "accuses" and \
                    any(same_person(t, actor) for t in claim.targets):
                return claim
        return None


def actor_key(mention: ActorMention) -> str:
    return (mention.canonical or mention.name).casefold()


def same_person(a: ActorMention, b: ActorMention) -> bool:
    """The same actor, or "Rell" and "Tomas Rell": a person's surname alone (resolution merges
    them later; inside the document a later "Rell" answers what was said of "Tomas Rell")."""
    first, second = actor_key(a), actor_key(b)
    if first == second:
        return True
    if a.type != "Person" or b.type != "Person":
        return False
    short, full = sorted((first, second), key=len)
    return " " not in short and " " in full and full.rsplit(" ", 1)[1] == short
