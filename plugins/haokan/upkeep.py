"""Publishing and upkeep (shell): deploy the site, report feed health, prune the store."""

from __future__ import annotations

import shlex
from datetime import UTC, datetime, timedelta
from pathlib import Path

from . import health, opml, settings
from .commands import build, output_path, owner_errors_exit, zone
from .friends import read_friends
from .health import FeedHealth
from .marks import read_marks
from .publish import deploy
from .report import console, health_table
from .settings import Settings, SettingsError
from .store import Store


@owner_errors_exit
def publish(settings_file: Path, dry_run: bool = False) -> None:
    """Build with these (publishing) settings, then deploy per HAOKAN_PUBLISH."""
    hk = settings.load(settings_file)
    if dry_run:
        out = output_path(settings_file)
        console.print(f"Dry run: would build {out} with {settings_file.name}, then run:")
    else:
        out = build(settings_file)
    for command in deploy(hk, out, settings_file.parent, dry_run):
        console.print(("  " if dry_run else "Ran: ") + shlex.join(command), soft_wrap=True)
    if not dry_run:
        where = (
            hk.rsync_target
            if hk.publish == "rsync"
            else (f"branch {hk.publish_branch} of {hk.publish_remote}")
        )
        console.print(f"Published {out} to {where}.")


def feed_health(hk: Settings, now: datetime) -> list[FeedHealth]:
    """Return the health of every subscription and friend feed, in that order."""
    records = {}
    if hk.store.exists():
        with Store(hk.store) as store:
            records = store.feed_records()
    feeds = [(s.url, s.title or s.url, "subscription") for s in opml.read_opml(hk.subscriptions)]
    feeds += [(f.feed_url, f.name, "friend") for f in read_friends(hk.friends)]
    return health.table(feeds, records, now, hk.stale_days)


@owner_errors_exit
def status(settings_file: Path) -> list[FeedHealth]:
    """Print every feed's health: last success, last error, failures, next retry, entries."""
    hk = settings.load(settings_file)
    rows = feed_health(hk, datetime.now(UTC))
    health_table(rows)
    return rows


@owner_errors_exit
def prune(settings_file: Path, older_than: int, dry_run: bool = False) -> int:
    """Delete stored entries older than `older_than` days that no mark references."""
    hk = settings.load(settings_file)
    if older_than < 1:
        raise SettingsError("give --older-than DAYS (at least 1): entries older are removed")
    keep = {m.canonical for m in read_marks(hk.marks_dir, zone(settings_file))}
    before = datetime.now(UTC) - timedelta(days=older_than)
    with Store(hk.store) as store:
        removed = store.prune(before, keep, dry_run)
    verb = "Would remove" if dry_run else "Removed"
    console.print(
        f"{verb} {removed} entries published before {before:%Y-%m-%d} "
        f"(marked articles are always kept)."
    )
    return removed


@owner_errors_exit
def vacuum(settings_file: Path) -> None:
    """Compact the store file."""
    hk = settings.load(settings_file)
    with Store(hk.store) as store:
        before, after = store.vacuum()
    console.print(f"Vacuumed {hk.store}: {before >> 10} KiB → {after >> 10} KiB.")
