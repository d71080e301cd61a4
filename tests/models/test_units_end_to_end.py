"""Units checked end to end (issue 15, point 3).

A formula's result is converted to its exchange's unit; a result of another dimension is an
error naming the file, line, parameter and both units, and so is a pure number (a share)
whose two readings, plain number or share of the product, differ.
"""

import pytest

import pcflab
from pcflab.core import ModelWarning, UnitMismatchError
from tests.conftest import SMALL_MODEL, factor_row
from tests.models_for_tests import process_yaml

GRID = "{factor: test/electricity/grid/2023, amount: power, unit: kWh/t}"


@pytest.fixture
def factors(factor_file):
    return pcflab.load_factors(factor_file(factor_row()))  # 0.5 kg CO2 per kWh


def total(path, factors, **kw):
    return float(pcflab.footprint(pcflab.load_model(path), factors, **kw).gwp100.sum())


# --- point 3: units ---


def test_mass_ratio_parameter_in_an_energy_exchange_is_an_error(widget_model, factors):
    """20 kg/t is 0.02 in SI; it was read as 0.02 kWh/t, silently. Now an error naming both units."""
    path = widget_model(("    value: 100\n    unit: kWh/t", "    value: 20\n    unit: kg/t"))
    with pytest.raises(UnitMismatchError) as err:
        pcflab.compile_model(pcflab.load_model(path), factors)
    e = err.value
    assert e.file == str(path) and e.line == 20 and e.field == "processes.assembly.factors[0].unit"
    assert "parameter 'power' in kg/t" in e.message and "the unit is kWh/t" in e.message
    assert str(path) in str(e)


def test_ratio_of_other_units_in_an_energy_exchange_is_an_error(widget_model, factors):
    """MJ/GJ is dimensionless but not a pure number: it does not stand for kWh/t."""
    path = widget_model(("    value: 100\n    unit: kWh/t", "    value: 100\n    unit: MJ/GJ"))
    with pytest.raises(UnitMismatchError, match="parameter 'power' in MJ/GJ"):
        pcflab.compile_model(pcflab.load_model(path), factors)


@pytest.mark.parametrize(("unit", "value"), [("'1'", 100), ("kWh/kWh", 100), ("'%'", 10000)])
def test_pure_number_parameter_is_a_plain_number_in_the_exchange_unit(widget_model, factors, unit, value):
    """A count or share (1, kWh/kWh, %) times numbers is a plain number: 2 x 100 = 200 kWh/t x 0.5 = 100 kg."""
    path = widget_model(
        ("    value: 100\n    unit: kWh/t", f"    value: {value}\n    unit: {unit}"),
        (GRID, GRID.replace("amount: power", "amount: 2 * power")),
    )
    assert total(path, factors) == pytest.approx(200 * 0.5, rel=1e-12)


def test_plain_number_is_in_the_exchange_unit(widget_model, factors):
    path = widget_model((GRID, GRID.replace("amount: power", "amount: 30")), ("power:", "unused_power:"))
    with pytest.warns(ModelWarning):
        assert total(path, factors) == pytest.approx(30 * 0.5, rel=1e-12)


def test_product_of_parameters_in_the_exchange_unit(widget_model, factors):
    """yield [t/t] x power [kWh/t] = kWh/t: 1.05 x 100 kWh/t x 0.5 kg/kWh = 52.5 kg."""
    path = widget_model(
        ("processes:\n", "  yield_loss:\n    value: 1.05\n    unit: t/t\nprocesses:\n"),
        (GRID, GRID.replace("amount: power", "amount: yield_loss * power")),
    )
    assert total(path, factors) == pytest.approx(1.05 * 100 * 0.5, rel=1e-12)


def test_product_of_parameters_in_another_unit_of_the_same_dimension(widget_model, factors):
    """kg/t x MWh/kg = MWh/t, used as kWh/t: 1000 kg/t x 0.0001 MWh/kg = 0.1 MWh/t = 100 kWh/t."""
    path = widget_model(
        ("    value: 100\n    unit: kWh/t", "    value: 0.0001\n    unit: MWh/kg"),
        ("    uncertainty: {distribution: lognormal, gsd: 1.2}\n", ""),
        ("processes:\n", "  mass:\n    value: 1000\n    unit: kg/t\nprocesses:\n"),
        (GRID, GRID.replace("amount: power", "amount: mass * power")),
    )
    assert total(path, factors) == pytest.approx(100 * 0.5, rel=1e-12)


def _share_model(write_model, value, unit, used):
    """Widget takes ``share`` [unit] t of part per t (``used``); part takes 1000 kWh/t."""
    part = process_yaml(
        "part",
        "Part",
        "raw_material_acquisition",
        ("part", 1, "t"),
        factors=[("test/electricity/grid/2023", 1000, "kWh/t")],
    )
    reference = "reference_product: {name: widget, amount: 1, unit: t}"
    return write_model(
        SMALL_MODEL + part,
        ("power:\n    value: 100\n    unit: kWh/t", f"share:\n    value: {value}\n    unit: {unit}"),
        ("    uncertainty: {distribution: lognormal, gsd: 1.2}\n", ""),
        (reference, reference + f"\n    inputs:\n      - {{process: part, amount: share, unit: {used}}}"),
        (GRID, GRID.replace("amount: power", "amount: 0")),
    )


@pytest.mark.parametrize(
    ("value", "unit", "used"),
    [
        ("2", "'%'", "t/t"),
        ("2", "percent", "t/t"),
        ("0.02", "'1'", "t/t"),
        ("0.02", "t/t", "t/t"),
        ("20", "kg/t", "t/t"),
        ("20", "kg/t", "kg"),  # an intensity for an amount per 1 t of widget: 20 kg (was read as 0.02 kg)
        ("20", "kg/t", "t"),
    ],
)
def test_ratio_into_a_t_per_t_exchange(write_model, factors, value, unit, used):
    """2 % is 0.02 t/t: 0.02 t of part x 1000 kWh/t x 0.5 kg/kWh = 10 kg."""
    assert total(_share_model(write_model, value, unit, used), factors) == pytest.approx(10.0, rel=1e-12)


@pytest.mark.parametrize(("value", "unit"), [("2", "'%'"), ("0.02", "t/t")])
def test_share_in_an_amount_of_another_unit_is_an_error(write_model, factors, value, unit):
    """2 % in kg per 1 t is 0.02 kg as a plain number and 20 kg as a share: ambiguous, so an error."""
    path = _share_model(write_model, value, unit, "kg")
    with pytest.raises(UnitMismatchError) as err:
        pcflab.compile_model(pcflab.load_model(path), factors)
    e = err.value
    assert e.file == str(path) and e.line is not None and e.field == "processes.assembly.inputs[0].unit"
    assert "as a plain number it is 0.02 kg, as a share of the product 20 kg" in e.message
    assert f"parameter 'share' in {unit.strip(chr(39))}" in e.message and "kg/t" in e.hint


def test_share_in_the_reference_unit_is_not_ambiguous(write_model, factors):
    """0.02 t/t as an amount in t per 1 t is 0.02 t under both readings: 0.02 x 1000 x 0.5 = 10 kg."""
    assert total(_share_model(write_model, "0.02", "t/t", "t"), factors) == pytest.approx(10.0, rel=1e-12)


def test_energy_parameter_in_a_mass_exchange_is_an_error(write_model, factors):
    with pytest.raises(UnitMismatchError, match=r"parameter 'share' in kWh/t\) but the unit is t/t"):
        pcflab.compile_model(pcflab.load_model(_share_model(write_model, "2", "kWh/t", "t/t")), factors)
