"""Incremental builds: only what changed is redone, and the result is a clean build's, byte for
byte, after every kind of change an owner makes."""

import io
import re
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import jinja2
import jinja2.meta
import pytest
from PIL import Image

from conftest import ROOT, Reply, Site, make_site, tree

pytestmark = pytest.mark.slow

NOW = datetime.now(UTC).replace(microsecond=0)


def rss(name: str, items: list[tuple[int, str, str]]) -> bytes:
    """An RSS feed of (number, title, body) items, one a day going back from now."""
    entries = "".join(
        f"<item><guid>https://{name}.example/{n}</guid><title>{title}</title>"
        f"<link>https://{name}.example/{n}</link>"
        f"<pubDate>{(NOW - timedelta(days=n)).strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>"
        f"<description>&lt;p&gt;{body}&lt;/p&gt;</description></item>"
        for n, title, body in items
    )
    return (
        f'<rss version="2.0"><channel><title>{name}</title><link>https://{name}.example/</link>'
        f"{entries}</channel></rss>"
    ).encode()


def atom_picks(picks: list[tuple[str, str]]) -> bytes:
    entries = "".join(
        f'<entry><title>{url}</title><link rel="alternate" href="{url}"/><id>{url}#pick</id>'
        f"<updated>{NOW.isoformat()}</updated><content>{note}</content></entry>"
        for url, note in picks
    )
    return f'<feed xmlns="http://www.w3.org/2005/Atom"><title>Pal</title>{entries}</feed>'.encode()


def assert_same_as_clean_build(site: Site) -> None:
    """Build the same inputs from nothing into clean/ and compare every file's bytes."""
    clean = site.root / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    conf = site.root / "cleanconf.py"
    conf.write_text("from haokanconf import *  # noqa\nOUTPUT_PATH = 'clean'\n")
    site.built("--clean", settings=conf)
    incremental, fresh = tree(site.output), tree(clean)
    assert sorted(incremental) == sorted(fresh)
    differing = [name for name in fresh if incremental[name] != fresh[name]]
    assert differing == []


def rendered_as(site: Site) -> dict[str, str | None]:
    """Return what the last build recorded each page as made of (a page is reused while it
    stays the same)."""
    from haokan.site.digests import load_manifest, manifest_path
    from haokan.storage.settings_file import load

    hk = load(site.settings)
    calls = load_manifest(manifest_path(hk.store, hk.output)).calls
    return {name: call.digest for name, call in calls.items()}


