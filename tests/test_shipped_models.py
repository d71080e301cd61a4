"""Every shipped sector model loads, solves, simulates and compares under every profile."""

import numpy as np
import pytest

import pcflab
from pcflab.methods import PROFILES

MODELS = pcflab.models.shipped_models()


def test_the_four_pilot_sectors_are_shipped():
    assert {m.split("/")[0] for m in MODELS} >= {"steel", "aluminium", "tyres", "textiles"}
    assert "steel/eaf-hot-rolled-bar" in MODELS and "steel/bf-bof-hot-rolled-coil" in MODELS


@pytest.mark.parametrize("name", MODELS)
def test_model_solves_and_simulates(name):
    model = pcflab.load_model(name)
    assert model.references, "every shipped model cites its sources"
    for pid, par in model.parameters.items():
        assert par.source or par.formula, f"parameter {pid} has no source"
    det = pcflab.footprint(model)
    total = float(det["gwp100"].sum())
    assert np.isfinite(total) and total > 0
    mc = pcflab.simulate(model, 300, seed=1)
    assert np.isfinite(mc["total"].values).all()
    s = pcflab.summary(mc)
    assert s["lower"] < total * 1.5 and s["upper"] > total / 1.5
    table = pcflab.compare_methods(model)
    # every profile applies but cbam, which applies to CBAM goods only (Regulation (EU) 2023/956 Annex I)
    assert set(table.attrs["not_applicable"]) <= {"cbam"}
    assert list(table.index) == [p for p in PROFILES if p not in table.attrs["not_applicable"]]
    assert (table["total"] > 0).all()


@pytest.mark.parametrize("name", MODELS)
def test_stage_gas_path_equals_the_process_gas_path(name):
    """The Monte Carlo path (stage x gas summed directly) and the deterministic path (process
    x gas, then by stage) are two implementations of the same sums."""
    cm = pcflab.compile_model(pcflab.load_model(name), pcflab.load_factors())
    by_process = pcflab.footprint(cm)["gwp100"].groupby("stage").sum()
    by_stage = pcflab.evaluate(cm, cm.nominal[None, :])["gwp100"].isel(sample=0)
    expected = by_process.reindex(stage=by_stage["stage"].values, fill_value=0.0).transpose("stage", "gas")
    np.testing.assert_allclose(by_stage.values, expected.sel(gas=by_stage["gas"].values).values, rtol=1e-12, atol=1e-9)
