"""Evaluate extraction against gold attributions (``data/gold/README.md`` gives the rule).

Per document, a predicted (claimant, kind, target) matches a gold one when the kind is
equal and both names match the gold actor's canonical name or one of its aliases
(case-insensitively). Each gold tuple is matched at most once. Date accuracy is the share
of matched tuples whose ``said_on`` equals the gold one (both empty counts as equal).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from .model import ResolvedDocument
from .vocab import CLAIM_KINDS


def _norm(name: str) -> str:
    name = " ".join(name.replace("’", "'").split()).casefold()
    return name[4:] if name.startswith("the ") else name


@dataclass
class Score:
    tp: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    by_kind: dict[str, Score] = field(default_factory=lambda: {k: Score() for k in CLAIM_KINDS})
    overall: Score = field(default_factory=Score)
    dates_correct: int = 0
    dates_total: int = 0
    errors: list[dict] = field(default_factory=list)  # false positives and misses, for reading

    @property
    def date_accuracy(self) -> float:
        return self.dates_correct / self.dates_total if self.dates_total else 0.0

    def as_rows(self) -> list[dict]:
        rows = []
        for name, score in [*self.by_kind.items(), ("overall", self.overall)]:
            rows.append({"kind": name, "gold": score.gold, "predicted": score.predicted, "correct": score.tp,
                         "precision": round(score.precision, 3), "recall": round(score.recall, 3),
                         "f1": round(score.f1, 3)})
        return rows


def load_gold(path: str | Path) -> dict[str, dict]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {doc["id"]: doc for doc in data["documents"]}


def predicted_tuples(resolved: ResolvedDocument) -> dict[tuple[str, str, str], set]:
    """(claimant label, kind, target label) -> the said_on dates predicted for it."""
    labels = {a.key: a.label for a in resolved.actors}
    found: dict[tuple[str, str, str], set] = defaultdict(set)
    for claim in resolved.claims:
        for target in claim.targets:
            found[(labels[claim.claimant], claim.kind, labels[target])].add(claim.said_on)
    return found


def evaluate(resolved_docs: Iterable[ResolvedDocument], gold: dict[str, dict]) -> Evaluation:
    result = Evaluation()
    predicted_by_doc = {r.document.id: predicted_tuples(r) for r in resolved_docs}
    for doc_id, gold_doc in sorted(gold.items()):
        names = {}
        for actor in gold_doc["actors"]:
            names[actor["name"]] = {_norm(actor["name"])} | {_norm(a) for a in actor.get("aliases", [])}
        gold_tuples: dict[tuple[str, str, str], set] = defaultdict(set)
        for attribution in gold_doc["attributions"]:
            key = (attribution["claimant"], attribution["kind"], attribution["target"])
            gold_tuples[key].add(attribution.get("said_on"))
        predicted = predicted_by_doc.get(doc_id, {})
        unmatched_gold = dict(gold_tuples)
        for (claimant, kind, target), dates in sorted(predicted.items()):
            result.overall.predicted += 1
            result.by_kind[kind].predicted += 1
            match = next((g for g in unmatched_gold if g[1] == kind
                          and _norm(claimant) in names.get(g[0], {_norm(g[0])})
                          and _norm(target) in names.get(g[2], {_norm(g[2])})), None)
            if match is None:
                result.errors.append({"document": doc_id, "error": "false positive",
                                      "claimant": claimant, "kind": kind, "target": target})
                continue
            gold_dates = unmatched_gold.pop(match)
            result.overall.tp += 1
            result.by_kind[kind].tp += 1
            result.dates_total += 1
            predicted_date = next(iter(sorted(dates, key=lambda d: d is None)))
            predicted_iso = predicted_date.isoformat() if predicted_date else None
            if predicted_iso in gold_dates:
                result.dates_correct += 1
            else:
                result.errors.append({"document": doc_id, "error": "wrong date", "claimant": claimant,
                                      "kind": kind, "target": target, "predicted": predicted_iso,
                                      "gold": sorted(d or "null" for d in gold_dates)})
        for (claimant, kind, target) in gold_tuples:
            result.overall.gold += 1
            result.by_kind[kind].gold += 1
        for (claimant, kind, target) in sorted(unmatched_gold):
            result.errors.append({"document": doc_id, "error": "missed", "claimant": claimant,
                                  "kind": kind, "target": target})
    return result
