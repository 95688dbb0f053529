"""The knowledge evkg runs on, loaded from the data files in ``pipeline/resources``.

Code never names actors or cue words: they live in ``cues.json`` (attribution cues),
``actors.json`` (known actors, aliases, demonyms, seats of government), ``institutions.json``
(common nouns that name an actor once a country qualifies them) and ``events.json``.
Users extend the actor table with ``--aliases FILE`` (same format as ``actors.json``).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from .resources import lexicon_path


@dataclass(frozen=True)
class Cue:
    lemma: str
    pos: tuple[str, ...]
    kind: str
    targets: tuple[str, ...]
    hedged: bool = False
    requires: frozenset = frozenset()
    requires_scope: str = "object"  # object | clause | object_or_head
    requires_object: bool = False
    requires_context: frozenset = frozenset()
    negated: Optional[str] = None
    only_negated: bool = False
    light_verb: bool = False
    also: Optional["Cue"] = None
    requires_predicate: bool = False


@dataclass(frozen=True)
class KnownActor:
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    seats: tuple[str, ...] = ()


@dataclass
class Lexicon:
    cues: dict[str, list[Cue]]  # lemma -> cues
    word_lists: dict[str, frozenset]
    speech_verbs: frozenset
    hedged_speech_verbs: frozenset
    confirming_speech_verbs: frozenset
    hedge_words: frozenset
    light_verbs: frozenset
    source_nouns: frozenset
    claim_noun_kinds: dict[str, str]  # a claim noun -> the kind of claim it usually refers back to
    actors: dict[str, KnownActor]  # canonical name -> actor
    alias_index: dict[str, str]  # alias or name -> canonical name (case-sensitive)
    folded_index: dict[str, str]  # casefolded alias -> canonical name (aliases longer than 4)
    demonyms: dict[str, str]  # "Russian" -> "Russia"
    seats: dict[str, str]  # "Kyiv" -> "Ukraine"
    capitals: dict[str, str]  # "Russia" -> "Moscow"
    institutions: list[dict]
    person_titles: frozenset
    person_title_words: frozenset  # every word of every title ("Crown", "Prince", "Prime")
    collective_markers: tuple[str, ...]
    event_words: dict[str, Optional[str]]
    figure_words: dict[str, str]  # word -> measure
    qualifiers: list[tuple[str, str]]  # (phrase, qualifier), longest first
    vague_time_words: frozenset  # "earlier this month" pins no day
    number_words: dict[str, int]  # "eleven" -> 11
    not_actors: frozenset = frozenset()
    sources: tuple[str, ...] = field(default_factory=tuple)

    def canonical(self, name: str) -> Optional[str]:
        """The canonical actor name for a surface form, if the table knows it."""
        name = name.strip()
        for candidate in (name, _strip_article(name)):
            if candidate in self.alias_index:
                return self.alias_index[candidate]
            if candidate in self.seats:
                return self.seats[candidate]
            folded = candidate.casefold()
            if len(folded) > 4 and folded in self.folded_index:
                return self.folded_index[folded]
        return None

    def country_of(self, word: str) -> Optional[str]:
        """The country a modifier stands for: demonym ('Russian'), name ('US') or seat ('Kyiv')."""
        word = _strip_article(word.strip())
        if word in self.demonyms:
            return self.demonyms[word]
        name = self.canonical(word)
        if name and self.actors[name].type == "Country":
            return name
        return None


def _strip_article(name: str) -> str:
    for article in ("the ", "The "):
        if name.startswith(article):
            return name[len(article):]
    return name


def _cue(entry: dict, word_lists: dict[str, frozenset]) -> Cue:
    def words(value) -> frozenset:
        if value is None:
            return frozenset()
        if isinstance(value, str):
            return word_lists[value]
        return frozenset(value)

    also = entry.get("also")
    return Cue(
        lemma=entry["lemma"],
        pos=tuple(entry.get("pos", ("VERB",))),
        kind=entry["kind"],
        targets=tuple(entry.get("targets", ())),
        hedged=bool(entry.get("hedged", False)),
        requires=words(entry.get("requires")),
        requires_scope=entry.get("requires_scope", "object"),
        requires_object=bool(entry.get("requires_object", False)),
        requires_context=words(entry.get("requires_context")),
        negated=entry.get("negated"),
        only_negated=bool(entry.get("only_negated", False)),
        light_verb=bool(entry.get("light_verb", False)),
        also=_cue({"lemma": entry["lemma"], **also}, word_lists) if also else None,
        requires_predicate=bool(entry.get("requires_predicate", False)),
    )


def read_actor_table(path: Path) -> list[KnownActor]:
    from .aliases import read_alias_table  # validated against a JSON Schema: one line per bad file

    data = read_alias_table(path)
    entries = data["actors"] if isinstance(data, dict) else data
    actors = []
    for entry in entries:
        if not isinstance(entry, dict) or not entry.get("name") or entry.get("type") not in (
                "Person", "Organization", "Country", "Group"):
            raise ValueError(f"{path}: each actor needs a 'name' and a 'type' "
                             f"(Person, Organization, Country or Group): {entry!r}")
        actors.append(KnownActor(entry["name"], entry["type"], tuple(entry.get("aliases", ())),
                                 tuple(entry.get("demonyms", ())), tuple(entry.get("seats", ()))))
    return actors


@functools.lru_cache(maxsize=8)
def load_lexicon(extra_actor_files: tuple[str, ...] = ()) -> Lexicon:
    cue_data = json.loads(lexicon_path("cues.json").read_text(encoding="utf-8"))
    word_lists = {k: frozenset(v) for k, v in cue_data["word_lists"].items()}
    cues: dict[str, list[Cue]] = {}
    for entry in cue_data["cues"]:
        cue = _cue(entry, word_lists)
        cues.setdefault(cue.lemma, []).append(cue)

    known = read_actor_table(lexicon_path("actors.json"))
    for extra in extra_actor_files:
        known.extend(read_actor_table(Path(extra)))
    actors: dict[str, KnownActor] = {}
    alias_index: dict[str, str] = {}
    folded_index: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    seats: dict[str, str] = {}
    capitals: dict[str, str] = {}
    for actor in known:  # later files override earlier ones
        actors[actor.name] = actor
        for alias in (actor.name, *actor.aliases):
            alias_index[alias] = actor.name
            if len(alias) > 4:
                folded_index[alias.casefold()] = actor.name
        for demonym in actor.demonyms:
            demonyms[demonym] = actor.name
        for i, seat in enumerate(actor.seats):
            seats[seat] = actor.name
            if i == 0:
                capitals[actor.name] = seat

    not_actors = set(json.loads(lexicon_path("actors.json").read_text(encoding="utf-8")).get("not_actors", ()))
    inst = json.loads(lexicon_path("institutions.json").read_text(encoding="utf-8"))
    ev = json.loads(lexicon_path("events.json").read_text(encoding="utf-8"))
    figure_words = {w: measure for measure, ws in ev["figures"].items() for w in ws}
    qualifiers = sorted(((p, q) for q, ps in ev["qualifiers"].items() for p in ps),
                        key=lambda pq: -len(pq[0]))
    return Lexicon(
        cues=cues,
        word_lists=word_lists,
        speech_verbs=frozenset(cue_data["speech_verbs"]),
        hedged_speech_verbs=frozenset(cue_data["hedged_speech_verbs"]),
        confirming_speech_verbs=frozenset(cue_data["confirming_speech_verbs"]),
        hedge_words=frozenset(cue_data["hedge_words"]),
        light_verbs=frozenset(cue_data["light_verbs"]),
        source_nouns=frozenset(cue_data["source_nouns"]),
        claim_noun_kinds=dict(cue_data.get("claim_noun_kinds", {})),
        actors=actors,
        alias_index=alias_index,
        folded_index=folded_index,
        demonyms=demonyms,
        seats=seats,
        capitals=capitals,
        institutions=inst["institutions"],
        person_titles=frozenset(inst["person_titles"]),
        person_title_words=frozenset(w for t in inst["person_titles"] for w in t.split()),
        collective_markers=tuple(inst["collective_markers"]),
        event_words=ev["events"],
        figure_words=figure_words,
        qualifiers=qualifiers,
        vague_time_words=frozenset(ev["vague_time_words"]),
        number_words=dict(ev["number_words"]),
        not_actors=frozenset(not_actors),
        sources=tuple(str(p) for p in extra_actor_files),
    )


def lexicon_fingerprint(extra_actor_files: Iterable[str] = ()) -> str:
    """A hash of everything extraction depends on: its data files and its code (part of the
    cache key, so a changed rule or lexicon never reuses stale extractions)."""
    import hashlib

    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in ("cues.json", "actors.json", "institutions.json", "events.json"):
        digest.update(lexicon_path(name).read_bytes())
    for module in ("extract.py", "nlp.py", "model.py", "lexicon.py"):
        digest.update((package / module).read_bytes())
    for extra in extra_actor_files:
        digest.update(Path(extra).read_bytes())
    return digest.hexdigest()
