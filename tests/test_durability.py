"""Durability: kill the fetch at random moments; the store stays whole and loses nothing."""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from conftest import ROOT, FeedServer, Reply, make_site

pytestmark = pytest.mark.slow
FEEDS = 40
# Six in `make test`; docs/robustness.md reports ten (HAOKAN_DURABILITY_KILLS=10).
KILLS = int(os.environ.get("HAOKAN_DURABILITY_KILLS", "6"))


def feed(index: int, entries: int) -> bytes:
    items = "".join(
        f"<item><guid>f{index}-e{n}</guid><title>Feed {index} entry {n} 条目</title>"
        f"<link>https://f{index}.example/{n}</link><description>&lt;p&gt;{'words ' * 80}"
        f"&lt;/p&gt;</description></item>"
        for n in range(entries)
    )
    channel = f"<channel><title>Feed {index}</title>{items}</channel>"
    return f'<rss version="2.0">{channel}</rss>'.encode()


def stored(path) -> set[tuple[str, str]]:
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return set(db.execute("SELECT feed_url, key FROM entries"))
    finally:
        db.close()


def test_sigkill_at_random_moments_never_corrupts_or_loses(tmp_path):
    server = FeedServer()
    site = make_site(tmp_path / "site", "HAOKAN_FETCH_CONCURRENCY = 8\n")
    site.subscribe_to({f"f{i}": server.url(f"/f{i}") for i in range(FEEDS)})
    store = site.root / "cache" / "haokan.sqlite3"
    rng = random.Random(20261124)
    before: set[tuple[str, str]] = set()
    command = [
        sys.executable,
        "-m",
        "invoke",
        "-r",
        str(ROOT),
        "fetch",
        "--settings",
        str(site.settings),
    ]
    try:
        for round_ in range(KILLS):
            for i in range(FEEDS):  # every round, every feed has new entries to write
                server.routes[f"/f{i}"] = Reply(
                    feed(i, 150 + 20 * round_), delay=rng.uniform(0, 0.4)
                )
            process = subprocess.Popen(
                command,
                cwd=site.root,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            time.sleep(rng.uniform(0.7, 2.5))  # start-up is ~0.6 s: most kills land mid-fetch
            os.killpg(process.pid, signal.SIGKILL)  # invoke and its parser workers
            process.wait()
            if store.exists():
                after = stored(store)
                assert before <= after, f"round {round_}: entries lost"
                before = after
        finished = subprocess.run(
            command, cwd=site.root, capture_output=True, text=True, check=True
        )
        assert "0 failed" in finished.stdout
        final = stored(store)
        assert before <= final
        assert len(final) == FEEDS * (150 + 20 * (KILLS - 1))
    finally:
        server.close()
