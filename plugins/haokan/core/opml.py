"""OPML subscription lists (pure): bytes in, subscriptions out, and back."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import format_datetime

from .errors import OpmlError
from .model import Subscription, is_local
from .text import one_line
from .urls import absolute_url, canonical_url


def _outline_title(node: ET.Element) -> str:
    return one_line(node.get("text") or node.get("title") or "")


def _walk(node: ET.Element, folder: str) -> Iterable[tuple[ET.Element, str]]:
    for child in node.findall("outline"):
        if child.get("xmlUrl") is not None:
            yield child, folder
        else:  # an outline without xmlUrl is a folder (Feedly, Inoreader, NewsBlur, Miniflux)
            name = _outline_title(child)
            yield from _walk(child, f"{folder}/{name}".strip("/") if name else folder)


def outlines(data: bytes, source: str) -> list[tuple[dict[str, str], str]]:
    """Return the attributes of every outline with an xmlUrl, and its folder ("A/B")."""
    if b"<!ENTITY" in data:
        raise OpmlError(f"{source}: OPML must not declare XML entities (<!ENTITY)")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise OpmlError(
            f"{source}: not well-formed XML ({error}); fix the file and retry"
        ) from error
    body = root.find("body")
    if root.tag != "opml" or body is None:
        raise OpmlError(f"{source}: not an OPML file (expected <opml> with a <body>)")
    return [(dict(node.attrib), folder) for node, folder in _walk(body, "")]


def feed_url(attributes: dict[str, str], source: str, allow_paths: bool) -> str:
    """Return an outline's xmlUrl: an http(s) URL, or (owner's own files only) a local path."""
    raw = attributes.get("xmlUrl", "").strip()
    url = absolute_url(raw)
    if url is None and not (allow_paths and raw and ":" not in raw):
        name = one_line(attributes.get("text") or attributes.get("title") or "")
        raise OpmlError(
            f"{source}: outline {name!r} has xmlUrl {raw!r}, which is not an http(s) URL"
        )
    return url or raw


def feed_key(url: str) -> str:
    """Return what tells two feeds apart: the canonical URL (a local path as it is)."""
    return url if is_local(url) else canonical_url(url)


def parse_opml(
    data: bytes, source: str, allow_paths: bool = False, unique: bool = False
) -> tuple[Subscription, ...]:
    """Return the feeds of an OPML document; `source` names it in errors.

    Paths (non-http xmlUrl values) are accepted only from the owner's own file (`allow_paths`).
    A feed listed twice is merged, or an error when `unique` (the owner's own file).
    """
    found: dict[str, Subscription] = {}
    for attributes, folder in outlines(data, source):
        url = feed_url(attributes, source, allow_paths)
        title = one_line(attributes.get("text") or attributes.get("title") or "")
        sub = Subscription(url, title, folder, absolute_url(attributes.get("htmlUrl")) or "")
        key = feed_key(url)
        if unique and key in found:
            raise OpmlError(
                f"{source}: {url} is listed twice (as {found[key].title!r} and "
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
        attributes = {
            "type": "rss",
            "text": sub.title or sub.url,
            "title": sub.title or sub.url,
            "xmlUrl": sub.url,
        }
        if sub.site_url:
            attributes["htmlUrl"] = sub.site_url
        ET.SubElement(parent, "outline", attributes)
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


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
