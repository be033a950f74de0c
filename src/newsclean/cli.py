"""The ``newsclean`` command: the only module that imports click, prints, or draws a bar.

stdout carries data (JSON Lines when no ``-o`` is given); stderr carries people's messages:
the progress bar (only on a terminal) and the closing summary.

Exit codes: 0 every input became a record; 1 some inputs are in the error report;
2 usage or configuration error; 130 interrupted.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sqlite3
import sys
import tempfile
from collections import Counter
from collections.abc import Container, Iterator
from pathlib import Path
from typing import IO, Any

import click

from newsclean._version import __version__
from newsclean.batch import Outcome, run
from newsclean.clean import load_packs
from newsclean.config import BatchConfig, Config
from newsclean.errors import ConfigError, NewscleanError, OutputError
from newsclean.finish import RULE_SITE_REPEAT, BatchPass, FinishStats, read_lines, scratch_for
from newsclean.pipeline import clean_file
from newsclean.record import json_schema
from newsclean.sinks import JsonlSink, ParquetSink, is_resumable, whole_file_sink
from newsclean.sinks.resumable import AppendSink, RunState, done_locations, read_state, write_state
from newsclean.sources import SKIPPED_NOTE, Inputs

_SUMMARY_RULES = 8


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsclean")
def cli() -> None:
    """Turn scraped news text into clean, versioned article records (JSON Lines)."""


def _config(config_path: str | None, packs: tuple[str, ...]) -> Config:
    try:
        config = Config.from_toml(config_path) if config_path else Config()
        if packs:
            config = config.replace(clean=dataclasses.replace(config.clean, packs=packs))
        load_packs(config.clean.packs, config.clean.extra_pack_dirs)  # fail now, not in a worker
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    return config


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=str),
    help="JSON Lines file (default: stdout).",
)
@click.option(
    "--errors",
    "errors_path",
    type=click.Path(dir_okay=False, path_type=str),
    help="Error report (JSON Lines). Default: OUTPUT.errors.jsonl next to -o, or stderr without -o.",
)
@click.option(
    "-j", "--jobs", type=click.IntRange(1, 256), default=1, show_default=True, help="Worker processes."
)
@click.option(
    "--config", "config_path", type=click.Path(exists=True, dir_okay=False), help="TOML config file."
)
@click.option("--pack", "packs", multiple=True, help="Use only these rule packs, in this order (repeatable).")
@click.option(
    "--fresh",
    is_flag=True,
    help="Start over: empty -o and the error report instead of resuming an unfinished run.",
)
@click.option(
    "--drop-duplicates",
    is_flag=True,
    help="Leave exact and near duplicates out of the output (the summary still counts them).",
)
@click.option(
    "--no-batch-pass",
    is_flag=True,
    help="No duplicate marking and no site boilerplate learning: each record depends on its input alone.",
)
def clean(
    paths: tuple[str, ...],
    output: str | None,
    errors_path: str | None,
    jobs: int,
    config_path: str | None,
    packs: tuple[str, ...],
    fresh: bool,
    drop_duplicates: bool,
    no_batch_pass: bool,
) -> None:
    """Clean text dumps, HTML pages and WARC files under PATHS (files or folders) into records.

    With -o, a run that was stopped (Ctrl-C, crash, kill) resumes when run again: inputs that
    already have a line are skipped and the rest appended, giving the same bytes as one run.
    The batch pass then marks duplicates and removes lines a site repeats on many pages.
    """
    config = _batch_flags(_config(config_path, packs), drop_duplicates, no_batch_pass)
    inputs = Inputs(paths)
    if errors_path is None and output is not None:
        errors_path = _errors_beside(output)
    staged = config.batch.enabled
    stats = FinishStats()
    try:
        first, finished, written = _clean_all(config, inputs, output, errors_path, fresh, jobs, stats)
    except (OSError, sqlite3.Error) as exc:  # the batch pass's scratch: unwritable folder, full disk
        click.echo(f"newsclean: {exc}; finished lines are kept: run again to resume", err=True)
        sys.exit(1)
    if output is not None and (staged or is_resumable(output)):
        try:
            final = RunState(config.fingerprint(), complete=True, first_pass=first_pass_fingerprint(config))
            write_state(Path(output), final)
        except OutputError as exc:
            click.echo(f"newsclean: {exc}", err=True)
            sys.exit(1)
    if first.resumed:
        done = f"resumed: {first.resumed} inputs were already done; {first.processed} processed now"
        click.echo(done, err=True)
    if stats.site_lines:
        first.rules[RULE_SITE_REPEAT] += stats.site_lines
    skipped = (inputs.skipped, inputs.skipped_example)
    _summary(first.seen, written, first.failed, first.rules, skipped, output, errors_path)
    if finished:
        dropped = f", {stats.dropped} left out" if stats.dropped else ""
        click.echo(
            f"duplicates: {stats.exact_duplicates} exact, {stats.near_duplicates} near{dropped}", err=True
        )
    sys.exit(1 if first.failed else 0)


def _clean_all(
    config: Config,
    inputs: Inputs,
    output: str | None,
    errors_path: str | None,
    fresh: bool,
    jobs: int,
    stats: FinishStats,
) -> tuple[_FirstPass, bool, int]:
    """The first pass, then the batch pass if it is on: (first pass, whether it ran, records)."""
    staged = config.batch.enabled
    with contextlib.ExitStack() as cleanup:
        if output is not None:
            first_path = Path(output + ".pass1") if staged else Path(output)
        elif staged:  # stdout: the first pass goes to a temporary file, read back by the batch pass
            first_path = Path(cleanup.enter_context(tempfile.TemporaryDirectory())) / "pass1.jsonl"
        else:
            first_path = None
        learner = None
        if staged and first_path is not None:
            scratch = scratch_for(first_path, first_path.parent) if output is not None else None
            learner = cleanup.enter_context(BatchPass(config, scratch=scratch, stats=stats))
        first = _first_pass(config, inputs, first_path, output, errors_path, fresh, jobs, learner)
        if learner is None or first_path is None or not first.needs_finish:
            return first, False, first.written
        _batch_pass(first_path, output, learner)
        return first, True, stats.records


def _batch_flags(config: Config, drop_duplicates: bool, no_batch_pass: bool) -> Config:
    if no_batch_pass and drop_duplicates:
        raise click.UsageError("--drop-duplicates needs the batch pass; remove --no-batch-pass")
    if no_batch_pass:
        return config.replace(batch=dataclasses.replace(config.batch, duplicates=False, site_repeat=False))
    if drop_duplicates:
        return config.replace(batch=dataclasses.replace(config.batch, duplicates=True, drop_duplicates=True))
    return config


@dataclasses.dataclass
class _FirstPass:
    seen: int = 0
    written: int = 0
    failed: int = 0
    resumed: int = 0
    processed: int = 0
    needs_finish: bool = True
    rules: Counter[str] = dataclasses.field(default_factory=Counter)


def _first_pass(
    config: Config,
    inputs: Inputs,
    first_path: Path | None,
    output: str | None,
    errors_path: str | None,
    fresh: bool,
    jobs: int,
    learner: BatchPass | None,
) -> _FirstPass:
    """Clean every input into ``first_path`` (stdout if None) and errors into the report.

    Appending to ``first_path`` is resumable: it is ``-o`` itself without a batch pass, else
    ``OUT.pass1`` beside it. A whole-file output (``.jsonl.gz``, ``.parquet``) without a batch
    pass is written directly and starts fresh. Inputs are streamed, never held in memory.

    ``learner`` (the batch pass) learns from every line in the order of ``first_path``: from
    the workers' sketches for new lines, and, when resuming, from the lines already there,
    read back before the first new line or at the end (not at all if nothing is left to do).
    """
    state = _FirstPass()
    done: Container[str] = ()
    done_errors: dict[str, int] = {}
    was_complete = False
    try:
        if first_path is not None and not is_resumable(first_path):
            records: JsonlSink | AppendSink | ParquetSink = whole_file_sink(first_path)
            fresh = True
        elif first_path is not None and output is not None:
            fresh, was_complete = _start_or_resume(Path(output), first_path, config, fresh)
            if not fresh:
                done = done_locations(first_path)
                done_errors = done_locations(Path(errors_path)) if errors_path else {}
                state.failed = sum(done_errors.values())
            records = AppendSink(first_path, fresh=fresh)
        elif first_path is not None:
            records = AppendSink(first_path, fresh=True)
        else:
            records = JsonlSink(sys.stdout.buffer)
        errors: JsonlSink | AppendSink = (
            AppendSink(errors_path, fresh=fresh or output is None)
            if errors_path
            else JsonlSink(sys.stderr.buffer)
        )
    except NewscleanError as exc:
        raise click.UsageError(str(exc)) from exc

    def todo() -> Iterator[str]:
        for location in inputs:
            state.seen += 1
            if location in done or location in done_errors:
                state.resumed += 1
            else:
                state.processed += 1
                yield location

    earlier = first_path if first_path is not None and not fresh and learner is not None else None

    def catch_up() -> None:
        nonlocal earlier
        if earlier is not None and learner is not None:
            for line in read_lines(earlier):
                learner.learn_line(line)
        earlier = None

    total = inputs.count() if _show_progress() else None
    try:
        for outcome in _with_progress(run(todo(), config, jobs=jobs, total=total), total):
            if outcome.failed:
                state.failed += 1
                errors.write(outcome.line)
            else:
                state.written += 1
                if learner is not None:
                    catch_up()
                    learner.learn(outcome.sketch)
                records.write(outcome.line)
                state.rules.update(outcome.rules)
    except KeyboardInterrupt:
        _close_quietly(records, errors)
        kept = "finished lines are kept; run again to resume" if output else "output incomplete"
        click.echo(f"newsclean: interrupted; {kept}", err=True)
        sys.exit(130)
    except (OutputError, OSError, sqlite3.Error) as exc:  # disk full, pipe closed ...: finished lines stay
        _close_quietly(records, errors)
        click.echo(f"newsclean: {exc}", err=True)
        sys.exit(1)
    try:
        records.close()
        errors.close()
    except OSError as exc:
        click.echo(f"newsclean: cannot finish writing the output: {exc}", err=True)
        sys.exit(1)
    state.written += state.resumed - sum(done_errors.values())
    if state.resumed:
        state.needs_finish = bool(state.processed) or not was_complete or not Path(str(output)).exists()
    if state.resumed and not state.needs_finish:
        state.rules.clear()  # nothing ran; the output is already final
    elif state.needs_finish:
        catch_up()
    return state


def _batch_pass(first_path: Path, output: str | None, learner: BatchPass) -> None:
    """Apply the batch pass to the first pass's lines; the output is published whole when done."""
    sink: JsonlSink | ParquetSink
    sink = whole_file_sink(output) if output is not None else JsonlSink(sys.stdout.buffer)
    try:
        for line in learner.apply(read_lines(first_path)):
            sink.write(line)
    except KeyboardInterrupt:
        _close_quietly(sink)
        click.echo("newsclean: interrupted in the batch pass; run again to finish", err=True)
        sys.exit(130)
    except (OutputError, OSError, sqlite3.Error) as exc:
        _close_quietly(sink)
        click.echo(f"newsclean: {exc}", err=True)
        sys.exit(1)
    try:
        sink.close()
    except OSError as exc:
        click.echo(f"newsclean: cannot finish writing the output: {exc}", err=True)
        sys.exit(1)


