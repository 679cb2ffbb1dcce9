"""Subscriptions and friends without editing XML (shell): subscribe, unsubscribe, move, follow,
unfollow, list. Each edits the OPML file in place (storage/owner.py) and says what it did in
one line; a mistake is one line too, and leaves the file untouched."""

from __future__ import annotations

import asyncio
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text

from ..core import health, roster
from ..core.errors import OpmlError
from ..core.friends import AVATAR_MAX_BYTES, AVATAR_TYPES, MAX_WEIGHT
from ..core.model import FeedStatus
from ..core.opml import feed_key
from ..core.settings import Settings
from ..core.slugs import slug
from ..core.words import counted
from ..storage import owner
from ..storage.store import Store
from .report import HEALTH_STYLE, console, owner_errors_exit, web

if TYPE_CHECKING:
    from rich.table import Table


def _statuses(hk: Settings) -> dict[str, FeedStatus]:
    if not hk.store.exists():
        return {}
    with Store(hk.store) as store:
        return store.feed_statuses()


@owner_errors_exit
def subscribe(hk: Settings, url: str, folder: str = "") -> None:
    """Find the feed of `url` (a feed, or a page pointing at one) and add it to the OPML."""
    from ..ingest.discover import discover_feed

    path = roster.folder_path(folder) if folder else ""
    current = owner.read_subscriptions(hk.subscriptions)
    found = asyncio.run(discover_feed(web(url), allow_private=hk.allow_private_addresses))
    if any(feed_key(s.url) == feed_key(found.url) for s in current):
        console.print(f"Already subscribed to {found.url}")
        return
    owner.add_subscriptions(hk.subscriptions, [found.with_folder(path)], datetime.now(UTC))
    where = f" in folder {path}" if path else ""
    console.print(
        f"Subscribed to {found.title or found.url} ({found.url}){where}. `invoke fetch` reads it."
    )


@owner_errors_exit
def unsubscribe(hk: Settings, query: str, forget: bool = False) -> None:
    """Remove a subscription from the OPML; its entries stay stored unless `forget`."""
    sub = roster.find_subscription(owner.read_subscriptions(hk.subscriptions), query)
    owner.remove_outline(hk.subscriptions, sub.url, datetime.now(UTC))
    kept = "its stored entries are kept; pages you marked stay"
    if forget and hk.store.exists():
        with Store(hk.store) as store:
            kept = f"{counted(store.forget_feed(sub.url), 'stored entry')} deleted"
    console.print(f"Unsubscribed from {sub.title or sub.url} ({sub.url}): {kept}.")


@owner_errors_exit
def move(hk: Settings, query: str, folder: str) -> None:
    """Move a subscription into another folder."""
    path = roster.folder_path(folder)
    sub = roster.find_subscription(owner.read_subscriptions(hk.subscriptions), query)
    if sub.folder == path:
        console.print(f"{sub.title or sub.url} is already in {path or 'the top level'}.")
        return
    owner.move_subscription(hk.subscriptions, sub.url, path, datetime.now(UTC))
    console.print(f"Moved {sub.title or sub.url} to {path or 'the top level'}.")


def _avatar_file(file: str) -> Path:
    """Return the image `--avatar` names; raise OpmlError when it cannot be one."""
    source = Path(file).expanduser().resolve()
    if source.suffix.lower() not in AVATAR_TYPES or not source.is_file():
        kinds = ", ".join(sorted(AVATAR_TYPES))
        raise OpmlError(f"--avatar {file}: not an image file here ({kinds})")
    if source.stat().st_size > AVATAR_MAX_BYTES:
        raise OpmlError(f"--avatar {file}: larger than {AVATAR_MAX_BYTES >> 10} KiB")
    return source


def _avatar(hk: Settings, file: str, name: str) -> str:
    """Return the avatar's path as friends.opml names it: where it is when it already sits
    beside the file, else a copy in avatars/ there."""
    source = _avatar_file(file)
    base = hk.friends.parent.resolve()
    if not source.is_relative_to(base):
        target = base / "avatars" / f"{slug(name, str(source), digest=6)}{source.suffix.lower()}"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        source = target
    return source.relative_to(base).as_posix()


def _weight(weight: str) -> str:
    try:
        value = float(weight)
    except ValueError:
        value = 0.0
    if not 0 < value <= MAX_WEIGHT:
        raise OpmlError(f"--weight {weight}: give a number above 0 and at most {MAX_WEIGHT:g}")
    return f"{value:g}"


