"""The owner's 好看 feed: the public contract friends' sites read (docs/federation.md)."""

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

from haokan.core.marks import Mark
from haokan.core.ownfeed import atom, json_feed

A = "{http://www.w3.org/2005/Atom}"
WHEN = datetime(2026, 11, 24, 20, 15, tzinfo=UTC)
MARKS = (
    Mark(
        Path("a.md"),
        "An <article> & more",
        "https://e.org/a?utm_source=x",
        WHEN,
        "Great",
        '<p>Great &amp; <a href="https://e.org/">linked</a></p>',
    ),
    Mark(Path("b.md"), "第二篇", "https://e.org/b", WHEN.replace(day=20), "", ""),
)


def test_atom_entries_link_the_article_title_it_and_carry_the_note():
    root = ET.fromstring(atom(MARKS, "好看", "https://me.example", "Me", WHEN))
    assert root.find(f"{A}title").text == "好看"  # the site's name already says it
    first, second = root.findall(f"{A}entry")
    assert first.find(f"{A}title").text == "An <article> & more"
    link = first.find(f"{A}link")
    assert (link.get("rel"), link.get("href")) == ("alternate", "https://e.org/a")
    assert first.find(f"{A}id").text == "https://e.org/a"
    assert first.find(f"{A}published").text == "2026-11-24T20:15:00+00:00"
    content = first.find(f"{A}content")
    assert content.get("type") == "html" and "linked</a>" in content.text
    assert second.find(f"{A}content") is None  # no note, no content


def test_an_empty_feed_is_still_valid_and_reproducible():
    one = atom((), "好看", "", "Me", WHEN)
    assert one == atom((), "好看", "", "Me", WHEN)
    assert ET.fromstring(one).find(f"{A}updated").text == "2026-11-24T20:15:00+00:00"


def test_json_feed_follows_the_spec_shape():
    document = json.loads(json_feed(MARKS, "好看", "https://me.example", "Me"))
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["feed_url"] == "https://me.example/feeds/haokan.json"
    assert document["items"][0] == {
        "id": "https://e.org/a",
        "url": "https://e.org/a",
        "title": "An <article> & more",
        "content_html": MARKS[0].note_html,
        "date_published": "2026-11-24T20:15:00+00:00",
    }
