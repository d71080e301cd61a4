"""Every shipped sector model loads, solves, simulates and compares under every profile."""

import importlib.resources

import numpy as np
import pytest

import pcflab
from pcflab.methods import PROFILES

ROOT = importlib.resources.files("pcflab.datasets").joinpath("models")
MODELS = sorted(
    f"{d.name}/{f.name[:-5]}" for d in ROOT.iterdir() if d.is_dir() for f in d.iterdir() if f.name.endswith(".yaml")
)


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
    assert list(table.index) == list(PROFILES)
    assert (table["total"] > 0).all()
