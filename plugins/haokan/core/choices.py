"""What 精选 and "More like this" choose among and what they give (pure data, nothing heavy
imported: a build that reuses the last choices reads them back without the similarity code)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["similar", "surprise"]


@dataclass(frozen=True)
class Candidate:
    """An article that could be picked: one with a page, that nobody recommended."""

    slug: str
    url: str  # our page
    link: str  # the original
    title: str
    excerpt: str
    source: str  # the subscription's name
    feed: str  # the subscription's URL
    folder: str

    @property
    def text(self) -> str:
        """Return what it is compared on: its title and excerpt."""
        return f"{self.title} {self.excerpt}"


@dataclass(frozen=True)
class Liked:
    """An article the owner or a friend marked, and how much it counts."""

    title: str
    text: str
    weight: float
    by: str  # the friend's name; "" for the owner


@dataclass(frozen=True)
class Pick:
    """One 精选 item, and why it was chosen."""

    candidate: Candidate
    kind: Kind
    because: Liked | None = None  # the marked article it is most like (similar picks)


@dataclass(frozen=True)
class Related:
    """One item of an article page's "More like this"."""

    title: str
    url: str  # our page
    source: str
    kind: Kind

    @classmethod
    def of(cls, page: Candidate, kind: Kind) -> Related:
        """Return the item that shows `page`."""
        return cls(page.title, page.url, page.source, kind)
