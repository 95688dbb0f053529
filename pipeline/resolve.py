"""Resolve: one identity per actor and event across all documents, and calendar dates.

Input: the ``Extraction`` of every document. Output: one ``ResolvedDocument`` each, whose
claims point at canonical ``Actor`` and ``Event`` keys and carry ``said_on`` dates, with the
corpus-wide ``Statement`` of each claim.

* Actors: the alias table's canonical name when it knows the mention; a person's bare
  surname ("Lind") becomes the full name the same document, or else the whole corpus,
  gives unambiguously ("Ana Lind"). Identity is the case-folded canonical name.
* Events: an event is identified by the branch of its type in the ontology's hierarchy
  (an attack, a bombing and a massacre are attacks; a fire and a crash accidents), its place
  ("Tarrow Market Hall") and, when documents disagree on it, its date; so every document's
  "the attack", "the massacre", "the shooting" point to the one attack at its place. A claim
  is about the event its sentence names, else the document's main (most mentioned) event.
* Statements: the claims of all documents with one claimant, kind, targets and event are
  reports of one ``Statement``, which counts its sources and knows the statements it answers
  (a denial or dispute of an accusation or responsibility claim).
* Dates: explicit dates, month-day dates and weekdays resolve against the document's
  publication date or, failing that, the date of its main event (learnt from any document
  that pins it). Vague expressions ("earlier this month") give no date: never guessed.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Callable, Iterable, Iterator, Optional

from .lexicon import Lexicon, load_lexicon
from .model import (Actor, ActorMention, Claim, ClaimMention, Event, EventMention, Extraction,
                    Figure, ResolvedDocument, Statement)
from .vocab import event_lineage, event_root

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
    """Maps every actor mention of the corpus to one canonical label.

    Of the whole corpus it keeps only the full names each surname stands for; what a document
    itself names (``contribution``) is read again from its extraction when it is resolved."""

    def __init__(self, extractions: Iterable[Extraction], lexicon: Lexicon):
        self.lex = lexicon
        self.corpus_surnames: dict[str, set[str]] = defaultdict(set)
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
        for name in contribution[3]:
            self.corpus_surnames[name.split()[-1]].add(name)

    def label(self, mention: ActorMention, document: tuple[str, set[str], set[str], set[str]]) -> str:
        """The canonical label of ``mention``, a mention of the document whose ``contribution``
        is ``document``."""
        _, specific_names, full_names, _ = document
        if mention.canonical:
            if mention.canonical not in self.lex.actors:
                # "Maldorian Embassy" beside "Maldorian Embassy in Tarrow": the same office
                specific = {n for n in specific_names if n.startswith(mention.canonical + " ")}
                if len(specific) == 1:
                    return specific.pop()
            return mention.canonical
        name = mention.name
        if mention.type == "Person" and len(name.split()) == 1:
            local = {n for n in full_names if n.split()[-1] == name}
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


def local_event_key(event_type: str, doc_id: str) -> str:
    """An event its documents name without a place: it is that document's own."""
    return f"{event_type.lower()} in {doc_id}"


def _first_most_common(counts: Counter, order: dict):
    """The most frequent value; among equals the one the document names first."""
    return min(counts.items(), key=lambda kv: (-kv[1], order[kv[0]]))[0]


