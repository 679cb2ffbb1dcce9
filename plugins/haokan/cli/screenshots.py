"""Screenshots of the built site in headless Chromium (Playwright; a development tool).

Most shots are of the site as any static host serves it; those of the 好看 button are taken
through the local reader, which alone adds the button.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..core.settings import Settings

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
Scheme = Literal["light", "dark"]


def _open_first_with_picture(page: Any) -> None:
    """Open the newest article whose list item shows a thumbnail (its page shows the photo),
    or the newest article when none has one."""
    pictured = page.locator(".entry:has(img.thumb) .entry-title")
    (pictured if pictured.count() else page.locator(".entry .entry-title")).first.click()
    page.wait_for_load_state("networkidle")
    if page.locator("main img").count():
        page.locator("main img").first.scroll_into_view_if_needed()


def _open_note(page: Any) -> None:
    """Press the first item's 好看 and start a 想法, as the owner would."""
    page.locator(".social-item .haokan-like button.open").first.click()
    page.locator(".social-item .haokan-note textarea").first.fill("潮间带的故事总是慢慢讲完。")


@dataclass(frozen=True)
class Shot:
    """One screenshot: which page, how large, which colour scheme, and what is done first."""

    path: str
    width: int
    height: int
    scheme: Scheme = "light"
    reader: bool = False  # taken through the local reader (the 好看 button is there)
    before: Callable[[Any], None] | None = None


SHOTS: dict[str, Shot] = {
    "front-phone-light": Shot("", 390, 844),
    "front-phone-dark": Shot("", 390, 844, "dark"),
    "front-desktop-light": Shot("", 1280, 860),
    "front-desktop-dark": Shot("", 1280, 860, "dark"),
    "subscriptions-phone-light": Shot("subscriptions/", 390, 844),
    "folder-desktop-light": Shot("folders/english/", 1280, 860),
    "picks-phone-light": Shot("picks/", 390, 844),
    "reader-phone-like": Shot("", 390, 844, reader=True),
    "reader-phone-note": Shot("", 390, 844, reader=True, before=_open_note),
    "status-phone": Shot("status/", 360, 780),
    "timeline-phone-light": Shot("timeline/", 390, 844),
    "article-phone-light": Shot("timeline/", 390, 844, before=_open_first_with_picture),
}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@contextlib.contextmanager
def _in_thread(server: http.server.ThreadingHTTPServer) -> Iterator[str]:
    with server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/"
        finally:
            server.shutdown()


def _block_off_loopback(route: Any) -> None:
    if "//127.0.0.1" in route.request.url:
        route.continue_()
    else:  # feed images on other hosts: not fetched, so shots are reproducible and offline
        route.abort()


def _shoot(browser: Any, base: str, shot: Shot, target: Path) -> None:
    context = browser.new_context(
        viewport={"width": shot.width, "height": shot.height},
        color_scheme=shot.scheme,
        device_scale_factor=1,
    )
    page = context.new_page()
    page.route("**/*", _block_off_loopback)
    page.goto(base + shot.path)
    page.wait_for_load_state("networkidle")
    if shot.before is not None:
        shot.before(page)
    page.screenshot(path=str(target))
    context.close()


def take(hk: Settings, folder: Path, browser: Any = None) -> list[Path]:
    """Save a PNG of each shot in SHOTS of the site `hk` builds into `folder`.

    Uses `browser` (a Playwright Browser) when given, else launches Debian's Chromium.
    """
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                return take(hk, folder, launched)
            finally:
                launched.close()
    from .reader import ReaderServer

    folder.mkdir(parents=True, exist_ok=True)
    static = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(hk.output))
    )
    saved = []
    with _in_thread(static) as plain, _in_thread(ReaderServer(0, hk)) as live:
        for name, shot in SHOTS.items():
            target = folder / f"{name}.png"
            _shoot(browser, live if shot.reader else plain, shot, target)
            saved.append(target)
    return saved
