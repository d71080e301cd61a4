"""The pcflab command."""

import subprocess
import sys

import pytest

import pcflab
from pcflab.cli import main
from tests.conftest import SMALL_MODEL


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"pcflab {pcflab.__version__}"


def test_help_lists_subcommands(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for sub in ("demo", "report", "run", "models", "factors"):
        assert sub in out


def test_console_script_is_installed():
    done = subprocess.run([sys.executable, "-m", "pcflab.cli", "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == f"pcflab {pcflab.__version__}"


def test_run_prints_deterministic_and_monte_carlo(capsys):
    assert main(["run", "steel/bf-bof-hot-rolled-coil", "--samples", "500", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    det = float(pcflab.footprint("steel/bf-bof-hot-rolled-coil")["gwp100"].sum())
    stats = pcflab.summary(pcflab.simulate("steel/bf-bof-hot-rolled-coil", 500, 3))
    assert f"{det:,.1f} kg CO₂e" in out
    assert f"mean {stats['mean']:,.1f}" in out


def test_models_and_factors_list(capsys):
    assert main(["models"]) == 0
    assert "steel/bf-bof-hot-rolled-coil" in capsys.readouterr().out
    assert main(["factors", "list"]) == 0
    out = capsys.readouterr().out
    assert "cn-sd/electricity/grid-co2/2023" in out and "co2_fossil=0.6191" in out


def test_bad_model_gives_message_not_traceback(model_file, capsys):
    path = model_file(SMALL_MODEL.replace("value: 100", "value: lots"))
    assert main(["run", str(path), "--samples", "0"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and f"{path}:11" in err and "Traceback" not in err


def test_factors_validate_reports_all_problems(factor_file, capsys):
    from tests.conftest import factor_row

    assert main(["factors", "validate"]) == 0
    assert "no problems" in capsys.readouterr().out
    path = factor_file(factor_row(fid="t/a/a/1", unit=""), factor_row(fid="t/b/b/1", region="XX"))
    assert main(["factors", "validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:2: unit:" in out and f"{path}:3: region:" in out and "2 problem(s)" in out


def test_factors_show_resolve_compare(capsys):
    assert main(["factors", "show", "cn-sd/electricity/grid-co2/2023"]) == 0
    out = capsys.readouterr().out
    assert "co2_fossil: 0.6191 kg/kWh" in out and "source [P-via" in out
    assert main(["factors", "resolve", "electricity/grid-co2", "--region", "CN-SD", "--year", "2030"]) == 0
    assert "no 2030 factor: used 2023" in capsys.readouterr().out
    assert main(["factors", "compare", "--key", "fuel/natural-gas"]) == 0
    out = capsys.readouterr().out
    assert "glo/fuel/natural-gas/ipcc2006" in out and "cn/fuel/natural-gas/ncsc2025" in out
    assert main(["factors", "show", "no/such/factor/id"]) == 2
    assert "no factor 'no/such/factor/id'" in capsys.readouterr().err


def test_factors_build_export_diff(tmp_path, capsys):
    assert main(["factors", "build", "--out", str(tmp_path / "b.nc")]) == 0
    assert main(["factors", "export", "--csv", str(tmp_path / "all.csv")]) == 0
    capsys.readouterr()
    assert main(["factors", "diff", str(tmp_path / "b.nc"), str(tmp_path / "all.csv")]) == 0
    assert "0 added, 0 removed, 0 changed gas rows" in capsys.readouterr().out


def test_factors_import_error_exit_code(tmp_path, capsys):
    bad = tmp_path / "t.csv"
    bad.write_text("pcflab_id\nx\n", encoding="utf-8")
    assert main(["factors", "import", str(bad), "--database", str(tmp_path)]) == 2
    assert "missing template columns" in capsys.readouterr().err


def test_run_calls_the_analyses_in_their_current_names(capsys):
    """``pcflab run`` (with --gwp, --profile and --profiles) uses no deprecated pcflab name, and
    prints what the API gives under the same GWP set and profile."""
    import warnings

    model = "steel/eaf-hot-rolled-bar"
    with warnings.catch_warnings():
        warnings.filterwarnings("error", r".*deprecated since pcflab", DeprecationWarning)
        assert main(["run", model, "--samples", "300", "--seed", "5", "--gwp", "AR5", "--profile", "pef"]) == 0
        out = capsys.readouterr().out
        assert main(["run", model, "--profiles", "iso14067,pef"]) == 0
        table = capsys.readouterr().out
    det = float(pcflab.footprint(model, profile="pef", gwp_set="AR5")["gwp100"].sum())
    stats = pcflab.summary(pcflab.simulate(model, 300, 5, profile="pef", gwp_set="AR5"))
    assert f"deterministic footprint (AR5 GWP100): {det:,.1f} kg CO₂e" in out
    assert f"mean {stats['mean']:,.1f}" in out
    totals = pcflab.compare_methods(model, profiles=["iso14067", "pef"])["total"]
    assert all(f"{v:,.1f}" in table for v in totals)
