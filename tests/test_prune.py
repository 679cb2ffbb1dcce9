"""Housekeeping: prune removes old entries for good — never a marked one, and not back at the
next fetch while their feed still lists them; bad arguments are one line; vacuum compacts."""

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from conftest import Reply
from haokan.core.model import Entry, Feed
from haokan.storage.rows import SCHEMA_VERSION
from haokan.storage.store import Store

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
URL = "https://dump.example/feed"


def feed(*keys_and_ages):
    return Feed(
        "Dump",
        entries=tuple(
            Entry(
                key, f"t {key}", f"https://dump.example/{key}", published=NOW - timedelta(days=age)
            )
            for key, age in keys_and_ages
        ),
    )


def keys(store):
    return {row.entry.key for row in store.entries([URL], content=False)}


def test_pruned_entries_stay_gone_while_their_feed_lists_them(tmp_path):
    with Store(tmp_path / "s.sqlite3") as store:
        store.save_feed(
            URL, "subscription", feed(("old", 400), ("older", 500), ("new", 1)), None, None, NOW
        )
        removed = store.prune(NOW - timedelta(days=30), set(), dry_run=False, now=NOW)
        assert removed == {URL: 2} and keys(store) == {"new"}
        # The feed changes (a genuinely new entry) but still lists the pruned ones.
        later = feed(("newest", 0), ("old", 400), ("older", 500), ("new", 1))
        assert store.save_feed(URL, "subscription", later, None, None, NOW) == (1, 0)
        assert keys(store) == {"new", "newest"}
        # Once an entry leaves its feed it is forgotten; should it return, it is new again.
        store.save_feed(URL, "subscription", feed(("newest", 0), ("new", 1)), None, None, NOW)
        store.save_feed(URL, "subscription", feed(("old", 400), ("newest", 0)), None, None, NOW)
        assert keys(store) == {"new", "newest", "old"}


def test_a_dry_run_counts_per_feed_and_changes_nothing(tmp_path):
    with Store(tmp_path / "s.sqlite3") as store:
        store.save_feed(URL, "subscription", feed(("old", 400), ("new", 1)), None, None, NOW)
        assert store.prune(NOW - timedelta(days=30), set(), dry_run=True, now=NOW) == {URL: 1}
        assert keys(store) == {"old", "new"}
        kept = store.prune(NOW - timedelta(days=30), {"https://dump.example/old"}, False, NOW)
        assert kept == {} and keys(store) == {"old", "new"}  # marked: always kept


def test_a_store_of_the_first_version_is_upgraded_in_place(tmp_path):
    path = tmp_path / "s.sqlite3"
    with Store(path) as store:
        store.save_feed(URL, "subscription", feed(("a", 1)), None, None, NOW)
    with sqlite3.connect(path) as db:  # as version 1 left it: no memory of pruned entries
        db.execute("DROP TABLE pruned")
        db.execute("DROP TABLE media")  # nor of images (version 3)
        db.execute("ALTER TABLE entries DROP COLUMN images")
        db.execute("PRAGMA user_version = 1")
    with Store(path) as store:
        assert keys(store) == {"a"}
        assert store.prune(NOW, set(), dry_run=False, now=NOW) == {URL: 1}
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


OLD_AND_NEW = b"""<rss version="2.0"><channel><title>f</title>
<item><guid>old-marked</guid><title>Old but marked</title><link>https://e.org/old-marked</link>
  <pubDate>Mon, 03 Mar 2025 10:00:00 GMT</pubDate></item>
<item><guid>old</guid><title>Old</title><link>https://e.org/old</link>
  <pubDate>Mon, 03 Mar 2025 10:00:00 GMT</pubDate></item>
<item><guid>new</guid><title>New</title><link>https://e.org/new</link>
  <pubDate>Mon, 23 Nov 2026 10:00:00 GMT</pubDate></item></channel></rss>"""


def stored_titles(site):
    db = sqlite3.connect(site.root / "cache" / "haokan.sqlite3")
    try:
        return {title for (title,) in db.execute("SELECT title FROM entries")}
    finally:
        db.close()


@pytest.mark.slow
def test_prune_through_invoke_then_the_next_fetch(server, site):
    server.routes["/f"] = Reply(OLD_AND_NEW)
    site.subscribe_to({"F": server.url("/f")})
    site.invoke("fetch")
    site.invoke("like", "https://e.org/old-marked?utm_source=x", "--title", "Old but marked")
    dry = " ".join(site.invoke("prune", "--older-than", "180", "--dry-run").stdout.split())
    assert "Would remove 1 entry published" in dry and "1 F" in dry  # per feed
    assert stored_titles(site) == {"Old but marked", "Old", "New"}
    site.invoke("prune", "--older-than", "180")
    assert stored_titles(site) == {"Old but marked", "New"}
    server.routes["/f"] = Reply(
        OLD_AND_NEW.replace(
            b"<item>", b"<item><guid>newer</guid><title>Newer</title></item><item>", 1
        )
    )
    fetched = " ".join(site.invoke("fetch").stdout.split())
    assert "1 new" in fetched
    assert stored_titles(site) == {"Old but marked", "New", "Newer"}
    bad = site.invoke("prune", "--older-than", "abc", ok=False)
    assert bad.returncode == 1 and bad.stderr.strip().splitlines() == [
        "error: --older-than 'abc': give a whole number of days, at least 1 "
        "(stored entries older than that are removed)"
    ]
    assert "Vacuumed" in site.invoke("vacuum").stdout
