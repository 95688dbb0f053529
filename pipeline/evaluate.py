"""Evaluate extraction against gold attributions (``data/gold/README.md`` gives the rule).

A gold *set* is a gold file and the folder holding its documents' texts; a registry
(``data/gold/sets.json``) names the sets, so ``evkg eval`` scores each of them.

Per document, a predicted (claimant, kind, target) matches a gold one when the kind is
equal and both names match the gold actor's canonical name or one of its aliases
(case-insensitively). Each gold tuple is matched at most once. Date accuracy is the share
of matched tuples whose ``said_on`` equals the gold one (both empty counts as equal).
"""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

from .model import ResolvedDocument
from .query import QueryResult, format_result
from .vocab import CLAIM_KINDS


def _norm(name: str) -> str:
    name = " ".join(name.replace("’", "'").split()).casefold()
    return name[4:] if name.startswith("the ") else name


@dataclass
class Score:
    tp: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, other: "Score") -> None:
        self.tp += other.tp
        self.predicted += other.predicted
        self.gold += other.gold

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


class GoldError(ValueError):
    """A gold file or set registry that cannot be used; the message names the file and why."""


def load_gold(path: str | Path) -> dict[str, dict]:
    """The gold documents of ``path`` by id, checked well enough that scoring cannot fail on them."""
    data = _read_json(path)
    documents = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(documents, list):
        raise GoldError(f"{path}: not a gold file (expected an object with a 'documents' list)")
    gold: dict[str, dict] = {}
    for number, doc in enumerate(documents, start=1):
        where = f"{path}: document {number}"
        if not isinstance(doc, dict) or not isinstance(doc.get("id"), str) or not doc["id"]:
            raise GoldError(f"{where}: no 'id'")
        where = f"{path}: document {doc['id']!r}"
        if doc["id"] in gold:
            raise GoldError(f"{where}: duplicate id")
        actors, attributions = doc.get("actors", []), doc.get("attributions")
        if not isinstance(actors, list) or not all(isinstance(a, dict) and isinstance(a.get("name"), str)
                                                   and isinstance(a.get("aliases", []), list) for a in actors):
            raise GoldError(f"{where}: 'actors' must be a list of objects with a 'name' and 'aliases'")
        if not isinstance(attributions, list):
            raise GoldError(f"{where}: no 'attributions' list")
        for attribution in attributions:
            if not isinstance(attribution, dict) or not all(
                    isinstance(attribution.get(k), str) for k in ("claimant", "kind", "target")):
                raise GoldError(f"{where}: an attribution without 'claimant', 'kind' and 'target'")
            if attribution["kind"] not in CLAIM_KINDS:
                raise GoldError(f"{where}: unknown kind {attribution['kind']!r} "
                                f"(expected one of {', '.join(CLAIM_KINDS)})")
        gold[doc["id"]] = doc
    return gold


def _read_json(path: str | Path):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise GoldError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise GoldError(f"{path}: not UTF-8 (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise GoldError(f"{path}: malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None


# Gold sets --------------------------------------------------------------------------------------

_SET_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")


@dataclass(frozen=True)
class GoldSet:
    """A gold file and where its documents' texts are: each gold document's ``file`` in the
    ``texts`` folder, or else the explicit ``inputs`` (files or folders, read whole)."""

    name: str
    gold: Path
    texts: Optional[Path] = None
    inputs: tuple[Path, ...] = ()


def load_sets(registry: str | Path) -> list[GoldSet]:
    """The gold sets a registry names (``{"sets": [{"name", "gold", "texts"}, ...]}``, paths
    relative to the registry's folder), in its order."""
    registry = Path(registry)
    data = _read_json(registry)
    entries = data.get("sets") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise GoldError(f"{registry}: not a set registry (expected an object with a non-empty 'sets' list)")
    sets: list[GoldSet] = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in ("name", "gold", "texts")):
            raise GoldError(f"{registry}: set {number}: needs string fields 'name', 'gold' and 'texts'")
        if not _SET_NAME.fullmatch(entry["name"]):
            raise GoldError(f"{registry}: set {number}: name {entry['name']!r} is not a lower-case word")
        if any(s.name == entry["name"] for s in sets):
            raise GoldError(f"{registry}: set {number}: duplicate name {entry['name']!r}")
        gold, texts = (Path(os.path.normpath(registry.parent / entry[k])) for k in ("gold", "texts"))
        sets.append(GoldSet(entry["name"], gold, texts=texts))
    return sets


def set_name(gold: Path) -> str:
    """The name of a set given by its gold file alone: ``seeds.gold.json`` -> ``seeds``."""
    name = gold.name
    for suffix in (".json", ".gold"):
        name = name.removesuffix(suffix)
    return name or gold.name


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


# Scoring sets -----------------------------------------------------------------------------------


@dataclass
class SetScore:
    """One set's evaluation, or ``None`` when its gold could not be used (the problem was reported)."""

    gold_set: GoldSet
    evaluation: Optional[Evaluation]
    documents: int = 0


