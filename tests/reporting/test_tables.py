"""Report tables: every number checked against the analysis result, summed again by hand."""

import math
import re

import numpy as np
import pandas as pd
import pytest

import pcflab
from pcflab.core import format_unit
from pcflab.methods import STAGE_NAMES_ZH, STAGES

BOF = "steel/bf-bof-hot-rolled-coil"
MODELS = [BOF, "textiles/cotton-t-shirt", "steel/eaf-hot-rolled-bar"]


@pytest.fixture(scope="module")
def factors():
    return pcflab.load_factors()


@pytest.fixture(scope="module")
def compiled(factors):
    return {m: pcflab.compile_model(pcflab.load_model(m), factors) for m in MODELS}


@pytest.fixture(scope="module")
def det(compiled):
    return {m: pcflab.footprint(cm, gwp_set="AR6") for m, cm in compiled.items()}


def by_hand(d):
    """(total, {stage: sum}, {process: sum}, {gas: (mass, gwp)}) summed with plain Python loops."""
    gwp, mass = d["gwp100"].values, d["mass"].values
    stages, processes, gases = d["stage"].values, d["process"].values, d["gas"].values
    total, per_stage, per_process, per_gas = 0.0, dict.fromkeys(STAGES, 0.0), {}, {}
    for i, p in enumerate(processes):
        row = math.fsum(gwp[i])
        per_process[str(p)] = row
        per_stage[str(stages[i])] += row
        total += row
    for j, g in enumerate(gases):
        per_gas[str(g)] = (math.fsum(mass[:, j]), math.fsum(gwp[:, j]))
    return total, per_stage, per_process, per_gas


@pytest.mark.parametrize("model", MODELS)
def test_stage_table_sums_to_the_footprint(model, det):
    d = det[model]
    table = pcflab.stage_table(d)
    total, per_stage, _, _ = by_hand(d)
    assert list(table.index) == [s.replace("_", " ") for s in STAGES]
    assert list(table["stage (GB/T 24067)"]) == [STAGE_NAMES_ZH[s] for s in STAGES]
    assert table["kg CO₂e"].sum() == pytest.approx(float(pcflab.footprint(model)["gwp100"].sum()), rel=1e-12)
    for s in STAGES:
        assert table.loc[s.replace("_", " "), "kg CO₂e"] == pytest.approx(per_stage[s], rel=1e-12, abs=1e-9)
        assert table.loc[s.replace("_", " "), "share %"] == pytest.approx(100 * per_stage[s] / total, abs=1e-9)
    assert table["share %"].sum() == pytest.approx(100.0, rel=1e-12)
    assert table.attrs["units"]["kg CO₂e"] == "kg CO₂e per functional unit"


def test_stage_totals_have_every_stage_even_without_processes(det):
    stages = set(det["steel/eaf-hot-rolled-bar"]["stage"].values)
    missing = [s for s in STAGES if s not in stages]
    assert missing  # cradle to gate: no use stage, so the reindex is exercised
    totals = pcflab.reporting.stage_totals(det["steel/eaf-hot-rolled-bar"])
    assert list(totals.index) == list(STAGES)
    assert all(totals[s] == 0.0 for s in missing)


@pytest.mark.parametrize("model", MODELS)
def test_process_and_gas_tables_equal_the_sums_by_hand(model, det):
    d = det[model]
    total, _, per_process, per_gas = by_hand(d)
    processes = pcflab.process_table(d)
    assert list(processes.index) == [str(p) for p in d["process"].values]
    for p, value in per_process.items():
        assert processes.loc[p, "kg CO₂e"] == pytest.approx(value, rel=1e-12, abs=1e-9)
        assert processes.loc[p, "share %"] == pytest.approx(100 * value / total, abs=1e-9)
        assert processes.loc[p, "process"] == str(d["process_name"].sel(process=p).item())
        assert processes.loc[p, "stage"] == str(d["stage"].sel(process=p).item())
    gases = pcflab.gas_table(d)
    assert list(gases.index) == [g for g, (_, co2e) in per_gas.items() if co2e != 0]
    for g in gases.index:
        assert gases.loc[g, "kg gas"] == pytest.approx(per_gas[g][0], rel=1e-12)
        assert gases.loc[g, "kg CO₂e"] == pytest.approx(per_gas[g][1], rel=1e-12)
    assert gases["kg CO₂e"].sum() == pytest.approx(total, rel=1e-12)


