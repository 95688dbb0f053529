"""Across documents (issue 12): statements and their reports, responses, events of every type,
Wikidata links, and the canned queries blame-network, contested-claims, statements-by-source and
events, on the sample build and on an invented three-document fixture (tests/fixtures/statements:
two articles report one accusation, the third denies and disputes it)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from rdflib import OWL, RDF, Graph, URIRef

from pipeline.build import build, resolve_inputs
from pipeline.query import bind_params, load_query, open_store, run_query
from pipeline.vocab import DEFAULT_BASE, EVKG

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")

FIXTURE = Path(__file__).parent / "fixtures" / "statements"
ACTOR = DEFAULT_BASE + "actor/"
CROCUS = "Crocus City Hall attack"
STATION = "Marxburg Central Station bombing"


def rows(store, name: str, columns: list[str], **params) -> list[tuple]:
    result = run_query(bind_params(load_query(name), params), store)
    return [tuple(row[c] for c in columns) for row in result.rows]


@pytest.fixture(scope="module")
def sample_store(sample_build):
    return open_store([sample_build])


@pytest.fixture(scope="module")
def fixture_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("statements") / "out"
    report = build([FIXTURE], out)
    assert report.exit_code == 0 and report.conforms
    return out


@pytest.fixture(scope="module")
def fixture_store(fixture_build):
    return open_store([fixture_build])


@pytest.fixture(scope="module")
def fixture_resolved():
    return {r.document.id: r for r in resolve_inputs([FIXTURE])}


# --------------------------------------------------------------------------------------------
# The sample articles


def test_putins_accusation_of_ukraine_is_one_statement_with_a_report_per_article(sample_resolved):
    statements = {s.key: s for r in sample_resolved for s in r.statements}
    (accusation,) = [s for s in statements.values()
                     if (s.claimant, s.kind, s.targets) == ("vladimir putin", "accuses", ("ukraine",))]
    assert accusation.event == "attack at crocus city hall" and accusation.sources == 4
    reporting = sorted(r.document.id for r in sample_resolved if accusation in r.statements)
    assert reporting == ["000_29f069f98ff610cd", "001_b963823c6e30401b", "002_843530625c114428",
                         "004_a6dbe6f17f683ec1"]
    # the reports keep their own hedging: each article reports a suspicion
    hedged = {r.document.id: c.hedged for r in sample_resolved for c in r.claims
              if (c.claimant, c.kind, c.targets) == ("vladimir putin", "accuses", ("ukraine",))}
    assert hedged == {"000_29f069f98ff610cd": True, "001_b963823c6e30401b": True,
                      "002_843530625c114428": True, "004_a6dbe6f17f683ec1": True}
    # dated by the one reporting article with a publication date
    assert (accusation.earliest, accusation.latest) == (date(2024, 3, 27), date(2024, 3, 27))
    responses = sorted((s.claimant, s.kind, s.targets) for s in statements.values() if accusation.key in s.responds_to)
    assert responses == [("david cameron", "disputes", ("russia",)),
                         ("u.s. ambassador to russia", "disputes", ("russia",)),
                         ("united states", "denies", ("ukraine",)),
                         ("united states", "disputes", ("vladimir putin",))]


def test_contested_claims_on_the_samples(sample_store):
    columns = ["claimant", "kind", "target", "event", "sources", "responder", "response_kind", "response_target",
               "response_document"]
    assert rows(sample_store, "contested-claims", columns) == [
        ("Vladimir Putin", "accuses", "Ukraine", CROCUS, 4, "United States", "denies", "Ukraine",
         "002_843530625c114428"),
        ("Vladimir Putin", "accuses", "Ukraine", CROCUS, 4, "David Cameron", "disputes", "Russia",
         "001_b963823c6e30401b"),
        ("Vladimir Putin", "accuses", "Ukraine", CROCUS, 4, "U.S. Ambassador to Russia", "disputes", "Russia",
         "004_a6dbe6f17f683ec1"),
        ("Vladimir Putin", "accuses", "Ukraine", CROCUS, 4, "United States", "disputes", "Vladimir Putin",
         "004_a6dbe6f17f683ec1"),
        ("Islamic State Khorasan Province", "claims_responsibility", "Islamic State Khorasan Province", CROCUS, 3,
         "Maria Zakharova", "disputes", "Islamic State Khorasan Province", "001_b963823c6e30401b"),
        ("United States", "accuses", "Islamic State", CROCUS, 1, "Islamic State", "disputes", "United States",
         "002_843530625c114428"),
        ("United States", "accuses", "Islamic State", CROCUS, 1, "Vladimir Putin", "disputes", "United States",
         "003_4b8d16c853d2c68c"),
        # a dispute of the United States answers its intelligence community's accusation too
        ("United States intelligence community", "accuses", "Islamic State Khorasan Province", CROCUS, 1,
         "Islamic State", "disputes", "United States", "002_843530625c114428"),
        ("United States intelligence community", "accuses", "Islamic State Khorasan Province", CROCUS, 1,
         "Vladimir Putin", "disputes", "United States", "003_4b8d16c853d2c68c"),
    ]


def test_blame_network_on_the_samples(sample_store):
    columns = ["claimant", "kind", "target", "statements", "sources", "first_date", "last_date"]
    got = rows(sample_store, "blame-network", columns)
    assert got[:6] == [
        ("Vladimir Putin", "accuses", "Ukraine", 1, 4, "2024-03-27", "2024-03-27"),
        ("Islamic State", "claims_responsibility", "Islamic State", 1, 3, "2024-03-22", "2024-03-22"),
        ("Islamic State Khorasan Province", "claims_responsibility", "Islamic State Khorasan Province", 1, 3,
         "2024-03-27", "2024-03-27"),
        ("United States", "warns", "Russia", 1, 3, "2024-03-06", "2024-03-06"),
        # the warnings Putin disputed in two articles are each article's own (they name no place)
        ("Vladimir Putin", "disputes", "United States", 3, 2, "2024-03-19", "2024-03-19"),
        ("United States", "confirms", "Islamic State", 1, 2, "2024-03-22", "2024-03-22"),
    ]
    assert ("United States", "denies", "Ukraine", 1, 1, None, None) in got
    assert rows(sample_store, "blame-network", ["claimant", "target", "sources"], kind="denies") == [
        ("United States", "Ukraine", 1)]


def test_statements_by_source_on_the_samples(sample_store):
    columns = ["document", "claimant", "kind", "target", "sources", "hedged", "said_on"]
    assert rows(sample_store, "statements-by-source", columns, document="001_b963823c6e30401b") == [
        ("001_b963823c6e30401b", "Vladimir Putin", "accuses", "Ukraine", 4, True, None),
        ("001_b963823c6e30401b", "Islamic State Khorasan Province", "claims_responsibility",
         "Islamic State Khorasan Province", 3, False, None),
        ("001_b963823c6e30401b", "David Cameron", "disputes", "Russia", 1, False, None),
        ("001_b963823c6e30401b", "Maria Zakharova", "accuses", "Ukraine", 1, True, None),
        ("001_b963823c6e30401b", "Maria Zakharova", "disputes", "Islamic State Khorasan Province", 1, False, None),
    ]
    everything = rows(sample_store, "statements-by-source", ["document", "claimant", "kind", "target"])
    assert sum(1 for r in everything if r[1:] == ("Vladimir Putin", "accuses", "Ukraine")) == 4


def test_events_on_the_samples(sample_store):
    columns = ["event", "type", "place", "occurred_on", "documents", "statements"]
    got = rows(sample_store, "events", columns)
    assert got[0] == (CROCUS, "Attack", "Crocus City Hall", "2024-03-22", 5, 19)
    # what a claim's sentence names instead: the warnings Putin dismissed, an arrest
    assert sorted(r[1] for r in got[1:]) == ["Detention", "Warning", "Warning"]
    assert all(r[2] is None and r[4] == 1 for r in got[1:])


def test_sample_graph_links_actors_to_wikidata_and_answers_to_statements(sample_build):
    graph = Graph().parse(sample_build / "graph.ttl", format="turtle")
    wikidata = {str(s): str(o) for s, o in graph.subject_objects(OWL.sameAs)}
    assert wikidata[ACTOR + "vladimir-putin"] == "http://www.wikidata.org/entity/Q7747"
    assert wikidata[ACTOR + "russia"] == "http://www.wikidata.org/entity/Q159"
    assert wikidata[ACTOR + "ukraine"] == "http://www.wikidata.org/entity/Q212"
    assert ACTOR + "david-cameron" not in wikidata  # not in the alias table: no link guessed
    answered = set(graph.objects(None, EVKG.respondsTo))
    assert answered and all((s, RDF.type, EVKG.Statement) in graph for s in answered)
    for claim in graph.subjects(RDF.type, EVKG.Claim):
        (statement,) = graph.objects(claim, EVKG.reportOf)
        for p in (EVKG.claimant, EVKG.kind, EVKG.aboutEvent):
            assert set(graph.objects(claim, p)) == set(graph.objects(statement, p))


# --------------------------------------------------------------------------------------------
# Three invented articles: two report one accusation, the third denies and disputes it


def test_fixture_statements_and_responses(fixture_resolved):
    docs = fixture_resolved
    (accusation,) = docs["a"].statements
    assert docs["b"].statements == (accusation,)
    assert (accusation.claimant, accusation.kind, accusation.targets, accusation.sources) == (
        "rufus firefly", "accuses", ("sylvania",), 2)
    # a says it was made on Monday 5 May; b, published on the 7th, gives no day
    assert (accusation.earliest, accusation.latest) == (date(2025, 5, 5), date(2025, 5, 7))
    responses = {(s.claimant, s.kind, s.targets): s.responds_to for s in docs["c"].statements}
    assert responses == {("sylvania", "denies", ("sylvania",)): (accusation.key,),
                         ("vera trentino", "disputes", ("rufus firefly",)): (accusation.key,)}
    # one bombing in all three; c's arrest is an event of its own, with its place and date
    events = {e.key: e for r in docs.values() for e in r.events}
    assert sorted(events) == ["attack at marxburg central station", "detention at marxburg"]
    bombing, arrest = events["attack at marxburg central station"], events["detention at marxburg"]
    assert (bombing.type, bombing.place, bombing.occurred_on, bombing.label) == (
        "Bombing", "Marxburg Central Station", date(2025, 5, 5), STATION)
    assert (arrest.type, arrest.place, arrest.occurred_on) == ("Detention", "Marxburg", date(2025, 5, 7))


def test_contested_claims_on_the_fixture(fixture_store):
    columns = ["claimant", "kind", "target", "event", "sources", "responder", "response_kind", "response_target",
               "response_sources", "response_document", "response_evidence"]
    assert rows(fixture_store, "contested-claims", columns) == [
        ("Rufus Firefly", "accuses", "Sylvania", STATION, 2, "Sylvania", "denies", "Sylvania", 1, "c",
         "Sylvania denied any involvement in the bombing at Marxburg Central Station."),
        ("Rufus Firefly", "accuses", "Sylvania", STATION, 2, "Vera Trentino", "disputes", "Rufus Firefly", 1, "c",
         "Sylvania's president Vera Trentino rejected the accusation by Rufus Firefly."),
    ]


def test_blame_network_on_the_fixture(fixture_store):
    columns = ["claimant", "kind", "target", "statements", "sources", "first_date", "last_date"]
    assert rows(fixture_store, "blame-network", columns) == [
        ("Rufus Firefly", "accuses", "Sylvania", 1, 2, "2025-05-05", "2025-05-07"),
        ("Sylvania", "denies", "Sylvania", 1, 1, "2025-05-08", "2025-05-08"),
        ("Vera Trentino", "disputes", "Rufus Firefly", 1, 1, "2025-05-08", "2025-05-08"),
    ]
    assert rows(fixture_store, "blame-network", ["claimant", "target"], kind="accuses") == [
        ("Rufus Firefly", "Sylvania")]


def test_statements_by_source_on_the_fixture(fixture_store):
    columns = ["document", "claimant", "kind", "target", "event", "sources", "hedged", "said_on"]
    assert rows(fixture_store, "statements-by-source", columns) == [
        ("a", "Rufus Firefly", "accuses", "Sylvania", STATION, 2, False, "2025-05-05"),
        ("b", "Rufus Firefly", "accuses", "Sylvania", STATION, 2, False, None),
        ("c", "Sylvania", "denies", "Sylvania", STATION, 1, False, None),
        ("c", "Vera Trentino", "disputes", "Rufus Firefly", STATION, 1, False, None),
    ]


def test_events_on_the_fixture(fixture_store):
    columns = ["event", "type", "place", "occurred_on", "documents", "statements"]
    assert rows(fixture_store, "events", columns) == [
        (STATION, "Bombing", "Marxburg Central Station", "2025-05-05", 3, 3),
        ("Marxburg arrest", "Detention", "Marxburg", "2025-05-07", 1, 0),
    ]


def test_fixture_event_types_are_materialised(fixture_build):
    graph = Graph().parse(fixture_build / "graph.ttl", format="turtle")
    bombing = URIRef(DEFAULT_BASE + "event/attack-at-marxburg-central-station")
    assert {EVKG.Event, EVKG.Attack, EVKG.Bombing} == set(graph.objects(bombing, RDF.type))


# --------------------------------------------------------------------------------------------
# Events: coreference by branch, place and date; claims about the event their sentence names


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


def test_events_of_one_place_on_different_dates_are_two_events(tmp_path):
    write(tmp_path, "x.txt", "date 2025-06-02\nThe fire at Tarrow Market Hall on Sunday destroyed forty stalls. "
                             "Ana Lind blamed the Maldorian army for the fire at Tarrow Market Hall.")
    write(tmp_path, "y.txt", "date 2025-08-12\nA fire at Tarrow Market Hall on August 10 injured six traders. "
                             "Ana Lind accused the Maldorian army of the fire at Tarrow Market Hall.")
    write(tmp_path, "z.txt", "date 2025-08-13\nOstrov blamed the Maldorian army for the blaze at Tarrow Market Hall.")
    docs = {r.document.id: r for r in resolve_inputs([tmp_path])}
    events = {r.document.id: [(e.key, e.type, e.occurred_on) for e in r.events] for r in docs.values()}
    assert events["x"] == [("accident at tarrow market hall on 2025-06-01", "Fire", date(2025, 6, 1))]
    assert events["y"] == [("accident at tarrow market hall on 2025-08-10", "Fire", date(2025, 8, 10))]
    # z dates it not at all: it is about the date most documents give (among equals, the earlier)
    assert events["z"] == [("accident at tarrow market hall on 2025-06-01", "Fire", date(2025, 6, 1))]
    # the same accusation about two fires: two statements
    assert len({s.key for r in (docs["x"], docs["y"]) for s in r.statements}) == 2


def test_a_claim_is_about_the_event_its_sentence_names(tmp_path):
    write(tmp_path, "x.txt", "date 2025-06-02\nThe bombing at Tarrow Market Hall killed nine people. "
                             "Ana Lind accused Maldoria of the attack at Tarrow Market Hall. "
                             "Ostrov blamed Maldoria for the arrest of three journalists in Verin.")
    (doc,) = resolve_inputs([tmp_path])
    about = {(c.claimant, c.kind): c.event for c in doc.claims}
    assert about[("ana lind", "accuses")] == "attack at tarrow market hall"
    assert about[("ostrov", "accuses")] == "detention at verin"
    types = {e.key: e.type for e in doc.events}
    assert types == {"attack at tarrow market hall": "Bombing", "detention at verin": "Detention"}


# --------------------------------------------------------------------------------------------
# Wikidata QIDs in a user's alias table


def test_a_users_alias_table_may_carry_a_wikidata_qid(tmp_path):
    aliases = tmp_path / "aliases.json"
    aliases.write_text(json.dumps({"actors": [
        {"name": "Northern Liberation Front", "type": "Group", "aliases": ["NLF"], "wikidata": "Q123456789"}]}))
    articles = tmp_path / "in"
    articles.mkdir()
    write(articles, "x.txt", "The NLF claimed responsibility for the bombing of the railway bridge.")
    (resolved,) = resolve_inputs([articles], actor_files=(str(aliases),))
    (actor,) = resolved.actors
    assert actor.wikidata == "Q123456789"


@pytest.mark.parametrize("qid", ["4115189", "Q", "Q0123", "q42", 42])
def test_a_bad_qid_is_refused_naming_the_entry(tmp_path, qid):
    aliases = tmp_path / "aliases.json"
    aliases.write_text(json.dumps({"actors": [{"name": "Northern Liberation Front", "type": "Group", "wikidata": qid}]}))
    with pytest.raises(ValueError, match="aliases.json.*wikidata"):
        resolve_inputs([tmp_path], actor_files=(str(aliases),))
