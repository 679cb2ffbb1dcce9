"""The command line never shows a traceback for an owner's mistake, and says what it assumed."""

import socket

import pytest

from conftest import Reply
from haokan.cli import commands, reader
from haokan.cli.report import fetch_summary
from haokan.ingest.fetch import FeedReport, Source
from haokan.storage.settings_file import load


def one_error(capsys, call):
    with pytest.raises(SystemExit) as exited:
        call()
    assert exited.value.code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    return " ".join(err[0].split())


def test_a_busy_port_is_one_line(site, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = one_error(capsys, lambda: commands.serve(site.root, port))
        assert f"port {port} on 127.0.0.1 cannot be used" in line and "give --port N" in line
        line = one_error(capsys, lambda: reader.serve(load(site.settings), str(port)))
        assert f"port {port} on 127.0.0.1 cannot be used" in line


@pytest.mark.parametrize("port", ["80000", "abc", "0", "-1"])
def test_a_port_that_is_no_port_is_one_line(site, capsys, port):
    line = one_error(capsys, lambda: commands.serve(site.root, port))
    assert line == f"error: --port {port}: give a port number from 1 to 65535"


def test_a_web_address_without_a_scheme_is_taken_as_https(site, capsys):
    commands.like(load(site.settings), "example.com/post?id=1", title="A post")
    out = capsys.readouterr().out
    assert "note: no scheme given; using https://example.com/post?id=1" in out
    (mark,) = (site.root / "content" / "haokan").glob("*.md")
    assert "Link: https://example.com/post?id=1" in mark.read_text()
    line = one_error(capsys, lambda: commands.like(load(site.settings), "not an address"))
    assert line == "error: 'not an address' is not a web address (http:// or https://)"


def test_the_same_failure_of_many_feeds_is_said_once(capsys):
    reason = "refused: feeds.lan resolves to 192.168.1.5, which is not a public address"
    reports = [
        FeedReport(
            Source(f"https://feeds.lan/{n}", "subscription", f"lan {n}"), "failed", reason=reason
        )
        for n in range(7)
    ]
    reports.append(
        FeedReport(Source("https://ok.example/", "subscription", "fine"), "updated", new=1)
    )
    fetch_summary(reports, 1.0)
    out = capsys.readouterr().out
    assert out.count("192.168.1.5") == 1
    assert out.count("FAILED") == 1 and "(7 feeds)" in out  # one row names all seven
    assert all(out.count(f"lan {n}") == 1 for n in range(7))


@pytest.mark.slow
def test_fetch_fails_only_when_no_feed_could_be_fetched(server, site):
    server.routes["/gone"] = Reply(b"", 404)
    server.routes["/ok"] = Reply(b'<rss version="2.0"><channel><title>ok</title></channel></rss>')
    site.subscribe_to({"Gone": server.url("/gone")})
    nothing = site.invoke("fetch", ok=False)
    assert nothing.returncode == 1
    assert nothing.stderr.strip() == "error: no feed could be fetched (each one's reason is above)"
    assert "HTTP 404" in nothing.stdout
    site.subscribe_to({"Gone": server.url("/gone"), "Ok": server.url("/ok")})
    assert site.invoke("fetch").returncode == 0  # one feed fetched: the run did its job
