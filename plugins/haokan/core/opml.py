"""OPML subscription lists (pure): bytes in, outlines and subscriptions out, and back.

An outline with an xmlUrl is a feed; one without, holding outlines, is a folder (Feedly,
Inoreader, NewsBlur, Miniflux and FreshRSS all write them so); one without either but with an
htmlUrl is a site whose feed is still to be found; one with neither is an empty folder.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Literal

from .errors import OpmlError
from .model import Subscription, is_local
from .text import one_line
from .urls import absolute_url, canonical_url

Kind = Literal["feed", "site", "folder"]


@dataclass(frozen=True)
class Outline:
    """One outline of an OPML body, by what it is."""

    kind: Kind
    attributes: dict[str, str] = field(hash=False)
    folder: str  # the folder it is in, "A/B"; for a folder, its own path
    empty: bool = False  # a folder holding nothing

    @property
    def name(self) -> str:
        """Return what the outline is called (text, else title)."""
        return outline_name(self.attributes)


def outline_name(attributes: dict[str, str]) -> str:
    """Return an outline's name: its text, else its title."""
    return one_line(attributes.get("text") or attributes.get("title") or "")


def folder_path(parent: str, name: str) -> str:
    """Return the path of folder `name` inside `parent` ("" is the top level)."""
    return f"{parent}/{name}".strip("/") if name else parent


def _walk(node: ET.Element, folder: str) -> Iterator[Outline]:
    for child in node.findall("outline"):
        attributes = dict(child.attrib)
        if child.get("xmlUrl") is not None:
            yield Outline("feed", attributes, folder)
        elif child.find("outline") is not None:
            path = folder_path(folder, outline_name(attributes))
            yield Outline("folder", attributes, path)
            yield from _walk(child, path)
        elif absolute_url(child.get("htmlUrl")):
            yield Outline("site", attributes, folder)
        else:
            yield Outline("folder", attributes, folder_path(folder, outline_name(attributes)), True)


def body(data: bytes, source: str) -> ET.Element:
    """Return the <body> of an OPML document; raise OpmlError naming `source`."""
    if b"<!ENTITY" in data:
        raise OpmlError(f"{source}: OPML must not declare XML entities (<!ENTITY)")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise OpmlError(
            f"{source}: not well-formed XML ({error}); fix the file and retry"
        ) from error
    found = root.find("body")
    if root.tag != "opml" or found is None:
        raise OpmlError(f"{source}: not an OPML file (expected <opml> with a <body>)")
    return found


def walk(data: bytes, source: str) -> list[Outline]:
    """Return every outline of an OPML document in its order, folders before what they hold."""
    return list(_walk(body(data, source), ""))


def outlines(data: bytes, source: str) -> list[tuple[dict[str, str], str]]:
    """Return the attributes of every outline with an xmlUrl, and its folder ("A/B")."""
    return [(o.attributes, o.folder) for o in walk(data, source) if o.kind == "feed"]


def feed_url(attributes: dict[str, str], source: str, allow_paths: bool) -> str:
    """Return an outline's xmlUrl: an http(s) URL, or (owner's own files only) a local path."""
    raw = attributes.get("xmlUrl", "").strip()
    url = absolute_url(raw)
    if url is None and not (allow_paths and raw and ":" not in raw):
        raise OpmlError(
            f"{source}: outline {outline_name(attributes)!r} has xmlUrl {raw!r}, "
            "which is not an http(s) URL"
        )
    return url or raw


def feed_key(url: str) -> str:
    """Return what tells two feeds apart: the canonical URL (a local path as it is)."""
    return url if is_local(url) else canonical_url(url)


def subscription(attributes: dict[str, str], folder: str, url: str) -> Subscription:
    """Return the subscription an outline names, with its feed at `url`."""
    site = absolute_url(attributes.get("htmlUrl")) or ""
    return Subscription(url, outline_name(attributes), folder, site)


def parse_opml(
    data: bytes, source: str, allow_paths: bool = False, unique: bool = False
) -> tuple[Subscription, ...]:
    """Return the feeds of an OPML document; `source` names it in errors.

    Paths (non-http xmlUrl values) are accepted only from the owner's own file (`allow_paths`).
    A feed listed twice is merged, or an error when `unique` (the owner's own file).
    """
    found: dict[str, Subscription] = {}
    for attributes, folder in outlines(data, source):
        sub = subscription(attributes, folder, feed_url(attributes, source, allow_paths))
        key = feed_key(sub.url)
        if unique and key in found:
            raise OpmlError(
                f"{source}: {sub.url} is listed twice (as {found[key].title!r} and "
                f"{sub.title!r}); delete one of the two outlines"
            )
        found.setdefault(key, sub)
    return tuple(found.values())


def render_opml(title: str, subscriptions: Iterable[Subscription], now: datetime) -> bytes:
    """Return an OPML 2.0 document; folders become nested outlines."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateModified").text = format_datetime(now.astimezone(UTC), usegmt=True)
    body = ET.SubElement(root, "body")
    folders: dict[str, ET.Element] = {"": body}
    for sub in subscriptions:
        parent = body
        path = ""
        for name in filter(None, sub.folder.split("/")):
            path = f"{path}/{name}"
            if path not in folders:
                folders[path] = ET.SubElement(parent, "outline", text=name, title=name)
            parent = folders[path]
        ET.SubElement(parent, "outline", feed_attributes(sub))
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def feed_attributes(sub: Subscription) -> dict[str, str]:
    """Return the attributes of a subscription's outline, in the order they are written."""
    attributes = {
        "type": "rss",
        "text": sub.title or sub.url,
        "title": sub.title or sub.url,
        "xmlUrl": sub.url,
    }
    if sub.site_url:
        attributes["htmlUrl"] = sub.site_url
    return attributes


def merge(
    current: Iterable[Subscription], incoming: Iterable[Subscription]
) -> tuple[tuple[Subscription, ...], tuple[Subscription, ...]]:
    """Return (all subscriptions, the ones added): incoming feeds not already present."""
    merged = list(current)
    known = {feed_key(s.url) for s in merged}
    added = []
    for sub in incoming:
        key = feed_key(sub.url)
        if key not in known:
            known.add(key)
            merged.append(sub)
            added.append(sub)
    return tuple(merged), tuple(added)
