"""Keeping the store in shape (shell): prune old entries for good, forget a feed, compact.

A pruned entry is remembered by its key until it leaves its feed, so the next fetch does not
store it again as new (a link dump keeps hundreds of old entries in its feed).
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path

from ..core.urls import canonical_url
from .rows import iso


class Housekeeping:
    """The store's upkeep; Store (store.py) opens the database and holds its transactions."""

    db: sqlite3.Connection
    path: Path

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError  # Store's

    def pruned_keys(self, url: str, in_feed: Sequence[str]) -> set[str]:
        """Return which of a feed's current keys the owner pruned, and forget pruned keys the
        feed no longer has (they cannot come back). Runs inside the feed's transaction."""
        self.db.execute(
            "DELETE FROM pruned WHERE feed_url = :url"
            " AND key NOT IN (SELECT value FROM json_each(:keys))",
            {"url": url, "keys": json.dumps(list(in_feed))},
        )
        rows = self.db.execute("SELECT key FROM pruned WHERE feed_url = :url", {"url": url})
        return {row["key"] for row in rows}

    def prune(self, before: datetime, keep: set[str], dry_run: bool, now: datetime) -> Counter[str]:
        """Delete entries published before `before` whose canonical link is not in `keep`, and
        remember them so they are not fetched again; return how many per feed were (or, dry,
        would be) deleted. All in one transaction."""
        old = self.db.execute(
            "SELECT feed_url, key, link FROM entries WHERE published < :before",
            {"before": iso(before)},
        ).fetchall()
        doomed = [
            {"feed_url": row["feed_url"], "key": row["key"], "now": iso(now)}
            for row in old
            if not row["link"] or canonical_url(row["link"]) not in keep
        ]
        if not dry_run and doomed:
            with self.transaction() as db:
                db.executemany(
                    "DELETE FROM entries WHERE feed_url = :feed_url AND key = :key", doomed
                )
                db.executemany(
                    "INSERT OR REPLACE INTO pruned (feed_url, key, pruned_at)"
                    " VALUES (:feed_url, :key, :now)",
                    doomed,
                )
        return Counter(row["feed_url"] for row in doomed)

    def forget_feed(self, url: str) -> int:
        """Delete a feed and every entry stored of it; return how many entries went."""
        with self.transaction() as db:
            gone = db.execute("DELETE FROM entries WHERE feed_url = :url", {"url": url}).rowcount
            db.execute("DELETE FROM pruned WHERE feed_url = :url", {"url": url})
            db.execute("DELETE FROM feeds WHERE url = :url", {"url": url})
        return int(gone)

    def vacuum(self) -> tuple[int, int]:
        """Compact the database file; return its size before and after, in bytes."""
        before = self.path.stat().st_size
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.execute("VACUUM")
        return before, self.path.stat().st_size
