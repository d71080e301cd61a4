"""Reports: the steel notebook runs through papermill and its numbers are the library's."""

import base64
import json
import re

import pytest

import pcflab
from pcflab.core._errors import ReportError

pytestmark = [pytest.mark.notebook, pytest.mark.slow]

MODEL = "steel/bf-bof-hot-rolled-coil"
SAMPLES, SEED = 500, 7


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports") / "steel"
    html = pcflab.run_report(MODEL, "steel", out_dir=out, n_samples=SAMPLES, seed=SEED)
    return html


def test_report_files_exist(report):
    folder = report.parent
    for name in ("report.html", "report.ipynb", "results.nc", "summary.json", "run.json"):
        assert (folder / name).is_file(), name
    assert not list(folder.parent.glob(".steel.staging-*"))


def test_report_outputs_are_the_library_layout(report):
    """summary.json is report_summary of the library results, results.nc holds the same run."""
    import xarray as xr

    summary = json.loads((report.parent / "summary.json").read_text(encoding="utf-8"))
    assert list(summary) == list(pcflab.ReportSummary.model_fields)
    pcflab.ReportSummary.model_validate(summary)
    mc = pcflab.simulate(MODEL, SAMPLES, SEED)
    with xr.open_dataset(report.parent / "results.nc") as ds:
        assert (ds["total"].values == mc["total"].values).all()
        assert float(ds["deterministic"].sum()) == pytest.approx(summary["deterministic_total"], rel=1e-12)
    html = report.read_text(encoding="utf-8")
    for factor in pcflab.compile_model(pcflab.load_model(MODEL), pcflab.load_factors()).factor_ids:
        assert f"<th>{factor.replace('/', '/<wbr/>')}</th>" in html  # the factor table, ids breakable
    assert "<th>region</th>" in html and "<th>year</th>" in html


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
    assert f"{float(det['gwp100'].sum()):,.1f} kg CO₂e per functional unit" in html
    assert f"{stats['mean']:,.1f} kg CO₂e" in html
    assert f"{stats['lower']:,.1f} – {stats['upper']:,.1f} kg CO₂e" in html


def test_report_analyses_equal_the_library(report):
    """Sensitivity, contributions, data quality and grades in the report are the library's."""
    summary = json.loads((report.parent / "summary.json").read_text(encoding="utf-8"))
    sobol = pcflab.sensitivity(MODEL, "sobol", n_samples=256, seed=SEED)
    assert list(summary["sobol"]) == list(sobol["input"].values)
    for name in sobol["input"].values[:3]:
        assert summary["sobol"][name]["ST"] == float(sobol["ST"].sel(input=name))
    assert summary["contributions_by_factor"] == pcflab.contributions(MODEL, by="factor")["gwp100"].to_dict()
    assert summary["tornado_swing"] == pcflab.tornado(MODEL)["swing"].to_dict()
    assert summary["data_quality"]["dqr"] == pcflab.data_quality(MODEL).dqr
    assert [g["scheme_id"] for g in summary["grades"]] == [  # the schemes of hot-rolled coil, by default
        "pcflab-percentile-steel",
        "espr-steel-hrc-2026-draft",
    ]
    for g in summary["grades"]:
        again = pcflab.grade(MODEL, g["scheme_id"], n_samples=SAMPLES, seed=SEED)
        assert g["probabilities"] == again.probabilities
        assert g["deterministic_class"] == again.deterministic_class
        assert sum(g["probabilities"].values()) == pytest.approx(1.0, abs=1e-12)
    html = report.read_text(encoding="utf-8")
    encoded = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    images = [base64.b64decode(b).decode("utf-8") for b in encoded]
    labels = [svg for svg in images if "Product carbon footprint class" in svg]  # the class label
    assert len(labels) == 1
    assert summary["grades"][0]["most_likely_class"] in labels[0]


def test_report_hides_code_and_loads_nothing_from_the_network(report):
    html = report.read_text(encoding="utf-8")
    assert "pcflab.simulate(" not in html  # code cells are hidden
    # stages, histogram, convergence, tornado, variance shares, Sobol, 2 class-probability plots, scenario
    assert html.count('src="data:image/svg+xml') >= 9
    external = re.findall(r"""(?:src|href)\s*=\s*["'](https?:[^"']+)""", html)
    assert external == []


