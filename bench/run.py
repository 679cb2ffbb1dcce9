"""`invoke bench [--quick]`: each stage timed beside its anchor, in the same run, as ratios.

Stages and anchors (../shared/DESIGN.md §8, docs/benchmarks.md):
  fetch            vs the ideal (N × latency ÷ concurrency) and vs parse-only (feedparser alone
                   on the same bytes, in-process); median of ROUNDS fetches into an empty store
  second fetch     vs the first: bytes moved and time (nothing changed: conditional GET)
  fetch with images vs the fetch without (HAOKAN_IMAGES = "none"): every entry's picture
                   fetched, decoded and kept; and the image cache's size vs the pictures' bytes
  build            vs plain Pelican building the same entries as Markdown files
  no-change build  vs the full build
  one-mark build   vs the full build (after `invoke like`)
  bare httpx fetch vs the ideal: the same requests, nothing parsed or stored (the client's floor)
  parse + normalize vs parse-only: Haokan's parse of the same bytes, in-process
  精选 on          vs HAOKAN_PICKS = 0: the clean build's time and peak RSS, from one store
  Hugo             vs plain Pelican, when `hugo` is installed; and our clean build vs Hugo's,
                   interleaved (medians of ROUNDS each, output folders in memory emptied
                   before each; ours with HAOKAN_IMAGES = "none", as Hugo's have no images)
  好看 button       the local reader's POST /__haokan/mark to its answer (after which the page
                   shows the mark), median of 5 marks on different articles, vs the fresh
                   `invoke build` after one mark
  20,000 entries   peak RSS of a build of a long history (the window on, and off)
  100,000 entries  the no-change rebuild and its peak RSS, window defaults as shipped
Peak RSS is measured per stage (the largest process, parser workers included). Rebuild rows
also give the build's own time (as the build records it), without interpreter start-up.

These machines are shared: before it starts, the run waits (up to QUIET_WAIT) for other load
to settle, and it reports the load it found and the CPU time the hypervisor took away (steal)
while it ran, since both move every figure.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import httpx

from haokan.cli.reader import ReaderServer
from haokan.core.parse import parse_feed
from haokan.site.run import last_build
from haokan.storage.settings_file import load

sys.path.insert(0, str(Path(__file__).resolve().parent))
from server import WorldServer
from world import World, build, picture

ROOT = Path(__file__).resolve().parent.parent
SIZES = {
    "quick": {
        "subscriptions": 100,
        "entries": 10,
        "friends": 5,
        "latency": 0.05,
        "history": (100, 20),
    },
    "full": {
        "subscriptions": 1000,
        "entries": 5,
        "friends": 20,
        "latency": 0.1,
        "history": (1000, 20),
    },
}
HISTORY_SPACING_HOURS = 36 * 24  # the long history: a post every five weeks, for two years
CONCURRENCY = 16
ROUNDS = 3  # of the first fetch; of each clean build, with 精选 and without; of ours and Hugo's
PRESSES = 5  # of the 好看 button, on different articles
GROWTH = (1000, 100)  # the full run's growth row: subscriptions × entries (100,000 stored)
GROWTH_SPACING_HOURS = 36 * 24  # ten years of a post every five weeks: most of it archived
TMPFS = "/dev/shm"  # where the clean build and Hugo's write, when the machine has it
QUIET_WAIT = 180  # seconds to wait for other load to settle before measuring
QUIET_BUSY = 0.25  # cores busy with other work that count as load
NO_IMAGES = 'HAOKAN_IMAGES = "none"\n'  # where the world's pictures are not what is measured
MEASURE = (
    "import resource, subprocess, sys, time; t = time.perf_counter(); "
    "r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
    "sys.stdout.write(r.stdout); "
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN)"
    ".ru_maxrss, r.returncode); sys.stderr.write(r.stderr[-2000:])"
)


def measure(command: list[str], cwd: Path) -> tuple[float, float]:
    """Run `command`; return (seconds, peak RSS in MB of its largest process)."""
    env = {**os.environ, "COLUMNS": "200"}
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, *command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    last = result.stdout.splitlines()[-1]
    seconds, peak_kib, code = last.split()
    if code != "0":
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr}")
    return float(seconds), int(peak_kib) / 1024


def built_in(site: Path) -> float:
    """Return the last build's own time, as the build recorded it (without start-up)."""
    return last_build(load(site / "benchconf.py")).seconds


