"""The sandbox's Lead Sync endpoints: leadForms and leadFormResponses as LinkedIn documents them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests

from lisync.sandbox.leads import LEAD_EMAIL_DOMAIN
from lisync.sandbox.oauth.grants import ALL_SCOPES, TokenGrant
from lisync.sandbox.organic.organizations import LEAD_GEN_MANAGER_ORG_ID
from lisync.sandbox.server import SandboxServer

TGet = Callable[..., requests.Response]
SPONSORED = "leadType=(leadType:SPONSORED)"


def owner(account_id: int) -> str:
    return f"owner=(sponsoredAccount:urn%3Ali%3AsponsoredAccount%3A{account_id})"


def accounts(api_get: TGet) -> list[int]:
    return [a["id"] for a in api_get("/adAccounts?q=search").json()["elements"]]


def all_responses(api_get: TGet, account_id: int, extra: str = "") -> list[dict[str, Any]]:
    response = api_get(f"/leadFormResponses?q=owner&{owner(account_id)}&{SPONSORED}&count=1000{extra}")
    assert response.status_code == 200, response.text
    return list(response.json()["elements"])


def test_forms_of_every_account_tie_to_lead_gen_campaigns(api_get: TGet) -> None:
    campaign_forms = 0
    for account_id in accounts(api_get):
        body = api_get(f"/leadForms?q=owner&{owner(account_id)}&count=100").json()
        assert body["paging"]["total"] == len(body["elements"]) >= 1
        for form in body["elements"]:
            assert form["owner"] == {"sponsoredAccount": f"urn:li:sponsoredAccount:{account_id}"}
            assert form["state"] in ("DRAFT", "PUBLISHED", "ARCHIVED")
            assert form["content"]["questions"] and form["versionId"] in (1, 2)
        creatives = api_get(f"/adAccounts/{account_id}/creatives?q=criteria&pageSize=100").json()["elements"]
        destinations = {int(c["leadgenCallToAction"]["destination"].rsplit(":", 1)[1])
                        for c in creatives if "leadgenCallToAction" in c}
        form_ids = {f["id"] for f in body["elements"]}
        assert destinations <= form_ids  # every lead-gen creative points at a form of its account
        campaign_forms += len(form_ids & destinations)
        one = body["elements"][0]
        assert api_get(f"/leadForms/{one['id']}").json() == one


def test_responses_carry_lead_type_campaign_creative_form_and_answers(api_get: TGet) -> None:
    seen = []
    for account_id in accounts(api_get):
        forms = {f["id"]: f for f in api_get(f"/leadForms?q=owner&{owner(account_id)}&count=100").json()["elements"]}
        for lead in all_responses(api_get, account_id):
            seen.append(lead)
            assert lead["leadType"] == "SPONSORED"
            form_id = int(lead["versionedLeadGenFormUrn"].split("leadGenForm:")[1].split(",")[0])
            assert form_id in forms
            questions = {q["questionId"] for q in forms[form_id]["content"]["questions"]}
            assert {a["questionId"] for a in lead["formResponse"]["answers"]} <= questions | {
                form_id * 100 + 9}  # the interests question exists only in version 2
            if not lead["testLead"]:
                campaign = lead["leadMetadata"]["sponsoredLeadMetadata"]["campaign"]
                assert campaign.startswith("urn:li:sponsoredCampaign:")
    assert any(lead["testLead"] for lead in seen) and any(not lead["testLead"] for lead in seen)
    emails = [a["answerDetails"]["textQuestionAnswer"]["answer"] for lead in seen
              for a in lead["formResponse"]["answers"] if "textQuestionAnswer" in a["answerDetails"]
              and "@" in a["answerDetails"]["textQuestionAnswer"]["answer"]]
    assert emails and all(e.endswith(LEAD_EMAIL_DOMAIN) for e in emails)


def test_submitted_range_paging_test_leads_and_versions_filter(api_get: TGet) -> None:
    account_id = max(accounts(api_get), key=lambda a: len(all_responses(api_get, a)))
    leads = all_responses(api_get, account_id)
    assert len(leads) >= 4
    times = [lead["submittedAt"] for lead in leads]
    assert times == sorted(times, reverse=True)  # newest first
    middle = sorted(times)[len(times) // 2]
    newer = all_responses(api_get, account_id, f"&submittedAtTimeRange=(start:{middle})")
    older = all_responses(api_get, account_id, f"&submittedAtTimeRange=(start:0,end:{middle})")
    assert len(newer) + len(older) == len(leads)  # start inclusive, end exclusive
    assert all(lead["submittedAt"] >= middle for lead in newer)
    paged = []
    for start in range(0, len(leads), 3):
        page = api_get(f"/leadFormResponses?q=owner&{owner(account_id)}&{SPONSORED}&start={start}&count=3").json()
        assert page["paging"]["total"] == len(leads)
        paged += page["elements"]
    assert [lead["id"] for lead in paged] == [lead["id"] for lead in leads]
    tests = all_responses(api_get, account_id, "&limitedToTestLeads=true")
    assert tests and all(lead["testLead"] for lead in tests)
    urn = leads[0]["versionedLeadGenFormUrn"].replace(":", "%3A").replace("(", "%28").replace(")", "%29")
    same_version = all_responses(api_get, account_id, f"&versionedLeadGenFormUrn={urn.replace(',', '%2C')}")
    assert same_version and {x["versionedLeadGenFormUrn"] for x in same_version} == {
        leads[0]["versionedLeadGenFormUrn"]}
    one = api_get(f"/leadFormResponses/{leads[0]['id']}").json()
    assert one == leads[0]
    projected = all_responses(api_get, account_id, "&fields=id,submittedAt")
    assert set(projected[0]) == {"id", "submittedAt"}


@pytest.mark.parametrize(("query", "status", "needle"), [
    ("/leadFormResponses?q=owner&OWNER", 400, "leadType"),
    ("/leadFormResponses?q=owner&OWNER&leadType=(leadType:EVENT)", 400, "not supported"),
    ("/leadFormResponses?q=owner&OWNER&leadType=(leadType:NOPE)", 400, "leadType"),
    ("/leadFormResponses?q=owner&OWNER&leadType=(leadType:SPONSORED)&submittedAtTimeRange=(start:9,end:1)", 400,
     "start"),
    ("/leadFormResponses?q=owner&OWNER&leadType=(leadType:SPONSORED)&versionedLeadGenFormUrn=urn%3Ali%3Ax%3A1", 400,
     "versionedLeadGenFormUrn"),
    ("/leadForms?q=owner", 400, "owner"),
    ("/leadForms?q=owner&owner=(sponsoredAccount:urn%3Ali%3AsponsoredCampaign%3A1)", 400, "INVALID_URN_TYPE"),
    ("/leadForms?q=owner&owner=(sponsoredAccount:urn%3Ali%3AsponsoredAccount%3A1)", 404, "does not exist"),
    ("/leadForms?q=owner&OWNER&count=1001", 400, "larger than"),
    ("/leadForms/1", 404, "does not exist"),
    ("/leadFormResponses/nope", 404, "does not exist"),
])
def test_documented_errors(api_get: TGet, query: str, status: int, needle: str) -> None:
    response = api_get(query.replace("OWNER", owner(accounts(api_get)[0])))
    assert response.status_code == status, response.text
    assert needle in response.text


def test_scope_and_roles_are_checked(sandbox_factory: Callable[..., SandboxServer], api_get: TGet,
                                     li_headers: Callable[..., dict[str, str]]) -> None:
    first, second = accounts(api_get)[:2]  # same seed as the session sandbox, so the same ids
    no_leads = TokenGrant(scopes=ALL_SCOPES - {"r_marketing_leadgen_automation"})
    server = sandbox_factory(tokens={"no-leads": no_leads, "one-account": TokenGrant(account_ids=frozenset({first}))})
    for path in (f"/rest/leadForms?q=owner&{owner(first)}",
                 f"/rest/leadFormResponses?q=owner&{owner(first)}&{SPONSORED}"):
        denied = requests.get(server.base_url + path, headers=li_headers(token="no-leads"), timeout=10)
        assert denied.status_code == 403 and denied.json()["code"] == "ACCESS_DENIED"
        assert "leadForm" in denied.json()["message"]
        assert requests.get(server.base_url + path, headers=li_headers(token="one-account"),
                            timeout=10).status_code == 200
        refused = requests.get(server.base_url + path.replace(str(first), str(second)),
                               headers=li_headers(token="one-account"), timeout=10)
        assert refused.status_code == 403


def test_root_path_alias_answers_like_rest(sandbox: SandboxServer, li_headers: Callable[..., dict[str, str]],
                                           api_get: TGet) -> None:
    account_id = accounts(api_get)[0]
    path = f"/leadFormResponses?q=owner&{owner(account_id)}&{SPONSORED}&count=500"
    root = requests.get(f"{sandbox.base_url}{path}", headers=li_headers(), timeout=10)
    assert root.status_code == 200 and root.json() == api_get(path).json()
    assert requests.get(f"{sandbox.base_url}{path}", headers=li_headers(version=None), timeout=10).status_code != 200


def test_new_days_bring_new_responses_and_old_ones_stay(sandbox_factory: Callable[..., SandboxServer],
                                                         li_headers: Callable[..., dict[str, str]]) -> None:
    server = sandbox_factory()

    def leads() -> dict[str, int]:
        out = {}
        for account_id in [a["id"] for a in requests.get(f"{server.base_url}/rest/adAccounts?q=search",
                                                          headers=li_headers(), timeout=10).json()["elements"]]:
            body = requests.get(f"{server.base_url}/rest/leadFormResponses?q=owner&{owner(account_id)}&{SPONSORED}"
                                "&count=1000", headers=li_headers(), timeout=10).json()
            out.update({e["id"]: e["submittedAt"] for e in body["elements"]})
        return out

    before = leads()
    assert leads() == before  # deterministic
    requests.post(f"{server.base_url}/_sandbox/clock", json={"advance_days": 3}, timeout=10)
    after = leads()
    assert set(before) <= set(after) and all(after[k] == v for k, v in before.items())
    assert len(after) > len(before)


def org_owner(org_id: int) -> str:
    return f"owner=(organization:urn%3Ali%3Aorganization%3A{org_id})"


def test_organization_owned_forms_give_organic_leads_only(api_get: TGet) -> None:
    org = 100000  # the default member's first company page (approved ADMINISTRATOR)
    forms = api_get(f"/leadForms?q=owner&{org_owner(org)}").json()["elements"]
    assert forms and {f["owner"]["organization"] for f in forms} == {f"urn:li:organization:{org}"}
    base = f"/leadFormResponses?q=owner&{org_owner(org)}&count=1000"
    company = api_get(f"{base}&leadType=(leadType:COMPANY)")
    assert company.status_code == 200, company.text
    leads = company.json()["elements"]
    assert leads and {r["leadType"] for r in leads} == {"COMPANY"}
    assert all("leadMetadata" not in r and r["owner"] == {"organization": f"urn:li:organization:{org}"}
               for r in leads)
    events = api_get(f"{base}&leadType=(leadType:EVENT)").json()["elements"]
    assert events and {r["leadType"] for r in events} == {"EVENT"}
    products = api_get(f"{base}&leadType=(leadType:ORGANIZATION_PRODUCT)")
    assert products.status_code == 200 and products.json()["elements"] == []  # this page has no product form
    sponsored = api_get(f"{base}&{SPONSORED}")
    assert sponsored.status_code == 400 and "not supported" in sponsored.text


def test_event_and_product_leads_of_a_lead_gen_forms_manager_page(api_get: TGet) -> None:
    """EVENT leads name their LinkedIn Event in ``associatedEntity.event``; product leads come from their form."""
    org = LEAD_GEN_MANAGER_ORG_ID  # the member is only LEAD_GEN_FORMS_MANAGER there
    forms = api_get(f"/leadForms?q=owner&{org_owner(org)}").json()["elements"]
    assert len(forms) == 2
    base = f"/leadFormResponses?q=owner&{org_owner(org)}&count=1000"
    by_type = {t: api_get(f"{base}&leadType=(leadType:{t})").json()["elements"]
               for t in ("COMPANY", "EVENT", "ORGANIZATION_PRODUCT")}
    assert by_type["COMPANY"] == [] and by_type["EVENT"] and by_type["ORGANIZATION_PRODUCT"]
    events = {r["associatedEntity"]["event"] for r in by_type["EVENT"] if not r["testLead"]}
    assert len(events) == 1 and next(iter(events)).startswith("urn:li:event:")
    assert all("associatedEntity" not in r for r in by_type["EVENT"] if r["testLead"])
    assert all("associatedEntity" not in r and "leadMetadata" not in r for r in by_type["ORGANIZATION_PRODUCT"])
    form_ids = {f["id"] for f in forms}
    for lead in by_type["EVENT"] + by_type["ORGANIZATION_PRODUCT"]:
        assert int(lead["versionedLeadGenFormUrn"].split("leadGenForm:")[1].split(",")[0]) in form_ids
    statistics = api_get(f"/organizationPageStatistics?q=organization&organization=urn%3Ali%3Aorganization%3A{org}")
    assert statistics.status_code == 403  # page statistics need ADMINISTRATOR


def test_organization_owner_needs_a_lead_role_on_the_page(sandbox_factory: Callable[..., SandboxServer],
                                                         li_headers: Callable[..., dict[str, str]]) -> None:
    server = sandbox_factory(tokens={"one-page": TokenGrant(organization_ids=frozenset({100000}))})

    def status(org_id: int, token: str) -> int:
        for path in (f"/rest/leadForms?q=owner&{org_owner(org_id)}",
                     f"/rest/leadFormResponses?q=owner&{org_owner(org_id)}&leadType=(leadType:COMPANY)"):
            response = requests.get(server.base_url + path, headers=li_headers(token=token), timeout=10)
            if response.status_code != 200:
                assert response.json()["code"] == "ACCESS_DENIED"
                return response.status_code
        return 200

    assert status(100000, "any-token") == 200 and status(100001, "any-token") == 200
    assert status(100000, "one-page") == 200
    assert status(100001, "one-page") == 403  # no role on that page under this token
    assert status(200002, "any-token") == 403  # ANALYST: not a role that may pull leads
    assert status(LEAD_GEN_MANAGER_ORG_ID, "any-token") == 200  # LEAD_GEN_FORMS_MANAGER may
    assert status(300001, "any-token") == 403  # no role at all


def test_forms_carry_consents_and_call_to_action_as_documented(api_get: TGet) -> None:
    account_id = next(a for a in accounts(api_get) if all_responses(api_get, a))
    forms = api_get(f"/leadForms?q=owner&{owner(account_id)}").json()["elements"]
    consent_ids = {}
    for form in forms:
        content = form["content"]
        consents = content["legalInfo"]["consents"]
        assert consents and all(set(c) == {"id", "checkRequired", "consent"} for c in consents)
        action = content["postSubmissionInfo"]["callToAction"]
        assert set(action) == {"callToActionLabel", "callToActionTarget"}
        assert set(action["callToActionTarget"]) == {"landingPageUrl"}
        consent_ids[form["id"]] = {c["id"] for c in consents}
    leads = all_responses(api_get, account_id)
    assert leads
    for lead in leads:
        form_id = int(lead["versionedLeadGenFormUrn"].split("leadGenForm:")[1].split(",")[0])
        assert {c["consentId"] for c in lead["formResponse"]["consentResponses"]} <= consent_ids[form_id]
