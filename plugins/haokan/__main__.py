"""`python -m haokan`: the commands whose words invoke cannot parse, and the reader's rebuild.

invoke has neither variadic nor optional positional arguments (pyinvoke/invoke#760, #159), so
`check FILE...` and `export-opml [FILE]` are spelled here; tasks.py hands them over. `build` is
here too, and `ready`: the build process the local reader keeps waiting (site/warm.py).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

SETTINGS = "pelicanconf.py"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m haokan", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="run the ingest pipeline offline on feed files")
    check.add_argument("files", nargs="+", type=Path, metavar="FILE")
    export = commands.add_parser("export-opml", help="write the subscriptions as OPML 2.0")
    export.add_argument("file", nargs="?", type=Path, metavar="FILE", help="default: stdout")
    export.add_argument("--settings", default=SETTINGS, help=f"default: {SETTINGS}")
    build = commands.add_parser("build", help="build the site from the store, offline")
    build.add_argument("--settings", default=SETTINGS, help=f"default: {SETTINGS}")
    build.add_argument("--clean", action="store_true", help="render every page again")
    ready = commands.add_parser("ready", help="(the local reader's) build once when told")
    ready.add_argument("--settings", default=SETTINGS, help=f"default: {SETTINGS}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the exit code."""
    arguments = _parser().parse_args(argv)
    if arguments.command == "ready":
        from .site import warm

        warm.ready(Path(arguments.settings))
    from .cli import commands

    if arguments.command == "check":
        commands.check(arguments.files)
    elif arguments.command == "export-opml":
        commands.export_opml(commands.load(arguments.settings), arguments.file)
    else:
        commands.build(commands.load(arguments.settings), clean=arguments.clean)
    return 0


if __name__ == "__main__":
    sys.exit(main())
