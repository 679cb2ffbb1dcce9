"""Rows of the store by name (shell): each column listed once, each row read through its names."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from typing import Any

from ..core.images import image_urls
from ..core.model import Enclosure, Entry, FeedStatus, StoredEntry
from ..core.slugs import article_slug

SCHEMA_VERSION = 3
PRUNED = """
CREATE TABLE pruned (
    feed_url TEXT NOT NULL,
    key TEXT NOT NULL,
    pruned_at TEXT NOT NULL,
    PRIMARY KEY (feed_url, key)
);
"""
# Each image an entry shows, by address: kept (its copy beside the store), refused (never
# again), failed (tried again, up to a few times) or evicted (the cache was full).
MEDIA = """
CREATE TABLE media (
    url TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    file TEXT,
    thumb TEXT,
    width INTEGER,
    height INTEGER,
    bytes INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    reason TEXT,
    fetched_at TEXT NOT NULL
);
"""
# What turns a store of each older version into the next one. An entry stored before version
# 3 has no list of images (NULL) until the next fetch reads them from its HTML.
MIGRATIONS = {1: PRUNED, 2: MEDIA + "ALTER TABLE entries ADD COLUMN images TEXT;"}
SCHEMA = (
    PRUNED
    + MEDIA
    + """
CREATE TABLE feeds (
    url TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    site_url TEXT,
    image TEXT,
    etag TEXT,
    last_modified TEXT,
    last_attempt TEXT,
    last_success TEXT,
    last_error TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    next_attempt TEXT
);
CREATE TABLE entries (
    feed_url TEXT NOT NULL REFERENCES feeds(url),
    key TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    link TEXT,
    title TEXT NOT NULL,
    author TEXT NOT NULL,
    published TEXT NOT NULL,
    date_estimated INTEGER NOT NULL,
    updated TEXT,
    content TEXT NOT NULL,
    excerpt TEXT NOT NULL,
    reading_minutes INTEGER NOT NULL,
    image TEXT,
    enclosures TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    images TEXT,
    PRIMARY KEY (feed_url, key)
);
CREATE INDEX entries_by_date ON entries (feed_url, published DESC);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
)

# The columns an entry's own values fill, in INSERT and UPDATE alike.
ENTRY_VALUES = (
    "link",
    "title",
    "author",
    "updated",
    "content",
    "excerpt",
    "reading_minutes",
    "image",
    "enclosures",
    "fingerprint",
    "images",
)
ENTRY_COLUMNS = (
    "feed_url",
    "slug",
    "key",
    "published",
    "date_estimated",
    "first_seen",
    *ENTRY_VALUES,
)
FEED_STATUS_COLUMNS = (
    "url",
    "kind",
    "title",
    "etag",
    "last_modified",
    "last_success",
    "last_error",
    "failures",
    "next_attempt",
)


def iso(moment: datetime | None) -> str | None:
    """Return a moment as the store writes it: UTC, to the second."""
    return moment.astimezone(UTC).isoformat(timespec="seconds") if moment else None


def moment(value: str | None) -> datetime | None:
    """Return a moment the store wrote."""
    return datetime.fromisoformat(value) if value else None


def entry_slug(feed_url: str, key: str, title: str) -> str:
    """Return a stable, unique, readable URL slug for a newly stored entry."""
    return article_slug(feed_url, key, title)


def entry_values(entry: Entry) -> dict[str, Any]:
    """Return the named values of ENTRY_VALUES for `entry`."""
    return {
        "link": entry.link,
        "title": entry.title,
        "author": entry.author,
        "updated": iso(entry.updated),
        "content": entry.content,
        "excerpt": entry.excerpt,
        "reading_minutes": entry.reading_minutes,
        "image": entry.image,
        "enclosures": json.dumps([[e.url, e.type, e.length] for e in entry.enclosures]),
        "fingerprint": entry.fingerprint,
        "images": json.dumps(image_urls(entry.content, entry.image, entry.enclosures)),
    }


def stored_entry(row: sqlite3.Row) -> StoredEntry:
    """Return an entries row (every column in ENTRY_COLUMNS) as a value."""
    date = datetime.fromisoformat(row["published"])
    entry = Entry(
        key=row["key"],
        title=row["title"],
        link=row["link"],
        author=row["author"],
        published=None if row["date_estimated"] else date,
        updated=moment(row["updated"]),
        content=row["content"],
        excerpt=row["excerpt"],
        reading_minutes=row["reading_minutes"],
        image=row["image"],
        enclosures=tuple(Enclosure(u, t, n) for u, t, n in json.loads(row["enclosures"])),
    )
    return StoredEntry(
        row["feed_url"],
        row["slug"],
        entry,
        date,
        datetime.fromisoformat(row["first_seen"]),
        row["fingerprint"],
        None if row["images"] is None else tuple(json.loads(row["images"])),
    )


def feed_status(row: sqlite3.Row) -> FeedStatus:
    """Return a feeds row (FEED_STATUS_COLUMNS, and `entries`/`newest` when selected)."""
    names = row.keys()
    return FeedStatus(
        url=row["url"],
        kind=row["kind"],
        title=row["title"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        last_success=moment(row["last_success"]),
        last_error=row["last_error"],
        failures=row["failures"],
        next_attempt=moment(row["next_attempt"]),
        entries=row["entries"] if "entries" in names else 0,
        newest=moment(row["newest"]) if "newest" in names else None,
    )
