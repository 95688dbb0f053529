"""Shared fixtures: the sample articles built once per test session."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "data" / "articles"
GOLD = ROOT / "data" / "gold" / "seeds.gold.json"


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory):
    """OUTDIR of `evkg build data/articles` (built once; tests must not modify it)."""
    from pipeline.build import build

    outdir = tmp_path_factory.mktemp("sample") / "out"
    report = build([ARTICLES], outdir)
    assert report.exit_code == 0
    return outdir


@pytest.fixture(scope="session")
def sample_resolved():
    """The sample articles, extracted and resolved in memory."""
    from pipeline.build import resolve_inputs

    return resolve_inputs([ARTICLES])


@pytest.fixture
def articles_copy(tmp_path):
    target = tmp_path / "articles"
    shutil.copytree(ARTICLES, target)
    return target


def stop_server(proc: subprocess.Popen, timeout: float = 30) -> None:
    """Stop a server a test started: politely, then for good if it does not exit in time."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
