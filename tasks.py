"""Haokan's commands (invoke). Each task is thin: it reads the settings once and calls the package.

invoke has neither variadic nor optional positional arguments (pyinvoke/invoke#760, #159), so
`invoke check A B C` and `invoke export-opml [FILE]` are handed to `python -m haokan`, which
spells them, before invoke's parser would refuse the extra words.
"""

from __future__ import annotations

import sys
from pathlib import Path

from invoke import Context, Program, task
from invoke.parser import Parser

from haokan import __main__ as haokan_main
from haokan.cli import commands, manage, upkeep

HERE = Path(__file__).resolve().parent  # the checkout: bench/ lives here
SETTINGS = "pelicanconf.py"
SETTINGS_HELP = {"settings": f"Pelican settings file (default: {SETTINGS})"}
SPELLED_BY_HAOKAN = frozenset({"check", "export-opml"})


def _hand_over_what_invoke_cannot_parse() -> None:
    """Run `check FILE...` and `export-opml [FILE]` through python -m haokan, then exit."""
    core = Parser(initial=Program().initial_context, ignore_unknown=True)
    words = core.parse_argv(sys.argv[1:]).unparsed  # what follows invoke's own options
    if words and words[0] in SPELLED_BY_HAOKAN and not {"-h", "--help"} & set(words):
        raise SystemExit(haokan_main.main(words))


_hand_over_what_invoke_cannot_parse()


@task(help={**SETTINGS_HELP, "force": "also fetch feeds that are backing off"})
def fetch(c: Context, settings: str = SETTINGS, force: bool = False) -> None:
    """Fetch every subscription and friend feed into the store."""
    commands.fetch(commands.load(settings), force=force)


@task(help={**SETTINGS_HELP, "clean": "render every page again, reusing nothing"})
def build(c: Context, settings: str = SETTINGS, clean: bool = False) -> None:
    """Build the site from the store and content/ (offline); only what changed is redone."""
    commands.build(commands.load(settings), clean=clean)


@task(help=SETTINGS_HELP)
def rebuild(c: Context, settings: str = SETTINGS) -> None:
    """Fetch, then build."""
    hk = commands.load(settings)
    commands.fetch(hk)
    commands.build(hk)


@task(help={**SETTINGS_HELP, "port": "port on 127.0.0.1 (default 8000)"})
def serve(c: Context, settings: str = SETTINGS, port: str = "8000") -> None:
    """Serve the built site on http://127.0.0.1:8000 (a plain static server)."""
    commands.serve(commands.load(settings).output, port)


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
    settings: str = SETTINGS,
) -> None:
    """Mark an article 好看 (with a note): writes content/haokan/<slug>.md."""
    commands.like(commands.load(settings), url, note, title, remove)


@task(
    help={
        "settings": "publishing settings (default: publishconf.py)",
        "dry_run": "print what would happen; build and deploy nothing",
    }
)
def publish(c: Context, settings: str = "publishconf.py", dry_run: bool = False) -> None:
    """Build with publishconf.py and deploy (gh-pages branch or rsync, per HAOKAN_PUBLISH)."""
    upkeep.publish(commands.load(settings), dry_run)


@task(help=SETTINGS_HELP)
def status(c: Context, settings: str = SETTINGS) -> None:
    """Show every feed's health: last success and error, failures, next retry, entries."""
    upkeep.status(commands.load(settings))


@task(
    help={
        **SETTINGS_HELP,
        "older_than": "days (entries newer are kept)",
        "dry_run": "only count what would go",
    }
)
def prune(
    c: Context, older_than: str = "", settings: str = SETTINGS, dry_run: bool = False
) -> None:
    """Remove stored entries older than DAYS that no mark references."""
    upkeep.prune(commands.load(settings), older_than, dry_run)


@task(help=SETTINGS_HELP)
def vacuum(c: Context, settings: str = SETTINGS) -> None:
    """Compact the store file."""
    upkeep.vacuum(commands.load(settings))


@task(help={**SETTINGS_HELP, "port": "port on 127.0.0.1 (default 8000)"})
def reader(c: Context, settings: str = SETTINGS, port: str = "8000") -> None:
    """Read the site on http://127.0.0.1:8000 with the live 好看 button."""
    from haokan.cli import reader as local_reader

    local_reader.serve(commands.load(settings), port)


@task(help={**SETTINGS_HELP, "folder": "the folder to file it in: Tech, or Tech/Python"})
def subscribe(c: Context, url: str, settings: str = SETTINGS, folder: str = "") -> None:
    """Subscribe to a feed, or to the feed a web page announces (or keeps at /feed …)."""
    manage.subscribe(commands.load(settings), url, folder)


