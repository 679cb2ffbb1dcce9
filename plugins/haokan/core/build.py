"""The values a build reads and makes (pure): a `World` in, a `Build` out (assemble.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from .choices import Pick, Related
from .folders import Folder
from .friends import Friend
from .images import LocalImage
from .marks import Mark
from .model import FeedStatus, StoredEntry, Subscription
from .social import SocialItem


@dataclass(frozen=True)
class World:
    """Everything a build reads, read once: the owner's files and the store."""

    subscriptions: tuple[Subscription, ...]
    friends: tuple[Friend, ...]
    marks: tuple[Mark, ...]
    listed: tuple[StoredEntry, ...]  # every subscription's stored entries, newest first, no HTML
    recommended: tuple[StoredEntry, ...]  # friends' feeds' entries, with their notes' HTML
    feeds: Mapping[str, FeedStatus]  # every stored feed, by URL
    last_fetch: datetime | None
    folders: tuple[str, ...] = ()  # every folder of the OPML, in its order, empty ones too
    former: tuple[StoredEntry, ...] = ()  # entries of feeds no longer subscribed, no HTML
    media: Mapping[str, LocalImage] = field(default_factory=dict)  # kept images, by address


@dataclass(frozen=True)
class Options:
    """What of the settings assembling needs."""

    zone: tzinfo
    owner: str  # how the owner is named beside their marks
    article_url: str  # where an entry's page is, with {slug}
    window_days: int
    max_per_subscription: int


@dataclass(frozen=True)
class ArticlePage:
    """One stored entry that gets a page, and everything its page and list items show."""

    row: StoredEntry  # without its HTML, which is read only when the page is rendered
    subscription: Subscription
    source: str  # the subscription's name
    url: str  # the page, relative to the site's root
    social: SocialItem | None  # who recommended it, when somebody did
    list_digest: str  # what the entry's list items and feed entries are made of
    page_digest: str  # what its own page is made of
    folder: Folder | None = None  # None: unfiled
    related: tuple[Related, ...] = ()  # "More like this"
    images: tuple[LocalImage, ...] = ()  # the copies of the images it shows (kept ones)

    @property
    def slug(self) -> str:
        """Return the page's slug."""
        return self.row.slug


@dataclass(frozen=True)
class Build:
    """Every value the site is rendered from."""

    as_of: datetime  # the newest thing known (a fetch or a mark), never the clock
    pages: tuple[ArticlePage, ...]  # newest first
    archived: tuple[StoredEntry, ...]  # entries listed in the archive instead, newest first
    items: tuple[SocialItem, ...]  # 朋友在看, ranked
    names: Mapping[str, str]  # subscription URL → its name
    subscriptions: tuple[Subscription, ...]
    friends: tuple[Friend, ...]
    marks: tuple[Mark, ...]
    feeds: Mapping[str, FeedStatus]
    folders: tuple[Folder, ...] = ()
    fetched_at: datetime | None = None  # the last successful fetch: what the status page is as of
    picks: tuple[Pick, ...] = ()  # 精选
    media: Mapping[str, LocalImage] = field(default_factory=dict)  # kept images, by address
