"""Pages rendered on every core (shell).

The writer queues each page and feed it must render (writer.py) and, once Pelican and Haokan
have asked for every one, renders it on every core: the build forks the other workers, which
inherit the finished context, the compiled templates and the Articles, so nothing is pickled
on the way in; the build and they take spans of the queue in turn, render those pages and
write their files; what a worker did comes back as plain values.

A page's bytes depend only on its inputs, never on which process rendered it or when, and the
results are merged in the order the pages were queued: the output and the manifest are the
same for any number of workers (tests/test_pool.py builds with 1 and with 2 and compares).
With one worker, or a queue too short to pay for the fork, the queue is rendered here, in order.

Some work is done ahead in a process of its own (`Ahead`: 精选, site/picking.py) while the
build goes on; pages that wait for it are queued as such, and `run_while` renders the others
here meanwhile. `run` renders what is left, and returns every result in the order queued.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Generic, TypeVar

from ..core.settings import Settings

Result = TypeVar("Result")

# The queue, its spans, and the next span to take: set before the workers are forked, read
# by index in them (a forked worker inherits them; nothing is pickled on the way in).
_JOBS: Sequence[Callable[[], object]] = ()
_SPANS: Sequence[tuple[int, int]] = ()
_NEXT: Any = None  # a multiprocessing.Value shared by the build and its workers

# Below this many pages, forking costs more than the other cores give (measured: 5,000
# article pages take 1.4 ms each, forking a worker from a full build about 20 ms).
FORK_FROM = 200


def machine_workers() -> int:
    """Return how many cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def build_workers(hk: Settings) -> int:
    """Return how many processes a build renders its pages on (HAOKAN_BUILD_WORKERS, else
    every core)."""
    return hk.build_workers or machine_workers()


def _take() -> list[tuple[int, list[object]]]:
    """Render spans until none is left, each taken as the next one nobody took; return each
    span's results by its number."""
    done: list[tuple[int, list[object]]] = []
    while True:
        with _NEXT.get_lock():
            k = _NEXT.value
            _NEXT.value = k + 1
        if k >= len(_SPANS):
            return done
        done.append((k, [_JOBS[i]() for i in range(*_SPANS[k])]))


_AHEAD: Callable[[], object] | None = None  # the work an `Ahead` forks its process for


def _ahead() -> object:
    assert _AHEAD is not None
    return _AHEAD()


class Ahead(Generic[Result]):
    """One piece of work done in a process of its own, forked now (it inherits what `work`
    reads; nothing is pickled on the way in), while this one goes on; `result` waits for it
    and returns what it returned, or raises what it raised."""

    def __init__(self, work: Callable[[], Result]) -> None:
        global _AHEAD
        sys.stdout.flush()  # nothing buffered is written twice by the forked process
        sys.stderr.flush()
        pool = ProcessPoolExecutor(1, multiprocessing.get_context("fork"))
        _AHEAD = work
        try:
            self._future = pool.submit(_ahead)  # forks the process, which takes _AHEAD
        finally:
            _AHEAD = None
            pool.shutdown(wait=False)  # the process exits once the work is done

    def done(self) -> bool:
        """Return True once the work is done (or failed)."""
        return self._future.done()

    def result(self) -> Result:
        return self._future.result()  # type: ignore[return-value]


class RenderPool(Generic[Result]):
    """Jobs queued in order, then run on `workers` processes; results in the order queued."""

    def __init__(self, workers: int, fork_from: int = FORK_FROM) -> None:
        self.workers, self.fork_from = workers, fork_from
        self.jobs: list[Callable[[], Result]] = []
        self.processes = 1  # that ran the last queue
        self._waiting: set[int] = set()  # the jobs that wait for what `run_while` waits for
        self._done: dict[int, Result] = {}  # the results of the jobs `run_while` ran

    def add(self, job: Callable[[], Result], waits: bool = False) -> None:
        if waits:
            self._waiting.add(len(self.jobs))
        self.jobs.append(job)

    def run_while(self, busy: Callable[[], bool]) -> None:
        """Run the queued jobs that do not wait, here, in order, while `busy()` (another process
        makes what the others wait for: site/picking.py); `run` runs the rest."""
        for position, job in enumerate(self.jobs):
            if not busy():
                return
            if position not in self._waiting and position not in self._done:
                self._done[position] = job()

    def run(self) -> list[Result]:
        """Run every queued job not run yet; return the results of all in the order queued."""
        jobs, done = self.jobs, self._done
        self.jobs, self._done, self._waiting = [], {}, set()
        left = [position for position in range(len(jobs)) if position not in done]
        done.update(zip(left, self._run([jobs[position] for position in left]), strict=True))
        return [done[position] for position in range(len(jobs))]

    def _run(self, jobs: list[Callable[[], Result]]) -> list[Result]:
        """Run `jobs`; return their results in order.

        The build is one of the workers: it forks the others, and all take spans of the
        queue in turn until none is left (the build's own memory is not copied for a worker
        that would only wait)."""
        global _JOBS, _SPANS, _NEXT
        if self.workers < 2 or len(jobs) < self.fork_from or not hasattr(os, "fork"):
            self.processes = 1
            return [job() for job in jobs]
        self.processes = self.workers
        sys.stdout.flush()  # nothing buffered is written twice by the forked workers
        sys.stderr.flush()
        # Spans of consecutive pages, several per worker, so one slow span is caught up by
        # the others: whoever is free takes the next.
        step = max(1, -(-len(jobs) // (self.workers * 8)))
        context = multiprocessing.get_context("fork")
        _JOBS = jobs
        _SPANS = [(low, min(low + step, len(jobs))) for low in range(0, len(jobs), step)]
        _NEXT = context.Value("i", 0)
        try:
            with ProcessPoolExecutor(self.workers - 1, context) as pool:
                others = [pool.submit(_take) for _ in range(self.workers - 1)]
                taken = _take()
                for other in others:
                    taken += other.result()
        finally:
            _JOBS, _SPANS, _NEXT = (), (), None
        return [result for _, results in sorted(taken) for result in results]  # type: ignore[misc]
