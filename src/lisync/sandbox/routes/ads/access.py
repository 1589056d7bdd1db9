"""Which ad accounts a token may read: the ads read scopes and the 404/403 for an account.

An unknown account answers 404; an account the member has no role on answers 403 ACCESS_DENIED.
"""

from __future__ import annotations

from lisync.sandbox.errors import RestliError, access_denied
from lisync.sandbox.http.protocol import SandboxRequest
from lisync.sandbox.oauth.grants import TokenGrant
from lisync.sandbox.routes.ads.params import TEntity, urn_id

ADS_READ_SCOPES = (frozenset({"r_ads"}), frozenset({"rw_ads"}))


def token_grant(req: SandboxRequest) -> TokenGrant:
    """Return the request's token grant (versioned routes always carry one)."""
    assert req.grant is not None  # versioned routes always carry a grant
    return req.grant


def visible_account(req: SandboxRequest, account_id: int, resource: str) -> TEntity:
    """Return an account the token may read: 404 when unknown, 403 when the member has no role on it."""
    account = req.world.account(account_id)
    if account is None:
        raise RestliError(404, f"Ad account {account_id} does not exist")
    if not req.world.can_see_account(token_grant(req), account_id):
        raise access_denied(resource, "GET", _version_for_message(req.version))
    return account


def _version_for_message(version: str | None) -> str | None:
    if version is None:
        return None
    digits = version.split(".")[0]
    return digits + "01" if len(digits) == 6 else digits


def path_account(req: SandboxRequest, resource: str) -> TEntity:
    """Return the visible account named by the ``{account_id}`` path parameter (id or sponsoredAccount URN)."""
    return visible_account(
        req, urn_id(req.path_params["account_id"], ("sponsoredAccount",), "adAccountId"), resource
    )
