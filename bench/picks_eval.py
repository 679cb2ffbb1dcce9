"""How good 精选 is, on a synthetic topical world: precision of the similar picks, the wildcard
share, diversity and coverage — for Haokan's choices and the alternatives we tried.

A world of 8 topics, four written in Chinese (no spaces) and four in English, each with three
subscriptions. Documents draw half their words from their topic, a third from vocabulary every
topic shares, and the rest from a neighbouring topic (writing overlaps); the owner marks two
articles of one Chinese topic and a friend two of one English topic. As in real reading
lists, an aggregator per topic cross-posts a third of one subscription's entries word for
word under its own addresses, so the same story can turn up twice (and a marked one again).
Averaged over 14 days.

    .venv/bin/python bench/picks_eval.py          # the table docs/picks.md shows
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from haokan.core import picks as picking
from haokan.core import similarity
from haokan.core.choices import Candidate, Liked
from haokan.core.picks import choose
from haokan.core.similarity import Index, tokens

ZH_CHARS = "山水茶米面书画车船鱼花鸟云雨风雪灯路桥城村田林石海河湖港门窗灯火钟表纸笔墨琴棋"
EN_SYLLABLES = "ka lo mi re su ta ve no pi da ge ru so li fa ne bo ti"
TOPICS = 8
FEEDS_PER_TOPIC = 3
ENTRIES_PER_FEED = 20
REPOSTED = ENTRIES_PER_FEED // 3  # per topic, copied into its aggregator
DAYS = 14
N, SURPRISE = 20, 0.2


def _zh_words(rng: random.Random, count: int) -> list[str]:
    return ["".join(rng.sample(ZH_CHARS, 2)) for _ in range(count)]


def _en_words(rng: random.Random, count: int) -> list[str]:
    syllables = EN_SYLLABLES.split()
    return ["".join(rng.sample(syllables, 3)) for _ in range(count)]


@dataclass(frozen=True)
class World:
    """Candidates with their topic, and what was marked."""

    candidates: list[Candidate]
    topic: dict[str, int]  # slug → topic
    liked: list[Liked]
    marked_topics: set[int]


def world(seed: int = 11) -> World:
    rng = random.Random(seed)
    vocab = {}
    for t in range(TOPICS):
        chinese = t < TOPICS // 2
        vocab[t] = (_zh_words if chinese else _en_words)(rng, 40)
    shared = {"zh": _zh_words(rng, 120), "en": _en_words(rng, 120)}
    candidates, topic = [], {}
    for t in range(TOPICS):
        chinese = t < TOPICS // 2
        lang = "zh" if chinese else "en"
        neighbour = (t + 1) % (TOPICS // 2) + (0 if chinese else TOPICS // 2)
        for f in range(FEEDS_PER_TOPIC):
            for n in range(ENTRIES_PER_FEED):
                words = (
                    rng.choices(vocab[t], k=20)
                    + rng.choices(shared[lang], k=14)
                    + rng.choices(vocab[neighbour], k=6)
                )
                rng.shuffle(words)
                join = "".join if chinese else " ".join
                slug = f"t{t}-f{f}-{n}"
                title, excerpt = join(words[:4]), join(words[4:])
                candidates.append(
                    Candidate(
                        slug,
                        f"articles/{slug}/",
                        f"https://t{t}.example/{n}",
                        title,
                        excerpt,
                        f"topic {t} feed {f}",
                        f"https://t{t}f{f}.example/",
                        f"topic {t}",
                    )
                )
                topic[slug] = t
        for original in [c for c in candidates if c.feed == f"https://t{t}f0.example/"][:REPOSTED]:
            slug = f"t{t}-planet-{original.slug}"
            candidates.append(
                Candidate(
                    slug,
                    f"articles/{slug}/",
                    f"https://planet{t}.example/{original.slug}",
                    original.title,
                    original.excerpt,
                    f"planet {t}",
                    f"https://planet{t}.example/",
                    f"topic {t}",
                )
            )
            topic[slug] = t
    by_topic = {t: [c for c in candidates if topic[c.slug] == t] for t in range(TOPICS)}
    owner = [Liked(c.title, c.text, 0.5, "") for c in by_topic[0][:2]]  # a Chinese topic
    friend = [Liked(c.title, c.text, 1.0, "Ann") for c in by_topic[TOPICS - 1][:2]]  # English
    marked = {c.slug for c in by_topic[0][:2] + by_topic[TOPICS - 1][:2]}
    return World(
        [c for c in candidates if c.slug not in marked], topic, owner + friend, {0, TOPICS - 1}
    )


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def measure(w: World, run: Callable[[World, str], list[picking.Pick]]) -> dict[str, float]:
    precision, wild, diversity, coverage, top_share, chinese, twice = [], [], [], [], [], [], []
    for day in range(DAYS):
        chosen = run(w, f"2026-12-{day + 1:02d}")
        similar = [p for p in chosen if p.kind == "similar"]
        precision.append(
            sum(w.topic[p.candidate.slug] in w.marked_topics for p in similar)
            / max(1, len(similar))
        )
        wild.append(sum(p.kind == "surprise" for p in chosen) / max(1, len(chosen)))
        chinese.append(
            sum(w.topic[p.candidate.slug] < TOPICS // 2 for p in similar) / max(1, len(similar))
        )
        words = [set(tokens(p.candidate.text)) for p in chosen]
        pairs = [(a, b) for i, a in enumerate(words) for b in words[i + 1 :]]
        diversity.append(statistics.mean(1 - _jaccard(a, b) for a, b in pairs) if pairs else 0)
        feeds = [p.candidate.feed for p in chosen]
        stories = [p.candidate.text for p in chosen]
        marked = {item.text for item in w.liked}
        twice.append(len(stories) - len(set(stories)) + sum(t in marked for t in stories))
        coverage.append(len(set(feeds)) / len({c.feed for c in w.candidates}))
        top_share.append(max(feeds.count(f) for f in feeds) / len(feeds) if feeds else 0)
    return {
        "precision": statistics.mean(precision),
        "wildcards": statistics.mean(wild),
        "diversity": statistics.mean(diversity),
        "coverage": statistics.mean(coverage),
        "max share": max(top_share),
        "zh share": statistics.mean(chinese),
        "repeats": statistics.mean(twice),  # a story picked twice, or one already marked
    }


def haokan(w: World, day: str) -> list[picking.Pick]:
    index = Index([tokens(c.text) for c in w.candidates])
    return choose(w.candidates, index, w.liked, N, SURPRISE, day)


def with_tokens(tokenize: Callable[[str], list[str]]) -> Callable[[World, str], list[picking.Pick]]:
    """Haokan's choice with another tokenizer (for documents and queries alike)."""

    def run(w: World, day: str) -> list[picking.Pick]:
        saved = (similarity.tokens, picking.tokens)
        similarity.tokens = picking.tokens = tokenize  # type: ignore[assignment]
        try:
            index = Index([tokenize(c.text) for c in w.candidates])
            return choose(w.candidates, index, w.liked, N, SURPRISE, day)
        finally:
            similarity.tokens, picking.tokens = saved

    return run


