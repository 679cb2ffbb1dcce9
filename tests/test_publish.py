"""Publishing: to a bare git repository (gh-pages) and an rsync folder, both in tmp."""

import shutil
import subprocess

import pytest

from conftest import ROOT, Site

pytestmark = pytest.mark.slow


def git(*args, cwd):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)


def publishing_site(tmp_path, extra: str) -> Site:
    root = tmp_path / "site"
    (root / "content" / "haokan").mkdir(parents=True)
    (root / "content" / "haokan" / "a.md").write_text(
        "Title: A good read\nLink: https://e.org/a\nDate: 2026-11-24 10:00+08:00\n\nYes.\n"
    )
    (root / "haokanconf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom publishconf import *  # noqa\n"
        'SITEURL = FEED_DOMAIN = "https://haokan.example"\n' + extra,
        "utf-8",
    )
    return Site(root)


def test_gh_pages_branch_pushed_to_a_bare_repository(tmp_path):
    bare = tmp_path / "remote.git"
    git("init", "--bare", "--quiet", str(bare), cwd=tmp_path)
    site = publishing_site(tmp_path, f"HAOKAN_PUBLISH_REMOTE = {str(bare)!r}\n")
    git("init", "--quiet", cwd=site.root)
    git("config", "user.email", "owner@haokan.example", cwd=site.root)
    git("config", "user.name", "Owner", cwd=site.root)
    result = site.invoke("publish")
    assert "Published" in result.stdout and f"branch gh-pages of {bare}" in result.stdout
    files = git("ls-tree", "-r", "--name-only", "gh-pages", cwd=bare).stdout.split()
    assert {"index.html", ".nojekyll", "feeds/haokan.atom.xml", "sitemap.xml"} <= set(files)
    index = git("show", "gh-pages:index.html", cwd=bare).stdout
    assert '<link rel="canonical" href="https://haokan.example/">' in index
    feed = git("show", "gh-pages:feeds/haokan.atom.xml", cwd=bare).stdout
    assert "https://haokan.example/feeds/haokan.atom.xml" in feed
    site.invoke("publish")  # publishing again adds a commit, it does not fail
    assert len(git("log", "--oneline", "gh-pages", cwd=bare).stdout.splitlines()) == 2


@pytest.mark.skipif(shutil.which("rsync") is None, reason="rsync is not installed")
def test_rsync_to_a_folder_mirrors_the_output(tmp_path):
    target = tmp_path / "www"
    target.mkdir()
    (target / "stale.html").write_text("from an older site")
    site = publishing_site(
        tmp_path, f'HAOKAN_PUBLISH = "rsync"\nHAOKAN_RSYNC_TARGET = {str(target) + "/"!r}\n'
    )
    site.invoke("publish")
    assert (target / "index.html").is_file() and (target / "status" / "index.html").is_file()
    assert not (target / "stale.html").exists()  # --delete: the target mirrors output/


def test_dry_run_says_what_it_would_do_and_does_nothing(tmp_path):
    target = tmp_path / "www"
    site = publishing_site(
        tmp_path, f'HAOKAN_PUBLISH = "rsync"\nHAOKAN_RSYNC_TARGET = {str(target) + "/"!r}\n'
    )
    result = site.invoke("publish", "--dry-run")
    assert "Dry run: would build" in result.stdout
    assert "rsync --archive --compress --delete" in result.stdout and str(target) in result.stdout
    assert not target.exists() and not site.output.exists()


def test_rsync_without_a_target_is_one_clear_error(tmp_path):
    site = publishing_site(tmp_path, 'HAOKAN_PUBLISH = "rsync"\n')
    result = site.invoke("publish", ok=False)
    assert result.returncode == 1 and "needs HAOKAN_RSYNC_TARGET" in result.stderr
