"""Haokan's commands (invoke). Each task is thin: it calls into plugins/haokan/commands.py."""

from __future__ import annotations

import sys
from pathlib import Path

from invoke import Context, task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))

from haokan import commands, upkeep  # noqa: E402

SETTINGS_HELP = {"settings": "Pelican settings file (default: pelicanconf.py)"}


# Tasks whose bare words are files: `check A B C` (any number) and `export-opml [FILE]`.
FILE_WORDS = {"check": "--files", "export-opml": "--file"}


def _files_from_bare_words() -> None:
    """Turn the bare words after `check`/`export-opml` into their file options.

    invoke has neither variadic nor optional positional arguments. It loads this file after
    reading its own options and before parsing the tasks' words, so they can be rewritten here.
    """
    import inspect

    from invoke import Program

    for frame in inspect.stack(0):
        program = frame.frame.f_locals.get("self")
        if isinstance(program, Program) and getattr(program, "core", None):
            words = program.core.unparsed
            if words and words[0] in FILE_WORDS:
                option, rewritten, value_next = FILE_WORDS[words[0]], words[:1], False
                for word in words[1:]:
                    bare = not word.startswith("-") and not value_next
                    rewritten.append(f"{option}={word}" if bare else word)
                    value_next = word.startswith("-") and "=" not in word
                words[:] = rewritten
            return


_files_from_bare_words()


def _settings(path: str) -> Path:
    return Path(path).resolve()


@task(help={**SETTINGS_HELP, "force": "also fetch feeds that are backing off"})
def fetch(c: Context, settings: str = "pelicanconf.py", force: bool = False) -> None:
    """Fetch every subscription and friend feed into the store."""
    commands.fetch(_settings(settings), force=force)


@task(help={**SETTINGS_HELP, "clean": "render every page again, reusing nothing"})
def build(c: Context, settings: str = "pelicanconf.py", clean: bool = False) -> None:
    """Build the site from the store and content/ (offline); only what changed is redone."""
    commands.build(_settings(settings), clean=clean)


@task(help=SETTINGS_HELP)
def rebuild(c: Context, settings: str = "pelicanconf.py") -> None:
    """Fetch, then build."""
    commands.fetch(_settings(settings))
    commands.build(_settings(settings))


@task(help={**SETTINGS_HELP, "port": "port on 127.0.0.1 (default 8000)"})
def serve(c: Context, settings: str = "pelicanconf.py", port: int = 8000) -> None:
    """Serve the built site on http://127.0.0.1:8000 (a plain static server)."""
    commands.serve(commands.output_path(_settings(settings)), port)


@task(
    help={
        **SETTINGS_HELP,
        "note": "your 想法: a short note, Markdown",
        "title": "the article's title (else from the store, or the page itself)",
        "remove": "remove the mark instead",
    }
)
def like(
    c: Context,
    url: str,
    note: str = "",
    title: str = "",
    remove: bool = False,
    settings: str = "pelicanconf.py",
) -> None:
    """Mark an article 好看 (with a note): writes content/haokan/<slug>.md."""
    commands.like(_settings(settings), url, note, title, remove)


@task(
    help={
        "settings": "publishing settings (default: publishconf.py)",
        "dry_run": "print what would happen; build and deploy nothing",
    }
)
def publish(c: Context, settings: str = "publishconf.py", dry_run: bool = False) -> None:
    """Build with publishconf.py and deploy (gh-pages branch or rsync, per HAOKAN_PUBLISH)."""
    upkeep.publish(_settings(settings), dry_run)


@task(help=SETTINGS_HELP)
def status(c: Context, settings: str = "pelicanconf.py") -> None:
    """Show every feed's health: last success and error, failures, next retry, entries."""
    upkeep.status(_settings(settings))


@task(
    help={
        **SETTINGS_HELP,
        "older_than": "days (entries newer are kept)",
        "dry_run": "only count what would go",
    }
)
def prune(
    c: Context, older_than: int = 0, settings: str = "pelicanconf.py", dry_run: bool = False
) -> None:
    """Remove stored entries older than DAYS that no mark references."""
    upkeep.prune(_settings(settings), older_than, dry_run)


@task(help=SETTINGS_HELP)
def vacuum(c: Context, settings: str = "pelicanconf.py") -> None:
    """Compact the store file."""
    upkeep.vacuum(_settings(settings))


@task(help={**SETTINGS_HELP, "port": "port on 127.0.0.1 (default 8000)"})
def reader(c: Context, settings: str = "pelicanconf.py", port: int = 8000) -> None:
    """Read the site on http://127.0.0.1:8000 with the live 好看 button."""
    from haokan import reader as local_reader

    settings_file = _settings(settings)
    local_reader.serve(port, commands.output_path(settings_file), settings_file)


@task(help={**SETTINGS_HELP, "folder": "folder to file it under"})
def subscribe(c: Context, url: str, settings: str = "pelicanconf.py", folder: str = "") -> None:
    """Subscribe to a feed, or to the feed a web page announces."""
    commands.subscribe(_settings(settings), url, folder)


@task(name="import-opml", help=SETTINGS_HELP)
def import_opml(c: Context, file: str, settings: str = "pelicanconf.py") -> None:
    """Merge another reader's OPML export into the subscriptions."""
    commands.import_opml(_settings(settings), Path(file))


@task(name="export-opml", help={**SETTINGS_HELP, "file": "where to write (default: stdout)"})
def export_opml(c: Context, file: str | None = None, settings: str = "pelicanconf.py") -> None:
    """Write the subscriptions as OPML 2.0 (to FILE, or standard output)."""
    commands.export_opml(_settings(settings), Path(file) if file else None)


@task(iterable=["files"], help={"files": "feed files to check (any number: check A B C)"})
def check(c: Context, files: list[str]) -> None:
    """Run the ingest pipeline offline on feed files; one verdict per file."""
    commands.check([Path(f) for f in files])


@task(help={**SETTINGS_HELP, "serve": "read the site in the local reader when built (default)"})
def demo(c: Context, settings: str = "pelicanconf.py", serve: bool = True) -> None:
    """Ingest the bundled samples, build, and open the local reader on http://127.0.0.1:8000."""
    commands.fetch(_settings(settings))
    commands.build(_settings(settings))
    if serve:
        reader(c, settings)


@task(help={**SETTINGS_HELP, "folder": "where to save them (default docs/screenshots)"})
def screenshots(
    c: Context, settings: str = "pelicanconf.py", folder: str = "docs/screenshots"
) -> None:
    """Save screenshots of the built front page: phone and desktop, light and dark."""
    from haokan import screenshots as shots

    for path in shots.take(commands.output_path(_settings(settings)), Path(folder)):
        print(f"Saved {path}")


@task(help={"quick": "a small world, under two minutes"})
def bench(c: Context, quick: bool = False) -> None:
    """Time every stage beside its anchor in the same run; print the ratios (bench/)."""
    c.run(f"{sys.executable} {ROOT / 'bench' / 'run.py'}" + (" --quick" if quick else ""))


@task
def test(c: Context) -> None:
    """Lint, then run the whole test suite."""
    c.run(f"{sys.executable} -m ruff check plugins tests tasks.py pelicanconf.py publishconf.py")
    c.run(f"{sys.executable} -m mypy plugins/haokan")
    c.run(f"{sys.executable} -m pytest", pty=False)
