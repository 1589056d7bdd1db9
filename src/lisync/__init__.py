"""lisync: replicate LinkedIn ads, analytics, organization pages and posts into any dlt destination.

The public API, for library callers and orchestrators (the ``lisync`` command is :mod:`lisync.cli`)::

    import lisync

    settings = lisync.build_settings(["ad_accounts"], destination="postgres")  # flag → env → dlt config
    summary = lisync.run_pipelines(settings, token_provider=lisync.run_token_provider(settings.access_token))
    lisync.ensure_ok(summary)  # raises lisync.RunFailed for a failed run

Everything else is importable from its module, but may change between versions. (``run_pipelines`` is
:func:`lisync.run.pipeline.run`: the name ``lisync.run`` belongs to the ``run`` package.)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lisync.config.resolve import build_settings
    from lisync.config.settings import RunSettings
    from lisync.config.tokens import run_token_provider
    from lisync.errors import (
        ConfigError,
        LisyncError,
        NotSignedIn,
        PartialAccessError,
        RunFailed,
        SelectionError,
        SignInFailed,
    )
    from lisync.linkedin.http.errors import LinkedInAPIError, LinkedInError
    from lisync.orchestrate import run_shard
    from lisync.run.pipeline import ensure_ok
    from lisync.run.pipeline import run as run_pipelines
    from lisync.run.shards import Shard, ShardPlan, discover_and_plan, load_plan, shard_settings
    from lisync.run.summary import RunSummary
    from lisync.spec.loader import load_spec

__version__ = "0.1.0"

__all__ = [
    "ConfigError",
    "LinkedInAPIError",
    "LinkedInError",
    "LisyncError",
    "NotSignedIn",
    "PartialAccessError",
    "RunFailed",
    "RunSettings",
    "RunSummary",
    "SelectionError",
    "Shard",
    "ShardPlan",
    "SignInFailed",
    "__version__",
    "build_settings",
    "discover_and_plan",
    "ensure_ok",
    "load_plan",
    "load_spec",
    "run_pipelines",
    "run_shard",
    "run_token_provider",
    "shard_settings",
]

# Where each public name lives (``run_pipelines`` is that module's ``run``). ``import lisync`` stays light
# (``lisync.sandbox`` does not load dlt): a name's module is imported on first use (PEP 562 ``__getattr__``).
_HOMES: dict[str, str] = {
    "build_settings": "lisync.config.resolve",
    "RunSettings": "lisync.config.settings",
    "run_token_provider": "lisync.config.tokens",
    **dict.fromkeys(("ConfigError", "LisyncError", "NotSignedIn", "PartialAccessError", "RunFailed", "SelectionError",
                     "SignInFailed"), "lisync.errors"),
    "LinkedInAPIError": "lisync.linkedin.http.errors",
    "LinkedInError": "lisync.linkedin.http.errors",
    "run_shard": "lisync.orchestrate",
    "ensure_ok": "lisync.run.pipeline",
    "run_pipelines": "lisync.run.pipeline",
    **dict.fromkeys(("Shard", "ShardPlan", "discover_and_plan", "load_plan", "shard_settings"), "lisync.run.shards"),
    "RunSummary": "lisync.run.summary",
    "load_spec": "lisync.spec.loader",
}
_ATTRIBUTES = {"run_pipelines": "run"}


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'lisync' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), _ATTRIBUTES.get(name, name))
    globals()[name] = value
    return value
