"""Feed health: the states, as `invoke status` and the status/ page show them."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from conftest import Reply
from haokan.core.health import Watched, assess, table
from haokan.core.model import FeedStatus

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
SHANGHAI = ZoneInfo("Asia/Shanghai")


FEED = Watched("u", "A", "subscription")


def test_each_state_in_words():
    fine = FeedStatus("u", "subscription", last_success=NOW, entries=5, newest=NOW - DAY)
    assert assess(fine, FEED, NOW, 30, UTC).state == "ok"
    failing = FeedStatus(
        "u",
        "friend",
        last_success=NOW - DAY,
        last_error="HTTP 500 Internal Server Error",
        failures=2,
    )
    health = assess(failing, FEED, NOW, 30, UTC)
    assert (health.state, health.note) == ("failing", "HTTP 500 Internal Server Error")
    waiting = FeedStatus(
        "u", "subscription", last_error="HTTP 503", failures=4, next_attempt=NOW + DAY
    )
    assert assess(waiting, FEED, NOW, 30, UTC).note == (
        "4 failures in a row; next try after 2026-11-25 12:00 UTC"
    )
    assert assess(waiting, FEED, NOW, 30, SHANGHAI).note == (
        "4 failures in a row; next try after 2026-11-25 20:00 Asia/Shanghai"
    )
    stale = FeedStatus("u", "subscription", last_success=NOW, entries=3, newest=NOW - 45 * DAY)
    health = assess(stale, FEED, NOW, 30, UTC)
    assert (health.state, health.note) == (
        "stale",
        "no new entry in 45 days (HAOKAN_STALE_DAYS = 30)",
    )
    assert assess(None, FEED, NOW, 30, UTC).words == "never fetched"


def test_the_feeds_that_need_a_look_come_first():
    feeds = [Watched(u, u, "subscription") for u in ("fine", "gone", "old", "new")]
    records = {
        "fine": FeedStatus("fine", "subscription", entries=1, newest=NOW),
        "gone": FeedStatus("gone", "subscription", last_error="HTTP 404", failures=1),
        "old": FeedStatus("old", "subscription", entries=1, newest=NOW - 90 * DAY),
    }
    rows = table(feeds, records, NOW, 30, UTC)
    assert [(r.name, r.state) for r in rows] == [
        ("gone", "failing"),
        ("old", "stale"),
        ("new", "never"),
        ("fine", "ok"),
    ]


@pytest.mark.slow
def test_status_shows_a_healthy_a_failing_and_a_stale_feed(server, site):
    recent = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")
    server.routes["/healthy"] = Reply(
        f'<rss version="2.0"><channel><title>h</title><item><guid>1</guid><title>new</title>'
        f"<pubDate>{recent}</pubDate></item></channel></rss>".encode()
    )
    server.routes["/stale"] = Reply(
        b'<rss version="2.0"><channel><title>s</title><item><guid>1</guid><title>old</title>'
        b"<pubDate>Mon, 03 Mar 2025 10:00:00 GMT</pubDate></item></channel></rss>"
    )
    server.routes["/failing"] = Reply(b"", 404)
    site.subscribe_to({n: server.url(f"/{n}") for n in ("healthy", "stale", "failing")})
    site.invoke("fetch")
    out = site.invoke("status").stdout
    rows = {line.split("│")[1].strip(): line for line in out.splitlines() if line.count("│") > 5}
    assert "Feed health (times in Asia/Shanghai)" in out
    assert "│ ok " in rows["healthy"]
    assert "│ stale " in rows["stale"] and "no new entry in" in rows["stale"]
    assert "│ failing " in rows["failing"] and "HTTP 404 Not Found" in rows["failing"]
    assert "3 feeds: 1 ok, 2 need a look." in out
    site.invoke("build")
    page = site.page("status/index.html")
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "（Asia/Shanghai）的抓取情况" in page
    assert (
        page.index('class="state-failing"')
        < page.index('class="state-stale"')
        < page.index('class="state-ok"')
    )
    assert 'class="state-failing"' in page and 'class="state-stale"' in page
    assert 'href="../status/"' in site.page("subscriptions/index.html")  # linked from the footer
