"""精选 (pure): similar picks by content, calibrated per language, diversified, never what was
already recommended; wildcards on purpose, drawn reproducibly for a day and anew the next."""

import json
import subprocess
import sys

import pytest

from haokan.core.choices import Candidate, Liked
from haokan.core.picks import choose, quotas
from haokan.core.related import related
from haokan.core.similarity import Index, language, tokens

TOPICS = {
    "tide": ("Tide pools at dawn", "anemones limpets and crabs in the tide pool rocks"),
    "bread": ("Sourdough at home", "flour water salt and a slow rise make good bread"),
    "rail": ("Night trains of Europe", "sleeper trains cross the alps at night by rail"),
    "tea": ("普洱茶的陈化", "普洱茶放久了味道更醇，茶叶在竹筐里慢慢陈化"),
    "hike": ("山里徒步三天", "我们在山里徒步三天，山路弯弯，晚上住在山顶的小屋"),
    "code": ("Parsing feeds safely", "feed parsers meet hostile xml entities and huge documents"),
}


def corpus(per_topic=4, feeds_per_topic=2):
    """Candidates: each topic's texts, spread over a couple of feeds of their own folder."""
    found = []
    for topic, (title, text) in TOPICS.items():
        for n in range(per_topic):
            found.append(
                Candidate(
                    f"{topic}-{n}",
                    f"articles/{topic}-{n}/",
                    f"https://{topic}.example/{n}",
                    f"{title} {n}",
                    f"{text} part {n}",
                    f"{topic} feed {n % feeds_per_topic}",
                    f"https://{topic}{n % feeds_per_topic}.example/feed",
                    topic,
                )
            )
    return found


def like(topic, weight=1.0, by=""):
    title, text = TOPICS[topic]
    return Liked(title, f"{title} {text}", weight, by)


def pick(candidates, liked, n=6, surprise=0.0, day="2026-11-24", eligible=None):
    index = Index([tokens(c.text) for c in candidates])
    return choose(candidates, index, liked, n, surprise, day, eligible)


def topic(p):
    return p.candidate.folder


def test_tokens_are_cjk_bigrams_and_latin_words():
    assert tokens("Tide pools, 普洱茶!") == ["tide", "pools", "普洱", "洱茶"]
    assert tokens("The and of 一 ok") == ["一", "ok"]  # stopwords go; a lone CJK one stays
    assert language("山里徒步三天 with friends") == "zh" and language("A walk, 一天") == "en"


def test_similar_picks_are_like_what_was_marked():
    picks = pick(corpus(per_topic=6, feeds_per_topic=6), [like("tide")], n=4)
    assert [p.kind for p in picks] == ["similar"] * 4
    assert {topic(p) for p in picks} == {"tide"}
    assert picks[0].because == like("tide")


def test_too_little_alike_is_no_similar_pick_but_an_honest_wildcard():
    picks = pick(corpus(), [like("tide")], n=6)  # two tide feeds, each at most a third
    assert [(topic(p), p.kind) for p in picks if p.kind == "similar"] == [("tide", "similar")] * 4
    surprises = [p for p in picks if p.kind == "surprise"]
    assert len(surprises) == 2 and all(p.because is None and topic(p) != "tide" for p in surprises)


def test_friends_marks_weigh_in_as_the_ranking_weighs_them():
    wide = corpus(per_topic=6, feeds_per_topic=6)
    picks = pick(wide, [like("tide", 0.5), like("bread", 2.0, "林小满")], n=3)
    assert [topic(p) for p in picks] == ["bread"] * 3  # her weight leads the relevance
    assert all(p.because.by == "林小满" for p in picks)


def test_both_languages_get_their_share_when_the_marks_hold_both():
    picks = pick(corpus(per_topic=6, feeds_per_topic=6), [like("rail"), like("tea")], n=6)
    assert sorted(language(p.candidate.text) for p in picks) == ["en"] * 3 + ["zh"] * 3
    assert quotas([like("rail"), like("tea", 3.0)], 8) == {"en": 2, "zh": 6}


def test_no_subscription_has_more_than_a_third():
    picks = pick(corpus(per_topic=9, feeds_per_topic=1), [like("hike")], n=6)
    feeds = [p.candidate.feed for p in picks]
    assert max(feeds.count(f) for f in feeds) <= 2


def test_nothing_already_recommended_is_ever_picked():
    candidates = corpus()
    eligible = [not c.slug.startswith("tide") for c in candidates]
    picks = pick(candidates, [like("tide")], n=6, surprise=0.5, eligible=eligible)
    assert picks and not [p for p in picks if topic(p) == "tide"]


