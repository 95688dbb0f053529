"""`evkg report`: the HTML page, checked as data and in a real headless Chromium.

The browser test drives Debian's ``chromium`` with ``chromedriver`` through Selenium (the driver is
given by path, so Selenium never tries to download one). `.ci/run` installs both; outside CI a
machine without them skips that test and says why, in CI (CI=true) it fails.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.build import build
from pipeline.cli import main
from pipeline.query import load_query, open_store, run_query
from pipeline.report import report, report_data

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


def graph_counts(outdir: Path) -> tuple[int, set[tuple[str, str]]]:
    """The number of actors and the claimant → target pairs, from the canned queries."""
    store = open_store([outdir])
    actors = run_query(load_query("actors").text, store).rows
    rows = run_query(load_query("who-blamed-whom").text, store).rows
    pairs = {(r["claimant_iri"], r["target_iri"]) for r in rows}
    return len({a["actor_iri"] for a in actors}), pairs


@pytest.fixture(scope="module")
def page(sample_build, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "out"
    summary = report(sample_build, out / "report.html")
    assert summary.texts_missing == []
    return summary.path


def test_report_data_matches_the_graph(sample_build):
    data = report_data(sample_build)
    n_actors, pairs = graph_counts(sample_build)
    assert len(data["actors"]) == n_actors
    assert {(e["source"], e["target"]) for e in data["edges"]} == pairs
    assert sum(len(e["claims"]) for e in data["edges"]) == sum(len(c["targets"]) for c in data["claims"])
    texts = {d["id"]: d["text"] for d in data["documents"]}
    for item in data["claims"] + data["figures"]:
        evidence = item["evidence"]
        assert texts[item["document"]][evidence["start"]:evidence["end"]] == evidence["exact"]
    manifest = json.loads((sample_build / "manifest.json").read_text(encoding="utf-8"))
    assert len(data["claims"]) == manifest["counts"]["claims"]


def test_page_is_self_contained(page):
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"<(script|img|iframe)[^>]*\ssrc=", html, re.IGNORECASE)
    assert not re.search(r"<link\b", html, re.IGNORECASE)
    assert "cytoscape" in html and "The Cytoscape Consortium" in html  # vendored, licence header kept
    data = re.search(r'<script type="application/json" id="evkg-data">(.*?)</script>', html, re.DOTALL)
    assert json.loads(data.group(1))["claims"]


def test_cli_report_and_a_moved_input(tmp_path, articles_copy):
    (first,) = sorted(articles_copy.glob("000_*.txt"))
    outdir = tmp_path / "out"
    assert build([first], outdir).exit_code == 0
    result = CliRunner().invoke(main, ["report", str(outdir)])
    assert result.exit_code == 0, result.output
    assert (outdir / "report.html").is_file()
    assert "wrote" in result.stderr and "pair(s)" in result.stderr

    first.rename(first.with_suffix(".moved"))  # the text is gone: the page keeps the sentences
    result = CliRunner().invoke(main, ["report", str(outdir), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 0, result.output
    assert f"{first.stem}: document text not found" in result.stderr
    data = report_data(outdir)
    assert data["documents"][0]["text"] is None and "not found" in data["documents"][0]["note"]

    result = CliRunner().invoke(main, ["report", str(tmp_path)])
    assert result.exit_code == 1 and "no graph.ttl" in result.stderr


@pytest.fixture
def browser():
    if not (CHROMIUM and CHROMEDRIVER):
        missing = " and ".join(n for n, p in (("chromium", CHROMIUM), ("chromedriver", CHROMEDRIVER)) if not p)
        message = f"{missing} not found: `apt-get install chromium chromium-driver` (.ci/run does)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1300,2200",
                     # Any attempt to reach a host fails: the page must need none.
                     "--host-resolver-rules=MAP * ~NOTFOUND"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def test_page_in_headless_chromium(page, sample_build, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(page.as_uri())
    assert browser.execute_script("return typeof window.evkgReport") == "object"
    console = browser.get_log("browser")
    assert not [entry for entry in console if entry["level"] in ("SEVERE", "WARNING")], console
    requested = [json.loads(e["message"])["message"] for e in browser.get_log("performance")]
    urls = {m["params"]["request"]["url"] for m in requested if m["method"] == "Network.requestWillBeSent"}
    assert urls and all(u.startswith(("file:", "data:")) for u in urls), urls

    n_actors, pairs = graph_counts(sample_build)
    assert browser.execute_script("return evkgReport.cy.nodes().length") == n_actors
    assert browser.execute_script("return evkgReport.cy.edges().length") == len(pairs)
    drawn = browser.execute_script(
        "return evkgReport.cy.edges().map(e => [e.source().id(), e.target().id()])")
    assert {tuple(p) for p in drawn} == pairs

    # Clicking an edge lists its claims.
    edge_claims = browser.execute_script(
        "const e = evkgReport.cy.edges().max(x => x.data('claims').length).ele; e.emit('tap');"
        "return e.data('claims').length")
    listed = browser.find_elements(By.CSS_SELECTOR, "#edge-claims li")
    assert len(listed) == edge_claims and listed[0].find_element(By.CSS_SELECTOR, "a.evidence-link").text

    rows = browser.find_elements(By.CSS_SELECTOR, "#claims-table tbody tr")
    visible = [r for r in rows if r.is_displayed()]
    assert len(visible) == len(rows) > 0
    kinds = [o.get_attribute("value") for o in Select(browser.find_element(By.ID, "filter-kind")).options][1:]
    wanted = "denies" if "denies" in kinds else kinds[-1]
    Select(browser.find_element(By.ID, "filter-kind")).select_by_value(wanted)
    visible = [r for r in rows if r.is_displayed()]
    expected = browser.execute_script(f"return evkgReport.data.claims.filter(c => c.kind === '{wanted}').length")
    assert 0 < len(visible) == expected < len(rows)
    assert all(r.find_elements(By.CSS_SELECTOR, ".kind")[0].text == wanted for r in visible)
    assert browser.find_element(By.ID, "claims-count").text == f"{expected} of {len(rows)} claims"

    # A row's evidence opens its document with the span highlighted.
    link = visible[0].find_element(By.CSS_SELECTOR, "a.evidence-link")
    sentence = link.text
    link.click()
    mark = browser.find_element(By.ID, "evidence-mark")
    assert mark.text == sentence
    text = browser.find_element(By.ID, "document-text").text
    assert len(text) > len(sentence) and sentence in text

    browser.execute_script("window.scrollTo(0, 0)")
    shot = page.parent / "report.png"
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
