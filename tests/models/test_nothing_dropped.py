"""Nothing dropped silently (issue 15, point 4).

Processes the reference product never reaches, parameters no formula names and factors only
such processes use are a ``ModelWarning`` (an error under ``strict``) and are counted in the
result's attributes.
"""

import json
import warnings

import pytest

import pcflab
from pcflab.core import ModelError, ModelWarning
from tests.conftest import SMALL_MODEL, factor_row
from tests.models_for_tests import process_yaml

GRID = "{factor: test/electricity/grid/2023, amount: power, unit: kWh/t}"


@pytest.fixture
def factors(factor_file):
    return pcflab.load_factors(factor_file(factor_row()))  # 0.5 kg CO2 per kWh


def total(path, factors, **kw):
    return float(pcflab.footprint(pcflab.load_model(path), factors, **kw).gwp100.sum())


# --- point 4: nothing dropped silently ---

ORPHAN = process_yaml("orphan", "Orphan", "production", ("scrap", 1, "t"), factors=[("test/fuel/gas/2023", 3, "GJ/t")])


@pytest.fixture
def two_factors(factor_file):
    return pcflab.load_factors(factor_file(factor_row(), factor_row(fid="test/fuel/gas/2023", value="56.1", per="GJ")))


def test_unreached_process_and_its_factor_are_a_warning(write_model, two_factors):
    path = write_model(SMALL_MODEL + ORPHAN, ("processes:\n", "processes:\n"))
    with pytest.warns(ModelWarning) as record:
        cm = pcflab.compile_model(pcflab.load_model(path), two_factors)
    messages = [(w.message.line, w.message.field, w.message.message) for w in record]
    assert messages[0][:2] == (21, "processes.orphan")
    assert "process 'orphan' is not reached from the reference process 'assembly'" in messages[0][2]
    assert "test/fuel/gas/2023" in messages[1][2]
    assert all(w.message.file == str(path) for w in record)
    assert cm.unreachable_processes == ["orphan"] and cm.unused_factors == ["test/fuel/gas/2023"]
    det = pcflab.footprint(cm)
    assert det.attrs["unreachable_processes"] == 1 and det.attrs["unused_factors"] == 1
    assert json.loads(det.attrs["unreachable_processes_list"]) == ["orphan"]
    assert float(det.gwp100.sum()) == pytest.approx(100 * 0.5, rel=1e-12)  # the orphan does not count


def test_unreached_process_is_an_error_under_strict(write_model, two_factors):
    path = write_model(SMALL_MODEL + ORPHAN, ("processes:\n", "processes:\n"))
    with pytest.raises(ModelError) as err:
        pcflab.compile_model(pcflab.load_model(path), two_factors, strict=True)
    assert err.value.line == 21 and "orphan" in err.value.message and "strict" in err.value.message


def test_unused_parameter_is_a_warning_and_counted(widget_model, factors):
    path = widget_model(("processes:\n", "  scrap_share:\n    value: 0.1\n    unit: t/t\nprocesses:\n"))
    with pytest.warns(ModelWarning, match="parameter 'scrap_share' is not used") as record:
        cm = pcflab.compile_model(pcflab.load_model(path), factors)
    assert record[0].message.line == 14 and record[0].message.field == "parameters.scrap_share"
    det = pcflab.footprint(cm)
    assert det.attrs["unused_parameters"] == 1 and det.attrs["unreachable_processes"] == 0
    assert json.loads(det.attrs["unused_parameters_list"]) == ["scrap_share"]


def test_unused_parameter_is_an_error_under_strict(widget_model, factors):
    path = widget_model(("processes:\n", "  scrap_share:\n    value: 0.1\n    unit: t/t\nprocesses:\n"))
    with pytest.raises(ModelError, match="scrap_share"):
        pcflab.compile_model(pcflab.load_model(path), factors, strict=True)


