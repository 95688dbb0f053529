"""Cross-document resolution: one actor and one event across documents, dates, alias tables."""

from __future__ import annotations

import json
from datetime import date

import pytest

from pipeline.build import resolve_inputs
from pipeline.resolve import resolve_date


@pytest.mark.parametrize("text,anchor,expected", [
    ("2024-03-27", None, date(2024, 3, 27)),
    ("March 22, 2024", None, date(2024, 3, 22)),
    ("22 March 2024", None, date(2024, 3, 22)),
    ("March 7", date(2024, 3, 27), date(2024, 3, 7)),
    ("on the evening of March 22", date(2024, 3, 27), date(2024, 3, 22)),
    ("December 30", date(2024, 1, 3), date(2023, 12, 30)),  # the nearest year
    ("Friday", date(2024, 3, 27), date(2024, 3, 22)),
    ("Friday", date(2024, 3, 22), date(2024, 3, 22)),  # the anchor's own weekday
    ("Tuesday", date(2024, 3, 22), date(2024, 3, 19)),  # looks back, never forward
    ("today", date(2024, 3, 22), date(2024, 3, 22)),
    ("yesterday", date(2024, 3, 22), date(2024, 3, 21)),
    ("March 7", None, None),  # no anchor, no year: never guessed
    ("Tuesday", None, None),
    ("earlier this month", date(2024, 3, 27), None),
    ("2004", date(2024, 3, 27), None),
    ("February 30", date(2024, 3, 27), None),
])
def test_resolve_date(text, anchor, expected):
    assert resolve_date(text, anchor) == expected


def write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_aliases_and_events_resolve_across_documents(tmp_path):
    write(tmp_path, "a.txt", "date 2024-03-27\nOn Friday, gunmen attacked the Crocus City Hall concert hall. "
                             "ISIS-K claimed responsibility for the attack at Crocus City Hall.")
    write(tmp_path, "b.txt", "The Islamic State Khorasan Province claimed responsibility for the massacre "
                             "at Crocus City Hall. Russian President Vladimir Putin blamed Ukraine for the attack.")
    write(tmp_path, "c.txt", "Putin said on Tuesday that he suspects Kyiv's hand in the attack at Crocus City Hall.")
    docs = {r.document.id: r for r in resolve_inputs([tmp_path])}
    actors = {a.key: a for r in docs.values() for a in r.actors}
    assert "islamic state khorasan province" in actors
    assert "isis-k" not in actors and "islamic state" not in actors
    claimants = {r.document.id: {c.claimant for c in r.claims} for r in docs.values()}
    assert "islamic state khorasan province" in claimants["a"] and "islamic state khorasan province" in claimants["b"]
    # "Putin" alone in c is the Vladimir Putin named in b
    assert claimants["c"] == {"vladimir putin"}
    assert {t for c in docs["c"].claims for t in c.targets} == {"ukraine"}
    # one event for the attack, dated by the one document that pins it, in every document
    events = {e.key: e for r in docs.values() for e in r.events}
    assert len(events) == 1
    (event,) = events.values()
    assert event.occurred_on == date(2024, 3, 22)
    assert event.label == "Crocus City Hall attack"
    assert {c.event for r in docs.values() for c in r.claims} == {event.key}
    # c has no publication date: its "Tuesday" resolves against the attack's date
    (claim,) = docs["c"].claims
    assert claim.said_on == date(2024, 3, 19)


def test_user_alias_table(tmp_path):
    aliases = tmp_path / "aliases.json"
    aliases.write_text(json.dumps({"actors": [
        {"name": "Northern Liberation Front", "type": "Group", "aliases": ["NLF", "the Front"]}]}))
    articles = tmp_path / "in"
    articles.mkdir()
    write(articles, "x.txt", "The NLF claimed responsibility for the bombing of the railway bridge.")
    (resolved,) = resolve_inputs([articles], actor_files=(str(aliases),))
    assert {(c.claimant, c.kind) for c in resolved.claims} == {("northern liberation front", "claims_responsibility")}
    (actor,) = resolved.actors
    assert actor.label == "Northern Liberation Front" and actor.type == "Group" and "NLF" in actor.aliases


def test_bad_alias_table_is_refused(tmp_path):
    aliases = tmp_path / "aliases.json"
    aliases.write_text(json.dumps({"actors": [{"name": "No Type"}]}))
    with pytest.raises(ValueError, match="aliases.json"):
        resolve_inputs([tmp_path], actor_files=(str(aliases),))
