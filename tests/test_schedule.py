"""When a failing feed is tried again (pure): Retry-After, three strikes, doubling, a day."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from haokan.core.model import FeedStatus
from haokan.core.schedule import backing_off, backoff_note, retry_at

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def test_the_first_two_failures_are_retried_on_the_next_run():
    assert retry_at(1, NOW, None) is None
    assert retry_at(2, NOW, None) is None


def test_from_the_third_failure_the_wait_doubles_up_to_a_day():
    waits = [retry_at(n, NOW, None) - NOW for n in range(3, 10)]
    assert waits == [
        30 * MINUTE,
        60 * MINUTE,
        120 * MINUTE,
        240 * MINUTE,
        480 * MINUTE,
        960 * MINUTE,
        timedelta(days=1),
    ]
    assert retry_at(60, NOW, None) - NOW == timedelta(days=1)


def test_the_servers_retry_after_wins_but_never_beyond_a_day():
    assert retry_at(1, NOW, 120.0) == NOW + 2 * MINUTE
    assert retry_at(5, NOW, 0.0) == NOW
    assert retry_at(1, NOW, 10 * 86400.0) == NOW + timedelta(days=1)


def test_a_feed_backs_off_only_until_its_next_attempt():
    waiting = FeedStatus("u", "subscription", failures=4, next_attempt=NOW + MINUTE)
    assert backing_off(waiting, NOW)
    assert not backing_off(waiting, NOW + MINUTE)
    assert not backing_off(FeedStatus("u", "subscription", failures=2), NOW)
    assert backoff_note(waiting, UTC) == "4 failures in a row; next try after 2026-11-24 12:01 UTC"
    new_york = ZoneInfo("America/New_York")
    assert backoff_note(waiting, new_york).endswith("after 2026-11-24 07:01 America/New_York")