def test_reported_parameter_is_not_a_warning(widget_model, factors):
    path = widget_model(
        ("processes:\n", "  scrap_share:\n    value: 0.1\n    unit: t/t\n    reported: true\nprocesses:\n")
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", ModelWarning)
        cm = pcflab.compile_model(pcflab.load_model(path), factors, strict=True)
    assert cm.unused_parameters == []


def test_parameter_used_only_by_a_derived_parameter_counts_as_used(widget_model, factors):
    path = widget_model(
        (
            "processes:\n",
            "  base:\n    value: 50\n    unit: kWh/t\n  twice:\n    formula: base * 2\n    unit: kWh/t\nprocesses:\n",
        ),
        (GRID, GRID.replace("amount: power", "amount: power + twice")),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", ModelWarning)
        assert total(path, factors) == pytest.approx((100 + 100) * 0.5, rel=1e-12)


def test_cli_strict_flag(widget_model, factor_file, capsys):
    from pcflab.cli import main

    path = widget_model(("processes:\n", "  scrap_share:\n    value: 0.1\n    unit: t/t\nprocesses:\n"))
    run = ["run", str(path), "--samples", "0", "--factors", str(factor_file(factor_row()))]
    assert main(run) == 0
    err = capsys.readouterr().err  # the warning is one line naming file, line and parameter, no code line
    assert err.startswith(f"warning: {path}:14: parameters.scrap_share: parameter 'scrap_share' is not used")
    assert "_prepare.py" not in err
    assert main([*run, "--strict"]) == 2  # an input error (exit codes: pcflab --help)
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}:14: parameters.scrap_share: parameter 'scrap_share' is not used")
    assert "(an error under strict)" in err


@pytest.mark.parametrize("name", pcflab.models.shipped_models())
def test_shipped_models_leave_nothing_out(name):
    """Every shipped model compiles under strict: no unreached process, unused parameter or factor."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", ModelWarning)
        pcflab.analysis.prepare(name, strict=True)


def test_cli_report_strict_stops_before_the_report(tmp_path, capsys):
    """A shipped model with one unused parameter: '--strict' stops the report before any notebook runs."""
    from pcflab.cli import main

    shipped = pcflab.models.model_path("steel/eaf-scrap-crude-steel")
    text = shipped.read_text(encoding="utf-8").replace(
        "parameters:\n", "parameters:\n  spare:\n    value: 1\n    unit: t/t\n", 1
    )
    path = tmp_path / "eaf.yaml"
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("  spare:") + 1
    out = tmp_path / "out"
    assert main(["report", str(path), "--samples", "100", "--out", str(out), "--quiet", "--strict"]) == 2
    err = capsys.readouterr().err
    assert "parameter 'spare' is not used" in err and f"{path}:{line}" in err
    assert not out.exists()  # nothing written


def test_cli_run_profiles_strict(widget_model, factor_file, capsys):
    from pcflab.cli import main

    path = widget_model(("processes:\n", "  scrap_share:\n    value: 0.1\n    unit: t/t\nprocesses:\n"))
    run = ["run", str(path), "--profiles", "iso14067", "--factors", str(factor_file(factor_row())), "--strict"]
    assert main(run) == 2
    assert "scrap_share" in capsys.readouterr().err


def test_prepare_strict_on_a_leniently_compiled_model_raises(write_model, two_factors):
    """A model compiled without strict still fails ``prepare(cm, strict=True)``; a clean one passes through."""
    path = write_model(SMALL_MODEL + ORPHAN, ("processes:\n", "processes:\n"))
    with pytest.warns(ModelWarning):
        cm = pcflab.compile_model(pcflab.load_model(path), two_factors)
    with pytest.raises(ModelError, match="orphan"):
        pcflab.analysis.prepare(cm, strict=True)
    clean = pcflab.compile_model(pcflab.load_model(write_model(SMALL_MODEL)), two_factors)
    assert pcflab.analysis.prepare(clean, strict=True) is clean
