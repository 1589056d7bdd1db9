"""Endpoint modules of the sandbox; importing this package registers every route in ``core.ROUTES``."""

from lisync.sandbox.routes import (
    ads,  # noqa: F401
    analytics,  # noqa: F401
    oauth,  # noqa: F401
    oauth_admin,  # noqa: F401
    organizations,  # noqa: F401
)
