"""Data classes passed between the pipeline stages.

ingest -> ``Document``; extract -> ``Extraction`` (mentions, as the text gives them);
resolve -> ``ResolvedDocument`` (canonical actors, events and dates across documents, and the
corpus-wide ``Statement`` each claim reports); rdf builds triples from a ``ResolvedDocument``.
Every class round-trips through plain JSON (``to_json`` / ``from_json``) so extraction results
can be cached and sent between processes.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import typing
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Optional


# Records are encoded and decoded several times per document and build (cache, record store,
# result hash): working out what a type is costs more than the conversion itself, so it is
# done once per class or type hint, not once per value.
_PLAIN = frozenset({str, int, float, bool, type(None)})


def _encode(value: Any) -> Any:
    cls = type(value)
    if cls in _PLAIN:
        return value
    if isinstance(value, date):
        return value.isoformat()
    names = _field_names(cls)
    if names is not None:
        return {name: _encode(getattr(value, name)) for name in names}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value


@functools.lru_cache(maxsize=None)
def _field_names(cls: type) -> Optional[tuple[str, ...]]:
    """A dataclass's field names, None for any other class."""
    return tuple(f.name for f in dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) else None


def _decode(tp: Any, value: Any) -> Any:
    """Rebuild a value of type ``tp`` from its JSON form."""
    return _decoder(tp)(value)


def _same(value: Any) -> Any:
    return value


@functools.lru_cache(maxsize=None)
def _decoder(tp: Any) -> Callable[[Any], Any]:
    """The function rebuilding values of type ``tp`` from their JSON form (None stays None)."""
    origin = typing.get_origin(tp)
    if origin is typing.Union:  # Optional[X]
        (inner,) = [a for a in typing.get_args(tp) if a is not type(None)]
        return _decoder(inner)
    if origin is tuple:
        item = _decoder(typing.get_args(tp)[0])
        return lambda value: None if value is None else tuple([item(v) for v in value])
    if tp is date:
        return lambda value: None if value is None else date.fromisoformat(value)
    if dataclasses.is_dataclass(tp):
        fields = None

        def decode(value):
            nonlocal fields
            if value is None:
                return None
            if fields is None:  # resolved at first use: a field may name a class defined later
                fields = tuple((name, _decoder(hint)) for name, hint in _field_hints(tp))
            return tp(**{name: field(value[name]) for name, field in fields if name in value})

        return decode
    return _same


@functools.lru_cache(maxsize=None)
def _field_hints(tp: Any) -> tuple[tuple[str, Any], ...]:
    """A dataclass's field names with their resolved types (``get_type_hints`` is slow: cache it)."""
    hints = typing.get_type_hints(tp)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(tp))


class JsonRecord:
    def to_json(self) -> dict:
        return _encode(self)

    @classmethod
    def from_json(cls, data: dict):
        return _decode(cls, data)


