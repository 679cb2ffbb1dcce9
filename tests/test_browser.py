"""In a real browser (Playwright driving Debian's Chromium): the local reader and the web view.

Skipped, with the reason, where Chromium or Playwright is absent; .ci/run installs Chromium.
"""

import socket
import subprocess
import sys
import time
from urllib.parse import urlsplit

import pytest

from conftest import (
    ROOT,
    FeedServer,
    Reply,
    StaticServer,
    fixture_bytes,
    make_site,
    require_browser,
)
from haokan.cli.screenshots import ARGS, CHROMIUM

sync_api = require_browser()

pytestmark = pytest.mark.slow
FRIEND = """<feed xmlns="http://www.w3.org/2005/Atom"><title>Ann's 好看</title>
  <entry><title>First post</title><link href="https://simple.example.org/1?utm_source=x"/>
    <id>urn:ann:1</id><published>2026-11-20T09:00:00Z</published>
    <content type="html">&lt;p&gt;Ann loved the first post&lt;/p&gt;</content></entry>
  <entry><title>Elsewhere</title><link href="https://elsewhere.example/piece"/>
    <id>urn:ann:2</id><published>2026-11-19T09:00:00Z</published>
    <content type="html">&lt;p&gt;海边的笔记&lt;/p&gt;</content></entry></feed>""".encode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def reader(tmp_path_factory):
    """A small site built from loopback feeds, open in `invoke reader`; yields (site, base URL)."""
    feeds = FeedServer()
    feeds.routes["/simple"] = Reply(fixture_bytes("simple.atom.xml"))
    feeds.routes["/ann"] = Reply(FRIEND)
    site = make_site(tmp_path_factory.mktemp("reader") / "site")
    site.subscribe_to({"Reading|Simple": feeds.url("/simple")})
    site.befriend({"Ann": feeds.url("/ann")})
    site.invoke("fetch")
    site.invoke("build")
    feeds.close()
    port = free_port()
    log = (site.root / "reader.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "invoke",
            "-r",
            str(ROOT),
            "reader",
            "--settings",
            str(site.settings),
            "--port",
            str(port),
        ],
        cwd=site.root,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield site, base
    process.terminate()
    process.wait(10)
    log.close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page that records console errors, script errors and requests off loopback."""
    context = browser.new_context()
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))

    def guard(route):
        url = urlsplit(route.request.url)
        if url.scheme != "file" and url.hostname != "127.0.0.1":
            page.problems.append(f"left loopback: {route.request.url}")
            route.abort()
        else:
            route.continue_()

    page.route("**/*", guard)
    yield page
    context.close()


def article_path(site, title: str) -> str:
    for path in (site.output / "articles").glob("*/index.html"):
        if f"<h1>{title}</h1>" in path.read_text("utf-8"):
            return "/" + str(path.parent.relative_to(site.output)) + "/"
    raise AssertionError(title)


def test_pages_load_without_errors_or_requests_off_loopback(reader, page):
    site, base = reader
    for path in (
        "/",
        "/subscriptions/",
        "/timeline/",
        "/folders/reading/",
        "/subscriptions/simple/",
        "/friends/ann/",
        "/search/",
        article_path(site, "First post"),
    ):
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        assert page.problems == [], path


def marks_of(site):
    return sorted((site.root / "content" / "haokan").glob("*.md"))


def test_a_haokan_click_round_trips_to_a_file_and_back(reader, page):
    site, base = reader
    page.goto(base + article_path(site, "第二篇"))
    control = page.locator("article .haokan-like")
    assert control.locator("textarea").is_hidden()  # the 想法 field waits for 好看
    control.locator("button.open").click()
    control.locator("textarea").fill("浏览器里写的想法")
    with page.expect_navigation(timeout=60_000):
        control.locator("button[type=submit]").click()
    (mark,) = marks_of(site)
    assert "Link: https://simple.example.org/2" in mark.read_text()
    assert mark.read_text().endswith("浏览器里写的想法\n")
    assert "浏览器里写的想法" in page.locator("section.marked").inner_text()
    # Edit the note: the field comes back holding what was written.
    control.locator("button.open").click()
    field = control.locator("textarea")
    field.wait_for(state="visible")
    assert field.input_value() == "浏览器里写的想法"
    field.fill("改过的想法")
    with page.expect_navigation(timeout=60_000):
        field.press("Control+Enter")
    assert marks_of(site) == [mark] and mark.read_text().endswith("改过的想法\n")
    assert "改过的想法" in page.locator("section.marked").inner_text()
    with page.expect_navigation(timeout=60_000):
        control.locator("button.unmark").click()
    assert marks_of(site) == []
    assert page.locator("section.marked").count() == 0
    assert page.problems == []


def test_one_compact_control_per_item_reachable_by_keyboard(reader, page):
    _, base = reader
    page.goto(base + "/")
    items = page.locator(".social-item")
    assert items.locator(".haokan-like").count() == items.count() == 2
    assert items.locator("textarea:visible").count() == 0
    like = items.first.locator("button.open")
    assert "recommend" in (like.get_attribute("title") or "") or "推荐" in like.get_attribute(
        "title"
    )
    like.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.tagName") == "TEXTAREA"
    page.keyboard.press("Escape")
    assert items.locator("textarea:visible").count() == 0


def test_after_a_mark_the_page_comes_back_to_the_same_item(reader, browser):
    site, base = reader
    context = browser.new_context(viewport={"width": 390, "height": 420})
    page = context.new_page()
    page.goto(base + "/")
    item = page.locator(".social-item").nth(1)
    title = item.locator(".item-title").inner_text()
    item.scroll_into_view_if_needed()
    item.locator("button.open").click()
    item.locator("textarea").fill("回来看这条")
    with page.expect_navigation(timeout=60_000):
        item.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    same = page.locator(".social-item", has_text=title)
    box = same.locator(".haokan-like").bounding_box()
    assert box is not None and 0 <= box["y"] <= 420 - box["height"]  # in view, not at the top
    assert "回来看这条" in same.inner_text()
    assert page.evaluate("document.activeElement.className").startswith("open")
    with page.expect_navigation(timeout=60_000):
        same.locator("button.unmark").click()
    assert marks_of(site) == []
    context.close()


def test_the_button_exists_only_in_the_local_reader(reader, page):
    site, _ = reader
    page.goto((site.output / "index.html").as_uri())
    assert page.locator(".social-item").count() == 2
    assert page.locator(".haokan-like").count() == 0


def test_a_request_without_the_token_is_refused(reader, page):
    site, base = reader
    page.goto(base + "/")
    status = page.evaluate("""() => fetch('/__haokan/mark', {method: 'POST',
        headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({url: 'https://e.org/x', title: 't'})}).then(r => r.status)""")
    assert status == 403
    assert list((site.root / "content" / "haokan").glob("*.md")) == []


def test_read_marks_survive_a_reload(reader, page):
    _, base = reader
    page.goto(base + "/timeline/")
    assert page.locator(".unread-dot").count() == 2
    with page.expect_navigation():
        page.locator(".entry a.entry-title").first.click()
    page.goto(base + "/timeline/")
    assert page.locator(".unread-dot").count() == 1
    page.reload()
    assert page.locator(".unread-dot").count() == 1
    page.locator(".mark-all-read").click()
    page.reload()
    assert page.locator(".unread-dot").count() == 0


def pane_numbers(page) -> dict[str, str]:
    """Return each row of the folder pane: its name → its counts as shown."""
    rows = {}
    for row in page.locator(".pane-all, .pane-folder > details > summary, .pane-sub").all():
        name = row.locator("a, span").first.inner_text()
        rows[name] = " ".join(row.locator(".count, .unread-count").all_inner_texts())
    return rows


def test_the_folder_pane_counts_what_is_unread(reader, page):
    _, base = reader
    page.goto(base + "/subscriptions/")
    page.wait_for_selector(".unread-count")
    assert pane_numbers(page) == {
        "全部订阅": "2 2 未读",
        "Reading": "2 2 未读",
        "Simple": "2 2 未读",
    }
    page.locator(".pane-sub a").click()
    with page.expect_navigation():
        page.locator(".entry a.entry-title").first.click()
    page.goto(base + "/subscriptions/")
    page.wait_for_selector(".unread-count")
    assert pane_numbers(page) == {
        "全部订阅": "2 1 未读",
        "Reading": "2 1 未读",
        "Simple": "2 1 未读",
    }


def test_the_folder_pane_without_javascript_shows_entry_counts(reader, browser):
    _, base = reader
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "/subscriptions/")
    assert pane_numbers(page) == {"全部订阅": "2", "Reading": "2", "Simple": "2"}
    assert page.locator(".unread-count").count() == 0
    page.locator(".pane-folder summary a").click()
    assert page.locator("h1").inner_text().startswith("Reading")
    assert page.locator(".entry").count() == 2
    context.close()


def test_the_phone_header_is_one_line_in_both_languages(reader, browser, tmp_path):
    _, base = reader
    english = make_site(tmp_path / "en", 'HAOKAN_LANG = "en"\n')
    english.invoke("build")
    served = StaticServer(english.output)
    try:
        for url in (base + "/", served.url("/")):
            context = browser.new_context(viewport={"width": 360, "height": 700})
            page = context.new_page()
            page.goto(url)
            tops = [
                box["y"]
                for box in map(lambda a: a.bounding_box(), page.locator("header.site a").all())
            ]
            assert len(tops) == 5 and max(tops) - min(tops) < 6, (
                url,
                tops,
            )  # brand, 4 tabs: one line
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, url  # and nothing pushed off the side
            follow = page.locator("footer .follow-me a")
            assert follow.count() == 2 and page.locator("aside.follow").count() == 1
            page.goto(url + "status/")  # the feed health table, as cards
            assert page.evaluate("document.documentElement.scrollWidth") <= 360
            for cell in page.locator("table.health th[scope=row]").all():
                box = cell.bounding_box()
                assert box["height"] < 60 and box["x"] + box["width"] <= 360  # no word per line
            context.close()
    finally:
        served.close()


def test_keyboard_j_k_o_move_through_a_list(reader, page):
    _, base = reader
    page.goto(base + "/")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    assert page.locator("li.current").count() == 1
    first_title = page.locator(".social-item").first.locator(".item-title a").inner_text()
    assert page.locator("li.current .item-title a").inner_text() == first_title


def test_search_finds_chinese_and_english(reader, page):
    _, base = reader
    page.goto(base + "/search/")
    page.fill("#q", "第二")
    page.wait_for_selector(".search-results li")
    assert page.locator(".search-results li a").all_inner_texts() == ["第二篇"]
    page.fill("#q", "first")
    page.wait_for_selector(".search-results li")
    assert page.locator(".search-results li a").all_inner_texts() == ["First post"]
    page.fill("#q", "海边")  # a friend's note on an article no subscription carries
    page.wait_for_selector(".search-results li")
    assert page.locator(".search-results li a").all_inner_texts() == ["Elsewhere"]


def test_the_front_page_is_complete_without_javascript(reader, browser):
    _, base = reader
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "/")
    assert page.locator(".social-item").count() == 2
    assert "Ann loved the first post" in page.inner_text("main")
    context.close()


def test_screenshots_of_every_variant_are_taken(reader, browser, tmp_path):
    from haokan.cli.screenshots import SHOTS, take
    from haokan.storage.settings_file import load

    site, _ = reader
    saved = take(load(site.settings), tmp_path, browser)
    assert [p.name for p in saved] == [f"{name}.png" for name in SHOTS]
    for path in saved:
        width = int.from_bytes(path.read_bytes()[16:20], "big")  # the PNG header's width
        assert width == SHOTS[path.stem].width