class EventResolver:
    """Events across the corpus: mentions of one branch of the type hierarchy (an attack, a
    bombing and a massacre are all attacks), one place and one date are one event.

    In a document, a mention without a place is the document's event of its branch that has
    one (its most mentioned one), else an event of that document's own; a claim or figure
    whose sentence names no event is about the document's main event, its most mentioned
    placed one. Two documents giving an event of the same branch and place different dates
    are about two events (keys gain the date); a document that dates it not at all is about
    the one most documents date."""

    def __init__(self, extractions: Iterable[Extraction] = ()):
        # Of the corpus, only the events several documents may share (those with a place): the
        # words and types naming each, and per date the documents that give it that date. What
        # a document alone tells (its main event, its events without a place, the date it gives
        # each) is read again from its extraction when it is resolved (``document``).
        self.heads: dict[str, Counter] = defaultdict(Counter)
        self.place_counts: dict[str, Counter] = defaultdict(Counter)
        self.type_counts: dict[str, Counter] = defaultdict(Counter)
        self.date_votes: dict[str, Counter] = defaultdict(Counter)
        self._finished = False
        for extraction in extractions:
            self.merge(self.contribution(extraction))

    @staticmethod
    def _groups(extraction: Extraction) -> tuple[list[tuple[EventMention, str]], dict[str, str], Optional[str]]:
        """Each mention with its group key, the group of each branch, and the main group."""
        doc_id = extraction.document.id
        # the document's event mentions, and any a claim or figure names that is not among them
        mentions, seen = [], set()
        named = [c.event for c in extraction.claims] + [f.event for f in extraction.figures]
        for mention in list(extraction.events) + sorted((m for m in named if m), key=lambda m: (m.start, m.end)):
            if (mention.start, mention.end) not in seen:
                seen.add((mention.start, mention.end))
                mentions.append(mention)
        counts: Counter = Counter()
        order: dict[str, int] = {}
        for n, mention in enumerate(mentions):
            if mention.place:
                key = event_key(event_root(mention.type), mention.place)
                counts[key] += 1
                order.setdefault(key, n)
        by_root: dict[str, str] = {}
        for root in sorted({event_root(m.type) for m in mentions if m.place}):
            mine = Counter({k: c for k, c in counts.items() if k.startswith(root.lower() + " at ")})
            by_root[root] = _first_most_common(mine, order)
        grouped = []
        for mention in mentions:
            root = event_root(mention.type)
            if mention.place:
                grouped.append((mention, event_key(root, mention.place)))
            else:
                grouped.append((mention, by_root.get(root) or local_event_key(root, doc_id)))
        weight = Counter(key for _, key in grouped if key in counts)
        main = _first_most_common(weight, order) if weight else None
        return grouped, by_root, main

    def contribution(self, extraction: Extraction) -> dict:
        """What one document tells about events, computed apart so that a document that raises
        here adds nothing. A date that does not exist ("April 31") counts for nothing."""
        doc = extraction.document
        grouped, by_root, main = self._groups(extraction)
        found = {"doc_id": doc.id, "main": main, "by_root": by_root, "mentions": [], "dated": [], "explicit": []}
        for event, key in grouped:
            found["mentions"].append((key, event.head, event.place, event.type))
            if not event.time:
                continue
            if doc.published:
                when = resolve_date(event.time.text, doc.published)
                if when is not None:
                    found["dated"].append((key, when))
            parsed = parse_time(event.time.text)
            if parsed and parsed.year and parsed.month and parsed.day:
                when = parsed.resolve(None)
                if when is not None:
                    found["explicit"].append((key, when))
        return found

    def merge(self, found: dict) -> None:
        document = DocumentEvents(found)
        for key, head, place, event_type in found["mentions"]:
            if key in document.local:
                continue
            self.heads[key][head] += 1
            self.type_counts[key][event_type] += 1
            if place:
                self.place_counts[key][place] += 1
        for key, when in document.dates.items():
            if key not in document.local:
                self.date_votes[key][when] += 1
        self._finished = False

    def document(self, extraction: Extraction) -> DocumentEvents:
        """What the document of ``extraction`` tells about its events, to resolve them."""
        return DocumentEvents(self.contribution(extraction))

    def _finish(self) -> None:
        if self._finished:
            return
        self._dates: dict[str, Optional[date]] = {}  # group -> its date, when documents agree
        self._usual: dict[str, date] = {}  # group -> the date most documents give, when they disagree
        for key in self.heads:
            dates = self.date_votes.get(key)
            if dates and len(dates) > 1:
                self._usual[key] = _most_common(dates)
            self._dates[key] = _most_common(dates) if dates else None
        self._finished = True

    def _final(self, group: str, document: DocumentEvents) -> str:
        """The event key of a group as one document gives it: the date joins the key only when
        documents disagree on it."""
        self._finish()
        if group not in self._usual:
            return group
        when = document.dates.get(group) or self._usual[group]
        return f"{group} on {when.isoformat()}"

    def event_for(self, mention: Optional[EventMention], document: DocumentEvents) -> Optional[str]:
        if mention is None:
            return self._final(document.main, document) if document.main else None
        root = event_root(mention.type)
        if mention.place:
            group = event_key(root, mention.place)
        else:
            group = document.by_root.get(root) or local_event_key(root, document.doc_id)
        return self._final(group, document)

    def _group_of(self, key: str, document: DocumentEvents) -> tuple[str, Optional[date]]:
        self._finish()
        if key in document.local:
            return key, document.dates.get(key)
        if key in self.heads:
            return key, self._dates.get(key)
        group, _, when = key.rpartition(" on ")
        return group, date.fromisoformat(when)

    def date_of(self, key: str, document: DocumentEvents) -> Optional[date]:
        return self._group_of(key, document)[1]

    def event(self, key: str, document: DocumentEvents) -> Event:
        group, when = self._group_of(key, document)
        heads, types = document.local[group] if group in document.local else (self.heads[group],
                                                                              self.type_counts[group])
        # the most frequent type; among equals the most specific, then by name
        event_type = min(types.items(), key=lambda kv: (-kv[1], -len(event_lineage(kv[0])), kv[0]))[0]
        head = _most_common(heads)
        places = self.place_counts.get(group)
        place = _most_common(places) if places else None
        label = f"{place} {head}" if place else f"{head} ({group.partition(' in ')[2]})"
        if key != group:
            label = f"{label}, {when.isoformat()}"
        return Event(key=key, label=label, type=event_type, occurred_on=when, place=place)

    def anchor(self, document: DocumentEvents, published: Optional[date]) -> Optional[date]:
        if published:
            return published
        return self.date_of(self._final(document.main, document), document) if document.main else None


