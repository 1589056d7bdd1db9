"""Secrets never leak: the CLI signs in, runs (with a refresh mid-run), checks and fails, with canary secrets.

Each step runs ``lisync`` in a subprocess with DEBUG logging (lisync, urllib3 and dlt), against a sandbox
whose OAuth app has a distinctive client secret. Afterwards no canary — that secret, or any access or refresh
token the sandbox issued — may appear in stdout, stderr, the logs, dlt's working folder (traces, state,
load packages), the DuckDB destination, or any other file the steps wrote; only the 0600 credential file
holds them.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import stat
import subprocess
import sys
import uuid
from pathlib import Path

import duckdb
from dlt.common.versioned_state import decompress_state
from tests.e2e.auth_helpers import (
    AMBIENT_SETTINGS,
    HOUR,
    install_clock_jump,
    issued_secrets,
    oauth_sandbox,
    redirected_url,
    revoke_authorization,
    token_requests,
)

from lisync.linkedin.auth.credentials import CredentialStore

CANARY_CLIENT_ID = "canary-app"
CANARY_SECRET = f"CANARY-client-secret-{uuid.uuid4().hex}"
SRC = Path(__file__).resolve().parents[2] / "src"
# Runs the real entry point with every logger at DEBUG (the CLI's --verbose stops at INFO).
ENTRY = "import logging, sys; logging.basicConfig(level=logging.DEBUG, stream=sys.stderr); " \
        "from lisync.cli import main; sys.argv[0] = 'lisync'; main()"


def environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in AMBIENT_SETTINGS}
    env.update({
        "HOME": str(tmp_path / "home"), "XDG_CONFIG_HOME": str(tmp_path / "xdg"),
        "LISYNC_CREDENTIALS_PATH": str(tmp_path / "secrets" / "credentials.json"),
        "SOURCES__LINKEDIN__CLIENT_ID": CANARY_CLIENT_ID, "SOURCES__LINKEDIN__CLIENT_SECRET": CANARY_SECRET,
        "RUNTIME__LOG_LEVEL": "DEBUG", "RUNTIME__DLTHUB_TELEMETRY": "false",
        "PYTHONPATH": os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        "COLUMNS": "200",
    })
    return env


class Transcript:
    """Every byte the CLI steps printed, for the final scan."""

    def __init__(self) -> None:
        self.parts: list[tuple[str, str]] = []

    def add(self, step: str, stdout: str, stderr: str) -> None:
        self.parts += [(f"{step} stdout", stdout), (f"{step} stderr", stderr)]


def lisync(args: list[str], env: dict[str, str], cwd: Path, transcript: Transcript, step: str) -> int:
    done = subprocess.run([sys.executable, "-c", ENTRY, *args], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=120, check=False)
    transcript.add(step, done.stdout, done.stderr)
    return done.returncode


def headless_login(args: list[str], env: dict[str, str], cwd: Path, transcript: Transcript) -> int:
    """`lisync auth login --no-browser`: read the printed URL, consent over HTTP, paste the redirect back."""
    process = subprocess.Popen([sys.executable, "-c", ENTRY, *args], env=env, cwd=cwd, text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stdin is not None
    printed = []
    for line in process.stdout:
        printed.append(line)
        if "/oauth/v2/authorization?" in line:
            process.stdin.write(redirected_url(line.strip()) + "\n")
            process.stdin.flush()
            break
    stdout, stderr = process.communicate(timeout=120)
    transcript.add("login", "".join(printed) + stdout, stderr)
    return process.returncode


def readable_texts(path: Path) -> list[str]:
    """The ways a file could hold a secret: raw bytes, gzip-decompressed, DuckDB rows and dlt's packed state."""
    raw = path.read_bytes()
    texts = [raw.decode("utf-8", "replace")]
    if raw[:2] == b"\x1f\x8b":
        texts.append(gzip.decompress(raw).decode("utf-8", "replace"))
    if path.suffix == ".duckdb":
        texts.extend(duckdb_texts(path))
    return texts


def duckdb_texts(path: Path) -> list[str]:
    texts = []
    with contextlib.closing(duckdb.connect(str(path), read_only=True)) as conn:
        tables = conn.execute("select table_schema, table_name from information_schema.tables").fetchall()
        for schema, table in tables:
            rows = conn.execute(f'select * from "{schema}"."{table}"').fetchall()
            texts.append(repr(rows))
            if table == "_dlt_pipeline_state":
                for (state,) in conn.execute(f'select state from "{schema}"."{table}"').fetchall():
                    texts.append(json.dumps(decompress_state(state)))
    return texts


def leaks(texts: dict[str, list[str]], canaries: set[str]) -> list[str]:
    return sorted({f"{where}: {canary[:12]}…" for where, found in texts.items() for text in found
                   for canary in canaries if canary in text})


def test_no_secret_reaches_output_logs_traces_files_or_the_destination(tmp_path: Path) -> None:
    env = environment(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    credentials = Path(env["LISYNC_CREDENTIALS_PATH"])
    transcript = Transcript()
    server = oauth_sandbox(oauth_access_token_ttl_seconds=6 * HOUR, oauth_clients=[
        {"client_id": CANARY_CLIENT_ID, "client_secret": CANARY_SECRET, "allow_loopback": True}])
    jump = install_clock_jump(server)
    with server:
        api = ["--api-base-url", f"{server.base_url}/rest"]
        run = ["run", "ad_accounts", "campaign_metadata", *api, "--duckdb", str(work / "lisync.duckdb"),
               "--pipelines-dir", str(tmp_path / "dlt"), "--pipeline-name", "lisync_canary"]

        assert headless_login(["auth", "login", "ad_accounts", "campaign_metadata", "--no-browser", "--port",
                               "8765", "--oauth-base-url", f"{server.base_url}/oauth/v2", *api],
                              env, work, transcript) == 0, transcript.parts
        signed_in = CredentialStore(credentials).load()
        assert signed_in is not None and signed_in.client_secret == CANARY_SECRET

        jump.arm(requests_answered=1)  # the access token expires after the run's first API request
        assert lisync(run, env, work, transcript, "run with refresh") == 0, transcript.parts[-1]
        assert jump.jump_at is not None and jump.seen > jump.jump_at  # more requests came after the jump
        assert token_requests(server) == 2, "the access token was refreshed mid-run"
        assert lisync(["check", "ad_accounts", "ad_performance", *api], env, work, transcript, "check") == 1
        assert "Token: active" in transcript.parts[-2][1]  # introspection ran with the canary secret
        assert lisync(["auth", "status"], env, work, transcript, "status") == 0

        current = CredentialStore(credentials).load()
        assert current is not None
        revoke_authorization(server, current.access_token)
        assert lisync(run, env, work, transcript, "failing run") == 1
        assert "lisync auth login" in transcript.parts[-1][1]
        canaries = issued_secrets(server) | {CANARY_SECRET}

    assert len(canaries) == 4  # the client secret, the first and the refreshed access token, the refresh token
    assert all(len(c) >= 40 for c in canaries)
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    assert leaks({"credential store": readable_texts(credentials)}, canaries), "the scan can find a canary"

    found: dict[str, list[str]] = {name: [text] for name, text in transcript.parts}
    for path in sorted(p for p in tmp_path.rglob("*") if p.is_file()):
        if path != credentials:
            found[str(path.relative_to(tmp_path))] = readable_texts(path)
    assert any("trace" in name for name in found), "dlt wrote its trace where the scan looks"
    assert any(name.endswith(".duckdb") for name in found)
    assert leaks(found, canaries) == []