def test_statistics_table_holds_the_monte_carlo_statistics(compiled, det):
    mc = pcflab.simulate(compiled[BOF], 2000, 3, gwp_set="AR6")
    stats = pcflab.summary(mc)
    table = pcflab.statistics_table(det[BOF], stats)
    totals = mc["total"].values
    assert list(table.index) == [
        "deterministic",
        "mean",
        "median",
        "standard deviation",
        "2.5 % quantile",
        "97.5 % quantile",
    ]
    assert table.loc["deterministic", "kg CO₂e"] == float(det[BOF]["gwp100"].sum())
    assert table.loc["mean", "kg CO₂e"] == pytest.approx(np.mean(totals), rel=1e-12)
    assert table.loc["median", "kg CO₂e"] == pytest.approx(np.median(totals), rel=1e-12)
    assert table.loc["standard deviation", "kg CO₂e"] == pytest.approx(np.std(totals, ddof=1), rel=1e-9)
    assert np.quantile(totals, 0.02) < table.loc["2.5 % quantile", "kg CO₂e"] < np.quantile(totals, 0.03)
    assert np.quantile(totals, 0.97) < table.loc["97.5 % quantile", "kg CO₂e"] < np.quantile(totals, 0.98)
    ninety = pcflab.statistics_table(det[BOF], pcflab.summary(mc, interval=0.9))
    assert list(ninety.index[-2:]) == ["5 % quantile", "95 % quantile"]


def test_contribution_table_is_the_top_of_the_contributions(compiled, det):
    by_factor = pcflab.contributions(compiled[BOF], by="factor", gwp_set="AR6")
    total = float(det[BOF]["gwp100"].sum())
    table = pcflab.contribution_table(by_factor, top=4)
    assert list(table.columns) == ["kg CO₂e", "share %"]
    assert list(table.index) == list(by_factor.index[:4])
    np.testing.assert_allclose(table["share %"], 100 * table["kg CO₂e"] / total, rtol=1e-12)
    everything = pcflab.contribution_table(by_factor, top=len(by_factor))
    assert everything["kg CO₂e"].sum() == pytest.approx(total, rel=1e-9)
    assert list(by_factor.columns[:2]) == ["gwp100", "share"]  # the input is left as it was


#: (published unit, per) of the factors of MODELS -> the unit as the table writes it, by hand
READABLE = {
    ("kg", "TJ"): "kg/TJ",
    ("kg", "GJ"): "kg/GJ",
    ("kg", "kWh"): "kg/kWh",
    ("kg", "kg"): "kg/kg",
    ("kg", "m**3"): "kg/m³",
    ("kg", "t"): "kg/t",
    ("t", "t"): "t/t",
    ("t", "TJ"): "t/TJ",
}


@pytest.mark.parametrize("name", MODELS)
def test_factor_table_is_sorted_by_name_region_and_year_with_readable_units(compiled, factors, name):
    table = pcflab.factor_table(compiled[name], factors).reset_index()
    # the name is the id without its region (first part) and version (last part)
    keys = [
        ("/".join(f.split("/")[1:-1]), r, y)
        for f, r, y in zip(table["factor"], table["region"], table["year"], strict=True)
    ]
    assert keys == sorted(keys)
    for unit in table["unit"]:
        assert "**" not in unit and "(" not in unit, unit
    records = {(r["id"], r["gas"]): r for r in factors.rows()}
    for f, gas, unit in zip(table["factor"], table["gas"], table["unit"], strict=True):
        assert unit == READABLE[(records[(f, gas)]["unit"], records[(f, gas)]["per"])]


def test_factor_table_sorts_by_name_before_region_and_year(compiled, factors):
    """Hand-checked order of the BF-BOF coil's factors: electricity, fuel upstream, fuels, steel."""
    table = pcflab.factor_table(compiled[BOF], factors)
    ids = list(dict.fromkeys(table.index))
    assert ids[0] == "cn/electricity/footprint/2023"
    assert ids.index("gb/fuel-upstream/coking-coal/defra2025") < ids.index("cn/fuel-upstream/natural-gas/cpcd2024")
    assert ids.index("cn/fuel-upstream/natural-gas/cpcd2024") < ids.index("glo/fuel/natural-gas/ipcc2006")
    assert ids[-1] == "glo/steel/sinter-process/ipcc2006"
    gases = table.loc["glo/fuel/natural-gas/ipcc2006", "gas"].tolist()
    assert gases == ["co2_fossil", "ch4_fossil"]  # the gases of a factor keep their order


def test_factor_table_rows_are_the_model_factors_as_the_database_has_them(compiled, factors):
    cm = compiled[BOF]
    table = pcflab.factor_table(cm, factors)
    assert sorted(dict.fromkeys(table.index)) == sorted(cm.factor_ids)
    records = {(r["id"], r["gas"]): r for r in factors.rows()}
    expected = [(f, r["gas"]) for (f, _), r in records.items() if f in set(cm.factor_ids)]
    assert sorted(zip(table.index, table["gas"], strict=True)) == sorted(expected)
    for (f, gas), row in zip(zip(table.index, table["gas"], strict=True), table.itertuples(), strict=True):
        record = records[(f, gas)]
        assert row.value == float(record["value"])
        assert row.unit == READABLE[(record["unit"], record["per"])]
        assert (row.region, str(row.year)) == (record["region"], record["year"])
        assert (row.source, row.tag) == (record["source"], record["tag"])
        assert row.GSD == dict((g, s) for g, _, s in factors.gases_of(f))[gas]
        assert 1.0 <= row.DQR <= 5.0
    assert pcflab.factor_table(cm).equals(table)  # the model's own database by default


