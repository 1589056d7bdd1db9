"""The credential record and its private store: permissions, atomic writes, redaction, expiry warnings."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from pathlib import Path

import pytest

from lisync.linkedin.auth.credentials import (
    Credentials,
    CredentialStore,
    CredentialStoreError,
    default_credentials_path,
    expiry_warnings,
    redact,
)
from lisync.linkedin.auth.credentials import os as credentials_module_os

NOW = dt.datetime(2026, 11, 15, 12, 0, tzinfo=dt.UTC)
ACCESS = "AQV-access-token-value-0123456789"
REFRESH = "AQX-refresh-token-value-9876543210"
SECRET = "client-secret-value-xyz"


def make(**changes: object) -> Credentials:
    base = Credentials(access_token=ACCESS, access_token_expires_at=NOW + dt.timedelta(days=60),
                       refresh_token=REFRESH, refresh_token_expires_at=NOW + dt.timedelta(days=365),
                       scopes=frozenset({"r_ads", "r_ads_reporting"}), client_id="app-id",
                       client_secret=SECRET,
                       auth_base_url="http://127.0.0.1:1/oauth/v2", obtained_at=NOW, member="urn:li:person:1")
    return base.with_tokens(**changes)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_save_creates_private_file_and_directory_and_round_trips(tmp_path: Path) -> None:
    store = CredentialStore(tmp_path / "config" / "lisync" / "credentials.json")
    store.save(make())
    assert mode(store.path) == 0o600
    assert mode(store.path.parent) == 0o700
    assert store.load() == make()
    assert json.loads(store.path.read_text())["version"] == 1


def test_file_is_private_even_with_a_permissive_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        store = CredentialStore(tmp_path / "credentials.json")
        store.save(make())
        store.save(make(access_token="AQV-second"))
    finally:
        os.umask(old)
    assert mode(store.path) == 0o600


def test_load_tightens_a_file_others_can_read(tmp_path: Path) -> None:
    store = CredentialStore(tmp_path / "credentials.json")
    store.save(make())
    os.chmod(store.path, 0o644)
    assert store.load() == make()
    assert mode(store.path) == 0o600


def test_crash_mid_write_keeps_the_previous_file_and_leaves_no_temp(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = CredentialStore(tmp_path / "credentials.json")
    store.save(make())
    before = store.path.read_bytes()

    real_fdopen = os.fdopen

    class TornWriter:
        """Writes half the payload, then fails like a full disk."""

        def __init__(self, fd: int, *args: object, **kwargs: object) -> None:
            self._file = real_fdopen(fd, "wb")

        def __enter__(self) -> TornWriter:
            return self

        def __exit__(self, *exc: object) -> None:
            self._file.close()

        def write(self, data: bytes) -> int:
            self._file.write(data[: len(data) // 2])
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(credentials_module_os, "fdopen", TornWriter)
    with pytest.raises(CredentialStoreError, match="previous credentials, if any, are unchanged"):
        store.save(make(access_token="AQV-new-token-never-written"))
    monkeypatch.undo()
    assert store.path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["credentials.json"]


def test_failed_rename_keeps_the_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = CredentialStore(tmp_path / "credentials.json")
    store.save(make())

    def refuse(*args: object) -> None:
        raise OSError(13, "Permission denied")

    monkeypatch.setattr(credentials_module_os, "replace", refuse)
    with pytest.raises(CredentialStoreError):
        store.save(make(access_token="AQV-other"))
    monkeypatch.undo()
    assert store.load() == make()
    assert [p.name for p in tmp_path.iterdir()] == ["credentials.json"]


def test_missing_file_loads_as_none_and_delete_reports_it(tmp_path: Path) -> None:
    store = CredentialStore(tmp_path / "nothing.json")
    assert store.load() is None
    assert store.delete() is False
    store.save(make())
    assert store.delete() is True
    assert not store.path.exists()


def test_corrupt_file_error_names_the_fix_and_never_the_content(tmp_path: Path) -> None:
    store = CredentialStore(tmp_path / "credentials.json")
    store.path.write_text('{"access_token": "AQV-leaky-secret", "scopes": ')
    with pytest.raises(CredentialStoreError) as caught:
        store.load()
    assert "lisync auth login" in str(caught.value)
    assert "AQV-leaky-secret" not in str(caught.value)


def test_default_path_honours_env_and_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("LISYNC_CREDENTIALS_PATH", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert default_credentials_path() == tmp_path / "xdg" / "lisync" / "credentials.json"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_credentials_path() == tmp_path / "home" / ".config" / "lisync" / "credentials.json"
    monkeypatch.setenv("LISYNC_CREDENTIALS_PATH", str(tmp_path / "explicit.json"))
    assert default_credentials_path() == tmp_path / "explicit.json"
    assert CredentialStore().path == tmp_path / "explicit.json"


def test_repr_never_shows_secrets() -> None:
    text = repr(make()) + str(make())
    for secret in (ACCESS, REFRESH, SECRET):
        assert secret not in text
    assert "app-id" in text


def test_redact_blanks_known_secrets_and_token_parameters() -> None:
    line = (f"POST https://x/oauth?code=abc123&state=ok failed for {ACCESS}; "
            f"body client_secret={SECRET}&refresh_token={REFRESH}; header Authorization: Bearer {ACCESS}")
    cleaned = redact(line, [ACCESS, None, ""])
    for secret in (ACCESS, REFRESH, SECRET, "abc123"):
        assert secret not in cleaned
    assert "state=ok" in cleaned
    assert "serviceErrorCode=65602" in redact("serviceErrorCode=65602")


def test_no_warnings_for_fresh_credentials() -> None:
    assert expiry_warnings(make(), NOW) == []


def test_warns_when_refresh_token_has_under_30_days_left() -> None:
    soon = make(refresh_token_expires_at=NOW + dt.timedelta(days=12))
    (warning,) = expiry_warnings(soon, NOW)
    assert "12 days" in warning and "2026-11-27" in warning and "lisync auth login" in warning


def test_warns_when_refresh_token_expired() -> None:
    dead = make(refresh_token_expires_at=NOW - dt.timedelta(days=1))
    (warning,) = expiry_warnings(dead, NOW)
    assert "expired on 2026-11-14" in warning


def test_warns_when_access_token_expired_and_cannot_be_refreshed() -> None:
    plain = make(refresh_token=None, refresh_token_expires_at=None,
                 access_token_expires_at=NOW - dt.timedelta(hours=1))
    (warning,) = expiry_warnings(plain, NOW)
    assert "cannot be refreshed" in warning and "lisync auth login" in warning
    assert expiry_warnings(make(access_token_expires_at=NOW - dt.timedelta(hours=1)), NOW) == []


def test_from_json_rejects_documents_without_tokens() -> None:
    with pytest.raises(ValueError):
        Credentials.from_json({"version": 1, "client_id": "x"})
    only_refresh = Credentials.from_json({"refresh_token": "r", "client_id": "x", "client_secret": "s"})
    assert only_refresh.access_token == "" and only_refresh.can_refresh
