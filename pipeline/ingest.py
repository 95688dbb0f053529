"""Ingest: turn input paths into ``Document`` records, and bad inputs into ``InputProblem``.

Accepted: ``.txt`` and ``.md`` files (the id is the file name without extension; a first
line such as ``date 2024-03-27`` is the publication date), ``.jsonl`` / ``.jsonl.gz`` files
(one JSON object per line with ``id`` and ``text`` and optional ``title``, ``url``,
``published``, ``publisher``) and directories of those, searched recursively in sorted order.
A bad input never stops the batch: it comes out as an ``InputProblem`` naming the input
and the reason.
"""

from __future__ import annotations

import codecs
import gzip
import json
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator, Optional, Union

from .model import Document

TEXT_SUFFIXES = (".txt", ".md")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
FALLBACK_ENCODING = "cp1252"

# "date 2024-03-27" (optionally "Date:") opening the text: the publication date.
DATELINE = re.compile(r"\A\s*date:?\s+(\d{4}-\d{2}-\d{2})\b[ \t]*", re.IGNORECASE)


@dataclass(frozen=True)
class InputProblem:
    """An input that was skipped or could not be read, or a warning about one that was."""

    origin: str
    reason: str
    status: str = "failed"  # failed | skipped | warning
    doc_id: Optional[str] = None

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


class UsageError(Exception):
    """An input path that does not exist: the whole command is wrong, not one input."""


def read_inputs(paths: Iterable[Union[str, Path]]) -> Iterator[Union[Document, InputProblem]]:
    """Every document under ``paths``, in a stable order, with problems in between."""
    seen_ids: dict[str, str] = {}
    for path in paths:
        path = Path(path)
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"{path}: no such file or directory")
        for item in _read_path(path):
            if isinstance(item, Document):
                first = seen_ids.get(item.id)
                if first is not None:
                    yield InputProblem(item.origin, f"duplicate document id {item.id!r} (first seen in {first})",
                                       doc_id=item.id)
                    continue
                seen_ids[item.id] = item.origin
            yield item


def _read_path(path: Path) -> Iterator[Union[Document, InputProblem]]:
    if path.is_dir():
        yield from _read_dir(path)
    elif _is_jsonl(path):
        yield from _read_jsonl(path)
    elif path.suffix.lower() in TEXT_SUFFIXES:
        yield from _read_text_file(path)
    else:
        yield InputProblem(str(path), f"unknown extension {path.suffix or '(none)'!r}, skipped", status="skipped")


def _read_dir(root: Path) -> Iterator[Union[Document, InputProblem]]:
    visited: set[tuple[int, int]] = set()
    stack = [root]
    files: list[Path] = []
    problems: list[InputProblem] = []
    while stack:
        folder = stack.pop()
        try:
            st = folder.stat()
        except OSError as exc:
            problems.append(InputProblem(str(folder), f"cannot read directory: {exc.strerror or exc}"))
            continue
        if (st.st_dev, st.st_ino) in visited:
            problems.append(InputProblem(str(folder), "directory loop (symlink back to a parent), skipped",
                                         status="skipped"))
            continue
        visited.add((st.st_dev, st.st_ino))
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            problems.append(InputProblem(str(folder), f"cannot read directory: {exc.strerror or exc}"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            entry_path = Path(entry.path)
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                stack.append(entry_path)
            elif entry.is_symlink() and not entry_path.exists():
                problems.append(InputProblem(str(entry_path), "broken symbolic link"))
            else:
                files.append(entry_path)
    for problem in problems:
        yield problem
    for file in sorted(files, key=lambda p: p.relative_to(root).as_posix()):
        if _is_jsonl(file) or file.suffix.lower() in TEXT_SUFFIXES:
            yield from _read_path(file)
        else:
            yield InputProblem(str(file), f"unknown extension {file.suffix or '(none)'!r}, skipped", status="skipped")


def _is_jsonl(path: Path) -> bool:
    name = path.name.lower()
    return any(name.endswith(s) for s in JSONL_SUFFIXES)


def decode_bytes(raw: bytes) -> tuple[str, Optional[str]]:
    """Decode ``raw`` as UTF-8 (with or without BOM) or UTF-16 with BOM, else the fallback.

    Returns the text and a warning when the fallback encoding was needed.
    """
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8):].decode("utf-8"), None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), None
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        text = raw.decode(FALLBACK_ENCODING, errors="replace")
        return text, f"not valid UTF-8 (byte {exc.start}), decoded as {FALLBACK_ENCODING}"


