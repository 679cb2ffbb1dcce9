"""What importing another reader's OPML would do (pure): which outlines become subscriptions,
which are sites whose feed must be found first, and which are left out — each with why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .model import Subscription
from .opml import Outline, feed_key, subscription
from .urls import absolute_url


@dataclass(frozen=True)
class Skipped:
    """An outline that is not imported, and why, in words."""

    name: str
    reason: str


@dataclass(frozen=True)
class ImportPlan:
    """The outlines of an import, sorted by what becomes of them."""

    feeds: tuple[Subscription, ...]  # new subscriptions, in the file's order
    sites: tuple[Subscription, ...]  # htmlUrl only: url is the site, the feed is to be found
    present: tuple[Subscription, ...]  # already subscribed
    skipped: tuple[Skipped, ...]


def plan_import(current: Sequence[Subscription], outlines: Sequence[Outline]) -> ImportPlan:
    """Return what importing `outlines` into `current` does; duplicates match by canonical URL."""
    known = {feed_key(s.url): s for s in current}
    subscribed = set(known)
    feeds: list[Subscription] = []
    sites: list[Subscription] = []
    present: list[Subscription] = []
    skipped: list[Skipped] = []
    for item in outlines:
        name = item.name or item.attributes.get("xmlUrl", "") or "(no name)"
        if item.kind == "folder":
            if item.empty:
                skipped.append(Skipped(name, "an empty folder: nothing in it to subscribe to"))
            continue
        if item.kind == "site":
            sites.append(subscription(item.attributes, item.folder, item.attributes["htmlUrl"]))
            continue
        url = absolute_url(item.attributes.get("xmlUrl", "").strip())
        if url is None:
            raw = item.attributes.get("xmlUrl", "")
            skipped.append(Skipped(name, f"its feed address {raw!r} is not http(s)"))
            continue
        sub = subscription(item.attributes, item.folder, url)
        earlier = known.get(feed_key(url))
        if earlier is None:
            known[feed_key(url)] = sub
            feeds.append(sub)
        elif feed_key(url) in subscribed:
            present.append(sub)
        else:
            where = f"folder {earlier.folder}" if earlier.folder else "the top level"
            skipped.append(Skipped(name, f"the same feed is listed earlier in {where}"))
    return ImportPlan(tuple(feeds), tuple(sites), tuple(present), tuple(skipped))
