"""What each `invoke` task does (shell): take the settings, call the layers, report to the owner.

Fetching, discovery and parsing (httpx, feedparser, bs4) and Pelican are imported by the commands
that use them, so that every command starts quickly and the 好看 button's rebuild stays light.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ..core import opml
from ..core.settings import Settings
from ..core.urls import canonical_url
from ..core.words import counted
from ..storage import owner, settings_file
from ..storage.store import Store
from .report import (
    bound,
    console,
    errors,
    fetch_progress,
    fetch_summary,
    image_progress,
    image_summary,
    owner_errors_exit,
    port_number,
    web,
)

if TYPE_CHECKING:
    from ..ingest.fetch import FeedReport, Source
    from ..ingest.images import ImagePlan, ImageReport
    from ..site.run import BuildStats


@owner_errors_exit
def load(path: str | Path) -> Settings:
    """Return the settings of a Pelican settings file (executed once, here)."""
    return settings_file.load(Path(path))


@owner_errors_exit
def fetch(hk: Settings, force: bool = False) -> list[FeedReport]:
    """Fetch every subscription and friend, show progress, store what came, print a summary."""
    from ..ingest.fetch import fetch_all, sources

    started = time.monotonic()
    with Store(hk.store) as store:
        feeds = sources(hk, store.feed_statuses())
        with fetch_progress(len(feeds)) as tick:
            reports = asyncio.run(
                fetch_all(
                    feeds,
                    store,
                    allow_private=hk.allow_private_addresses,
                    concurrency=hk.fetch_concurrency,
                    deadline=hk.fetch_deadline,
                    force=force,
                    zone=hk.zone,
                    on_done=tick,
                )
            )
    fetch_summary(reports, time.monotonic() - started)
    if hk.images == "local":
        fetch_images(hk, feeds)
    fetched = [r for r in reports if r.outcome in {"updated", "unchanged", "not_modified"}]
    for name, site in owner.read_sites_without_feed(hk.subscriptions):
        console.print(
            f"note: {name or site} in {hk.subscriptions.name} names a site but no feed; "
            f"`invoke subscribe {site}` finds it",
            soft_wrap=True,
        )
    if reports and not fetched:  # for cron and CI: a run that reached no feed at all fails
        errors.print("error: no feed could be fetched (each one's reason is above)")
        raise SystemExit(1)
    return reports


def image_plan(hk: Settings, now: datetime, feeds: Sequence[Source]) -> ImagePlan:
    """Return what the image phase works from: the copies beside the store, the samples'
    images beside their feed files (`feeds`, as the fetch resolved them), and the window's
    entries only."""
    from ..ingest.images import ImagePlan

    mirrors = {s.url: s.path.parent / "media" for s in feeds if s.path is not None}
    since = now - timedelta(days=hk.window_days) if hk.window_days else None
    return ImagePlan(
        hk.media,
        hk.image_cache_mb << 20,
        mirrors,
        since,
        hk.max_per_subscription,
        hk.fetch_deadline,
    )


def fetch_images(hk: Settings, feeds: Sequence[Source]) -> ImageReport:
    """Fetch the images new entries show (HAOKAN_IMAGES = "local"); print what came."""
    from ..ingest.images import fetch_images as fetch_them

    started, now = time.monotonic(), datetime.now(UTC)
    with Store(hk.store) as store, image_progress() as start:
        report = asyncio.run(
            fetch_them(
                store,
                image_plan(hk, now, feeds),
                allow_private=hk.allow_private_addresses,
                concurrency=hk.fetch_concurrency,
                now=now,
                on_start=start,
            )
        )
    image_summary(report, time.monotonic() - started)
    return report


@owner_errors_exit
def build(hk: Settings, output: Path | None = None, clean: bool = False) -> BuildStats:
    """Build the site from the store and content/ (offline); print what the build did."""
    from ..site import run

    done = run.build(hk, output, clean)
    if done.nothing_changed:
        console.print(
            f"Nothing changed since the last build: {counted(done.pages, 'page')} in "
            f"{done.output} stand as they are ({counted(done.reused, 'file')} checked, "
            f"{done.seconds:.2f} s)."
        )
        return done
    cores = f" on {done.processes} processes" if done.processes > 1 else ""
    console.print(
        f"Built {counted(done.pages, 'page')} into {done.output} in {done.seconds:.2f} s{cores}: "
        f"{counted(done.written, 'file')} written, {done.unchanged} rendered unchanged, "
        f"{done.reused} reused, {done.removed} removed."
    )
    return done


@owner_errors_exit
def like(
    hk: Settings, url: str, note: str = "", title: str = "", remove: bool = False
) -> Path | None:
    """Mark `url` 好看 with a note (or remove the mark); write content/haokan/<slug>.md."""
    if remove:
        removed = unmark(hk, web(url))
        console.print(f"Removed {removed}." if removed else f"{url} was not marked.")
        return removed
    path, existed, title = mark(hk, web(url), note, title)
    verb = "Updated the note of" if existed else "Marked 好看:"
    console.print(f"{verb} {title or url} ({path}). `invoke build` shows it.")
    return path


def unmark(hk: Settings, url: str) -> Path | None:
    """Remove the mark of `url`; return the file removed, or None."""
    return owner.remove_mark(hk.marks_dir, url, hk.zone)


def mark(hk: Settings, url: str, note: str, title: str) -> tuple[Path, bool, str]:
    """Write (or update) the mark of `url`; return (file, whether it existed, its title).

    The title comes from `title`, an existing mark, the store, or the page's <title>.
    """
    if not title:
        marked = owner.find_mark(hk.marks_dir, url, hk.zone)
        title = marked.title if marked else ""
    if not title and hk.store.exists():
        with Store(hk.store) as store:
            title = store.title_for(canonical_url(url)) or ""
    if not title:
        from ..ingest.discover import page_title

        title = asyncio.run(page_title(url, allow_private=hk.allow_private_addresses))
    path, existed = owner.save_mark(hk.marks_dir, url, title, note, datetime.now(UTC), hk.zone)
    return path, existed, title


@owner_errors_exit
def export_opml(hk: Settings, file: Path | None) -> None:
    """Write the subscriptions as OPML 2.0 to `file`, or to standard output."""
    subscriptions = owner.read_subscriptions(hk.subscriptions)
    if file is None:
        data = opml.render_opml(owner.SUBSCRIPTIONS_TITLE, subscriptions, datetime.now(UTC))
        sys.stdout.buffer.write(data)
    else:
        owner.write_subscriptions(file, subscriptions, datetime.now(UTC))
        console.print(f"Wrote {file}")


def check(files: Sequence[Path]) -> tuple[int, int]:
    """Run parse → normalize → sanitize on local files; print one verdict each; return counts."""
    from ..core.parse import FeedRefused
    from ..ingest.containment import ParseJob, ParserPool

    read = refused = 0
    now = datetime.now(UTC)
    with ParserPool() as pool:
        for file in files:
            try:
                body = file.read_bytes()
            except OSError as error:
                console.print(f"REFUSED {file}: cannot read ({error.strerror})", soft_wrap=True)
                refused += 1
                continue
            try:
                feed = pool.parse(ParseJob(body, "https://example.invalid/feed", None, now))
            except FeedRefused as why:
                console.print(f"REFUSED {file}: {why}", soft_wrap=True)
                refused += 1
                continue
            read += 1
            notes = f" ({'; '.join(feed.notes)})" if feed.notes else ""
            entries = counted(len(feed.entries), "entry")
            console.print(f"OK      {file}: {entries}{notes}", soft_wrap=True)
    console.print(f"{counted(len(files), 'file')}: {read} read, {refused} refused.")
    return read, refused


@owner_errors_exit
def serve(output: Path, port: str | int = 8000) -> None:
    """Serve the built site on http://127.0.0.1:PORT (a plain static server)."""
    import http.server  # here: every other command would pay for it at its start

    number = port_number(port)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(output))
    server = bound(number, lambda at: http.server.ThreadingHTTPServer(at, handler))
    with server:
        console.print(f"Serving {output} on http://127.0.0.1:{number}/ — Ctrl-C stops.")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
