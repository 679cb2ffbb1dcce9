"""Shared fixtures: a loopback feed server, and miniature sites built with the real `invoke`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import offline
import pytest
from hypothesis import settings

offline.fence()
# Tests assert behaviour, never time: no deadline for each generated example (these shared
# machines stall for hundreds of milliseconds now and then; one such stall failed a fuzz run).
settings.register_profile("haokan", deadline=None)
settings.load_profile("haokan")
ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


URL_ATTRIBUTES = {
    "href",
    "src",
    "srcset",
    "poster",
    "cite",
    "action",
    "formaction",
    "data",
    "background",
    "xlink:href",
    "content",
}
FORBIDDEN_TAGS = {
    "script",
    "svg",
    "math",
    "form",
    "input",
    "button",
    "object",
    "embed",
    "base",
    "frame",
    "frameset",
    "applet",
    "style",
    "textarea",
    "select",
}


OWN_SCRIPT = re.compile(r"^(\.{1,2}/)*(\.\./|\./)?theme/js/(haokan|search)\.js$")


def _ours(tag) -> bool:
    """Return True for our theme's external scripts and its search form, nothing else."""
    if tag.name == "script":
        src = str(tag.get("src", "")).removeprefix("./")
        return bool(OWN_SCRIPT.match(src)) and not tag.string
    search = tag if tag.name == "form" else tag.find_parent("form")
    is_search = (
        search is not None and search.get("role") == "search" and search.get("action") == "."
    )
    return is_search and (tag.name == "form" or tag.get("id") == "q")


def _tag_problems(tag) -> list[str]:
    problems = []
    if tag.name in FORBIDDEN_TAGS and not _ours(tag):
        problems.append(f"<{tag.name}>")
    if tag.name == "meta" and tag.get("http-equiv", "").lower() == "refresh":
        target = tag.get("content", "").partition("url=")[2]
        if not target or ":" in target.split("/")[0]:  # only our own moved pages, by path
            problems.append("meta refresh")
    if tag.name == "iframe" and (tag.get("srcdoc") is not None or not tag.get("sandbox")):
        problems.append("unsandboxed iframe")
    return problems


def _bad_urls(value: str) -> list[str]:
    """Return the URLs in an attribute value whose scheme is neither http(s) nor mailto."""
    return [
        url
        for url in str(value).replace(",", " ").split()
        if ":" in url.split("/")[0] and not url.lower().startswith(("http:", "https:", "mailto:"))
    ]


def _attribute_problems(tag) -> list[str]:
    problems = []
    for name, value in tag.attrs.items():
        lowered = name.lower()
        if lowered.startswith("on"):
            problems.append(f"{name} on <{tag.name}>")
        if lowered == "style":
            problems.append(f"style on <{tag.name}>")
        if lowered in URL_ATTRIBUTES and tag.name != "meta":
            problems += [f"{name}={url!r} on <{tag.name}>" for url in _bad_urls(value)]
    return problems


def inert_problems(html: str, parser: str = "html.parser") -> list[str]:
    """Return everything executable in an HTML document: handlers, bad URLs, bad elements.

    `parser="html5lib"` parses as a browser does (the HTML5 algorithm).
    """
    from bs4 import BeautifulSoup

    problems = []
    for tag in BeautifulSoup(html, parser).find_all(True):
        problems += _tag_problems(tag) + _attribute_problems(tag)
    return problems


@dataclass
class Reply:
    """What the server answers on one path."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the headers
    drip: float = 0.0  # seconds between 64-byte pieces of the body
    cut_at: int | None = None  # send only this many bytes of the body, then hang up
    endless: bool = False  # after the body, send more bytes until the client hangs up


Route = Reply | Callable[[BaseHTTPRequestHandler], Reply]


class QuietServer(ThreadingHTTPServer):
    """A loopback server that does not print clients hanging up (we test exactly that)."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _send_body(handler: BaseHTTPRequestHandler, reply: Reply) -> None:
    body = reply.body if reply.cut_at is None else reply.body[: reply.cut_at]
    if reply.drip:
        for start in range(0, len(body), 64):
            handler.wfile.write(body[start : start + 64])
            handler.wfile.flush()
            time.sleep(reply.drip)
    else:
        handler.wfile.write(body)
    while reply.endless:  # no length: the body ends when the connection does
        handler.wfile.write(bytes(64 * 1024))
        handler.close_connection = True
    if reply.cut_at is not None:
        handler.close_connection = True


class FeedServer:
    """A loopback HTTP server whose routes tests set; it records every request's headers."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = server.routes.get(self.path, Reply(b"not here", 404))
                reply = route(self) if callable(route) else route
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    if "Content-Length" not in reply.headers and not reply.endless:
                        self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    _send_body(self, reply)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = QuietServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> list[dict[str, str]]:
        return [headers for p, headers in self.requests if p == path]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class StaticServer:
    """Serves a folder on loopback, as a static host would serve a built site."""

    def __init__(self, folder: Path) -> None:
        handler = partial(QuietStaticHandler, directory=str(folder))
        self.httpd = QuietServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class QuietStaticHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def require_browser():
    """Return Playwright's sync API, or skip the calling module saying what is missing."""
    from haokan.cli.screenshots import CHROMIUM

    if not Path(CHROMIUM).exists():
        pytest.skip(
            "Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True
        )
    return pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


