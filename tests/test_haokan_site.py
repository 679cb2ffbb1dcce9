"""好看 end to end through `invoke`: the demo's social page, marks, and hostile friends."""

import pytest

from conftest import Reply, demo_site, fixture_bytes, inert_problems

pytestmark = pytest.mark.slow


def test_the_demo_shows_a_populated_social_page(tmp_path):
    site = demo_site(tmp_path)
    fetched = site.invoke("fetch")
    assert "11 feeds" in fetched.stdout and "0 failed" in fetched.stdout
    site.invoke("build")
    items = site.social_items()
    # Two friends reached the anemone post through different URLs: one item, both notes.
    assert [name for name, _ in items["The anemone that walked away"]] == ["林小满", "Ines Okafor"]
    assert [name for name, _ in items["Notes on a slower web"]] == ["林小满", "Ines Okafor", "我"]
    assert items["冬天的第一锅白粥"] == [("我", "米和水一比十二，记下了。")]
    assert list(items)[-1] in {"冬天的第一锅白粥", "Limpets go home every night"}  # owner last
    index = site.page("index.html")
    assert 'src="./friends/lin-xiao-man/avatar.png"' in index  # a local avatar, copied
    assert (site.output / "friends/lin-xiao-man/avatar.png").is_file()
    moved = site.page("friends/abe65608/index.html")  # the slug of her name before pinyin
    assert 'content="0; url=../../friends/lin-xiao-man/"' in moved
    assert list((site.output / "articles").glob("dong-tian-de-di-yi-guo-bai-zhou-*/index.html"))
    assert '<span class="avatar c' in index  # initials for friends without one
    article = next((site.output / "articles").glob("the-anemone-that-walked-away-*/index.html"))
    text = article.read_text("utf-8")
    assert "谁觉得好看" in text and "用粉笔圈住一只海葵" in text  # who marked it, on the article
    for page in site.output.rglob("*.html"):
        assert inert_problems(page.read_text("utf-8")) == [], page


def test_like_writes_a_mark_offline_and_updates_it(site):
    first = site.invoke(
        "like", "https://e.org/post?utm_source=x", "--title", "A post", "--note", "Worth it"
    )
    assert "Marked 好看: A post" in first.stdout
    again = site.invoke("like", "https://e.org/post", "--note", "Still worth it")
    assert "Updated the note of A post" in again.stdout
    (mark,) = (site.root / "content" / "haokan").glob("*.md")
    assert mark.read_text().splitlines()[:2] == [
        "Title: A post",
        "Link: https://e.org/post?utm_source=x",
    ]
    assert mark.read_text().endswith("\n\nStill worth it\n")
    site.invoke("build")
    assert site.social_items() == {"A post": [("我", "Still worth it")]}
    assert "was not marked" in site.invoke("like", "https://e.org/other", "--remove").stdout
    site.invoke("like", "https://e.org/post", "--remove")
    assert list((site.root / "content" / "haokan").glob("*.md")) == []


def test_like_takes_the_title_from_the_store_or_the_page(server, site):
    server.routes["/feed"] = Reply(fixture_bytes("simple.atom.xml"))
    server.routes["/page"] = Reply(
        b"<html><head><title> A page &amp; its title </title>",
        headers={"Content-Type": "text/html"},
    )
    site.subscribe_to({"Simple": server.url("/feed")})
    site.invoke("fetch")
    site.invoke("like", "https://simple.example.org/2?utm_medium=x")
    site.invoke("like", server.url("/page"))
    titles = sorted(
        p.read_text().splitlines()[0] for p in (site.root / "content" / "haokan").glob("*.md")
    )
    assert titles == ["Title: A page & its title", "Title: 第二篇"]
    missing = site.invoke("like", server.url("/nothing"), ok=False)
    assert missing.returncode == 1 and "give the title with --title" in missing.stderr


def test_a_mark_without_a_link_stops_the_build_with_one_line(site):
    (site.root / "content" / "haokan" / "broken.md").write_text("Title: x\nDate: 2026-11-24\n\nn")
    result = site.invoke("build", ok=False)
    assert result.returncode == 1
    assert "broken.md: Link '' is not an http(s) URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_hostile_friends_are_reported_and_the_page_still_builds(server, site):
    xss = b"""<rss version="2.0"><channel><title>x</title>
      <item><title>&lt;script&gt;alert(1)&lt;/script&gt;</title><link>javascript:alert(2)</link>
        <description>dropped: no web link</description></item>
      <item><title>Real &lt;b&gt;title&lt;/b&gt;</title><link>https://e.org/real</link>
        <pubDate>Mon, 23 Nov 2026 10:00:00 GMT</pubDate>
        <description>&lt;img src=x onerror=alert(3)&gt;
          &lt;a href="javascript:alert(4)"&gt;see&lt;/a&gt;
          &lt;script&gt;alert(5)&lt;/script&gt;
          &lt;b onmouseover="alert(6)"&gt;nice&lt;/b&gt;</description>
      </item></channel></rss>"""
    many = (
        b'<rss version="2.0"><channel><title>many</title>'
        + b"".join(
            b"<item><link>https://e.org/m%d</link><title>m%d</title></item>" % (i, i)
            for i in range(10_000)
        )
        + b"</channel></rss>"
    )
    server.routes["/xss"] = Reply(xss)
    server.routes["/many"] = Reply(many)
    server.routes["/huge"] = Reply(b"<rss>" + b" " * (3 * 1024 * 1024))
    server.routes["/down"] = Reply(b"", 503)
    site.befriend({name: server.url(f"/{name}") for name in ("xss", "many", "huge", "down")})
    fetched = site.invoke("fetch")
    assert "kept the first 1000 of 10000 entries" in fetched.stdout
    assert "larger than 2 MiB" in fetched.stdout
    assert "HTTP 503 Service Unavailable" in fetched.stdout
    site.invoke("build")
    assert len(site.social_items()) == 20  # the first page of 1,001 items
    xss_page = site.page("friends/xss/index.html")
    assert "Real title" in xss_page and "see" in xss_page and "nice" in xss_page
    assert "alert" not in xss_page
    for page in site.output.rglob("*.html"):
        assert inert_problems(page.read_text("utf-8")) == [], page
