"""User-declared adAnalytics reports from ``[sources.linkedin.custom_reports.<name>]``, validated before any request.

A declaration::

    [sources.linkedin.custom_reports.spend_by_device]
    pivots = ["CAMPAIGN", "IMPRESSION_DEVICE_TYPE"]   # 1 to 3 of LinkedIn's pivots
    granularity = "DAILY"                            # DAILY | MONTHLY | ALL
    metrics = ["impressions", "clicks", "costInLocalCurrency"]

becomes a pipeline named after it, landing in a table of that name keyed on its period and pivot values.
Every mistake is one line naming the report and the fix, raised while settings are parsed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lisync.errors import ConfigError
from lisync.linkedin.analytics.report_fields import (
    DEMOGRAPHIC_PIVOTS,
    EXTENDED_METRICS,
    MAX_PIVOTS,
    NOT_WITH_DEMOGRAPHICS,
    PENETRATION_PIVOTS,
    PIVOTS,
    REACH_METRICS,
    REACH_PIVOTS,
    known_metrics,
    unavailable_metrics,
)

GRANULARITIES = ("DAILY", "MONTHLY", "ALL")
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
KEYS = frozenset({"pivots", "granularity", "metrics"})
# Pivots whose values each belong to one ad account: a report with one of them splits by account (shards).
ACCOUNT_PIVOTS = frozenset({"ACCOUNT", "CAMPAIGN_GROUP", "CAMPAIGN", "CREATIVE"})


@dataclass(frozen=True)
class CustomReport:
    """One validated custom report.

    Attributes:
        name: Pipeline and table name.
        pivots: LinkedIn pivots in order (1 to 3).
        granularity: ``DAILY``, ``MONTHLY`` or ``ALL``.
        metrics: LinkedIn metric names, in the declared order.
    """

    name: str
    pivots: tuple[str, ...]
    granularity: str
    metrics: tuple[str, ...]

    @property
    def demographic(self) -> bool:
        """Whether the report uses a professional demographic pivot (one account per request)."""
        return any(p in DEMOGRAPHIC_PIVOTS for p in self.pivots)

    @property
    def per_account(self) -> bool:
        """Whether every row belongs to one ad account (an account's entity pivot, or ``account_id``).

        Other reports sum each pivot value over all the accounts of a request, so they cannot be split by
        account (see :mod:`lisync.run.shards`).
        """
        return self.demographic or any(p in ACCOUNT_PIVOTS for p in self.pivots)

    @property
    def pivot_columns(self) -> tuple[str, ...]:
        """The table's pivot-value columns, one per pivot (``campaign``, ``impression_device_type``...)."""
        return tuple(p.lower() for p in self.pivots)


def _fail(name: str, message: str) -> ConfigError:
    return ConfigError(f"Custom report {name!r}: {message}")


def _close(word: str, choices: list[str] | tuple[str, ...] | frozenset[str]) -> str:
    found = difflib.get_close_matches(word, sorted(choices), n=1)
    return f" (did you mean {found[0]}?)" if found else ""


def _strings(name: str, key: str, value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(name, f"{key} must be a list of names, e.g. {key} = [\"...\"].")
    return [v.strip() for v in value]


def parse_custom_report(name: str, declaration: Any, taken: frozenset[str] = frozenset()) -> CustomReport:
    """Validate one declaration.

    Args:
        name: The report's name (the TOML table name).
        declaration: Its keys: ``pivots``, ``granularity``, ``metrics``.
        taken: Pipeline and table names already in use (the contract's).

    Returns:
        The validated report.

    Raises:
        ConfigError: One line naming the report and the fix.
    """
    if not NAME_PATTERN.match(name):
        raise _fail(name, "use a lower-case name of letters, digits and underscores (it becomes the table name).")
    if name in taken:
        raise _fail(name, "the name is already a lisync table; choose another.")
    if not isinstance(declaration, Mapping):
        raise _fail(name, "declare pivots, granularity and metrics in a [sources.linkedin.custom_reports."
                          f"{name}] table.")
    unknown_keys = [k for k in declaration if k not in KEYS]
    if unknown_keys:
        raise _fail(name, f"unknown key {unknown_keys[0]!r}{_close(unknown_keys[0], KEYS)}; "
                          "use pivots, granularity and metrics.")
    pivots = [p.upper() for p in _strings(name, "pivots", declaration.get("pivots", []))]
    if not 1 <= len(pivots) <= MAX_PIVOTS:
        raise _fail(name, f"{len(pivots)} pivots declared; LinkedIn accepts 1 to {MAX_PIVOTS}.")
    for pivot in pivots:
        if pivot not in PIVOTS:
            raise _fail(name, f"unknown pivot {pivot}{_close(pivot, PIVOTS)}.")
    if len(set(pivots)) != len(pivots):
        raise _fail(name, "a pivot is listed twice.")
    demographic = [p for p in pivots if p in DEMOGRAPHIC_PIVOTS]
    if demographic and len(pivots) > 1:
        raise _fail(name, f"{demographic[0]} is a demographic pivot and LinkedIn allows it only alone "
                          "(q=analytics, one pivot).")
    granularity = str(declaration.get("granularity", "DAILY")).strip().upper()
    if granularity not in GRANULARITIES:
        raise _fail(name, f"granularity {granularity!r} is not one of {', '.join(GRANULARITIES)}.")
    metrics = _strings(name, "metrics", declaration.get("metrics", []))
    if not metrics:
        raise _fail(name, "declare at least one metric, e.g. metrics = [\"impressions\", \"clicks\"].")
    known = known_metrics()
    for metric in metrics:
        if metric not in known:
            raise _fail(name, f"unknown metric {metric}{_close(metric, known)}.")
    reach = [m for m in metrics if m in REACH_METRICS]
    if reach and demographic:
        raise _fail(name, f"{reach[0]} is not available with the demographic pivot {demographic[0]}.")
    if reach and any(p not in REACH_PIVOTS for p in pivots):
        other = next(p for p in pivots if p not in REACH_PIVOTS)
        raise _fail(name, f"{reach[0]} is served for entity pivots only, not with {other}.")
    if reach and granularity == "ALL":
        raise _fail(name, f"{reach[0]} needs DAILY or MONTHLY granularity (LinkedIn serves reach for at most 92 "
                          "days at a time).")
    if "audiencePenetration" in metrics and not PENETRATION_PIVOTS.intersection(pivots):
        raise _fail(name, "audiencePenetration needs an ACCOUNT, CAMPAIGN_GROUP or CAMPAIGN pivot.")
    if demographic:
        barred = [m for m in metrics if m in NOT_WITH_DEMOGRAPHICS]
        if barred:
            raise _fail(name, f"{barred[0]} is not available with the demographic pivot {demographic[0]}.")
    if len(set(metrics)) != len(metrics):
        raise _fail(name, "a metric is listed twice.")
    return CustomReport(name, tuple(pivots), granularity, tuple(metrics))


def parse_custom_reports(section: Any, taken: frozenset[str] = frozenset()) -> dict[str, CustomReport]:
    """Validate every ``[sources.linkedin.custom_reports.<name>]`` table.

    Args:
        section: The ``custom_reports`` config value (a mapping of name to declaration), or ``None``.
        taken: Pipeline and table names already in use.

    Returns:
        Reports by name, in declaration order.

    Raises:
        ConfigError: For the first bad declaration, in one line.
    """
    if section in (None, ""):
        return {}
    if not isinstance(section, Mapping):
        raise ConfigError("custom_reports must be TOML tables: [sources.linkedin.custom_reports.<name>].")
    return {str(name): parse_custom_report(str(name), declaration, taken) for name, declaration in section.items()}


def check_report_versions(reports: Mapping[str, CustomReport], api_version: str) -> None:
    """Refuse a custom report that asks for a metric newer than ``api_version`` (LinkedIn would answer 400).

    Raises:
        ConfigError: In one line, naming the report, the metric and the version that introduced it.
    """
    newer = unavailable_metrics(api_version)
    for report in reports.values():
        for metric in report.metrics:
            if metric in newer:
                since = next(v for v, names in sorted(EXTENDED_METRICS.items()) if metric in names)
                raise _fail(report.name, f"{metric} needs LinkedIn-Version {since} or later; this run uses "
                                         f"{api_version} (set --api-version {since} or later, or drop the metric).")
