"""`invoke init` (shell): turn the demo checkout into an empty site of the owner's own.

The settings file is kept. The demo's subscriptions, friends and marks are tracked by git, so
`git checkout content/` brings them back; the store is a cache of the outside world. Build
manifests are kept on purpose: the next build then removes every page of the demo.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from ..core.errors import SettingsError
from ..core.opml import render_opml
from ..core.settings import Settings
from ..core.words import counted
from ..storage import owner
from ..storage.atomic import write_atomically
from ..storage.store import store_files
from .report import console, owner_errors_exit


def _doomed(hk: Settings) -> tuple[list[Path], list[Path]]:
    """Return (the OPML files replaced by empty ones, the files deleted)."""
    replaced = [p for p in (hk.subscriptions, hk.friends) if p.exists()]
    marks = sorted(hk.marks_dir.glob("*.md")) if hk.marks_dir.is_dir() else []
    return replaced, marks + [p for p in store_files(hk.store) if p.exists()]


def _agreed(replaced: list[Path], deleted: list[Path]) -> bool:
    if not sys.stdin.isatty():
        raise SettingsError(
            "`invoke init` asks before deleting anything: run it in a terminal, or with --yes"
        )
    console.print("This makes an empty site of your own, keeping your settings file:")
    for path in replaced:
        console.print(f"  empty {path}")
    for path in deleted:
        console.print(f"  delete {path}")
    console.print("The demo's files come back with `git checkout content/`.")
    return input("Go ahead? [y/N] ").strip().lower() in {"y", "yes"}


@owner_errors_exit
def init(hk: Settings, yes: bool = False) -> None:
    """Empty the subscriptions and friends, remove the marks and the store (after asking)."""
    replaced, deleted = _doomed(hk)
    if not yes and (replaced or deleted) and not _agreed(replaced, deleted):
        console.print("Nothing was changed.")
        return
    now = datetime.now(UTC)
    write_atomically(hk.subscriptions, render_opml(owner.SUBSCRIPTIONS_TITLE, (), now))
    write_atomically(hk.friends, render_opml(owner.FRIENDS_TITLE, (), now))
    for path in deleted:
        path.unlink()
    marks = sum(1 for p in deleted if p.suffix == ".md")
    console.print(
        f"Made an empty site: no subscriptions, no friends, {counted(marks, 'mark')} and the store "
        "removed. "
        "Next: `invoke subscribe URL` (or `invoke import-opml FILE`), `invoke follow URL`, "
        "`invoke fetch`, `invoke build`, `invoke reader`."
    )
