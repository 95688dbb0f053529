"""Canned SPARQL queries and the pipeline.query API, on a small two-document fixture graph.

The fixture follows docs/rdf-model.md: one named graph per document in graph.trig, their union
in graph.ttl. Every canned query must give the same rows from either file.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, SKOS, Dataset, Graph, Literal, URIRef
from rdflib import namespace as ns

from pipeline import query as q
from pipeline.query import (
    CannedQuery,
    QueryError,
    QueryFileError,
    QueryParam,
    QueryResult,
    QuerySyntaxError,
    bind_params,
    figures_by_source,
    format_result,
    list_queries,
    load_query,
    open_store,
    reshape,
    run_query,
    run_query_endpoint,
)
from pipeline.resources import queries_dir
from pipeline.vocab import DEFAULT_BASE, EVKG, claim_kind

pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.plugins.serializers.trig"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.plugins.serializers.nquads"),
]

BASE = DEFAULT_BASE
CROCUS = "Crocus City Hall attack"


def iri(path: str) -> URIRef:
    return URIRef(BASE + path)


RUSSIA = BASE + "actor/russia"
UKRAINE = BASE + "actor/ukraine"
IS = BASE + "actor/islamic-state"
US = BASE + "actor/united-states"

ACTORS = {
    # key: (type, label)
    "russia": ("Country", "Russia"),
    "ukraine": ("Country", "Ukraine"),
    "islamic-state": ("Group", "Islamic State"),
    "united-states": ("Country", "United States"),
}

# Per document: aliases seen there, claims and figures. Evidence offsets are deliberately not in
# insertion order so the ORDER BY on the start offset is exercised.
DOCUMENTS = {
    "doc-a": {
        "aliases": {
            "russia": ["Moscow", "the Kremlin"],
            "ukraine": ["Kyiv"],
            "islamic-state": ["IS"],
        },
        "claims": [
            # (id, claimant, kind, targets, event?, hedged, said_on, start, exact)
            ("a1", "islamic-state", "claims_responsibility", ["islamic-state"], True, False,
             "2024-03-22", 40, "Islamic State claimed responsibility for the attack."),
            ("a2", "russia", "accuses", ["ukraine"], True, False, "2024-03-23", 120,
             'Moscow blamed Kyiv for the "terrorist act" {allegedly} # 1.'),
            ("a3", "ukraine", "denies", ["russia"], True, False, None, 10,
             "Kyiv denied any involvement."),
        ],
        "figures": [
            # (id, measure, qualifier, value, event?, start, exact)
            ("fa1", "killed", "at least", 137, True, 200, "At least 137 people were killed."),
        ],
    },
    "doc-b": {
        "published": "2024-03-26",
        "aliases": {
            "russia": ["Russian Federation"],
            "ukraine": [],
            "islamic-state": ["ISIS"],
            "united-states": ["Washington", "U.S."],
        },
        "claims": [
            ("b1", "united-states", "confirms", ["islamic-state"], True, False, "2024-03-24", 0,
             "Washington said the Islamic State claim was credible."),
            ("b2", "russia", "accuses", ["ukraine", "united-states"], False, True, None, 60,
             "Moscow suggested Kyiv and Washington may have been involved."),
            ("b3", "united-states", "disputes", ["russia"], True, False, None, 150,
             "The U.S. rejected the Russian version of events."),
            ("b4", "russia", "warns", ["united-states"], False, False, "2024-03-25", 220,
             "Russia warned the United States against interfering."),
        ],
        "figures": [
            ("fb1", "killed", "about", 143, True, 300, "About 143 people died."),
            ("fb2", "injured", None, 182, True, 320, "182 were injured."),
        ],
    },
}


def build_dataset() -> Dataset:
    ds = Dataset()
    for doc, spec in DOCUMENTS.items():
        g = ds.graph(iri(f"graph/{doc}"))
        source = iri(f"source/{doc}")
        g.add((source, RDF.type, EVKG.Source))
        g.add((source, RDFS.label, Literal(f"Document {doc}")))
        g.add((source, EVKG.documentId, Literal(doc)))
        if spec.get("published"):
            g.add((source, EVKG.published, Literal(spec["published"], datatype=ns.XSD.date)))
        for key, aliases in spec["aliases"].items():
            actor = iri(f"actor/{key}")
            type_, label = ACTORS[key]
            g.add((actor, RDF.type, EVKG.Actor))
            g.add((actor, RDF.type, EVKG[type_]))
            g.add((actor, RDFS.label, Literal(label)))
            for alias in aliases:
                g.add((actor, SKOS.altLabel, Literal(alias)))
            g.add((actor, EVKG.mentionedIn, source))
        event = iri("event/crocus-city-hall-attack")
        g.add((event, RDF.type, EVKG.Event))
        g.add((event, RDF.type, EVKG.Attack))
        g.add((event, RDFS.label, Literal(CROCUS)))
        g.add((event, EVKG.occurredOn, Literal("2024-03-22", datatype=ns.XSD.date)))
        g.add((event, EVKG.mentionedIn, source))

        def evidence(key: str, start: int, exact: str) -> URIRef:
            ev = iri(f"evidence/{key}")
            g.add((ev, RDF.type, EVKG.Evidence))
            g.add((ev, EVKG.exact, Literal(exact)))
            g.add((ev, EVKG.start, Literal(start)))
            g.add((ev, EVKG.end, Literal(start + len(exact))))
            g.add((ev, EVKG.sentenceIndex, Literal(start // 50)))
            g.add((ev, EVKG.reportedIn, source))
            return ev

        for cid, claimant, kind, targets, about, hedged, said_on, start, exact in spec["claims"]:
            claim = iri(f"claim/{cid}")
            g.add((claim, RDF.type, EVKG.Claim))
            g.add((claim, EVKG.claimant, iri(f"actor/{claimant}")))
            for target in targets:
                g.add((claim, EVKG.target, iri(f"actor/{target}")))
            g.add((claim, EVKG.kind, claim_kind(kind)))
            g.add((claim_kind(kind), SKOS.notation, Literal(kind)))
            if about:
                g.add((claim, EVKG.aboutEvent, event))
            g.add((claim, EVKG.hedged, Literal(hedged)))
            if said_on:
                g.add((claim, EVKG.saidOn, Literal(said_on, datatype=ns.XSD.date)))
            g.add((claim, EVKG.cue, Literal(kind)))
            g.add((claim, EVKG.reportedIn, source))
            g.add((claim, EVKG.evidence, evidence(cid, start, exact)))

        for fid, measure, qualifier, value, about, start, exact in spec["figures"]:
            figure = iri(f"figure/{fid}")
            g.add((figure, RDF.type, EVKG.Figure))
            g.add((figure, EVKG.measure, Literal(measure)))
            g.add((figure, EVKG.value, Literal(value)))
            if qualifier:
                g.add((figure, EVKG.qualifier, Literal(qualifier)))
            if about:
                g.add((figure, EVKG.aboutEvent, event))
            g.add((figure, EVKG.reportedIn, source))
            g.add((figure, EVKG.evidence, evidence(fid, start, exact)))
    add_statements(ds)
    return ds


def add_statements(ds: Dataset) -> None:
    """Each claim reports a statement (claimant, kind, targets, event), in the graph of each
    document reporting it; the U.S. dispute of Russia answers Russia's accusation of Ukraine."""
    statements = {}
    for doc, spec in DOCUMENTS.items():
        for cid, claimant, kind, targets, about, hedged, said_on, start, exact in spec["claims"]:
            key = (claimant, kind, tuple(targets), about)
            statements.setdefault(key, []).append((doc, cid, said_on))
    for n, (key, reports) in enumerate(sorted(statements.items())):
        claimant, kind, targets, about = key
        node = iri(f"statement/s{n}")
        dates = sorted(d for _, _, d in reports if d)
        for doc, cid, _ in reports:
            g = ds.graph(iri(f"graph/{doc}"))
            g.add((iri(f"claim/{cid}"), EVKG.reportOf, node))
            g.add((node, RDF.type, EVKG.Statement))
            g.add((node, RDFS.label, Literal(f"{claimant} {kind} {' '.join(targets)}")))
            g.add((node, EVKG.claimant, iri(f"actor/{claimant}")))
            for target in targets:
                g.add((node, EVKG.target, iri(f"actor/{target}")))
            g.add((node, EVKG.kind, claim_kind(kind)))
            if about:
                g.add((node, EVKG.aboutEvent, iri("event/crocus-city-hall-attack")))
            g.add((node, EVKG.sourceCount, Literal(len(reports))))
            if dates:
                g.add((node, EVKG.earliestDate, Literal(dates[0], datatype=ns.XSD.date)))
                g.add((node, EVKG.latestDate, Literal(dates[-1], datatype=ns.XSD.date)))
            if key == ("united-states", "disputes", ("russia",), True):
                answered = sorted(statements).index(("russia", "accuses", ("ukraine",), True))
                g.add((node, EVKG.respondsTo, iri(f"statement/s{answered}")))