def _read_text_file(path: Path) -> Iterator[Union[Document, InputProblem]]:
    origin = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        yield InputProblem(origin, f"cannot read file: {exc.strerror or exc}")
        return
    if b"\x00" in raw and not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        yield InputProblem(origin, "binary file (contains NUL bytes)")
        return
    try:
        text, warning = decode_bytes(raw)
    except UnicodeDecodeError as exc:
        yield InputProblem(origin, f"cannot decode text: {exc.reason}")
        return
    doc_id = path.name[: -len(path.suffix)] if path.suffix else path.name
    if warning:
        yield InputProblem(origin, warning, status="warning", doc_id=doc_id)
    yield make_document(doc_id, text, origin)


def make_document(doc_id: str, text: str, origin: str, *, title=None, url=None, published=None,
                  publisher=None) -> Union[Document, InputProblem]:
    """A ``Document``, or the reason it cannot be one."""
    if not text.strip():
        return InputProblem(origin, "empty document (no text)", doc_id=doc_id)
    if "\x00" in text:
        return InputProblem(origin, "binary content (contains NUL characters)", doc_id=doc_id)
    if published is None:
        match = DATELINE.match(text)
        if match:
            published = _parse_date(match.group(1))
    elif not isinstance(published, date):
        published = _parse_date(str(published))
    return Document(id=doc_id, text=text, origin=origin, title=title, url=url,
                    published=published, publisher=publisher)


def _parse_date(value: str) -> Optional[date]:
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _read_jsonl(path: Path) -> Iterator[Union[Document, InputProblem]]:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        handle = opener(path, "rb")
        for number, raw in enumerate(handle, start=1):  # streamed, never held whole
            origin = f"{path}:{number}"
            if not raw.strip():
                continue
            try:
                line, warning = decode_bytes(raw)
                record = json.loads(line)
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                yield InputProblem(origin, f"malformed JSON line: {exc}")
                continue
            if warning:
                yield InputProblem(origin, warning, status="warning")
            yield _jsonl_record(record, origin)
        handle.close()
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        yield InputProblem(str(path), f"cannot read file: {getattr(exc, 'strerror', None) or exc}")


def _jsonl_record(record, origin: str) -> Union[Document, InputProblem]:
    if not isinstance(record, dict):
        return InputProblem(origin, "JSON line is not an object")
    doc_id = record.get("id")
    if not isinstance(doc_id, (str, int)) or isinstance(doc_id, bool) or not str(doc_id).strip():
        return InputProblem(origin, "record has no usable 'id'")
    doc_id = str(doc_id)
    origin = f"{origin} (id {doc_id})"
    text = record.get("text")
    if text is None:
        return InputProblem(origin, "record has no 'text'", doc_id=doc_id)
    if not isinstance(text, str):
        return InputProblem(origin, f"'text' is a {type(text).__name__}, not a string", doc_id=doc_id)
    fields = {}
    for name in ("title", "url", "publisher"):
        value = record.get(name)
        fields[name] = value.strip() or None if isinstance(value, str) else None
    published = record.get("published")
    fields["published"] = _parse_date(published) if isinstance(published, str) else None
    return make_document(doc_id, text, origin, **fields)


def nlp_text(document: Document) -> str:
    """The text the NLP stage reads: the document with its dateline blanked out.

    Blanking (not cutting) keeps every character offset valid in the original text.
    """
    match = DATELINE.match(document.text)
    if not match:
        return document.text
    return " " * match.end() + document.text[match.end():]
