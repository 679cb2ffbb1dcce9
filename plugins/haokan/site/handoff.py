"""The one value a build hands across Pelican's construction order (shell).

Pelican makes the articles (where Haokan assembles its `Build` and plans what to redo), then
its own generators and ours, then the writer, and hands the writer only the shared context of
each page it writes. The build and its plan travel in that context, under one key, through
this accessor pair: nothing else of Haokan's is read from the context.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..core.build import Build
from ..core.manifest import Plan

_KEY = "haokan"


@dataclass(frozen=True)
class Handoff:
    """What the article step made for the pages, the feeds and the writer."""

    build: Build
    plan: Plan


def hand_over(context: dict[str, Any], build: Build, plan: Plan) -> None:
    """Put this build's values where the generators and the writer find them."""
    context[_KEY] = Handoff(build, plan)


def received(context: dict[str, Any]) -> Handoff:
    """Return this build's values (the article step always runs first)."""
    handoff = context[_KEY]
    assert isinstance(handoff, Handoff), "Haokan's article step did not run"
    return handoff
