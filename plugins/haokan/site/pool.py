"""Pages rendered on every core (shell).

The writer queues each page and feed it must render (writer.py) and, once Pelican and Haokan
have asked for every one, hands the queue to worker processes forked from the build: they
inherit the finished context, the compiled templates and the Articles, so nothing is pickled
on the way in. Each worker renders the pages it is given and writes their files; what it did
comes back as plain values.

A page's bytes depend only on its inputs, never on which process rendered it or when, and the
results are merged in the order the pages were queued: the output and the manifest are the
same for any number of workers (tests/test_pool.py builds with 1 and with 2 and compares).
With one worker, or a queue too short to pay for the fork, the queue is rendered here, in order.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Generic, TypeVar

Result = TypeVar("Result")

# The queue the forked workers read: set before they are forked, read by index in them.
_JOBS: Sequence[Callable[[], object]] = ()

# Below this many pages, forking costs more than the other cores give (measured: 5,000
# article pages take 1.4 ms each, forking a worker from a full build about 20 ms).
FORK_FROM = 200


def machine_workers() -> int:
    """Return how many cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _run(span: tuple[int, int]) -> list[object]:
    return [_JOBS[i]() for i in range(*span)]


class RenderPool(Generic[Result]):
    """Jobs queued in order, then run on `workers` processes; results in the order queued."""

    def __init__(self, workers: int, fork_from: int = FORK_FROM) -> None:
        self.workers, self.fork_from = workers, fork_from
        self.jobs: list[Callable[[], Result]] = []
        self.processes = 1  # that ran the last queue

    def add(self, job: Callable[[], Result]) -> None:
        self.jobs.append(job)

    def run(self) -> list[Result]:
        """Run every queued job; return their results in the order queued."""
        global _JOBS
        jobs, self.jobs = self.jobs, []
        if self.workers < 2 or len(jobs) < self.fork_from or not hasattr(os, "fork"):
            self.processes = 1
            return [job() for job in jobs]
        self.processes = self.workers
        sys.stdout.flush()  # nothing buffered is written twice by the forked workers
        sys.stderr.flush()
        _JOBS = jobs
        # Spans of consecutive pages, several per worker, so one slow span is caught up by
        # the others; the executor hands the next span to whichever worker is free.
        step = max(1, -(-len(jobs) // (self.workers * 8)))
        spans = [(low, min(low + step, len(jobs))) for low in range(0, len(jobs), step)]
        try:
            with ProcessPoolExecutor(self.workers, multiprocessing.get_context("fork")) as pool:
                done: list[Result] = []
                for results in pool.map(_run, spans):
                    done.extend(results)  # type: ignore[arg-type]
                return done
        finally:
            _JOBS = ()
