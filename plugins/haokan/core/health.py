"""Feed health (pure): is each feed fine, failing, backing off, stale, or never fetched?"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Literal

from .friends import Friend
from .model import FeedKind, FeedStatus, Subscription, display_name
from .schedule import backing_off, backoff_note
from .words import counted

State = Literal["ok", "failing", "waiting", "stale", "never"]
WORDS: dict[State, str] = {
    "ok": "ok",
    "failing": "failing",
    "waiting": "backing off",
    "stale": "stale",
    "never": "never fetched",
}


@dataclass(frozen=True)
class FeedHealth:
    """One row of the health table."""

    name: str
    record: FeedStatus
    state: State
    note: str  # why, in words

    @property
    def words(self) -> str:
        """Return the state in words."""
        return WORDS[self.state]


@dataclass(frozen=True)
class Watched:
    """A feed the owner reads: its address, what it is called, and whose it is."""

    url: str
    name: str
    kind: FeedKind


def watched(
    subscriptions: Sequence[Subscription],
    friends: Sequence[Friend],
    records: Mapping[str, FeedStatus],
) -> list[Watched]:
    """Return every feed the owner reads, subscriptions first, named as everywhere else."""
    feeds = [
        Watched(
            s.url, display_name(s, records[s.url].title if s.url in records else ""), "subscription"
        )
        for s in subscriptions
    ]
    return feeds + [Watched(f.feed_url, f.name, "friend") for f in friends]


def assess(
    record: FeedStatus | None, feed: Watched, now: datetime, stale_days: int, zone: tzinfo
) -> FeedHealth:
    """Return the health of one feed (`record` is None when it was never fetched); times in
    its note are in `zone`."""
    if record is None:
        return FeedHealth(feed.name, FeedStatus(feed.url, feed.kind), "never", "run `invoke fetch`")
    if backing_off(record, now):
        return FeedHealth(feed.name, record, "waiting", backoff_note(record, zone))
    if record.failures:
        return FeedHealth(feed.name, record, "failing", record.last_error or "")
    if record.newest is None or record.newest < now - timedelta(days=stale_days):
        age = (
            "no entries"
            if record.newest is None
            else f"no new entry in {counted((now - record.newest).days, 'day')}"
        )
        return FeedHealth(feed.name, record, "stale", f"{age} (HAOKAN_STALE_DAYS = {stale_days})")
    return FeedHealth(feed.name, record, "ok", "")


ATTENTION: dict[State, int] = {"failing": 0, "waiting": 1, "stale": 2, "never": 3, "ok": 4}


def table(
    feeds: Sequence[Watched],
    records: Mapping[str, FeedStatus],
    now: datetime,
    stale_days: int,
    zone: tzinfo,
) -> list[FeedHealth]:
    """Return the health of each feed: those that need a look first (failing, backing off,
    stale, never fetched), each group in the given order."""
    rows = [assess(records.get(feed.url), feed, now, stale_days, zone) for feed in feeds]
    return sorted(rows, key=lambda row: ATTENTION[row.state])
