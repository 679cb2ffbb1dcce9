"""Pelican glue (shell): settings hardening and stored entries turned into Pelican Articles."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape
from pelican import signals
from pelican.contents import Article
from pelican.generators import ArticlesGenerator
from pelican.urlwrappers import Author, Category
from pelican.utils import order_content

from . import catalog, opml
from .model import Subscription
from .settings import Settings, validate
from .store import Store, StoredEntry

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


def _article(
    row: StoredEntry, sub: Subscription, name: str, generator: Any, zone: ZoneInfo, full: bool
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
        "haokan_date_estimated": entry.published is None,
    }
    # A unique fake path under the content folder: Pelican keys caches and links on it.
    source = os.path.join(generator.path, ".haokan", f"{row.slug}.html")
    return Article(
        str(body), metadata, settings=settings, source_path=source, context=generator.context
    )


def add_entries(generator: ArticlesGenerator) -> None:
    """Add every stored entry of a current subscription as an Article (one category each)."""
    hk = haokan_settings(generator.settings)
    subscriptions = opml.read_opml(hk.subscriptions)
    if not hk.store.exists():
        log.warning("No store at %s yet: run `invoke fetch` first", hk.store)
        return
    with Store(hk.store) as store:
        rows = store.entries([s.url for s in subscriptions])
        titles = store.feed_titles()
    by_url = {s.url: s for s in subscriptions}
    zone = ZoneInfo(generator.settings.get("TIMEZONE") or "UTC")
    for row in rows:
        sub = by_url[row.feed_url]
        name = sub.title or titles.get(sub.url) or sub.url
        generator.articles.append(_article(row, sub, name, generator, zone, hk.full_content))
    generator.articles = order_content(generator.articles, generator.settings["ARTICLE_ORDER_BY"])
    log.info("Haokan: %d stored entries from %d subscriptions", len(rows), len(subscriptions))


def register() -> None:
    """Connect the receivers (module-level functions: blinker holds receivers weakly)."""
    signals.initialized.connect(configure)
    signals.article_generator_pretaxonomy.connect(add_entries)
