"""Feed autodiscovery: a page's <link rel="alternate"> to the feed we subscribe to."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

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


@dataclass(frozen=True)
class Found:
    """A feed found for a URL."""

    url: str
    title: str
    site_url: str

    def with_folder(self, folder: str) -> Subscription:
        """Return it as a subscription in `folder`."""
        return Subscription(self.url, self.title, folder, self.site_url)


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


async def discover_feed(url: str, allow_private: Allowance) -> Found:
    """Return the feed at `url`, or the first working feed the page at `url` announces."""
    start = absolute_url(url)
    if start is None:
        raise DiscoveryError(f"{url!r} is not an http(s) address")
    now = datetime.now(UTC)
    with ParserPool(workers=1) as pool:
        async with new_client(allow_private) as client:

            async def try_feed(candidate: str) -> tuple[Feed | None, bytes, str]:
                fetched = await fetch(
                    client, candidate, None, None, SUBSCRIPTION_BODY_CAP, DEADLINE, now
                )
                if fetched.status != "ok":
                    raise DiscoveryError(f"{candidate}: {fetched.reason}")
                job = ParseJob(fetched.body, fetched.url, fetched.content_type, now)
                try:
                    return await asyncio.to_thread(pool.parse, job), fetched.body, fetched.url
                except FeedRefused:
                    return None, fetched.body, fetched.url

            feed, body, final = await try_feed(start)
            if feed is not None:
                return Found(final, feed.title, feed.site_url or "")
            candidates = feed_links(body, final)
            if not candidates:
                raise DiscoveryError(
                    f'{url}: the page announces no feed (no <link rel="alternate"> of a feed type)'
                )
            reasons = []
            for candidate in candidates:
                try:
                    feed, _, final_feed = await try_feed(candidate)
                except DiscoveryError as error:
                    reasons.append(str(error))
                    continue
                if feed is not None:
                    return Found(final_feed, feed.title, feed.site_url or final)
                reasons.append(f"{candidate}: not a feed")
            raise DiscoveryError(f"{url}: no announced feed works ({'; '.join(reasons)})")
