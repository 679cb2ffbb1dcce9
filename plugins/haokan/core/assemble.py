"""Assemble a build (pure): what the owner's files and the store hold → every page's values.

site/world.py reads a `World` (the only IO of a build); `assemble` turns it into a `Build`: the
ranked social items, which entries get pages and which go to the archive, every subscription's
name, each page's URL and the digests the incremental writer keys on. site/ then only renders.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo

from . import social, window
from .build import ArticlePage, Build, Options, World
from .folders import Folder, folders
from .friends import Friend
from .images import LocalImage, first_local
from .memo import Remembered
from .model import StoredEntry, Subscription, display_name
from .sanitize import sanitize_note
from .urls import canonical_url

NO_INPUTS = datetime(2000, 1, 1, tzinfo=UTC)  # "as of" a site with no fetch and no mark yet


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


# What assembling makes of each stored entry, by the very row it was made of (core/memo.py):
# its list digest, and its whole page (with an equal social item, when it has one: the same
# recommendations, whatever the ranking score).
_LISTED: Remembered[str] = Remembered()
_PAGES: Remembered[ArticlePage] = Remembered()
_REFERENCED: Remembered[tuple[str, social.ArticleRef]] = Remembered()


class _Digests:
    """What an article's pages are made of: in lists and feeds the entry; on its own page also
    who recommended it (not the score) and how those friends are shown."""

    def __init__(self, friends: tuple[Friend, ...]) -> None:
        self.shown = {
            f.slug: (f.name, f.avatar_file, f.initials, f.color, f.site_url) for f in friends
        }

    def __call__(
        self,
        row: StoredEntry,
        name: str,
        folder: Folder | None,
        item: social.SocialItem | None,
        images: tuple[LocalImage, ...],
    ) -> tuple[str, str]:
        # The stored fingerprint stands for the HTML, which is not read unless a page needs it;
        # the copies of its images for what the page shows of them (a list item, its first).
        where = f"{folder.path}\x1e{folder.slug}" if folder else ""
        listed = _LISTED.get((row,), (name, where, images))
        if listed is None:
            listed = _sha(
                f"{row.slug}\x1f{row.date.isoformat()}\x1f{name}\x1f{where}\x1f{row.fingerprint}"
                f"\x1f{row.entry!r}\x1f{row.images!r}\x1f{images!r}"
            )
            _LISTED.keep((row,), (name, where, images), listed)
        if item is None:
            return listed, listed
        friends = list(self.friends(item))
        social_part = repr((item.url, item.title, item.recommendations, item.article, friends))
        return listed, _sha(f"{listed}\x1f{social_part}")

    def friends(self, item: social.SocialItem) -> tuple[object, ...]:
        """Return how the friends who recommended `item` are shown."""
        return tuple(self.shown.get(r.who) for r in item.recommendations)


def _references(
    rows: list[StoredEntry],
    names: Mapping[str, str],
    urls: Mapping[str, str],
    media: Mapping[str, LocalImage],
) -> dict[str, social.ArticleRef]:
    """Return what our pages know of each article, by canonical URL (the newest entry's)."""
    refs: dict[str, social.ArticleRef] = {}
    for row in rows:
        if row.entry.link:
            name, url = names[row.feed_url], urls[row.slug]
            known = _REFERENCED.get((row, media), (name, url))
            if known is None:
                first = first_local(row.images or (), media)
                ref = social.ArticleRef(
                    row.entry.title, row.entry.excerpt, name, url, first.thumb if first else None
                )
                known = _REFERENCED.keep(
                    (row, media), (name, url), (canonical_url(row.entry.link), ref)
                )
            refs.setdefault(*known)
    return refs


def _names(subscriptions: tuple[Subscription, ...], world: World) -> dict[str, str]:
    """Return every subscription's name, by URL."""
    return {
        s.url: display_name(s, world.feeds[s.url].title if s.url in world.feeds else "")
        for s in subscriptions
    }


def _former(world: World, marked: set[str]) -> tuple[list[Subscription], list[StoredEntry]]:
    """Return the feeds no longer subscribed whose entries the owner marked, and those entries:
    an unsubscribed feed's pages go, but not the ones a mark points at."""
    kept = [r for r in world.former if r.entry.link and canonical_url(r.entry.link) in marked]
    urls = dict.fromkeys(r.feed_url for r in kept)
    titles = {u: world.feeds[u].title if u in world.feeds else "" for u in urls}
    return [Subscription(u, titles[u]) for u in urls], kept


def _pages(
    shown: list[StoredEntry],
    *,
    subscriptions: list[Subscription],
    names: Mapping[str, str],
    urls: Mapping[str, str],
    items: list[social.SocialItem],
    all_folders: tuple[Folder, ...],
    friends: tuple[Friend, ...],
    media: Mapping[str, LocalImage],
) -> tuple[ArticlePage, ...]:
    """Return the page of each shown entry: its folder, who recommended it, its digests."""
    by_canonical = {item.canonical: item for item in items}
    by_url = {s.url: s for s in subscriptions}
    by_path = {f.path: f for f in reversed(all_folders)}  # folder_of's: the first of a path
    digests = _Digests(friends)
    pages = []
    for row in shown:
        item = by_canonical.get(canonical_url(row.entry.link)) if row.entry.link else None
        sub, name = by_url[row.feed_url], names[row.feed_url]
        folder = by_path.get(sub.folder) if sub.folder else None
        images = tuple(media[u] for u in row.images or () if u in media)
        made_of: tuple[object, ...] = (row, sub)
        extras: tuple[object, ...] = (name, urls[row.slug], folder, images)
        if item is not None:  # a new mark makes every item anew: an equal one keeps its page
            extras = (*extras, item, digests.friends(item))
        known = _PAGES.get(made_of, extras)
        if known is None:
            listed, page = digests(row, name, folder, item, images)
            made = ArticlePage(
                row, sub, name, urls[row.slug], item, listed, page, folder, images=images
            )
            known = _PAGES.keep(made_of, extras, made)
        pages.append(known)
    return tuple(pages)


def assemble(world: World, options: Options) -> Build:
    """Return the build of `world`: ranked items, the pages, the archive, names and digests."""
    moment = as_of(world)
    marked = {m.canonical for m in world.marks}
    former, kept = _former(world, marked)
    subscriptions = [*world.subscriptions, *former]
    names = _names(tuple(subscriptions), world)
    listed = list(world.listed)
    if kept:  # in the store's order: newest first, ties by slug
        listed = sorted([*listed, *kept], key=lambda r: (-r.date.timestamp(), r.slug))
    wanted = marked | {canonical_url(r.entry.link) for r in world.recommended if r.entry.link}
    # The window moves with fetches, not with marks: a new mark never re-pages the site.
    shown, archived = window.split(
        listed,
        world.last_fetch or moment,
        options.window_days,
        options.max_per_subscription,
        wanted,
    )
    urls = {row.slug: options.article_url.format(slug=row.slug) for row in shown}
    weights = {f.slug: f.weight for f in world.friends}
    recs = recommendations(world, options.owner, options.zone)
    items = social.merge(recs, _references(shown, names, urls, world.media), weights, moment)
    all_folders = folders(world.subscriptions, world.folders)
    pages = _pages(
        shown,
        subscriptions=subscriptions,
        names=names,
        urls=urls,
        items=items,
        all_folders=all_folders,
        friends=world.friends,
        media=world.media,
    )
    return Build(
        moment,
        pages,
        tuple(archived),
        tuple(items),
        names,
        world.subscriptions,
        world.friends,
        world.marks,
        world.feeds,
        all_folders,
        world.last_fetch,
        media=world.media,
    )
