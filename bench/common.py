"""Helpers shared by the benchmark scripts: a sandbox in its own process, measured lisync runs."""

from __future__ import annotations

import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LISYNC = [sys.executable, "-m", "lisync.cli"]


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class SandboxProcess:
    """``lisync sandbox`` in a subprocess, so its CPU and memory never mix with the measured client."""

    def __init__(self, seed: int, today: str, knobs: dict[str, int], latency_ms: int = 0, scale: str = "small",
                 extra: list[str] | None = None, start_timeout_s: float = 60) -> None:
        self.port = free_port()
        args = [*LISYNC, "sandbox", "--port", str(self.port), "--seed", str(seed), "--scale", scale, "--today", today,
                "--latency-ms", str(latency_ms)]
        for name, value in knobs.items():
            args += ["--knob", f"{name}={value}"]
        self.proc = subprocess.Popen([*args, *(extra or [])], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.base_url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + start_timeout_s
        while time.monotonic() < deadline:
            try:
                self.admin("GET", "/_sandbox/clock")
                return
            except OSError:
                time.sleep(0.2)
        self.proc.kill()
        self.proc.wait()
        raise RuntimeError("the sandbox did not start")

    def admin(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """Call a sandbox admin route and return its JSON."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base_url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")

    def close(self) -> None:
        """Stop the sandbox."""
        self.proc.terminate()
        self.proc.wait(timeout=30)


@dataclass
class Measured:
    """One measured lisync run."""

    seconds: float
    peak_rss_mb: float
    summary: dict[str, Any]

    @property
    def rows(self) -> int:
        """Rows the run landed in its tables (destination counts)."""
        return int(sum(self.summary.get("tables", {}).values()))


def run_lisync(args: list[str], workdir: Path) -> Measured:
    """Run ``lisync run …`` in a child process; return wall seconds, its own peak RSS and the summary."""
    summary_path = workdir / f"summary-{time.monotonic_ns()}.json"
    started = time.monotonic()
    proc = subprocess.Popen([*LISYNC, "run", *args, "--summary-json", str(summary_path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=workdir)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.monotonic() - started
    if status != 0:
        raise RuntimeError(f"lisync run failed: {proc.stderr.read().decode() if proc.stderr else ''}")
    return Measured(seconds, usage.ru_maxrss / 1024, json.loads(summary_path.read_text()))


def machine() -> str:
    """One line describing this machine."""
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def workdir(prefix: str) -> Path:
    """A fresh temporary folder."""
    return Path(tempfile.mkdtemp(prefix=prefix))
