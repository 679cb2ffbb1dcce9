"""The images kept beside the store (shell): what is known of each address in the `media`
table, and the copies on disk, named by their content (`<digest>.webp`, `<digest>.thumb.webp`)
so two addresses of one image share a file.

Statuses: `kept` (the copy is on disk), `refused` (never tried again: not an image, too large,
an address we must not reach), `failed` (a network failure: tried again on later fetches, up to
MAX_ATTEMPTS), `evicted` (the cache was over its size; not fetched again).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ..core.images import LocalImage
from .atomic import write_atomically
from .rows import iso

if TYPE_CHECKING:  # Pillow is loaded by the fetch's workers, not by the store
    from ..core.imaging import Processed

MAX_ATTEMPTS = 3
Status = Literal["kept", "refused", "failed", "evicted"]


@dataclass(frozen=True)
class Wanted:
    """An image some stored entry shows that has no copy yet, and which entry shows it."""

    url: str
    feed_url: str
    entry: str  # the entry's slug: what the per-entry cap counts by


@dataclass(frozen=True)
class Unlisted:
    """An entry stored before its images were listed: what they are read from."""

    feed_url: str
    key: str
    content: str
    image: str | None
    enclosures: str


class MediaRows:
    """The store's image queries; Store (store.py) opens the database."""

    db: sqlite3.Connection

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError  # Store's

    def unlisted(self) -> Iterator[Unlisted]:
        """Yield the entries whose images are not listed yet (stored before schema 3)."""
        rows = self.db.execute(
            "SELECT feed_url, key, content, image, enclosures FROM entries WHERE images IS NULL"
        )
        for row in rows:
            yield Unlisted(*tuple(row))

    def list_images(self, listed: Iterable[tuple[str, str, tuple[str, ...]]]) -> None:
        """Record (feed_url, key, images) for entries read by `unlisted`."""
        with self.transaction() as db:
            db.executemany(
                "UPDATE entries SET images = :images WHERE feed_url = :feed_url AND key = :key",
                [{"feed_url": f, "key": k, "images": json.dumps(i)} for f, k, i in listed],
            )

    def wanted_images(self, since: datetime | None, per_feed: int) -> list[Wanted]:
        """Return the images of subscriptions' entries (published since `since`, the newest
        `per_feed` of each feed; 0 for all) that have no copy and are worth trying, newest
        entries first."""
        rows = self.db.execute(
            "SELECT e.feed_url, e.slug, e.images FROM entries e JOIN feeds f ON f.url = e.feed_url"
            " WHERE f.kind = 'subscription' AND e.images IS NOT NULL AND e.images != '[]'"
            " AND (:since IS NULL OR e.published >= :since)"
            " ORDER BY e.published DESC, e.slug",
            {"since": iso(since)},
        )
        settled = {
            row["url"]
            for row in self.db.execute(
                "SELECT url FROM media WHERE status != 'failed' OR attempts >= :most",
                {"most": MAX_ATTEMPTS},
            )
        }
        wanted: dict[str, Wanted] = {}
        shown: dict[str, int] = {}
        for row in rows:
            shown[row["feed_url"]] = shown.get(row["feed_url"], 0) + 1
            if per_feed and shown[row["feed_url"]] > per_feed:
                continue
            for url in json.loads(row["images"]):
                if url not in settled and url not in wanted:
                    wanted[url] = Wanted(url, row["feed_url"], row["slug"])
        return list(wanted.values())

    def record_image(
        self,
        url: str,
        status: Status,
        now: datetime,
        copy: LocalImage | None = None,
        size: int = 0,
        reason: str = "",
    ) -> None:
        """Remember what became of one image address."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO media (url, status, file, thumb, width, height, bytes, attempts,"
                " reason, fetched_at) VALUES (:url, :status, :file, :thumb, :width, :height,"
                " :bytes, 1, :reason, :now) ON CONFLICT(url) DO UPDATE SET status = :status,"
                " file = :file, thumb = :thumb, width = :width, height = :height, bytes = :bytes,"
                " attempts = attempts + 1, reason = :reason, fetched_at = :now",
                {
                    "url": url,
                    "status": status,
                    "file": copy.file if copy else None,
                    "thumb": copy.thumb if copy else None,
                    "width": copy.width if copy else None,
                    "height": copy.height if copy else None,
                    "bytes": size,
                    "reason": reason or None,
                    "now": iso(now),
                },
            )

    def kept_images(self) -> dict[str, LocalImage]:
        """Return every image with a copy, by address."""
        rows = self.db.execute(
            "SELECT url, file, thumb, width, height FROM media WHERE status = 'kept'"
        )
        return {r["url"]: LocalImage(r["file"], r["thumb"], r["width"], r["height"]) for r in rows}

    def kept_bytes(self) -> int:
        """Return the size of the copies on disk (each file once)."""
        row = self.db.execute(
            "SELECT coalesce(sum(bytes), 0) AS total FROM"
            " (SELECT max(bytes) AS bytes FROM media WHERE status = 'kept' GROUP BY file)"
        ).fetchone()
        return int(row["total"])

    def evict_images(self, cap: int, now: datetime) -> list[str]:
        """Evict the oldest copies until the rest fit in `cap` bytes; return the files no
        kept address uses any more (the caller deletes them)."""
        rows = self.db.execute(
            "SELECT file, max(bytes) AS bytes, max(fetched_at) AS newest FROM media"
            " WHERE status = 'kept' GROUP BY file ORDER BY newest, file"
        ).fetchall()
        total = sum(r["bytes"] for r in rows)
        doomed: list[str] = []
        for row in rows:
            if total <= cap:
                break
            doomed.append(row["file"])
            total -= row["bytes"]
        if doomed:
            with self.transaction() as db:
                db.execute(
                    "UPDATE media SET status = 'evicted', reason = :reason, fetched_at = :now"
                    " WHERE file IN (SELECT value FROM json_each(:files))",
                    {
                        "files": json.dumps(doomed),
                        "now": iso(now),
                        "reason": f"the image cache was over {cap >> 20} MiB",
                    },
                )
        return doomed


class MediaFiles:
    """The copies on disk, in one folder beside the store."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def keep(self, image: Processed) -> tuple[LocalImage, int]:
        """Write `image` (unless an equal one is there); return it as kept, and its size."""
        digest = image.digest
        copy = LocalImage(f"{digest}.webp", f"{digest}.thumb.webp", image.width, image.height)
        for name, data in ((copy.file, image.page), (copy.thumb, image.thumb)):
            if not (self.folder / name).exists():
                write_atomically(self.folder / name, data, durable=False)
        return copy, len(image.page) + len(image.thumb)

    def remove(self, files: Iterable[str]) -> None:
        """Delete copies (and their thumbnails) no address keeps any more."""
        for name in files:
            (self.folder / name).unlink(missing_ok=True)
            (self.folder / name.replace(".webp", ".thumb.webp")).unlink(missing_ok=True)
