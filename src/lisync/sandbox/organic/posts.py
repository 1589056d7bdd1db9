"""Posts and media of the organic world: post skeletons, Posts API JSON, post share counts, signed media URLs.

Each organization publishes ``posts_per_organization`` posts spread over the scale's history before the
world's ``epoch`` and keeps publishing at the same rate as the sandbox clock advances. A post's fixed facts
(its :class:`PostSkeleton`: URN, content kind, lifecycle state, edit and deletion days, media) are drawn
from ``(seed, organization, index)``; everything that depends on the sandbox's today (visibility, edits,
engagement growth, download URL expiry) is computed per call.

:class:`OrganicPosts` computes them; :class:`~lisync.sandbox.organic.world.OrganicWorld` holds one as
``content``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from lisync.sandbox import synth
from lisync.sandbox.organic.draws import between, media_token, pick, unit
from lisync.sandbox.organic.time import data_cutoff, date_to_ms, ms_to_datetime

if TYPE_CHECKING:
    from lisync.sandbox.clock import Clock
    from lisync.sandbox.organic.organizations import Organization
    from lisync.sandbox.scale import Scale

# Flat metric counters: daily statistics and a post's lifetime share counts.
TMetrics = Counter[str]

# A reserved host, so download URLs never reach a real server and do not depend on the sandbox port.
MEDIA_HOST = "https://media.sandbox-licdn.invalid"
# "celebration" is a documented organic content type that the connector's spec does not list ("unknown").
CONTENT_KINDS = ("text", "image", "video", "document", "poll", "multiImage", "article", "carousel", "job",
                 "liveVideo", "event", "celebration")

_PEOPLE = ("Ada Moreau", "Bruno Silva", "Chen Wei", "Dana Okafor", "Elif Kaya", "Farah Haddad")
_SENTENCES = (
    "We are thrilled to welcome twelve new colleagues to the team this month.",
    "Our annual data quality report is out now.",
    "Join us next Thursday for a live session on modern analytics.",
    "Q3 results are in \\(preliminary\\) and they look strong.",
    "Three lessons we learned migrating 40 pipelines to the cloud.",
    "Meet the people behind our platform \\- today: the support crew.",
    "Customer story: cutting weekly reporting time by 60%.",
    "We are hiring engineers \\& analysts \\<remote friendly\\>.",
    "Thank you to everyone who visited our booth \\*again\\* this year.",
    "New feature: scheduled exports \\[beta\\] for every plan.",
)
_HASHTAGS = ("analytics", "DataEngineering", "hiring", "AI", "B2B", "marketing", "cloud", "teamwork",
             "sustainability", "product")
_POLL_QUESTIONS = ("Which dashboard do you open first on Monday?", "How often do you refresh your data?",
                   "What slows your reporting down the most?")
_POLL_OPTIONS = ("Daily", "Weekly", "Monthly", "Real time", "Spreadsheets", "Access requests", "Slow queries",
                 "Revenue", "Pipeline", "Support")
_MEDIA_STATUSES = ("AVAILABLE",) * 16 + ("PROCESSING", "PROCESSING_FAILED", "WAITING_UPLOAD")


@dataclass(frozen=True)
class MediaAsset:
    """An image, video or document used by a post."""

    urn: str
    kind: Literal["image", "video", "document"]
    owner: str
    created_ms: int
    status: str


@dataclass
class PostSkeleton:
    """The fixed facts about one post; :meth:`OrganicPosts.post_json` computes its JSON per sandbox day."""

    urn: str
    org: Organization
    index: int
    kind: str
    created_ms: int
    state: str
    feed_distribution: str
    edit_days: tuple[int, ...]
    deleted_after_days: int | None
    media: list[MediaAsset] = field(default_factory=list)

    @property
    def created_date(self) -> dt.date:
        """UTC creation date."""
        return ms_to_datetime(self.created_ms).date()



class OrganicPosts:
    """Posts and media of an organic world.

    Args:
        seed: World seed.
        scale: Sizes (``posts_per_organization``, ``history_days``).
        clock: The sandbox clock; read on every call.
        epoch: The day the world was created; history ends there.
        organizations: Every organization of the world.

    """

    def __init__(self, seed: int, scale: Scale, clock: Clock, epoch: dt.date,
                 organizations: list[Organization]) -> None:
        self.seed = seed
        self.scale = scale
        self.clock = clock
        self.epoch = epoch
        self.organizations = organizations
        self._posts_cache: dict[tuple[int, dt.date], list[PostSkeleton]] = {}

    def data_cutoff(self) -> dt.date:
        """First date without statistics yet (a post's engagement grows until then)."""
        return data_cutoff(self.clock.today)

    # ----- posts --------------------------------------------------------------------------------------------

    def _post_rate(self, org: Organization) -> float:
        return org.post_count / max(1, self.scale.history_days)

    def _post_created_ms(self, org: Organization, index: int) -> int:
        first_day = self.epoch - dt.timedelta(days=self.scale.history_days)
        day = first_day + dt.timedelta(days=int(index / self._post_rate(org)))
        seconds = between(self.seed, 7 * 3600, 19 * 3600, "post-time", org.id, index)
        return date_to_ms(day) + seconds * 1000 + between(self.seed, 0, 999, "post-ms", org.id, index)

    def posts(self, org: Organization) -> list[PostSkeleton]:
        """Every post of ``org`` created before the sandbox's today (including drafts and deleted posts)."""
        today = self.clock.today
        key = (org.id, today)
        if key not in self._posts_cache:
            if org.post_count == 0:
                self._posts_cache[key] = []
            else:
                rate = self._post_rate(org)
                horizon = (today - (self.epoch - dt.timedelta(days=self.scale.history_days))).days
                count = max(0, math.ceil(horizon * rate) + 1)
                built = [self._build_post(org, i) for i in range(count)]
                self._posts_cache[key] = [p for p in built if p.created_date < today]
        return self._posts_cache[key]

    def _build_post(self, org: Organization, index: int) -> PostSkeleton:
        created_ms = self._post_created_ms(org, index)
        # The first len(CONTENT_KINDS) posts of every organization cover every content type.
        if index < len(CONTENT_KINDS):
            kind = CONTENT_KINDS[(index + org.slot) % len(CONTENT_KINDS)]
        else:
            kind = pick(self.seed, CONTENT_KINDS[:7] * 3 + CONTENT_KINDS[7:], "kind", org.id, index)
        roll = unit(self.seed, "state", org.id, index)
        state = "PUBLISHED"
        if index >= len(CONTENT_KINDS):
            state = "DRAFT" if roll < 0.04 else "PUBLISH_REQUESTED" if roll < 0.05 else (
                "PUBLISH_FAILED" if roll < 0.06 else "PUBLISHED")
        edit_count = (0, 0, 0, 1, 1, 2)[between(self.seed, 0, 5, "edits", org.id, index)]
        edit_days, offset = [], 0
        for n in range(edit_count):
            offset += between(self.seed, 1, 60, "edit", org.id, index, n)
            edit_days.append(offset)
        deleted = None
        if index >= len(CONTENT_KINDS) and unit(self.seed, "deleted", org.id, index) < 0.04:
            deleted = between(self.seed, 1, 90, "deleted-after", org.id, index)
        post_id = (created_ms << 22) + (org.slot % 1024 << 12) + index % 4096
        namespace = "share" if kind in ("text", "article", "poll") else "ugcPost"
        dark = kind == "carousel" or (kind == "image" and unit(self.seed, "dark", org.id, index) < 0.15)
        post = PostSkeleton(f"urn:li:{namespace}:{post_id}", org, index, kind, created_ms, state,
                            "NONE" if dark else "MAIN_FEED", tuple(edit_days), deleted)
        post.media = self._post_media(post)
        return post

    def _asset(self, post: PostSkeleton, kind: Literal["image", "video", "document"], n: int) -> MediaAsset:
        status = pick(self.seed, _MEDIA_STATUSES, "media-status", post.urn, n)
        urn = f"urn:li:{kind}:{media_token(self.seed, kind, post.urn, n)}"
        return MediaAsset(urn, kind, post.org.urn, post.created_ms - 60_000, status)

    def _post_media(self, post: PostSkeleton) -> list[MediaAsset]:
        count = between(self.seed, 2, 4, "media-count", post.urn)
        if post.kind in ("image", "article"):
            return [self._asset(post, "image", 0)]
        if post.kind == "video":
            return [self._asset(post, "video", 0)]
        if post.kind == "document":
            return [self._asset(post, "document", 0)]
        if post.kind in ("multiImage", "carousel"):
            return [self._asset(post, "image", n) for n in range(count)]
        return []

    def is_visible(self, post: PostSkeleton) -> bool:
        """Whether ``post`` exists today (created before today and not yet deleted)."""
        if post.deleted_after_days is None:
            return True
        return self.clock.today < post.created_date + dt.timedelta(days=post.deleted_after_days)

    def visible_posts(self, org: Organization) -> list[PostSkeleton]:
        """Return posts of ``org`` that exist today, in creation order."""
        return [p for p in self.posts(org) if self.is_visible(p)]

    def find_post(self, urn: str) -> PostSkeleton | None:
        """Return the visible post with ``urn``, searching every organization, or ``None``."""
        for org in self.organizations:
            for post in self.visible_posts(org):
                if post.urn == urn:
                    return post
        return None

    def find_media(self, urn: str) -> MediaAsset | None:
        """Return the media asset with ``urn`` used by any post created before today, or ``None``."""
        for org in self.organizations:
            for post in self.posts(org):
                for asset in post.media:
                    if asset.urn == urn:
                        return asset
        return None

    def last_modified_ms(self, post: PostSkeleton) -> tuple[int, bool]:
        """``(lastModifiedAt, isEditedByAuthor)`` as of the sandbox's today: edits land as the clock moves."""
        last, edited = post.created_ms + 1_000 * between(self.seed, 0, 120, "save", post.urn), False
        for n, offset in enumerate(post.edit_days):
            day = post.created_date + dt.timedelta(days=offset)
            if day < self.clock.today:
                last = synth.instant_ms(day, self.seed, "edit-at", post.urn, n)
                edited = True
        return last, edited

    def post_json(self, post: PostSkeleton) -> dict[str, Any]:
        """Return the post as the Posts API returns it (``GET /rest/posts/{urn}``)."""
        last_modified, edited = self.last_modified_ms(post)
        out: dict[str, Any] = {
            "id": post.urn,
            "author": post.org.urn,
            "commentary": self.commentary(post),
            "visibility": "PUBLIC" if unit(self.seed, "vis", post.urn) < 0.93 else "LOGGED_IN",
            "distribution": {"feedDistribution": post.feed_distribution, "targetEntities": [],
                             "thirdPartyDistributionChannels": []},
            "lifecycleState": post.state,
            "lifecycleStateInfo": {"isEditedByAuthor": edited},
            "isReshareDisabledByAuthor": False,
            "createdAt": post.created_ms,
            "lastModifiedAt": last_modified,
        }
        if post.state == "PUBLISHED":
            out["publishedAt"] = post.created_ms + 1_000 * between(self.seed, 0, 30, "publish", post.urn)
        content = self._content(post)
        if content is not None:
            out["content"] = content
        if post.feed_distribution == "NONE":
            account = 500000000 + post.org.slot
            out["adContext"] = {"dscAdAccount": f"urn:li:sponsoredAccount:{account}",
                                "dscAdType": "CAROUSEL" if post.kind == "carousel" else "STANDARD_UPDATE",
                                "dscName": f"{post.org.name} sponsored update {post.index}",
                                "dscStatus": "ACTIVE", "isDsc": True}
        return out

    def commentary(self, post: PostSkeleton) -> str:
        """Little-text commentary with escaped reserved characters, mentions and hashtag templates."""
        parts = [pick(self.seed, _SENTENCES, "sentence", post.urn)]
        if unit(self.seed, "mention-org", post.urn) < 0.3:
            other = pick(self.seed, tuple(self.organizations), "mentioned-org", post.urn)
            parts.append(f"Proud to partner with @[{other.name}]({other.urn}).")
        if unit(self.seed, "mention-person", post.urn) < 0.25:
            person = pick(self.seed, _PEOPLE, "person", post.urn)
            person_id = media_token(self.seed, "person", person)[7:17]
            parts.append(f"Kudos to @[{person}](urn:li:person:{person_id})!")
        tag_count = between(self.seed, 0, 3, "tags", post.urn)
        tags = {pick(self.seed, _HASHTAGS, "tag", post.urn, n) for n in range(tag_count)}
        # Real responses carry "{hashtag|\#|tag}"; the docs' example omits the backslash, so both appear.
        sign = "#" if unit(self.seed, "tag-form", post.urn) < 0.1 else "\\#"
        hashtags = " ".join("{hashtag|" + sign + "|" + tag + "}" for tag in sorted(tags))
        return " ".join(parts) + ("\n\n" + hashtags if hashtags else "")

    def _content(self, post: PostSkeleton) -> dict[str, Any] | None:
        kind, media, urn = post.kind, post.media, post.urn
        title = f"{post.org.name} update {post.index}"
        if kind == "text":
            return None
        if kind == "image":
            return {"media": {"id": media[0].urn, "altText": f"Photo for {title}"}}
        if kind == "video":
            return {"media": {"id": media[0].urn, "title": title}}
        if kind == "document":
            return {"media": {"id": media[0].urn, "title": f"{title} (PDF)"}}
        if kind == "multiImage":
            return {"multiImage": {"images": [{"id": a.urn, "altText": f"Image {n + 1}"}
                                              for n, a in enumerate(media)]}}
        if kind == "carousel":
            return {"carousel": {"cards": [{"media": {"id": a.urn, "title": f"Card {n + 1}"},
                                            "landingPage": f"https://www.{post.org.vanity_name}.example/c/{n}"}
                                           for n, a in enumerate(media)]}}
        if kind == "article":
            return {"article": {"source": f"https://blog.{post.org.vanity_name}.example/p/{post.index}",
                                "title": f"Read: {title}", "description": "A short summary of the article.",
                                "thumbnail": media[0].urn, "thumbnailAltText": "Article cover"}}
        if kind == "poll":
            return {"poll": self._poll(post)}
        if kind == "celebration":
            # UNCONFIRMED shape; the connector treats it as an unknown content type either way.
            return {"celebration": {"type": "WELCOME"}}
        reference = {"job": "job", "liveVideo": "liveVideo", "event": "event"}[kind]
        reference_id = between(self.seed, 10**9, 9 * 10**9, "ref", urn)
        return {"reference": {"id": f"urn:li:{reference}:{reference_id}"}}

    def _poll(self, post: PostSkeleton) -> dict[str, Any]:
        count = between(self.seed, 2, 4, "poll-options", post.urn)
        start = between(self.seed, 0, len(_POLL_OPTIONS) - count, "poll-start", post.urn)
        growth = self._growth(post)
        votes = [int(between(self.seed, 5, 400, "votes", post.urn, n) * growth) for n in range(count)]
        # Vote counts are hidden from a viewer who may not see them; keep one poll in four like that.
        hide_votes = unit(self.seed, "hide-votes", post.urn) < 0.25
        voted = between(self.seed, -1, count - 1, "voted", post.urn)
        options = []
        for n in range(count):
            option: dict[str, Any] = {"text": _POLL_OPTIONS[start + n], "isVotedByViewer": n == voted}
            if not hide_votes:
                option["voteCount"] = votes[n]
            options.append(option)
        return {"question": pick(self.seed, _POLL_QUESTIONS, "poll-q", post.urn), "options": options,
                "settings": {"duration": pick(self.seed, ("ONE_DAY", "THREE_DAYS", "SEVEN_DAYS",
                                                           "FOURTEEN_DAYS"), "dur", post.urn),
                             "voteSelectionType": "SINGLE_VOTE", "isVoterVisibleToAuthor": True},
                "uniqueVotersCount": sum(votes)}

    def _growth(self, post: PostSkeleton, as_of: dt.date | None = None) -> float:
        """Share of a post's final lifetime engagement reached by ``as_of`` (default: the data cutoff)."""
        if post.state != "PUBLISHED":
            return 0.0
        age = ((as_of or self.data_cutoff()) - post.created_date).days
        if age <= 0:
            return 0.0
        return 1 - 0.8 * math.exp(-age / 3) - 0.2 * math.exp(-age / 40)

    def post_share_metrics(self, post: PostSkeleton, as_of: dt.date | None = None) -> TMetrics:
        """Lifetime share counts of one post as of ``as_of`` (default: the data cutoff); grows with age."""
        growth = self._growth(post, as_of)
        final = between(self.seed, 300, 25000, "post-impressions", post.urn)
        impressions = int(final * growth)
        likes = int(impressions * 0.03 * unit(self.seed, "post-likes", post.urn))
        if post.feed_distribution == "NONE":
            # Sponsored likes are not organic but their unlikes are, so dark posts can go negative.
            likes = -int(between(self.seed, 0, 4, "post-unlikes", post.urn) * growth)
        return Counter({
            "impressionCount": impressions,
            "uniqueImpressionsCount": int(impressions * (0.6 + 0.25 * unit(self.seed, "pu", post.urn))),
            "clickCount": int(impressions * 0.02 * unit(self.seed, "post-clicks", post.urn)),
            "likeCount": likes,
            "commentCount": int(impressions * 0.004 * unit(self.seed, "post-comments", post.urn)),
            "shareCount": int(impressions * 0.002 * unit(self.seed, "post-shares", post.urn)),
        })

    # ----- media --------------------------------------------------------------------------------------------

    def download_url_expires_ms(self) -> int:
        """When today's signed download URLs expire: midnight UTC two days ahead (stable within a day)."""
        return date_to_ms(self.clock.today + dt.timedelta(days=2))

    def _signed_url(self, asset: MediaAsset, path: str) -> str:
        expires = self.download_url_expires_ms()
        signature = media_token(self.seed, "sig", asset.urn, expires)[7:]
        token = asset.urn.rsplit(":", 1)[1]
        return f"{MEDIA_HOST}/dms/{asset.kind}/{token}/{path}?e={expires // 1000}&v=beta&t={signature}"

    def media_json(self, asset: MediaAsset) -> dict[str, Any]:
        """Return the image/video/document as the Images/Videos/Documents APIs return it."""
        out: dict[str, Any] = {"id": asset.urn, "owner": asset.owner, "status": asset.status}
        if asset.status != "AVAILABLE":
            return out
        out["downloadUrl"] = self._signed_url(asset, "feedshare-shrink_2048_1536/0")
        out["downloadUrlExpiresAt"] = self.download_url_expires_ms()
        if asset.kind == "video":
            portrait = unit(self.seed, "portrait", asset.urn) < 0.2
            out.update({"duration": between(self.seed, 5_000, 600_000, "duration", asset.urn),
                        "aspectRatioWidth": 9.0 if portrait else 16.0,
                        "aspectRatioHeight": 16.0 if portrait else 9.0,
                        "thumbnail": self._signed_url(asset, "videocover-high/0")})
        elif asset.kind == "image":
            out["mediaLibraryStatus"] = "NOT_IN_LIBRARY"
        return out
