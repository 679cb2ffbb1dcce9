"""What the owner sees in the terminal: a progress bar while fetching, a summary at the end."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, ParamSpec, Protocol, TypeVar

from rich.console import Console
from rich.text import Text

from ..core.errors import OWNER_ERRORS, DiscoveryError, SettingsError
from ..core.health import FeedHealth
from ..core.times import zone_name
from ..core.urls import web_address
from ..core.words import counted, plural

if TYPE_CHECKING:  # ingest pulls in httpx: commands that do not fetch need not load it
    from ..ingest.fetch import FeedReport
    from ..ingest.images import ImageReport

# Markup off: feed titles and error reasons come from hostile feeds, and "[/]" would break it.
console = Console(stderr=False, highlight=False, markup=False)
errors = Console(stderr=True, highlight=False, markup=False)

P = ParamSpec("P")
R = TypeVar("R")


def web(url: str) -> str:
    """Return the web address the owner typed; without a scheme https:// is assumed, and said.
    Raise DiscoveryError for what is no web address at all."""
    found, assumed = web_address(url)
    if found is None:
        raise DiscoveryError(f"{url!r} is not a web address (http:// or https://)")
    if assumed:
        console.print(f"note: no scheme given; using {found}", soft_wrap=True)
    return found


def port_number(value: str | int) -> int:
    """Return a port given on the command line; raise SettingsError in words."""
    text = str(value).strip()
    port = int(text) if text.isdigit() else 0
    if not 1 <= port <= 65535:
        raise SettingsError(f"--port {value}: give a port number from 1 to 65535")
    return port


def bound(port: int, make: Callable[[tuple[str, int]], R]) -> R:
    """Return the server `make` binds to 127.0.0.1:`port`; a busy port is one clear error."""
    try:
        return make(("127.0.0.1", port))
    except OSError as error:
        raise SettingsError(
            f"port {port} on 127.0.0.1 cannot be used ({error.strerror or error}): another "
            "reader or server may run there; stop it, or give --port N"
        ) from error


def owner_errors_exit(function: Callable[P, R]) -> Callable[P, R]:
    """Turn a mistake in the owner's files or settings into one clear line and exit code 1."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except OWNER_ERRORS as error:
            errors.print(Text("error: ", style="red") + Text(str(error)), soft_wrap=True)
            raise SystemExit(1) from None

    return wrapper


STYLE = {
    "updated": "green",
    "unchanged": "dim",
    "not_modified": "dim",
    "failed": "red",
    "skipped": "yellow",
}
WORDS = {
    "updated": "updated",
    "unchanged": "no new entries",
    "not_modified": "not modified",
    "failed": "FAILED",
    "skipped": "backing off",
}


class Tick(Protocol):
    def __call__(self, report: FeedReport) -> None: ...


