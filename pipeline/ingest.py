"""Ingest: turn input paths into ``Document`` records, and bad inputs into ``InputProblem``.

Accepted: ``.txt`` and ``.md`` files (the id is the file name without extension; a dateline
in the first lines, such as ``date 2024-03-27`` or ``Tuesday 14 March 2023``, is the publication
date: see ``pipeline.dateline``), ``.jsonl`` / ``.jsonl.gz`` files (one JSON object per line
with ``id`` (a string or an integer) and ``text`` and optional ``title``, ``url``,
``published``, ``publisher``; without a usable ``published``, the text's dateline) and
directories of those, searched recursively (hidden files and folders are ignored).

A bad input never stops the batch: it comes out as an ``InputProblem`` naming the input
(the file, or the file and JSONL line and id) and the reason, with a status:

* ``failed``: nothing was read from it (empty, binary, unreadable, malformed JSON, no
  ``text``, duplicate id, broken symbolic link, ...);
* ``skipped``: deliberately not read (unknown extension, a folder or file already read
  through another path, a symbolic link loop);
* ``warning``: read and processed, but with a caveat (decoded with the fallback encoding,
  lone surrogates replaced, does not look like English).

Order and duplicates: all files of all inputs are read in sorted path order (then line
order within a JSONL file), whatever order the inputs were given in, so the output never
depends on it. When two inputs give the same document id, the first in that order wins
and the later ones fail as duplicates.

Decoding: UTF-8 (a UTF-8, UTF-16 or UTF-32 byte-order mark is honoured), UTF-16 without a
byte-order mark when the bytes clearly are, else the fallback encoding (``cp1252`` unless
``encoding_fallback`` says otherwise; ``None`` makes undecodable files fail) with a warning.
"""

from __future__ import annotations

import codecs
import errno
import gzip
import io
import json
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator, Optional, Union

from .dateline import find_dateline, parse_date_phrase
from .errors import UsageProblem
from .model import Document

TEXT_SUFFIXES = (".txt", ".md")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
FALLBACK_ENCODING = "cp1252"

_SURROGATE = re.compile("[\ud800-\udfff]")
_WORD = re.compile(r"[^\W\d_]+")
# The commonest English function words: a third or more of the words of English prose.
_ENGLISH_WORDS = frozenset("""
a about after against all also an and are as at be been but by can could did do for from had has
have he her his how i if in into is it its may more no not of on one or our out over said she so
than that the their them there they this to up was we were what when which while who will with
would you
""".split())
ENGLISH_MIN_WORDS = 20  # shorter texts are not judged
ENGLISH_MIN_SHARE = 0.12  # English news prose: 0.35-0.50; German, French, Spanish: < 0.06
SNIFF_BYTES = 4096


@dataclass(frozen=True)
class InputProblem:
    """An input that was skipped or could not be read, or a warning about one that was."""

    origin: str
    reason: str
    status: str = "failed"  # failed | skipped | warning
    doc_id: Optional[str] = None
    detail: Optional[str] = field(default=None, compare=False, repr=False)  # a traceback, for --debug

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


class UsageError(UsageProblem):
    """The command is wrong, not one input: a path that does not exist, an unknown encoding."""


class _Undecodable(ValueError):
    pass


# Names in messages -----------------------------------------------------------------------


def printable(text: str, limit: int = 200) -> str:
    """``text`` safe to print on one line and to write as UTF-8: control and format characters,
    line separators and lone surrogates (undecodable file-name bytes) become escapes."""
    out = []
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            code = ord(char)
            if 0xDC80 <= code <= 0xDCFF:  # a byte os.fsdecode could not decode
                out.append(f"\\x{code - 0xDC00:02x}")
            else:
                out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    shown = "".join(out)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _origin(path: Path) -> str:
    return printable(str(path), limit=10_000)


def _file_id(path: Path) -> str:
    """The document id of a text file: its name without the extension, undecodable bytes
    of the name escaped (``caf\\xe9``) so the id is valid Unicode and stays distinct."""
    name = path.name[: -len(path.suffix)] if path.suffix else path.name
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _clean_id(doc_id: str) -> str:
    """A JSONL id with lone surrogates escaped (``\\ud800``): valid Unicode, still distinct."""
    if not _SURROGATE.search(doc_id):
        return doc_id
    return doc_id.encode("utf-8", "backslashreplace").decode("utf-8")