def _errors_beside(output: str) -> str:
    """``out.jsonl`` / ``out.jsonl.gz`` / ``out.parquet`` -> ``out.errors.jsonl``."""
    base = output.removesuffix(".gz")
    for suffix in (".jsonl", ".parquet", ".json"):
        if base.lower().endswith(suffix):
            return base[: -len(suffix)] + ".errors.jsonl"
    return str(Path(base).with_suffix("")) + ".errors.jsonl"


def first_pass_fingerprint(config: Config) -> str:
    """The settings the first pass's lines depend on: all but the batch pass's, and whether the
    batch pass runs at all (without it, ``-o`` itself is the first pass's file)."""
    base = config.replace(batch=BatchConfig()).fingerprint()
    return f"{base}:{'staged' if config.batch.enabled else 'direct'}"


def _start_or_resume(output: Path, lines: Path, config: Config, fresh: bool) -> tuple[bool, bool]:
    """(whether this run starts fresh, whether the run it resumes completed under these very
    settings); raises ConfigError when resuming would mix settings.

    ``output``'s state file holds the settings; ``lines`` is the file the first pass appends to.
    Other batch-pass settings (``--drop-duplicates``, thresholds) keep the first pass's lines:
    only the batch pass runs again.
    """
    state = read_state(output)
    first_pass = first_pass_fingerprint(config)
    started = RunState(config.fingerprint(), complete=False, first_pass=first_pass)
    if fresh or state is None or not lines.exists():
        write_state(output, started)
        return True, False
    if state.first_pass != first_pass:
        raise ConfigError(
            f"{output} was written with other settings or another newsclean version; "
            "pass --fresh to start it over"
        )
    if state.fingerprint != started.fingerprint:
        write_state(output, started)  # other batch-pass settings: not complete under these
        return False, False
    return False, state.complete


