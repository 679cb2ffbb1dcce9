"""The social core: one item per article, who recommended it, and the ranking (docs/ranking.md)."""

import random
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from haokan.core.social import OWNER, ArticleRef, Recommendation, merge, score

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
H = timedelta(hours=1)


def rec(url, who, hours_ago=0.0, title="", note=""):
    name = "Me" if who == OWNER else who.title()
    return Recommendation(url, who, name, NOW - hours_ago * H, title, note)


def test_score_literal_values():
    # Each recommender adds weight · ½^(age / 48 h); the owner weighs 0.5.
    assert score([rec("u", "ann")], {}, NOW) == 1.0
    assert score([rec("u", "ann", 48)], {}, NOW) == 0.5
    assert score([rec("u", "ann", 96)], {"ann": 2.0}, NOW) == 0.5
    assert score([rec("u", OWNER)], {}, NOW) == 0.5
    assert score([rec("u", "ann"), rec("u", "bob", 48)], {"bob": 2.0}, NOW) == 2.0
    assert score([rec("u", "ann", -5)], {}, NOW) == 1.0  # from the future: counted as now


def test_one_item_per_article_across_tracking_parameters_and_wechat_noise():
    items = merge(
        [
            rec("https://e.org/story?utm_source=rss", "ann", 1, note="<p>ann says</p>"),
            rec("https://E.org/story#comments", "bob", 2, note="<p>bob says</p>"),
            rec("https://mp.weixin.qq.com/s?__biz=Mz&mid=1&idx=1&sn=x&chksm=a&scene=21", "ann", 3),
            rec("https://mp.weixin.qq.com/s?__biz=Mz&mid=1&idx=1&sn=x&scene=126#rd", OWNER, 4),
        ],
        {},
        {},
        NOW,
    )
    assert [i.canonical for i in items] == [
        "https://e.org/story",
        "https://mp.weixin.qq.com/s?__biz=Mz&idx=1&mid=1&sn=x",
    ]
    story, wechat = items
    assert [(r.who, r.note_html) for r in story.recommendations] == [
        ("ann", "<p>ann says</p>"),
        ("bob", "<p>bob says</p>"),
    ]
    assert [r.who for r in wechat.recommendations] == ["ann", OWNER]  # friends first


def test_a_recommender_counts_once_with_their_latest_note():
    (item,) = merge(
        [
            rec("https://e.org/a", "ann", 30, note="old"),
            rec("https://e.org/a?utm_medium=x", "ann", 2, note="new"),
        ],
        {},
        {},
        NOW,
    )
    assert [(r.who, r.note_html) for r in item.recommendations] == [("ann", "new")]
    assert item.score == 0.5 ** (2 / 48)


def test_titles_prefer_the_subscription_then_what_friends_said():
    ref = ArticleRef("Stored title", "excerpt", "Some blog", "articles/x/")
    items = merge(
        [
            rec("https://e.org/known", "ann", 1, title="Friend's title"),
            rec("https://e.org/unknown", "ann", 2, title="B title"),
            rec("https://e.org/unknown", "bob", 3, title="A title"),
            rec("https://e.org/untitled", "bob", 4),
        ],
        {"https://e.org/known": ref},
        {},
        NOW,
    )
    known, unknown, untitled = (
        next(i for i in items if i.canonical.endswith(name))
        for name in ("/known", "/unknown", "/untitled")
    )
    assert (known.title, known.article) == ("Stored title", ref)
    assert unknown.title == "A title"  # each title given once: alphabetical, deterministic
    assert untitled.title == "https://e.org/untitled"


def test_friends_picks_come_first_and_the_owner_never_drowns_them():
    items = merge(
        [
            rec("https://e.org/owner-only-fresh", OWNER, 0),
            rec("https://e.org/old-friend-pick", "ann", 24 * 30),
            rec("https://e.org/two-friends", "ann", 5),
            rec("https://e.org/two-friends", "bob", 6),
            rec("https://e.org/one-friend", "bob", 1),
            rec("https://e.org/one-friend-and-owner", "bob", 1),
            rec("https://e.org/one-friend-and-owner", OWNER, 1),
        ],
        {},
        {},
        NOW,
    )
    assert [i.canonical.rsplit("/", 1)[1] for i in items] == [
        "two-friends",
        "one-friend-and-owner",
        "one-friend",
        "old-friend-pick",
        "owner-only-fresh",
    ]


def test_weights_set_by_the_owner_move_a_friend_up():
    recs = [rec("https://e.org/a", "ann", 1), rec("https://e.org/b", "bob", 1)]
    assert merge(recs, {}, {}, NOW)[0].canonical == "https://e.org/a"  # tie: by URL
    assert merge(recs, {}, {"bob": 3.0}, NOW)[0].canonical == "https://e.org/b"


recommendations = st.lists(
    st.builds(
        rec,
        st.sampled_from(
            [
                "https://e.org/a",
                "https://e.org/a?utm_source=x",
                "https://e.org/b",
                "https://e.org/c#x",
            ]
        ),
        st.sampled_from(["ann", "bob", "cy", OWNER]),
        st.floats(min_value=0, max_value=1000, allow_nan=False),
        st.sampled_from(["", "T1", "T2"]),
        st.sampled_from(["", "n1", "n2"]),
    ),
    max_size=30,
)


@given(recommendations, st.randoms())
def test_merge_is_deterministic_whatever_the_input_order(recs, rnd: random.Random):
    shuffled = list(recs)
    rnd.shuffle(shuffled)
    assert merge(recs, {}, {}, NOW) == merge(shuffled, {}, {}, NOW)


@given(recommendations)
def test_every_recommender_appears_once_per_item(recs):
    for item in merge(recs, {}, {}, NOW):
        whos = [r.who for r in item.recommendations]
        assert len(whos) == len(set(whos))
