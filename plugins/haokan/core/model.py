"""Frozen values that cross the core's boundary: nothing past normalize sees feedparser or httpx."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

FeedKind = Literal["subscription", "friend"]


@dataclass(frozen=True)
class Enclosure:
    """A podcast episode or other attached file."""

    url: str
    type: str = ""
    length: int | None = None


@dataclass(frozen=True)
class Entry:
    """One feed entry, normalized: plain-text fields, sanitized HTML, absolute http(s) URLs."""

    key: str
    title: str
    link: str | None = None
    author: str = ""
    published: datetime | None = None  # UTC; None when the feed gave no usable date
    updated: datetime | None = None
    content: str = ""  # sanitized HTML: the only HTML ever marked safe
    excerpt: str = ""
    reading_minutes: int = 0
    image: str | None = None
    enclosures: tuple[Enclosure, ...] = ()

    @property
    def fingerprint(self) -> str:
        """Return a digest of what a reader sees, to tell an edited entry from an unchanged one."""
        parts = [self.title, self.link or "", self.author, self.content]
        parts += [f"{e.url} {e.type} {e.length}" for e in self.enclosures]
        return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Feed:
    """A parsed, normalized feed document."""

    title: str
    site_url: str | None = None
    image: str | None = None
    entries: tuple[Entry, ...] = ()
    notes: tuple[str, ...] = field(default=())  # what was dropped or capped, in words


@dataclass(frozen=True)
class Subscription:
    """One feed the owner reads: an OPML outline with an xmlUrl."""

    url: str  # http(s) URL, or a path relative to the OPML file (trusted owner config)
    title: str = ""
    folder: str = ""  # "A/B" for nested outlines; "" at the top level
    site_url: str = ""

    @property
    def is_local(self) -> bool:
        """Return True when the feed is a local file named by the owner's OPML."""
        return is_local(self.url)


def is_local(url: str) -> bool:
    """Return True for a feed address that is a path (the owner's own files), not http(s)."""
    return not url.lower().startswith(("http://", "https://"))


def display_name(subscription: Subscription, feed_title: str = "") -> str:
    """Return how a subscription is named everywhere: the owner's title, else the feed's own
    title, else its address."""
    return subscription.title or feed_title or subscription.url


@dataclass(frozen=True)
class StoredEntry:
    """An entry as the build sees it: the normalized entry plus what the store added."""

    feed_url: str
    slug: str
    entry: Entry
    date: datetime  # published, or when first seen when the feed gave no date
    first_seen: datetime
    fingerprint: str = ""  # Entry.fingerprint as stored: tells an edited entry without its HTML
    images: tuple[str, ...] | None = None  # the images it shows; None: stored before we knew


@dataclass(frozen=True)
class FeedStatus:
    """What the store knows of one feed: its fetch state, and what it holds."""

    url: str
    kind: FeedKind
    title: str = ""  # the feed's own title, as last fetched
    etag: str | None = None
    last_modified: str | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    failures: int = 0  # in a row
    next_attempt: datetime | None = None  # backing off until then
    entries: int = 0
    newest: datetime | None = None
