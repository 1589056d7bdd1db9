"""Standardized-data lookups that name adAnalytics demographic values (titles, industries, functions...).

Titles, industries, functions, seniorities and geo, each as GET ``/rest/<resource>/{id}`` and BATCH_GET
``/rest/<resource>?ids=List(..)``.

Shapes follow LinkedIn's standardized-data references (``shared/references/v2/standardized-data/*``):
titles, functions, seniorities and industries carry ``id``, ``$URN`` and ``name.localized.en_US``
(titles also ``function`` and ``superTitle``); geo carries ``id`` and
``defaultLocalizedName{locale,value}``. BATCH_GET answers ``results``/``statuses``/``errors`` keyed by id;
an unknown id is a 404 (GET) or an entry in ``errors`` (BATCH_GET). Any valid token may read them.
Member companies (MEMBER_COMPANY values) are organizations: the organization lookup serves them.
"""

from __future__ import annotations

from typing import Any

from lisync.sandbox.analytics.demographics import DemographicValue, value_by_urn
from lisync.sandbox.errors import RestliError
from lisync.sandbox.http.protocol import Route, SandboxRequest, SandboxResponse
from lisync.sandbox.routes.organizations.params import bad_request, batch_response, list_param

# resource path -> URN namespace
RESOURCES = {"titles": "title", "industries": "industry", "functions": "function", "seniorities": "seniority",
             "geo": "geo"}


def _json(namespace: str, value: DemographicValue) -> dict[str, Any]:
    urn = f"urn:li:{namespace}:{value.id}"
    if namespace == "geo":
        return {"id": value.id, "$URN": urn,
                "defaultLocalizedName": {"locale": {"language": "en", "country": "US"}, "value": value.name}}
    body: dict[str, Any] = {"id": value.id, "$URN": urn, "name": {"localized": {"en_US": value.name}}}
    if namespace == "title":
        body["function"] = f"urn:li:function:{(value.id or 0) % 26 + 1}"
        body["superTitle"] = f"urn:li:superTitle:{(value.id or 0) + 400}"
    return body


def _lookup(namespace: str, key: str) -> dict[str, Any] | RestliError:
    found = value_by_urn(namespace, int(key)) if key.isdigit() else None
    if found is None:
        return RestliError(404, f"No {namespace} with id {key}.")
    return _json(namespace, found)


def _get(namespace: str, request: SandboxRequest) -> SandboxResponse:
    found = _lookup(namespace, request.path_params["id"])
    if isinstance(found, RestliError):
        raise found
    return SandboxResponse(found)


def _batch(namespace: str, request: SandboxRequest) -> SandboxResponse:
    ids = list_param(request, "ids")
    if not ids:
        raise bad_request("Required parameter 'ids' is missing: use ids=List(id1,id2).")
    return batch_response([str(i) for i in ids], lambda key: _lookup(namespace, key))


def get_title(request: SandboxRequest) -> SandboxResponse:
    """GET one standardized title."""
    return _get("title", request)


def batch_get_titles(request: SandboxRequest) -> SandboxResponse:
    """BATCH_GET standardized titles."""
    return _batch("title", request)


def get_industry(request: SandboxRequest) -> SandboxResponse:
    """GET one industry."""
    return _get("industry", request)


def batch_get_industries(request: SandboxRequest) -> SandboxResponse:
    """BATCH_GET industries."""
    return _batch("industry", request)


def get_function(request: SandboxRequest) -> SandboxResponse:
    """GET one job function."""
    return _get("function", request)


def batch_get_functions(request: SandboxRequest) -> SandboxResponse:
    """BATCH_GET job functions."""
    return _batch("function", request)


def get_seniority(request: SandboxRequest) -> SandboxResponse:
    """GET one seniority."""
    return _get("seniority", request)


def batch_get_seniorities(request: SandboxRequest) -> SandboxResponse:
    """BATCH_GET seniorities."""
    return _batch("seniority", request)


def get_geo(request: SandboxRequest) -> SandboxResponse:
    """GET one geo (country or region)."""
    return _get("geo", request)


def batch_get_geo(request: SandboxRequest) -> SandboxResponse:
    """BATCH_GET geos."""
    return _batch("geo", request)


# The endpoints this module answers (any valid token: no scope check beyond authentication).
ROUTES: tuple[Route, ...] = (
    Route("GET", "/titles/{id}", None, get_title, "titles"),
    Route("GET", "/titles", None, batch_get_titles, "titles"),
    Route("GET", "/industries/{id}", None, get_industry, "industries"),
    Route("GET", "/industries", None, batch_get_industries, "industries"),
    Route("GET", "/functions/{id}", None, get_function, "functions"),
    Route("GET", "/functions", None, batch_get_functions, "functions"),
    Route("GET", "/seniorities/{id}", None, get_seniority, "seniorities"),
    Route("GET", "/seniorities", None, batch_get_seniorities, "seniorities"),
    Route("GET", "/geo/{id}", None, get_geo, "geo"),
    Route("GET", "/geo", None, batch_get_geo, "geo"),
)
