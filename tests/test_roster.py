"""Which subscription, friend or folder a command means (pure), and the one-line errors."""

import pytest

from haokan.core.errors import OpmlError
from haokan.core.friends import Friend
from haokan.core.model import Subscription
from haokan.core.roster import find_friend, find_subscription, folder_path
from haokan.ingest.discover import well_known

SUBS = (
    Subscription(
        "https://tide.example/feed?utm_source=x", "Tidepool", "Sea", "https://tide.example/"
    ),
    Subscription("https://one.example/rss", "Notes", "A"),
    Subscription("https://two.example/rss", "notes", "B"),
    Subscription("samples/local.xml", "Local"),
)


def test_a_subscription_is_found_by_its_feed_its_site_or_its_title():
    assert find_subscription(SUBS, "https://TIDE.example/feed#x").title == "Tidepool"
    assert find_subscription(SUBS, "https://tide.example/").title == "Tidepool"
    assert find_subscription(SUBS, " tidepool ").title == "Tidepool"
    assert find_subscription(SUBS, "samples/local.xml").title == "Local"


def test_nothing_or_two_matches_is_one_clear_error():
    with pytest.raises(OpmlError, match=r"no subscription is 'Nope'.*`invoke subscriptions`"):
        find_subscription(SUBS, "Nope")
    with pytest.raises(OpmlError) as two:
        find_subscription(SUBS, "Notes")
    assert str(two.value) == (
        "'Notes' names 2 subscriptions (Notes (https://one.example/rss); "
        "notes (https://two.example/rss)); give its address"
    )
    assert find_subscription(SUBS, "https://two.example/rss").folder == "B"


def test_a_friend_is_found_by_feed_or_name():
    friends = (Friend("林小满", "https://xm.example/haokan.atom", "xm", "https://xm.example/"),)
    assert find_friend(friends, "林小满").slug == "xm"
    assert find_friend(friends, "https://xm.example/").slug == "xm"
    with pytest.raises(OpmlError, match=r"no friend is 'Ann'.*`invoke friends`"):
        find_friend(friends, "Ann")


def test_folder_names_on_the_command_line():
    assert folder_path("Tech") == "Tech"
    assert folder_path(" Tech / Python ") == "Tech/Python"
    assert folder_path("/") == ""
    for empty in ("", "  ", "Tech//Python", "Tech/ /x"):
        with pytest.raises(OpmlError, match="is empty or has an empty part"):
            folder_path(empty)


def test_where_sites_keep_feeds_they_do_not_announce():
    assert well_known("https://e.org/") == [
        "https://e.org/feed",
        "https://e.org/feed/",
        "https://e.org/rss.xml",
        "https://e.org/atom.xml",
        "https://e.org/index.xml",
        "https://e.org/feed.xml",
    ]
    beside = well_known("https://e.org/blog/post?x=1")
    assert beside[:2] == ["https://e.org/blog/feed", "https://e.org/blog/feed/"]
    assert beside[6:8] == ["https://e.org/feed", "https://e.org/feed/"]
