"""A query's ORDER BY done in Python, in the order the query's own ORDER BY gives on Oxigraph.

Oxigraph's ORDER BY compares the terms themselves: every IRI and every string longer than 15
bytes is read back from the store's dictionary (RocksDB) at each comparison, so that on a large
build the sort was most of the time of a query that lists many rows. The rows are converted to
Python values anyway (:mod:`pipeline.query`), and Python sorts those in milliseconds.

:func:`plan_ordering` takes a query whose last clause is an ``ORDER BY`` on plain variables
(``?v``, ``ASC(?v)``, ``DESC(?v)``) and gives the text to run without it; a sort variable that
the query does not select (timeline's ``?rank``) is selected for the sort and dropped afterwards,
with duplicates removed again when the query is ``DISTINCT``. :meth:`Ordering.order` then orders
the solutions as SPARQL does: unbound before bound (after it with ``DESC``), each key after the
one before it. It does so only for columns whose order is the order of their Python values:
columns holding terms of one kind, IRIs (by code point), ``xsd:string`` literals (by code point),
integers (by value), booleans (false first), or dates written ``YYYY-MM-DD``. A column holding
anything else (terms of several kinds, blank nodes, language-tagged strings, decimals…) is in an
order of the engine's own making: the caller then runs the query as written. The file itself is
never changed: an endpoint receives the query with its ORDER BY and sorts the rows itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Hashable, Sequence

import pyoxigraph as ox

__all__ = ["Ordering", "OrderKey", "orderable", "plan_ordering"]

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
XSD_BOOLEAN = XSD + "boolean"
XSD_DATE = XSD + "date"
# xsd:integer and the types derived from it: pipeline.query gives their values as ints
INTEGER_TYPES = frozenset(
    XSD + t
    for t in (
        "integer", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
        "negativeInteger", "long", "int", "short", "byte",
        "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
    )
)
INTEGER_LEXICAL_RE = re.compile(r"^[+-]?[0-9]+$")
# Four-digit years, no time zone: the lexical order is the order of the dates.
_PLAIN_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def orderable(terms: Sequence[object], values: Sequence[object]) -> bool:
    """Whether ORDER BY orders ``terms`` (a column: None is unbound) as their Python ``values``
    (pipeline.query's conversion of them) sort: all IRIs (by code point), all ``xsd:string``
    literals (by code point), all integers (xsd:integer and the types derived from it, by value),
    all booleans (false first) or all dates written YYYY-MM-DD (as written). Any other mix (blank
    nodes, language-tagged strings, decimals, dates with a time zone, terms of several kinds…)
    is ordered by each engine its own way.

    The conversion gives an int only for an integer literal and a bool only for a boolean one,
    so that only a column of strings needs its terms looked at."""
    kinds = set(map(type, values))
    kinds.discard(type(None))
    if not kinds or kinds == {int} or kinds == {bool}:
        return True
    if kinds != {str}:
        return False
    types = set(map(type, terms))
    types.discard(type(None))
    if types == {ox.NamedNode}:
        return True
    if types != {ox.Literal}:
        return False
    # rdf:langString for a language-tagged string
    datatypes = {term.datatype.value for term in terms if term is not None}
    if datatypes == {XSD_STRING}:
        return True
    if datatypes == {XSD_DATE}:
        return all(_PLAIN_DATE_RE.match(value) for value in set(values) if value is not None)
    return False


@dataclass(frozen=True)
class OrderKey:
    variable: str
    descending: bool = False


@dataclass(frozen=True)
class Ordering:
    """How to run a query unordered and order its solutions here."""

    text: str  # the query without its ORDER BY, selecting the sort variables it did not select
    keys: tuple[OrderKey, ...]
    added: tuple[str, ...]  # sort variables selected only for the sort, dropped after it
    distinct: bool  # the query is SELECT DISTINCT: rows left alike once ``added`` are dropped are one

    def order(self, variables: Sequence[str], terms: Sequence[Sequence[object]],
              values: Sequence[Sequence[object]]) -> tuple[list[int], list[int]] | None:
        """The columns to keep (the added variables dropped) and the rows in order, of a result
        given by column: ``terms[j]`` the terms of variable ``variables[j]`` (None: unbound) and
        ``values[j]`` their Python values. None when a key is not among ``variables`` or its column
        holds terms that only the engine orders (:func:`orderable`)."""
        position = {name: j for j, name in enumerate(variables)}
        if any(key.variable not in position for key in self.keys):
            return None
        sort_columns: dict[int, Sequence[object]] = {}
        for key in self.keys:
            at = position[key.variable]
            if at in sort_columns:
                continue
            if not orderable(terms[at], values[at]):
                return None
            column = values[at]
            if None in column:
                # unbound first: (False, None) < (True, value), and no value is compared with None
                column = [(value is not None, value) for value in column]
            sort_columns[at] = column
        rows = list(range(len(values[0]) if values else 0))
        # Python's sort is stable: sorting by the last run of keys of one direction first, then
        # by each run before it, orders by the first key, then the next, and so on.
        for run in reversed(_runs(self.keys)):
            columns = [sort_columns[position[key.variable]] for key in run]
            sort_keys = columns[0] if len(columns) == 1 else list(zip(*columns))
            rows.sort(key=sort_keys.__getitem__, reverse=run[0].descending)
        kept = [j for j, name in enumerate(variables) if name not in self.added]
        if self.distinct and len(kept) < len(variables):
            seen: set[Hashable] = set()
            rows = [i for i in rows
                    if (row := tuple(terms[j][i] for j in kept)) not in seen and not seen.add(row)]
        return kept, rows


def _runs(keys: Sequence[OrderKey]) -> list[list[OrderKey]]:
    """The keys in runs of one direction: [a, b, DESC(c), d] → [[a, b], [DESC(c)], [d]]."""
    runs: list[list[OrderKey]] = []
    for key in keys:
        if runs and runs[-1][0].descending == key.descending:
            runs[-1].append(key)
        else:
            runs.append([key])
    return runs


_VARIABLE = r"[?$](?P<{}>[A-Za-z0-9_]+)"  # ASCII names only: anything else is left to the engine
_ORDER_BY_RE = re.compile(r"\A\s*ORDER\s+BY\b(?P<keys>.*)\Z", re.IGNORECASE | re.DOTALL)
_KEY_RE = re.compile(r"\s*(?:(?P<direction>ASC|DESC)\s*\(\s*" + _VARIABLE.format("wrapped") + r"\s*\)|"
                     + _VARIABLE.format("bare") + r"\b)\s*", re.IGNORECASE)
# The prologue: comments, PREFIX and BASE declarations.
_PROLOGUE_RE = re.compile(r"(?:\s+|#[^\n]*|(?:PREFIX\s+[^\s:<>]*:\s*|BASE\s*)<[^<>\"{}|^`\\\x00-\x20]*>)*",
                          re.IGNORECASE)
_SELECT_RE = re.compile(r"SELECT\s+(?:(?P<modifier>DISTINCT|REDUCED)\s+)?"
                        r"(?P<projection>(?:[?$][A-Za-z0-9_]+\b\s*)+|\*)(?=WHERE\b|\{)", re.IGNORECASE)
_PROJECTED_RE = re.compile(r"[?$]([A-Za-z0-9_]+)")


def plan_ordering(query_text: str) -> Ordering | None:
    """The query run without its final ``ORDER BY`` on plain variables, or None when it has none
    (or has LIMIT, OFFSET, GROUP BY, HAVING or VALUES after its pattern: left to the engine).

    The clause is what follows the last ``}`` of the text, comments aside: the top-level
    pattern's brace, since an ORDER BY on variables holds none (a ``}`` in a comment after the
    pattern leaves nothing to match, and the query runs as written)."""
    end = query_text.rfind("}")
    if end < 0:
        return None
    tail = re.sub(r"#[^\n]*", "", query_text[end + 1:])
    clause = _ORDER_BY_RE.match(tail)
    if clause is None:
        return None
    keys = _parse_keys(clause.group("keys"))
    if not keys:
        return None
    head = _SELECT_RE.match(query_text, _PROLOGUE_RE.match(query_text).end())
    modifier = (head.group("modifier") or "").upper() if head else ""
    added: tuple[str, ...] = ()
    text = query_text[:end + 1] + "\n"
    if head is not None and head.group("projection") != "*":
        projected = set(_PROJECTED_RE.findall(head.group("projection")))
        added = tuple(dict.fromkeys(k.variable for k in keys if k.variable not in projected))
        if added and modifier == "REDUCED":
            return None  # which duplicates REDUCED drops is the engine's choice
        if added:
            at = head.start("projection") + len(head.group("projection").rstrip())
            text = text[:at] + "".join(f" ?{name}" for name in added) + text[at:]
    return Ordering(text=text, keys=keys, added=added, distinct=modifier == "DISTINCT")


def _parse_keys(text: str) -> tuple[OrderKey, ...]:
    keys, at = [], 0
    while at < len(text):
        match = _KEY_RE.match(text, at)
        if match is None or match.end() == at:
            return ()
        descending = (match.group("direction") or "").upper() == "DESC"
        keys.append(OrderKey(match.group("wrapped") or match.group("bare"), descending))
        at = match.end()
    return tuple(keys)
