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
from typing import TypeVar

T = TypeVar("T")


def stamped(load: Callable[[Path], T]) -> Callable[[Path], T]:
    """Return `load`, remembering its last result for each file until the file changes.

    The result is shared: loaders return values their callers only read."""
    kept: dict[Path, tuple[tuple[int, int, int], T]] = {}

    @functools.wraps(load)
    def cached(path: Path) -> T:
        try:
            status = os.stat(path)
        except OSError:
            kept.pop(path, None)
            return load(path)  # no file: the loader says what that means
        version = (status.st_ino, status.st_size, status.st_mtime_ns)
        known = kept.get(path)
        if known is not None and known[0] == version:
            return known[1]
        value = load(path)
        kept[path] = (version, value)
        return value

    return cached
