"""The ``evkg`` command line: each command is a thin shell over a Python function.

build    -> pipeline.build.build
validate -> pipeline.validate.validate
queries  -> pipeline.query.list_queries
query    -> pipeline.query.run_query / run_query_endpoint
show     -> pipeline.show.show
load     -> pipeline.load.load
export   -> pipeline.load.export_nquads
eval     -> pipeline.evaluate.evaluate_sets
explain  -> pipeline.explain.explain
report   -> pipeline.report.report
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
import traceback
from pathlib import Path

import click

from . import __version__

FORMATS = ("table", "csv", "json")
QUIET, NORMAL, VERBOSE = -1, 0, 1


def _verbosity() -> int:
    ctx = click.get_current_context(silent=True)
    return ((ctx.find_root().obj if ctx else None) or {}).get("verbosity", NORMAL)


def info(message: str) -> None:
    """A note, summary or count on stderr; -q silences it (errors and warnings stay)."""
    if _verbosity() > QUIET:
        click.echo(message, err=True)


def detail(message: str) -> None:
    """A line on stderr for -v only."""
    if _verbosity() >= VERBOSE:
        click.echo(message, err=True)


def _progress_default(progress: bool | None) -> bool:
    """--progress/--no-progress as given, else on a terminal unless -q."""
    return progress if progress is not None else sys.stderr.isatty() and _verbosity() > QUIET


def _all_cores_for_zero(ctx, param, jobs: int) -> int:
    from .build import usable_cores

    return usable_cores() if jobs == 0 else jobs


def jobs_option(command):
    """``--jobs N``, 0 for every core: worker processes of ``build`` and ``eval``."""
    return click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(0, 64),
                        callback=_all_cores_for_zero,
                        help="Worker processes, 0 for one per core; the output does not depend on it.")(command)


def data_option(command):
    """``--data``: where ``query`` and ``show`` read the graph."""
    return click.option("--data", "data", multiple=True, type=click.Path(path_type=Path),
                        help="A build folder (its graph.trig) or RDF files; repeatable [default: ./out].")(command)


class EvkgGroup(click.Group):
    """Turns failures into one readable line (a traceback only with --debug) and the exit
    status of pipeline.errors: 2 usage, 1 expected failure, 3 internal error."""

    def invoke(self, ctx):
        from .errors import EXIT_FAILED, EXIT_INTERNAL, EXIT_USAGE, Failure, UsageProblem

        try:
            try:
                return super().invoke(ctx)
            finally:
                sys.stdout.flush()  # a reader that went away shows here, not at interpreter exit
        except BrokenPipeError:
            # `evkg query … | head`: stop quietly; what is still buffered goes nowhere.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(141)  # 128 + SIGPIPE, as a shell tool killed by it
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except Exception as exc:  # noqa: BLE001 - the last line of defence for users
            debug = ctx.params.get("debug") or (ctx.obj or {}).get("debug")
            if debug:
                traceback.print_exc()
            message = " ".join(str(exc).split()) or type(exc).__name__  # one line
            if isinstance(exc, OSError) and exc.filename and exc.strerror:  # "[Errno 28] ..." says less
                message = f"{exc.filename}: {exc.strerror}"
            if isinstance(exc, UsageProblem):
                code = EXIT_USAGE
            elif isinstance(exc, (Failure, OSError)):
                code = EXIT_FAILED
            else:
                code = EXIT_INTERNAL
                message = f"internal error: {type(exc).__name__}: {message}" + ("" if debug else " (--debug shows the traceback)")
            from .http import redact

            click.echo(f"evkg: error: {redact(message)}", err=True)
            ctx.exit(code)


@click.group(cls=EvkgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="evkg")
@click.option("--debug", is_flag=True, help="Show a traceback when something fails.")
@click.option("-v", "--verbose", "verbosity", flag_value=VERBOSE,
              help="More on stderr: each document built, the seconds per stage, each query's time.")
@click.option("-q", "--quiet", "verbosity", flag_value=QUIET,
              help="Only errors and warnings on stderr: no progress bars, notes, summaries or row counts.")
@click.pass_context
def main(ctx, debug, verbosity):
    """evkg: news articles to an RDF knowledge graph of who blamed whom, and when.

    \b
    evkg build data/articles -o out       build Turtle/TriG, validate with SHACL
    evkg query who-blamed-whom --data out answer a canned question
    evkg queries                          list the canned questions
    evkg show CLAIM-IRI --data out        one claim and its sentence in its paragraph

    \b
    Exit status of every command:
      0  success
      1  some inputs failed, the graph does not conform, a server refused or did not answer,
         OUTDIR is busy or its files disagree with its manifest
      2  usage error: bad option or parameter, a file given on the command line that is
         missing or unreadable
      3  internal error (a bug: --debug shows the traceback)
    """
    ctx.obj = {"debug": debug, "verbosity": verbosity or NORMAL}


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "outdir", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="Output folder (created if missing; reused results are kept).")
@click.option("--base", default=None, help="Base IRI for instance data [default: https://w3id.org/evkg/id/].")
@jobs_option
@click.option("--aliases", "actor_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Extra actor/alias table (JSON, same format as pipeline/resources/actors.json). Repeatable.")
@click.option("--progress/--no-progress", default=None, help="Progress bar [default: on a terminal].")
@click.option("--timings", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the seconds spent per stage to this JSON file.")
@click.option("--encoding-fallback", default="cp1252", show_default=True, metavar="ENCODING",
              help="How to read a text that is not UTF-8 (nor UTF-16/32 with a byte-order mark), "
                   "with a warning; 'none' makes such files fail.")
@click.option("--wait", is_flag=True, help="If another build holds OUTDIR, wait for it [default: fail at once].")
@click.option("--force", is_flag=True, help="Write into OUTDIR even if it is neither empty nor an evkg build.")
@click.option("--keep-cache", is_flag=True,
              help="Keep cached extractions of documents not in this build [default: pruned].")
@click.option("--cluster", metavar="SCHEDULER",
              help="Run NLP, extraction and RDF on a Dask cluster instead of --jobs local processes: a "
                   "scheduler address (tcp://host:8786) or local:N (a cluster of N workers on this machine).")
@click.pass_context
def build(ctx, inputs, outdir, base, jobs, actor_files, progress, timings, encoding_fallback, wait, force,
          keep_cache, cluster):
    """Build OUTDIR from articles (.txt, .md, .jsonl, .jsonl.gz files or folders).

    Writes docs/<id>.ttl, graph.trig, graph.ttl, validation.ttl and manifest.json. A bad
    input is reported on stderr and in the manifest and does not stop the batch; the exit
    status is 1 when some inputs failed.
    """
    from .build import build as run_build
    from .ingest import UsageError, check_encoding
    from .output import OutdirError
    from .rdf import IriMinter
    from .vocab import DEFAULT_BASE

    progress = _progress_default(progress)
    debug = (ctx.obj or {}).get("debug")
    try:
        IriMinter(base or DEFAULT_BASE)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--base")
    try:
        encoding_fallback = check_encoding(encoding_fallback)
    except UsageError as exc:
        raise click.BadParameter(str(exc), param_hint="--encoding-fallback")
    if cluster:
        from .executors import check_cluster_address

        try:
            check_cluster_address(cluster)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--cluster")
        if ctx.get_parameter_source("jobs") is not click.core.ParameterSource.DEFAULT:
            raise click.UsageError("give either --jobs N (local processes) or --cluster SCHEDULER")

    def on_problem(problem):
        label = {"failed": "error", "skipped": "note", "warning": "warning"}[problem.status]
        if label == "note":
            info(f"evkg: note: {problem}")
        else:
            click.echo(f"evkg: {label}: {problem}", err=True)
        if debug and problem.detail:
            click.echo(problem.detail.rstrip("\n"), err=True)

    try:
        with _stop_in_one_line_on_sigterm(outdir):
            report = run_build(inputs, outdir, base=base or DEFAULT_BASE, jobs=jobs, actor_files=actor_files,
                               progress=progress, on_problem=on_problem, encoding_fallback=encoding_fallback,
                               wait=wait, force=force, keep_cache=keep_cache, cluster=cluster,
                               on_note=lambda message: info(f"evkg: note: {message}"))
    except (UsageError, OutdirError) as exc:
        raise click.UsageError(str(exc))
    if timings:
        from .output import write_json

        try:
            write_json(timings, report.timings())
        except OSError as exc:
            raise click.BadParameter(f"cannot write {timings}: {exc.strerror or exc}", param_hint="--timings")
    if _verbosity() >= VERBOSE:  # the entries are read back from the manifest only then
        for document in report.documents:
            detail(f"evkg: {document['id']}: {document['status']}, {document['claims']} claim(s), "
                   f"{document['figures']} figure(s), {document['triples']} triple(s)"
                   f"{', reused' if document.get('reused') else ''}")
    detail("evkg: seconds per stage: " + ", ".join(f"{stage} {seconds:.2f}" for stage, seconds
                                                   in sorted(report.stage_seconds.items())))
    summary = f"evkg: built {report.built} document(s), {report.claims} claim(s) into {outdir}"
    if report.conforms:
        info(summary)
    else:
        click.echo(f"{summary} (SHACL violations: see validation.ttl)", err=True)
    sys.exit(report.exit_code)


@contextlib.contextmanager
def _stop_in_one_line_on_sigterm(outdir: Path):
    """While building, SIGTERM ends the build with one line, not a traceback per worker. It
    exits at once: files are renamed into place whole, the lock goes with the process, and the
    next build removes the temporary files and finishes the work."""
    import os
    import signal

    def stop(signum, frame):
        os.write(2, f"evkg: stopped by SIGTERM; {outdir} keeps its last complete build\n".encode(errors="replace"))
        os._exit(128 + signal.SIGTERM)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@main.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--shapes", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="SHACL shapes file [default: evkg's shapes].")
def validate(path, shapes):
    """Validate PATH against the SHACL shapes: exit 0 when it conforms, 1 if not.

    PATH is an RDF file (a TriG or N-Quads file is validated as the union of its graphs) or a
    build folder, whose graph.ttl (all its triples) is validated.
    """
    from .validate import validate as run_validate

    file, result = run_validate(path, shapes)
    if result.conforms:
        click.echo(f"{file}: conforms")
        return
    for violation in result.violations:
        click.echo(f"{violation.focus} {violation.path}: {violation.message}")
    click.echo(f"{file}: {len(result.violations)} violation(s)", err=True)
    sys.exit(1)


@main.command()
def queries():
    """List the canned queries, one line each, with their parameters."""
    from .query import list_queries

    for query in list_queries():
        params = " ".join(f"{p.name}={'…' if p.required else '[…]'}" for p in query.params)
        click.echo(f"{query.name:<24} {query.description}" + (f"  (params: {params})" if params else ""))


def _parse_params(values) -> dict[str, str]:
    params = {}
    for value in values:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # the bytes of argv were not UTF-8
            raise click.BadParameter(f"{value.encode('utf-8', 'surrogateescape')!r} is not UTF-8 text",
                                     param_hint="--param") from None
        if "=" not in value:
            raise click.BadParameter(f"{value!r} is not KEY=VALUE", param_hint="--param")
        key, _, val = value.partition("=")
        params[key.strip()] = val
    return params


@main.command()
@click.argument("name")
@data_option
@click.option("--endpoint", help="A SPARQL query endpoint URL instead of --data.")
@click.option("--user", envvar="EVKG_USER", show_envvar=True, help="User name for the endpoint.")
@click.option("--password", envvar="EVKG_PASSWORD", show_envvar=True, help="Password for the endpoint.")
@click.option("--auth", type=click.Choice(("basic", "digest")), default="basic", show_default=True,
              help="HTTP authentication scheme for --user/--password.")
@click.option("--timeout", default=60.0, show_default=True, type=click.FloatRange(0.1, 3600),
              help="Seconds to wait for the endpoint's answer.")
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE", help="A query parameter; repeatable.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="table: for reading, fits the terminal ($COLUMNS), IRI and offset columns hidden, long values "
                   "cut with '…'; csv and json: every column, full values.")
@click.option("--columns", metavar="A,B,C", help="Only these columns, in this order (IRI columns too).")
@click.option("--limit", type=click.IntRange(min=1), help="Only the first N rows.")
@click.option("--wide", is_flag=True, help="Table with every column and full values, however wide.")
@click.option("--allow-service", is_flag=True,
              help="Run a query with SERVICE clauses (they make the query engine fetch other URLs).")
def query(name, data, endpoint, user, password, auth, timeout, params, fmt, columns, limit, wide, allow_service):
    """Run a canned query NAME (see `evkg queries`) or a .rq FILE.

    An actor parameter matches an actor's name or alias, or a part of one ("moss" for "Lena
    Moss"), in any case; parameters such as kind and measure take one of a fixed set of values.

    conflicting-figures is shown as a pivot, in every format: one row per event and measure, one
    column per source document with the figure(s) it reported ("at least 140"); its .rq file,
    run elsewhere, gives one row per figure with its evidence (as `figures` does).
    """
    from .query import (QueryFileError, QuerySyntaxError, QueryUsageError, bind_params, check_params, format_result,
                        load_query, open_store, reshape, run_query, run_query_endpoint, select, uses_service)

    if data and endpoint:
        raise click.UsageError("give either --data OUTDIR|FILE... or --endpoint URL")
    chosen = [c.strip() for c in columns.split(",") if c.strip()] if columns else None
    try:
        canned = load_query(name)
        if endpoint:
            def run(text):
                return run_query_endpoint(text, endpoint, user=user, password=password, timeout=timeout, auth=auth)
        else:
            store = open_store(data or [Path("out")])

            def run(text):
                return run_query(text, store)
        text = bind_params(canned, check_params(canned, _parse_params(params), run))
        if not allow_service and uses_service(text):
            raise click.UsageError(f"query {name} has a SERVICE clause: give --allow-service to run it")
        started = time.perf_counter()
        try:
            result = reshape(canned, run(text))
        except QuerySyntaxError as exc:
            raise exc.in_file(canned.path or name) from None
        detail(f"evkg: {canned.name}: {len(result.rows)} row(s) in {time.perf_counter() - started:.3f} s")
        shown = select(result, chosen, limit)
    except QueryFileError:
        raise  # one line naming the file, the line and the reason
    except QueryUsageError as exc:
        raise click.UsageError(str(exc))
    text = format_result(shown, fmt, wide=wide, hide_locators=chosen is None)
    click.echo(text, nl=not text.endswith("\n"))
    if not result.rows:
        info("0 rows")
    elif len(shown.rows) < len(result.rows):
        info(f"{len(shown.rows)} of {len(result.rows)} rows (--limit)")


@main.command()
@click.argument("claim")
@data_option
def show(claim, data):
    """Show one claim: its claimant, kind, targets, hedging, date and source document, then its
    sentence within its paragraph with the cue and the actors highlighted.

    CLAIM is a claim's IRI or its end (the hash after claim/ is enough): the claim_iri column of
    the claim queries, e.g. `evkg query who-blamed-whom --format csv`. The paragraph comes from
    the document text the build's manifest names; when it cannot be read, the sentence is shown
    alone with the reason. On a terminal the sentence, cue and actors are styled; otherwise the
    sentence is marked ⟦…⟧, the cue […] and the actors «…».
    """
    from .show import format_claim, show as find_claim

    styled = sys.stdout.isatty()
    click.echo(format_claim(find_claim(claim, data or [Path("out")]), styled=styled), nl=False, color=styled)


@main.command()
@click.argument("outdir", type=click.Path(path_type=Path, file_okay=False))
@click.option("--graph-store", "graph_store", required=True, metavar="URL",
              help="SPARQL 1.1 Graph Store endpoint, e.g. http://localhost:3030/ds/data (Fuseki) "
                   "or http://localhost:7878/store (Oxigraph).")
@click.option("--query-endpoint", metavar="URL",
              help="SPARQL query endpoint for the final count and --replace [default: derived, "
                   ".../store or .../data -> .../query; else the graphs are fetched back to count].")
@click.option("--replace", is_flag=True,
              help="Also delete the graphs under this build's <base>graph/ namespace that are not in "
                   "this build (other graphs and the default graph are left alone).")
@click.option("--ontology/--no-ontology", default=True, show_default=True,
              help="Load the ontology into graph <https://w3id.org/evkg/ontology>.")
@click.option("--user", envvar="EVKG_USER", show_envvar=True, help="User name (HTTP authentication).")
@click.option("--password", envvar="EVKG_PASSWORD", show_envvar=True, help="Password (HTTP authentication).")
@click.option("--auth", type=click.Choice(("basic", "digest")), default="basic", show_default=True,
              help="HTTP authentication scheme for --user/--password.")
@click.option("--retries", default=4, show_default=True, type=click.IntRange(0, 20),
              help="Retries of a request after a connection error, timeout, 429 or 5xx.")
@click.option("--backoff", default=0.5, show_default=True, type=click.FloatRange(0, 60),
              help="Backoff in seconds: the first retry is at once, then after 2x, 4x, ... this (at most 30 s).")
@click.option("--timeout", default=60.0, show_default=True, type=click.FloatRange(0.1, 3600),
              help="Seconds to wait for the server's answer to one request.")
@click.option("--verify/--no-verify", default=True, show_default=True,
              help="Count the quads on the server afterwards and compare with those sent.")
@click.option("--progress/--no-progress", default=None, help="Progress bar [default: on a terminal].")
def load(outdir, graph_store, query_endpoint, replace, ontology, user, password, auth, retries, backoff, timeout,
         verify, progress):
    """Upload OUTDIR's named graphs to a SPARQL server (Graph Store Protocol, one PUT per graph).

    Loading twice changes nothing; a load that stopped half-way completes when run again. Exit
    status: 0 all loaded and counted, 1 the server was unreachable or refused, some graphs
    failed, or the count differs, 2 bad arguments. For very large builds see `evkg export`.
    """
    from .http import redact
    from .load import load as run_load

    progress = _progress_default(progress)
    report = run_load(outdir, graph_store, replace=replace, user=user, password=password,
                      query_endpoint=query_endpoint, ontology=ontology, verify=verify, progress=progress,
                      retries=retries, backoff=backoff, timeout=timeout, auth=auth)
    for graph in report.failed:
        click.echo(f"evkg: error: graph <{graph.iri}> ({graph.source}): {graph.reason}", err=True)
    for graph in report.mismatched:
        click.echo(f"evkg: error: graph <{graph.iri}>: {graph.triples} quad(s) sent, "
                   f"{graph.counted} on the server", err=True)
    for problem in (report.replace_error, report.count_error):
        if problem:
            click.echo(f"evkg: error: {problem}", err=True)
    total, loaded = len(report.graphs), len(report.loaded)
    if report.error:
        done = ("nothing was loaded" if not loaded else
                f"{loaded} of {total} graph(s) loaded; run `evkg load` again to finish (nothing is duplicated)")
        click.echo(f"evkg: error: {report.error}; {done}", err=True)
        sys.exit(report.exit_code)
    summary = f"evkg: loaded {loaded}{'' if loaded == total else f' of {total}'} graph(s), {report.expected} quad(s)"
    if report.counted is not None:
        summary += f", {report.counted} counted on the server"
    if replace:
        summary += f", {len(report.removed)} stale graph(s) removed"
    info(f"{summary} ({redact(graph_store)})")
    sys.exit(report.exit_code)


@main.command()
@click.argument("outdir", type=click.Path(path_type=Path, file_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
              help="The file to write ('-' for standard output).")
@click.option("--format", "fmt", type=click.Choice(("nquads",)), default="nquads", show_default=True)
@click.option("--ontology/--no-ontology", default=True, show_default=True,
              help="Include the ontology, in graph <https://w3id.org/evkg/ontology>.")
def export(outdir, output, fmt, ontology):
    """Write OUTDIR's graphs as one N-Quads file, for bulk loaders (tdb2.tdbloader, oxigraph load).

    Streams graph.trig (one named graph per document, as `evkg load` stores them); a file is
    replaced only once it is complete.
    """
    from .load import export_nquads

    if str(output) == "-":
        count = export_nquads(outdir, sys.stdout.buffer, ontology=ontology)
        sys.stdout.buffer.flush()
    else:
        count = export_nquads(outdir, output, ontology=ontology)
    info(f"evkg: wrote {count} quad(s) to {output}")


@main.command()
@click.argument("outdir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="The HTML file to write [default: OUTDIR/report.html].")
def report(outdir, output):
    """Write one self-contained HTML page about build folder OUTDIR: the blame network, a timeline,
    the figures per source and a filterable claims table leading to each claim's evidence.

    The page inlines its scripts and styles and opens from disk without network. Document texts
    are read back from the inputs the build's manifest names; one that moved or changed is shown
    as its evidence sentences alone.
    """
    from .query import QueryError
    from .report import report as write_report

    try:
        summary = write_report(outdir, output)
    except QueryError as exc:
        raise click.ClickException(str(exc))
    for doc_id in summary.texts_missing:
        info(f"evkg: note: {doc_id}: document text not found; the report shows its evidence sentences alone")
    info(f"evkg: wrote {summary.path}: {summary.actors} actor(s), {summary.pairs} claimant → target pair(s), "
         f"{summary.claims} claim(s), {summary.documents} document(s)")


@main.command(name="eval")
@click.option("--gold", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Score this one gold file (seeds.gold.json format) on INPUTS instead of the registry's sets.")
@click.argument("inputs", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--sets", "registry", default=Path("data/gold/sets.json"), show_default=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="Registry of gold sets: JSON naming each set's gold file and texts folder (relative to it).")
@click.option("--set", "names", multiple=True, metavar="NAME", help="Score only this set of the registry; repeatable.")
@click.option("--aliases", "actor_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Extra actor/alias table, as for `evkg build`. Repeatable.")
@jobs_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--errors", is_flag=True,
              help="Also list each set's false positives, misses and wrong dates (csv: a second table).")
def eval_(gold, inputs, registry, names, actor_files, jobs, fmt, errors):
    """Score extraction against gold attributions: P/R/F1 per kind and date accuracy, a table
    per gold set, then one overall line for all of them.

    \b
    evkg eval                                   every set of data/gold/sets.json
    evkg eval --set wikinews --errors           one set, with its errors
    evkg eval --gold my.gold.json my-articles/  one gold file on the given texts

    A registry's gold file that cannot be used, or a gold document whose text is missing, is
    reported on stderr and left out (exit status 1); the other sets are still scored. A --gold
    FILE that cannot be used is a usage error (exit status 2).
    """
    from .errors import UsageProblem
    from .evaluate import GoldError, GoldSet, evaluate_sets, format_scores, load_gold, load_sets, set_name

    if gold:
        if not inputs or names:
            raise click.UsageError("--gold FILE needs the INPUTS it annotates, and no --set")
        try:
            load_gold(gold)  # a gold file given on the command line that cannot be used is a usage error
        except GoldError as exc:
            raise UsageProblem(f"--gold {gold} is not a gold file: {exc}") from None
        sets = [GoldSet(set_name(gold), gold, inputs=tuple(inputs))]
    else:
        if inputs:
            raise click.UsageError("INPUTS go with --gold FILE; a registry's sets name their own texts")
        if not registry.is_file():
            raise click.UsageError(f"no set registry {registry}; give --sets FILE or --gold FILE INPUTS")
        try:
            sets = load_sets(registry)
        except GoldError as exc:
            raise click.UsageError(str(exc))
        unknown = [n for n in names if n not in {s.name for s in sets}]
        if unknown:
            raise click.BadParameter(f"no set {unknown[0]!r} in {registry} (sets: "
                                     f"{', '.join(s.name for s in sets)})", param_hint="--set")
        sets = [s for s in sets if not names or s.name in names]
    failed = []

    def on_problem(message):
        failed.append(message)
        click.echo(f"evkg: error: {message}", err=True)

    scores = evaluate_sets(sets, actor_files=tuple(actor_files), jobs=jobs, on_problem=on_problem)
    if any(score.evaluation is not None for score in scores):
        click.echo(format_scores(scores, fmt, with_errors=errors), nl=False)
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("text")
@click.option("--date", "published", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Publication date (YYYY-MM-DD): resolves 'on Tuesday' into a date.")
@click.option("--aliases", "actor_files", multiple=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
def explain(text, published, actor_files, fmt):
    """Show how TEXT (a sentence or a few) is read: the actors found, the reported-statement
    frames, each claim with the construction that produced it, and each candidate a guard
    dropped, with the reason."""
    from .explain import explain as run_explain, format_explanation

    result = run_explain(text, published.date() if published else None, tuple(actor_files))
    if fmt == "json":
        click.echo(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
    else:
        click.echo(format_explanation(result))


if __name__ == "__main__":
    main()
