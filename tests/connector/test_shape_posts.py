"""organization_posts and its child tables: content types, media, statistics, child rows, stale rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import dlt
import duckdb
import pytest

from lisync.linkedin.pages.media import FORBIDDEN, MediaResolver, batch_results, media_kind
from lisync.linkedin.pages.shape_posts import (
    CHILD_TABLES,
    HASHTAGS_TABLE,
    classify_content,
    media_urns,
    shape_child_rows,
    shape_post,
)
from lisync.run.summary import RunSummary
from lisync.sources.pages import DELETED_FLAG, _child_table_hints
from lisync.spec.loader import table_spec

ORG = "urn:li:organization:2414183"
IMAGE = "urn:li:image:C4E10AQFoyyAjHPMQuQ"
IMAGE_2 = "urn:li:image:C4E10AQFoyyAjHPMQu2"
VIDEO = "urn:li:video:C5F10AQGKQg_6y2a4sQ"


def post(content: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """A post shaped like the Posts API docs' examples."""
    element: dict[str, Any] = {
        "id": "urn:li:share:6844785523593134080",
        "author": ORG,
        "commentary": "Launch day {hashtag|\\#|product} with @[Devtestco](urn:li:organization:2414183)",
        "visibility": "PUBLIC",
        "distribution": {"feedDistribution": "MAIN_FEED", "targetEntities": [],
                         "thirdPartyDistributionChannels": []},
        "lifecycleState": "PUBLISHED",
        "lifecycleStateInfo": {"isEditedByAuthor": True},
        "isReshareDisabledByAuthor": False,
        "createdAt": 1631632463000,
        "lastModifiedAt": 1631632465000,
        "publishedAt": 1631632464000,
    }
    if content is not None:
        element["content"] = content
    element.update(extra)
    return element


POLL = {"poll": {"question": "Which dashboard first?", "uniqueVotersCount": 12,
                 "settings": {"duration": "THREE_DAYS", "voteSelectionType": "SINGLE_VOTE",
                              "isVoterVisibleToAuthor": True},
                 "options": [{"text": "Sales", "isVotedByViewer": True, "voteCount": 7},
                             {"text": "Ops", "isVotedByViewer": False}]}}
ARTICLE = {"article": {"source": "https://example.com/a", "title": "Read", "description": "Summary",
                       "thumbnail": IMAGE, "thumbnailAltText": "cover"}}
CAROUSEL = {"carousel": {"cards": [
    {"media": {"id": IMAGE, "title": "Card 1"}, "landingPage": "https://e.com/1"},
    {"media": {"id": IMAGE_2, "title": "Card 2"}, "landingPage": "https://e.com/2"}]}}
MULTI = {"multiImage": {"images": [{"id": IMAGE, "altText": "one"}, {"id": IMAGE_2, "altText": "two"}]}}
MEDIA: dict[str, dict[str, Any]] = {
    IMAGE: {"id": IMAGE, "owner": ORG, "status": "AVAILABLE", "downloadUrl": "https://media.example/i1",
            "downloadUrlExpiresAt": 1700000000000},
    IMAGE_2: {"id": IMAGE_2, "status": FORBIDDEN},
    VIDEO: {"id": VIDEO, "owner": ORG, "status": "AVAILABLE", "downloadUrl": "https://media.example/v",
            "downloadUrlExpiresAt": 1700000000000, "duration": 30500, "aspectRatioWidth": 16.0,
            "aspectRatioHeight": 9.0, "thumbnail": "https://media.example/thumb"},
}
STATS = {"uniqueImpressionsCount": 10, "shareCount": 1, "engagement": 0.5, "clickCount": 2, "likeCount": -1,
         "impressionCount": 12, "commentCount": 3}


@pytest.mark.parametrize(("content", "expected"), [
    (None, "text"),
    ({"media": {"id": IMAGE, "altText": "x"}}, "media_image"),
    ({"media": {"id": VIDEO, "title": "t"}}, "media_video"),
    ({"media": {"id": "urn:li:document:D4D10AQH", "title": "deck"}}, "media_other"),
    (POLL, "poll"),
    (MULTI, "multi_image"),
    (ARTICLE, "article"),
    (CAROUSEL, "carousel"),
    ({"reference": {"id": "urn:li:job:3528475"}}, "job"),
    ({"reference": {"id": "urn:li:liveVideo:123"}}, "liveVideo"),
    ({"reference": {"id": "urn:li:event:6990000000000000000"}}, "event"),
    ({"reference": {"id": "urn:li:somethingNew:1"}}, "unknown"),
    ({"celebration": {"type": "WELCOME"}}, "unknown"),
])
def test_content_type_classification(content: dict[str, Any] | None, expected: str) -> None:
    assert classify_content(post(content)) == expected