class DocumentEvents:
    """What one document tells about events (an ``EventResolver.contribution``): its main event,
    the group of each branch, the date it gives each event, and its own events (those without a
    place, which no other document names) with the words and types naming them."""

    def __init__(self, found: dict):
        self.doc_id: str = found["doc_id"]
        self.main: Optional[str] = found["main"]
        self.by_root: dict[str, str] = found["by_root"]
        # the dates its mentions pin against the publication date, else those written in full
        # ("on March 22, 2024") in an undated document
        dated: dict[str, Counter] = defaultdict(Counter)
        explicit: dict[str, Counter] = defaultdict(Counter)
        for key, when in found["dated"]:
            dated[key][when] += 1
        for key, when in found["explicit"]:
            explicit[key][when] += 1
        self.dates: dict[str, date] = {key: _most_common(dated.get(key) or explicit[key])
                                       for key in set(dated) | set(explicit)}
        self.local: dict[str, tuple[Counter, Counter]] = {}  # key -> (heads, types)
        for key, head, _, event_type in found["mentions"]:
            if key == local_event_key(event_root(event_type), self.doc_id):
                heads, types = self.local.setdefault(key, (Counter(), Counter()))
                heads[head] += 1
                types[event_type] += 1


# Statements and responses ----------------------------------------------------------------------


def statement_key(claim: Claim) -> str:
    """One statement per claimant, kind, targets and event, whichever documents report it."""
    return "\x1f".join((claim.claimant, claim.kind, "|".join(claim.targets), claim.event or ""))


def lone_statement(claim: Claim, published: Optional[date]) -> Statement:
    """The statement of a claim no other document reports (a document resolved on its own)."""
    when = claim.said_on or published
    return Statement(key=statement_key(claim), claimant=claim.claimant, targets=claim.targets, kind=claim.kind,
                     event=claim.event, sources=1, earliest=when, latest=when)


ANSWERED_KINDS = ("accuses", "claims_responsibility")
# A claim of this kind is itself an event of this type (an event others make claims about): the
# event its sentence names of that type is the claim itself, so it is about the document's main event.
SELF_EVENTS = {"warns": "Warning"}


