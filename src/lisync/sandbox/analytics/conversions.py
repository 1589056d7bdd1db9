"""Conversions of a sandbox creative-day: LinkedIn-native (job applies, registrations) and per conversion rule.

Both are pure functions of a creative's profile, its settled counts for the day, the day's age (conversions
keep arriving within their attribution windows) and the day's hash draws, which the caller supplies per salt
(see :meth:`lisync.sandbox.analytics.model.AnalyticsModel.creative_day`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from lisync.sandbox.analytics.catalog import NATIVE_CLICK_WINDOW_DAYS, NATIVE_VIEW_WINDOW_DAYS, TMetrics, arrival_share
from lisync.sandbox.analytics.profiles import CreativeProfile

__all__ = ["TDailyDraws", "add_native_conversions", "rule_conversions"]

# salt -> 16 uniform draws in [0, 1) for the creative-day at hand.
TDailyDraws = Callable[[str], tuple[float, ...]]


def add_native_conversions(profile: CreativeProfile, final: TMetrics, age: int, draws: TDailyDraws,
                           out: TMetrics) -> None:
    """Add the creative-day's LinkedIn-native conversions (job applies, registrations) to ``out``.

    Args:
        profile: The creative's profile (``jobs`` / ``events`` say which conversions it can have).
        final: The day's settled counts.
        age: Days since the day (today: 0); conversions arrive over their attribution windows.
        draws: The day's uniform draws per salt.
        out: The day's metrics, updated in place with the non-zero conversion counts.

    """
    kinds = [base for base, on in (("JobApplyClicks", profile.jobs), ("JobApplications", profile.jobs),
                                   ("Registrations", profile.events)) if on]
    if not kinds:
        return
    u = draws("extra")  # indexes 0-2, 4-6, 8-10 and 12-14
    click_share = arrival_share(age, NATIVE_CLICK_WINDOW_DAYS)
    view_share = arrival_share(age, NATIVE_VIEW_WINDOW_DAYS)
    for i, base in enumerate(kinds):
        depth = 0.25 if base == "JobApplications" else 1.0
        post_click = int(final.get("clicks", 0) * 0.05 * depth * u[i] * click_share)
        post_view = int(final["impressions"] * 0.0004 * depth * u[i + 4] * view_share)
        viral_click, viral_view = int(post_click * 0.3 * u[i + 8]), int(post_view * 0.3 * u[i + 12])
        lower = base[0].lower() + base[1:]
        for name, value in ((f"postClick{base}", post_click), (f"postView{base}", post_view),
                            (lower, post_click + post_view), (f"viralPostClick{base}", viral_click),
                            (f"viralPostView{base}", viral_view),
                            (f"viral{base}", viral_click + viral_view)):
            if value:
                out[name] = value


def rule_conversions(profile: CreativeProfile, day: dt.date, final: TMetrics, age: int,
                     draws: TDailyDraws) -> list[tuple[int, TMetrics]]:
    """Return ``(conversion id, metrics)`` for each rule with conversions on this creative-day.

    Args:
        profile: The creative's profile with the conversion rules of its campaign.
        day: The UTC day.
        final: The day's settled counts.
        age: Days since the day (today: 0); conversions arrive over each rule's attribution windows.
        draws: The day's uniform draws per salt.

    Returns:
        One entry per rule active on ``day`` with some conversions, its metrics without zeros.

    """
    out = []
    for rule in profile.rules:
        if day < rule.first_day or (rule.last_day is not None and day > rule.last_day):
            continue
        u = draws(f"conv{rule.conversion_id}")
        post_click = int(final.get("clicks", 0) * rule.post_click_rate * (0.4 + 1.2 * u[0])
                         * arrival_share(age, rule.click_window))
        post_view = int(final["impressions"] * rule.post_view_rate * (0.4 + 1.2 * u[1])
                        * arrival_share(age, rule.view_window))
        if not post_click and not post_view:
            continue
        viral_click, viral_view = int(post_click * 0.25 * u[2]), int(post_view * 0.25 * u[3])
        unit = rule.value_micros * ((0.5 + u[4]) if rule.dynamic_value else 1.0)
        metrics = {"externalWebsiteConversions": post_click + post_view,
                   "externalWebsitePostClickConversions": post_click,
                   "externalWebsitePostViewConversions": post_view,
                   "viralExternalWebsiteConversions": viral_click + viral_view,
                   "viralExternalWebsitePostClickConversions": viral_click,
                   "viralExternalWebsitePostViewConversions": viral_view,
                   "conversionValueInLocalCurrency": round((post_click + post_view) * unit)}
        out.append((rule.conversion_id, {k: v for k, v in metrics.items() if v}))
    return out
