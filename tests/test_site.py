"""End to end through `invoke`: fetch from loopback, build with Pelican, inspect the output."""

import json
import re
import shutil
import xml.etree.ElementTree as ET

import pytest

from conftest import FIXTURES, ROOT, Reply, Site, fixture_bytes, inert_problems, make_site

pytestmark = pytest.mark.slow


def html_pages(site: Site):
    return sorted(site.output.rglob("*.html"))


def article_page(site: Site, title: str) -> str:
    """Return the article page whose heading holds `title` (other pages may name it too)."""
    return next(
        text
        for p in site.output.glob("articles/*/index.html")
        if title in (text := p.read_text("utf-8")).split("<h1>", 1)[-1].split("</h1>", 1)[0]
    )


def test_hostile_and_broken_feeds_never_break_the_site(server, site):
    server.routes["/simple"] = Reply(fixture_bytes("simple.atom.xml"))
    server.routes["/xss"] = Reply(fixture_bytes("xss-everywhere.atom.xml"))
    server.routes["/ctl"] = Reply(fixture_bytes("control-chars.rss.xml"))
    server.routes["/gone"] = Reply(b"", 404)
    server.routes["/page"] = Reply(fixture_bytes("html-page.html"))
    site.subscribe_to(
        {name: server.url(f"/{name}") for name in ("simple", "xss", "ctl", "gone", "page")}
    )
    fetched = site.invoke("fetch")
    assert "HTTP 404 Not Found" in fetched.stdout
    assert "web page (HTML), not a feed" in fetched.stdout
    assert "5 feeds" in fetched.stdout and "2 failed" in fetched.stdout
    site.invoke("build")

    pages = html_pages(site)
    assert len(pages) >= 8
    for page in pages:
        assert inert_problems(page.read_text("utf-8")) == [], page
    text = article_page(site, "title text")
    assert "&lt;script&gt;alert(5)&lt;/script&gt; title text" in text  # shown, not run
    assert "<p>hello</p>" in text

    feeds = sorted((site.output / "feeds").glob("*.xml"))
    assert {f.name for f in feeds} >= {
        "all.atom.xml",
        "all.rss.xml",
        "simple.atom.xml",
        "ctl.atom.xml",
        "xss.atom.xml",
    }
    for feed in feeds:
        root = ET.parse(feed).getroot()  # well-formed despite U+0001 and U+FFFE in the input
        for node in root.iter():
            if node.tag.endswith(("content", "summary", "description")) and node.text:
                assert inert_problems(node.text) == [], feed
    assert "Bell and backspace and nonchar" in (site.output / "feeds/ctl.atom.xml").read_text()


