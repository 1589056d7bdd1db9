"""The sandbox's Lead Gen world: forms and form responses (leads) tied to the ads world's campaigns.

Built lazily from a :class:`~lisync.sandbox.world.World` (``world.leads``); every value is a pure function
of the world seed and entity ids, so the same seed and clock give byte-identical leads.

* **Forms** (``leadForms`` elements, shaped as LinkedIn's Lead Sync schema): one per ``LEAD_GENERATION``
  campaign of every account (its id is the ``urn:li:adForm:N`` id the campaign's creatives point to in
  ``leadgenCallToAction.destination``), one campaign-less form per account (a draft or an archived one),
  one form per organization (organic ``COMPANY`` leads), an ``EVENT`` form on the first company page and on
  the page where the member is only a Lead Gen Forms manager
  (:data:`~lisync.sandbox.organic.organizations.LEAD_GEN_MANAGER_ORG_ID`), and an ``ORGANIZATION_PRODUCT``
  form (a product page's form) on that page too. Some forms were edited once: their
  ``versionId`` is 2 and responses submitted before the edit carry version 1 in
  ``versionedLeadGenFormUrn``.
* **Responses** (``leadFormResponses`` elements): a few per day while the form's campaign ran, on days
  strictly before the sandbox's today (so a day's leads appear when the clock moves past it), plus one
  test lead per form. Sponsored responses name their campaign (``leadMetadata``) and, where the campaign
  has creatives, one of them (``associatedEntity.associatedCreative``); event leads name their LinkedIn
  Event (``associatedEntity.event``, ``urn:li:event:N``, as Lead Sync's lead notifications show it); product
  leads name nothing more (no product member of ``associatedEntity`` is in the stored docs). Test leads name
  no campaign, creative or event. Answers hold synthetic personal data: every email
  ends in :data:`LEAD_EMAIL_DOMAIN` so tests can grep a destination for it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from lisync.sandbox import synth
from lisync.sandbox.ads.settings import DAY_MS
from lisync.sandbox.organic.organizations import LEAD_GEN_MANAGER_ORG_ID

TEntity = dict[str, Any]

LEAD_EMAIL_DOMAIN = "leads.lisync-sandbox.example"
RETENTION_DAYS = 365  # LinkedIn keeps form responses for up to 365 days (Lead Sync Postman collection)
_FIRST_NAMES = ("Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Radia", "Niklaus",
                "Margaret", "Dennis", "Shafi", "Tim", "Sophie", "Linus")
_LAST_NAMES = ("Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Perlman",
               "Wirth", "Hamilton", "Ritchie", "Goldwasser", "Berners", "Wilson", "Torvalds")
_TITLES = ("Head of Marketing", "CTO", "Data Engineer", "VP Sales", "Operations Manager", "Analyst")
_COUNTRIES = ("US", "GB", "DE", "FR", "IN", "BR", "CA", "AU")
_COMPANY_SIZES = ("1-10", "11-50", "51-200", "201-1000", "1000+")
_INTERESTS = ("Pricing", "Product demo", "Partnership", "Careers")
_REVIEW = ("APPROVED", "APPROVED", "APPROVED", "PENDING", "REJECTED")
# Organic form ids above the sponsored ones' range (campaign forms draw from [10**6, 10**7)).
EVENT_FORM_ID_BASE = 11_000_000
PRODUCT_FORM_ID_BASE = 12_000_000
EVENT_FORM_START_DAYS = 30  # event and product forms were created this many days into the world's history


@dataclass(frozen=True)
class QuestionPlan:
    """One question of the synthetic forms: id offset, name, predefined field and kind."""

    offset: int
    name: str
    label: str
    predefined: str | None
    options: tuple[str, ...] = ()
    required: bool = True


QUESTIONS = (
    QuestionPlan(1, "firstName", "First name", "FIRST_NAME"),
    QuestionPlan(2, "lastName", "Last name", "LAST_NAME"),
    QuestionPlan(3, "email", "Email address", "EMAIL"),
    QuestionPlan(4, "phoneNumber", "Phone number", "PHONE_NUMBER", required=False),
    QuestionPlan(5, "companyName", "Company name", "COMPANY_NAME"),
    QuestionPlan(6, "jobTitle", "Job title", "JOB_TITLE"),
    QuestionPlan(7, "country", "Country/Region", "COUNTRY"),
    QuestionPlan(8, "companySize", "How many people work at your company?", None, _COMPANY_SIZES),
    QuestionPlan(9, "interests", "What are you interested in?", None, _INTERESTS, required=False),
)


@dataclass(frozen=True)
class FormPlan:
    """Where one form came from: owner, lead type, campaign (if any) and its version history."""

    form_id: int
    owner: TEntity
    lead_type: str
    campaign: TEntity | None
    created_ms: int
    edited_ms: int | None
    state: str
    event: str | None = None  # EVENT forms: the LinkedIn Event (``urn:li:event:N``) the form registers for


def question_id(form_id: int, offset: int) -> int:
    """Return the numeric id of a form's question (unique across forms)."""
    return form_id * 100 + offset


