"""The sandbox's standardized data: member demographic values and their names.

Titles, industries, functions, seniorities, geo, company sizes and member companies, as LinkedIn's
standardized-data APIs serve them.

LinkedIn's ``adAnalytics`` demographic pivots answer with URNs (``urn:li:title:9``, ``urn:li:geo:103644278``...)
or, for company size, an enum (``SIZE_11_TO_50``); the names come from the standardized-data endpoints
(``/rest/titles``, ``/rest/industries``, ``/rest/functions``, ``/rest/seniorities``, ``/rest/geo``) and from
the organization lookup for member companies. The catalog below is the sandbox's fixed world of such values:
real LinkedIn ids and names where they are well known (functions, seniorities, company sizes, a few
countries), synthetic ids and names elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from lisync.sandbox import synth

__all__ = ["DEMOGRAPHIC_PIVOTS", "MEMBER_COMPANY_BASE_ID", "DemographicValue", "member_company_json",
           "member_company_name", "pivot_values", "value_by_urn"]

# pivot -> URN namespace of its values (None: an enum, not a URN)
DEMOGRAPHIC_PIVOTS: dict[str, str | None] = {
    "MEMBER_COMPANY_SIZE": None,
    "MEMBER_INDUSTRY": "industry",
    "MEMBER_SENIORITY": "seniority",
    "MEMBER_JOB_TITLE": "title",
    "MEMBER_JOB_FUNCTION": "function",
    "MEMBER_COUNTRY_V2": "geo",
    "MEMBER_REGION_V2": "geo",
    "MEMBER_COMPANY": "organization",
}
# Member companies are organizations outside the organic world's pages: ids from here up.
MEMBER_COMPANY_BASE_ID = 90_000_000
MEMBER_COMPANY_COUNT = 160  # more than LinkedIn's top-100 cap, so the cap is exercised

_FUNCTIONS = ("Accounting", "Administrative", "Arts and Design", "Business Development",
              "Community and Social Services", "Consulting", "Education", "Engineering", "Entrepreneurship",
              "Finance", "Healthcare Services", "Human Resources", "Information Technology", "Legal",
              "Marketing", "Media and Communication", "Military and Protective Services", "Operations",
              "Product Management", "Program and Project Management", "Purchasing", "Quality Assurance",
              "Real Estate", "Research", "Sales", "Customer Success and Support")
_SENIORITIES = ("Unpaid", "Training", "Entry", "Senior", "Manager", "Director", "VP", "CXO", "Partner", "Owner")
_COMPANY_SIZES = (("SIZE_1", "Myself only"), ("SIZE_2_TO_10", "2-10 employees"),
                  ("SIZE_11_TO_50", "11-50 employees"), ("SIZE_51_TO_200", "51-200 employees"),
                  ("SIZE_201_TO_500", "201-500 employees"), ("SIZE_501_TO_1000", "501-1,000 employees"),
                  ("SIZE_1001_TO_5000", "1,001-5,000 employees"), ("SIZE_5001_TO_10000", "5,001-10,000 employees"),
                  ("SIZE_10001_OR_MORE", "10,001+ employees"))
_INDUSTRIES = ((4, "Software Development"), (6, "Technology, Information and Internet"),
               (11, "Business Consulting and Services"),
               (27, "Retail"), (41, "Banking"), (43, "Financial Services"), (44, "Real Estate"), (47, "Accounting"),
               (48, "Construction"), (53, "Motor Vehicle Manufacturing"), (68, "Higher Education"),
               (80, "Advertising Services"), (96, "IT Services and IT Consulting"), (104, "Staffing and Recruiting"),
               (116, "Transportation, Logistics, Supply Chain and Storage"), (137, "Human Resources Services"),
               (14, "Hospitals and Health Care"), (15, "Pharmaceutical Manufacturing"), (25, "Manufacturing"),
               (75, "Government Administration"))
_COUNTRIES = ((103644278, "United States"), (101165590, "United Kingdom"), (101282230, "Germany"),
              (105015875, "France"), (102713980, "India"), (101174742, "Canada"), (101452733, "Australia"),
              (102890719, "Netherlands"), (105646813, "Spain"), (103350119, "Italy"), (106693272, "Switzerland"),
              (105117694, "Sweden"), (106057199, "Brazil"), (101355337, "Japan"), (102454443, "Singapore"))
_REGIONS = ((90000084, "San Francisco Bay Area"), (90000070, "New York City Metropolitan Area"),
            (90009496, "Greater London"), (90009714, "Greater Paris Metropolitan Region"),
            (90009790, "Berlin Metropolitan Area"), (90000049, "Los Angeles Metropolitan Area"),
            (90000031, "Chicago Metropolitan Area"), (90009551, "Greater Madrid Metropolitan Area"),
            (90009706, "Greater Munich Metropolitan Area"), (90010409, "Bengaluru"), (90009524, "Toronto"),
            (90009617, "Greater Sydney Area"), (90009735, "Amsterdam Area"), (90010383, "Mumbai"),
            (90009659, "Zürich Area"))
_TITLE_WORDS = ("Software Engineer", "Marketing Manager", "Sales Director", "Product Manager", "Data Analyst",
                "Account Executive", "Chief Executive Officer", "Recruiter", "Financial Analyst", "Consultant",
                "Project Manager", "Designer", "Operations Manager", "Human Resources Manager", "Teacher",
                "Nurse", "Lawyer", "Accountant", "Business Analyst", "Engineering Manager", "Founder",
                "Customer Success Manager", "Research Scientist", "Chief Marketing Officer", "Vice President Sales",
                "Solutions Architect", "Content Strategist", "Procurement Specialist", "Office Manager",
                "Growth Marketer")


@dataclass(frozen=True, slots=True)
class DemographicValue:
    """One pivot value: what ``pivotValues`` carries, its numeric id (if a URN) and its name."""

    pivot: str
    value: str
    id: int | None
    name: str


def member_company_name(company_id: int) -> str:
    """Return the (synthetic) name of member company ``company_id``."""
    return synth.company_name("member-company", company_id)


def member_company_json(company_id: int) -> dict[str, Any]:
    """Return the organization lookup's non-administrator fields for member company ``company_id``."""
    name = member_company_name(company_id)
    return {"id": company_id, "localizedName": name, "vanityName": name.lower().replace(" ", "-"),
            "name": {"localized": {"en_US": name}, "preferredLocale": {"country": "US", "language": "en"}}}