def invoke(site: Path, *args: str, settings: str = "benchconf.py") -> list[str]:
    return [
        sys.executable,
        "-m",
        "invoke",
        "-r",
        str(ROOT),
        *args,
        "--settings",
        str(site / settings),
    ]


def make_site(root: Path, server: WorldServer, world: World, extra: str = "") -> Path:
    content = root / "content"
    (content / "haokan").mkdir(parents=True)
    outlines = "".join(f'<outline text="Feed {p}" xmlUrl="{server.url(p)}"/>' for p in world.feeds)
    (content / "subscriptions.opml").write_text(f"<opml><body>{outlines}</body></opml>")
    friends = "".join(
        f'<outline text="Friend {p}" xmlUrl="{server.url(p)}"/>' for p in world.friends
    )
    (content / "friends.opml").write_text(f"<opml><body>{friends}</body></opml>")
    (root / "benchconf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
        f"HAOKAN_ALLOW_PRIVATE_ADDRESSES = True\nHAOKAN_FETCH_CONCURRENCY = {CONCURRENCY}\n" + extra
    )
    return root


def draw_pictures(world: World, folder: Path) -> int:
    """Write every entry's picture where the server finds it (`f/n.jpg`); return their bytes."""
    total = 0
    for f, n, *_ in world.entries:
        (folder / str(f)).mkdir(parents=True, exist_ok=True)
        data = picture(f, n)
        (folder / str(f) / f"{n}.jpg").write_bytes(data)
        total += len(data)
    return total


def history(root: Path, feeds: int, entries: int) -> list[tuple[str, float, str, float, str]]:
    """Build a long history of feeds × entries with the default window, and with none."""
    world = build(feeds, entries, 0, spacing_hours=HISTORY_SPACING_HOURS)
    server = WorldServer(world.feeds, 0.0)
    rows = []
    try:
        windowed = make_site(root / "window", server, world, NO_IMAGES)
        measure(invoke(windowed, "fetch"), windowed)
        seconds, peak = measure(invoke(windowed, "build"), windowed)
        rendered = last_build(load(windowed / "benchconf.py")).pages
        everything = make_site(
            root / "all",
            server,
            world,
            NO_IMAGES + "HAOKAN_WINDOW_DAYS = 0\nHAOKAN_MAX_PER_SUBSCRIPTION = 0\n",
        )
        shutil.copytree(
            windowed / "cache", everything / "cache", ignore=shutil.ignore_patterns("build-*")
        )
        all_seconds, all_peak = measure(invoke(everything, "build"), everything)
        label = f"{len(world.entries):,} stored"
        rows.append((f"peak RSS MB, {label}", peak, "no window, MB", all_peak, "≤ 500 MB"))
        rows.append(
            (f"build s, {label}", seconds, "no window, s", all_seconds, f"{rendered:,} pages")
        )
    finally:
        server.shutdown()
    return rows


def picks_cost(site: Path, root: Path) -> list[tuple[str, float, str, float, str]]:
    """The clean build with 精选 and "More like this" and with `HAOKAN_PICKS = 0`, from one
    store: interleaved, best of ROUNDS each (the machine's noise is larger than the cost)."""
    off = root / "no-picks"
    shutil.copytree(site, off, ignore=shutil.ignore_patterns("output", "build-*", "picks.json"))
    conf = off / "benchconf.py"
    conf.write_text(conf.read_text() + "HAOKAN_PICKS = 0\n")
    runs: dict[Path, list[tuple[float, float, float]]] = {off: [], site: []}
    for _ in range(ROUNDS):
        for where, done in runs.items():
            seconds, peak = measure(invoke(where, "build", "--clean"), where)
            done.append((seconds, built_in(where), peak))
    (on_s, on_own, on_mb), (off_s, off_own, off_mb) = (
        tuple(min(column) for column in zip(*runs[where], strict=True)) for where in (site, off)
    )
    return [
        ("build, 精选 on", on_s, "HAOKAN_PICKS = 0", off_s, "≤ 1.10"),
        ("  its build part", on_own, "its build part", off_own, ""),
        ("peak RSS MB, 精选 on", on_mb, "HAOKAN_PICKS = 0, MB", off_mb, "≤ +50 MB"),
    ]


