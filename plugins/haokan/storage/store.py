"""The SQLite store (shell): feeds with their fetch state, and every entry ever seen (history)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from ..core.errors import StoreError
from ..core.model import Entry, Feed, FeedKind
from ..core.normalize import undated_anchor
from .housekeeping import Housekeeping
from .media import MediaRows
from .reads import Reads
from .rows import (
    ENTRY_COLUMNS,
    ENTRY_VALUES,
    MIGRATIONS,
    SCHEMA,
    SCHEMA_VERSION,
    entry_slug,
    entry_values,
    iso,
)

APPLICATION_ID = 0x48414F4B  # "HAOK": tells our store from any other SQLite file
_INSERT = (
    f"INSERT INTO entries ({', '.join(ENTRY_COLUMNS)}, last_seen)"
    f" VALUES ({', '.join(':' + c for c in ENTRY_COLUMNS)}, :first_seen)"
)
# An undated entry keeps the date it was first given; a dated one takes the new date.
_UPDATE = (
    f"UPDATE entries SET {', '.join(f'{c} = :{c}' for c in ENTRY_VALUES)},"
    " published = coalesce(:published, published),"
    " date_estimated = date_estimated AND :date_estimated"
    " WHERE feed_url = :feed_url AND key = :key"
)
_HEALTHY = "last_error = NULL, failures = 0, next_attempt = NULL"


def store_files(path: Path) -> tuple[Path, Path, Path]:
    """Return the store's file and, in WAL mode, its two companions: the write-ahead log, where
    commits land first, and the shared-memory index (which mere reading changes too)."""
    return path, Path(f"{path}-wal"), Path(f"{path}-shm")


def committed_files(path: Path) -> tuple[Path, Path]:
    """Return the files a commit to the store changes (and reading does not)."""
    database, log, _ = store_files(path)
    return database, log


class Store(Reads, Housekeeping, MediaRows):
    """One open store; use as a context manager. Writing is here, reading in reads.py."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            self._check_or_create()
        except sqlite3.DatabaseError as error:
            raise StoreError(
                f"{path}: cannot use this file as the store ({error}); it was left untouched —"
                " move it away or set HAOKAN_STORE to another path"
            ) from error
        except OSError as error:
            raise StoreError(f"{path}: cannot open the store ({error.strerror})") from error

    def _pragma(self, name: str) -> int:
        value: int = self.db.execute(f"PRAGMA {name}").fetchone()[0]
        return value

    def _check_or_create(self) -> None:
        tables = self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if tables and self._pragma("application_id") != APPLICATION_ID:
            raise StoreError(
                f"{self.path}: this SQLite file is not a Haokan store; "
                "it was left untouched — set HAOKAN_STORE to another path"
            )
        if (version := self._pragma("user_version")) > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: store schema {version} is newer than this Haokan "
                f"understands ({SCHEMA_VERSION}); upgrade Haokan"
            )
        self.db.execute("PRAGMA journal_mode=WAL")
        # WAL + NORMAL: a killed process never loses a committed feed nor corrupts the file
        # (tests/test_durability.py); only a power cut may drop the last commits. FULL would
        # fsync once per feed, which dominated a 1,000-feed fetch (docs/benchmarks.md).
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        if not tables:
            self.db.executescript(
                f"BEGIN; {SCHEMA} PRAGMA application_id={APPLICATION_ID}; "
                f"PRAGMA user_version={SCHEMA_VERSION}; COMMIT;"
            )
        elif version < SCHEMA_VERSION:
            steps = " ".join(MIGRATIONS[v] for v in range(version, SCHEMA_VERSION))
            self.db.executescript(f"BEGIN; {steps} PRAGMA user_version={SCHEMA_VERSION}; COMMIT;")

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
        if row is not None and row["value"] == version:
            return False
        with self.transaction() as db:
            db.execute("UPDATE feeds SET etag = NULL, last_modified = NULL")
            db.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('normalizer', :version)",
                {"version": version},
            )
        return row is not None

    def _ensure_feed(self, url: str, kind: FeedKind) -> None:
        self.db.execute(
            "INSERT INTO feeds (url, kind) VALUES (:url, :kind) ON CONFLICT(url) DO NOTHING",
            {"url": url, "kind": kind},
        )

    def record_failure(
        self, url: str, kind: FeedKind, reason: str, now: datetime, retry_at: datetime | None
    ) -> None:
        """Remember a failed fetch; the entries already stored stay untouched."""
        with self.transaction():
            self._ensure_feed(url, kind)
            self.db.execute(
                "UPDATE feeds SET last_attempt = :now, last_error = :reason,"
                " failures = failures + 1, next_attempt = :retry WHERE url = :url",
                {"now": iso(now), "reason": reason, "retry": iso(retry_at), "url": url},
            )

    def record_not_modified(self, url: str, kind: FeedKind, now: datetime) -> None:
        """Remember a 304: the feed is healthy and nothing else changes."""
        with self.transaction():
            self._ensure_feed(url, kind)
            self.db.execute(
                f"UPDATE feeds SET last_attempt = :now, last_success = :now, {_HEALTHY}"
                " WHERE url = :url",
                {"now": iso(now), "url": url},
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
            self._fetched(url, feed, etag, last_modified, now)
            known = {
                row["key"]: row["fingerprint"]
                for row in db.execute(
                    "SELECT key, fingerprint FROM entries WHERE feed_url = :url", {"url": url}
                )
            }
            pruned = self.pruned_keys(url, [e.key for e in feed.entries])
            anchor = undated_anchor(feed.entries, now)
            for position, entry in enumerate(feed.entries):
                if entry.key in pruned:
                    continue  # the owner pruned it: it does not come back while the feed has it
                if entry.key not in known:
                    # Undated entries keep the feed's order: each is a second older than the last.
                    self._insert(url, entry, anchor - timedelta(seconds=position), now)
                    new += 1
                elif known[entry.key] != entry.fingerprint:
                    db.execute(_UPDATE, self._row(url, entry, iso(entry.published)))
                    updated += 1
            db.execute(
                "UPDATE entries SET last_seen = :now WHERE feed_url = :url AND key IN "
                "(SELECT value FROM json_each(:keys))",
                {"now": iso(now), "url": url, "keys": json.dumps([e.key for e in feed.entries])},
            )
        return new, updated

    def _fetched(
        self, url: str, feed: Feed, etag: str | None, last_modified: str | None, now: datetime
    ) -> None:
        """Record a successful fetch of `feed`: its own details, its validators, its health."""
        self.db.execute(
            "UPDATE feeds SET title = :title, site_url = :site_url, image = :image,"
            " etag = :etag, last_modified = :last_modified, last_attempt = :now,"
            f" last_success = :now, {_HEALTHY} WHERE url = :url",
            {
                "title": feed.title,
                "site_url": feed.site_url,
                "image": feed.image,
                "etag": etag,
                "last_modified": last_modified,
                "now": iso(now),
                "url": url,
            },
        )

    @staticmethod
    def _row(url: str, entry: Entry, published: str | None) -> dict[str, object]:
        return {
            **entry_values(entry),
            "feed_url": url,
            "key": entry.key,
            "published": published,
            "date_estimated": entry.published is None,
        }

    def _insert(self, url: str, entry: Entry, estimated: datetime, now: datetime) -> None:
        row = self._row(url, entry, iso(entry.published or estimated))
        row |= {"slug": entry_slug(url, entry.key, entry.title), "first_seen": iso(now)}
        self.db.execute(_INSERT, row)
