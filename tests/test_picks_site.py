"""精选 on the demo, end to end: picks/ in both languages, readable by tools, working with
JavaScript off and on in Chromium, every article page with its "More like this"."""

import shutil
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import StaticServer, demo_site, inert_problems, require_browser, watched_page

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demos(tmp_path_factory):
    """The demo built in Chinese, and from the same store in English."""
    site = demo_site(tmp_path_factory.mktemp("picks"))
    site.invoke("fetch")
    site.invoke("build")
    english = site.root / "english.py"
    english.write_text("from haokanconf import *  # noqa\nHAOKAN_LANG = 'en'\nOUTPUT_PATH = 'en'\n")
    site.invoke("build", "--settings", str(english))
    yield site, {"zh": site.output, "en": site.root / "en"}
    shutil.rmtree(site.root / "en", ignore_errors=True)


def originals(page):
    """Return each pick's original address, in the page's order."""
    return [
        a["href"]
        for item in page.select("article.pick")
        for a in item.select("a")
        if urlsplit(a["href"]).scheme == "https"
    ]


def picks(output):
    return BeautifulSoup((output / "picks" / "index.html").read_text("utf-8"), "html.parser")


@pytest.mark.parametrize(
    ("lang", "tab", "similar", "surprise"),
    [("zh", "精选", "像", "随便看看"), ("en", "Picks", "like 《", "something different")],
)
def test_the_picks_page_says_why_and_links_the_originals(demos, lang, tab, similar, surprise):
    _, outputs = demos
    page = picks(outputs[lang])
    assert [a.get_text() for a in page.select("header.site nav a")][1] == tab  # next to 朋友在看
    items = page.select("article.pick")
    kinds = [item["data-pick"] for item in items]
    assert len(items) == 9 and set(kinds) == {"similar", "surprise"}
    for item in items:
        reason = item.select_one(".reason").get_text()
        assert reason.startswith(similar if item["data-pick"] == "similar" else surprise), reason
        original = [a["href"] for a in item.select("a") if urlsplit(a["href"]).scheme == "https"]
        assert len(original) == 1  # the article's own address, as the other lists have
    assert inert_problems(str(page)) == []


def test_nothing_recommended_is_picked_and_every_article_page_has_more_like_this(demos):
    _, outputs = demos
    front = BeautifulSoup((outputs["zh"] / "index.html").read_text("utf-8"), "html.parser")
    recommended = {a["href"].strip("./") for a in front.select(".item-title a")}
    chosen = {a["href"].strip("./") for a in picks(outputs["zh"]).select(".item-title a")}
    assert chosen and not chosen & recommended
    similar = {}
    for path in (outputs["zh"] / "articles").glob("*/index.html"):
        page = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        title = page.h1.get_text()
        items = page.select("section.related li")
        kinds = [li["data-related"] for li in items]
        titles = [li.a.get_text() for li in items]
        assert len(set(titles)) == 3 and title not in titles, path  # three others
        assert kinds == sorted(kinds), path  # the alike first, then one from further away
        similar[title] = {t for t, kind in zip(titles, kinds, strict=True) if kind == "similar"}
    # What is alike by content: a newsletter's issues, and the two tide-pool posts.
    assert "第 87 期：在地铁上读完一本书" in similar["第 85 期：书店里的猫"]
    assert "The anemone that walked away" in similar["Limpets go home every night"]
    assert "Limpets go home every night" in similar["The anemone that walked away"]
    assert sum(len(alike) == 2 for alike in similar.values()) >= len(similar) * 3 // 4


def test_a_new_mark_chooses_again_from_the_index_kept_beside_the_store(tmp_path):
    site = demo_site(tmp_path)
    site.invoke("fetch")
    built = site.invoke("build")
    assert "DEBUG" not in built.stdout + built.stderr  # the libraries keep quiet
    kept = site.root / "cache" / "similarity.json"
    index, before = kept.stat(), originals(picks(site.output))
    site.invoke("like", before[0], "--note", "真好看")
    rebuilt = site.invoke("build")
    assert "DEBUG" not in rebuilt.stdout + rebuilt.stderr  # nor with the index read back
    after = originals(picks(site.output))
    assert before[0] not in after  # recommended now: 朋友在看's, no longer a suggestion
    assert len(after) == len(before) - 1  # the demo has fewer than 20 to pick: all are shown
    again = kept.stat()  # the index was read back, not made again (nor written)
    assert (again.st_ino, again.st_mtime_ns) == (index.st_ino, index.st_mtime_ns)