class StatementIndex:
    """The statements of the corpus, learnt one resolved document at a time from what they need
    only (keys, dates, sources; never a claim's evidence), each with its reports' count and dates
    and the statements it answers: a denial answers an accusation or responsibility claim about
    the same event one of whose accused it names; a dispute one whose claimant, or the
    claimant's state, it names; never one of its own claimant. A response answers the matching
    statements its own documents report, or, when they report none, those of the other
    documents."""

    def __init__(self):
        self.claims: dict[str, tuple[str, str, tuple[str, ...], Optional[str]]] = {}  # claimant, kind, targets, event
        self.dates: dict[str, tuple[date, date]] = {}  # the earliest and latest date of its reports
        # the documents reporting it, by the order they were added in: 4 bytes each, not an id
        self.sources: dict[str, array] = defaultdict(lambda: array("I"))
        self.states: dict[str, Counter] = defaultdict(Counter)
        self.added = 0

    def add(self, item: ResolvedDocument) -> None:
        number = self.added
        self.added += 1
        for actor in item.actors:
            if actor.state:
                self.states[actor.key][actor_key(actor.state)] += 1
        reported = set()
        for claim in item.claims:
            key = statement_key(claim)
            self.claims.setdefault(key, (claim.claimant, claim.kind, claim.targets, claim.event))
            when = claim.said_on or item.document.published
            if when is not None:
                earliest, latest = self.dates.get(key, (when, when))
                self.dates[key] = (min(earliest, when), max(latest, when))
            if key not in reported:
                reported.add(key)
                self.sources[key].append(number)

    def statements(self) -> dict[str, Statement]:
        state_of = {key: _most_common(counts) for key, counts in self.states.items()}
        answerable: dict[Optional[str], list[str]] = defaultdict(list)  # event -> answerable statements
        for key, (_, kind, _, event) in self.claims.items():
            if kind in ANSWERED_KINDS:
                answerable[event].append(key)

        def answers(claim: tuple, other: tuple) -> bool:
            claimant, kind, targets, _ = claim
            if other[0] == claimant:
                return False
            if kind == "denies":
                return bool(set(targets) & set(other[2]))
            return other[0] in targets or state_of.get(other[0]) in targets

        statements = {}
        for key in sorted(self.claims):
            claimant, kind, targets, event = claim = self.claims[key]
            earliest, latest = self.dates.get(key, (None, None))
            answered: list[str] = []
            if kind in ("denies", "disputes"):
                matching = [k for k in answerable.get(event, ()) if answers(claim, self.claims[k])]
                own = set(self.sources[key])
                local = [k for k in matching if not own.isdisjoint(self.sources[k])]
                answered = local or matching
            statements[key] = Statement(
                key=key, claimant=claimant, targets=targets, kind=kind, event=event,
                sources=len(self.sources[key]), earliest=earliest, latest=latest,
                responds_to=tuple(sorted(answered)))
        return statements


# The whole corpus ---------------------------------------------------------------------------


class CorpusResolver:
    """Resolves a corpus in three passes over its extractions, read one at a time (from disk in
    a build: pipeline.records), holding only compact indexes of names, event keys and statement
    keys, never a text: ``learn`` gathers what each document tells about actors and events,
    ``count_statements`` what its resolved claims tell about statements, ``documents`` gives
    each document resolved with its statements. Every pass is given the same extractions in the
    same order.

    A document whose resolution raises is left out, as if it were not in the corpus, and handed
    to ``on_failure(extraction, exception)`` (without ``on_failure`` the exception propagates)."""

    def __init__(self, lexicon: Optional[Lexicon] = None,
                 on_failure: Optional[Callable[[Extraction, Exception], None]] = None):
        self.lex = lexicon or load_lexicon()
        self.on_failure = on_failure
        self.actors = ActorResolver((), self.lex)
        self.events = EventResolver()
        self.index = StatementIndex()
        self.left_out: set[str] = set()  # documents whose resolution raised

    def _guarded(self, extraction: Extraction, step: Callable[[], object]):
        try:
            return step()
        except Exception as exc:  # noqa: BLE001 - one document must not stop the corpus
            if self.on_failure is None:
                raise
            self.left_out.add(extraction.document.id)
            self.on_failure(extraction, exc)
            return None

    def learn(self, extractions: Iterable[Extraction]) -> None:
        for extraction in extractions:
            found = self._guarded(extraction, lambda: (self.actors.contribution(extraction),
                                                       self.events.contribution(extraction)))
            if found is not None:
                self.actors.merge(found[0])
                self.events.merge(found[1])

    def _resolved(self, extractions: Iterable[Extraction]) -> Iterator[ResolvedDocument]:
        for extraction in extractions:
            if extraction.document.id not in self.left_out:
                item = self._guarded(extraction, lambda e=extraction: _resolve_document(e, self.actors, self.events,
                                                                                        self.lex))
                if item is not None:
                    yield item

    def count_statements(self, extractions: Iterable[Extraction]) -> None:
        for item in self._resolved(extractions):
            self.index.add(item)
        self._statements = self.index.statements()

    def documents(self, extractions: Iterable[Extraction]) -> Iterator[ResolvedDocument]:
        for item in self._resolved(extractions):
            keys = sorted({statement_key(c) for c in item.claims})
            yield replace(item, statements=tuple(self._statements[k] for k in keys))


