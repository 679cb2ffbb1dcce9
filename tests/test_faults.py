"""The fault matrix: every misbehaving server fails its own feed, in words, on time,
while every other feed is fetched and stored and nothing stored is lost."""

import asyncio
import gzip
import ipaddress
import time

import pytest

from conftest import NOW, Reply, fixture_bytes, make_site
from haokan.ingest.fetch import Source, fetch_all
from haokan.storage.store import Store

GOOD = fixture_bytes("simple.atom.xml")
# Each feed's deadline in the faulted run. Every fault but the slow ones answers at once, yet
# 64 at once beside other test workers once took a loopback redirect past 2 s.
DEADLINE = 4.0
LATE = f"no complete answer within {DEADLINE:g} s"
PRIMING_DEADLINE = 30.0
LOOPBACK_ONLY = (ipaddress.ip_network("127.0.0.0/8"),)
CHINESE_RSS = (
    '<?xml version="1.0" encoding="{declared}"?><rss version="2.0"><channel>'
    "<title>编码</title><item><guid>zh-1</guid><title>中文标题</title>"
    "<link>https://zh.example/1</link></item></channel></rss>"
)


def etag_every_time():
    counter = iter(range(10**6))
    return lambda handler: Reply(GOOD, headers={"ETag": f'"v{next(counter)}"'})


def redirect(location: str) -> Reply:
    return Reply(status=302, headers={"Location": location})


# name: (what the server does, outcome, words the report must contain)
FAULTS = {
    "slow-headers": (Reply(GOOD, delay=DEADLINE + 2), "failed", LATE),
    "drip-body": (Reply(GOOD, drip=DEADLINE / 5), "failed", LATE),  # 13 pieces, 5 a deadline
    "error-500": (Reply(b"oops", 500), "failed", "HTTP 500 Internal Server Error"),
    "unavailable-503": (Reply(b"", 503), "failed", "HTTP 503 Service Unavailable"),
    "too-many-429": (
        Reply(b"", 429, {"Retry-After": "120"}),
        "failed",
        "HTTP 429 Too Many Requests: the server asks us to slow down; next try",
    ),
    "redirect-loop": (
        Reply(status=301, headers={"Location": "/redirect-loop"}),
        "failed",
        "more than 5 redirects",
    ),
    "redirect-chain": (redirect("/chain/1"), "failed", "more than 5 redirects"),
    "redirect-ftp": (redirect("ftp://example.org/feed"), "failed", "not http(s): 'ftp:"),
    "redirect-file": (redirect("file:///etc/passwd"), "failed", "not http(s): 'file:"),
    "redirect-javascript": (
        redirect("javascript:alert(1)"),
        "failed",
        "the server sent an invalid address",
    ),
    "redirect-link-local": (
        redirect("http://169.254.169.254/latest/meta-data/"),
        "failed",
        "169.254.169.254, which is not a public address",
    ),
    "redirect-private": (
        redirect("http://10.0.0.1/feed"),
        "failed",
        "10.0.0.1, which is not a public address",
    ),
    "redirect-ipv6-loopback": (
        redirect("http://[::1]:9/feed"),
        "failed",
        "::1, which is not a public address",
    ),
    "gzip-bomb": (
        Reply(gzip.compress(b"<rss>" + b" " * (40 << 20)), headers={"Content-Encoding": "gzip"}),
        "failed",
        "larger than 15 MiB (after decompression)",
    ),
    "oversize": (Reply(b"<rss>" + b" " * (16 << 20)), "failed", "larger than 15 MiB"),
    "cut-mid-body": (
        Reply(GOOD, cut_at=200),
        "failed",
        "the server closed the connection or broke the HTTP protocol",
    ),
    "truncated-document": (
        Reply(GOOD[: GOOD.index(b"</entry>") + 8]),
        "unchanged",
        "read despite errors",
    ),
    "body-local-path": (Reply(b"/etc/passwd"), "failed", "not a readable feed"),
    "body-file-url": (Reply(b"file:///etc/passwd"), "failed", "not a readable feed"),
    "html-page": (
        Reply(fixture_bytes("html-page.html"), headers={"Content-Type": "text/html"}),
        "failed",
        "this is a web page (HTML), not a feed",
    ),
    "empty-200": (Reply(b""), "failed", "the document is empty"),
    "entity-expansion": (
        Reply(fixture_bytes("entity-expansion.xml")),
        "failed",
        "declares XML entities",
    ),
    "wrong-charset": (
        Reply(
            CHINESE_RSS.format(declared="utf-8").encode(),
            headers={"Content-Type": "application/rss+xml; charset=iso-8859-1"},
        ),
        "updated",
        "",
    ),
    "no-charset": (
        Reply(CHINESE_RSS.format(declared="utf-8").encode().replace(b' encoding="utf-8"', b"")),
        "updated",
        "",
    ),
    "utf16-bom": (Reply(CHINESE_RSS.format(declared="utf-16").encode("utf-16")), "updated", ""),
    "invalid-utf8": (
        Reply(
            CHINESE_RSS.format(declared="utf-8").encode().replace("中文".encode(), b"\xff\xfe\xc3(")
        ),
        "updated",
        "",
    ),
    "etag-every-time": (etag_every_time(), "unchanged", ""),
}


