"""Files read once per version (shell): what a loader made of a file, kept while the file
stands as it was (same inode, size and modification time).

A build reads its manifest and its 精选 records more than once, and the local reader's warm
builder reads them before the press (site/warm.py): each is parsed once while it does not
change. A file replaced (write_atomically makes a new inode) or rewritten is read again.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")
Version = tuple[int, int, int]  # inode, size, modification time


def _version(path: Path) -> Version:
    status = os.stat(path)
    return (status.st_ino, status.st_size, status.st_mtime_ns)


class Stamped(Generic[T]):
    """A loader that remembers its last result for each file until the file changes.

    The result is shared: loaders return values their callers only read."""

    def __init__(self, load: Callable[[Path], T]) -> None:
        self._load = load
        self._kept: dict[Path, tuple[Version, T]] = {}
        functools.update_wrapper(self, load)

    def __call__(self, path: Path) -> T:
        try:
            version = _version(path)
        except OSError:
            self._kept.pop(path, None)
            return self._load(path)  # no file: the loader says what that means
        known = self._kept.get(path)
        if known is not None and known[0] == version:
            return known[1]
        value = self._load(path)
        self._kept[path] = (version, value)
        return value

    def remember(self, path: Path, value: T) -> None:
        """Remember `value` as what the file at `path` holds as it stands now: its writer,
        which has just written it, need not have it read back."""
        self._kept[path] = (_version(path), value)


def stamped(load: Callable[[Path], T]) -> Stamped[T]:
    """Return `load`, remembering its last result for each file until the file changes."""
    return Stamped(load)
