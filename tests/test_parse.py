"""Parsing and normalizing: every sample format, hostile documents, the entry boundary."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import FIXTURES, NOW, ROOT, inert_problems
from haokan.core.parse import FeedRefused, parse_feed

SAMPLES = ROOT / "content" / "samples"


def parse(name: str, url: str = "https://feed.example.org/feed", folder: Path = SAMPLES):
    return parse_feed((folder / name).read_bytes(), url, None, NOW)


def titles(feed):
    return [e.title for e in feed.entries]


def test_atom_sample_resolves_relative_links_against_xml_base():
    feed = parse("tidepool.atom.xml")
    assert feed.title == "Tidepool Notes"
    first = feed.entries[0]
    assert first.link == "https://tidepool.example.org/posts/anemone-walk/"
    assert first.image == "https://tidepool.example.org/posts/anemone-walk/anemone.jpg"
    assert 'href="https://tidepool.example.org/posts/limpet-homes/"' in first.content
    assert first.published == datetime(2026, 11, 22, 7, 40, tzinfo=UTC)
    assert first.author == "Mara Quinn"


def test_rss2_sample_in_chinese_keeps_text_and_counts_reading_time():
    feed = parse("manbu.rss.xml")
    assert titles(feed)[0] == "第 87 期：在地铁上读完一本书"
    entry = feed.entries[0]
    assert entry.key == "manbu-issue-87"
    assert entry.author == "林小满"
    assert entry.published == datetime(2026, 11, 20, 1, 0, tzinfo=UTC)  # +0800 made UTC
    assert entry.excerpt.startswith("通勤的四十分钟")
    assert entry.reading_minutes == 1
    assert 'href="https://manbu.example.com/issues/87#links"' in entry.content


def test_rss1_sample_reads_dc_dates_and_plain_text_titles():
    feed = parse("stacks.rdf")
    assert titles(feed) == ['"The blue book, about a boat"', "A book returned 41 years late"]
    assert feed.entries[0].published == datetime(2026, 11, 19, 21, 20, tzinfo=UTC)


def test_json_feed_sample_reads_html_text_and_undated_items():
    feed = parse("chufang.json")
    assert feed.title == "厨房笔记"
    first, second, third = feed.entries
    assert first.image == "https://chufang.example.com/img/tomato-egg.jpg"
    assert "<strong>先把番茄炒出汁</strong>" in first.content
    assert second.content == (
        "<p>米和水一比十二，大火煮开，小火熬四十分钟，中途别揭盖。</p>"
        "<p>配一碟榨菜，就是一个安静的早晨。</p>"
    )
    assert third.published is None


def test_entries_without_dates_and_with_relative_images():
    feed = parse("smalltools.rss.xml")
    assert all(e.published is None for e in feed.entries)
    assert feed.entries[0].image == "https://smalltools.example.org/img/memory-chart.png"
    assert feed.entries[0].key == "https://smalltools.example.org/releases/tidy-csv-2.0"


def test_html_titles_become_plain_text():
    feed = parse("shanshui.atom.xml")
    assert titles(feed)[0] == "徒步武功山：云海与草甸"


def test_enclosures_are_kept_with_type_and_length():
    entry = parse("nightshift.rss.xml").entries[0]
    assert entry.enclosures[0].url == "https://nightshift.example.fm/audio/ep42.mp3"
    assert entry.enclosures[0].type == "audio/mpeg"
    assert entry.enclosures[0].length == 38214023


def test_xss_in_every_field_is_neutralized_at_the_boundary():
    feed = parse("xss-everywhere.atom.xml", folder=FIXTURES / "feeds")
    assert feed.image is None and feed.site_url is None
    entry = feed.entries[0]
    assert entry.title == "<script>alert(5)</script> title text"  # plain text, escaped later
    assert entry.link is None
    assert entry.enclosures == ()
    assert inert_problems(entry.content) == []
    assert "<p>hello</p>" in entry.content  # what is harmless stays


def test_control_characters_and_nonchars_are_stripped_from_every_field():
    entry = parse("control-chars.rss.xml", folder=FIXTURES / "feeds").entries[0]
    assert entry.title == "Bell and backspace and nonchar"
    assert "\ufffe" not in entry.content and "\x0b" not in entry.content


def test_future_dates_are_clamped_to_now():
    body = (
        b'<rss version="2.0"><channel><title>t</title><item><title>x</title>'
        b"<guid>1</guid><pubDate>Sat, 01 Jan 2099 00:00:00 GMT</pubDate></item></channel></rss>"
    )
    assert parse_feed(body, "https://e.org/f", None, NOW).entries[0].published == NOW


def test_entry_key_falls_back_to_link_then_content_hash():
    body = (
        b'<rss version="2.0"><channel><title>t</title>'
        b"<item><title>a</title><link>https://e.org/a</link></item>"
        b"<item><title>b</title><description>same</description></item>"
        b"<item><title>b</title><description>same</description></item></channel></rss>"
    )
    feed = parse_feed(body, "https://e.org/f", None, NOW)
    assert feed.entries[0].key == "https://e.org/a"
    assert feed.entries[1].key.startswith("sha256:")
    assert len(feed.entries) == 2  # the identical third entry is the same entry


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty"),
        (b"   \n ", "empty"),
        ((FIXTURES / "feeds" / "entity-expansion.xml").read_bytes(), "<!ENTITY"),
        ('<!DOCTYPE x [<!ENTITY a "b">]><rss/>'.encode("utf-16"), "<!ENTITY"),
        ((FIXTURES / "feeds" / "html-page.html").read_bytes(), "web page"),
        (b"/etc/passwd", "not"),
        (b"file:///etc/passwd", "not"),
        (b'{"version": "1", "items": []}', "not a JSON Feed"),
        (b"{not json", "not valid JSON"),
    ],
)
def test_documents_that_are_not_feeds_are_refused_in_words(body, reason):
    with pytest.raises(FeedRefused, match=reason.replace("(", r"\(")):
        parse_feed(body, "https://e.org/f", None, NOW)


def test_feedparser_never_reads_a_local_file_named_by_the_body(tmp_path):
    secret = tmp_path / "secret.xml"
    secret.write_text('<rss version="2.0"><channel><title>SECRET</title></channel></rss>')
    with pytest.raises(FeedRefused):
        parse_feed(str(secret).encode(), "https://e.org/f", None, NOW)


def test_too_many_entries_are_capped_with_a_note():
    items = b"".join(b"<item><guid>%d</guid><title>t</title></item>" % i for i in range(1200))
    body = b'<rss version="2.0"><channel><title>big</title>' + items + b"</channel></rss>"
    feed = parse_feed(body, "https://e.org/f", None, NOW)
    assert len(feed.entries) == 1000
    assert feed.notes == ("kept the first 1000 of 1200 entries",)
