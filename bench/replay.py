"""Record LinkedIn answers from the sandbox once, then serve them from disk on loopback.

A recording proxy sits between lisync and the sandbox and stores every answer, keyed by the request (method,
path with query, and body: a tunneled query is a POST). The replay server answers the same requests from
those files, doing nothing but a lookup and a file read, so a measured lisync run spends no CPU on
generating data in the sandbox, and the sandbox's own CPU is not on the machine at all.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

INDEX = "index.json"


def request_key(method: str, path: str, body: bytes) -> str:
    """The key an answer is stored under: a digest of the method, the path with its query, and the body."""
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as with LinkedIn
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: one line per request would cost more than the answer."""

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self) -> None:
        """Answer a GET."""
        self._answer("GET")

    def do_POST(self) -> None:
        """Answer a POST (a tunneled query, or a sandbox admin call while recording)."""
        self._answer("POST")

    def _answer(self, method: str) -> None:
        body = self._body()
        status, content_type, payload = self.server.answer(method, self.path, body, dict(self.headers))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def answer(self, method: str, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, str, bytes]:
        raise NotImplementedError


class _Recorder(_Server):
    """Forwards every request to the sandbox and stores the answer under ``folder``."""

    def __init__(self, folder: Path, upstream: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.folder = folder
        self.upstream = urlsplit(upstream)
        self.index: dict[str, list[Any]] = {}
        self.lock = threading.Lock()
        self.local = threading.local()
        (folder / "bodies").mkdir(parents=True, exist_ok=True)

    def answer(self, method: str, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, str, bytes]:
        forward = {k: v for k, v in headers.items() if k.lower() not in ("host", "accept-encoding", "connection")}
        for attempt in (1, 2):  # the sandbox closes idle keep-alive connections: reconnect once
            conn = getattr(self.local, "conn", None)
            if conn is None:
                host = self.upstream.hostname or "127.0.0.1"
                conn = self.local.conn = http.client.HTTPConnection(host, self.upstream.port, timeout=600)
            try:
                conn.request(method, path, body=body or None, headers=forward)
                response = conn.getresponse()
                payload = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionError):
                conn.close()
                self.local.conn = None
                if attempt == 2:
                    raise
        content_type = response.getheader("Content-Type") or "application/json"
        key = request_key(method, path, body)
        (self.folder / "bodies" / key).write_bytes(payload)
        with self.lock:
            self.index[key] = [response.status, content_type, len(payload)]
        return response.status, content_type, payload

    def save(self) -> None:
        """Write the index of every recorded answer."""
        (self.folder / INDEX).write_text(json.dumps(self.index))


class _Replayer(_Server):
    """Serves recorded answers; a request that was never recorded gets a 404 naming it."""

    def __init__(self, folder: Path) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.folder = folder
        self.index: dict[str, list[Any]] = json.loads((folder / INDEX).read_text())
        self.misses = 0

    def answer(self, method: str, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, str, bytes]:
        entry = self.index.get(request_key(method, path, body))
        if entry is None:
            self.misses += 1
            message = json.dumps({"status": 404, "message": f"not recorded: {method} {path[:200]}"}).encode()
            return 404, "application/json", message
        status, content_type, _ = entry
        return status, content_type, (self.folder / "bodies" / request_key(method, path, body)).read_bytes()


class Served:
    """A recorder or replayer running on a loopback port in a background thread."""

    def __init__(self, server: _Server) -> None:
        self.server = server
        self.base_url = f"http://127.0.0.1:{server.server_address[1]}"
        self.thread = threading.Thread(target=server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()


def recorder(folder: Path, upstream: str) -> Served:
    """Start a recording proxy in front of ``upstream`` that stores answers under ``folder``."""
    return Served(_Recorder(folder, upstream))


def replayer(folder: Path) -> Served:
    """Start a replay server for the answers recorded under ``folder``."""
    return Served(_Replayer(folder))


def is_recorded(folder: Path) -> bool:
    """Whether ``folder`` holds a finished recording."""
    return (folder / INDEX).exists()
