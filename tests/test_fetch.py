"""Fetching over loopback HTTP: conditional GET, failures in words, backoff, address guard."""

import asyncio
import gzip
import socket
import threading
import time
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

import pytest

from conftest import NOW, FeedServer, Reply, fixture_bytes
from haokan.ingest import guard
from haokan.ingest.fetch import Source, fetch_all
from haokan.ingest.net import fetch, new_client
from haokan.storage.store import Store

GOOD = fixture_bytes("simple.atom.xml")


def run(server, store, paths, allow_private=True, now=NOW, deadline=5.0, force=False, zone=UTC):
    sources = [Source(server.url(p), "subscription", p) for p in paths]
    reports = asyncio.run(
        fetch_all(
            sources,
            store,
            allow_private=allow_private,
            concurrency=4,
            deadline=deadline,
            now=now,
            force=force,
            zone=zone,
        )
    )
    return {r.source.name: r for r in reports}


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "store.sqlite3") as s:
        yield s


def test_second_fetch_sends_validators_and_rewrites_nothing(server, store):
    def conditional(handler):
        if handler.headers.get("If-None-Match") == '"v1"':
            return Reply(status=304)
        return Reply(
            GOOD,
            headers={
                "ETag": '"v1"',
                "Last-Modified": "Tue, 24 Nov 2026 10:00:00 GMT",
                "Content-Type": "application/atom+xml",
            },
        )

    server.routes["/feed"] = conditional
    assert run(server, store, ["/feed"])["/feed"].new == 2
    before = store.db.execute("SELECT * FROM entries ORDER BY key").fetchall()
    report = run(server, store, ["/feed"], now=NOW + timedelta(hours=1))["/feed"]
    assert report.outcome == "not_modified"
    second = server.hits("/feed")[1]
    assert second["if-none-match"] == '"v1"'
    assert second["if-modified-since"] == "Tue, 24 Nov 2026 10:00:00 GMT"
    assert store.db.execute("SELECT * FROM entries ORDER BY key").fetchall() == before


def test_gzip_bodies_are_decompressed(server, store):
    server.routes["/gz"] = Reply(gzip.compress(GOOD), headers={"Content-Encoding": "gzip"})
    assert run(server, store, ["/gz"])["/gz"].new == 2


FAILURES = {
    "/missing": (Reply(b"gone", 404), "HTTP 404 Not Found: the feed is not there"),
    "/error": (Reply(b"oops", 500), "HTTP 500 Internal Server Error: the server failed"),
    "/slow": (Reply(GOOD, delay=3), "no complete answer within 1 s"),
    "/loop": (Reply(status=302, headers={"Location": "/loop"}), "more than 5 redirects"),
    "/to-file": (
        Reply(status=301, headers={"Location": "file:///etc/passwd"}),
        "redirected to an address that is not http(s)",
    ),
    "/huge": (Reply(b"<rss>" + b" " * (16 * 1024 * 1024)), "larger than 15 MiB"),
    "/bomb": (
        Reply(gzip.compress(b" " * (20 * 1024 * 1024)), headers={"Content-Encoding": "gzip"}),
        "larger than 15 MiB (after decompression)",
    ),
    "/entity": (Reply(fixture_bytes("entity-expansion.xml")), "declares XML entities"),
    "/html": (
        Reply(fixture_bytes("html-page.html"), headers={"Content-Type": "text/html"}),
        "web page (HTML), not a feed",
    ),
    "/empty": (Reply(b""), "the document is empty"),
}


def test_each_failure_is_reported_in_words_and_the_good_feed_is_stored(server, store):
    server.routes["/good"] = Reply(GOOD)
    for path, (reply, _) in FAILURES.items():
        server.routes[path] = reply
    reports = run(server, store, ["/good", *FAILURES], deadline=1.0)
    assert reports["/good"].outcome == "updated" and reports["/good"].new == 2
    for path, (_, words) in FAILURES.items():
        assert reports[path].outcome == "failed", path
        assert words in reports[path].reason, (path, reports[path].reason)
    assert len(store.entries([server.url("/good")])) == 2


