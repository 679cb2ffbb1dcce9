"""When to try a failing feed again (pure): honour Retry-After, back off after three strikes."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from .model import FeedStatus
from .times import minutes
from .words import counted

STRIKES = 3  # consecutive failures before we back off
FIRST_BACKOFF = timedelta(minutes=30)
LONGEST_WAIT = timedelta(days=1)
DOUBLINGS_TO_LONGEST = (LONGEST_WAIT // FIRST_BACKOFF).bit_length()


def retry_at(failures: int, now: datetime, retry_after: float | None) -> datetime | None:
    """Return when to fetch again after the `failures`-th failure in a row (None: next run)."""
    if retry_after is not None:
        return now + min(timedelta(seconds=retry_after), LONGEST_WAIT)
    if failures < STRIKES:
        return None
    # Doubling stops at the longest wait: past ~36 strikes the product would overflow.
    doublings = min(failures - STRIKES, DOUBLINGS_TO_LONGEST)
    return now + min(FIRST_BACKOFF * (1 << doublings), LONGEST_WAIT)


def backing_off(status: FeedStatus, now: datetime) -> bool:
    """Return True while a feed waits out its back-off (it is not fetched unless forced)."""
    return status.next_attempt is not None and status.next_attempt > now


def backoff_note(status: FeedStatus, zone: tzinfo) -> str:
    """Return why a feed that is backing off waits, and until when (in `zone`), in words."""
    assert status.next_attempt is not None
    when = minutes(status.next_attempt, zone)
    return f"{counted(status.failures, 'failure')} in a row; next try after {when}"
