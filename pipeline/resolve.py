"""Resolve: one identity per actor and event across all documents, and calendar dates.

Input: the ``Extraction`` of every document. Output: one ``ResolvedDocument`` each, whose
claims point at canonical ``Actor`` and ``Event`` keys and carry ``said_on`` dates.

* Actors: the alias table's canonical name when it knows the mention; a person's bare
  surname ("Putin") becomes the full name the same document, or else the whole corpus,
  gives unambiguously ("Vladimir Putin"). Identity is the case-folded canonical name.
* Events: an attack is identified by its type and place ("Crocus City Hall"), so every
  document's "the attack", "the massacre", "the shooting" point to its main event.
* Dates: explicit dates, month-day dates and weekdays resolve against the document's
  publication date or, failing that, the date of its main event (learnt from any document
  that pins it). Vague expressions ("earlier this month") give no date: never guessed.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable, Optional

from dateutil.relativedelta import relativedelta

from .lexicon import Lexicon, load_lexicon
from .model import (Actor, ActorMention, Claim, ClaimMention, Event, EventMention, Extraction,
                    Figure, ResolvedDocument, TimeMention)

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
DATE_PATTERNS = [
    re.compile(r"\b" + _YEAR + r"-(?P<m>\d{2})-(?P<d>\d{2})\b"),
    re.compile(r"\b" + _MONTH + r"\s+" + _DAY + r"(?:,?\s+" + _YEAR + r")?\b", re.IGNORECASE),
    re.compile(r"\b" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+" + _YEAR + r")?\b", re.IGNORECASE),
]
WEEKDAY_PATTERN = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b", re.IGNORECASE)


@dataclass(frozen=True)
class PartialDate:
    """What a time expression pins: a full date, a month and day, or a weekday."""

    year: Optional[int] = None
    month: Optional[int] = None
    day: Optional[int] = None
    weekday: Optional[int] = None
    offset_days: Optional[int] = None  # today / yesterday

    def resolve(self, anchor: Optional[date]) -> Optional[date]:
        try:
            if self.year and self.month and self.day:
                return date(self.year, self.month, self.day)
            if anchor is None:
                return None
            if self.month and self.day:
                candidates = [date(anchor.year + k, self.month, self.day) for k in (-1, 0, 1)]
                return min(candidates, key=lambda d: abs((d - anchor).days))
        except ValueError:
            return None
        if self.weekday is not None:
            # The most recent such weekday on or before the anchor: reports look back.
            return anchor - timedelta(days=(anchor.weekday() - self.weekday) % 7)
        if self.offset_days is not None:
            return anchor + timedelta(days=self.offset_days)
        return None


def parse_time(text: str) -> Optional[PartialDate]:
    """What a time expression pins down, or None when it pins no day."""
    for n, pattern in enumerate(DATE_PATTERNS):
        match = pattern.search(text)
        if not match:
            continue
        groups = match.groupdict()
        if n == 0:
            return PartialDate(int(groups["year"]), int(groups["m"]), int(groups["d"]))
        month = MONTHS[groups["month"].lower()]
        year = int(groups["year"]) if groups.get("year") else None
        return PartialDate(year, month, int(groups["day"]))
    match = WEEKDAY_PATTERN.search(text)
    if match:
        return PartialDate(weekday=WEEKDAYS[match.group(1).lower()])
    lowered = text.strip().lower()
    if lowered == "today":
        return PartialDate(offset_days=0)
    if lowered == "yesterday":
        return PartialDate(offset_days=-1)
    return None


def resolve_date(text: str, anchor: Optional[date]) -> Optional[date]:
    parsed = parse_time(text)
    return parsed.resolve(anchor) if parsed else None


# Actors ---------------------------------------------------------------------------------


def actor_key(label: str) -> str:
    return " ".join(label.casefold().split())


class ActorResolver:
    """Maps every actor mention of the corpus to one canonical label."""

    def __init__(self, extractions: list[Extraction], lexicon: Lexicon):
        self.lex = lexicon
        self.full_names_by_doc: dict[str, set[str]] = defaultdict(set)
        self.corpus_surnames: dict[str, set[str]] = defaultdict(set)
        self.specific_by_doc: dict[str, set[str]] = defaultdict(set)
        for extraction in extractions:
            for mention in _all_mentions(extraction):
                if mention.canonical and mention.canonical not in lexicon.actors:
                    self.specific_by_doc[extraction.document.id].add(mention.canonical)
                if mention.type == "Person" and not mention.canonical and len(mention.name.split()) > 1:
                    self.full_names_by_doc[extraction.document.id].add(mention.name)
                    self.corpus_surnames[mention.name.split()[-1]].add(mention.name)

    def label(self, mention: ActorMention, doc_id: str) -> str:
        if mention.canonical:
            if mention.canonical not in self.lex.actors:
                # "United States Embassy" beside "United States Embassy in Moscow": the same office
                specific = {n for n in self.specific_by_doc[doc_id] if n.startswith(mention.canonical + " ")}
                if len(specific) == 1:
                    return specific.pop()
            return mention.canonical
        name = mention.name
        if mention.type == "Person" and len(name.split()) == 1:
            local = {n for n in self.full_names_by_doc[doc_id] if n.split()[-1] == name}
            if len(local) == 1:
                return local.pop()
            corpus = self.corpus_surnames.get(name, set())
            if len(corpus) == 1:
                return next(iter(corpus))
        known = self.lex.canonical(name)
        return known or name


def _all_mentions(extraction: Extraction) -> Iterable[ActorMention]:
    yield from extraction.actors
    for claim in extraction.claims:
        yield claim.claimant
        yield from claim.targets


# Events ----------------------------------------------------------------------------------


def _most_common(counts: Counter):
    """The most frequent value; among equals the smallest, so input order never matters."""
    return min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def event_key(event_type: str, place: str) -> str:
    return f"{event_type.lower()} at {actor_key(place)}"


class EventResolver:
    """One event per (type, place) across the corpus; each document's main event."""

    def __init__(self, extractions: list[Extraction]):
        self.main: dict[str, Optional[EventMention]] = {}
        heads: dict[str, Counter] = defaultdict(Counter)
        places: dict[str, Counter] = defaultdict(Counter)
        self.full_dates: dict[str, Counter] = defaultdict(Counter)
        self.types: dict[str, str] = {}
        for extraction in extractions:
            doc = extraction.document
            placed = [e for e in extraction.events if e.place]
            self.main[doc.id] = placed[0] if placed else None
            for event in placed:
                key = event_key(event.type, event.place)
                heads[key][event.head] += 1
                places[key][event.place] += 1
                self.types[key] = event.type
            main = self.main[doc.id]
            if main and doc.published:
                # The main event's date, pinned by a dated document, anchors undated ones.
                for event in extraction.events:
                    if event.time and (event.place is None or event.place == main.place):
                        when = resolve_date(event.time.text, doc.published)
                        if when:
                            self.full_dates[event_key(main.type, main.place)][when] += 1
        explicit: dict[str, Counter] = defaultdict(Counter)
        for extraction in extractions:
            main = self.main[extraction.document.id]
            if main is None:
                continue
            for event in extraction.events:  # "on March 22, 2024" in an undated document
                if event.time:
                    parsed = parse_time(event.time.text)
                    if parsed and parsed.year and parsed.month and parsed.day:
                        explicit[event_key(main.type, main.place)][parsed.resolve(None)] += 1
        for key, counts in explicit.items():
            if key not in self.full_dates:
                self.full_dates[key] = counts
        # ties are broken by value, never by document order
        self.places = {key: _most_common(places[key]) for key in places}
        self.labels = {key: f"{self.places[key]} {_most_common(heads[key])}" for key in heads}

    def event_for(self, mention: Optional[EventMention], doc_id: str) -> Optional[str]:
        main = self.main.get(doc_id)
        if mention is not None and mention.place:
            return event_key(mention.type, mention.place)
        if main is not None and (mention is None or mention.type == main.type):
            return event_key(main.type, main.place)
        return None

    def date_of(self, key: str) -> Optional[date]:
        counts = self.full_dates.get(key)
        return _most_common(counts) if counts else None

    def event(self, key: str) -> Event:
        return Event(key=key, label=self.labels.get(key, key), type=self.types.get(key, "Attack"),
                     occurred_on=self.date_of(key), place=self.places.get(key))

    def anchor(self, doc_id: str, published: Optional[date]) -> Optional[date]:
        if published:
            return published
        main = self.main.get(doc_id)
        return self.date_of(event_key(main.type, main.place)) if main else None


