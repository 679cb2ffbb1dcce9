"""精选 and "More like this" for a build (shell): computed only when what they depend on
changed (new entries, a mark, another day), else taken from the last build's records beside
the store — so a no-change build never touches the similarity index.

Two records: similarity.json holds what depends on the pages alone (the index and every
page's "More like this"), picks.json the 精选 chosen from them (which a mark changes)."""

from __future__ import annotations

import gc
import hashlib
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core import choosing
from ..core.build import Build
from ..core.choices import Candidate, Kind, Liked, Pick, Related
from ..core.settings import Settings
from ..storage.atomic import write_atomically
from ..storage.stamped import stamped
from .pool import FORK_FROM, Ahead

if TYPE_CHECKING:  # loaded only to choose anew
    from ..core.similarity import Index

log = logging.getLogger(__name__)
VERSION = 2  # 2: the pages' lists moved from picks.json to similarity.json
# The choosing code itself: a change to it chooses again, whatever the inputs.
CODE = hashlib.sha1(
    b"".join(
        (Path(__file__).parent.parent / "core" / f"{name}.py").read_bytes()
        for name in ("choices", "picks", "related", "similarity", "choosing")
    )
).hexdigest()


def record_of(hk: Settings) -> Path:
    """Return where the last build's choices are kept: beside the store."""
    return hk.store.parent / "picks.json"


def index_of(hk: Settings) -> Path:
    """Return where the similarity index of the last build's pages is kept."""
    return hk.store.parent / "similarity.json"


def forget_choices(hk: Settings) -> None:
    """Make the next build choose again, from the texts (a clean build reuses nothing)."""
    record_of(hk).unlink(missing_ok=True)
    index_of(hk).unlink(missing_ok=True)


@stamped
def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("version") == VERSION else {}


def _picks_from(
    data: list[dict[str, Any]], pages: dict[str, Candidate], liked: list[Liked]
) -> list[Pick] | None:
    try:
        return [
            Pick(
                pages[p["slug"]],
                p["kind"],
                liked[p["because"]] if p["because"] is not None else None,
            )
            for p in data
        ]
    except (KeyError, IndexError, TypeError):
        return None  # a record this build cannot read back: choose again


@contextmanager
def _uncollected() -> Iterator[None]:
    """Hold the cycle collector off while choosing: the index is a great many small lists and
    sets, made together and freed together, with no cycle among them for it to find. After,
    what is alive is set aside from its later passes (gc.freeze), or the first of them would
    look through all of it at once; it is still freed when nothing refers to it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


class _Kept:
    """What was made of the last build's pages, as kept beside the store: their key, each
    page's "More like this", and the similarity index (made again from its record only when
    asked for: only choosing 精选 anew needs it)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.pages: str | None = data.get("pages")
        self._record = data.get("index")
        self._index: Index | None = None
        try:
            self.related = {
                slug: tuple(Related(*item) for item in items)
                for slug, items in data["related"].items()
            }
        except (KeyError, AttributeError, TypeError):
            self.pages, self.related = None, {}  # a record this build cannot read: make it

    @property
    def read(self) -> bool:
        """Return True once the index was made again from its record (in this process)."""
        return self._index is not None

    def index(self) -> Index | None:
        if self._index is None and isinstance(self._record, dict):
            from ..core.similarity import Index

            try:
                self._index = Index.from_record(self._record)
            except ValueError:
                self._record = None  # a record this build cannot read back: make it again
        return self._index


@stamped
def _kept(path: Path) -> _Kept:
    """Return what the last build kept of its pages at `path` (nothing, when there is none)."""
    return _Kept(_load(path))


def read_ahead(hk: Settings) -> None:
    """Read the last build's choices and index now, so that a build soon after (the warm
    builder's, site/warm.py) finds them read if they have not changed."""
    if hk.picks:
        _load(record_of(hk))
        kept = _kept(index_of(hk))
        kept.index()


def _index_record(pages_key: str, index: Index, near: dict[str, tuple[Related, ...]]) -> bytes:
    return json.dumps(
        {
            "version": VERSION,
            "pages": pages_key,
            "index": index.record(),
            "related": {
                slug: [list(vars(r).values()) for r in items] for slug, items in near.items()
            },
        },
        ensure_ascii=False,
    ).encode()


def _picks_record(picks_key: str, picks: list[Pick], liked: list[Liked]) -> bytes:
    return json.dumps(
        {
            "version": VERSION,
            "picks_key": picks_key,
            "picks": [
                {
                    "slug": p.candidate.slug,
                    "kind": p.kind,
                    "because": liked.index(p.because) if p.because is not None else None,
                }
                for p in picks
            ],
        },
        ensure_ascii=False,
    ).encode()


