"""``pcflab.sensitivity(..., target_ci=...)``: the Sobol sample size chosen for a stated precision.

The additive gadget of ``test_sensitivity`` has closed-form indices (S_i = ST_i = b_i^2
Var(X_i) / Var(Y)); a variant whose heat is nearly fixed has an index that is 0 in all but
name, which must be flagged and shown as "not distinguishable from 0" in the report table.
"""

import json

import numpy as np
import pytest

import pcflab
from pcflab.analysis._sensitivity import sensitivity
from pcflab.core._errors import PcfError
from tests.analysis.test_sensitivity import GADGET, SHARE
from tests.conftest import factor_row

TINY_HEAT = GADGET.replace("uniform, min: 0, max: 120", "uniform, min: 59.999, max: 60.001")


@pytest.fixture
def compile_gadget(model_file, factor_file):
    factors = pcflab.load_factors(
        factor_file(
            factor_row(gsd="1.0", value="0.5"),
            factor_row(fid="test/heat/boiler/2023", gsd="1.0", value="0.2"),
        )
    )

    def make(text=GADGET):
        return pcflab.compile_model(pcflab.load_model(model_file(text)), factors)

    return make


def test_the_stated_precision_is_reached_and_said(compile_gadget):
    cm = compile_gadget()
    fixed = sensitivity(cm, "sobol", n_samples=64, seed=4)
    assert max(fixed["S1_conf"].max(), fixed["ST_conf"].max()) > 0.03
    ds = sensitivity(cm, "sobol", n_samples=64, seed=4, target_ci=0.03, target_top=3)
    assert ds.attrs["target_reached"] == 1 and ds.attrs["n"] == ds.attrs["n_samples"] > 64
    assert ds["S1_conf"].max() <= 0.03 and ds["ST_conf"].max() <= 0.03
    assert json.loads(ds.attrs["n_tried"])[0] == 64
    assert ds.attrs["runs"] == ds.attrs["n"] * (3 + 2)  # the designs' runs reused
    assert "<= 0.03 at N = " in ds.attrs["precision"]
    for name, share in SHARE.items():  # against the closed form
        sub = ds.sel(input=name)
        assert abs(float(sub["S1"]) - share) <= float(sub["S1_conf"]) + 1e-12
        assert abs(float(sub["ST"]) - share) <= float(sub["ST_conf"]) + 1e-12
    assert not ds["S1_includes_zero"].values.any()


def test_the_largest_n_is_said_when_the_target_is_not_reached(compile_gadget):
    ds = sensitivity(compile_gadget(), "sobol", n_samples=64, seed=4, target_ci=1e-4, max_n_samples=128)
    assert ds.attrs["target_reached"] == 0 and ds.attrs["n"] == 128
    assert ds.attrs["precision"].startswith("not reached") and "max_n_samples" in ds.attrs["precision"]


def test_an_index_of_zero_is_flagged_and_shown_in_words(compile_gadget, tmp_path):
    ds = sensitivity(compile_gadget(TINY_HEAT), "sobol", n_samples=1024, seed=2)
    heat = ds.sel(input="heat")
    assert abs(float(heat["S1"])) <= float(heat["S1_conf"])  # Var(heat term) / Var(Y) ~ 1e-9
    assert bool(heat["S1_includes_zero"]) and not bool(ds.sel(input="power")["S1_includes_zero"])
    table = pcflab.sobol_table(ds, top=3)
    assert (
        table.loc["heat", "reading"].startswith("S1") and "not distinguishable from 0" in table.loc["heat", "reading"]
    )
    assert table.loc["power", "reading"] == ""
    for name in table.index:  # the words follow from the numbers shown
        zero_s1 = abs(table.loc[name, "S1"]) <= table.loc[name, "S1_conf"]
        assert ("S1" in table.loc[name, "reading"]) == zero_s1
    assert "not distinguishable from 0" in pcflab.html_table(table, digits=3)
    ds.to_netcdf(tmp_path / "sens.nc")  # the boolean marks are netCDF-safe


def test_the_table_carries_the_precision_note(compile_gadget):
    ds = sensitivity(compile_gadget(), "sobol", n_samples=64, seed=4, target_ci=0.05)
    assert pcflab.sobol_table(ds).attrs["precision"] == ds.attrs["precision"]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"method": "morris", "n_samples": 10, "target_ci": 0.05}, "chooses the Sobol base sample size"),
        ({"target_ci": 1.5}, "target_ci must lie strictly between 0 and 1"),
        ({"target_ci": 0.05, "target_top": 0}, "target_top must be a positive integer"),
        ({"target_ci": 0.05, "max_n_samples": 1000}, "power of two.*max_n_samples"),
        ({"target_ci": 0.05, "n_samples": 1024, "max_n_samples": 512}, "below the start"),
    ],
)
def test_bad_precision_arguments_fail_before_loading(kwargs, match):
    with pytest.raises(PcfError, match=match) as err:
        sensitivity("no/such/model", **kwargs)
    assert err.value.hint


def test_a_pilot_model_to_a_precision():
    ds = pcflab.sensitivity("steel/bf-bof-hot-rolled-coil", "sobol", n_samples=256, seed=1, target_ci=0.05)
    assert ds.attrs["target_reached"] == 1
    top = ds.isel(input=slice(0, 5))
    assert float(np.max([top["S1_conf"].max(), top["ST_conf"].max()])) <= 0.05
