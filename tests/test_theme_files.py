"""The theme's static files, which Haokan's generator copies in place of Pelican's
StaticGenerator (site/plugin.py `configure` says why), land where Pelican puts them, with the
same bytes and the same files skipped (so a Pelican release that copies otherwise fails here)."""

import os
from types import SimpleNamespace

from pelican.generators import StaticGenerator

from conftest import tree
from haokan.site.generator import HaokanGenerator

IGNORE_FILES = ["*.bak", "**/.*"]


def a_theme(root):
    """A theme with a folder of static files (nested, one to ignore) and a file named alone."""
    files = {
        "static/css/site.css": "body { color: #333 }",
        "static/js/app.js": "console.log(1)",
        "static/fonts/deep/a.woff2": "font",
        "static/old.bak": "ignored",
        "static/drafts.bak/x.css": "ignored with its folder",
        "favicon.svg": "<svg/>",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


class Copier:
    """Our writer's copy_file, into a folder."""

    def __init__(self, output):
        self.output = output

    def copy_file(self, source, name):
        path = self.output / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(source.read_bytes())


def test_the_theme_files_are_copied_as_pelican_copies_them(tmp_path):
    theme = a_theme(tmp_path / "theme")
    paths = ["static", "favicon.svg"]
    pelican = SimpleNamespace(settings={"IGNORE_FILES": IGNORE_FILES})
    StaticGenerator._copy_paths(pelican, paths, str(theme), "theme", str(tmp_path / "p"), os.curdir)
    ours = SimpleNamespace(
        theme=str(theme),
        settings={
            "THEME_STATIC_DIR": "theme",
            "IGNORE_FILES": IGNORE_FILES,
            "HAOKAN_THEME_STATIC_PATHS": paths,
        },
    )
    HaokanGenerator._theme_files(ours, Copier(tmp_path / "o"))
    theirs = tree(tmp_path / "p")
    assert "theme/css/site.css" in theirs and "theme/favicon.svg" in theirs
    assert not any(name.endswith(".bak") or ".bak/" in name for name in theirs)
    assert tree(tmp_path / "o") == theirs