# The whole corpus ---------------------------------------------------------------------------


def resolve(extractions: list[Extraction], lexicon: Optional[Lexicon] = None) -> list[ResolvedDocument]:
    """Canonical actors, events and dates for every document, consistently across all."""
    lex = lexicon or load_lexicon()
    actors = ActorResolver(extractions, lex)
    events = EventResolver(extractions)
    return [_resolve_document(extraction, actors, events, lex) for extraction in extractions]


def _resolve_document(extraction: Extraction, actors: ActorResolver, events: EventResolver,
                      lex: Lexicon) -> ResolvedDocument:
    doc = extraction.document
    anchor = events.anchor(doc.id, doc.published)
    found: dict[str, dict] = {}

    def actor(mention: ActorMention) -> str:
        label = actors.label(mention, doc.id)
        key = actor_key(label)
        entry = found.setdefault(key, {"label": label, "types": Counter(), "aliases": set(), "roles": set()})
        known = lex.actors.get(label)
        entry["types"][known.type if known else mention.type] += 1
        for alias in (mention.name, mention.surface):
            alias = alias.strip()
            if alias and alias != label:
                entry["aliases"].add(alias)
        if mention.role:
            entry["roles"].add(mention.role)
        return key

    claims: dict[tuple, Claim] = {}
    for mention in extraction.claims:
        claim = _resolve_claim(mention, actor, events, doc.id, anchor)
        if claim is None:
            continue
        key = (claim.claimant, claim.kind, claim.targets, claim.event)
        previous = claims.get(key)
        if previous is None or (previous.said_on is None and claim.said_on is not None):
            claims[key] = claim
    resolved_claims = _backing_is_confirmation(list(claims.values()))

    figures = {}
    for mention in extraction.figures:
        # a count belongs to an event only when its sentence names one: "six militants were
        # killed in an operation" is not a death toll of the document's main attack
        event = events.event_for(mention.event, doc.id) if mention.event else None
        figure = Figure(measure=mention.measure, value=mention.value, qualifier=mention.qualifier,
                        evidence=mention.sentence, sentence_index=mention.sentence_index, event=event)
        figures.setdefault((figure.measure, figure.value, figure.qualifier, figure.event), figure)

    used_events = sorted({c.event for c in resolved_claims if c.event} | {f.event for f in figures.values() if f.event})
    resolved_events = tuple(events.event(key) for key in used_events)
    used_actors = {c.claimant for c in resolved_claims} | {t for c in resolved_claims for t in c.targets}
    resolved_actors = tuple(
        Actor(key=key, label=entry["label"], type=_most_common(entry["types"]),
              aliases=tuple(sorted(entry["aliases"])), roles=tuple(sorted(entry["roles"])))
        for key, entry in sorted(found.items()) if key in used_actors)
    return ResolvedDocument(
        document=doc, actors=resolved_actors, events=resolved_events,
        claims=tuple(sorted(resolved_claims, key=lambda c: (c.evidence.start, c.claimant, c.kind, c.targets))),
        figures=tuple(sorted(figures.values(), key=lambda f: (f.evidence.start, f.measure, f.value))))


