"""Batches of work and failure isolation, whatever executor runs them (pipeline.executors).

A batch task's result never depends on which process or machine ran it, so the build's
output is byte-identical whatever runs the batches.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Optional, Sequence, TypeVar

Item = TypeVar("Item")

# spaCy's memory grows with the characters it parses at once (about 4 KB per character with
# en_core_web_sm), so a batch is bounded in characters and a longer text is parsed in pieces
# cut at paragraph boundaries (pipeline.nlp.parse_texts): the memory of a worker depends
# neither on the size of the corpus nor on its longest article. 40,000 characters (about
# 160 MB at once) keep a worker well under 1 GB; batches of 10,000 gave spaCy so few texts per
# call that its per-call cost took a tenth of the build's NLP time.
NLP_BATCH_DOCS = 64
NLP_BATCH_CHARS = 40_000


def plan_batches(sizes: Sequence[int], max_items: Optional[int] = None,
                 max_size: Optional[int] = None) -> list[list[int]]:
    """Indices grouped into batches of at most ``max_items`` items and ``max_size`` total size
    (default: NLP_BATCH_DOCS, NLP_BATCH_CHARS; an item bigger than that is a batch of its own),
    biggest items first: workers take the longest batches first and finish together.
    The plan depends only on ``sizes``."""
    max_items = max_items or NLP_BATCH_DOCS
    max_size = max_size or NLP_BATCH_CHARS
    order = sorted(range(len(sizes)), key=lambda i: (-sizes[i], i))
    batches: list[list[int]] = []
    current: list[int] = []
    total = 0
    for i in order:
        if current and (len(current) >= max_items or total + sizes[i] > max_size):
            batches.append(current)
            current, total = [], 0
        current.append(i)
        total += sizes[i]
    if current:
        batches.append(current)
    return batches


@dataclass(frozen=True)
class ItemFailed:
    """What comes back instead of an item's result when the stage raised on that item."""

    reason: str
    detail: str = ""  # the traceback (shown with --debug)


def isolate_failures(run_batch: Callable[[Sequence[Item]], tuple[list, dict]], items: Sequence[Item],
                     fatal: tuple[type[BaseException], ...] = ()) -> tuple[list, dict]:
    """``run_batch(items)`` -> (one result per item, seconds per stage), except that an item
    that makes it raise comes back as ``ItemFailed`` instead of failing the batch: the batch is
    redone one item at a time to tell which. An exception of a ``fatal`` type (a missing
    model, a full disk) still stops the build."""
    try:
        return run_batch(items)
    except fatal:
        raise
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the batch
        if len(items) == 1:
            import traceback

            from .ingest import printable

            return [ItemFailed(printable(f"{type(exc).__name__}: {exc}", limit=300), traceback.format_exc())], {}
    results: list = []
    seconds: dict = defaultdict(float)
    for item in items:
        (result,), more = isolate_failures(run_batch, [item], fatal)
        results.append(result)
        for stage, value in more.items():
            seconds[stage] += value
    return results, dict(seconds)
