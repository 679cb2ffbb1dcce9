"""The local reader's guards: Host, Origin, token, input checks; rebuild failures reported."""

import http.client
import json
import threading

import pytest

from conftest import make_site
from haokan.cli.reader import ReaderServer
from haokan.storage.settings_file import load

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    site = make_site(tmp_path_factory.mktemp("reader") / "site")
    site.invoke("build")
    server = ReaderServer(0, load(site.settings))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield site, server
    server.shutdown()
    server.server_close()


def post(server, path="/__haokan/mark", body=None, **headers):
    port = server.server_address[1]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    data = json.dumps(body if body is not None else {"url": "https://e.org/a", "title": "A"})
    sent = {
        "Host": f"127.0.0.1:{port}",
        "X-Haokan-Token": server.token,
        "Content-Type": "application/json",
        **headers,
    }
    conn.request("POST", path, data.encode(), {k: v for k, v in sent.items() if v is not None})
    response = conn.getresponse()
    answer = response.status, json.loads(response.read())
    conn.close()
    return answer


def marks(site):
    return sorted((site.root / "content" / "haokan").glob("*.md"))


def test_pages_carry_the_token_and_the_reader_script(running):
    site, server = running
    conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1])
    conn.request("GET", "/")
    page = conn.getresponse().read().decode()
    conn.close()
    assert f'<meta name="haokan-reader" content="{server.token}">' in page
    assert '<script src="/theme/js/reader.js" defer></script></head>' in page
    assert server.token not in (site.output / "index.html").read_text()  # never on disk


@pytest.mark.parametrize(
    ("headers", "error"),
    [
        ({"X-Haokan-Token": None}, "missing or wrong token"),
        ({"X-Haokan-Token": "guess"}, "missing or wrong token"),
        ({"Host": "evil.example"}, "wrong Host"),
        ({"Origin": "https://evil.example"}, "cross-site request refused"),
    ],
)
def test_requests_from_elsewhere_are_refused(running, headers, error):
    site, server = running
    status, answer = post(server, **headers)
    assert status == 403 and error in answer["error"]
    assert marks(site) == []


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"url": "javascript:alert(1)", "title": "x"}, "not http(s)"),
        ({"url": "https://e.org/", "note": "x" * 5000}, "too long"),
        ({"url": ["https://e.org/"]}, "object of strings"),
    ],
)
def test_bad_input_is_refused(running, body, error):
    site, server = running
    status, answer = post(server, body=body)
    assert status == 400 and error in answer["error"]
    assert marks(site) == []


def test_a_mark_is_written_and_built_then_removed(running):
    site, server = running
    assert post(server, body={"url": "https://e.org/a", "title": "A", "note": "yes"}) == (
        200,
        {"ok": True, "marked": True},
    )
    (mark,) = marks(site)
    assert "Title: A" in mark.read_text()
    assert "yes" in (site.output / "index.html").read_text()  # rebuilt
    assert post(server, "/__haokan/unmark", {"url": "https://e.org/a"}) == (
        200,
        {"ok": True, "marked": False},
    )
    assert marks(site) == []


def test_a_failed_rebuild_is_reported_not_swallowed(running):
    site, server = running
    friends = site.root / "content" / "friends.opml"
    friends.write_text("<opml><body><outline")  # the mark saves; the rebuild then fails
    try:
        status, answer = post(server, body={"url": "https://e.org/c", "title": "C"})
    finally:
        friends.unlink()
        for mark in marks(site):
            mark.unlink()
    assert status == 500
    assert answer["error"].startswith("The rebuild failed:")
    assert "friends.opml: not well-formed XML" in answer["error"]


def test_a_broken_mark_file_is_reported(running):
    site, server = running
    broken = site.root / "content" / "haokan" / "broken.md"
    broken.write_text("Title: no link here\nDate: 2026-11-24\n\n")
    try:
        status, answer = post(server, body={"url": "https://e.org/b", "title": "B"})
    finally:
        broken.unlink()
        for mark in marks(site):
            mark.unlink()
    assert status == 422 and "broken.md: Link '' is not an http(s) URL" in answer["error"]
