"""Zero third-party requests, in a real browser: every page of the demo (JavaScript on and off)
and of a site built from hostile feeds opens with no request leaving 127.0.0.1, no console
error, and every image it shows rendered from the site's own copy.

The hostile site reads this project's own hostile fixtures and, when it is there, the shared
hostile-feeds corpus (../shared/corpora/hostile-feeds; skipped without it)."""

import re
import shutil
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import (
    FIXTURES,
    ROOT,
    StaticServer,
    demo_site,
    make_site,
    require_browser,
    watched_page,
)
from haokan.cli.screenshots import ARGS, CHROMIUM

sync_api = require_browser()
pytestmark = pytest.mark.slow
CORPUS = ROOT.parent / "shared" / "corpora" / "hostile-feeds"

# Every image on the page, lazy ones too, asked for now; how wide each came out (0: broken).
RENDERED = """async () => Promise.all([...document.images].map(async (img) => {
  img.loading = "eager";
  try { await img.decode(); } catch (e) {}
  return [img.getAttribute("src"), img.naturalWidth];
}))"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    site = demo_site(tmp_path_factory.mktemp("images-demo"))
    fetched = site.invoke("fetch").stdout
    assert "5 images kept" in fetched, fetched
    site.invoke("build")
    return site


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    site = make_site(tmp_path_factory.mktemp("images-hostile") / "site")
    feeds = site.root / "content" / "hostile"
    feeds.mkdir()
    for path in FIXTURES.glob("feeds/*"):
        shutil.copy(path, feeds)
    if CORPUS.is_dir():
        for path in CORPUS.iterdir():
            if path.suffix in {".xml", ".json", ".html", ".txt"}:
                shutil.copy(path, feeds)
    site.subscribe_to({p.stem: f"hostile/{p.name}" for p in sorted(feeds.iterdir())})
    site.invoke("fetch", ok=False)  # some of them are refused, in words: that is the point
    site.invoke("build")
    return site


def visit_every_page(site, javascript: bool) -> tuple[int, int]:
    """Open every page; return (pages, images rendered). Fails on the first problem."""
    served = StaticServer(site.output)
    pages, images = sorted(site.output.rglob("*.html")), 0
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page, problems = watched_page(browser, javascript)
            for path in pages:
                relative = str(path.relative_to(site.output))
                page.goto(served.url("/" + relative))  # returns once the page has loaded
                if 'http-equiv="refresh"' in path.read_text("utf-8"):  # an old address
                    page.wait_for_url(lambda url, start=page.url: url != start)
                    page.wait_for_load_state("load")
                rendered = page.evaluate(RENDERED)  # Playwright's own, even with page JS off
                if javascript:
                    page.wait_for_timeout(50)  # what a script asks for after the load
                assert problems == [], (relative, problems)
                broken = [src for src, width in rendered if width == 0]
                assert broken == [], (relative, broken)
                images += len(rendered)
            browser.close()
    finally:
        served.close()
    return len(pages), images


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_every_demo_page_stays_on_loopback_and_shows_its_images(demo, javascript):
    pages, images = visit_every_page(demo, javascript)
    assert pages >= 35
    assert images >= 10  # the samples' five photos, on their articles and as thumbnails


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_every_page_of_a_hostile_site_stays_on_loopback(hostile, javascript):
    pages, _ = visit_every_page(hostile, javascript)
    assert pages >= 10


@pytest.mark.parametrize("name", ["demo", "hostile"])
def test_no_page_names_an_image_anywhere_but_the_site(name, request):
    site = request.getfixturevalue(name)
    for path in site.output.rglob("*.html"):
        soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        for tag in soup.find_all(["img", "source", "video", "audio", "iframe", "input"]):
            for attribute in ("src", "srcset", "poster"):
                value = tag.get(attribute) or ""
                assert not urlsplit(value.split(" ")[0]).netloc, (path, str(tag))


def test_the_visit_catches_a_request_elsewhere_and_a_broken_image(tmp_path):
    """The checks above can fail: a page asking another host, and one with a broken image."""
    canary = SimpleNamespace(output=tmp_path)
    (tmp_path / "away.html").write_text('<!doctype html><img src="https://tracker.example/p.gif">')
    with pytest.raises(
        AssertionError, match=re.escape("left loopback: https://tracker.example/p.gif")
    ):
        visit_every_page(canary, javascript=False)
    (tmp_path / "away.html").unlink()
    (tmp_path / "damaged.webp").write_bytes(b"RIFF\0\0\0\0WEBPVP8 not really")
    (tmp_path / "broken.html").write_text('<!doctype html><img src="damaged.webp">')
    with pytest.raises(AssertionError, match=re.escape("('broken.html', ['damaged.webp'])")):
        visit_every_page(canary, javascript=False)
