"""Endpoint modules of the sandbox; importing this package registers every route in ``core.ROUTES``.

Registration order does not matter: a request is resolved by path, method, ``q`` finder and pattern
specificity (see :func:`lisync.sandbox.gateway.resolve_route`), and no two routes answer the same one.
"""

from lisync.sandbox.routes import (
    ad_accounts,  # noqa: F401
    ads,  # noqa: F401
    analytics,  # noqa: F401
    campaigns,  # noqa: F401
    conversions,  # noqa: F401
    creatives,  # noqa: F401
    media,  # noqa: F401
    oauth,  # noqa: F401
    oauth_admin,  # noqa: F401
    organization_lookup,  # noqa: F401
    organization_stats,  # noqa: F401
    organizations,  # noqa: F401
    posts,  # noqa: F401
)
