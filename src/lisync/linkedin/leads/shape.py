"""Pure row shaping for Lead Sync: ``leadForms`` and ``leadFormResponses`` elements into contract rows.

One element gives a main row plus child rows (questions, answer options, hidden fields and consent checkboxes
of a form; answers and consents of a response). Form elements are read as LinkedIn's Lead Sync Postman
collection shows them: ``postSubmissionInfo.callToAction.{callToActionLabel, callToActionTarget.landingPageUrl}``
and ``legalInfo.consents[].{id, checkRequired, consent}`` (responses answer a consent by that ``id``).

Nothing here does I/O or knows about personal-data policy: the source applies ``--lead-pii`` to the rows these
functions return.
"""

from __future__ import annotations

from typing import Any

from lisync.linkedin.convert import dig, ms_to_timestamp, to_bool, to_float, to_text
from lisync.linkedin.http.restli import urn_id

__all__ = ["form_id_and_version", "localized", "shape_form", "shape_form_children", "shape_response",
           "shape_response_children"]

TRow = dict[str, Any]
_VERSIONED_PREFIX = "urn:li:versionedLeadGenForm:("


def localized(value: Any, locale: str | None = None) -> str | None:
    """Return the text of a ``MultiLocaleString`` (``{"localized": {"en_US": "..."}}``).

    Args:
        value: The MultiLocaleString (or ``None``).
        locale: The preferred locale (the form's ``creationLocale``); otherwise the first one.
    """
    texts = dig(value, "localized")
    if not isinstance(texts, dict) or not texts:
        return None
    if locale and locale in texts:
        return to_text(texts[locale])
    return to_text(next(iter(texts.values())))


def form_id_and_version(versioned_urn: Any) -> tuple[str | None, float | None]:
    """Split ``urn:li:versionedLeadGenForm:(urn:li:leadGenForm:N,V)`` into ``("N", V)``."""
    text = to_text(versioned_urn)
    if not text or not text.startswith(_VERSIONED_PREFIX) or not text.endswith(")"):
        return None, None
    form_urn, _, version = text[len(_VERSIONED_PREFIX):-1].rpartition(",")
    return urn_id(form_urn), to_float(version)


def _locale(element: TRow) -> str | None:
    language = to_text(dig(element, "creationLocale", "language"))
    country = to_text(dig(element, "creationLocale", "country"))
    if language and country:
        return f"{language}_{country}"
    return language


def _owner(element: TRow) -> tuple[str | None, str | None, str | None]:
    """Return ``(owner URN, ad account id, organization URN)`` of an element's ``owner`` union."""
    account = to_text(dig(element, "owner", "sponsoredAccount"))
    organization = to_text(dig(element, "owner", "organization"))
    return account or organization, urn_id(account), organization


def shape_form(element: TRow) -> TRow:
    """Shape a ``leadForms`` element into a ``lead_forms`` row."""
    locale = _locale(element)
    owner, account_id, organization = _owner(element)
    content = element.get("content") or {}
    return {
        "id": to_text(element.get("id")),
        "name": to_text(element.get("name")),
        "owner_urn": owner,
        "account_id": account_id,
        "organization_urn": organization,
        "state": to_text(element.get("state")),
        "review_status": to_text(dig(element, "reviewInfo", "reviewStatus")),
        "locale": locale,
        "headline": localized(content.get("headline"), locale),
        "description": localized(content.get("description"), locale),
        "privacy_policy_url": to_text(dig(content, "legalInfo", "privacyPolicyUrl")),
        "legal_disclaimer": localized(dig(content, "legalInfo", "legalDisclaimer"), locale),
        "thank_you_message": localized(dig(content, "postSubmissionInfo", "message"), locale),
        "thank_you_call_to_action": to_text(dig(content, "postSubmissionInfo", "callToAction", "callToActionLabel")),
        "thank_you_url": to_text(dig(content, "postSubmissionInfo", "callToAction", "callToActionTarget",
                                     "landingPageUrl")),
        "version_id": to_float(element.get("versionId")),
        "created_at": ms_to_timestamp(element.get("created")),
        "last_modified_at": ms_to_timestamp(element.get("lastModified")),
    }