def test_incremental_output_is_a_clean_build_after_every_change(server, tmp_path):
    site = make_site(tmp_path / "site")
    server.routes["/a"] = Reply(rss("alpha", [(1, "Alpha one", "first"), (2, "Alpha two", "x")]))
    server.routes["/b"] = Reply(rss("beta", [(1, "Beta one", "b1"), (3, "Beta three", "b3")]))
    server.routes["/pal"] = Reply(atom_picks([("https://beta.example/3", "A good one")]))
    site.subscribe_to({"Alpha": server.url("/a"), "Beta": server.url("/b")})
    site.befriend({"Pal": server.url("/pal")})
    site.invoke("fetch")
    first = site.built()
    assert first.reused == 0 and first.written > 20
    assert_same_as_clean_build(site)

    nothing = site.built()
    assert nothing.written == 0 and nothing.reused > 0  # pages reused, not rendered

    # New entries arrive in one feed.
    server.routes["/a"] = Reply(
        rss("alpha", [(0, "Alpha zero", "new"), (1, "Alpha one", "first"), (2, "Alpha two", "x")])
    )
    site.invoke("fetch")
    grew = site.built()
    assert grew.written > 0 and grew.reused > 0
    assert_same_as_clean_build(site)

    # A new 好看 mark: its article's page and the social pages change, little else; the
    # theme's files are left as they are (not copied over while a page may be loading them).
    sheet = site.output / "theme" / "css" / "haokan.css"
    before = sheet.stat()
    site.invoke("like", "https://alpha.example/1", "--note", "Worth it")
    marked = site.built()
    assert 0 < marked.written <= 8 and marked.reused > marked.written
    after = sheet.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert "Worth it" in next(site.output.glob("articles/alpha-one-*/index.html")).read_text()
    assert_same_as_clean_build(site)

    # The note is edited.
    site.invoke("like", "https://alpha.example/1", "--note", "Still worth it")
    site.built()
    assert_same_as_clean_build(site)

    # An entry is edited at the source, and a friend picks another article.
    server.routes["/b"] = Reply(
        rss("beta", [(1, "Beta one", "b1 edited"), (3, "Beta three", "b3")])
    )
    server.routes["/pal"] = Reply(
        atom_picks([("https://beta.example/3", "A good one"), ("https://alpha.example/2", "Yes")])
    )
    site.invoke("fetch")
    site.built()
    assert "b1 edited" in next(site.output.glob("articles/beta-one-*/index.html")).read_text()
    assert_same_as_clean_build(site)

    # The friend gets an avatar: the pages showing their picks change.
    avatar = next((ROOT / "content" / "samples" / "avatars").glob("*.png"))
    shutil.copy(avatar, site.root / "content" / "pal.png")
    (site.root / "content" / "friends.opml").write_text(
        '<opml version="2.0"><body><outline text="Pal" type="rss" avatar="pal.png" '
        f'xmlUrl="{server.url("/pal")}"/></body></opml>'
    )
    site.built()
    assert "avatar.png" in next(site.output.glob("articles/beta-three-*/index.html")).read_text()
    assert_same_as_clean_build(site)

    # An entry starts showing an image: it is kept at the fetch; its page and list items show
    # the copy, which the build writes into media/.
    picture = io.BytesIO()
    Image.new("RGB", (60, 40), (30, 120, 200)).save(picture, "PNG")
    server.routes["/sea.png"] = Reply(picture.getvalue())
    shows = f'new &lt;img src="{server.url("/sea.png")}" alt="sea"&gt;'
    server.routes["/a"] = Reply(
        rss("alpha", [(0, "Alpha zero", shows), (1, "Alpha one", "first"), (2, "Alpha two", "x")])
    )
    site.invoke("fetch")
    site.built()
    (copy,) = (site.output / "media").glob("*.thumb.webp")
    assert copy.name in (site.output / "timeline" / "index.html").read_text()
    assert_same_as_clean_build(site)
    kept = copy.read_bytes()  # a copy deleted, and one cut short: each is put back
    copy.unlink()
    site.built()
    assert copy.read_bytes() == kept
    copy.write_bytes(kept[:10])
    site.built()
    assert copy.read_bytes() == kept

    # A subscription is removed: its folder, feed and article pages go.
    site.subscribe_to({"Alpha": server.url("/a")})
    removed = site.built()
    assert removed.removed > 0
    assert not list(site.output.glob("articles/beta-one-*"))
    assert not (site.output / "feeds" / "beta.atom.xml").exists()
    assert_same_as_clean_build(site)


def test_a_mark_renders_again_only_the_pages_it_changes(server, site):
    # A friend's 65 picks fill four pages of 朋友在看, 20 a page. The owner's mark, later than
    # the fetch, moves the build's moment, and with it every item's ranking score; the order
    # stands, so the first three pages and the friend's page are reused, not rendered again.
    items = [(n, f"Alpha {n}", f"body {n}") for n in range(70)]
    server.routes["/a"] = Reply(rss("alpha", items))
    picked = [(f"https://alpha.example/{n}", f"Pal likes {n}") for n in range(65)]
    server.routes["/pal"] = Reply(atom_picks(picked))
    site.subscribe_to({"Alpha": server.url("/a")})
    site.befriend({"Pal": server.url("/pal")})
    site.invoke("fetch")
    site.built()
    first = ["index.html", "page/2/index.html", "page/3/index.html"]
    before = rendered_as(site)
    site.invoke("like", "https://alpha.example/69", "--note", "Mine")
    (mark,) = (site.root / "content" / "haokan").glob("*.md")  # made a few minutes on
    later = f"Date: {datetime.now(UTC) + timedelta(minutes=3):%Y-%m-%d %H:%M}+00:00"
    mark.write_text(re.sub(r"(?m)^Date: .*$", later, mark.read_text("utf-8")), "utf-8")
    site.built()
    assert "Mine" in site.page("page/4/index.html")  # after every friend's pick
    assert not any("Mine" in site.page(name) for name in first)
    after = rendered_as(site)
    (pal,) = [name for name in after if name.startswith("friends/")]
    assert [name for name in [*first, pal] if after[name] != before[name]] == []
    assert after["page/4/index.html"] != before["page/4/index.html"]
    assert_same_as_clean_build(site)


def test_a_clean_build_removes_what_is_gone_and_fills_an_emptied_folder(server, site):
    server.routes["/a"] = Reply(rss("alpha", [(1, "Alpha one", "first")]))
    server.routes["/b"] = Reply(rss("beta", [(1, "Beta one", "b1")]))
    site.subscribe_to({"Alpha": server.url("/a"), "Beta": server.url("/b")})
    site.invoke("fetch")
    first = site.built()
    assert list(site.output.glob("articles/beta-one-*"))

    # Into the folder as the last build left it: what is gone is still removed.
    site.subscribe_to({"Alpha": server.url("/a")})
    clean = site.built("--clean")
    assert clean.reused == 0 and clean.removed > 0
    assert not list(site.output.glob("articles/beta-one-*"))
    assert not (site.output / "feeds" / "beta.atom.xml").exists()

    # Into an emptied folder: every page, and the next build stands on it.
    shutil.rmtree(site.output)
    site.output.mkdir()
    again = site.built("--clean")
    assert again.removed == 0 and again.pages == clean.pages < first.pages
    assert list(site.output.glob("articles/alpha-one-*"))
    assert site.built().reused > 0


