"""The SQLite store: feeds with their fetch state, and every entry ever seen (history kept)."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .health import FeedRecord
from .model import Enclosure, Entry, Feed, FeedKind
from .urls import canonical_url

SCHEMA_VERSION = 1
APPLICATION_ID = 0x48414F4B  # "HAOK": tells our store from any other SQLite file

SCHEMA = """
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
    PRIMARY KEY (feed_url, key)
);
CREATE INDEX entries_by_date ON entries (feed_url, published DESC);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


NO_CONTENT = "''"


class StoreError(RuntimeError):
    """The store cannot be used; the message names the file and what to do."""


@dataclass(frozen=True)
class FeedState:
    """What the store knows about fetching one feed."""

    url: str
    kind: str
    title: str = ""
    etag: str | None = None
    last_modified: str | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    failures: int = 0
    next_attempt: datetime | None = None


@dataclass(frozen=True)
class StoredEntry:
    """An entry as the build sees it: the normalized entry plus what the store added."""

    feed_url: str
    slug: str
    entry: Entry
    date: datetime  # published, or when first seen when the feed gave no date
    first_seen: datetime
    fingerprint: str = ""  # Entry.fingerprint as stored: tells an edited entry without its HTML


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat(timespec="seconds") if moment else None


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def entry_slug(feed_url: str, key: str, title: str) -> str:
    """Return a stable, unique, readable URL slug for an entry."""
    words = re.findall(r"[a-z0-9]+", title.lower())[:8]
    digest = hashlib.sha1(f"{feed_url}\x00{key}".encode()).hexdigest()[:10]
    return "-".join([*words, digest])


