"""Row shapers for ``organization_posts`` and its five child tables: pure, Posts API element → spec rows.

A post (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api) has one
``content`` union member, which decides ``content_type``:

=====================================  ================================================
content                                content_type
=====================================  ================================================
(none)                                 ``text``
``media`` with an image / video URN    ``media_image`` / ``media_video``
``media`` with any other URN           ``media_other`` (documents…)
``multiImage``                         ``multi_image``
``poll`` / ``article`` / ``carousel``  ``poll`` / ``article`` / ``carousel``
``reference`` to a job/liveVideo/event ``job`` / ``liveVideo`` / ``event``
anything else (e.g. ``celebration``)   ``unknown``
=====================================  ================================================

``post_id`` is the full post URN (``urn:li:share:N`` or ``urn:li:ugcPost:N``: the namespace is part of the
identity and is what share statistics are keyed by). ``commentary`` keeps LinkedIn's little text unchanged;
its hashtags and mentions go to the child tables. Media details come from the images/videos lookups
(``media``: URN → element); a forbidden lookup gives status ``FORBIDDEN`` and no URL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from lisync.linkedin.convert import dig, ms_to_timestamp, to_bool, to_float, to_text
from lisync.linkedin.pages.littletext import parse_little_text
from lisync.linkedin.pages.media import media_kind

TMedia = Mapping[str, Mapping[str, Any]]

REFERENCE_TYPES = {"job": "job", "liveVideo": "liveVideo", "event": "event"}
LIFETIME_COLUMNS = {
    "lifetime_uniqueimpressionscount": "uniqueImpressionsCount",
    "lifetime_sharecount": "shareCount",
    "lifetime_engagement": "engagement",
    "lifetime_clickcount": "clickCount",
    "lifetime_likecount": "likeCount",
    "lifetime_impressioncount": "impressionCount",
    "lifetime_commentcount": "commentCount",
}
HASHTAGS_TABLE = "organization_posts__hashtags"
MENTIONS_TABLE = "organization_posts__commentary_mentions"
POLL_OPTIONS_TABLE = "organization_posts__poll_options"
CAROUSEL_CARDS_TABLE = "organization_posts__carousel_cards"
MULTI_IMAGE_TABLE = "organization_posts__content_multi_image"
CHILD_TABLES = (HASHTAGS_TABLE, MENTIONS_TABLE, POLL_OPTIONS_TABLE, CAROUSEL_CARDS_TABLE, MULTI_IMAGE_TABLE)


def classify_content(element: Mapping[str, Any]) -> str:
    """Return the spec's ``content_type`` for a post element (see the module table)."""
    content = element.get("content")
    if not isinstance(content, Mapping) or not content:
        return "text"
    if isinstance(content.get("media"), Mapping):
        kind = media_kind(dig(content, "media", "id"))
        return {"image": "media_image", "video": "media_video"}.get(kind or "", "media_other")
    for key, kind in (("multiImage", "multi_image"), ("poll", "poll"), ("article", "article"),
                      ("carousel", "carousel")):
        if isinstance(content.get(key), Mapping):
            return kind
    if isinstance(content.get("reference"), Mapping):
        return REFERENCE_TYPES.get(media_kind(dig(content, "reference", "id")) or "", "unknown")
    return "unknown"


def media_urns(element: Mapping[str, Any]) -> list[str]:
    """Return every image/video URN a post shows (media, multi-image, carousel cards, article thumbnail)."""
    content = _record(element.get("content"))
    urns = [dig(content, "media", "id"), dig(content, "article", "thumbnail")]
    urns += [i.get("id") for i in dig(content, "multiImage", "images") or [] if isinstance(i, Mapping)]
    urns += [dig(c, "media", "id") for c in dig(content, "carousel", "cards") or [] if isinstance(c, Mapping)]
    return [u for u in urns if media_kind(u) in ("image", "video")]


def _record(value: Any) -> Mapping[str, Any]:
    """Return ``value`` if it is a JSON object, else an empty one."""
    return value if isinstance(value, Mapping) else {}