@owner_errors_exit
def follow(hk: Settings, url: str, name: str = "", avatar: str = "", weight: str = "") -> None:
    """Add a friend: their 好看 feed, or their site's page (the feed is found)."""
    from ..ingest.discover import discover_feed

    friends = owner.read_friends(hk.friends)
    extra = {"weight": _weight(weight)} if weight else {}  # mistakes first, before the network
    if avatar:
        _avatar_file(avatar)
    found = asyncio.run(discover_feed(web(url), allow_private=hk.allow_private_addresses))
    known = next((f for f in friends if feed_key(f.feed_url) == feed_key(found.url)), None)
    if known is not None:
        console.print(f"Already following {known.name} ({known.feed_url})")
        return
    name = " ".join(name.split()) or found.title or found.url.split("/")[2]
    attributes = {"text": name, "xmlUrl": found.url}
    if found.site_url:
        attributes["htmlUrl"] = found.site_url
    if avatar:
        attributes["avatar"] = _avatar(hk, avatar, name)
    owner.add_friend(hk.friends, attributes | extra, datetime.now(UTC))
    console.print(f"Following {name} ({found.url}). `invoke fetch` reads their picks.")


@owner_errors_exit
def unfollow(hk: Settings, query: str) -> None:
    """Remove a friend from friends.opml (what they recommended stays stored)."""
    friend = roster.find_friend(owner.read_friends(hk.friends), query)
    owner.remove_outline(hk.friends, friend.feed_url, datetime.now(UTC))
    console.print(f"Unfollowed {friend.name} ({friend.feed_url}).")


def _table(*columns: str) -> Table:
    from rich.table import Table  # here: the commands that show none start without it

    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    for column in columns:
        table.add_column(column, no_wrap=True, overflow="ellipsis", max_width=40)
    return table


@owner_errors_exit
def list_subscriptions(hk: Settings) -> None:
    """Print every subscription: folder, title, health in one word, address."""
    subscriptions = owner.read_subscriptions(hk.subscriptions)
    records, now = _statuses(hk), datetime.now(UTC)
    table = _table("folder", "title", "health", "address")
    for sub, feed in zip(subscriptions, health.watched(subscriptions, (), records), strict=True):
        state = health.assess(records.get(sub.url), feed, now, hk.stale_days, hk.zone)
        word = Text(state.words, style=HEALTH_STYLE[state.state])
        table.add_row(Text(sub.folder or "—"), Text(feed.name), word, Text(sub.url))
    console.print(table)
    folders = len({s.folder for s in subscriptions if s.folder})
    console.print(f"{counted(len(subscriptions), 'subscription')} in {counted(folders, 'folder')}.")


@owner_errors_exit
def list_friends(hk: Settings) -> None:
    """Print every friend: name, weight, health in one word, their 好看 feed."""
    friends = owner.read_friends(hk.friends)
    records, now = _statuses(hk), datetime.now(UTC)
    table = _table("friend", "weight", "health", "their 好看 feed")
    for friend, feed in zip(friends, health.watched((), friends, records), strict=True):
        state = health.assess(records.get(friend.feed_url), feed, now, hk.stale_days, hk.zone)
        word = Text(state.words, style=HEALTH_STYLE[state.state])
        table.add_row(Text(friend.name), f"{friend.weight:g}", word, Text(friend.feed_url))
    console.print(table)
    console.print(f"{counted(len(friends), 'friend')}.")


@owner_errors_exit
def import_opml(hk: Settings, file: Path, discover: bool = True) -> None:
    """Merge another reader's OPML export: every feed not already there, the feeds of sites
    listed without one (found as `subscribe` finds them), and a line for each left out."""
    from ..core import imports, opml

    current = owner.read_subscriptions(hk.subscriptions)
    plan = imports.plan_import(
        current, opml.walk(owner.read_file(file, missing_ok=False), str(file))
    )
    added, skipped = list(plan.feeds), list(plan.skipped)
    if plan.sites and discover:
        from ..ingest.discover import discover_feeds

        urls = [site.url for site in plan.sites]
        results = asyncio.run(discover_feeds(urls, allow_private=hk.allow_private_addresses))
        keys = {feed_key(s.url) for s in (*current, *added)}
        for site, result in zip(plan.sites, results, strict=True):
            if isinstance(result, Exception):
                skipped.append(imports.Skipped(site.title or site.url, f"no feed found: {result}"))
            elif feed_key(result.url) in keys:
                skipped.append(imports.Skipped(site.title, f"its feed {result.url} is already in"))
            else:
                keys.add(feed_key(result.url))
                added.append(result.with_folder(site.folder, site.title))
    elif plan.sites:
        skipped += [
            imports.Skipped(
                site.title or site.url,
                f"a site without a feed address ({site.url}); --no-discover left it",
            )
            for site in plan.sites
        ]
    if added:
        owner.add_subscriptions(hk.subscriptions, added, datetime.now(UTC))
    console.print(
        f"Imported {file}: {counted(len(added), 'new subscription')}, "
        f"{len(plan.present)} already present, "
        f"{len(skipped)} not imported{':' if skipped else '.'}"
    )
    for left in skipped:
        console.print(Text(f"  {left.name}: {left.reason}"), soft_wrap=True)
