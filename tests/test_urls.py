"""URL rules: what we accept, and the canonical form articles merge on."""

from hypothesis import given
from hypothesis import strategies as st

from haokan.core.urls import LINK_SCHEMES, absolute_url, canonical_url

BASE = "https://example.org/blog/post.html"


def test_relative_urls_resolve_against_the_base():
    assert absolute_url("../img/a.png", BASE) == "https://example.org/img/a.png"
    assert absolute_url("/x?q=1#f", BASE) == "https://example.org/x?q=1#f"


def test_only_web_schemes_pass():
    for bad in (
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,x",
        "vbscript:x",
        "file:///etc/passwd",
        "ftp://h/x",
    ):
        assert absolute_url(bad, BASE) is None, bad
    assert absolute_url("mailto:a@b.c", BASE) is None
    assert absolute_url("mailto:a@b.c", BASE, LINK_SCHEMES) == "mailto:a@b.c"


def test_credentials_bad_ports_and_non_strings_are_refused():
    assert absolute_url("https://user:pw@example.org/") is None
    assert absolute_url("https://example.org:99999/") is None
    assert absolute_url(None) is None
    assert absolute_url(42) is None


def test_spaces_are_escaped_not_lost():
    assert absolute_url("https://example.org/a b") == "https://example.org/a%20b"


def test_canonical_drops_tracking_fragment_default_port_and_sorts():
    assert (
        canonical_url("HTTPS://Example.ORG:443/Post?utm_source=rss&b=2&fbclid=x&a=1#comments")
        == "https://example.org/Post?a=1&b=2"
    )


def test_canonical_wechat_keeps_only_the_article_parameters():
    url = (
        "https://mp.weixin.qq.com/s?__biz=MzA5&mid=2650&idx=1&sn=abc123&chksm=8b&scene=21"
        "&srcid=1124#wechat_redirect"
    )
    assert canonical_url(url) == "https://mp.weixin.qq.com/s?__biz=MzA5&idx=1&mid=2650&sn=abc123"


def test_canonical_keeps_meaningful_parameters_elsewhere():
    assert canonical_url("https://example.org/search?q=rss&page=2") == (
        "https://example.org/search?page=2&q=rss"
    )


@given(st.text())
def test_absolute_url_never_returns_a_non_web_url(value):
    result = absolute_url(value, BASE)
    assert result is None or result.startswith(("http://", "https://"))


urls = st.builds(
    lambda scheme, host, path, query, frag: f"{scheme}://{host}/{path}?{query}#{frag}",
    st.sampled_from(["http", "HTTP", "https"]),
    st.sampled_from(["Example.org", "mp.weixin.qq.com", "a.b", "127.0.0.1:8080", "x.org:443"]),
    st.text(),
    st.text(),
    st.text(),
)


@given(urls)
def test_canonical_url_is_idempotent(url):
    once = canonical_url(url)
    assert canonical_url(once) == once
