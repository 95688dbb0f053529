"""`evkg eval`: every gold set of data/gold/sets.json scored, a table per set and an overall line.

Scores change as extraction improves, so these tests check the structure of the output and the
gold counts, not the numbers.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.evaluate import GoldError, evaluate_sets, format_scores, load_gold, load_sets
from pipeline.vocab import CLAIM_KINDS

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = ROOT / "data" / "gold" / "sets.json"
# documents and distinct (claimant, kind, target) triples per document, summed
GOLD_COUNTS = {"seeds": (5, 42), "wikinews": (30, 161)}


def run(*args, code: int = 0):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == code, f"exit {result.exit_code}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    return result


@pytest.fixture(scope="session")
def both_sets():
    """Every registered set scored (the one run that parses them all)."""
    problems = []
    scores = evaluate_sets(load_sets(REGISTRY), on_problem=problems.append)
    assert problems == []
    return scores


@pytest.fixture(scope="session")
def eval_json(both_sets):
    return json.loads(format_scores(both_sets, "json", with_errors=True))


def test_registry_names_both_sets_and_their_texts():
    sets = load_sets(REGISTRY)
    assert [s.name for s in sets] == ["seeds", "wikinews"]
    for gold_set in sets:
        gold = load_gold(gold_set.gold)
        assert (len(gold), sum(len({(a["claimant"], a["kind"], a["target"]) for a in d["attributions"]})
                               for d in gold.values())) == GOLD_COUNTS[gold_set.name]
        for doc in gold.values():
            assert (gold_set.texts / doc["file"]).is_file(), doc["file"]


def test_eval_scores_every_set(eval_json):
    assert [s["name"] for s in eval_json["sets"]] == ["seeds", "wikinews"]
    for entry in eval_json["sets"]:
        documents, triples = GOLD_COUNTS[entry["name"]]
        assert entry["documents"] == documents
        assert [row["kind"] for row in entry["scores"]] == [*CLAIM_KINDS, "overall"]
        overall = entry["scores"][-1]
        assert overall["gold"] == triples
        assert overall["gold"] == sum(row["gold"] for row in entry["scores"][:-1])
        assert overall["correct"] <= min(overall["gold"], overall["predicted"])
        assert 0.0 <= overall["f1"] <= 1.0 and 0.0 <= entry["date_accuracy"] <= 1.0
        misses = [e for e in entry["errors"] if e["error"] == "missed"]
        assert len(misses) == overall["gold"] - overall["correct"]
        false_positives = [e for e in entry["errors"] if e["error"] == "false positive"]
        assert len(false_positives) == overall["predicted"] - overall["correct"]
    total = eval_json["overall"]
    assert (total["sets"], total["documents"], total["gold"]) == (2, 35, 42 + 161)
    assert total["correct"] == sum(s["scores"][-1]["correct"] for s in eval_json["sets"])


def test_table_and_csv_have_a_table_per_set_and_an_overall_line(both_sets, eval_json):
    table = format_scores(both_sets, "table", with_errors=True)
    blocks = table.rstrip("\n").split("\n\n")
    assert [b.split(":")[0] for b in blocks] == ["seeds", "wikinews", "overall"]
    for block, (name, (documents, triples)) in zip(blocks, GOLD_COUNTS.items()):
        lines = block.splitlines()
        assert lines[0].startswith(f"{name}: {documents} document(s)")
        assert lines[1].split() == ["kind", "gold", "predicted", "correct", "precision", "recall", "f1"]
        assert [line.split()[0] for line in lines[3:10]] == [*CLAIM_KINDS, "overall"]
        assert lines[9].split()[1] == str(triples)
        assert lines[10].startswith("date accuracy: ")
        assert all(line.startswith("document=") for line in lines[11:])
    assert blocks[2].startswith("overall: 2 set(s), 35 document(s): gold 203,")

    scores_csv, errors_csv = format_scores(both_sets, "csv", with_errors=True).split("\n\n")
    rows = list(csv.DictReader(io.StringIO(scores_csv)))
    assert [(r["set"], r["kind"]) for r in rows] == [
        *((name, kind) for name in GOLD_COUNTS for kind in (*CLAIM_KINDS, "overall")), ("all", "overall")]
    assert rows[-1]["gold"] == "203" and rows[-1]["date_accuracy"]
    errors = list(csv.DictReader(io.StringIO(errors_csv)))
    assert len(errors) == sum(len(s["errors"]) for s in eval_json["sets"])


def test_one_set_by_name_and_one_gold_file():
    by_name = run("eval", "--sets", REGISTRY, "--set", "seeds").stdout
    by_file = run("eval", "--gold", ROOT / "data" / "gold" / "seeds.gold.json", ROOT / "data" / "articles").stdout
    for output in (by_name, by_file):
        blocks = output.rstrip("\n").split("\n\n")
        assert [b.split(":")[0] for b in blocks] == ["seeds", "overall"]
        assert "overall: 1 set(s), 5 document(s): gold 42," in output
    assert by_name.splitlines()[1:] == by_file.splitlines()[1:], "the same scores either way"


def test_malformed_gold_file_gets_one_line_and_the_other_sets_go_on(tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "broken.gold.json").write_text('{"documents": [{"id": "a", "attributions": [', encoding="utf-8")
    (gold / "articles").mkdir()
    (gold / "articles" / "a.txt").write_text("Officials of Vantoria said the Ostrel Front carried out "
                                             "the bombing of the Lamsk bridge.\n", encoding="utf-8")
    (gold / "small.gold.json").write_text(json.dumps({"documents": [
        {"id": "a", "file": "a.txt", "attributions": [
            {"claimant": "Vantoria", "kind": "accuses", "target": "Ostrel Front"}],
         "actors": [{"name": "Vantoria", "aliases": []}, {"name": "Ostrel Front", "aliases": []}]},
        {"id": "gone", "file": "gone.txt", "attributions": [], "actors": []}]}), encoding="utf-8")
    (gold / "sets.json").write_text(json.dumps({"sets": [
        {"name": "broken", "gold": "broken.gold.json", "texts": "articles"},
        {"name": "small", "gold": "small.gold.json", "texts": "articles"}]}), encoding="utf-8")
    result = run("eval", "--sets", gold / "sets.json", code=1)
    assert result.stderr.splitlines() == [
        f"evkg: error: {gold / 'broken.gold.json'}: malformed JSON: Expecting value (line 1, column 45)",
        f"evkg: error: {gold / 'articles' / 'gone.txt'}: text of gold document 'gone' "
        f"({gold / 'small.gold.json'}) not found; not scored"]
    assert [b.split(":")[0] for b in result.stdout.rstrip("\n").split("\n\n")] == ["small", "overall"]
    assert "overall: 1 set(s), 1 document(s): gold 1," in result.stdout


@pytest.mark.parametrize("content, reason", [
    ('[]', "not a gold file"),
    ('{"documents": [{"attributions": []}]}', "document 1: no 'id'"),
    ('{"documents": [{"id": "x", "attributions": [{"claimant": "A", "kind": "praises", "target": "B"}]}]}',
     "document 'x': unknown kind 'praises'"),
    ('{"documents": [{"id": "x", "attributions": [{"claimant": "A"}]}]}', "document 'x': an attribution without"),
    ('{"documents": [{"id": "x", "attributions": []}, {"id": "x", "attributions": []}]}', "duplicate id"),
    ('{"documents": [{"id": "x", "attributions": [], "actors": [{"aliases": []}]}]}', "'actors' must be"),
])
def test_gold_file_problems_name_the_file(tmp_path, content, reason):
    path = tmp_path / "my.gold.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GoldError) as caught:
        load_gold(path)
    assert str(caught.value).startswith(f"{path}: ") and reason in str(caught.value)


@pytest.mark.parametrize("content, reason", [
    ('{"sets": []}', "not a set registry"),
    ('{"sets": [{"name": "a", "gold": "a.json"}]}', "set 1: needs string fields"),
    ('{"sets": [{"name": "My Set", "gold": "a.json", "texts": "t"}]}', "is not a lower-case word"),
    ('{"sets": [{"name": "a", "gold": "a.json", "texts": "t"}, {"name": "a", "gold": "b.json", "texts": "t"}]}',
     "set 2: duplicate name 'a'"),
])
def test_registry_problems_are_usage_errors_naming_the_file(tmp_path, content, reason):
    registry = tmp_path / "sets.json"
    registry.write_text(content, encoding="utf-8")
    result = run("eval", "--sets", registry, code=2)
    assert f"{registry}: " in result.stderr and reason in result.stderr


def test_usage_errors(tmp_path):
    assert "no set 'nope'" in run("eval", "--sets", REGISTRY, "--set", "nope", code=2).stderr
    assert "INPUTS go with --gold" in run("eval", "--sets", REGISTRY, ROOT / "data" / "articles", code=2).stderr
    assert "needs the INPUTS" in run("eval", "--gold", ROOT / "data" / "gold" / "seeds.gold.json", code=2).stderr
    missing = tmp_path / "none.json"
    assert f"no set registry {missing}" in run("eval", "--sets", missing, code=2).stderr


def test_registry_paths_are_relative_to_the_registry(tmp_path):
    shutil.copy(REGISTRY, tmp_path / "sets.json")
    sets = load_sets(tmp_path / "sets.json")
    assert sets[1].gold == tmp_path / "wikinews.gold.json" and sets[1].texts == tmp_path / "wikinews"
    problems = []
    assert [s.evaluation for s in evaluate_sets(sets, on_problem=problems.append)] == [None, None]
    assert problems == [f"{tmp_path / name}.gold.json: cannot read: No such file or directory"
                        for name in ("seeds", "wikinews")]
