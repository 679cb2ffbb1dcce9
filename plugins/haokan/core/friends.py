"""Friends (pure): content/friends.opml, one outline per friend whose 好看 (or link-blog) feed we
read. storage/owner.py reads the file and checks the avatars on disk."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .errors import OpmlError
from .model import is_local
from .opml import feed_url, outlines
from .slugs import friend_slug
from .text import one_line
from .urls import absolute_url

AVATAR_TYPES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp"})
AVATAR_MAX_BYTES = 512 * 1024
MAX_WEIGHT = 10.0


@dataclass(frozen=True)
class Friend:
    """A person whose recommendations we read."""

    name: str
    feed_url: str  # http(s), or a local path for the demo's samples
    slug: str
    site_url: str = ""
    avatar: Path | None = None  # a local image; never a remote one
    weight: float = 1.0

    @property
    def initials(self) -> str:
        """Return one CJK character, or up to two latin initials, for a generated avatar."""
        words = self.name.split()
        if not words:
            return "?"
        if not words[0][0].isascii():
            return words[0][0]
        return "".join(w[0] for w in words[:2]).upper()

    @property
    def color(self) -> int:
        """Return which of eight avatar colours is this friend's (stable across builds)."""
        return int(hashlib.sha1(self.name.encode()).hexdigest(), 16) % 8

    @property
    def avatar_file(self) -> str:
        """Return the avatar's file name in the output, or "" when initials stand in."""
        return f"avatar{self.avatar.suffix.lower()}" if self.avatar else ""

    @property
    def is_local(self) -> bool:
        """Return True when the feed is a local file named by the owner's OPML."""
        return is_local(self.feed_url)


def _slug(name: str, url: str, taken: set[str]) -> str:
    base = friend_slug(name, url)
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _weight(raw: str | None, name: str, source: str) -> float:
    if raw is None:
        return 1.0
    try:
        weight = float(raw)
    except ValueError:
        weight = -1.0
    if not 0 < weight <= MAX_WEIGHT:
        raise OpmlError(
            f"{source}: friend {name!r} has weight={raw!r}; "
            f"use a number above 0 and at most {MAX_WEIGHT:g} (1 is normal)"
        )
    return weight


def _avatar(raw: str | None, name: str, source: Path) -> Path | None:
    if not raw:
        return None
    path = (source.parent / raw).resolve()
    if ":" in raw or path.suffix.lower() not in AVATAR_TYPES:
        raise OpmlError(
            f"{source}: friend {name!r} has avatar={raw!r}; it must be a local "
            f"image file ({', '.join(sorted(AVATAR_TYPES))}), never a web address"
        )
    return path


def parse_friends(data: bytes, path: Path) -> tuple[Friend, ...]:
    """Return the friends listed in `data`, the contents of `path` (avatars are relative to it)."""
    friends: list[Friend] = []
    taken: set[str] = set()
    seen: set[str] = set()
    for attributes, _folder in outlines(data, str(path)):
        url = feed_url(attributes, str(path), allow_paths=True)
        name = one_line(attributes.get("text") or attributes.get("title") or "") or url
        if url in seen:
            raise OpmlError(f"{path}: {url} is listed twice; keep one outline per friend")
        seen.add(url)
        friends.append(
            Friend(
                name=name,
                feed_url=url,
                slug=_slug(name, url, taken),
                site_url=absolute_url(attributes.get("htmlUrl")) or "",
                avatar=_avatar(attributes.get("avatar"), name, path),
                weight=_weight(attributes.get("weight"), name, str(path)),
            )
        )
    return tuple(friends)
