"""Golden test: ~430 fixed sandbox requests still get the responses recorded before the package reshape.

Each line of ``golden_responses.txt`` holds a digest of one recorded request and its whole response
(status, headers minus ``Date``, body). A change to what the sandbox answers fails here with the requests
whose answers changed; when the change is intended, rewrite the file with
``PYTHONPATH=src python tests/sandbox/record_responses.py --golden`` and say why in the commit.
"""

from __future__ import annotations

from tests.sandbox.record_responses import GOLDEN, digest_lines, record


def test_recorded_requests_get_the_golden_responses() -> None:
    expected = GOLDEN.read_text().splitlines()
    actual = digest_lines(list(record()))
    changed = [f"- {old}\n+ {new}" for old, new in zip(expected, actual, strict=False) if old != new]
    assert len(actual) == len(expected), f"{len(actual)} requests recorded, {len(expected)} expected"
    assert not changed, f"{len(changed)} answers changed, first ones:\n" + "\n".join(changed[:10])
