"""The constructions' dependency patterns matched on a parsed ``Doc``, anchored on their cue.

``en/patterns.json`` writes each construction as a spaCy ``DependencyMatcher`` pattern, and
a match here is what spaCy's matcher gives on the sentence: extraction reads, for a cue token
and a construction, only the first of spaCy's matches (its order: the cue, then each further
node, each at the lowest token index that still leaves a match), so that is what is found.

spaCy's matcher tests every node of every pattern against every token of the sentence before
it joins them into trees, and it needs a ``Doc`` of its own for each sentence (on a ``Span`` it
copies the whole document); that was about two fifths of extraction. Here each further node
is looked for only among the tokens its relation reaches from a node already matched (a
child, a descendant, the head, an ancestor), on one array of the document's annotations.

Supported, and checked when the lexicon loads (``check_pattern``): the relations ``>``, ``>>``,
``<`` and ``<<``, and token attributes compared with a string, an integer or a boolean, or
tested with ``IN`` / ``NOT_IN`` lists; ``tests/test_extract.py`` checks the matches against
spaCy's ``DependencyMatcher``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy
from spacy.attrs import HEAD, IDS
from spacy.strings import get_string_id

RELATIONS = (">", ">>", "<", "<<")
# Attributes read with Doc.to_array as the matcher reads them (SENT_START and ENT_IOB differ
# between the two, MORPH is matched as a set of features: none of these are supported).
ATTRIBUTES = ("ORTH", "TEXT", "LOWER", "NORM", "LEMMA", "POS", "TAG", "DEP", "ENT_TYPE", "SHAPE", "PREFIX", "SUFFIX")
SET_TESTS = ("IN", "NOT_IN")


class UnsupportedPattern(ValueError):
    """A pattern that uses what this matcher does not implement (the message says what)."""


@dataclass(frozen=True)
class Node:
    """One node of a pattern: its token tests, and how it hangs on an earlier node."""

    tests: tuple[tuple[int, str, object], ...]  # (attribute id, "==" | "IN" | "NOT_IN", id or frozenset of ids)
    parent: int  # index of the node it relates to (-1: the cue)
    relation: Optional[str]


@dataclass(frozen=True)
class Pattern:
    nodes: tuple[Node, ...]  # in pattern order: the cue first

    @property
    def attributes(self) -> set[int]:
        return {attr for node in self.nodes for attr, _, _ in node.tests}


def _attribute(name) -> int:
    key = str(name).upper()
    if key not in ATTRIBUTES:
        raise UnsupportedPattern(f"token attribute {name!r} (supported: {', '.join(ATTRIBUTES)})")
    return IDS["ORTH" if key == "TEXT" else key]


def compile_tests(spec: dict, strings) -> tuple[tuple[int, str, object], ...]:
    """A token spec (``RIGHT_ATTRS``, or an ``excludes`` entry) as tests on attribute ids, with
    the values spaCy's ``Matcher`` compares (``strings.add`` of a string, an IN list by
    ``get_string_id``)."""
    tests = []
    for name, value in spec.items():
        attr = _attribute(name)
        if isinstance(value, bool):
            tests.append((attr, "==", int(value)))
        elif isinstance(value, (str, int)):
            tests.append((attr, "==", strings.add(value) if isinstance(value, str) else value))
        elif isinstance(value, dict):
            for test, values in value.items():
                if test not in SET_TESTS or not isinstance(values, list) or \
                        not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in values):
                    raise UnsupportedPattern(f"{name}: {{{test!r}: …}} (supported: IN or NOT_IN with a list "
                                             f"of strings)")
                tests.append((attr, test, frozenset(get_string_id(v) for v in values)))
        else:
            raise UnsupportedPattern(f"{name}: a value of type {type(value).__name__}")
    return tuple(tests)


def compile_pattern(pattern: list[dict], strings) -> Pattern:
    """A ``DependencyMatcher`` pattern (already accepted by spaCy) compiled for ``strings``."""
    index = {}
    nodes = []
    for n, node in enumerate(pattern):
        index[node["RIGHT_ID"]] = n
        relation = node.get("REL_OP")
        if n and relation not in RELATIONS:
            raise UnsupportedPattern(f"relation {relation!r} (supported: {' '.join(RELATIONS)})")
        nodes.append(Node(compile_tests(node["RIGHT_ATTRS"], strings), index[node["LEFT_ID"]] if n else -1,
                          relation if n else None))
    return Pattern(tuple(nodes))


def check_pattern(pattern: list[dict], excludes: list[dict], strings) -> None:
    """Raise ``UnsupportedPattern`` for a pattern or exclusion this matcher cannot match."""
    compile_pattern(pattern, strings)
    for spec in excludes:
        compile_tests(spec, strings)


class Parse:
    """One document's annotations as lists of ids (a Token object per look is costly), and
    the tree: each token's head, children and descendants (computed when first asked)."""

    def __init__(self, doc, attributes):
        self.attributes = sorted(attributes)
        columns = doc.to_array(self.attributes + [HEAD]) if len(doc) else numpy.zeros((0, len(self.attributes) + 1))
        self.values = {attr: columns[:, k].tolist() for k, attr in enumerate(self.attributes)}
        # heads are stored relative to the token, negative ones wrapped around as unsigned
        self.head = (numpy.arange(len(doc)) + columns[:, -1].astype(numpy.int64)).tolist()
        self._children: Optional[dict[int, list[int]]] = None
        self._descendants: dict[int, list[int]] = {}

    def passes(self, tests, i: int) -> bool:
        values = self.values
        for attr, test, value in tests:
            v = values[attr][i]
            if test == "==":
                if v != value:
                    return False
            elif test == "IN":
                if v not in value:
                    return False
            elif v in value:  # NOT_IN
                return False
        return True

    def children(self, i: int) -> list[int]:
        if self._children is None:
            self._children = {}
            for token, head in enumerate(self.head):
                if head != token:
                    self._children.setdefault(head, []).append(token)
        return self._children.get(i, [])

    def related(self, i: int, relation: str) -> list[int]:
        """The tokens ``relation`` reaches from token ``i``, in document order."""
        if relation == ">":
            return self.children(i)
        if relation == "<":
            return [self.head[i]] if self.head[i] != i else []
        if relation == ">>":
            found = self._descendants.get(i)
            if found is None:
                found, todo = [], list(self.children(i))
                while todo:
                    token = todo.pop()
                    found.append(token)
                    todo.extend(self.children(token))
                found.sort()
                self._descendants[i] = found
            return found
        ancestors, token = [], i  # "<<"
        while self.head[token] != token:
            token = self.head[token]
            ancestors.append(token)
        return sorted(ancestors)

    def first_match(self, pattern: Pattern, cue: int, start: int, end: int) -> Optional[list[int]]:
        """The first match (spaCy's order) of ``pattern`` with its cue on token ``cue``, within
        the sentence ``start``..``end``; None when there is none. Token indices, in node order."""
        if not self.passes(pattern.nodes[0].tests, cue):
            return None
        return self._extend(pattern.nodes, [cue], start, end)

    def _extend(self, nodes, bound: list[int], start: int, end: int) -> Optional[list[int]]:
        if len(bound) == len(nodes):
            return list(bound)
        node = nodes[len(bound)]
        for token in self.related(bound[node.parent], node.relation):
            if start <= token < end and self.passes(node.tests, token):
                bound.append(token)
                found = self._extend(nodes, bound, start, end)
                if found is not None:
                    return found
                bound.pop()
        return None
