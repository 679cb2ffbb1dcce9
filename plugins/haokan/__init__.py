"""Haokan (好看): a social feed reader published as a static site, as a Pelican plugin.

Importing the package stays free of Pelican (importing it changes process-wide logging);
Pelican calls register(), which loads the glue.
"""

from __future__ import annotations


def register() -> None:
    """Connect Haokan's receivers to Pelican's signals (called by Pelican)."""
    from . import glue

    glue.register()