def test_post_row_has_exactly_the_spec_columns() -> None:
    row = shape_post(post(), ORG, {}, None, None)
    assert list(row) == table_spec("organization_posts").column_names


def test_text_post_fields_and_lifetime_statistics() -> None:
    row = shape_post(post(), ORG, {}, STATS, dt.date(2026, 3, 1))
    assert row["post_id"] == "urn:li:share:6844785523593134080"
    assert row["organization_urn"] == ORG and row["metric_date"] == dt.date(2026, 3, 1)
    assert row["published_at"] == dt.datetime(2021, 9, 14, 15, 14, 24, tzinfo=dt.UTC)
    assert row["feed_distribution"] == "MAIN_FEED" and row["is_edited_by_author"] is True
    assert row["commentary"].startswith("Launch day {hashtag|")  # little text kept verbatim
    assert row["lifetime_likecount"] == -1.0 and row["lifetime_engagement"] == 0.5
    assert row["content_media_id"] is None and row["content_media_image_status"] is None


def test_image_video_and_forbidden_media() -> None:
    image = shape_post(post({"media": {"id": IMAGE}}), ORG, MEDIA, None, None)
    assert image["content_media_image_download_url"] == "https://media.example/i1"
    assert image["content_media_image_status"] == "AVAILABLE" and image["content_media_image_owner"] == ORG
    assert image["content_media_image_download_url_expires_at"] == dt.datetime(2023, 11, 14, 22, 13, 20,
                                                                               tzinfo=dt.UTC)
    assert image["lifetime_impressioncount"] is None
    video = shape_post(post({"media": {"id": VIDEO, "title": "Demo"}}), ORG, MEDIA, None, None)
    assert (video["content_media_video_duration"], video["content_media_video_aspect_ratio_width"],
            video["content_media_video_aspect_ratio_height"]) == (30500.0, 16.0, 9.0)
    assert video["content_media_title"] == "Demo" and video["content_media_video_thumbnail"]
    assert video["content_media_image_status"] is None
    forbidden = shape_post(post({"media": {"id": IMAGE_2}}), ORG, MEDIA, None, None)
    assert forbidden["content_media_image_status"] == FORBIDDEN
    assert forbidden["content_media_image_download_url"] is None


def test_poll_and_article_columns() -> None:
    poll = shape_post(post(POLL), ORG, {}, None, None)
    assert poll["content_poll_question"] == "Which dashboard first?"
    assert poll["content_poll_settings_duration"] == "THREE_DAYS"
    assert poll["content_poll_settings_vote_selection_type"] == "SINGLE_VOTE"
    assert poll["content_poll_settings_is_vote_visible_to_author"] is True
    assert poll["content_poll_unique_voters_count"] == 12.0
    article = shape_post(post(ARTICLE), ORG, MEDIA, None, None)
    assert article["content_article_thumbnail"] == IMAGE
    assert article["content_article_thumbnail_download_url"] == "https://media.example/i1"
    assert article["content_article_thumbnail_alt_text"] == "cover" and article["content_article_source"]


def test_child_rows_have_exactly_their_spec_columns() -> None:
    samples = {HASHTAGS_TABLE: post(), "organization_posts__commentary_mentions": post(),
               "organization_posts__poll_options": post(POLL),
               "organization_posts__carousel_cards": post(CAROUSEL),
               "organization_posts__content_multi_image": post(MULTI)}
    for table in CHILD_TABLES:
        rows = shape_child_rows(table, samples[table], ORG, MEDIA)
        assert rows, table
        assert all(list(r) == table_spec(table).column_names for r in rows), table
    with pytest.raises(KeyError):
        shape_child_rows("organization_posts__nope", post(), ORG, MEDIA)


