"""Parser containment: a document past the time or memory bound fails alone; the pool goes on."""

import subprocess
import sys

import pytest

from conftest import NOW, fixture_bytes
from haokan.core.parse import FeedRefused
from haokan.ingest.containment import ParseJob, ParserPool

SMALL = ParseJob(fixture_bytes("simple.atom.xml"), "https://e.org/feed", None, NOW)


def heavy_feed(entries: int) -> bytes:
    item = (
        b"<item><guid>%d</guid><title>t</title><description>"
        + b"&lt;p&gt;some words &lt;b&gt;here&lt;/b&gt;&lt;/p&gt;" * 200
        + b"</description></item>"
    )
    return (
        b'<rss version="2.0"><channel><title>heavy</title>'
        + b"".join(item.replace(b"%d", str(i).encode()) for i in range(entries))
        + b"</channel></rss>"
    )


def test_a_document_that_parses_too_long_is_refused_and_the_pool_recovers():
    with ParserPool(workers=1, time_limit=0.3) as pool:
        with pytest.raises(FeedRefused, match=r"parsing took longer than 0.3 s"):
            pool.parse(ParseJob(heavy_feed(900), "https://e.org/heavy", None, NOW))
        assert len(pool.parse(SMALL).entries) == 2  # a fresh worker took over


def test_a_document_needing_more_memory_than_the_bound_is_refused():
    bomb = ParseJob(list_bomb(2_000_000), "https://e.org/bomb", None, NOW)  # 5.7 MiB
    with ParserPool(workers=1, memory_limit=160 << 20) as pool:
        with pytest.raises(FeedRefused, match="parsing needs more than 160 MiB of memory"):
            pool.parse(bomb)
        assert len(pool.parse(SMALL).entries) == 2  # the bound itself parses a normal feed
    with ParserPool(workers=1, memory_limit=384 << 20) as pool:  # and, higher, the same bomb
        assert len(pool.parse(bomb).entries) == 1


def test_refusals_come_back_in_words():
    with ParserPool(workers=1) as pool, pytest.raises(FeedRefused, match="empty"):
        pool.parse(ParseJob(b"", "https://e.org/empty", None, NOW))


def attribute_bomb(attributes: int) -> bytes:
    """One HTML element with very many attributes: feedparser's own sanitizer needed ~170
    times its size."""
    tag = b"<p " + b" ".join(b"a%d=1" % i for i in range(attributes)) + b">"
    return (
        b"<rss version='2.0'><channel><title>x</title><item><description><![CDATA["
        + tag
        + b"]]></description></item></channel></rss>"
    )


def list_bomb(lists: int) -> bytes:
    """A JSON Feed with one item and, beside it, very many empty lists: any JSON parser makes
    an object of each (3 bytes in, about 60 out)."""
    return (
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "x",'
        b' "items": [{"id": "1", "content_text": "hi"}], "_lists": ['
        + b",".join([b"[]"] * lists)
        + b"]}"
    )


def test_an_element_with_a_hundred_thousand_attributes_parses_in_little_memory():
    # nh3 alone sanitizes: feedparser's own sanitizer needed more than 150 times this
    # document's size for it (docs/robustness.md).
    with ParserPool(workers=1, memory_limit=160 << 20) as pool:
        bomb = ParseJob(attribute_bomb(100_000), "https://e.org/bomb", None, NOW)  # 0.9 MiB
        (entry,) = pool.parse(bomb).entries
        assert entry.content == "<p></p>"


def test_a_document_that_blows_up_the_parser_fails_alone():
    body = list_bomb(2_000_000)  # 5.7 MiB: well under the 15 MiB body cap
    # Without a bound: the JSON parser in a process of its own needs ~36 times its size.
    measure = (
        "import json, resource, sys; json.loads(sys.stdin.buffer.read());"
        " print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    peak_kib = int(
        subprocess.run(
            [sys.executable, "-c", measure], input=body, capture_output=True, check=True
        ).stdout
    )
    assert peak_kib > 30 * len(body) >> 10
    # With one: that one feed is refused in words, and the next document parses.
    with ParserPool(workers=1, memory_limit=peak_kib << 9) as pool:  # half of what it took
        with pytest.raises(FeedRefused, match="parsing needs more than"):
            pool.parse(ParseJob(body, "https://e.org/bomb", None, NOW))
        assert len(pool.parse(SMALL).entries) == 2
