"""The owner's files (shell): read subscriptions, friends and marks from content/, write them
back whole. Parsing is pure (core/opml.py, core/friends.py, core/marks.py); this only does IO."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo
from pathlib import Path

from ..core import marks as markfile
from ..core import opml_edit
from ..core.errors import MarkError, OpmlError
from ..core.friends import AVATAR_MAX_BYTES, Friend, parse_friends
from ..core.marks import Mark
from ..core.model import Subscription
from ..core.opml import feed_attributes, feed_key, parse_opml, render_opml, walk
from ..core.urls import absolute_url, canonical_url
from .atomic import write_atomically

SUBSCRIPTIONS_TITLE = "好看 subscriptions"
FRIENDS_TITLE = "好看 friends"


def read_file(path: Path, missing_ok: bool = True) -> bytes:
    """Return an owner's OPML file (empty when absent and `missing_ok`); raise OpmlError."""
    try:
        return path.read_bytes()
    except FileNotFoundError as error:
        if missing_ok:
            return b""
        raise OpmlError(f"{path}: no such file") from error
    except OSError as error:
        raise OpmlError(f"{path}: cannot read ({error.strerror})") from error


def read_folders(path: Path) -> tuple[str, ...]:
    """Return every folder of the owner's OPML file ("A/B"), in its order, empty ones too."""
    data = read_file(path)
    return tuple(o.folder for o in walk(data, str(path)) if o.kind == "folder") if data else ()


def read_sites_without_feed(path: Path) -> tuple[tuple[str, str], ...]:
    """Return the outlines of the owner's OPML that name a site but no feed: (name, htmlUrl)."""
    data = read_file(path)
    found = [o for o in walk(data, str(path)) if o.kind == "site"] if data else []
    return tuple((o.name, o.attributes["htmlUrl"]) for o in found)


def read_subscriptions(path: Path) -> tuple[Subscription, ...]:
    """Return the feeds of the owner's OPML file (an absent file holds none)."""
    data = read_file(path)
    return parse_opml(data, str(path), allow_paths=True, unique=True) if data else ()


def write_subscriptions(path: Path, subscriptions: tuple[Subscription, ...], now: datetime) -> None:
    """Replace the owner's OPML file with these subscriptions."""
    write_atomically(path, render_opml(SUBSCRIPTIONS_TITLE, subscriptions, now))


def _edit(path: Path, title: str, change: Callable[[bytes], bytes], now: datetime) -> None:
    """Apply `change` to an OPML file's bytes (a new, empty one when absent) and replace it
    whole; nothing is written when `change` raises."""
    data = read_file(path) or render_opml(title, (), now)
    write_atomically(path, change(data))


def _outline_of(document: opml_edit.Document, url: str) -> opml_edit.Element:
    key = feed_key(url)
    for element in document.feeds():
        raw = element.attributes["xmlUrl"].strip()
        if feed_key(absolute_url(raw) or raw) == key:
            return element
    raise OpmlError(f"{url} is not in the file")  # read just before: only a race gets here


def add_subscriptions(path: Path, subs: Sequence[Subscription], now: datetime) -> None:
    """Add each of `subs` to the owner's OPML file, last in its folder (made if missing)."""

    def change(data: bytes) -> bytes:
        for sub in subs:
            fragment = opml_edit.outline(feed_attributes(sub))
            data = opml_edit.add(data, str(path), fragment, sub.folder)
        return data

    _edit(path, SUBSCRIPTIONS_TITLE, change, now)


def remove_outline(path: Path, url: str, now: datetime) -> None:
    """Remove the outline of feed `url` from an owner's OPML file; the rest stays as written."""

    def change(data: bytes) -> bytes:
        document = opml_edit.read(data, str(path))
        return opml_edit.remove(document, _outline_of(document, url))

    _edit(path, SUBSCRIPTIONS_TITLE, change, now)


def move_subscription(path: Path, url: str, folder: str, now: datetime) -> None:
    """Move the outline of feed `url`, exactly as written, last into `folder`."""

    def change(data: bytes) -> bytes:
        document = opml_edit.read(data, str(path))
        return opml_edit.move(document, _outline_of(document, url), folder, str(path))

    _edit(path, SUBSCRIPTIONS_TITLE, change, now)


def add_friend(path: Path, attributes: dict[str, str], now: datetime) -> None:
    """Add a friend's outline (text, xmlUrl, htmlUrl, avatar, weight) to friends.opml."""
    fragment = opml_edit.outline(attributes)
    _edit(path, FRIENDS_TITLE, lambda d: opml_edit.add(d, str(path), fragment, ""), now)


def read_friends(path: Path) -> tuple[Friend, ...]:
    """Return the friends listed in `path` (an absent file lists none); check their avatars."""
    data = read_file(path)
    friends = parse_friends(data, path) if data else ()
    for friend in friends:
        avatar = friend.avatar
        if avatar is not None and (
            not avatar.is_file() or avatar.stat().st_size > AVATAR_MAX_BYTES
        ):
            raise OpmlError(
                f"{path}: friend {friend.name!r}: avatar {avatar} is missing or larger "
                f"than {AVATAR_MAX_BYTES >> 10} KiB"
            )
    return friends


def read_marks(folder: Path, zone: tzinfo) -> tuple[Mark, ...]:
    """Return every mark in `folder`, newest first; one per article (the newest file wins)."""
    found = []
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise MarkError(f"{path}: cannot read the mark ({error})") from error
        found.append(markfile.parse_mark(text, path, zone))
    return markfile.newest_per_article(found)


def find_mark(folder: Path, link: str, zone: tzinfo) -> Mark | None:
    """Return the mark of the article at `link` (whatever its tracking parameters), if any."""
    wanted = canonical_url(absolute_url(link) or link)
    return next((m for m in read_marks(folder, zone) if m.canonical == wanted), None)


def save_mark(
    folder: Path, link: str, title: str, note: str, now: datetime, zone: tzinfo
) -> tuple[Path, bool]:
    """Write (or update) the mark for `link`; return its path and whether it already existed.

    Marking the same article again keeps its file and date, and replaces title and note.
    """
    url = absolute_url(link)
    if url is None:
        raise MarkError(f"{link!r} is not an http(s) URL")
    existing = find_mark(folder, url, zone)
    if existing is not None:
        text = markfile.render_mark(
            title or existing.title, existing.link, existing.date, note, existing.via
        )
        write_atomically(existing.path, text.encode("utf-8"))
        return existing.path, True
    path = folder / markfile.file_name(title, url)
    text = markfile.render_mark(title or url, url, now.astimezone(zone), note)
    write_atomically(path, text.encode("utf-8"))
    return path, False


def remove_mark(folder: Path, link: str, zone: tzinfo) -> Path | None:
    """Delete the mark for `link`; return the file removed, or None if it was not marked."""
    mark = find_mark(folder, link, zone)
    if mark is not None:
        mark.path.unlink()
    return mark.path if mark else None
