"""How moments are written for the owner (pure): one format, so every surface agrees."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_minutes(moment: datetime) -> str:
    """Return `moment` in UTC to the minute, saying so: 2026-11-24 12:00 UTC."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
