"""Assemble a build (pure): what the owner's files and the store hold → every page's values.

site/world.py reads a `World` (the only IO of a build); `assemble` turns it into a `Build`: the
ranked social items, which entries get pages and which go to the archive, every subscription's
name, each page's URL and the digests the incremental writer keys on. site/ then only renders.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from . import social, window
from .friends import Friend
from .marks import Mark
from .model import FeedStatus, StoredEntry, Subscription, display_name
from .sanitize import sanitize_note
from .urls import canonical_url

NO_INPUTS = datetime(2000, 1, 1, tzinfo=UTC)  # "as of" a site with no fetch and no mark yet


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
    social: social.SocialItem | None  # who recommended it, when somebody did
    list_digest: str  # what the entry's list items and feed entries are made of
    page_digest: str  # what its own page is made of

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
    items: tuple[social.SocialItem, ...]  # 朋友在看, ranked
    names: Mapping[str, str]  # subscription URL → its name
    subscriptions: tuple[Subscription, ...]
    friends: tuple[Friend, ...]
    marks: tuple[Mark, ...]
    feeds: Mapping[str, FeedStatus]


def as_of(world: World) -> datetime:
    """Return the moment a build is as of: the last fetch or the newest mark, whichever is later;
    the same inputs always build the same site."""
    known = [t for t in (world.last_fetch, *(m.date for m in world.marks)) if t is not None]
    return max(known, default=NO_INPUTS)


def recommendations(world: World, owner: str, zone: tzinfo) -> list[social.Recommendation]:
    """Return every recommendation: the owner's marks and each friend's feed entries."""
    recs = [
        social.Recommendation(
            m.link, social.OWNER, owner, m.date.astimezone(zone), m.title, m.note_html
        )
        for m in world.marks
    ]
    by_url = {f.feed_url: f for f in world.friends}
    for row in world.recommended:
        friend, entry = by_url[row.feed_url], row.entry
        if entry.link is None:
            continue
        note = sanitize_note(entry.content, entry.link) if entry.content else ""
        recs.append(
            social.Recommendation(
                entry.link, friend.slug, friend.name, row.date.astimezone(zone), entry.title, note
            )
        )
    return recs


def _sha(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


class _Digests:
    """What an article's pages are made of: in lists and feeds the entry; on its own page also
    who recommended it (not the score) and how those friends are shown."""

    def __init__(self, friends: tuple[Friend, ...]) -> None:
        self.shown = {
            f.slug: (f.name, f.avatar_file, f.initials, f.color, f.site_url) for f in friends
        }

    def __call__(
        self, row: StoredEntry, name: str, item: social.SocialItem | None
    ) -> tuple[str, str]:
        # The stored fingerprint stands for the HTML, which is not read unless a page needs it.
        listed = _sha(
            f"{row.slug}\x1f{row.date.isoformat()}\x1f{name}\x1f{row.fingerprint}\x1f{row.entry!r}"
        )
        if item is None:
            return listed, listed
        friends = [self.shown.get(r.who) for r in item.recommendations]
        social_part = repr((item.url, item.title, item.recommendations, item.article, friends))
        return listed, _sha(f"{listed}\x1f{social_part}")


def _references(
    rows: list[StoredEntry], names: Mapping[str, str], urls: Mapping[str, str]
) -> dict[str, social.ArticleRef]:
    """Return what our pages know of each article, by canonical URL (the newest entry's)."""
    refs: dict[str, social.ArticleRef] = {}
    for row in rows:
        if row.entry.link:
            refs.setdefault(
                canonical_url(row.entry.link),
                social.ArticleRef(
                    row.entry.title, row.entry.excerpt, names[row.feed_url], urls[row.slug]
                ),
            )
    return refs


def _names(world: World) -> dict[str, str]:
    """Return every subscription's name, by URL."""
    return {
        s.url: display_name(s, world.feeds[s.url].title if s.url in world.feeds else "")
        for s in world.subscriptions
    }


def _pages(
    world: World,
    shown: list[StoredEntry],
    names: Mapping[str, str],
    urls: Mapping[str, str],
    items: list[social.SocialItem],
) -> tuple[ArticlePage, ...]:
    """Return the page of each shown entry, with who recommended it and its digests."""
    by_canonical = {item.canonical: item for item in items}
    by_url = {s.url: s for s in world.subscriptions}
    digests = _Digests(world.friends)
    pages = []
    for row in shown:
        item = by_canonical.get(canonical_url(row.entry.link)) if row.entry.link else None
        name = names[row.feed_url]
        pages.append(
            ArticlePage(
                row, by_url[row.feed_url], name, urls[row.slug], item, *digests(row, name, item)
            )
        )
    return tuple(pages)


def assemble(world: World, options: Options) -> Build:
    """Return the build of `world`: ranked items, the pages, the archive, names and digests."""
    moment = as_of(world)
    names = _names(world)
    wanted = {m.canonical for m in world.marks}
    wanted |= {canonical_url(r.entry.link) for r in world.recommended if r.entry.link}
    # The window moves with fetches, not with marks: a new mark never re-pages the site.
    shown, archived = window.split(
        world.listed,
        world.last_fetch or moment,
        options.window_days,
        options.max_per_subscription,
        wanted,
    )
    urls = {row.slug: options.article_url.format(slug=row.slug) for row in shown}
    weights = {f.slug: f.weight for f in world.friends}
    recs = recommendations(world, options.owner, options.zone)
    items = social.merge(recs, _references(shown, names, urls), weights, moment)
    return Build(
        moment,
        _pages(world, shown, names, urls, items),
        tuple(archived),
        tuple(items),
        names,
        world.subscriptions,
        world.friends,
        world.marks,
        world.feeds,
    )
