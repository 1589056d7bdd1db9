"""What an access token may do in the sandbox: the known scopes and the :class:`TokenGrant` of one token."""

from __future__ import annotations

from dataclasses import dataclass

# Every scope the sandbox knows about; the default grant holds them all.
ALL_SCOPES: frozenset[str] = frozenset({
    "r_ads", "rw_ads", "r_ads_reporting", "r_organization_social", "w_organization_social",
    "rw_organization_admin", "r_organization_admin", "r_basicprofile", "r_liteprofile", "openid", "profile",
    "email", "rw_conversions", "r_marketing_leadgen_automation",
})


@dataclass(frozen=True)
class TokenGrant:
    """What one access token may do in the sandbox.

    Attributes:
        member_urn: The member the token acts for (``urn:li:person:...``).
        scopes: OAuth scopes granted to the token.
        account_ids: Ad account ids the member can see; ``None`` means every visible account of the world.
        organization_ids: Organization ids on which the member is an approved ADMINISTRATOR;
            ``None`` means every administered organization of the world.
        media_permission: Whether the token may read images/videos (download URLs); without it those
            lookups come back FORBIDDEN.
        expires_at_ms: Epoch-ms expiry on the sandbox clock; ``None`` never expires.
        revoked: Whether the member revoked the token.
        client_id: The OAuth client that obtained the token, if issued by the sandbox.
    """

    member_urn: str = "urn:li:person:sandboxMember1"
    scopes: frozenset[str] = ALL_SCOPES
    account_ids: frozenset[int] | None = None
    organization_ids: frozenset[int] | None = None
    media_permission: bool = True
    expires_at_ms: int | None = None
    revoked: bool = False
    client_id: str | None = None
