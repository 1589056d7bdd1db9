"""Endpoint modules of the sandbox; importing this package registers every route in ``core.ROUTES``."""

from lisync.sandbox.routes import ads  # noqa: F401
from lisync.sandbox.routes import analytics  # noqa: F401
from lisync.sandbox.routes import oauth  # noqa: F401
from lisync.sandbox.routes import organizations  # noqa: F401