def test_child_row_values() -> None:
    assert [r["hashtag"] for r in shape_child_rows(HASHTAGS_TABLE, post(), ORG, {})] == ["product"]
    mentions = shape_child_rows("organization_posts__commentary_mentions", post(), ORG, {})
    assert [(m["fallback_text"], m["target_urn"]) for m in mentions] == [("Devtestco", ORG)]
    options = shape_child_rows("organization_posts__poll_options", post(POLL), ORG, {})
    assert [(o["option_text"], o["is_option_voted_by_viewer"], o["option_vote_count"]) for o in options] == [
        ("Sales", True, 7.0), ("Ops", False, None)]
    cards = shape_child_rows("organization_posts__carousel_cards", post(CAROUSEL), ORG, MEDIA)
    assert [(c["media_title"], c["media_download_url"]) for c in cards] == [
        ("Card 1", "https://media.example/i1"), ("Card 2", None)]
    images = shape_child_rows("organization_posts__content_multi_image", post(MULTI), ORG, MEDIA)
    assert [(i["image_title"], i["image_status"]) for i in images] == [("one", "AVAILABLE"),
                                                                       ("two", FORBIDDEN)]
    assert all(r["post_id"] == "urn:li:share:6844785523593134080" for r in images)
    assert shape_child_rows("organization_posts__poll_options", post(), ORG, {}) == []


def test_media_urns_cover_every_content_shape() -> None:
    assert media_urns(post({"media": {"id": VIDEO}})) == [VIDEO]
    assert media_urns(post(ARTICLE)) == [IMAGE]
    assert media_urns(post(MULTI)) == [IMAGE, IMAGE_2]
    assert media_urns(post(CAROUSEL)) == [IMAGE, IMAGE_2]
    assert media_urns(post({"media": {"id": "urn:li:document:D1"}})) == []
    assert media_kind("urn:li:image:X") == "image" and media_kind("nope") is None


def test_batch_results_reads_results_and_per_key_refusals() -> None:
    body = {"results": {IMAGE: MEDIA[IMAGE]}, "statuses": {IMAGE: 200, IMAGE_2: 403, VIDEO: 404},
            "errors": {IMAGE_2: {"status": 403}, VIDEO: {"status": 404}}}
    assert batch_results(body, [IMAGE, IMAGE_2, VIDEO]) == {IMAGE: MEDIA[IMAGE],
                                                            IMAGE_2: {"id": IMAGE_2, "status": FORBIDDEN}}


class _ForbiddenClient:
    """Answers every media lookup with LinkedIn's 403, counting calls."""

    def __init__(self) -> None:
        self.calls = 0

    def get(self, path: str, params: Any = None) -> Any:
        from lisync.linkedin.http.errors import AccessDeniedError

        self.calls += 1
        raise AccessDeniedError(403, path, {"status": 403, "code": "ACCESS_DENIED"})


def test_forbidden_media_is_noted_once_and_not_asked_again() -> None:
    client, summary = _ForbiddenClient(), RunSummary(pipelines=["organization_posts"])
    resolver = MediaResolver(client, summary.add_note)  # type: ignore[arg-type]
    first = resolver.resolve([IMAGE, IMAGE_2])
    second = resolver.resolve([IMAGE])
    assert first[IMAGE]["status"] == FORBIDDEN and second[IMAGE]["status"] == FORBIDDEN
    assert client.calls == 1
    assert len([n for n in summary.notes if "FORBIDDEN" in n]) == 1


def test_reread_post_leaves_no_stale_child_rows(tmp_path: Path) -> None:
    """A post re-read with fewer (or no) hashtags loses its old rows; other posts keep theirs."""
    table = HASHTAGS_TABLE

    def load(rows: list[dict[str, Any]]) -> None:
        resource = dlt.resource(rows, name=table)
        _child_table_hints(resource, table, full=False)
        pipeline = dlt.pipeline("stale", destination=dlt.destinations.duckdb(str(tmp_path / "t.duckdb")),
                                dataset_name="d", pipelines_dir=str(tmp_path / "dlt"))
        pipeline.run(resource)

    def marker(post_id: str) -> dict[str, Any]:
        return {"post_id": post_id, "organization_urn": ORG, DELETED_FLAG: True}

    load([marker("a"), {"post_id": "a", "organization_urn": ORG, "hashtag": "x"},
          {"post_id": "a", "organization_urn": ORG, "hashtag": "y"}, marker("b"),
          {"post_id": "b", "organization_urn": ORG, "hashtag": "z"}])
    load([marker("a"), marker("c"), {"post_id": "c", "organization_urn": ORG, "hashtag": "w"}])
    with duckdb.connect(str(tmp_path / "t.duckdb"), read_only=True) as conn:
        rows = conn.execute(f"select post_id, hashtag from d.{table} order by 1, 2").fetchall()
    assert rows == [("b", "z"), ("c", "w")]
