"""Property tests over the pure core with arbitrary text and URLs (hypothesis)."""

from collections import Counter
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import inert_problems
from haokan.core.parse import FeedRefused, parse_feed
from haokan.core.sanitize import sanitize_html, sanitize_note
from haokan.core.social import OWNER, Recommendation, merge, score
from haokan.core.text import excerpt, xml_safe

NOW = datetime(2026, 11, 24, tzinfo=UTC)
# Pieces hostile HTML is made of, so that arbitrary strings reach interesting states.
PIECES = [
    "<",
    ">",
    "</",
    "/>",
    "=",
    '"',
    "'",
    "&",
    "#",
    ";",
    " ",
    "\n",
    "\t",
    "\x00",
    "script",
    "img",
    "a",
    "svg",
    "iframe",
    "style",
    "on",
    "error",
    "load",
    "href",
    "src",
    "srcset",
    "javascript:",
    "data:",
    "JaVa",
    "&#106;",
    "alert(1)",
    "x",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "\ufffe",
    "中文",
    "😀",
    "math",
    "base",
    "form",
    "noscript",
    "template",
    "\\",
    "<!",
    "<![",
    "]",
    "[",
    "<?",
    "?>",
    "<!DOCTYPE",
    "<p",
    "<div",
]
hostile = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=5)), max_size=60).map(
    "".join
)
bases = st.one_of(
    st.none(), st.sampled_from(["https://e.org/a/b", "http://[::1]:8/x"]), st.text(max_size=20)
)


@given(hostile, bases)
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_sanitized_html_is_always_inert_and_xml_safe(fragment, base):
    for clean in (sanitize_html(fragment, base), sanitize_note(fragment, base)):
        assert inert_problems(clean, parser="html5lib") == []
        assert clean == xml_safe(clean)


@given(st.text(), st.integers(min_value=1, max_value=400))
def test_excerpts_are_short_and_xml_safe(text, width):
    short = excerpt(text, width)
    assert len(short) <= max(width, 1) + 1 and short == xml_safe(short)


field = st.one_of(hostile, st.text(max_size=40))


def test_any_feed_text_parses_to_safe_values_or_a_refusal():
    outcomes: Counter[str] = Counter()

    @given(field, field, field, field, st.sampled_from(["text", "html"]))
    @settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
    def check(title, link, content, author, kind):
        href = escape(link, {'"': "&quot;"})
        document = (
            '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry>'
            f'<title type="{kind}">{escape(title)}</title><link href="{href}"/>'
            f"<author><name>{escape(author)}</name></author>"
            f'<content type="html">{escape(content)}</content></entry></feed>'
        )
        body = document.encode("utf-8", "surrogatepass")
        try:
            feed = parse_feed(body, "https://e.org/f", None, NOW)
        except FeedRefused:
            outcomes["refused"] += 1
            return
        outcomes["parsed"] += 1
        for entry in feed.entries:
            assert entry.link is None or entry.link.startswith(("http://", "https://"))
            for text in (entry.title, entry.author, entry.excerpt, entry.key):
                assert text == xml_safe(text)
            assert inert_problems(entry.content, parser="html5lib") == []
            assert entry.published is None or entry.published <= NOW

    check()
    # The documents are well-formed whatever the fields hold: most must be read, not refused,
    # or this test would pass by refusing everything.
    assert outcomes["parsed"] > 4 * outcomes["refused"], outcomes


recommendation = st.builds(
    Recommendation,
    st.one_of(
        st.text(max_size=30), st.sampled_from(["https://e.org/a", "https://e.org/a?utm_x=1"])
    ),
    st.sampled_from(["ann", "bob", OWNER]),
    st.text(max_size=5),
    st.datetimes(timezones=st.just(UTC)),
    st.text(max_size=10),
    st.text(max_size=10),
)


@given(st.lists(recommendation, max_size=20), recommendation)
def test_another_friend_never_lowers_an_articles_score(recs, extra):
    base = [r for r in recs if r.who != "cy"]
    more = [*base, Recommendation(extra.url, "cy", "Cy", extra.at)]
    assert score(more, {}, NOW) >= score(base, {}, NOW)


@given(st.lists(recommendation, max_size=30))
def test_merge_keeps_exactly_one_recommendation_per_article_and_recommender(recs):
    merged = merge(recs, {}, {}, NOW)
    kept = [(item.canonical, r.who) for item in merged for r in item.recommendations]
    assert sorted(kept) == sorted({(r.canonical, r.who) for r in recs})