def test_a_cross_post_is_one_story_and_a_marked_one_is_not_picked_again():
    candidates = corpus(per_topic=6, feeds_per_topic=3)
    original = candidates[0]  # "Tide pools at dawn 0"
    copies = [
        Candidate(
            f"planet-{n}",
            f"articles/planet-{n}/",
            f"https://planet{n}.example/tide",  # its own address: only the title tells
            f"  {original.title.upper()} ",
            original.excerpt,
            f"planet {n}",
            f"https://planet{n}.example/feed",
            "planets",
        )
        for n in range(2)
    ]
    picks = pick(candidates + copies, [like("tide")], n=6)
    titles = [p.candidate.title.strip().casefold() for p in picks]
    assert "tide pools at dawn 0" in titles and len(titles) == len(set(titles)) == 6
    marked = Liked(original.title, original.text, 1.0, "Ann")
    again = pick(candidates + copies, [marked], n=6)
    assert "tide pools at dawn 0" not in [p.candidate.title.strip().casefold() for p in again]


def test_wildcards_are_a_share_reproducible_for_a_day_and_new_the_next():
    candidates, liked = corpus(per_topic=6), [like("tide"), like("code")]
    today = pick(candidates, liked, n=10, surprise=0.3)
    again = pick(candidates, liked, n=10, surprise=0.3)
    tomorrow = pick(candidates, liked, n=10, surprise=0.3, day="2026-11-25")
    assert today == again
    surprises = [p for p in today if p.kind == "surprise"]
    assert len(surprises) == 3 and all(p.because is None for p in surprises)
    assert {topic(p) for p in surprises} <= {"bread", "rail", "tea", "hike"}  # other topics
    assert [p.candidate for p in surprises] != [
        p.candidate for p in tomorrow if p.kind == "surprise"
    ]
    assert [p.kind for p in today].index("surprise") > 0  # placed among the similar ones


def test_nothing_marked_yet_means_something_from_everywhere():
    picks = pick(corpus(), [], n=5, surprise=0.2)
    assert [p.kind for p in picks] == ["surprise"] * 5 and len({topic(p) for p in picks}) == 5


def test_wildcards_show_a_new_folder_first_then_a_new_subscription():
    # Two folders of three subscriptions, four articles each: the first two wildcards open
    # both folders, and the next four the subscriptions not shown yet, whatever the day.
    candidates = [
        Candidate(
            f"{folder}{feed}-{n}",
            f"articles/{folder}{feed}-{n}/",
            f"https://{folder}{feed}.example/{n}",
            f"{folder} {feed} {n}",
            f"words of {folder} {feed} number {n}",
            f"{folder}{feed}",
            f"https://{folder}{feed}.example/feed",
            folder,
        )
        for folder in "AB"
        for feed in range(3)
        for n in range(4)
    ]
    for day in ("2026-11-24", "2026-11-25", "2026-12-01"):
        picks = pick(candidates, [], n=6, day=day)
        assert len({p.candidate.folder for p in picks[:2]}) == 2
        assert len({p.candidate.feed for p in picks}) == 6


def test_more_like_this_is_two_of_the_same_and_one_from_further_away():
    candidates = corpus(per_topic=6)
    lists = related(candidates, Index([tokens(c.text) for c in candidates]))
    tea = lists["tea-0"]
    assert [r.kind for r in tea][:2] == ["similar", "similar"]
    assert all(r.url.startswith("articles/tea-") and r.url != "articles/tea-0/" for r in tea[:2])
    assert related(candidates, Index([tokens(c.text) for c in candidates])) == lists  # stable


def test_the_build_loads_the_similarity_libraries_only_to_choose_anew():
    # The 好看 button's rebuild reuses the last choices: numpy and bm25s cost it nothing.
    probe = "import sys, haokan.site.plugin, haokan.site.run; print(sorted(sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert "'haokan.site.picking'" in loaded
    assert "'numpy'" not in loaded and "'bm25s'" not in loaded


def test_the_index_kept_beside_the_store_reads_back_the_same():
    documents = [tokens(c.text) for c in corpus()]
    index = Index(documents)
    again = Index.from_record(json.loads(json.dumps(index.record())))
    query = index.distinctive(tokens("tide pool rocks at dawn"), 40)
    assert again.keywords == index.keywords and again.languages == index.languages
    assert again.scores(query).tolist() == index.scores(query).tolist()
    assert max(again.scores(query).tolist()) > 0
    broken = {**index.record(), "languages": ["en"]}  # a list short: not this index
    with pytest.raises(ValueError, match="not an index record"):
        Index.from_record(broken)
    with pytest.raises(ValueError, match="not an index record"):
        Index.from_record({"size": 1})
