"""Haokan (好看): a social feed reader published as a static site, as a Pelican plugin.

The package is four rooms, each importing only those below it (pyproject.toml's import-linter
contracts enforce this): cli/ (what the commands do) over site/ (Pelican) and ingest/ (the
network), over storage/ (the disk), over core/ (pure: values in, values out).

Importing the package stays free of Pelican (importing it changes process-wide logging);
Pelican calls register(), which loads the glue.
"""

from __future__ import annotations


def register() -> None:
    """Connect Haokan's receivers to Pelican's signals (called by Pelican)."""
    from .site import plugin

    plugin.register()