def _show_id(doc_id: str) -> str:
    return printable(doc_id, limit=80)


# Paths ---------------------------------------------------------------------------------------


def check_encoding(name: Optional[str]) -> Optional[str]:
    """The canonical name of a fallback encoding (``None``/``"none"``: no fallback)."""
    if name is None or name.strip().lower() in ("", "none", "strict"):
        return None
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise UsageError(f"unknown encoding {name!r} for --encoding-fallback") from None
    if info.name in ("utf-16", "utf-32") or not getattr(info, "_is_text_encoding", True):
        raise UsageError(f"{name!r} cannot be a fallback encoding (use a single-byte one such as cp1252)")
    return info.name


def check_paths(paths: Iterable[Union[str, Path]]) -> list[Path]:
    """``paths`` as Paths; raises ``UsageError`` when one does not exist."""
    paths = [Path(p) for p in paths]
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"{_origin(path)}: no such file or directory")
    return paths


def read_inputs(paths: Iterable[Union[str, Path]], *, encoding_fallback: Optional[str] = FALLBACK_ENCODING,
                check_english: bool = True) -> Iterator[Union[Document, InputProblem]]:
    """Every document under ``paths``, in sorted path order, with problems in between.

    Raises ``UsageError`` (before reading anything) when a path does not exist.
    """
    paths = check_paths(paths)
    fallback = check_encoding(encoding_fallback)
    found: list[tuple[str, int, Union[Path, InputProblem]]] = []
    for path in paths:
        found.extend(_expand(path))
    found.sort(key=lambda item: (item[0], item[1]))

    seen_files: dict[tuple[int, int], str] = {}
    seen_ids: dict[str, str] = {}
    for key, _, item in found:
        if isinstance(item, InputProblem):
            yield item
            continue
        identity = _identity(item)
        if identity is not None:
            first = seen_files.get(identity)
            if first is not None:
                yield InputProblem(_origin(item), f"same file as {first}, already read; skipped", status="skipped")
                continue
            seen_files[identity] = _origin(item)
        for record in _read_file(item, fallback, check_english):
            if isinstance(record, Document):
                first = seen_ids.get(record.id)
                if first is not None:
                    yield InputProblem(record.origin, f"duplicate document id {_show_id(record.id)!r}, "
                                                      f"already read from {first}; not processed", doc_id=record.id)
                    continue
                seen_ids[record.id] = record.origin
            yield record


def _identity(path: Path) -> Optional[tuple[int, int]]:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _is_dir(path) -> bool:
    """``path.is_dir()`` (a Path or a DirEntry), False when it cannot be told."""
    try:
        return path.is_dir()
    except OSError:
        return False


def _expand(path: Path) -> Iterator[tuple[str, int, Union[Path, InputProblem]]]:
    """The files under ``path`` and the problems met on the way, each with a sort key."""
    if not _is_dir(path):
        yield str(path), 0, path
        return
    root_st = path.stat()
    # (folder, identities of the folders above it): a folder that is its own ancestor is a loop.
    stack: list[tuple[Path, frozenset]] = [(path, frozenset({(root_st.st_dev, root_st.st_ino)}))]
    seen: dict[tuple[int, int], Path] = {(root_st.st_dev, root_st.st_ino): path}
    while stack:
        folder, ancestors = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            yield str(folder), 1, InputProblem(_origin(folder), f"cannot read directory: {_reason(exc)}")
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue  # hidden: .git, .DS_Store, an output's .evkg-cache
            entry_path = Path(entry.path)
            if not _is_dir(entry):
                yield str(entry_path), 0, entry_path
                continue
            try:
                st = entry_path.stat()
            except OSError as exc:
                yield str(entry_path), 1, InputProblem(_origin(entry_path), f"cannot read directory: {_reason(exc)}")
                continue
            identity = (st.st_dev, st.st_ino)
            if identity in ancestors:
                yield str(entry_path), 1, InputProblem(
                    _origin(entry_path), "symbolic link loop (links back to a folder above it); skipped",
                    status="skipped")
            elif identity in seen:
                yield str(entry_path), 1, InputProblem(
                    _origin(entry_path), f"same folder as {_origin(seen[identity])}, already read; skipped",
                    status="skipped")
            else:
                seen[identity] = entry_path
                stack.append((entry_path, ancestors | {identity}))


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


