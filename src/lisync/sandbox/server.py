"""Run the sandbox: a background-thread server for tests, and ``serve`` for the CLI.

Example:
    >>> with SandboxServer(SandboxConfig(seed=7, scale="small")) as sandbox:  # doctest: +SKIP
    ...     requests.get(f"{sandbox.base_url}/rest/adAccounts?q=search",
    ...                  headers={"Authorization": "Bearer any", "LinkedIn-Version": "202601"})

"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Sequence
from typing import Any

import uvicorn

from lisync.sandbox.config import SANDBOX_HOST, SandboxConfig
from lisync.sandbox.faults import FaultConfig
from lisync.sandbox.http.app import create_app
from lisync.sandbox.http.protocol import Route
from lisync.sandbox.routes.table import ROUTES


def _bind(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((SANDBOX_HOST, port))
    sock.listen(128)
    return sock


def _uvicorn_server(app: Any) -> uvicorn.Server:
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", server_header=False)
    return uvicorn.Server(config)


class SandboxServer:
    """The sandbox served by uvicorn on 127.0.0.1 in a background thread; use it as a context manager.

    Args:
        config: The sandbox configuration (default: :class:`SandboxConfig`).
        routes: The endpoints to serve (default: every endpoint of :mod:`lisync.sandbox.routes.table`;
            tests add their own).

    Attributes:
        config: The configuration.
        world: The :class:`World` behind the API.
        app: The Starlette application.

    """

    def __init__(self, config: SandboxConfig | None = None, routes: Sequence[Route] = ROUTES) -> None:
        self.config = config or SandboxConfig()
        self.world = self.config.build_world()
        self.app = create_app(self.world, self.config, routes)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._port: int | None = None

    @property
    def port(self) -> int:
        """The bound TCP port (valid once started)."""
        if self._port is None:
            raise RuntimeError("The sandbox is not running: use it as a context manager or call start().")
        return self._port

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` (no trailing slash)."""
        return f"http://{SANDBOX_HOST}:{self.port}"

    def stats(self) -> dict[str, Any]:
        """Return request counts per endpoint key and per status (see ``GET /_sandbox/stats``)."""
        return self.app.state.sandbox.stats.snapshot()

    def set_faults(self, faults: FaultConfig) -> None:
        """Switch fault injection to ``faults`` (``FaultConfig()`` switches it off)."""
        self.app.state.sandbox.faults.reconfigure(faults)

    def start(self, timeout_s: float = 10.0) -> SandboxServer:
        """Start serving and wait until the port accepts connections.

        Args:
            timeout_s: How long to wait for uvicorn to start.

        Returns:
            ``self``.

        Raises:
            RuntimeError: When the server does not start in time.

        """
        sock = _bind(self.config.port)
        self._port = sock.getsockname()[1]
        self._server = _uvicorn_server(self.app)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [sock]},
            name=f"lisync-sandbox-{self._port}",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + timeout_s
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                self.stop()
                raise RuntimeError(f"The sandbox did not start on port {self._port} within {timeout_s:g} s.")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Stop serving and wait for the server thread to end."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._server = None
        self._thread = None

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def serve(config: SandboxConfig) -> None:
    """Serve the sandbox in the foreground until interrupted (for ``lisync sandbox``).

    Args:
        config: The sandbox configuration; ``port=0`` picks a free port and prints it.

    """
    world = config.build_world()
    app = create_app(world, config, ROUTES)
    sock = _bind(config.port)
    port = sock.getsockname()[1]
    print(
        f"LinkedIn API sandbox on http://{SANDBOX_HOST}:{port}/rest "
        f"(seed {config.seed}, scale {config.scale}, today {config.today.isoformat()}); Ctrl-C stops it.",
        flush=True,
    )
    _uvicorn_server(app).run(sockets=[sock])
