"""精选 (pure): a few articles from the subscriptions that nobody recommended, chosen because
they are like what the owner and friends marked — and a share of wildcards on purpose.

1. Relevance: every marked article (the owner's marks, friends' picks, weighted as the ranking
   weighs them) is a query; a candidate's relevance is the sum of its normalized scores.
2. Similar picks are shared between the languages as the marks are (Chinese and English texts
   score on different scales, so each language is ranked on its own), then diversified by
   maximal marginal relevance, at most a third of the picks from any one subscription.
3. Wildcards come from the middle of the relevance ranking (neither the obvious nor the
   unrelated), preferring folders and subscriptions not shown yet, drawn by a generator seeded
   with the build's day: the same store and content build the same page; tomorrow differs.
docs/picks.md measures it.
"""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Sequence

import numpy as np

from .choices import Candidate, Liked, Pick
from .similarity import Index, language, tokens

MMR_LAMBDA = 0.7  # relevance against novelty when diversifying
SIMILAR_POOL = 3  # the nearest 3 × n are "the obvious": wildcards come from beyond them
SIMILAR_FLOOR = 0.25  # a similar pick is at least this relevant, against its language's best
MIDDLE_BAND = 0.8  # … and from above the bottom fifth of the ranking


def relevance(index: Index, liked: Sequence[Liked]) -> tuple[np.ndarray, np.ndarray]:
    """Return every candidate's relevance, and which liked article contributes most to it."""
    contributions = np.zeros((max(len(liked), 1), index.size), dtype=np.float32)
    for row, item in enumerate(liked):
        scores = index.like(item.text)
        top = float(scores.max()) if scores.size else 0.0
        if top > 0:
            contributions[row] = item.weight * scores / top
    return contributions.sum(axis=0), contributions.argmax(axis=0)


def quotas(liked: Sequence[Liked], n: int) -> dict[str, int]:
    """Return how many similar picks each language gets: as the liked articles' weight is
    shared between them (largest remainders)."""
    weights: dict[str, float] = {}
    for item in liked:
        lang = language(item.text)
        weights[lang] = weights.get(lang, 0.0) + item.weight
    total = sum(weights.values())
    if not total or not n:
        return {}
    exact = {lang: n * w / total for lang, w in weights.items()}
    given = {lang: math.floor(x) for lang, x in exact.items()}
    for lang in sorted(exact, key=lambda k: (given[k] - exact[k], k))[: n - sum(given.values())]:
        given[lang] += 1
    return given


@functools.lru_cache(maxsize=1 << 16)  # asked of every candidate at each choice
def same_story(title: str) -> str:
    """Return what tells a story apart by its title: a cross-post under another address has
    the same one. "" for an untitled entry, which is like no other."""
    return " ".join(title.casefold().split())


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


