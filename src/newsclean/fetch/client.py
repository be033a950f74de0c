"""Fetching one URL politely and safely: the sync :class:`Fetcher` and the async :class:`AsyncFetcher`.

Both follow the same steps, written once as the small pure functions at the top of the module,
and share one :class:`~newsclean.fetch.policy.FetchPolicy`:

robots.txt (cached per host) -> wait for the host (``per_host`` at once, ``delay`` apart) ->
request (conditional, from the cache) with retries -> redirects, one hop at a time, each one
checked like the first URL -> content type -> body, decoded under the size cap -> Page.

Redirects are followed here, not by httpx, so that every hop passes robots.txt, the scheme check
and the politeness wait; the address check happens in the transport for every connection
(:mod:`newsclean.fetch.guard`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import random
import ssl
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from newsclean.errors import (
    DeadlineExceeded,
    FetchError,
    HTTPStatusError,
    NetworkError,
    RefusedAddress,
    RobotsDisallowed,
    TooManyRedirects,
    UnsupportedContent,
)
from newsclean.fetch.cache import CacheEntry, HttpCache
from newsclean.fetch.guard import DEADLINE, AsyncGuardedBackend, GuardedBackend
from newsclean.fetch.policy import PAGE_TYPES, FetchPolicy
from newsclean.fetch.robots import Robots, from_answer, host_key, robots_url
from newsclean.sources.bounded import ACCEPT_ENCODING, BoundedBody

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"


@dataclass(frozen=True)
class Page:
    """A fetched response body, decoded from its Content-Encoding, with what we know about it."""

    url: str  # as asked
    final_url: str  # after redirects
    status: int
    content_type: str | None
    charset: str | None
    body: bytes
    fetched_at: str  # ISO 8601, UTC
    from_cache: bool = False
    redirects: tuple[str, ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    raw_body: bytes | None = None  # as received (still compressed), kept only for WARC capture


@dataclass(frozen=True)
class _Answer:
    url: str
    status: int
    headers: httpx.Headers
    body: BoundedBody | None
    raw: bytes | None


# --- the steps, shared by both fetchers -------------------------------------------------------------


def _mime(headers: httpx.Headers) -> tuple[str | None, str | None]:
    value = headers.get("content-type")
    if not value:
        return None, None
    mime, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset" and val.strip():
            charset = val.strip().strip("\"'")
    return mime.strip().lower(), charset


def _check_type(url: str, headers: httpx.Headers, accept: tuple[str, ...] | None) -> None:
    mime, _ = _mime(headers)
    if accept is None or mime is None or mime in accept:
        return
    raise UnsupportedContent(f"content type {mime!r} is not a page newsclean reads", url=url, status=200)


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    left: float = when.timestamp() - (time.time() if now is None else now)
    return max(0.0, left)


def backoff_delay(policy: FetchPolicy, attempt: int, url: str) -> float:
    """Exponential backoff with jitter; the jitter is drawn from the URL, so runs are repeatable."""
    jitter: float = random.Random(f"{url}#{attempt}").random()
    return min(policy.max_backoff, policy.backoff * 2.0**attempt * (0.5 + jitter))


def _retryable(status: int) -> bool:
    return status in (408, 429) or status >= 500


def _wait_for(policy: FetchPolicy, answer: _Answer, attempt: int) -> float | None:
    """How long to wait before retrying ``answer``, or None to give up and report it."""
    if attempt >= policy.retries:
        return None
    asked = retry_after(answer.headers.get("retry-after"))
    if asked is None:
        return backoff_delay(policy, attempt, answer.url)
    return asked if asked <= policy.max_retry_after else None


def _next_hop(current: str, answer: _Answer, seen: list[str], policy: FetchPolicy) -> str | None:
    """The URL a redirect points to (checked), or None when ``answer`` is not a redirect."""
    location = answer.headers.get("location")
    if answer.status not in _REDIRECTS or not location:
        return None
    target: str = urljoin(current, str(location).strip())
    scheme = urlsplit(target).scheme.lower()
    if scheme not in ("http", "https"):
        raise RefusedAddress(f"a redirect to {target!r}: only http and https are followed", url=seen[0])
    if target in seen:
        raise TooManyRedirects(f"a redirect loop: {' -> '.join([*seen, target])}", url=seen[0])
    if len(seen) > policy.max_redirects:
        raise TooManyRedirects(f"more than {policy.max_redirects} redirects", url=seen[0])
    return target


def _page(asked: str, answer: _Answer, chain: list[str], keep_raw: bool) -> Page:
    if answer.status >= 400 or answer.body is None:
        raise HTTPStatusError(f"the server answered {answer.status}", url=asked, status=answer.status)
    mime, charset = _mime(answer.headers)
    return Page(
        url=asked,
        final_url=answer.url,
        status=answer.status,
        content_type=mime,
        charset=charset,
        body=answer.body.body(),
        fetched_at=_now(),
        redirects=tuple(chain[1:]),
        headers=tuple(answer.headers.multi_items()),
        raw_body=answer.raw if keep_raw else None,
    )


def _cached_page(asked: str, cache: HttpCache | None, current: str, chain: list[str]) -> Page | None:
    found = cache.get(current) if cache is not None else None
    if found is None:
        return None
    entry, body = found
    return Page(
        url=asked,
        final_url=entry.final_url,
        status=entry.status,
        content_type=entry.content_type,
        charset=None,
        body=body,
        fetched_at=entry.fetched_at,
        from_cache=True,
        redirects=tuple(chain[1:]),
    )


def _remember(cache: HttpCache | None, page: Page, answer: _Answer) -> None:
    if cache is None or page.from_cache:
        return
    cache.put(
        CacheEntry(
            url=answer.url,
            final_url=page.final_url,
            status=page.status,
            content_type=page.content_type,
            etag=answer.headers.get("etag"),
            last_modified=answer.headers.get("last-modified"),
            fetched_at=page.fetched_at,
        ),
        page.body,
    )


def _headers(policy: FetchPolicy, extra: dict[str, str]) -> dict[str, str]:
    return {"User-Agent": policy.agent, "Accept-Encoding": ACCEPT_ENCODING, "Accept": _ACCEPT, **extra}


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _deadline_or_network(exc: Exception, url: str, deadline: float) -> FetchError:
    if time.monotonic() >= deadline - 0.01 and isinstance(
        exc, httpx.TimeoutException | httpcore.TimeoutException
    ):
        return DeadlineExceeded("the request took longer than the deadline; reading stopped", url=url)
    if isinstance(exc, httpx.TimeoutException):
        return NetworkError(f"timed out: {exc or type(exc).__name__}", url=url)
    return NetworkError(f"{type(exc).__name__}: {exc}", url=url)


def _timeout(policy: FetchPolicy) -> httpx.Timeout:
    return httpx.Timeout(policy.read_timeout, connect=policy.connect_timeout)


def _ssl_context() -> ssl.SSLContext:
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


class _GuardedTransport(httpx.HTTPTransport):
    """httpx's transport on a connection pool whose network backend is the address guard."""

    def __init__(self, policy: FetchPolicy) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=_ssl_context(),
            max_connections=policy.concurrency,
            max_keepalive_connections=policy.concurrency,
            network_backend=GuardedBackend(policy.allow_addresses),
        )