def _asset(media: TMedia, urn: Any) -> Mapping[str, Any]:
    found = media.get(urn) if isinstance(urn, str) else None
    return found if isinstance(found, Mapping) else {}


def _download_url(asset: Mapping[str, Any]) -> str | None:
    url = asset.get("downloadUrl")
    return url if isinstance(url, str) and url else None


def shape_post(element: Mapping[str, Any], organization_urn: str, media: TMedia,
               statistics: Mapping[str, Any] | None, metric_date: dt.date | None) -> dict[str, Any]:
    """Shape a Posts API element into an ``organization_posts`` row.

    Args:
        element: The post as ``GET /rest/posts`` returns it.
        organization_urn: The organization whose posts are being read.
        media: Image/video lookups by URN (see :class:`lisync.linkedin.pages.media.MediaResolver`).
        statistics: The post's lifetime ``totalShareStatistics``, or ``None`` when LinkedIn has none.
        metric_date: The run day when keeping metrics history, else ``None``.

    Returns:
        Exactly the spec's columns.

    """
    content_type = classify_content(element)
    content = _record(element.get("content"))
    media_id = to_text(dig(content, "media", "id"))
    image = _asset(media, media_id) if content_type == "media_image" else {}
    video = _asset(media, media_id) if content_type == "media_video" else {}
    poll, article = _record(content.get("poll")), _record(content.get("article"))
    thumbnail = _asset(media, article.get("thumbnail"))
    row: dict[str, Any] = {
        "metric_date": metric_date,
        "post_id": to_text(element.get("id")),
        "organization_urn": to_text(element.get("author")) or organization_urn,
        "lifecyclestate": to_text(element.get("lifecycleState")),
        "visibility": to_text(element.get("visibility")),
        "published_at": ms_to_timestamp(element.get("publishedAt")),
        "last_modified_at": ms_to_timestamp(element.get("lastModifiedAt")),
        "feed_distribution": to_text(dig(element, "distribution", "feedDistribution")),
        "commentary": to_text(element.get("commentary")),
        "is_edited_by_author": to_bool(dig(element, "lifecycleStateInfo", "isEditedByAuthor")),
        "content_type": content_type,
        "content_media_id": media_id,
        "content_media_title": to_text(dig(content, "media", "title")),
        "content_media_image_download_url": _download_url(image),
        "content_media_image_owner": to_text(image.get("owner")),
        "content_media_image_download_url_expires_at": ms_to_timestamp(image.get("downloadUrlExpiresAt")),
        "content_media_image_status": to_text(image.get("status")),
        "content_media_video_duration": to_float(video.get("duration")),
        "content_media_video_aspect_ratio_width": to_float(video.get("aspectRatioWidth")),
        "content_media_video_aspect_ratio_height": to_float(video.get("aspectRatioHeight")),
        "content_media_video_thumbnail": to_text(video.get("thumbnail")) or None,
        "content_media_video_download_url": _download_url(video),
        "content_media_video_download_url_expires_at": ms_to_timestamp(video.get("downloadUrlExpiresAt")),
        "content_media_video_owner": to_text(video.get("owner")),
        "content_media_video_status": to_text(video.get("status")),
        "content_poll_settings_vote_selection_type": to_text(dig(poll, "settings", "voteSelectionType")),
        "content_poll_settings_duration": to_text(dig(poll, "settings", "duration")),
        "content_poll_settings_is_vote_visible_to_author": to_bool(
            dig(poll, "settings", "isVoterVisibleToAuthor")),
        "content_poll_unique_voters_count": to_float(poll.get("uniqueVotersCount")),
        "content_poll_question": to_text(poll.get("question")),
        "content_article_description": to_text(article.get("description")),
        "content_article_title": to_text(article.get("title")),
        "content_article_source": to_text(article.get("source")),
        "content_article_thumbnail_alt_text": to_text(article.get("thumbnailAltText")),
        "content_article_thumbnail": to_text(article.get("thumbnail")),
        "content_article_thumbnail_download_url": _download_url(thumbnail),
    }
    for column, key in LIFETIME_COLUMNS.items():
        row[column] = to_float((statistics or {}).get(key))
    return row