def _is_jsonl(path: Path) -> bool:
    name = path.name.lower()
    return any(name.endswith(s) for s in JSONL_SUFFIXES)


def _read_file(path: Path, fallback: Optional[str], check_english: bool) -> Iterator[Union[Document, InputProblem]]:
    origin = _origin(path)
    jsonl = _is_jsonl(path)
    if not jsonl and path.suffix.lower() not in TEXT_SUFFIXES:
        suffix = printable(path.suffix) if path.suffix else "(none)"
        yield InputProblem(origin, f"unknown extension {suffix!r} (expected .txt, .md, .jsonl, .jsonl.gz); skipped",
                           status="skipped")
        return
    try:
        st = path.stat()
    except OSError as exc:
        if path.is_symlink():
            looped = exc.errno == errno.ELOOP
            yield InputProblem(origin, "symbolic link loop" if looped else "broken symbolic link")
        else:
            yield InputProblem(origin, f"cannot read file: {_reason(exc)}")
        return
    if not stat.S_ISREG(st.st_mode):
        yield InputProblem(origin, "not a regular file (a pipe, socket or device); skipped", status="skipped")
        return
    if jsonl:
        yield from _read_jsonl(path, origin, fallback, check_english)
    else:
        yield from _read_text_file(path, origin, fallback, check_english)


# Decoding --------------------------------------------------------------------------------------


def _utf16_without_bom(raw: bytes) -> Optional[str]:
    """The codec of ``raw`` when it is UTF-16 without a byte-order mark (mostly ASCII or Latin
    text: one byte of each pair is NUL), else None."""
    if len(raw) < 2 or len(raw) % 2:
        return None
    sample = raw[:SNIFF_BYTES]
    pairs = len(sample) // 2
    even_nul = sum(1 for i in range(0, 2 * pairs, 2) if sample[i] == 0)
    odd_nul = sum(1 for i in range(1, 2 * pairs, 2) if sample[i] == 0)
    if odd_nul >= 0.6 * pairs and even_nul == 0:
        return "utf-16-le"
    if even_nul >= 0.6 * pairs and odd_nul == 0:
        return "utf-16-be"
    return None


def decode_bytes(raw: bytes, fallback: Optional[str] = FALLBACK_ENCODING) -> tuple[str, Optional[str]]:
    """Decode ``raw``: a UTF-32/UTF-16/UTF-8 byte-order mark is honoured, else UTF-8, else
    UTF-16 without a byte-order mark when the bytes clearly are, else ``fallback``.

    Returns the text and a warning saying which encoding was used when it was not UTF-8.
    Raises ``_Undecodable`` (a ``ValueError``) with the reason when the bytes are binary or
    cannot be decoded.
    """
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError as exc:
                if codec != "utf-8-sig":
                    raise _Undecodable(f"not valid {codec.upper()} despite its byte-order mark "
                                       f"(byte {exc.start})") from None
                break  # a UTF-8 mark on bytes that are not UTF-8: try the fallback below
            if "\x00" in text:
                raise _Undecodable("binary file (contains NUL characters)")
            return text, None if codec == "utf-8-sig" else f"decoded as {codec.upper()} (byte-order mark)"
    if b"\x00" in raw:
        codec = _utf16_without_bom(raw)
        if codec:
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError:
                text = None
            if text is not None and "\x00" not in text:
                return text, f"no byte-order mark; decoded as {codec.upper()}"
        raise _Undecodable("binary file (contains NUL bytes)")
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        if not fallback:
            raise _Undecodable(f"not valid UTF-8 (byte {exc.start}) and no fallback encoding") from None
        text = raw.decode(fallback, errors="replace")
        return text, f"not valid UTF-8 (byte {exc.start}); decoded as {fallback}"


