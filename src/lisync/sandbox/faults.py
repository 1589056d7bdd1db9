"""Fault injection for the sandbox: throttling, server errors, dropped and stalled connections, cut bodies.

A :class:`FaultConfig` says how often a ``/rest`` request fails (``rate``), how (``mix``: weights per fault
kind), how slow each endpoint is (``latency_ms``), and which scopes are permanently forbidden (``deny``, for
partial-access tests). Decisions are deterministic: the *n*-th time the sandbox sees one exact request
(method, path and query) its fate is a hash of ``(seed, request, n)``, so a run meets the same faults for the
same seed however its requests interleave. Faults are transient, as LinkedIn's are: one request is faulted
at most ``max_consecutive`` times in a row, then answered.

Fault kinds (``FAULT_KINDS``):

* ``429`` — LinkedIn's resource throttle (``serviceErrorCode`` 101), no ``Retry-After``;
* ``429-retry-after`` — the same with ``Retry-After: <retry_after_s>``;
* ``429-data-volume`` — adAnalytics' 45-million-metric-values throttle (a plain ``429`` elsewhere);
* ``500``, ``502`` (an HTML gateway page, not JSON), ``503``, ``504``;
* ``reset`` — the TCP connection is reset before any byte of the answer;
* ``stall`` — nothing is sent for ``stall_s`` seconds (longer than a client's read timeout), then reset;
* ``truncated`` — a 200 whose JSON body is cut in half, with a matching ``Content-Length``;
* ``401-expired`` — ``EXPIRED_ACCESS_TOKEN`` mid-run (only a client that can renew its token survives it).
"""

from __future__ import annotations

import contextlib
import fnmatch
import socket
import struct
import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lisync.sandbox import synth
from lisync.sandbox.errors import RestliError, access_denied

FAULT_KINDS: tuple[str, ...] = (
    "429", "429-retry-after", "429-data-volume", "500", "502", "503", "504", "reset", "stall", "truncated",
    "401-expired",
)
# What a client with a fixed token can always survive: every kind but the expired token.
TRANSIENT_KINDS: tuple[str, ...] = tuple(k for k in FAULT_KINDS if k != "401-expired")
RESOURCE_THROTTLE_MESSAGE = "Resource level throttle limit for calls to this resource is reached."
DATA_VOLUME_MESSAGE = ("The data request limit has been exceeded. More than 45 million metric values were "
                       "requested in a 5-minute window.")
BAD_GATEWAY_PAGE = b"<html><body><h1>502 Bad Gateway</h1><p>The server returned an invalid response.</p></body></html>"


def parse_mix(text: str) -> dict[str, float]:
    """Parse a fault mix such as ``"429=2,503,reset"`` (weight 1 when omitted; ``all`` = every kind).

    Raises:
        ValueError: For an unknown kind or a weight that is not a positive number.
    """
    mix: dict[str, float] = {}
    for raw in text.split(","):
        item = raw.strip()
        if not item:
            continue
        name, _, weight_text = item.partition("=")
        name = name.strip()
        names = FAULT_KINDS if name == "all" else TRANSIENT_KINDS if name == "transient" else (name,)
        try:
            weight = float(weight_text) if weight_text.strip() else 1.0
        except ValueError:
            weight = -1.0
        if weight <= 0:
            raise ValueError(f"Invalid fault weight in {item!r}: use KIND=NUMBER with a positive number.")
        for kind in names:
            if kind not in FAULT_KINDS:
                raise ValueError(f"Unknown fault kind {kind!r}: use {', '.join(FAULT_KINDS)}, transient or all.")
            mix[kind] = weight
    return mix