def evaluate_sets(sets: Iterable[GoldSet], *, actor_files: tuple[str, ...] = (), jobs: int = 1,
                  on_problem: Callable[[str], None] = lambda message: None) -> list[SetScore]:
    """Extract each set's documents and score them against its gold.

    A set whose gold file is unusable, or a gold document whose text is missing, is reported
    through ``on_problem`` (one line naming the file) and left out; the other sets go on.
    """
    from .build import resolve_inputs

    scores = []
    for gold_set in sets:
        try:
            gold = load_gold(gold_set.gold)
        except GoldError as exc:
            on_problem(str(exc))
            scores.append(SetScore(gold_set, None))
            continue
        inputs = list(gold_set.inputs)
        if gold_set.texts is not None:
            for doc_id, doc in list(gold.items()):
                text = gold_set.texts / doc.get("file", f"{doc_id}.txt")
                if text.is_file():
                    inputs.append(text)
                else:
                    on_problem(f"{text}: text of gold document {doc_id!r} ({gold_set.gold}) not found; not scored")
                    del gold[doc_id]
        resolved = resolve_inputs(inputs, jobs=jobs, actor_files=actor_files,
                                  on_problem=lambda problem: on_problem(str(problem))) if inputs else []
        scores.append(SetScore(gold_set, evaluate(resolved, gold), documents=len(gold)))
    return scores


def combined(evaluations: Iterable[Evaluation]) -> Evaluation:
    """The evaluation of all the sets together (counts summed, so each claim weighs the same)."""
    total = Evaluation()
    for evaluation in evaluations:
        for kind, score in evaluation.by_kind.items():
            total.by_kind[kind].add(score)
        total.overall.add(evaluation.overall)
        total.dates_correct += evaluation.dates_correct
        total.dates_total += evaluation.dates_total
    return total


def format_scores(scores: list[SetScore], fmt: str = "table", with_errors: bool = False) -> str:
    """Each scored set's table (per kind and overall) and date accuracy, then the overall line
    over all of them; ``with_errors`` adds each set's false positives, misses and wrong dates."""
    scored = [s for s in scores if s.evaluation is not None]
    total = combined(s.evaluation for s in scored)
    documents = sum(s.documents for s in scored)
    if fmt == "json":
        return json.dumps({
            "sets": [{"name": s.gold_set.name, "gold_file": str(s.gold_set.gold), "documents": s.documents,
                      "scores": s.evaluation.as_rows(), "date_accuracy": round(s.evaluation.date_accuracy, 3),
                      **({"errors": s.evaluation.errors} if with_errors else {})} for s in scored],
            "overall": {"sets": len(scored), "documents": documents,
                        **{k: v for k, v in total.as_rows()[-1].items() if k != "kind"},
                        "date_accuracy": round(total.date_accuracy, 3)},
        }, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        columns = ["set", *Evaluation().as_rows()[0], "date_accuracy"]
        rows = []
        for name, evaluation in [*((s.gold_set.name, s.evaluation) for s in scored), ("all", total)]:
            kind_rows = evaluation.as_rows() if name != "all" else evaluation.as_rows()[-1:]
            rows += [{"set": name, **row} for row in kind_rows]
            rows[-1]["date_accuracy"] = round(evaluation.date_accuracy, 3)
        text = format_result(QueryResult(columns, rows), "csv")
        if with_errors:
            errors = [{"set": s.gold_set.name, **{k: " ".join(v) if isinstance(v, list) else v for k, v in e.items()}}
                      for s in scored for e in s.evaluation.errors]
            text += "\n" + format_result(QueryResult(
                ["set", "document", "error", "claimant", "kind", "target", "predicted", "gold"], errors), "csv")
        return text
    parts = []
    for s in scored:
        evaluation = s.evaluation
        texts = s.gold_set.texts or ", ".join(map(str, s.gold_set.inputs))
        lines = [f"{s.gold_set.name}: {s.documents} document(s) (gold {s.gold_set.gold}, texts {texts})",
                 format_result(QueryResult(list(evaluation.as_rows()[0]), evaluation.as_rows()), "table").rstrip("\n"),
                 f"date accuracy: {evaluation.date_accuracy:.3f} "
                 f"({evaluation.dates_correct}/{evaluation.dates_total} matched claims)"]
        if with_errors:
            lines += [" ".join(f"{k}={v}" for k, v in error.items()) for error in evaluation.errors]
        parts.append("\n".join(lines))
    overall = total.overall
    parts.append(f"overall: {len(scored)} set(s), {documents} document(s): gold {overall.gold}, "
                 f"predicted {overall.predicted}, correct {overall.tp}, precision {overall.precision:.3f}, "
                 f"recall {overall.recall:.3f}, F1 {overall.f1:.3f}, date accuracy {total.date_accuracy:.3f} "
                 f"({total.dates_correct}/{total.dates_total})")
    return "\n\n".join(parts) + "\n"
