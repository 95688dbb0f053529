"""The Python API: `import evkg`, and the README's example run as written."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from datetime import date

import pytest

import evkg
import pipeline
from conftest import ARTICLES, ROOT


def readme_example() -> tuple[str, str]:
    """The code and the printed output of the README's "From Python" section."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## From Python", 1)[1].split("\n## ", 1)[0]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)
    output = re.search(r"```text\n(.*?)```", section, re.DOTALL).group(1)
    return code, output


def test_readme_example_prints_what_the_readme_shows(tmp_path, monkeypatch):
    code, expected = readme_example()
    shutil.copytree(ARTICLES, tmp_path / "data" / "articles")
    monkeypatch.chdir(tmp_path)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "README.md", "exec"), {"__name__": "readme"})
    assert printed.getvalue() == expected
    assert (tmp_path / "out" / "graph.trig").is_file() and (tmp_path / "out" / "report.html").is_file()


def test_extract_text_claims():
    text = ("Markets were calm. On Friday, Karvonia's interior minister Lena Moss accused Ostrelia "
            "of sabotaging the pipeline.")
    claims = evkg.extract_text(text, published=date(2025, 6, 9))
    assert claims, "the accusation is found"
    for claim in claims:
        assert isinstance(claim, evkg.Claim)
        assert text[claim.start:claim.end] == claim.sentence
        assert claim.kind in {"accuses", "claims_responsibility", "denies", "disputes", "confirms", "warns"}
    (accusation,) = [c for c in claims if c.kind == "accuses"]
    assert (accusation.claimant, accusation.targets, accusation.cue) == ("Lena Moss", ("Ostrelia",), "accused")
    assert accusation.start == text.index("On Friday") and accusation.said_on == date(2025, 6, 6)
    # The same text and date give the same claims as a string date.
    assert evkg.extract_text(text, published="2025-06-09") == claims


@pytest.mark.parametrize("text", ["", "   \n", "a\x00b"])
def test_extract_text_rejects_what_cannot_be_a_document(text):
    with pytest.raises(ValueError):
        evkg.extract_text(text)


def test_evkg_is_the_pipeline_api():
    assert evkg.__version__ == pipeline.__version__
    assert evkg.build is pipeline.api.build and evkg.report is pipeline.report.report
