"""``newsclean fetch``: URLs (a list, a sitemap, a feed) -> fetched pages -> article records.

Every URL ends as one line: an Article in the output, or an ErrorRecord (with the HTTP status
when there was one) in the error report. The output is appended to with one write per line
(:mod:`newsclean.sinks.resumable`), so a run that stops (Ctrl-C, crash, kill) keeps what it
finished; re-running with the same output skips every URL already in it, after cutting a last
line the stop left unfinished.
URLs that failed are tried again on a re-run: the error report is rewritten each time.

Fetching is concurrent (asyncio, :class:`~newsclean.fetch.AsyncFetcher`); cleaning runs in a
worker thread so it does not stall the downloads. Lines are written in the order the URLs were
listed, whatever order the downloads finish in.
"""

from __future__ import annotations

import asyncio
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from newsclean._version import __version__
from newsclean.config import Config
from newsclean.errors import FetchError, NewscleanError, UnsupportedInput
from newsclean.fetch import AsyncFetcher, FetchPolicy, HttpCache, Page, read_feed, read_sitemap
from newsclean.fetch.policy import XML_TYPES
from newsclean.fetch.warc import WarcWriter
from newsclean.pipeline import clean_response
from newsclean.record import Article, ErrorRecord, Origin, Record, to_json
from newsclean.sinks import AppendSink, JsonlSink
from newsclean.sinks.resumable import done_locations

_MAX_SITEMAP_DEPTH = 3


@dataclass
class CrawlSummary:
    listed: int = 0
    skipped_done: int = 0
    articles: int = 0
    errors: int = 0
    from_cache: int = 0
    downloaded: int = 0
    discovery_errors: list[str] = field(default_factory=list)


async def discover(
    fetcher: AsyncFetcher, *, sitemap: str | None = None, feed: str | None = None
) -> tuple[list[str], list[str]]:
    """Page URLs listed by a sitemap (following index files) or a feed, and what went wrong."""
    urls: list[str] = []
    problems: list[str] = []
    if feed is not None:
        try:
            page = await fetcher.fetch(feed, accept=XML_TYPES)
            urls.extend(read_feed(page.body, page.final_url).urls)
        except NewscleanError as exc:
            problems.append(f"{feed}: {exc.message}")
    if sitemap is not None:
        queue = [(sitemap, 0)]
        seen = {sitemap}
        while queue:
            url, depth = queue.pop(0)
            try:
                page = await fetcher.fetch(url, accept=XML_TYPES)
                listing = read_sitemap(page.body, page.final_url)
            except NewscleanError as exc:
                problems.append(f"{url}: {exc.message}")
                continue
            urls.extend(listing.urls)
            for child in listing.sitemaps:
                if child not in seen and depth + 1 <= _MAX_SITEMAP_DEPTH:
                    seen.add(child)
                    queue.append((child, depth + 1))
    return list(dict.fromkeys(urls)), problems


def record_for_page(page: Page, config: Config) -> Record:
    """The article of a fetched page (or the error saying why there is none)."""
    try:
        return clean_response(
            page.body,
            url=page.final_url,
            source=page.url,
            kind="url",
            fetched_at=page.fetched_at,
            config=config,
        )
    except NewscleanError as exc:
        return _error(page.url, exc, fetched_at=page.fetched_at)


def _error(url: str, exc: NewscleanError, *, fetched_at: str | None = None) -> ErrorRecord:
    return ErrorRecord(
        origin=Origin(kind="url", location=url, fetched_at=fetched_at),
        error_type=type(exc).__name__,
        message=exc.message,
        stage=exc.stage or ("fetch" if isinstance(exc, FetchError) else None),
        http_status=exc.status if isinstance(exc, FetchError) else None,
        newsclean_version=__version__,
    )


