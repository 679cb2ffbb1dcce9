"""The incremental build's record and decisions (pure).

After each build the writer keeps a manifest beside the store: for every page it wrote (a
"call": one article, one list with its pagination, one feed) the digest of what the page was
made of and the files it produced; for every file its size and modification time. Before the
next build `plan` decides whether the list pages and feeds of the last build all still stand
(nothing they show changed and their files are untouched): then only article pages whose own
digest changed are rendered. `reusable` tells whether one page's files may be kept, and
`orphans` which files the last build made and this one did not. site/writer.py does the IO.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

VERSION = 2


class Stamp(NamedTuple):
    """A file as a build left it (a named tuple: a build makes and compares thousands)."""

    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Call:
    """One page (with its pagination) or feed a build produced."""

    digest: str | None  # what it was made of; None: not reusable, rendered every time
    files: tuple[str, ...]  # relative to the output folder
    of_articles: bool  # an article's page, or made from the list of articles


@dataclass(frozen=True)
class Stats:
    """What a build did to the output folder, by file."""

    written: int = 0
    unchanged: int = 0  # rendered again, and the same bytes as on disk
    reused: int = 0  # not rendered: its inputs did not change
    removed: int = 0
    processes: int = 1  # that rendered the pages (site/pool.py)


@dataclass(frozen=True)
class Manifest:
    """The record of the last build into one output folder."""

    site: str = ""  # digest of the inputs every page shares (code, theme, settings)
    lists: str = ""  # digest of what every list page and feed is made of
    articles: Mapping[str, str] = field(default_factory=dict)  # slug → page digest
    calls: Mapping[str, Call] = field(default_factory=dict)
    files: Mapping[str, Stamp] = field(default_factory=dict)
    stats: Stats = Stats()

    def to_json(self) -> dict[str, Any]:
        """Return the manifest as JSON values, every record by name."""
        return {
            "version": VERSION,
            "site": self.site,
            "lists": self.lists,
            "articles": dict(self.articles),
            "calls": {
                name: {"digest": c.digest, "files": list(c.files), "of_articles": c.of_articles}
                for name, c in self.calls.items()
            },
            "files": {n: {"size": s.size, "mtime_ns": s.mtime_ns} for n, s in self.files.items()},
            "stats": vars(self.stats),
        }


def from_json(data: object) -> Manifest:
    """Return the manifest in `data`; an empty one when it is not a manifest of this version."""
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return Manifest()
    try:
        return Manifest(
            site=data["site"],
            lists=data["lists"],
            articles=data["articles"],
            calls={
                name: Call(c["digest"], tuple(c["files"]), c["of_articles"])
                for name, c in data["calls"].items()
            },
            files={name: Stamp(s["size"], s["mtime_ns"]) for name, s in data["files"].items()},
            stats=Stats(**data["stats"]),
        )
    except (KeyError, TypeError, AttributeError):
        return Manifest()


@dataclass(frozen=True)
class Plan:
    """What this build must redo, decided before Pelican renders anything."""

    lists: str
    articles: Mapping[str, str]  # this build's article pages: slug → page digest
    reusable: Mapping[str, str]  # article pages the last build left intact: slug → page digest
    partial: bool  # the last build's list pages and feeds all still stand
    standing: bool = False  # the last build's files all stand as it left them (each looked at)

    def renders(self, slug: str, page_digest: str) -> bool:
        """Return True when this build must render the article page `slug`."""
        return not self.partial or self.reusable.get(slug) != page_digest


def digest(*parts: str) -> str:
    """Return the digest of some texts, in order."""
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()


def plan(
    previous: Manifest,
    site: str,
    pages: Sequence[tuple[str, str, str]],
    untouched: bool,
    standing: bool = False,
) -> Plan:
    """Return the plan of a build of `pages` (slug, list digest, page digest), in order.

    `untouched` says the last build's files are all as it left them, and that its theme is one
    whose pages may be reused; `standing`, the first alone.
    """
    lists = digest(site, *(f"{slug}:{listed}" for slug, listed, _ in pages))
    articles = {slug: page for slug, _, page in pages}
    partial = untouched and previous.site == site and previous.lists == lists
    return Plan(lists, articles, previous.articles if partial else {}, partial, standing)


def intact(files: Mapping[str, Stamp], now: Mapping[str, Stamp | None]) -> bool:
    """Return True when every file is on disk (`now`) as the last build left it."""
    return all(now.get(name) == stamp for name, stamp in files.items())


def reusable(
    call: Call, digest: str | None, recorded: Mapping[str, Stamp], now: Mapping[str, Stamp | None]
) -> bool:
    """Return True when the last build's `call` may stand for a page made of `digest`: the same
    inputs, and each of its files on disk (`now`) as that build recorded it."""
    if digest is None or call.digest != digest:
        return False
    return all(f in recorded and now.get(f) == recorded[f] for f in call.files)


def carried(previous: Manifest, plan: Plan, redone: Iterable[str]) -> dict[str, Call]:
    """Return the article pages a partial build keeps from the last one without seeing them."""
    if not plan.partial:
        return {}
    done = set(redone)
    return {n: c for n, c in previous.calls.items() if n not in done and c.of_articles}


def orphans(previous: Mapping[str, Stamp], current: Iterable[str]) -> list[str]:
    """Return the files the last build produced and this one did not, in order."""
    return sorted(set(previous) - set(current))
