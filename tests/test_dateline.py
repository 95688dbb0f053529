"""Datelines: a date in a common human format in a text's first lines is its publication date;
prose, headings and impossible or future dates are not."""

from __future__ import annotations

import gzip
import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.dateline import find_dateline, parse_date_phrase
from pipeline.ingest import nlp_text, read_inputs
from pipeline.model import Document

TODAY = date(2025, 6, 30)
BODY = ("The harbour board of Velmora said on Tuesday that the Ostrel Front had sabotaged the "
        "northern pier, and the front denied it in a statement to reporters.\n")


@pytest.mark.parametrize("line, expected", [
    ("Tuesday 14 March 2023", date(2023, 3, 14)),
    ("Thu Feb 01 2024", date(2024, 2, 1)),
    ("9:05 p.m. ET, May 2, 2022", date(2022, 5, 2)),
    ("July 4, 2019", date(2019, 7, 4)),
    ("2024-03-27", date(2024, 3, 27)),
    ("date 2024-03-27", date(2024, 3, 27)),
    ("Date: 2024-03-27", date(2024, 3, 27)),
    ("Published: May 2, 2022", date(2022, 5, 2)),
    ("Updated 9:05 a.m. EDT, May 2, 2022", date(2022, 5, 2)),
    ("Last updated on 3 January 2021, 14:20 GMT", date(2021, 1, 3)),
    ("posted Sept. 3, 2021", date(2021, 9, 3)),
    ("Thurs. Sept. 2, 2021", date(2021, 9, 2)),
    ("Tues 7 Sep 2021", date(2021, 9, 7)),
    ("14th March, 2023", date(2023, 3, 14)),
    ("4th of July 2019", date(2019, 7, 4)),
    ("2022 May 2", date(2022, 5, 2)),
    ("2024/03/27", date(2024, 3, 27)),
    ("2024-03-27T10:15:00Z", date(2024, 3, 27)),
    ("Mon, 02 May 2022 09:05:00 +0100", date(2022, 5, 2)),
    ("May 2, 2022 at 9:05 am", date(2022, 5, 2)),
    ("Feb 29, 2024", date(2024, 2, 29)),
    ("*Tuesday 14 March 2023*", date(2023, 3, 14)),
    ("_Published: May 2, 2022._", date(2022, 5, 2)),
    ("  July 4, 2019.  ", date(2019, 7, 4)),
    ("June 30, 2025", TODAY),
])
def test_datelines(line, expected):
    dateline = find_dateline(line + "\n" + BODY, today=TODAY)
    assert dateline is not None, line
    assert dateline.published == expected
    assert (dateline.start, dateline.end) == (0, len(line)), "the whole line is the dateline"


@pytest.mark.parametrize("line", [
    "On May 2, 2022 the council voted to close the pier.",  # prose with a date
    "The Velmora council met on July 4, 2019.",
    "2,022 people marched through Lamsk.",
    "2022",  # year alone
    "May 2022",  # no day
    "May 2",  # no year
    "Tuesday",
    "Spring 2023",
    "May Day 2022",
    "March 89 2010",  # impossible dates
    "May 32, 2022",
    "Feb 29, 2023",
    "2024-02-30",
    "2024-13-01",
    "99999999999",
    "12/03/2024",  # day-first or month-first: ambiguous
    "03.12.2024",
    "Wednesday 14 March 2023",  # 14 March 2023 was a Tuesday
    "July 1, 2025",  # after TODAY
    "9:05 p.m. NATO, May 2, 2022",  # not a time zone
    "# July 4, 2019",  # a Markdown heading
    "## Tuesday 14 March 2023",
    "Council votes on pier budget, May 2 2022",  # headlines
    "Lamsk floods: 14 March 2023",
    "May 2, 2022 · 5 min read",
    "By Ilsa Varga, May 2, 2022",  # a byline
    "May 2 - June 3, 2022",
    "",
])
def test_not_datelines(line):
    assert find_dateline(line + "\n" + BODY, today=TODAY) is None, line


def test_only_the_first_three_non_blank_lines():
    assert find_dateline("Pier closed\n\n\nBy Ilsa Varga\n\n  \nJuly 4, 2019\n" + BODY,
                         today=TODAY).published == date(2019, 7, 4)
    assert find_dateline("Pier closed\nBy Ilsa Varga\nLamsk\nJuly 4, 2019\n" + BODY, today=TODAY) is None
    two = find_dateline("July 4, 2019\r\nUpdated July 5, 2019\r\n" + BODY, today=TODAY)
    assert (two.start, two.end, two.published) == (0, 12, date(2019, 7, 4)), "the first one wins"


