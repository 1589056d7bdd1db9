"""Deterministic draws of the organic world: numbers, picks and opaque tokens keyed by ``(seed, *parts)``.

Thin wrappers over :mod:`lisync.sandbox.synth` that take the world seed first, so every organic module
draws the same values for the same ``(seed, entity, date, field)`` key.
"""

from __future__ import annotations

from typing import Any

from lisync.sandbox import synth


def unit(seed: int, *parts: object) -> float:
    """Return a deterministic number in [0, 1) for ``(seed, *parts)``."""
    return synth.unit(seed, *parts)


def between(seed: int, low: int, high: int, *parts: object) -> int:
    """Return a deterministic integer in ``[low, high]`` for ``(seed, *parts)``."""
    return synth.between(low, high, seed, *parts)


def pick(seed: int, options: tuple[Any, ...], *parts: object) -> Any:
    """Return one of ``options``, chosen deterministically from ``(seed, *parts)``."""
    return synth.pick(options, seed, *parts)


def media_token(seed: int, *parts: object) -> str:
    """Return an opaque LinkedIn-style media token such as ``D4E10AQHk3...`` (23 characters)."""
    return "D4E10AQ" + synth.member_token(seed, *parts, "a") + synth.member_token(seed, *parts, "b")[:6]
