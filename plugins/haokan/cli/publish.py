"""Deploy the built site (shell): a gh-pages branch with ghp-import, or rsync to a host."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from ..core.errors import PublishError
from ..core.settings import Settings
from ..core.times import utc_minutes


def commands(hk: Settings, output: Path, now: datetime) -> list[list[str]]:
    """Return the commands that deploy `output` per the settings (pure: nothing runs)."""
    if hk.publish == "rsync":
        if not hk.rsync_target:
            raise PublishError(
                f"{hk.source}: HAOKAN_PUBLISH = 'rsync' needs HAOKAN_RSYNC_TARGET, "
                "e.g. 'me@example.com:/var/www/haokan/'"
            )
        # -e ssh for host:path targets; a local folder works too (the tests use one).
        return [
            [
                "rsync",
                "--archive",
                "--compress",
                "--delete",
                "--human-readable",
                "--itemize-changes",
                f"{output}/",
                hk.rsync_target,
            ]
        ]
    message = f"Publish {utc_minutes(now)}"
    return [
        [
            sys.executable,
            "-m",
            "ghp_import",
            "--no-jekyll",
            "--push",
            "--force",
            "--remote",
            hk.publish_remote,
            "--branch",
            hk.publish_branch,
            "--message",
            message,
            str(output),
        ]
    ]


def deploy(hk: Settings, output: Path, repo: Path, dry_run: bool) -> list[list[str]]:
    """Run (or, dry, only return) the deploy commands; raise PublishError on failure."""
    planned = commands(hk, output, datetime.now(UTC))
    if dry_run:
        return planned
    if hk.publish == "rsync" and shutil.which("rsync") is None:
        raise PublishError("rsync is not installed (Debian: apt-get install rsync)")
    if hk.publish == "gh-pages" and not (repo / ".git").exists():
        raise PublishError(
            f"{repo} is not a git repository: gh-pages publishing needs one "
            "(git init, and a remote named by HAOKAN_PUBLISH_REMOTE)"
        )
    for command in planned:
        result = subprocess.run(command, cwd=repo, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()[-3:]
            raise PublishError(
                f"{command[0] if 'rsync' in command[0] else 'ghp-import'} "
                f"failed: {' / '.join(detail)}"
            )
    return planned
