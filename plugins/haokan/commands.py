"""What each `invoke` task does (shell): read settings, call the core, report to the owner."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import http.server
import logging
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rich.text import Text

from . import opml, settings
from .errors import DiscoveryError
from .friends import read_friends
from .marks import MarkError, find_mark, read_marks, remove_mark, save_mark
from .publish import PublishError
from .report import console, errors, fetch_progress, fetch_summary
from .settings import Settings, SettingsError
from .store import Store, StoreError
from .urls import canonical_url

if TYPE_CHECKING:
    from .ingest import FeedReport, Source

# Fetching, discovery and parsing (httpx, feedparser, bs4) are imported by the commands that
# use them, so that `invoke build` and the reader's 好看 button start quickly.

P = ParamSpec("P")
R = TypeVar("R")
OWNER_ERRORS = (SettingsError, opml.OpmlError, StoreError, DiscoveryError, MarkError, PublishError)


class BuildFailed(RuntimeError):
    """Pelican reported an error; the message says what."""


def owner_errors_exit(function: Callable[P, R]) -> Callable[P, R]:
    """Turn a mistake in the owner's files or settings into one clear line and exit code 1."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except (*OWNER_ERRORS, BuildFailed) as error:
            errors.print(Text("error: ", style="red") + Text(str(error)), soft_wrap=True)
            raise SystemExit(1) from None

    return wrapper


def subscription_sources(hk: Settings) -> list[Source]:
    """Return the subscriptions as fetch sources (local sample files resolved next to the OPML)."""
    from .ingest import Source

    base = hk.subscriptions.parent
    return [
        Source(
            s.url,
            "subscription",
            s.title or s.url,
            (base / s.url).resolve() if s.is_local else None,
        )
        for s in opml.read_opml(hk.subscriptions)
    ]


def friend_sources(hk: Settings) -> list[Source]:
    """Return the friends' 好看 feeds as fetch sources."""
    from .ingest import Source

    base = hk.friends.parent
    return [
        Source(f.feed_url, "friend", f.name, (base / f.feed_url).resolve() if f.is_local else None)
        for f in read_friends(hk.friends)
    ]


def zone(settings_file: Path) -> ZoneInfo:
    """Return the site's TIMEZONE (marks are dated in it)."""
    value = settings.read_settings_file(settings_file).get("TIMEZONE") or "UTC"
    try:
        return ZoneInfo(str(value))
    except (ValueError, ZoneInfoNotFoundError) as error:
        raise SettingsError(f"{settings_file}: TIMEZONE = {value!r} is not a time zone") from error


@owner_errors_exit
def fetch(settings_file: Path, force: bool = False) -> list[FeedReport]:
    """Fetch every subscription and friend, show progress, store what came, print a summary."""
    from .ingest import fetch_all

    hk = settings.load(settings_file)
    sources = subscription_sources(hk) + friend_sources(hk)
    started = time.monotonic()
    with Store(hk.store) as store, fetch_progress(len(sources)) as tick:
        reports = asyncio.run(
            fetch_all(
                sources,
                store,
                allow_private=hk.allow_private_addresses,
                concurrency=hk.fetch_concurrency,
                deadline=hk.fetch_deadline,
                force=force,
                on_done=tick,
            )
        )
    fetch_summary(reports, time.monotonic() - started)
    return reports


@owner_errors_exit
def build(settings_file: Path, output: Path | None = None, clean: bool = False) -> Path:
    """Build the site with Pelican, offline, from the store and content/; return OUTPUT_PATH.

    Pages whose inputs did not change are reused and files whose bytes did not change are not
    rewritten (incremental.py); `clean` renders every page again.
    """
    hk = settings.load(settings_file)
    # Mistakes in the owner's files are one clear error here, before Pelican starts.
    opml.read_opml(hk.subscriptions)
    read_friends(hk.friends)
    read_marks(hk.marks_dir, zone(settings_file))
    from pelican import Pelican
    from pelican.log import init as init_logging
    from pelican.settings import read_settings

    from .incremental import build_stats, forget_pages

    out = output_path(settings_file) if output is None else output
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SettingsError(
            f"{settings_file}: OUTPUT_PATH {out} cannot be created "
            f"({error.strerror}); choose a writable folder"
        ) from error
    init_logging(level=logging.WARNING, fatal="errors", name="pelican")
    override: dict[str, Any] = {"HAOKAN": hk}
    if output is not None:
        override["OUTPUT_PATH"] = str(output)
    pelican_settings = read_settings(str(settings_file), override=override)
    if clean:
        forget_pages(pelican_settings)
    started = time.monotonic()
    try:
        Pelican(pelican_settings).run()
    except (RuntimeError, OSError) as error:  # --fatal errors turns logged errors into these
        raise BuildFailed(f"the build failed: {error}") from error
    out = Path(pelican_settings["OUTPUT_PATH"])
    done = build_stats(pelican_settings)
    pages = sum(1 for name in done.get("files", ()) if name.endswith(".html"))
    counts = done.get("stats", {})
    console.print(
        f"Built {pages} pages into {out} in {time.monotonic() - started:.2f} s: "
        f"{counts.get('written', 0)} files written, {counts.get('unchanged', 0)} rendered "
        f"unchanged, {counts.get('reused', 0)} reused, {counts.get('removed', 0)} removed."
    )
    return out


