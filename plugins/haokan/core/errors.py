"""Every error the owner can cause and fix: each message names the file or setting and the mend.

Commands turn exactly these into one line and exit code 1 (cli/report.py); anything else is a
bug in Haokan and fails loudly with its traceback.
"""

from __future__ import annotations


class SettingsError(ValueError):
    """A setting is unknown, of the wrong type or out of range, or the settings file fails."""


class OpmlError(ValueError):
    """An OPML file (subscriptions, friends, an import) that cannot be read as it stands."""


class MarkError(ValueError):
    """A 好看 mark file the owner must fix, or a mark that cannot be made."""


class StoreError(RuntimeError):
    """The store cannot be used: not ours, newer than this Haokan, or not writable."""


class DiscoveryError(ValueError):
    """No feed could be found at, or announced by, an address."""


class PublishError(RuntimeError):
    """The deploy could not run or failed."""


class BuildFailed(RuntimeError):
    """Pelican reported an error during the build."""


OWNER_ERRORS: tuple[type[Exception], ...] = (
    SettingsError,
    OpmlError,
    MarkError,
    StoreError,
    DiscoveryError,
    PublishError,
    BuildFailed,
)
