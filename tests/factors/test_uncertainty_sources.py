"""Uncertainty that matches its source: published 95 % ranges and factor kinds (issue 15, point 6)."""

import csv
import math

import numpy as np
import pytest
from scipy import stats

import pcflab
from pcflab.factors._schema import read_factor_rows
from pcflab.methods import gsd_from_pedigree, gsd_from_range

#: Tolerance of a lognormal's 2.5 / 97.5 % points against the published range: the
#: lognormal keeps the published value as its median, so both points are off by the factor
#: value / sqrt(low * high); 1 % covers every range shipped (0.3 % for natural gas).
RANGE_TOLERANCE = 0.01

HEADER = (
    "id,gas,value,unit,per,name_en,region,year,uncertainty,gsd,pedigree,basic_uncertainty,"
    "factor_kind,range_low,range_high,source,tag,traceability,notes"
)


def _rows_with_range(ds):
    """(factor, gas, published value, low, high, gsd) of every factor row that gives a published range."""
    low = ds["range_low"].values
    out = []
    for i, j in zip(*np.nonzero(np.isfinite(low)), strict=True):
        out.append(
            (
                str(ds["factor"].values[i]),
                str(ds["gas"].values[j]),
                float(ds["published_value"].values[i, j]),
                float(low[i, j]),
                float(ds["range_high"].values[i, j]),
                float(ds["gsd"].values[i, j]),
            )
        )
    return out


def test_every_published_range_is_matched_by_its_distribution():
    ds = pcflab.load_factors().ds
    rows = _rows_with_range(ds)
    assert rows, "no shipped factor records a published range"
    for fid, gas, value, low, high, gsd in rows:
        dist = stats.lognorm(s=math.log(gsd), scale=value)
        q_low, q_high = dist.ppf([0.025, 0.975])
        assert q_low == pytest.approx(low, rel=RANGE_TOLERANCE), (fid, gas, q_low, low)
        assert q_high == pytest.approx(high, rel=RANGE_TOLERANCE), (fid, gas, q_high, high)
        assert dist.median() == pytest.approx(value)  # the deterministic footprint does not move


def test_natural_gas_co2_has_the_ipcc_range_not_the_age_penalty():
    """IPCC 2006 V2 Ch2 Table 2.2: 56,100 kg/TJ, 95 % range 54,300-58,300 (main shipped GSD 1.23)."""
    sel = pcflab.load_factors().ds.sel(factor="glo/fuel/natural-gas/ipcc2006", gas="co2_fossil")
    assert float(sel["published_value"]) == 56100.0
    assert (float(sel["range_low"]), float(sel["range_high"])) == (54300.0, 58300.0)
    gsd = float(sel["gsd"])
    # hand calculation: exp(ln(58300 / 54300) / (2 * 1.959964))
    assert gsd == pytest.approx(math.exp(math.log(58300 / 54300) / 3.919928), rel=1e-9)
    assert gsd == pytest.approx(1.01830, abs=1e-5)
    lo, hi = stats.lognorm(s=math.log(gsd), scale=56100).ppf([0.025, 0.975])
    assert 54000 < lo < 54300 * 1.01 and 58300 * 0.99 < hi < 58600


def test_fuel_carbon_rows_carry_no_temporal_penalty():
    ds = pcflab.load_factors().ds
    sel = ds.sel(factor="glo/fuel/coking-coal/ipcc2006", gas="co2_fossil")
    assert str(sel["factor_kind"].item()) == "fuel-carbon"
    # pedigree 3;2;5;3;2, U_b 1.05; Weidema et al. 2013 Table 10.5 without the temporal 0.04:
    var = (math.log(1.05) / 2) ** 2 + 0.002 + 0.0001 + 0.0001 + 0.0006
    assert float(sel["gsd"]) == pytest.approx(math.exp(math.sqrt(var)), rel=1e-12)
    # CH4 of the same fuel depends on the combustion technology: every penalty applies
    ch4 = ds.sel(factor="glo/fuel/coking-coal/ipcc2006", gas="ch4_fossil")
    assert str(ch4["factor_kind"].item()) == "technology"
    assert float(ch4["gsd"]) == pytest.approx(gsd_from_pedigree((3, 3, 5, 3, 3), 1.5), rel=1e-12)


def test_every_fuel_co2_row_is_fuel_carbon_and_says_where_its_range_is():
    folder = pcflab.factors.default_factor_dir()
    with open(folder / "fuels.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        family = r["id"].split("/")[1]
        if family == "fuel" and r["gas"] in ("co2_fossil", "co2_biogenic"):
            assert r["factor_kind"] == "fuel-carbon", r["id"]
        if r["factor_kind"] == "fuel-carbon" and r["id"].endswith("/ipcc2006"):
            assert r["range_low"] or "not found" in r["notes"], r["id"]


def _table(tmp_path, *rows):
    path = tmp_path / "f.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return read_factor_rows([path])


def _row(unc="lognormal", gsd="", ped="3;2;5;3;2", basic="1.05", kind="fuel-carbon", low="54300", high="58300"):
    return (
        f"test/fuel/gas/x,co2_fossil,56100,kg,TJ,Gas,GLO,2006,{unc},{gsd},{ped},{basic},{kind},{low},{high},"
        "IPCC 2006,P,default,"
    )


def test_a_range_sets_the_gsd_and_keeps_the_pedigree_for_the_dqr(tmp_path):
    records, problems = _table(tmp_path, _row())
    assert problems == []
    (rec,) = records
    assert rec["gsd"] == pytest.approx(gsd_from_range(56100, 54300, 58300))
    assert rec["dqr"] == (2, 3, 5, 3)  # TeR, GeR, TiR, P from the pedigree


@pytest.mark.parametrize(
    ("row", "column", "rule"),
    [
        (_row(gsd="1.1"), "gsd", "range-or-gsd"),
        (_row(low="57000"), "range_low", "range-contains-value"),
        (_row(low="58300", high="54300"), "range_low", "range-contains-value"),
        (_row(high=""), "range_high", "range-both"),
        (_row(low="about 54300"), "range_low", "number"),
        (_row(kind="carbon"), "factor_kind", "factor-kind-known"),
        (_row(unc="none", ped="", basic=""), "uncertainty", "range-lognormal"),
    ],
)
def test_bad_ranges_and_kinds_name_file_line_and_column(tmp_path, row, column, rule):
    records, problems = _table(tmp_path, row)
    assert records == []
    assert [(p.line, p.column, p.rule) for p in problems] == [(2, column, rule)]
    assert str(tmp_path / "f.csv") in str(problems[0]) and "how to fix" in str(problems[0])


def test_a_range_round_trips_through_a_csv_export(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("\n".join([HEADER, _row()]) + "\n", encoding="utf-8")
    db = pcflab.load_factors(path)
    out = db.to_csv(tmp_path / "out.csv")
    again = pcflab.load_factors(out)
    assert again.content_hash == db.content_hash
    assert float(again.ds["range_high"].sel(factor="test/fuel/gas/x", gas="co2_fossil")) == 58300.0
