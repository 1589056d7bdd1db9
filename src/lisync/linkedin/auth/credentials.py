"""LinkedIn OAuth credentials: the record, its private on-disk store, expiry warnings and secret redaction.

The store is one JSON file, by default ``$XDG_CONFIG_HOME/lisync/credentials.json`` (``~/.config/...``),
overridable with ``LISYNC_CREDENTIALS_PATH``. It is created with mode 0600 from the first byte (``os.open``
with the mode, never chmod after the fact) inside a 0700 directory, and replaced atomically (temp file in
the same directory, fsync, ``os.replace``) so a crash mid-write leaves the previous file intact.

Why not the OS keyring: lisync mostly runs unattended (cron, CI, containers) where no keyring daemon is
unlocked, and the ``keyring`` package would add a dependency whose headless fallback is a plaintext file
anyway. A 0600 file is what the AWS, gcloud and GitHub CLIs do; users who want a secret manager can pass
the tokens through environment variables or dlt secrets instead.

The client secret is stored with the tokens because refreshing needs it and a scheduled run must refresh
unattended; it is exactly as sensitive as the refresh token already in the file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lisync.errors import LisyncError

DEFAULT_AUTH_BASE_URL = "https://www.linkedin.com/oauth/v2"
CREDENTIALS_PATH_ENV = "LISYNC_CREDENTIALS_PATH"
STORE_FORMAT_VERSION = 1
REFRESH_WARNING_DAYS = 30
ACCESS_WARNING_DAYS = 7
REDACTED = "***"


class CredentialStoreError(LisyncError):
    """The credential file cannot be read or written."""


@dataclass(frozen=True)
class Credentials:
    """What lisync knows about one LinkedIn authorization. Secrets never appear in ``repr``.

    Attributes:
        access_token: The bearer token (empty when only a refresh token is known).
        access_token_expires_at: When the access token expires (UTC), if known.
        refresh_token: The programmatic refresh token, if the app has them.
        refresh_token_expires_at: When the refresh token expires (UTC), if known. Refreshing never moves it.
        scopes: Scopes granted to the token.
        client_id: The LinkedIn app's client id.
        client_secret: The LinkedIn app's client secret, needed to refresh.
        auth_base_url: The OAuth server that issued the tokens (LinkedIn, or a sandbox).
        obtained_at: When the current access token was obtained (UTC).
        member: The member the token acts for (URN or name), if known.

    """

    access_token: str = field(repr=False)
    access_token_expires_at: dt.datetime | None = None
    refresh_token: str | None = field(default=None, repr=False)
    refresh_token_expires_at: dt.datetime | None = None
    scopes: frozenset[str] = frozenset()
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    auth_base_url: str = DEFAULT_AUTH_BASE_URL
    obtained_at: dt.datetime | None = None
    member: str | None = None

    @property
    def can_refresh(self) -> bool:
        """Whether a refresh token and the client credentials needed to use it are all present."""
        return bool(self.refresh_token and self.client_id and self.client_secret)

    def secrets(self) -> list[str]:
        """Return the secret values held, for :func:`redact`."""
        return [s for s in (self.access_token, self.refresh_token, self.client_secret) if s]

    def with_tokens(self, **changes: Any) -> Credentials:
        """Return a copy with the given fields replaced."""
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        """Return the JSON document the store writes (secrets included: only the 0600 file holds it)."""
        return {
            "version": STORE_FORMAT_VERSION,
            "access_token": self.access_token,
            "access_token_expires_at": _iso(self.access_token_expires_at),
            "refresh_token": self.refresh_token,
            "refresh_token_expires_at": _iso(self.refresh_token_expires_at),
            "scopes": sorted(self.scopes),
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "auth_base_url": self.auth_base_url,
            "obtained_at": _iso(self.obtained_at),
            "member": self.member,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Credentials:
        """Build credentials from :meth:`to_json` output.

        Raises:
            ValueError: When required fields are missing or malformed.

        """
        if not isinstance(data, Mapping) or not isinstance(data.get("access_token", ""), str):
            raise ValueError("not a lisync credentials document")
        if not data.get("access_token") and not data.get("refresh_token"):
            raise ValueError("it holds neither an access token nor a refresh token")
        return cls(
            access_token=data.get("access_token") or "",
            access_token_expires_at=_parse_iso(data.get("access_token_expires_at")),
            refresh_token=data.get("refresh_token") or None,
            refresh_token_expires_at=_parse_iso(data.get("refresh_token_expires_at")),
            scopes=frozenset(data.get("scopes") or ()),
            client_id=data.get("client_id") or None,
            client_secret=data.get("client_secret") or None,
            auth_base_url=data.get("auth_base_url") or DEFAULT_AUTH_BASE_URL,
            obtained_at=_parse_iso(data.get("obtained_at")),
            member=data.get("member") or None,
        )


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat(timespec="seconds") if value else None


def _parse_iso(value: Any) -> dt.datetime | None:
    if not value:
        return None
    parsed = dt.datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def default_credentials_path() -> Path:
    """Return ``$LISYNC_CREDENTIALS_PATH``, else ``$XDG_CONFIG_HOME/lisync/credentials.json``.

    ``XDG_CONFIG_HOME`` defaults to ``~/.config``, as the XDG spec says.
    """
    explicit = os.environ.get(CREDENTIALS_PATH_ENV)
    if explicit:
        return Path(explicit).expanduser()
    config_home = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config_home).expanduser() / "lisync" / "credentials.json"


class CredentialStore:
    """A private JSON file holding one :class:`Credentials`.

    Args:
        path: The file; :func:`default_credentials_path` when omitted.

    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else default_credentials_path()

    def __repr__(self) -> str:
        return f"CredentialStore({str(self.path)!r})"

    def exists(self) -> bool:
        """Return whether the credential file exists."""
        return self.path.exists()

    def load(self) -> Credentials | None:
        """Read the stored credentials.

        A file readable by group or others is tightened to 0600 first.

        Returns:
            The credentials, or ``None`` when nothing is stored.

        Raises:
            CredentialStoreError: When the file exists but cannot be read or parsed.

        """
        try:
            mode = stat.S_IMODE(self.path.stat().st_mode)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise self._error("read", exc) from None
        if mode & 0o077:
            with contextlib.suppress(OSError):
                os.chmod(self.path, 0o600)
        try:
            text = self.path.read_text(encoding="utf-8")
            return Credentials.from_json(json.loads(text))
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise self._error("read", exc) from None
        except ValueError as exc:
            # Never echo the content: it may hold tokens.
            raise CredentialStoreError(
                f"The credential file {self.path} is unreadable ({_first_line(exc)}): "
                "delete it or run `lisync auth login` again.") from None

    def save(self, credentials: Credentials) -> None:
        """Write ``credentials`` atomically with mode 0600 (directory 0700 when lisync creates it).

        Raises:
            CredentialStoreError: When the file cannot be written; the previous file is left intact.

        """
        payload = json.dumps(credentials.to_json(), indent=2, sort_keys=True).encode("utf-8") + b"\n"
        directory = self.path.parent
        try:
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise CredentialStoreError(
                f"Cannot create {directory} for credentials: {exc.strerror or exc}.") from None
        tmp_name = ""
        try:
            fd, tmp_name = _create_private_temp(directory, self.path.name)
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp_name, self.path)
            tmp_name = ""
            _fsync_directory(directory)
        except OSError as exc:
            raise CredentialStoreError(
                f"Cannot write the credential file {self.path}: {exc.strerror or exc}. "
                "The previous credentials, if any, are unchanged.") from None
        finally:
            if tmp_name:
                with contextlib.suppress(OSError):
                    os.unlink(tmp_name)

    def delete(self) -> bool:
        """Remove the credential file; return whether there was one."""
        try:
            self.path.unlink()
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise self._error("delete", exc) from None
        return True

    def _error(self, verb: str, exc: OSError) -> CredentialStoreError:
        return CredentialStoreError(f"Cannot {verb} the credential file {self.path}: {exc.strerror or exc}.")


