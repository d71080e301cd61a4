"""The factor table: the shipped data loads; bad rows give file, line and column."""

import numpy as np
import pytest

import pcflab
from pcflab._errors import FactorTableError
from pcflab.methods import gsd_from_pedigree
from tests.conftest import factor_row


def test_shipped_table_loads_with_units_and_sources():
    ds = pcflab.load_factors()
    assert ds.attrs["n_factors"] >= 12
    assert len(ds.attrs["factors_sha256"]) == 64
    assert (ds["value"].values > 0).all()
    assert (ds["gsd"].values >= 1).all()
    assert all(s.strip() for s in ds["source"].values)
    # the Shandong 2023 grid factor of the MEE/NBS announcement (2025 No. 47)
    row = ds.where((ds.factor_id == "cn-sd/electricity/grid-co2/2023"), drop=True)
    assert row["value"].values.tolist() == [pytest.approx(0.6191)]
    assert str(row["unit"].values[0]) == "kg" and str(row["per"].values[0]) == "kWh"


def test_gsd_from_pedigree_column(factor_file):
    ds = pcflab.load_factors(factor_file(factor_row(gsd="", pedigree="2;3;1;5;3", basic="1.05")))
    assert ds["gsd"].values[0] == pytest.approx(gsd_from_pedigree((2, 3, 1, 5, 3), 1.05))


@pytest.mark.parametrize(
    ("row", "column", "text"),
    [
        (factor_row(unit=""), "unit", "a unit is required"),
        (factor_row(per="kWhx"), "per", "unknown unit"),
        (factor_row(unit="kWh"), "unit", "is not a mass"),
        (factor_row(gas="co3"), "gas", "unknown gas"),
        (factor_row(value="-0.5"), "value", "finite and positive"),
        (factor_row(value="nan"), "value", "finite and positive"),
        (factor_row(value="0,5"), "value", None),
        (factor_row(value="abc"), "value", "is not a number"),
        (factor_row(region="Shandong"), "region", "ISO 3166"),
        (factor_row(gas="co2e"), "gwp_set", "must name its GWP set"),
        (factor_row(gsd="0.9"), "gsd", ">= 1"),
        (factor_row(gsd="", pedigree="2;3;1"), "pedigree", "five scores"),
        (factor_row(gsd=""), "gsd", "neither gsd nor pedigree"),
        (factor_row(tag="X"), "tag", "unknown"),
        (factor_row(fid="Bad Id"), "id", "not a namespaced id"),
    ],
)
def test_bad_rows_are_located(factor_file, row, column, text):
    path = factor_file(factor_row(fid="test/ok/1"), row)
    with pytest.raises(FactorTableError) as err:
        pcflab.load_factors(path)
    assert err.value.line == 3
    assert str(path) in str(err.value)
    if text:
        assert err.value.field == column
        assert text in str(err.value)
    assert err.value.hint


def test_duplicate_id_and_gas(factor_file):
    path = factor_file(factor_row(), factor_row(value="0.7"))
    with pytest.raises(FactorTableError, match="already on line 2") as err:
        pcflab.load_factors(path)
    assert err.value.line == 3


def test_missing_column(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("id,gas,value\na/b,co2_fossil,1\n", encoding="utf-8")
    with pytest.raises(FactorTableError, match="missing columns"):
        pcflab.load_factors(path)


def test_several_gases_of_one_factor(factor_file):
    ds = pcflab.load_factors(factor_file(factor_row(), factor_row(gas="ch4_fossil", value="0.001")))
    assert ds.attrs["n_factors"] == 1
    assert list(ds["gas"].values) == ["co2_fossil", "ch4_fossil"]
    np.testing.assert_array_equal(ds["value"].values, [0.5, 0.001])
