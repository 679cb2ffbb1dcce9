"""Pelican glue (shell): entries become Articles; marks and friends become the social page."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape
from pelican import signals
from pelican.contents import Article
from pelican.generators import ArticlesGenerator, Generator
from pelican.urlwrappers import Author, Category
from pelican.utils import order_content

from . import catalog, opml, social
from .friends import Friend, read_friends
from .health import FeedRecord
from .marks import Mark, read_marks
from .model import Subscription
from .sanitize import sanitize_note
from .settings import Settings, validate
from .store import Store, StoredEntry
from .urls import canonical_url

log = logging.getLogger(__name__)


def haokan_settings(pelican_settings: dict[str, Any]) -> Settings:
    """Return the validated settings `invoke` put in, or validate them now (plain `pelican`)."""
    given = pelican_settings.get("HAOKAN")
    if isinstance(given, Settings):
        return given
    return validate(pelican_settings, Path.cwd() / "pelicanconf.py")


def configure(pelican: Any) -> None:
    """Force Jinja autoescaping and give templates the string catalog."""
    settings = pelican.settings
    hk = settings["HAOKAN"] = haokan_settings(settings)
    # Feed text is escaped by Jinja; only sanitized HTML is ever wrapped in Markup.
    settings["JINJA_ENVIRONMENT"] = {**settings.get("JINJA_ENVIRONMENT", {}), "autoescape": True}
    settings["JINJA_GLOBALS"] = {
        **settings.get("JINJA_GLOBALS", {}),
        "T": catalog.strings(hk.lang),
        "HTML_LANG": catalog.HTML_LANG[hk.lang],
    }


@dataclass
class World:
    """Everything the build reads from the store and content/, read once."""

    subscriptions: tuple[Subscription, ...]
    rows: list[StoredEntry]
    titles: dict[str, str]
    marks: tuple[Mark, ...]
    friends: tuple[Friend, ...]
    friend_rows: list[StoredEntry]
    records: dict[str, FeedRecord]
    as_of: datetime
    items: list[social.SocialItem] = field(default_factory=list)


def read_world(hk: Settings, zone: ZoneInfo) -> World:
    """Read subscriptions, friends, marks and the store (the build's only inputs)."""
    subscriptions = opml.read_opml(hk.subscriptions)
    friends = read_friends(hk.friends)
    marks = read_marks(hk.marks_dir, zone)
    rows: list[StoredEntry] = []
    friend_rows: list[StoredEntry] = []
    titles: dict[str, str] = {}
    records: dict[str, FeedRecord] = {}
    last_fetch = None
    if hk.store.exists():
        with Store(hk.store) as store:
            rows = store.entries([s.url for s in subscriptions])
            friend_rows = store.entries([f.feed_url for f in friends])
            titles = store.feed_titles()
            last_fetch = store.last_fetch()
            records = store.feed_records()
    else:
        log.warning("No store at %s yet: run `invoke fetch` first", hk.store)
    # Ranking is as of the newest thing we know, not the clock: the same inputs build the same site.
    known = [t for t in (last_fetch, *(m.date for m in marks)) if t is not None]
    as_of = max(known, default=datetime(2000, 1, 1, tzinfo=UTC))
    return World(subscriptions, rows, titles, marks, friends, friend_rows, records, as_of)


def recommendations(world: World, owner: str, zone: ZoneInfo) -> list[social.Recommendation]:
    """Return every recommendation: the owner's marks and each friend's feed entries."""
    recs = [
        social.Recommendation(
            m.link, social.OWNER, owner, m.date.astimezone(zone), m.title, m.note_html
        )
        for m in world.marks
    ]
    by_url = {f.feed_url: f for f in world.friends}
    for row in world.friend_rows:
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


def _article(
    row: StoredEntry,
    sub: Subscription,
    name: str,
    generator: Any,
    zone: ZoneInfo,
    full: bool,
    item: social.SocialItem | None,
) -> Article:
    entry = row.entry
    settings = generator.settings
    body = Markup(entry.content) if full else Markup("<p>%s</p>") % entry.excerpt
    metadata = {
        "title": escape(entry.title),  # Markup: templates print it as is, feeds strip it back
        "date": row.date.astimezone(zone),
        "category": Category(name, settings),
        "author": Author(entry.author or name, settings),
        "slug": row.slug,
        "summary": escape(entry.excerpt),
        "haokan_entry": entry,
        "haokan_subscription": sub,
        "haokan_social": item,
    }
    # A unique fake path under the content folder: Pelican keys caches and links on it.
    source = os.path.join(generator.path, ".haokan", f"{row.slug}.html")
    return Article(
        str(body), metadata, settings=settings, source_path=source, context=generator.context
    )


def add_entries(generator: ArticlesGenerator) -> None:
    """Add stored entries of current subscriptions as Articles, with who recommended them."""
    hk = haokan_settings(generator.settings)
    zone = ZoneInfo(generator.settings.get("TIMEZONE") or "UTC")
    world = read_world(hk, zone)
    by_url = {s.url: s for s in world.subscriptions}
    names = {s.url: s.title or world.titles.get(s.url) or s.url for s in world.subscriptions}
    article_url = generator.settings["ARTICLE_URL"]
    refs: dict[str, social.ArticleRef] = {}
    for row in world.rows:
        if row.entry.link:
            refs.setdefault(
                canonical_url(row.entry.link),
                social.ArticleRef(
                    row.entry.title,
                    row.entry.excerpt,
                    names[row.feed_url],
                    article_url.format(slug=row.slug),
                ),
            )
    owner = catalog.strings(hk.lang)["me"]
    weights = {f.slug: f.weight for f in world.friends}
    world.items = social.merge(recommendations(world, owner, zone), refs, weights, world.as_of)
    by_canonical = {item.canonical: item for item in world.items}
    for row in world.rows:
        item = by_canonical.get(canonical_url(row.entry.link)) if row.entry.link else None
        generator.articles.append(
            _article(
                row,
                by_url[row.feed_url],
                names[row.feed_url],
                generator,
                zone,
                hk.full_content,
                item,
            )
        )
    generator.articles = order_content(generator.articles, generator.settings["ARTICLE_ORDER_BY"])
    generator.context["haokan_world"] = world
    generator.context["haokan_friends"] = {f.slug: f for f in world.friends}
    log.info(
        "Haokan: %d entries, %d social items, %d friends",
        len(world.rows),
        len(world.items),
        len(world.friends),
    )


def get_generators(pelican: Any) -> type[Generator]:
    """Return our generator class (Pelican instantiates it)."""
    from .pages import SocialGenerator

    return SocialGenerator


def register() -> None:
    """Connect the receivers (module-level functions: blinker holds receivers weakly)."""
    signals.initialized.connect(configure)
    signals.article_generator_pretaxonomy.connect(add_entries)
    signals.get_generators.connect(get_generators)
