"""The performance tables skip dlt's staging de-duplication, so their rows are checked unique by key first."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from lisync.linkedin.http.errors import BadResponseError
from lisync.sources.arrow import UNIQUE_MERGE, UniqueKeys

DAY = dt.date(2026, 11, 1)


def _arrow(creatives: list[str], days: list[dt.date]) -> pa.Table:
    return pa.table({"metric_date": pa.array(days, pa.date32()), "creative_id": pa.array(creatives, pa.string()),
                     "impressions": pa.array([1.0] * len(days))})


def test_unique_keys_across_arrow_tables_and_dict_batches_pass() -> None:
    keys = UniqueKeys("ad_performance")
    keys.add(_arrow(["1", "2"], [DAY, DAY]))
    keys.add([{"metric_date": DAY + dt.timedelta(days=1), "creative_id": "1", "impressions": 3.0}])
    keys.check()


@pytest.mark.parametrize("second", ["arrow", "dicts"])
def test_a_key_yielded_twice_fails_before_loading(second: str) -> None:
    keys = UniqueKeys("ad_performance")
    keys.add(_arrow(["1", "2"], [DAY, DAY]))
    if second == "arrow":
        keys.add(_arrow(["2"], [DAY]))
    else:
        keys.add([{"metric_date": DAY, "creative_id": "2"}])
    with pytest.raises(BadResponseError, match="1 rows twice"):
        keys.check()


def test_the_conversion_key_includes_the_conversion() -> None:
    keys = UniqueKeys("conversion_performance")
    keys.add([{"metric_date": DAY, "creative_id": "1", "conversion_id": "7"},
              {"metric_date": DAY, "creative_id": "1", "conversion_id": "8"}])
    keys.check()
    keys.add([{"metric_date": DAY, "creative_id": "1", "conversion_id": "7"}] * 2)
    with pytest.raises(BadResponseError):
        keys.check()


def test_the_merge_skips_only_the_staging_de_duplication() -> None:
    assert UNIQUE_MERGE == {"disposition": "merge", "strategy": "delete-insert", "deduplicated": True}
