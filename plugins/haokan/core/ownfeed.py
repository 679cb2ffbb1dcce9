"""The owner's 好看 feed (pure): one entry per mark, Atom and JSON Feed — a public contract.

Each entry: alternate link = the article's URL, title = the article's title, content = the
note, published = when it was marked. docs/federation.md documents the format.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from feedgenerator import Atom1Feed

from .marks import Mark

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def title(site_name: str) -> str:
    """Return the 好看 feed's title: the site's name, and 好看 unless the name already says it."""
    return site_name if "好看" in site_name else f"{site_name} · 好看"


def _site(site_url: str, path: str) -> str:
    return f"{site_url.rstrip('/')}/{path}" if site_url else path


class _Atom(Atom1Feed):  # type: ignore[misc]
    """feedgenerator's Atom, dated by its newest mark (not the clock) so builds reproduce."""

    def __init__(self, updated: datetime, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.updated = updated

    def latest_post_date(self) -> datetime:
        return self.updated


def atom(
    marks: Sequence[Mark], site_name: str, site_url: str, author: str, updated: datetime
) -> str:
    """Return the 好看 feed as Atom 1.0; `updated` dates the feed when it has no marks."""
    feed = _Atom(
        max((m.date for m in marks), default=updated),
        title=title(site_name),
        link=_site(site_url, ""),
        description="",
        feed_url=_site(site_url, "feeds/haokan.atom.xml"),
        author_name=author,
        feed_guid=_site(site_url, "feeds/haokan.atom.xml") if site_url else "urn:haokan:feed",
    )
    for mark in marks:
        feed.add_item(
            title=mark.title,
            link=mark.canonical,
            description=None,  # the note is the content; a mark without one has neither
            content=mark.note_html or None,
            unique_id=mark.canonical,
            pubdate=mark.date,
            updateddate=mark.date,
            author_name=author,
        )
    text: str = feed.writeString("utf-8")
    return text


def json_feed(marks: Sequence[Mark], site_name: str, site_url: str, author: str) -> str:
    """Return the 好看 feed as JSON Feed 1.1."""
    document: dict[str, object] = {"version": JSON_FEED_VERSION, "title": title(site_name)}
    if site_url:
        document["home_page_url"] = _site(site_url, "")
        document["feed_url"] = _site(site_url, "feeds/haokan.json")
    document["authors"] = [{"name": author}]
    document["items"] = [
        {
            "id": mark.canonical,
            "url": mark.canonical,
            "title": mark.title,
            "content_html": mark.note_html,
            "date_published": mark.date.isoformat(),
        }
        for mark in marks
    ]
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"
