"""Which stored entries get pages (pure core): a window of recent entries, a cap per
subscription, and every entry somebody recommended; the rest are listed in the archive.

The store keeps everything; the window only bounds what each build renders, so a store of
many thousands of entries builds in bounded time and memory (docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta

from .model import StoredEntry
from .urls import canonical_url


def split(
    rows: Sequence[StoredEntry],
    as_of: datetime,
    days: int,
    cap: int,
    recommended: Collection[str],
) -> tuple[list[StoredEntry], list[StoredEntry]]:
    """Return (rendered, archived), each in the order of `rows` (newest first).

    An entry is rendered when it is at most `days` older than `as_of` (0: any age) and among
    the newest `cap` of its feed (0: no cap), or when its canonical link is `recommended`.
    """
    oldest = as_of - timedelta(days=days) if days else None
    seen: dict[str, int] = {}
    rendered, archived = [], []
    for row in rows:
        count = seen[row.feed_url] = seen.get(row.feed_url, 0) + 1
        recent = (oldest is None or row.date >= oldest) and (not cap or count <= cap)
        if recent or (row.entry.link and canonical_url(row.entry.link) in recommended):
            rendered.append(row)
        else:
            archived.append(row)
    return rendered, archived
