"""Publishing and upkeep (shell): deploy the site, report feed health, prune the store."""

from __future__ import annotations

import shlex
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rich.text import Text

from ..core import health
from ..core.errors import SettingsError
from ..core.health import FeedHealth
from ..core.settings import Settings
from ..core.words import counted
from ..storage import owner, settings_file
from ..storage.store import Store
from . import publish as publishing
from .commands import build
from .report import console, health_table, owner_errors_exit


def _reader_output(hk: Settings) -> Path | None:
    """Return where the development settings beside these build (the local reader's site)."""
    development = hk.source.parent / "pelicanconf.py"
    if development == hk.source or not development.is_file():
        return None
    return settings_file.load(development).output


@owner_errors_exit
def publish(hk: Settings, dry_run: bool = False) -> None:
    """Check that the deploy can land, build with these (publishing) settings into their own
    folder, then deploy per HAOKAN_PUBLISH; --dry-run checks and says what it would run."""
    repo = hk.source.parent
    publishing.check(hk, repo, _reader_output(hk))
    now = datetime.now(UTC)
    if dry_run:
        console.print(
            f"Dry run: checks passed; would build {hk.output} with {hk.source.name}, then run:"
        )
        for command in publishing.commands(hk, hk.output, now):
            console.print("  " + shlex.join(command), soft_wrap=True)
        return
    out = Path(build(hk).output)
    for command in publishing.deploy(hk, out, repo, now):
        console.print("Ran: " + shlex.join(command), soft_wrap=True)
    where = (
        hk.rsync_target
        if hk.publish == "rsync"
        else f"branch {hk.publish_branch} of {hk.publish_remote}"
    )
    console.print(f"Published {out} to {where}.")


def feed_health(hk: Settings, now: datetime) -> list[FeedHealth]:
    """Return the health of every subscription and friend feed, in that order."""
    records = {}
    if hk.store.exists():
        with Store(hk.store) as store:
            records = store.feed_statuses()
    subscriptions = owner.read_subscriptions(hk.subscriptions)
    feeds = health.watched(subscriptions, owner.read_friends(hk.friends), records)
    return health.table(feeds, records, now, hk.stale_days, hk.zone)


@owner_errors_exit
def status(hk: Settings) -> list[FeedHealth]:
    """Print every feed's health: last success, last error, failures, next retry, entries."""
    rows = feed_health(hk, datetime.now(UTC))
    health_table(rows, hk.zone)
    return rows


def days(value: str) -> int:
    """Return `--older-than`'s whole number of days; raise SettingsError in words."""
    try:
        number = int(value.strip())
    except ValueError:
        number = 0
    if number < 1:
        raise SettingsError(
            f"--older-than {value!r}: give a whole number of days, at least 1 "
            "(stored entries older than that are removed)"
        )
    return number


@owner_errors_exit
def prune(hk: Settings, older_than: str, dry_run: bool = False) -> int:
    """Delete stored entries older than `older_than` days that no mark references, for good:
    they are not stored again while their feed still lists them."""
    now = datetime.now(UTC)
    before = now - timedelta(days=days(older_than))
    keep = {m.canonical for m in owner.read_marks(hk.marks_dir, hk.zone)}
    with Store(hk.store) as store:
        per_feed = store.prune(before, keep, dry_run, now)
        records = store.feed_statuses()
    subscriptions = owner.read_subscriptions(hk.subscriptions)
    names = {
        f.url: f.name
        for f in health.watched(subscriptions, owner.read_friends(hk.friends), records)
    }
    total = sum(per_feed.values())
    verb = "Would remove" if dry_run else "Removed"
    console.print(
        f"{verb} {counted(total, 'entry')} published before {before.astimezone(hk.zone):%Y-%m-%d} "
        f"(marked articles are always kept{'' if dry_run else '; they will not be fetched again'})"
        + (":" if per_feed else ".")
    )
    for url, count in sorted(per_feed.items(), key=lambda pair: (-pair[1], pair[0])):
        console.print(Text(f"  {count:>5}  {names.get(url, url)}"), soft_wrap=True)
    return total


@owner_errors_exit
def vacuum(hk: Settings) -> None:
    """Compact the store file."""
    with Store(hk.store) as store:
        before, after = store.vacuum()
    console.print(f"Vacuumed {hk.store}: {before >> 10} KiB → {after >> 10} KiB.")