@dataclass(frozen=True)
class Document(JsonRecord):
    """One input article, as read by ingest."""

    id: str
    text: str
    origin: str  # where it came from, for messages: "dir/a.txt" or "feed.jsonl:12"
    title: Optional[str] = None
    url: Optional[str] = None
    published: Optional[date] = None
    publisher: Optional[str] = None

    @property
    def content_hash(self) -> str:
        """Hash of everything that affects the output (not the origin path)."""
        payload = json.dumps(
            [self.id, self.text, self.title, self.url,
             self.published.isoformat() if self.published else None, self.publisher],
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class TextSpan(JsonRecord):
    """Characters ``start``..``end`` of the document text; ``text`` is exactly that slice."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class ActorMention(JsonRecord):
    """An actor as one passage names it.

    ``name`` is the surface form with titles stripped ("Ana Lind"), ``surface`` the
    whole phrase ("Maldorian Foreign Ministry spokeswoman Ana Lind"), ``role`` the title
    the text gives ("Maldorian Foreign Ministry spokeswoman"). ``type`` is one of Person,
    Organization, Country, Group. ``canonical`` is set when a lexicon already knows the
    actor (e.g. a demonym or an alias table entry).
    """

    name: str
    type: str
    start: int
    end: int
    surface: str = ""
    role: Optional[str] = None
    canonical: Optional[str] = None
    state: Optional[str] = None  # the state an institution belongs to (it stays its own actor)


@dataclass(frozen=True)
class TimeMention(JsonRecord):
    """A time expression as written ("on Tuesday", "March 7", "2024-03-27")."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class EventMention(JsonRecord):
    """An event named in the text ("the attack at Tarrow Market Hall")."""

    type: str  # an event class of the ontology (events.json): Attack, Bombing, Fire, Detention, ...
    head: str  # the event noun or verb lemma ("attack", "massacre")
    start: int
    end: int
    place: Optional[str] = None
    time: Optional[TimeMention] = None


@dataclass(frozen=True)
class ClaimMention(JsonRecord):
    """One attribution found in one sentence: claimant, kind, targets and the cue."""

    claimant: ActorMention
    targets: tuple[ActorMention, ...]
    kind: str
    hedged: bool
    cue: str
    sentence: TextSpan
    sentence_index: int
    event: Optional[EventMention] = None
    time: Optional[TimeMention] = None
    construction: str = ""  # the id of the construction (en/patterns.json) that found it


@dataclass(frozen=True)
class FigureMention(JsonRecord):
    """A count the text reports, e.g. "at least 140 people dead"."""

    measure: str  # killed | injured | missing | detained
    value: int
    qualifier: Optional[str]
    sentence: TextSpan
    sentence_index: int
    event: Optional[EventMention] = None


@dataclass(frozen=True)
class Extraction(JsonRecord):
    """Everything extract found in one document, before cross-document resolution."""

    document: Document
    claims: tuple[ClaimMention, ...] = ()
    figures: tuple[FigureMention, ...] = ()
    events: tuple[EventMention, ...] = ()
    actors: tuple[ActorMention, ...] = ()
    times: tuple[TimeMention, ...] = ()


# Resolved: canonical, cross-document -------------------------------------------------


@dataclass(frozen=True)
class Actor(JsonRecord):
    key: str  # identity across documents (case-folded canonical name)
    label: str
    type: str
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    state: Optional[str] = None  # the label of the state an institution belongs to
    wikidata: Optional[str] = None  # the alias table's Wikidata QID ("Q159")


@dataclass(frozen=True)
class Event(JsonRecord):
    key: str
    label: str
    type: str
    occurred_on: Optional[date] = None
    place: Optional[str] = None


@dataclass(frozen=True)
class Claim(JsonRecord):
    claimant: str  # Actor.key
    targets: tuple[str, ...]
    kind: str
    hedged: bool
    cue: str
    evidence: TextSpan
    sentence_index: int
    event: Optional[str] = None  # Event.key
    said_on: Optional[date] = None


@dataclass(frozen=True)
class Figure(JsonRecord):
    measure: str
    value: int
    qualifier: Optional[str]
    evidence: TextSpan
    sentence_index: int
    event: Optional[str] = None  # Event.key


@dataclass(frozen=True)
class Statement(JsonRecord):
    """What a claimant said, across the corpus: the claims of every document with this claimant,
    kind, targets and event are its reports (``resolve.statement_key`` of each is ``key``)."""

    key: str
    claimant: str  # Actor.key
    targets: tuple[str, ...]
    kind: str
    event: Optional[str]  # Event.key
    sources: int  # documents reporting it
    earliest: Optional[date] = None  # of its reports' dates: said_on, else the source's publication
    latest: Optional[date] = None
    responds_to: tuple[str, ...] = ()  # keys of the statements a denial or dispute answers


@dataclass(frozen=True)
class ResolvedDocument(JsonRecord):
    document: Document
    actors: tuple[Actor, ...] = ()
    events: tuple[Event, ...] = ()
    claims: tuple[Claim, ...] = ()
    figures: tuple[Figure, ...] = ()
    statements: tuple[Statement, ...] = ()  # the statements its claims report

