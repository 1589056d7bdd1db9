"""``lisync.__all__`` is the curated public API: exactly these names, each importable and documented."""

from __future__ import annotations

import inspect

import lisync

PUBLIC = {
    "__version__",
    # settings and tokens
    "RunSettings", "build_settings", "run_token_provider",
    # running
    "run_pipelines", "ensure_ok", "RunSummary", "load_spec",
    # shards and orchestrators
    "Shard", "ShardPlan", "discover_and_plan", "load_plan", "shard_settings", "run_shard",
    # errors
    "LisyncError", "ConfigError", "SelectionError", "PartialAccessError", "NotSignedIn", "SignInFailed",
    "RunFailed", "LinkedInError", "LinkedInAPIError",
}


def test_all_is_exactly_the_curated_api() -> None:
    assert set(lisync.__all__) == PUBLIC
    assert len(lisync.__all__) == len(PUBLIC), "no name twice"
    assert lisync.__all__ == sorted(lisync.__all__, key=lambda n: (not n[0].isupper(), n.lower()))


def test_every_public_name_exists_and_is_documented() -> None:
    for name in PUBLIC - {"__version__"}:
        value = getattr(lisync, name)
        assert inspect.getdoc(value), f"lisync.{name} has no docstring"
        assert value.__module__.startswith("lisync."), name


def test_every_error_hangs_under_one_root() -> None:
    errors = [getattr(lisync, n) for n in PUBLIC if n.endswith("Error") or n in ("RunFailed", "NotSignedIn",
                                                                             "SignInFailed")]
    assert all(issubclass(e, lisync.LisyncError) for e in errors)
    assert issubclass(lisync.LinkedInAPIError, lisync.LinkedInError)


def test_run_pipelines_is_the_run_function_even_after_the_run_package_is_imported() -> None:
    import lisync.run.pipeline

    assert lisync.run_pipelines is lisync.run.pipeline.run


def test_star_import_gives_only_the_public_names() -> None:
    namespace: dict[str, object] = {}
    exec("from lisync import *", namespace)
    assert set(namespace) - {"__builtins__"} == PUBLIC


def test_every_public_name_has_a_home_and_importing_lisync_stays_light() -> None:
    import subprocess
    import sys

    assert set(lisync._HOMES) == PUBLIC - {"__version__"}
    probe = "import sys, lisync, lisync.sandbox.config; print('dlt' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True).stdout.strip() == "False"
