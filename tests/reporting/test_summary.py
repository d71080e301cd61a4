"""summary.json and results.nc: the layout the notebook wrote before, written atomically."""

import json
import os

import numpy as np
import pydantic
import pytest
import xarray as xr

import pcflab
from pcflab.methods import STAGES

BOF = "steel/bf-bof-hot-rolled-coil"
N, SEED = 400, 11


@pytest.fixture(scope="module")
def results():
    """Run every analysis a report runs, as the steel notebook runs them."""
    factors = pcflab.load_factors()
    system = pcflab.load_model(BOF)
    compiled = pcflab.compile_model(system, factors)
    det = pcflab.footprint(compiled, gwp_set="AR6")
    mc = pcflab.simulate(compiled, N, SEED, gwp_set="AR6", record="all")
    return {
        "system": system,
        "det": det,
        "mc": mc,
        "methods": pcflab.compare_methods(system, factors),
        "by_factor": pcflab.contributions(compiled, by="factor", gwp_set="AR6"),
        "swings": pcflab.tornado(compiled, gwp_set="AR6"),
        "shares": pcflab.variance_shares(compiled, result=mc),
        "sobol": pcflab.sensitivity(compiled, "sobol", n_samples=16, seed=SEED, gwp_set="AR6"),
        "quality": pcflab.data_quality(compiled, gwp_set="AR6"),
        "grades": [pcflab.grade(compiled, "espr-steel-hrc-2026-draft", n_samples=N, seed=SEED)],
    }


def build(r, sobol=True):
    return pcflab.report_summary(
        r["det"],
        r["mc"],
        method_profiles=r["methods"],
        contributions_by_factor=r["by_factor"],
        tornado_swing=r["swings"],
        variance_shares=r["shares"],
        data_quality=r["quality"],
        sobol=r["sobol"] if sobol else None,
        grades=r["grades"],
    )


def old_notebook_summary(r, sobol=True):
    """Build the summary as notebooks/steel.py did inline before it moved to the library."""
    det, mc, system = r["det"], r["mc"], r["system"]
    det_total = float(det["gwp100"].sum())
    by_stage = det["gwp100"].groupby("stage").sum().sum("gas").to_series().reindex(list(STAGES), fill_value=0.0)
    keys = (
        "model_id",
        "model_sha256",
        "factor_release",
        "factors_sha256",
        "gwp_set",
        "seed",
        "n_samples",
        "sampler",
        "pcflab_version",
        "numpy_version",
        "numba_version",
        "python_version",
    )
    s = r["sobol"] if sobol else None
    return {
        "model_id": system.id,
        "functional_unit": det.attrs["functional_unit"],
        "units": "kg CO2e per functional unit",
        "deterministic_total": det_total,
        "deterministic_by_stage": {k: float(v) for k, v in by_stage.items()},
        "monte_carlo": pcflab.summary(mc),
        "method_profiles": {name: float(v) for name, v in r["methods"]["total"].items()},
        "contributions_by_factor": {k: float(v) for k, v in r["by_factor"]["gwp100"].items()},
        "tornado_swing": {k: float(v) for k, v in r["swings"]["swing"].items()},
        "variance_shares": {k: float(v) for k, v in r["shares"]["share"].items()},
        "sobol": None
        if s is None
        else {
            name: {v: float(s[v].sel(input=name)) for v in ("S1", "S1_conf", "ST", "ST_conf")}
            for name in s["input"].values
        },
        "data_quality": r["quality"].summary() | {"data_quality_notes": r["quality"].notes},
        "grades": [g.as_dict() for g in r["grades"]],
        "provenance": {k: mc.attrs[k] for k in keys},
    }


@pytest.mark.parametrize("sobol", [True, False])
def test_summary_is_the_layout_the_notebook_wrote(results, sobol):
    summary = build(results, sobol)
    old = old_notebook_summary(results, sobol)
    assert list(summary) == list(old)
    assert json.dumps(summary, indent=2) == json.dumps(old, indent=2)  # same keys, values and order
    assert list(summary) == list(pcflab.ReportSummary.model_fields)


def test_summary_values_are_the_library_results(results):
    summary = build(results)
    det, mc = results["det"], results["mc"]
    assert summary["model_id"] == BOF
    assert summary["deterministic_total"] == float(det["gwp100"].sum())
    assert list(summary["deterministic_by_stage"]) == list(STAGES)
    assert sum(summary["deterministic_by_stage"].values()) == pytest.approx(summary["deterministic_total"], rel=1e-12)
    totals = mc["total"].values
    assert summary["monte_carlo"]["n"] == N
    assert summary["monte_carlo"]["mean"] == pytest.approx(np.mean(totals), rel=1e-12)
    assert summary["method_profiles"]["iso14067"] == pytest.approx(summary["deterministic_total"], rel=1e-12)
    assert sum(summary["contributions_by_factor"].values()) == pytest.approx(summary["deterministic_total"], rel=1e-9)
    assert summary["sobol"][str(results["sobol"]["input"].values[0])]["ST"] == float(results["sobol"]["ST"][0])
    assert summary["data_quality"]["dqr"] == results["quality"].dqr
    assert summary["grades"][0]["scheme_id"] == "espr-steel-hrc-2026-draft"
    assert summary["provenance"]["seed"] == SEED and summary["provenance"]["n_samples"] == N
    assert list(summary["provenance"]) == list(pcflab.reporting.PROVENANCE_KEYS)


