#!/usr/bin/env python3
"""Benchmark: evkg build against bare spaCy on the same texts (GitHub issue #5).

For each N (first N articles of a JSONL file) and each number of processes J it runs, each in
a fresh process so that peak RSS is per run:

* bare spaCy: ``spacy.load("en_core_web_sm")`` and ``nlp.pipe(texts, batch_size=B, n_process=J)``;
* ``evkg build SUBSET -o OUT --jobs J --no-progress --timings FILE`` into an empty OUTDIR;
* ``evkg build`` again into the same OUTDIR, input unchanged (incremental re-run);
* ``evkg build`` again with one article changed (re-extracts only that article);

and prints words/s of each, their ratio, peak RSS, the share of build time per stage, and the
latency of every canned query on the result (pyoxigraph, loaded once, median of R runs). It
checks that the outputs of every J are byte-identical. Results go to bench/results/ as JSON.

    .venv/bin/python bench/bench.py                      # N = 250, 1000, all; J = 1, 2
    .venv/bin/python bench/bench.py --n 250 --jobs 1     # a quick run

Wall times include interpreter start-up and model loading for both sides. The machine should
be otherwise idle: with other processes on the cores, --jobs 2 cannot show its speed-up.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INPUT = ROOT.parent / "shared" / "corpus" / "wikinews_en.jsonl.gz"
DEFAULT_OUT = ROOT / "bench" / "results"
MODEL = "en_core_web_sm"

# The build's stages (BuildReport.stage_seconds) grouped as the issue reports them.
STAGE_GROUPS = {
    "NLP": ("load", "nlp"),
    "extraction": ("extract",),
    "RDF": ("rdf",),
    "validation": ("validate",),
    "writing": ("write", "assemble", "cache", "store"),
    "other": ("ingest", "resolve", "reuse"),
}


# Child processes ------------------------------------------------------------------------


def child_measure(result_path: str, command: list[str]) -> int:
    """Run ``command``; write its wall time, CPU time and peak RSS (largest process of its tree)."""
    start = time.perf_counter()
    completed = subprocess.run(command)
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    Path(result_path).write_text(json.dumps({
        "returncode": completed.returncode, "wall_seconds": wall,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": usage.ru_maxrss / 1024,  # kB on Linux
    }))
    return 0


def child_spacy(subset: str, jobs: int, batch_size: int, result_path: str) -> int:
    """Bare spaCy over the texts of ``subset``."""
    import warnings

    warnings.filterwarnings("ignore", message=r".*\[W095\].*")  # as pipeline/nlp.py does
    start = time.perf_counter()
    import spacy

    texts = [record["text"] for record in _records(Path(subset))]
    nlp = spacy.load(MODEL)
    loaded = time.perf_counter()
    tokens = 0
    for doc in nlp.pipe(texts, batch_size=batch_size, n_process=jobs):
        tokens += len(doc)
    done = time.perf_counter()
    Path(result_path).write_text(json.dumps({
        "load_seconds": loaded - start, "pipe_seconds": done - loaded, "tokens": tokens,
        "spacy": spacy.__version__, "model": nlp.meta.get("version"),
    }))
    return 0


# Helpers ----------------------------------------------------------------------------------


def _open(path: Path):
    return gzip.open(path, "rt", encoding="utf-8") if path.name.endswith(".gz") else open(path, encoding="utf-8")


def _records(path: Path):
    with _open(path) as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def write_subset(source: Path, n: int | None, target: Path) -> tuple[int, int]:
    """The first ``n`` records of ``source`` (all when None) as JSONL; (articles, words)."""
    articles = words = 0
    with target.open("w", encoding="utf-8") as out:
        for record in _records(source):
            if n is not None and articles >= n:
                break
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            articles += 1
            words += len(str(record.get("text") or "").split())
    return articles, words


def change_one(subset: Path, target: Path) -> str:
    """``subset`` with the text of its middle article changed; returns that article's id."""
    records = list(_records(subset))
    record = records[len(records) // 2]
    record["text"] = record["text"] + "\n\nThis article was updated."
    with target.open("w", encoding="utf-8") as out:
        for r in records:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
    return str(record["id"])


def measure(command: list[str], workdir: Path, label: str) -> dict:
    """Run ``command`` in a fresh measuring process; its stdout/stderr go to a log file."""
    result = workdir / f"{label}.measure.json"
    log = workdir / f"{label}.log"
    with log.open("w") as handle:
        subprocess.run([sys.executable, __file__, "--_measure", str(result), "--", *command],
                       stdout=handle, stderr=subprocess.STDOUT, check=True, cwd=ROOT)
    data = json.loads(result.read_text())
    if data["returncode"] not in (0,):
        tail = log.read_text(errors="replace")[-2000:]
        raise SystemExit(f"bench: {label} failed (exit {data['returncode']}):\n{tail}")
    return data


def evkg_build(subset: Path, outdir: Path, jobs: int, workdir: Path, label: str) -> dict:
    timings = workdir / f"{label}.timings.json"
    run = measure([sys.executable, "-m", "pipeline", "build", str(subset), "-o", str(outdir),
                   "--jobs", str(jobs), "--no-progress", "--timings", str(timings)], workdir, label)
    run["timings"] = json.loads(timings.read_text())
    return run


def output_digest(outdir: Path) -> str:
    """One hash of every output file (not the cache, nor the store's database files, whose
    layout on disk varies from run to run: tests compare the store by its quads), to compare
    builds byte for byte."""
    digest = hashlib.sha256()
    for path in sorted(p for p in outdir.rglob("*") if p.is_file() and ".evkg-cache" not in p.parts
                       and p.relative_to(outdir).parts[0] != "store"):
        digest.update(path.relative_to(outdir).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def stage_shares(stage_seconds: dict) -> dict:
    total = sum(stage_seconds.values()) or 1.0
    return {group: sum(stage_seconds.get(s, 0.0) for s in stages) / total for group, stages in STAGE_GROUPS.items()}


def query_latency(outdir: Path, repeats: int) -> dict:
    """Median milliseconds of each canned query on OUTDIR/graph.trig, store loaded once."""
    sys.path.insert(0, str(ROOT))
    from pipeline.query import bind_params, list_queries, open_store, run_query

    start = time.perf_counter()
    store = open_store([outdir])
    load_ms = (time.perf_counter() - start) * 1000
    queries = list_queries()
    actor = _busiest_actor(store, queries, bind_params, run_query)
    results = {}
    for query in queries:
        params = {p.name: actor for p in query.params if p.required}
        text = bind_params(query, params)
        rows = len(run_query(text, store).rows)  # warm-up
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            run_query(text, store)
            times.append((time.perf_counter() - start) * 1000)
        results[query.name] = {"median_ms": statistics.median(times), "max_ms": max(times), "rows": rows,
                               "params": params}
    return {"load_ms": load_ms, "queries": results}


def _busiest_actor(store, queries, bind_params, run_query) -> str:
    """A value for claims-by-actor's required parameter: the actor with most claims."""
    actors = next((q for q in queries if q.name == "actors"), None)
    if actors is None:
        return "Vladimir Putin"
    rows = run_query(bind_params(actors, {}), store).rows
    if not rows:
        return "Vladimir Putin"
    best = max(rows, key=lambda r: (int(r.get("as_claimant") or 0) + int(r.get("as_target") or 0)))
    return str(best.get("actor"))


def _parse_list(values: list[str] | None, default: str) -> list[str]:
    items = []
    for value in values or [default]:
        items.extend(v.strip() for v in value.split(",") if v.strip())
    return items


# Main -----------------------------------------------------------------------------------


def run(args) -> dict:
    source = Path(args.input)
    if not source.exists():
        raise SystemExit(f"bench: {source}: no such file")
    sizes = [None if v.lower() == "all" else int(v) for v in _parse_list(args.n, "250,1000,all")]
    jobs_list = [int(v) for v in _parse_list(args.jobs, "1,2")]
    results = {
        "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "input": str(source), "cpus": os.cpu_count(), "python": platform.python_version(),
        "load_average_at_start": os.getloadavg(), "spacy_batch_size": args.batch_size,
        "runs": [],
    }
    scratch = Path(tempfile.mkdtemp(prefix="evkg-bench-"))
    try:
        for n in sizes:
            label_n = "all" if n is None else str(n)
            workdir = scratch / f"n{label_n}"
            workdir.mkdir()
            subset = workdir / "subset.jsonl"
            articles, words = write_subset(source, n, subset)
            changed = workdir / "changed.jsonl"
            changed_id = change_one(subset, changed)
            entry = {"n": label_n, "articles": articles, "words": words, "jobs": {}}
            digests = {}
            for jobs in jobs_list:
                print(f"[bench] N={label_n} ({articles} articles, {words:,} words), jobs={jobs} ...", file=sys.stderr)
                spacy_info = workdir / f"spacy-j{jobs}.json"
                bare = measure([sys.executable, __file__, "--_spacy", str(subset), str(jobs), str(args.batch_size),
                                str(spacy_info)], workdir, f"spacy-j{jobs}")
                bare.update(json.loads(spacy_info.read_text()))
                outdir = workdir / f"out-j{jobs}"
                first = evkg_build(subset, outdir, jobs, workdir, f"build-j{jobs}")
                digests[jobs] = output_digest(outdir)
                if jobs == jobs_list[0]:
                    entry["queries"] = query_latency(outdir, args.repeats)
                again = evkg_build(subset, outdir, jobs, workdir, f"rebuild-j{jobs}")
                one = evkg_build(changed, outdir, jobs, workdir, f"change-one-j{jobs}")
                entry["jobs"][str(jobs)] = {
                    "spacy": {**bare, "words_per_second": words / bare["wall_seconds"],
                              "pipe_words_per_second": words / bare["pipe_seconds"]},
                    "build": {**first, "words_per_second": words / first["wall_seconds"],
                              "stage_shares": stage_shares(first["timings"]["stage_seconds"])},
                    "rebuild_unchanged": {**again, "fraction_of_first": again["wall_seconds"] / first["wall_seconds"]},
                    "rebuild_one_changed": {**one, "changed_id": changed_id,
                                            "fraction_of_first": one["wall_seconds"] / first["wall_seconds"]},
                    "ratio_build_to_spacy": bare["wall_seconds"] / first["wall_seconds"],
                    "ratio_build_to_spacy_cpu": bare["cpu_seconds"] / first["cpu_seconds"],
                }
                if not args.keep:
                    shutil.rmtree(outdir / ".evkg-cache", ignore_errors=True)
            entry["outputs_identical_across_jobs"] = len(set(digests.values())) <= 1
            if "1" in entry["jobs"]:
                for jobs, data in entry["jobs"].items():
                    data["speedup_vs_jobs1"] = entry["jobs"]["1"]["build"]["wall_seconds"] / data["build"]["wall_seconds"]
            results["runs"].append(entry)
            print(format_run(entry), flush=True)
    finally:
        if args.keep:
            print(f"[bench] kept {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    results["load_average_at_end"] = os.getloadavg()
    return results


def format_run(entry: dict) -> str:
    lines = [f"\nN = {entry['n']}: {entry['articles']:,} articles, {entry['words']:,} words; "
             f"outputs identical across --jobs: {'yes' if entry['outputs_identical_across_jobs'] else 'NO'}"]
    header = (f"{'jobs':>4} | {'spaCy w/s':>9} {'evkg w/s':>9} {'ratio':>5} {'cpu ratio':>9} | {'speedup':>7} | "
              f"{'RSS spaCy':>9} {'RSS evkg':>9} | {'re-run':>13} | {'one changed':>19}")
    lines += [header, "-" * len(header)]
    for jobs, d in entry["jobs"].items():
        again, one = d["rebuild_unchanged"], d["rebuild_one_changed"]
        lines.append(
            f"{jobs:>4} | {d['spacy']['words_per_second']:>9,.0f} {d['build']['words_per_second']:>9,.0f} "
            f"{d['ratio_build_to_spacy']:>5.2f} {d['ratio_build_to_spacy_cpu']:>9.2f} | "
            f"{d.get('speedup_vs_jobs1', float('nan')):>6.2f}x | "
            f"{d['spacy']['peak_rss_mb']:>7.0f}MB {d['build']['peak_rss_mb']:>7.0f}MB | "
            f"{again['wall_seconds']:>5.1f}s {100 * again['fraction_of_first']:>5.1f}% | "
            f"{one['wall_seconds']:>5.1f}s {100 * one['fraction_of_first']:>4.1f}% "
            f"x{one['timings']['extracted']}")
    for jobs, d in entry["jobs"].items():
        t = d["build"]["timings"]
        shares = "  ".join(f"{k} {100 * v:4.1f}%" for k, v in d["build"]["stage_shares"].items())
        lines.append(f"  jobs={jobs} build {d['build']['wall_seconds']:.1f}s wall, spaCy {d['spacy']['wall_seconds']:.1f}s "
                     f"wall ({d['spacy']['pipe_seconds']:.1f}s in nlp.pipe); stages: {shares}"
                     f"  [{t['extracted']} extracted, {t['rendered']} rendered]")
    q = entry["queries"]
    lines.append(f"  queries on graph.trig (store loaded in {q['load_ms']:.0f} ms), median ms:")
    lines.append("    " + "  ".join(f"{name} {v['median_ms']:.1f} ({v['rows']} rows)" for name, v in q["queries"].items()))
    return "\n".join(lines)


def format_targets(results: dict) -> str:
    """The issue's targets against the largest N measured."""
    runs = results["runs"]
    if not runs:
        return ""
    last, first = runs[-1], runs[0]
    lines = [f"Targets (N = {last['n']}; RSS also against N = {first['n']}):"]

    def check(ok: bool, text: str) -> None:
        lines.append(f"  [{'ok' if ok else 'MISS'}] {text}")

    j1, j2 = last["jobs"].get("1"), last["jobs"].get("2")
    if j1:
        check(j1["ratio_build_to_spacy"] >= 0.8,
              f"build throughput >= 0.8x bare spaCy with --jobs 1: {j1['ratio_build_to_spacy']:.2f}x "
              f"(CPU time: {j1['ratio_build_to_spacy_cpu']:.2f}x)")
    if j1 and j2:
        check(j2["speedup_vs_jobs1"] >= 1.7, f"--jobs 2 >= 1.7x --jobs 1: {j2['speedup_vs_jobs1']:.2f}x")
    for jobs, d in last["jobs"].items():
        rss = d["build"]["peak_rss_mb"]
        check(rss < 1024, f"peak RSS per process < 1 GB (--jobs {jobs}): {rss:.0f} MB")
        small = first["jobs"].get(jobs)
        if small and small is not d:
            growth = rss / small["build"]["peak_rss_mb"] - 1
            check(abs(growth) <= 0.10, f"peak RSS N={first['n']} -> N={last['n']} (--jobs {jobs}): "
                                       f"{small['build']['peak_rss_mb']:.0f} -> {rss:.0f} MB ({100 * growth:+.1f}%)")
        share = d["build"]["stage_shares"]["validation"]
        check(share <= 0.10, f"SHACL validation <= 10% of build time (--jobs {jobs}): {100 * share:.1f}%")
        fraction = d["rebuild_unchanged"]["fraction_of_first"]
        check(fraction < 0.05, f"re-run on unchanged input < 5% of the first run (--jobs {jobs}): "
                               f"{100 * fraction:.1f}%")
    slowest = max(last["queries"]["queries"].items(), key=lambda kv: kv[1]["median_ms"])
    check(slowest[1]["median_ms"] < 100, f"every canned query < 100 ms: slowest {slowest[0]} "
                                         f"{slowest[1]['median_ms']:.1f} ms")
    check(all(r["outputs_identical_across_jobs"] for r in runs), "outputs byte-identical across --jobs")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--_measure"]:
        return child_measure(argv[1], argv[3:])
    if argv[:1] == ["--_spacy"]:
        return child_spacy(argv[1], int(argv[2]), int(argv[3]), argv[4])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", default=str(DEFAULT_INPUT), help="JSONL(.gz) articles [default: %(default)s]")
    parser.add_argument("--n", action="append", metavar="N[,N…]",
                        help="article counts ('all' for every article); repeatable [default: 250,1000,all]")
    parser.add_argument("--jobs", action="append", metavar="J[,J…]",
                        help="process counts; repeatable [default: 1,2]")
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="folder for the JSON results [default: %(default)s]")
    parser.add_argument("--batch-size", type=int, default=16, help="bare spaCy's nlp.pipe batch_size [default: 16]")
    parser.add_argument("--repeats", type=int, default=5, help="runs per canned query [default: 5]")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder (subsets, outputs, logs)")
    args = parser.parse_args(argv)
    results = run(args)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"bench-{datetime.now().strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    print("\n" + format_targets(results))
    print(f"\nresults: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
