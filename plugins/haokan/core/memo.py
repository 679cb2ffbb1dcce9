"""Values made of particular objects, remembered (pure): for a process that makes the same
values of the same frozen objects again — the warm builder rehearses a build before the press
and then builds (site/warm.py), and most of what the press's build makes, it made already.

A value is found by the identity of the objects it was made of (which are kept with it, so
that an id cannot come to stand for another object) and by the equality of small extras.
"""

from __future__ import annotations

from typing import Generic, TypeVar

V = TypeVar("V")


class Remembered(Generic[V]):
    """Values by the objects they were made of; forgotten all at once past `limit`."""

    def __init__(self, limit: int = 1 << 18) -> None:
        self.limit = limit
        self._kept: dict[tuple[int, ...], tuple[tuple[object, ...], tuple[object, ...], V]] = {}

    def get(self, objects: tuple[object, ...], extras: tuple[object, ...] = ()) -> V | None:
        """Return the value made of these very `objects` and equal `extras`, if kept."""
        # The ids are enough: the objects are kept with the value, so while it is kept no other
        # object can have their ids (checking each `is` as well took twice the lookup's time).
        known = self._kept.get(tuple(map(id, objects)))
        if known is None or known[1] != extras:
            return None
        return known[2]

    def keep(self, objects: tuple[object, ...], extras: tuple[object, ...], value: V) -> V:
        """Remember `value` as made of `objects` and `extras`; return it."""
        if len(self._kept) >= self.limit:
            self._kept.clear()
        self._kept[tuple(map(id, objects))] = (objects, extras, value)
        return value
