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
from typing import Any, Optional


def _encode(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value


def _decode(tp: Any, value: Any) -> Any:
    """Rebuild a value of type ``tp`` from its JSON form."""
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin is typing.Union:  # Optional[X]
        (inner,) = [a for a in typing.get_args(tp) if a is not type(None)]
        return _decode(inner, value)
    if origin is tuple:
        item = typing.get_args(tp)[0]
        return tuple(_decode(item, v) for v in value)
    if tp is date:
        return date.fromisoformat(value)
    if dataclasses.is_dataclass(tp):
        return tp(**{name: _decode(hint, value[name]) for name, hint in _field_hints(tp) if name in value})
    return value


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

