"""Sobol indices at a stated precision, and indices not distinguishable from 0.

``sobol_to_precision`` doubles the base sample size until the bootstrap half-widths of the
leading indices reach the target; the indices are checked against the Ishigami closed form
(S1 .3139/.4424/0, ST .5576/.4424/.2437; shared/reference/VALIDATION.md 1.3) and a linear
model with one input of coefficient zero (S = b_i^2 / sum b_j^2).
"""

import json

import numpy as np
import pytest
import xarray as xr

from pcflab.methods._sensitivity import gsa, mark_zero, sobol_to_precision

ISHIGAMI_S1 = np.array([0.313905, 0.442411, 0.0])
ISHIGAMI_ST = np.array([0.557589, 0.442411, 0.243684])
NAMES = ["x1", "x2", "x3"]


def ishigami(u, a=7.0, b=0.1):
    x = -np.pi + 2.0 * np.pi * u
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_ishigami_reaches_the_stated_precision_where_n_256_does_not():
    fixed = gsa("sobol", ishigami, NAMES, 256, seed=42)
    assert max(fixed["S1_conf"].max(), fixed["ST_conf"].max()) > 0.1  # the issue: N = 256 is too coarse
    ds = sobol_to_precision(ishigami, NAMES, 0.05, n_start=256, max_n=2**14, top=3, seed=42)
    assert ds.attrs["target_reached"] == 1
    assert ds["S1_conf"].max() <= 0.05 and ds["ST_conf"].max() <= 0.05
    assert ds.attrs["achieved_ci"] == pytest.approx(float(max(ds["S1_conf"].max(), ds["ST_conf"].max())))
    tried = json.loads(ds.attrs["n_tried"])
    assert tried[0] == 256 and tried[-1] == ds.attrs["n"] > 256
    assert tried == [256 * 2**i for i in range(len(tried))]
    widths = json.loads(ds.attrs["achieved_ci_tried"])
    assert all(w > 0.05 for w in widths[:-1]) and widths[-1] <= 0.05  # stopped at the first N that reached it
    # estimates within their half-width and 0.05 of the closed form
    assert np.all(np.abs(ds["S1"].values - ISHIGAMI_S1) <= np.maximum(ds["S1_conf"].values, 1e-12))
    assert np.all(np.abs(ds["ST"].values - ISHIGAMI_ST) <= ds["ST_conf"].values)
    # x3 acts through its interaction with x1 only: its S1 is not distinguishable from 0
    assert list(ds["S1_includes_zero"].values) == [False, False, True]
    assert not ds["ST_includes_zero"].values.any()


def test_the_runs_of_each_design_are_reused():
    """The last design alone gives the same indices, with as many runs as were made in all."""
    calls = []

    def counted(u):
        calls.append(len(u))
        return ishigami(u)

    ds = sobol_to_precision(counted, NAMES, 0.05, n_start=256, max_n=2**14, top=3, seed=42)
    n = ds.attrs["n"]
    assert sum(calls) == ds.attrs["runs"] == n * (3 + 2)
    alone = gsa("sobol", ishigami, NAMES, n, seed=42)
    for v in ("S1", "S1_conf", "ST", "ST_conf"):
        np.testing.assert_array_equal(ds[v].values, alone[v].values)


def test_the_largest_n_stops_the_doubling_and_says_so():
    ds = sobol_to_precision(ishigami, NAMES, 0.001, n_start=256, max_n=512, top=2, seed=1)
    assert ds.attrs["target_reached"] == 0 and ds.attrs["n"] == 512
    assert json.loads(ds.attrs["n_tried"]) == [256, 512]
    assert ds.attrs["achieved_ci"] > 0.001 and ds.attrs["target_top"] == 2


def test_only_the_leading_indices_must_reach_the_target():
    """With top=1 only x1 (largest ST) counts: the run stops earlier than with all three."""
    one = sobol_to_precision(ishigami, NAMES, 0.05, n_start=256, max_n=2**14, top=1, seed=42)
    three = sobol_to_precision(ishigami, NAMES, 0.05, n_start=256, max_n=2**14, top=3, seed=42)
    x1 = one.sel(input="x1")
    assert max(float(x1["S1_conf"]), float(x1["ST_conf"])) <= 0.05
    assert one.attrs["n"] <= three.attrs["n"]


def test_a_zero_index_of_a_linear_model_is_flagged():
    b = np.array([5.0, 4.0, 0.0])
    ds = gsa("sobol", lambda u: u @ b, NAMES, 512, seed=3)
    analytic = b**2 / np.sum(b**2)
    np.testing.assert_allclose(ds["S1"].values, analytic, atol=0.05)
    assert ds["S1"].sel(input="x3") == 0.0 and ds["ST"].sel(input="x3") == 0.0  # exactly: x3 never moves Y
    assert list(ds["S1_includes_zero"].values) == [False, False, True]
    assert list(ds["ST_includes_zero"].values) == [False, False, True]
    assert "not distinguishable from 0" in ds["S1_includes_zero"].attrs["long_name"]


def test_mark_zero_by_hand():
    ds = xr.Dataset(
        {
            "S1": ("input", [0.3, -0.01, 0.02, np.nan]),
            "S1_conf": ("input", [0.05, 0.02, 0.01, 0.1]),
            "S2": (("input", "input_2"), np.zeros((4, 4))),
            "S2_conf": (("input", "input_2"), np.ones((4, 4))),
        },
        coords={"input": list("abcd"), "input_2": list("abcd")},
    )
    marked = mark_zero(ds)
    assert list(marked["S1_includes_zero"].values) == [False, True, False, False]
    assert "S2_includes_zero" not in marked.coords  # only indices on input alone are marked


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"target_ci": 0.0}, "target_ci must lie strictly between 0 and 1"),
        ({"target_ci": 0.05, "n_start": 300}, r"power of two.*\(the start n_samples\)"),
        ({"target_ci": 0.05, "max_n": 1000}, r"power of two.*\(max_n_samples\)"),
        ({"target_ci": 0.05, "n_start": 512, "max_n": 256}, "below the start"),
        ({"target_ci": 0.05, "top": 0}, "target_top must be a positive integer"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        sobol_to_precision(ishigami, NAMES, **kwargs)
