"""Builds on a Dask cluster: a real LocalCluster of two worker processes on loopback gives the
same bytes as two local worker processes (GitHub issue #13)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ARTICLES


def _tree(outdir: Path) -> dict[str, bytes]:
    return {p.relative_to(outdir).as_posix(): p.read_bytes() for p in sorted(outdir.rglob("*"))
            if p.is_file() and p.relative_to(outdir).parts[0] != "store"}


@pytest.fixture
def several_batches(monkeypatch):
    """Several NLP and render batches on five articles, so that both workers get tasks."""
    from pipeline import batching, build

    monkeypatch.setattr(batching, "NLP_BATCH_CHARS", 4000)
    monkeypatch.setattr(build, "RENDER_BATCH_DOCS", 2)


def test_a_local_cluster_build_is_byte_identical_to_a_jobs_2_build(several_batches, tmp_path):
    from pipeline.build import build

    local = build([ARTICLES], tmp_path / "jobs2", jobs=2)
    on_cluster = build([ARTICLES], tmp_path / "cluster", cluster="local:2")
    assert local.exit_code == on_cluster.exit_code == 0
    assert on_cluster.jobs == 2 and on_cluster.extracted == 5 and on_cluster.rendered == 5
    assert on_cluster.stage_seconds["nlp"] > 0  # the workers did the work and said how long it took
    assert _tree(tmp_path / "cluster") == _tree(tmp_path / "jobs2")  # the extraction cache too


def test_cluster_and_jobs_together_or_a_bad_address_are_usage_errors(tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import main

    runner = CliRunner()
    both = runner.invoke(main, ["build", str(ARTICLES), "-o", str(tmp_path / "a"), "--jobs", "2",
                                "--cluster", "local:2"])
    assert both.exit_code == 2 and "either --jobs" in both.output
    bad = runner.invoke(main, ["build", str(ARTICLES), "-o", str(tmp_path / "b"), "--cluster", "local:0"])
    assert bad.exit_code == 2 and "local:N" in bad.output
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_an_unreachable_scheduler_is_one_line_naming_it(tmp_path, monkeypatch):
    import socket

    from pipeline import executors
    from pipeline.build import build

    monkeypatch.setattr(executors, "CONNECT_SECONDS", 2)
    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(executors.ClusterUnavailable, match=f"tcp://127.0.0.1:{port}"):
        build([ARTICLES], tmp_path / "out", cluster=f"tcp://127.0.0.1:{port}")
