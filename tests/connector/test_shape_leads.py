"""Lead Sync row shaping and the personal-data policy, on elements shaped like LinkedIn's documented samples."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import Any

import pytest

from lisync.config.personal_data import PersonalDataPolicy
from lisync.linkedin.leads.shape import (
    form_id_and_version,
    shape_form,
    shape_form_children,
    shape_response,
    shape_response_children,
)
from lisync.spec.loader import load_contract, load_spec

# Shaped after the Lead Sync Postman collection's leadFormResponses sample (form 7234246, es_ES questions).
FORM: dict[str, Any] = {
    "id": 7234246,
    "name": "Form with written spanish",
    "owner": {"sponsoredAccount": "urn:li:sponsoredAccount:11223344"},
    "creationLocale": {"country": "ES", "language": "es"},
    "state": "PUBLISHED",
    "created": 1690000000000,
    "lastModified": 1690500000000,
    "versionId": 2,
    "reviewInfo": {"reviewStatus": "APPROVED"},
    "hiddenFields": [{"name": "hidden_field", "value": "abc678"}, {"name": "campo_escondido", "value": "def789"}],
    "content": {
        "headline": {"localized": {"es_ES": "Titular"}},
        "questions": [
            {"questionId": 107234246, "name": "First name", "question": {"localized": {"es_ES": "Nombre"}},
             "predefinedField": "FIRST_NAME", "responseEditable": True, "responseRequired": True,
             "questionDetails": {"textQuestionDetails": {"maxResponseLength": 300}}},
            {"questionId": 307234246, "name": "size", "question": {"localized": {"es_ES": "Tamaño"}},
             "responseRequired": False,
             "questionDetails": {"multipleChoiceQuestionDetails": {"options": [
                 {"id": 1, "text": {"localized": {"es_ES": "1-10"}}},
                 {"id": 2, "text": {"localized": {"es_ES": "11-50"}}}]}}},
        ],
        "legalInfo": {"privacyPolicyUrl": "https://example.com/privacy", "legalInfoId": 107234246,
                      "legalDisclaimer": {"localized": {"es_ES": "Aviso"}},
                      "consents": [{"consent": {"localized": {"es_ES": "marque mi casilla"}}, "checkRequired": True,
                                    "id": 0}]},
        "postSubmissionInfo": {"callToAction": {"callToActionTarget": {"landingPageUrl": "https://example.com"},
                                                "callToActionLabel": "VISIT_COMPANY_WEBSITE"},
                               "message": {"localized": {"es_ES": "Gracias"}}},
    },
}
RESPONSE: dict[str, Any] = {
    "id": "4f3a7c4e-1b2d-4c5e-8f9a-0b1c2d3e4f50",
    "owner": {"sponsoredAccount": "urn:li:sponsoredAccount:11223344"},
    "leadType": "SPONSORED",
    "versionedLeadGenFormUrn": "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:7234246,2)",
    "submitter": "urn:li:person:MpGcnvaU_p",
    "submittedAt": 1690600000000,
    "testLead": False,
    "leadMetadata": {"sponsoredLeadMetadata": {"campaign": "urn:li:sponsoredCampaign:367378525"}},
    "associatedEntity": {"associatedCreative": "urn:li:sponsoredCreative:123"},
    "formResponse": {
        "answers": [
            {"questionId": 107234246, "answerDetails": {"textQuestionAnswer": {"answer": "Ada"}}},
            {"questionId": 307234246, "answerDetails": {"multipleChoiceAnswer": {"options": [1, 2]}}},
        ],
        "consentResponses": [{"consentId": 9, "accepted": True}],
    },
}


def test_form_row_reads_localized_texts_in_the_creation_locale() -> None:
    row = shape_form(FORM)
    assert row["id"] == "7234246" and row["account_id"] == "11223344" and row["organization_urn"] is None
    assert (row["locale"], row["headline"], row["thank_you_message"]) == ("es_ES", "Titular", "Gracias")
    assert (row["thank_you_call_to_action"], row["thank_you_url"]) == ("VISIT_COMPANY_WEBSITE", "https://example.com")
    assert row["version_id"] == 2.0 and row["review_status"] == "APPROVED"
    assert row["created_at"] == dt.datetime.fromtimestamp(1690000000, tz=dt.UTC)
    assert row["description"] is None  # absent in the element


def test_form_children_questions_options_hidden_fields() -> None:
    children = shape_form_children(FORM)
    questions = children["lead_forms__questions"]
    assert [(q["question_id"], q["question_type"], q["position"]) for q in questions] == [
        ("107234246", "TEXT", 0.0), ("307234246", "MULTIPLE_CHOICE", 1.0)]
    assert questions[0]["max_response_length"] == 300.0 and questions[1]["is_required"] is False
    assert [(o["option_id"], o["option_text"]) for o in children["lead_forms__question_options"]] == [
        ("1", "1-10"), ("2", "11-50")]
    assert [h["name"] for h in children["lead_forms__hidden_fields"]] == ["hidden_field", "campo_escondido"]
    assert children["lead_forms__consents"] == [{"form_id": "7234246", "consent_id": "0", "position": 0.0,
                                                 "consent_text": "marque mi casilla", "is_required": True}]


def test_response_row_and_children() -> None:
    row = shape_response(RESPONSE)
    assert (row["form_id"], row["form_version"], row["campaign_id"], row["creative_id"]) == (
        "7234246", 2.0, "367378525", "123")
    assert row["lead_type"] == "SPONSORED" and row["is_test_lead"] is False
    children = shape_response_children(RESPONSE)
    answers = children["lead_form_responses__answers"]
    assert answers[0]["answer_text"] == "Ada" and answers[1]["selected_option_ids"] == "1,2"
    assert children["lead_form_responses__consents"] == [
        {"response_id": RESPONSE["id"], "consent_id": "9", "accepted": True, "submitted_at": row["submitted_at"]}]


def test_test_leads_and_guests_leave_campaign_and_submitter_empty() -> None:
    bare = {k: v for k, v in RESPONSE.items() if k not in ("leadMetadata", "associatedEntity", "submitter")}
    row = shape_response({**bare, "testLead": True})
    assert row["campaign_id"] is None and row["creative_id"] is None and row["submitter_urn"] is None


def test_event_lead_names_its_event_and_no_creative() -> None:
    """EVENT leads carry ``associatedEntity.event`` (Lead Sync's lead notifications show the same member)."""
    bare = {k: v for k, v in RESPONSE.items() if k not in ("leadMetadata", "associatedEntity")}
    event = {**bare, "owner": {"organization": "urn:li:organization:2414183"}, "leadType": "EVENT",
             "associatedEntity": {"event": "urn:li:event:7123456789012345678"}}
    row = shape_response(event)
    assert row["event_urn"] == "urn:li:event:7123456789012345678"
    assert (row["creative_id"], row["campaign_id"], row["account_id"]) == (None, None, None)
    assert row["organization_urn"] == "urn:li:organization:2414183"
    assert shape_response(RESPONSE)["event_urn"] is None  # a sponsored lead's entity is its creative


@pytest.mark.parametrize(("urn", "expected"), [
    ("urn:li:versionedLeadGenForm:(urn:li:leadGenForm:3162,1)", ("3162", 1.0)),
    ("urn:li:leadGenForm:3162", (None, None)),
    (None, (None, None)),
])
def test_versioned_form_urn(urn: str | None, expected: tuple[str | None, float | None]) -> None:
    assert form_id_and_version(urn) == expected


def test_personal_data_policy_keep_hash_drop() -> None:
    row = {"answer_text": " Ada@Example.com ", "question_id": "1"}
    assert PersonalDataPolicy().protect_row(row, ["answer_text"]) is row
    secret = "s" * 16
    hashed = PersonalDataPolicy("hash", secret).protect_row(row, ["answer_text"])
    expected = hmac.new(secret.encode(), b"ada@example.com", hashlib.sha256).hexdigest()
    assert hashed == {"answer_text": expected, "question_id": "1"} and row["answer_text"] == " Ada@Example.com "
    assert PersonalDataPolicy("hash", "t" * 16).protect_value("ada@example.com") != expected  # keyed
    assert PersonalDataPolicy("drop").protect_row(row, ["answer_text"])["answer_text"] is None
    assert PersonalDataPolicy("hash", secret).protect_value(None) is None


def test_hash_needs_a_long_secret_and_never_shows_it() -> None:
    with pytest.raises(ValueError, match="lead_pii_secret") as error:
        PersonalDataPolicy("hash", "short")
    assert "short" not in str(error.value)
    assert "s" * 16 not in repr(PersonalDataPolicy("hash", "s" * 16))
    with pytest.raises(ValueError, match="keep, hash, drop"):
        PersonalDataPolicy("mask")  # type: ignore[arg-type]


def test_contract_marks_the_personal_columns_and_says_so() -> None:
    personal = {(t.name, c.name): c.description for p in ("lead_forms", "lead_form_responses")
                for t in load_spec()[p].tables for c in t.columns if c.personal}
    assert set(personal) == {("lead_form_responses", "submitter_urn"), ("lead_form_responses__answers", "answer_text")}
    assert all(text.startswith("PERSONAL DATA.") for text in personal.values())
    assert not any(c.personal for p in load_contract(extensions=False).values() for t in p.tables for c in t.columns)
