"""What the incremental build keys on (shell): the inputs every page shares, the theme's
declaration of what its templates read, and where the last build's manifest is kept."""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, tzinfo
from pathlib import Path
from typing import Any

from ..core import manifest
from ..core.build import ArticlePage
from ..core.manifest import Manifest, Stamp
from ..core.settings import Settings
from ..storage.atomic import write_atomically
from ..storage.stamped import stamped
from ..storage.store import committed_files

PACKAGE = Path(__file__).resolve().parent.parent  # Haokan's code: a change re-renders everything
THEME_CONTRACT = "haokan-theme.json"
# Settings no page depends on: this build's own objects (HAOKAN), and how many processes
# render the pages (no byte changes with it).
UNHASHED = frozenset({"HAOKAN", "HAOKAN_BUILD_WORKERS"})
# Keyword values Pelican passes that our templates never read.
IGNORED_VALUES = frozenset({"all_articles", "blog"})


def theme_contract(theme: Path) -> Mapping[str, tuple[str, ...]]:
    """Return the templates whose pages may be reused, each with the context names it reads
    beyond the site-wide inputs, as the theme declares them; none for any other theme."""
    try:
        data = json.loads((theme / THEME_CONTRACT).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("theme") != "haokan":
        return {}
    reusable = data.get("reusable")
    if not isinstance(reusable, dict):
        return {}
    return {str(name): tuple(map(str, reads)) for name, reads in reusable.items()}


def _setting_text(value: Any) -> str:
    """Return a stable text for a setting's value (functions by their code, not their id)."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{k!r}:{_setting_text(v)}" for k, v in sorted(value.items())) + "}"
    if isinstance(value, list | tuple | set | frozenset):
        items = [_setting_text(v) for v in value]
        return "[" + ",".join(sorted(items) if isinstance(value, set | frozenset) else items) + "]"
    code = getattr(value, "__code__", None)
    if code is not None:
        return f"{value.__module__}.{value.__qualname__}:{code.co_code.hex()}{code.co_consts!r}"
    if isinstance(value, type) or callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value))}"
    default_repr: object = object.__repr__
    if type(value).__repr__ is default_repr:  # "<… at 0x…>" differs every run
        return f"{type(value).__qualname__}{_setting_text(getattr(value, '__dict__', {}))}"
    return repr(value)


@stamped
def _sha1(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


def _tree(folder: Path, pattern: str) -> Iterable[str]:
    """Yield each file's path and digest (a file is read again only when it changed: a build
    asks for the code's and the theme's several times)."""
    for path in sorted(folder.rglob(pattern)):
        if path.is_file() and "__pycache__" not in path.parts:
            yield f"{path.relative_to(folder)}:{_sha1(path)}"


def _version(package: str) -> str:
    """Return an installed package's version, without importing it (the nothing-changed
    check runs before Pelican is imported)."""
    return importlib.metadata.version(package)


@functools.cache
def code() -> tuple[str, ...]:
    """Return what the code that builds is (Haokan's files, Pelican's, Jinja's and Python's
    versions), read once a process: a build asks two or three times, and the local reader's
    build process asks before the 好看 button is pressed (site/warm.py)."""
    return (
        f"manifest {manifest.VERSION}",
        f"python {sys.version}",
        f"pelican {_version('pelican')}",
        f"jinja2 {_version('jinja2')}",
        *_tree(PACKAGE, "*.py"),
    )


def site_digest(settings: Mapping[str, Any]) -> str:
    """Return the digest of everything every page depends on."""
    return manifest.digest(
        *code(),
        *_tree(Path(settings["THEME"]), "*"),
        *(f"{k}={_setting_text(v)}" for k, v in sorted(settings.items()) if k not in UNHASHED),
    )


def settings_key(hk: Settings, output: str | Path) -> str:
    """Return the digest of what a build's Pelican settings are made of, read without Pelican:
    the values the settings file defines, where it is, the output folder, and the code (Haokan's,
    Pelican's and Jinja's versions, Python's). The same key, the same Pelican settings."""
    return manifest.digest(
        *code(),
        f"settings {hk.source}",
        f"output {os.path.realpath(output)}",
        *(f"{k}={_setting_text(v)}" for k, v in sorted(hk.pelican.items()) if k not in UNHASHED),
    )


@dataclass(frozen=True)
class Inputs:
    """Where a build reads what its pages are made of, as its Pelican settings say: the theme,
    the content folder, and the folders Pelican copies static files into in the output."""

    theme: str
    content: str
    copied: tuple[str, ...]


def inputs_of(settings: Mapping[str, Any]) -> Inputs:
    """Return where the build with these Pelican settings reads its inputs."""
    output = Path(settings["OUTPUT_PATH"])
    copied = [output / settings["THEME_STATIC_DIR"]]
    copied += [output / str(path) for path in settings.get("STATIC_PATHS", ())]
    return Inputs(str(settings["THEME"]), str(settings["PATH"]), tuple(map(str, copied)))


def inputs_digest(hk: Settings, key: str, where: Inputs) -> tuple[str, str]:
    """Return the digests of everything a build reads, by how each file stands (size, time):
    its sources (its settings' `key`, the theme, the content folder, the marks, the OPML files,
    the store and the kept images), and the static files Pelican copied into the output (a
    deleted one is copied again).

    A build whose inputs have these digests, into an output the last build left intact, has
    nothing to do (run.py): its pages are a function of these inputs alone (no clock: a build
    is as of its last fetch)."""
    sources = {hk.subscriptions, hk.friends, hk.media}
    sources.update(files_under(Path(where.content), hk.marks_dir))
    copies = files_under(*map(Path, where.copied))
    return (
        manifest.digest(
            key,
            *_tree(Path(where.theme), "*"),
            *(f"{p}={stamp(str(p))}" for p in sorted(sources)),
            *(f"{p}={found}" for p, found in store_stamps(hk.store)),
        ),
        manifest.digest(*(f"{p}={stamp(str(p))}" for p in sorted(copies))),
    )


def files_under(*folders: Path) -> set[Path]:
    """Return every file in these folders and their subfolders (a missing folder has none)."""
    return {p for folder in folders if folder.is_dir() for p in folder.rglob("*") if p.is_file()}


def manifest_path(store: Path, output: str | Path) -> Path:
    """Return where the manifest of the build into `output` lives (beside the store)."""
    return store.parent / f"build-{manifest.digest(os.path.realpath(output))[:12]}.json"


def manifest_of(settings: Mapping[str, Any]) -> Path:
    """Return the manifest path of the build these Pelican settings make."""
    hk: Settings = settings["HAOKAN"]
    return manifest_path(hk.store, settings["OUTPUT_PATH"])


@stamped
def load_manifest(path: Path) -> Manifest:
    """Return the manifest at `path`; an empty one when there is none we can read (read once
    while the file stands: a build asks three times)."""
    try:
        return manifest.from_json(json.loads(path.read_text("utf-8")))
    except (OSError, ValueError):
        return Manifest()


def stamp(path: str) -> Stamp | None:
    """Return how a file stands on disk now, or None when it is not there."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return Stamp(status.st_size, status.st_mtime_ns)


def store_stamps(store: Path) -> list[tuple[Path, Stamp | None]]:
    """Return how the store's committed state stands: its file and its write-ahead log, an
    empty log stamped as none. Mere reading creates an empty log and the last reader to close
    deletes it, committing nothing either way; a build or a warm builder that read the store
    while another process (a build, the owner's sqlite3) had it open must not see a change
    when that process closes."""
    database, log = committed_files(store)
    written = stamp(str(log))
    return [(database, stamp(str(database))), (log, written if written and written.size else None)]


def stamps_in(folder: str | Path, names: Iterable[str]) -> dict[str, Stamp | None]:
    """Return how each of `names` (paths relative to `folder`) stands on disk now: `stamp` of
    each, asked relative to the folder (a site's thousands of files, without joining paths)."""
    try:
        where = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return dict.fromkeys(names)
    found: dict[str, Stamp | None] = {}
    try:
        for name in names:
            try:
                status = os.stat(name, dir_fd=where)
            except OSError:
                found[name] = None
            else:
                found[name] = Stamp(status.st_size, status.st_mtime_ns)
    finally:
        os.close(where)
    return found


# By output folder: how the last build's files stood when the warm builder read ahead, with
# the manifest they were held to and how the folder itself stood (site/warm.py).
_looked: dict[str, tuple[Manifest, Stamp | None, dict[str, Stamp | None]]] = {}


def look_ahead(output: str | Path, previous: Manifest) -> None:
    """Look now at how the files of the last build into `output` stand, for the next build to
    take instead of looking again (the warm builder, before the press: site/warm.py)."""
    folder = os.path.realpath(output)
    _looked[folder] = (previous, stamp(folder), stamps_in(folder, previous.files))


def standing_files(output: str | Path, previous: Manifest) -> dict[str, Stamp | None]:
    """Return how the files of the last build into `output` stand: as looked at ahead, if that
    was against the same manifest and the folder stands as it did (nothing built into it
    since, not deleted), else looked at now. Only a file changed by hand between the two goes
    unseen, until the next build looks (the warm builder starts its next process only once
    the last build is done)."""
    folder = os.path.realpath(output)
    looked = _looked.pop(folder, None)
    if looked is not None and looked[0] is previous and looked[1] == stamp(folder):
        return looked[2]
    return stamps_in(folder, previous.files)


def forget_pages(settings: Mapping[str, Any]) -> None:
    """Make the next build render every page again (it still removes what is gone: the last
    build's files are kept in the manifest, unless none of them is left to remove, as in a
    clean build into an emptied folder, where reading them took 0.1 s of the build)."""
    path = manifest_of(settings)
    if _empty(settings["OUTPUT_PATH"]):
        path.unlink(missing_ok=True)
        return
    previous = load_manifest(path)
    if previous.files:
        record = Manifest(files=previous.files)
        write_atomically(path, json.dumps(record.to_json(), separators=(",", ":")).encode())


def _empty(folder: str) -> bool:
    """Return True when `folder` holds nothing (or is not there)."""
    try:
        with os.scandir(folder) as entries:
            return next(entries, None) is None
    except OSError:
        return not os.path.exists(folder)


class _Unknown(Exception):
    """A value we cannot fingerprint: the page is rendered."""


class Fingerprints:
    """Digests of what a template is given: a page whose digest is unchanged may be reused.

    An article stands for itself by its `ArticlePage` digests (its list items by one, its own
    page by the other); lists are memoized, since a build hands the same list to many pages.
    """

    def __init__(self) -> None:
        from pelican.urlwrappers import URLWrapper  # imported by then: this is a build's

        self._memo: dict[int, tuple[object, str]] = {}  # holds the value: its id stays unique
        self._wrapper = URLWrapper

    def of(self, value: Any, page: bool = False) -> str:
        """Return the fingerprint of one value; raise _Unknown for one we cannot vouch for."""
        built = getattr(value, "haokan", None)
        if isinstance(built, ArticlePage):
            return built.page_digest if page else built.list_digest
        if isinstance(value, self._wrapper):
            return f"{type(value).__name__}:{value.name}:{value.slug}"
        if isinstance(value, list | tuple | dict):
            known = self._memo.get(id(value))
            if known is None:
                if isinstance(value, dict):  # in its order, the order a template shows it in
                    parts = [f"{k!r}={self.of(v)}" for k, v in value.items()]
                else:
                    parts = list(map(self.of, value))
                known = self._memo[id(value)] = (value, manifest.digest(*parts))
            return known[1]
        if value is None or isinstance(value, str | int | float | bool | date | tzinfo):
            return repr(value)  # a moment or a zone: its repr is what it is (ZoneInfo: its key)
        params = getattr(type(value), "__dataclass_params__", None)
        if params is not None and params.frozen:  # a value of ours: its repr is what it holds
            # Remembered too: a social item is on its page of 朋友在看 and on each of its
            # friends' pages, and its repr (the notes, the excerpt) is long.
            known = self._memo.get(id(value))
            if known is None:
                known = self._memo[id(value)] = (value, repr(value))
            return known[1]
        raise _Unknown(type(value).__name__)

    def page(self, head: list[str], values: dict[str, Any]) -> str | None:
        """Return the digest of a page: `head` and the values its template reads; None when
        one of them cannot be fingerprinted (the page is then rendered every time)."""
        try:
            parts = [
                f"{key}={self.of(values[key], page=key == 'article')}"
                for key in sorted(values)
                if key not in IGNORED_VALUES
            ]
        except _Unknown:
            return None
        return manifest.digest(*head, *parts)
