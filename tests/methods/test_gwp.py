"""Tests for methods/_gwp.py against the IPCC values in FIGURES.md §1 (typed in here)."""

import numpy as np
import pytest

from pcflab.methods import GASES, GWP_SETS, gwp100, gwp100_vector

# FIGURES.md §1: IPCC AR6 WGI Ch.7 Table 7.15 / Table 7.SM.7; AR5 WGI Table 8.A.1; AR4 via GHG Protocol (2016)
_PUBLISHED = {
    ("ch4_fossil", "AR6"): 29.8,
    ("ch4_non_fossil", "AR6"): 27.0,
    ("n2o", "AR6"): 273.0,
    ("sf6", "AR6"): 25200.0,
    ("cf4", "AR6"): 7380.0,
    ("c2f6", "AR6"): 12400.0,
    ("hfc_134a", "AR6"): 1530.0,
    ("nf3", "AR6"): 17400.0,
    ("ch4_fossil", "AR5"): 28.0,
    ("ch4_non_fossil", "AR5"): 28.0,
    ("n2o", "AR5"): 265.0,
    ("sf6", "AR5"): 23500.0,
    ("cf4", "AR5"): 6630.0,
    ("c2f6", "AR5"): 11100.0,
    ("hfc_134a", "AR5"): 1300.0,
    ("nf3", "AR5"): 16100.0,
    ("ch4_fossil", "AR4"): 25.0,
    ("ch4_non_fossil", "AR4"): 25.0,
    ("n2o", "AR4"): 298.0,
    ("sf6", "AR4"): 22800.0,
    ("cf4", "AR4"): 7390.0,
    ("c2f6", "AR4"): 12200.0,
    ("hfc_134a", "AR4"): 1430.0,
    ("nf3", "AR4"): 17200.0,
}


@pytest.mark.parametrize(("gas", "gwp_set"), sorted(_PUBLISHED))
def test_published_values(gas, gwp_set):
    assert gwp100(gas, gwp_set) == _PUBLISHED[(gas, gwp_set)]


def test_default_set_is_ar6():
    assert gwp100("ch4_fossil") == 29.8
    assert gwp100("n2o") == 273.0


@pytest.mark.parametrize("gwp_set", ["AR4", "AR5", "AR6"])
def test_co2_is_one(gwp_set):
    assert gwp100("co2_fossil", gwp_set) == 1.0
    assert gwp100("co2_biogenic", gwp_set) == 1.0
    assert gwp100("co2e", gwp_set) == 1.0


def test_sets():
    assert GWP_SETS == ("AR4", "AR5", "AR6")


@pytest.mark.parametrize("gwp_set", ["AR4", "AR5", "AR6"])
def test_every_gas_has_a_value_in_every_set(gwp_set):
    for gas in GASES:
        if gas == "co2e":
            continue
        v = gwp100(gas, gwp_set)
        assert np.isfinite(v) and v >= 1.0
        assert (gas, gwp_set) in _PUBLISHED or gas in ("co2_fossil", "co2_biogenic")


@pytest.mark.parametrize("bad", ["AR3", "ar6", "AR7", "", None])
def test_unknown_set_raises(bad):
    with pytest.raises(ValueError, match="unknown GWP set"):
        gwp100("n2o", bad)


def test_unknown_gas_raises():
    with pytest.raises(ValueError, match="no AR6 GWP100"):
        gwp100("hfc_23", "AR6")


def test_vector_is_in_gas_order():
    expected = [1.0, 1.0, 29.8, 27.0, 273.0, 25200.0, 7380.0, 12400.0, 1530.0, 17400.0, 1.0]
    assert GASES[-1] == "co2e" and len(GASES) == len(expected)
    np.testing.assert_array_equal(gwp100_vector("AR6"), expected)
    np.testing.assert_array_equal(gwp100_vector("AR4", ("n2o", "ch4_fossil")), [298.0, 25.0])