def _close_quietly(*sinks: JsonlSink | AppendSink | ParquetSink) -> None:
    for sink in sinks:
        with contextlib.suppress(OSError):
            sink.close(commit=False)


def _show_progress() -> bool:
    return sys.stderr.isatty()


def _with_progress(outcomes: Iterator[Outcome], total: int | None) -> Iterator[Outcome]:
    if total is None or total < 2:
        yield from outcomes
        return
    with click.progressbar(length=total, label="cleaning", file=sys.stderr) as bar:
        for outcome in outcomes:
            bar.update(1)
            yield outcome


def _summary(
    total: int,
    written: int,
    failed: int,
    rules: Counter[str],
    skipped: tuple[int, str | None],
    output: str | None,
    errors_path: str | None,
) -> None:
    def echo(text: str) -> None:
        click.echo(text, err=True)

    echo(f"newsclean: {total} inputs -> {written} records, {failed} errors")
    if rules:
        ranked = sorted(rules.items(), key=lambda kv: (-kv[1], kv[0]))
        echo(f"removed {sum(rules.values())} spans; most frequent rules:")
        for rule, count in ranked[:_SUMMARY_RULES]:
            echo(f"  {count:6d}  {rule}")
        if len(ranked) > _SUMMARY_RULES:
            echo(f"  ... and {len(ranked) - _SUMMARY_RULES} more rules (each record lists its own removals)")
    if skipped[0]:
        echo(f"skipped {skipped[0]} files: {SKIPPED_NOTE}; e.g. {skipped[1]}")
    if output:
        echo(f"records: {output}")
    if failed and errors_path:
        echo(f"errors:  {errors_path}")


