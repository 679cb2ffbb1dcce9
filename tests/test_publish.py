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
    assert "Dry run: checks passed; would build" in result.stdout
    assert "rsync --archive --compress --delete" in result.stdout and str(target) in result.stdout
    assert not target.exists() and not (site.root / "public").exists()


def one_line(result) -> str:
    assert result.returncode == 1, result.stdout
    (line,) = result.stderr.strip().splitlines()
    return line


@pytest.mark.parametrize(
    ("extra", "env", "message"),
    [
        ('HAOKAN_PUBLISH = "rsync"\n', {}, "needs HAOKAN_RSYNC_TARGET"),
        (
            'HAOKAN_PUBLISH = "rsync"\nHAOKAN_RSYNC_TARGET = "/tmp/x/"\n',
            {"PATH": "/nonexistent"},
            "rsync is not installed",
        ),
        ('SITEURL = FEED_DOMAIN = "https://example.com"\n', {}, "still the placeholder"),
        ('SITEURL = ""\n', {}, "SITEURL is ''; set it in haokanconf.py"),
        ("", {}, "is not a git repository"),
    ],
)
def test_what_would_stop_a_deploy_is_one_line_before_anything_is_built(
    tmp_path, extra, env, message
):
    site = publishing_site(tmp_path, extra)
    for args in (["publish"], ["publish", "--dry-run"]):
        assert message in one_line(site.invoke(*args, ok=False, env=env)), args
    assert not (site.root / "public").exists()


def test_a_missing_git_remote_is_named(tmp_path):
    site = publishing_site(tmp_path, "")
    git("init", "--quiet", cwd=site.root)
    assert "git remote 'origin' is not configured" in one_line(site.invoke("publish", ok=False))


def two_settings(tmp_path, publish_extra: str) -> Site:
    """A site with its own pelicanconf.py (the reader's, building output/) and publishconf.py."""
    root = tmp_path / "own"
    (root / "content" / "haokan").mkdir(parents=True)
    (root / "content" / "haokan" / "a.md").write_text(
        "Title: A good read\nLink: https://e.org/a\nDate: 2026-11-24 10:00+08:00\n\nYes.\n"
    )
    (root / "pelicanconf.py").write_text(
        "import runpy\n"
        f"globals().update((k, v) for k, v in runpy.run_path({str(ROOT / 'pelicanconf.py')!r})"
        ".items() if k.isupper())\n"
    )
    (root / "publishconf.py").write_text(
        "from pelicanconf import *  # noqa\n"
        'SITEURL = FEED_DOMAIN = "https://haokan.example"\nRELATIVE_URLS = False\n'
        "DELETE_OUTPUT_DIRECTORY = True\n" + publish_extra
    )
    return Site(root)


@pytest.mark.skipif(shutil.which("rsync") is None, reason="rsync is not installed")
def test_publishing_leaves_the_readers_site_byte_for_byte_alone(tmp_path):
    target = tmp_path / "www"
    rsync = f'HAOKAN_PUBLISH = "rsync"\nHAOKAN_RSYNC_TARGET = {str(target) + "/"!r}\n'
    site = two_settings(tmp_path, 'OUTPUT_PATH = "public"\n' + rsync)
    site.invoke("build", "--settings", str(site.root / "pelicanconf.py"))
    before = {p: p.read_bytes() for p in sorted(site.output.rglob("*")) if p.is_file()}
    site.invoke("publish", "--settings", str(site.root / "publishconf.py"))
    after = {p: p.read_bytes() for p in sorted(site.output.rglob("*")) if p.is_file()}
    assert after == before and len(before) > 20
    assert (
        'href="https://haokan.example/theme/css/haokan.css"' in (target / "index.html").read_text()
    )
    assert 'href="./theme/css/haokan.css"' in (site.output / "index.html").read_text()


def test_publishing_into_the_readers_folder_is_refused(tmp_path):
    site = two_settings(tmp_path, 'OUTPUT_PATH = "output"\n')
    line = one_line(
        site.invoke("publish", "--settings", str(site.root / "publishconf.py"), ok=False)
    )
    assert "builds into" in line and "the local reader's site; set OUTPUT_PATH = 'public'" in line