def unigrams(text: str) -> list[str]:
    return [
        t
        for run in similarity._RUNS.findall(text.lower())
        for t in (run if similarity._CJK.match(run) else [run])
    ]


def uni_and_bigrams(text: str) -> list[str]:
    return unigrams(text) + [t for t in tokens(text) if len(t) == 2 and similarity._CJK.match(t)]


def no_calibration(w: World, day: str) -> list[picking.Pick]:
    """Every similar pick from one pool, whatever its language."""
    saved = picking.quotas
    picking.quotas = lambda liked, n: {"all": n}  # type: ignore[assignment]
    saved_languages = Index.__init__

    def init(self: Index, documents: list[list[str]]) -> None:
        saved_languages(self, documents)
        self.languages = ["all"] * len(documents)

    Index.__init__ = init  # type: ignore[method-assign]
    try:
        return haokan(w, day)
    finally:
        picking.quotas, Index.__init__ = saved, saved_languages  # type: ignore[method-assign]


def no_mmr(w: World, day: str) -> list[picking.Pick]:
    saved = picking.MMR_LAMBDA
    picking.MMR_LAMBDA = 1.0
    try:
        return haokan(w, day)
    finally:
        picking.MMR_LAMBDA = saved


def no_story_guard(w: World, day: str) -> list[picking.Pick]:
    """Cross-posts not recognised: every title is a story of its own."""
    saved = picking.same_story
    picking.same_story = lambda title: ""
    try:
        return haokan(w, day)
    finally:
        picking.same_story = saved


def main() -> None:
    w = world()
    print(
        f"world: {TOPICS} topics (4 Chinese, 4 English), {len(w.candidates)} candidates, "
        f"{len({c.feed for c in w.candidates})} subscriptions; marks on 2 topics; {N} picks, "
        f"surprise {SURPRISE}; averaged over {DAYS} days"
    )
    print(
        f"{'variant':<34} {'precision':>9} {'wildcards':>9} {'zh share':>8} {'diversity':>9} "
        f"{'coverage':>8} {'max share':>9} {'repeats':>7} {'ms':>6}"
    )
    for name, run in [
        ("Haokan: CJK bigrams, per language", haokan),
        ("CJK single characters", with_tokens(unigrams)),
        ("CJK characters and bigrams", with_tokens(uni_and_bigrams)),
        ("no per-language calibration", no_calibration),
        ("no MMR (relevance only)", no_mmr),
        ("cross-posts not recognised", no_story_guard),
    ]:
        started = time.perf_counter()
        m = measure(w, run)
        ms = (time.perf_counter() - started) * 1000 / DAYS
        print(
            f"{name:<34} {m['precision']:>9.2f} {m['wildcards']:>9.2f} {m['zh share']:>8.2f} "
            f"{m['diversity']:>9.2f} {m['coverage']:>8.2f} {m['max share']:>9.2f} "
            f"{m['repeats']:>7.2f} {ms:>6.0f}"
        )


if __name__ == "__main__":
    main()
