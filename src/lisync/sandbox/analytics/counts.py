"""Settled delivery and engagement counts of one creative-day: a pure function of its profile and hashes.

These are the final (fully reported) counts before restatement, money and conversions, which
:class:`~lisync.sandbox.analytics.model.AnalyticsModel` layers on top. Which counts appear depends on the
creative's kind (message and conversation ads, text ads, video, document, carousel or other content) and
on its campaign's objective.
"""

from __future__ import annotations

import datetime as dt

from lisync.sandbox.analytics.catalog import TMetrics
from lisync.sandbox.analytics.profiles import CreativeProfile


def settled_counts(profile: CreativeProfile, day: dt.date, u: tuple[float, ...]) -> TMetrics | None:
    """Return a creative-day's settled non-conversion counts (no money), or ``None`` without activity.

    Args:
        profile: The creative's profile.
        day: The UTC day (weekends serve less).
        u: The creative-day's 16 uniforms for the ``day`` salt.

    Returns:
        Metric name -> value for the non-zero counts (``_dwellCentiseconds`` is an internal helper key),
        or ``None`` when the creative has no activity that day.

    """
    if u[0] >= profile.p_active:
        return None
    weekday = 0.6 if day.weekday() >= 5 else 1.0
    impressions = int(profile.base_impressions * weekday * (0.55 + 0.9 * u[1])) + 1
    clicks = int(impressions * profile.ctr * (0.6 + 0.8 * u[2]))
    m: TMetrics = {"impressions": impressions, "clicks": clicks}
    kind = profile.kind
    if kind in ("message", "conversation"):
        m["sends"] = impressions
        opens = int(impressions * (0.3 + 0.3 * u[3]))
        m["opens"] = opens
        action = min(clicks, opens)
        m["actionClicks"] = action
        m["adUnitClicks"] = int(action * 0.15 * u[4])
        m["textUrlClicks"] = int(action * 0.1 * u[5])
        m["landingPageClicks"] = int(action * (0.5 + 0.3 * u[6]))
        if kind == "conversation":
            m["headlineImpressions"] = opens
            m["headlineClicks"] = int(action * (0.2 + 0.3 * u[7]))
        if profile.lead_gen:
            interested = int(action * (0.2 + 0.3 * u[8]))
            m["leadGenerationMailInterestedClicks"] = interested
            m["leadGenerationMailContactInfoShares"] = int(interested * (0.3 + 0.4 * u[9]))
    else:
        landing = int(clicks * (0.55 + 0.35 * u[3]))
        m["landingPageClicks"] = landing
        m["companyPageClicks"] = int((clicks - landing) * 0.4 * u[4])
        if kind != "text":
            _add_social(profile, impressions, u, m)
        if kind == "video":
            starts = int(impressions * (0.35 + 0.4 * u[8]))
            m["videoStarts"] = starts
            m["videoViews"] = int(starts * (0.45 + 0.35 * u[9]))
            first = int(starts * (0.55 + 0.3 * u[10]))
            mid = int(first * (0.6 + 0.3 * u[11]))
            third = int(mid * (0.65 + 0.3 * u[12]))
            m.update(videoFirstQuartileCompletions=first, videoMidpointCompletions=mid,
                     videoThirdQuartileCompletions=third,
                     videoCompletions=int(third * (0.7 + 0.25 * u[13])))
            m["fullScreenPlays"] = int(m["videoViews"] * (0.02 + 0.06 * u[14]))
        elif kind == "document":
            first = int(impressions * (0.03 + 0.05 * u[8]))
            mid = int(first * (0.5 + 0.3 * u[9]))
            third = int(mid * (0.55 + 0.3 * u[10]))
            m.update(documentFirstQuartileCompletions=first, documentMidpointCompletions=mid,
                     documentThirdQuartileCompletions=third,
                     documentCompletions=int(third * (0.6 + 0.3 * u[11])))
            m["downloadClicks"] = int(first * 0.1 * u[12])
        elif kind == "carousel":
            m["cardImpressions"] = int(impressions * (1.2 + 1.3 * u[8]))
            m["cardClicks"] = clicks + int(clicks * 0.4 * u[9])
        if profile.newsletter:
            m["subscriptionClicks"] = int(clicks * 0.08 * u[13])
        if profile.lead_gen:
            form_opens = int(clicks * (0.2 + 0.3 * u[14]))
            leads = int(form_opens * (0.2 + 0.35 * u[15]))
            m.update(oneClickLeadFormOpens=form_opens, oneClickLeads=leads,
                     validWorkEmailLeads=int(leads * (0.4 + 0.4 * u[5])),
                     qualifiedLeads=int(leads * (0.1 + 0.3 * u[6])))
        if profile.jobs:
            m["talentLeads"] = int(clicks * 0.05 * u[15])
    m["_dwellCentiseconds"] = int(impressions * profile.dwell_seconds * (0.8 + 0.4 * u[7]) * 100)
    return {k: v for k, v in m.items() if v}


def _add_social(profile: CreativeProfile, impressions: int, u: tuple[float, ...], m: TMetrics) -> None:
    """Add a non-text creative-day's reactions, likes, comments, shares, follows... to ``m``."""
    rate = profile.engagement
    reactions = int(impressions * rate * (0.5 + u[5]))
    m.update(reactions=reactions, likes=int(reactions * (0.6 + 0.3 * u[6])),
             comments=int(impressions * rate * 0.12 * u[7]), shares=int(impressions * rate * 0.08 * u[8]),
             follows=int(impressions * rate * (0.3 if profile.kind == "dynamic" else 0.05)
                         * (0.5 + u[9])),
             otherEngagements=int(impressions * rate * 0.4 * u[10]))
    m["commentLikes"] = int(m["comments"] * 0.6 * u[11])
