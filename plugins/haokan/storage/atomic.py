"""Replace a file whole (shell): a reader never sees half of it, a crash leaves the old one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes, durable: bool = True) -> None:
    """Replace `path` with `data` through a temporary file beside it.

    `durable` also flushes the data to disk before the rename (the owner's files and the
    manifest); a built page can skip that, since a crash costs only a rebuild.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
