"""Feed health (pure): is each feed fine, failing, backing off, stale, or never fetched?"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

State = Literal["ok", "failing", "waiting", "stale", "never"]
WORDS: dict[State, str] = {
    "ok": "ok",
    "failing": "failing",
    "waiting": "backing off",
    "stale": "stale",
    "never": "never fetched",
}


@dataclass(frozen=True)
class FeedRecord:
    """What the store knows of one feed."""

    url: str
    kind: str
    last_success: datetime | None = None
    last_error: str | None = None
    failures: int = 0
    next_attempt: datetime | None = None
    entries: int = 0
    newest: datetime | None = None


@dataclass(frozen=True)
class FeedHealth:
    """One row of the health table."""

    name: str
    record: FeedRecord
    state: State
    note: str  # why, in words

    @property
    def words(self) -> str:
        """Return the state in words."""
        return WORDS[self.state]


def assess(
    record: FeedRecord | None, name: str, url: str, kind: str, now: datetime, stale_days: int
) -> FeedHealth:
    """Return the health of one feed (`record` is None when it was never fetched)."""
    if record is None:
        return FeedHealth(name, FeedRecord(url, kind), "never", "run `invoke fetch`")
    if record.next_attempt is not None and record.next_attempt > now:
        when = record.next_attempt.strftime("%Y-%m-%d %H:%M UTC")
        return FeedHealth(
            name, record, "waiting", f"{record.failures} failures in a row; next try after {when}"
        )
    if record.failures:
        return FeedHealth(name, record, "failing", record.last_error or "")
    if record.newest is None or record.newest < now - timedelta(days=stale_days):
        age = (
            "no entries"
            if record.newest is None
            else (f"no new entry in {(now - record.newest).days} days")
        )
        return FeedHealth(name, record, "stale", f"{age} (HAOKAN_STALE_DAYS = {stale_days})")
    return FeedHealth(name, record, "ok", "")


def table(
    feeds: list[tuple[str, str, str]],
    records: dict[str, FeedRecord],
    now: datetime,
    stale_days: int,
) -> list[FeedHealth]:
    """Return the health of each (url, name, kind) in `feeds`, in order."""
    return [assess(records.get(url), name, url, kind, now, stale_days) for url, name, kind in feeds]
