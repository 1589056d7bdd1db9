"""Checks and parses each setting's raw value (flag, environment or dlt config) into its typed form.

Every check raises :class:`~lisync.errors.ConfigError` naming the flag and the fix. :func:`config_value` and
:func:`secret_value` read ``[sources.linkedin]`` through dlt's config providers.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from collections.abc import Iterable
from typing import Any

import dlt

from lisync.errors import ConfigError
from lisync.spec.loader import load_spec

CONFIG_SECTION = "sources.linkedin"
# Keys lisync reads from [sources.linkedin]; anything else there is most likely a typo.
KNOWN_KEYS = frozenset({
    "lead_pii", "lead_pii_secret",
    "access_token", "api_base_url", "api_version", "account_ids", "organization_ids", "start_date",
    "end_date", "update_window_days", "period", "keep_metrics_history", "posts_replication", "client_id",
    "client_secret",
    "refresh_token", "oauth_base_url", "credentials_path", "max_workers", "strict", "fivetran_views",
    "history", "custom_reports", "demographics_granularity", "demographic_pivots", "extended_metrics",
    "extract_format",
})
MAX_UPDATE_WINDOW_DAYS = 365
ID_PATTERN = re.compile(r"^\d+$")

SHARD_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def parse_shard(value: Any) -> str | None:
    """Validate a shard name (lower-case letters, digits and underscores; it becomes part of schema names).

    Raises:
        ConfigError: For a name that is not a safe identifier.
    """
    if value is None or value == "":
        return None
    text = str(value).strip()
    if not SHARD_PATTERN.match(text):
        raise ConfigError(f"Invalid --shard {value!r}: use lower-case letters, digits and underscores, starting "
                          "with a letter (at most 40), e.g. shard_01.")
    return text


def config_value(key: str) -> Any:
    """Return ``[sources.linkedin].key`` from dlt's config/secrets providers, or ``None``."""
    try:
        return dlt.config.get(f"{CONFIG_SECTION}.{key}")
    except Exception:  # a provider that cannot parse its file must not hide the real error later
        return None


def secret_value(key: str) -> Any:
    """Return ``[sources.linkedin].key`` from dlt's secrets providers (env first), or ``None``."""
    try:
        return dlt.secrets.get(f"{CONFIG_SECTION}.{key}")
    except Exception:
        return None


def parse_pipelines(names: Iterable[str], custom: Iterable[str] = ()) -> list[str]:
    """Validate pipeline names; return them in spec order, then the named custom reports.

    All contract pipelines when none are given; a custom report runs only when named.

    Args:
        names: The requested pipelines.
        custom: Names of the declared custom reports.

    Raises:
        ConfigError: For an unknown pipeline name.
    """
    known = list(load_spec())
    declared = list(custom)
    wanted = [n.strip() for n in names if n.strip()]
    unknown = [n for n in wanted if n not in known and n not in declared]
    if unknown:
        raise ConfigError(f"Unknown pipeline {', '.join(unknown)}: choose from {', '.join(known + declared)}.")
    return [p for p in known if not wanted or p in wanted] + [p for p in declared if p in wanted]


def parse_ids(value: Any, what: str, urn_kind: str) -> list[str] | None:
    """Parse an id filter given as ``"1,2"``, a list, or URNs (``urn:li:<kind>:1``).

    Args:
        value: The raw value (``None`` or empty means "no filter").
        what: What the ids are, for the error message (``account``/``organization``).
        urn_kind: The URN kind accepted in place of a numeric id.

    Returns:
        Numeric ids as strings (deduplicated, order kept), or ``None`` for no filter.

    Raises:
        ConfigError: When an id is neither numeric nor a URN of ``urn_kind``.
    """
    if value is None or value == "" or value == []:
        return None
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    out: list[str] = []
    for raw in items:
        text = str(raw).strip()
        if not text:
            continue
        prefix = f"urn:li:{urn_kind}:"
        if text.startswith(prefix):
            text = text[len(prefix):]
        if not ID_PATTERN.match(text):
            raise ConfigError(f"Invalid {what} id {raw!r}: use numeric ids like 123456 or {prefix}123456.")
        if text not in out:
            out.append(text)
    return out or None


