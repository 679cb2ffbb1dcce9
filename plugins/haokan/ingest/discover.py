"""Feed autodiscovery (shell): the feed a page announces, or one where sites keep theirs."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import httpx
from bs4 import BeautifulSoup

from ..core.errors import DiscoveryError
from ..core.model import Feed, Subscription
from ..core.parse import FeedRefused
from ..core.text import one_line
from ..core.urls import absolute_url
from .containment import ParseJob, ParserPool
from .guard import Allowance
from .net import SUBSCRIPTION_BODY_CAP, fetch, new_client

FEED_TYPES = (
    "application/atom+xml",
    "application/rss+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
)
DEADLINE = 20.0
PAGE_CAP = 2 * 1024 * 1024
# Where sites keep feeds they do not announce (WordPress, Hugo, Jekyll, Ghost, Zola …).
WELL_KNOWN = ("feed", "feed/", "rss.xml", "atom.xml", "index.xml", "feed.xml")
TOTAL_DEADLINE = 60.0  # for one address, every candidate included


@dataclass(frozen=True)
class Found:
    """A feed found for a URL."""

    url: str
    title: str
    site_url: str

    def with_folder(self, folder: str, title: str = "") -> Subscription:
        """Return it as a subscription in `folder` (named `title`, else by the feed)."""
        return Subscription(self.url, title or self.title, folder, self.site_url)


def feed_links(page: bytes, page_url: str) -> list[str]:
    """Return the feed URLs a page announces, in its own order (pure)."""
    soup = BeautifulSoup(page, "html.parser")
    base_tag = soup.find("base", href=True)
    base = absolute_url(base_tag.get("href"), page_url) if base_tag else None
    found = []
    for link in soup.find_all("link", href=True):
        rel = [str(r).lower() for r in (link.get("rel") or [])]
        kind = str(link.get("type") or "").split(";")[0].strip().lower()
        if "alternate" in rel and kind in FEED_TYPES:
            url = absolute_url(str(link["href"]), base or page_url)
            if url and url not in found:
                found.append(url)
    return found


async def page_title(url: str, allow_private: Allowance) -> str:
    """Return the <title> of the page at `url` (fetched safely); raise DiscoveryError."""
    start = absolute_url(url)
    if start is None:
        raise DiscoveryError(f"{url!r} is not an http(s) address")
    async with new_client(allow_private) as client:
        fetched = await fetch(client, start, None, None, PAGE_CAP, DEADLINE, datetime.now(UTC))
    if fetched.status != "ok":
        raise DiscoveryError(f"{url}: {fetched.reason}; give the title with --title")
    tag = BeautifulSoup(fetched.body, "html.parser").find("title")
    title = one_line(tag.get_text()) if tag else ""
    if not title:
        raise DiscoveryError(f"{url}: the page has no <title>; give one with --title")
    return title[:300]


def well_known(page_url: str) -> list[str]:
    """Return where sites commonly keep their feed, for a page that announces none (pure):
    beside the page, then at the site's root, as Miniflux looks."""
    parts = urlsplit(page_url)
    root = f"{parts.scheme}://{parts.netloc}/"
    folder = page_url.split("?", 1)[0].rsplit("/", 1)[0] + "/"
    bases = [folder, root] if folder != root else [root]
    return list(dict.fromkeys(urljoin(base, path) for base in bases for path in WELL_KNOWN))


class Discoverer:
    """Finds feeds for pages, through one guarded client and one parser worker."""

    def __init__(self, client: httpx.AsyncClient, pool: ParserPool, now: datetime) -> None:
        self.client, self.pool, self.now = client, pool, now

    async def _try(self, candidate: str) -> tuple[Feed | None, bytes, str]:
        """Return the feed at `candidate` (None when the document is no feed), its bytes and
        its final address; raise DiscoveryError when it cannot be fetched."""
        fetched = await fetch(
            self.client, candidate, None, None, SUBSCRIPTION_BODY_CAP, DEADLINE, self.now
        )
        if fetched.status != "ok":
            raise DiscoveryError(f"{candidate}: {fetched.reason}")
        job = ParseJob(fetched.body, fetched.url, fetched.content_type, self.now)
        try:
            return await asyncio.to_thread(self.pool.parse, job), fetched.body, fetched.url
        except FeedRefused:
            return None, fetched.body, fetched.url

    async def _first(self, candidates: list[str], site: str) -> tuple[Found | None, list[str]]:
        """Return the first candidate that is a feed, and why each before it was not."""
        reasons = []
        for candidate in candidates:
            try:
                feed, _, final = await self._try(candidate)
            except DiscoveryError as error:
                reasons.append(str(error))
                continue
            if feed is not None:
                return Found(final, feed.title, feed.site_url or site), reasons
            reasons.append(f"{candidate}: not a feed")
        return None, reasons

    async def discover(self, url: str) -> Found:
        """Return the feed at `url`, the first working feed its page announces, or one at a
        well-known address of the site; raise DiscoveryError saying what was tried."""
        try:
            async with asyncio.timeout(TOTAL_DEADLINE):
                return await self._discover(url)
        except TimeoutError:
            raise DiscoveryError(f"{url}: no feed found within {TOTAL_DEADLINE:g} s") from None

    async def _discover(self, url: str) -> Found:
        start = absolute_url(url)
        if start is None:
            raise DiscoveryError(f"{url!r} is not an http(s) address")
        feed, body, final = await self._try(start)
        if feed is not None:
            return Found(final, feed.title, feed.site_url or "")
        announced = feed_links(body, final)
        found, reasons = await self._first(announced, final)
        if found is None:
            found, _ = await self._first(well_known(final), final)
        if found is not None:
            return found
        if announced:
            raise DiscoveryError(f"{url}: no announced feed works ({'; '.join(reasons)})")
        raise DiscoveryError(
            f'{url}: the page announces no feed (no <link rel="alternate"> of a feed type) '
            f"and none is at {', '.join(WELL_KNOWN)}"
        )


async def discover_feeds(urls: list[str], allow_private: Allowance) -> list[Found | DiscoveryError]:
    """Return, for each address, its feed or why none was found (one client for all)."""
    with ParserPool(workers=1) as pool:
        async with new_client(allow_private) as client:
            finder = Discoverer(client, pool, datetime.now(UTC))
            results: list[Found | DiscoveryError] = []
            for url in urls:
                try:
                    results.append(await finder.discover(url))
                except DiscoveryError as error:
                    results.append(error)
            return results


async def discover_feed(url: str, allow_private: Allowance) -> Found:
    """Return the feed of `url` (a feed, or a page pointing at one); raise DiscoveryError."""
    (result,) = await discover_feeds([url], allow_private)
    if isinstance(result, DiscoveryError):
        raise result
    return result
