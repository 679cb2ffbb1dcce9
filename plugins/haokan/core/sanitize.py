"""Sanitize feed HTML with nh3 and a tight allowlist; nh3 is always the last step."""

from __future__ import annotations

import html
import re
from functools import lru_cache, partial
from urllib.parse import urlsplit

import nh3

from .text import display_width, excerpt, html_to_text, xml_safe
from .urls import LINK_SCHEMES, WEB_SCHEMES, absolute_url

MAX_HTML_CHARS = 1_000_000
# html5ever (inside nh3) is quadratic in nesting depth: 50,000 nested <div> take seconds.
# No real article nests this deep; deeper content is shown as plain text instead.
MAX_DEPTH = 256

TAGS = frozenset(
    "a abbr b bdi bdo blockquote br caption cite code col colgroup dd del details dfn div dl dt "
    "em figcaption figure h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p picture pre q rp rt "
    "ruby s samp small source span strong sub summary sup table tbody td tfoot th thead time tr u "
    "ul var audio video iframe".split()
)
# Tags removed with everything inside them (the rest lose only the tag).
DROPPED_WITH_CONTENT = frozenset(
    "script style template svg math object embed applet noembed noframes frameset".split()
)
ATTRIBUTES: dict[str, set[str]] = {
    "*": {"lang", "dir", "title"},
    "a": {"href", "hreflang"},
    "img": {"src", "srcset", "sizes", "alt", "width", "height"},
    "source": {"src", "srcset", "sizes", "type", "media"},
    "video": {"src", "poster", "controls", "width", "height"},
    "audio": {"src", "controls"},
    "iframe": {"src", "width", "height", "allowfullscreen"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "time": {"datetime"},
}
# Added after nh3 (whose own option emits them in random order, breaking reproducible output).
FORCED_ATTRIBUTES = {
    "img": ' loading="lazy" decoding="async" referrerpolicy="no-referrer"',
    "iframe": ' sandbox="allow-scripts allow-same-origin allow-presentation" loading="lazy"'
    ' referrerpolicy="no-referrer"',
    "video": ' preload="none"',
    "audio": ' preload="none"',
}
LINK_REL = "noopener noreferrer nofollow ugc"
# Embeds allowed in an iframe (forced into a sandbox); every other iframe is removed.
IFRAME_HOSTS = frozenset({"www.youtube-nocookie.com", "player.vimeo.com"})
TRACKER_HOSTS = frozenset({"feeds.feedburner.com", "pixel.wp.com", "stats.wordpress.com"})

_FIRST_IMG = re.compile(r'<img\b[^>]*?\ssrc="([^"]+)"')
_ANY_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*>")
# Void elements, and elements that authors routinely leave unclosed, do not add depth.
_FLAT = frozenset(
    "area base br col embed hr img input link meta source track wbr p li dt dd tr td th option "
    "tbody thead tfoot colgroup".split()
)
# nh3 serializes canonically (double quotes, '<' and '>' escaped in values): tags match safely.
_MEDIA_TAG = re.compile(r"<(img|iframe|video|audio)\b([^>]*)>")
_HAS_SOURCE = re.compile(r'\ssrc(set)?="')
_SIZE = re.compile(r'\s(width|height)="([^"]*)"')
# An iframe whose source was refused. Its content is raw text that cannot hold "</iframe".
_FRAME_WITHOUT_SOURCE = re.compile(r'<iframe\b(?![^>]*\ssrc=")[^>]*>.*?</iframe>', re.DOTALL)
_SRCSET_CANDIDATE = re.compile(r"\s*(\S+)(\s+[\d.]+[wx])?\s*(?:,|$)")


def _srcset(value: str, base: str | None) -> str | None:
    candidates = []
    for match in _SRCSET_CANDIDATE.finditer(value):
        url = absolute_url(match.group(1), base)
        if url is None or "," in url:
            return None  # one bad candidate poisons the whole list
        candidates.append(url + (match.group(2) or ""))
    return ", ".join(candidates) or None


def _attribute(base: str | None, tag: str, attr: str, value: str) -> str | None:
    """Check one attribute: absolutize and vet every URL, keep numbers numeric."""
    if attr == "href":
        return absolute_url(value, base, LINK_SCHEMES)
    if attr in {"src", "poster", "cite"}:
        url = absolute_url(value, base)
        host = urlsplit(url).hostname if url else None
        if tag == "iframe" and host not in IFRAME_HOSTS:
            return None  # the iframe, left without a source, is then removed
        if tag == "img" and host in TRACKER_HOSTS:
            return None  # a tracking pixel: the image, left without a source, is removed
        return url
    if attr == "srcset":
        return _srcset(value, base)
    if attr in {"width", "height"}:
        value = value.strip().removesuffix("px")  # "600px" is common and means 600
    if attr in {"width", "height", "colspan", "rowspan", "span", "start", "value"}:
        return value if value.strip().isdigit() else None
    return value


def too_deep(fragment: str, limit: int = MAX_DEPTH) -> bool:
    """Return True when elements in `fragment` nest deeper than `limit` (a cheap tag count)."""
    depth = 0
    for match in _ANY_TAG.finditer(fragment):
        if match.group(2).lower() in _FLAT or match.group(0).endswith("/>"):
            continue
        depth += -1 if match.group(1) else 1
        if depth > limit:
            return True
    return False


def sanitize_html(fragment: str, base: str | None) -> str:
    """Return `fragment` reduced to safe, absolute-URL HTML (the only HTML we ever mark safe)."""
    base = absolute_url(base) if base else None  # nh3 refuses a base that is not absolute
    fragment = xml_safe(fragment[:MAX_HTML_CHARS])
    if too_deep(fragment):
        return text_to_html(html.unescape(_ANY_TAG.sub(" ", fragment)))
    cleaned = nh3.clean(
        fragment,
        tags=set(TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes=ATTRIBUTES,
        attribute_filter=partial(_attribute, base),
        url_schemes=set(LINK_SCHEMES),
        # nh3 vets relative URLs before our filter sees them: resolve them the same way.
        url_relative=("rewrite_with_base", base) if base else "deny",
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()
    cleaned = _FRAME_WITHOUT_SOURCE.sub("", cleaned)
    return _MEDIA_TAG.sub(_finish_media_tag, cleaned)


def _finish_media_tag(match: re.Match[str]) -> str:
    """Drop an image without a source or a 1×1 one (a tracking pixel); add the attributes every
    media tag must carry."""
    tag, attributes = match.group(1), match.group(2)
    if tag == "img":
        size = dict(_SIZE.findall(attributes))
        pixel = all(size.get(a, "").isdigit() and int(size[a]) <= 1 for a in ("width", "height"))
        if pixel or not _HAS_SOURCE.search(attributes):
            return ""
    return f"<{tag}{attributes}{FORCED_ATTRIBUTES[tag]}>"


NOTE_TAGS = frozenset("a p br em strong b i code blockquote ul ol li del s".split())
NOTE_LIMIT = 600  # display columns: a note is a few sentences, not an article


@lru_cache(maxsize=1 << 12)  # each friend's notes, at every build of one process
def sanitize_note(fragment: str, base: str | None) -> str:
    """Return a short note as safe HTML: text and links only, no images; long ones excerpted."""
    base = absolute_url(base) if base else None
    note = nh3.clean(
        xml_safe(fragment[:MAX_HTML_CHARS]) if not too_deep(fragment) else html.escape(fragment),
        tags=set(NOTE_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={"a": {"href"}},
        attribute_filter=partial(_attribute, base),
        url_schemes=set(LINK_SCHEMES),
        url_relative=("rewrite_with_base", base) if base else "deny",
        link_rel=LINK_REL,
    ).strip()
    text = html_to_text(note)
    if display_width(text) > NOTE_LIMIT:
        return text_to_html(excerpt(text, NOTE_LIMIT))
    return note


def first_image(safe_html: str) -> str | None:
    """Return the first image URL of sanitized HTML (nh3's output always double-quotes)."""
    match = _FIRST_IMG.search(safe_html)
    return html.unescape(match.group(1)) if match else None


def text_to_html(text: str) -> str:
    """Return plain text as escaped HTML paragraphs."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", xml_safe(text)) if p.strip()]
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


__all__ = ["WEB_SCHEMES", "first_image", "sanitize_html", "text_to_html"]