def _parent(element: Mapping[str, Any], organization_urn: str) -> dict[str, Any]:
    return {"post_id": to_text(element.get("id")),
            "organization_urn": to_text(element.get("author")) or organization_urn}


def shape_hashtags(element: Mapping[str, Any], organization_urn: str) -> list[dict[str, Any]]:
    """One ``organization_posts__hashtags`` row per distinct hashtag of the commentary (without ``#``)."""
    parsed = parse_little_text(to_text(element.get("commentary")))
    return [{**_parent(element, organization_urn), "hashtag": tag} for tag in parsed.hashtags]


def shape_mentions(element: Mapping[str, Any], organization_urn: str) -> list[dict[str, Any]]:
    """One ``organization_posts__commentary_mentions`` row per distinct mention of the commentary."""
    parsed = parse_little_text(to_text(element.get("commentary")))
    parent = _parent(element, organization_urn)
    return [{**parent, "fallback_text": m.fallback_text, "target_urn": m.target_urn} for m in parsed.mentions]


def shape_poll_options(element: Mapping[str, Any], organization_urn: str) -> list[dict[str, Any]]:
    """One ``organization_posts__poll_options`` row per option of a poll post."""
    options = dig(element, "content", "poll", "options") or []
    return [{**_parent(element, organization_urn), "option_text": to_text(o.get("text")),
             "is_option_voted_by_viewer": to_bool(o.get("isVotedByViewer")),
             "option_vote_count": to_float(o.get("voteCount"))}
            for o in options if isinstance(o, Mapping)]


def shape_carousel_cards(element: Mapping[str, Any], organization_urn: str,
                         media: TMedia) -> list[dict[str, Any]]:
    """One ``organization_posts__carousel_cards`` row per card of a carousel post."""
    cards = dig(element, "content", "carousel", "cards") or []
    return [{**_parent(element, organization_urn), "landing_page": to_text(c.get("landingPage")),
             "media_id": to_text(dig(c, "media", "id")), "media_title": to_text(dig(c, "media", "title")),
             "media_download_url": _download_url(_asset(media, dig(c, "media", "id")))}
            for c in cards if isinstance(c, Mapping)]


def shape_multi_images(element: Mapping[str, Any], organization_urn: str,
                       media: TMedia) -> list[dict[str, Any]]:
    """One ``organization_posts__content_multi_image`` row per image of a multi-image post.

    The Posts API gives multi-image images an ``altText`` but no title, so ``image_title`` is the title
    when present and the alt text otherwise.
    """
    images = dig(element, "content", "multiImage", "images") or []
    rows = []
    for image in images:
        if not isinstance(image, Mapping):
            continue
        asset = _asset(media, image.get("id"))
        rows.append({**_parent(element, organization_urn), "image_id": to_text(image.get("id")),
                     "image_title": to_text(image.get("title") or image.get("altText")),
                     "image_download_url": _download_url(asset), "image_owner": to_text(asset.get("owner")),
                     "image_download_url_expires_at": ms_to_timestamp(asset.get("downloadUrlExpiresAt")),
                     "image_status": to_text(asset.get("status"))})
    return rows


def shape_child_rows(table: str, element: Mapping[str, Any], organization_urn: str,
                     media: TMedia) -> list[dict[str, Any]]:
    """Return one post's rows for the child table ``table`` (one of :data:`CHILD_TABLES`)."""
    if table == HASHTAGS_TABLE:
        return shape_hashtags(element, organization_urn)
    if table == MENTIONS_TABLE:
        return shape_mentions(element, organization_urn)
    if table == POLL_OPTIONS_TABLE:
        return shape_poll_options(element, organization_urn)
    if table == CAROUSEL_CARDS_TABLE:
        return shape_carousel_cards(element, organization_urn, media)
    if table == MULTI_IMAGE_TABLE:
        return shape_multi_images(element, organization_urn, media)
    raise KeyError(f"{table} is not a child table of organization_posts")
