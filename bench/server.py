"""A loopback server for the benchmark world: fixed latency, ETag/Last-Modified, byte count;
feeds from memory, the entries' pictures (`/img/…`) from a folder on disk."""

from __future__ import annotations

import hashlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class WorldServer(ThreadingHTTPServer):
    """Serves documents by path after `latency` seconds; answers 304 to matching validators."""

    daemon_threads = True
    request_queue_size = 1024

    def __init__(
        self, documents: dict[str, bytes], latency: float, pictures: Path | None = None
    ) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.documents = documents
        self.pictures = pictures
        self.latency = latency
        self.bytes_sent = 0
        self.lock = threading.Lock()
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def body(self, path: str) -> tuple[bytes | None, str]:
        """Return what `path` holds (None: nothing) and its type."""
        if path.startswith("/img/") and self.pictures is not None:
            file = self.pictures / path.removeprefix("/img/")
            return (file.read_bytes() if file.is_file() else None), "image/jpeg"
        return self.documents.get(path), "application/rss+xml; charset=utf-8"

    def count(self, n: int) -> None:
        with self.lock:
            self.bytes_sent += n


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; with Nagle's algorithm on, the body's last
    # segment waits for the client's delayed ACK (40 ms on Linux), as no real server lets it.
    disable_nagle_algorithm = True
    server: WorldServer
    LAST_MODIFIED = "Tue, 24 Nov 2026 12:00:00 GMT"

    def do_GET(self) -> None:
        time.sleep(self.server.latency)
        body, kind = self.server.body(self.path)
        if body is None:
            self.send_error(404)
            return
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            self.server.count(150)  # about what the status line and headers take
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", self.LAST_MODIFIED)
        self.end_headers()
        self.wfile.write(body)
        self.server.count(len(body) + 200)

    def log_message(self, *args: object) -> None:
        pass
