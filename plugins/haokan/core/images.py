"""Images in entries (pure): which images an entry shows, and its HTML pointed at their copies
kept beside the store — or at nothing remote, where there is none. How a fetched image is made
safe to keep is imaging.py's (the build never loads Pillow). docs/images.md explains it.

The HTML here is always nh3's output (core/sanitize.py): tags and attributes serialized
canonically, values double-quoted and escaped, so a tag can be matched by a regular expression
as safely as by a parser — the same reasoning sanitize.py relies on.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from .model import Enclosure

ImagesMode = Literal["local", "remote", "none"]
MAX_IMAGES_PER_ENTRY = 12
MAX_IMAGE_BYTES = 8 * 1024 * 1024  # one image as fetched, after any gzip

_IMG = re.compile(r"<img\b([^>]*)>")
_SOURCE_WITH_SRCSET = re.compile(r"<source\b[^>]*\ssrcset=\"[^\"]*\"[^>]*>")
_POSTER = re.compile(r"(<video\b[^>]*?)\sposter=\"[^\"]*\"")
_IFRAME = re.compile(r"<iframe\b([^>]*)>.*?</iframe>", re.DOTALL)
_ATTRIBUTE = re.compile(r"\s([a-zA-Z][a-zA-Z0-9-]*)=\"([^\"]*)\"")
_CANDIDATE = re.compile(r"\s*(\S+)(?:\s+([\d.]+)([wx]))?\s*(?:,|$)")


@dataclass(frozen=True)
class LocalImage:
    """An image kept beside the store, as the site serves it (paths under media/)."""

    file: str  # "3f…a1.webp"
    thumb: str  # "3f…a1.thumb.webp"
    width: int
    height: int


def _attributes(tag: str) -> dict[str, str]:
    return {name.lower(): html.unescape(value) for name, value in _ATTRIBUTE.findall(tag)}


def chosen_source(attributes: Mapping[str, str]) -> str | None:
    """Return the one address an `<img>` is kept by: its `src`, else its widest `srcset`
    candidate (the copy is resized to the page anyway)."""
    if attributes.get("src"):
        return attributes["src"]
    best: tuple[float, str] | None = None
    for url, size, _unit in _CANDIDATE.findall(attributes.get("srcset", "")):
        weight = float(size) if size else 1.0
        if best is None or weight > best[0]:
            best = (weight, url)
    return best[1] if best else None


def image_urls(content: str, image: str | None, enclosures: Iterable[Enclosure]) -> tuple[str, ...]:
    """Return the images an entry shows, in order, at most MAX_IMAGES_PER_ENTRY: each `<img>`
    of its (sanitized) HTML, its image (Entry.image: the first of those, as normalize sets it),
    and any image it encloses."""
    found: list[str] = []
    for match in _IMG.finditer(content):
        if url := chosen_source(_attributes(match.group(1))):
            found.append(url)
    if image:
        found.append(image)
    found += [e.url for e in enclosures if e.type.lower().startswith("image/")]
    return tuple(dict.fromkeys(found))[:MAX_IMAGES_PER_ENTRY]


@dataclass(frozen=True)
class Words:
    """What stands in for what is not shown, in the site's language."""

    image: str  # "图片" / "Image"
    video: str  # the link an embedded player becomes


def _placeholder(alt: str, words: Words) -> str:
    label = html.escape(f"{words.image}: {alt}" if alt else words.image)
    return f'<span class="image-missing" role="img" aria-label="{label}">{label}</span>'


def _local_tag(attributes: Mapping[str, str], copy: LocalImage) -> str:
    width, height = attributes.get("width"), attributes.get("height")
    if not (width and height):  # the author's size, else the copy's own: no layout shift
        width, height = str(copy.width), str(copy.height)
    alt = html.escape(attributes.get("alt", ""))
    return (
        f'<img src="{{static}}/media/{copy.file}" alt="{alt}" width="{width}" height="{height}"'
        ' loading="lazy" decoding="async">'
    )


def localize(content: str, media: Mapping[str, LocalImage], mode: ImagesMode, words: Words) -> str:
    """Return sanitized HTML as a page shows it under `mode`: "remote" as it is; "local" with
    each image pointed at its copy (`{static}/media/…`, which Pelican resolves for each page and
    feed) or, without one, a placeholder holding its alt text; "none" with every image a
    placeholder (one without alt text simply goes). Either way nothing on the page is fetched
    from elsewhere: picture sources and video posters go, an embedded player becomes a link."""
    if mode == "remote":
        return content

    def image(match: re.Match[str]) -> str:
        attributes = _attributes(match.group(1))
        url = chosen_source(attributes)
        copy = media.get(url) if url and mode == "local" else None
        if copy is not None:
            return _local_tag(attributes, copy)
        alt = " ".join(attributes.get("alt", "").split())
        return "" if mode == "none" and not alt else _placeholder(alt, words)

    def frame(match: re.Match[str]) -> str:
        source = _attributes(match.group(1)).get("src", "")
        return (
            f'<p class="embed"><a href="{html.escape(source)}" rel="noopener noreferrer nofollow">'
            f"{html.escape(words.video)}</a></p>"
        )

    content = _IMG.sub(image, content)
    content = _SOURCE_WITH_SRCSET.sub("", content)
    content = _POSTER.sub(r"\1", content)
    return _IFRAME.sub(frame, content)


def first_local(urls: Iterable[str], media: Mapping[str, LocalImage]) -> LocalImage | None:
    """Return the copy of the first of `urls` that has one (what a list item shows)."""
    return next((media[u] for u in urls if u in media), None)
