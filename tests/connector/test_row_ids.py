"""Arrow tables carry ``_dlt_id`` values shaped like dlt's own, made without a Python string per row."""

from __future__ import annotations

import re

from dlt.common.normalizers.utils import generate_dlt_ids

from lisync.sources.arrow import row_ids


def test_row_ids_have_dlt_id_length_and_alphabet() -> None:
    ours = row_ids(1_000).to_pylist()
    theirs = generate_dlt_ids(1_000)
    assert {len(value) for value in ours} == {len(value) for value in theirs} == {14}
    alphabet = re.compile(r"^[A-Za-z0-9+/]{14}$")
    assert all(alphabet.match(value) for value in ours)


def test_row_ids_are_unique_and_fresh_per_call() -> None:
    first, second = row_ids(50_000).to_pylist(), row_ids(50_000).to_pylist()
    assert len(set(first)) == len(first) == 50_000
    assert not set(first) & set(second)


def test_row_ids_of_an_empty_table() -> None:
    ids = row_ids(0)
    assert len(ids) == 0 and str(ids.type) == "string"
