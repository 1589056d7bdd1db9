"""Settings of the reports family: custom report declarations, demographics options, the newer-metrics opt-in.

Read with the usual precedence (flag, then ``[sources.linkedin]`` in dlt config / env) by
:func:`lisync.config.resolve.build_settings`, and validated before any request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lisync.errors import ConfigError
from lisync.linkedin.analytics.custom_reports import CustomReport, parse_custom_reports
from lisync.linkedin.analytics.report_fields import DEMOGRAPHIC_PIVOTS
from lisync.spec.loader import all_tables

DEMOGRAPHICS_GRANULARITIES = ("monthly", "daily")


def parse_demographic_pivots(value: Any) -> tuple[str, ...] | None:
    """Parse ``MEMBER_COMPANY,MEMBER_INDUSTRY`` (or a list; ``COMPANY`` for ``MEMBER_COMPANY``); ``None``: all eight.

    Raises:
        ConfigError: For a pivot that is not one of LinkedIn's eight demographic pivots.
    """
    if value in (None, "", []):
        return None
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    out: list[str] = []
    for raw in items:
        name = str(raw).strip().upper()
        if not name:
            continue
        if not name.startswith("MEMBER_"):
            name = f"MEMBER_{name}"
        if name not in DEMOGRAPHIC_PIVOTS:
            raise ConfigError(f"Invalid --demographic-pivots value {raw!r}: use any of "
                              f"{', '.join(DEMOGRAPHIC_PIVOTS)}.")
        if name not in out:
            out.append(name)
    return tuple(out) or None


def parse_demographics_granularity(value: Any) -> str:
    """Return ``MONTHLY`` (default) or ``DAILY``.

    Raises:
        ConfigError: For anything else.
    """
    text = str(value or "monthly").strip().lower()
    if text not in DEMOGRAPHICS_GRANULARITIES:
        raise ConfigError(f"Invalid --demographics-granularity {value!r}: use monthly or daily.")
    return text.upper()


def custom_reports(config_value: Callable[[str], Any]) -> dict[str, CustomReport]:
    """Validate ``[sources.linkedin.custom_reports.*]`` (a one-line ConfigError for the first bad one)."""
    return parse_custom_reports(config_value("custom_reports"), frozenset(all_tables()))
