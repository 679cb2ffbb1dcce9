"""The social core (pure): merge recommendations by article, and rank them.

Score of an item = Σ over distinct recommenders r of  weight(r) · ½^(age(r) / HALF_LIFE),
where age(r) is how long before `now` r last recommended it. Items any friend recommended
come before items only the owner marked; ties break on the newest recommendation, then on
the canonical URL. docs/ranking.md explains and works an example.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .urls import canonical_url

OWNER = "owner"  # the recommender id of the site's owner
OWNER_WEIGHT = 0.5
HALF_LIFE = timedelta(hours=48)


@dataclass(frozen=True)
class Recommendation:
    """Somebody (a friend, or the owner) recommends an article, with a note."""

    url: str
    who: str  # a friend's slug, or OWNER
    name: str
    at: datetime
    title: str = ""
    note_html: str = ""  # sanitized, links only

    @property
    def canonical(self) -> str:
        """Return the URL the article is merged on."""
        return canonical_url(self.url)


@dataclass(frozen=True)
class ArticleRef:
    """What a subscription knows of an article: where our page is and where it came from."""

    title: str
    excerpt: str
    source: str  # the subscription's name
    page_url: str  # our article page, relative to the site root
    thumb: str | None = None  # the thumbnail of its first kept image (a file in media/)


@dataclass(frozen=True)
class SocialItem:
    """One article, every recommendation of it, and what a subscription knows of it."""

    canonical: str
    url: str
    title: str
    recommendations: tuple[Recommendation, ...]  # one per recommender, friends first, newest first
    article: ArticleRef | None
    # Only what the items are ordered by: no page shows it, so a page's digest (the repr)
    # leaves it out, and two items that show the same are equal whatever their scores. It
    # moves with the build's moment, and every mark moves the moment: each page of 朋友在看
    # and each friend's page was rendered again at every mark, unchanged, and every article
    # page with a recommendation was made again (core/assemble.py keeps the page of an equal
    # item).
    score: float = field(repr=False, compare=False)

    @property
    def anchor(self) -> str:
        """Return the item's id in a page: stable across builds, whatever its rank."""
        return "i-" + hashlib.sha1(self.canonical.encode()).hexdigest()[:10]

    @property
    def friends(self) -> tuple[Recommendation, ...]:
        """Return the friends' recommendations only."""
        return tuple(r for r in self.recommendations if r.who != OWNER)

    @property
    def owner_marked(self) -> bool:
        """Return True when the owner marked it too."""
        return any(r.who == OWNER for r in self.recommendations)

    @property
    def newest(self) -> datetime:
        """Return when it was last recommended."""
        return max(r.at for r in self.recommendations)


def score(
    recommendations: Iterable[Recommendation], weights: Mapping[str, float], now: datetime
) -> float:
    """Return the ranking score of one item's recommendations (one per recommender)."""
    total = 0.0
    for r in recommendations:
        weight = OWNER_WEIGHT if r.who == OWNER else weights.get(r.who, 1.0)
        age = max(now - r.at, timedelta(0))
        total += weight * 0.5 ** (age / HALF_LIFE)
    return total


def _latest_per_recommender(recs: Iterable[Recommendation]) -> tuple[Recommendation, ...]:
    latest: dict[str, Recommendation] = {}
    for r in recs:
        kept = latest.get(r.who)
        # Every field breaks ties, so the input order never matters.
        if kept is None or (r.at, r.note_html, r.title, r.url) > (
            kept.at,
            kept.note_html,
            kept.title,
            kept.url,
        ):
            latest[r.who] = r
    return tuple(sorted(latest.values(), key=lambda r: (r.who == OWNER, -r.at.timestamp(), r.who)))


def _title(recs: tuple[Recommendation, ...], article: ArticleRef | None, url: str) -> str:
    if article is not None:
        return article.title
    given = Counter(r.title for r in recs if r.title)
    if not given:
        return url
    best = max(given.values())
    return min(t for t, n in given.items() if n == best)  # the most given, ties alphabetical


def merge(
    recommendations: Iterable[Recommendation],
    articles: Mapping[str, ArticleRef],
    weights: Mapping[str, float],
    now: datetime,
) -> list[SocialItem]:
    """Return one ranked item per article (by canonical URL), best first."""
    groups: dict[str, list[Recommendation]] = {}
    for r in recommendations:
        groups.setdefault(r.canonical, []).append(r)
    items = []
    for canonical, group in groups.items():
        recs = _latest_per_recommender(group)
        article = articles.get(canonical)
        items.append(
            SocialItem(
                canonical,
                recs[0].url,
                _title(recs, article, canonical),
                recs,
                article,
                score(recs, weights, now),
            )
        )
    return sorted(items, key=rank_key)


def rank_key(item: SocialItem) -> tuple[bool, float, float, str]:
    """Return the sort key: friends' picks first, higher score, newer, then by URL."""
    return (not item.friends, -round(item.score, 9), -item.newest.timestamp(), item.canonical)
