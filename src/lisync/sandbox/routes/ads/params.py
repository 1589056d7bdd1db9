"""Rest.li parameter parsing and search-criterion matching shared by the ads entity routes.

Each helper reads a decoded query value (see :mod:`lisync.sandbox.http.protocol`) and either returns it in the
shape a handler needs or raises the 400 LinkedIn answers for it (no ``code``, as LinkedIn's validation
errors usually have none; a foreign URN type is ``INVALID_URN_TYPE``).
"""

from __future__ import annotations

from typing import Any

from lisync.sandbox.errors import RestliError
from lisync.sandbox.http.protocol import SandboxRequest
from lisync.sandbox.http.restli import first_value

TEntity = dict[str, Any]


def bad_request(message: str) -> RestliError:
    """Return a LinkedIn-style 400 (no ``code``, as LinkedIn's validation errors usually have none)."""
    return RestliError(400, message)


def required_param(req: SandboxRequest, name: str) -> Any:
    """Return a required query parameter or raise LinkedIn's ``Parameter 'x' is required``."""
    value = first_value(req.query.get(name))
    if value is None or value == "":
        raise bad_request(f"Parameter '{name}' is required")
    return value


def parse_int(value: Any, name: str, minimum: int = 0) -> int:
    """Parse a non-negative integer parameter or raise a 400 naming it."""
    if not isinstance(value, str) or not value.lstrip("-").isdigit() or int(value) < minimum:
        raise bad_request(f"Invalid value '{value}' for parameter '{name}': expected an integer >= {minimum}")
    return int(value)


def parse_bool(value: Any, name: str) -> bool | None:
    """Parse a Rest.li boolean (``true``/``false``); ``None`` when absent."""
    if value is None:
        return None
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise bad_request(f"Invalid value '{value}' for '{name}': expected true or false")


def urn_id(value: Any, kinds: tuple[str, ...], name: str, numeric_ok: bool = True) -> int:
    """Return the numeric id of a URN of one of ``kinds`` (or of a bare number when ``numeric_ok``)."""
    if isinstance(value, str):
        if numeric_ok and value.isdigit():
            return int(value)
        prefix, _, tail = value.rpartition(":")
        if prefix in tuple(f"urn:li:{kind}" for kind in kinds) and tail.isdigit():
            return int(tail)
    raise RestliError(
        400,
        f"Invalid URN '{value}' for '{name}': expected urn:li:{kinds[0]}:<id>",
        code="INVALID_URN_TYPE" if isinstance(value, str) and value.startswith("urn:") else None,
    )


def search_criteria(req: SandboxRequest, allowed: frozenset[str]) -> dict[str, Any]:
    """Return the decoded ``search`` record, rejecting fields the finder does not know."""
    search = req.query.get("search", {})
    if not isinstance(search, dict):
        raise bad_request(
            "Invalid value for query parameter 'search': expected a record such as (status:(values:List(X)))"
        )
    unknown = sorted(set(search) - allowed)
    if unknown:
        raise bad_request(
            f"Unrecognized field(s) {', '.join(unknown)} in 'search': use {', '.join(sorted(allowed))}"
        )
    return search


def criterion_values(search: dict[str, Any], field: str) -> list[str] | None:
    """Return ``search.<field>.values`` as a list of strings, or ``None`` when the criterion is absent."""
    if field not in search:
        return None
    criterion = search[field]
    values = criterion.get("values") if isinstance(criterion, dict) else None
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise bad_request(f"Invalid search criterion '{field}': expected ({field}:(values:List(...)))")
    return values


def list_param(req: SandboxRequest, name: str) -> list[str] | None:
    """Return a ``List(...)`` (or 1.0 indexed/repeated) parameter as strings; ``None`` when absent."""
    value = req.query.get(name)
    if value is None:
        return None
    values = value if isinstance(value, list) else [value]
    if not all(isinstance(v, str) for v in values):
        raise bad_request(f"Invalid value for query parameter '{name}': expected List(...)")
    return values


def value_matches(values: list[str] | None, actual: Any) -> bool:
    """Return whether an exact-match criterion accepts ``actual`` (an absent criterion accepts anything)."""
    return values is None or actual in values


def name_matches(values: list[str] | None, name: str | None) -> bool:
    """Return whether a ``name`` criterion accepts ``name``: any value as a case-insensitive substring."""
    return values is None or (name is not None and any(v.lower() in name.lower() for v in values))