def test_schema_refuses_a_summary_that_is_not_the_layout(results):
    summary = build(results)
    pcflab.ReportSummary.model_validate(summary)
    with pytest.raises(pydantic.ValidationError, match="extra"):
        pcflab.ReportSummary.model_validate(summary | {"total": 1.0})
    with pytest.raises(pydantic.ValidationError, match="deterministic_total"):
        pcflab.ReportSummary.model_validate({k: v for k, v in summary.items() if k != "deterministic_total"})
    with pytest.raises(pydantic.ValidationError, match="ST_conf"):
        broken = dict(summary["sobol"])
        broken["x"] = {"S1": 0.1, "S1_conf": 0.0, "ST": 0.2}
        pcflab.ReportSummary.model_validate(summary | {"sobol": broken})
    schema = pcflab.ReportSummary.model_json_schema()
    assert set(schema["required"]) == set(summary)
    assert "kg CO2e per functional unit" in schema["$defs"]["MonteCarloSummary"]["properties"]["mean"]["description"]


def test_outputs_are_written_and_read_back(results, tmp_path):
    summary = build(results)
    paths = pcflab.write_report_outputs(tmp_path, summary, results["mc"], results["det"])
    assert paths == (tmp_path / "summary.json", tmp_path / "results.nc")
    assert json.loads(paths[0].read_text(encoding="utf-8")) == json.loads(json.dumps(summary))
    assert oct(paths[0].stat().st_mode & 0o777) == oct(0o644)
    with xr.open_dataset(paths[1]) as ds:
        np.testing.assert_array_equal(ds["total"].values, results["mc"]["total"].values)
        np.testing.assert_array_equal(ds["deterministic"].values, results["det"]["gwp100"].values)
        assert ds["deterministic"].attrs["units"] == "kg CO2e"
        assert ds.attrs["seed"] == SEED and ds.attrs["model_id"] == BOF
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.nc", "summary.json"]


def test_attrs_netcdf_cannot_hold_are_made_safe(results, tmp_path):
    mc = results["mc"].copy()
    mc.attrs = dict(mc.attrs, extra={"a": 1}, nothing=None, flag=True, pair=[1, "x"], numbers=[1, 2])
    mc["total"].attrs["source"] = None
    before = dict(mc.attrs)
    pcflab.write_report_outputs(tmp_path, build(results), mc, results["det"])
    assert mc.attrs == before and mc["total"].attrs["source"] is None  # the input is left as it was
    with xr.open_dataset(tmp_path / "results.nc") as ds:
        assert json.loads(ds.attrs["extra"]) == {"a": 1}
        assert "nothing" not in ds.attrs and "source" not in ds["total"].attrs
        assert ds.attrs["flag"] == 1
        assert json.loads(ds.attrs["pair"]) == [1, "x"]
        assert list(ds.attrs["numbers"]) == [1, 2]


@pytest.fixture
def written(results, tmp_path):
    summary = build(results)
    pcflab.write_report_outputs(tmp_path, summary, results["mc"], results["det"])
    return tmp_path, {name: (tmp_path / name).read_bytes() for name in ("summary.json", "results.nc")}


def assert_untouched(folder, before):
    assert {name: (folder / name).read_bytes() for name in before} == before
    assert sorted(p.name for p in folder.iterdir()) == sorted(before)  # no temporary file left


def test_failure_while_writing_the_summary_keeps_the_previous_one(results, written, monkeypatch):
    folder, before = written
    seen = []

    def fail(fd):
        seen.append(os.fstat(fd).st_size)  # the new summary is half written when this fails
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", fail)
    changed = build(results, sobol=False)
    with pytest.raises(OSError, match="disk full"):
        pcflab.write_report_outputs(folder, changed, results["mc"], results["det"])
    assert seen and seen[0] > 0
    assert (folder / "results.nc").read_bytes() == before["results.nc"]  # written before, from the same data
    assert (folder / "summary.json").read_bytes() == before["summary.json"]
    assert_untouched(folder, before)


def test_failure_while_writing_the_results_keeps_the_previous_ones(results, written, monkeypatch):
    folder, before = written

    def half_write(self, path, **kwargs):
        with open(path, "wb") as f:
            f.write(b"CDF\x01 half a file")
        raise RuntimeError("netCDF write failed")

    monkeypatch.setattr(xr.Dataset, "to_netcdf", half_write)
    with pytest.raises(RuntimeError, match="netCDF write failed"):
        pcflab.write_report_outputs(folder, build(results, sobol=False), results["mc"], results["det"])
    assert_untouched(folder, before)


def test_failure_to_move_into_place_keeps_the_previous_files(results, written, monkeypatch):
    folder, before = written

    def refuse(src, dst):
        raise PermissionError("read-only")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(PermissionError):
        pcflab.write_report_outputs(folder, build(results, sobol=False), results["mc"], results["det"])
    assert_untouched(folder, before)


def test_a_summary_json_cannot_serialise_writes_nothing(results, tmp_path):
    with pytest.raises(TypeError):
        pcflab.write_report_outputs(tmp_path, {"x": object()}, results["mc"], results["det"])
    assert list(tmp_path.iterdir()) == []
