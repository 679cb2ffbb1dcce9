"""The warm builder of the local reader: after any sequence of marks, unmarks, note edits and
fetches, its output is a clean build's, byte for byte, and already at its answer for every page
that shows entries or marks; what it read ahead is read again when it changed, and it says so."""

import contextlib
import shutil
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FeedServer, Reply, make_site, numbered_rss, tree
from haokan.cli import commands
from haokan.site.run import stats_path
from haokan.site.warm import WarmBuilder
from haokan.storage.settings_file import load

pytestmark = pytest.mark.slow

URLS = [f"https://f{feed}.example/{n}" for feed in range(3) for n in range(3)]
# What a warm build may write after it answered (site/warm.py); it also removes what is gone.
TRAILING = ("search/", "status/", "sitemap.xml", "manifest.webmanifest")


def shown(folder):
    """Return the files a reader opens but those that trail the answer, as they stand now (one
    removed meanwhile is not there)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if not name.startswith(TRAILING):
            with contextlib.suppress(FileNotFoundError, IsADirectoryError):
                found[name] = path.read_bytes()
    return found


class Reading:
    """A site the owner reads through the warm builder, and a clean build to hold it to."""

    def __init__(self, root):
        self.server = FeedServer()
        self.entries = {feed: 3 for feed in range(3)}
        self._serve()
        self.site = make_site(root)
        self.site.subscribe_to({f"F{f}": self.server.url(f"/f{f}") for f in range(3)})
        self.site.befriend({"Pal": self.server.url("/pal")})
        # A friend recommends f2's post 0.
        self.server.routes["/pal"] = Reply(numbered_rss(2, range(1)))
        self.site.invoke("fetch")
        self.hk = load(self.site.settings)
        self.builder = WarmBuilder(self.site.settings)
        self.clean = self.site.root / "cleanconf.py"
        self.clean.write_text("from haokanconf import *  # noqa\nOUTPUT_PATH = 'clean'\n")

    def _serve(self):
        for feed, count in self.entries.items():
            self.server.routes[f"/f{feed}"] = Reply(numbered_rss(feed, range(count)))

    def do(self, step):
        kind, url, note = step
        self.builder.wait_ready()  # it has read ahead: what changes now, it must notice
        if kind == "mark":
            commands.mark(self.hk, url, note, "")
        elif kind == "unmark":
            commands.unmark(self.hk, url)
        else:  # a fetch brings one new post in the feed of `url`
            self.entries[int(url.split("//f")[1][0])] += 1
            self._serve()
            self.site.invoke("fetch")

    def warm_build(self):
        """Press: keep what the site shows at the answer; return the settled outcome."""
        answer = self.builder.build()
        assert answer.error is None, answer.error
        self.answered = shown(self.site.output)
        outcome = self.builder.settled()
        assert outcome.settled and outcome.error is None, outcome.error
        assert outcome.notes == answer.notes
        self.answer = answer
        return outcome

    def assert_clean(self):
        shutil.rmtree(self.site.root / "clean", ignore_errors=True)
        self.site.built("--clean", settings=self.clean)
        warm, clean = tree(self.site.output), tree(self.site.root / "clean")
        assert sorted(warm) == sorted(clean)
        assert [name for name in clean if warm[name] != clean[name]] == []
        # The pages were the clean build's already when the press was answered.
        early = [n for n in clean if not n.startswith(TRAILING)]
        assert [n for n in early if self.answered.get(n) != clean[n]] == []

    def close(self):
        self.builder.close()
        self.server.close()


@pytest.fixture(scope="module")
def reading(tmp_path_factory):
    r = Reading(tmp_path_factory.mktemp("warm") / "site")
    yield r
    r.close()


steps = st.tuples(
    st.sampled_from(["mark", "mark", "unmark", "fetch"]),
    st.sampled_from(URLS),
    st.sampled_from(["", "好看", "Worth *reading*", "再看一遍"]),
)


@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(steps, min_size=1, max_size=3))
def test_after_any_marks_unmarks_notes_and_fetches_the_warm_build_is_a_clean_one(reading, sequence):
    for step in sequence:
        reading.do(step)
        first = not reading.site.output.exists()
        outcome = reading.warm_build()
        # Answered before the bookkeeping when it built on the last build; a first build, or
        # one that found nothing to do, answers when it is done.
        assert reading.answer.settled == (first or outcome.stats["nothing_changed"])
        fetched = step[0] == "fetch"
        assert any("the store" in note for note in outcome.notes) == fetched
        reading.assert_clean()


def test_what_changed_outside_the_marks_is_read_again_and_said(reading):
    reading.warm_build()  # whatever came before is built
    reading.builder.wait_ready()
    opml = reading.hk.subscriptions
    opml.write_text(opml.read_text("utf-8").replace('text="F1"', 'text="Renamed"'), "utf-8")
    outcome = reading.warm_build()
    assert outcome.notes == ("the subscriptions changed since the last build: read again",)
    assert "Renamed" in (reading.site.output / "subscriptions" / "index.html").read_text()
    reading.assert_clean()
    assert reading.warm_build().notes == ()  # nothing changed since


def test_a_broken_file_is_the_error_and_the_next_press_builds_again(reading):
    reading.builder.wait_ready()
    opml = reading.hk.subscriptions
    good = opml.read_text("utf-8")
    opml.write_text("<opml><body><outline", "utf-8")
    failed = reading.builder.build()
    assert failed.stats is None and str(opml.name) in failed.error
    opml.write_text(good, "utf-8")
    assert reading.warm_build().stats["pages"] > 9
    reading.assert_clean()


def test_the_process_kept_ready_writes_nothing_before_the_press(reading):
    """It rehearses the build's assembly and 精选 with the marks as they stand: the site, the
    store and the records beside it are the last build's until the button is pressed."""

    def files():
        found = {**tree(reading.site.output), **tree(reading.site.root / "cache")}
        for folder in (reading.site.output, reading.site.root / "cache"):
            for path in folder.rglob("*"):
                status = path.stat()
                found[str(path)] = (status.st_ino, status.st_mtime_ns)
        return found

    reading.warm_build()
    reading.builder.close()  # the next one starts after the mark: its rehearsal sees it
    commands.mark(reading.hk, URLS[4], "a mark the rehearsal sees", "")
    before = files()
    reading.builder = WarmBuilder(reading.site.settings)
    reading.builder.wait_ready()
    assert files() == before
    reading.warm_build()
    assert files() != before  # the press's build chose again, and kept it
    reading.assert_clean()


