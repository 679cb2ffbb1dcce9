"""精选 and "More like this" for a build (shell): computed only when what they depend on
changed (new entries, a mark, another day), else taken from the last build's record beside
the store — so a no-change build never touches the similarity index."""

from __future__ import annotations

import gc
import hashlib
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core import choosing
from ..core.build import Build
from ..core.choices import Candidate, Liked, Pick, Related
from ..core.settings import Settings
from ..storage.atomic import write_atomically
from ..storage.stamped import stamped

if TYPE_CHECKING:  # loaded only to choose anew
    from ..core.similarity import Index

log = logging.getLogger(__name__)
VERSION = 1
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


def _related_from(data: dict[str, list[list[str]]]) -> dict[str, tuple[Related, ...]]:
    return {slug: tuple(Related(*item) for item in items) for slug, items in data.items()}  # type: ignore[arg-type]


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
    sets, made together and freed together, with no cycle among them for it to find."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Similarity:
    """The pages' similarity index, made at most once a build and only when needed: read back
    when the pages are those of the last one made (a new mark, another day), else made from
    the pages' texts and kept beside the store (its libraries load only then)."""

    def __init__(self, path: Path, pages: list[Candidate], key: str) -> None:
        self.path, self.pages, self.key = path, pages, key
        self._index: Index | None = None

    def index(self) -> Index:
        if self._index is None:
            from ..core.similarity import Index, tokens

            # bm25s sets its own log to DEBUG when imported, and narrates every index it
            # builds: a build's log is for the owner.
            logging.getLogger("bm25s").setLevel(logging.WARNING)
            self._index = self._read()
            if self._index is None:
                self._index = Index([tokens(c.text) for c in self.pages])
                record = {"version": VERSION, "pages": self.key, "index": self._index.record()}
                write_atomically(self.path, json.dumps(record, ensure_ascii=False).encode())
        return self._index

    def _read(self) -> Index | None:
        key, index = _stored_index(self.path)
        return index if key == self.key else None


@stamped
def _stored_index(path: Path) -> tuple[str | None, Index | None]:
    """Return the pages key and the index kept at `path` (None, None when there is none)."""
    from ..core.similarity import Index

    last = _load(path)
    if not isinstance(last.get("index"), dict):
        return None, None
    try:
        return last.get("pages"), Index.from_record(last["index"])
    except ValueError:
        return None, None  # a record this build cannot read back: make it again


def read_ahead(hk: Settings) -> None:
    """Read the last build's choices and index now, so that a build soon after (the warm
    builder's, site/warm.py) finds them read if they have not changed."""
    if hk.picks:
        _load(record_of(hk))
        _stored_index(index_of(hk))


def _record(
    pages_key: str,
    near: dict[str, tuple[Related, ...]],
    picks_key: str,
    picks: list[Pick],
    liked: list[Liked],
) -> bytes:
    return json.dumps(
        {
            "version": VERSION,
            "pages": pages_key,
            "related": {
                slug: [list(vars(r).values()) for r in items] for slug, items in near.items()
            },
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


def choose_for(build: Build, hk: Settings) -> Build:
    """Return the build with its 精选 and "More like this", reusing the last ones if they hold."""
    if not hk.picks:
        return build
    with _uncollected():
        return _choose_for(build, hk)


def _choose_for(build: Build, hk: Settings) -> Build:
    path = record_of(hk)
    last = _load(path)
    pages = [choosing.candidate(p) for p in build.pages]
    liked = choosing.liked(build)
    day, eligible = choosing.day(build, hk.zone), choosing.eligible(build)
    pages_key = CODE + choosing.pages_key(build)
    picks_key = choosing.picks_key(pages_key, liked, eligible, hk.picks, hk.picks_surprise, day)
    similarity = _Similarity(index_of(hk), pages, pages_key)
    if last.get("pages") == pages_key:
        near = _related_from(last.get("related", {}))
    else:
        from ..core.related import related

        near = related(pages, similarity.index())
    picks = None
    if last.get("picks_key") == picks_key:
        picks = _picks_from(last.get("picks", []), {c.slug: c for c in pages}, liked)
    if picks is None:
        from ..core.picks import choose

        index = similarity.index()
        picks = choose(pages, index, liked, hk.picks, hk.picks_surprise, day, eligible)
    if last.get("pages") != pages_key or last.get("picks_key") != picks_key:
        write_atomically(path, _record(pages_key, near, picks_key, picks, liked))
        log.info("Haokan: 精选 chose %d of %d pages", len(picks), len(pages))
    return choosing.with_choices(build, picks, near)
