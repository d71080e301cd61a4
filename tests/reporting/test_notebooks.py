"""Every notebook executes through papermill, on a model of its sector, with every section.

Issue 21, point 1: one notebook per pilot industry and one for any other sector.
"""

import json
import re

import pytest
import xarray as xr

import pcflab

pytestmark = [pytest.mark.notebook, pytest.mark.slow]

SECTIONS = (
    "Inventory and data sources",
    "Footprint by stage, process and gas",
    "One inventory, every method profile",
    "Uncertainty (Monte Carlo) and convergence",
    "What drives it",
    "Data quality",
    "Class, with its probability",
    "paired uncertainty",
    "Provenance and results files",
)

CASES = {  # notebook: (model of its sector, extra parameters)
    "steel": ("steel/eaf-hot-rolled-bar", {"sobol_n": 16}),
    "aluminium": ("aluminium/primary-ingot-green-electricity", {"sampler": "lhs"}),
    "tyres": ("tyres/passenger-car-tyre-silica", {}),
    "textiles": ("textiles/polycotton-woven-fabric", {}),
    "product": ("glass/float-glass-natural-gas", {"disclosure": "public"}),
}


@pytest.fixture(scope="module", params=sorted(CASES))
def executed(request, tmp_path_factory):
    name = request.param
    model, extra = CASES[name]
    out = tmp_path_factory.mktemp(name) / "report"
    html = pcflab.run_report(model, out_dir=out, n_samples=200, seed=5, parameters={"sobol_n": 0} | extra)
    return name, model, html


def test_the_sector_notebook_ran_with_every_section(executed):
    name, model, html = executed
    run = json.loads((html.parent / "run.json").read_text(encoding="utf-8"))
    assert run["notebook"] == f"{name}.ipynb"
    text = html.read_text(encoding="utf-8")
    for heading in SECTIONS:
        assert heading in text, (name, heading)
    assert pcflab.load_model(model).name in text
    assert "Traceback" not in text and "Figure size" not in text  # figures are images, not their repr
    assert text.count('src="data:image/svg+xml') >= 6  # stages, histogram, convergence, tornado, shares, paired


def test_the_scenario_is_paired_and_its_numbers_are_the_library(executed):
    _, model, html = executed
    text = html.read_text(encoding="utf-8")
    assert "drew identical values in every sample" in text
    run = json.loads((html.parent / "run.json").read_text(encoding="utf-8"))["parameters"]
    system = pcflab.load_model(model)
    changes, _ = pcflab.reporting.sector_lever(system)
    base = pcflab.compile_model(system, pcflab.load_factors())
    alt = pcflab.compile_model(pcflab.reporting.scenario_model(system, changes), pcflab.load_factors())
    pair = pcflab.reporting.paired_scenario(base, alt, 200, 5, sampler=run.get("sampler", "random"))
    assert f"P(scenario &lt; base) = <strong>{pair['p_lower']:.3f}</strong>" in text
    shown = re.search(r"difference \(scenario − base\) <strong>(-?[\d,]+\.(\d+)) kg CO₂e</strong>", text)
    assert float(shown[1].replace(",", "")) == pytest.approx(pair["mean"], abs=0.51 * 10 ** -len(shown[2]))


def test_the_results_are_the_library_run(executed):
    name, model, html = executed
    sampler = CASES[name][1].get("sampler", "random")
    mc = pcflab.simulate(model, 200, 5, sampler=sampler)
    with xr.open_dataset(html.parent / "results.nc") as ds:
        assert (ds["total"].values == mc["total"].values).all()
        assert ("theta" in ds) == (CASES[name][1].get("disclosure") != "public")
    summary = json.loads((html.parent / "summary.json").read_text(encoding="utf-8"))
    assert summary["deterministic_total"] == float(pcflab.footprint(model)["gwp100"].sum())


def test_a_public_report_leaves_the_activity_data_out(executed):
    name, model, html = executed
    text = html.read_text(encoding="utf-8")
    if CASES[name][1].get("disclosure") == "public":
        assert "Activity data (parameters)" not in text and "Left out of this <strong>public</strong> report" in text
        for pname in pcflab.load_model(model).parameters:
            assert not re.search(rf"<th>{re.escape(pname)}</th>", text), pname
    else:
        assert "Activity data (parameters)" in text
