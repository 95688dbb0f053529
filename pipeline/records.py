"""One build's per-document records on disk, so that the build process never holds the texts
or extraction records of the whole corpus: documents waiting for NLP, and extractions as they
finish, go to an SQLite file in OUTDIR; the stages after them read them back one at a time.

It is working state, not output: a build starts it empty and removes it when it ends (a
killed build's file is replaced by the next build's). The extraction cache (OUTDIR/.evkg-cache/
extract/) stays what makes re-runs incremental.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Iterable, Iterator, Optional

from .model import Document, Extraction

RECORDS_NAME = "records.sqlite"

_SCHEMA = """
CREATE TABLE document (id TEXT PRIMARY KEY, record TEXT NOT NULL);
CREATE TABLE extraction (id TEXT PRIMARY KEY, record TEXT NOT NULL);
"""


def _encode(data: dict) -> str:
    # ASCII escapes: SQLite stores UTF-8, which a lone surrogate in a text could not be
    return json.dumps(data)


class RecordStore:
    """Documents and extractions by document id, in ``path`` (removed by ``close``)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for stale in (self.path, self.path.with_name(self.path.name + "-journal")):
            stale.unlink(missing_ok=True)
        self.db = sqlite3.connect(self.path)
        # working state a crash may lose: the next build starts it anew
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.executescript(_SCHEMA)

    def put_document(self, document: Document) -> None:
        self.db.execute("INSERT OR REPLACE INTO document VALUES (?, ?)", (document.id, _encode(document.to_json())))

    def document(self, doc_id: str) -> Document:
        (record,), = self.db.execute("SELECT record FROM document WHERE id = ?", (doc_id,))
        return Document.from_json(json.loads(record))

    def put_extraction(self, extraction: Extraction, data: Optional[dict] = None) -> None:
        """``data``: ``extraction.to_json()``, when the caller has it already."""
        self.db.execute("INSERT OR REPLACE INTO extraction VALUES (?, ?)",
                        (extraction.document.id, _encode(extraction.to_json() if data is None else data)))

    def extractions(self, doc_ids: Iterable[str]) -> Iterator[Extraction]:
        """The extractions of ``doc_ids``, in that order, one at a time."""
        for doc_id in doc_ids:
            (record,), = self.db.execute("SELECT record FROM extraction WHERE id = ?", (doc_id,))
            yield Extraction.from_json(json.loads(record))

    def close(self) -> None:
        self.db.close()
        self.path.unlink(missing_ok=True)
