"""Screenshots of the built site in headless Chromium (Playwright; a development tool)."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

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
# name: (page, viewport width, height, colour scheme)
SHOTS: dict[str, tuple[str, int, int, Scheme]] = {
    "front-phone-light": ("", 390, 844, "light"),
    "front-phone-dark": ("", 390, 844, "dark"),
    "front-desktop-light": ("", 1280, 860, "light"),
    "front-desktop-dark": ("", 1280, 860, "dark"),
    "subscriptions-phone-light": ("subscriptions/", 390, 844, "light"),
    "folder-desktop-light": ("folders/english/", 1280, 860, "light"),
}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@contextlib.contextmanager
def _served(folder: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(folder))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
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


def take(output: Path, folder: Path, browser: Any = None) -> list[Path]:
    """Save a PNG of each shot in SHOTS of the site in `output` into `folder`.

    Uses `browser` (a Playwright Browser) when given, else launches Debian's Chromium.
    """
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                return take(output, folder, launched)
            finally:
                launched.close()
    folder.mkdir(parents=True, exist_ok=True)
    saved = []
    with _served(output) as base:
        for name, (path, width, height, scheme) in SHOTS.items():
            context = browser.new_context(
                viewport={"width": width, "height": height},
                color_scheme=scheme,
                device_scale_factor=1,
            )
            page = context.new_page()
            page.route("**/*", _block_off_loopback)
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            target = folder / f"{name}.png"
            page.screenshot(path=str(target))
            saved.append(target)
            context.close()
    return saved
