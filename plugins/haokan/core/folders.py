"""Folders (pure): the OPML's nested outlines as places, like a mail client's folders.

A folder inside a folder is shown inside it, and has its own page; a folder's page and feed
hold every subscription in it and in the folders below it. A folder's slug joins its path's
words with hyphens (Tech/Python → tech-python; 中文 → zhong-wen); a slug already taken gets
-2, -3 … in the OPML's order. Subscriptions outside any folder are "unfiled".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .model import Subscription
from .slugs import name_slug


@dataclass(frozen=True)
class Folder:
    """One folder, where its pages are, and the subscriptions directly in it."""

    path: str  # "Tech/Python"
    slug: str
    subscriptions: tuple[Subscription, ...]

    @property
    def name(self) -> str:
        """Return the folder's own name (the last part of its path)."""
        return self.path.rsplit("/", 1)[-1]

    @property
    def depth(self) -> int:
        """Return how deep it is: 0 at the top level."""
        return self.path.count("/")

    @property
    def parent(self) -> str:
        """Return the path of the folder holding it ("" at the top level)."""
        return self.path.rsplit("/", 1)[0] if "/" in self.path else ""

    @property
    def url(self) -> str:
        """Return its page, relative to the site's root."""
        return f"folders/{self.slug}/"

    @property
    def feed(self) -> str:
        """Return its Atom feed, relative to the site's root."""
        return f"feeds/folders/{self.slug}.atom.xml"

    def holds(self, path: str) -> bool:
        """Return True when a subscription in folder `path` is in this one or below it."""
        return path == self.path or path.startswith(self.path + "/")


def _with_parents(paths: Sequence[str]) -> list[str]:
    """Return every folder path, each after the folders holding it, first seen first."""
    ordered: dict[str, None] = {}
    for path in paths:
        parts = path.split("/")
        for depth in range(1, len(parts) + 1):
            ordered.setdefault("/".join(parts[:depth]))
    return list(ordered)


def folders(subscriptions: Sequence[Subscription], paths: Sequence[str] = ()) -> tuple[Folder, ...]:
    """Return the folders, in the OPML's order: those subscriptions are in, and the `paths`
    the OPML holds without a subscription (empty folders)."""
    every = _with_parents([*paths, *(s.folder for s in subscriptions if s.folder)])
    taken: set[str] = set()
    made = []
    for path in every:
        base = name_slug(path.replace("/", " "), path)
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        inside = tuple(s for s in subscriptions if s.folder == path)
        made.append(Folder(path, slug, inside))
    return tuple(made)


def unfiled(subscriptions: Sequence[Subscription]) -> tuple[Subscription, ...]:
    """Return the subscriptions outside any folder."""
    return tuple(s for s in subscriptions if not s.folder)


def folder_of(all_folders: Sequence[Folder], path: str) -> Folder | None:
    """Return the folder at `path`, or None (unfiled)."""
    return next((f for f in all_folders if f.path == path), None) if path else None