def _resolve_claim(mention: ClaimMention, actor, events: EventResolver, doc_id: str,
                   anchor: Optional[date]) -> Optional[Claim]:
    claimant = actor(mention.claimant)
    targets = []
    for target in mention.targets:
        key = actor(target)
        if key == claimant and mention.kind not in ("claims_responsibility", "denies"):
            continue
        if key not in targets:
            targets.append(key)
    if not targets:
        return None
    said_on = resolve_date(mention.time.text, anchor) if mention.time else None
    return Claim(claimant=claimant, targets=tuple(sorted(targets)), kind=mention.kind, hedged=mention.hedged,
                 cue=mention.cue, evidence=mention.sentence, sentence_index=mention.sentence_index,
                 event=events.event_for(mention.event, doc_id), said_on=said_on)


def _backing_is_confirmation(claims: list[Claim]) -> list[Claim]:
    """Attributing an act to a group that already claimed it backs that claim: 'confirms'."""
    claimed_at = {}
    for claim in claims:
        if claim.kind == "claims_responsibility":
            claimed_at.setdefault((claim.claimant, claim.event), claim.evidence.start)
    result = []
    for claim in claims:
        if claim.kind == "accuses" and all(
                claimed_at.get((t, claim.event), claim.evidence.start + 1) < claim.evidence.start
                for t in claim.targets):
            claim = Claim(**{**claim.__dict__, "kind": "confirms"})
        result.append(claim)
    return result
