"""Suite-wide fixtures: no test may read or write the real user's credential store or dlt config."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_credentials(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the credential store at an empty temporary file unless a test sets its own."""
    path = Path(tmp_path_factory.mktemp("credentials")) / "credentials.json"
    monkeypatch.setenv("LISYNC_CREDENTIALS_PATH", str(path))
