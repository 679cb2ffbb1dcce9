"""Autodiscovery: which feeds a page announces."""

from haokan.ingest.discover import feed_links


def test_feed_links_in_document_order_resolved_against_base():
    page = b"""<html><head><base href="https://cdn.example.org/blog/">
      <link rel="stylesheet" href="/s.css">
      <link rel="alternate" type="application/rss+xml" href="rss.xml">
      <link rel="Alternate" type="application/atom+xml; charset=utf-8" href="/atom.xml">
      <link rel="alternate" type="text/html" href="/other-language">
      <link rel="alternate" type="application/feed+json" href="javascript:alert(1)">
      <link rel="alternate" type="application/rss+xml" href="rss.xml">
    </head></html>"""
    assert feed_links(page, "https://example.org/") == [
        "https://cdn.example.org/blog/rss.xml",
        "https://cdn.example.org/atom.xml",
    ]


def test_a_page_without_feeds_announces_none():
    assert feed_links(b"<html><head><title>x</title></head></html>", "https://e.org/") == []
