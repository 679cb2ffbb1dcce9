"""Convert feedparser's output into frozen Feed/Entry values: the core's trust boundary."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from .model import Enclosure, Entry, Feed
from .sanitize import first_image, sanitize_html, text_to_html
from .text import excerpt, html_to_text, one_line, reading_minutes
from .urls import absolute_url

# Bump when normalize/sanitize output changes: the next fetch then re-reads every feed.
NORMALIZER_VERSION = "4"  # 4: nh3 alone sanitizes (feedparser's own sanitizer is off)
MAX_ENTRIES = 1000
MAX_TITLE_CHARS = 300
MAX_AUTHOR_CHARS = 200
MAX_KEY_CHARS = 512
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})

Raw = Mapping[str, Any]


def _text(detail: Raw | None, value: object, limit: int) -> str:
    """Return a feed text field as plain text, whether the feed sent it as HTML or not."""
    if not isinstance(value, str):
        return ""
    kind = detail.get("type", "") if isinstance(detail, Mapping) else ""
    text = html_to_text(value) if kind in HTML_TYPES else one_line(value)
    return text[:limit]


def _date(value: object, now: datetime) -> datetime | None:
    """Return a feedparser time tuple as UTC datetime; dates in the future become `now`."""
    if not isinstance(value, time.struct_time):
        return None
    try:
        moment = datetime(*value[:6], tzinfo=UTC)
    except (ValueError, OverflowError):
        return None
    return min(moment, now)  # a feed cannot pin itself to the top by dating entries ahead


def _content(raw: Raw) -> tuple[Raw | None, str]:
    """Return the richest body the entry has, preferring HTML content over the summary."""
    contents = [c for c in raw.get("content") or [] if isinstance(c, Mapping)]
    contents.sort(key=lambda c: c.get("type") not in HTML_TYPES)
    for candidate in contents:
        if isinstance(candidate.get("value"), str) and candidate["value"].strip():
            return candidate, candidate["value"]
    summary = raw.get("summary")
    return raw.get("summary_detail"), summary if isinstance(summary, str) else ""


def _base(detail: Raw | None, link: str | None, feed_url: str | None) -> str | None:
    """Return the base for relative URLs: a declared xml:base, else the entry's own link."""
    declared = absolute_url(detail.get("base")) if isinstance(detail, Mapping) else None
    if declared and declared != feed_url:  # feedparser reports the document URL when none
        return declared
    return link or feed_url


def _enclosures(raw: Raw, base: str | None) -> tuple[Enclosure, ...]:
    found = []
    for item in raw.get("enclosures") or []:
        url = absolute_url(item.get("href"), base) if isinstance(item, Mapping) else None
        if url is None:
            continue
        length = str(item.get("length") or "").strip()
        kind = one_line(str(item.get("type") or ""))[:100]
        found.append(Enclosure(url, kind, int(length) if length.isdigit() else None))
    return tuple(found[:10])


def _key(raw: Raw, link: str | None, title: str, content: str) -> str:
    """Return the entry's stable identity: its guid/id, else its link, else a content hash."""
    declared = one_line(str(raw.get("id") or ""))
    if declared and len(declared) <= MAX_KEY_CHARS:
        return declared
    if declared:
        return "sha256:" + hashlib.sha256(declared.encode()).hexdigest()
    if link:
        return link
    return "sha256:" + hashlib.sha256(f"{title}\x00{content}".encode()).hexdigest()


def normalize_entry(raw: Raw, feed_url: str | None, now: datetime, feed_author: str = "") -> Entry:
    """Return one feedparser entry as a frozen Entry (`feed_author` when it names nobody)."""
    link = absolute_url(raw.get("link"), feed_url)
    detail, body = _content(raw)
    base = _base(detail, link, feed_url)
    kind = detail.get("type", "text/html") if isinstance(detail, Mapping) else "text/html"
    html = sanitize_html(body, base) if kind in HTML_TYPES else text_to_html(body)
    plain = html_to_text(html)
    title = _text(raw.get("title_detail"), raw.get("title"), MAX_TITLE_CHARS)
    author_detail = raw.get("author_detail")
    author = author_detail.get("name") if isinstance(author_detail, Mapping) else None
    published = _date(raw.get("published_parsed"), now)
    # Read without feedparser's deprecated updated→published mapping (it warns, and lies).
    updated = _date(dict.get(raw, "updated_parsed") if isinstance(raw, dict) else None, now)
    return Entry(
        key=_key(raw, link, title, html),
        title=title or excerpt(plain, 80) or link or "Untitled",
        link=link,
        author=_text(None, author or raw.get("author"), MAX_AUTHOR_CHARS) or feed_author,
        published=published or updated or _date(raw.get("created_parsed"), now),
        updated=updated,
        content=html,
        excerpt=excerpt(plain),
        reading_minutes=reading_minutes(plain),
        image=first_image(html),
        enclosures=_enclosures(raw, base),
    )


def undated_anchor(entries: Sequence[Entry], now: datetime) -> datetime:
    """Return what an undated entry is dated from when first seen: the newest dated entry of
    the same feed document, or `now` when none has a date. An undated entry is then never newer
    than the feed's dated ones; the store keeps the feed's order a second apart from there."""
    dated = [e.published for e in entries if e.published is not None]
    return min(now, max(dated)) if dated else now


def normalize_feed(parsed: Raw, feed_url: str | None, now: datetime) -> Feed:
    """Return a whole feedparser result as a frozen Feed (entries capped at MAX_ENTRIES)."""
    meta = parsed.get("feed") or {}
    raw_entries = [e for e in parsed.get("entries") or [] if isinstance(e, Mapping)]
    notes = []
    if len(raw_entries) > MAX_ENTRIES:
        notes.append(f"kept the first {MAX_ENTRIES} of {len(raw_entries)} entries")
    author_detail = meta.get("author_detail")
    feed_author = _text(
        None,
        author_detail.get("name") if isinstance(author_detail, Mapping) else meta.get("author"),
        MAX_AUTHOR_CHARS,
    )
    entries: dict[str, Entry] = {}
    for raw in raw_entries[:MAX_ENTRIES]:
        entry = normalize_entry(raw, feed_url, now, feed_author)
        entries.setdefault(entry.key, entry)  # a repeated id keeps its first (newest) entry
    image = meta.get("image")
    return Feed(
        title=_text(meta.get("title_detail"), meta.get("title"), MAX_TITLE_CHARS),
        site_url=absolute_url(meta.get("link"), feed_url),
        image=absolute_url(image.get("href"), feed_url) if isinstance(image, Mapping) else None,
        entries=tuple(entries.values()),
        notes=tuple(notes),
    )