@pytest.mark.parametrize("text, dateline, expected", [
    ("LONDON, May 2, 2022 — The council said", "LONDON, May 2, 2022 — ", date(2022, 5, 2)),
    ("LAMSK, Velmora, 14 March 2023 (Wire News) - Officials said", "LAMSK, Velmora, 14 March 2023 (Wire News) - ",
     date(2023, 3, 14)),
    ("ST. ORREN, D.C., July 4, 2019 -- The board", "ST. ORREN, D.C., July 4, 2019 -- ", date(2019, 7, 4)),
    ("NEW LAMSK, 2024-03-27—Officials said", "NEW LAMSK, 2024-03-27—", date(2024, 3, 27)),
    (" date 2024-03-27 On a cold Friday the board met.", " date 2024-03-27 ", date(2024, 3, 27)),
])
def test_datelines_followed_by_text(text, dateline, expected):
    found = find_dateline(text + "\n" + BODY, today=TODAY)
    assert (found.start, found.end, found.published) == (0, len(dateline), expected)


@pytest.mark.parametrize("text", [
    "LONDON, May 2 (Wire News) - The council said",  # no year
    "London, May 2, 2022 — The council said",  # not a place dateline: the place is not in capitals
    "LONDON, where the council met on May 2, 2022 - officials said",
    "date 2024-13-45 The board met.",
])
def test_not_datelines_followed_by_text(text):
    assert find_dateline(text + "\n" + BODY, today=TODAY) is None


@pytest.mark.parametrize("phrase", ["May 2, 2022", "2024-03-27", "Tue, 14 Mar 2023 10:00:00 GMT"])
def test_parse_date_phrase(phrase):
    assert parse_date_phrase(phrase, today=TODAY) is not None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_no_text_makes_it_raise(text):
    found = find_dateline(text, today=TODAY)
    assert found is None or (0 <= found.start < found.end <= len(text) and found.published <= TODAY)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["May", "2", "2022", "Tuesday", "89", ",", "9:05", "p.m.", "ET", "of", "the",
                                 "council", "-", "2,022", "Thurs.", "14th", "March", "T", "Z", "/", "00"]),
                max_size=8))
def test_date_like_noise_never_raises(words):
    phrase = " ".join(words)
    found = parse_date_phrase(phrase, today=TODAY)
    assert found is None or found <= TODAY


def _published(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    (document,) = [d for d in read_inputs([path]) if isinstance(d, Document)]
    return document


def test_text_and_markdown_files_get_their_dateline(tmp_path):
    assert _published(tmp_path, "a.txt", "Pier closed\n\nTuesday 14 March 2023\n\n" + BODY).published == date(2023, 3, 14)
    assert _published(tmp_path, "b.md", "# Pier closed\n\n*Updated May 2, 2022*\n\n" + BODY).published == date(2022, 5, 2)
    assert _published(tmp_path, "c.txt", "On May 2, 2022 the board met.\n" + BODY).published is None
    assert _published(tmp_path, "d.txt", "May 2, 2999\n" + BODY).published is None, "no date in the future"


def test_jsonl_records_keep_their_published_field(tmp_path):
    records = [{"id": "kept", "text": "July 4, 2019\n" + BODY, "published": "2019-07-05"},
               {"id": "from-text", "text": "Pier closed\nJuly 4, 2019\n" + BODY},
               {"id": "unusable", "text": "Thu Feb 01 2024\n" + BODY, "published": "soon"},
               {"id": "human", "text": BODY, "published": "Tue, 14 Mar 2023 10:00:00 GMT"},
               {"id": "none", "text": BODY}]
    path = tmp_path / "feed.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r) + "\n" for r in records)
    published = {d.id: d.published for d in read_inputs([path]) if isinstance(d, Document)}
    assert published == {"kept": date(2019, 7, 5), "from-text": date(2019, 7, 4), "unusable": date(2024, 2, 1),
                         "human": date(2023, 3, 14), "none": None}


@pytest.mark.parametrize("head, blanked", [
    ("Pier closed\n\nTuesday 14 March 2023\n\n", "Pier closed\n\n                     \n\n"),
    ("LAMSK, May 2, 2022 — ", "                     "),
    ("date 2024-03-27\n", "               \n"),
    ("Pier closed\n\n", "Pier closed\n\n"),
])
def test_nlp_reads_the_text_without_its_dateline(head, blanked):
    document = Document(id="a", text=head + BODY, origin="a.txt")
    assert nlp_text(document) == blanked + BODY, "blanked in place: every offset is kept"
