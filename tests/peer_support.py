"""Peer connectors for the fidelity tests: install them on first use, skip or fail when that is impossible.

The peers (Airbyte's and Singer's LinkedIn connectors) run unmodified from their own virtualenvs under
``bench/.peers/``, made by ``bench/peers/run.py``. Installing them takes minutes, so the tests that use them are
marked ``peers`` and left out of the default run; ``.ci/run`` runs them with ``LISYNC_REQUIRE_PEERS=1``, which turns
an install failure into a test failure instead of a skip.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH_PEERS = Path(__file__).resolve().parents[1] / "bench" / "peers"
sys.path.insert(0, str(BENCH_PEERS))

import run as peers  # noqa: E402  (bench/peers/run.py: the benchmark's installer and catalog builder)


def require_peer(name: str) -> Path:
    """Install the peer ``name`` (a key of ``bench/peers/run.py``'s ``PEERS``) if needed; return its executable.

    Skips the calling test when the install fails, unless ``LISYNC_REQUIRE_PEERS`` is set, which fails it.
    """
    peer = peers.PEERS[name]
    try:
        peers.ensure_installed(peer)
    except (subprocess.CalledProcessError, OSError) as error:
        message = f"could not install peer {name} ({peer.packages}): {error}"
        if os.environ.get("LISYNC_REQUIRE_PEERS"):
            pytest.fail(message)
        pytest.skip(message)
    return Path(peers.peer_bin(peer, peer.executable))