def _read_text_file(path: Path, origin: str, fallback: Optional[str],
                    check_english: bool) -> Iterator[Union[Document, InputProblem]]:
    doc_id = _file_id(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        yield InputProblem(origin, f"cannot read file: {_reason(exc)}", doc_id=doc_id)
        return
    if not raw.strip():
        yield InputProblem(origin, "empty file" if not raw else "empty file (only whitespace)", doc_id=doc_id)
        return
    try:
        text, warning = decode_bytes(raw, fallback)
    except _Undecodable as exc:
        yield InputProblem(origin, str(exc), doc_id=doc_id)
        return
    if warning:
        yield InputProblem(origin, warning, status="warning", doc_id=doc_id)
    yield from _document(doc_id, text, origin, check_english)


def _document(doc_id: str, text: str, origin: str, check_english: bool,
              **fields) -> Iterator[Union[Document, InputProblem]]:
    """The document (or the reason there is none), after any warnings about it."""
    document = make_document(doc_id, text, origin, **fields)
    if isinstance(document, Document):
        document, repaired = _repair_surrogates(document)
        if repaired:
            yield InputProblem(origin, f"{repaired} lone surrogate(s) (invalid UTF-16 escapes) replaced by U+FFFD",
                               status="warning", doc_id=doc_id)
        if check_english:
            note = english_note(document.text)
            if note:
                yield InputProblem(origin, note, status="warning", doc_id=doc_id)
    yield document


def make_document(doc_id: str, text: str, origin: str, *, title=None, url=None,
                  published: Union[date, str, None] = None, publisher=None) -> Union[Document, InputProblem]:
    """A ``Document``, or the reason it cannot be one. ``published`` may be a date or a date
    phrase ("2025-04-02", "Tue, 1 Apr 2025"); without it the text's dateline counts."""
    if not text.strip():
        return InputProblem(origin, "empty document (no text)", doc_id=doc_id)
    if "\x00" in text:
        return InputProblem(origin, "binary content (contains NUL characters)", doc_id=doc_id)
    if isinstance(published, str):
        phrase = published
        published = parse_date_phrase(phrase)
        if published is None:
            return InputProblem(origin, f"not a date: {printable(phrase, 60)!r}", doc_id=doc_id)
    if published is None:
        dateline = find_dateline(text)
        published = dateline.published if dateline else None
    return Document(id=doc_id, text=text, origin=origin, title=title, url=url,
                    published=published, publisher=publisher)


def _repair_surrogates(document: Document) -> tuple[Document, int]:
    """Lone surrogates (from JSON ``"\\ud800"``) cannot be encoded, so no tool downstream can
    take them: each becomes U+FFFD, one character for one, so text offsets stay valid."""
    count = 0
    changes = {}
    for name in ("text", "title", "url", "publisher"):
        value = getattr(document, name)
        if value and _SURROGATE.search(value):
            new, n = _SURROGATE.subn("\ufffd", value)
            changes[name] = new
            count += n
    return (replace(document, **changes), count) if changes else (document, 0)


def english_note(text: str) -> Optional[str]:
    """A note when ``text`` does not look like English (few of its words are common English
    function words), else None. Cheap: no language model."""
    words = _WORD.findall(text[:20_000].casefold())
    if len(words) < ENGLISH_MIN_WORDS:
        return None
    share = sum(1 for w in words if w in _ENGLISH_WORDS) / len(words)
    if share >= ENGLISH_MIN_SHARE:
        return None
    letters = "".join(words)
    ascii_share = sum(1 for c in letters if c.isascii()) / max(1, len(letters))
    what = "non-Latin script" if ascii_share < 0.5 else f"{share:.0%} common English words"
    return f"does not look like English ({what}); processed anyway, expect few or no claims"


def _published_field(value: str) -> Optional[date]:
    """A record's ``published``: an ISO date or date-time, else a date in a human format
    ("Tue, 14 Mar 2023 10:00:00 GMT"), else None (and the text's dateline is used)."""
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return parse_date_phrase(value)


# JSON Lines ------------------------------------------------------------------------------------


def _open_binary(path: Path):
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")


def _read_jsonl(path: Path, origin: str, fallback: Optional[str],
                check_english: bool) -> Iterator[Union[Document, InputProblem]]:
    records = 0
    try:
        with _open_binary(path) as handle:
            head = handle.read(SNIFF_BYTES)
        wide = None
        if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
            wide = "utf-32"
        elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            wide = "utf-16"
        elif b"\x00" in head:
            wide = _utf16_without_bom(head if len(head) % 2 == 0 else head[:-1])
            if wide is None:
                yield InputProblem(origin, "binary file (contains NUL bytes)")
                return
        if wide:
            yield InputProblem(origin, f"decoded as {wide.upper()}", status="warning")
        with _open_binary(path) as handle:
            lines = _wide_lines(handle, wide) if wide else handle
            for number, raw in enumerate(lines, start=1):  # streamed, never held whole
                line_origin = f"{origin}:{number}"
                if not raw.strip():
                    continue
                records += 1
                if isinstance(raw, bytes):
                    try:
                        line, warning = decode_bytes(raw, fallback)
                    except _Undecodable as exc:
                        yield InputProblem(line_origin, str(exc))
                        continue
                else:
                    line, warning = raw, None
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield InputProblem(line_origin, f"malformed JSON line: {exc.msg} (column {exc.colno})")
                    continue
                except RecursionError:
                    yield InputProblem(line_origin, "malformed JSON line: nested too deeply")
                    continue
                yield from _jsonl_record(record, line_origin, warning, check_english)
    except (OSError, EOFError, gzip.BadGzipFile, UnicodeDecodeError, ValueError) as exc:
        reason = _reason(exc) if isinstance(exc, OSError) else str(exc) or type(exc).__name__
        yield InputProblem(origin, f"cannot read file: {reason}"
                                   + (f" (after {records} record(s))" if records else ""))
        return
    if records == 0:
        yield InputProblem(origin, "empty file (no JSON records)")


def _wide_lines(handle, codec: str) -> Iterator[str]:
    yield from io.TextIOWrapper(handle, encoding=codec, errors="strict", newline="")


def _jsonl_record(record, origin: str, warning: Optional[str],
                  check_english: bool) -> Iterator[Union[Document, InputProblem]]:
    if not isinstance(record, dict):
        yield InputProblem(origin, f"JSON line is {_json_kind(record)}, not an object")
        return
    doc_id = record.get("id")
    if doc_id is None:
        yield InputProblem(origin, "record has no 'id'" if "id" not in record else "record's 'id' is null")
        return
    if isinstance(doc_id, bool) or not isinstance(doc_id, (str, int)):
        yield InputProblem(origin, f"record's 'id' is {_json_kind(doc_id)}, not a string or an integer")
        return
    doc_id = _clean_id(str(doc_id))
    if not doc_id.strip():
        yield InputProblem(origin, "record's 'id' is empty")
        return
    origin = f"{origin} (id {_show_id(doc_id)})"
    if warning:
        yield InputProblem(origin, warning, status="warning", doc_id=doc_id)
    text = record.get("text")
    if text is None:
        yield InputProblem(origin, "record has no 'text'" if "text" not in record else "record's 'text' is null",
                           doc_id=doc_id)
        return
    if not isinstance(text, str):
        yield InputProblem(origin, f"record's 'text' is {_json_kind(text)}, not a string", doc_id=doc_id)
        return
    fields = {}
    for name in ("title", "url", "publisher"):
        value = record.get(name)
        fields[name] = value.strip() or None if isinstance(value, str) else None
    published = record.get("published")
    fields["published"] = _published_field(published) if isinstance(published, str) else None
    yield from _document(doc_id, text, origin, check_english, **fields)


def _json_kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    return {int: "an integer", float: "a number", str: "a string", list: "an array",
            dict: "an object"}.get(type(value), type(value).__name__)


def nlp_text(document: Document) -> str:
    """The text the NLP stage reads: the document with its dateline blanked out, so that the
    publication date is not read as a date in the news.

    Blanking (not cutting) keeps every character offset valid in the original text.
    """
    dateline = find_dateline(document.text)
    if not dateline:
        return document.text
    text = document.text
    return text[:dateline.start] + " " * (dateline.end - dateline.start) + text[dateline.end:]
