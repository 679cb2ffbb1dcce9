"""A build kept warm for the local reader (shell): the 好看 button answers in a fraction of a
fresh `invoke build`.

A fresh build pays, before it renders anything, for start-up (imports), for reading the
settings, the OPML files and the store, and afterwards for the interpreter's teardown. The
warm builder pays for all of that before the button is pressed: one build process is kept
ready (`python -m haokan ready`). It imports Pelican and Haokan, reads the settings,
everything of the world but the marks (world.py `read_ahead`) and the last build's records,
rehearses the build's assembly and 精选 with the marks as they stand (writing nothing), and
waits. On a press it checks that nothing it read has changed since (the settings files,
the theme, the OPML files, the store, the kept images; a record that changed is read again by
itself), reads the marks, and runs the ordinary incremental build with what it holds, so the
output is `invoke build`'s byte for byte (tests/test_warm.py interleaves marks, unmarks, note
edits and fetches and compares with a clean build after each). If anything it read has
changed, it reads everything again, and its note says what changed.

It answers as soon as every page that shows entries or marks is on disk (writer.pages_written):
a reload then shows the mark. What the build does after them trails the answer by a moment: the
search index (a new note is found a moment later), the status page, the sitemap, removing what
is gone, and the records the next build plans by, which are written last, so a build stopped
before them leaves records the next build does not trust (run.py, core/manifest.py). Each
process builds once, says the settled outcome, and exits without waiting for its teardown
(Pelican keeps state between runs in one process); the next one is started once the last has
exited, so it reads what that build left, ready for the next press.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..core.errors import OWNER_ERRORS
from ..core.settings import Settings

# What a build imports, imported before the press (some are imported on first use).
PRELOAD = (
    "haokan.site.plugin",
    "haokan.site.generator",
    "haokan.site.writer",
    "haokan.core.similarity",
    "haokan.core.picks",
    "haokan.core.related",
    "pelican.generators",
    "pelican.readers",
)
BUILD_TIMEOUT = 600  # seconds
READS = 3  # times the world is read ahead while its files keep changing (then the press sees)
COLLECT_AFTER = (50_000, 20, 1000)  # the collector's thresholds (Python's: 700, 10, 10)
READY = "ready\n"  # what the build process says once it has read ahead


@dataclass(frozen=True)
class Outcome:
    """What one warm build did: its stats, or the error that stopped it; and what it noticed.

    The answer to a press comes once the pages are on disk: unless the build stopped before
    them, it is not `settled`, and its stats are the writer's counts so far; the settled
    outcome follows when the build is done."""

    stats: dict[str, Any] | None  # run.BuildStats's fields, or None when the build failed
    error: str | None
    notes: tuple[str, ...]
    settled: bool = True


Stamps = dict[str, object]  # "what\0path" -> how the file stands (digests.stamp)


def _stamps(hk: Settings, theme: Path) -> Stamps:
    """Return how every file the read-ahead depends on stands, by what the owner calls it."""
    from .digests import files_under, stamp, store_stamps

    named = [(f"the settings ({p.name})", p) for p in sorted(hk.source.parent.glob("*.py"))]
    named += [("the subscriptions", hk.subscriptions), ("the friends", hk.friends)]
    named += [("the kept images", hk.media)]
    named += [("the theme", p) for p in sorted(files_under(theme))]
    stamps: Stamps = {f"{what}\0{path}": stamp(str(path)) for what, path in named}
    stamps.update((f"the store\0{path}", found) for path, found in store_stamps(hk.store))
    return stamps


def _changed(before: Stamps, now: Stamps) -> list[str]:
    """Return what changed between two sets of stamps, in the owner's words, once each."""
    keys = sorted(set(before) | set(now))
    return sorted({key.split("\0")[0] for key in keys if before.get(key) != now.get(key)})


