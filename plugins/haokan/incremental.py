"""Incremental builds (shell): render a page only when its inputs changed, write a file only
when its bytes changed, and remove what the build no longer produces.

Pelican renders and writes every page on every build. Haokan's writer keeps a manifest beside
the store: for every page it wrote, a digest of what the page was made from and the files it
produced (size and modification time). On the next build a page whose digest is unchanged, and
whose files are still as written, is not rendered again. Every file that is rendered is compared
with the one on disk and written only if its bytes differ, so unchanged files keep their times
and a sync to a host moves only what changed. Files an earlier build produced and this one did
not (a removed subscription, an entry that left the window) are deleted. The result is
byte-for-byte the output of a clean build (tests/test_incremental.py).

A page's digest covers the site-wide inputs (Haokan's code, the theme, the settings) and what
its template reads beyond them: the keyword values Pelican passes for that page (an article, a
category, a list of articles) plus the context names listed in REUSABLE. An article's own
digests (glue.py) cover its entry and, on its page, who recommended it and how they are shown.
Only the templates in REUSABLE are ever reused, and only with Haokan's own theme; everything
else is rendered each time and written only when it changed.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import jinja2
import pelican
from pelican.urlwrappers import URLWrapper
from pelican.writers import FileOverwriteFailedError, Writer

MANIFEST_VERSION = 1
PLUGIN_DIR = Path(__file__).resolve().parent
HAOKAN_THEME = PLUGIN_DIR.parent.parent / "theme"
# Templates whose pages may be reused, and what each reads from the shared context beyond the
# site-wide inputs. Keep in step with theme/templates/ (tests/test_incremental.py checks).
REUSABLE: dict[str, tuple[str, ...]] = {
    "article.html": (),
    "category.html": (),
    "index.html": ("categories",),
    "archive.html": (),
}
# Keyword values Pelican passes that our templates never read.
IGNORED_VALUES = frozenset({"all_articles", "blog"})
# Pages made from the list of articles; with the feeds, they stand while that list does.
LIST_TEMPLATES = frozenset({"category.html", "index.html"})


@dataclass(frozen=True)
class Plan:
    """What this build must redo, decided before Pelican renders anything."""

    lists: str  # digest of what every list page and feed is made of
    articles: dict[str, str]  # this build's article pages: slug → page digest
    reusable: dict[str, str]  # article pages the last build left intact: slug → page digest
    partial: bool  # the last build's list pages and feeds all still stand


def plan(settings: dict[str, Any], articles: list[tuple[str, tuple[str, str]]]) -> Plan:
    """Return the plan for a build of `articles` (slug, (list digest, page digest)), in order."""
    site = site_digest(settings)
    lists = _sha(site, *(f"{slug}:{listed}" for slug, (listed, _) in articles))
    pages = {slug: page for slug, (_, page) in articles}
    previous = _load(manifest_path(settings))
    partial = (
        Path(settings["THEME"]).resolve() == HAOKAN_THEME
        and previous.get("site") == site
        and previous.get("lists") == lists
        and _intact(previous.get("files", {}), settings["OUTPUT_PATH"])
    )
    return Plan(lists, pages, previous.get("articles", {}) if partial else {}, partial)


def _intact(files: dict[str, list[int]], output: str) -> bool:
    """Return True when every file is still as the last build left it (size, time)."""
    for name, recorded in files.items():
        try:
            stat = os.stat(os.path.join(output, name))
        except OSError:
            return False
        if [stat.st_size, stat.st_mtime_ns] != recorded:
            return False
    return True


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("version") == MANIFEST_VERSION else {}


class _Unknown(Exception):
    """A value we cannot fingerprint: the page is rendered."""


def _sha(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()


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


def _tree_digest(folder: Path, pattern: str) -> Iterable[str]:
    for path in sorted(folder.rglob(pattern)):
        if path.is_file() and "__pycache__" not in path.parts:
            yield f"{path.relative_to(folder)}:{hashlib.sha1(path.read_bytes()).hexdigest()}"


def site_digest(settings: dict[str, Any]) -> str:
    """Return the digest of everything every page depends on."""
    parts = [
        f"manifest {MANIFEST_VERSION}",
        f"python {sys.version}",
        f"pelican {pelican.__version__}",
        f"jinja2 {jinja2.__version__}",
        *_tree_digest(PLUGIN_DIR, "*.py"),
        *_tree_digest(Path(settings["THEME"]), "*"),
        *(f"{k}={_setting_text(v)}" for k, v in sorted(settings.items())),
    ]
    return _sha(*parts)


def manifest_path(settings: dict[str, Any]) -> Path:
    """Return where the manifest of the build into OUTPUT_PATH lives (beside the store)."""
    output = os.path.realpath(settings["OUTPUT_PATH"])
    store: Path = settings["HAOKAN"].store
    return store.parent / f"build-{_sha(output)[:12]}.json"


def forget_pages(settings: dict[str, Any]) -> None:
    """Make the next build render every page again (it still removes what is gone)."""
    path = manifest_path(settings)
    previous = _load(path)
    if previous:
        _save(path, {"version": MANIFEST_VERSION, "files": previous.get("files", {})})


def _save(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, separators=(",", ":")), "utf-8")
    os.replace(temporary, path)


def build_stats(settings: dict[str, Any]) -> dict[str, Any]:
    """Return the record of the last build into OUTPUT_PATH (its files and counts)."""
    return _load(manifest_path(settings))


class _ChangedOnly(io.StringIO):
    """A text file that reaches the disk on close only if its bytes differ from what is there."""

    def __init__(self, writer: IncrementalWriter, path: str, encoding: str) -> None:
        super().__init__()
        self.writer, self.path, self.charset = writer, path, encoding

    def close(self) -> None:
        if not self.closed:
            data = self.getvalue().encode(self.charset)
            super().close()
            self.writer.put(self.path, data)


class IncrementalWriter(Writer):  # type: ignore[misc]
    """Pelican's writer, reusing unchanged pages and writing only changed bytes."""

    def __init__(self, output_path: str, settings: dict[str, Any] | None = None) -> None:
        super().__init__(output_path, settings)
        settings = self.settings
        self.stats: Counter[str] = Counter()
        self.manifest = manifest_path(settings)
        self.site = site_digest(settings)
        self.reuse = Path(settings["THEME"]).resolve() == HAOKAN_THEME
        previous = _load(self.manifest)
        self.previous_calls: dict[str, list[Any]] = {}
        if previous.get("site") == self.site:
            self.previous_calls = previous.get("calls", {})
        self.previous_files: dict[str, list[int]] = previous.get("files", {})
        self.calls: dict[str, list[Any]] = {}
        self.files: dict[str, list[int]] = {}
        self._call_files: list[str] | None = None
        self.plan: Plan | None = None
        self._memo: dict[int, tuple[object, str]] = {}  # holds the value: its id stays unique

    # --- the manifest ---------------------------------------------------------------------

    def finish(self) -> None:
        """Keep what a partial build did not redo, delete what earlier builds produced and
        this one did not, and save the manifest."""
        if self.plan is not None and self.plan.partial:
            for name, call in self.previous_calls.items():
                if name not in self.calls and call[2]:
                    self.calls[name] = call
                    for file in call[1]:
                        self.files[file] = self.previous_files[file]
                    self.stats["reused"] += len(call[1])
        out = Path(self.output_path).resolve()
        for name in sorted(set(self.previous_files) - set(self.files)):
            path = out / name
            if path.resolve().is_relative_to(out) and path.is_file():
                path.unlink()
                self.stats["removed"] += 1
                for parent in path.parents:
                    if parent == out or not parent.is_relative_to(out) or any(parent.iterdir()):
                        break
                    parent.rmdir()
        data = {"version": MANIFEST_VERSION, "site": self.site, "calls": self.calls}
        data |= {"files": self.files, "stats": dict(self.stats)}
        if self.plan is not None:
            data |= {"lists": self.plan.lists, "articles": self.plan.articles}
        _save(self.manifest, data)

    # --- writing only what changed --------------------------------------------------------

    def put(self, path: str, data: bytes) -> None:
        """Write `data` to `path` (a full path) unless the file already holds exactly that."""
        try:
            size = os.stat(path).st_size
        except FileNotFoundError:
            size = None
        if size is None:  # a new file: nobody can be reading it yet
            try:
                new = open(path, "wb")  # noqa: SIM115 - closed below
            except FileNotFoundError:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                new = open(path, "wb")  # noqa: SIM115
            with new:
                new.write(data)
            self.stats["written"] += 1
        elif size == len(data) and Path(path).read_bytes() == data:
            self.stats["unchanged"] += 1
        else:  # replaced whole, so a page being served is never seen half-written
            temporary = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.tmp")
            with open(temporary, "wb") as new:
                new.write(data)
            os.replace(temporary, path)
            self.stats["written"] += 1
        self._record(path)

    def write_text(self, name: str, text: str) -> None:
        """Write a file of our own (feeds, indexes) under the output, if it changed."""
        self.put(os.path.join(self.output_path, name), text.encode())

    def copy_file(self, source: Path, name: str) -> None:
        """Copy a file (a friend's avatar) under the output, if it changed."""
        self.put(os.path.join(self.output_path, name), source.read_bytes())

    def _record(self, path: str) -> None:
        name = os.path.relpath(path, self.output_path)
        stat = os.stat(path)
        self.files[name] = [stat.st_size, stat.st_mtime_ns]
        if self._call_files is not None:
            self._call_files.append(name)

    def _open_w(self, filename: str, encoding: str, override: bool = False) -> IO[str]:
        # Pelican's rule, kept: a file is written once, unless one write overrides it.
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" a second time')
            return open(os.devnull, "w", encoding=encoding)
        if filename in self._written_files and not override:
            raise FileOverwriteFailedError(f'Failed to overwrite "{filename}"')
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return _ChangedOnly(self, filename, encoding)

    # --- reusing pages whose inputs did not change ----------------------------------------

    def _fingerprint(self, value: Any, page: bool = False) -> str:
        digest = getattr(value, "haokan_page_digest" if page else "haokan_list_digest", None)
        if isinstance(digest, str):
            return digest
        if isinstance(value, URLWrapper):
            return f"{type(value).__name__}:{value.name}:{value.slug}"
        if isinstance(value, list | tuple):
            known = self._memo.get(id(value))
            if known is None:
                known = self._memo[id(value)] = (value, _sha(*map(self._fingerprint, value)))
            return known[1]
        if value is None or isinstance(value, str | int | float | bool):
            return repr(value)
        raise _Unknown(type(value).__name__)

    def _digest(self, parts: list[str], values: dict[str, Any]) -> str | None:
        try:
            for key in sorted(values):
                if key not in IGNORED_VALUES:
                    parts.append(f"{key}={self._fingerprint(values[key], page=key == 'article')}")
        except _Unknown:
            return None
        return _sha(*parts)

    def _reused(self, name: str, digest: str | None) -> bool:
        """Keep the files of an unchanged page, if they are still as this writer left them."""
        previous = self.previous_calls.get(name)
        if digest is None or previous is None or previous[0] != digest:
            return False
        for file in previous[1]:
            try:
                stat = os.stat(os.path.join(self.output_path, file))
            except OSError:
                return False
            if [stat.st_size, stat.st_mtime_ns] != self.previous_files.get(file):
                return False
        for file in previous[1]:
            self.files[file] = self.previous_files[file]
            self._written_files.add(os.path.join(self.output_path, file))
        self.calls[name] = previous
        self.stats["reused"] += len(previous[1])
        return True

    def _tracked(
        self, name: str, digest: str | None, of_articles: bool, render: Callable[[], None]
    ) -> None:
        """Reuse or render one page (or paginated pages, or feed) and record what it made."""
        if self._reused(name, digest):
            return
        self._call_files = []
        try:
            render()
            self.calls[name] = [digest, self._call_files, of_articles]
        finally:
            self._call_files = None

    def _standing(self, context: dict[str, Any], list_output: bool) -> bool:
        """Return True for a list page or feed that a partial build keeps from the last one."""
        if self.plan is None:
            self.plan = context.get("haokan_build")
        return list_output and self.plan is not None and self.plan.partial

    def write_file(
        self,
        name: str,
        template: Any,
        context: dict[str, Any],
        relative_urls: bool = False,
        paginated: dict[str, Any] | None = None,
        template_name: str | None = None,
        override_output: bool = False,
        url: str | None = None,
        **kwargs: Any,
    ) -> None:
        template_file = getattr(template, "name", "")
        if not name or self._standing(context, template_file in LIST_TEMPLATES):
            return
        digest = None
        reads = REUSABLE.get(template_file)
        if self.reuse and reads is not None:
            values = {**kwargs, **{k: context.get(k) for k in reads}, **(paginated or {})}
            head = [self.site, name, template.name, str(template_name), str(relative_urls)]
            digest = self._digest([*head, str(override_output), str(url)], values)

        def render() -> None:
            super(IncrementalWriter, self).write_file(
                name,
                template,
                context,
                relative_urls=relative_urls,
                paginated=paginated,
                template_name=template_name,
                override_output=override_output,
                url=url,
                **kwargs,
            )

        self._tracked(name, digest, template_file in REUSABLE, render)

    def write_feed(
        self,
        elements: list[Any],
        context: dict[str, Any],
        path: str | None = None,
        url: str | None = None,
        feed_type: str = "atom",
        override_output: bool = False,
        feed_title: str | None = None,
    ) -> Any:
        if not path or self._standing(context, True):
            return (
                None
                if path
                else super().write_feed(
                    elements, context, path, url, feed_type, override_output, feed_title
                )
            )
        digest = None
        if self.reuse:
            shown = elements[: self.settings["FEED_MAX_ITEMS"]]
            head = [self.site, "feed", path, str(url), feed_type, str(override_output)]
            digest = self._digest([*head, str(feed_title)], {"elements": shown})

        def render() -> None:
            super(IncrementalWriter, self).write_feed(
                elements, context, path, url, feed_type, override_output, feed_title
            )

        self._tracked(path, digest, True, render)
        return None