def test_after_a_mark_only_the_picks_are_chosen_in_a_process_of_their_own_the_same(tmp_path):
    """A mark changes the 精选 and not the pages: the pages' lists are the kept ones, known at
    once, and only the 精选 is chosen elsewhere (site/picking.py); it is what choosing here
    chooses, and the pages the build planned with are the pages it gets."""
    from haokan.core.assemble import assemble
    from haokan.site import picking, plugin, run, world
    from haokan.storage.settings_file import load

    site = demo_site(tmp_path)
    site.invoke("fetch")
    site.invoke("build")
    marked = originals(picks(site.output))[0]
    site.invoke("like", marked, "--note", "真好看")
    hk = load(site.settings)
    build = assemble(world.read_world(hk), plugin.options_of(hk, run.pelican_settings(hk)))

    elsewhere = picking.Choosing(build, hk, workers=2, fork_from=1)
    assert elsewhere.apart
    planned = elsewhere.pages  # before the 精选 is there
    assert planned is not None and not planned.picks
    chosen_elsewhere = elsewhere.result()
    assert chosen_elsewhere.pages == planned.pages
    assert chosen_elsewhere.picks and marked not in [
        p.candidate.link for p in chosen_elsewhere.picks
    ]
    record = picking.record_of(hk)
    kept_elsewhere = record.read_bytes()

    record.unlink()  # the 精选 to choose again, here
    here = picking.Choosing(build, hk, workers=1, fork_from=1)
    assert not here.apart
    assert here.result() == chosen_elsewhere
    assert record.read_bytes() == kept_elsewhere

    # The index read back in this process (as the warm builder reads it before a press),
    # choosing is quick here and nothing is forked for it.
    record.unlink()
    assert not picking.Choosing(build, hk, workers=2, fork_from=1).apart


@pytest.mark.parametrize("javascript", [True, False])
def test_the_picks_page_in_chromium(demos, javascript):
    sync_api = require_browser()
    _, outputs = demos
    with sync_api.sync_playwright() as playwright:
        from haokan.cli.screenshots import ARGS, CHROMIUM

        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page, problems = watched_page(browser, javascript)
        for lang, output in outputs.items():
            served = StaticServer(output)
            try:
                page.goto(served.url("/picks/"))
                page.wait_for_load_state("networkidle")
                assert page.locator("article.pick").count() == 9, lang
                assert page.locator(".unread-dot").count() == (9 if javascript else 0)
            finally:
                served.close()
        browser.close()
    assert problems == []


def test_chosen_in_a_process_of_its_own_the_choice_is_the_same(demos):
    """What a build does while 精选 is made anew elsewhere (site/picking.py) changes nothing
    of what is chosen or kept: the same build, the same records beside the store."""
    from haokan.core.assemble import assemble
    from haokan.site import picking, plugin, run, world
    from haokan.storage.settings_file import load

    site, _ = demos
    hk = load(site.settings)
    build = assemble(world.read_world(hk), plugin.options_of(hk, run.pelican_settings(hk)))
    kept = (picking.record_of(hk), picking.index_of(hk))

    picking.forget_choices(hk)
    here = picking.Choosing(build, hk, workers=1, fork_from=1)
    assert not here.apart
    chosen_here = here.result()
    records_here = [path.read_bytes() for path in kept]

    picking.forget_choices(hk)
    elsewhere = picking.Choosing(build, hk, workers=2, fork_from=1)
    assert elsewhere.apart  # forked: this process goes on meanwhile
    chosen_elsewhere = elsewhere.result()
    assert not elsewhere.apart
    assert chosen_elsewhere.picks and chosen_elsewhere == chosen_here
    assert [path.read_bytes() for path in kept] == records_here
    # It comes back as positions among the pages, and is made again from them the same.
    task = picking._Task.of(build, hk, rehearsal=True)
    packed = task.packed()
    assert isinstance(packed, picking._Packed)
    assert task.unpacked(packed) == task.chosen()

    # Nothing to make anew (the records hold): chosen here, at once, whatever the cores.
    assert not picking.Choosing(build, hk, workers=2, fork_from=1).apart
