"""Run one Pelican build (shell) with the settings Haokan already read, and report what it did."""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core import manifest
from ..core.errors import BuildFailed, SettingsError
from ..core.settings import Settings
from ..storage.atomic import write_atomically
from .digests import (
    forget_pages,
    inputs_digest,
    load_manifest,
    manifest_of,
    manifest_path,
    stamps_in,
)
from .picking import forget_choices

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


def _last_if_unchanged(
    hk: Settings, out: Path, settings: dict[str, Any], inputs: str
) -> BuildStats | None:
    """Return what the last build did when it had these inputs and its output stands as it
    left it; else None (a record missing or unreadable is no proof: the build runs)."""
    try:
        if inputs_path(hk, out).read_text("ascii") != inputs:
            return None
        last = last_build(hk, out)
    except (OSError, ValueError, TypeError):
        return None
    previous = load_manifest(manifest_of(settings))
    now = stamps_in(out, previous.files)
    return last if previous.files and manifest.intact(previous.files, now) else None


def build(hk: Settings, output: Path | None = None, clean: bool = False) -> BuildStats:
    """Build the site with Pelican, offline; return what the build did.

    When no input changed since the last build and its output stands as it left it, there is
    nothing to do (digests.inputs_digest). Otherwise pages whose inputs did not change are
    reused and files whose bytes did not change are not rewritten (writer.py); `clean` renders
    every page again.
    """
    from pelican import Pelican
    from pelican.log import init as init_logging

    out = output or hk.output
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SettingsError(
            f"{hk.source}: OUTPUT_PATH {out} cannot be created "
            f"({error.strerror}); choose a writable folder"
        ) from error
    init_logging(level=logging.WARNING, fatal="errors", name="pelican")
    settings = pelican_settings(hk, output)
    if clean:
        forget_pages(settings)
        forget_choices(hk)
    started = time.monotonic()
    sources, copies = inputs_digest(settings)  # before Pelican adds objects of its own to it
    record = inputs_path(hk, out)
    last = _last_if_unchanged(hk, out, settings, f"{sources} {copies}") if not clean else None
    if last is not None:
        files = last.written + last.unchanged + last.reused
        seconds = round(time.monotonic() - started, 3)
        stats = BuildStats(last.output, last.pages, 0, 0, files, 0, seconds, 1, True)
        write_atomically(stats_path(hk, out), json.dumps(vars(stats)).encode())
        return stats
    record.unlink(missing_ok=True)
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
    # Of the settings as read again (Pelican's run added to `settings`); the copies as left.
    sources_after, copies = inputs_digest(pelican_settings(hk, output))
    if sources_after == sources:  # no source changed while it built: the record holds
        write_atomically(record, f"{sources} {copies}".encode("ascii"), durable=False)
    return stats
