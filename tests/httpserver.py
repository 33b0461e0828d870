"""A real HTTP server on 127.0.0.1 for tests, with per-path programmable responses.

    with serve() as server:
        server.route("/feed.xml", Reply(body=b"<rss>...</rss>", etag='"v1"'))
        server.route("/flaky", [Reply(status=500), Reply(body=b"ok")])  # one after another
        server.route("/api", lambda request: Reply(body=request.body))  # answers from a function
        httpx.get(server.url("/feed.xml"))
        server.requests  # what arrived, in order

Or use the `http_server` fixture (`from tests.httpserver import http_server` in a test module,
or import it into a conftest). Unknown paths answer 404. It serves; it never mocks a client.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass(frozen=True)
class Reply:
    """One programmed response."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    #: Seconds to wait before answering.
    delay: float = 0.0
    #: Never answer (until the server stops): a server that hangs.
    hang: bool = False
    #: When set, sent as ETag; a request with a matching If-None-Match gets a bare 304.
    etag: str = ""
    #: When set, sent as Last-Modified; a matching If-Modified-Since gets a bare 304.
    last_modified: str = ""
    #: Content-Type, unless `headers` sets one.
    content_type: str = "application/xml; charset=utf-8"


@dataclass(frozen=True)
class Request:
    """One request as it arrived."""

    method: str
    path: str
    headers: dict[str, str]
    #: The request's body (a POST's), as sent.
    body: bytes = b""


Handler = Callable[[Request], Reply]


class HttpServer:
    """A threaded server; `route()` programs it, `requests` records what it got."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self._routes: dict[str, list[Reply] | Handler] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self.requests: list[Request] = []
        self._server = _Server((host, 0), _make_handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def route(self, path: str, reply: Reply | Sequence[Reply] | Handler) -> str:
        """Program `path`: one reply, replies in turn (the last repeats), or a function."""
        with self._lock:
            if isinstance(reply, Reply):
                self._routes[path] = [reply]
            elif callable(reply):
                self._routes[path] = reply
            else:
                self._routes[path] = list(reply)
        return self.url(path)

    def hits(self, path: str) -> int:
        """How many requests reached `path`."""
        return sum(1 for r in self.requests if r.path == path)

    def _next_reply(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            entry = self._routes.get(request.path.split("?", 1)[0])
            if entry is None:
                return Reply(status=404, body=b"not found", content_type="text/plain")
            if callable(entry):
                handler = entry
            else:
                return entry.pop(0) if len(entry) > 1 else entry[0]
        return handler(request)

    def start(self) -> HttpServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the default 5 drops bursts of connects (benchmarks open hundreds)

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that gives up (a size cap, a refused redirect) resets its connection: not
        # worth a traceback on the test's stderr. Anything else is still printed.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


def _make_handler(server: HttpServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self._answer(send_body=True)

        def do_HEAD(self) -> None:
            self._answer(send_body=False)

        def do_POST(self) -> None:
            self._answer(send_body=True)

        def _answer(self, send_body: bool) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            request = Request(self.command, self.path, dict(self.headers.items()), body)
            reply = server._next_reply(request)
            if reply.hang:
                server._stopping.wait()
                return
            if reply.delay:
                time.sleep(reply.delay)
            status, body = reply.status, reply.body
            if _not_modified(reply, request.headers):
                status, body = 304, b""
            self.send_response(status)
            headers = {"Content-Type": reply.content_type, **reply.headers}
            if reply.etag:
                headers.setdefault("ETag", reply.etag)
            if reply.last_modified:
                headers.setdefault("Last-Modified", reply.last_modified)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if send_body and body:
                # The client may give up (a size cap or a timeout); that is its right.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep test output quiet

    return _Handler


def _not_modified(reply: Reply, headers: dict[str, str]) -> bool:
    lowered = {k.lower(): v for k, v in headers.items()}
    if reply.etag and lowered.get("if-none-match") == reply.etag:
        return True
    return bool(reply.last_modified and lowered.get("if-modified-since") == reply.last_modified)


@contextmanager
def serve(host: str = "127.0.0.1") -> Iterator[HttpServer]:
    """Run a server for the duration of the block, on `host` (any 127.0.0.0/8 address)."""
    server = HttpServer(host).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def http_server() -> Iterator[HttpServer]:
    """A fresh server on 127.0.0.1 for one test."""
    with serve() as server:
        yield server
