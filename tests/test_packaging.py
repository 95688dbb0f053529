"""A non-editable install works: the wheel carries the ontology, shapes, queries and lexicons.

Builds the wheel from this checkout, installs it with ``pip install --target`` into a temporary
folder and runs ``python -m pipeline`` there, from a working directory outside the repository and
with the checkout kept off ``sys.path`` (``python -S``: no site-packages processing, so the
editable install's .pth file is not read; the venv's site-packages is added back through
PYTHONPATH only for the dependencies).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "data" / "articles"
ARTICLE = sorted(ARTICLES.glob("000_*.txt"))[0]

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _pip(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pip", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"})


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    proc = _pip("wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(ROOT))
    if proc.returncode != 0:  # e.g. hatchling missing from the venv: let pip fetch it
        proc = _pip("wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT))
    assert proc.returncode == 0, f"building the wheel failed:\n{proc.stdout}\n{proc.stderr}"
    (found,) = dist.glob("evkg-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A working folder outside the repository with the wheel installed in ./site."""
    work = tmp_path_factory.mktemp("installed")
    site = work / "site"
    proc = _pip("install", "--no-deps", "--no-index", "--target", str(site), str(wheel), cwd=work)
    assert proc.returncode == 0, f"installing the wheel failed:\n{proc.stdout}\n{proc.stderr}"
    return work


def isolated_env(work: Path) -> dict[str, str]:
    deps = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = os.pathsep.join([str(work / "site"), *deps])
    env["PYTHONNOUSERSITE"] = "1"
    return env


