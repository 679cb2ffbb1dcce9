"""Pelican's work for pages this site never writes, skipped (shell).

Pelican's `ArticlesGenerator.generate_pages` writes author, tag and category pages, and for each
one first filters its whole date-sorted list of articles down to the page's own
(`[a for a in self.dates if a in articles]`). With a subscription for a category and an author
per feed, that is subscriptions × entries steps twice over — at 1,000 subscriptions × 5
entries, 10 million, half of them for author pages this site never writes
(`AUTHOR_SAVE_AS = ""`); skipping them made that clean build 0.83 × as long
(docs/benchmarks.md). After Pelican has built its context
(`article_generator_finalized`), `trim` replaces, on that one generator:

- `generate_authors` and `generate_tags`, when their `*_SAVE_AS` is empty, by nothing: Pelican
  would compute each page's articles, then write nothing (`Writer.write_file` returns on an
  empty name, and so does ours);
- `generate_categories` by `write_categories`: the same writes with the same values, each
  category's `dates` found by every article's position in one pass.

tests/test_trims.py runs Pelican's own methods and these on the same generator and compares
every write, so a Pelican release that changes what they write fails there.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from pelican.generators import ArticlesGenerator
from pelican.writers import FileOverwriteFailedError

log = logging.getLogger(__name__)
Write = Callable[..., None]


def _nothing(write: Write) -> None:
    """Stand in for a generate_* method whose pages are never written."""


def write_categories(generator: ArticlesGenerator, write: Write) -> None:
    """Write each category's page as Pelican's `generate_categories` does (the same arguments),
    its `dates` (the category's articles in the site's date order) found by position."""
    position = {id(article): n for n, article in enumerate(generator.dates)}
    template = generator.get_template("category")
    for category, articles in generator.categories:
        dated = sorted((a for a in articles if id(a) in position), key=lambda a: position[id(a)])
        try:
            write(
                category.save_as,
                template,
                generator.context,
                url=category.url,
                category=category,
                articles=articles,
                dates=dated,
                template_name="category",
                blog=True,
                page_name=category.page_name,
                all_articles=generator.articles,
            )
        except FileOverwriteFailedError:
            if category.slug:
                raise
            log.info("Category %r has no slug; its page is not written", str(category))


def trim(generator: Any) -> None:
    """Skip, on this ArticlesGenerator, what is computed for pages never written."""
    if not isinstance(generator, ArticlesGenerator):
        return
    settings = generator.settings
    if not settings.get("AUTHOR_SAVE_AS"):
        generator.generate_authors = _nothing
    if not settings.get("TAG_SAVE_AS"):
        generator.generate_tags = _nothing
    generator.generate_categories = partial(write_categories, generator)
