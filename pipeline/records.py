"""One build's per-document records on disk, so that the build process never holds the texts,
extraction records or manifest entries of the whole corpus: inputs as they are read, documents
waiting for NLP, extractions as they finish and manifest entries as documents are rendered go
to an SQLite file in OUTDIR; the stages after them read them back one at a time.

It is working state, not output: a build starts it empty and removes it when it ends (a
killed build's file is replaced by the next build's). The extraction cache (OUTDIR/.evkg-cache/
extract/) stays what makes re-runs incremental.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

from .model import Document, Extraction

RECORDS_NAME = "records.sqlite"

# Document ids are keys as BLOBs of their UTF-8 (lone surrogates passed through, as a file name
# may give them): SQLite orders BLOBs byte by byte, which is the code-point order of Python's
# sorted(), so "ORDER BY id" is the build's id order.
_SCHEMA = """
CREATE TABLE input (id BLOB PRIMARY KEY, origin BLOB NOT NULL, cache_key TEXT NOT NULL);
CREATE INDEX input_cache_key ON input (cache_key);
CREATE TABLE waiting (n INTEGER PRIMARY KEY, id BLOB NOT NULL, record TEXT NOT NULL);
CREATE TABLE extraction (id BLOB PRIMARY KEY, record TEXT NOT NULL);
CREATE TABLE entry (id BLOB PRIMARY KEY, file TEXT NOT NULL, changed INTEGER NOT NULL, record TEXT NOT NULL);
CREATE INDEX entry_file ON entry (file);
"""


def _encode(data) -> str:
    # ASCII escapes: SQLite stores UTF-8, which a lone surrogate in a text could not be
    return json.dumps(data)


def _key(text: str) -> bytes:
    """An id or origin as a BLOB (SQLite text could not hold a lone surrogate)."""
    return text.encode("utf-8", "surrogatepass")


def _id(key: bytes) -> str:
    return key.decode("utf-8", "surrogatepass")


class RecordStore:
    """Inputs, documents waiting for NLP, extractions and manifest entries by document id, in
    ``path`` (removed by ``close``)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for stale in (self.path, self.path.with_name(self.path.name + "-journal")):
            stale.unlink(missing_ok=True)
        self.db = sqlite3.connect(self.path)
        with self._disk_errors():
            # working state a crash may lose: the next build starts it anew
            self.db.execute("PRAGMA journal_mode = OFF")
            self.db.execute("PRAGMA synchronous = OFF")
            self.db.executescript(_SCHEMA)
        self.waiting_count = 0

    def _write(self, sql: str, values: tuple) -> None:
        with self._disk_errors():
            self.db.execute(sql, values)

    @contextmanager
    def _disk_errors(self):
        """A full disk is the OSError it is for any other file (the build names the file and the
        stage), not an SQLite error."""
        try:
            yield
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.path)) from exc
            raise

    # inputs: what the build keeps of every document read (where from, its cache entry)

    def put_input(self, doc_id: str, origin: str, cache_key: str) -> None:
        self._write("INSERT OR REPLACE INTO input VALUES (?, ?, ?)", (_key(doc_id), _key(origin), cache_key))

    def origin(self, doc_id: str) -> str:
        (origin,), = self.db.execute("SELECT origin FROM input WHERE id = ?", (_key(doc_id),))
        return _id(origin)

    def cache_key(self, doc_id: str) -> str:
        (key,), = self.db.execute("SELECT cache_key FROM input WHERE id = ?", (_key(doc_id),))
        return key

    def has_inputs(self) -> bool:
        return self.db.execute("SELECT 1 FROM input LIMIT 1").fetchone() is not None

    def has_cache_key(self, cache_key: str) -> bool:
        return self.db.execute("SELECT 1 FROM input WHERE cache_key = ? LIMIT 1", (cache_key,)).fetchone() is not None

    # documents waiting for NLP, numbered 0, 1, ... in the order they were put

    def put_waiting(self, document: Document) -> int:
        """Keep ``document`` until its batch is handed to a worker; its number."""
        number = self.waiting_count
        self._write("INSERT INTO waiting VALUES (?, ?, ?)", (number, _key(document.id), _encode(document.to_json())))
        self.waiting_count += 1
        return number

    def waiting(self, number: int) -> Document:
        (record,), = self.db.execute("SELECT record FROM waiting WHERE n = ?", (number,))
        return Document.from_json(json.loads(record))

    def waiting_id(self, number: int) -> str:
        (key,), = self.db.execute("SELECT id FROM waiting WHERE n = ?", (number,))
        return _id(key)

    # extractions

    def put_extraction(self, extraction: Extraction, data: Optional[dict] = None) -> None:
        """``data``: ``extraction.to_json()``, when the caller has it already."""
        self._write("INSERT OR REPLACE INTO extraction VALUES (?, ?)",
                    (_key(extraction.document.id), _encode(extraction.to_json() if data is None else data)))

    def extractions(self) -> Iterator[Extraction]:
        """Every extraction in id order, one at a time."""
        for (record,) in self.db.execute("SELECT record FROM extraction ORDER BY id"):
            yield Extraction.from_json(json.loads(record))

    # manifest entries of the documents built, and whether each was rendered anew

    def put_entry(self, entry: dict) -> None:
        """A document's manifest entry, with ``reused``: whether its outputs are the last build's."""
        self._write("INSERT OR REPLACE INTO entry VALUES (?, ?, ?, ?)",
                        (_key(entry["id"]), entry["file"], int(not entry["reused"]), _encode(entry)))

    def entries(self, changed: Optional[bool] = None) -> Iterator[dict]:
        """The manifest entries in id order (only those rendered anew, or only those reused)."""
        where = "" if changed is None else f"WHERE changed = {int(changed)} "
        for (record,) in self.db.execute(f"SELECT record FROM entry {where}ORDER BY id"):
            yield json.loads(record)

    def has_file(self, file_name: str) -> bool:
        return self.db.execute("SELECT 1 FROM entry WHERE file = ? LIMIT 1", (file_name,)).fetchone() is not None

    def close(self) -> None:
        self.db.close()
        self.path.unlink(missing_ok=True)
