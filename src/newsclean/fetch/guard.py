"""Where a connection may go, and how long a request may take: enforced below httpx, on the socket.

**Addresses.** Checking a URL's host before handing it to httpx is not enough: httpx resolves
the name again when it connects (a DNS answer can change in between: "rebinding"), and it
follows redirects on its own. So the check lives in the network backend that httpcore calls
for every new connection, redirects included: the host is resolved once, *every* address in
the answer is checked (one refused address refuses the host, so a mixed answer cannot be used
to slip through), and the socket is opened to an address that was checked. TLS still verifies
the certificate against the host name, which httpcore passes separately.

**Deadline.** An idle timeout restarts with every byte, so a server that drips one byte a
second holds it forever. The fetcher sets a deadline for the whole request in a context
variable; every connect, read and write of the wrapped streams is given at most the time left
and fails at once when none is. Connections are pooled, so the deadline cannot belong to the
stream: the context variable follows the request (per thread, per asyncio task).
"""

from __future__ import annotations

import concurrent.futures
import functools
import ipaddress
import socket
import ssl
import time
from collections.abc import Iterable
from contextvars import ContextVar
from typing import Any

import httpcore

from newsclean.errors import RefusedAddress
from newsclean.fetch.policy import IPNetwork

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: monotonic time at which the current request must be over (None: no deadline).
DEADLINE: ContextVar[float | None] = ContextVar("newsclean_fetch_deadline", default=None)


def refused(address: IPAddress, allow: tuple[IPNetwork, ...]) -> bool:
    """Whether the policy refuses ``address``: not globally routable and not explicitly allowed."""
    if any(address in network for network in allow):
        return False
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:  # an IPv6 form that reaches an IPv4 host: judge that host
            return refused(embedded, allow)
    return not address.is_global or address.is_multicast


_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_COMPATIBLE = ipaddress.ip_network("::/96")


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address inside IPv4-mapped, IPv4-compatible, 6to4, Teredo and NAT64 addresses."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if any(address in network for network in _NAT64) or (address in _COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def checked_addresses(
    host: str, answers: Iterable[tuple[Any, ...]], allow: tuple[IPNetwork, ...]
) -> list[str]:
    """The addresses of a getaddrinfo answer, in order, once every one of them has passed."""
    addresses: list[str] = []
    for *_, sockaddr in answers:
        text = str(sockaddr[0]).split("%", 1)[0]  # drop an IPv6 zone id
        address = ipaddress.ip_address(text)
        if refused(address, allow):
            raise RefusedAddress(
                f"{host} resolves to {address}, which is not a public address; "
                "allow it explicitly (allow_addresses / --allow-address) if you mean to reach it"
            )
        if text not in addresses:
            addresses.append(text)
    if not addresses:
        raise RefusedAddress(f"{host} resolves to no address")
    return addresses


def _time_left(timeout: float | None, error: type[Exception]) -> float | None:
    deadline = DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise error("the request deadline has passed")
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _time_left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _time_left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(
            ssl_context, server_hostname, _time_left(timeout, httpcore.ConnectTimeout)
        )
        return _Stream(inner)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


@functools.cache
def _resolver() -> concurrent.futures.ThreadPoolExecutor:
    """getaddrinfo cannot be interrupted; run it beside the request so the deadline still holds
    (a stuck lookup keeps its thread, not the fetch)."""
    return concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="newsclean-dns")


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's sync backend, connecting only to checked addresses, within the deadline."""

    def __init__(self, allow: tuple[IPNetwork, ...]) -> None:
        self._allow = allow
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        lookup = _resolver().submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
        try:
            answers = lookup.result(timeout=_time_left(timeout, httpcore.ConnectTimeout))
        except concurrent.futures.TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"resolving {host} took too long") from exc
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        last: Exception | None = None
        for address in checked_addresses(host, answers, self._allow):
            try:
                stream = self._inner.connect_tcp(
                    address, port, _time_left(timeout, httpcore.ConnectTimeout), local_address, socket_options
                )
            except httpcore.ConnectError as exc:
                last = exc
                continue
            return _Stream(stream)
        raise last or httpcore.ConnectError(f"cannot connect to {host}")

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise RefusedAddress("unix sockets are never used by the fetcher")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _AsyncStream(httpcore.AsyncNetworkStream):
    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, _time_left(timeout, httpcore.ReadTimeout))

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, _time_left(timeout, httpcore.WriteTimeout))

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        inner = await self._inner.start_tls(
            ssl_context, server_hostname, _time_left(timeout, httpcore.ConnectTimeout)
        )
        return _AsyncStream(inner)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class AsyncGuardedBackend(httpcore.AsyncNetworkBackend):
    """The asyncio/anyio twin of :class:`GuardedBackend`."""

    def __init__(self, allow: tuple[IPNetwork, ...]) -> None:
        self._allow = allow
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        import anyio

        try:
            with anyio.fail_after(_time_left(timeout, httpcore.ConnectTimeout)):
                answers = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"resolving {host} took too long") from exc
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        last: Exception | None = None
        for address in checked_addresses(host, answers, self._allow):
            try:
                stream = await self._inner.connect_tcp(
                    address, port, _time_left(timeout, httpcore.ConnectTimeout), local_address, socket_options
                )
            except httpcore.ConnectError as exc:
                last = exc
                continue
            return _AsyncStream(stream)
        raise last or httpcore.ConnectError(f"cannot connect to {host}")

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise RefusedAddress("unix sockets are never used by the fetcher")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)
