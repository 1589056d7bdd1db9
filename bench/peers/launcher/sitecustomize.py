"""Runs at interpreter start in a peer's process (via PYTHONPATH) and points it at the sandbox."""

from peer_redirect import install_from_environment

install_from_environment()
