#!/usr/bin/env python3
"""Scale run: evkg build on growing corpora, local worker processes against a Dask cluster
(GitHub issue #13).

The corpus is the Wikinews JSONL repeated as often as a size needs, each copy with its own id
(``<id>~<copy>``) and a trailing line naming the copy, so that no copy hits the extraction
cache of another. For each size and each way of running the workers (``--jobs J`` and
``--cluster local:J``) it builds into an empty OUTDIR in a fresh process and prints words/s,
the peak RSS of the build process and of its largest worker (VmHWM of every process of the
tree, polled), the size of OUTDIR/store/, and the latency through the CLI, process start
included, of a query listing every claim (who-blamed-whom) and of one about a single actor
(claims-by-actor, for the claimant of most claims), from the store and, for the first, by
parsing graph.trig, and the wall and CPU time of every canned query from the store
(claims-by-actor for that claimant, by IRI and by its label). It checks that both ways give the
same graph.trig. Results go to bench/results/ as JSON.

    .venv/bin/python bench/scale.py --sizes 1000,5000,20000 --cluster-sizes 1000,5000 --jobs 2

``--seed-cache BUILD`` measures what the build process does past NLP at sizes a shared machine
cannot parse in time: BUILD is a build of one copy of the corpus (``evkg build`` of a corpus
this script wrote with one copy), and each OUTDIR's extraction cache is seeded, before its
build, with copy 0's extraction of every document, given the copy's own document. The builds
then do everything but NLP and extraction (resolution, RDF, SHACL, writing, the store) on
documents that differ from copy to copy; words/s mean nothing there and are left out.

``--time-queries BUILD`` builds nothing: it times every canned query on BUILD, an existing build
(the same store measured again, or with another evkg).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INPUT = ROOT.parent / "shared" / "corpus" / "wikinews_en.jsonl.gz"
DEFAULT_OUT = ROOT / "bench" / "results"
EVKG = [sys.executable, "-m", "pipeline"]
QUERY = "who-blamed-whom"
ACTOR_QUERY = "claims-by-actor"
POLL_SECONDS = 0.2


def write_corpus(source: Path, size: int, target: Path) -> int:
    """``size`` documents from ``source`` repeated, each copy with its own id and text; its words."""
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        base = [json.loads(line) for line in handle if line.strip()]
    words = 0
    with target.open("w", encoding="utf-8") as out:
        for i in range(size):
            record = dict(base[i % len(base)])
            copy = i // len(base)
            record["id"] = f"{record['id']}~{copy}"
            record["text"] = f"{record['text'].rstrip()}\n\nCopy {copy}.\n"
            words += len(record["text"].split())
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return words


def _tree(root: int) -> list[int]:
    """``root`` and its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    parent = int(handle.read().rpartition(")")[2].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, ()))
    return found


def _peak_rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def run_measured(command: list[str]) -> dict:
    """Run ``command``; its wall time and the peak RSS of its process and of each descendant."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peaks: dict[int, float] = {}
    done = threading.Event()

    def poll():
        while not done.is_set():
            for pid in _tree(proc.pid):
                rss = _peak_rss_mb(pid)
                if rss is not None:
                    peaks[pid] = max(rss, peaks.get(pid, 0.0))
            done.wait(POLL_SECONDS)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    _, stderr = proc.communicate()
    done.set()
    poller.join()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {proc.returncode}: {stderr.strip()[-500:]}")
    workers = [rss for pid, rss in peaks.items() if pid != proc.pid]
    return {"wall_seconds": time.perf_counter() - start, "main_peak_rss_mb": peaks.get(proc.pid),
            "largest_child_peak_rss_mb": max(workers) if workers else None, "children": len(workers)}


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def query_seconds(data: Path, repeats: int, query: str = QUERY, params: tuple[str, ...] = ()) -> float:
    """Median wall time of ``evkg query QUERY --data DATA`` in a fresh process."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(EVKG + ["query", query, "--data", str(data), "--format", "csv"]
                       + [f"--param={p}" for p in params], check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def seed_cache(seed: Path, corpus: Path, outdir: Path) -> int:
    """Seed OUTDIR's extraction cache with the extraction ``seed`` (a build of copy 0) made of
    each document's copy 0, given the document of its copy; the number of documents seeded."""
    from pipeline.build import _cache_key
    from pipeline.ingest import read_inputs
    from pipeline.lexicon import lexicon_fingerprint
    from pipeline.model import Document
    from pipeline.output import CACHE_NAME

    fingerprint = lexicon_fingerprint(())
    seeded = {}
    for path in (seed / CACHE_NAME / "extract").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        seeded[data["document"]["id"]] = data
    cache = outdir / CACHE_NAME / "extract"
    cache.mkdir(parents=True, exist_ok=True)
    count = 0
    for document in read_inputs([corpus]):
        if not isinstance(document, Document):
            continue
        original, _, _ = document.id.rpartition("~")
        data = seeded.get(f"{original}~0")
        if data is None:
            continue
        count += 1
        # only the last line ("Copy N.") differs from copy 0's text, and it gives nothing
        data = {**data, "document": document.to_json()}
        (cache / f"{_cache_key(document, fingerprint)}.json").write_text(json.dumps(data, ensure_ascii=False),
                                                                        encoding="utf-8")
    return count


