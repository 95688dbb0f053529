"""Resolve: one identity per actor and event across all documents, and calendar dates.

Input: the ``Extraction`` of every document. Output: one ``ResolvedDocument`` each, whose
claims point at canonical ``Actor`` and ``Event`` keys and carry ``said_on`` dates.

* Actors: the alias table's canonical name when it knows the mention; a person's bare
  surname ("Lind") becomes the full name the same document, or else the whole corpus,
  gives unambiguously ("Ana Lind"). Identity is the case-folded canonical name.
* Events: an attack is identified by its type and place ("Tarrow Market Hall"), so every
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
from typing import Callable, Iterable, Optional

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

    def __init__(self, extractions: Iterable[Extraction], lexicon: Lexicon):
        self.lex = lexicon
        self.full_names_by_doc: dict[str, set[str]] = defaultdict(set)
        self.corpus_surnames: dict[str, set[str]] = defaultdict(set)
        self.specific_by_doc: dict[str, set[str]] = defaultdict(set)
        for extraction in extractions:
            self.merge(self.contribution(extraction))

    def contribution(self, extraction: Extraction) -> tuple[str, set[str], set[str], set[str]]:
        """What one document tells about actors, computed apart so that a document that raises
        here adds nothing: (doc id, canonical names not in the lexicon, full person names and
        roles, full person names)."""
        specific, full_names, names = set(), set(), set()
        for mention in _all_mentions(extraction):
            if mention.canonical and mention.canonical not in self.lex.actors:
                specific.add(mention.canonical)
            if mention.type == "Person" and not mention.canonical and len(mention.name.split()) > 1:
                full_names.add(mention.name)  # "the judge" is this document's "federal judge"
                if _is_name(mention):  # but no other document's
                    names.add(mention.name)
        return extraction.document.id, specific, full_names, names

    def merge(self, contribution: tuple[str, set[str], set[str], set[str]]) -> None:
        doc_id, specific, full_names, names = contribution
        self.specific_by_doc[doc_id] |= specific
        self.full_names_by_doc[doc_id] |= full_names
        for name in names:
            self.corpus_surnames[name.split()[-1]].add(name)

    def label(self, mention: ActorMention, doc_id: str) -> str:
        if mention.canonical:
            if mention.canonical not in self.lex.actors:
                # "Maldorian Embassy" beside "Maldorian Embassy in Tarrow": the same office
                specific = {n for n in self.specific_by_doc[doc_id] if n.startswith(mention.canonical + " ")}
                if len(specific) == 1:
                    return specific.pop()
            return mention.canonical
        name = mention.name
        if mention.type == "Person" and len(name.split()) == 1:
            local = {n for n in self.full_names_by_doc[doc_id] if n.split()[-1] == name}
            if len(local) == 1:
                return local.pop()
        if _is_name(mention) and len(name.split()) == 1:
            corpus = self.corpus_surnames.get(name, set())
            if len(corpus) == 1:
                return next(iter(corpus))
        known = self.lex.canonical(name)
        return known or name


def _is_name(mention: ActorMention) -> bool:
    """A person's own name, not an unnamed role ("the policeman", "a Tarrow judge")."""
    return mention.type == "Person" and not mention.canonical and mention.role != mention.name \
        and mention.name[:1].isupper()


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

    def __init__(self, extractions: Iterable[Extraction] = ()):
        self.main: dict[str, Optional[EventMention]] = {}
        self.heads: dict[str, Counter] = defaultdict(Counter)
        self.place_counts: dict[str, Counter] = defaultdict(Counter)
        self.types: dict[str, str] = {}
        # the main event's date, pinned by a dated document, anchors undated ones ...
        self.dated: dict[str, Counter] = defaultdict(Counter)
        # ... or else "on March 22, 2024" in an undated document
        self.explicit: dict[str, Counter] = defaultdict(Counter)
        self._finished = False
        for extraction in extractions:
            self.merge(self.contribution(extraction))

    def contribution(self, extraction: Extraction) -> dict:
        """What one document tells about events, computed apart so that a document that raises
        here adds nothing. A date that does not exist ("April 31") counts for nothing."""
        doc = extraction.document
        placed = [e for e in extraction.events if e.place]
        main = placed[0] if placed else None
        found = {"doc_id": doc.id, "main": main, "placed": [], "dated": [], "explicit": []}
        for event in placed:
            found["placed"].append((event_key(event.type, event.place), event.head, event.place, event.type))
        if main is None:
            return found
        main_key = event_key(main.type, main.place)
        for event in extraction.events:
            if not event.time:
                continue
            if doc.published and (event.place is None or event.place == main.place):
                when = resolve_date(event.time.text, doc.published)
                if when is not None:
                    found["dated"].append((main_key, when))
            parsed = parse_time(event.time.text)
            if parsed and parsed.year and parsed.month and parsed.day:
                when = parsed.resolve(None)
                if when is not None:
                    found["explicit"].append((main_key, when))
        return found

    def merge(self, found: dict) -> None:
        self.main[found["doc_id"]] = found["main"]
        for key, head, place, event_type in found["placed"]:
            self.heads[key][head] += 1
            self.place_counts[key][place] += 1
            self.types[key] = event_type
        for key, when in found["dated"]:
            self.dated[key][when] += 1
        for key, when in found["explicit"]:
            self.explicit[key][when] += 1
        self._finished = False

    def _finish(self) -> None:
        if self._finished:
            return
        self.full_dates = dict(self.dated)
        for key, counts in self.explicit.items():
            self.full_dates.setdefault(key, counts)
        # ties are broken by value, never by document order
        self._places = {key: _most_common(self.place_counts[key]) for key in self.place_counts}
        self._labels = {key: f"{self._places[key]} {_most_common(self.heads[key])}" for key in self.heads}
        self._finished = True

    @property
    def places(self) -> dict[str, str]:
        self._finish()
        return self._places

    @property
    def labels(self) -> dict[str, str]:
        self._finish()
        return self._labels

    def event_for(self, mention: Optional[EventMention], doc_id: str) -> Optional[str]:
        main = self.main.get(doc_id)
        if mention is not None and mention.place:
            return event_key(mention.type, mention.place)
        if main is not None and (mention is None or mention.type == main.type):
            return event_key(main.type, main.place)
        return None

    def date_of(self, key: str) -> Optional[date]:
        self._finish()
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


