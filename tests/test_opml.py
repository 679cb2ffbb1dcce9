"""OPML: reading other readers' exports, folders, merging, writing, and clear errors."""

from datetime import UTC, datetime

import pytest

from conftest import FIXTURES
from haokan.core.errors import OpmlError
from haokan.core.model import Subscription
from haokan.core.opml import merge, parse_opml, render_opml
from haokan.storage.owner import read_subscriptions as read_opml

NOW = datetime(2026, 11, 24, tzinfo=UTC)


def load(name: str):
    """Read another reader's export the way `invoke import-opml` does."""
    path = FIXTURES / "opml" / name
    return parse_opml(path.read_bytes(), str(path))


def test_feedly_folders():
    subs = load("feedly.opml")
    assert [(s.title, s.folder) for s in subs] == [
        ("Small Tools", "Tech"),
        ("Tidepool", "Tech"),
        ("厨房笔记", "Food"),
    ]
    assert subs[0].site_url == "https://smalltools.example.org/"


def test_inoreader_titles_without_text_and_top_level_feeds():
    subs = load("inoreader.opml")
    assert [(s.title, s.folder) for s in subs] == [("Night Shift", ""), ("Stacks", "Books")]


def test_newsblur_nested_folders():
    subs = load("newsblur.opml")
    assert [(s.title, s.folder) for s in subs] == [
        ("慢读周刊", ""),
        ("山水行记", "Reading/Chinese"),
    ]


def test_the_owners_own_file_must_not_list_a_feed_twice(tmp_path):
    own = tmp_path / "subscriptions.opml"
    own.write_bytes((FIXTURES / "opml" / "miniflux.opml").read_bytes())
    message = (
        r"subscriptions\.opml: https://tidepool\.example\.org/feed\.atom\?utm_source=x "
        r"is listed twice \(as 'Tidepool Notes' and 'Tidepool again'\)"
    )
    with pytest.raises(OpmlError, match=message):
        read_opml(own)


def test_miniflux_duplicates_merge_by_canonical_url():
    subs = parse_opml((FIXTURES / "opml" / "miniflux.opml").read_bytes(), "miniflux.opml")
    assert [s.url for s in subs] == [
        "https://tidepool.example.org/feed.atom",
        "https://smalltools.example.org/feed.xml",
    ]


def test_malformed_opml_is_one_error_naming_the_file():
    with pytest.raises(OpmlError, match=r"broken\.opml: not well-formed XML"):
        load("broken.opml")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html><body/></html>", "not an OPML file"),
        (b'<!DOCTYPE o [<!ENTITY a "b">]><opml><body/></opml>', "entities"),
        (
            b'<opml><body><outline text="x" xmlUrl="javascript:alert(1)"/></body></opml>',
            "not an http",
        ),
        (
            b'<opml><body><outline text="x" xmlUrl="samples/local.xml"/></body></opml>',
            "not an http",
        ),
    ],
)
def test_bad_opml_is_refused_in_words(data, message):
    with pytest.raises(OpmlError, match=message):
        parse_opml(data, "import.opml")


def test_local_paths_only_from_the_owners_own_file():
    data = b'<opml><body><outline text="x" xmlUrl="samples/local.xml"/></body></opml>'
    (sub,) = parse_opml(data, "subscriptions.opml", allow_paths=True)
    assert sub.is_local and sub.url == "samples/local.xml"


def test_render_then_parse_round_trips_folders():
    subs = (
        Subscription("https://a.example/feed", "A", "X/Y", "https://a.example/"),
        Subscription("https://b.example/feed", 'B <&> "quoted"', ""),
    )
    assert parse_opml(render_opml("mine", subs, NOW), "out.opml") == subs


def test_merge_adds_only_new_feeds():
    current = load("feedly.opml")
    merged, added = merge(current, load("miniflux.opml"))
    assert [s.url for s in added] == []  # both Miniflux feeds are already in the Feedly export
    merged, added = merge(current, load("inoreader.opml"))
    assert [s.title for s in added] == ["Night Shift", "Stacks"]
    assert len(merged) == 5


def test_an_absent_file_holds_no_subscriptions(tmp_path):
    assert read_opml(tmp_path / "none.opml") == ()
