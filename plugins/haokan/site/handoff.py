"""The one value a build hands across Pelican's construction order (shell).

Pelican makes the articles (where Haokan assembles its `Build` and plans what to redo), then
its own generators and ours, then the writer, and hands the writer only the shared context of
each page it writes. The build and its plan travel in that context, under one key, through
this accessor pair: nothing else of Haokan's is read from the context.
"""

from __future__ import annotations

from typing import Any, Protocol

from ..core.build import Build
from ..core.manifest import Plan

_KEY = "haokan"


class Later(Protocol):
    """What a build waits for while its pages are queued: each page's "More like this" and
    the 精选, chosen in a process of their own (site/plugin.py)."""

    def busy(self) -> bool:
        """Return True while they are still being chosen."""

    def join(self) -> tuple[Build, Plan]:
        """Wait for them; return the build and the plan with them."""


class Handoff:
    """What the article step made for the pages, the feeds and the writer.

    While a `later` is pending, `build` lacks only the 精选 and each page's "More like this",
    which only the article pages and the 精选 page show; `join` (Haokan's generator, before
    it writes its pages) completes the build and the plan (its article pages' digests). With
    `pages_wait` False, the pages have their lists already and only the 精选 is pending."""

    def __init__(
        self, build: Build, plan: Plan, later: Later | None = None, pages_wait: bool = True
    ) -> None:
        self.build, self.plan, self._later = build, plan, later
        self._pages_wait = pages_wait

    @property
    def pending(self) -> bool:
        """Return True until the build is complete."""
        return self._later is not None

    @property
    def pages_wait(self) -> bool:
        """Return True while the article pages wait for their "More like this"."""
        return self._later is not None and self._pages_wait

    def busy(self) -> bool:
        """Return True while what the build waits for is still being made."""
        return self._later is not None and self._later.busy()

    def join(self) -> None:
        """Complete the build and the plan (waiting for them if need be)."""
        if self._later is not None:
            self.build, self.plan = self._later.join()
            self._later = None


def hand_over(
    context: dict[str, Any],
    build: Build,
    plan: Plan,
    later: Later | None = None,
    pages_wait: bool = True,
) -> None:
    """Put this build's values where the generators and the writer find them."""
    context[_KEY] = Handoff(build, plan, later, pages_wait)


def received(context: dict[str, Any]) -> Handoff:
    """Return this build's values (the article step always runs first)."""
    handoff = context[_KEY]
    assert isinstance(handoff, Handoff), "Haokan's article step did not run"
    return handoff