def crawl(
    urls: Iterable[str],
    *,
    output: Path | IO[bytes],
    errors: IO[bytes],
    policy: FetchPolicy,
    config: Config,
    sitemap: str | None = None,
    feed: str | None = None,
    cache_dir: Path | None = None,
    warc: Path | None = None,
    on_listed: Callable[[int], None] | None = None,
    on_done: Callable[[Record], None] | None = None,
) -> CrawlSummary:
    """Fetch and clean every URL (plus those a sitemap or feed lists); see the module docstring."""
    return asyncio.run(
        _crawl(
            list(urls),
            output=output,
            errors=errors,
            policy=policy,
            config=config,
            sitemap=sitemap,
            feed=feed,
            cache_dir=cache_dir,
            warc=warc,
            on_listed=on_listed,
            on_done=on_done,
        )
    )


async def _crawl(
    urls: list[str],
    *,
    output: Path | IO[bytes],
    errors: IO[bytes],
    policy: FetchPolicy,
    config: Config,
    sitemap: str | None,
    feed: str | None,
    cache_dir: Path | None,
    warc: Path | None,
    on_listed: Callable[[int], None] | None,
    on_done: Callable[[Record], None] | None,
) -> CrawlSummary:
    summary = CrawlSummary()
    cache = HttpCache(cache_dir) if cache_dir is not None else None
    writer = WarcWriter(warc) if warc is not None else None
    done = done_locations(output) if isinstance(output, Path) else {}
    async with AsyncFetcher(policy, cache=cache, keep_raw=writer is not None) as fetcher:
        if sitemap is not None or feed is not None:
            found, problems = await discover(fetcher, sitemap=sitemap, feed=feed)
            urls = [*urls, *found]
            summary.discovery_errors.extend(problems)
            for problem in problems:
                errors.write(to_json(_error(problem.split(": ", 1)[0], UnsupportedInput(problem))) + b"\n")
        urls = list(dict.fromkeys(urls))
        summary.listed = len(urls)
        todo = [u for u in urls if u not in done]
        summary.skipped_done = len(urls) - len(todo)
        if on_listed is not None:
            on_listed(len(todo))
        sink = AppendSink(output, fresh=False) if isinstance(output, Path) else JsonlSink(output)
        try:
            await _run(todo, fetcher, config, sink, errors, writer, summary, on_done)
        finally:
            sink.close()
            if writer is not None:
                writer.close()
    return summary


async def _run(
    todo: list[str],
    fetcher: AsyncFetcher,
    config: Config,
    sink: AppendSink | JsonlSink,
    errors: IO[bytes],
    writer: WarcWriter | None,
    summary: CrawlSummary,
    on_done: Callable[[Record], None] | None,
) -> None:
    async def one(url: str) -> Record:
        try:
            page = await fetcher.fetch(url)
            if page.from_cache:
                summary.from_cache += 1
            else:
                summary.downloaded += 1
                if writer is not None:
                    writer.write(page)
            return await asyncio.to_thread(record_for_page, page, config)
        except FetchError as exc:
            return _error(url, exc)
        except Exception as exc:  # noqa: BLE001 - the batch boundary: one bad URL never stops the run
            return ErrorRecord(
                origin=Origin(kind="url", location=url),
                error_type="InternalError",
                message=f"{type(exc).__name__}: {exc}",
                newsclean_version=__version__,
                traceback=traceback.format_exc(),
            )

    # At most `window` URLs in flight, written in list order as soon as they are next in line.
    window = max(4, fetcher.policy.concurrency * 4)
    pending: dict[int, asyncio.Task[Record]] = {}
    next_out = 0
    for index in range(len(todo) + 1):
        if index < len(todo):
            pending[index] = asyncio.create_task(one(todo[index]))
        while next_out in pending and (
            len(pending) >= window or index == len(todo) or pending[next_out].done()
        ):
            record = await pending.pop(next_out)
            next_out += 1
            if isinstance(record, Article):
                sink.write(to_json(record))
                summary.articles += 1
            else:
                errors.write(to_json(record) + b"\n")
                errors.flush()
                summary.errors += 1
            if on_done is not None:
                on_done(record)
