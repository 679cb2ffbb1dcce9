"""Fetching the images entries show (shell), after the feeds: under the feeds' guards (public
addresses only, the same redirect rules, a deadline each), with caps of their own (per image,
per entry, and the cache's total size, oldest evicted first), each decoded and re-encoded in
a worker process (core/imaging.py). An image that fails fails alone: its entry is stored
already, and its page shows a placeholder.

The owner's own sample feeds (local files) are trusted as they are: their images are read from
`media/<host>/<path>` beside the feed file, and go through the same decoding.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx

from ..core.images import MAX_IMAGE_BYTES, image_urls
from ..core.model import Enclosure
from ..core.parse import FeedRefused
from ..storage.media import MediaFiles, Status, Wanted
from ..storage.store import Store
from .containment import ImageJob, ParserPool
from .guard import Allowance
from .net import fetch, new_client

ACCEPT = "image/avif,image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.1"
MAX_ENTRY_BYTES = 24 * 1024 * 1024  # one entry's images together, as fetched
# Words of net.fetch's reasons that will not change by trying again: refused for good.
_FOR_GOOD = ("redirected to an address that is not http(s)", "is larger than")


@dataclass(frozen=True)
class ImagePlan:
    """What the image phase of a fetch works from."""

    folder: Path  # where the copies are kept, beside the store
    cache_bytes: int
    mirrors: Mapping[str, Path]  # a local feed's address → the folder its images are read from
    since: datetime | None  # entries older than this get no page: their images are not fetched
    per_feed: int  # the newest this many of each subscription (0: all)
    deadline: float = 20.0  # seconds for one image, redirects included (the feeds' deadline)


@dataclass
class ImageReport:
    """What the image phase did, for the summary."""

    kept: int = 0
    bytes: int = 0
    evicted: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (address, reason)


def _enclosures(stored: str) -> list[Enclosure]:
    return [Enclosure(u, t, n) for u, t, n in json.loads(stored)]


def list_unlisted(store: Store) -> int:
    """List the images of entries stored before images were listed; return how many."""
    found = [
        (row.feed_url, row.key, image_urls(row.content, row.image, _enclosures(row.enclosures)))
        for row in list(store.unlisted())
    ]
    if found:
        store.list_images(found)
    return len(found)


def _mirrored(folder: Path, url: str) -> bytes:
    """Return a sample's image from its mirror folder (`<host>/<path>`), or raise."""
    parts = urlsplit(url)
    path = (folder / (parts.hostname or "") / unquote(parts.path).lstrip("/")).resolve()
    if not path.is_relative_to(folder.resolve()) or not path.is_file():
        raise _Refused(f"not among the samples' images (looked for {path})", "failed")
    if path.stat().st_size > MAX_IMAGE_BYTES:
        raise _Refused(f"the image is larger than {MAX_IMAGE_BYTES >> 20} MiB")
    return path.read_bytes()


class _Refused(Exception):
    """One image not kept: the message is why; `status` whether to try again later."""

    def __init__(self, reason: str, status: Status = "refused") -> None:
        super().__init__(reason)
        self.status = status


class _ImageRun:
    def __init__(
        self,
        store: Store,
        plan: ImagePlan,
        pool: ParserPool,
        client: httpx.AsyncClient,
        now: datetime,
    ) -> None:
        self.store, self.plan, self.pool, self.client, self.now = store, plan, pool, client, now
        self.files = MediaFiles(plan.folder)
        self.report = ImageReport()

    async def _body(self, wanted: Wanted) -> bytes:
        mirror = self.plan.mirrors.get(wanted.feed_url)
        if mirror is not None:
            return _mirrored(mirror, wanted.url)
        got = await fetch(
            self.client,
            wanted.url,
            None,
            None,
            MAX_IMAGE_BYTES,
            self.plan.deadline,
            self.now,
            ACCEPT,
            "image",
        )
        if got.status != "ok":
            final = got.reason.startswith("refused:") or any(w in got.reason for w in _FOR_GOOD)
            raise _Refused(got.reason, "refused" if final else "failed")
        return got.body

    async def entry(self, images: list[Wanted], tick: Callable[[], None]) -> None:
        """Fetch one entry's images in turn, within the entry's cap."""
        fetched = 0
        for wanted in images:
            try:
                if fetched >= MAX_ENTRY_BYTES:
                    raise _Refused(f"the entry's images pass {MAX_ENTRY_BYTES >> 20} MiB together")
                body = await self._body(wanted)
                fetched += len(body)
                try:
                    made = await asyncio.to_thread(self.pool.image, ImageJob(body))
                except FeedRefused as refused:
                    raise _Refused(str(refused)) from refused
                copy, size = self.files.keep(made)
                self.store.record_image(wanted.url, "kept", self.now, copy, size)
                self.report.kept += 1
                self.report.bytes += size
            except _Refused as refused:
                self.store.record_image(wanted.url, refused.status, self.now, reason=str(refused))
                self.report.failed.append((wanted.url, str(refused)))
            tick()


async def fetch_images(
    store: Store,
    plan: ImagePlan,
    *,
    allow_private: Allowance,
    concurrency: int,
    now: datetime,
    transport: httpx.AsyncBaseTransport | None = None,
    on_start: Callable[[int], Callable[[], None]] = lambda total: lambda: None,
) -> ImageReport:
    """Fetch and keep the images stored entries show and have no copy of yet, at most
    `concurrency` entries at once; then evict the oldest copies past the cache's size.
    `on_start(total)` returns what to call as each image is done (a progress bar)."""
    list_unlisted(store)
    by_entry: dict[str, list[Wanted]] = defaultdict(list)
    for wanted in store.wanted_images(plan.since, plan.per_feed):
        by_entry[wanted.entry].append(wanted)
    tick = on_start(sum(map(len, by_entry.values())))
    report = ImageReport()
    if by_entry:
        limit = asyncio.Semaphore(concurrency)
        with ParserPool() as pool:
            async with new_client(allow_private, transport, concurrency) as client:
                run = _ImageRun(store, plan, pool, client, now)

                async def bounded(images: list[Wanted]) -> None:
                    async with limit:
                        await run.entry(images, tick)

                await asyncio.gather(*(bounded(images) for images in by_entry.values()))
                report = run.report
    doomed = store.evict_images(plan.cache_bytes, now)
    MediaFiles(plan.folder).remove(doomed)
    report.evicted = len(doomed)
    return report