def test_sobol_and_quality_tables(compiled):
    cm = compiled[BOF]
    sobol = pcflab.sensitivity(cm, "sobol", n_samples=16, seed=1, gwp_set="AR6")
    table = pcflab.sobol_table(sobol, top=5)
    assert list(table.index) == list(sobol["input"].values[:5])
    for name in table.index:
        for v in ("S1", "S1_conf", "ST", "ST_conf"):
            assert table.loc[name, v] == float(sobol[v].sel(input=name))
        assert table.loc[name, "process"] == str(sobol["process"].sel(input=name).item())
    quality = pcflab.data_quality(cm, gwp_set="AR6")
    q = pcflab.quality_table(quality, top=3)
    raw = quality.table.head(3)
    assert list(q.index) == list(raw["process"])
    assert list(q.columns) == [
        "target",
        "share %",
        "data_type",
        "traceability",
        "activity DQR",
        "dataset DQR",
        "DQR",
        "tag",
    ]
    np.testing.assert_array_equal(q["share %"].values, 100 * raw["abs_share"].values)
    np.testing.assert_array_equal(q["dataset DQR"].values, raw["factor_dqr"].astype(float).values)
    np.testing.assert_array_equal(q["activity DQR"].values, raw["activity_dqr"].astype(float).values)
    np.testing.assert_array_equal(q["DQR"].values, raw["dqr"].astype(float).values)

    class NoInputs:
        table = pd.DataFrame()

    assert pcflab.quality_table(NoInputs()).empty


def test_grade_and_method_tables(compiled, det, factors):
    cm = compiled[BOF]
    schemes = ("pcflab-percentile-steel", "espr-steel-hrc-2026-draft")
    grades = [pcflab.grade(cm, s, n_samples=200, seed=1) for s in schemes]
    table = pcflab.grade_table(grades)
    assert list(table.index) == ["pcflab-percentile-steel", "espr-steel-hrc-2026-draft"]
    for g, (_, row) in zip(grades, table.iterrows(), strict=True):
        d = g.as_dict()
        assert row["status"] == d["scheme_status"].replace("_", " ")
        assert row["deterministic class"] == d["deterministic_class"]
        assert row["Monte Carlo"] == d["sentence"]
        assert row["footprint"].endswith(format_unit(d["units"]))
        assert "CO2" not in row["footprint"] and "CO₂e/t" in row["footprint"]
    methods = pcflab.compare_methods(cm.model, factors)
    mt = pcflab.method_table(methods)
    assert list(mt.columns) == ["gwp_set", "allocation", "recycling", "electricity", "kg CO₂e"]
    assert mt.loc["iso14067", "kg CO₂e"] == pytest.approx(float(det[BOF]["gwp100"].sum()), rel=1e-12)
    assert mt.loc["cbam", "gwp_set"] == "AR5"


@pytest.mark.parametrize(
    "make",
    [
        lambda c, d: pcflab.stage_table(d),
        lambda c, d: pcflab.process_table(d),
        lambda c, d: pcflab.gas_table(d),
        lambda c, d: pcflab.contribution_table(pcflab.contributions(c, by="factor")),
    ],
)
def test_table_headers_and_units_are_readable(compiled, det, make):
    table = make(compiled[BOF], det[BOF])
    assert "kg CO₂e" in table.columns and "kg CO2e" not in table.columns
    assert table.attrs["units"]["kg CO₂e"] == "kg CO₂e per functional unit"


def test_html_table_formats_numbers_and_lets_ids_break_after_a_slash():
    frame = pd.DataFrame({"kg CO₂e": [1234.5678, -0.04], "year": [2023, 2006]}, index=["a/b/c", "plain"])
    html = pcflab.html_table(frame)
    assert 'class="dataframe pcf-table"' in html and 'border="1"' not in html
    assert "<td>1,234.6</td>" in html and "<td>-0.0</td>" in html and "<td>2023</td>" in html
    assert "<th>a/<wbr>b/<wbr>c</th>" in html and "<th>plain</th>" in html
    assert "<th>kg CO₂e</th>" in html  # header cells keep their text
    assert "<td>1,234.568</td>" in pcflab.html_table(frame, digits=3)
    assert "<td>1234.57</td>" in pcflab.html_table(frame, digits=None)
    row_labels = re.findall(r"<tr>\s*<th>(.*?)</th>", html.partition("<tbody>")[2])
    assert [label.replace("<wbr>", "") for label in row_labels] == ["a/b/c", "plain"]