def test_a_page_changed_by_hand_is_rendered_again(server, site):
    server.routes["/a"] = Reply(rss("alpha", [(1, "Alpha one", "first")]))
    site.subscribe_to({"Alpha": server.url("/a")})
    site.invoke("fetch")
    site.invoke("build")
    (page,) = site.output.glob("articles/alpha-one-*/index.html")
    original = page.read_bytes()
    page.write_text("edited by hand")
    (site.output / "feeds" / "all.atom.xml").unlink()
    again = site.built()
    assert again.written == 2
    assert page.read_bytes() == original and (site.output / "feeds" / "all.atom.xml").is_file()


def test_reusable_templates_read_only_what_their_digest_covers():
    """A page is reused when its digest is unchanged, so a reusable template must not read
    anything the digest leaves out; this fails when a template starts reading more."""
    from haokan.site.digests import theme_contract

    reusable = theme_contract(ROOT / "theme")
    assert set(reusable) == {
        "article.html",
        "category.html",
        "index.html",
        "archive.html",
        "folder.html",
        "social.html",
        "friend.html",
        "status.html",
        "subscriptions.html",
        "picks.html",
        "search.html",
    }

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(ROOT / "theme" / "templates"))

    def source(name: str) -> str:
        return env.loader.get_source(env, name)[0]

    def declared(name: str) -> set[str]:
        """Names a template sets, defines or imports itself (base.html reads page_kind its
        pages set)."""
        names = set(re.findall(r"{%-? (?:set|macro) (\w+)", source(name)))
        for group in re.findall(r"import ([\w, ]+?)(?: with context)? %}", source(name)):
            names |= {n.strip() for n in group.split(",")}
        return names

    def free(name: str) -> set[str]:
        return jinja2.meta.find_undeclared_variables(env.parse(source(name))) - declared(name)

    site_wide = {
        "T",
        "N",
        "COUNT_FORMS",
        "HTML_LANG",
        "HAOKAN",
        "once",
        "output_file",
        "SITEURL",
    }
    pagination = {f"articles_{p}" for p in ("page", "paginator", "previous_page", "next_page")}
    passed = {  # what Pelican (or pages.py) passes to each reusable template
        "article.html": {"article", "category"},
        "category.html": {"category", "articles", "dates", "page_name"} | pagination,
        "index.html": {"articles", "dates", "page_name"} | pagination,
        "archive.html": {"archive_title", "archive_months", "archive_month"},
        "folder.html": {"folder", "folder_parents", "folder_subscriptions", "articles"}
        | pagination,
        "social.html": {"social_items", "page_number", "page_count", "page_kind"},
        "friend.html": {"friend", "picks", "pick_count", "page_kind"},
        "status.html": {"feeds_health", "checked_at", "zone", "zone_name", "page_kind"},
        "subscriptions.html": {"pane", "page_kind"},
        "picks.html": {"picks", "page_kind"},
        "search.html": {"page_kind"},
    }
    shared = free("base.html") | free("_macros.html") - pagination  # the pager: list pages only
    for name, reads in reusable.items():
        unexpected = {
            v
            for v in (free(name) | shared) - declared(name)
            if not v.isupper() and v not in site_wide | passed[name] | set(reads)
        }
        assert unexpected == set(), (name, unexpected)


