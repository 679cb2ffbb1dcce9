"""Pelican glue (shell): entries become Articles; marks and friends become the social page."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import string
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import FileSystemBytecodeCache
from markupsafe import Markup, escape
from pelican import signals
from pelican.contents import Article
from pelican.generators import ArticlesGenerator, Generator
from pelican.urlwrappers import Author, Category
from pelican.utils import order_content
from pelican.writers import Writer

from . import catalog, incremental, opml, social, window
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
    # Compiled templates are kept beside the store: compiling them took a third of a rebuild.
    cache = hk.store.parent / "templates"
    cache.mkdir(parents=True, exist_ok=True)
    settings["JINJA_ENVIRONMENT"] = {
        **settings.get("JINJA_ENVIRONMENT", {}),
        "autoescape": True,
        "bytecode_cache": FileSystemBytecodeCache(str(cache)),
    }
    settings["JINJA_GLOBALS"] = {
        **settings.get("JINJA_GLOBALS", {}),
        "T": catalog.strings(hk.lang),
        "HTML_LANG": catalog.HTML_LANG[hk.lang],
    }


@dataclass
class World:
    """Everything the build reads from the store and content/, read once."""

    subscriptions: tuple[Subscription, ...]
    rows: list[StoredEntry]  # entries that get pages (content read when a page is rendered)
    archived: list[StoredEntry]  # older entries, listed in the archive (without content)
    titles: dict[str, str]
    marks: tuple[Mark, ...]
    friends: tuple[Friend, ...]
    friend_rows: list[StoredEntry]
    records: dict[str, FeedRecord]
    as_of: datetime
    items: list[social.SocialItem] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # subscription URL → its name
    article_urls: dict[str, str] = field(default_factory=dict)  # slug → our article page


def read_world(hk: Settings, zone: ZoneInfo) -> World:
    """Read subscriptions, friends, marks and the store (the build's only inputs)."""
    subscriptions = opml.read_opml(hk.subscriptions)
    friends = read_friends(hk.friends)
    marks = read_marks(hk.marks_dir, zone)
    rows: list[StoredEntry] = []
    archived: list[StoredEntry] = []
    friend_rows: list[StoredEntry] = []
    titles: dict[str, str] = {}
    records: dict[str, FeedRecord] = {}
    last_fetch = None
    if not hk.store.exists():
        log.warning("No store at %s yet: run `invoke fetch` first", hk.store)
    # Ranking is as of the newest thing we know, not the clock: the same inputs build the same site.
    with Store(hk.store) if hk.store.exists() else contextlib.nullcontext() as store:
        if store is not None:
            last_fetch = store.last_fetch()
        known = [t for t in (last_fetch, *(m.date for m in marks)) if t is not None]
        as_of = max(known, default=datetime(2000, 1, 1, tzinfo=UTC))
        if store is not None:
            listed = store.entries([s.url for s in subscriptions], content=False)
            friend_rows = store.entries([f.feed_url for f in friends])
            titles = store.feed_titles()
            records = store.feed_records()
            wanted = {canonical_url(m.link) for m in marks}
            wanted |= {canonical_url(r.entry.link) for r in friend_rows if r.entry.link}
            # The window moves with fetches, not with marks: a new mark never re-pages the site.
            shown, archived = window.split(
                listed, last_fetch or as_of, hk.window_days, hk.max_per_subscription, wanted
            )
            rows = shown  # their HTML is read only for the pages this build renders
    return World(subscriptions, rows, archived, titles, marks, friends, friend_rows, records, as_of)


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


def _only_slug(pattern: str) -> bool:
    """Return True when a URL pattern uses nothing but {slug}."""
    return {f for _, f, _, _ in string.Formatter().parse(pattern) if f is not None} == {"slug"}


class _Articles:
    """Makes Articles of stored entries, sharing what entries have in common."""

    def __init__(
        self, generator: Any, zone: ZoneInfo, full: bool, friends: tuple[Friend, ...]
    ) -> None:
        self.generator, self.settings = generator, generator.settings
        # How a friend is shown beside a recommendation: name, avatar or initials and colour.
        self.friends = {
            f.slug: (f.name, f.avatar_file, f.initials, f.color, f.site_url) for f in friends
        }
        self.zone, self.full = zone, full
        self.categories: dict[str, Category] = {}
        self.authors: dict[str, Author] = {}
        url, save_as = self.settings["ARTICLE_URL"], self.settings["ARTICLE_SAVE_AS"]
        # Pelican works out every article's URL through its full metadata; with {slug} alone
        # the answer is a format away.
        self.paths = (url, save_as) if _only_slug(url) and _only_slug(save_as) else None

    def digests(
        self, row: StoredEntry, name: str, item: social.SocialItem | None
    ) -> tuple[str, str]:
        """Return what an article's pages are made of, for the incremental writer: in lists
        and feeds the entry; on its own page also who recommended it (not the score) and how
        those friends are shown."""
        # The stored fingerprint stands for the HTML, which is not read unless a page needs it.
        listed = hashlib.sha1(
            f"{row.slug}\x1f{row.date.isoformat()}\x1f{name}\x1f{row.fingerprint}"
            f"\x1f{row.entry!r}".encode()
        ).hexdigest()
        if item is None:
            return listed, listed
        shown = [self.friends.get(r.who) for r in item.recommendations]
        social_part = repr((item.url, item.title, item.recommendations, item.article, shown))
        return listed, hashlib.sha1(f"{listed}\x1f{social_part}".encode()).hexdigest()

    def make(
        self,
        row: StoredEntry,
        sub: Subscription,
        name: str,
        item: social.SocialItem | None,
        digests: tuple[str, str],
    ) -> Article:
        entry, settings = row.entry, self.settings
        body = Markup(entry.content) if self.full else Markup("<p>%s</p>") % entry.excerpt
        author = entry.author or name
        metadata = {
            "title": escape(entry.title),  # Markup: templates print it as is, feeds strip it back
            "date": row.date.astimezone(self.zone),
            "category": self.categories.get(name)
            or self.categories.setdefault(name, Category(name, settings)),
            "author": self.authors.get(author)
            or self.authors.setdefault(author, Author(author, settings)),
            "slug": row.slug,
            "summary": escape(entry.excerpt),
            "haokan_entry": entry,
            "haokan_subscription": sub,
            "haokan_social": item,
            "haokan_list_digest": digests[0],
            "haokan_page_digest": digests[1],
        }
        if self.paths is not None:
            metadata["url"] = self.paths[0].format(slug=row.slug)
            metadata["save_as"] = self.paths[1].format(slug=row.slug)
        # A unique fake path under the content folder: Pelican keys caches and links on it.
        source = os.path.join(self.generator.path, ".haokan", f"{row.slug}.html")
        return Article(
            str(body),
            metadata,
            settings=settings,
            source_path=source,
            context=self.generator.context,
        )


def _contents(hk: Settings, slugs: list[str]) -> dict[str, str]:
    """Return the sanitized HTML of these stored entries, by slug."""
    if not slugs:
        return {}
    with Store(hk.store) as store:
        return store.contents(slugs)


def add_entries(generator: ArticlesGenerator) -> None:
    """Add stored entries of current subscriptions as Articles, with who recommended them."""
    hk = haokan_settings(generator.settings)
    zone = ZoneInfo(generator.settings.get("TIMEZONE") or "UTC")
    world = read_world(hk, zone)
    by_url = {s.url: s for s in world.subscriptions}
    names = {s.url: s.title or world.titles.get(s.url) or s.url for s in world.subscriptions}
    article_url = generator.settings["ARTICLE_URL"]
    world.names = names
    world.article_urls = {row.slug: article_url.format(slug=row.slug) for row in world.rows}
    refs: dict[str, social.ArticleRef] = {}
    for row in world.rows:
        if row.entry.link:
            refs.setdefault(
                canonical_url(row.entry.link),
                social.ArticleRef(
                    row.entry.title,
                    row.entry.excerpt,
                    names[row.feed_url],
                    world.article_urls[row.slug],
                ),
            )
    owner = catalog.strings(hk.lang)["me"]
    weights = {f.slug: f.weight for f in world.friends}
    world.items = social.merge(recommendations(world, owner, zone), refs, weights, world.as_of)
    by_canonical = {item.canonical: item for item in world.items}
    maker = _Articles(generator, zone, hk.full_content, world.friends)
    made = []
    for row in world.rows:
        item = by_canonical.get(canonical_url(row.entry.link)) if row.entry.link else None
        made.append((row, item, maker.digests(row, names[row.feed_url], item)))
    # When every list page and feed of the last build still stands (same entries, same site),
    # only the articles whose own page changed are handed to Pelican (incremental.py).
    plan = incremental.plan(generator.settings, [(r.slug, d) for r, _, d in made])
    wanted = [
        (row, item, digests)
        for row, item, digests in made
        if not plan.partial or plan.reusable.get(row.slug) != digests[1]
    ]
    contents = _contents(hk, [row.slug for row, _, _ in wanted])
    for row, item, digests in wanted:
        with_html = replace(row, entry=replace(row.entry, content=contents.get(row.slug, "")))
        name = names[row.feed_url]
        generator.articles.append(maker.make(with_html, by_url[row.feed_url], name, item, digests))
    generator.articles = order_content(generator.articles, generator.settings["ARTICLE_ORDER_BY"])
    generator.context["haokan_build"] = plan
    generator.context["haokan_world"] = world
    generator.context["haokan_friends"] = {f.slug: f for f in world.friends}
    log.info(
        "Haokan: %d entries, %d social items, %d friends",
        len(world.rows),
        len(world.items),
        len(world.friends),
    )


def get_writer(pelican: Any) -> type[Writer]:
    """Return our writer class: it renders and writes only what changed (incremental.py)."""
    from .incremental import IncrementalWriter

    return IncrementalWriter


def get_generators(pelican: Any) -> type[Generator]:
    """Return our generator class (Pelican instantiates it)."""
    from .pages import SocialGenerator

    return SocialGenerator


def register() -> None:
    """Connect the receivers (module-level functions: blinker holds receivers weakly)."""
    signals.initialized.connect(configure)
    signals.article_generator_pretaxonomy.connect(add_entries)
    signals.get_generators.connect(get_generators)
    signals.get_writer.connect(get_writer)