def resolve(extractions: list[Extraction], lexicon: Optional[Lexicon] = None,
            on_failure: Optional[Callable[[Extraction, Exception], None]] = None) -> list[ResolvedDocument]:
    """Canonical actors, events and dates for every document, consistently across all.

    A document whose resolution raises is left out, as if it were not in the corpus, and
    handed to ``on_failure(extraction, exception)``; the others are resolved (without
    ``on_failure`` the exception propagates)."""
    lex = lexicon or load_lexicon()
    actors = ActorResolver((), lex)
    events = EventResolver()

    def guarded(extraction: Extraction, step: Callable[[], object]):
        try:
            return step()
        except Exception as exc:  # noqa: BLE001 - one document must not stop the corpus
            if on_failure is None:
                raise
            on_failure(extraction, exc)
            return None

    usable = []
    for extraction in extractions:
        found = guarded(extraction, lambda: (actors.contribution(extraction), events.contribution(extraction)))
        if found is not None:
            actors.merge(found[0])
            events.merge(found[1])
            usable.append(extraction)
    resolved = (guarded(e, lambda e=e: _resolve_document(e, actors, events, lex)) for e in usable)
    return [item for item in resolved if item is not None]


def _resolve_document(extraction: Extraction, actors: ActorResolver, events: EventResolver,
                      lex: Lexicon) -> ResolvedDocument:
    doc = extraction.document
    anchor = events.anchor(doc.id, doc.published)
    found: dict[str, dict] = {}

    def actor(mention: ActorMention) -> str:
        label = actors.label(mention, doc.id)
        key = actor_key(label)
        entry = found.setdefault(key, {"label": label, "types": Counter(), "aliases": set(), "roles": set(),
                                       "states": Counter()})
        known = lex.actors.get(label)
        entry["types"][known.type if known else mention.type] += 1
        for alias in (mention.name, mention.surface):
            alias = alias.strip()
            if alias and alias != label:
                entry["aliases"].add(alias)
        if mention.role:
            entry["roles"].add(mention.role)
        state = mention.state or (known.state if known else None)
        if state and actor_key(state) != key:
            entry["states"][state] += 1
        return key

    claims: dict[tuple, Claim] = {}
    reported: set[tuple] = set()  # claims a report of what someone said makes (not a verdict or charge)
    reporting = {c.id for c in lex.constructions if c.family == "content"}
    for mention in extraction.claims:
        claim = _resolve_claim(mention, actor, events, doc.id, anchor)
        if claim is None:
            continue
        key = (claim.claimant, claim.kind, claim.targets, claim.event)
        previous = claims.get(key)
        if previous is None or (previous.said_on is None and claim.said_on is not None):
            claims[key] = claim
        if mention.construction in reporting:
            reported.add(key)
    resolved_claims = _backing_is_confirmation(list(claims.values()),
                                               {claims[k] for k in reported if k in claims})

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
              aliases=tuple(sorted(entry["aliases"])), roles=tuple(sorted(entry["roles"])),
              state=_most_common(entry["states"]) if entry["states"] else None)
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


def _backing_is_confirmation(claims: list[Claim], reported: set[Claim]) -> list[Claim]:
    """Saying that a group which already claimed an act did it backs that claim: 'confirms'.
    A verdict or a charge stays an accusation."""
    claimed_at = {}
    for claim in claims:
        if claim.kind == "claims_responsibility":
            claimed_at.setdefault((claim.claimant, claim.event), claim.evidence.start)
    result = []
    for claim in claims:
        if claim.kind == "accuses" and claim in reported and all(
                claimed_at.get((t, claim.event), claim.evidence.start + 1) < claim.evidence.start
                for t in claim.targets):
            claim = Claim(**{**claim.__dict__, "kind": "confirms"})
        result.append(claim)
    return result
