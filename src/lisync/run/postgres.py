"""Postgres connection strings without a password (trust or peer auth, ``.pgpass``, ``PGPASSWORD``).

dlt's Postgres credentials declare the password required, so a DSN such as
``postgresql://postgres@127.0.0.1:5432/test`` fails with "Missing 1 field(s) … credentials", blaming the
wrong thing. libpq itself needs no password for trust or peer auth and finds one in ``PGPASSWORD`` or
``~/.pgpass``. lisync therefore parses such a DSN into dlt's public ``PostgresCredentials`` and fills the
password the way libpq would: ``PGPASSWORD`` when set, else empty, which makes libpq consult ``.pgpass``
(and a trust server accept the connection).
"""

from __future__ import annotations

import os

from dlt.common.configuration.exceptions import ConfigurationException
from dlt.destinations.impl.postgres.configuration import PostgresCredentials

from lisync.errors import ConfigError

__all__ = ["postgres_credentials"]


def postgres_credentials(dsn: str) -> str | PostgresCredentials:
    """Return ``dsn`` unchanged when it has a password, else dlt credentials with libpq's password.

    Raises:
        ConfigError: For a DSN without a host or database, naming what is missing (the DSN is never shown).
    """
    credentials = PostgresCredentials()
    try:
        credentials.parse_native_representation(dsn)
    except (ConfigurationException, ValueError):
        return dsn  # dlt reports a malformed DSN itself (and lisync hides the secret)
    if credentials.password:
        return dsn
    missing = [name for name in ("host", "database") if not getattr(credentials, name, None)]
    if missing:
        raise ConfigError(f"The Postgres DSN has no {' and no '.join(missing)}: use "
                          "postgresql://USER[:PASSWORD]@HOST:PORT/DATABASE (a Unix socket as "
                          "?host=/var/run/postgresql).")
    credentials.password = os.environ.get("PGPASSWORD", "")
    return credentials
