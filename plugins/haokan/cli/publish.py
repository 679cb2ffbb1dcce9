"""Deploy the built site (shell): a gh-pages branch with ghp-import, or rsync to a host.

Everything a deploy needs is checked before anything is built: a publish that cannot land
should say so in a second, not after a full build.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from ..core.errors import PublishError
from ..core.settings import Settings
from ..core.times import minutes

# SITEURLs that only say "set me": the one publishconf.py ships with, and its kin.
PLACEHOLDER_HOSTS = frozenset({"example.com", "www.example.com", "example.org", "example.net"})


def _site_url_problem(hk: Settings) -> str | None:
    host = (urlsplit(hk.site_url).hostname or "").lower()
    if not hk.site_url.startswith(("http://", "https://")) or not host:
        return f"SITEURL is {hk.site_url!r}; set it in {hk.source.name} to where the site lives"
    if host in PLACEHOLDER_HOSTS:
        return (
            f"SITEURL is still the placeholder {hk.site_url}; set it in {hk.source.name} "
            "to where the site lives"
        )
    return None


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)


def _target_problem(hk: Settings, repo: Path) -> str | None:
    if hk.publish == "rsync":
        if shutil.which("rsync") is None:
            return "rsync is not installed (Debian: apt-get install rsync)"
        if not hk.rsync_target:
            return (
                f"{hk.source.name}: HAOKAN_PUBLISH = 'rsync' needs HAOKAN_RSYNC_TARGET, "
                "e.g. 'me@example.com:/var/www/haokan/'"
            )
        return None
    if shutil.which("git") is None:
        return "git is not installed: gh-pages publishing needs it (Debian: apt-get install git)"
    if _git(repo, "rev-parse", "--git-dir").returncode != 0:
        return (
            f"{repo} is not a git repository: gh-pages publishing needs one "
            "(git init, and a remote named by HAOKAN_PUBLISH_REMOTE)"
        )
    remote = hk.publish_remote
    named = ":" not in remote and not Path(remote).expanduser().is_absolute()  # not a URL, path
    if named and _git(repo, "remote", "get-url", remote).returncode != 0:
        return (
            f"git remote {remote!r} is not configured in {repo}: add it "
            f"(git remote add {remote} URL) or set HAOKAN_PUBLISH_REMOTE"
        )
    return None


def check(hk: Settings, repo: Path, reader_output: Path | None) -> None:
    """Raise PublishError, in one line, for the first thing that would stop the deploy."""
    collides = reader_output is not None and reader_output == hk.output
    problems = [
        f"{hk.source.name} builds into {hk.output}, the local reader's site; "
        "set OUTPUT_PATH = 'public' there"
        if collides
        else None,
        _site_url_problem(hk),
        _target_problem(hk, repo),
    ]
    first = next((p for p in problems if p), None)
    if first:
        raise PublishError(first)


def commands(hk: Settings, output: Path, now: datetime) -> list[list[str]]:
    """Return the commands that deploy `output` per the settings (pure: nothing runs)."""
    if hk.publish == "rsync":
        # A host:path target goes over ssh; a local folder works too (the tests use one).
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
            f"Publish {minutes(now, hk.zone)}",
            str(output),
        ]
    ]


def deploy(hk: Settings, output: Path, repo: Path, now: datetime) -> list[list[str]]:
    """Run the deploy commands; raise PublishError when one fails."""
    planned = commands(hk, output, now)
    for command in planned:
        result = subprocess.run(command, cwd=repo, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()[-3:]
            tool = "rsync" if hk.publish == "rsync" else "ghp-import"
            raise PublishError(f"{tool} failed: {' / '.join(detail)}")
    return planned
