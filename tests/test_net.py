"""One HTTP fetch, against httpx.MockTransport: validators, 304, 429 and Retry-After, redirects.

The address guard sits below httpx (guard.py) and is exercised on loopback in test_fetch.py;
here the transport is a function, so each answer is exactly what the test says.
"""

import asyncio
from datetime import UTC, datetime

import httpx

from haokan.ingest.net import Fetched, fetch, new_client, retry_after_seconds

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
FEED = b"<rss version='2.0'><channel><title>t</title></channel></rss>"


def get(handler, url="https://feeds.example/feed", etag=None, modified=None, cap=1 << 20):
    """Fetch `url` with every request answered by `handler`; return (result, requests seen)."""
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    async def run() -> Fetched:
        async with new_client(False, httpx.MockTransport(answer)) as client:
            return await fetch(client, url, etag, modified, cap, 5.0, NOW)

    return asyncio.run(run()), seen


def test_validators_are_sent_and_a_304_is_not_modified():
    def handler(request):
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304)
        return httpx.Response(200, content=FEED)

    result, seen = get(handler, etag='"v1"', modified="Tue, 24 Nov 2026 10:00:00 GMT")
    assert result.status == "not_modified"
    assert seen[0].headers["if-modified-since"] == "Tue, 24 Nov 2026 10:00:00 GMT"
    assert "feed" in seen[0].headers["accept"] and seen[0].headers["user-agent"].startswith(
        "Haokan/"
    )


def test_a_200_brings_the_body_and_the_new_validators():
    headers = {"ETag": '"v2"', "Last-Modified": "Wed", "Content-Type": "application/rss+xml"}
    result, _ = get(lambda request: httpx.Response(200, content=FEED, headers=headers))
    assert (result.status, result.body, result.etag, result.last_modified) == (
        "ok",
        FEED,
        '"v2"',
        "Wed",
    )
    assert result.content_type == "application/rss+xml"


def test_429_says_why_and_how_long_the_server_asks_us_to_wait():
    result, _ = get(lambda request: httpx.Response(429, headers={"Retry-After": "120"}))
    assert result.status == "failed"
    assert result.reason == "HTTP 429 Too Many Requests: the server asks us to slow down"
    assert result.retry_after == 120.0
    dated = {"Retry-After": "Tue, 24 Nov 2026 13:00:00 GMT"}
    result, _ = get(lambda request: httpx.Response(503, headers=dated))
    assert result.retry_after == 3600.0 and "HTTP 503 Service Unavailable" in result.reason


def test_retry_after_in_seconds_a_date_or_nonsense():
    assert retry_after_seconds("30", NOW) == 30.0
    assert retry_after_seconds("Tue, 24 Nov 2026 12:10:00 GMT", NOW) == 600.0
    assert retry_after_seconds("Mon, 23 Nov 2026 12:00:00 GMT", NOW) == 0.0  # already past
    assert retry_after_seconds("soon", NOW) is None
    assert retry_after_seconds(None, NOW) is None


def test_redirects_are_followed_relative_to_where_they_come_from():
    def handler(request):
        hops = {
            "/feed": "/moved/",
            "/moved/": "https://cdn.example/final.xml",
        }
        if request.url.path in hops and request.url.host == "feeds.example":
            return httpx.Response(301, headers={"Location": hops[request.url.path]})
        return httpx.Response(200, content=FEED)

    result, seen = get(handler)
    assert [str(r.url) for r in seen] == [
        "https://feeds.example/feed",
        "https://feeds.example/moved/",
        "https://cdn.example/final.xml",
    ]
    assert (result.status, result.url) == ("ok", "https://cdn.example/final.xml")


def test_a_redirect_loop_stops_after_five_hops():
    result, seen = get(lambda request: httpx.Response(302, headers={"Location": "/again"}))
    assert result.status == "failed" and "more than 5 redirects" in result.reason
    assert len(seen) == 6  # the first request and five redirects


def test_a_redirect_out_of_http_is_refused_in_words():
    result, seen = get(lambda r: httpx.Response(301, headers={"Location": "file:///etc/passwd"}))
    assert result.reason == "redirected to an address that is not http(s): 'file:///etc/passwd'"
    assert len(seen) == 1


def test_a_body_past_the_cap_is_refused_without_keeping_it():
    result, _ = get(lambda request: httpx.Response(200, content=b"x" * 3000), cap=2048)
    assert result.status == "failed" and result.body == b""
    assert "larger than" in result.reason


def test_other_statuses_are_failures_in_words():
    for code, words in {
        404: "HTTP 404 Not Found: the feed is not there; check the address",
        410: "HTTP 410 Gone: the feed was removed for good",
        204: "HTTP 204 No Content: unexpected answer",
        599: "HTTP 599 unknown status: the server failed",
    }.items():
        result, _ = get(lambda request, code=code: httpx.Response(code))
        assert (result.status, result.reason) == ("failed", words)
