"""Pages rendered on every core: the same site, byte for byte, whatever the number of workers."""

import io
import json
import multiprocessing
import os

import pytest
from PIL import Image

from conftest import Reply, make_site, numbered_rss, tree
from haokan.site.pool import FORK_FROM, Ahead, RenderPool


def test_the_queue_comes_back_in_order_whoever_ran_it():
    # Each process's first page waits until the other has one too: both take part.
    both = multiprocessing.get_context("fork").Barrier(2)
    started: set[int] = set()  # in each process, its own copy

    def page(n: int) -> tuple[int, int]:
        if os.getpid() not in started:
            started.add(os.getpid())
            both.wait(timeout=60)
        return n, os.getpid()

    pool: RenderPool[tuple[int, int]] = RenderPool(2, fork_from=1)
    for n in range(50):
        pool.add(lambda n=n: page(n))
    results = pool.run()
    assert [n for n, _ in results] == list(range(50))
    pids = {pid for _, pid in results}
    assert len(pids) == 2 and os.getpid() in pids  # the build and one forked worker
    assert pool.processes == 2

    alone: RenderPool[int] = RenderPool(1, fork_from=1)
    alone.add(os.getpid)
    assert alone.run() == [os.getpid()] and alone.processes == 1


def test_a_failing_page_fails_the_build_with_its_error():
    pool: RenderPool[int] = RenderPool(2, fork_from=1)
    for n in range(10):
        pool.add(lambda n=n: 1 // (n - 7))
    with pytest.raises(ZeroDivisionError):
        pool.run()


@pytest.mark.slow
def test_one_worker_and_two_build_the_same_site_byte_for_byte(server, tmp_path):
    feeds, entries = 30, 7
    assert feeds * entries > FORK_FROM  # enough pages that two workers are really forked
    for n in range(feeds):
        server.routes[f"/f{n}"] = Reply(numbered_rss(n, range(entries)))
    for n in range(12):  # a picture in some feeds' newest post: its copies are queued too
        png = io.BytesIO()
        Image.new("RGB", (64, 48), (20 * n, 90, 160)).save(png, "PNG")
        server.routes[f"/p{n}.png"] = Reply(png.getvalue())
        image = f'&lt;img src="{server.url(f"/p{n}.png")}"&gt;&lt;/p&gt;'.encode()
        server.routes[f"/f{n}"] = Reply(
            numbered_rss(n, range(entries)).replace(b"&lt;/p&gt;", image, 1)
        )
    site = make_site(tmp_path / "site", "HAOKAN_BUILD_WORKERS = 1\n")
    site.subscribe_to({f"Feed {n}": server.url(f"/f{n}") for n in range(feeds)})
    site.invoke("fetch")
    (site.root / "content" / "haokan" / "pick.md").write_text(
        "Title: Post 3.2\nLink: https://f3.example/2\nDate: 2026-11-22 22:40+08:00\n\nWorth it.\n",
        "utf-8",
    )
    one = site.built()
    assert one.processes == 1
    assert len(list((site.output / "media").iterdir())) == 24  # each picture and its thumbnail

    conf = site.root / "twoconf.py"
    conf.write_text(
        "from haokanconf import *  # noqa\nOUTPUT_PATH = 'two'\nHAOKAN_BUILD_WORKERS = 2\n"
    )
    two = site.built(settings=conf)
    assert two.processes == 2 and two.written == one.written > feeds * entries
    assert tree(site.root / "two") == tree(site.output)

    # A file lost from the output and a clean build over the old one: still the same bytes
    # (with 精选 chosen in a process of its own beside it: site/picking.py).
    next((site.root / "two" / "articles").rglob("*.html")).unlink()
    again = site.built("--clean", settings=conf)
    assert again.processes == 2
    assert tree(site.root / "two") == tree(site.output)

    # What it recorded for the next build is what a build in one process records: the same
    # digest for each page (an article page's taken once its "More like this" was there),
    # the same files, the same plan.
    def recorded() -> dict[str, object]:
        from haokan.site.digests import manifest_path
        from haokan.storage.settings_file import load

        hk = load(conf)
        data = json.loads(manifest_path(hk.store, hk.output).read_text("utf-8"))
        kept = {key: data[key] for key in ("site", "lists", "articles", "calls")}
        return {**kept, "files": sorted(data["files"])}

    apart = recorded()
    conf.write_text(conf.read_text() + "HAOKAN_BUILD_WORKERS = 1\n")
    alone = site.built("--clean", settings=conf)
    assert alone.processes == 1
    assert recorded() == apart and apart["calls"]

    # A mark, built on top of each: in one process, and with its 精选 chosen in another
    # while the pages are planned and queued (site/picking.py). The same bytes again.
    (site.root / "content" / "haokan" / "again.md").write_text(
        "Title: Post 5.1\nLink: https://f5.example/1\nDate: 2026-11-23 08:00+08:00\n\nAnd this.\n",
        "utf-8",
    )
    conf.write_text(conf.read_text() + "HAOKAN_BUILD_WORKERS = 2\n")
    marked_two, marked_one = site.built(settings=conf), site.built()
    assert marked_two.reused > 0 and marked_one.reused > 0  # each on top of its last build
    assert "And this." in (site.root / "two" / "index.html").read_text("utf-8")
    assert tree(site.root / "two") == tree(site.output)

    # A page changed by hand, and another mark: no list stands, so every article is handed
    # to Pelican; each whose page did not change is still reused while the 精选 is chosen.
    touched = next((site.root / "two" / "articles").rglob("*.html"))
    touched.write_text("changed by hand", "utf-8")
    (site.root / "content" / "haokan" / "third.md").write_text(
        "Title: Post 6.1\nLink: https://f6.example/1\nDate: 2026-11-23 09:00+08:00\n\nThird.\n",
        "utf-8",
    )
    rebuilt = site.built(settings=conf)
    assert rebuilt.reused > feeds * entries  # the article pages among them
    assert touched.read_text("utf-8") != "changed by hand"
    site.built()
    assert tree(site.root / "two") == tree(site.output)


def test_work_ahead_runs_in_a_process_of_its_own_and_brings_back_its_result_or_error():
    assert Ahead(os.getpid).result() != os.getpid()
    inherited = {"read": "in the forked process, not pickled"}
    assert Ahead(lambda: inherited["read"].upper()).result() == "IN THE FORKED PROCESS, NOT PICKLED"
    failing = Ahead(lambda: 1 // 0)
    with pytest.raises(ZeroDivisionError):
        failing.result()


def test_jobs_run_meanwhile_are_not_run_again_and_those_that_wait_run_last():
    ran: list[int] = []
    pool: RenderPool[int] = RenderPool(1)
    for n in range(6):
        pool.add(lambda n=n: ran.append(n) or n, waits=n % 2 == 0)
    turns = iter([True, True, True, False])  # busy for three jobs' turns, then done
    pool.run_while(lambda: next(turns))
    assert ran == [1]  # the first three turns: 0 waits, 1 runs, 2 waits; then no longer busy
    pool.add(lambda: ran.append(6) or 6)
    assert pool.run() == [0, 1, 2, 3, 4, 5, 6]  # every result, in the order queued
    assert ran == [1, 0, 2, 3, 4, 5, 6]  # each once: the rest after
