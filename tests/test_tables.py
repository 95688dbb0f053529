"""`evkg query` for a person: tables that fit the terminal, choices of columns and rows, checked
parameters, and quiet ends (empty answers, closed pipes). The table tests run under COLUMNS=100."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from conftest import ROOT
from pipeline.cli import main
from pipeline.query import QueryResult, format_table
from pipeline.vocab import CLAIM_KINDS, FIGURE_MEASURES

WIDTH = 100


def evkg(*args, code: int = 0, columns: int = WIDTH):
    result = CliRunner().invoke(main, [str(a) for a in args], env={"COLUMNS": str(columns)})
    assert result.exit_code == code, f"evkg {args}: exit {result.exit_code}\n{result.stdout}\n{result.stderr}"
    return result


def table_rows(text: str) -> list[str]:
    """The data lines of a table (after the header and its rule)."""
    lines = text.splitlines()
    assert set(lines[1]) == {"─"}, lines[:2]
    return lines[2:]


def csv_rows(sample_build, *args) -> list[dict]:
    return list(csv.DictReader(io.StringIO(evkg("query", *args, "--data", sample_build, "--format", "csv").stdout)))


def test_default_table_fits_the_terminal(sample_build):
    text = evkg("query", "who-blamed-whom", "--data", sample_build).stdout
    lines = text.splitlines()
    full = csv_rows(sample_build, "who-blamed-whom")
    assert all(len(line) <= WIDTH for line in lines), max(lines, key=len)
    assert len(table_rows(text)) == len(full), "one line per row"
    header = lines[0].split()
    assert header == ["claimant", "kind", "cue", "target", "event", "said_on", "hedged", "document", "evidence"]
    assert "http" not in text, "IRI columns are hidden"
    assert not any(f" {row['start']} " in line for row, line in zip(full, table_rows(text))), "offsets are hidden"
    assert all(line.endswith("…") for line in table_rows(text)), "the evidence is cut with an ellipsis"
    # Short values stay whole.
    assert all(f" {row['hedged']} " in line and row["said_on"] in line for row, line in zip(full, table_rows(text)))


@pytest.mark.parametrize("width", [30, 55, 80, 100, 140, 400])
def test_format_table_fits_any_width(width):
    result = QueryResult(["who", "who_iri", "said"], [
        {"who": "Alba Quist", "who_iri": "https://example.org/actor/alba-quist", "said": "x " * 120},
        {"who": "the Northern League of Ports", "who_iri": "https://example.org/actor/league", "said": None},
    ])
    lines = format_table(result, width=width).splitlines()
    assert lines[0].split() == ["who", "said"] and len(lines) == 4
    assert all(len(line) <= width for line in lines)
    if width >= 100:
        assert "Alba Quist" in lines[2] and "the Northern League of Ports" in lines[3]
    wide = format_table(result, width=width, wide=True).splitlines()
    assert "who_iri" in wide[0] and wide[2].rstrip().endswith("x x")


def test_wide_columns_limit(sample_build):
    full = csv_rows(sample_build, "who-blamed-whom")
    wide = evkg("query", "who-blamed-whom", "--data", sample_build, "--wide").stdout
    assert "claimant_iri" in wide.splitlines()[0] and max(len(line) for line in wide.splitlines()) > WIDTH
    assert all(row["evidence"] in line for row, line in zip(full, table_rows(wide)))

    chosen = evkg("query", "who-blamed-whom", "--data", sample_build, "--columns", "kind, target_iri", "--limit", 3)
    assert chosen.stdout.splitlines()[0].split() == ["kind", "target_iri"]
    assert [line.split()[0] for line in table_rows(chosen.stdout)] == [r["kind"] for r in full[:3]]
    assert chosen.stderr.strip() == f"3 of {len(full)} rows (--limit)"

    as_json = json.loads(evkg("query", "who-blamed-whom", "--data", sample_build, "--format", "json",
                              "--columns", "claimant,evidence", "--limit", 2).stdout)
    assert as_json == [{"claimant": r["claimant"], "evidence": r["evidence"]} for r in full[:2]]

    bad = evkg("query", "who-blamed-whom", "--data", sample_build, "--columns", "kind,nope", code=2)
    assert "no column 'nope'" in bad.stderr and "claimant_iri" in bad.stderr


def test_csv_and_json_stay_complete(sample_build):
    rows = csv_rows(sample_build, "who-blamed-whom")
    as_json = json.loads(evkg("query", "who-blamed-whom", "--data", sample_build, "--format", "json").stdout)
    assert len(rows) == len(as_json) > 0
    assert set(rows[0]) == set(as_json[0]) >= {"claimant_iri", "target_iri", "evidence"}
    assert max(len(r["evidence"]) for r in rows) > WIDTH and all("…" not in r["evidence"] for r in as_json)


def test_no_rows_says_so(sample_build):
    result = evkg("query", "claims-by-actor", "--data", sample_build, "-p", "actor=https://example.org/nobody")
    assert result.stderr == "0 rows\n"
    result = evkg("query", "claims-by-actor", "--data", sample_build, "-p", "actor=https://example.org/nobody",
                  "--format", "json")
    assert json.loads(result.stdout) == [] and result.stderr == "0 rows\n"


def test_data_defaults_to_out(sample_build, tmp_path, monkeypatch):
    (tmp_path / "out").symlink_to(sample_build, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    assert evkg("query", "actors", "--format", "csv").stdout == \
        evkg("query", "actors", "--data", sample_build, "--format", "csv").stdout
    monkeypatch.chdir(tmp_path / "out" / "docs")
    assert "no such file or folder: out" in evkg("query", "actors", code=2).stderr


def test_actor_by_a_part_of_its_name(sample_build):
    actors = csv_rows(sample_build, "actors")
    words = [w.casefold() for a in actors for w in a["actor"].split()]
    # An actor with a word of its name no other actor has, which is not itself a name or alias.
    (actor, part) = next((a, w) for a in actors if len(a["actor"].split()) > 1 and int(a["as_claimant"])
                         for w in [a["actor"].split()[-1]]
                         if words.count(w.casefold()) == 1 and w not in {b["actor"] for b in actors})
    by_part = csv_rows(sample_build, "claims-by-actor", "-p", f"actor={part.upper()}")
    assert by_part and by_part == csv_rows(sample_build, "claims-by-actor", "-p", f"actor={actor['actor_iri']}")

    typo = evkg("query", "claims-by-actor", "--data", sample_build, "-p", f"actor={part[:-1]}x", code=2)
    assert f"no actor matches '{part[:-1]}x'; did you mean" in typo.stderr and part in typo.stderr
    nothing = evkg("query", "claims-by-actor", "--data", sample_build, "-p", "actor=Qqqqzzz", code=2)
    assert "no actor matches 'Qqqqzzz'" in nothing.stderr


def test_actor_part_of_several_names_is_ambiguous(sample_build):
    actors = csv_rows(sample_build, "actors")
    words = [w for a in actors for w in set(a["actor"].split())]
    shared = next(w for w in words if words.count(w) > 1 and len(w) > 3
                  and w.casefold() not in {a["actor"].casefold() for a in actors})
    result = evkg("query", "claims-by-actor", "--data", sample_build, "-p", f"actor={shared}", code=2)
    assert re.search(rf"actor='{shared}' matches \d+ actors: ", result.stderr), result.stderr


@pytest.mark.parametrize("query, param, allowed", [("who-blamed-whom", "kind", CLAIM_KINDS),
                                                    ("figures", "measure", FIGURE_MEASURES),
                                                    ("conflicting-figures", "measure", FIGURE_MEASURES)])
def test_fixed_values_are_checked(sample_build, query, param, allowed):
    result = evkg("query", query, "--data", sample_build, "-p", f"{param}=sometimes", code=2)
    assert f"{param}='sometimes' is not allowed; use one of: {', '.join(allowed)}" in result.stderr
    evkg("query", query, "--data", sample_build, "-p", f"{param}={allowed[0]}")


def test_closed_pipe_ends_quietly(sample_build):
    """`evkg query … | head`: the reader is gone before evkg writes; no traceback."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run([sys.executable, "-m", "pipeline", "query", "who-blamed-whom", "--data",
                               str(sample_build), "--format", "csv"], stdout=write_end, stderr=subprocess.PIPE,
                              text=True, timeout=120, cwd=ROOT)
    finally:
        os.close(write_end)
    assert proc.returncode == 141 and proc.stderr == "", proc.stderr


def test_readme_sample_table_is_what_the_command_prints(sample_build):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command, shown = re.search(r"```console\n\$ COLUMNS=100 (evkg query [^\n]*)\n(.*?)```", readme, re.DOTALL).groups()
    args = command.split()[2:]
    result = evkg("query", *[str(sample_build) if a == "out" else a for a in args])
    assert result.stdout + result.stderr == shown
