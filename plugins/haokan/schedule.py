"""When to try a failing feed again (pure): honour Retry-After, back off after three strikes."""

from __future__ import annotations

from datetime import datetime, timedelta

STRIKES = 3  # consecutive failures before we back off
FIRST_BACKOFF = timedelta(minutes=30)
LONGEST_WAIT = timedelta(days=1)


def retry_at(failures: int, now: datetime, retry_after: float | None) -> datetime | None:
    """Return when to fetch again after the `failures`-th failure in a row (None: next run)."""
    if retry_after is not None:
        return now + min(timedelta(seconds=retry_after), LONGEST_WAIT)
    if failures < STRIKES:
        return None
    return now + min(FIRST_BACKOFF * (1 << (failures - STRIKES)), LONGEST_WAIT)
