"""Run the parser — and the image decoder — in worker processes bounded in memory and time, so
a hostile document or image fails alone and never the fetch."""

from __future__ import annotations

import multiprocessing
import os
import queue
import resource
import threading
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.connection import Connection
from types import TracebackType
from typing import TYPE_CHECKING

from ..core.model import Feed
from ..core.parse import FeedRefused, parse_feed

if TYPE_CHECKING:  # Pillow is loaded where an image is, not with the pool
    from ..core.imaging import Processed

MEMORY_LIMIT = 1024 * 1024 * 1024  # address space of one worker, bytes
TIME_LIMIT = 15.0  # seconds to parse one document
OUT_OF_MEMORY = 3  # a worker's exit code when even receiving a document exhausted its memory
START_LIMIT = 60.0  # seconds for a new worker to start (its imports), not counted in TIME_LIMIT
READY = "ready"  # what a worker says once it has started


@dataclass(frozen=True)
class ParseJob:
    """One document to parse: the bytes we fetched and where they came from."""

    body: bytes
    url: str
    content_type: str | None
    now: datetime


@dataclass(frozen=True)
class ImageJob:
    """One fetched image to make safe (core/imaging.py)."""

    body: bytes


def _run(job: ParseJob | ImageJob) -> object:
    if isinstance(job, ImageJob):
        from ..core.imaging import process  # Pillow: only in a worker that meets an image

        return process(job.body)
    return parse_feed(job.body, job.url, job.content_type, job.now)


def _serve(conn: Connection, memory_limit: int) -> None:
    """Worker loop: parse jobs until the pipe closes."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    conn.send(READY)  # imported: a document's time starts now
    while True:
        try:
            job: ParseJob | ImageJob = conn.recv()
        except EOFError:
            return
        except MemoryError:
            os._exit(OUT_OF_MEMORY)  # the pipe is mid-message: this worker cannot go on
        try:
            reply: tuple[str, object] = ("ok", _run(job))
        except FeedRefused as refused:
            reply = ("refused", str(refused))
        except MemoryError:
            reply = ("refused", f"{_doing(job)} needs more than {memory_limit >> 20} MiB of memory")
        except RecursionError:
            reply = ("refused", "the document is nested too deeply to parse")
        except Exception as error:  # ImageRefused, or a decoder's own failure
            if not isinstance(job, ImageJob):
                raise
            reply = ("refused", str(error) or type(error).__name__)
        conn.send(reply)


def _doing(job: ParseJob | ImageJob) -> str:
    return "decoding the image" if isinstance(job, ImageJob) else "parsing"


class _Worker:
    def __init__(self, memory_limit: int) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, memory_limit), daemon=True)
        self.process.start()
        child.close()
        # A busy machine can take longer to start a worker than to parse a document: the
        # start is waited for apart, so it never counts against the document's time.
        try:
            started = self.conn.poll(START_LIMIT) and self.conn.recv() == READY
        except EOFError:  # it died starting
            started = False
        if not started:
            self.stop()
            raise FeedRefused(f"the parser did not start within {START_LIMIT:g} s")

    def stop(self) -> None:
        self.conn.close()
        self.process.kill()
        self.process.join(5)


class ParserPool:
    """A few parser processes shared by threads; a worker that hangs or dies is replaced."""

    def __init__(
        self, workers: int = 2, memory_limit: int = MEMORY_LIMIT, time_limit: float = TIME_LIMIT
    ) -> None:
        self.memory_limit = memory_limit
        self.time_limit = time_limit
        self._idle: queue.Queue[_Worker | None] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()  # parse() runs in many threads
        for _ in range(workers):
            self._idle.put(None)  # started on first use

    def parse(self, job: ParseJob) -> Feed:
        """Return the parsed feed; raise FeedRefused with the reason in words."""
        value = self._do(job)
        if isinstance(value, Feed):
            return value
        raise FeedRefused("the parser answered with something other than a feed")

    def image(self, job: ImageJob) -> Processed:
        """Return the image made safe; raise FeedRefused with why it was refused, in words."""
        from ..core.imaging import Processed

        value = self._do(job)
        if isinstance(value, Processed):
            return value
        raise FeedRefused("the decoder answered with something other than an image")

    def _do(self, job: ParseJob | ImageJob) -> object:
        place = self._idle.get()
        try:
            worker = place or self._start()
        except BaseException:
            self._idle.put(None)  # the place stays, to start afresh next time
            raise
        try:
            reply = self._ask(worker, job)
        except BaseException:
            self._retire(worker)  # it may be stuck or dead: its place starts afresh
            self._idle.put(None)
            raise
        self._idle.put(worker)
        status, value = reply
        if status == "ok":
            return value
        raise FeedRefused(str(value))

    def _ask(self, worker: _Worker, job: ParseJob | ImageJob) -> tuple[str, object]:
        try:
            worker.conn.send(job)
            if not worker.conn.poll(self.time_limit):
                raise FeedRefused(f"{_doing(job)} took longer than {self.time_limit:g} s")
            reply: tuple[str, object] = worker.conn.recv()
        except (EOFError, BrokenPipeError, ConnectionResetError) as crash:
            worker.process.join(5)
            if worker.process.exitcode == OUT_OF_MEMORY:
                raise FeedRefused(
                    f"{_doing(job)} needs more than {self.memory_limit >> 20} MiB of memory"
                ) from crash
            crashed = (
                "the image decoder crashed on this image"
                if isinstance(job, ImageJob)
                else "the parser crashed on this document"
            )
            raise FeedRefused(crashed) from crash
        return reply

    def _start(self) -> _Worker:
        worker = _Worker(self.memory_limit)
        with self._lock:
            self._all.append(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            if worker not in self._all:
                return  # already retired (close() and a failing parse can race)
            self._all.remove(worker)
        worker.stop()

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            self._retire(worker)

    def __enter__(self) -> ParserPool:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
