"""Parse feed bytes with feedparser, refusing what must never reach it (bytes in, Feed out)."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import datetime

import feedparser

from .jsonfeed import NotJsonFeed, looks_like_json, parse_json_feed
from .model import Feed
from .normalize import normalize_feed

ENTITY_DECLARATION = b"<!ENTITY"
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)
_BOMS = {
    b"\xff\xfe\x00\x00": "utf-32-le",
    b"\x00\x00\xfe\xff": "utf-32-be",
    b"\xff\xfe": "utf-16-le",
    b"\xfe\xff": "utf-16-be",
}


class FeedRefused(Exception):
    """A document we will not or cannot read as a feed; the message says why, in words."""


def _as_ascii_view(body: bytes) -> bytes:
    """Return the document re-encoded to UTF-8 when it is UTF-16/32, so byte checks see it."""
    for bom, encoding in _BOMS.items():
        if body.startswith(bom):
            return body.decode(encoding, errors="ignore").encode("utf-8")
    if body[:2] in {b"\x00<", b"<\x00"}:  # UTF-16 without a byte-order mark
        encoding = "utf-16-be" if body[0] == 0 else "utf-16-le"
        return body.decode(encoding, errors="ignore").encode("utf-8")
    return body


def refusal(body: bytes) -> str | None:
    """Return why `body` must not be parsed at all, or None."""
    view = _as_ascii_view(body)
    if not view.strip():
        return "the document is empty"
    if ENTITY_DECLARATION in view:
        return "the document declares XML entities (<!ENTITY), which can expand without limit"
    return None


def parse_feed(body: bytes, url: str, content_type: str | None, now: datetime) -> Feed:
    """Return the normalized feed in `body`, fetched from `url`; raise FeedRefused if it is none."""
    reason = refusal(body)
    if reason:
        raise FeedRefused(reason)
    web_url = url if url.startswith(("http://", "https://")) else None
    if looks_like_json(body):
        try:
            return normalize_feed(parse_json_feed(body), web_url, now)
        except NotJsonFeed as error:
            raise FeedRefused(str(error)) from error
    headers = {"content-location": url} if web_url else {}
    if content_type:
        headers["content-type"] = content_type
    # Only ever a file object: given a str or bytes, feedparser would open paths and URLs itself.
    # We resolve relative links ourselves, against the entry's link rather than the feed's URL,
    # and sanitize with nh3 alone (sanitize.py): feedparser's own sanitizer lets through what
    # nh3 must remove anyway, and took as long as the rest of feedparser's parse.
    parsed = feedparser.parse(
        io.BytesIO(body),
        response_headers=headers,
        resolve_relative_uris=False,
        sanitize_html=False,
    )
    if not parsed.get("version") and not parsed.get("entries"):
        raise FeedRefused(_not_a_feed(body, parsed))
    feed = normalize_feed(parsed, web_url, now)
    problem = parsed.get("bozo_exception")
    if parsed.get("bozo") and problem is not None and not _harmless(problem):
        detail = (str(problem).strip() or type(problem).__name__)[:160]
        return replace(feed, notes=(*feed.notes, f"read despite errors: {detail}"))
    return feed


def _harmless(problem: Exception) -> bool:
    """Return True for the encoding fix-ups feedparser reports but handles itself."""
    return type(problem).__name__ in {"CharacterEncodingOverride", "NonXMLContentType"}


def _not_a_feed(body: bytes, parsed: feedparser.FeedParserDict) -> str:
    if _HTML_START.match(_as_ascii_view(body)[:4096]):
        return "this is a web page (HTML), not a feed; `invoke subscribe` finds a page's feed"
    problem = parsed.get("bozo_exception")
    if problem is not None:
        detail = str(problem).strip() or type(problem).__name__
        return f"not a readable feed: {detail[:200]}"
    return "not a feed: no RSS, Atom or JSON Feed found in the document"
