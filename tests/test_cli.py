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
    assert f"{det:,.1f} kg CO2e" in out
    assert f"mean {stats['mean']:,.1f}" in out


def test_models_and_factors_list(capsys):
    assert main(["models"]) == 0
    assert "steel/bf-bof-hot-rolled-coil" in capsys.readouterr().out
    assert main(["factors", "list"]) == 0
    out = capsys.readouterr().out
    assert "cn-sd/electricity/grid-co2/2023" in out and "co2_fossil=0.6191" in out


def test_bad_model_gives_message_not_traceback(model_file, capsys):
    path = model_file(SMALL_MODEL.replace("value: 100", "value: lots"))
    assert main(["run", str(path), "--samples", "0"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and f"{path}:11" in err and "Traceback" not in err
