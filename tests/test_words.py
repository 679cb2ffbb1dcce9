"""Words: every count the interface shows is right for one and for many, in both languages."""

import pytest

from haokan.core import catalog
from haokan.core.words import counted, plural


def test_no_interface_string_shows_a_count_outside_the_count_table():
    for lang, strings in catalog.STRINGS.items():
        assert not [k for k, v in strings.items() if "{n}" in v], lang
    assert set(catalog.COUNTS["zh"]) == set(catalog.COUNTS["en"])


@pytest.mark.parametrize("key", sorted(catalog.COUNTS["en"]))
def test_every_english_count_string_agrees_with_its_number(key):
    one, many = catalog.count("en", key, 1), catalog.count("en", key, 2)
    assert one.startswith("1 ") and many.startswith("2 ")
    expected = {
        "recommended_by": ("1 friend recommends", "2 friends recommend"),
        "articles": ("1 article", "2 articles"),
        "search_count": ("1 found", "2 found"),
        "unread_count": ("1 unread", "2 unread"),
    }
    assert (one, many) == expected[key]
    assert catalog.count("zh", key, 1)[:1] in "1找" and catalog.count("zh", key, 3).count("3") == 1


def test_counted_words_in_messages():
    assert counted(1, "feed") == "1 feed" and counted(2, "feed") == "2 feeds"
    assert counted(1, "entry") == "1 entry" and counted(1200, "entry") == "1,200 entries"
    assert counted(0, "new subscription") == "0 new subscriptions"
    assert plural("needs", 1) == "needs" and plural("needs", 3) == "need"
    assert counted(2, "stored entry") == "2 stored entries"
    assert counted(45, "day") == "45 days" and counted(1, "day") == "1 day"
