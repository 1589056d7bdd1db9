"""Company-size demographic values get LinkedIn's names in either form LinkedIn uses for a staff count range.

LinkedIn documents no sample MEMBER_COMPANY_SIZE pivotValue: organizations and follower statistics carry codes
(``SIZE_11_TO_50``), targeting carries URNs (``urn:li:staffCountRange:(11,50)``). Both must be named.
"""

from __future__ import annotations

import pytest

from lisync.linkedin.analytics.report_fields import COMPANY_SIZE_NAMES, company_size_name
from lisync.linkedin.analytics.shape_reports import shape_demographic_value, value_type


@pytest.mark.parametrize(("value", "name"), [
    ("SIZE_11_TO_50", "11-50 employees"),
    ("urn:li:staffCountRange:(11,50)", "11-50 employees"),
    ("urn:li:staffCountRange:(1,1)", "Myself only"),
    ("urn:li:staffCountRange:(10001,2147483647)", "10,001+ employees"),
    ("urn:li:staffCountRange:(10001,)", "10,001+ employees"),
])
def test_company_size_values_are_named_in_both_forms(value: str, name: str) -> None:
    assert company_size_name(value) == name
    row = shape_demographic_value(value, value_type("MEMBER_COMPANY_SIZE"), None)
    assert row == {"demographic_value": value, "value_type": "staff_count_range", "value_id": None, "name": name}


def test_every_code_has_a_urn_twin_and_unknown_values_stay_unnamed() -> None:
    bounds = {"SIZE_1": "(1,1)", "SIZE_2_TO_10": "(2,10)", "SIZE_11_TO_50": "(11,50)", "SIZE_51_TO_200": "(51,200)",
              "SIZE_201_TO_500": "(201,500)", "SIZE_501_TO_1000": "(501,1000)",
              "SIZE_1001_TO_5000": "(1001,5000)", "SIZE_5001_TO_10000": "(5001,10000)",
              "SIZE_10001_OR_MORE": "(10001,2147483647)"}
    assert set(bounds) == set(COMPANY_SIZE_NAMES)
    for code, urn_range in bounds.items():
        assert company_size_name(f"urn:li:staffCountRange:{urn_range}") == COMPANY_SIZE_NAMES[code]
    assert company_size_name("urn:li:staffCountRange:(3,7)") is None
    assert company_size_name("SIZE_UNKNOWN") is None
