"""Organic video analytics of the sandbox: daily views, viewers and watch time of a video post.

A video post's daily numbers are pure functions of ``(seed, post, day)``: they start on the publishing day,
decay over the following weeks and exist only before the organic data cutoff (about two days of lag).
LinkedIn keeps ``VIDEO_VIEW`` and ``VIEWER`` data for six months (video-analytics-api); older days answer
nothing for those types. Docs:
https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/video-analytics-api
"""

from __future__ import annotations

import datetime as dt
import math

from lisync.sandbox.organic.draws import between, unit
from lisync.sandbox.organic.posts import PostSkeleton

VIDEO_TYPES = ("VIDEO_VIEW", "VIEWER", "TIME_WATCHED", "TIME_WATCHED_FOR_VIDEO_VIEWS")
# Types whose data LinkedIn drops after six months.
SIX_MONTH_TYPES = frozenset({"VIDEO_VIEW", "VIEWER"})
RETENTION_DAYS = 183


def is_video_post(post: PostSkeleton) -> bool:
    """Whether the post carries a video (a ``ugcPost``; only those have video analytics)."""
    return post.urn.startswith("urn:li:ugcPost:") and any(m.kind == "video" for m in post.media)


def video_day(seed: int, post: PostSkeleton, day: dt.date, cutoff: dt.date, today: dt.date) -> dict[str, int]:
    """Return the post's video metrics on ``day`` by type (empty before publishing or after the cutoff)."""
    if day < post.created_date or day >= cutoff:
        return {}
    age = (day - post.created_date).days
    audience = between(seed, 40, 900, "video-audience", post.urn)
    views = int(audience * math.exp(-age / 9) * (0.4 + unit(seed, "video-views", post.urn, day)))
    viewers = int(views * (0.55 + 0.35 * unit(seed, "video-viewers", post.urn, day)))
    seconds = between(seed, 6, 45, "video-seconds", post.urn)
    engaged = int(views * seconds * 1000 * (0.5 + 0.5 * unit(seed, "video-watch", post.urn, day)))
    metrics = {"VIDEO_VIEW": views, "VIEWER": viewers, "TIME_WATCHED": int(engaged * 1.15),
               "TIME_WATCHED_FOR_VIDEO_VIEWS": engaged}
    if (today - day).days > RETENTION_DAYS:
        for kind in SIX_MONTH_TYPES:
            metrics.pop(kind)
    return metrics
