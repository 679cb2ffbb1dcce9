"""The local reader (shell): serve output/ on loopback with a live 好看 button.

Pressing the button posts to this server, which writes the mark through the same code as
`invoke like`, rebuilds with the build process it keeps ready (site/warm.py), and answers; the
page then reloads and shows the mark. Only this server adds the button: it injects a per-run
token and the reader script into HTML pages.
"""

from __future__ import annotations

import contextlib
import hmac
import io
import json
import secrets
import threading
import time
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ..core.errors import OWNER_ERRORS
from ..core.settings import Settings
from ..core.urls import absolute_url
from ..site.warm import Outcome, WarmBuilder
from ..storage import owner
from . import commands
from .report import bound, console, owner_errors_exit, port_number

MAX_BODY = 16 * 1024
MAX_NOTE = 4000
MAX_TITLE = 300


class Rejected(Exception):
    """A request the reader refuses; the message is shown in the page."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status


class ReaderServer(ThreadingHTTPServer):
    """Holds what every request needs: the site, its settings, the token, one rebuild at a time."""

    daemon_threads = True

    def __init__(self, port: int, hk: Settings) -> None:
        handler = partial(ReaderHandler, directory=str(hk.output))
        super().__init__(("127.0.0.1", port), handler)
        self.hk = hk
        self.token = secrets.token_urlsafe(24)
        self.lock = threading.Lock()
        self.builder = WarmBuilder(hk.source, on_settled=self.log_after_answer)

    @property
    def origin_hosts(self) -> set[str]:
        port = self.server_address[1]
        return {f"127.0.0.1:{port}", f"localhost:{port}"}

    def rebuild(self) -> None:
        """Rebuild the site with the build process kept ready; log what it noticed."""
        started = time.monotonic()
        outcome = self.builder.build()
        for note in outcome.notes:
            console.print(f"note: {note}", soft_wrap=True)
        if outcome.error is not None:
            console.print(f"The rebuild failed: {outcome.error}", soft_wrap=True)
            detail = outcome.error.strip().splitlines()[-3:]
            raise Rejected(
                HTTPStatus.INTERNAL_SERVER_ERROR, "The rebuild failed: " + " / ".join(detail)
            )
        stats = outcome.stats or {}
        console.print(
            f"Rebuilt in {time.monotonic() - started:.2f} s: {stats['written']} files written."
        )

    def log_after_answer(self, outcome: Outcome) -> None:
        """Log what a rebuild that had answered did after: its error is the owner's to see
        (the pages were written; the next press builds again from what this build left)."""
        if outcome.error is not None:
            console.print(
                f"The rebuild failed after writing the pages: {outcome.error}", soft_wrap=True
            )

    def server_close(self) -> None:
        super().server_close()
        builder = getattr(self, "builder", None)  # none yet when the port could not be bound
        if builder is not None:
            builder.close()


class ReaderHandler(SimpleHTTPRequestHandler):
    """Static files, plus the token and reader script in HTML, plus POST /__haokan/mark and
    /__haokan/unmark, and GET /__haokan/note (a mark's note, to edit it)."""

    server: ReaderServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix != ".html" or not path.is_file() or not self.path.startswith("/"):
            return super().send_head()
        page = path.read_bytes().replace(b"</head>", self._injection(), 1)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        return io.BytesIO(page)

    def _injection(self) -> bytes:
        return (
            f'<meta name="haokan-reader" content="{self.server.token}">'
            '<script src="/theme/js/reader.js" defer></script></head>'
        ).encode()

    def do_GET(self) -> None:
        if not self.path.startswith("/__haokan/"):
            super().do_GET()
            return
        try:
            self._check_origin({"/__haokan/note"})
            url = absolute_url(parse_qs(urlsplit(self.path).query).get("url", [""])[0])
            if url is None:
                raise Rejected(HTTPStatus.BAD_REQUEST, "the article's URL is not http(s)")
            mark = owner.find_mark(self.server.hk.marks_dir, url, self.server.hk.zone)
            found = {"marked": mark is not None, "note": mark.note if mark else ""}
            self._answer(HTTPStatus.OK, {"ok": True, **found})
        except Rejected as rejected:
            self._answer(rejected.status, {"ok": False, "error": str(rejected)})
        except OWNER_ERRORS as error:  # a broken mark file: say which
            self._answer(HTTPStatus.UNPROCESSABLE_ENTITY, {"ok": False, "error": str(error)})

    def do_POST(self) -> None:
        try:
            self._check_origin({"/__haokan/mark", "/__haokan/unmark"})
            body = self._json()
            with self.server.lock:
                marked = self._apply(body)
                self.server.rebuild()
            self._answer(HTTPStatus.OK, {"ok": True, "marked": marked})
        except Rejected as rejected:
            self._answer(rejected.status, {"ok": False, "error": str(rejected)})

    def _check_origin(self, actions: set[str]) -> None:
        """Refuse anything but our own pages: right host, same origin, this run's token, and
        one of `actions`."""
        host = self.headers.get("Host", "")
        if host not in self.server.origin_hosts:
            raise Rejected(HTTPStatus.FORBIDDEN, "wrong Host")
        origin = self.headers.get("Origin")
        if origin is not None and origin not in {f"http://{h}" for h in self.server.origin_hosts}:
            raise Rejected(HTTPStatus.FORBIDDEN, "cross-site request refused")
        token = self.headers.get("X-Haokan-Token", "")
        if not hmac.compare_digest(token.encode(), self.server.token.encode()):
            raise Rejected(HTTPStatus.FORBIDDEN, "missing or wrong token (reload the page)")
        if urlsplit(self.path).path not in actions:
            raise Rejected(HTTPStatus.NOT_FOUND, "no such action")

    def _json(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        if not 0 < length <= MAX_BODY:
            raise Rejected(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "the request is empty or too big")
        try:
            body = json.loads(self.rfile.read(length))
        except (ValueError, UnicodeDecodeError) as error:
            raise Rejected(HTTPStatus.BAD_REQUEST, "the request is not JSON") from error
        if not isinstance(body, dict) or not all(isinstance(v, str) for v in body.values()):
            raise Rejected(HTTPStatus.BAD_REQUEST, "expected an object of strings")
        url = absolute_url(body.get("url", ""))
        if url is None:
            raise Rejected(HTTPStatus.BAD_REQUEST, "the article's URL is not http(s)")
        if len(body.get("note", "")) > MAX_NOTE or len(body.get("title", "")) > MAX_TITLE:
            raise Rejected(HTTPStatus.BAD_REQUEST, "the note or title is too long")
        return {"url": url, "note": body.get("note", ""), "title": body.get("title", "")}

    def _apply(self, body: dict[str, str]) -> bool:
        """Write or remove the mark, through the same code as `invoke like`."""
        try:
            if self.path == "/__haokan/unmark":
                commands.unmark(self.server.hk, body["url"])
                return False
            commands.mark(self.server.hk, body["url"], body["note"], body["title"])
            return True
        except OWNER_ERRORS as error:
            raise Rejected(HTTPStatus.UNPROCESSABLE_ENTITY, str(error)) from error

    def _answer(self, status: HTTPStatus, payload: dict[str, object]) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@owner_errors_exit
def serve(hk: Settings, port: str | int) -> None:
    """Run the local reader until Ctrl-C."""
    number = port_number(port)
    with bound(number, lambda at: ReaderServer(at[1], hk)) as server:
        console.print(
            f"Reading {hk.output} on http://127.0.0.1:{number}/ with the 好看 button"
            " — Ctrl-C stops."
        )
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
