"""Errors the owner can cause and fix, in a module light enough for every command to import."""

from __future__ import annotations


class DiscoveryError(ValueError):
    """No feed could be found at or announced by the address; the message says why."""
