"""The knowledge evkg runs on, loaded once per process from the data files in
``pipeline/resources``, and checked as it loads.

Code never names actors or cue words. ``actors.json`` holds known actors, aliases, demonyms
and seats of government (users add their own with ``--aliases FILE``, same format);
``events.json`` event and casualty words; ``en/`` the English tables: ``grammar.json``
(function words and dependency labels), ``actor_nouns.json`` (head nouns that make a phrase
an actor), ``words.json`` (word tables of the constructions), ``titles.json`` (person titles)
and ``patterns.json`` (the constructions, as spaCy ``DependencyMatcher`` patterns).

A pattern with an unknown family, kind, slot, field or word table, one spaCy refuses, or one
using what evkg's matcher does not implement (``pipeline.extract.matching``), fails here with
the file and the construction's id, never later inside one document.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Literal, Optional

import pydantic

from .resources import lexicon_path
from .vocab import CLAIM_KINDS

LANGUAGE = "en"

# The slot names the construction handlers implement (pipeline/extract/slots.py).
CLAIMANT_SLOTS = frozenset({"subject", "agent", "possessor", "by", "light_verb_subject", "light_verb_agent",
                            "court_context", "frame_source", "reporter", "governing_subject"})
TARGET_SLOTS = frozenset({"object", "object_actor", "object_owner", "xcomp_object", "self", "doer", "doer_to_actor",
                          "predicate_subject", "predicate_owner", "predicate_holder", "denied",
                          "antecedent_holder", "antecedent_targets", "story_holder", "accused_speaker"})
PARAMETRIC_SLOTS = ("node:", "prep:", "subject_of:", "owner_of:", "holder_of:")
FAMILIES = ("blame", "rejection", "denial", "warning", "content")


class LexiconError(ValueError):
    """A data file that cannot be used: names the file and the entry."""


@dataclass(frozen=True)
class Construction:
    """One construction: a dependency pattern anchored on its ``cue`` node, and what it means."""

    id: str
    family: str
    kind: str
    claimant: tuple[str, ...]
    target: tuple[str, ...]
    pattern: tuple  # the DependencyMatcher pattern, word tables expanded
    hedged: bool = False
    negated: Optional[str] = None  # the kind when the cue is negated; None: no claim
    requires_negation: bool = False
    requires_future: bool = False  # a threat: "we will strike…"
    also: bool = False  # read besides the construction that claims the cue, not instead
    named_targets: bool = False  # only actors the text names ("arrested 30 people" blames no one)
    excludes: tuple = ()  # child token patterns that cancel a match
    example: str = ""


class _ConstructionSpec(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")

    id: str
    family: Literal[FAMILIES]  # type: ignore[valid-type]
    kind: str
    claimant: list[str]
    target: list[str]
    pattern: list[dict]
    hedged: bool = False
    negated: Optional[str] = None
    requires_negation: bool = False
    requires_future: bool = False
    also: bool = False
    named_targets: bool = False
    excludes: list[dict] = []
    example: str = ""


@dataclass(frozen=True)
class KnownActor:
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    seats: tuple[str, ...] = ()
    state: Optional[str] = None
    wikidata: Optional[str] = None  # a Wikidata QID ("Q159"): the actor is owl:sameAs that entity


@dataclass(frozen=True)
class Grammar:
    """English function words and dependency labels (``en/grammar.json``)."""

    subject_deps: frozenset
    active_subject_deps: frozenset
    passive_subject_deps: frozenset
    object_deps: frozenset
    attribute_deps: frozenset
    clause_deps: frozenset
    content_deps: frozenset
    agent_dep: str
    conj_dep: str
    appos_dep: str
    poss_dep: str
    compound_deps: frozenset
    negation_dep: str
    negation_words: frozenset
    determiners: frozenset
    relative_words: frozenset
    first_person: frozenset
    plural_first_person: frozenset  # "we" of a spokesperson is the body spoken for
    person_pronouns: frozenset
    group_pronouns: frozenset
    plural_pronouns: frozenset
    reflexive_pronouns: frozenset
    male_pronouns: frozenset
    female_pronouns: frozenset
    agent_preps: frozenset
    owner_preps: frozenset
    source_preps: frozenset
    of_preps: frozenset
    state_preps: frozenset
    time_preps: frozenset
    part_phrase: tuple
    behalf_phrase: tuple
    representing_preps: frozenset
    name_breaks: frozenset
    definite_determiners: frozenset
    person_relatives: frozenset
    complementizers: frozenset
    infinitive_markers: frozenset
    conditional_marks: frozenset
    background_marks: frozenset  # "since X invaded…": a setting, not a claim
    denial_verbs: frozenset
    group_anaphors: tuple  # (word, how many people it refers back to)
    totality_words: frozenset  # "all three": the three named before
    any_determiners: frozenset  # "denied any contact": a denial of whatever the noun names
    having_verbs: frozenset  # "X has ties to Y": the ties are X's
    sentence_ends: frozenset  # a line ending in none of these may be a headline
    quote_introducers: frozenset  # "X said:" and a quotation follows
    predicate_clause_deps: frozenset  # up to a predicate word's clause
    predicate_subject_deps: frozenset  # up to a predicate word's subject
    gerund_subject_preps: frozenset  # "X provoked it by shelling Y": the shelling is X's
    as_preps: frozenset  # "named X as responsible": said of X
    accused_preps: frozenset  # "the charges against X": X is the one accused
    name_joining_words: frozenset  # "the Tribunal of Appeal" + "for" + "the Tarsk Region": one name
    open_quotes: frozenset
    close_quotes: frozenset
    straight_quotes: frozenset
    according_to: tuple
    possessive_markers: frozenset
    member_markers: tuple
    member_verbs: frozenset  # "critics, which include X": X is the one named
    umbrella_markers: frozenset
    refusal_verbs: frozenset
    modal_words: frozenset
    future_words: frozenset


@dataclass
class Lexicon:
    grammar: Grammar
    words: dict[str, frozenset]  # word tables of en/words.json
    actor_nouns: dict[str, frozenset]  # state_proxy | institution | collective | role | court_like | ...
    constructions: tuple[Construction, ...]
    actors: dict[str, KnownActor]  # canonical name -> actor
    alias_index: dict[str, str]  # alias or name -> canonical name (case-sensitive)
    folded_index: dict[str, str]  # casefolded alias -> canonical name (aliases longer than 4)
    demonyms: dict[str, str]  # "Maldorian" -> "Maldoria"
    world_demonyms: dict[str, str]  # every other state's and territory's ("Bolivian" -> "Bolivia")
    seats: dict[str, str]  # "Tarrow" -> "Maldoria"
    capitals: dict[str, str]
    person_titles: frozenset
    person_title_words: frozenset
    title_roles: dict[str, str]  # "Dr." -> "doctor"
    commentary_headings: tuple[str, ...]
    event_words: dict[str, Optional[str]]
    figure_words: dict[str, str]
    qualifiers: list[tuple[str, str]]
    vague_time_words: frozenset
    number_words: dict[str, int]
    not_actors: frozenset

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
        """The country a modifier stands for: demonym, name or seat of government."""
        word = _strip_article(word.strip())
        if word in self.demonyms:
            return self.demonyms[word]
        if word in self.world_demonyms:
            return self.world_demonyms[word]
        name = self.canonical(word)
        if name and self.actors[name].type == "Country":
            return name
        return None

    def state_of(self, name: str) -> Optional[str]:
        actor = self.actors.get(name)
        return actor.state if actor else None


def _strip_article(name: str) -> str:
    for article in ("the ", "The "):
        if name.startswith(article):
            return name[len(article):]
    return name


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
                                 tuple(entry.get("demonyms", ())), tuple(entry.get("seats", ())),
                                 entry.get("state"), entry.get("wikidata")))
    return actors


def _read_json(path: Path) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LexiconError(f"{path}: cannot be read as JSON: {exc}") from exc


def _expand(value: Any, words: dict[str, frozenset], where: str) -> Any:
    """A pattern with every "@table" replaced by the sorted words of that table."""
    if isinstance(value, str) and value.startswith("@"):
        if value[1:] not in words:
            raise LexiconError(f"{where}: unknown word table {value!r}")
        return sorted(words[value[1:]])
    if isinstance(value, dict):
        return {k: _expand(v, words, where) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v, words, where) for v in value]
    return value


def _check_slot(slot: str, allowed: frozenset, where: str, nodes: set[str]) -> None:
    if slot in allowed:
        return
    for prefix in PARAMETRIC_SLOTS:
        if slot.startswith(prefix) and slot[len(prefix):]:
            name = slot[len(prefix):]
            if prefix != "prep:" and name not in nodes:
                raise LexiconError(f"{where}: slot {slot!r} names no node of the pattern")
            return
    raise LexiconError(f"{where}: unknown slot {slot!r}")


def read_constructions(path: Path, words: dict[str, frozenset], vocab) -> tuple[Construction, ...]:
    """The constructions of a patterns file, each checked: fields, family, kind, slots and
    the pattern itself (spaCy's ``DependencyMatcher`` validates it, and
    ``pipeline.extract.matching`` must support what it uses)."""
    from spacy.matcher import DependencyMatcher

    from .extract.matching import UnsupportedPattern, check_pattern  # here: extract imports this module

    data = _read_json(path)
    entries = data.get("constructions") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise LexiconError(f"{path}: needs a list 'constructions'")
    matcher = DependencyMatcher(vocab)
    seen: set[str] = set()
    constructions = []
    for n, entry in enumerate(entries):
        where = f"{path}: construction {entry.get('id', n) if isinstance(entry, dict) else n}"
        try:
            spec = _ConstructionSpec.model_validate(entry)
        except pydantic.ValidationError as exc:
            problem = exc.errors()[0]
            raise LexiconError(f"{where}: {'.'.join(map(str, problem['loc']))}: {problem['msg']}") from None
        if spec.id in seen:
            raise LexiconError(f"{where}: duplicate id")
        seen.add(spec.id)
        for kind in (spec.kind, spec.negated):
            if kind is not None and kind not in CLAIM_KINDS:
                raise LexiconError(f"{where}: unknown kind {kind!r} (one of {', '.join(CLAIM_KINDS)})")
        pattern = _expand(spec.pattern, words, where)
        excludes = _expand(spec.excludes, words, where)
        if not pattern or pattern[0].get("RIGHT_ID") != "cue":
            raise LexiconError(f"{where}: the first node of the pattern must be 'cue'")
        nodes = {node.get("RIGHT_ID") for node in pattern} | {"cue"}
        if not spec.claimant or not spec.target:
            raise LexiconError(f"{where}: needs at least one claimant slot and one target slot")
        for slot in spec.claimant:
            _check_slot(slot, CLAIMANT_SLOTS, where, nodes)
        for slot in spec.target:
            _check_slot(slot, TARGET_SLOTS, where, nodes)
        try:
            matcher.add(spec.id, [pattern])
            if excludes:
                from spacy.matcher import Matcher
                Matcher(vocab).add("exclude", [[token] for token in excludes])
        except Exception as exc:  # noqa: BLE001 - spaCy raises several types for a bad pattern
            raise LexiconError(f"{where}: spaCy refuses the pattern: {' '.join(str(exc).split())}") from None
        try:
            check_pattern(pattern, excludes, vocab.strings)
        except UnsupportedPattern as exc:
            raise LexiconError(f"{where}: evkg's matcher does not support {exc}") from None
        constructions.append(Construction(
            id=spec.id, family=spec.family, kind=spec.kind, claimant=tuple(spec.claimant),
            target=tuple(spec.target), pattern=_freeze(pattern), hedged=spec.hedged, negated=spec.negated,
            requires_negation=spec.requires_negation, requires_future=spec.requires_future, also=spec.also,
            named_targets=spec.named_targets, excludes=_freeze(excludes), example=spec.example))
    return tuple(constructions)


def _freeze(value: Any) -> Any:
    """JSON-like data as nested tuples, so a frozen Construction can hold it (and hash)."""
    if isinstance(value, dict):
        return tuple((k, _freeze(v)) for k, v in value.items())
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def thaw(value: Any) -> Any:
    """The inverse of ``_freeze``: a pattern as spaCy takes it."""
    if isinstance(value, tuple) and value and all(isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], str)
                                                  for v in value):
        return {k: thaw(v) for k, v in value}
    if isinstance(value, tuple):
        return [thaw(v) for v in value]
    return value


def _table(data: dict, path: Path, key: str) -> Any:
    if key not in data:
        raise LexiconError(f"{path}: missing entry {key!r}")
    return data[key]


@functools.lru_cache(maxsize=1)
def _world_demonyms() -> dict[str, str]:
    """The demonym of every state and territory (countryinfo's data: "Bolivian" -> "Bolivia"),
    where only one of them has it ("Congolese" names two). Only a demonym: a country's name
    ("Jordan", "Chad") is left to NER, which tells it from a person's."""
    from countryinfo import CountryInfo

    found: dict[str, set[str]] = {}
    for entry in CountryInfo.all().values():
        for demonym in (entry.get("demonym") or "").split(","):
            demonym = demonym.strip()
            if demonym and "/" not in demonym:
                found.setdefault(demonym, set()).add(entry["name"])
    return {demonym: next(iter(names)) for demonym, names in sorted(found.items()) if len(names) == 1}


def _grammar(path: Path) -> Grammar:
    data = _read_json(path)
    values = {}
    for name, hint in Grammar.__annotations__.items():
        value = _table(data, path, name)
        if hint == "str":
            values[name] = value
        elif hint == "tuple":
            values[name] = tuple(tuple(v) if isinstance(v, list) else v for v in value)
        else:
            values[name] = frozenset(value)
    return Grammar(**values)


@functools.lru_cache(maxsize=8)
def load_lexicon(extra_actor_files: tuple[str, ...] = ()) -> Lexicon:
    """Every data file, read and checked once per process (per set of user alias files)."""
    from spacy.vocab import Vocab

    language = lexicon_path(LANGUAGE)
    words_path = language / "words.json"
    words = {k: frozenset(v) for k, v in _read_json(words_path).items() if not k.startswith("_")}
    noun_path = language / "actor_nouns.json"
    actor_nouns = {k: frozenset(v) for k, v in _read_json(noun_path).items() if not k.startswith("_")}
    for key in ("state_proxy", "institution", "collective", "role", "court_like", "non_identifying_modifiers",
                "label_prepositions"):
        _table(actor_nouns, noun_path, key)
    # A bare vocabulary is all a pattern check needs: a language's tokenizer rules and lexeme
    # attributes (spacy.blank) take ten times longer to build than the check, in every process
    constructions = read_constructions(language / "patterns.json", words, Vocab())
    titles = _read_json(language / "titles.json")

    actors_path = lexicon_path("actors.json")
    known = read_actor_table(actors_path)
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

    events = _read_json(lexicon_path("events.json"))
    figure_words = {w: measure for measure, ws in events["figures"].items() for w in ws}
    qualifiers = sorted(((p, q) for q, ps in events["qualifiers"].items() for p in ps), key=lambda pq: -len(pq[0]))
    person_titles = _table(titles, language / "titles.json", "person_titles")
    return Lexicon(
        grammar=_grammar(language / "grammar.json"),
        words=words,
        actor_nouns=actor_nouns,
        constructions=constructions,
        actors=actors,
        alias_index=alias_index,
        folded_index=folded_index,
        demonyms=demonyms,
        world_demonyms={d: c for d, c in _world_demonyms().items() if d not in demonyms and c not in actors},
        seats=seats,
        capitals=capitals,
        person_titles=frozenset(person_titles),
        person_title_words=frozenset(w for t in person_titles for w in t.split()),
        title_roles=dict(_table(titles, language / "titles.json", "title_roles")),
        commentary_headings=tuple(_table(titles, language / "titles.json", "commentary_headings")),
        event_words=events["events"],
        figure_words=figure_words,
        qualifiers=qualifiers,
        vague_time_words=frozenset(events["vague_time_words"]),
        number_words=dict(events["number_words"]),
        not_actors=frozenset(_read_json(actors_path).get("not_actors", ())),
    )


def lexicon_fingerprint(extra_actor_files: Iterable[str] = ()) -> str:
    """A hash of everything extraction depends on: its data files and its code (part of the
    cache key, so a changed rule or lexicon never reuses stale extractions)."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    resources = package / "resources"
    for path in sorted(resources.rglob("*.json")):
        digest.update(path.relative_to(resources).as_posix().encode())
        digest.update(path.read_bytes())
    sources = [package / name for name in ("nlp.py", "components.py", "model.py", "lexicon.py")]
    sources += sorted((package / "extract").glob("*.py"))
    for path in sources:
        digest.update(path.read_bytes())
    for extra in extra_actor_files:
        digest.update(Path(extra).read_bytes())
    digest.update(json.dumps(_world_demonyms(), sort_keys=True).encode())  # a library's data
    return digest.hexdigest()
