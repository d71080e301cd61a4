"""Readable units (``format_unit``) on a table of cases written out by hand."""

import pytest

from pcflab.core import format_probability, format_unit, ureg

CASES = [
    # (as written in a file, a pint expression or a report, readable text)
    ("kg/m**3", "kg/m³"),
    ("kg/m^3", "kg/m³"),
    ("kg / (m ** 3)", "kg/m³"),
    ("m**2", "m²"),
    ("kg/m**-1", "kg/m⁻¹"),
    ("kg/m**(-1)", "kg/m⁻¹"),
    ("kWh/t", "kWh/t"),
    ("kg/(t)", "kg/t"),
    ("kg/(kWh)", "kg/kWh"),
    ("kg CO2e", "kg CO₂e"),
    ("kg CO2e per functional unit", "kg CO₂e per functional unit"),
    ("t CO2e/t", "t CO₂e/t"),
    ("kg CO2e/kWh", "kg CO₂e/kWh"),
    ("kgCO2e/kWh", "kg CO₂e/kWh"),
    ("t CO2/t", "t CO₂/t"),
    ("CH4", "CH₄"),
    ("N2O fossil", "N₂O fossil"),
    ("SF6", "SF₆"),
    ("C2F6", "C₂F₆"),
    ("CF4", "CF₄"),
    ("NF3", "NF₃"),
    ("HFC-134a", "HFC-134a"),
    ("t*km", "t·km"),
    ("t * km", "t·km"),
    ("tkm", "t·km"),
    ("kg/tkm", "kg/(t·km)"),
    ("kg/(t*km)", "kg/(t·km)"),
    ("kg/t*km", "kg/(t·km)"),
    ("kg/km/t", "kg/(t·km)"),
    ("km*t", "t·km"),
    ("kilogram / tonne", "kg/t"),
    ("kilowatt_hour/tonne", "kWh/t"),
    ("kilogram/meter**3", "kg/m³"),
    ("kg/year", "kg/year"),
    ("MWh", "MWh"),
    ("Nm3", "Nm³"),
    ("kg/Nm3", "kg/Nm³"),
    ("kg CO2e/m**2", "kg CO₂e/m²"),
    ("1/m", "1/m"),
    ("kg/item", "kg/item"),
    ("g/MJ", "g/MJ"),
    ("", ""),
    ("1", ""),
    ("dimensionless", ""),
    (None, ""),
]


@pytest.mark.parametrize(("unit", "expected"), CASES)
def test_format_unit_on_strings(unit, expected):
    assert format_unit(unit) == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("kg/m**3", "kg/m³"),
        ("kilowatt_hour/tonne", "kWh/t"),
        ("kg/(t*km)", "kg/(t·km)"),
        ("t*km", "t·km"),
        ("m**2", "m²"),
    ],
)
def test_format_unit_on_pint_units_and_quantities(expression, expected):
    assert format_unit(ureg(expression).units) == expected
    assert format_unit(ureg(expression) * 3.5) == expected  # the magnitude is left out


def test_format_unit_leaves_nothing_unreadable():
    """No ``**``, ``^``, ``*``, ``(t)`` or ``CO2`` with a plain digit survives in any case."""
    for unit, _ in CASES:
        text = format_unit(unit)
        for bad in ("**", "^", "*", "/(t)", "CO2", "CH4", "N2O", "m3", "m2", "kilogram", "tonne", " / "):
            assert bad not in text, (unit, text)


def test_format_probability_is_unchanged():
    assert format_probability(0.87) == "87 %"
    assert format_probability(0.999) == "> 99 %"