def test_another_process_reading_the_store_is_no_change(reading):
    """A reader of the store creates an empty write-ahead log and the last to close deletes it:
    the process kept ready that read ahead while a build had the store open changes nothing."""
    reading.warm_build()
    reading.builder.close()
    other = sqlite3.connect(reading.hk.store)
    assert other.execute("SELECT count(*) FROM entries").fetchone()[0] > 9
    reading.builder = WarmBuilder(reading.site.settings)
    reading.builder.wait_ready()  # it read ahead while the other reader had the store open
    other.close()
    commands.mark(reading.hk, URLS[5], "read while another process read", "")
    assert reading.warm_build().notes == ()
    reading.assert_clean()


def test_a_build_that_fails_after_its_answer_is_heard_and_the_next_press_builds(reading):
    """The pages are written and the press answered; the build's record cannot be: the reader
    hears the error, and the next press leaves a clean build's site."""
    heard = []
    reading.warm_build()
    reading.builder.close()
    reading.builder = WarmBuilder(reading.site.settings, on_settled=heard.append)
    record = stats_path(reading.hk, reading.hk.output)
    record.unlink()
    record.mkdir()  # it cannot be replaced by a file
    try:
        commands.mark(reading.hk, URLS[6], "written before the record", "")
        answer = reading.builder.build()
        assert answer.error is None and not answer.settled
        page = (reading.site.output / "index.html").read_text("utf-8")
        assert "written before the record" in page
        failed = reading.builder.settled()
    finally:
        record.rmdir()
    assert failed.error is not None and record.name in failed.error
    assert heard == [failed]
    commands.mark(reading.hk, URLS[6], "and built again", "")
    reading.warm_build()
    reading.assert_clean()


def test_the_output_deleted_before_the_press_is_built_again_whole(reading):
    """How the last build's files stood is looked at ahead; a folder deleted since is seen."""
    reading.warm_build()
    reading.builder.wait_ready()
    shutil.rmtree(reading.site.output)
    commands.mark(reading.hk, URLS[7], "after the output was deleted", "")
    reading.warm_build()
    reading.assert_clean()


def test_a_page_changed_by_hand_before_the_press_is_mended_by_the_next_one(reading):
    """A file changed by hand after the look ahead goes unseen by that press, not by the next."""
    reading.warm_build()
    reading.builder.wait_ready()
    (page,) = reading.site.output.glob("articles/post-1-1-*/index.html")
    page.write_text("edited by hand")
    commands.mark(reading.hk, URLS[8], "one press", "")
    reading.warm_build()
    commands.mark(reading.hk, URLS[8], "and the next", "")
    reading.warm_build()
    reading.assert_clean()
