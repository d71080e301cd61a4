"""Every shipped model gives the results recorded before the structure change, bit for bit.

The record (``tests/data/result_hashes.json``) was made at main bbb8083 with
``tests/data/record_result_hashes.py``. On a CPU whose vector and FMA flags differ from
the machine of record, glibc's ``exp``/``log`` may take other code paths, so there the
values are compared to 1e-12 (relative) through their sums instead of bit for bit.
"""

import json
import math
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
sys.path.insert(0, str(DATA))
import record_result_hashes as record  # noqa: E402

RECORD = json.loads((DATA / "result_hashes.json").read_text())
SAME_MACHINE = record.machine()["flags"] == RECORD["machine"]["flags"]


def test_record_covers_every_shipped_model():
    assert sorted(RECORD["results"]) == sorted(record.shipped_models())


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(RECORD["results"]))
def test_results_unchanged(name):
    now = record.result_hashes(name)
    then = RECORD["results"][name]
    assert sorted(now) == sorted(then)
    for key in then:
        if "error" in then[key] or SAME_MACHINE:
            assert now[key] == then[key], f"{name} {key} moved"
        else:
            for stat in ("sum", "sum_sq"):
                assert math.isclose(now[key][stat], then[key][stat], rel_tol=1e-12, abs_tol=1e-300), (name, key)