@task(help={**SETTINGS_HELP, "forget": "also delete its stored entries"})
def unsubscribe(
    c: Context, subscription: str, settings: str = SETTINGS, forget: bool = False
) -> None:
    """Unsubscribe (by address or title); its entries stay stored unless --forget."""
    manage.unsubscribe(commands.load(settings), subscription, forget)


@task(help={**SETTINGS_HELP, "folder": "where it goes: Tech, Tech/Python, or / for the top"})
def move(c: Context, subscription: str, folder: str, settings: str = SETTINGS) -> None:
    """Move a subscription (by address or title) into another folder."""
    manage.move(commands.load(settings), subscription, folder)


@task(
    help={
        **SETTINGS_HELP,
        "name": "how they are named (default: their feed's title)",
        "avatar": "a local image of them (copied beside friends.opml)",
        "weight": "how much their picks count (1 is normal, up to 10)",
    }
)
def follow(
    c: Context,
    url: str,
    name: str = "",
    avatar: str = "",
    weight: str = "",
    settings: str = SETTINGS,
) -> None:
    """Follow a friend: their 好看 feed, or their site (its feed is found)."""
    manage.follow(commands.load(settings), url, name, avatar, weight)


@task(help=SETTINGS_HELP)
def unfollow(c: Context, friend: str, settings: str = SETTINGS) -> None:
    """Stop following a friend (by address or name)."""
    manage.unfollow(commands.load(settings), friend)


@task(help=SETTINGS_HELP)
def subscriptions(c: Context, settings: str = SETTINGS) -> None:
    """List the subscriptions: folder, title, health, address."""
    manage.list_subscriptions(commands.load(settings))


@task(help=SETTINGS_HELP)
def friends(c: Context, settings: str = SETTINGS) -> None:
    """List the friends: name, weight, health, their 好看 feed."""
    manage.list_friends(commands.load(settings))


@task(help={**SETTINGS_HELP, "yes": "do not ask (for scripts)"})
def init(c: Context, settings: str = SETTINGS, yes: bool = False) -> None:
    """Turn the demo into an empty site of your own (asks first; settings kept)."""
    from haokan.cli import init as start

    start.init(commands.load(settings), yes)


@task(
    name="import-opml",
    help={**SETTINGS_HELP, "discover": "find the feeds of outlines that list only a site"},
)
def import_opml(c: Context, file: str, settings: str = SETTINGS, discover: bool = True) -> None:
    """Merge another reader's OPML export; say what was left out and why."""
    manage.import_opml(commands.load(settings), Path(file), discover)


@task(name="export-opml", help={**SETTINGS_HELP, "file": "where to write (default: stdout)"})
def export_opml(c: Context, file: str = "", settings: str = SETTINGS) -> None:
    """Write the subscriptions as OPML 2.0 (to FILE, or standard output)."""
    haokan_main.main(["export-opml", "--settings", settings, *([file] if file else [])])


@task(help={"files": "the feed files, as bare words: invoke check A B C"})
def check(c: Context, files: str = "") -> None:
    """Run the ingest pipeline offline on feed files; one verdict per file."""
    haokan_main.main(["check", *files.split()])  # `invoke check A B` is handed over above


@task(help={**SETTINGS_HELP, "serve": "read the site in the local reader when built (default)"})
def demo(c: Context, settings: str = SETTINGS, serve: bool = True) -> None:
    """Ingest the bundled samples, build, and open the local reader on http://127.0.0.1:8000."""
    hk = commands.load(settings)
    commands.fetch(hk)
    commands.build(hk)
    if serve:
        from haokan.cli import reader as local_reader

        local_reader.serve(hk, 8000)


@task(help={**SETTINGS_HELP, "folder": "where to save them (default docs/screenshots)"})
def screenshots(c: Context, settings: str = SETTINGS, folder: str = "docs/screenshots") -> None:
    """Save screenshots of the built front page: phone and desktop, light and dark."""
    from haokan.cli import screenshots as shots

    for path in shots.take(commands.load(settings), Path(folder)):
        print(f"Saved {path}")


@task(help={"quick": "a small world, under two minutes"})
def bench(c: Context, quick: bool = False) -> None:
    """Time every stage beside its anchor in the same run; print the ratios (bench/)."""
    c.run(f"{sys.executable} {HERE / 'bench' / 'run.py'}" + (" --quick" if quick else ""))


@task
def test(c: Context) -> None:
    """Lint, check the layers' contracts, type-check, then run the whole test suite."""
    c.run(
        f"{sys.executable} -m ruff check plugins tests bench tasks.py pelicanconf.py publishconf.py"
    )
    c.run(str(Path(sys.executable).parent / "lint-imports"))
    c.run(f"{sys.executable} -m mypy plugins/haokan")
    # On every core (pytest-xdist): the tests are independent, each in its own folders and ports.
    c.run(f"{sys.executable} -m pytest -n auto", pty=False)