def response_uuid(seed: int, *parts: object) -> str:
    """Return a deterministic UUID-shaped response id."""
    return str(uuid.UUID(int=synth.stable_hash(seed, "lead", *parts) << 64 | synth.stable_hash(seed, *parts)))


def versioned_form_urn(form_id: int, version: int) -> str:
    """Return ``urn:li:versionedLeadGenForm:(urn:li:leadGenForm:N,V)``."""
    return f"urn:li:versionedLeadGenForm:(urn:li:leadGenForm:{form_id},{version})"


def event_id(seed: int, form_id: int) -> int:
    """Return the id of the LinkedIn Event an EVENT form registers for (19 digits, as LinkedIn's are)."""
    return synth.between(7 * 10**18, 7 * 10**18 + 10**17, seed, "event", form_id)


def form_id_for_campaign(seed: int, campaign_id: int) -> int:
    """Return the id of a lead-gen campaign's form (the id its creatives' ``leadgenCallToAction`` names)."""
    return synth.between(10**6, 10**7 - 1, seed, "fm", campaign_id)


class LeadsWorld:
    """Lead forms and responses of one sandbox world; see the module docstring.

    Args:
        world: The ads world (``lisync.sandbox.world.World``).
    """

    def __init__(self, world: Any) -> None:
        self.world = world
        self.seed: int = world.seed
        self._responses_cache: dict[tuple[int, dt.date], list[TEntity]] = {}

    # ------------------------------------------------------------------------------------------- plans

    @cached_property
    def _plans(self) -> list[FormPlan]:
        plans: list[FormPlan] = []
        seen: set[int] = set()
        for campaign in self.world.all_campaigns:
            if campaign.get("objectiveType") != "LEAD_GENERATION":
                continue
            form_id = form_id_for_campaign(self.seed, campaign["id"])
            if form_id in seen:
                continue
            seen.add(form_id)
            account = {"sponsoredAccount": campaign["account"]}
            created = int(campaign["changeAuditStamps"]["created"]["time"]) - DAY_MS
            plans.append(FormPlan(form_id, account, "SPONSORED", campaign, created,
                                  self._edit_time(form_id, created), "PUBLISHED"))
        for account in self.world.all_accounts:
            form_id = 9_000_000 + account["id"] % 1_000_000
            created = int(account["changeAuditStamps"]["created"]["time"]) + DAY_MS
            state = synth.pick(("DRAFT", "ARCHIVED"), self.seed, "form-state", form_id)
            plans.append(FormPlan(form_id, {"sponsoredAccount": f"urn:li:sponsoredAccount:{account['id']}"},
                                  "SPONSORED", None, created, None, state))
        start_ms = synth.day_start_ms(self.world.anchor_day) - self.world.scale.history_days * DAY_MS
        for org_id in self.world.organization_ids_for_ads:
            form_id = 8_000_000 + org_id % 1_000_000
            plans.append(FormPlan(form_id, {"organization": f"urn:li:organization:{org_id}"}, "COMPANY", None,
                                  start_ms, self._edit_time(form_id, start_ms), "PUBLISHED"))
        organic_start = start_ms + EVENT_FORM_START_DAYS * DAY_MS
        for org_id in [*self.world.organization_ids_for_ads[:1], LEAD_GEN_MANAGER_ORG_ID]:
            owner = {"organization": f"urn:li:organization:{org_id}"}
            form_id = EVENT_FORM_ID_BASE + org_id % 1_000_000
            event = f"urn:li:event:{event_id(self.seed, form_id)}"
            plans.append(FormPlan(form_id, owner, "EVENT", None, organic_start, None, "PUBLISHED", event))
        form_id = PRODUCT_FORM_ID_BASE + LEAD_GEN_MANAGER_ORG_ID % 1_000_000
        plans.append(FormPlan(form_id, {"organization": f"urn:li:organization:{LEAD_GEN_MANAGER_ORG_ID}"},
                              "ORGANIZATION_PRODUCT", None, organic_start, None, "PUBLISHED"))
        return sorted(plans, key=lambda p: p.form_id)

    def _edit_time(self, form_id: int, created_ms: int) -> int | None:
        if not synth.chance(0.4, self.seed, "form-edit", form_id):
            return None
        return created_ms + synth.between(5, 40, self.seed, "form-edit-day", form_id) * DAY_MS

    # ------------------------------------------------------------------------------------------- forms

    def forms_of(self, owner_urn: str) -> list[TEntity]:
        """Return the forms (latest versions, created by today) an owner URN holds, by id."""
        cutoff = self.world.end_of_today_ms()
        return [self._form_json(p, cutoff) for p in self._plans
                if _owner_urn(p.owner) == owner_urn and p.created_ms < cutoff]

    def form(self, form_id: int) -> TEntity | None:
        """Return one form (latest version by today), or ``None`` when unknown or not created yet."""
        cutoff = self.world.end_of_today_ms()
        for plan in self._plans:
            if plan.form_id == form_id and plan.created_ms < cutoff:
                return self._form_json(plan, cutoff)
        return None

    def form_owner(self, form_id: int) -> str | None:
        """Return the owner URN of a form id, or ``None``."""
        for plan in self._plans:
            if plan.form_id == form_id:
                return _owner_urn(plan.owner)
        return None

    def _version_at(self, plan: FormPlan, at_ms: int) -> int:
        return 2 if plan.edited_ms is not None and plan.edited_ms <= at_ms else 1

    def _form_json(self, plan: FormPlan, cutoff_ms: int) -> TEntity:
        version = self._version_at(plan, cutoff_ms - 1)
        fid = plan.form_id
        theme = synth.campaign_theme(self.seed, "form", fid)
        questions = []
        for q in QUESTIONS:
            if q.offset == 4 and not synth.chance(0.5, self.seed, "phone", fid):
                continue
            if q.offset == 9 and version < 2:
                continue  # the edit added the interests question
            question: TEntity = {
                "questionId": question_id(fid, q.offset),
                "name": q.name,
                "question": {"localized": {"en_US": q.label}},
                "responseEditable": True,
                "responseRequired": q.required,
            }
            if q.predefined:
                question["predefinedField"] = q.predefined
            if q.options:
                question["questionDetails"] = {"multipleChoiceQuestionDetails": {"options": [
                    {"id": i + 1, "text": {"localized": {"en_US": text}}} for i, text in enumerate(q.options)]}}
            else:
                question["questionDetails"] = {"textQuestionDetails": {"maxResponseLength": 300}}
            questions.append(question)
        form: TEntity = {
            "id": fid,
            "name": f"{theme} form #{fid % 10000}",
            "owner": plan.owner,
            "creationLocale": {"country": "US", "language": "en"},
            "state": plan.state,
            "created": plan.created_ms,
            "lastModified": plan.edited_ms if version == 2 and plan.edited_ms else plan.created_ms,
            "versionId": version,
            "versionTag": str(version),
            "hiddenFields": [{"name": "utm_campaign", "value": f"lisync-{fid}"}],
            "content": {
                "headline": {"localized": {"en_US": f"{theme}: get the guide"}},
                "description": {"localized": {"en_US": "Tell us a little about you and we will be in touch."}},
                "questions": questions,
                "legalInfo": {
                    "legalInfoId": fid + 17,
                    "privacyPolicyUrl": f"https://www.example.com/privacy?form={fid}",
                    "legalDisclaimer": {"localized": {"en_US": "By submitting you agree to be contacted."}},
                    # Shaped as the Lead Sync collection's forms: ``id`` (responses answer it as
                    # ``consentId``), ``checkRequired`` and the localized text.
                    "consents": [{"id": fid + 1, "checkRequired": False,
                                  "consent": {"localized": {"en_US": "Send me product news."}}}],
                },
                "postSubmissionInfo": {
                    "callToAction": {"callToActionLabel": "VISIT_COMPANY_WEBSITE",
                                     "callToActionTarget": {"landingPageUrl": f"https://www.example.com/thanks/{fid}"}},
                    "message": {"localized": {"en_US": "Thanks! We will reach out within two days."}},
                },
            },
        }
        if not synth.chance(0.3, self.seed, "no-hidden", fid):
            form["hiddenFields"].append({"name": "source", "value": "linkedin"})
        if plan.state != "DRAFT":
            form["reviewInfo"] = {"reviewStatus": synth.pick(_REVIEW, self.seed, "review", fid)}
        return form

    # --------------------------------------------------------------------------------------- responses

    def responses_of(self, owner_urn: str) -> list[TEntity]:
        """Return every retained response an owner URN received before today, newest first."""
        today = self.world.clock.today
        cutoff = synth.day_start_ms(today)
        oldest = cutoff - RETENTION_DAYS * DAY_MS
        out = [r for p in self._plans if _owner_urn(p.owner) == owner_urn for r in self._responses(p, today)
               if oldest <= r["submittedAt"] < cutoff]
        return sorted(out, key=lambda r: (-r["submittedAt"], r["id"]))

    def response(self, response_id: str) -> TEntity | None:
        """Return one response by id (searched over every owner), or ``None``."""
        for plan in self._plans:
            for found in self._responses(plan, self.world.clock.today):
                if found["id"] == response_id and found["submittedAt"] < synth.day_start_ms(
                        self.world.clock.today):
                    return found
        return None

    def _responses(self, plan: FormPlan, today: dt.date) -> list[TEntity]:
        key = (plan.form_id, today)
        if key not in self._responses_cache:
            self._responses_cache[key] = self._draw_responses(plan, today)
        return self._responses_cache[key]

    @cached_property
    def _creatives_by_campaign(self) -> dict[str, list[TEntity]]:
        out: dict[str, list[TEntity]] = {}
        for creative in self.world.all_creatives:
            out.setdefault(creative["campaign"], []).append(creative)
        return out

    def _draw_responses(self, plan: FormPlan, today: dt.date) -> list[TEntity]:
        first = synth.ms_to_date(plan.created_ms) + dt.timedelta(days=1)
        last = today - dt.timedelta(days=1)
        if plan.campaign is not None:
            if plan.campaign["status"] == "DRAFT":
                last = first - dt.timedelta(days=1)
            schedule = plan.campaign.get("runSchedule", {})
            if "end" in schedule:
                last = min(last, synth.ms_to_date(int(schedule["end"])))
            first = max(first, synth.ms_to_date(int(schedule.get("start", plan.created_ms))))
        out: list[TEntity] = []
        if plan.state == "DRAFT":
            return out
        if first <= last:
            out.append(self._response(plan, first, 0, test=True))
        if plan.campaign is None and plan.lead_type == "SPONSORED":
            return out
        day = first
        while day <= last:
            for n in range(synth.between(0, 2, self.seed, "leads-per-day", plan.form_id, day.toordinal())):
                out.append(self._response(plan, day, n + 1, test=False))
            day += dt.timedelta(days=1)
        return out

    def _response(self, plan: FormPlan, day: dt.date, n: int, test: bool) -> TEntity:
        fid = plan.form_id
        submitted = synth.instant_ms(day, self.seed, "lead-at", fid, n)
        version = self._version_at(plan, submitted)
        rid = response_uuid(self.seed, fid, day.toordinal(), n)
        first = synth.pick(_FIRST_NAMES, self.seed, rid, "first")
        last = synth.pick(_LAST_NAMES, self.seed, rid, "last")
        company = synth.company_name(self.seed, rid, "company")
        values = {
            "firstName": first,
            "lastName": last,
            "email": f"{first}.{last}.{synth.member_token(self.seed, rid)[:4]}@{LEAD_EMAIL_DOMAIN}".lower(),
            "phoneNumber": f"+1 555 01{synth.between(10, 99, self.seed, rid, 'phone')}",
            "companyName": company,
            "jobTitle": synth.pick(_TITLES, self.seed, rid, "title"),
            "country": synth.pick(_COUNTRIES, self.seed, rid, "country"),
        }
        form = self._form_json(plan, submitted + 1)
        answers = []
        for question in form["content"]["questions"]:
            qid = question["questionId"]
            details = question["questionDetails"]
            if "multipleChoiceQuestionDetails" in details:
                options = details["multipleChoiceQuestionDetails"]["options"]
                picked = sorted({options[synth.between(0, len(options) - 1, self.seed, rid, qid, k)]["id"]
                                 for k in range(1 if question["name"] == "companySize" else 2)})
                answers.append({"questionId": qid, "answerDetails": {"multipleChoiceAnswer": {"options": picked}}})
            elif question["name"] in values:
                answers.append({"questionId": qid,
                                "answerDetails": {"textQuestionAnswer": {"answer": values[question["name"]]}}})
        consent = form["content"]["legalInfo"]["consents"][0]["id"]
        element: TEntity = {
            "id": rid,
            "owner": plan.owner,
            "leadType": plan.lead_type,
            "versionedLeadGenFormUrn": versioned_form_urn(fid, version),
            "submittedAt": submitted,
            "testLead": test,
            "formResponse": {
                "answers": answers,
                "consentResponses": [{"consentId": consent,
                                      "accepted": synth.chance(0.6, self.seed, rid, "consent")}],
            },
        }
        if not synth.chance(0.1, self.seed, rid, "guest"):  # guest leads carry no submitter (202408+)
            element["submitter"] = f"urn:li:person:{synth.member_token(self.seed, rid, 'member')}"
        if plan.campaign is not None and not test:
            campaign_urn = f"urn:li:sponsoredCampaign:{plan.campaign['id']}"
            element["leadMetadata"] = {"sponsoredLeadMetadata": {"campaign": campaign_urn}}
            creatives = self._creatives_by_campaign.get(campaign_urn, [])
            if creatives:
                creative = synth.pick(creatives, self.seed, rid, "creative")
                element["associatedEntity"] = {"associatedCreative": creative["id"]}
        if plan.event is not None and not test:
            element["associatedEntity"] = {"event": plan.event}
        return element


def _owner_urn(owner: TEntity) -> str:
    return str(next(iter(owner.values())))