@cache
def pivot_values(pivot: str) -> tuple[DemographicValue, ...]:
    """Return every value the sandbox knows for a demographic ``pivot``, in a fixed order."""
    def urns(namespace: str, items: tuple[tuple[int, str], ...]) -> tuple[DemographicValue, ...]:
        return tuple(DemographicValue(pivot, f"urn:li:{namespace}:{i}", i, n) for i, n in items)

    if pivot == "MEMBER_COMPANY_SIZE":
        return tuple(DemographicValue(pivot, code, None, name) for code, name in _COMPANY_SIZES)
    if pivot == "MEMBER_JOB_FUNCTION":
        return urns("function", tuple(enumerate(_FUNCTIONS, start=1)))
    if pivot == "MEMBER_SENIORITY":
        return urns("seniority", tuple(enumerate(_SENIORITIES, start=1)))
    if pivot == "MEMBER_INDUSTRY":
        return urns("industry", _INDUSTRIES)
    if pivot == "MEMBER_COUNTRY_V2":
        return urns("geo", _COUNTRIES)
    if pivot == "MEMBER_REGION_V2":
        return urns("geo", _REGIONS)
    if pivot == "MEMBER_JOB_TITLE":
        return urns("title", tuple((i * 7 + 2, n) for i, n in enumerate(_TITLE_WORDS, start=1)))
    if pivot == "MEMBER_COMPANY":
        ids = range(MEMBER_COMPANY_BASE_ID + 1, MEMBER_COMPANY_BASE_ID + MEMBER_COMPANY_COUNT + 1)
        return urns("organization", tuple((i, member_company_name(i)) for i in ids))
    raise KeyError(f"{pivot} is not a demographic pivot")


@cache
def _by_namespace() -> dict[str, dict[int, DemographicValue]]:
    out: dict[str, dict[int, DemographicValue]] = {}
    for pivot, namespace in DEMOGRAPHIC_PIVOTS.items():
        if namespace is None:
            continue
        for value in pivot_values(pivot):
            assert value.id is not None
            out.setdefault(namespace, {})[value.id] = value
    return out


def value_by_urn(namespace: str, value_id: int) -> DemographicValue | None:
    """Return the value ``urn:li:<namespace>:<value_id>`` (``geo`` covers countries and regions)."""
    return _by_namespace().get(namespace, {}).get(value_id)