def py(work: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``python -S ARGS`` (in ``cwd``, default ``work``) with only the wheel installed in ``work/site``
    and the dependencies importable."""
    return subprocess.run([sys.executable, "-S", *args], cwd=cwd or work, env=isolated_env(work),
                          capture_output=True, text=True, timeout=300)


def evkg(work: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return py(work, "-m", "pipeline", *args, cwd=cwd)


def test_wheel_contents(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("pipeline/__init__.py", "pipeline/__main__.py", "pipeline/cli.py",
                     "pipeline/ontology/evkg.ttl", "pipeline/shapes/evkg.shacl.ttl",
                     "pipeline/queries/who-blamed-whom.rq", "pipeline/report.py", "evkg/__init__.py",
                     "pipeline/templates/report.html", "pipeline/templates/report.js",
                     "pipeline/templates/report.css", "pipeline/vendor/cytoscape/cytoscape.min.js",
                     "pipeline/vendor/cytoscape/LICENSE"):
        assert required in names, f"{required} is not in {wheel.name}"
    shipped_queries = {n.rsplit("/", 1)[1] for n in names if n.startswith("pipeline/queries/")}
    assert shipped_queries == {p.name for p in (ROOT / "queries").glob("*.rq")}, "every canned query ships"
    resources = ROOT / "pipeline" / "resources"
    shipped_json = {n[len("pipeline/resources/"):] for n in names
                    if n.startswith("pipeline/resources/") and n.endswith(".json")}
    assert shipped_json == {p.relative_to(resources).as_posix() for p in resources.rglob("*.json")}
    assert {"actors.json", "events.json", "en/patterns.json", "en/words.json", "en/grammar.json",
            "en/actor_nouns.json", "en/titles.json"} <= shipped_json
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "evkg = pipeline.cli:main" in text


def test_installed_package_is_the_one_imported(installed):
    site = installed / "site"
    probe = ("import json, sys, pipeline, evkg\n"
             "from pipeline import resources as r\n"
             "print(json.dumps({'file': pipeline.__file__, 'evkg': evkg.__file__, 'path': sys.path,\n"
             "  'dirs': [str(r.ontology_path()), str(r.shapes_path()), str(r.queries_dir()),\n"
             "           str(r.lexicon_path('actors.json'))]}))\n")
    proc = py(installed, "-c", probe)
    assert proc.returncode == 0, proc.stderr
    info = json.loads(proc.stdout)
    assert Path(info["file"]).resolve().is_relative_to(site.resolve()), info["file"]
    assert Path(info["evkg"]).resolve().is_relative_to(site.resolve()), info["evkg"]
    for data in info["dirs"]:
        assert Path(data).resolve().is_relative_to(site.resolve()), f"{data} comes from outside the install"
        assert Path(data).exists(), data
    # (The editable install in the venv leaves a code-less pipeline/ folder with copies of the data
    # folders in site-packages; only a folder with __init__.py could shadow the install.)
    others = [p for p in info["path"] if p and Path(p).resolve() != site.resolve()
              and (Path(p) / "pipeline" / "__init__.py").exists()]
    assert others == [], f"another 'pipeline' package is importable from {others}"
    assert str(ROOT) not in [str(Path(p).resolve()) for p in info["path"] if p], "the checkout is on sys.path"


def test_installed_queries(installed):
    proc = evkg(installed, "queries")
    assert proc.returncode == 0, proc.stderr
    names = {line.split()[0] for line in proc.stdout.splitlines() if line.strip()}
    assert names == {p.stem for p in (ROOT / "queries").glob("*.rq")}


def test_installed_build_validate_query(installed):
    work = installed / "run"
    (work / "in").mkdir(parents=True)
    shutil.copy(ARTICLE, work / "in" / ARTICLE.name)
    build = evkg(installed, "build", "in", "-o", "out", "--no-progress", cwd=work)
    assert build.returncode == 0, build.stderr
    for name in ("graph.trig", "graph.ttl", "validation.ttl", "manifest.json", f"docs/{ARTICLE.stem}.ttl"):
        assert (work / "out" / name).is_file(), name
    manifest = json.loads((work / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert [d["status"] for d in manifest["documents"]] == ["ok"]

    validate = evkg(installed, "validate", "out/graph.ttl", cwd=work)
    assert validate.returncode == 0, validate.stdout + validate.stderr

    report = evkg(installed, "report", "out", "-o", "report.html", cwd=work)
    assert report.returncode == 0, report.stderr
    assert "The Cytoscape Consortium" in (work / "report.html").read_text(encoding="utf-8")

    query = evkg(installed, "query", "who-blamed-whom", "--data", "out", "--format", "json", cwd=work)
    assert query.returncode == 0, query.stderr
    rows = json.loads(query.stdout)
    assert isinstance(rows, list) and rows, "the installed canned query answers on the one-article build"
    assert set(rows[0]) >= {"claimant", "kind", "target", "hedged", "document", "evidence"}


def test_installed_console_script(installed):
    script = installed / "site" / "bin" / "evkg"
    assert script.is_file(), "pip installs the evkg console script"
    proc = py(installed, str(script), "--version")
    assert proc.returncode == 0, proc.stderr
    assert "0.1.0" in proc.stdout


def test_installed_eval_with_explicit_paths(installed):
    registry = ROOT / "data" / "gold" / "sets.json"
    proc = evkg(installed, "eval", "--sets", str(registry), "--set", "seeds", "--format", "json", cwd=installed)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert [s["name"] for s in result["sets"]] == ["seeds"] and result["overall"]["gold"] == 42
    proc = evkg(installed, "eval", cwd=installed)
    assert proc.returncode == 2 and "no set registry data/gold/sets.json" in proc.stderr


def test_make_shows_install_progress():
    """`make setup` says what it installs and lets pip show its progress (no silent minute)."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    done = subprocess.run(["make", "-n", "-B", "setup"], cwd=ROOT, capture_output=True, text=True, check=True)
    installs = [line for line in done.stdout.splitlines() if "pip install" in line and "--upgrade pip" not in line]
    assert len(installs) == 2 and not any("--quiet" in line for line in installs), installs
    assert 'echo "==> Installing evkg and its dependencies' in done.stdout
    assert 'echo "==> Installing the spaCy model en_core_web_sm"' in done.stdout
