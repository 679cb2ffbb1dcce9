"""The owner's settings file (shell): executed once per command, as Pelican would execute it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from ..core.errors import SettingsError
from ..core.settings import Settings, validate


def _names(path: Path) -> dict[str, object]:
    """Run the file as a module and return the names it defines in capitals (Pelican's rule)."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    if spec is None or spec.loader is None:
        raise SettingsError(f"{path}: not a Python settings file")
    module = importlib.util.module_from_spec(spec)
    folder = str(path.parent)
    sys.path.insert(0, folder)  # publishconf.py does `from pelicanconf import *`
    try:
        spec.loader.exec_module(module)
    except Exception as error:  # the owner's Python: any error in it is a settings error
        raise SettingsError(f"{path}: the settings file fails to run: {error!r}") from error
    finally:
        sys.path.remove(folder)
    return {name: value for name, value in vars(module).items() if name.isupper()}


def load(path: Path) -> Settings:
    """Return the validated settings of a Pelican settings file (executed once)."""
    path = path.resolve()
    if not path.is_file():
        raise SettingsError(f"{path}: settings file not found")
    return validate(_names(path), path)