@cli.command()
@click.argument("urls_file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=str))
@click.option("--sitemap", help="Fetch the pages a sitemap (or sitemap index, .xml.gz too) lists.")
@click.option("--feed", help="Fetch the pages an RSS or Atom feed links to.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="JSON Lines file; re-running into it resumes (default: stdout, no resume).",
)
@click.option(
    "--errors",
    "errors_path",
    type=click.Path(dir_okay=False, path_type=str),
    help="Error report (JSON Lines). Default: OUTPUT.errors.jsonl next to -o, or stderr without -o.",
)
@click.option(
    "--warc", type=click.Path(dir_okay=False, path_type=Path), help="Also capture raw responses here."
)
@click.option(
    "--cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path), help="HTTP cache folder."
)
@click.option("--concurrency", type=click.IntRange(1, 512), default=8, show_default=True)
@click.option("--per-host", type=click.IntRange(1, 64), default=2, show_default=True)
@click.option(
    "--delay",
    type=click.FloatRange(0),
    default=1.0,
    show_default=True,
    help="Seconds between starts per host.",
)
@click.option(
    "--deadline", type=click.FloatRange(0.1), default=60.0, show_default=True, help="Seconds per request."
)
@click.option("--max-bytes", type=click.IntRange(1024), default=10 * 1024 * 1024, show_default=True)
@click.option("--retries", type=click.IntRange(0, 20), default=3, show_default=True)
@click.option("--contact", help="URL or e-mail added to the User-Agent, so publishers can reach you.")
@click.option(
    "--allow-address",
    "allow_addresses",
    multiple=True,
    help="Allow connections to this address or CIDR network (private ones are refused). Repeatable.",
)
@click.option("--ignore-robots", is_flag=True, help="Do not read robots.txt (only for sites you run).")
@click.option(
    "--config", "config_path", type=click.Path(exists=True, dir_okay=False), help="TOML config file."
)
def fetch(
    urls_file: str | None,
    sitemap: str | None,
    feed: str | None,
    output: Path | None,
    errors_path: str | None,
    warc: Path | None,
    cache_dir: Path | None,
    concurrency: int,
    per_host: int,
    delay: float,
    deadline: float,
    max_bytes: int,
    retries: int,
    contact: str | None,
    allow_addresses: tuple[str, ...],
    ignore_robots: bool,
    config_path: str | None,
) -> None:
    """Fetch URLS_FILE (one URL per line), a --sitemap or a --feed, and clean every page."""
    from newsclean.crawl import crawl
    from newsclean.fetch import FetchPolicy, parse_networks, read_url_list

    if urls_file is None and sitemap is None and feed is None:
        raise click.UsageError("give a file of URLs, --sitemap URL or --feed URL")
    config = _config(config_path, ())
    try:
        policy = FetchPolicy(
            contact=contact,
            concurrency=concurrency,
            per_host=per_host,
            delay=delay,
            deadline=deadline,
            max_bytes=max_bytes,
            retries=retries,
            obey_robots=not ignore_robots,
            allow_addresses=parse_networks(list(allow_addresses)),
        ).validate()
        urls = list(read_url_list(Path(urls_file).read_text("utf-8").splitlines())) if urls_file else []
    except NewscleanError as exc:
        raise click.UsageError(str(exc)) from exc
    if errors_path is None and output is not None:
        errors_path = str(output.with_suffix("")) + ".errors.jsonl"
    bar: list[Any] = []

    def listed(total: int) -> None:
        if sys.stderr.isatty() and total > 1:
            bar.append(click.progressbar(length=total, label="fetching", file=sys.stderr))
            bar[0].__enter__()

    def done(record: object) -> None:
        if bar:
            bar[0].update(1)

    errors_stream = Path(errors_path).open("wb") if errors_path else sys.stderr.buffer  # noqa: SIM115
    try:
        summary = crawl(
            urls,
            output=output if output is not None else sys.stdout.buffer,
            errors=errors_stream,
            policy=policy,
            config=config,
            sitemap=sitemap,
            feed=feed,
            cache_dir=cache_dir,
            warc=warc,
            on_listed=listed,
            on_done=done,
        )
    except KeyboardInterrupt:
        click.echo("newsclean: interrupted; finished lines are kept, re-run to resume", err=True)
        sys.exit(130)
    finally:
        if bar:
            bar[0].__exit__(None, None, None)
        if errors_path:
            errors_stream.close()
    click.echo(
        f"newsclean: {summary.listed} URLs listed, {summary.skipped_done} already done, "
        f"{summary.articles} articles, {summary.errors} errors "
        f"({summary.downloaded} downloaded, {summary.from_cache} unchanged from the cache)",
        err=True,
    )
    for problem in summary.discovery_errors[:5]:
        click.echo(f"  discovery: {problem}", err=True)
    sys.exit(1 if summary.errors or summary.discovery_errors else 0)


@cli.command()
@click.argument("path", type=click.Path(path_type=str))
@click.option(
    "--config", "config_path", type=click.Path(exists=True, dir_okay=False), help="TOML config file."
)
def explain(path: str, config_path: str | None) -> None:
    """Show the cleaned text of PATH and, for every removed line, the rule that removed it."""
    config = _config(config_path, ())
    try:
        article = clean_file(path, config)
    except NewscleanError as exc:
        click.echo(f"newsclean: {type(exc).__name__}: {exc}", err=True)
        sys.exit(1)
    out = click.echo
    out(f"title:     {article.title}")
    out(f"site:      {article.site_name}")
    out(f"published: {article.published}")
    out(f"authors:   {', '.join(article.authors)}")
    out(f"agencies:  {', '.join(article.agencies)}")
    out(f"language:  {article.language} ({article.language_confidence:.2f})")
    for notice in article.warnings:
        out(f"warning:   {notice.code}: {notice.message}")
    out("")
    out("--- text " + "-" * 62)
    out(article.text)
    out("--- removed " + "-" * 59)
    for removal in article.removed:
        span = f"{removal.line}" if removal.line == removal.end_line else f"{removal.line}-{removal.end_line}"
        first = removal.text.split("\n")[0]
        more = " …" if "\n" in removal.text or removal.truncated else ""
        out(f"line {span:>7}  {removal.rule}  ({removal.action})  {first}{more}")
    if not article.removed:
        out("(nothing)")


@cli.command()
def schema() -> None:
    """Print the JSON Schema of one output line (an article or an error record)."""
    click.echo(schema_text())


def schema_text() -> str:
    """The schema as written to docs/schema.json."""
    return json.dumps(json_schema(), indent=2, sort_keys=True, ensure_ascii=False)


def main(argv: list[str] | None = None, stream: IO[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=argv, prog_name="newsclean")


if __name__ == "__main__":  # pragma: no cover
    main()
