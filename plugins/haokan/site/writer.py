"""Incremental builds (shell): Pelican's writer, rendering a page only when its inputs changed,
writing a file only when its bytes changed, and removing what the build no longer produces.

The decisions are core/manifest.py's; this does the IO. A page's digest covers the site-wide
inputs (Haokan's code, the theme, the settings) and what its template reads beyond them: the
values Pelican passes for that page plus the context names the theme declares for it in
`haokan-theme.json`. Only a theme carrying that declaration has pages reused, and only the
templates it lists; everything else is rendered each time and written only when it changed.
The result is byte-for-byte a clean build's (tests/test_incremental.py).

The pages to render are queued as Pelican asks for them and rendered at the end, on every
core (pool.py): each worker's files and records come back and are merged in the queue's order.

Trade-off: Pelican sends `content_written` for each page it renders; a reused page is not
rendered, so it is not sent, and a page rendered by a worker sends it in that worker. No
receiver Haokan connects needs it; a plugin that does must build with `--clean` and
`HAOKAN_BUILD_WORKERS = 1`.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

from blinker import signal
from feedgenerator import Rss201rev2Feed
from pelican.writers import FileOverwriteFailedError, Writer

from ..core import manifest
from ..core.manifest import Call, Manifest, Plan, Stamp
from ..storage.atomic import write_atomically
from .digests import (
    Fingerprints,
    load_manifest,
    manifest_of,
    site_digest,
    stamp,
    theme_contract,
)
from .handoff import Handoff, received
from .pool import RenderPool, build_workers

# Pages made from the list of articles; with the feeds, they stand while that list does.
LIST_TEMPLATES = frozenset({"category.html", "index.html", "folder.html"})

# Sent once every page that shows entries or marks is on disk, with the counts so far; what
# follows it (the search index, the status page, the sitemap, the manifest) can trail it: the
# warm builder answers a press of 好看 on it (warm.py). Sent only by a build on top of the last
# one (the same code, theme and settings, its files as it left them), which renders a few
# pages: otherwise it renders them all, and the owner's static files (STATIC_PATHS), which
# Pelican copies after every generator, may be new too.
pages_written = signal("haokan_pages_written")

# What rendering one page did: its name, its record, the files it wrote, the counts. A job
# that only copies files (the kept images) has no name and leaves no record.
Rendered = tuple[str | None, Call, dict[str, Stamp], dict[str, int]]


# Copies of kept images are queued for the workers in groups of this many: about one page's
# rendering time each, so the groups share out evenly with the pages.
COPIES_A_JOB = 4


def _write_new(path: str, data: bytes) -> Stamp:
    """Create `path` (FileExistsError if it is there) holding `data`; return its stamp."""
    with open(path, "xb") as new:
        new.write(data)
        new.flush()  # what it holds is on the file, so the stamp is the file's as it stays
        status = os.fstat(new.fileno())
    return Stamp(status.st_size, status.st_mtime_ns)


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
        self.path = manifest_of(self.settings)
        self._under = os.path.join(self.output_path, "")  # what paths under the output start with
        self.site = site_digest(self.settings)
        self.contract = theme_contract(Path(self.settings["THEME"]))
        self.previous = load_manifest(self.path)
        self.same_site = self.previous.site == self.site
        if not self.same_site:  # other code, theme or settings: no page stands
            self.previous = dataclasses.replace(self.previous, calls={})
        self.calls: dict[str, Call] = {}
        self.files: dict[str, Stamp] = {}
        self.stats = {"written": 0, "unchanged": 0, "reused": 0, "removed": 0}
        self._call_files: list[str] | None = None
        self._handoff: Handoff | None = None  # the build's (taken with the first page)
        self.fingerprints = Fingerprints()
        self.pool: RenderPool[Rendered] = RenderPool(build_workers(self.settings["HAOKAN"]))
        self.processes = 1  # that rendered the pages: the most any of the pool's runs had

    @property
    def _plan(self) -> Plan | None:
        return self._handoff.plan if self._handoff is not None else None

    def render_meanwhile(self, busy: Callable[[], bool]) -> None:
        """Render the pages queued so far that do not wait, here, while `busy()` (what the
        others wait for is being made in another process: site/generator.py)."""
        self.pool.run_while(busy)

    # --- the manifest ---------------------------------------------------------------------

    def pages_done(self) -> None:
        """When this build builds on the last one, render the pages queued so far (on every
        core) and say that they are on disk; any other build renders them with the rest,
        at `finish` (in one run, so the pages after these are shared out on the cores too)."""
        if self.same_site and self._plan is not None and self._plan.standing:
            self._take_rendered()
            pages_written.send(self, counts=dict(self.stats))

    def finish(self) -> None:
        """Render the queued pages (on every core), keep what a partial build did not redo,
        delete what earlier builds produced and this one did not, and save the manifest."""
        self._take_rendered()
        if self._plan is not None:
            for name, call in manifest.carried(self.previous, self._plan, self.calls).items():
                self.calls[name] = call
                self.files.update({f: self.previous.files[f] for f in call.files})
                self.stats["reused"] += len(call.files)
        out = Path(self.output_path).resolve()
        for name in manifest.orphans(self.previous.files, self.files):
            path = out / name
            if path.resolve().is_relative_to(out) and path.is_file():
                path.unlink()
                self.stats["removed"] += 1
                for parent in path.parents:
                    if parent == out or not parent.is_relative_to(out) or any(parent.iterdir()):
                        break
                    parent.rmdir()
        plan = self._plan or Plan("", {}, {}, False)
        record = Manifest(
            self.site,
            plan.lists,
            plan.articles,
            self.calls,
            self.files,
            manifest.Stats(**self.stats, processes=self.processes),
        )
        write_atomically(self.path, json.dumps(record.to_json(), separators=(",", ":")).encode())
        # What reading it back would make (tests/test_manifest.py, the round trip): not read.
        load_manifest.remember(self.path, record)

    def _take_rendered(self) -> None:
        """Render the queued pages (pool.py) and record what each did, in the order queued."""
        rendered = self.pool.run()
        self.processes = max(self.processes, self.pool.processes)
        for name, call, files, stats in rendered:
            if name is not None:
                self.calls[name] = call
            for file in files:  # Pelican's rule, across workers: no file written twice
                if file in self.files:
                    raise FileOverwriteFailedError(f'Failed to overwrite "{file}"')
            self.files.update(files)
            for key, count in stats.items():
                self.stats[key] += count

    # --- writing only what changed --------------------------------------------------------

    def put(self, path: str, data: bytes) -> None:
        """Write `data` to `path` (a full path) unless the file already holds exactly that."""
        try:  # a new file: nobody can be reading it yet
            now = _write_new(path, data)
            self.stats["written"] += 1
        except FileNotFoundError:  # its folder is new too (Pelican makes its own pages' folders)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            now = _write_new(path, data)
            self.stats["written"] += 1
        except FileExistsError:
            there = stamp(path)
            if there is not None and there.size == len(data) and Path(path).read_bytes() == data:
                now = there
                self.stats["unchanged"] += 1
            else:  # replaced whole, so a page being served is never seen half-written
                write_atomically(Path(path), data, durable=False)
                now = stamp(path) or Stamp(len(data), 0)
                self.stats["written"] += 1
        self._keep(self._name(path), now)

    def _keep(self, name: str, now: Stamp) -> None:
        """Record that this build produced `name` (under the output), as it now stands."""
        self.files[name] = now
        if self._call_files is not None:
            self._call_files.append(name)

    def _name(self, path: str) -> str:
        """Return the name of `path` (a full path) under the output, as the manifest keeps it."""
        under = self._under
        if path.startswith(under):  # the common case, at a tenth of relpath's cost
            name = path[len(under) :]
            if name == os.path.normpath(name):
                return name
        return os.path.relpath(path, self.output_path)

    def write_text(self, name: str, text: str) -> None:
        """Write a file of our own (feeds, indexes) under the output, if it changed."""
        self.put(os.path.join(self.output_path, name), text.encode())

    def copy_file(self, source: Path, name: str) -> None:
        """Copy a file (a friend's avatar) under the output, if it changed."""
        self.put(os.path.join(self.output_path, name), source.read_bytes())

    def keep_copies(self, source: Path, under: str, names: Iterable[str]) -> None:
        """Put files named by their content (kept images) from `source` under the output's
        folder `under`: one there by that name and of that size holds the same bytes, so it is
        not read again; nor looked at again when the last build left it and this build's plan
        found every file that build made as it left them (a press of 好看 at 5,000 images
        stat'ed 10,000 copies and their sources: 0.2 s of 1.0 under the profiler). The others
        are queued with the pages, so a clean build copies them on every core (10,000 copies
        took 0.8 s of a 5.1 s clean build here, on one)."""
        standing = self.previous.files if self._plan is not None and self._plan.standing else {}
        looked: list[str] = []
        for name in names:
            kept = f"{under}/{name}"
            now = standing.get(kept)
            if now is None:
                looked.append(name)
                continue
            self.stats["unchanged"] += 1
            self._keep(kept, now)
        for low in range(0, len(looked), COPIES_A_JOB):
            group = looked[low : low + COPIES_A_JOB]
            self.pool.add(functools.partial(self._copied, source, under, group))

    def _copied(self, source: Path, under: str, names: list[str]) -> Rendered:
        """Copy `names` from `source` under `under` where the output lacks them (a queued job)."""

        def copy() -> None:
            for name in names:
                kept = f"{under}/{name}"
                now = stamp(os.path.join(self.output_path, kept))
                if now is not None and now.size == os.stat(source / name).st_size:
                    self.stats["unchanged"] += 1
                    self._keep(kept, now)
                else:
                    self.put(os.path.join(self.output_path, kept), (source / name).read_bytes())

        return self._rendered(None, None, False, copy)

    def _open_w(self, filename: str, encoding: str, override: bool = False) -> IO[str]:
        # Pelican's write_file and write_feed open every output file through this (private)
        # method: the one place to intercept the bytes. Its rule is kept: a file is written
        # once, unless one write overrides it (tests/test_incremental.py guards the signature).
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

    def _tracked(self, name: str, digest: str | None, of_articles: bool, render: Any) -> None:
        """Reuse one page (or paginated pages, or feed), or queue it for the workers (pool.py):
        `finish` records what each made."""
        call = self.previous.calls.get(name)
        if call is not None:
            now = {f: stamp(os.path.join(self.output_path, f)) for f in call.files}
            if manifest.reusable(call, digest, self.previous.files, now):
                self.files.update({f: self.previous.files[f] for f in call.files})
                self._written_files.update(os.path.join(self.output_path, f) for f in call.files)
                self.calls[name] = call
                self.stats["reused"] += len(call.files)
                return
        self.pool.add(lambda: self._rendered(name, digest, of_articles, render))

    def _rendered(
        self, name: str | None, digest: str | None, of_articles: bool, render: Any
    ) -> Rendered:
        """Render one queued page (in a worker, or here) and return what it did: only what
        this page wrote is returned, whichever process ran it."""
        files, stats = self.files, self.stats
        self.files, self.stats, self._call_files = {}, dict.fromkeys(stats, 0), []
        try:
            render()
            return name, Call(digest, tuple(self._call_files), of_articles), self.files, self.stats
        finally:
            self.files, self.stats, self._call_files = files, stats, None

    def _standing(self, context: dict[str, Any], list_output: bool) -> bool:
        """Return True for a list page or feed that a partial build keeps from the last one."""
        if self._handoff is None:
            # Pelican builds the writer after the context but hands it only to each write:
            # the build's values come with the first one.
            self._handoff = received(context)
        return list_output and self._handoff.plan.partial

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
        reads = self.contract.get(template_file)

        def digest() -> str | None:
            if reads is None:
                return None
            values = {**kwargs, **{k: context.get(k) for k in reads}, **(paginated or {})}
            head = [self.site, name, template_file, str(template_name), str(relative_urls)]
            return self.fingerprints.page([*head, str(override_output), str(url)], values)

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

        of_articles = template_file in self.contract
        handoff = self._handoff
        if template_file == "article.html" and handoff is not None and handoff.pages_wait:
            # Its "More like this" is still being chosen (and nothing of the last build could
            # be reused: site/plugin.py): rendered, and its digest taken, once it is there.
            self.pool.add(lambda: self._rendered(name, digest(), of_articles, render), waits=True)
            return
        self._tracked(name, digest(), of_articles, render)

    def _add_item_to_the_feed(self, feed: Any, item: Any) -> None:
        """Pelican's item, with the RSS guid said to be what it is: a tag URI, not a link (the
        W3C validator refuses a guid that is neither a full URL nor isPermaLink="false")."""
        super()._add_item_to_the_feed(feed, item)
        if isinstance(feed, Rss201rev2Feed):
            feed.items[-1]["unique_id_is_permalink"] = False

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
        arguments = (elements, context, path, url, feed_type, override_output, feed_title)
        if not path:
            return super().write_feed(*arguments)
        if self._standing(context, True):
            return None
        digest = None
        if self.contract:
            shown = elements[: self.settings["FEED_MAX_ITEMS"]]
            head = [self.site, "feed", path, str(url), feed_type, str(override_output)]
            digest = self.fingerprints.page([*head, str(feed_title)], {"elements": shown})

        def render() -> None:
            super(IncrementalWriter, self).write_feed(*arguments)

        self._tracked(path, digest, True, render)
        return None
