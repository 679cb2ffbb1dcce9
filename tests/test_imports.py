"""Importing other readers' exports (pure): what becomes a subscription, which sites still need
their feed found, and every outline left out, with why — nothing is lost without a word."""

import pytest

from conftest import FIXTURES
from haokan.core.imports import Skipped, plan_import
from haokan.core.model import Subscription
from haokan.core.opml import walk

SUBSCRIBED = (Subscription("https://tidepool.example.org/feed.atom", "Tidepool", "Sea"),)


def plan(name, current=()):
    path = FIXTURES / "opml" / name
    return plan_import(current, walk(path.read_bytes(), str(path)))


@pytest.mark.parametrize(
    ("export", "expected"),
    [
        ("feedly.opml", [("Small Tools", "Tech"), ("厨房笔记", "Food")]),
        ("inoreader.opml", [("Night Shift", ""), ("Stacks", "Books")]),
        ("newsblur.opml", [("慢读周刊", ""), ("山水行记", "Reading/Chinese")]),
        ("miniflux.opml", [("Changelog", "All")]),
        ("freshrss.opml", [("Night Shift Radio", "Blogs"), ("Field Notes", "News")]),
    ],
)
def test_every_readers_export_keeps_its_folders(export, expected):
    imported = plan(export, SUBSCRIBED)
    assert [(s.title, s.folder) for s in imported.feeds] == expected


def test_what_is_already_subscribed_is_matched_on_the_canonical_address():
    imported = plan("miniflux.opml", SUBSCRIBED)
    assert [s.title for s in imported.present] == ["Tidepool Notes", "Tidepool again"]
    assert imported.skipped == ()


def test_a_feed_listed_twice_is_imported_once_and_the_second_named():
    imported = plan("miniflux.opml")
    assert [s.title for s in imported.feeds] == ["Tidepool Notes", "Changelog"]
    assert imported.skipped == (
        Skipped("Tidepool again", "the same feed is listed earlier in folder All"),
    )


def test_sites_empty_folders_and_bad_addresses_are_never_dropped_silently():
    imported = plan("feedly-sites.opml")
    assert [s.title for s in imported.feeds] == ["Small Tools"]
    assert [(s.title, s.url, s.folder) for s in imported.sites] == [
        ("A blog without a feed link", "https://quiet.example.org/", "Tech")
    ]
    assert imported.skipped == (
        Skipped("Read later", "an empty folder: nothing in it to subscribe to"),
        Skipped("Gopher", "its feed address 'gopher://old.example/feed' is not http(s)"),
        Skipped("Small Tools again", "the same feed is listed earlier in folder Tech"),
    )
    assert plan("freshrss.opml").skipped == (
        Skipped("Empty", "an empty folder: nothing in it to subscribe to"),
    )
