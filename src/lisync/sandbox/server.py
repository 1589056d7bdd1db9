"""Run the sandbox: its configuration, a background-thread server for tests, and ``serve`` for the CLI.

Example:
    >>> with SandboxServer(SandboxConfig(seed=7, scale="small")) as sandbox:  # doctest: +SKIP
    ...     requests.get(f"{sandbox.base_url}/rest/adAccounts?q=search",
    ...                  headers={"Authorization": "Bearer any", "LinkedIn-Version": "202601"})

"""

from __future__ import annotations

import datetime as dt
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import uvicorn

from lisync.sandbox.core import Clock, Scale, TokenGrant, resolve_scale
from lisync.sandbox.faults import FaultConfig
from lisync.sandbox.world import World

SANDBOX_HOST = "127.0.0.1"
_VERSION_FORMS = re.compile(r"(?P<year>\d{4})(?P<month>\d{2})(?:\.\d{2}|\d{2})?")


def _utc_today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


@dataclass
class SandboxConfig:
    """Everything that shapes one sandbox instance.

    Attributes:
        port: TCP port on 127.0.0.1; ``0`` picks a free port.
        seed: World seed; the same seed and ``today`` give byte-identical responses.
        scale: Scale preset name (``tiny``, ``small``, ``medium``, ``large``).
        scale_overrides: Per-knob overrides of the preset (e.g. ``{"accounts": 40}``).
        today: The sandbox's "today" (UTC); defaults to the real UTC date.
        strict_tokens: Accept only the tokens in ``tokens`` (and tokens the sandbox's OAuth issues).
        tokens: Pre-registered access tokens and their grants.
        accept_retired_versions: Accept every past ``LinkedIn-Version`` (for benchmarking old peers);
            future versions stay inactive.
        latency_ms: Extra delay added to every API response.
        oauth_access_token_ttl_seconds: Lifetime of access tokens the sandbox's OAuth server issues
            (``None``: LinkedIn's 60 days); tests shorten it to expire tokens mid-run.
        oauth_clients: Extra registered OAuth apps, as ``routes/oauth.py`` documents
            (``{"client_id", "client_secret", "redirect_uris", "allow_loopback", "scopes", ...}``).

    """

    port: int = 0
    seed: int = 7
    scale: str = "small"
    scale_overrides: dict[str, int] = field(default_factory=dict)
    today: dt.date = field(default_factory=_utc_today)
    strict_tokens: bool = False
    tokens: dict[str, TokenGrant] = field(default_factory=dict)
    accept_retired_versions: bool = False
    latency_ms: int = 0
    faults: FaultConfig = field(default_factory=FaultConfig)
    oauth_access_token_ttl_seconds: int | None = None
    oauth_clients: list[dict[str, Any]] = field(default_factory=list)

    @property
    def host(self) -> str:
        """The sandbox only ever listens on loopback."""
        return SANDBOX_HOST

    def resolved_scale(self) -> Scale:
        """Return the :class:`Scale` preset with the overrides applied."""
        return resolve_scale(self.scale, **self.scale_overrides)

    def version_is_active(self, version: str, today: dt.date) -> bool:
        """Return whether a ``LinkedIn-Version`` value is served on ``today``.

        ``YYYYMM``, ``YYYYMM.RR`` and ``YYYYMMDD`` are accepted forms; a version is active from its month
        through the same month one year later (LinkedIn supports each version for at least a year), or
        from its month on when ``accept_retired_versions`` is set.

        Args:
            version: The header value.
            today: The sandbox's today.

        Returns:
            ``True`` when the version is active.

        """
        found = _VERSION_FORMS.fullmatch(version.strip())
        if not found or not 1 <= int(found["month"]) <= 12:
            return False
        version_month = int(found["year"]) * 12 + int(found["month"]) - 1
        today_month = today.year * 12 + today.month - 1
        if version_month > today_month:
            return False
        return self.accept_retired_versions or today_month - version_month <= 12

    def build_world(self) -> World:
        """Build the :class:`World` this configuration describes."""
        world = World(
            self.seed,
            self.resolved_scale(),
            Clock(self.today),
            tokens=dict(self.tokens),
            strict_tokens=self.strict_tokens,
        )
        world.config = self  # type: ignore[attr-defined]  # endpoint modules read their settings here
        return world


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

    Attributes:
        config: The configuration.
        world: The :class:`World` behind the API.
        app: The Starlette application.

    """

    def __init__(self, config: SandboxConfig | None = None) -> None:
        from lisync.sandbox.app import create_app

        self.config = config or SandboxConfig()
        self.world = self.config.build_world()
        self.app = create_app(self.world, self.config)
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

    def reset_stats(self) -> None:
        """Forget every counted request."""
        self.app.state.sandbox.stats.reset()

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
    from lisync.sandbox.app import create_app

    world = config.build_world()
    app = create_app(world, config)
    sock = _bind(config.port)
    port = sock.getsockname()[1]
    print(
        f"LinkedIn API sandbox on http://{SANDBOX_HOST}:{port}/rest "
        f"(seed {config.seed}, scale {config.scale}, today {config.today.isoformat()}); Ctrl-C stops it.",
        flush=True,
    )
    _uvicorn_server(app).run(sockets=[sock])
