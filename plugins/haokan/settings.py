"""Haokan's settings: defaults in one place, validated once, with errors that name the setting."""

from __future__ import annotations

import difflib
import ipaddress
import runpy
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class SettingsError(ValueError):
    """A setting is unknown, of the wrong type or out of range; the message says which."""


@dataclass(frozen=True)
class Settings:
    """Validated HAOKAN_* settings with paths made absolute."""

    subscriptions: Path
    friends: Path
    marks_dir: Path
    store: Path
    allow_private_addresses: bool | tuple[Network, ...]
    full_content: bool
    lang: str
    fetch_concurrency: int
    fetch_deadline: float
    social_per_page: int
    stale_days: int
    window_days: int
    max_per_subscription: int
    publish: str
    publish_remote: str
    publish_branch: str
    rsync_target: str
    source: Path  # the settings file, for messages


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


def _lang(value: object) -> str | None:
    return value if value in ("zh", "en") else None


def _whole(low: int, high: int) -> Callable[[object], int | None]:
    """Return a converter accepting a whole number from `low` to `high` (not a bool)."""

    def convert(value: object) -> int | None:
        ok = isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
        return value if ok else None  # type: ignore[return-value]

    return convert


def _target(value: object) -> str | None:
    return value if value in ("gh-pages", "rsync") else None


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and "\n" not in value else None


def _name(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() and "\n" not in value else None


def _seconds(value: object) -> float | None:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value <= 600
    return float(value) if ok else None  # type: ignore[arg-type]


# name: (default, converter returning None when invalid, what a valid value is)
DEFAULTS: dict[str, tuple[object, Callable[[object], object], str]] = {
    "HAOKAN_SUBSCRIPTIONS": ("content/subscriptions.opml", _path, "a file path"),
    "HAOKAN_FRIENDS": ("content/friends.opml", _path, "a file path"),
    "HAOKAN_MARKS_DIR": ("content/haokan", _path, "a folder path"),
    "HAOKAN_STORE": ("cache/haokan.sqlite3", _path, "a file path"),
    "HAOKAN_ALLOW_PRIVATE_ADDRESSES": (
        False,
        _allowance,
        "True, False, or a list of networks such as ['192.168.1.0/24']",
    ),
    "HAOKAN_FULL_CONTENT": (True, _bool, "True or False"),
    "HAOKAN_LANG": ("zh", _lang, "'zh' or 'en'"),
    "HAOKAN_FETCH_CONCURRENCY": (16, _whole(1, 256), "a whole number from 1 to 256"),
    "HAOKAN_FETCH_DEADLINE": (20, _seconds, "seconds, from 1 to 600"),
    "HAOKAN_SOCIAL_PER_PAGE": (20, _whole(5, 500), "a whole number from 5 to 500"),
    "HAOKAN_STALE_DAYS": (30, _whole(1, 3650), "a whole number of days from 1 to 3650"),
    "HAOKAN_WINDOW_DAYS": (365, _whole(0, 36500), "a whole number of days (0: no window)"),
    "HAOKAN_MAX_PER_SUBSCRIPTION": (
        200,
        _whole(0, 100_000),
        "a whole number of entries (0: no cap)",
    ),
    "HAOKAN_PUBLISH": ("gh-pages", _target, "'gh-pages' or 'rsync'"),
    "HAOKAN_PUBLISH_REMOTE": ("origin", _name, "a git remote name or URL"),
    "HAOKAN_PUBLISH_BRANCH": ("gh-pages", _name, "a branch name"),
    "HAOKAN_RSYNC_TARGET": ("", _text, "an rsync destination such as 'me@host:/var/www/haokan/'"),
}
PATH_SETTINGS = ("HAOKAN_SUBSCRIPTIONS", "HAOKAN_FRIENDS", "HAOKAN_MARKS_DIR", "HAOKAN_STORE")


def validate(values: Mapping[str, object], source: Path) -> Settings:
    """Return the HAOKAN_* settings in `values`, defaults filled in; raise SettingsError."""
    for name in values:
        if name.startswith("HAOKAN_") and name not in DEFAULTS:
            close = difflib.get_close_matches(name, DEFAULTS, n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise SettingsError(f"{source}: unknown setting {name}{hint}")
    checked: dict[str, object] = {}
    for name, (default, convert, expected) in DEFAULTS.items():
        value = values.get(name, default)
        converted = convert(value)
        if converted is None:
            raise SettingsError(f"{source}: {name} = {value!r} is invalid; it must be {expected}")
        checked[name] = converted
    base = source.parent
    for name in PATH_SETTINGS:
        path = checked[name]
        assert isinstance(path, Path)
        checked[name] = path if path.is_absolute() else (base / path).resolve()
    fields = {name.removeprefix("HAOKAN_").lower(): value for name, value in checked.items()}
    return Settings(**fields, source=source)  # type: ignore[arg-type]


def read_settings_file(path: Path) -> dict[str, object]:
    """Return the top-level names a Pelican settings file defines (run as Pelican would)."""
    if not path.is_file():
        raise SettingsError(f"{path}: settings file not found")
    folder = str(path.parent.resolve())
    sys.path.insert(0, folder)  # publishconf.py does `from pelicanconf import *`
    try:
        return runpy.run_path(str(path))
    except Exception as error:  # the owner's Python: any error in it is a settings error
        raise SettingsError(f"{path}: the settings file fails to run: {error!r}") from error
    finally:
        sys.path.remove(folder)


def load(path: Path) -> Settings:
    """Return the validated Haokan settings of a Pelican settings file."""
    path = path.resolve()
    return validate(read_settings_file(path), path)