def busiest_claimant(data: Path) -> tuple[str, str]:
    """The IRI and label of the claimant of most claims of the build (a query's parameter)."""
    import csv
    import io
    from collections import Counter

    listing = subprocess.run(EVKG + ["query", QUERY, "--data", str(data), "--format", "csv"], check=True,
                             capture_output=True, text=True).stdout
    rows = list(csv.DictReader(io.StringIO(listing)))
    counts = Counter(row["claimant_iri"] for row in rows)
    iri = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    return iri, next(row["claimant"] for row in rows if row["claimant_iri"] == iri)


def every_query_seconds(data: Path, repeats: int, actor: tuple[str, str]) -> dict[str, dict]:
    """Every canned query through the CLI on the store (CSV), process start included: its median
    wall and CPU seconds (user + system of the process) and its rows. Parameters are left unset
    but claims-by-actor's actor, given by IRI and by label."""
    import csv
    import io

    from pipeline.query import list_queries

    timed = {}
    for query in list_queries():
        cases = [(query.name, ())]
        if any(p.required for p in query.params):
            cases = [(f"{query.name} actor=IRI", (f"actor={actor[0]}",)),
                     (f"{query.name} actor=label", (f"actor={actor[1]}",))]
        for label, params in cases:
            walls, cpus, output = [], [], ""
            for _ in range(repeats):
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                output = subprocess.run(EVKG + ["query", query.name, "--data", str(data), "--format", "csv"]
                                        + [f"--param={p}" for p in params], check=True, capture_output=True,
                                        text=True).stdout
                walls.append(time.perf_counter() - start)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
            timed[label] = {"wall_seconds": statistics.median(walls), "cpu_seconds": statistics.median(cpus),
                            "rows": sum(1 for _ in csv.reader(io.StringIO(output))) - 1}
            print(f"    {label:<36} {timed[label]['rows']:>7,} rows  {timed[label]['wall_seconds']:6.2f} s "
                  f"(CPU {timed[label]['cpu_seconds']:.2f} s)", flush=True)
    return timed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", type=Path, default=DEFAULT_INPUT)
    parser.add_argument("--sizes", default="1000,5000,20000", help="numbers of documents, comma-separated")
    parser.add_argument("--cluster-sizes", help="the sizes also built with --cluster local:J (default: all)")
    parser.add_argument("--jobs", type=int, default=2, help="local processes, and workers of the local cluster")
    parser.add_argument("--repeats", type=int, default=3, help="query runs per measure (median)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--work", type=Path, help="keep the corpora and builds here (default: a temporary folder)")
    parser.add_argument("--seed-cache", type=Path, metavar="BUILD",
                        help="seed every build's extraction cache from this build of copy 0 (no NLP: see above)")
    parser.add_argument("--time-queries", type=Path, metavar="BUILD",
                        help="build nothing: time every canned query on this existing build")
    args = parser.parse_args()
    if args.time_queries:
        args.out.mkdir(parents=True, exist_ok=True)
        manifest = json.loads((args.time_queries / "manifest.json").read_text(encoding="utf-8"))
        print(f"{args.time_queries}: {manifest['counts']['triples']:,} triples, load average "
              f"{os.getloadavg()[0]:.1f}", flush=True)
        timed = every_query_seconds(args.time_queries, args.repeats, busiest_claimant(args.time_queries))
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        result = args.out / f"queries-{stamp}.json"
        result.write_text(json.dumps({"build": str(args.time_queries), "triples": manifest["counts"]["triples"],
                                      "repeats": args.repeats, "queries": timed}, indent=2) + "\n")
        print(f"results: {result}")
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    cluster_sizes = set(sizes if args.cluster_sizes is None else
                        [int(s) for s in args.cluster_sizes.split(",") if s.strip()])
    rows = []
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    result = args.out / f"scale-{stamp}.json"
    with (contextlib.nullcontext(str(args.work)) if args.work else tempfile.TemporaryDirectory(prefix="evkg-scale-")) as work:
        work = Path(work)
        work.mkdir(parents=True, exist_ok=True)
        for size in sizes:
            corpus = work / f"corpus-{size}.jsonl"
            words = write_corpus(args.input, size, corpus)
            digests = {}
            runners = [("jobs", ["--jobs", str(args.jobs)])]
            if size in cluster_sizes:
                runners.append(("cluster", ["--cluster", f"local:{args.jobs}"]))
            for runner, option in runners:
                outdir = work / f"out-{size}-{runner}"
                timings = work / f"timings-{size}-{runner}.json"
                seeded = seed_cache(args.seed_cache, corpus, outdir) if args.seed_cache else None
                measured = run_measured(EVKG + ["build", str(corpus), "-o", str(outdir), "--no-progress",
                                                "--timings", str(timings)] + option)
                manifest = json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))
                digests[runner] = hashlib.sha256((outdir / "graph.trig").read_bytes()).hexdigest()
                row = {"documents": size, "words": words, "runner": f"{runner} {args.jobs}", **measured,
                       "words_per_second": None if seeded is not None else words / measured["wall_seconds"],
                       "seeded": seeded,
                       "triples": manifest["counts"]["triples"], "store_mb": folder_mb(outdir / "store"),
                       "trig_mb": (outdir / "graph.trig").stat().st_size / 1e6,
                       "query_store_seconds": query_seconds(outdir, args.repeats),
                       "query_parse_seconds": query_seconds(outdir / "graph.trig", args.repeats)}
                row["actor"], actor_label = busiest_claimant(outdir)
                row["actor_query_store_seconds"] = query_seconds(outdir, args.repeats, ACTOR_QUERY,
                                                                 (f"actor={row['actor']}",))
                rows.append(row)
                # after each row: a run stopped half-way keeps what it measured
                result.write_text(json.dumps({"sizes": sizes, "jobs": args.jobs, "rows": rows}, indent=2) + "\n")
                speed = "no NLP" if seeded is not None else f"{row['words_per_second']:,.0f} w/s"
                print(f"{size:>6} docs {words:>9,} words  {row['runner']:<10} {speed:>10}  "
                      f"main {row['main_peak_rss_mb']:>5.0f} MB  worker {row['largest_child_peak_rss_mb'] or 0:>5.0f} MB  "
                      f"{row['triples']:>9,} triples  store {row['store_mb']:>6.1f} MB  "
                      f"{QUERY} {row['query_store_seconds']:.2f} s (parsing graph.trig {row['query_parse_seconds']:.2f} s)  "
                      f"{ACTOR_QUERY} {row['actor_query_store_seconds']:.2f} s", flush=True)
                row["queries"] = every_query_seconds(outdir, args.repeats, (row["actor"], actor_label))
                result.write_text(json.dumps({"sizes": sizes, "jobs": args.jobs, "rows": rows}, indent=2) + "\n")
            if len(digests) > 1 and digests["jobs"] != digests["cluster"]:
                raise SystemExit(f"{size} documents: --cluster and --jobs gave different graph.trig")
    print(f"results: {result}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
