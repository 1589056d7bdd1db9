"""`lisync sandbox`: parse the sandbox's world and fault options and serve the LinkedIn API emulator."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from lisync.cli.common import fail

__all__ = ["sandbox"]


def sandbox(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 (0 picks a free one).")] = 8787,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic world.")] = 42,
    scale: Annotated[str, typer.Option(help="World size: tiny, small, medium or large.")] = "small",
    today: Annotated[str | None, typer.Option(
        help="The sandbox's 'today' (YYYY-MM-DD; default: real UTC today).")] = None,
    strict_tokens: Annotated[bool, typer.Option(help="Accept only tokens the sandbox issued via OAuth.")] = False,
    accept_retired_versions: Annotated[bool, typer.Option(help="Serve LinkedIn-Version values LinkedIn has "
                                                          "retired (for benchmarking old clients).")] = False,
    latency_ms: Annotated[int, typer.Option(help="Added latency per request, in milliseconds.")] = 0,
    knob: Annotated[list[str] | None, typer.Option(help="Override one world-size knob, e.g. --knob accounts=20 "
                                                  "--knob history_days=365 (repeatable).")] = None,
    fault_rate: Annotated[float, typer.Option(help="Share of API requests that fail transiently (0 to 1), "
                                              "deterministically for --fault-seed.")] = 0.0,
    fault_mix: Annotated[str, typer.Option(
        help="Fault kinds and weights, e.g. '429=2,503,reset' (kinds: 429, 429-retry-after, 429-data-volume, 500, "
        "502, 503, 504, reset, stall, truncated, 401-expired; 'transient' = all but 401-expired).")] = "transient",
    fault_seed: Annotated[int, typer.Option(help="Seed of the fault decisions.")] = 0,
) -> None:
    """Serve the LinkedIn API sandbox on 127.0.0.1 until interrupted.

    Example: lisync sandbox --port 8787 --scale medium, then
    lisync run --api-base-url http://127.0.0.1:8787/rest --access-token any-token
    """
    from lisync.sandbox.config import SandboxConfig
    from lisync.sandbox.scale import resolve_scale
    from lisync.sandbox.server import serve

    try:
        overrides = _parse_knobs(knob or [])
        resolve_scale(scale, **overrides)
        day = dt.date.fromisoformat(today) if today else None
    except ValueError as exc:
        raise fail(f"{exc}" if "scale" in str(exc) or "knob" in str(exc)
                   else f"Invalid --today {today!r}: use YYYY-MM-DD.") from None
    if latency_ms < 0:
        raise fail("Invalid --latency-ms: use 0 or more milliseconds.")
    from lisync.sandbox.faults import FaultConfig, parse_mix

    try:
        faults = FaultConfig(rate=fault_rate, mix=parse_mix(fault_mix), seed=fault_seed)
    except ValueError as exc:
        raise fail(f"{exc} (--fault-rate / --fault-mix)") from None
    kwargs: dict[str, object] = {"port": port, "seed": seed, "scale": scale, "scale_overrides": overrides,
                                 "strict_tokens": strict_tokens,
                                 "accept_retired_versions": accept_retired_versions, "latency_ms": latency_ms,
                                 "faults": faults}
    if day is not None:
        kwargs["today"] = day
    serve(SandboxConfig(**kwargs))  # type: ignore[arg-type]


def _parse_knobs(items: list[str]) -> dict[str, int]:
    """Parse ``NAME=COUNT`` scale overrides.

    Raises:
        ValueError: For a malformed item (the caller turns it into a one-line error).
    """
    out: dict[str, int] = {}
    for item in items:
        name, _, value = item.partition("=")
        if not name or not value.strip().isdigit():
            raise ValueError(f"Invalid sandbox scale knob {item!r}: use NAME=COUNT, e.g. accounts=20.")
        out[name.strip()] = int(value)
    return out