class Store:
    """One open store; use as a context manager."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, isolation_level=None)
            self._check_or_create()
        except sqlite3.DatabaseError as error:
            raise StoreError(
                f"{path}: cannot use this file as the store ({error}); it was left untouched —"
                " move it away or set HAOKAN_STORE to another path"
            ) from error
        except OSError as error:
            raise StoreError(f"{path}: cannot open the store ({error.strerror})") from error

    def _check_or_create(self) -> None:
        db = self.db
        app_id, version = (
            db.execute("PRAGMA application_id").fetchone()[0],
            db.execute("PRAGMA user_version").fetchone()[0],
        )
        tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if tables and app_id != APPLICATION_ID:
            raise StoreError(
                f"{self.path}: this SQLite file is not a Haokan store; "
                "it was left untouched — set HAOKAN_STORE to another path"
            )
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: store schema {version} is newer than this Haokan "
                f"understands ({SCHEMA_VERSION}); upgrade Haokan"
            )
        db.execute("PRAGMA journal_mode=WAL")
        # WAL + NORMAL: a killed process never loses a committed feed nor corrupts the file
        # (tests/test_durability.py); only a power cut may drop the last commits. FULL would
        # fsync once per feed, which dominated a 1,000-feed fetch (docs/benchmarks.md).
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA foreign_keys=ON")
        if not tables:
            db.executescript(
                f"BEGIN; {SCHEMA} PRAGMA application_id={APPLICATION_ID}; "
                f"PRAGMA user_version={SCHEMA_VERSION}; COMMIT;"
            )

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a block as one transaction: all of it lands, or none."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def require_normalizer(self, version: str) -> bool:
        """Forget every feed's validators if entries were normalized by another version.

        Conditional GET would otherwise keep entries as an older normalizer made them.
        Return True when they were forgotten.
        """
        row = self.db.execute("SELECT value FROM meta WHERE key = 'normalizer'").fetchone()
        if row is not None and row[0] == version:
            return False
        with self.transaction() as db:
            db.execute("UPDATE feeds SET etag = NULL, last_modified = NULL")
            db.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('normalizer', ?)", (version,)
            )
        return row is not None

    # -- feeds ----------------------------------------------------------------------------

    def feed_state(self, url: str, kind: FeedKind) -> FeedState:
        """Return what we know about fetching `url` (a blank state for a new feed)."""
        row = self.db.execute(
            "SELECT url, kind, title, etag, last_modified, last_success, last_error, failures,"
            " next_attempt FROM feeds WHERE url = ?",
            (url,),
        ).fetchone()
        if row is None:
            return FeedState(url, kind)
        return FeedState(
            row[0], row[1], row[2], row[3], row[4], _time(row[5]), row[6], row[7], _time(row[8])
        )

    def _ensure_feed(self, url: str, kind: FeedKind) -> None:
        self.db.execute(
            "INSERT INTO feeds (url, kind) VALUES (?, ?) ON CONFLICT(url) DO NOTHING", (url, kind)
        )

    def record_failure(
        self, url: str, kind: FeedKind, reason: str, now: datetime, retry_at: datetime | None
    ) -> None:
        """Remember a failed fetch; the entries already stored stay untouched."""
        with self.transaction():
            self._ensure_feed(url, kind)
            self.db.execute(
                "UPDATE feeds SET last_attempt = ?, last_error = ?, failures = failures + 1,"
                " next_attempt = ? WHERE url = ?",
                (_iso(now), reason, _iso(retry_at), url),
            )

    def record_not_modified(self, url: str, kind: FeedKind, now: datetime) -> None:
        """Remember a 304: the feed is healthy and nothing else changes."""
        with self.transaction():
            self._ensure_feed(url, kind)
            self.db.execute(
                "UPDATE feeds SET last_attempt = ?, last_success = ?, last_error = NULL,"
                " failures = 0, next_attempt = NULL WHERE url = ?",
                (_iso(now), _iso(now), url),
            )

    def save_feed(
        self,
        url: str,
        kind: FeedKind,
        feed: Feed,
        etag: str | None,
        last_modified: str | None,
        now: datetime,
    ) -> tuple[int, int]:
        """Store a fetched feed and its entries in one transaction; return (new, updated)."""
        new = updated = 0
        with self.transaction() as db:
            self._ensure_feed(url, kind)
            db.execute(
                "UPDATE feeds SET title = ?, site_url = ?, image = ?, etag = ?, last_modified = ?,"
                " last_attempt = ?, last_success = ?, last_error = NULL, failures = 0,"
                " next_attempt = NULL WHERE url = ?",
                (
                    feed.title,
                    feed.site_url,
                    feed.image,
                    etag,
                    last_modified,
                    _iso(now),
                    _iso(now),
                    url,
                ),
            )
            known = dict(
                db.execute(
                    "SELECT key, fingerprint FROM entries WHERE feed_url = ?", (url,)
                ).fetchall()
            )
            for position, entry in enumerate(feed.entries):
                if entry.key not in known:
                    # Undated entries keep the feed's order: each is a second older than the last.
                    estimated = now - timedelta(seconds=position)
                    self._insert(url, entry, estimated, now)
                    new += 1
                elif known[entry.key] != entry.fingerprint:
                    self._update(url, entry, now)
                    updated += 1
            db.execute(
                "UPDATE entries SET last_seen = ? WHERE feed_url = ? AND key IN "
                "(SELECT value FROM json_each(?))",
                (_iso(now), url, json.dumps([e.key for e in feed.entries])),
            )
        return new, updated

    @staticmethod
    def _values(entry: Entry) -> tuple[object, ...]:
        enclosures = json.dumps([[e.url, e.type, e.length] for e in entry.enclosures])
        return (
            entry.link,
            entry.title,
            entry.author,
            _iso(entry.updated),
            entry.content,
            entry.excerpt,
            entry.reading_minutes,
            entry.image,
            enclosures,
            entry.fingerprint,
        )

    def _insert(self, url: str, entry: Entry, estimated: datetime, now: datetime) -> None:
        self.db.execute(
            "INSERT INTO entries (link, title, author, updated, content, excerpt,"
            " reading_minutes, image, enclosures, fingerprint, feed_url, key, slug, published,"
            " date_estimated, first_seen, last_seen)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                *self._values(entry),
                url,
                entry.key,
                entry_slug(url, entry.key, entry.title),
                _iso(entry.published or estimated),
                entry.published is None,
                _iso(now),
                _iso(now),
            ),
        )

    def _update(self, url: str, entry: Entry, now: datetime) -> None:
        # An undated entry keeps the date it was first given; a dated one takes the new date.
        self.db.execute(
            "UPDATE entries SET link = ?, title = ?, author = ?, updated = ?, content = ?,"
            " excerpt = ?, reading_minutes = ?, image = ?, enclosures = ?, fingerprint = ?,"
            " published = coalesce(?, published), date_estimated = date_estimated AND ?"
            " WHERE feed_url = ? AND key = ?",
            (*self._values(entry), _iso(entry.published), entry.published is None, url, entry.key),
        )

    # -- reading ----------------------------------------------------------------------------

    def entries(self, feed_urls: Sequence[str], content: bool = True) -> list[StoredEntry]:
        """Return every stored entry of these feeds, newest first (ties by slug); without
        `content` their HTML is left out (empty), which keeps a large store light to list."""
        rows = self.db.execute(
            "SELECT feed_url, slug, key, title, link, author, published, date_estimated, updated,"
            f" {'content' if content else NO_CONTENT}, excerpt, reading_minutes, image,"
            " enclosures, first_seen, fingerprint FROM entries"
            " WHERE feed_url IN (SELECT value FROM json_each(?))"
            " ORDER BY published DESC, slug",
            (json.dumps(list(feed_urls)),),
        )
        return [_stored(row) for row in rows]

    def contents(self, slugs: Sequence[str]) -> dict[str, str]:
        """Return the sanitized HTML of these entries, by slug."""
        rows = self.db.execute(
            "SELECT slug, content FROM entries WHERE slug IN (SELECT value FROM json_each(?))",
            (json.dumps(list(slugs)),),
        )
        return dict(rows.fetchall())

    def feed_records(self) -> dict[str, FeedRecord]:
        """Return what the store knows of every feed, with its entry count and newest date."""
        rows = self.db.execute(
            "SELECT f.url, f.kind, f.last_success, f.last_error, f.failures, f.next_attempt,"
            " count(e.key), max(e.published) FROM feeds f LEFT JOIN entries e"
            " ON e.feed_url = f.url GROUP BY f.url"
        )
        return {
            url: FeedRecord(
                url, kind, _time(success), error, failures, _time(retry), count, _time(newest)
            )
            for url, kind, success, error, failures, retry, count, newest in rows
        }

    def prune(self, before: datetime, keep: set[str], dry_run: bool) -> int:
        """Delete entries published before `before` whose canonical link is not in `keep`.

        Return how many were (or, dry, would be) deleted; all in one transaction.
        """
        old = self.db.execute(
            "SELECT feed_url, key, link FROM entries WHERE published < ?", (_iso(before),)
        ).fetchall()
        doomed = [(f, k) for f, k, link in old if not link or canonical_url(link) not in keep]
        if not dry_run and doomed:
            with self.transaction() as db:
                db.executemany("DELETE FROM entries WHERE feed_url = ? AND key = ?", doomed)
        return len(doomed)

    def vacuum(self) -> tuple[int, int]:
        """Compact the database file; return its size before and after, in bytes."""
        before = self.path.stat().st_size
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.execute("VACUUM")
        return before, self.path.stat().st_size

    def last_fetch(self) -> datetime | None:
        """Return when any feed was last fetched successfully."""
        return _time(self.db.execute("SELECT max(last_success) FROM feeds").fetchone()[0])

    def title_for(self, canonical: str) -> str | None:
        """Return the title of a stored entry whose link has this canonical URL."""
        rows = self.db.execute(
            "SELECT link, title FROM entries WHERE link IS NOT NULL ORDER BY published DESC"
        )
        return next((title for link, title in rows if canonical_url(link) == canonical), None)

    def feed_titles(self) -> dict[str, str]:
        """Return each stored feed's own title, by URL."""
        return dict(self.db.execute("SELECT url, title FROM feeds").fetchall())


def _stored(row: tuple[object, ...]) -> StoredEntry:
    (
        feed_url,
        slug,
        key,
        title,
        link,
        author,
        published,
        estimated,
        updated,
        content,
        excerpt,
        minutes,
        image,
        enclosures,
        first_seen,
        fingerprint,
    ) = row
    date = datetime.fromisoformat(str(published))
    entry = Entry(
        key=str(key),
        title=str(title),
        link=link if isinstance(link, str) else None,
        author=str(author),
        published=None if estimated else date,
        updated=_time(updated if isinstance(updated, str) else None),
        content=str(content),
        excerpt=str(excerpt),
        reading_minutes=int(str(minutes)),
        image=image if isinstance(image, str) else None,
        enclosures=tuple(Enclosure(u, t, n) for u, t, n in json.loads(str(enclosures))),
    )
    return StoredEntry(
        str(feed_url),
        str(slug),
        entry,
        date,
        datetime.fromisoformat(str(first_seen)),
        str(fingerprint),
    )