def _create_private_temp(directory: Path, name: str) -> tuple[int, str]:
    # mkstemp opens with O_EXCL and mode 0600, so the file is never readable by others, not even briefly.
    fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
    os.fchmod(fd, 0o600)
    return fd, tmp_name


def _fsync_directory(directory: Path) -> None:
    # Makes the rename itself durable; not every platform lets a directory be opened, hence best effort.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


# --------------------------------------------------------------------------------------------- warnings


def _days(delta: dt.timedelta) -> float:
    return delta.total_seconds() / 86400


def _day(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).date().isoformat()


def expiry_warnings(credentials: Credentials, now: dt.datetime) -> list[str]:
    """Return human warnings about tokens that expired or will soon, each with the fix.

    Args:
        credentials: The credentials to judge.
        now: The current time (timezone-aware).

    Returns:
        Zero or more one-line warnings: refresh token expired or under 30 days left; access token expired
        (or under 7 days left) with no way to refresh it.

    """
    warnings: list[str] = []
    refresh_at = credentials.refresh_token_expires_at
    if credentials.refresh_token and refresh_at is not None:
        left = _days(refresh_at - now)
        if left <= 0:
            warnings.append(f"The LinkedIn refresh token expired on {_day(refresh_at)}: "
                            "run `lisync auth login` to authorize lisync again.")
        elif left < REFRESH_WARNING_DAYS:
            warnings.append(f"The LinkedIn refresh token expires in {left:.0f} days (on {_day(refresh_at)}); "
                            "LinkedIn never extends it: run `lisync auth login` before then to keep syncing.")
    access_at = credentials.access_token_expires_at
    if not credentials.can_refresh and access_at is not None:
        left = _days(access_at - now)
        if left <= 0:
            warnings.append(f"The LinkedIn access token expired on {_day(access_at)} and cannot be "
                            "refreshed: run `lisync auth login` or pass a new token with --access-token.")
        elif left < ACCESS_WARNING_DAYS:
            warnings.append(f"The LinkedIn access token expires in {left:.1f} days (on {_day(access_at)}) "
                            "and cannot be refreshed: run `lisync auth login` before then.")
    return warnings


# -------------------------------------------------------------------------------------------- redaction

_SECRET_PARAMS = re.compile(
    r"(?i)\b(access_token|refresh_token|client_secret|code|token|oauth2_access_token)=([^&\s\"']+)")
_BEARER = re.compile(r"(?i)\b(Bearer\s+)([A-Za-z0-9._~+/=-]+)")


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """Return ``text`` with secret values and token-bearing URL parameters replaced by ``***``.

    Args:
        text: Any message, URL or log line.
        secrets: Known secret values (tokens, client secret) to blank wherever they appear.

    Returns:
        The redacted text.

    """
    for secret in sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    text = _SECRET_PARAMS.sub(lambda m: f"{m.group(1)}={REDACTED}", text)
    return _BEARER.sub(lambda m: f"{m.group(1)}{REDACTED}", text)