class _AsyncGuardedTransport(httpx.AsyncHTTPTransport):
    def __init__(self, policy: FetchPolicy) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=_ssl_context(),
            max_connections=policy.concurrency,
            max_keepalive_connections=policy.concurrency,
            network_backend=AsyncGuardedBackend(policy.allow_addresses),
        )


class _Body:
    """A 2xx response's body as it arrives: decoded under the cap, raw bytes kept for WARC."""

    def __init__(self, url: str, response: httpx.Response, policy: FetchPolicy, keep_raw: bool) -> None:
        self._url = url
        self._response = response
        self._decoded = BoundedBody(response.headers.get("content-encoding"), policy.max_bytes, url=url)
        self._raw: list[bytes] | None = [] if keep_raw else None

    def feed(self, chunk: bytes) -> None:
        self._decoded.feed(chunk)
        if self._raw is not None:
            self._raw.append(chunk)

    def answer(self) -> _Answer:
        raw = b"".join(self._raw) if self._raw is not None else None
        return _Answer(self._url, self._response.status_code, self._response.headers, self._decoded, raw)


def _no_body(url: str, response: httpx.Response, accept: tuple[str, ...] | None) -> _Answer | None:
    """The answer when the body is not wanted (3xx, 4xx, 5xx); raises for a type we do not read."""
    if response.status_code >= 300:
        return _Answer(url, response.status_code, response.headers, None, None)
    _check_type(url, response.headers, accept)
    return None


