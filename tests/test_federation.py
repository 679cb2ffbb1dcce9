"""Federation: two Haokan sites read each other's 好看 feeds and merge what both marked."""

import pytest

from conftest import StaticServer, make_site

pytestmark = pytest.mark.slow


def test_two_sites_merge_each_others_marks(tmp_path):
    a = make_site(tmp_path / "a", 'HAOKAN_LANG = "en"\n')
    b = make_site(tmp_path / "b", 'HAOKAN_LANG = "en"\n')
    # Both mark one article, through URLs that differ only in tracking parameters.
    a.invoke(
        "like",
        "https://news.example/story?utm_source=a-newsletter",
        "--title",
        "The Story",
        "--note",
        "Ann thinks this is wonderful",
    )
    b.invoke(
        "like",
        "https://news.example/story?fbclid=xyz#top",
        "--title",
        "The Story",
        "--note",
        "Bea found it too",
    )
    b.invoke(
        "like",
        "https://news.example/only-b",
        "--title",
        "Only Bea read this",
        "--note",
        "A hidden gem",
    )
    for site in (a, b):
        site.invoke("build")
    served_a, served_b = StaticServer(a.output), StaticServer(b.output)
    try:
        a.befriend({"Bea": served_b.url("/feeds/haokan.atom.xml")})  # A reads B's Atom feed
        b.befriend({"Ann": served_a.url("/feeds/haokan.json")})  # B reads A's JSON Feed
        for site in (a, b):
            fetched = site.invoke("fetch")
            assert "1 feed in" in fetched.stdout and "0 failed" in fetched.stdout
            site.invoke("build")
    finally:
        served_a.close()
        served_b.close()

    on_a = a.social_items()
    assert on_a["The Story"] == [
        ("Bea", "Bea found it too"),
        ("Me", "Ann thinks this is wonderful"),
    ]
    assert on_a["Only Bea read this"] == [("Bea", "A hidden gem")]
    on_b = b.social_items()
    assert on_b["The Story"] == [
        ("Ann", "Ann thinks this is wonderful"),
        ("Me", "Bea found it too"),
    ]
    assert "Only Bea read this" in on_b  # B's own mark, shown after friends' picks
    assert list(on_b) == ["The Story", "Only Bea read this"]
    friend_page = a.page("friends/bea/index.html")
    assert "The Story" in friend_page and "A hidden gem" in friend_page
