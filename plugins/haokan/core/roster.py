"""Which subscription, friend or folder a command means (pure): by address or by name, and
one clear error when nothing matches or more than one does."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from .errors import OpmlError
from .friends import Friend
from .model import Subscription
from .opml import feed_key
from .urls import absolute_url, canonical_url

T = TypeVar("T", Subscription, Friend)


def _same_address(query: str, *urls: str) -> bool:
    url = absolute_url(query)
    wanted = canonical_url(url) if url else query
    return any(u and feed_key(u) == wanted for u in urls)


def _one(found: list[T], query: str, what: str, described: list[str]) -> T:
    """Return the one match, or raise OpmlError saying there is none or which ones match."""
    if not found:
        lister = f"invoke {what}s"
        raise OpmlError(f"no {what} is {query!r} (by address or name); `{lister}` lists them")
    if len(found) > 1:
        raise OpmlError(
            f"{query!r} names {len(found)} {what}s ({'; '.join(described)}); give its address"
        )
    return found[0]


def find_subscription(subscriptions: Sequence[Subscription], query: str) -> Subscription:
    """Return the subscription whose feed (or site) address, or title, is `query`."""
    found = [s for s in subscriptions if _same_address(query, s.url, s.site_url)] or [
        s for s in subscriptions if s.title.casefold() == query.strip().casefold()
    ]
    return _one(found, query, "subscription", [f"{s.title} ({s.url})" for s in found])


def find_friend(friends: Sequence[Friend], query: str) -> Friend:
    """Return the friend whose feed (or site) address, or name, is `query`."""
    found = [f for f in friends if _same_address(query, f.feed_url, f.site_url)] or [
        f for f in friends if f.name.casefold() == query.strip().casefold()
    ]
    return _one(found, query, "friend", [f"{f.name} ({f.feed_url})" for f in found])


def folder_path(name: str) -> str:
    """Return a folder given on the command line as a path ("A/B"); "/" is the top level.

    Raise OpmlError for an empty name or an empty part ("A//B").
    """
    if name.strip() == "/":
        return ""
    parts = [part.strip() for part in name.strip().strip("/").split("/")]
    if not name.strip() or not all(parts):
        raise OpmlError(
            f"the folder name {name!r} is empty or has an empty part; "
            "give it like --folder Tech or --folder Tech/Python (--folder / for the top level)"
        )
    return "/".join(parts)
