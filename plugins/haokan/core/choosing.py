"""What 精选 and "More like this" are made from (pure): a build's pages as candidates, what
was marked as the liked articles, and the keys that tell whether the last result still holds."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import tzinfo

from .build import ArticlePage, Build
from .choices import Candidate, Liked, Pick, Related
from .memo import Remembered
from .social import OWNER, OWNER_WEIGHT
from .text import note_text


def candidate(page: ArticlePage) -> Candidate:
    """Return a page as something 精选 or "More like this" may show."""
    known = _CANDIDATES.get((page,))
    if known is not None:
        return known
    entry = page.row.entry
    made = Candidate(
        page.slug,
        page.url,
        entry.link or "",
        entry.title,
        entry.excerpt,
        page.source,
        page.subscription.url,
        page.subscription.folder,
    )
    return _CANDIDATES.keep((page,), (), made)


def liked(build: Build) -> list[Liked]:
    """Return what the owner and friends marked, each weighted as the ranking weighs them."""
    weights = {f.slug: f.weight for f in build.friends}
    found = []
    for item in build.items:
        recs = item.recommendations
        weight = sum(OWNER_WEIGHT if r.who == OWNER else weights.get(r.who, 1.0) for r in recs)
        notes = " ".join(note_text(r.note_html) for r in recs)
        excerpt = item.article.excerpt if item.article else ""
        friends = [r for r in recs if r.who != OWNER]
        by = friends[0].name if friends else ""
        found.append(Liked(item.title, f"{item.title} {excerpt} {notes}", weight, by))
    return found


def eligible(build: Build) -> list[bool]:
    """Return which pages 精选 may pick: none that somebody recommended, none from a feed
    that is failing."""
    failing = {url for url, status in build.feeds.items() if status.failures}
    return [p.social is None and p.subscription.url not in failing for p in build.pages]


def _digest(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()


def pages_key(build: Build) -> str:
    """Return what "More like this" depends on: the pages, as their lists show them."""
    return _digest(*(p.list_digest for p in build.pages))


def picks_key(
    pages: str, marked: Sequence[Liked], allowed: Sequence[bool], n: int, surprise: float, on: str
) -> str:
    """Return what 精选 depends on: the pages (their `pages_key`), what was `marked`, which
    pages are `allowed` (`eligible`), the settings and the day."""
    return _digest(pages, marked, allowed, n, surprise, on)


def day(build: Build, zone: tzinfo) -> str:
    """Return the day the build is as of, in the site's zone: what seeds the wildcards."""
    return f"{build.as_of.astimezone(zone):%Y-%m-%d}"


def with_choices(
    build: Build, picks: Sequence[Pick], related: Mapping[str, tuple[Related, ...]]
) -> Build:
    """Return the build with its 精选 and each page's "More like this" (its page digest then
    covers what that list shows)."""
    pages = tuple([_with_related(page, related.get(page.row.slug, ())) for page in build.pages])
    return replace(build, pages=pages, picks=tuple(picks))


# Each page as a candidate, by the very page it was made of (core/memo.py).
_CANDIDATES: Remembered[Candidate] = Remembered()
# Each page with its "More like this", by the page's id: the page and the list it was made of
# are kept with it, so no other page can have that id while it is kept (as in core/memo.py,
# without its generality: a build asks this of every page, and the press's build of pages
# its rehearsal asked already).
_RELATED: dict[int, tuple[ArticlePage, tuple[Related, ...], ArticlePage]] = {}
_RELATED_LIMIT = 1 << 18


def _with_related(page: ArticlePage, related: tuple[Related, ...]) -> ArticlePage:
    known = _RELATED.get(id(page))
    if known is not None and known[1] is related:
        return known[2]
    shown = "\x1e".join("\x1d".join(map(str, vars(r).values())) for r in related)
    made = replace(page, related=related, page_digest=_digest(page.page_digest, shown))
    if len(_RELATED) >= _RELATED_LIMIT:
        _RELATED.clear()
    _RELATED[id(page)] = (page, related, made)
    return made