def resolve(extractions: list[Extraction], lexicon: Optional[Lexicon] = None,
            on_failure: Optional[Callable[[Extraction, Exception], None]] = None) -> list[ResolvedDocument]:
    """Canonical actors, events and dates for every document, consistently across all (in memory;
    ``CorpusResolver`` streams). A document whose resolution raises is left out and handed to
    ``on_failure(extraction, exception)``; without ``on_failure`` the exception propagates."""
    resolver = CorpusResolver(lexicon, on_failure)
    resolver.learn(extractions)
    resolver.count_statements(extractions)
    return list(resolver.documents(extractions))


def _resolve_document(extraction: Extraction, actors: ActorResolver, events: EventResolver,
                      lex: Lexicon) -> ResolvedDocument:
    doc = extraction.document
    names = actors.contribution(extraction)
    doc_events = events.document(extraction)
    anchor = events.anchor(doc_events, doc.published)
    found: dict[str, dict] = {}

    def actor(mention: ActorMention) -> str:
        label = actors.label(mention, names)
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
        claim = _resolve_claim(mention, actor, events, doc_events, anchor)
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
        event = events.event_for(mention.event, doc_events) if mention.event else None
        figure = Figure(measure=mention.measure, value=mention.value, qualifier=mention.qualifier,
                        evidence=mention.sentence, sentence_index=mention.sentence_index, event=event)
        figures.setdefault((figure.measure, figure.value, figure.qualifier, figure.event), figure)

    used_events = sorted({c.event for c in resolved_claims if c.event} | {f.event for f in figures.values() if f.event})
    resolved_events = tuple(events.event(key, doc_events) for key in used_events)
    used_actors = {c.claimant for c in resolved_claims} | {t for c in resolved_claims for t in c.targets}
    resolved_actors = tuple(
        Actor(key=key, label=entry["label"], type=_most_common(entry["types"]),
              aliases=tuple(sorted(entry["aliases"])), roles=tuple(sorted(entry["roles"])),
              state=_most_common(entry["states"]) if entry["states"] else None,
              wikidata=lex.actors[entry["label"]].wikidata if entry["label"] in lex.actors else None)
        for key, entry in sorted(found.items()) if key in used_actors)
    return ResolvedDocument(
        document=doc, actors=resolved_actors, events=resolved_events,
        claims=tuple(sorted(resolved_claims, key=lambda c: (c.evidence.start, c.claimant, c.kind, c.targets))),
        figures=tuple(sorted(figures.values(), key=lambda f: (f.evidence.start, f.measure, f.value))))


def _resolve_claim(mention: ClaimMention, actor, events: EventResolver, doc_events: DocumentEvents,
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
    event = mention.event
    if event is not None and SELF_EVENTS.get(mention.kind) == event_root(event.type):
        event = None  # "X warned Y of the attack": the warning is the claim, not what it is about
    return Claim(claimant=claimant, targets=tuple(sorted(targets)), kind=mention.kind, hedged=mention.hedged,
                 cue=mention.cue, evidence=mention.sentence, sentence_index=mention.sentence_index,
                 event=events.event_for(event, doc_events), said_on=said_on)


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
