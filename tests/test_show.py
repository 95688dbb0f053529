"""`evkg show CLAIM`: a claim, its document, and its sentence in its paragraph with the cue and the
actors marked; a claim named by its IRI or the end of it; one line when none or several match."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter

import pytest
from click.testing import CliRunner

from conftest import ARTICLES
from pipeline.cli import main
from pipeline.show import CONTEXT_CHARS, ClaimView, format_claim, paragraph_around, show

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")


def evkg(*args, code: int = 0):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == code, f"evkg {args}: exit {result.exit_code}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def claims(sample_build) -> list[dict]:
    return json.loads(evkg("query", "who-blamed-whom", "--data", sample_build, "--format", "json").stdout)


@pytest.fixture(scope="module")
def insinuated(claims) -> dict:
    """The sample claim whose cue is 'insinuated': Putin accuses Ukraine, hedged, in document 004."""
    (row,) = [r for r in claims if r["cue"] == "insinuated"]
    return row


def test_show_prints_the_claim_and_its_sentence_in_its_paragraph(sample_build, insinuated):
    out = evkg("show", insinuated["claim_iri"], "--data", sample_build).stdout
    fields, excerpt = out.split("\n\n")
    assert fields.splitlines() == [
        f"claim     {insinuated['claim_iri']}",
        "claimant  Vladimir Putin",
        "kind      accuses",
        "target    Ukraine",
        "hedged    true",
        "said on   not given in the text",
        "event     Crocus City Hall attack",
        "cue       insinuated",
        f"document  {insinuated['document']}",
        f"evidence  characters {insinuated['start']}–{insinuated['end']}",
    ]
    marked = (insinuated["evidence"].replace("insinuated", "[insinuated]").replace("Ukraine", "«Ukraine»")
              .replace("Putin", "«Putin»"))
    assert f"⟦{marked}⟧" in excerpt, excerpt
    # The sentence within the whole of its paragraph: what stands between two blank lines.
    plain = excerpt.rstrip("\n").translate(str.maketrans("", "", "⟦⟧[]«»"))
    text = (ARTICLES / f"{insinuated['document']}.txt").read_text(encoding="utf-8")
    assert f"\n\n{plain}\n\n" in text and len(plain) > len(insinuated["evidence"])


def test_a_claim_by_the_end_of_its_iri(sample_build, insinuated):
    expected = evkg("show", insinuated["claim_iri"], "--data", sample_build).stdout
    digest = insinuated["claim_iri"].rsplit("/", 1)[1]
    for given in (digest, digest[-6:], f"claim:{digest}", f"<{insinuated['claim_iri']}>"):
        assert evkg("show", given, "--data", sample_build).stdout == expected, given
    assert evkg("show", digest, "--data", sample_build / "graph.ttl").stdout == expected


def test_ambiguous_and_unknown_claims_get_one_line(sample_build, claims):
    iris = sorted({r["claim_iri"] for r in claims})
    ending, count = Counter(iri[-1] for iri in iris).most_common(1)[0]
    assert count > 1
    result = evkg("show", ending, "--data", sample_build, code=2)
    candidates = [iri for iri in iris if iri.endswith(ending)]
    assert result.stderr == (f"evkg: error: '{ending}' ends {count} claims in {sample_build}: "
                             f"{', '.join(candidates)}; give more of the IRI\n")
    result = evkg("show", "no-such-claim", "--data", sample_build, code=2)
    assert result.stderr.startswith(f"evkg: error: no claim in {sample_build} is or ends with 'no-such-claim'")
    assert result.stderr.count("\n") == 1 and result.stdout == ""


def test_without_the_document_text_the_sentence_alone(sample_build, insinuated, tmp_path):
    shutil.copy(sample_build / "graph.ttl", tmp_path / "graph.ttl")  # no manifest: no text to read back
    out = evkg("show", insinuated["claim_iri"], "--data", tmp_path / "graph.ttl").stdout
    assert "note      no build folder (with a manifest.json) holds its text\n" in out
    assert out.split("\n\n")[1].startswith("⟦Meanwhile") and out.endswith("officials.⟧\n")


def test_styled_on_a_terminal(sample_build, insinuated):
    view = show(insinuated["claim_iri"], [sample_build])
    styled = format_claim(view, styled=True, width=100)
    assert "\x1b[" in styled and not any(mark in styled for mark in "⟦⟧«»")
    cue = re.search(r"\x1b\[[0-9;]*m(insinuated)\x1b\[0m", styled)
    assert cue, "the cue has a style of its own"
    unstyled = re.sub(r"\x1b\[[0-9;]*m", "", styled)
    assert " ".join(unstyled.split()).endswith(" ".join(view.excerpt.split()))


INVENTED = ("Ostrov, May 2.\n\nThe council met. Lena Moss blamed the port authority for the fire.\n"
            "Nobody answered.\n\nA second paragraph follows.")


def test_paragraph_around():
    start = INVENTED.index("Lena")
    end = INVENTED.index("fire.") + len("fire.")
    first, last = paragraph_around(INVENTED, start, end)
    assert INVENTED[first:last] == "The council met. Lena Moss blamed the port authority for the fire.\nNobody answered."
    one_per_line = INVENTED.replace("\n\n", "\n")  # no blank lines: a line is a paragraph
    start = one_per_line.index("Lena")
    first, last = paragraph_around(one_per_line, start, start + 10)
    assert one_per_line[first:last] == "The council met. Lena Moss blamed the port authority for the fire."
    long = "word " * CONTEXT_CHARS + "Lena Moss blamed the port. " + "word " * CONTEXT_CHARS
    start = long.index("Lena")
    first, last = paragraph_around(long, start, start + 26)
    assert start - first <= CONTEXT_CHARS and last - (start + 26) <= CONTEXT_CHARS
    assert long[first:last].startswith("word") and long[first:last].endswith("word")


def test_the_cue_once_and_every_name_of_an_actor():
    sentence = "Lena Moss blamed the port, and Moss blamed it again; the Port Authority blamed Moss."
    view = ClaimView(iri="https://example.org/claim/1", claimant="Lena Moss", kind="accuses",
                     targets=["Port Authority"], hedged=False, said_on=None, event=None, cue="blamed",
                     document="doc", title=None, published=None, url=None, start=0, end=len(sentence),
                     excerpt=sentence, excerpt_start=0, names=["Port Authority", "Lena Moss", "Moss"])
    assert format_claim(view).split("\n\n")[1] == (
        "⟦«Lena Moss» [blamed] the port, and «Moss» blamed it again; the «Port Authority» blamed «Moss».⟧\n")