def write_markdown(
    folder: Path, world: World, head: Callable[[int, int, str, datetime], str]
) -> None:
    """Write every entry of the world as a Markdown file: `head` (front matter), then the body."""
    folder.mkdir(parents=True)
    for f, n, title, body, date in world.entries:
        (folder / f"{f}-{n}.md").write_text(f"{head(f, n, title, date)}\n{body}\n", "utf-8")


def markdown_site(root: Path, world: World) -> Path:
    """The same entries as Markdown files, built by Pelican alone (no plugin, its own theme)."""
    write_markdown(
        root / "content" / "articles",
        world,
        lambda f, n, title, date: (
            f"Title: {title}\nDate: {date:%Y-%m-%d %H:%M}\nCategory: Feed {f}\nSlug: e-{f}-{n}\n"
        ),
    )
    (root / "plainconf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
        "PLUGINS = []\nTHEME = 'notmyidea'\nJINJA_ENVIRONMENT = {}\nJINJA_GLOBALS = {}\n"
        "ARTICLE_EXCLUDES = []\n",
        "utf-8",
    )
    return root


def parse_only(world: World) -> float:
    started = time.perf_counter()
    for body in world.feeds.values():
        feedparser.parse(io.BytesIO(body))
    return time.perf_counter() - started


def parse_and_normalize(world: World) -> float:
    """Haokan's parse (feedparser, then normalize and sanitize) on the same bytes, in-process."""
    now = datetime.now(UTC)
    started = time.perf_counter()
    for body in world.feeds.values():
        parse_feed(body, "https://feed.example/", "application/rss+xml", now)
    return time.perf_counter() - started


def first_fetch(server: WorldServer, site: Path) -> tuple[float, float, int]:
    """Fetch into an empty store ROUNDS times (one run swings by a fifth on these machines);
    return the median time, the largest peak RSS and the bytes one fetch moved. The store of
    the last is left for the second fetch."""
    times, peaks = [], []
    for _ in range(ROUNDS):
        shutil.rmtree(site / "cache", ignore_errors=True)
        before = server.bytes_sent
        seconds, peak = measure(invoke(site, "fetch"), site)
        times.append(seconds)
        peaks.append(peak)
    return statistics.median(times), max(peaks), server.bytes_sent - before


def bare_fetch(server: WorldServer, paths: list[str]) -> float:
    """The same requests with httpx alone, nothing parsed or stored: the client's floor."""

    async def run() -> None:
        gate = asyncio.Semaphore(CONCURRENCY)
        async with httpx.AsyncClient() as client:

            async def one(path: str) -> None:
                async with gate:
                    (await client.get(server.url(path))).raise_for_status()

            await asyncio.gather(*map(one, paths))

    started = time.perf_counter()
    asyncio.run(run())
    return time.perf_counter() - started


def hugo(root: Path, world: World) -> float | None:
    """Hugo building the same entries, when it is installed (Debian: apt-get install hugo)."""
    if shutil.which("hugo") is None:
        return None
    write_markdown(
        root / "content" / "posts",
        world,
        lambda f, n, title, date: (
            f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\ndate: {date.isoformat()}\n"
            f'categories: ["Feed {f}"]\n---\n'
        ),
    )
    (root / "hugo.toml").write_text(
        'baseURL = "/"\ntitle = "bench"\npaginate = 30\n[markup.goldmark.renderer]\nunsafe = true\n'
    )
    # Layouts doing what Haokan's theme does on the same pages: a head with metadata, the
    # navigation and footer on every page, dated articles with their folder, paginated lists
    # of titles, dates and summaries, and a feed per folder (Hugo's built-in RSS).
    layouts = root / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "baseof.html").write_text(
        '<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{{ .Title }} · '
        '{{ .Site.Title }}</title><meta name="description" content="{{ .Summary | plainify }}">'
        '<link rel="stylesheet" href="/site.css"></head><body><header><a href="/">{{ .Site.Title }}'
        '</a><nav><a href="/posts/">Subscriptions</a></nav></header><main>{{ block "main" . }}'
        "{{ end }}</main><footer>{{ .Site.Title }}</footer></body></html>"
    )
    (layouts / "single.html").write_text(
        '{{ define "main" }}<article><p>{{ range .Params.categories }}<a href="{{ "/categories/"'
        ' | relURL }}{{ . | urlize }}/">{{ . }}</a>{{ end }}</p><h1>{{ .Title }}</h1><p><time>'
        '{{ .Date.Format "2006-01-02 15:04" }}</time> · {{ .ReadingTime }} min</p>'
        "<div>{{ .Content }}</div></article>{{ end }}"
    )
    (layouts / "list.html").write_text(
        '{{ define "main" }}<h1>{{ .Title }}</h1><ol>{{ range .Paginator.Pages }}<li><a href="'
        '{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time>'
        "<p>{{ .Summary | plainify | truncate 140 }}</p></li>{{ end }}</ol>"
        '{{ template "_internal/pagination.html" . }}{{ end }}'
    )
    seconds, _ = measure(["hugo", "--quiet", "--source", str(root)], root)
    return seconds