def parse_date(value: Any, flag: str = "--start-date", today: dt.date | None = None) -> dt.date | None:
    """Parse a ``YYYY-MM-DD`` date that must not lie in the future.

    Raises:
        ConfigError: For a malformed date or one after today (UTC).
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise ConfigError(f"Invalid {flag} {value!r}: use a date like 2024-01-31.") from None
    today = today or dt.datetime.now(dt.UTC).date()
    if day > today:
        raise ConfigError(f"Invalid {flag} {day}: it is in the future; use a date on or before {today}.")
    return day


def parse_end_date(value: Any) -> dt.date | None:
    """Parse the end date of a bounded backfill (``--end-date``, ``YYYY-MM-DD``); see :func:`check_date_range`.

    A day after today is accepted: reading stops at today, as without an end date (a backfill script may name
    the end of the current month).

    Raises:
        ConfigError: For a malformed date.
    """
    return parse_date(value, "--end-date", today=dt.date.max)


def check_date_range(start_date: dt.date | None, end_date: dt.date | None) -> None:
    """Refuse an end date before the read start date (a bounded backfill that could read nothing).

    Raises:
        ConfigError: Naming both dates and the fix.
    """
    if start_date is not None and end_date is not None and end_date < start_date:
        raise ConfigError(f"Invalid --end-date {end_date}: it is before the read start date {start_date} "
                          "(--start-date); pass an end date on or after it, or an earlier --start-date.")


def parse_window(value: Any) -> int | None:
    """Parse the update window in days (0 … 365).

    Raises:
        ConfigError: For a non-integer, negative or absurd window.
    """
    if value is None or value == "":
        return None
    try:
        days = int(str(value).strip())
    except ValueError:
        raise ConfigError(f"Invalid --update-window-days {value!r}: use a whole number of days, e.g. 30.") from None
    if days < 0 or days > MAX_UPDATE_WINDOW_DAYS:
        raise ConfigError(
            f"Invalid --update-window-days {days}: use 0 to {MAX_UPDATE_WINDOW_DAYS} days "
            "(LinkedIn restates at most about a year back).")
    return days


def check_config_keys(section: dict[str, Any] | None) -> None:
    """Reject unknown keys in a ``[sources.linkedin]`` config table (a typo would otherwise be ignored).

    Raises:
        ConfigError: Naming the unknown key and the closest known one.
    """
    for key in (section or {}):
        if key not in KNOWN_KEYS:
            close = difflib.get_close_matches(key, sorted(KNOWN_KEYS), n=1)
            hint = f" did you mean {close[0]!r}?" if close else f" known keys: {', '.join(sorted(KNOWN_KEYS))}."
            raise ConfigError(f"Unknown setting {key!r} in [{CONFIG_SECTION}]:{hint}")


TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9\-._~+/=]+$")


def resolve_access_token(explicit: str | None) -> str | None:
    """Return the access token from the flag, dlt secrets/env or ``LINKEDIN_ACCESS_TOKEN``, else ``None``.

    Raises:
        ConfigError: For a token with characters LinkedIn never issues (spaces, quotes, line breaks…); the
            token itself is never shown.
    """
    for candidate in (explicit, secret_value("access_token"), os.environ.get("LINKEDIN_ACCESS_TOKEN")):
        if candidate:
            token = str(candidate).strip()
            if not TOKEN_PATTERN.match(token):
                prefix = " drop the 'Bearer ' prefix," if token.lower().startswith("bearer ") else ""
                raise ConfigError("Malformed LinkedIn access token (it holds spaces, quotes or other characters "
                                  f"LinkedIn tokens never contain):{prefix} paste the whole token on one line, or "
                                  "sign in with `lisync auth login`.")
            return token
    return None


MAX_WORKERS = 32


def parse_workers(value: Any) -> int | None:
    """Parse the concurrency cap (1 … 32 requests in flight).

    Raises:
        ConfigError: For a non-integer or out-of-range value.
    """
    if value is None or value == "":
        return None
    try:
        workers = int(str(value).strip())
    except ValueError:
        workers = 0
    if not 1 <= workers <= MAX_WORKERS:
        raise ConfigError(f"Invalid --max-workers {value!r}: use a whole number from 1 to {MAX_WORKERS}.")
    return workers


def parse_choice(value: Any, flag: str, choices: tuple[str, ...]) -> str:
    """Return ``value`` lower-cased if it is one of ``choices``.

    Raises:
        ConfigError: Naming the flag and the allowed values.
    """
    text = str(value).strip().lower()
    if text not in choices:
        raise ConfigError(f"Invalid {flag} {value!r}: use one of {', '.join(choices)}.")
    return text


def parse_bool(value: Any, flag: str) -> bool:
    """Return a boolean from a flag or config value (``true/false/yes/no/1/0``); ``None`` is ``False``.

    Raises:
        ConfigError: For anything else.
    """
    if value is None or isinstance(value, bool):
        return bool(value)
    text = str(value).strip().lower()
    if text in ("true", "yes", "1", "on"):
        return True
    if text in ("false", "no", "0", "off", ""):
        return False
    raise ConfigError(f"Invalid {flag} {value!r}: use true or false.")


# The Full entity tables that can keep history (dlt scd2; see :mod:`lisync.sources.history`).
HISTORY_TABLES = ("ad_accounts", "campaign_group_metadata", "campaign_metadata", "creative_metadata",
                  "conversion_details")


def parse_history(value: Any) -> tuple[str, ...]:
    """Turn the *history* setting (``--history`` or ``history`` in ``[sources.linkedin]``) into table names.

    Args:
        value: ``True``/``False``, ``None``, a comma-separated string or a list of table names (``"all"`` or
            ``"true"`` means every entity table).

    Returns:
        The entity tables that keep history, in :data:`HISTORY_TABLES` order (empty: none).

    Raises:
        ConfigError: For a name that is not one of the entity tables.
    """
    if value is None or value is False:
        return ()
    if value is True:
        return HISTORY_TABLES
    names = [str(n).strip() for n in (value.split(",") if isinstance(value, str) else value) if str(n).strip()]
    lowered = {n.lower() for n in names}
    if lowered & {"all", "true", "yes", "1"}:
        return HISTORY_TABLES
    if not names or lowered <= {"false", "no", "0", "none"}:
        return ()
    unknown = [n for n in names if n not in HISTORY_TABLES]
    if unknown:
        raise ConfigError(f"Invalid history table(s) {', '.join(unknown)}: choose from {', '.join(HISTORY_TABLES)} "
                          "(or true for all of them).")
    return tuple(t for t in HISTORY_TABLES if t in names)
