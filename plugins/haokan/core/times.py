"""How moments are written for the owner (pure): in the site's zone, saying which, so every
surface — pages, the status page, `invoke status`, the fetch summary — agrees."""

from __future__ import annotations

from datetime import datetime, tzinfo


def zone_name(zone: tzinfo) -> str:
    """Return a zone's name as the owner set it (TIMEZONE): Asia/Shanghai, UTC."""
    return str(getattr(zone, "key", None) or zone)


def minutes(moment: datetime, zone: tzinfo) -> str:
    """Return `moment` in `zone` to the minute, naming the zone: 2026-11-24 20:00 Asia/Shanghai."""
    return f"{moment.astimezone(zone):%Y-%m-%d %H:%M} {zone_name(zone)}"