@dataclass
class FaultConfig:
    """How the sandbox misbehaves.

    Attributes:
        rate: Probability that a ``/rest`` request is faulted (0 … 1).
        mix: Weight per fault kind (default: every transient kind, equally).
        seed: Seed of the fault decisions (independent of the world seed).
        latency_ms: Extra delay per endpoint: ``{pattern: ms}``, the first pattern matching the path below
            ``/rest`` (``fnmatch``, e.g. ``"adAnalytics*"`` or ``"*"``) wins.
        endpoints: Path patterns (below ``/rest``) that may be faulted; default every endpoint.
        max_consecutive: Most times in a row one request is faulted before it is answered.
        retry_after_s: ``Retry-After`` seconds of the ``429-retry-after`` kind.
        stall_s: How long a ``stall`` holds the connection before dropping it.
        deny: Permanent errors for partial-access tests: ``{pattern: 403 or 404}`` matched against
            ``path?query`` (path below ``/rest``, query percent-decoded), e.g.
            ``{"/adAccounts/5100002/*": 403, "*urn:li:organization:2001*": 404}``.
    """

    rate: float = 0.0
    mix: dict[str, float] = field(default_factory=lambda: dict.fromkeys(TRANSIENT_KINDS, 1.0))
    seed: int = 0
    latency_ms: dict[str, int] = field(default_factory=dict)
    endpoints: tuple[str, ...] = ("*",)
    max_consecutive: int = 2
    retry_after_s: int = 1
    stall_s: float = 65.0
    deny: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError(f"Invalid fault rate {self.rate}: use a number from 0 to 1.")
        unknown = sorted(set(self.mix) - set(FAULT_KINDS))
        if unknown:
            raise ValueError(f"Unknown fault kind(s) {', '.join(unknown)}: use {', '.join(FAULT_KINDS)}.")
        bad = {p: s for p, s in self.deny.items() if s not in (403, 404)}
        if bad:
            raise ValueError(f"Invalid deny statuses {bad}: use 403 or 404.")

    @classmethod
    def from_dict(cls, payload: Mapping[str, Any]) -> FaultConfig:
        """Build a config from JSON (the admin endpoint's body); ``mix`` may be a dict or a mix string."""
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(payload) - known)
        if unknown:
            raise ValueError(f"Unknown fault setting(s) {', '.join(unknown)}: use {', '.join(sorted(known))}.")
        values = dict(payload)
        if isinstance(values.get("mix"), str):
            values["mix"] = parse_mix(values["mix"])
        if "endpoints" in values:
            values["endpoints"] = tuple(values["endpoints"])
        if "deny" in values:
            values["deny"] = {str(k): int(v) for k, v in values["deny"].items()}
        return cls(**values)

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON form (``GET /_sandbox/faults``)."""
        return {"rate": self.rate, "mix": dict(self.mix), "seed": self.seed, "latency_ms": dict(self.latency_ms),
                "endpoints": list(self.endpoints), "max_consecutive": self.max_consecutive,
                "retry_after_s": self.retry_after_s, "stall_s": self.stall_s, "deny": dict(self.deny)}


class FaultInjector:
    """Decides, per request, whether and how to fail; thread-safe and deterministic for a config's seed."""

    def __init__(self, config: FaultConfig | None = None) -> None:
        self._lock = threading.Lock()
        self.config = config or FaultConfig()
        self._seen: Counter[str] = Counter()
        self._streak: Counter[str] = Counter()
        self.injected: Counter[str] = Counter()

    def reconfigure(self, config: FaultConfig) -> None:
        """Switch to ``config`` and forget every request seen and every fault injected so far."""
        with self._lock:
            self.config = config
            self._seen.clear()
            self._streak.clear()
            self.injected.clear()

    def latency_s(self, path: str) -> float:
        """Return the configured extra delay for ``path`` (below ``/rest``), in seconds."""
        name = path.lstrip("/")
        for pattern, ms in self.config.latency_ms.items():
            if fnmatch.fnmatchcase(name, pattern.lstrip("/")):
                return max(0, ms) / 1000
        return 0.0

    def denied(self, path: str, decoded_query: str, version: str | None) -> RestliError | None:
        """Return the permanent 403/404 configured for this request, if any."""
        target = f"{path}?{decoded_query}"
        for pattern, status in self.config.deny.items():
            if fnmatch.fnmatchcase(target, pattern):
                if status == 404:
                    return RestliError(404, f"Not found: {path}", service_error_code=404)
                return access_denied(path.strip("/").split("/")[0] or "rest", "GET", version)
        return None

    def decide(self, method: str, path: str, query: str) -> str | None:
        """Return the fault kind for this request, or ``None`` to answer it normally.

        Args:
            method: Effective HTTP method.
            path: Path below ``/rest``.
            query: The raw query string (from the URL or a tunneled body).
        """
        config = self.config
        identity = f"{method} {path}?{query}"
        with self._lock:
            occurrence = self._seen[identity]
            self._seen[identity] += 1
            if config.rate <= 0 or not config.mix:
                return None
            if not any(fnmatch.fnmatchcase(path.lstrip("/"), p.lstrip("/")) for p in config.endpoints):
                return None
            if self._streak[identity] >= config.max_consecutive or not synth.chance(
                    config.rate, config.seed, "fault", identity, occurrence):
                self._streak[identity] = 0
                return None
            self._streak[identity] += 1
            kind = synth.weighted_pick(sorted(config.mix.items()), config.seed, "kind", identity, occurrence)
            if kind == "429-data-volume" and not path.lstrip("/").startswith("adAnalytics"):
                kind = "429"
            self.injected[kind] += 1
            return kind

    def snapshot(self) -> dict[str, Any]:
        """Return the config and how many faults of each kind were injected."""
        with self._lock:
            return {**self.config.as_dict(), "injected": dict(sorted(self.injected.items()))}


def error_for(kind: str, retry_after_s: int) -> tuple[int, Any, dict[str, str]] | None:
    """Return ``(status, body, headers)`` of an HTTP-level fault, or ``None`` for connection-level kinds.

    The body is a LinkedIn error envelope (a dict), or raw bytes for the gateway's HTML page.
    """
    if kind in ("429", "429-retry-after"):
        headers = {"Retry-After": str(retry_after_s)} if kind == "429-retry-after" else {}
        error = RestliError(429, RESOURCE_THROTTLE_MESSAGE, service_error_code=101)
        return 429, error.body(), headers
    if kind == "429-data-volume":
        return 429, RestliError(429, DATA_VOLUME_MESSAGE).body(), {}
    if kind == "401-expired":
        error = RestliError(401, "The token used in the request has expired", code="EXPIRED_ACCESS_TOKEN",
                            service_error_code=65602)
        return 401, error.body(), {}
    if kind == "502":
        return 502, BAD_GATEWAY_PAGE, {"Content-Type": "text/html"}
    messages = {"500": "Internal Server Error", "503": "Service Unavailable", "504": "Gateway Timeout"}
    if kind in messages:
        return int(kind), {"message": messages[kind], "status": int(kind)}, {}
    return None


def truncate(body: bytes) -> bytes:
    """Return the first half of a JSON body (never valid JSON for a non-trivial object)."""
    return body[: max(1, len(body) // 2)]


def reset_connection(raw_send: Any) -> bool:
    """Reset the TCP connection behind an ASGI server's ``send``; return whether it could.

    uvicorn's ``send`` is a method of its per-request cycle, which holds the transport. An RST (linger 0)
    rather than a FIN makes the client see "connection reset by peer", as with a dropped LinkedIn edge.
    """
    cycle: Any = getattr(raw_send, "__self__", None)  # uvicorn's private cycle object: untyped
    transport = getattr(cycle, "transport", None)
    if transport is None:
        return False
    sock = transport.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
    if hasattr(cycle, "disconnected"):
        cycle.disconnected = True  # later sends of this cycle become no-ops
    return True
