"""Datelines: the publication date a text states in its first lines.

One of the first ``FIRST_LINES`` non-blank lines is a dateline when it is essentially just a
date, in any common human format ("Tuesday 14 March 2023", "Thu Feb 01 2024", "9:05 p.m. ET,
May 2, 2022", "July 4, 2019", "2024-03-27"), optionally with a weekday, a time and a time zone,
led by a word such as "date", "Published:" or "Updated", or wrapped in Markdown emphasis. Two
forms may carry text after the date on the same line: a place dateline ("LONDON, May 2, 2022 —
The council…") and the corpus form "date 2024-03-27 The council…".

Strict on purpose, since a wrong publication date misdates every relative date in the text:
the day, month and year must all be written (not "May 2022", not "Tuesday"); the month is a
name, or the date is year-first numeric (``12/03/2024`` could be either of two days); a stated
weekday must be the date's; no date after today; a line of prose that contains a date ("On May
2, 2022 the council voted…"), a Markdown heading, and an impossible date ("March 89 2010") are
not datelines. python-dateutil parses the date itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterator, Optional

from dateutil import parser as dateutil_parser

FIRST_LINES = 3  # non-blank lines searched
MAX_DATE_CHARS = 60  # a longer phrase is prose, not a dateline

# Time-zone abbreviations a dateline may give after its time; any other capitalised word in that
# place ("9:05 NATO, May 2, 2022") makes the line prose.
TIME_ZONES = frozenset("""
UTC GMT Z ET EST EDT CT CST CDT MT MST MDT PT PST PDT AKST AKDT HST BST IST CET CEST EET EEST WET WEST
MSK JST KST HKT SGT AEST AEDT ACST AWST NZST NZDT
""".split())

_LABEL = re.compile(r"(?:(?:first|last)\s+)?(?P<word>published|posted|updated|dated|date)\b\s*:?\s*", re.IGNORECASE)
_EMPHASIS = re.compile(r"(?P<mark>[*_]{1,3})(?P<inner>.+?)(?P=mark)")
_YEAR_FIRST = re.compile(r"\b\d{4}[-/]\d{1,2}[-/]\d{1,2}(?!\d)")
_CORPUS_FORM = re.compile(r"\s*date:?\s+(?P<date>\d{4}-\d{2}-\d{2})\b[ \t]*", re.IGNORECASE)
_PLACE_FORM = re.compile(
    r"\s*[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+)*"  # LONDON, NEW YORK, ST. PAUL
    r"(?:, [A-Z][A-Za-z.'’-]+(?: [A-Z][A-Za-z.'’-]+)*)?"  # , Maldoria / , D.C.
    r",\s+(?P<date>[^()—–\n]{6,60}?)"
    r"\s*(?:\([^()\n]{1,40}\))?"  # (Reuters)
    r"(?:\s*[—–]|\s+--?\s)\s*(?=\S)")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Dateline:
    """Characters ``start``..``end`` of a text are a dateline giving ``published``."""

    start: int
    end: int
    published: date


class _DatelineWords(dateutil_parser.parserinfo):
    """dateutil's English words, with the weekday abbreviations news sites also use."""

    WEEKDAYS = [("Mon", "Monday"), ("Tue", "Tues", "Tuesday"), ("Wed", "Weds", "Wednesday"),
                ("Thu", "Thur", "Thurs", "Thursday"), ("Fri", "Friday"), ("Sat", "Saturday"),
                ("Sun", "Sunday")]


_WORDS = _DatelineWords()


def _known_zone(name: Optional[str], offset: Optional[int]) -> None:
    """dateutil's ``tzinfos``: no zone (the date is taken as written), but an unknown zone name
    means the line is not a dateline."""
    if name is not None and name.upper() not in TIME_ZONES:
        raise ValueError(f"unknown time zone {name!r}")


def parse_date_phrase(phrase: str, today: Optional[date] = None) -> Optional[date]:
    """The date ``phrase`` consists of, or None when it is not exactly one complete, plausible date."""
    phrase = phrase.strip().rstrip(".,;:").strip()
    if not phrase or len(phrase) > MAX_DATE_CHARS:
        return None
    words = _WORD.findall(phrase)
    if not _YEAR_FIRST.search(phrase) and not any(_WORDS.month(w) for w in words):
        return None
    try:
        # Two different defaults: a component the phrase does not give shows up as a difference.
        first, second = (dateutil_parser.parse(phrase, parserinfo=_WORDS, default=default, tzinfos=_known_zone)
                         for default in (datetime(1901, 1, 1), datetime(1902, 2, 2)))
    except (ValueError, OverflowError):
        return None
    found = first.date()
    if found != second.date() or found > (today or date.today()):
        return None
    if any(_WORDS.weekday(w) not in (None, found.weekday()) for w in words):
        return None
    return found


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """The start offset and content (without the line break) of each of the first non-blank lines."""
    seen = 0
    for match in re.finditer(r"[^\n]*", text):
        line = match.group().rstrip("\r")
        if line.strip():
            yield match.start(), line
            seen += 1
            if seen == FIRST_LINES:
                return


def _line_date(line: str, today: Optional[date]) -> Optional[date]:
    """The date of a line that is just a date, perhaps labelled or emphasised."""
    body = line.strip()
    if body.startswith("#"):
        return None
    emphasis = _EMPHASIS.fullmatch(body)
    if emphasis:
        body = emphasis.group("inner").strip()
    label = _LABEL.match(body)
    if label:
        body = body[label.end():]
    return parse_date_phrase(body, today)


def find_dateline(text: str, today: Optional[date] = None) -> Optional[Dateline]:
    """The first dateline among the first ``FIRST_LINES`` non-blank lines of ``text``, if any."""
    for start, line in _lines(text):
        published = _line_date(line, today)
        if published:
            return Dateline(start, start + len(line), published)
        for form in (_CORPUS_FORM, _PLACE_FORM):
            match = form.match(line)
            published = match and parse_date_phrase(match.group("date"), today)
            if published:
                return Dateline(start, start + match.end(), published)
    return None