class _Ahead:
    """The settings and the world but the marks, read before the press, with their stamps."""

    def __init__(self, settings_file: Path) -> None:
        from ..storage.settings_file import load
        from . import digests, picking, run, world

        self.hk = load(settings_file)
        self.settings = run.pelican_settings(self.hk)
        self.theme = Path(self.settings["THEME"])
        # Stamped before and after reading: reading the store can itself move it (SQLite
        # folds its write-ahead log into the file when the last reader closes), and so can a
        # fetch meanwhile. What was read holds for the stamps only when the two agree.
        for _ in range(READS):
            self.stamps = _stamps(self.hk, self.theme)
            self.world = world.read_ahead(self.hk)
            if _stamps(self.hk, self.theme) == self.stamps:
                break
        # Read once while they stand (storage/stamped.py): a file changed since is read again.
        digests.code()  # what the press's build is made by, known before the press
        run.recorded(self.hk, self.hk.output)  # and what the last build's inputs were
        last = digests.load_manifest(digests.manifest_path(self.hk.store, self.hk.output))
        digests.look_ahead(self.hk.output, last)
        picking.read_ahead(self.hk)

    def rehearse(self) -> None:
        """Assemble the site and choose its 精选 once with the marks as they stand, writing
        nothing: what the press's build asks again of the same entries is then remembered
        (each entry's canonical URL and list digest, the notes made safe, 精选's query for
        each marked article, the subscription pages' URLs), and its build computes only
        what the new mark changed."""
        from ..core.assemble import assemble
        from ..storage import owner
        from . import generator, picking, plugin, world

        marks = owner.read_marks(self.hk.marks_dir, self.hk.zone)
        build = assemble(
            world.with_marks(self.world, marks), plugin.options_of(self.hk, self.settings)
        )
        picking.choose_for(build, self.hk, rehearsal=True)
        generator.source_urls(build.names.values(), self.settings)


def _prepared(settings_file: Path) -> _Ahead | None:
    """Return what was read ahead, rehearsed; None when a file could not be read."""
    try:
        ahead = _Ahead(settings_file)
    except Exception:  # a broken file: read again at the press, whose answer says what it is
        return None
    # A broken mark, say, stops only the rehearsal: the press's build meets it and says what.
    with contextlib.suppress(Exception):
        ahead.rehearse()
    return ahead


def ready(settings_file: Path) -> None:
    """Be the build process kept ready: read ahead, say so, wait for the word, build once,
    answer on standard output (a line of JSON once the pages are on disk, one when the build
    is done), exit."""
    import importlib

    answer = os.fdopen(os.dup(1), "w", encoding="utf-8")
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)  # Pelican's "Done: ..." is not the answer; its warnings go to stderr
    for name in PRELOAD:
        importlib.import_module(name)
    from . import run, world
    from .writer import pages_written

    notes: list[str] = []

    def say(outcome: Outcome) -> None:
        answer.write(json.dumps(vars(outcome), ensure_ascii=False) + "\n")
        answer.flush()

    def shown(writer: object, counts: dict[str, int]) -> None:
        say(Outcome(counts, None, tuple(notes), settled=False))

    pages_written.connect(shown, weak=False)
    ahead = _prepared(settings_file)
    # What was read ahead lives until the process exits: the collector need not look at it
    # again, and it looks at the build's new objects seldom (one build, then the exit).
    gc.freeze()
    gc.set_threshold(*COLLECT_AFTER)
    answer.write(READY)
    answer.flush()
    if not sys.stdin.readline():  # the reader stopped: nothing to build
        os._exit(0)
    outcome = Outcome(None, "the build did not run", ())
    try:
        if ahead is not None:
            changed = _changed(ahead.stamps, _stamps(ahead.hk, ahead.theme))
            if changed:
                notes.append(f"{', '.join(changed)} changed since the last build: read again")
                ahead = None
        if ahead is None:
            ahead = _Ahead(settings_file)
        world.hold(ahead.hk, ahead.world)
        outcome = Outcome(vars(run.build(ahead.hk)), None, tuple(notes))
    except OWNER_ERRORS as error:
        outcome = Outcome(None, str(error), tuple(notes))
    except Exception:  # a bug: the reader shows its last lines and goes on serving
        outcome = Outcome(None, traceback.format_exc(limit=-3).strip(), tuple(notes))
    finally:
        say(outcome)
        sys.stderr.flush()
        os._exit(0)  # the answer is out: no teardown to wait for


