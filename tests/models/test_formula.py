"""Formulas: derived parameters, conditionals, min/max, evaluated per sample in the kernel."""

import numpy as np
import pytest

import pcflab
from pcflab import kernel
from pcflab.core._errors import ModelError, UnitMismatchError
from pcflab.models._formula import parse_formula
from tests.conftest import SMALL_MODEL, factor_row

DERIVED = SMALL_MODEL.replace(
    "    uncertainty: {distribution: lognormal, gsd: 1.2}\n",
    "    uncertainty: {distribution: uniform, min: 50, max: 250}\n"
    "  losses:\n"
    "    value: 0.1\n"
    "    unit: t/t\n"
    "    uncertainty: {distribution: triangular, min: 0.05, max: 0.2}\n"
    "  kwh_cap: {value: 180, unit: kWh/t}\n"
    "  power_used:\n"
    "    formula: min(power, kwh_cap) * (1 + losses)\n"
    "    unit: kWh/t\n",
).replace("amount: power, unit: kWh/t}", "amount: power_used if losses < 0.15 else 2 * power_used, unit: kWh/t}")


@pytest.fixture
def factors(factor_file):
    return pcflab.load_factors(factor_file(factor_row(gsd="1.0")))


def test_parser_rejects_what_it_does_not_know():
    for text in ["a < b < c", "abs(a)", "a.b", "a[0]", "lambda: 1", "min(a)", "max(a, key=b)", "'x'"]:
        with pytest.raises(ValueError):
            parse_formula(text)


def test_derived_parameter_and_conditional_per_sample(model_file, factors):
    cm = pcflab.compile_model(pcflab.load_model(model_file(DERIVED)), factors)
    mc = pcflab.simulate(cm, 2_000, seed=4)
    theta = kernel.sample_parameters(cm.kernel_parameters, 4, 0, 2_000)
    names = [i.split("/")[-1] for i in cm.parameter_ids]
    j = {n: names.index(n) for n in ("power", "losses", "kwh_cap")}
    to_kwh = 1 / 3.6e6 * 1000  # SI J/kg -> kWh/t
    power = theta[:, j["power"]] * to_kwh
    losses = theta[:, j["losses"]]
    used = np.minimum(power, 180.0) * (1 + losses)
    expected = np.where(losses < 0.15, used, 2 * used) * 0.5  # factor 0.5 kg/kWh
    np.testing.assert_allclose(mc["total"].values, expected, rtol=1e-12)
    assert (losses < 0.15).any() and (losses >= 0.15).any() and (power > 180).any()


def test_deterministic_uses_the_formula_at_nominal_values(model_file, factors):
    text = DERIVED.replace("kwh_cap: {value: 180", "kwh_cap: {value: 80")
    det = pcflab.footprint(pcflab.load_model(model_file(text)), factors)
    assert float(det["mass"].sum()) == pytest.approx(min(100, 80) * 1.1 * 0.5)


BASE = DERIVED
FORMULA = "formula: min(power, kwh_cap) * (1 + losses)"


@pytest.mark.parametrize(
    ("old", "new", "error", "text"),
    [
        (FORMULA, "formula: power * other", ModelError, "unknown parameter 'other'"),
        (FORMULA, "formula: power_used * 2", ModelError, "cycle: power_used -> power_used"),
        (FORMULA, "formula: power + losses", UnitMismatchError, "incompatible units"),
        (FORMULA, "formula: min(power, losses)", UnitMismatchError, "different kinds"),
        (FORMULA, FORMULA + "\n    value: 3", ModelError, "either 'value' or 'formula'"),
        (FORMULA + "\n    unit: kWh/t", FORMULA + "\n    unit: kg/t", UnitMismatchError, "the formula gives"),
    ],
)
def test_formula_errors(model_file, factors, old, new, error, text):
    assert old in BASE
    with pytest.raises(error, match=text) as err:
        pcflab.compile_model(pcflab.load_model(model_file(BASE.replace(old, new))), factors)
    assert err.value.line is not None


def test_cycle_between_two_parameters(model_file, factors):
    text = BASE.replace(FORMULA, "formula: kwh_cap * 2").replace(
        "kwh_cap: {value: 180, unit: kWh/t}", "kwh_cap: {formula: power_used / 2, unit: kWh/t}"
    )
    with pytest.raises(
        ModelError, match="cycle: (kwh_cap -> power_used -> kwh_cap|power_used -> kwh_cap -> power_used)"
    ):
        pcflab.compile_model(pcflab.load_model(model_file(text)), factors)
