"""The address guard (shell): connect only to public addresses, checked on the address that
is actually connected to, so a name cannot resolve to a private one between check and use."""

from __future__ import annotations

import asyncio
import ipaddress
import select
import socket
import ssl
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

from ..core.settings import Network

# HAOKAN_ALLOW_PRIVATE_ADDRESSES: False (public only), True (anything), or networks to allow too.
Allowance = bool | tuple[Network, ...]


class AddressRefused(httpcore.ConnectError):
    """The host resolves to an address we must not connect to."""


def _address(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        return ip.ipv4_mapped
    return ip


def is_public(address: str) -> bool:
    """Return True for a globally routable unicast address."""
    ip = _address(address)
    return ip.is_global and not ip.is_multicast


def permitted(address: str, allowance: Allowance) -> bool:
    """Return True when we may connect to `address`."""
    if allowance is True or is_public(address):
        return True
    return allowance is not False and any(_address(address) in net for net in allowance)


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolve, check every address, then connect to a checked address (no DNS rebinding)."""

    def __init__(self, allowance: Allowance) -> None:
        self.allowance = allowance
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        try:
            infos = await asyncio.wait_for(
                loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), timeout
            )
        except (OSError, TimeoutError) as error:
            raise httpcore.ConnectError(f"cannot resolve {host}: {error}") from error
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        refused = [a for a in addresses if not permitted(a, self.allowance)]
        if refused:  # one bad address refuses the host: no rebinding between answers
            raise AddressRefused(
                f"{host} resolves to {refused[0]}, which is not a public address "
                "(HAOKAN_ALLOW_PRIVATE_ADDRESSES can allow it)"
            )
        last: Exception | None = None
        for address in addresses:
            try:
                stream = await self.inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
                return _KnownSocket(stream)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                last = error
        raise last or httpcore.ConnectError(f"no address for {host}")

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not feeds")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class _KnownSocket(httpcore.AsyncNetworkStream):
    """A connected stream that knows its socket. httpcore asks each idle connection of the
    pool, at every request it places, whether the server hung up; anyio looks the socket up
    anew each time, with a system call (getpeername): 3.0 s of a 20.6 s profiled fetch."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self.inner = inner
        self.socket: socket.socket | None = inner.get_extra_info("socket")

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self.inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self.inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self.inner.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return _KnownSocket(await self.inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        if info == "socket":
            return self.socket
        if info == "is_readable":  # on an idle connection: the server closed it, or will
            if self.socket is None or self.socket.fileno() < 0:
                return True
            poller = select.poll()
            poller.register(self.socket, select.POLLIN)
            return bool(poller.poll(0))
        return self.inner.get_extra_info(info)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with our address guard as the network backend."""

    def __init__(self, allowance: Allowance, connections: int) -> None:
        super().__init__(trust_env=False, retries=0)
        # httpx has no public hook for the network backend; swap in a pool that uses ours.
        # As many connections as requests go out at once, each kept alive for its server's
        # next request. httpx's pool of 100, 20 kept alive, held a connection open to each of
        # the last 20 servers besides those in use (tests/test_fetch.py), and httpcore looks
        # over every connection, once for each idle one (its count of the idle counts them
        # all), whenever a request is placed or done. Our requests go out one at a time per
        # feed (a redirect's response is closed before the next request), so none waits.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=connections,
            max_keepalive_connections=connections,
            keepalive_expiry=5.0,
            network_backend=GuardedBackend(allowance),
        )
