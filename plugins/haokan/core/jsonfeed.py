"""Read JSON Feed 1.0/1.1 into the raw shape normalize accepts (feedparser 6.0 lacks JSON Feed)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any


class NotJsonFeed(ValueError):
    """The document is JSON but not a JSON Feed, or not valid JSON."""


def looks_like_json(body: bytes) -> bool:
    """Return True when the document starts like a JSON object."""
    return body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


def _time(value: object) -> time.struct_time | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).timetuple()


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _author(item: dict[str, Any]) -> dict[str, Any] | None:
    authors = item.get("authors")
    first = authors[0] if isinstance(authors, list) and authors else item.get("author")
    if isinstance(first, dict) and isinstance(first.get("name"), str):
        return {"name": first["name"]}
    return None


def _entry(item: dict[str, Any]) -> dict[str, Any]:
    content = []
    if isinstance(item.get("content_html"), str):
        content.append({"type": "text/html", "value": item["content_html"]})
    if isinstance(item.get("content_text"), str):
        content.append({"type": "text/plain", "value": item["content_text"]})
    listed = item.get("attachments")
    attachments = listed if isinstance(listed, list) else []
    identifier = item.get("id")
    return {
        "id": str(identifier) if isinstance(identifier, (str, int)) else None,
        "link": _str(item.get("url")) or _str(item.get("external_url")),
        "title": _str(item.get("title")),
        "title_detail": {"type": "text/plain"},
        "content": content,
        "summary": _str(item.get("summary")),
        "summary_detail": {"type": "text/plain"},
        "published_parsed": _time(item.get("date_published")),
        "updated_parsed": _time(item.get("date_modified")),
        "author_detail": _author(item),
        "enclosures": [
            {"href": a.get("url"), "type": a.get("mime_type"), "length": a.get("size_in_bytes")}
            for a in attachments
            if isinstance(a, dict)
        ],
    }


def parse_json_feed(body: bytes) -> dict[str, Any]:
    """Return a JSON Feed document as {'version', 'feed', 'entries'}; raise NotJsonFeed."""
    try:
        document = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise NotJsonFeed(f"not valid JSON ({error})") from error
    version = document.get("version") if isinstance(document, dict) else None
    if not isinstance(version, str) or "jsonfeed.org/version/" not in version:
        raise NotJsonFeed("JSON, but not a JSON Feed (no jsonfeed.org version)")
    items = document.get("items")
    return {
        "version": "json" + version.rsplit("/", 1)[-1].replace(".", ""),
        "feed": {
            "title": _str(document.get("title")),
            "title_detail": {"type": "text/plain"},
            "link": _str(document.get("home_page_url")),
            "image": {"href": _str(document.get("icon")) or _str(document.get("favicon"))},
        },
        "entries": [_entry(i) for i in items if isinstance(i, dict)]
        if isinstance(items, list)
        else [],
    }