def choose_for(build: Build, hk: Settings, rehearsal: bool = False) -> Build:
    """Return the build with its 精选 and "More like this", reusing the last ones if they hold;
    what was made anew is kept beside the store. A `rehearsal` (the warm builder's, before the
    press: site/warm.py) chooses 精选 whether or not the last one holds, and writes nothing."""
    return Choosing(build, hk, rehearsal).result()


class Choosing:
    """精选 and "More like this" for a build, being chosen.

    Made anew from many pages (after a fetch, or in a clean build: 0.7 s at 5,000 pages,
    most of the build's work before its pages are rendered), they are chosen in a process of
    their own when there is another core, forked here with the build's pages, while the build
    goes on with what does not depend on them (`apart` is then True): site/plugin.py makes
    the pages' Articles meanwhile and, when nothing of the last build can be reused, hands
    them to Pelican, whose pages that show neither list are rendered meanwhile too
    (site/generator.py). When the pages are the last build's but the 精选 is not (a mark)
    and the index is still to be read back (0.35 s at 5,000 pages with the choice; the warm
    builder has read it before the press, which then chooses in 70 ms and does not fork), only
    the 精选 is chosen there: the pages' lists are the kept ones, known at once (`pages`),
    and the build plans and queues its pages meanwhile. Otherwise they are chosen here, at
    once. The choice is the same either way (tests/test_picks_site.py)."""

    def __init__(
        self,
        build: Build,
        hk: Settings,
        rehearsal: bool = False,
        workers: int = 1,
        fork_from: int = FORK_FROM,
    ) -> None:
        self.build, self.hk = build, hk
        self._done: Build | None = build if not hk.picks else None
        self._apart: Ahead[_Packed | _Chosen] | None = None
        self._picks_only: Ahead[_Picked] | None = None
        if self._done is not None:
            return
        with _uncollected():
            self._task = task = _Task.of(build, hk, rehearsal)
            many = workers > 1 and len(build.pages) >= fork_from and not rehearsal
            if many and task.kept.pages != task.pages_key:
                self._apart = Ahead(task.packed)
            elif many and task.last is None and not task.kept.read:
                self._picks_only = Ahead(task.picked)
            else:
                self._done = self._finish(task.chosen())

    @property
    def pages(self) -> Build | None:
        """Return the build with each page's "More like this" once it is known, and before
        the 精选 is (its pages, and their digests, are then as `result` returns them)."""
        if self._done is not None:
            return self._done
        if self._picks_only is not None:
            return choosing.with_choices(self.build, (), self._task.kept.related)
        return None

    @property
    def apart(self) -> bool:
        """Return True while 精选 is being chosen in a process of its own (until `result`)."""
        return (self._apart or self._picks_only) is not None and self._done is None

    def busy(self) -> bool:
        """Return True while that process is still choosing."""
        ahead = self._apart or self._picks_only
        return ahead is not None and self._done is None and not ahead.done()

    def result(self) -> Build:
        """Return the build with its 精选 and "More like this" (once chosen, if apart)."""
        if self._done is None:
            task = self._task
            if self._picks_only is not None:
                chosen = _Chosen(task.unpicked(self._picks_only.result()), task.kept.related, True)
            else:
                assert self._apart is not None
                chosen = task.unpacked(self._apart.result())
            with _uncollected():
                self._done = self._finish(chosen)
        return self._done

    def _finish(self, chosen: _Chosen) -> Build:
        task = self._task
        if chosen.anew and task.keep:
            record = _picks_record(task.picks_key, chosen.picks, task.liked)
            write_atomically(record_of(self.hk), record)
            log.info("Haokan: 精选 chose %d of %d pages", len(chosen.picks), len(task.pages))
        return choosing.with_choices(self.build, chosen.picks, chosen.near)


@dataclass(frozen=True)
class _Chosen:
    """What choosing found: the 精选, each page's "More like this", and whether the 精选 was
    chosen anew (rather than read back from the last build's record)."""

    picks: list[Pick]
    near: dict[str, tuple[Related, ...]]
    anew: bool


