"""Managing subscriptions and friends from the command line: one line on success, one line on
a mistake (exit 1), and a mistake never touches the OPML files."""

import pytest

from conftest import Reply
from haokan.cli import manage
from haokan.storage.settings_file import load


def one_error_line(result) -> str:
    assert result.returncode == 1, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return " ".join(lines[0].split())


@pytest.fixture
def managed(site):
    site.subscribe_to(
        {
            "Reading|Notes": "https://one.example/rss",
            "Tech|Notes": "https://two.example/rss",
            "Tidepool": "https://tide.example/feed",
        }
    )
    site.befriend({"Ann": "https://ann.example/haokan.atom"})
    return site


MISTAKES = [
    (manage.unsubscribe, ["Nope"], "no subscription is 'Nope'"),
    (manage.unsubscribe, ["Notes"], "'Notes' names 2 subscriptions"),
    (manage.move, ["Tidepool", ""], "the folder name '' is empty"),
    (manage.move, ["Tidepool", "A//B"], "the folder name 'A//B' is empty"),
    (manage.move, ["Nope", "A"], "no subscription is 'Nope'"),
    (manage.subscribe, ["https://x.example/", " "], "the folder name ' ' is empty"),
    (manage.subscribe, ["http://127.0.0.1:9/feed"], "could not connect"),
    (manage.subscribe, ["ftp://example.org/feed"], "is not a web address"),
    (manage.unfollow, ["Bob"], "no friend is 'Bob'"),
    (manage.follow, ["http://127.0.0.1:9/"], "could not connect"),
    (manage.follow, ["https://x.example/", "", "", "11"], "--weight 11: give a number"),
    (manage.follow, ["https://x.example/", "", "nope.png"], "--avatar nope.png"),
]


@pytest.mark.parametrize(("command", "words", "message"), MISTAKES)
def test_a_mistake_is_one_line_and_leaves_the_files_alone(managed, capsys, command, words, message):
    content = managed.root / "content"
    before = {p.name: p.read_bytes() for p in content.glob("*.opml")}
    with pytest.raises(SystemExit) as exited:
        command(load(managed.settings), *words)
    assert exited.value.code == 1
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1 and message in " ".join(err.split())
    assert {p.name: p.read_bytes() for p in content.glob("*.opml")} == before


@pytest.mark.slow
def test_through_invoke_a_mistake_is_one_line_too(managed):
    result = managed.invoke("move", "Tidepool", "--folder", "", ok=False)
    assert "the folder name '' is empty" in one_error_line(result)


@pytest.mark.slow
def test_each_command_says_what_it_did_in_one_line(managed, server):
    server.routes["/pal"] = Reply(
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>Pal</title></feed>'
    )
    done = [
        managed.invoke("move", "https://one.example/rss", "--folder", "/").stdout,
        managed.invoke("move", "Tidepool", "--folder", "Sea").stdout,
        managed.invoke("follow", server.url("/pal")).stdout,
        managed.invoke("follow", server.url("/pal")).stdout,
        managed.invoke("unfollow", "Ann").stdout,
    ]
    assert [" ".join(line.split()) for line in done] == [
        "Moved Notes to the top level.",
        "Moved Tidepool to Sea.",
        f"Following Pal ({server.url('/pal')}). `invoke fetch` reads their picks.",
        f"Already following Pal ({server.url('/pal')})",
        "Unfollowed Ann (https://ann.example/haokan.atom).",
    ]
    listing = managed.invoke("subscriptions").stdout
    rows = [line.split() for line in listing.splitlines()[1:-1]]
    assert rows == [
        ["Tech", "Notes", "never", "fetched", "https://two.example/rss"],
        ["—", "Notes", "never", "fetched", "https://one.example/rss"],
        ["Sea", "Tidepool", "never", "fetched", "https://tide.example/feed"],
    ]
    assert "3 subscriptions in 2 folders." in listing
    assert "Pal" in managed.invoke("friends").stdout


@pytest.mark.slow
def test_import_finds_the_feeds_of_sites_and_names_what_it_left_out(site, server):
    server.routes["/"] = Reply(b"<html><head><title>quiet</title></head></html>")
    server.routes["/feed"] = Reply(
        b'<rss version="2.0"><channel><title>Quiet blog</title></channel></rss>'
    )
    export = site.root / "export.opml"
    export.write_text(
        '<opml version="1.0"><body><outline text="Tech">'
        '<outline text="Tools" xmlUrl="https://tools.example/feed.xml"/>'
        f'<outline text="Quiet" htmlUrl="{server.url("/")}"/>'
        '<outline text="Lost" htmlUrl="http://127.0.0.1:9/"/></outline>'
        '<outline text="Empty"/></body></opml>'
    )
    out = " ".join(site.invoke("import-opml", str(export)).stdout.split())
    assert "2 new subscriptions, 0 already present, 2 not imported:" in out
    assert "Lost: no feed found: http://127.0.0.1:9/: could not connect" in out
    assert "Empty: an empty folder: nothing in it to subscribe to" in out
    opml = (site.root / "content" / "subscriptions.opml").read_text()
    assert f'xmlUrl="{server.url("/feed")}"' in opml and 'text="Quiet"' in opml
    again = " ".join(site.invoke("import-opml", str(export), "--no-discover").stdout.split())
    assert "0 new subscriptions, 1 already present, 3 not imported:" in again
    assert "Quiet: a site without a feed address" in again


def test_init_asks_first_and_refuses_to_guess_without_a_terminal(managed, capsys):
    from haokan.cli.init import init

    before = (managed.root / "content" / "subscriptions.opml").read_bytes()
    with pytest.raises(SystemExit):
        init(load(managed.settings))  # pytest's standard input is no terminal
    assert "run it in a terminal, or with --yes" in capsys.readouterr().err
    assert (managed.root / "content" / "subscriptions.opml").read_bytes() == before


@pytest.mark.slow
def test_fetch_names_an_outline_that_lists_a_site_but_no_feed(site):
    (site.root / "content" / "subscriptions.opml").write_text(
        '<opml version="2.0"><body><outline text="Quiet" htmlUrl="https://quiet.example/"/>'
        "</body></opml>"
    )
    fetched = " ".join(site.invoke("fetch").stdout.split())
    assert (
        "note: Quiet in subscriptions.opml names a site but no feed; "
        "`invoke subscribe https://quiet.example/` finds it"
    ) in fetched
