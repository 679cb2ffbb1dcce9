"""URL slugs (pure): readable words of a title, and a digest that keeps them unique and stable."""

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


def name_slug(name: str, identity: str) -> str:
    """Return the slug of a name in any script, transliterated (中文 → zhong-wen) as Pelican
    makes its category slugs; a name with no letters at all gets a digest of `identity`."""
    return slug(unidecode(name), identity, words=8, digest=8, tag=False)