Process = subprocess.Popen[str]


class WarmBuilder:
    """Keeps one build process ready for the next press; `build` runs it and, once its build
    is done, readies the next. `on_settled` hears what a build did after it answered."""

    def __init__(
        self, settings_file: Path, on_settled: Callable[[Outcome], None] | None = None
    ) -> None:
        self.settings_file = settings_file.resolve()
        self.on_settled = on_settled
        self._ready = False  # whether the process kept ready has said so
        self._settling: threading.Thread | None = None  # the last build, after its answer
        self._last: Outcome | None = None  # the last build's settled outcome
        self._next: Process | None = self._start()

    def wait_ready(self) -> None:
        """Wait until the process kept ready has read ahead (a press before that waits too)."""
        self.settled()
        if not self._ready and self._next is not None and self._next.stdout is not None:
            self._ready = self._next.stdout.readline() == READY

    def _start(self) -> Process:
        command = [sys.executable, "-m", "haokan", "ready", "--settings", str(self.settings_file)]
        return subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8"
        )

    def build(self) -> Outcome:
        """Build the site now (the incremental build, with what was read ahead); return once
        every page that shows entries or marks is on disk (`settled` waits for the rest)."""
        self.settled()
        process, said_ready = self._next or self._start(), self._ready
        self._next, self._ready = None, False
        stop = threading.Timer(BUILD_TIMEOUT, process.kill)
        stop.start()
        try:
            assert process.stdin is not None
            process.stdin.write("build\n")
            process.stdin.flush()
            answer = _outcome(process, skip_ready=not said_ready)
        except OSError:
            answer = None
        if answer is not None and not answer.settled:
            self._settling = threading.Thread(
                target=self._settle, args=(process, stop, answer), daemon=True
            )
            self._settling.start()
            return answer
        return self._settle(process, stop, answer)

    def _settle(self, process: Process, stop: threading.Timer, answer: Outcome | None) -> Outcome:
        """Wait for the build's settled outcome and the process's end, start the next process,
        and return the outcome (given to `on_settled` when the press was answered before)."""
        answered = answer is not None and not answer.settled
        try:
            if answered:
                answer = _outcome(process)
        except OSError:
            answer = None
        finally:
            stop.cancel()
            _close(process.stdin)
            code = process.wait()
            _close(process.stdout)
            self._next = self._start()
        if answer is None:
            why = f"took over {BUILD_TIMEOUT} s" if code == -9 else f"exit code {code}"
            answer = Outcome(None, f"the build process stopped ({why})", ())
        self._last = answer
        if answered and self.on_settled is not None:
            self.on_settled(answer)
        return answer

    def settled(self) -> Outcome | None:
        """Wait until the last build is done (and the next process started); return its
        settled outcome (None before the first build)."""
        if self._settling is not None:
            self._settling.join()
            self._settling = None
        return self._last

    def close(self) -> None:
        """Let the last build finish, then stop the process kept ready."""
        self.settled()
        process, self._next = self._next, None
        if process is not None:
            _close(process.stdin)  # it reads EOF and exits
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            _close(process.stdout)


def _outcome(process: Process, skip_ready: bool = False) -> Outcome | None:
    """Return the next outcome the build process says; None when it stopped first."""
    assert process.stdout is not None
    line = process.stdout.readline()
    if line == READY and skip_ready:
        line = process.stdout.readline()
    if not line:
        return None
    said = json.loads(line)
    return Outcome(said["stats"], said["error"], tuple(said["notes"]), said["settled"])


def _close(stream: IO[str] | None) -> None:
    if stream is not None:
        stream.close()