def run(server, store, names, allowance, deadline=DEADLINE):
    sources = [Source(server.url(f"/{name}"), "subscription", name) for name in names]
    started = time.monotonic()
    reports = asyncio.run(
        fetch_all(
            sources, store, allow_private=allowance, concurrency=64, deadline=deadline, now=NOW
        )
    )
    return {r.source.name: r for r in reports}, time.monotonic() - started


@pytest.fixture
def primed(server, tmp_path):
    """A site whose store holds the two good entries in every feed of the matrix."""
    names = ["good", *FAULTS]
    for name in names:
        server.routes[f"/{name}"] = Reply(GOOD)
    for hop in range(1, 8):
        server.routes[f"/chain/{hop}"] = redirect(f"/chain/{hop + 1}")
    site = make_site(tmp_path / "site")
    site.subscribe_to({name: server.url(f"/{name}") for name in names})
    (site.root / "cache").mkdir()
    with Store(site.root / "cache" / "haokan.sqlite3") as store:
        # Priming is not what is tested: a generous deadline, so a loaded machine (64 feeds at
        # once beside other test workers) does not fail a good feed here.
        first, _ = run(server, store, names, LOOPBACK_ONLY, deadline=PRIMING_DEADLINE)
        assert {n: r.outcome for n, r in first.items() if r.outcome != "updated"} == {}
        yield store, names, site


def test_every_fault_fails_alone_in_words_on_time_and_loses_nothing(server, primed):
    store, names, site = primed
    before = {n: {r.entry.key for r in store.entries([server.url(f"/{n}")])} for n in names}
    for name, (reply, _, _) in FAULTS.items():
        server.routes[f"/{name}"] = reply
    server.routes["/good"] = Reply(GOOD.replace(b"First post", b"First post, edited"))
    reports, seconds = run(server, store, names, LOOPBACK_ONLY)

    assert seconds < DEADLINE + 6  # one deadline for all (they run at once), plus parsing
    assert reports["good"].outcome == "updated" and reports["good"].updated == 1
    for name, (_, outcome, words) in FAULTS.items():
        report = reports[name]
        assert report.outcome == outcome, (name, report)
        assert words in report.reason, (name, report.reason)
    for name in names:
        after = {r.entry.key for r in store.entries([server.url(f"/{name}")])}
        assert before[name] <= after, name  # nothing stored was lost
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    site.invoke("build")  # and the site still builds, every feed's folder with its entries
    for name in names:
        assert site.page(f"subscriptions/{name}/index.html").count('class="entry"') >= 2, name


def test_charset_faults_still_read_chinese(server, primed):
    store, _, _ = primed
    for name in ("wrong-charset", "no-charset", "utf16-bom"):
        server.routes[f"/{name}"] = FAULTS[name][0]
    run(server, store, ["wrong-charset", "no-charset", "utf16-bom"], LOOPBACK_ONLY)
    for name in ("no-charset", "utf16-bom"):
        titles = {r.entry.title for r in store.entries([server.url(f"/{name}")])}
        assert "中文标题" in titles, name