def test_a_failing_feed_keeps_what_it_had(server, store):
    server.routes["/feed"] = Reply(GOOD)
    run(server, store, ["/feed"])
    server.routes["/feed"] = Reply(b"oops", 500)
    assert run(server, store, ["/feed"])["/feed"].outcome == "failed"
    assert len(store.entries([server.url("/feed")])) == 2


def test_private_addresses_are_refused_unless_allowed(server, store):
    server.routes["/feed"] = Reply(GOOD)
    report = run(server, store, ["/feed"], allow_private=False)["/feed"]
    assert report.outcome == "failed"
    assert "127.0.0.1, which is not a public address" in report.reason
    assert "HAOKAN_ALLOW_PRIVATE_ADDRESSES" in report.reason
    assert server.requests == []  # refused before connecting


def test_redirect_to_a_private_address_is_checked_again(server, store):
    server.routes["/feed"] = Reply(GOOD)
    sources = [Source("http://localhost:1/x", "subscription", "x")]
    (report,) = asyncio.run(
        fetch_all(sources, store, allow_private=False, concurrency=1, deadline=5, now=NOW)
    )
    assert "not a public address" in report.reason


def test_429_retry_after_is_honoured(server, store):
    server.routes["/busy"] = Reply(b"", 429, {"Retry-After": "3600"})
    report = run(server, store, ["/busy"])["/busy"]
    assert "HTTP 429" in report.reason and "next try after 2026-11-24 13:00 UTC" in report.reason
    skipped = run(server, store, ["/busy"], now=NOW + timedelta(minutes=30))["/busy"]
    assert skipped.outcome == "skipped"
    assert len(server.hits("/busy")) == 1  # we waited as asked
    server.routes["/busy"] = Reply(GOOD)
    assert run(server, store, ["/busy"], now=NOW + timedelta(minutes=61))["/busy"].new == 2


def test_times_in_reasons_are_in_the_sites_zone(server, store):
    server.routes["/busy"] = Reply(b"", 429, {"Retry-After": "3600"})
    report = run(server, store, ["/busy"], zone=ZoneInfo("Asia/Shanghai"))["/busy"]
    assert report.reason.endswith("next try after 2026-11-24 21:00 Asia/Shanghai")


def test_backoff_after_three_failures_and_recovery_on_success(server, store):
    server.routes["/flaky"] = Reply(b"", 503)
    for attempt in range(3):
        report = run(server, store, ["/flaky"], now=NOW + timedelta(minutes=attempt))["/flaky"]
        assert report.outcome == "failed"
    assert "next try after" in report.reason  # the third strike starts the backoff
    later = NOW + timedelta(minutes=10)
    assert run(server, store, ["/flaky"], now=later)["/flaky"].outcome == "skipped"
    server.routes["/flaky"] = Reply(GOOD)
    assert run(server, store, ["/flaky"], now=later, force=True)["/flaky"].outcome == "updated"
    state = store.feed_status(server.url("/flaky"), "subscription")
    assert (state.failures, state.next_attempt, state.last_error) == (0, None, None)


def test_a_large_fetch_summary_shows_failures_and_changes_not_every_feed(capsys):
    from haokan.cli.report import SUMMARY_ROWS, fetch_summary
    from haokan.ingest.fetch import FeedReport

    def report(name: str, outcome: str, **counts: int) -> FeedReport:
        return FeedReport(
            Source(f"https://{name}.example/", "subscription", name), outcome, **counts
        )  # type: ignore[arg-type]

    reports = [report(f"quiet{n:03}", "not_modified") for n in range(300)]
    reports += [report(f"busy{n:03}", "updated", new=2) for n in range(60)]
    reports.append(
        FeedReport(
            Source("https://zz.example/", "subscription", "zz broken"), "failed", reason="HTTP 500"
        )
    )
    fetch_summary(reports, 1.0)
    out = capsys.readouterr().out
    assert "zz broken" in out and "HTTP 500" in out  # failures always shown, first
    assert out.count("busy") == SUMMARY_ROWS - 1 and "quiet" not in out
    assert "321 more feeds not shown" in " ".join(out.split())
    assert "361 feeds in 1.0 s: 120 new entries, 0 updated" in " ".join(out.split())


