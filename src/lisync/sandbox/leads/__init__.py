"""The sandbox's Lead Gen world: lead forms and form responses tied to the ads world (see :mod:`.world`)."""

from lisync.sandbox.leads.world import LEAD_EMAIL_DOMAIN, LeadsWorld

__all__ = ["LEAD_EMAIL_DOMAIN", "LeadsWorld"]
