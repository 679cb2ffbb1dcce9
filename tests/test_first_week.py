"""The owner's first week, end to end on loopback: start an empty site, subscribe into folders,
follow a friend, fetch, build, then move, unsubscribe and unfollow — never editing XML."""

import re
import shutil
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest

from conftest import NOW, ROOT, Reply, make_site
from haokan.core.opml import walk

pytestmark = pytest.mark.slow
ATOM = "{http://www.w3.org/2005/Atom}"


def rss(name, titles):
    items = "".join(
        f"<item><guid>https://{name}.example/{n}</guid><title>{title}</title>"
        f"<link>https://{name}.example/{n}</link>"
        f"<pubDate>{(NOW - timedelta(days=n)).strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>"
        "</item>"
        for n, title in enumerate(titles, 1)
    )
    return f'<rss version="2.0"><channel><title>{name.title()}</title>{items}</channel></rss>'


def page(announces=""):
    return f"<html><head><title>a site</title>{announces}</head><body>hi</body></html>".encode()


def outlines(path):
    return [(o.kind, o.name, o.folder) for o in walk(path.read_bytes(), str(path))]


def articles(site):
    return sorted(
        p.parent.name.rsplit("-", 1)[0] for p in site.output.glob("articles/*/index.html")
    )


@pytest.fixture
def world(server):
    server.routes["/alpha.xml"] = Reply(rss("alpha", ["Alpha one", "Alpha two"]).encode())
    server.routes["/beta/"] = Reply(  # a page that announces its feed
        page(f'<link rel="alternate" type="application/rss+xml" href="{server.url("/beta.rss")}">'),
        headers={"Content-Type": "text/html"},
    )
    server.routes["/beta.rss"] = Reply(rss("beta", ["Beta one", "Beta two", "Beta three"]).encode())
    server.routes["/"] = Reply(page(), headers={"Content-Type": "text/html"})  # announces none
    server.routes["/feed/"] = Reply(rss("gamma", ["Gamma one"]).encode())  # only found there
    picks = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Pal · 好看</title>'
        '<entry><title>Beta two</title><link rel="alternate" href="https://beta.example/2"/>'
        f"<id>pal:1</id><updated>{NOW.isoformat()}</updated><content>worth it</content></entry>"
        "</feed>"
    )
    server.routes["/pal.atom"] = Reply(picks.encode())
    return server


def test_the_first_week_without_editing_xml(world, tmp_path):
    site = make_site(tmp_path / "site")
    content = site.root / "content"
    shutil.copytree(ROOT / "content" / "haokan", content / "haokan", dirs_exist_ok=True)
    shutil.copy(ROOT / "content" / "subscriptions.opml", content)
    shutil.copy(ROOT / "content" / "friends.opml", content)

    # Start your own: the demo's subscriptions, friends and marks go; the settings stay.
    started = site.invoke("init", "--yes").stdout
    assert "Made an empty site" in started and "3 marks" in started
    assert outlines(content / "subscriptions.opml") == []
    assert (
        outlines(content / "friends.opml") == [] and list((content / "haokan").glob("*.md")) == []
    )
    assert site.settings.is_file()

    said = [
        site.invoke("subscribe", world.url("/alpha.xml"), "--folder", "Reading").stdout,
        site.invoke("subscribe", world.url("/beta/"), "--folder", "Tech/Tools").stdout,
        site.invoke("subscribe", world.url("/"), "--folder", "Reading").stdout,
        site.invoke("follow", world.url("/pal.atom"), "--name", "Pal", "--weight", "2").stdout,
    ]
    assert [" ".join(line.split()).split(" (")[0] for line in said] == [
        "Subscribed to Alpha",
        "Subscribed to Beta",
        "Subscribed to Gamma",
        "Following Pal",
    ]
    assert outlines(content / "subscriptions.opml") == [
        ("folder", "Reading", "Reading"),
        ("feed", "Alpha", "Reading"),
        ("feed", "Gamma", "Reading"),
        ("folder", "Tech", "Tech"),
        ("folder", "Tools", "Tech/Tools"),
        ("feed", "Beta", "Tech/Tools"),
    ]
    assert f'xmlUrl="{world.url("/feed/")}"' in (content / "subscriptions.opml").read_text()
    assert 'weight="2"' in (content / "friends.opml").read_text()

    site.invoke("fetch")
    site.invoke("like", "https://beta.example/3", "--note", "keep this one")
    site.built()
    reading = site.page("folders/reading/index.html")
    titles = re.findall(r'class="entry-title" href="[^"]+">([^<]+)<', reading)
    assert sorted(titles) == ["Alpha one", "Alpha two", "Gamma one"]
    assert ">3 篇<" in reading.replace("</span>", "<").replace('<span class="count">', ">")
    tech = site.page("folders/tech/index.html")  # a folder holds the folders inside it
    assert tech.count('class="entry-title"') == 3 and "Beta three" in tech
    feed = ET.parse(site.output / "feeds" / "folders" / "tech-tools.atom.xml").getroot()
    assert [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")] == [
        "Beta one",
        "Beta two",
        "Beta three",
    ]
    pane = site.page("subscriptions/index.html")
    assert pane.index(">Reading</a>") < pane.index(">Tech</a>") < pane.index(">Tools</a>")
    assert "Pal" in site.page("index.html") and "worth it" in site.page("index.html")
    opml_before = (content / "subscriptions.opml").read_text()

    moved = site.invoke("move", "Gamma", "--folder", "Tech").stdout
    gone = site.invoke("unsubscribe", world.url("/beta.rss")).stdout
    unfollowed = site.invoke("unfollow", "Pal").stdout
    assert "Moved Gamma to Tech." in moved
    assert "Unsubscribed from Beta" in " ".join(gone.split())
    assert "Unfollowed Pal" in unfollowed
    assert outlines(content / "subscriptions.opml") == [
        ("folder", "Reading", "Reading"),
        ("feed", "Alpha", "Reading"),
        ("folder", "Tech", "Tech"),
        ("folder", "Tools", "Tech/Tools"),  # emptied, and kept: the owner made it
        ("feed", "Gamma", "Tech"),
    ]
    alpha_line = next(line for line in opml_before.splitlines() if 'text="Alpha"' in line)
    assert alpha_line in (content / "subscriptions.opml").read_text().splitlines()
    assert outlines(content / "friends.opml") == []

    site.built()
    assert articles(site) == ["alpha-one", "alpha-two", "beta-three", "gamma-one"]  # marked: kept
    assert not (site.output / "friends" / "pal").exists()
    assert "Gamma one" in site.page("folders/tech/index.html")
    assert "Gamma one" not in site.page("folders/reading/index.html")
    assert (
        not (site.output / "folders" / "tech-tools" / "index.html")
        .read_text()
        .count('class="entry-title"')
    )