def _stamped(exc: FetchError, url: str) -> FetchError:
    if exc.url is None:  # raised below httpx (the address guard), which knows no URL
        exc.url = exc.location = url
    return exc


class _Fetching:
    """What the two fetchers share: settings, robots.txt rules and start times per host, and the
    steps that do no I/O. Each subclass adds its own way of waiting and of doing the I/O."""

    def __init__(self, policy: FetchPolicy | None, cache: HttpCache | None, keep_raw: bool) -> None:
        self.policy = (policy or FetchPolicy()).validate()
        self.cache = cache
        self.keep_raw = keep_raw
        self._robots: dict[str, Robots] = {}
        self._next_start: dict[str, float] = {}

    def _claim_start(self, key: str) -> float:
        """Book the host's next start; return how long to wait for this one."""
        now = time.monotonic()
        start = max(now, self._next_start.get(key, now))
        self._next_start[key] = start + self._delay(key)
        return start - now

    def _delay(self, key: str) -> float:
        robots = self._robots.get(key)
        asked = robots.crawl_delay(self.policy.agent) if robots is not None else None
        return max(self.policy.delay, min(asked or 0.0, self.policy.max_crawl_delay))

    def _learned_robots(self, key: str, robots: Robots) -> None:
        """Store a host's rules. The robots.txt request was spaced by ``delay``; from it on, the
        host's Crawl-delay applies."""
        self._robots[key] = robots
        if key in self._next_start:
            self._next_start[key] += self._delay(key) - self.policy.delay

    def _verdict(self, robots: Robots, url: str, asked: str) -> None:
        if not robots.allowed(url, self.policy.agent):
            raise RobotsDisallowed(f"{robots.reason} disallows {url}", url=asked)

    def _finish(self, url: str, answer: _Answer, current: str, chain: list[str]) -> Page:
        if answer.status == 304:
            cached = _cached_page(url, self.cache, current, chain)
            if cached is not None:
                return cached
        page = _page(url, answer, chain, self.keep_raw)
        _remember(self.cache, page, answer)
        return page


# --- sync ----------------------------------------------------------------------------------------


