"""Reading the store (shell): the queries the build and the commands make."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from ..core.model import FeedKind, FeedStatus, StoredEntry
from ..core.urls import canonical_url
from .rows import ENTRY_COLUMNS, FEED_STATUS_COLUMNS, feed_status, moment, stored_entry


class Reads:
    """The store's queries; Store (store.py) opens the database and writes."""

    db: sqlite3.Connection
    path: Path

    def _entries(self, where: str, params: dict[str, str], content: bool) -> list[StoredEntry]:
        columns = [c if c != "content" or content else "'' AS content" for c in ENTRY_COLUMNS]
        rows = self.db.execute(
            f"SELECT {', '.join(columns)} FROM entries WHERE {where} ORDER BY published DESC, slug",
            params,
        )
        return [stored_entry(row) for row in rows]

    def entries(self, feed_urls: Sequence[str], content: bool = True) -> list[StoredEntry]:
        """Return every stored entry of these feeds, newest first (ties by slug); without
        `content` their HTML is left out (empty), which keeps a large store light to list."""
        where = "feed_url IN (SELECT value FROM json_each(:urls))"
        return self._entries(where, {"urls": json.dumps(list(feed_urls))}, content)

    def former_entries(self, subscribed: Sequence[str]) -> list[StoredEntry]:
        """Return the entries (without HTML) of subscriptions no longer subscribed."""
        where = (
            "feed_url IN (SELECT url FROM feeds WHERE kind = 'subscription')"
            " AND feed_url NOT IN (SELECT value FROM json_each(:urls))"
        )
        return self._entries(where, {"urls": json.dumps(list(subscribed))}, content=False)

    def contents(self, slugs: Sequence[str]) -> dict[str, str]:
        """Return the sanitized HTML of these entries, by slug."""
        rows = self.db.execute(
            "SELECT slug, content FROM entries WHERE slug IN (SELECT value FROM json_each(:slugs))",
            {"slugs": json.dumps(list(slugs))},
        )
        return {row["slug"]: row["content"] for row in rows}

    def last_fetch(self) -> datetime | None:
        """Return when any feed was last fetched successfully."""
        return moment(self.db.execute("SELECT max(last_success) AS at FROM feeds").fetchone()["at"])

    def title_for(self, canonical: str) -> str | None:
        """Return the title of a stored entry whose link has this canonical URL."""
        rows = self.db.execute(
            "SELECT link, title FROM entries WHERE link IS NOT NULL ORDER BY published DESC"
        )
        return next((r["title"] for r in rows if canonical_url(r["link"]) == canonical), None)

    def feed_status(self, url: str, kind: FeedKind) -> FeedStatus:
        """Return what we know about fetching `url` (a blank status for a new feed)."""
        row = self.db.execute(
            f"SELECT {', '.join(FEED_STATUS_COLUMNS)} FROM feeds WHERE url = :url", {"url": url}
        ).fetchone()
        return FeedStatus(url, kind) if row is None else feed_status(row)

    def feed_statuses(self) -> dict[str, FeedStatus]:
        """Return what the store knows of every feed, with its entry count and newest date."""
        columns = ", ".join(f"f.{c}" for c in FEED_STATUS_COLUMNS)
        rows = self.db.execute(
            f"SELECT {columns}, count(e.key) AS entries, max(e.published) AS newest"
            " FROM feeds f LEFT JOIN entries e ON e.feed_url = f.url GROUP BY f.url"
        )
        return {row["url"]: feed_status(row) for row in rows}