def test_an_entry_that_leaves_its_feed_stays_on_the_site(server, site):
    server.routes["/feed"] = Reply(fixture_bytes("simple.atom.xml"))
    site.subscribe_to({"Simple": server.url("/feed")})
    site.invoke("fetch")
    # Version 2: entry 1 edited, entry 2 (第二篇) gone from the feed, entry 3 new.
    server.routes["/feed"] = (
        Reply(b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>Simple feed</title>
      <entry><title>First post, edited</title><link href="https://simple.example.org/1"/>
        <id>urn:simple:1</id><published>2026-11-19T10:00:00Z</published></entry>
      <entry><title>Third</title><link href="https://simple.example.org/3"/><id>urn:simple:3</id>
        <published>2026-11-21T10:00:00Z</published></entry></feed>""")
    )
    fetched = site.invoke("fetch")
    assert "1 new entry, 1 updated" in " ".join(fetched.stdout.split())
    site.invoke("build")
    category = site.page("subscriptions/simple/index.html")
    assert "第二篇" in category and "First post, edited" in category and "Third" in category


def test_the_bundled_samples_build_offline(tmp_path):
    site = make_site(tmp_path / "demo", "HAOKAN_ALLOW_PRIVATE_ADDRESSES = False\n")
    shutil.copytree(ROOT / "content" / "samples", site.root / "content" / "samples")
    shutil.copy(ROOT / "content" / "subscriptions.opml", site.root / "content")
    fetched = site.invoke("fetch")
    assert "7 feeds" in fetched.stdout and "0 failed" in fetched.stdout
    site.invoke("build")
    for folder in (
        "man-du-zhou-kan",
        "chu-fang-bi-ji",
        "shan-shui-xing-ji",
        "tidepool-notes",
        "field-notes-from-the-stacks",
        "small-tools-changelog",
        "night-shift-radio",
    ):
        assert (site.output / "subscriptions" / folder / "index.html").is_file(), folder
    timeline = site.page("timeline/index.html")
    assert "在地铁上读完一本书" in timeline and "The anemone that walked away" in timeline
    pane = site.page("subscriptions/index.html")
    assert pane.index(">中文</a>") < pane.index(">慢读周刊</a>") < pane.index(">English</a>")
    for folder in ("zhong-wen", "english"):
        assert (site.output / "folders" / folder / "index.html").is_file()
        ET.parse(site.output / "feeds" / "folders" / f"{folder}.atom.xml")
    assert '<html lang="zh-CN">' in timeline
    assert (
        "Content-Security-Policy" in timeline
        and 'name="referrer" content="no-referrer"' in timeline
    )
    again = site.invoke("fetch")
    assert "7 unchanged" in again.stdout  # local files unchanged: nothing rewritten


def test_excerpt_mode_does_not_republish_full_text(server, tmp_path):
    site = make_site(tmp_path / "s", "HAOKAN_FULL_CONTENT = False\n")
    server.routes["/feed"] = Reply(fixture_bytes("simple.atom.xml"))
    site.subscribe_to({"Simple": server.url("/feed")})
    site.invoke("fetch")
    site.invoke("build")
    article = article_page(site, "First post")
    assert "https://simple.example.org/1" in article  # the original link is there


def test_a_malformed_opml_is_one_clear_error(site):
    shutil.copy(FIXTURES / "opml" / "broken.opml", site.root / "content" / "subscriptions.opml")
    for task in ("fetch", "build"):
        result = site.invoke(task, ok=False)
        assert result.returncode == 1
        assert "subscriptions.opml: not well-formed XML" in result.stderr
        assert "Traceback" not in result.stderr + result.stdout


def test_an_unknown_setting_is_one_clear_error(tmp_path):
    site = make_site(tmp_path / "s", "HAOKAN_STOER = 'x.db'\n")
    result = site.invoke("build", ok=False)
    assert result.returncode == 1
    assert "unknown setting HAOKAN_STOER; did you mean HAOKAN_STORE?" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_foreign_store_file_is_refused_and_kept(site):
    (site.root / "cache").mkdir()
    store = site.root / "cache" / "haokan.sqlite3"
    store.write_bytes(b"not a database" * 100)
    result = site.invoke("fetch", ok=False)
    assert result.returncode == 1 and "cannot use this file as the store" in result.stderr
    assert store.read_bytes() == b"not a database" * 100


def test_check_prints_one_verdict_per_file(site):
    files = [
        FIXTURES / "feeds" / name
        for name in ("simple.atom.xml", "entity-expansion.xml", "html-page.html")
    ]
    result = site.invoke("check", *map(str, files), str(ROOT / "content/samples/chufang.json"))
    lines = [line for line in result.stdout.splitlines() if line.startswith(("OK", "REFUSED"))]
    assert len(lines) == 4
    assert lines[0].startswith("OK") and "2 entries" in lines[0]
    assert lines[1].startswith("REFUSED") and "<!ENTITY" in lines[1]
    assert "4 files: 2 read, 2 refused." in result.stdout


def test_subscribe_finds_the_feed_a_page_announces(server, site):
    server.routes["/blog/"] = Reply(
        fixture_bytes("html-page.html"), headers={"Content-Type": "text/html"}
    )
    server.routes["/feed.atom"] = Reply(fixture_bytes("simple.atom.xml"))
    result = site.invoke("subscribe", server.url("/blog/"), "--folder", "Blogs")
    assert "Subscribed to Simple feed" in result.stdout
    exported = site.invoke("export-opml").stdout
    assert f'xmlUrl="{server.url("/feed.atom")}"' in exported and 'text="Blogs"' in exported
    assert "Already subscribed" in site.invoke("subscribe", server.url("/feed.atom")).stdout


def test_import_opml_merges_another_readers_export(site):
    site.subscribe_to({"Tidepool": "https://tidepool.example.org/feed.atom"})
    result = site.invoke("import-opml", str(FIXTURES / "opml" / "feedly.opml"))
    assert "2 new subscriptions, 1 already present" in result.stdout
    out = site.root / "exported.opml"
    site.invoke("export-opml", str(out))
    titles = [o.get("text") for o in ET.parse(out).getroot().iter("outline") if o.get("xmlUrl")]
    assert titles == ["Tidepool", "Small Tools", "厨房笔记"]


def test_a_site_with_nothing_yet_builds_empty_and_valid(site):
    # No subscriptions, friends or marks: the build still succeeds, and says what to do.
    site.subscribe_to({})
    site.invoke("fetch")
    site.invoke("build")
    atom = ET.parse(site.output / "feeds" / "all.atom.xml").getroot()
    assert atom.findall("{http://www.w3.org/2005/Atom}entry") == []
    assert json.loads(site.page("feeds/haokan.json"))["items"] == []
    assert json.loads(site.page("search/index.json")) == []
    assert "还没有人标记好看" in site.page("index.html")


def test_text_from_feeds_is_printed_literally_not_as_console_markup(server, site):
    # rich would read "[/]" as markup (and fail); a hostile server chooses what we print.
    server.routes["/evil"] = Reply(status=302, headers={"Location": "ftp://[/]x[bold]"})
    site.subscribe_to({"[red]Evil[/red]": server.url("/evil")})
    fetched = site.invoke("fetch", ok=False)  # its only feed failed: exit 1
    assert "[red]Evil[/red]" in fetched.stdout and "ftp://[/]x[bold]" in fetched.stdout


def test_the_scanner_accepts_only_our_own_external_scripts():
    own = '<script src="../../theme/js/haokan.js" defer></script>'
    assert inert_problems(own) == []
    for evil in (
        '<script src="https://evil.example/theme/js/haokan.js"></script>',
        '<script src="theme/js/haokan.js">alert(1)</script>',
        '<script src="uploads/theme/js/haokan.js.evil"></script>',
        "<script>x()</script>",
    ):
        assert inert_problems(evil) == ["<script>"], evil


@pytest.mark.parametrize(
    ("setting", "task", "message"),
    [
        ("OUTPUT_PATH = 'a-file/output'", "build", "OUTPUT_PATH"),
        ("HAOKAN_STORE = 'a-file/store.sqlite3'", "fetch", "cannot open the store"),
        ("HAOKAN_FETCH_DEADLINE = '20'", "fetch", "HAOKAN_FETCH_DEADLINE = '20' is invalid"),
        ("TIMEZONE = 'Mars/Olympus'", "build", "TIMEZONE = 'Mars/Olympus' is not a time zone"),
    ],
)
def test_unusable_paths_and_settings_are_one_clear_error(tmp_path, setting, task, message):
    site = make_site(tmp_path / "s", setting + "\n")
    (site.root / "a-file").write_text("a file, not a folder")
    result = site.invoke(task, ok=False)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert (site.root / "a-file").read_text() == "a file, not a folder"


def test_long_subscriptions_and_timelines_paginate(server, site):
    entries = "".join(
        f"<item><guid>{n}</guid><title>Entry {n}</title><link>https://e.org/{n}</link>"
        f"<pubDate>Mon, {1 + n % 28:02d} Nov 2026 10:{n % 60:02d}:00 GMT</pubDate></item>"
        for n in range(65)
    )
    server.routes["/long"] = Reply(
        f'<rss version="2.0"><channel><title>Long</title>{entries}</channel></rss>'.encode()
    )
    site.subscribe_to({"Long": server.url("/long")})
    site.invoke("fetch")
    site.invoke("build")
    for folder in ("subscriptions/long", "timeline"):
        first = site.page(f"{folder}/index.html")
        assert 'rel="next" href="../' in first and "page/2/" in first
        second = site.page(f"{folder}/page/2/index.html")
        assert re.search(rf'rel="prev" href="(\.\./)+{folder}/"', second), folder  # not "/"
        assert 'rel="next"' in second
        third = site.page(f"{folder}/page/3/index.html")
        assert 'rel="next"' not in third
        assert (
            sum(
                site.page(f"{folder}/{p}index.html").count('class="entry"')
                for p in ("", "page/2/", "page/3/")
            )
            == 65
        )
