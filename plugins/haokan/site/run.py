"""Run one Pelican build (shell) with the settings Haokan already read, and report what it did."""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core import manifest
from ..core.errors import BuildFailed, SettingsError
from ..core.manifest import Stamp
from ..core.settings import Settings
from ..storage.atomic import write_atomically
from ..storage.stamped import stamped
from .digests import (
    Inputs,
    forget_pages,
    inputs_digest,
    inputs_of,
    load_manifest,
    manifest_of,
    manifest_path,
    settings_key,
    stamps_in,
)

# Pelican makes these relative to the settings file's folder when it reads the file itself.
PATH_SETTINGS = ("PATH", "OUTPUT_PATH", "THEME", "CACHE_PATH")


@dataclass(frozen=True)
class BuildStats:
    """What one build did, for the owner and for tests and benchmarks (`last_build`)."""

    output: str
    pages: int  # HTML pages the site has
    written: int
    unchanged: int
    reused: int
    removed: int
    seconds: float
    processes: int = 1  # that rendered the pages
    nothing_changed: bool = False  # no input changed since the last build: nothing was done


def pelican_settings(hk: Settings, output: Path | None = None) -> dict[str, Any]:
    """Return Pelican's settings from the same values Haokan's came from.

    Pelican, given the file, would execute it again; given its values (with the paths it
    would make absolute made so here, as it makes them), it executes nothing.
    """
    from pelican.settings import read_settings

    values = dict(hk.pelican)
    base = hk.source.parent
    for name in PATH_SETTINGS:
        if values.get(name) is not None:
            absolute = os.path.abspath(os.path.normpath(base / str(values[name])))
            if name != "THEME" or os.path.exists(absolute):  # THEME may name a built-in theme
                values[name] = absolute
    if values.get("PLUGIN_PATHS") is not None:
        values["PLUGIN_PATHS"] = [os.path.abspath(base / str(p)) for p in values["PLUGIN_PATHS"]]
    values |= {"HAOKAN": hk, "OUTPUT_PATH": str(output or hk.output), "SITENAME": hk.site_name}
    settings: dict[str, Any] = read_settings(None, override=values)
    return settings


def stats_path(hk: Settings, output: str | Path) -> Path:
    """Return where the record of the last build into `output` is kept."""
    return manifest_path(hk.store, output).with_suffix(".stats.json")


def inputs_path(hk: Settings, output: str | Path) -> Path:
    """Return where the digest of the last build's inputs is kept (digests.inputs_digest)."""
    return manifest_path(hk.store, output).with_suffix(".inputs")


def last_build(hk: Settings, output: Path | None = None) -> BuildStats:
    """Return what the last build into `output` (default OUTPUT_PATH) did."""
    data = json.loads(stats_path(hk, output or hk.output).read_text("utf-8"))
    return BuildStats(**data)


def recorded(hk: Settings, out: Path) -> dict[str, Any]:
    """Return the record of the last build's inputs into `out`; {} when there is none (read
    once while it stands: the local reader's build process reads it before the press)."""
    return _record(inputs_path(hk, out))


@stamped
def _record(path: Path) -> dict[str, Any]:
    try:
        record = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def _last_if_unchanged(hk: Settings, out: Path, key: str) -> BuildStats | None:
    """Return what the last build did when it had the inputs this one has and its output
    stands as it left it; else None (a record missing or unreadable is no proof: the build
    runs). Pelican is not imported: the settings are known by what they are made of
    (`key`: digests.settings_key), and where the inputs are by what the last build's
    Pelican said."""
    record = recorded(hk, out)
    try:
        if record.get("settings") != key:
            return None
        where = Inputs(record["theme"], record["content"], tuple(record["copied"]))
        if [record["sources"], record["copies"]] != list(inputs_digest(hk, key, where)):
            return None
        last = last_build(hk, out)
        left = {name: Stamp(size, mtime) for name, (size, mtime) in record["left"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    return last if left and manifest.intact(left, stamps_in(out, left)) else None


def _record_inputs(
    hk: Settings, out: Path, key: str, where: Inputs, sources: str, left: Mapping[str, Stamp]
) -> None:
    """Record the inputs the build just made had, and the files it `left` (as its manifest
    has them: the check reads them here, in less than half the manifest's bytes), unless a source
    changed while it ran."""
    after, copies = inputs_digest(hk, key, where)  # the copies as the build left them
    if after == sources:
        record = {**vars(where), "copied": list(where.copied)}
        record |= {"settings": key, "sources": sources, "copies": copies}
        record["left"] = {name: [s.size, s.mtime_ns] for name, s in left.items()}
        write_atomically(inputs_path(hk, out), json.dumps(record).encode(), durable=False)


def build(hk: Settings, output: Path | None = None, clean: bool = False) -> BuildStats:
    """Build the site with Pelican, offline; return what the build did.

    When no input changed since the last build and its output stands as it left it, there is
    nothing to do (digests.inputs_digest), and Pelican is not even imported. Otherwise pages
    whose inputs did not change are reused and files whose bytes did not change are not
    rewritten (writer.py); `clean` renders every page again.
    """
    out = output or hk.output
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SettingsError(
            f"{hk.source}: OUTPUT_PATH {out} cannot be created "
            f"({error.strerror}); choose a writable folder"
        ) from error
    started = time.monotonic()
    key = settings_key(hk, out)  # what Pelican's settings will be made of
    last = _last_if_unchanged(hk, out, key) if not clean else None
    if last is not None:
        files = last.written + last.unchanged + last.reused
        seconds = round(time.monotonic() - started, 3)
        stats = BuildStats(last.output, last.pages, 0, 0, files, 0, seconds, 1, True)
        write_atomically(stats_path(hk, out), json.dumps(vars(stats)).encode())
        return stats
    inputs_path(hk, out).unlink(missing_ok=True)
    from pelican import Pelican
    from pelican.log import init as init_logging

    init_logging(level=logging.WARNING, fatal="errors", name="pelican")
    settings = pelican_settings(hk, output)
    if clean:
        from .picking import forget_choices  # here: a build that changed nothing needs none of it

        forget_pages(settings)
        forget_choices(hk)
    where = inputs_of(settings)  # before Pelican adds objects of its own to the settings
    sources, _ = inputs_digest(hk, key, where)
    try:
        Pelican(settings).run()
    except (RuntimeError, OSError) as error:  # --fatal errors turns logged errors into these
        raise BuildFailed(f"the build failed: {error}") from error
    done = load_manifest(manifest_of(settings))
    stats = BuildStats(
        settings["OUTPUT_PATH"],
        sum(1 for name in done.files if name.endswith(".html")),
        done.stats.written,
        done.stats.unchanged,
        done.stats.reused,
        done.stats.removed,
        round(time.monotonic() - started, 3),
        done.stats.processes,
    )
    write_atomically(stats_path(hk, out), json.dumps(vars(stats)).encode())
    _record_inputs(hk, out, key, where, sources, done.files)
    return stats