class Fetcher(_Fetching):
    """Fetch URLs one at a time, politely. Use as a context manager (it owns a connection pool)."""

    def __init__(
        self, policy: FetchPolicy | None = None, *, cache: HttpCache | None = None, keep_raw: bool = False
    ) -> None:
        super().__init__(policy, cache, keep_raw)
        self._client = httpx.Client(
            transport=_GuardedTransport(self.policy),
            timeout=_timeout(self.policy),
            follow_redirects=False,
            trust_env=False,
        )
        self._lock = threading.Lock()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(self, url: str, *, accept: tuple[str, ...] | None = PAGE_TYPES) -> Page:
        """The page at ``url``; raises a FetchError subclass saying why there is none."""
        chain = [url]
        current = url
        while True:
            self._check_robots(current, chain[0])
            conditional = self.cache.conditional_headers(current) if self.cache is not None else {}
            answer = self._with_retries(current, accept, conditional)
            target = _next_hop(current, answer, chain, self.policy)
            if target is None:
                break
            chain.append(target)
            current = target
        return self._finish(url, answer, current, chain)

    def _with_retries(self, url: str, accept: tuple[str, ...] | None, extra: dict[str, str]) -> _Answer:
        attempt = 0
        while True:
            self._wait_turn(url)
            try:
                answer = self._exchange(url, accept, extra)
            except NetworkError:
                if attempt >= self.policy.retries:
                    raise
                time.sleep(backoff_delay(self.policy, attempt, url))
                attempt += 1
                continue
            wait = _wait_for(self.policy, answer, attempt) if _retryable(answer.status) else None
            if wait is None:
                return answer
            time.sleep(wait)
            attempt += 1

    def _exchange(self, url: str, accept: tuple[str, ...] | None, extra: dict[str, str]) -> _Answer:
        deadline = time.monotonic() + self.policy.deadline
        token = DEADLINE.set(deadline)
        try:
            with self._client.stream("GET", url, headers=_headers(self.policy, extra)) as response:
                early = _no_body(url, response, accept)
                if early is not None:
                    return early
                body = _Body(url, response, self.policy, self.keep_raw)
                for chunk in response.iter_raw():
                    body.feed(chunk)
                return body.answer()
        except FetchError as exc:
            raise _stamped(exc, url) from None
        except (httpx.HTTPError, httpcore.TimeoutException, OSError) as exc:
            raise _deadline_or_network(exc, url, deadline) from exc
        finally:
            DEADLINE.reset(token)

    def _wait_turn(self, url: str) -> None:
        with self._lock:
            wait = self._claim_start(host_key(url))
        if wait > 0:
            time.sleep(wait)

    def _check_robots(self, url: str, asked: str) -> None:
        if not self.policy.obey_robots:
            return
        key = host_key(url)
        robots = self._robots.get(key)
        if robots is None:
            robots = self._read_robots(url)
            self._learned_robots(key, robots)
        self._verdict(robots, url, asked)

    def _read_robots(self, url: str) -> Robots:
        target = robots_url(url)
        chain = [target]
        try:
            for _ in range(self.policy.max_redirects + 1):
                self._wait_turn(target)
                answer = self._exchange(target, None, {})
                hop = _next_hop(target, answer, chain, self.policy)
                if hop is None:
                    return from_answer(answer.status, answer.body.body() if answer.body else b"")
                chain.append(hop)
                target = hop
        except (RefusedAddress, NetworkError, DeadlineExceeded):
            raise  # the host cannot be reached at all: report that for the page, cache nothing
        except FetchError:
            pass
        return from_answer(None, b"")


# --- async ---------------------------------------------------------------------------------------


