"""The store: history kept, per-feed transactions, and refusing files that are not ours."""

import sqlite3
from dataclasses import replace
from datetime import timedelta

import pytest

from conftest import NOW
from haokan.core.errors import StoreError
from haokan.core.model import Enclosure, Entry, Feed
from haokan.storage.rows import SCHEMA_VERSION
from haokan.storage.store import Store

URL = "https://e.org/feed"


def feed(*entries: Entry) -> Feed:
    return Feed("A feed", "https://e.org/", None, entries)


def entry(key: str, **fields) -> Entry:
    return Entry(
        key=key,
        title=f"title {key}",
        link=f"https://e.org/{key}",
        published=NOW - timedelta(days=1),
        content=f"<p>{key}</p>",
        **fields,
    )


def test_entries_that_leave_the_feed_stay(tmp_path):
    with Store(tmp_path / "s.db") as store:
        assert store.save_feed(
            URL, "subscription", feed(entry("a"), entry("b")), None, None, NOW
        ) == (2, 0)
        assert store.save_feed(
            URL, "subscription", feed(entry("b"), entry("c")), None, None, NOW + timedelta(hours=1)
        ) == (1, 0)
        assert {r.entry.key for r in store.entries([URL])} == {"a", "b", "c"}


def test_an_edited_entry_counts_as_updated_and_keeps_its_slug(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.save_feed(URL, "subscription", feed(entry("a")), None, None, NOW)
        slug = store.entries([URL])[0].slug
        edited = replace(entry("a"), content="<p>edited</p>", title="New title")
        assert store.save_feed(URL, "subscription", feed(edited), None, None, NOW) == (0, 1)
        (row,) = store.entries([URL])
        assert row.entry.content == "<p>edited</p>" and row.slug == slug


def test_undated_entries_keep_feed_order_and_their_first_date(tmp_path):
    undated = [Entry(key=k, title=k) for k in ("top", "middle", "bottom")]
    with Store(tmp_path / "s.db") as store:
        store.save_feed(URL, "subscription", feed(*undated), None, None, NOW)
        first = [(r.entry.key, r.date) for r in store.entries([URL])]
        assert [k for k, _ in first] == ["top", "middle", "bottom"]
        store.save_feed(URL, "subscription", feed(*undated), None, None, NOW + timedelta(days=3))
        assert [(r.entry.key, r.date) for r in store.entries([URL])] == first


def test_a_failure_in_the_middle_of_a_feed_leaves_the_previous_state(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.save_feed(URL, "subscription", feed(entry("a")), "v1", None, NOW)
        # Fails half-way through the transaction, after "new" was inserted.
        broken = replace(entry("b"), enclosures=(Enclosure("https://e.org/x", "t", object()),))
        with pytest.raises(TypeError):
            store.save_feed(URL, "subscription", feed(entry("new"), broken), "v2", None, NOW)
        assert [r.entry.key for r in store.entries([URL])] == ["a"]
        assert store.feed_status(URL, "subscription").etag == "v1"


def test_failures_count_up_and_a_success_resets_them(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.record_failure(URL, "subscription", "HTTP 500", NOW, None)
        store.record_failure(URL, "subscription", "HTTP 502", NOW, NOW + timedelta(hours=1))
        state = store.feed_status(URL, "subscription")
        assert (state.failures, state.last_error) == (2, "HTTP 502")
        assert state.next_attempt == NOW + timedelta(hours=1)
        store.record_not_modified(URL, "subscription", NOW)
        state = store.feed_status(URL, "subscription")
        assert (state.failures, state.last_error, state.next_attempt) == (0, None, None)


def test_a_file_that_is_not_sqlite_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"my precious notes\n" * 100)
    with pytest.raises(StoreError, match=r"notes\.txt: cannot use this file as the store"):
        Store(path)
    assert path.read_bytes() == b"my precious notes\n" * 100


def test_someone_elses_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE accounts (id)")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="not a Haokan store"):
        Store(path)


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "s.db"
    Store(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="newer than this Haokan understands"):
        Store(path)


def test_a_new_normalizer_forgets_validators_so_entries_are_read_again(tmp_path):
    with Store(tmp_path / "s.db") as store:
        assert store.require_normalizer("1") is False  # a new store has nothing to forget
        store.save_feed(URL, "subscription", feed(entry("a")), '"etag"', "yesterday", NOW)
        assert store.require_normalizer("1") is False
        assert store.feed_status(URL, "subscription").etag == '"etag"'
        assert store.require_normalizer("2") is True
        state = store.feed_status(URL, "subscription")
        assert (state.etag, state.last_modified) == (None, None)
        assert len(store.entries([URL])) == 1  # entries themselves stay


def test_an_undated_entry_is_never_newer_than_its_feeds_dated_ones(tmp_path):
    dated = Entry(key="dated", title="dated", published=NOW - timedelta(days=300))
    undated = [Entry(key=k, title=k) for k in ("first", "second")]
    with Store(tmp_path / "s.sqlite3") as store:
        store.save_feed(URL, "subscription", feed(undated[0], dated, undated[1]), None, None, NOW)
        rows = {r.entry.key: r for r in store.entries([URL])}
    assert rows["first"].date <= dated.published and rows["second"].date < rows["first"].date
    assert rows["first"].first_seen == NOW  # when it was first seen is still recorded
