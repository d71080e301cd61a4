"""Reports: the steel notebook runs through papermill and its numbers are the library's."""

import json
import re

import pytest

import pcflab
from pcflab._errors import ReportError

pytestmark = [pytest.mark.notebook, pytest.mark.slow]

MODEL = "steel/bf-bof-hot-rolled-coil"
SAMPLES, SEED = 500, 7


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports") / "steel"
    html = pcflab.run_report(MODEL, "steel", out_dir=out, samples=SAMPLES, seed=SEED)
    return html


def test_report_files_exist(report):
    folder = report.parent
    for name in ("report.html", "report.ipynb", "results.nc", "summary.json", "run.json"):
        assert (folder / name).is_file(), name
    assert not list(folder.parent.glob(".steel.staging-*"))


def test_report_numbers_equal_the_library(report):
    summary = json.loads((report.parent / "summary.json").read_text(encoding="utf-8"))
    det = pcflab.footprint(MODEL)
    stats = pcflab.summary(pcflab.simulate(MODEL, SAMPLES, SEED))
    assert summary["deterministic_total"] == float(det["gwp100"].sum())
    for key in ("mean", "median", "lower", "upper", "sd"):
        assert summary["monte_carlo"][key] == stats[key], key
    assert summary["provenance"]["seed"] == SEED and summary["provenance"]["n_samples"] == SAMPLES
    assert summary["method_profiles"] == pcflab.compare_methods(MODEL)["total"].to_dict()
    html = report.read_text(encoding="utf-8")
    assert f"{float(det['gwp100'].sum()):,.1f} kg CO2e per functional unit" in html
    assert f"{stats['mean']:,.1f} kg CO2e" in html
    assert f"{stats['lower']:,.1f} – {stats['upper']:,.1f} kg CO2e" in html


def test_report_hides_code_and_loads_nothing_from_the_network(report):
    html = report.read_text(encoding="utf-8")
    assert "pcflab.simulate(" not in html  # code cells are hidden
    assert html.count('src="data:image/svg+xml') >= 2  # stage bars and Monte Carlo histogram
    external = re.findall(r"""(?:src|href)\s*=\s*["'](https?:[^"']+)""", html)
    assert external == []


def test_failed_run_keeps_the_previous_report(report):
    before = report.read_bytes()
    with pytest.raises(ReportError, match="samples"):
        pcflab.run_report(MODEL, "steel", out_dir=report.parent, samples=5, seed=SEED)
    assert report.read_bytes() == before
    failed = report.parent.with_name("steel.failed")
    assert (failed / "report.ipynb").is_file()


def test_unknown_parameter_is_refused_before_running(tmp_path):
    with pytest.raises(ReportError, match="unknown notebook parameter"):
        pcflab.run_report(MODEL, "steel", out_dir=tmp_path / "x", parameters={"sampels": 10})
    assert not (tmp_path / "x").exists()