def test_a_connection_the_server_closed_while_idle_is_not_used_again():
    """The pool asks each idle connection whether the server hung up (guard.py answers from the
    socket it keeps): the next feed then goes on a new connection instead of failing."""
    listener = socket.create_server(("127.0.0.1", 0))
    port, connections = listener.getsockname()[1], []

    def serve() -> None:
        for _ in range(2):
            conn, _ = listener.accept()
            connections.append(conn)
            conn.recv(65536)
            conn.sendall(  # keep-alive, as far as the client can tell; then the server hangs up
                b"HTTP/1.1 200 OK\r\nContent-Type: application/atom+xml\r\n"
                b"Content-Length: %d\r\n\r\n" % len(GOOD) + GOOD
            )
            conn.close()

    threading.Thread(target=serve, daemon=True).start()

    async def two_feeds_through_one_client():
        async with new_client(True) as client:
            first = await fetch(client, f"http://127.0.0.1:{port}/a", None, None, 1 << 20, 5, NOW)
            await asyncio.sleep(0.2)  # the server's close reaches us
            second = await fetch(client, f"http://127.0.0.1:{port}/b", None, None, 1 << 20, 5, NOW)
            return first, second

    first, second = asyncio.run(two_feeds_through_one_client())
    listener.close()
    assert (first.status, second.status) == ("ok", "ok"), second.reason
    assert second.body == GOOD and len(connections) == 2


def test_no_more_requests_than_the_concurrency_are_in_flight_at_once(server, store):
    """The bound servers see: feeds waiting for a parser no longer hold a network place, but
    the requests in flight never exceed it."""
    lock, flight = threading.Lock(), {"now": 0, "most": 0}

    def slow(handler):
        with lock:
            flight["now"] += 1
            flight["most"] = max(flight["most"], flight["now"])
        time.sleep(0.05)
        with lock:
            flight["now"] -= 1
        return Reply(GOOD)

    paths = [f"/feed{i}" for i in range(12)]
    for path in paths:
        server.routes[path] = slow
    sources = [Source(server.url(p), "subscription", p) for p in paths]
    reports = asyncio.run(
        fetch_all(sources, store, allow_private=True, concurrency=3, deadline=5, now=NOW)
    )
    assert [r.outcome for r in reports] == ["updated"] * 12
    assert flight["most"] == 3


def test_no_more_connections_than_the_concurrency_are_kept_open(store, monkeypatch):
    """Feeds on many servers (each its own origin): the fetch holds a connection for each
    request going out, kept alive for its server's next, never dozens at once; none is left
    open at the end. Counted where the client opens and closes them (the servers notice a
    close late on a busy machine)."""
    held = {"now": 0, "most": 0, "opened": 0}

    class Counted(guard._KnownSocket):
        def __init__(self, inner):
            super().__init__(inner)
            self.counted = True
            held["now"] += 1
            held["opened"] += 1
            held["most"] = max(held["most"], held["now"])

        async def aclose(self):
            if self.counted:
                self.counted = False
                held["now"] -= 1
            await super().aclose()

    monkeypatch.setattr(guard, "_KnownSocket", Counted)
    servers = [FeedServer() for _ in range(24)]
    try:
        for feed in servers:
            feed.routes["/feed"] = Reply(GOOD, delay=0.02)
        sources = [
            Source(feed.url("/feed"), "subscription", f"f{i}") for i, feed in enumerate(servers)
        ]
        reports = asyncio.run(
            fetch_all(sources, store, allow_private=True, concurrency=3, deadline=5, now=NOW)
        )
    finally:
        for feed in servers:
            feed.close()
    assert [r.outcome for r in reports] == ["updated"] * 24
    assert held["opened"] == 24 and held["most"] == 3 and held["now"] == 0
