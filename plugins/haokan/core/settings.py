"""Haokan's settings (pure): each declared once with its default, check and meaning; validated
once, with errors that name the setting.

A setting's name is HAOKAN_ and its field's name in capitals. `Settings` also carries what Haokan
reads of Pelican's own settings (the zone, the output folder, the site's name) and the whole
dict the settings file defined, which the build hands to Pelican: one file, executed once
(storage/settings_file.py), one dict for both.
"""

from __future__ import annotations

import difflib
import ipaddress
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import SettingsError
from .images import ImagesMode

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Converter = Callable[[object], object]  # returns the checked value, or None when invalid
PREFIX = "HAOKAN_"


@dataclass(frozen=True)
class Declared:
    """What one setting is: its default, how it is checked, and what it means."""

    default: object
    convert: Converter
    expected: str  # what a valid value is, in words, for the error message
    meaning: str


def _path(value: object) -> Path | None:
    return Path(value) if isinstance(value, (str, Path)) and str(value).strip() else None


def _bool(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def _allowance(value: object) -> bool | tuple[Network, ...] | None:
    """Return True/False, or the networks listed; None when it is neither."""
    if isinstance(value, bool):
        return value
    if not isinstance(value, (list, tuple)) or not value:
        return None
    try:
        return tuple(ipaddress.ip_network(str(v), strict=False) for v in value)
    except ValueError:
        return None


def _one_of(*allowed: str) -> Converter:
    return lambda value: value if value in allowed else None


def _whole(low: int, high: int) -> Converter:
    """Return a converter accepting a whole number from `low` to `high` (not a bool)."""

    def convert(value: object) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            return None
        return value if low <= value <= high else None

    return convert


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and "\n" not in value else None


def _name(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() and "\n" not in value else None


def _share(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if 0 <= value <= 1 else None


def _seconds(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if 1 <= value <= 600 else None


def setting(default: object, convert: Converter, expected: str, meaning: str) -> Any:
    """Declare a HAOKAN_* setting on a field of `Settings`."""
    return field(metadata={"setting": Declared(default, convert, expected, meaning)})


FILE, FOLDER = "a file path", "a folder path"


@dataclass(frozen=True)
class Settings:
    """The validated settings: HAOKAN_* (paths made absolute), and the Pelican ones we read."""

    subscriptions: Path = setting(
        "content/subscriptions.opml", _path, FILE, "the OPML file of subscriptions"
    )
    friends: Path = setting("content/friends.opml", _path, FILE, "the OPML file of friends")
    marks_dir: Path = setting("content/haokan", _path, FOLDER, "the folder of 好看 marks")
    store: Path = setting(
        "cache/haokan.sqlite3", _path, FILE, "the SQLite store (history of every entry)"
    )
    allow_private_addresses: bool | tuple[Network, ...] = setting(
        False,
        _allowance,
        "True, False, or a list of networks such as ['192.168.1.0/24']",
        "True allows feeds on loopback/private networks; a list allows just those",
    )
    full_content: bool = setting(
        True, _bool, "True or False", "article pages carry the full text; False: excerpt + link"
    )
    lang: str = setting("zh", _one_of("zh", "en"), "'zh' or 'en'", "interface language")
    fetch_concurrency: int = setting(
        16, _whole(1, 256), "a whole number from 1 to 256", "feeds fetched at once"
    )
    fetch_deadline: float = setting(
        20, _seconds, "seconds, from 1 to 600", "seconds one feed may take, redirects included"
    )
    build_workers: int = setting(
        0,
        _whole(0, 256),
        "a whole number from 0 to 256 (0: one per core)",
        "processes rendering article pages at once; 0: one per core",
    )
    social_per_page: int = setting(
        20, _whole(5, 500), "a whole number from 5 to 500", "items on each page of 朋友在看"
    )
    stale_days: int = setting(
        30,
        _whole(1, 3650),
        "a whole number of days from 1 to 3650",
        "a feed with no new entry for this long is flagged stale",
    )
    window_days: int = setting(
        365,
        _whole(0, 36500),
        "a whole number of days (0: no window)",
        "entries older than this get no page; they are listed in archive/",
    )
    max_per_subscription: int = setting(
        200,
        _whole(0, 100_000),
        "a whole number of entries (0: no cap)",
        "at most this many newest entries of each subscription get pages",
    )
    picks: int = setting(
        20,
        _whole(0, 200),
        "a whole number of articles from 0 to 200 (0: no 精选)",
        "how many articles 精选 suggests (picks/)",
    )
    picks_surprise: float = setting(
        0.2,
        _share,
        "a share from 0 to 1, such as 0.2",
        "the share of 精选 that are wildcards, on purpose",
    )
    images: ImagesMode = setting(
        "local",
        _one_of("local", "remote", "none"),
        "'local', 'remote' or 'none'",
        "local: articles' images are fetched and served from the site (media/); remote: "
        "pages load them from their hosts; none: no images",
    )
    image_cache_mb: int = setting(
        1024,
        _whole(10, 1_000_000),
        "a whole number of MB from 10",
        "the most the kept images take beside the store; the oldest go first",
    )
    publish: str = setting(
        "gh-pages", _one_of("gh-pages", "rsync"), "'gh-pages' or 'rsync'", "the publish target"
    )
    publish_remote: str = setting(
        "origin", _name, "a git remote name or URL", "where the gh-pages target pushes"
    )
    publish_branch: str = setting(
        "gh-pages", _name, "a branch name", "the branch the gh-pages target pushes"
    )
    rsync_target: str = setting(
        "",
        _text,
        "an rsync destination such as 'me@host:/var/www/haokan/'",
        "where the rsync target copies",
    )
    # What Haokan reads of Pelican's settings, and where they all came from.
    source: Path = field(default=Path("pelicanconf.py"))  # the settings file, for messages
    zone: ZoneInfo = field(default=ZoneInfo("UTC"))  # TIMEZONE
    output: Path = field(default=Path("output"))  # OUTPUT_PATH, absolute
    site_name: str = "好看"  # SITENAME
    site_url: str = ""  # SITEURL: where the published site lives ("" in development)
    pelican: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def media(self) -> Path:
        """Return the folder of kept images: beside the store, like the rest of the cache."""
        return self.store.parent / "media"


DECLARED: dict[str, tuple[str, Declared]] = {
    PREFIX + f.name.upper(): (f.name, f.metadata["setting"])
    for f in fields(Settings)
    if "setting" in f.metadata
}


def _checked(values: Mapping[str, object], source: Path) -> dict[str, object]:
    """Return the HAOKAN_* values by field name, defaults filled in; raise SettingsError."""
    for name in values:
        if name.startswith(PREFIX) and name not in DECLARED:
            close = difflib.get_close_matches(name, DECLARED, n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise SettingsError(f"{source}: unknown setting {name}{hint}")
    checked: dict[str, object] = {}
    for name, (attribute, declared) in DECLARED.items():
        value = values.get(name, declared.default)
        converted = declared.convert(value)
        if converted is None:
            raise SettingsError(
                f"{source}: {name} = {value!r} is invalid; it must be {declared.expected}"
            )
        if isinstance(converted, Path) and not converted.is_absolute():
            converted = Path(os.path.normpath(source.parent / converted))
        checked[attribute] = converted
    return checked


def _zone(value: object, source: Path) -> ZoneInfo:
    try:
        return ZoneInfo(str(value or "UTC"))
    except (ValueError, ZoneInfoNotFoundError) as error:
        raise SettingsError(f"{source}: TIMEZONE = {value!r} is not a time zone") from error


# Pages Haokan writes itself: a Pelican setting sending another page there would collide.
HAOKAN_PAGES = {"INDEX_SAVE_AS": "subscriptions/index.html"}


def _owns(values: Mapping[str, object], source: Path) -> None:
    for name, page in HAOKAN_PAGES.items():
        if values.get(name) == page:
            raise SettingsError(
                f"{source}: {name} = {page!r} is where Haokan writes its folders; "
                "set INDEX_SAVE_AS = 'timeline/index.html' and INDEX_URL = 'timeline/'"
            )


def validate(values: Mapping[str, object], source: Path) -> Settings:
    """Return the settings a settings file at `source` (absolute) defined; raise SettingsError."""
    _owns(values, source)
    output = values.get("OUTPUT_PATH") or "output"
    if not isinstance(output, (str, Path)):
        raise SettingsError(f"{source}: OUTPUT_PATH = {output!r} is not a folder path")
    name = values.get("SITENAME", "好看")
    return Settings(
        **_checked(values, source),  # type: ignore[arg-type]
        source=source,
        zone=_zone(values.get("TIMEZONE"), source),
        output=Path(os.path.normpath(source.parent / output)),
        site_name=str(name),
        site_url=str(values.get("SITEURL") or "").rstrip("/"),
        pelican=dict(values),
    )
