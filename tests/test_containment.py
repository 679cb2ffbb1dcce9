"""Parser containment: a document past the time or memory bound fails alone; the pool goes on."""

import pytest

from conftest import NOW, fixture_bytes
from haokan.containment import ParseJob, ParserPool
from haokan.parse import FeedRefused

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
    refused = pytest.raises(FeedRefused, match="parsing needs more than 40 MiB of memory")
    with ParserPool(workers=1, memory_limit=40 << 20) as pool, refused:
        pool.parse(ParseJob(heavy_feed(900), "https://e.org/heavy", None, NOW))
    with ParserPool(workers=1) as pool:  # the default bound parses it
        assert (
            len(pool.parse(ParseJob(heavy_feed(900), "https://e.org/h", None, NOW)).entries) == 900
        )


def test_refusals_come_back_in_words():
    with ParserPool(workers=1) as pool, pytest.raises(FeedRefused, match="empty"):
        pool.parse(ParseJob(b"", "https://e.org/empty", None, NOW))
