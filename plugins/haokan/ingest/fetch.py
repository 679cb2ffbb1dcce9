"""The fetch run (shell): fetch every feed concurrently, parse it contained, store it per feed."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Literal

import httpx

from ..core.model import FeedKind, FeedStatus, display_name, is_local
from ..core.normalize import NORMALIZER_VERSION
from ..core.parse import FeedRefused
from ..core.schedule import backing_off, backoff_note, retry_at
from ..core.settings import Settings
from ..core.times import minutes
from ..storage import owner
from ..storage.store import Store
from .containment import ParseJob, ParserPool
from .guard import Allowance
from .net import FRIEND_BODY_CAP, SUBSCRIPTION_BODY_CAP, Fetched, fetch, new_client

Outcome = Literal["updated", "unchanged", "not_modified", "failed", "skipped"]


@dataclass(frozen=True)
class Source:
    """One feed to fetch: a subscription or a friend's 好看 feed."""

    url: str  # http(s), or a local path for the owner's own samples
    kind: FeedKind
    name: str
    path: Path | None = None  # set for local files named by the owner's OPML


@dataclass(frozen=True)
class FeedReport:
    """What happened to one feed in one run, for the summary."""

    source: Source
    outcome: Outcome
    new: int = 0
    updated: int = 0
    entries: int = 0
    reason: str = ""


def _local(base: Path, url: str) -> Path | None:
    """Return the file an OPML entry names by path (the owner's samples), else None."""
    return (base / url).resolve() if is_local(url) else None


def sources(hk: Settings, known: Mapping[str, FeedStatus]) -> list[Source]:
    """Return every feed to fetch: the subscriptions (named as everywhere else, from what the
    store `known` of them), then the friends' 好看 feeds."""
    base = hk.subscriptions.parent
    found = [
        Source(
            s.url,
            "subscription",
            display_name(s, known[s.url].title if s.url in known else ""),
            _local(base, s.url),
        )
        for s in owner.read_subscriptions(hk.subscriptions)
    ]
    base = hk.friends.parent
    return found + [
        Source(f.feed_url, "friend", f.name, _local(base, f.feed_url))
        for f in owner.read_friends(hk.friends)
    ]


def _cap(kind: FeedKind) -> int:
    return FRIEND_BODY_CAP if kind == "friend" else SUBSCRIPTION_BODY_CAP


def _read_local(source: Source, etag: str | None) -> Fetched:
    """Read an owner-named local feed file; its size and mtime stand in for an ETag."""
    assert source.path is not None
    try:
        stat = source.path.stat()
        signature = f"file:{stat.st_size}:{stat.st_mtime_ns}"
        if signature == etag:
            return Fetched("not_modified", source.url)
        if stat.st_size > _cap(source.kind):
            return Fetched("failed", source.url, reason="the file is too large")
        return Fetched("ok", source.url, source.path.read_bytes(), etag=signature)
    except OSError as error:
        return Fetched("failed", source.url, reason=f"cannot read {source.path}: {error.strerror}")


class FetchRun:
    """One `invoke fetch`: holds the client, the parser pool and the store for its duration."""

    def __init__(
        self,
        store: Store,
        pool: ParserPool,
        client: httpx.AsyncClient,
        deadline: float,
        now: datetime,
        network: asyncio.Semaphore,
        force: bool = False,
        zone: tzinfo = UTC,
    ) -> None:
        self.store, self.pool, self.client = store, pool, client
        self.deadline, self.now, self.force = deadline, now, force
        self.zone = zone  # the site's: how times in reasons are written
        # Held while a feed is on the network only: the next request goes out while this
        # one waits for a parser.
        self.network = network

    async def one(self, source: Source) -> FeedReport:
        """Fetch, parse and store one feed; a failure is a report, never an exception."""
        state = self.store.feed_status(source.url, source.kind)
        if not self.force and backing_off(state, self.now):
            return FeedReport(
                source,
                "skipped",
                reason=f"{backoff_note(state, self.zone)} (last: {state.last_error}); "
                "--force tries now",
            )
        if source.path is not None:
            fetched = _read_local(source, state.etag)
        else:
            async with self.network:
                fetched = await fetch(
                    self.client,
                    source.url,
                    state.etag,
                    state.last_modified,
                    _cap(source.kind),
                    self.deadline,
                    self.now,
                )
        if fetched.status == "ok":
            job = ParseJob(fetched.body, fetched.url, fetched.content_type, self.now)
            try:
                feed = await asyncio.to_thread(self.pool.parse, job)
            except FeedRefused as refused:
                return self._failed(source, state.failures, str(refused), None)
            new, updated = self.store.save_feed(
                source.url, source.kind, feed, fetched.etag, fetched.last_modified, self.now
            )
            outcome: Outcome = "updated" if new or updated else "unchanged"
            return FeedReport(
                source, outcome, new, updated, len(feed.entries), "; ".join(feed.notes)
            )
        if fetched.status == "not_modified":
            self.store.record_not_modified(source.url, source.kind, self.now)
            return FeedReport(source, "not_modified")
        return self._failed(source, state.failures, fetched.reason, fetched.retry_after)

    def _failed(
        self, source: Source, failures: int, reason: str, retry_after: float | None
    ) -> FeedReport:
        next_try = retry_at(failures + 1, self.now, retry_after)
        self.store.record_failure(source.url, source.kind, reason, self.now, next_try)
        if next_try is not None:
            reason += f"; next try after {minutes(next_try, self.zone)}"
        return FeedReport(source, "failed", reason=reason)


async def fetch_all(
    sources: Sequence[Source],
    store: Store,
    *,
    allow_private: Allowance,
    concurrency: int,
    deadline: float,
    now: datetime | None = None,
    force: bool = False,
    zone: tzinfo = UTC,
    transport: httpx.AsyncBaseTransport | None = None,
    on_done: Callable[[FeedReport], None] = lambda report: None,
) -> list[FeedReport]:
    """Fetch every source, at most `concurrency` at once (and as many again fetched, waiting
    for a parser); return one report per source (its times written in `zone`, the site's)."""
    limit = asyncio.Semaphore(2 * concurrency)  # bodies held: at most twice what is fetching
    store.require_normalizer(NORMALIZER_VERSION)
    with ParserPool() as pool:
        async with new_client(allow_private, transport, concurrency) as client:
            moment = now or datetime.now(UTC)
            network = asyncio.Semaphore(concurrency)
            run = FetchRun(store, pool, client, deadline, moment, network, force, zone)

            async def bounded(source: Source) -> FeedReport:
                async with limit:
                    report = await run.one(source)
                on_done(report)
                return report

            return list(await asyncio.gather(*(bounded(s) for s in sources)))