class _Chooser:
    """Holds one draw's inputs: the candidates, their relevance, what is taken."""

    def __init__(self, candidates: Sequence[Candidate], rel: np.ndarray, n: int) -> None:
        self.candidates, self.rel = candidates, rel
        self.cap = max(1, n // 3)  # no subscription more than a third of the picks
        self.taken: list[int] = []
        self.stories: set[str] = set()  # the same story twice is one pick
        self.per_feed: dict[str, int] = {}
        self._words: dict[int, set[str]] = {}

    def words(self, i: int) -> set[str]:
        """Return a candidate's tokens (made when first compared: few ever are)."""
        if i not in self._words:
            self._words[i] = set(tokens(self.candidates[i].text))
        return self._words[i]

    def free(self, i: int) -> bool:
        c = self.candidates[i]
        return (
            self.rel[i] >= 0
            and i not in self.taken
            and self.per_feed.get(c.feed, 0) < self.cap
            and same_story(c.title) not in self.stories
        )

    def take(self, i: int) -> None:
        self.taken.append(i)
        if story := same_story(self.candidates[i].title):
            self.stories.add(story)
        feed = self.candidates[i].feed
        self.per_feed[feed] = self.per_feed.get(feed, 0) + 1

    def diversified(self, pool: list[int], k: int) -> list[int]:
        """Take up to `k` of `pool` by maximal marginal relevance (Carbonell & Goldstein)."""
        chosen: list[int] = []
        top = max((float(self.rel[i]) for i in pool), default=0.0) or 1.0
        while len(chosen) < k:
            free = [i for i in pool if self.free(i)]
            if not free:
                break

            def value(i: int) -> float:
                overlap = max(
                    (_jaccard(self.words(i), self.words(j)) for j in self.taken), default=0.0
                )
                return MMR_LAMBDA * float(self.rel[i]) / top - (1 - MMR_LAMBDA) * overlap

            best = max(free, key=lambda i: (value(i), -i))
            self.take(best)
            chosen.append(best)
        return chosen

    def wildcards(self, k: int, n: int, rng: random.Random, ranked_by_relevance: bool) -> list[int]:
        """Take up to `k` from the middle of the ranking, new folders and feeds first."""
        order = np.lexsort((np.arange(len(self.candidates)), -self.rel))  # ties by position
        ranked: list[int] = order[self.rel[order] >= 0].tolist()
        low, high = 0, len(ranked)
        if ranked_by_relevance:
            low = min(SIMILAR_POOL * n, len(ranked) // 3)  # the obvious ones stay out …
            high = max(low + k, int(len(ranked) * MIDDLE_BAND))  # … and so does the bottom
        band = [i for i in ranked[low:high] if self.free(i)]
        if len(band) < k:  # a small site: whatever is left
            band += [i for i in ranked if self.free(i) and i not in band]
        rng.shuffle(band)
        # Each turn takes the first free one in the draw's order whose folder is not shown yet,
        # nor its feed (rank 0); else the first with a new folder (1), a new feed (2), any (3).
        # A candidate's rank only grows and a taken one never frees again, so where the first
        # of each rank was is where the next turn looks on from: the band is read 4 times at
        # most, not once a turn.
        start = [0, 0, 0, 0]
        chosen: list[int] = []
        while len(chosen) < k and (best := self._first_new(band, start)) is not None:
            self.take(best)
            chosen.append(best)
        return chosen

    def _first_new(self, band: list[int], start: list[int]) -> int | None:
        """Return this turn's wildcard (None when the band is spent), moving `start` on."""
        folders = {self.candidates[i].folder for i in self.taken}
        feeds = {self.candidates[i].feed for i in self.taken}

        def rank(i: int) -> int:
            c = self.candidates[i]
            return 2 * (c.folder in folders) + (c.feed in feeds)

        for most in range(4):
            at = start[most]
            while at < len(band) and not (self.free(band[at]) and rank(band[at]) <= most):
                at += 1
            start[most] = at
            if at < len(band):
                return band[at]
        return None


def choose(
    candidates: Sequence[Candidate],
    index: Index,
    liked: Sequence[Liked],
    n: int,
    surprise: float,
    day: str,
    eligible: Sequence[bool] | None = None,
) -> list[Pick]:
    """Return up to `n` picks among `candidates` (indexed by `index`, in its order; only the
    `eligible` ones may be picked): similar ones first by relevance, a `surprise` share of
    wildcards placed among them."""
    if not n or not candidates:
        return []
    rel, best = relevance(index, liked) if liked else (np.zeros(len(candidates)), None)
    # Recommended already, or from a failing feed, or a copy of a marked story: never picked.
    marked = {same_story(item.title) for item in liked} - {""}
    allowed = [same_story(c.title) not in marked for c in candidates]
    if eligible is not None:
        allowed = [a and e for a, e in zip(allowed, eligible, strict=True)]
    rel = np.where(np.asarray(allowed, dtype=bool), rel, -1.0)
    n = min(n, int((rel >= 0).sum()))  # a small site has fewer to pick from
    wild = round(n * surprise) if liked else n
    chooser = _Chooser(candidates, rel, n)
    similar: list[int] = []
    languages = [lang if rel[i] > 0 else "" for i, lang in enumerate(index.languages)]
    for lang, k in sorted(quotas(liked, n - wild).items()):
        pool = [i for i, c in enumerate(languages) if c == lang]
        floor = SIMILAR_FLOOR * max((float(rel[i]) for i in pool), default=0.0)
        pool = sorted((i for i in pool if rel[i] >= floor), key=lambda i: (-float(rel[i]), i))
        similar += chooser.diversified(pool[: SIMILAR_POOL * n], k)
    similar.sort(key=lambda i: (-float(rel[i]), i))
    draw = random.Random(f"haokan-picks {day}")
    surprises = chooser.wildcards(n - len(similar), n, draw, bool(liked))
    picks = [
        Pick(candidates[i], "similar", liked[int(best[i])] if best is not None else None)
        for i in similar
    ]
    step = max(1, math.ceil((len(picks) + 1) / (len(surprises) + 1)))
    for k, i in enumerate(surprises):  # spread through the list, where the eye finds them
        picks.insert(min(len(picks), (k + 1) * step + k), Pick(candidates[i], "surprise"))
    return picks