@owner_errors_exit
def subscribe(settings_file: Path, url: str, folder: str = "") -> None:
    """Find the feed of `url` (a feed or a page announcing one) and add it to the OPML."""
    from .discover import discover_feed

    hk = settings.load(settings_file)
    current = opml.read_opml(hk.subscriptions)
    found = asyncio.run(discover_feed(url, allow_private=hk.allow_private_addresses))
    merged, added = opml.merge(current, [found.with_folder(folder)])
    if not added:
        console.print(f"Already subscribed to {found.url}")
        return
    opml.write_atomically(
        hk.subscriptions, opml.render_opml("好看 subscriptions", merged, datetime.now(UTC))
    )
    console.print(
        f"Subscribed to {found.title or found.url} ({found.url}) "
        f"in {hk.subscriptions}. Run `invoke fetch` to read it."
    )


@owner_errors_exit
def like(
    settings_file: Path, url: str, note: str = "", title: str = "", remove: bool = False
) -> Path | None:
    """Mark `url` 好看 with a note (or remove the mark); write content/haokan/<slug>.md."""
    if remove:
        removed = unmark(settings_file, url)
        console.print(f"Removed {removed}." if removed else f"{url} was not marked.")
        return removed
    path, existed, title = mark(settings_file, url, note, title)
    verb = "Updated the note of" if existed else "Marked 好看:"
    console.print(f"{verb} {title or url} ({path}). `invoke build` shows it.")
    return path


def unmark(settings_file: Path, url: str) -> Path | None:
    """Remove the mark of `url`; return the file removed, or None."""
    hk = settings.load(settings_file)
    return remove_mark(hk.marks_dir, url, zone(settings_file))


def mark(settings_file: Path, url: str, note: str, title: str) -> tuple[Path, bool, str]:
    """Write (or update) the mark of `url`; return (file, whether it existed, its title).

    The title comes from `title`, an existing mark, the store, or the page's <title>.
    """
    from .discover import page_title

    hk = settings.load(settings_file)
    tz = zone(settings_file)
    if not title:
        marked = find_mark(hk.marks_dir, url, tz)
        title = marked.title if marked else ""
    if not title and hk.store.exists():
        with Store(hk.store) as store:
            title = store.title_for(canonical_url(url)) or ""
    if not title:
        title = asyncio.run(page_title(url, allow_private=hk.allow_private_addresses))
    path, existed = save_mark(hk.marks_dir, url, title, note, datetime.now(UTC), tz)
    return path, existed, title


@owner_errors_exit
def import_opml(settings_file: Path, file: Path) -> None:
    """Merge another reader's OPML export into the subscriptions."""
    hk = settings.load(settings_file)
    current = opml.read_opml(hk.subscriptions)
    incoming = opml.parse_opml(opml.read_file(file, missing_ok=False), str(file))
    merged, added = opml.merge(current, incoming)
    if added:
        opml.write_atomically(
            hk.subscriptions, opml.render_opml("好看 subscriptions", merged, datetime.now(UTC))
        )
    console.print(
        f"Imported {file}: {len(added)} new subscriptions, "
        f"{len(incoming) - len(added)} already present."
    )


@owner_errors_exit
def export_opml(settings_file: Path, file: Path | None) -> None:
    """Write the subscriptions as OPML 2.0 to `file`, or to standard output."""
    hk = settings.load(settings_file)
    data = opml.render_opml(
        "好看 subscriptions", opml.read_opml(hk.subscriptions), datetime.now(UTC)
    )
    if file is None:
        sys.stdout.buffer.write(data)
    else:
        opml.write_atomically(file, data)
        console.print(f"Wrote {file}")


def check(files: Sequence[Path]) -> tuple[int, int]:
    """Run parse → normalize → sanitize on local files; print one verdict each; return counts."""
    from .containment import ParseJob, ParserPool
    from .parse import FeedRefused

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
            console.print(f"OK      {file}: {len(feed.entries)} entries{notes}", soft_wrap=True)
    console.print(f"{len(files)} files: {read} read, {refused} refused.")
    return read, refused


@owner_errors_exit
def output_path(settings_file: Path) -> Path:
    """Return the OUTPUT_PATH of a settings file, resolved as Pelican resolves it."""
    value = settings.read_settings_file(settings_file).get("OUTPUT_PATH") or "output"
    path = Path(str(value))
    return path if path.is_absolute() else (settings_file.parent / path).resolve()


def serve(output: Path, port: int = 8000) -> None:
    """Serve the built site on http://127.0.0.1:PORT (a plain static server)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(output))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        console.print(f"Serving {output} on http://127.0.0.1:{port}/ — Ctrl-C stops.")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
