"""相关 / More like this (pure): for each article page, the two pages most like it by content,
and one from further away — the same for a page whatever was marked, so a new mark never
re-renders every article page.

Pages are alike by the rare words (Chinese: character pairs) they share, each counted by its
rarity: an inverted index over every page's keywords, in one pass.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence

from .choices import Candidate, Related
from .similarity import Index

NEAREST = 2
SHOWN = 3
KEYWORDS = 12  # what a page is known by here
COMMON = 60  # a keyword of more pages than this tells none of them apart
# The wildcard comes from this stretch of a page's neighbours: related, but not the obvious.
FURTHER = slice(8, 40)


def _anywhere(digest: int, size: int, taken: set[int], wanted: int) -> list[int]:
    """Return up to `wanted` page positions not `taken`, stepping from `digest` (stable)."""
    chosen: list[int] = []
    for k in range(min(size, wanted + len(taken) + 1)):
        j = (digest + k * 7919) % size
        if j not in taken and j not in chosen and len(chosen) < wanted:
            chosen.append(j)
    return chosen


def related(pages: Sequence[Candidate], index: Index) -> dict[str, tuple[Related, ...]]:
    """Return each page's "More like this" (by slug); `index` holds `pages`, in their order."""
    keys = [kw[:KEYWORDS] for kw in index.keywords]
    postings: dict[str, list[int]] = defaultdict(list)
    for i, words in enumerate(keys):
        for word in words:
            postings[word].append(i)
    found: dict[str, tuple[Related, ...]] = {}
    for i, page in enumerate(pages):
        scores: dict[int, float] = defaultdict(float)
        for word in keys[i]:
            others = postings[word]
            if len(others) <= COMMON:
                weight = index.idf[word]
                for j in others:
                    scores[j] += weight
        scores.pop(i, None)
        ordered = sorted(scores, key=lambda j: (-scores[j], j))[: FURTHER.stop]
        near = ordered[:NEAREST]
        # The others are chosen by the page itself, so they stay put from build to build:
        # one from further away, or, where little is alike, any of the site's pages.
        digest = int(hashlib.sha1(page.slug.encode()).hexdigest(), 16)
        further = ordered[FURTHER]
        if further:
            chosen = [further[digest % len(further)]]
        else:
            chosen = _anywhere(digest, len(pages), {i, *near}, SHOWN - len(near))
        items = [Related.of(pages[j], "similar") for j in near]
        items += [Related.of(pages[j], "surprise") for j in chosen]
        found[page.slug] = tuple(items)
    return found
