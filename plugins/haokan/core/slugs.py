"""URL slugs (pure): readable words of a title, and a digest that keeps them unique and stable.

One rule for every name in any script: transliterated to latin letters (冬天的第一锅白粥 →
dong-tian-de-di-yi-guo-bai-zhou), as Pelican makes its category (subscription) slugs, then its
first words. An article's slug also carries a digest of its identity, and is stored with it, so
its URL never changes once made.
"""

from __future__ import annotations

import hashlib
import re

from unidecode import unidecode

_WORDS = re.compile(r"[a-z0-9]+")


def slug(title: str, identity: str, words: int = 8, digest: int = 10, tag: bool = True) -> str:
    """Return up to `words` latin words of `title` and `digest` hex digits of `identity`'s hash,
    joined by hyphens; with `tag` False the digest stands in only when the title has no words."""
    parts = _WORDS.findall(title.lower())[:words]
    if tag or not parts:
        parts.append(hashlib.sha1(identity.encode()).hexdigest()[:digest])
    return "-".join(parts)


def name_slug(name: str, identity: str, words: int = 8) -> str:
    """Return the slug of a name in any script (中文 → zhong-wen); a name with no letters at
    all gets a digest of `identity`."""
    return slug(unidecode(name), identity, words=words, digest=8, tag=False)


def article_slug(feed_url: str, key: str, title: str) -> str:
    """Return a new article's slug: its title's first words, and a digest of its entry."""
    return slug(unidecode(title), f"{feed_url}\x00{key}")


def friend_slug(name: str, feed_url: str) -> str:
    """Return a friend's slug: the first words of their name (林小满 → lin-xiao-man)."""
    return name_slug(name, feed_url, words=4)


def former_friend_slug(name: str, feed_url: str) -> str:
    """Return the slug a friend had before names in other scripts were transliterated (latin
    words only, else a digest): their old page redirects to the new one."""
    return slug(name, feed_url, words=4, digest=8, tag=False)
