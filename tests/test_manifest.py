"""The incremental build's decisions (pure): what may stand, what is redone, what is removed."""

from haokan.core import manifest
from haokan.core.manifest import Call, Manifest, Plan, Stamp, Stats

PAGES = [("a", "list-a", "page-a"), ("b", "list-b", "page-b")]
A = Stamp(100, 1)
B = Stamp(200, 2)


def last_build(site="site-1", pages=PAGES):
    first = manifest.plan(Manifest(), site, pages, untouched=True)
    return Manifest(
        site,
        first.lists,
        first.articles,
        calls={
            "articles/a/index.html": Call("d-a", ("articles/a/index.html",), True),
            "feeds/all.atom.xml": Call("d-feed", ("feeds/all.atom.xml",), True),
            "status/index.html": Call(None, ("status/index.html",), False),
        },
        files={"articles/a/index.html": A, "feeds/all.atom.xml": B, "status/index.html": A},
        stats=Stats(written=3),
    )


def test_a_first_build_redoes_everything():
    plan = manifest.plan(Manifest(), "site-1", PAGES, untouched=True)
    assert not plan.partial and plan.reusable == {}
    assert plan.articles == {"a": "page-a", "b": "page-b"}
    assert plan.renders("a", "page-a") and plan.renders("b", "page-b")


def test_when_lists_stand_only_changed_article_pages_are_rendered():
    changed = [("a", "list-a", "page-a"), ("b", "list-b", "page-b, now marked")]
    plan = manifest.plan(last_build(), "site-1", changed, untouched=True)
    assert plan.partial
    assert not plan.renders("a", "page-a")
    assert plan.renders("b", "page-b, now marked")


def test_any_list_change_or_site_change_or_touched_file_redoes_the_lists():
    previous = last_build()
    grew = [*PAGES, ("c", "list-c", "page-c")]
    assert not manifest.plan(previous, "site-1", grew, untouched=True).partial
    assert not manifest.plan(previous, "site-2", PAGES, untouched=True).partial
    assert not manifest.plan(previous, "site-1", PAGES, untouched=False).partial
    assert manifest.plan(previous, "site-1", PAGES, untouched=True).partial


def test_a_page_stands_only_with_the_same_digest_and_untouched_files():
    previous = last_build()
    call = previous.calls["articles/a/index.html"]
    name = "articles/a/index.html"
    assert manifest.reusable(call, "d-a", previous.files, {name: A})
    assert not manifest.reusable(call, "d-a, edited", previous.files, {name: A})
    assert not manifest.reusable(call, None, previous.files, {name: A})
    assert not manifest.reusable(call, "d-a", previous.files, {name: Stamp(100, 9)})  # touched
    assert not manifest.reusable(call, "d-a", previous.files, {name: None})  # deleted
    assert not manifest.reusable(call, "d-a", {}, {name: A})  # never recorded


def test_intact_compares_every_recorded_file():
    files = {"x": A, "y": B}
    assert manifest.intact(files, {"x": A, "y": B})
    assert not manifest.intact(files, {"x": A, "y": None})
    assert manifest.intact({}, {})


def test_a_partial_build_carries_article_pages_and_lists_it_did_not_see():
    previous = last_build()
    plan = Plan("lists", {}, {}, partial=True)
    carried = manifest.carried(previous, plan, redone=["articles/a/index.html"])
    assert list(carried) == ["feeds/all.atom.xml"]  # not the status page: it is always rendered
    assert manifest.carried(previous, Plan("lists", {}, {}, partial=False), []) == {}


def test_orphans_are_what_the_last_build_made_and_this_one_did_not():
    previous = {"a.html": A, "gone/b.html": B, "c.html": A}
    assert manifest.orphans(previous, ["a.html", "c.html", "new.html"]) == ["gone/b.html"]


def test_the_record_round_trips_by_name_and_refuses_other_versions():
    record = last_build()
    data = record.to_json()
    assert data["version"] == manifest.VERSION
    assert data["calls"]["feeds/all.atom.xml"] == {
        "digest": "d-feed",
        "files": ["feeds/all.atom.xml"],
        "of_articles": True,
    }
    assert data["files"]["feeds/all.atom.xml"] == {"size": 200, "mtime_ns": 2}
    assert manifest.from_json(data) == record
    assert manifest.from_json({**data, "version": 1}) == Manifest()
    assert manifest.from_json({"version": manifest.VERSION, "files": []}) == Manifest()
    assert manifest.from_json(["not", "a", "manifest"]) == Manifest()
