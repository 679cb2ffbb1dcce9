"""Assembling a build (pure): a World of literal values in, the Build every page is made of out."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from haokan.core.assemble import NO_INPUTS, as_of, assemble, recommendations
from haokan.core.build import Options, World
from haokan.core.friends import Friend
from haokan.core.marks import Mark
from haokan.core.model import Entry, FeedStatus, StoredEntry, Subscription
from haokan.core.social import OWNER

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
ZONE = ZoneInfo("Asia/Shanghai")
OPTIONS = Options(ZONE, "我", "articles/{slug}/", window_days=30, max_per_subscription=2)
TIDE = Subscription("https://tide.example/feed", "Tidepool")
BARE = Subscription("https://bare.example/feed")  # no title in the OPML
ANN = Friend("Ann", "https://ann.example/haokan.atom", "ann", weight=2.0)


def stored(feed, slug, days_ago, link=None, content=""):
    date = NOW - days_ago * DAY
    entry = Entry(slug, f"Title {slug}", link, published=date, content=content, excerpt=slug)
    return StoredEntry(feed, slug, entry, date, date, fingerprint=f"fp-{slug}")


def mark(link, days_ago, note_html=""):
    date = NOW - days_ago * DAY
    return Mark(Path(f"{link[-1]}.md"), f"Marked {link[-1]}", link, date, "", note_html)


def world(**changes):
    base = World(
        subscriptions=(TIDE, BARE),
        friends=(ANN,),
        marks=(mark("https://tide.example/c", 1, "<p>mine</p>"),),
        listed=(
            stored(TIDE.url, "a", 0, "https://tide.example/a?utm_source=rss"),
            stored(TIDE.url, "b", 1, "https://tide.example/b"),
            stored(TIDE.url, "c", 2, "https://tide.example/c"),  # past the cap, but marked
            stored(TIDE.url, "d", 3, "https://tide.example/d"),  # past the cap: archived
            stored(BARE.url, "e", 40, "https://bare.example/e"),  # older than the window
        ),
        recommended=(
            stored(ANN.feed_url, "pick", 0, "https://tide.example/a", "<p>ann says</p>"),
            stored(ANN.feed_url, "linkless", 0, None, "<p>no link: no pick</p>"),
        ),
        feeds={BARE.url: FeedStatus(BARE.url, "subscription", title="Bare's own title")},
        last_fetch=NOW,
    )
    return replace(base, **changes)


def test_the_build_is_as_of_the_newest_input_never_the_clock():
    assert as_of(world()) == NOW
    later = mark("https://x.example/z", -1)
    assert as_of(world(marks=(later,))) == NOW + DAY
    assert as_of(world(marks=(), last_fetch=None)) == NO_INPUTS


def test_the_window_and_the_cap_decide_which_entries_get_pages():
    build = assemble(world(), OPTIONS)
    assert [page.slug for page in build.pages] == ["a", "b", "c"]
    assert [row.slug for row in build.archived] == ["d", "e"]
    assert [page.url for page in build.pages] == [f"articles/{s}/" for s in "abc"]


def test_every_subscription_is_named_once_the_same_way():
    build = assemble(world(), OPTIONS)
    assert build.names == {TIDE.url: "Tidepool", BARE.url: "Bare's own title"}
    assert {page.source for page in build.pages} == {"Tidepool"}
    unknown = assemble(world(feeds={}), OPTIONS)
    assert unknown.names[BARE.url] == BARE.url  # never fetched: its address


def test_friends_picks_rank_above_the_owners_and_carry_our_page():
    build = assemble(world(), OPTIONS)
    assert [item.canonical for item in build.items] == [
        "https://tide.example/a",  # Ann's pick, merged with the entry despite utm_source
        "https://tide.example/c",  # the owner's mark
    ]
    picked, marked = build.items
    assert picked.article is not None and picked.article.page_url == "articles/a/"
    assert picked.article.source == "Tidepool"
    assert [(r.who, r.note_html) for r in picked.recommendations] == [("ann", "<p>ann says</p>")]
    assert picked.score == 2.0  # Ann's weight, recommended just now
    assert [r.who for r in marked.recommendations] == [OWNER]
    by_slug = {page.slug: page for page in build.pages}
    assert by_slug["a"].social == picked and by_slug["b"].social is None


def test_recommendations_are_dated_in_the_site_zone_and_need_a_link():
    recs = recommendations(world(), "我", ZONE)
    assert [(r.who, r.name, r.url) for r in recs] == [
        (OWNER, "我", "https://tide.example/c"),
        ("ann", "Ann", "https://tide.example/a"),
    ]
    assert all(r.at.tzinfo == ZONE for r in recs)


def test_an_article_page_digest_follows_who_recommended_it_not_its_list_digest():
    before = {p.slug: p for p in assemble(world(), OPTIONS).pages}
    noted = world(
        recommended=(
            stored(ANN.feed_url, "pick", 0, "https://tide.example/a", "<p>changed her mind</p>"),
        )
    )
    after = {p.slug: p for p in assemble(noted, OPTIONS).pages}
    assert after["a"].list_digest == before["a"].list_digest  # lists and feeds stand
    assert after["a"].page_digest != before["a"].page_digest  # its own page is redone
    assert after["b"].page_digest == before["b"].page_digest  # nothing else is
    renamed = world(subscriptions=(replace(TIDE, title="Tide Notes"), BARE))
    moved = {p.slug: p for p in assemble(renamed, OPTIONS).pages}
    assert moved["b"].list_digest != before["b"].list_digest  # its folder's name is listed


def test_a_recommended_entry_gets_a_page_however_old():
    old_pick = stored(ANN.feed_url, "pick", 0, "https://bare.example/e")
    build = assemble(world(recommended=(old_pick,)), OPTIONS)
    assert "e" in [page.slug for page in build.pages]


def test_an_empty_world_builds_an_empty_site():
    empty = World((), (), (), (), (), {}, None)
    build = assemble(empty, OPTIONS)
    assert (build.pages, build.archived, build.items, build.as_of) == ((), (), (), NO_INPUTS)


def test_a_later_build_keeps_each_page_whose_recommendations_it_shows_still_stand():
    # The warm builder assembles again at each press: a mark made later moves every ranking
    # score, yet the pages whose recommendations stand are the very pages of before (what is
    # made of them is then remembered); a changed note, or a friend shown otherwise (a site
    # given), makes a new one.
    base = world()
    first = assemble(base, OPTIONS)
    later = mark("https://tide.example/b", -1, "<p>later</p>")
    again = assemble(replace(base, marks=(*base.marks, later)), OPTIONS)
    pages = {page.slug: page for page in again.pages}
    assert [i.score for i in again.items] != [i.score for i in first.items]
    assert pages["a"] is first.pages[0] and pages["c"] is first.pages[2]  # Ann's, and mine
    assert pages["b"] is not first.pages[1] and pages["b"].social is not None
    site = replace(ANN, site_url="https://ann.example/")
    shown = assemble(replace(base, friends=(site,)), OPTIONS)
    assert shown.pages[0] is not first.pages[0]
    assert shown.pages[0].page_digest != first.pages[0].page_digest
    edited = stored(ANN.feed_url, "pick", 0, "https://tide.example/a", "<p>ann edits</p>")
    noted = assemble(replace(base, recommended=(edited, *base.recommended[1:])), OPTIONS)
    assert noted.pages[0] is not first.pages[0]
    assert noted.pages[0].page_digest != first.pages[0].page_digest