@dataclass(frozen=True)
class _Task:
    """What choosing for a build starts from: its pages as candidates, what was marked, the
    keys that tell whether the last choice holds, and what the last build kept."""

    hk: Settings
    pages: list[Candidate]
    liked: list[Liked]
    day: str
    eligible: list[bool]
    pages_key: str
    picks_key: str
    kept: _Kept
    last: list[Pick] | None  # the last build's 精选, when it still holds
    keep: bool  # whether what is made is kept beside the store (not in a rehearsal)

    @classmethod
    def of(cls, build: Build, hk: Settings, rehearsal: bool) -> _Task:
        pages = [choosing.candidate(p) for p in build.pages]
        liked = choosing.liked(build)
        day, eligible = choosing.day(build, hk.zone), choosing.eligible(build)
        pages_key = CODE + choosing.pages_key(build)
        picks_key = choosing.picks_key(pages_key, liked, eligible, hk.picks, hk.picks_surprise, day)
        last_record = _load(record_of(hk))
        last = None
        if last_record.get("picks_key") == picks_key and not rehearsal:
            last = _picks_from(last_record.get("picks", []), {c.slug: c for c in pages}, liked)
        kept = _kept(index_of(hk))
        return cls(hk, pages, liked, day, eligible, pages_key, picks_key, kept, last, not rehearsal)

    def chosen(self) -> _Chosen:
        """Make what does not hold any more: the index and the pages' lists (kept beside the
        store), then the 精选 (whose record the build writes: `Choosing._finish`)."""
        hk, pages, key = self.hk, self.pages, self.pages_key
        with _uncollected():
            made = _made(hk, pages, key, self.keep) if self.kept.pages != key else None
            near = made[1] if made else self.kept.related
            if self.last is not None:
                return _Chosen(self.last, near, anew=False)
            from ..core.picks import choose

            index = made[0] if made else self.kept.index()
            if index is None:  # the kept index cannot be read back: make it, and its lists, again
                index, near = _made(hk, pages, key, self.keep)
            n, surprise = hk.picks, hk.picks_surprise
            picks = choose(pages, index, self.liked, n, surprise, self.day, self.eligible)
            return _Chosen(picks, near, anew=True)

    def packed(self) -> _Packed | _Chosen:
        """`chosen`, to be sent back from another process: its pages by their positions among
        this task's (at 5,000 pages, 114 KB pickled instead of 1.2 MB of "More like this",
        and the build's peak RSS 6 MB less); as it is, if anything in it is not one of them."""
        chosen, pages = self.chosen(), self.pages
        at = {page.url: position for position, page in enumerate(pages)}
        try:
            if list(chosen.near) != [page.slug for page in pages]:
                return chosen
            near = [tuple((at[r.url], r.kind) for r in items) for items in chosen.near.values()]
            picks = [
                (
                    at[p.candidate.url],
                    p.kind,
                    None if p.because is None else self.liked.index(p.because),
                )
                for p in chosen.picks
            ]
        except (KeyError, ValueError):
            return chosen
        packed = _Packed(picks, near, chosen.anew)
        return packed if self.unpacked(packed) == chosen else chosen

    def picked(self) -> _Picked:
        """The 精选 of `chosen`, by positions among this task's pages and marked articles, to
        be sent back from another process when the pages' lists are the kept ones (were the
        kept index unreadable, `chosen` makes it again, and the same lists: the same pages)."""
        at = {page.url: position for position, page in enumerate(self.pages)}
        return [
            (
                at[p.candidate.url],
                p.kind,
                None if p.because is None else self.liked.index(p.because),
            )
            for p in self.chosen().picks
        ]

    def unpicked(self, picked: _Picked) -> list[Pick]:
        """Return the 精选 that `picked` holds by positions."""
        pages, liked = self.pages, self.liked
        return [
            Pick(pages[position], kind, None if because is None else liked[because])
            for position, kind, because in picked
        ]

    def unpacked(self, packed: _Packed | _Chosen) -> _Chosen:
        """Return what `packed` made of what choosing found."""
        if isinstance(packed, _Chosen):
            return packed
        pages = self.pages
        shown: dict[tuple[int, Kind], Related] = {}  # each page's item of each kind, made once

        def item(position: int, kind: Kind) -> Related:
            found = shown.get((position, kind))
            if found is None:
                found = shown[position, kind] = Related.of(pages[position], kind)
            return found

        picks = self.unpicked(packed.picks)
        near = {
            page.slug: tuple(item(*shown_at) for shown_at in items)
            for page, items in zip(pages, packed.near, strict=True)
        }
        return _Chosen(picks, near, packed.anew)


# The 精选 by positions: (page, kind, marked article or None).
_Picked = list[tuple[int, Kind, int | None]]


@dataclass(frozen=True)
class _Packed:
    """What choosing found, by positions among the task's pages and marked articles: the 精选
    as (page, kind, marked article or None), and each page's "More like this" as (page, kind)
    items, in the pages' order."""

    picks: list[tuple[int, Kind, int | None]]
    near: list[tuple[tuple[int, Kind], ...]]
    anew: bool


def _made(
    hk: Settings, pages: list[Candidate], pages_key: str, keep: bool
) -> tuple[Index, dict[str, tuple[Related, ...]]]:
    """Return the similarity index of `pages` and each page's "More like this", made from
    the texts (and, with `keep`, kept beside the store)."""
    from ..core.related import related
    from ..core.similarity import Index, tokens

    index = Index([tokens(c.text) for c in pages])
    near = related(pages, index)
    if keep:
        write_atomically(index_of(hk), _index_record(pages_key, index, near))
    return index, near
