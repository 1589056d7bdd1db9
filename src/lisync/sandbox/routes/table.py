"""The sandbox's route table: every endpoint module's ``ROUTES``, listed explicitly."""

from __future__ import annotations

from lisync.sandbox.http.protocol import Route
from lisync.sandbox.routes import analytics, leads, standardized_data
from lisync.sandbox.routes.ads import accounts, campaigns, conversions, creatives
from lisync.sandbox.routes.oauth import admin as oauth_admin
from lisync.sandbox.routes.oauth import flow as oauth_flow
from lisync.sandbox.routes.organizations import brands, lookup, media, posts, stats, video

ROUTES: tuple[Route, ...] = (
    *accounts.ROUTES,
    *campaigns.ROUTES,
    *conversions.ROUTES,
    *creatives.ROUTES,
    *analytics.ROUTES,
    *leads.ROUTES,
    *media.ROUTES,
    *oauth_flow.ROUTES,
    *oauth_admin.ROUTES,
    *lookup.ROUTES,
    *stats.ROUTES,
    *posts.ROUTES,
    *brands.ROUTES,
    *video.ROUTES,
    *standardized_data.ROUTES,
)
