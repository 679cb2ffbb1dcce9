"""Which stored entries get pages (pure): the window, the cap, and what somebody recommended."""

from datetime import UTC, datetime, timedelta

from haokan.core.model import Entry, StoredEntry
from haokan.core.window import split

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def row(feed, n, days_ago, link=None):
    date = NOW - timedelta(days=days_ago)
    return StoredEntry(feed, f"{feed}-{n}", Entry(str(n), f"t{n}", link), date, date)


ROWS = [
    row("a", 1, 0),
    row("b", 1, 1),
    row("a", 2, 2),
    row("a", 3, 3, "https://e.org/3?utm_source=x"),
    row("b", 2, 40),
]


def slugs(rows):
    return [r.slug for r in rows]


def test_entries_inside_the_window_and_the_cap_are_rendered_in_order():
    rendered, archived = split(ROWS, NOW, days=30, cap=0, recommended=set())
    assert slugs(rendered) == ["a-1", "b-1", "a-2", "a-3"]
    assert slugs(archived) == ["b-2"]


def test_the_cap_counts_each_subscription_newest_first():
    rendered, archived = split(ROWS, NOW, days=0, cap=2, recommended=set())
    assert slugs(rendered) == ["a-1", "b-1", "a-2", "b-2"]
    assert slugs(archived) == ["a-3"]


def test_a_recommended_entry_is_rendered_whatever_its_age_or_rank():
    rendered, archived = split(ROWS, NOW, days=1, cap=1, recommended={"https://e.org/3"})
    assert slugs(rendered) == ["a-1", "b-1", "a-3"]
    assert slugs(archived) == ["a-2", "b-2"]


def test_zero_means_no_window_and_no_cap():
    rendered, archived = split(ROWS, NOW, days=0, cap=0, recommended=set())
    assert (slugs(rendered), archived) == (slugs(ROWS), [])


def test_the_window_edge_is_inclusive():
    edge = [row("a", 1, 30)]
    assert slugs(split(edge, NOW, days=30, cap=0, recommended=set())[0]) == ["a-1"]
