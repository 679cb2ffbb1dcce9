"""Pelican Articles from a Build (shell): one per page the build must render.

Each Article carries its `ArticlePage` as the metadata `haokan` — the one value the theme
(`article.haokan.entry`, `article.haokan.social`) and the incremental writer (its digests) read.
"""

from __future__ import annotations

import os
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape
from pelican.contents import Article
from pelican.urlwrappers import Author, Category

from ..core import catalog
from ..core.build import ArticlePage
from ..core.images import LocalImage, Words, localize


def _only_slug(pattern: str) -> bool:
    """Return True when a URL pattern uses nothing but {slug}."""
    return {f for _, f, _, _ in string.Formatter().parse(pattern) if f is not None} == {"slug"}


@dataclass(frozen=True)
class _Copy:
    """A kept image as Pelican's link resolution sees a static file: where it is served."""

    url: str


class ArticleMaker:
    """Makes Articles of pages, sharing the categories and authors they have in common."""

    def __init__(
        self,
        settings: Mapping[str, Any],
        context: dict[str, Any],
        path: str,
        media: Mapping[str, LocalImage],
    ) -> None:
        self.settings, self.context, self.path, self.media = settings, context, path, media
        self.hk = settings["HAOKAN"]
        words = catalog.strings(self.hk.lang)
        self.words = Words(words["image"], words["video_elsewhere"])
        # Pelican resolves "{static}/media/<file>" in an article's HTML, for each page and
        # feed, through the static files it knows of: our copies are such files.
        known = context.setdefault("static_content", {})
        for copy in media.values():
            known[f"media/{copy.file}"] = _Copy(f"media/{copy.file}")
        self.categories: dict[str, Category] = {}
        self.authors: dict[str, Author] = {}
        url, save_as = settings["ARTICLE_URL"], settings["ARTICLE_SAVE_AS"]
        # Pelican works out every article's URL through its full metadata; with {slug} alone
        # the answer is a format away.
        self.paths = (url, save_as) if _only_slug(url) and _only_slug(save_as) else None
        self._ahead: dict[str, tuple[ArticlePage, Article]] = {}

    def _category(self, name: str) -> Category:
        return self.categories.get(name) or self.categories.setdefault(
            name, Category(name, self.settings)
        )

    def _author(self, name: str) -> Author:
        return self.authors.get(name) or self.authors.setdefault(name, Author(name, self.settings))

    def make(self, page: ArticlePage, html: str) -> Article:
        """Return the Article of `page`, whose sanitized text is `html` (its images pointed at
        their copies under HAOKAN_IMAGES = "local": images.localize)."""
        entry = page.row.entry
        if self.hk.full_content:
            body = Markup(localize(html, self.media, self.hk.images, self.words))
        else:
            body = Markup("<p>%s</p>") % entry.excerpt
        metadata = {
            "title": escape(entry.title),  # Markup: templates print it as is, feeds strip it back
            "date": page.row.date.astimezone(self.hk.zone),
            "category": self._category(page.source),
            "author": self._author(entry.author or page.source),
            "slug": page.slug,
            "summary": escape(entry.excerpt),
            "haokan": page,
        }
        if self.paths is not None:
            metadata["url"] = self.paths[0].format(slug=page.slug)
            metadata["save_as"] = self.paths[1].format(slug=page.slug)
        # A unique fake path under the content folder: Pelican keys caches and links on it.
        source = os.path.join(self.path, ".haokan", f"{page.slug}.html")
        return Article(
            str(body), metadata, settings=self.settings, source_path=source, context=self.context
        )

    def make_all(self, pages: Sequence[ArticlePage], html: Mapping[str, str]) -> list[Article]:
        """Return the Articles of `pages`, each with its HTML by slug (none needed for a page
        whose Article was made ahead)."""
        return [self._taken(page) or self.make(page, html.get(page.slug, "")) for page in pages]

    def make_ahead(self, pages: Sequence[ArticlePage], html: Mapping[str, str]) -> None:
        """Make the Articles of `pages` now, before their "More like this" is known: `make_all`
        then takes each for its page with that list (site/plugin.py: while 精选 is chosen)."""
        for page in pages:
            self._ahead[page.slug] = page, self.make(page, html.get(page.slug, ""))

    def made(self, slug: str) -> bool:
        """Return True if the Article of the page `slug` was made ahead."""
        return slug in self._ahead

    def _taken(self, page: ArticlePage) -> Article | None:
        """Return the Article made ahead of `page` without its "More like this", now carrying
        `page`; None if there is none. An Article is made of the page's entry, text, date,
        source and images, never of that list (nor of the digest that covers it)."""
        before, article = self._ahead.pop(page.slug, (None, None))
        if before is None or article is None:
            return None
        if before.row is not page.row or before.images != page.images:
            return None  # not the page it was made of
        _carrying(article, page)
        return article


def carry(articles: Iterable[Article], pages: Iterable[ArticlePage]) -> None:
    """Have each Article carry the page of its slug among `pages` (its "More like this" made
    since: an Article is made of the page's entry, text, date, source and images only)."""
    by_slug = {page.slug: page for page in pages}
    for article in articles:
        if isinstance(getattr(article, "haokan", None), ArticlePage):  # one of ours
            _carrying(article, by_slug[article.slug])


def _carrying(article: Article, page: ArticlePage) -> None:
    article.haokan = article.metadata["haokan"] = page  # as Pelican keeps metadata: both