def cpu_times() -> tuple[float, float, float]:
    """Return (busy, steal, total) jiffies of all cores since boot (Linux /proc/stat)."""
    fields = [float(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    steal = fields[7] if len(fields) > 7 else 0.0
    total = sum(fields[:8])
    return total - idle - steal, steal, total


def busy_cores(seconds: float = 2.0) -> float:
    """Return how many cores other processes kept busy over `seconds` (this one sleeps)."""
    busy, _, total = cpu_times()
    time.sleep(seconds)
    busy_after, _, total_after = cpu_times()
    cores = os.cpu_count() or 1
    return cores * (busy_after - busy) / max(total_after - total, 1.0)


def wait_for_quiet() -> str:
    """Wait up to QUIET_WAIT s for other load to fall under QUIET_BUSY cores; say what was found."""
    if not Path("/proc/stat").exists():
        return "machine load: unknown (no /proc/stat)"
    started = time.monotonic()
    load = busy_cores()
    while load > QUIET_BUSY and time.monotonic() - started < QUIET_WAIT:
        load = busy_cores(5.0)
    waited = time.monotonic() - started
    verdict = "quiet" if load <= QUIET_BUSY else "NOT quiet: figures are taken under load"
    return (
        f"machine load before the run: {load:.2f} cores busy elsewhere "
        f"({verdict}; waited {waited:.0f} s)"
    )


def reader_round_trips(site: Path) -> list[float]:
    """Press 好看 through the local reader's own endpoint PRESSES times, on different articles;
    return each round trip (POST to answer; the page then reloads and shows the mark)."""
    server = ReaderServer(0, load(site / "benchconf.py"))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port, times = server.server_address[1], []
    try:
        for n in range(PRESSES):
            server.builder.wait_ready()  # an owner reads for a while between two presses
            url, title = f"https://feed{n + 2}.example/1", f"Post {n + 2}.1"  # as the page sends
            body = {"url": url, "title": title, "note": f"好看 {n}"}
            started = time.perf_counter()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
            connection.request(
                "POST",
                "/__haokan/mark",
                json.dumps(body).encode(),
                {"Host": f"127.0.0.1:{port}", "X-Haokan-Token": server.token},
            )
            response = connection.getresponse()
            answer = json.loads(response.read())
            times.append(time.perf_counter() - started)
            connection.close()
            if response.status != 200:
                raise SystemExit(f"the 好看 button failed: {answer}")
    finally:
        server.shutdown()
        server.server_close()
    return times


def versus_hugo(site: Path, hugo_root: Path) -> tuple[float, float, str]:
    """Our clean build and Hugo's, interleaved ROUNDS times, each into an emptied output
    folder in memory (tmpfs) where the machine has one: on these machines' disks, creating
    7,000 files took 2–7 s of system time by the hour, for both, and hid the renderers.
    Return the medians (wall seconds) and where the outputs were."""
    memory = Path(TMPFS)
    with tempfile.TemporaryDirectory(dir=memory if memory.is_dir() else site) as folder:
        ours_out, theirs_out = Path(folder) / "ours", Path(folder) / "hugo"
        (site / "versusconf.py").write_text(
            f"from benchconf import *  # noqa\nOUTPUT_PATH = {str(ours_out)!r}\n"
        )
        build = invoke(site, "build", "--clean", settings="versusconf.py")
        hugo = ["hugo", "--quiet", "--source", str(hugo_root), "--destination", str(theirs_out)]
        ours, theirs = [], []
        for _ in range(ROUNDS):
            shutil.rmtree(ours_out, ignore_errors=True)
            ours.append(measure(build, site)[0])
            shutil.rmtree(theirs_out, ignore_errors=True)
            theirs.append(measure(hugo, hugo_root)[0])
    where = "tmpfs" if memory.is_dir() else "disk"
    return statistics.median(ours), statistics.median(theirs), where


def growth(root: Path, feeds: int, entries: int) -> list[tuple[str, float, str, float, str]]:
    """A store of feeds × entries (window defaults as shipped): the no-change rebuild's time
    (whole command, and its build part) and its peak RSS, beside the first build's; and the
    rebuild after a fetch that brought nothing new (the store records its checks)."""
    world = build(feeds, entries, 0, spacing_hours=GROWTH_SPACING_HOURS)
    server = WorldServer(world.feeds, 0.0)
    try:
        site = make_site(root, server, world, NO_IMAGES)
        measure(invoke(site, "fetch"), site)
        first_s, first_mb = measure(invoke(site, "build"), site)
        first_own = built_in(site)
        again_s, again_mb = measure(invoke(site, "build"), site)
        again_own = built_in(site)
        subprocess.run(invoke(site, "fetch"), check=True, capture_output=True)  # nothing new
    finally:
        server.shutdown()
    touched_s, touched_mb = measure(invoke(site, "build"), site)
    label = f"{len(world.entries):,} stored"
    return [
        (f"no-change rebuild, {label}", again_s, "first build", first_s, "≤ 1 s"),
        ("  its build part", again_own, "first build's part", first_own, ""),
        (f"peak RSS MB, no-change, {label}", again_mb, "first build, MB", first_mb, "≤ 300 MB"),
        ("rebuild, fetch brought nothing", touched_s, "first build", first_s, ""),
        ("  its build part", built_in(site), "first build's part", first_own, ""),
        ("  its peak RSS MB", touched_mb, "first build, MB", first_mb, ""),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small world (under 2 minutes)")
    quick = parser.parse_args().quick
    size = SIZES["quick" if quick else "full"]
    rows: list[tuple[str, float, str, float, str]] = []
    machine = wait_for_quiet()
    _, steal_before, total_before = cpu_times()
    with tempfile.TemporaryDirectory() as folder:
        pictures = Path(folder) / "pictures"
        server = WorldServer({}, size["latency"], pictures)
        world = build(
            size["subscriptions"], size["entries"], size["friends"], image_base=server.url("/img")
        )
        documents = {**world.feeds, **world.friends}
        server.documents.update(documents)
        pictures_bytes = draw_pictures(world, pictures)
        # The feeds alone first (images off), against the ideal; then the default, images kept.
        feeds_only = make_site(Path(folder) / "feeds-only", server, world, NO_IMAGES)
        feeds = len(documents)
        fetch_s, fetch_mb, first_bytes = first_fetch(server, feeds_only)
        ideal = feeds * size["latency"] / CONCURRENCY
        parsing = parse_only(world)
        rows += [
            ("fetch", fetch_s, "ideal N×latency÷concurrency", ideal, "≤ 1.25"),
            ("fetch", fetch_s, "parse-only (feedparser)", parsing, "≤ 1.25 of the larger"),
        ]
        sent = server.bytes_sent
        again_s, _ = measure(invoke(feeds_only, "fetch"), feeds_only)
        again_bytes = server.bytes_sent - sent
        rows.append(
            ("second fetch, bytes", again_bytes, "first fetch, bytes", first_bytes, "≤ 0.05")
        )
        rows.append(("second fetch", again_s, "first fetch", fetch_s, ""))
        site = make_site(Path(folder) / "site", server, world)
        images_s, images_mb = measure(invoke(site, "fetch"), site)
        rows.append(("fetch with images", images_s, "HAOKAN_IMAGES = none", fetch_s, ""))
        cache = sum(p.stat().st_size for p in (site / "cache" / "media").iterdir())
        rows.append(
            ("image cache, MB", cache / 1e6, "pictures fetched, MB", pictures_bytes / 1e6, "")
        )
        rows.append(("bare httpx fetch", bare_fetch(server, list(documents)), "ideal", ideal, ""))
        rows.append(("parse + normalize", parse_and_normalize(world), "parse-only", parsing, ""))
        build_s, build_mb = measure(invoke(site, "build"), site)
        build_own = built_in(site)
        plain = markdown_site(Path(folder) / "plain", world)
        pelican_s, pelican_mb = measure(
            [
                sys.executable,
                "-m",
                "pelican",
                str(plain / "content"),
                "-s",
                str(plain / "plainconf.py"),
                "-o",
                str(plain / "output"),
                "-q",
            ],
            plain,
        )
        rows.append(("build (full)", build_s, "plain Pelican, Markdown", pelican_s, "≤ 0.4"))
        nochange_s, _ = measure(invoke(site, "build"), site)
        rows.append(("no-change rebuild", nochange_s, "full build", build_s, "≤ 0.1"))
        rows.append(("  its build part", built_in(site), "full build's part", build_own, ""))
        # A fetch that brings nothing new still records its checks in the store: the rebuild
        # after it cannot take "nothing changed" and looks at every page.
        subprocess.run(invoke(site, "fetch"), check=True, capture_output=True)
        touched_s, _ = measure(invoke(site, "build"), site)
        rows.append(("rebuild, fetch brought nothing", touched_s, "full build", build_s, ""))
        rows.append(("  its build part", built_in(site), "full build's part", build_own, ""))
        subprocess.run(
            invoke(site, "like", "https://feed0.example/1", "--title", "t", "--note", "好看"),
            check=True,
            capture_output=True,
        )
        mark_s, _ = measure(invoke(site, "build"), site)
        rows.append(("one-mark rebuild", mark_s, "full build", build_s, "≤ 0.1, < 1 s at 1,000"))
        rows.append(("  its build part", built_in(site), "full build's part", build_own, ""))
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", "import haokan.cli.commands, pelican.generators"], check=True
        )
        startup = time.perf_counter() - started
        rows.append(("  start-up (imports)", startup, "full build", build_s, ""))
        presses = reader_round_trips(site)
        rows.append(
            (
                "好看 button round trip",
                statistics.median(presses),
                "one-mark rebuild",
                mark_s,
                "≤ 0.25 s",
            )
        )
        rows += picks_cost(site, Path(folder))
        hugo_s = hugo(Path(folder) / "hugo", world)
        if hugo_s is not None:
            rows.append(("Hugo, Markdown", hugo_s, "plain Pelican, Markdown", pelican_s, ""))
            # The feeds-only site: Hugo's entries have no image files to copy either.
            ours_s, theirs_s, where = versus_hugo(feeds_only, Path(folder) / "hugo")
            anchor = f"Hugo, output on {where}"
            rows.append(("clean build vs Hugo", ours_s, anchor, theirs_s, "≤ 1.0"))
        server.shutdown()
        rows += history(Path(folder) / "history", *size["history"])
        if not quick:
            rows += growth(Path(folder) / "growth", *GROWTH)
        _, steal_after, total_after = cpu_times()
    print(
        f"world: {size['subscriptions']} subscriptions × {size['entries']} entries "
        f"({len(world.entries)}), {size['friends']} friends, latency "
        f"{size['latency'] * 1000:.0f} ms, concurrency {CONCURRENCY}"
        + ("; goals are for the full run (here start-up costs weigh more)" if quick else "")
    )
    print(f"{'stage':<26} {'value':>10} {'anchor':<28} {'anchor value':>12} {'ratio':>7}  goal")
    for stage, value, anchor, anchor_value, goal in rows:
        plain = "bytes" in stage or "MB" in stage
        shown = f"{value:,.0f}" if plain else f"{value:.2f} s"
        shown_anchor = f"{anchor_value:,.0f}" if plain else f"{anchor_value:.2f} s"
        print(
            f"{stage:<26} {shown:>10} {anchor:<28} {shown_anchor:>12} "
            f"{value / anchor_value:>7.2f}  {goal}"
        )
    print(
        f"peak RSS: fetch {fetch_mb:.0f} MB (with images {images_mb:.0f} MB), "
        f"build {build_mb:.0f} MB, "
        f"plain Pelican {pelican_mb:.0f} MB"
    )
    steal = (steal_after - steal_before) / max(total_after - total_before, 1.0)
    print(f"{machine}; CPU time taken by the hypervisor during the run (steal): {steal:.1%}")
    print("好看 button round trips: " + ", ".join(f"{t:.2f} s" for t in presses))


if __name__ == "__main__":
    main()
