"""ORDER BY done in Python (pipeline.ordering) gives the rows in the order Oxigraph's ORDER BY gives
them, and leaves to Oxigraph every order that is the engine's own."""

from __future__ import annotations

import itertools

import pyoxigraph as ox
import pytest

from pipeline.ordering import OrderKey, plan_ordering
from pipeline.query import QuerySyntaxError, _from_oxigraph, run_query

EX = "http://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"


def _literal(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


# Rows of one graph: each subject with a name (strings, some beyond ASCII and sharing prefixes),
# a number, a date, a flag, a link (an IRI) and, on some, an optional note. Values repeat, so
# that later keys decide between rows.
NAMES = ["beta", "Alpha", "alpha", "Émile", "zeta", "beta", "ärger", "Zürich", "b", "beta"]
NUMBERS = [3, -2, 10, 3, 0, 25, 3, -2, 7, 3]
DATES = ["2024-03-22", "2023-12-31", "2024-03-22", "2024-01-05", "2023-12-31",
         "2024-03-22", "2024-01-05", "2024-03-21", "2024-03-22", "2023-12-31"]
NOTES = {0: "late", 3: "early", 4: "late", 8: "Late"}


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    graph = ox.NamedNode(EX + "graph")
    for i, (name, number, date) in enumerate(zip(NAMES, NUMBERS, DATES)):
        subject = ox.NamedNode(f"{EX}item/{i:02d}")
        quads = [
            (EX + "name", ox.Literal(name)),
            (EX + "number", _literal(str(number), "integer")),
            (EX + "date", _literal(date, "date")),
            (EX + "flag", _literal("true" if i % 3 else "false", "boolean")),
            (EX + "link", ox.NamedNode(f"{EX}place/{(7 * i) % 4}")),
        ]
        if i in NOTES:
            quads.append((EX + "note", ox.Literal(NOTES[i])))
        for predicate, value in quads:
            store.add(ox.Quad(subject, ox.NamedNode(predicate), value, graph))
    return store


PATTERN = """PREFIX ex: <http://example.org/>
SELECT {select} WHERE {{
  GRAPH ?g {{
    ?item ex:name ?name ; ex:number ?number ; ex:date ?date ; ex:flag ?flag ; ex:link ?link .
    OPTIONAL {{ ?item ex:note ?note }}
  }}
}}
ORDER BY {order}
"""
ALL = "?item ?name ?number ?date ?flag ?link ?note"


def _as_oxigraph_orders(text: str, store: ox.Store) -> list[dict]:
    """The rows of ``text`` sorted by Oxigraph itself, converted as run_query converts them."""
    results = store.query(text)
    variables = [v.value for v in results.variables]
    return [{name: _from_oxigraph(solution[name]) for name in variables} for solution in results]


KEYS = ["?name", "DESC(?name)", "?number", "DESC(?number)", "?date", "DESC(?date)", "?flag", "DESC(?flag)",
        "?note", "DESC(?note)", "?link", "DESC(?link)"]
# Every pair of keys in every direction, then the item as the last key (a total order)
ORDERS = [f"{a} {b} ?item" for a, b in itertools.permutations(KEYS, 2) if a.strip("DESC()") != b.strip("DESC()")]


@pytest.mark.parametrize("order", ORDERS)
def test_every_kind_of_key_in_either_direction_orders_as_oxigraph_does(store, order):
    text = PATTERN.format(select=ALL, order=order)
    assert plan_ordering(text) is not None
    assert run_query(text, store).rows == _as_oxigraph_orders(text, store)


@pytest.mark.parametrize("select,order", [
    ("DISTINCT ?name", "?number ?name"),          # sorted on what it does not select, then one row per name
    ("DISTINCT ?name ?flag", "DESC(?date) ?number ?name ?flag"),
    ("?name", "?note ?number ?item"),           # no DISTINCT: every row kept
    ("DISTINCT ?link", "DESC(?note) ?link"),     # unbound last in DESC, the first of each link kept
])
def test_sort_variables_the_query_does_not_select_are_dropped_after_the_sort(store, select, order):
    text = PATTERN.format(select=select, order=order)
    plan = plan_ordering(text)
    assert plan is not None and plan.added
    result = run_query(text, store)
    assert result.variables == [v.lstrip("?") for v in select.split() if v.startswith("?")]
    assert result.rows == _as_oxigraph_orders(text, store)


class _Recording:
    """A store that notes the texts it is asked to run."""

    def __init__(self, store: ox.Store):
        self.store, self.texts = store, []

    def query(self, text, **options):
        self.texts.append(text)
        return self.store.query(text, **options)


def test_the_sort_is_done_here_and_the_query_run_once(store):
    text = PATTERN.format(select=ALL, order="?name DESC(?number) ?item")
    recording = _Recording(store)
    assert run_query(text, recording).rows == _as_oxigraph_orders(text, store)
    assert len(recording.texts) == 1 and "ORDER BY" not in recording.texts[0]


@pytest.mark.parametrize("values", [
    '"b" 2',                                     # a string and an integer in one column
    '"b" "a"@en',                                # a language-tagged string
    '1.5 2.5',                                   # decimals
    '"2024-03-22+02:00"^^xsd:date "2024-03-21"^^xsd:date',  # a date with a time zone
    '<http://example.org/b> "a"',                # an IRI and a literal
    '1 true',                                    # an integer and a boolean (1 and True in Python)
    '"07"^^xsd:integer "x"^^xsd:integer',        # an integer not written as one
])
def test_columns_whose_order_is_the_engines_own_are_sorted_by_the_engine(values):
    store = ox.Store()
    text = ("PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
            f"SELECT ?v WHERE {{ VALUES ?v {{ {values} }} }}\nORDER BY ?v")
    recording = _Recording(store)
    assert run_query(text, recording).rows == _as_oxigraph_orders(text, store)
    assert len(recording.texts) == 2 and recording.texts[1] == text  # run again, as written


@pytest.mark.parametrize("text", [
    "SELECT ?s WHERE { ?s ?p ?o }",
    "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 10",
    "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s OFFSET 1",
    "SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s ORDER BY ?s",
    "SELECT ?s WHERE { ?s ?p ?o } ORDER BY STR(?s)",
    "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s ?é",
    "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s # }",
    "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s VALUES ?s { <http://example.org/a> }",
    "SELECT REDUCED ?s WHERE { ?s ?p ?o } ORDER BY ?o",
])
def test_queries_ordered_otherwise_are_left_to_the_engine(text):
    assert plan_ordering(text) is None


def test_the_plan_keeps_the_query_but_its_order(store):
    text = ("PREFIX ex: <http://example.org/>  # a comment with { and }\n"
            "SELECT DISTINCT ?name\nWHERE { GRAPH ?g { ?item ex:name ?name ; ex:number ?number } }\n"
            "# the order:\nORDER BY DESC(?number) $name  # by number\n")
    plan = plan_ordering(text)
    assert plan.keys == (OrderKey("number", True), OrderKey("name"))
    assert plan.added == ("number",) and plan.distinct
    assert plan.text.startswith("PREFIX ex: <http://example.org/>  # a comment with { and }\n"
                                "SELECT DISTINCT ?name ?number\nWHERE {")
    assert "ORDER BY" not in plan.text
    assert run_query(text, store).rows == _as_oxigraph_orders(text, store)


def test_a_syntax_error_is_reported_where_the_query_as_written_has_it(store):
    # one line: the planned text, selecting ?number too, has the error further along it
    text = "SELECT DISTINCT ?name WHERE { ?item <http://example.org/name> ?name . FILTER(?name = ) } ORDER BY ?number"
    with pytest.raises(SyntaxError) as as_written:
        store.query(text)
    with pytest.raises(QuerySyntaxError) as caught:
        run_query(text, store)
    assert f"error at {caught.value.line}:{caught.value.column}:" in str(as_written.value)
