"""What Haokan's own pages list (pure): a friend's picks, the archive, search records, sitemap."""

from dataclasses import replace
from datetime import UTC, datetime

from test_assemble import ANN, OPTIONS, ZONE, mark, stored, world

from haokan.core import catalog
from haokan.core.assemble import assemble
from haokan.core.pages import archive_months, friend_picks, search_records, sitemap


def test_search_has_every_page_and_every_marked_article_without_one():
    outside = mark("https://elsewhere.example/x", 0, "<p>read <b>this</b></p>")
    build = assemble(world(marks=(outside,)), OPTIONS)
    records = search_records(build)
    assert [r["u"] for r in records] == [
        "articles/a/",
        "articles/b/",
        "https://elsewhere.example/x",
    ]
    first = records[0]
    assert (first["t"], first["e"], first["s"], first["n"]) == (
        "Title a",
        "a",
        "Tidepool",
        "ann says",
    )
    assert records[-1] == {
        "t": "Marked x",
        "e": "",
        "s": "elsewhere.example",
        "u": "https://elsewhere.example/x",
        "n": "read this",
    }


def test_a_friends_page_lists_their_picks_newest_first():
    picks = (
        stored(ANN.feed_url, "p1", 3, "https://tide.example/b", "<p>older</p>"),
        stored(ANN.feed_url, "p2", 0, "https://tide.example/a", "<p>newer</p>"),
    )
    build = assemble(world(recommended=picks), OPTIONS)
    listed = friend_picks(build.items, ANN)
    assert [(item.canonical, rec.note_html) for item, rec in listed] == [
        ("https://tide.example/a", "<p>newer</p>"),
        ("https://tide.example/b", "<p>older</p>"),
    ]
    assert all(rec.who == "ann" for _, rec in listed)


def test_the_archive_is_by_month_in_the_site_zone_newest_first():
    def on(slug, moment, feed="https://tide.example/feed"):
        row = stored(feed, slug, 0, f"https://e.org/{slug}")
        return replace(row, date=moment)

    # 20:00 UTC on September 30 is already October 1 in Shanghai.
    rows = (
        on("oct", datetime(2026, 9, 30, 20, 0, tzinfo=UTC)),
        on("aug", datetime(2026, 8, 15, 9, 0, tzinfo=UTC), "https://bare.example/feed"),
    )
    build = assemble(world(listed=rows, marks=(), recommended=()), OPTIONS)
    months = archive_months(build, ZONE, catalog.strings("en"))
    assert [(m.key, m.label, m.path) for m in months] == [
        ("2026/10", "2026-10", "archive/2026/10/"),
        ("2026/08", "2026-08", "archive/2026/08/"),
    ]
    (october,) = months[0].entries
    assert (october.title, october.link, october.source) == (
        "Title oct",
        "https://e.org/oct",
        "Tidepool",
    )
    assert (october.iso, october.shown) == ("2026-10-01T04:00:00+08:00", "Oct 1, 2026 04:00")
    assert months[1].entries[0].source == "Bare's own title"
    assert catalog.strings("zh")["month"].format(y=2026, m=10) == "2026 年 10 月"


def test_the_sitemap_lists_absolute_locations_escaped():
    xml = sitemap("https://me.example", ["", "articles/a&b/"])
    assert "<url><loc>https://me.example/</loc></url>" in xml
    assert "<loc>https://me.example/articles/a&amp;b/</loc>" in xml
    assert xml.startswith('<?xml version="1.0" encoding="utf-8"?>\n<urlset ')