@pytest.fixture(scope="module")
def outdir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build")
    ds = build_dataset()
    (out / "graph.trig").write_text(ds.serialize(format="trig"), encoding="utf-8")
    union = Graph()
    for g in ds.graphs():
        for triple in g:
            union.add(triple)
    (out / "graph.ttl").write_text(union.serialize(format="turtle"), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def trig_store(outdir) -> ox.Store:
    return open_store([outdir])  # a folder: graph.trig, named graphs only


@pytest.fixture(scope="module")
def ttl_store(outdir) -> ox.Store:
    return open_store([outdir / "graph.ttl"])  # the union in the default graph


@pytest.fixture(scope="module")
def both_store(outdir) -> ox.Store:
    return open_store([outdir / "graph.trig", outdir / "graph.ttl"])


def rows(name: str, store: ox.Store, **params: str) -> list[dict]:
    return run_query(bind_params(load_query(name), params), store).rows


def tuples(name: str, store: ox.Store, **params: str) -> list[tuple]:
    return [tuple(r.values()) for r in rows(name, store, **params)]


# --------------------------------------------------------------------------------------------
# The fixture itself


def test_fixture_layout(trig_store, ttl_store):
    graphs = {g.value for g in trig_store.named_graphs()}
    assert graphs == {BASE + "graph/doc-a", BASE + "graph/doc-b"}
    assert len(trig_store) > 0
    assert not list(trig_store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert not list(ttl_store.named_graphs())


# --------------------------------------------------------------------------------------------
# Each canned query's rows

WHO_COLUMNS = ["claimant", "claimant_iri", "kind", "cue", "target", "target_iri", "event", "said_on",
               "hedged", "document", "start", "end", "evidence", "claim_iri"]

A2_EXACT = 'Moscow blamed Kyiv for the "terrorist act" {allegedly} # 1.'
B2_EXACT = "Moscow suggested Kyiv and Washington may have been involved."
# The fixture's cue is the claim's kind; its evidence ends at start + the length of its sentence.
WHO_ROWS = [
    ("Ukraine", UKRAINE, "denies", "denies", "Russia", RUSSIA, CROCUS, None, False, "doc-a", 10, 38,
     "Kyiv denied any involvement.", BASE + "claim/a3"),
    ("Islamic State", IS, "claims_responsibility", "claims_responsibility", "Islamic State", IS, CROCUS,
     "2024-03-22", False, "doc-a", 40, 92, "Islamic State claimed responsibility for the attack.",
     BASE + "claim/a1"),
    ("Russia", RUSSIA, "accuses", "accuses", "Ukraine", UKRAINE, CROCUS, "2024-03-23", False, "doc-a", 120, 179,
     A2_EXACT, BASE + "claim/a2"),
    ("United States", US, "confirms", "confirms", "Islamic State", IS, CROCUS, "2024-03-24", False, "doc-b", 0, 53,
     "Washington said the Islamic State claim was credible.", BASE + "claim/b1"),
    ("Russia", RUSSIA, "accuses", "accuses", "Ukraine", UKRAINE, None, None, True, "doc-b", 60, 120, B2_EXACT,
     BASE + "claim/b2"),
    ("Russia", RUSSIA, "accuses", "accuses", "United States", US, None, None, True, "doc-b", 60, 120, B2_EXACT,
     BASE + "claim/b2"),
    ("United States", US, "disputes", "disputes", "Russia", RUSSIA, CROCUS, None, False, "doc-b", 150, 198,
     "The U.S. rejected the Russian version of events.", BASE + "claim/b3"),
    ("Russia", RUSSIA, "warns", "warns", "United States", US, None, "2024-03-25", False, "doc-b", 220, 272,
     "Russia warned the United States against interfering.", BASE + "claim/b4"),
]


def test_who_blamed_whom(trig_store):
    result = run_query(bind_params(load_query("who-blamed-whom"), {}), trig_store)
    assert result.variables == WHO_COLUMNS
    assert [tuple(r.values()) for r in result.rows] == WHO_ROWS
    first = result.rows[0]
    assert isinstance(first["hedged"], bool) and first["said_on"] is None


def test_who_blamed_whom_kind(trig_store):
    assert tuples("who-blamed-whom", trig_store, kind="accuses") == [
        r for r in WHO_ROWS if r[2] == "accuses"
    ]
    assert tuples("who-blamed-whom", trig_store, kind="warns") == [WHO_ROWS[-1]]
    assert tuples("who-blamed-whom", trig_store, kind="no-such-kind") == []


def test_who_blamed_whom_unbound_placeholder_runs_as_is(trig_store):
    """The .rq file, unmodified (as Fuseki would run it), returns every claim."""
    text = (queries_dir() / "who-blamed-whom.rq").read_text(encoding="utf-8")
    assert [tuple(r.values()) for r in run_query(text, trig_store).rows] == WHO_ROWS


RUSSIA_ROWS = [
    ("target",) + WHO_ROWS[0],
    ("claimant",) + WHO_ROWS[2],
    ("claimant",) + WHO_ROWS[4],
    ("claimant",) + WHO_ROWS[5],
    ("target",) + WHO_ROWS[6],
    ("claimant",) + WHO_ROWS[7],
]


@pytest.mark.parametrize(
    "actor",
    ["Russia", "russia", "MOSCOW", "the kremlin", "Russian Federation", RUSSIA, f"<{RUSSIA}>"],
)
def test_claims_by_actor(trig_store, actor):
    result = run_query(bind_params(load_query("claims-by-actor"), {"actor": actor}), trig_store)
    assert result.variables == ["role"] + WHO_COLUMNS
    assert [tuple(r.values()) for r in result.rows] == RUSSIA_ROWS


def test_claims_by_actor_target_role_only_its_own_row(trig_store):
    got = tuples("claims-by-actor", trig_store, actor="Washington")
    assert got == [
        ("claimant",) + WHO_ROWS[3],
        ("target",) + WHO_ROWS[5],  # b2 also targets Ukraine: that row is not US's
        ("claimant",) + WHO_ROWS[6],
        ("target",) + WHO_ROWS[7],
    ]


def test_claims_by_actor_self_target(trig_store):
    got = tuples("claims-by-actor", trig_store, actor="isis")
    assert got == [
        ("claimant",) + WHO_ROWS[1],
        ("target",) + WHO_ROWS[1],
        ("target",) + WHO_ROWS[3],
    ]


@pytest.mark.parametrize("actor", ["Nobody", "Russ", BASE + "actor/nobody", "", " Russia"])
def test_claims_by_actor_no_match(trig_store, actor):
    assert rows("claims-by-actor", trig_store, actor=actor) == []


@pytest.mark.parametrize("name,actor", [("Washington", US), ("the kremlin", RUSSIA), ("IS", IS), ("isis", IS)])
def test_the_name_of_one_actor_is_bound_as_its_iri_for_the_same_rows(trig_store, name, actor):
    query = load_query("claims-by-actor")
    checked = q.check_params(query, {"actor": name}, lambda text: run_query(text, trig_store))
    assert checked == {"actor": f"<{actor}>"}
    assert run_query(bind_params(query, checked), trig_store) == run_query(bind_params(query, {"actor": name}),
                                                                          trig_store)


def test_a_name_several_actors_have_is_bound_as_a_name(outdir, tmp_path):
    """Two actors called "The Council" in different documents: the query matches both by name."""
    store = open_store([outdir / "graph.trig"])
    store.update(f"""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        INSERT DATA {{ GRAPH <{BASE}graph/doc-a> {{ <{RUSSIA}> skos:altLabel "The Council" }}
                       GRAPH <{BASE}graph/doc-b> {{ <{US}> skos:altLabel "the council" }} }}""")
    query = load_query("claims-by-actor")
    checked = q.check_params(query, {"actor": "THE COUNCIL"}, lambda text: run_query(text, store))
    assert checked == {"actor": "THE COUNCIL"}
    got = {row["claim_iri"] for row in run_query(bind_params(query, checked), store).rows}
    both = {row["claim_iri"] for actor in (RUSSIA, US) for row in rows("claims-by-actor", store, actor=actor)}
    assert got == both and got


def test_claims_by_actor_requires_actor():
    with pytest.raises(QueryError, match="actor"):
        bind_params(load_query("claims-by-actor"), {})


def test_responsibility_claims(trig_store):
    result = run_query(bind_params(load_query("responsibility-claims"), {}), trig_store)
    assert result.variables == ["claimant", "kind", "cue", "target", "event", "said_on", "document", "start",
                                "end", "evidence", "claim_iri"]
    assert [tuple(r.values()) for r in result.rows] == [
        ("Islamic State", "claims_responsibility", "claims_responsibility", "Islamic State", CROCUS, "2024-03-22",
         "doc-a", 40, 92, "Islamic State claimed responsibility for the attack.", BASE + "claim/a1"),
        ("United States", "confirms", "confirms", "Islamic State", CROCUS, "2024-03-24", "doc-b", 0, 53,
         "Washington said the Islamic State claim was credible.", BASE + "claim/b1"),
    ]


def test_denials_and_disputes(trig_store):
    result = run_query(bind_params(load_query("denials-and-disputes"), {}), trig_store)
    assert result.variables == WHO_COLUMNS
    assert [tuple(r.values()) for r in result.rows] == [WHO_ROWS[0], WHO_ROWS[6]]


def test_timeline(trig_store):
    """Events, publications and claims; an undated claim at its document's publication date, if any."""
    result = run_query(bind_params(load_query("timeline"), {}), trig_store)
    assert result.variables == ["date", "dated", "type", "label", "kind", "cue", "document", "start", "end",
                                "evidence", "claim_iri"]
    a1, a2, b1, b2, b3, b4 = (WHO_ROWS[i] for i in (1, 2, 3, 4, 6, 7))
    assert [tuple(r.values()) for r in result.rows] == [
        ("2024-03-22", "event", "event", CROCUS, None, None, None, None, None, None, None),  # once in both graphs
        ("2024-03-22", "statement", "claim", "Islamic State claims_responsibility Islamic State",
         "claims_responsibility", "claims_responsibility", "doc-a", 40, 92, a1[12], a1[13]),
        ("2024-03-23", "statement", "claim", "Russia accuses Ukraine", "accuses", "accuses", "doc-a", 120, 179,
         A2_EXACT, a2[13]),
        ("2024-03-24", "statement", "claim", "United States confirms Islamic State", "confirms", "confirms", "doc-b",
         0, 53, b1[12], b1[13]),
        ("2024-03-25", "statement", "claim", "Russia warns United States", "warns", "warns", "doc-b", 220, 272,
         b4[12], b4[13]),
        # doc-b is published on 2024-03-26: its undated claims are placed there; doc-a has no date,
        # so its undated denial is not in the timeline.
        ("2024-03-26", "publication", "publication", "Document doc-b", None, None, "doc-b", None, None, None, None),
        ("2024-03-26", "publication", "claim", "Russia accuses Ukraine", "accuses", "accuses", "doc-b", 60, 120,
         B2_EXACT, b2[13]),
        ("2024-03-26", "publication", "claim", "Russia accuses United States", "accuses", "accuses", "doc-b", 60, 120,
         B2_EXACT, b2[13]),
        ("2024-03-26", "publication", "claim", "United States disputes Russia", "disputes", "disputes", "doc-b",
         150, 198, b3[12], b3[13]),
    ]


FIGURE_COLUMNS = ["event", "measure", "qualifier", "value", "document", "evidence"]
KILLED = [
    (CROCUS, "killed", "at least", 137, "doc-a", "At least 137 people were killed."),
    (CROCUS, "killed", "about", 143, "doc-b", "About 143 people died."),
]


def test_conflicting_figures(trig_store):
    result = run_query(bind_params(load_query("conflicting-figures"), {}), trig_store)
    assert result.variables == FIGURE_COLUMNS
    assert [tuple(r.values()) for r in result.rows] == KILLED  # injured: one value, no conflict
    assert all(isinstance(r["value"], int) for r in result.rows)
    assert tuples("conflicting-figures", trig_store, measure="killed") == KILLED
    assert tuples("conflicting-figures", trig_store, measure="injured") == []


def test_conflicting_figures_reshaped_as_a_pivot(trig_store):
    query = load_query("conflicting-figures")
    pivot = reshape(query, run_query(bind_params(query, {}), trig_store))
    assert pivot == QueryResult(["event", "measure", "doc-a", "doc-b"], [
        {"event": CROCUS, "measure": "killed", "doc-a": "at least 137", "doc-b": "about 143"}])
    figures = run_query(bind_params(load_query("figures"), {}), trig_store)
    assert reshape(load_query("figures"), figures) is figures, "only conflicting-figures is reshaped"


def test_figures_by_source():
    def figure(measure, qualifier, value, document):
        return {"event": "Harbour fire", "measure": measure, "qualifier": qualifier, "value": value,
                "document": document, "evidence": "…"}

    pivot = figures_by_source(QueryResult(FIGURE_COLUMNS, [
        figure("killed", None, 12, "doc-c"), figure("killed", "at least", 14, "doc-a"),
        figure("killed", "about", 15, "doc-a"), figure("killed", "about", 15, "doc-a"),
        figure("injured", None, 3, "doc-b")]))
    assert pivot.variables == ["event", "measure", "doc-a", "doc-b", "doc-c"]
    assert pivot.rows == [
        {"event": "Harbour fire", "measure": "killed", "doc-a": "at least 14; about 15", "doc-b": None, "doc-c": "12"},
        {"event": "Harbour fire", "measure": "injured", "doc-a": None, "doc-b": "3", "doc-c": None},
    ]


def test_figures(trig_store):
    assert tuples("figures", trig_store) == [
        (CROCUS, "injured", None, 182, "doc-b", "182 were injured."),
    ] + KILLED
    assert tuples("figures", trig_store, measure="killed") == KILLED


def test_actors(trig_store):
    result = run_query(bind_params(load_query("actors"), {}), trig_store)
    assert result.variables == ["actor", "actor_iri", "type", "as_claimant", "as_target",
                                "documents"]
    assert [tuple(r.values()) for r in result.rows] == [
        ("Islamic State", IS, "Group", 1, 2, 2),
        ("Russia", RUSSIA, "Country", 3, 2, 2),
        ("Ukraine", UKRAINE, "Country", 1, 2, 2),
        ("United States", US, "Country", 2, 2, 1),
    ]


# --------------------------------------------------------------------------------------------
# Named graphs or default graph: the same rows

PARAM_CASES = [
    (name, params)
    for name in sorted(q.name for q in list_queries())
    for params in ({}, {"kind": "accuses"}, {"measure": "killed"}, {"actor": "moscow"},
                   {"actor": RUSSIA})
    if set(params) <= {p.name for p in load_query(name).params}
    and {p.name for p in load_query(name).params if p.required} <= set(params)
]


@pytest.mark.parametrize("name,params", PARAM_CASES)
def test_same_rows_from_trig_and_ttl(trig_store, ttl_store, both_store, name, params):
    text = bind_params(load_query(name), params)
    from_trig = run_query(text, trig_store)
    assert from_trig.rows, f"{name} {params} found nothing in the fixture"
    assert run_query(text, ttl_store) == from_trig
    assert run_query(text, both_store) == from_trig  # both loaded at once: no duplicates
    # A store whose default graph is the union of the named graphs (e.g. Fuseki with
    # unionDefaultGraph, Oxigraph --union-default-graph) gives the same rows too.
    union = trig_store.query(text, use_default_graph_as_union=True)
    variables = [v.value for v in union.variables]
    union_rows = [{v: q._from_oxigraph(s[v]) for v in variables} for s in union]
    assert QueryResult(variables, union_rows) == from_trig


def test_every_canned_query_covered_by_same_rows_check():
    assert {name for name, _ in PARAM_CASES} == {q.name for q in list_queries()}


# --------------------------------------------------------------------------------------------
# Parameter binding is safe

HOSTILE = [
    'accuses" } DROP ALL #',
    "accuses' } DROP ALL #",
    '"""',
    "'''",
    "} } DROP ALL ; INSERT DATA { <http://x/s> <http://x/p> <http://x/o> } #",
    "DROP ALL",
    "{ }",
    "# comment",
    "line\nbreak } DROP ALL",
    "back\\slash",
    "\\",
    '\\"',
    "\\u0022 } DROP ALL #",
    "\\\\u0022",
    "VALUES ?kind_param { UNDEF }",
    "VALUES ?measure_param { UNDEF }",
    "<http://x/a> } DROP ALL { <http://x/b>",
    "http://x/a> } DROP ALL #",
    "<http://x/a\"> }",
    "https://w3id.org/evkg/id/actor/russia> } DROP ALL #",
    "<https://w3id.org/evkg/id/actor/russia> } # ",
    "\t\r\x0c\x08 tabs",
    "accuses\u2028",
    "ünïcödé “quotes”",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_stay_literal(outdir, value):
    store = open_store([outdir])
    before = len(store)
    for query in list_queries():
        for param in query.params:
            result = run_query(bind_params(query, {param.name: value}), store)
            assert result.rows == [], (query.name, param.name, value)
    assert len(store) == before


@pytest.mark.parametrize("value", HOSTILE + ["plain", "", "http://example.org/x"])
def test_values_round_trip_exactly(tmp_path, value):
    """Whatever the value, the query sees exactly that string."""
    rq = tmp_path / "echo.rq"
    rq.write_text(
        "# name: echo\n# description: echoes its parameter\n# param: v  (required)\n"
        "SELECT ?v WHERE {\n  VALUES ?v_param { UNDEF }\n  BIND (?v_param AS ?v)\n}\n",
        encoding="utf-8",
    )
    text = bind_params(load_query(rq), {"v": value})
    assert run_query(text, ox.Store()).rows == [{"v": value}]
    assert "DROP ALL" not in text.replace(q.sparql_literal(value), "")


def test_iri_parameters(tmp_path):
    rq = tmp_path / "kind.rq"
    rq.write_text(
        "# name: term-kind\n# description: is the parameter an IRI\n"
        "# param: v  (required, iri) a thing\n"
        "SELECT ?is_iri ?v WHERE {\n  VALUES ?v_param { UNDEF }\n"
        "  BIND (isIRI(?v_param) AS ?is_iri)\n  BIND (STR(?v_param) AS ?v)\n}\n",
        encoding="utf-8",
    )
    query = load_query(rq)
    assert query.params == [QueryParam("v", "a thing", True, iri=True)]

    def run(value):
        return run_query(bind_params(query, {"v": value}), ox.Store()).rows[0]

    assert run(RUSSIA) == {"is_iri": True, "v": RUSSIA}
    assert run(f"<{RUSSIA}>") == {"is_iri": True, "v": RUSSIA}
    assert run("<urn:isbn:0451450523>") == {"is_iri": True, "v": "urn:isbn:0451450523"}
    assert run("Russia") == {"is_iri": False, "v": "Russia"}
    assert run("urn:isbn:0451450523") == {"is_iri": False, "v": "urn:isbn:0451450523"}
    for bad in ["http://x/a b", "http://x/a> } DROP ALL #", "<http://x/{a}>", "<not an iri>",
                "<relative/path>", "http://x/\\u003E"]:
        assert run(bad) == {"is_iri": False, "v": bad}


def test_unknown_and_missing_parameters():
    who = load_query("who-blamed-whom")
    with pytest.raises(QueryError, match="no parameter 'actor'"):
        bind_params(who, {"actor": "Russia"})
    with pytest.raises(QueryError, match="needs parameter 'actor'"):
        bind_params(load_query("claims-by-actor"), {})
    assert bind_params(who, {"kind": None}) == who.text  # None: not given
    assert bind_params(who, {}) == who.text


def test_declared_parameter_without_placeholder():
    broken = CannedQuery("broken", "", [QueryParam("p", "", False)], None,
                         "SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(QueryError, match=r"VALUES \?p_param"):
        bind_params(broken, {"p": "x"})


def test_only_placeholders_are_replaced():
    who = load_query("who-blamed-whom")
    bound = bind_params(who, {"kind": "accuses"})
    assert 'VALUES ?kind_param { "accuses" }' in bound
    assert not q._PLACEHOLDER_RE.search(bound)
    changed = [(a, b) for a, b in zip(who.text.splitlines(), bound.splitlines()) if a != b]
    placeholders = [line for line in who.text.splitlines() if line.strip() == "VALUES ?kind_param { UNDEF }"]
    assert placeholders and changed == [(line, line.replace("UNDEF", '"accuses"')) for line in placeholders]


# --------------------------------------------------------------------------------------------
# Reading the canned queries

REQUIRED = {
    "who-blamed-whom": [("kind", False)],
    "claims-by-actor": [("actor", True)],
    "responsibility-claims": [],
    "denials-and-disputes": [],
    "timeline": [],
    "conflicting-figures": [("measure", False)],
}


def test_list_queries():
    queries = list_queries()
    names = [query.name for query in queries]
    assert names == sorted(names)
    assert set(REQUIRED) <= set(names)
    assert len(set(names)) == len(names)
    for query in queries:
        assert query.description, query.name
        assert query.path is not None and query.path.stem == query.name
        assert query.path.parent == queries_dir()
        assert query.text.startswith(f"# name: {query.name}\n")
        for param in query.params:
            assert param.description, (query.name, param.name)
            assert f"VALUES ?{param.name}_param {{ UNDEF }}" in query.text
        assert "ORDER BY" in query.text, query.name
    for name, params in REQUIRED.items():
        assert [(p.name, p.required) for p in load_query(name).params] == params
    actor = load_query("claims-by-actor").params[0]
    assert actor.iri and actor.required
    assert not load_query("who-blamed-whom").params[0].iri


def test_header_parsing(tmp_path):
    rq = tmp_path / "x.rq"
    rq.write_text(
        "# name: my-query\n"
        "# description: First part\n"
        "#   and its continuation.\n"
        "# param: a  (required) the a\n"
        "# param: b  (optional, iri) the b\n"
        "# param: c\n"
        "#\n"
        "# name: not-a-header-any-more\n"
        "SELECT * WHERE { VALUES ?a_param { UNDEF } }\n",
        encoding="utf-8",
    )
    query = load_query(str(rq))
    assert query.name == "my-query"
    assert query.description == "First part and its continuation."
    assert query.params == [
        QueryParam("a", "the a", True),
        QueryParam("b", "the b", False, iri=True),
        QueryParam("c", "", False),
    ]
    assert query.path == rq
    bare = tmp_path / "bare.rq"
    bare.write_text("SELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    assert load_query(bare).name == "bare" and load_query(bare).params == []


def test_load_query_by_name_and_path():
    by_name = load_query("timeline")
    assert by_name.name == "timeline"
    assert load_query(queries_dir() / "timeline.rq") == by_name
    assert load_query("timeline.rq") == by_name


def test_load_query_unknown():
    with pytest.raises(QueryError) as info:
        load_query("who-blamed")
    message = str(info.value)
    assert "'who-blamed'" in message and "who-blamed-whom" in message and "timeline" in message
    with pytest.raises(QueryError, match="no such query file"):
        load_query("/no/such/file.rq")


# --------------------------------------------------------------------------------------------
# Loading data and running queries


def test_open_store_errors(tmp_path):
    with pytest.raises(QueryError, match="no such file"):
        open_store([tmp_path / "missing.trig"])
    with pytest.raises(QueryError, match="graph.trig"):
        open_store([tmp_path])
    odd = tmp_path / "data.xyz"
    odd.write_text("", encoding="utf-8")
    with pytest.raises(QueryError, match="format"):
        open_store([odd])
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(QueryError, match="bad.ttl"):
        open_store([bad])


def test_open_store_nquads(outdir, tmp_path, trig_store):
    nq = tmp_path / "graph.nq"
    nq.write_text(build_dataset().serialize(format="nquads"), encoding="utf-8")
    store = open_store([nq])
    assert len(store) == len(trig_store)
    assert tuples("who-blamed-whom", store) == WHO_ROWS


@pytest.mark.parametrize("header, error", [
    ("# name: mine\n# param: 1st  a parameter\n", "mine.rq: line 2: malformed '# param:' line: '1st  a parameter'"),
    ("# name: mine\n#\n", None),
    ("# name: mine\n# param: a  first\n# param: b (often)  second\n",
     "mine.rq: line 3: bad flags for parameter 'b': 'b (often)  second'"),
    ("# param: a  first\n# param: a  again\n", "mine.rq: parameter 'a' declared twice"),
])
def test_query_file_header_errors_name_the_file_and_line(tmp_path, header, error):
    path = tmp_path / "mine.rq"
    path.write_text(header + "SELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    if error is None:
        assert load_query(path).name == "mine"
        return
    with pytest.raises(QueryFileError) as caught:
        load_query(path)
    assert str(caught.value) == f"{tmp_path}/{error}"


def test_run_query_errors_and_ask(trig_store):
    with pytest.raises(QuerySyntaxError, match="invalid SPARQL") as caught:
        run_query("SELECT ?s\nWHERE {\n  ?s ?p\n}", trig_store)
    assert (caught.value.line, caught.value.column) == (4, 2) and caught.value.reason.startswith("expected")
    with pytest.raises(QueryError):
        run_query("DROP ALL", trig_store)
    with pytest.raises(QueryError, match="SELECT and ASK"):
        run_query("CONSTRUCT WHERE { ?s ?p ?o }", trig_store)
    assert run_query("ASK { GRAPH ?g { ?s ?p ?o } }", trig_store).rows == [{"ask": True}]


def test_term_conversion():
    store = ox.Store()
    text = """
    PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
    SELECT * WHERE {
      VALUES (?iri ?t ?f ?i ?n ?d ?s ?lang ?dec ?u) {
        (<http://x/a> true "0"^^xsd:boolean 42 "7"^^xsd:nonNegativeInteger "2024-03-22"^^xsd:date
         "text" "hallo"@de 1.5 UNDEF)
      }
    }"""
    assert run_query(text, store).rows == [{
        "iri": "http://x/a", "t": True, "f": False, "i": 42, "n": 7, "d": "2024-03-22",
        "s": "text", "lang": "hallo", "dec": "1.5", "u": None,
    }]
    assert q._from_json({"type": "literal", "value": "true",
                         "datatype": "http://www.w3.org/2001/XMLSchema#boolean"}) is True
    assert q._from_json({"type": "typed-literal", "value": "12",
                         "datatype": "http://www.w3.org/2001/XMLSchema#integer"}) == 12
    assert q._from_json({"type": "literal", "value": "hallo", "xml:lang": "de"}) == "hallo"
    assert q._from_json({"type": "uri", "value": "http://x/a"}) == "http://x/a"
    assert q._from_json({"type": "bnode", "value": "b0"}) == "_:b0"
    assert q._from_json(None) is None


# --------------------------------------------------------------------------------------------
# The endpoint path: a live Oxigraph server (default graph empty, as with graph.trig in Fuseki)


def _oxigraph_binary() -> str | None:
    local = Path(sys.executable).parent / "oxigraph"
    return str(local) if local.is_file() else shutil.which("oxigraph")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint(outdir, tmp_path_factory):
    binary = _oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server binary is not installed")
    location = tmp_path_factory.mktemp("oxigraph-db")
    subprocess.run([binary, "load", "--location", str(location), "--file",
                    str(outdir / "graph.trig")], check=True, capture_output=True)
    port = _free_port()
    proc = subprocess.Popen([binary, "serve-read-only", "--location", str(location), "--bind",
                             f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.skip("the oxigraph server did not start")
                time.sleep(0.1)
        else:
            pytest.skip("the oxigraph server did not answer")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.parametrize("name,params", PARAM_CASES)
def test_endpoint_gives_identical_rows(endpoint, trig_store, name, params):
    text = bind_params(load_query(name), params)
    assert run_query_endpoint(text, endpoint) == run_query(text, trig_store)


def test_endpoint_hostile_value(endpoint):
    text = bind_params(load_query("claims-by-actor"), {"actor": 'x" } DROP ALL #'})
    assert run_query_endpoint(text, endpoint).rows == []
    assert run_query_endpoint("ASK { GRAPH ?g { ?s ?p ?o } }", endpoint).rows == [{"ask": True}]


def test_endpoint_errors(endpoint):
    with pytest.raises(QueryError, match="SELECT and ASK"):
        run_query_endpoint("DROP ALL", endpoint)
    with pytest.raises(QueryError, match="endpoint"):
        run_query_endpoint("SELECT WHERE {", endpoint)
    with pytest.raises(QueryError, match="endpoint"):
        run_query_endpoint("SELECT * WHERE { ?s ?p ?o }", f"http://127.0.0.1:{_free_port()}/q")


# --------------------------------------------------------------------------------------------
# Formatting

SAMPLE = QueryResult(
    ["name", "hedged", "n", "note"],
    [
        {"name": "Russia", "hedged": False, "n": 3, "note": None},
        {"name": "Ülkü “Q”", "hedged": True, "n": 10, "note": 'said "no",\nthen yes'},
    ],
)


def test_format_table():
    text = format_result(SAMPLE, "table", width=100)
    assert text.splitlines() == [
        "name       hedged   n    note",
        "────────────────────────────────────────────",
        "Russia     false    3",
        'Ülkü “Q”   true     10   said "no", then yes',
    ]
    assert format_result(QueryResult(["a"], []), "table").splitlines() == ["a", "─"]


def test_format_csv():
    text = format_result(SAMPLE, "csv")
    assert list(csv.reader(io.StringIO(text))) == [
        ["name", "hedged", "n", "note"],
        ["Russia", "false", "3", ""],
        ["Ülkü “Q”", "true", "10", 'said "no",\nthen yes'],
    ]


def test_format_json():
    text = format_result(SAMPLE, "json")
    assert json.loads(text) == [
        {"name": "Russia", "hedged": False, "n": 3, "note": None},
        {"name": "Ülkü “Q”", "hedged": True, "n": 10, "note": 'said "no",\nthen yes'},
    ]
    assert "Ülkü" in text and '\n  {\n    "name"' in text
    assert list(json.loads(text)[0]) == ["name", "hedged", "n", "note"]
    assert format_result(QueryResult(["a"], []), "json") == "[]"


def test_format_unknown():
    with pytest.raises(QueryError, match="format"):
        format_result(SAMPLE, "xml")


def test_format_real_result(trig_store):
    result = run_query(bind_params(load_query("who-blamed-whom"), {"kind": "accuses"}),
                       trig_store)
    assert json.loads(format_result(result, "json"))[0]["evidence"] == A2_EXACT
    assert len(list(csv.reader(io.StringIO(format_result(result, "csv"))))) == 4
    assert format_result(result, "table").splitlines()[0].split() == [
        c for c in WHO_COLUMNS if not c.endswith("_iri") and c not in ("start", "end")]
    assert format_result(result, "table", wide=True).splitlines()[0].split() == WHO_COLUMNS


def test_service_clauses_are_found_however_spelt_and_plain_queries_skip_the_parser():
    from pipeline.query import uses_service

    assert uses_service("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert uses_service("select * { service <http://example.org/sparql> { ?s ?p ?o } }")
    assert uses_service("SELECT * { SERVI\\u0043E <http://example.org/sparql> { ?s ?p ?o } }")
    assert not uses_service("SELECT * { ?s <http://example.org/servicedBy> ?o }")
    assert not uses_service("SELECT * { ?s ?p ?o }")
