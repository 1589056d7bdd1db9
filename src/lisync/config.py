"""Run settings: parsed from CLI flags, dlt config/secrets and environment variables, and validated.

Precedence: an explicit CLI flag, then dlt's config providers (environment variables such as
``SOURCES__LINKEDIN__ACCESS_TOKEN``, then ``.dlt/secrets.toml`` and ``.dlt/config.toml``, section
``[sources.linkedin]``), then lisync's defaults. ``LINKEDIN_ACCESS_TOKEN`` is honoured as well.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import dlt

from lisync import spec
from lisync.errors import ConfigError
from lisync.linkedin.retry import RetryPolicy
from lisync.settings import DEFAULT_API_BASE_URL, DEFAULT_API_VERSION, DEFAULT_DATASET, DEFAULT_DUCKDB_PATH

CONFIG_SECTION = "sources.linkedin"
# Keys lisync reads from [sources.linkedin]; anything else there is most likely a typo.
KNOWN_KEYS = frozenset({
    "access_token", "api_base_url", "api_version", "account_ids", "organization_ids", "start_date",
    "update_window_days", "period", "keep_metrics_history", "posts_replication", "client_id", "client_secret",
    "refresh_token", "oauth_base_url", "credentials_path", "max_workers", "strict",
})
MAX_UPDATE_WINDOW_DAYS = 365
PERIODS = ("day", "week", "month")
POSTS_REPLICATION = ("incremental", "full")
ID_PATTERN = re.compile(r"^\d+$")


@dataclass
class RunSettings:
    """Everything one ``lisync run`` needs.

    Attributes:
        pipelines: Pipeline ids (spec main-table names) to run, in spec order.
        access_token: A bearer token, or ``None`` to use the stored credentials.
        api_base_url: Versioned REST base URL (LinkedIn's or the sandbox's).
        api_version: ``LinkedIn-Version`` value.
        account_ids: Ad account filter (numeric ids); ``None`` means every visible account.
        organization_ids: Organization filter (numeric ids); ``None`` means every administered page.
        start_date: "Read start date" for incremental pipelines; ``None`` uses each pipeline's default.
        update_window_days: Update window override; ``None`` uses each pipeline's default.
        destination: A dlt destination name (``duckdb``, ``postgres``, ``filesystem``, ``bigquery``…).
        destination_credentials: The destination's connection string as dlt accepts it (a Postgres DSN,
            a Snowflake URL…; for ``filesystem`` the bucket URL or local folder), or ``None`` to let dlt
            resolve credentials from its env vars and secrets. Never shown in ``repr``.
        duckdb_path: DuckDB file when the destination is duckdb.
        dataset: Destination dataset/schema name.
        pipeline_name: dlt pipeline name (state and savepoints live under it).
        pipelines_dir: Where dlt keeps its working state (``None``: dlt's default).
        today: The run's "today" (UTC); ``None`` means the real date. Tests pin it to the sandbox clock.
        extras: Per-pipeline options (period, keep_metrics_history, posts_replication, …).
        strict: Fail the run when LinkedIn refuses one account or organization (403/404) instead of
            skipping it with a note.
        retry_policy: Retries, backoff, time budgets, timeouts and the concurrency cap of API calls.
        shard: Name of the shard this run is (see :mod:`lisync.shards`), or ``None`` for an unsharded run.
            A shard keeps its own dlt state and staging dataset, and its Full tables replace only the
            shard's own accounts and organizations, so shards can load into one dataset concurrently.
    """

    pipelines: list[str]
    access_token: str | None = None
    api_base_url: str = DEFAULT_API_BASE_URL
    api_version: str = DEFAULT_API_VERSION
    account_ids: list[str] | None = None
    organization_ids: list[str] | None = None
    start_date: dt.date | None = None
    update_window_days: int | None = None
    destination: str = "duckdb"
    destination_credentials: str | None = field(default=None, repr=False)
    duckdb_path: str = DEFAULT_DUCKDB_PATH
    dataset: str = DEFAULT_DATASET
    pipeline_name: str | None = None
    pipelines_dir: str | None = None
    today: dt.date | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    strict: bool = False
    retry_policy: RetryPolicy = field(default_factory=RetryPolicy)
    shard: str | None = None

    def __repr__(self) -> str:
        token = "***" if self.access_token else None
        return f"RunSettings(pipelines={self.pipelines!r}, access_token={token}, destination={self.destination!r})"

    @property
    def effective_pipeline_name(self) -> str:
        """The dlt pipeline name: explicit, else ``lisync_<dataset>``; a shard appends ``_<shard>`` to either.

        Every shard must keep its own dlt state (its savepoints), even when shards share one explicit name.
        """
        name = self.pipeline_name or f"lisync_{self.dataset}"
        return f"{name}_{self.shard}" if self.shard else name

    @property
    def staging_dataset_layout(self) -> str | None:
        """The dlt staging dataset layout for a shard (``<dataset>_staging_<shard>``), ``None`` unsharded.

        Merges go through the staging dataset; one per shard keeps concurrent shards off each other's
        staging tables.
        """
        return f"%s_staging_{self.shard}" if self.shard else None


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


def parse_pipelines(names: Iterable[str]) -> list[str]:
    """Validate pipeline names; return them in spec order (all pipelines when none are given).

    Raises:
        ConfigError: For an unknown pipeline name.
    """
    known = list(spec.load_spec())
    wanted = [n.strip() for n in names if n.strip()]
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise ConfigError(f"Unknown pipeline {', '.join(unknown)}: choose from {', '.join(known)}.")
    return [p for p in known if not wanted or p in wanted]


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
    import difflib

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