def shape_form_children(element: TRow) -> dict[str, list[TRow]]:
    """Return a form's child rows keyed by table: questions, their answer options, hidden fields and consents."""
    form_id = to_text(element.get("id"))
    locale = _locale(element)
    questions: list[TRow] = []
    options: list[TRow] = []
    for position, question in enumerate(dig(element, "content", "questions") or []):
        if not isinstance(question, dict):
            continue
        question_id = to_text(question.get("questionId"))
        details = question.get("questionDetails") or {}
        choices = dig(details, "multipleChoiceQuestionDetails", "options")
        questions.append({
            "form_id": form_id,
            "question_id": question_id,
            "position": float(position),
            "name": to_text(question.get("name")),
            "question_text": localized(question.get("question"), locale),
            "predefined_field": to_text(question.get("predefinedField")),
            "question_type": "MULTIPLE_CHOICE" if isinstance(choices, list) else "TEXT",
            "is_required": to_bool(question.get("responseRequired")),
            "is_editable": to_bool(question.get("responseEditable")),
            "max_response_length": to_float(dig(details, "textQuestionDetails", "maxResponseLength")),
        })
        for option_position, option in enumerate(choices if isinstance(choices, list) else []):
            options.append({
                "form_id": form_id,
                "question_id": question_id,
                "option_id": to_text(dig(option, "id")),
                "position": float(option_position),
                "option_text": localized(dig(option, "text"), locale),
            })
    hidden = [{"form_id": form_id, "name": to_text(dig(h, "name")), "value": to_text(dig(h, "value"))}
              for h in element.get("hiddenFields") or [] if isinstance(h, dict)]
    consents = [{"form_id": form_id, "consent_id": to_text(c.get("id")), "position": float(position),
                 "consent_text": localized(c.get("consent"), locale), "is_required": to_bool(c.get("checkRequired"))}
                for position, c in enumerate(dig(element, "content", "legalInfo", "consents") or [])
                if isinstance(c, dict)]
    return {"lead_forms__questions": questions, "lead_forms__question_options": options,
            "lead_forms__hidden_fields": hidden, "lead_forms__consents": consents}


def shape_response(element: TRow) -> TRow:
    """Shape a ``leadFormResponses`` element into a ``lead_form_responses`` row."""
    owner, account_id, organization = _owner(element)
    form_id, version = form_id_and_version(element.get("versionedLeadGenFormUrn"))
    return {
        "id": to_text(element.get("id")),
        "owner_urn": owner,
        "account_id": account_id,
        "organization_urn": organization,
        "lead_type": to_text(element.get("leadType")),
        "form_id": form_id,
        "form_version": version,
        "versioned_form_urn": to_text(element.get("versionedLeadGenFormUrn")),
        "campaign_id": urn_id(to_text(dig(element, "leadMetadata", "sponsoredLeadMetadata", "campaign"))),
        "creative_id": urn_id(to_text(dig(element, "associatedEntity", "associatedCreative"))),
        "event_urn": to_text(dig(element, "associatedEntity", "event")),
        "submitted_at": ms_to_timestamp(element.get("submittedAt")),
        "is_test_lead": to_bool(element.get("testLead")),
        "submitter_urn": to_text(element.get("submitter")),
    }


def shape_response_children(element: TRow) -> dict[str, list[TRow]]:
    """Return a response's child rows keyed by table: one answer per question, one row per consent."""
    response_id = to_text(element.get("id"))
    submitted = ms_to_timestamp(element.get("submittedAt"))
    answers: list[TRow] = []
    for answer in dig(element, "formResponse", "answers") or []:
        if not isinstance(answer, dict):
            continue
        details = answer.get("answerDetails") or {}
        choice = dig(details, "multipleChoiceAnswer", "options")
        answers.append({
            "response_id": response_id,
            "question_id": to_text(answer.get("questionId")),
            "answer_type": "MULTIPLE_CHOICE" if isinstance(choice, list) else "TEXT",
            "answer_text": to_text(dig(details, "textQuestionAnswer", "answer")),
            "selected_option_ids": ",".join(str(o) for o in choice) if isinstance(choice, list) else None,
            "submitted_at": submitted,
        })
    consents = [{"response_id": response_id, "consent_id": to_text(dig(c, "consentId")),
                 "accepted": to_bool(dig(c, "accepted")), "submitted_at": submitted}
                for c in dig(element, "formResponse", "consentResponses") or [] if isinstance(c, dict)]
    return {"lead_form_responses__answers": answers, "lead_form_responses__consents": consents}