class AsyncFetcher(_Fetching):
    """Fetch many URLs at once: ``concurrency`` in all, ``per_host`` per host, ``delay`` apart."""

    def __init__(
        self, policy: FetchPolicy | None = None, *, cache: HttpCache | None = None, keep_raw: bool = False
    ) -> None:
        super().__init__(policy, cache, keep_raw)
        self._client = httpx.AsyncClient(
            transport=_AsyncGuardedTransport(self.policy),
            timeout=_timeout(self.policy),
            follow_redirects=False,
            trust_env=False,
        )
        self._robots_locks: dict[str, asyncio.Lock] = {}
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._all = asyncio.Semaphore(self.policy.concurrency)

    async def __aenter__(self) -> AsyncFetcher:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def fetch(self, url: str, *, accept: tuple[str, ...] | None = PAGE_TYPES) -> Page:
        """The page at ``url``; raises a FetchError subclass saying why there is none."""
        async with self._all:
            chain = [url]
            current = url
            while True:
                await self._check_robots(current, chain[0])
                conditional = self.cache.conditional_headers(current) if self.cache is not None else {}
                answer = await self._with_retries(current, accept, conditional)
                target = _next_hop(current, answer, chain, self.policy)
                if target is None:
                    break
                chain.append(target)
                current = target
        return self._finish(url, answer, current, chain)

    async def fetch_all(
        self, urls: Iterable[str], *, accept: tuple[str, ...] | None = PAGE_TYPES
    ) -> list[Page | FetchError]:
        """Every URL's page or the FetchError saying why not, in the order given."""

        async def one(url: str) -> Page | FetchError:
            try:
                return await self.fetch(url, accept=accept)
            except FetchError as exc:
                return exc

        return list(await asyncio.gather(*(one(u) for u in urls)))

    async def _with_retries(self, url: str, accept: tuple[str, ...] | None, extra: dict[str, str]) -> _Answer:
        attempt = 0
        while True:
            try:
                async with self._turn(url):
                    answer = await self._exchange(url, accept, extra)
            except NetworkError:
                if attempt >= self.policy.retries:
                    raise
                await asyncio.sleep(backoff_delay(self.policy, attempt, url))
                attempt += 1
                continue
            wait = _wait_for(self.policy, answer, attempt) if _retryable(answer.status) else None
            if wait is None:
                return answer
            await asyncio.sleep(wait)
            attempt += 1

    async def _exchange(self, url: str, accept: tuple[str, ...] | None, extra: dict[str, str]) -> _Answer:
        deadline = time.monotonic() + self.policy.deadline
        token = DEADLINE.set(deadline)
        try:
            async with asyncio.timeout(self.policy.deadline + 0.5):  # DNS and pool waits too
                return await self._exchange_inner(url, accept, extra)
        except FetchError as exc:
            raise _stamped(exc, url) from None
        except TimeoutError as exc:
            raise DeadlineExceeded("the request took longer than the deadline", url=url) from exc
        except (httpx.HTTPError, httpcore.TimeoutException, OSError) as exc:
            raise _deadline_or_network(exc, url, deadline) from exc
        finally:
            DEADLINE.reset(token)

    async def _exchange_inner(
        self, url: str, accept: tuple[str, ...] | None, extra: dict[str, str]
    ) -> _Answer:
        async with self._client.stream("GET", url, headers=_headers(self.policy, extra)) as response:
            early = _no_body(url, response, accept)
            if early is not None:
                return early
            body = _Body(url, response, self.policy, self.keep_raw)
            async for chunk in response.aiter_raw():
                body.feed(chunk)
            return body.answer()

    def _turn(self, url: str) -> _HostTurn:
        key = host_key(url)
        semaphore = self._hosts.setdefault(key, asyncio.Semaphore(self.policy.per_host))
        return _HostTurn(self, key, semaphore)

    async def _check_robots(self, url: str, asked: str) -> None:
        if not self.policy.obey_robots:
            return
        key = host_key(url)
        lock = self._robots_locks.setdefault(key, asyncio.Lock())
        async with lock:
            robots = self._robots.get(key)
            if robots is None:
                robots = await self._read_robots(url)
                self._learned_robots(key, robots)
        self._verdict(robots, url, asked)

    async def _read_robots(self, url: str) -> Robots:
        target = robots_url(url)
        chain = [target]
        try:
            for _ in range(self.policy.max_redirects + 1):
                async with self._turn(target):
                    answer = await self._exchange(target, None, {})
                hop = _next_hop(target, answer, chain, self.policy)
                if hop is None:
                    return from_answer(answer.status, answer.body.body() if answer.body else b"")
                chain.append(hop)
                target = hop
        except (RefusedAddress, NetworkError, DeadlineExceeded):
            raise  # the host cannot be reached at all: report that for the page, cache nothing
        except FetchError:
            pass
        return from_answer(None, b"")


class _HostTurn:
    """``per_host`` requests at once to a host, and starts at least the host's delay apart."""

    def __init__(self, fetcher: AsyncFetcher, key: str, semaphore: asyncio.Semaphore) -> None:
        self._fetcher = fetcher
        self._key = key
        self._semaphore = semaphore

    async def __aenter__(self) -> None:
        await self._semaphore.acquire()
        wait = self._fetcher._claim_start(self._key)  # one event loop: no lock needed
        if wait > 0:
            await asyncio.sleep(wait)

    async def __aexit__(self, *exc: Any) -> None:
        self._semaphore.release()