@contextmanager
def fetch_progress(total: int) -> Iterator[Tick]:
    """Show a progress bar over `total` feeds; yield the callback that advances it."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (
        TextColumn("Fetching"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("", total=total)

        def tick(report: FeedReport) -> None:
            progress.update(task, advance=1, description=report.source.name[:40])

        yield tick


SUMMARY_ROWS = 40  # a table longer than a screen is not read; `invoke status` lists every feed


def _grouped(reports: Sequence[FeedReport]) -> list[list[FeedReport]]:
    """Return one row per report, but one for all the failures that share their reason."""
    rows: list[list[FeedReport]] = []
    by_reason: dict[str, list[FeedReport]] = {}
    for report in reports:
        if report.outcome != "failed":
            rows.append([report])
        elif report.reason in by_reason:
            by_reason[report.reason].append(report)
        else:
            by_reason[report.reason] = [report]
            rows.append(by_reason[report.reason])
    return rows


def fetch_summary(reports: Sequence[FeedReport], seconds: float) -> None:
    """Print a row per feed (for a large fetch: every failure, then the feeds that changed, up
    to a screenful), then the totals in one line."""
    from rich.table import Table  # here: a build shows no table, and starts without it

    table = Table(title="Fetch summary", show_lines=False, expand=False)
    for column in ("feed", "kind", "result", "new", "updated", "why"):
        table.add_column(column, overflow="fold")
    ordered = sorted(reports, key=lambda r: (r.outcome != "failed", r.source.name.lower()))
    if len(ordered) > SUMMARY_ROWS:
        failed = [r for r in ordered if r.outcome == "failed"]
        changed = [r for r in ordered if r.outcome == "updated"]
        shown = failed + changed[: max(0, SUMMARY_ROWS - len(failed))]
        if len(shown) < len(ordered):
            table.caption = (
                f"{counted(len(ordered) - len(shown), 'more feed')} not shown (unchanged, or "
                "more that changed); `invoke status` lists every feed"
            )
        ordered = shown
    for group in _grouped(ordered):
        r = group[0]
        names = ", ".join(g.source.name for g in group)
        kinds = {g.source.kind for g in group}
        table.add_row(
            Text(names if len(group) == 1 else f"{names} ({counted(len(group), 'feed')})"),
            r.source.kind if len(kinds) == 1 else "—",
            Text(WORDS[r.outcome], style=STYLE[r.outcome]),
            str(r.new or ""),
            str(r.updated or ""),
            Text(r.reason),
        )
    console.print(table)
    counts = Counter(r.outcome for r in reports)
    new = sum(r.new for r in reports)
    updated = sum(r.updated for r in reports)
    console.print(
        f"{counted(len(reports), 'feed')} in {seconds:.1f} s: {counted(new, 'new entry')}, "
        f"{updated} updated; {counted(counts['updated'], 'feed')} changed, "
        f"{counts['unchanged'] + counts['not_modified']} unchanged, {counts['failed']} failed, "
        f"{counts['skipped']} backing off."
    )


@contextmanager
def image_progress() -> Iterator[Callable[[int], Callable[[], None]]]:
    """Show a progress bar over the images once their number is known; yield what starts it
    (called with the total, it returns the callback that advances it)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("Images  "), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:

        def start(total: int) -> Callable[[], None]:
            task = progress.add_task("", total=total)
            return lambda: progress.advance(task)

        yield start


IMAGE_REASONS = 8  # lines of reasons an image was not kept; the status page is not for images


def _size(count: int) -> str:
    """Return a byte count in the unit that reads best: "340 KB", "12.5 MB"."""
    return f"{count / 1000:,.0f} KB" if count < 1_000_000 else f"{count / 1_000_000:,.1f} MB"


def image_summary(report: ImageReport, seconds: float) -> None:
    """Print what the image phase did in one line, then why images were not kept (each reason
    once, with how many and one address)."""
    if not (report.kept or report.failed or report.evicted):
        return
    console.print(
        f"{counted(report.kept, 'image')} kept in {seconds:.1f} s "
        f"({_size(report.bytes)}), {len(report.failed)} not kept"
        + (f", {report.evicted} evicted (the cache is full)" if report.evicted else "")
        + "."
    )
    reasons = Counter(reason for _, reason in report.failed)
    example = {reason: url for url, reason in reversed(report.failed)}
    for reason, count in reasons.most_common(IMAGE_REASONS):
        console.print(Text(f"  {count} × {reason} — e.g. {example[reason][:100]}"), soft_wrap=True)
    if len(reasons) > IMAGE_REASONS:
        console.print(f"  … and {counted(len(reasons) - IMAGE_REASONS, 'other reason')}")


HEALTH_STYLE = {
    "ok": "green",
    "failing": "red",
    "waiting": "yellow",
    "stale": "yellow",
    "never": "dim",
}


def health_table(rows: Sequence[FeedHealth], zone: tzinfo) -> None:
    """Print one row per feed, those needing a look first: state, last success, failures,
    next retry, entries, newest — times in the site's zone, which the title names."""

    def _when(moment: datetime | None) -> str:
        return f"{moment.astimezone(zone):%Y-%m-%d %H:%M}" if moment else "—"

    from rich.table import Table

    table = Table(title=f"Feed health (times in {zone_name(zone)})")
    for column in (
        "feed",
        "kind",
        "state",
        "last success",
        "failures",
        "next retry",
        "entries",
        "newest",
        "why",
    ):
        table.add_column(column, overflow="fold")
    for row in rows:
        r = row.record
        table.add_row(
            Text(row.name),
            r.kind,
            Text(row.words, style=HEALTH_STYLE[row.state]),
            _when(r.last_success),
            str(r.failures or ""),
            _when(r.next_attempt),
            str(r.entries),
            _when(r.newest),
            Text(row.note),
        )
    console.print(table)
    broken = sum(1 for row in rows if row.state != "ok")
    console.print(
        f"{counted(len(rows), 'feed')}: {len(rows) - broken} ok, {broken} {plural('needs', broken)}"
        " a look."
    )