def _failing_notebook(folder):
    """A notebook with the report's parameters whose second cell fails."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell('model = ""\nn_samples = 100\nseed = 1\noutput_dir = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell('raise RuntimeError("a cell failed")')]
    path = folder / "failing.ipynb"
    nbformat.write(nb, path)
    return path


def test_bad_parameter_is_refused_before_running_and_keeps_the_previous_report(report):
    before = report.read_bytes()
    with pytest.raises(ReportError, match="n_samples=5 is invalid"):
        pcflab.run_report(MODEL, "steel", out_dir=report.parent, n_samples=5, seed=SEED)
    assert report.read_bytes() == before
    assert not (report.parent / "report.failed").exists()  # nothing ran
    assert not list(report.parent.parent.glob(".steel.staging-*"))


def test_failed_run_keeps_the_previous_report(report, tmp_path):
    before = report.read_bytes()
    with pytest.raises(ReportError, match="a cell failed"):
        pcflab.run_report(MODEL, _failing_notebook(tmp_path), out_dir=report.parent, n_samples=100, seed=SEED)
    assert report.read_bytes() == before
    assert (report.parent / "report.failed" / "report.ipynb").is_file()
    assert not report.parent.with_name("steel.failed").exists()


def test_failed_notebook_has_one_place_cleaned_by_the_next_good_run(tmp_path, monkeypatch):
    """A failed run's notebook is in <out>/report.failed/; the next good run removes it; nothing
    is written outside --out (the working directory and the folder around --out stay as they were)."""
    cwd, out = tmp_path / "cwd", tmp_path / "elsewhere" / "steel"
    cwd.mkdir()
    bad = _failing_notebook(tmp_path)
    monkeypatch.chdir(cwd)
    quick = {"sobol_n": 0, "schemes": []}
    with pytest.raises(ReportError, match="a cell failed") as failure:
        pcflab.run_report(MODEL, bad, out_dir=out, n_samples=100, seed=SEED)
    assert str(out / "report.failed" / "report.ipynb") in str(failure.value)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.parent == out) == [
        "elsewhere/steel/report.failed"
    ]
    pcflab.run_report(MODEL, "steel", out_dir=out, n_samples=100, seed=SEED, parameters=quick)
    assert list(cwd.iterdir()) == []
    assert [p.name for p in out.parent.iterdir()] == ["steel"]
    assert sorted(p.name for p in out.iterdir()) == [
        "report.html",
        "report.ipynb",
        "results.nc",
        "run.json",
        "summary.json",
    ]


def test_notebook_run_by_hand_writes_to_the_output_folder_not_notebooks(tmp_path, monkeypatch):
    """papermill on the notebook in its own folder, as a user runs it: results go to
    $PCFLAB_OUTPUT_DIR/<model>, created on demand; the notebook folder gets nothing."""
    import shutil

    import papermill as pm

    nbdir = tmp_path / "notebooks"
    nbdir.mkdir()
    shutil.copy(pcflab.reporting.notebook_path("steel"), nbdir / "steel.ipynb")
    monkeypatch.setenv("PCFLAB_OUTPUT_DIR", str(tmp_path / "out"))
    pm.execute_notebook(
        str(nbdir / "steel.ipynb"),
        str(tmp_path / "executed.ipynb"),
        parameters={"n_samples": 100, "seed": 1, "sobol_n": 0, "schemes": []},
        cwd=str(nbdir),
        progress_bar=False,
    )
    assert [p.name for p in nbdir.iterdir()] == ["steel.ipynb"]
    summary = json.loads((tmp_path / "out" / "steel-bf-bof-hot-rolled-coil" / "summary.json").read_text("utf-8"))
    assert summary["provenance"]["n_samples"] == 100


def test_old_samples_spelling_still_runs(tmp_path):
    with pytest.warns(DeprecationWarning, match=r"run_report\(samples=\.\.\.\) is deprecated"):
        html = pcflab.run_report(
            MODEL, "steel", out_dir=tmp_path / "old", samples=200, seed=3, parameters={"sobol_n": 0, "schemes": []}
        )
    summary = json.loads((html.parent / "summary.json").read_text(encoding="utf-8"))
    assert summary["provenance"]["n_samples"] == 200 and summary["monte_carlo"]["n"] == 200
    assert summary["sobol"] is None and summary["grades"] == []
    run = json.loads((html.parent / "run.json").read_text(encoding="utf-8"))
    assert run["parameters"]["n_samples"] == 200 and "samples" not in run["parameters"]


def test_unknown_parameter_is_refused_before_running(tmp_path):
    with pytest.raises(ReportError, match="unknown notebook parameter"):
        pcflab.run_report(MODEL, "steel", out_dir=tmp_path / "x", parameters={"sampels": 10})
    assert not (tmp_path / "x").exists()


def _visible_text(html):
    """The report as a reader sees it: no scripts, styles, tags or embedded images."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'src="data:[^"]*"', " ", html)
    return re.sub(r"<[^>]+>", " ", html)


def test_report_writes_units_readably(report):
    text = _visible_text(report.read_text(encoding="utf-8"))
    for unreadable in ("kg CO2e", "t CO2e", "kg/m**3", "m**3", "kg/(t)", "kilogram", "CO$_2$"):
        assert unreadable not in text, (unreadable, text[max(0, text.find(unreadable) - 200) :][:400])
    assert "kg CO₂e" in text and re.search(r"Functional unit:\s+1 t\b", text)