def test_parts_rendered_once_a_build_read_only_their_arguments_and_the_site_wide():
    """base.html's `once` renders a macro once a build for each set of its arguments (the
    parts of every page that depend only on its depth and kind), so such a macro must read
    nothing else that differs from page to page; this fails when one starts to."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(ROOT / "theme" / "templates"))
    tree = env.parse(env.loader.get_source(env, "base.html")[0])
    macros = {macro.name: macro for macro in tree.find_all(jinja2.nodes.Macro)}
    calls = [
        call
        for call in tree.find_all(jinja2.nodes.Call)
        if isinstance(call.node, jinja2.nodes.Name) and call.node.name == "once"
    ]
    assert {call.args[1].name for call in calls} == {"page_links", "page_top", "page_end"}
    site_wide = {"T", "N", "COUNT_FORMS", "HTML_LANG", "HAOKAN"}
    for call in calls:
        macro = macros[call.args[1].name]
        arguments = {a.name for a in macro.args}
        assert [a.name for a in call.args[2:]] == [a.name for a in macro.args]  # all of them
        names = {n.name for n in macro.find_all(jinja2.nodes.Name) if n.ctx == "load"}
        per_page = {n for n in names - arguments if n not in site_wide and not n.isupper()}
        assert per_page | ({"SITEURL"} & names - arguments) == set(), (macro.name, per_page)


def test_old_entries_leave_the_window_for_the_archive_and_stay_stored(server, tmp_path):
    site = make_site(
        tmp_path / "site", "HAOKAN_WINDOW_DAYS = 30\nHAOKAN_MAX_PER_SUBSCRIPTION = 2\n"
    )
    server.routes["/a"] = Reply(
        rss(
            "alpha",
            [
                (1, "Fresh", "a"),
                (2, "Recent", "b"),
                (3, "Capped", "c"),
                (45, "Old", "d"),
                (400, "Ancient", "e"),
            ],
        )
    )
    server.routes["/pal"] = Reply(atom_picks([("https://alpha.example/400", "Still good")]))
    site.subscribe_to({"Alpha": server.url("/a")})
    site.befriend({"Pal": server.url("/pal")})
    site.invoke("fetch")
    site.invoke("build")
    pages = {p.parent.name.split("-")[0] for p in site.output.glob("articles/*/index.html")}
    # The two newest (the cap), and the one a friend recommends however old it is.
    assert pages == {"fresh", "recent", "ancient"}
    archive = (site.output / "archive" / "index.html").read_text("utf-8")
    months = re.findall(r'href="[./]*archive/(\d{4}/\d{2})/"', archive)
    listed = "".join(
        (site.output / "archive" / month / "index.html").read_text("utf-8") for month in months
    )
    assert "Capped" in listed and "Old" in listed and "Ancient" not in listed
    assert 'href="https://alpha.example/45"' in listed  # linked to where it was published
    with sqlite3.connect(site.root / "cache" / "haokan.sqlite3") as db:  # the store keeps all
        stored = db.execute("SELECT count(*) FROM entries WHERE feed_url = ?", (server.url("/a"),))
        assert stored.fetchone()[0] == 5


def test_a_build_with_nothing_changed_does_nothing_and_notices_any_change(server, tmp_path):
    site = make_site(tmp_path / "site")
    server.routes["/a"] = Reply(rss("alpha", [(1, "Alpha one", "first"), (2, "Alpha two", "x")]))
    site.subscribe_to({"Alpha": server.url("/a")})
    site.invoke("fetch")
    assert not site.built().nothing_changed
    idle = site.built()
    assert idle.nothing_changed and idle.written == idle.unchanged == 0 and idle.reused > 10
    assert "Nothing changed since the last build" in site.invoke("build").stdout
    # It says so without importing Pelican (the start-up it would cost is most of its time).
    check = (
        "import sys; from pathlib import Path; from haokan.site import run; "
        "from haokan.storage.settings_file import load; "
        f"done = run.build(load(Path({str(site.settings)!r}))); "
        "print(done.nothing_changed, 'pelican' in sys.modules)"
    )
    alone = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)
    assert alone.stdout.split() == ["True", "False"], alone.stderr
    # Another process reading the store (a build, the owner's sqlite3) changes its files: the
    # reader creates an empty write-ahead log and the last to close deletes it. Nothing changed.
    reader = sqlite3.connect(site.root / "cache" / "haokan.sqlite3")
    assert reader.execute("SELECT count(*) FROM entries").fetchone()[0] == 2
    assert site.built().nothing_changed
    reader.close()
    assert site.built().nothing_changed

    with site.settings.open("a") as settings:  # a setting changed: the pages may all change
        settings.write("SITESUBTITLE = 'A subtitle'\n")
    assert not site.built().nothing_changed and site.built().nothing_changed

    style = next((site.output / "theme").rglob("*.css"))  # a copied static file, deleted
    style.unlink()
    assert not site.built().nothing_changed and style.is_file()
    page = next(site.output.glob("articles/alpha-one-*/index.html"))  # a page, deleted
    page.unlink()
    assert not site.built().nothing_changed and page.is_file()

    site.invoke("like", "https://alpha.example/1", "--note", "Worth it")
    assert not site.built().nothing_changed and "Worth it" in page.read_text()
    site.invoke("fetch")  # nothing new, but the store records the check: the build looks
    assert not site.built().nothing_changed
    (site.root / "content" / "pages").mkdir(exist_ok=True)
    (site.root / "content" / "pages" / "about.md").write_text("Title: About\n\nHello.\n")
    assert not site.built().nothing_changed  # any file of the content folder counts
    assert site.built().nothing_changed
    assert_same_as_clean_build(site)
