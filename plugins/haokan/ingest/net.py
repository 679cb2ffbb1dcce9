"""HTTP for hostile feeds: few redirects, capped bodies, hard deadlines (addresses: guard.py)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import Literal

import httpx

from ..core.urls import absolute_url
from .guard import AddressRefused, Allowance, GuardedTransport

MAX_REDIRECTS = 5
CONNECT_TIMEOUT = 5.0
SUBSCRIPTION_BODY_CAP = 15 * 1024 * 1024
FRIEND_BODY_CAP = 2 * 1024 * 1024
USER_AGENT = "Haokan/0.1 (static-site feed reader; +https://github.com/haokan-reader)"
ACCEPT = (
    "application/atom+xml, application/rss+xml, application/feed+json, "
    "application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
REDIRECTS = frozenset({301, 302, 303, 307, 308})


def new_client(
    allowance: Allowance, transport: httpx.AsyncBaseTransport | None = None, at_once: int = 1
) -> httpx.AsyncClient:
    """Return the client every feed fetch goes through, for `at_once` requests at a time
    (more wait for a connection, within the timeout)."""
    return httpx.AsyncClient(
        transport=transport or GuardedTransport(allowance, at_once),
        timeout=httpx.Timeout(30.0, connect=CONNECT_TIMEOUT),
        headers={"User-Agent": USER_AGENT, "Accept": ACCEPT},
        follow_redirects=False,
        trust_env=False,
    )


@dataclass(frozen=True)
class Fetched:
    """The outcome of one HTTP fetch, in values."""

    status: Literal["ok", "not_modified", "failed"]
    url: str
    body: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    reason: str = ""
    retry_after: float | None = None  # seconds the server asked us to wait


class _Failed(Exception):
    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Return a Retry-After header (seconds or an HTTP date) as seconds from `now`."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - now).total_seconds())


def _status_words(response: httpx.Response, what: str) -> str:
    code = response.status_code
    try:
        phrase = HTTPStatus(code).phrase
    except ValueError:
        phrase = "unknown status"
    advice = {
        404: f"the {what} is not there; check the address",
        410: f"the {what} was removed for good",
        401: f"the {what} needs a login",
        403: "the server refuses to serve us",
        429: "the server asks us to slow down",
    }
    detail = advice.get(code) or ("the server failed" if code >= 500 else "unexpected answer")
    return f"HTTP {code} {phrase}: {detail}"


async def _read_capped(response: httpx.Response, cap: int, what: str) -> bytes:
    chunks, size = [], 0
    async for chunk in response.aiter_bytes():  # decompressed bytes: the cap is after gzip
        size += len(chunk)
        if size > cap:
            raise _Failed(f"the {what} is larger than {cap >> 20} MiB (after decompression)")
        chunks.append(chunk)
    return b"".join(chunks)


async def _follow(
    client: httpx.AsyncClient,
    url: str,
    headers: dict[str, str],
    cap: int,
    now: datetime,
    what: str,
) -> Fetched:
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        async with client.stream("GET", current, headers=headers) as response:
            if response.status_code in REDIRECTS:
                target = absolute_url(response.headers.get("location"), current)
                if target is None:
                    raise _Failed(
                        "redirected to an address that is not http(s): "
                        f"{response.headers.get('location', '')[:100]!r}"
                    )
                current = target
                continue
            if response.status_code == 304:
                return Fetched("not_modified", current)
            if response.status_code != 200:
                wait = retry_after_seconds(response.headers.get("retry-after"), now)
                raise _Failed(_status_words(response, what), wait)
            body = await _read_capped(response, cap, what)
            return Fetched(
                "ok",
                current,
                body,
                response.headers.get("content-type"),
                response.headers.get("etag"),
                response.headers.get("last-modified"),
            )
    raise _Failed(f"more than {MAX_REDIRECTS} redirects (a redirect loop?)")


def _connect_words(error: httpx.HTTPError) -> str:
    cause = error.__cause__
    if isinstance(cause, AddressRefused):
        return f"refused: {cause}"
    while cause is not None and not isinstance(cause, OSError):
        cause = cause.__cause__ or cause.__context__
    detail = cause.strerror if isinstance(cause, OSError) and cause.strerror else str(error)
    return f"could not connect: {(detail or type(error).__name__).lower()}"


ERROR_WORDS: dict[type[httpx.HTTPError], str] = {
    httpx.ConnectTimeout: f"could not connect within {CONNECT_TIMEOUT:g} s",
    httpx.ReadTimeout: "the server stopped sending (read timed out)",
    httpx.RemoteProtocolError: "the server closed the connection or broke the HTTP protocol",
    httpx.DecodingError: "the response could not be decompressed (corrupt gzip/deflate?)",
    httpx.UnsupportedProtocol: "not an http(s) address",
}


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    etag: str | None,
    last_modified: str | None,
    cap: int,
    deadline: float,
    now: datetime,
    accept: str | None = None,
    what: str = "feed",
) -> Fetched:
    """Fetch one feed (or, with another `accept`, an image: `what` names it in reasons),
    conditionally; every failure comes back as a reason in words."""
    headers = {"Accept": accept} if accept else {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        async with asyncio.timeout(deadline):
            return await _follow(client, url, headers, cap, now, what)
    except _Failed as failure:
        return Fetched("failed", url, reason=str(failure), retry_after=failure.retry_after)
    except TimeoutError:
        return Fetched("failed", url, reason=f"no complete answer within {deadline:g} s")
    except httpx.InvalidURL as error:  # httpx parses every Location, even with redirects off
        return Fetched("failed", url, reason=f"the server sent an invalid address ({error})")
    except httpx.HTTPError as error:
        words = next((w for kind, w in ERROR_WORDS.items() if isinstance(error, kind)), None)
        if words is None and isinstance(error, httpx.ConnectError):
            words = _connect_words(error)
        return Fetched("failed", url, reason=words or f"network error: {error}")