def watched_page(browser, javascript: bool = True):
    """Return a new page of `browser` and the list its problems go to: console errors, script
    errors, and every request that would leave 127.0.0.1 (aborted)."""
    from urllib.parse import urlsplit

    page = browser.new_context(java_script_enabled=javascript).new_page()
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))

    def guard(route) -> None:
        if urlsplit(route.request.url).hostname != "127.0.0.1":
            problems.append(f"left loopback: {route.request.url}")
            route.abort()
        else:
            route.continue_()

    page.route("**/*", guard)
    return page, problems


@pytest.fixture
def server() -> Iterator[FeedServer]:
    s = FeedServer()
    yield s
    s.close()


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / "feeds" / name).read_bytes()


def tree(folder: Path) -> dict[str, bytes]:
    """Return every file under `folder` by its relative path, with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def numbered_rss(feed: int, numbers: range) -> bytes:
    """RSS of feed `feed`'s posts `numbers` (https://f{feed}.example/{n}), ten hours apart,
    the newest an hour before now."""
    now = datetime.now(UTC).replace(microsecond=0)
    items = "".join(
        f"<item><guid>https://f{feed}.example/{n}</guid><title>Post {feed}.{n}</title>"
        f"<link>https://f{feed}.example/{n}</link><pubDate>"
        f"{(now - timedelta(hours=10 * n + feed + 1)).strftime('%a, %d %b %Y %H:%M:%S +0000')}"
        f"</pubDate><description>&lt;p&gt;Words about {feed} and {n}&lt;/p&gt;</description></item>"
        for n in numbers
    )
    return f"<rss version='2.0'><channel><title>F{feed}</title>{items}</channel></rss>".encode()


def opml_for(feeds: dict[str, str]) -> str:
    """An OPML of {name: url}; a name "Folder|Name" files the feed in that folder."""
    from haokan.core.model import Subscription
    from haokan.core.opml import render_opml

    subs = [
        Subscription(url, name.rsplit("|", 1)[-1], name.rsplit("|", 1)[0] if "|" in name else "")
        for name, url in feeds.items()
    ]
    return render_opml("test", subs, NOW).decode()


@dataclass
class Site:
    """A miniature Haokan site in a temporary folder, driven through `invoke`."""

    root: Path

    @property
    def settings(self) -> Path:
        return self.root / "haokanconf.py"

    @property
    def output(self) -> Path:
        return self.root / "output"

    def subscribe_to(self, feeds: dict[str, str]) -> None:
        (self.root / "content" / "subscriptions.opml").write_text(opml_for(feeds), "utf-8")

    def befriend(self, friends: dict[str, str]) -> None:
        (self.root / "content" / "friends.opml").write_text(opml_for(friends), "utf-8")

    def social_items(self) -> dict[str, list[tuple[str, str]]]:
        """Return the front page's items: title → [(recommender, note text)], in page order."""
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(self.page("index.html"), "html.parser")
        items: dict[str, list[tuple[str, str]]] = {}
        for item in soup.select(".social-item"):
            title = item.select_one(".item-title").get_text(strip=True)
            assert title not in items, f"{title!r} appears twice"
            items[title] = [
                (
                    rec.select_one(".rec-name").get_text(strip=True),
                    rec.select_one(".note").get_text(strip=True) if rec.select_one(".note") else "",
                )
                for rec in item.select(".rec")
            ]
        return items

    def invoke(
        self, *args: str, ok: bool = True, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "invoke", "-r", str(ROOT), *args]
        if args and args[0] not in {"check"} and "--settings" not in args:
            command += ["--settings", str(self.settings)]
        env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", **(env or {})}
        result = subprocess.run(
            command, capture_output=True, text=True, cwd=self.root, env=env, timeout=300
        )
        if ok and result.returncode != 0:
            raise AssertionError(f"invoke {args} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def page(self, relative: str) -> str:
        return (self.output / relative).read_text("utf-8")

    def built(self, *args: str, settings: Path | None = None):
        """Build with `invoke build ARGS`; return what the build recorded it did (BuildStats)."""
        from haokan.site.run import last_build
        from haokan.storage.settings_file import load

        conf = settings or self.settings
        self.invoke("build", *args, "--settings", str(conf))
        return last_build(load(conf))


def make_site(root: Path, extra_settings: str = "") -> Site:
    """Create a site whose settings import the repository's and allow loopback feeds."""
    (root / "content" / "haokan").mkdir(parents=True)
    (root / "haokanconf.py").write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from pelicanconf import *  # noqa\n"
        f"sys.path.insert(0, {str(ROOT / 'tests')!r})\n"
        "import offline\n"
        "offline.fence()  # no name lookups beyond loopback, in this subprocess too\n"
        "HAOKAN_ALLOW_PRIVATE_ADDRESSES = True\n"
        "HAOKAN_FETCH_DEADLINE = 5\n" + extra_settings,
        "utf-8",
    )
    return Site(root)


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return make_site(tmp_path / "site")


def demo_site(tmp_path: Path) -> Site:
    """The bundled demo (samples, marks, subscriptions and friends) in a site of its own."""
    site = make_site(tmp_path / "demo", "HAOKAN_ALLOW_PRIVATE_ADDRESSES = False\n")
    content = site.root / "content"
    shutil.copytree(ROOT / "content" / "samples", content / "samples")
    shutil.copytree(ROOT / "content" / "haokan", content / "haokan", dirs_exist_ok=True)
    for name in ("subscriptions.opml", "friends.opml"):
        shutil.copy(ROOT / "content" / name, content)
    return site
