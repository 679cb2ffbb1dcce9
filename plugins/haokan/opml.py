"""Read and write OPML subscription lists (pure over bytes/str, plus atomic file helpers)."""

from __future__ import annotations

import os
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

from .model import Subscription
from .text import one_line
from .urls import absolute_url, canonical_url


class OpmlError(ValueError):
    """An OPML file that cannot be read; the message names the file and the problem."""


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
        key = url if sub.is_local else canonical_url(url)
        if unique and key in found:
            raise OpmlError(
                f"{source}: {url} is listed twice (as {found[key].title!r} and "
                f"{sub.title!r}); delete one of the two outlines"
            )
        found.setdefault(key, sub)
    return tuple(found.values())


def read_file(path: Path, missing_ok: bool = True) -> bytes:
    """Return an owner's OPML file (empty when absent and `missing_ok`); raise OpmlError."""
    try:
        return path.read_bytes()
    except FileNotFoundError as error:
        if missing_ok:
            return b""
        raise OpmlError(f"{path}: no such file") from error
    except OSError as error:
        raise OpmlError(f"{path}: cannot read ({error.strerror})") from error


def read_opml(path: Path, allow_paths: bool = True) -> tuple[Subscription, ...]:
    """Return the feeds of the OPML file at `path` (an absent file holds none)."""
    data = read_file(path)
    return parse_opml(data, str(path), allow_paths, unique=True) if data else ()


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
    known = {canonical_url(s.url) if not s.is_local else s.url for s in merged}
    added = []
    for sub in incoming:
        key = canonical_url(sub.url) if not sub.is_local else sub.url
        if key not in known:
            known.add(key)
            merged.append(sub)
            added.append(sub)
    return tuple(merged), tuple(added)


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
