"""Read a build's inputs (shell): the owner's files and the store, once, into a frozen World."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

from ..core.build import World
from ..core.images import LocalImage
from ..core.marks import Mark
from ..core.settings import Settings
from ..storage import owner
from ..storage.store import Store

log = logging.getLogger(__name__)
_held: dict[Path, World] = {}  # by store: a world read ahead, for the next build to take


def read_world(hk: Settings) -> World:
    """Return subscriptions, friends, marks and what the store holds of them (what the warm
    builder read ahead, if it holds it for this store: only the marks are read now)."""
    marks = owner.read_marks(hk.marks_dir, hk.zone)
    ahead = _held.pop(hk.store, None) or read_ahead(hk, former=bool(marks))
    return with_marks(ahead, marks)


def with_marks(ahead: World, marks: tuple[Mark, ...]) -> World:
    """Return the world read ahead with the marks: the former subscriptions' entries are kept
    only when there are marks (a mark may point at one)."""
    return dataclasses.replace(ahead, marks=marks, former=ahead.former if marks else ())


def hold(hk: Settings, ahead: World) -> None:
    """Have the next build of this store take `ahead` (read by `read_ahead`, its inputs checked
    unchanged since: site/warm.py) instead of reading it again."""
    _held[hk.store] = ahead


def read_ahead(hk: Settings, former: bool = True) -> World:
    """Return everything a build reads but the marks; with `former`, the entries of former
    subscriptions too, which only a build with marks keeps (read ahead, the marks are not
    known yet)."""
    subscriptions = owner.read_subscriptions(hk.subscriptions)
    friends = owner.read_friends(hk.friends)
    folders = owner.read_folders(hk.subscriptions)
    if not hk.store.exists():
        log.warning("No store at %s yet: run `invoke fetch` first", hk.store)
        return World(subscriptions, friends, (), (), (), {}, None, folders)
    urls = [s.url for s in subscriptions]
    with Store(hk.store) as store:
        return World(
            subscriptions,
            friends,
            (),
            tuple(store.entries(urls, content=False)),
            tuple(store.entries([f.feed_url for f in friends])),
            store.feed_statuses(),
            store.last_fetch(),
            folders,
            tuple(store.former_entries(urls)) if former else (),
            _on_disk(store.kept_images(), hk.media) if hk.images == "local" else {},
        )


def _on_disk(kept: dict[str, LocalImage], folder: Path) -> dict[str, LocalImage]:
    """Return the kept images whose copies are still there (a cleared cache is no copy)."""
    present = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
    return {url: c for url, c in kept.items() if c.file in present and c.thumb in present}
