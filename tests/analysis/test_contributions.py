"""Contribution analysis: deterministic contributions, variance shares by rank correlation and
the tornado, each against values worked out by hand or in closed form."""

import math

import numpy as np
import pytest
import scipy.stats

import pcflab
from pcflab.analysis._contributions import contributions, tornado, variance_shares
from pcflab.core._errors import PcfError
from pcflab.methods import gwp100
from tests.conftest import factor_row
from tests.models_for_tests import assembly_and_parts_yaml, header_yaml, process_yaml

STEEL = "steel/bf-bof-hot-rolled-coil"
CH4 = gwp100("ch4_fossil", "AR6")

#: Two processes, two factors (one with two gases), one direct emission and one removal.
TWO_PROCESSES = assembly_and_parts_yaml(
    "test/contrib",
    "Contributions test",
    "  power: {value: 100, unit: kWh/t, uncertainty: {distribution: lognormal, gsd: 1.2}}\n"
    "  heat: {value: 2, unit: GJ/t, uncertainty: {distribution: lognormal, gsd: 1.5}}\n",
)

# By hand (AR6): assembly runs 1 t, parts 0.5 t.
GRID_ASSEMBLY = 100 * 0.5  # kWh/t x kg CO2/kWh
CH4_DIRECT = 0.1 * CH4
GRID_PARTS = 0.5 * 40 * 0.5
GAS_CO2 = 0.5 * 2 * 56.0  # t parts x GJ/t x kg CO2/GJ
GAS_CH4 = 0.5 * 2 * 0.001 * CH4
TOTAL = GRID_ASSEMBLY + CH4_DIRECT + GRID_PARTS + GAS_CO2 + GAS_CH4


@pytest.fixture
def db(factor_file):
    return pcflab.load_factors(
        factor_file(
            factor_row(value="0.5", gsd="1.1"),
            factor_row(fid="test/fuel/gas/2023", value="56", per="GJ", gsd="1.05"),
            factor_row(fid="test/fuel/gas/2023", gas="ch4_fossil", value="0.001", per="GJ", gsd="1.5"),
        )
    )


@pytest.fixture
def cm(write_model, db):
    return pcflab.compile_model(pcflab.load_model(write_model(TWO_PROCESSES)), db)


def test_contributions_by_every_grouping_equal_the_hand_calculation(cm):
    expected = {
        "process": {"assembly": GRID_ASSEMBLY + CH4_DIRECT, "parts": GRID_PARTS + GAS_CO2 + GAS_CH4},
        "stage": {"production": GRID_ASSEMBLY + CH4_DIRECT, "raw_material_acquisition": GRID_PARTS + GAS_CO2 + GAS_CH4},
        "gas": {"co2_fossil": GRID_ASSEMBLY + GRID_PARTS + GAS_CO2, "ch4_fossil": CH4_DIRECT + GAS_CH4},
        "factor": {
            "test/electricity/grid/2023": GRID_ASSEMBLY + GRID_PARTS,
            "test/fuel/gas/2023": GAS_CO2 + GAS_CH4,
            "direct emissions": CH4_DIRECT,
        },
        "exchange": {
            "assembly: test/electricity/grid/2023": GRID_ASSEMBLY,
            "assembly: ch4_fossil": CH4_DIRECT,
            "parts: test/electricity/grid/2023": GRID_PARTS,
            "parts: test/fuel/gas/2023": GAS_CO2 + GAS_CH4,
        },
    }
    for by, values in expected.items():
        frame = contributions(cm, by=by)
        got = frame["gwp100"][frame["gwp100"] != 0].to_dict()
        assert got == pytest.approx(values, rel=1e-12), by
        assert frame.index.name == by
        assert frame.attrs["total"] == pytest.approx(TOTAL, rel=1e-12)
        assert frame["share"].sum() == pytest.approx(1.0)
        assert frame["share"].to_numpy() == pytest.approx(frame["gwp100"].to_numpy() / TOTAL)
        magnitudes = frame["gwp100"].abs().to_numpy()
        assert np.all(np.diff(magnitudes) <= 0), f"{by}: not sorted by absolute contribution"
        assert frame.attrs["units"] == "kg CO2e per functional unit"
        assert frame.attrs["model_id"] == "test/contrib" and frame.attrs["gwp_set"] == "AR6"
    assert contributions(cm, by="process")["stage"].to_dict() == {
        "parts": "raw_material_acquisition",
        "assembly": "production",
    }
    assert contributions(cm, by="exchange").loc["parts: test/fuel/gas/2023", "kind"] == "factor"


def test_contributions_total_equals_the_footprint(cm):
    assert contributions(cm).attrs["total"] == pytest.approx(float(pcflab.footprint(cm)["gwp100"].sum()), rel=1e-12)


def test_credits_keep_their_sign_and_shares_sum_to_one(write_model, db):
    path = write_model(
        TWO_PROCESSES,
        (
            "      - {gas: ch4_fossil, amount: 0.1, unit: kg}\n",
            "      - {gas: ch4_fossil, amount: 0.1, unit: kg}\n      - {gas: co2_biogenic, amount: -20, unit: kg}\n",
        ),
    )
    frame = contributions(pcflab.load_model(path), by="gas", factors=db)
    total = TOTAL - 20
    assert frame.attrs["total"] == pytest.approx(total)
    assert frame.loc["co2_biogenic", "gwp100"] == pytest.approx(-20)
    assert frame.loc["co2_biogenic", "share"] == pytest.approx(-20 / total)
    assert frame["share"].sum() == pytest.approx(1.0)
    assert frame.loc["co2_biogenic", "abs_share"] == pytest.approx(20 / (TOTAL + 20))
    assert frame.attrs["total_absolute"] == pytest.approx(TOTAL + 20)


def test_contributions_rejects_an_unknown_grouping(cm):
    with pytest.raises(ValueError, match="process, stage, gas, factor, exchange"):
        contributions(cm, by="region")


def test_tornado_of_a_linear_model_equals_the_lognormal_quantiles(cm):
    """Every quantity enters linearly, so total(q) = base + slope x (value(q) - value)."""
    low, high = 0.05, 0.95
    frame = tornado(cm, low, high)

    def q(median, gsd, p):
        return scipy.stats.lognorm.ppf(p, s=math.log(gsd), scale=median)

    # name: (median, gsd, units shown, slope [kg CO2e per unit of the quantity])
    cases = {
        "power": (100, 1.2, "kWh/t", 0.5),  # in its declared unit; 1 kWh/t of power is 0.5 kg CO2e
        "heat": (2, 1.5, "GJ/t", 0.5 * (56 + 0.001 * CH4)),
        "test/electricity/grid/2023 (co2_fossil)": (0.5, 1.1, "kg/kWh", 100 + 20),  # kWh in the system
        "test/fuel/gas/2023 (co2_fossil)": (56, 1.05, "kg/GJ", 1.0),  # 1 GJ of gas
        "test/fuel/gas/2023 (ch4_fossil)": (0.001, 1.5, "kg/GJ", CH4),
    }
    assert set(frame.index) == set(cases)
    for name, (median, gsd, units, slope) in cases.items():
        row = frame.loc[name]
        lo, hi = q(median, gsd, low), q(median, gsd, high)
        assert row["units"] == units, name
        assert row["value_low"] == pytest.approx(lo, rel=1e-9), name
        assert row["value_high"] == pytest.approx(hi, rel=1e-9), name
        assert row["total_low"] == pytest.approx(TOTAL + slope * (lo - median), rel=1e-9), name
        assert row["total_high"] == pytest.approx(TOTAL + slope * (hi - median), rel=1e-9), name
        assert row["swing"] == pytest.approx(slope * (hi - lo), rel=1e-9), name
    assert list(frame["swing"]) == sorted(frame["swing"], reverse=True)
    assert frame.index[0] == "heat"  # 0.5 x 56 x 2 x (1.5^1.645 - 1.5^-1.645) ~ 92 kg
    assert frame.attrs["base"] == pytest.approx(TOTAL, rel=1e-12)
    assert frame.attrs["low"] == low and frame.attrs["high"] == high
    assert frame.loc["power", "units"] == "kWh/t"  # as declared, not the kernel's SI J/kg


def test_tornado_skips_derived_parameters_and_checks_the_quantiles(write_model, db):
    path = write_model(
        TWO_PROCESSES,
        (
            "  heat: {value: 2, unit: GJ/t, uncertainty: {distribution: lognormal, gsd: 1.5}}\n",
            "  heat_in: {value: 4, unit: GJ/t, uncertainty: {distribution: lognormal, gsd: 1.5}}\n"
            "  heat: {formula: heat_in / 2, unit: GJ/t}\n",
        ),
    )
    cm = pcflab.compile_model(pcflab.load_model(path), db)
    frame = tornado(cm)
    assert "heat" not in frame.index and "heat_in" in frame.index
    lo, hi = (scipy.stats.lognorm.ppf(p, s=math.log(1.5), scale=4) for p in (0.05, 0.95))
    assert frame.loc["heat_in", "swing"] == pytest.approx(0.5 * (56 + 0.001 * CH4) * (hi - lo) / 2, rel=1e-9)
    for low, high in ((0.0, 0.95), (0.5, 0.5), (0.9, 0.1), (0.05, 1.0), (-0.1, 0.5)):
        with pytest.raises(ValueError, match="0 < low < high < 1"):
            tornado(cm, low, high)


def _two_normals(model_file):
    return model_file(
        header_yaml("test/two-normals", "Y = X1 + X2", "make", functional_unit=(1, "t", "one tonne"))
        + "parameters:\n"
        + "  x1: {value: 10, unit: kg, uncertainty: {distribution: normal, sd: 1}}\n"
        + "  x2: {value: 10, unit: kg, uncertainty: {distribution: normal, sd: 2}}\n"
        + "processes:\n"
        + process_yaml(
            "make",
            "Make",
            "production",
            ("product", 1, "t"),
            emissions=[("co2_fossil", "x1", "kg"), ("co2_fossil", "x2", "kg")],
        )
    )


def test_variance_shares_of_a_sum_of_normals(model_file, db):
    """Y = X1 + X2, X1 ~ N(10, 1), X2 ~ N(10, 2): Var shares 1/5 and 4/5.

    For jointly normal (X, Y) with Pearson r the Spearman rho is (6/pi) asin(r/2)
    (Kruskal 1958), here 0.4307 and 0.8855; their squares sum to 0.970, so the normalised
    shares are 0.191 and 0.809, the approximation's bias against 0.2 / 0.8. The SE of a
    Spearman rho is about 1.06^0.5 (1 - rho^2) / sqrt(n) (Fieller et al. 1957): 0.0084 and
    0.0022 at n = 10 000; the tolerances are four of them.
    """
    frame = variance_shares(pcflab.load_model(_two_normals(model_file)), n_samples=10_000, seed=7, factors=db)
    r = {"x1": math.sqrt(1 / 5), "x2": math.sqrt(4 / 5)}
    rho = {k: 6 / math.pi * math.asin(v / 2) for k, v in r.items()}
    assert frame.loc["x1", "rho"] == pytest.approx(rho["x1"], abs=0.034)
    assert frame.loc["x2", "rho"] == pytest.approx(rho["x2"], abs=0.009)
    expected_sum = rho["x1"] ** 2 + rho["x2"] ** 2
    assert frame.attrs["rho2_sum"] == pytest.approx(expected_sum, abs=0.03)
    assert frame.loc["x1", "share"] == pytest.approx(rho["x1"] ** 2 / expected_sum, abs=0.03)
    assert frame.loc["x2", "share"] == pytest.approx(0.8, abs=0.03)  # the analytic b^2 Var share
    assert frame["share"].sum() == pytest.approx(1.0)
    assert list(frame.index) == ["x2", "x1"]
    assert frame.loc["x1", "source"] == "model parameter" and frame.loc["x1", "process"] == "make"
    assert frame.attrs["n_samples"] == 10_000 and frame.attrs["seed"] == 7


def test_variance_shares_are_rank_invariant_and_match_scipy(cm):
    result = pcflab.simulate(cm, 3_000, seed=3, keep="totals", record="all")
    frame = variance_shares(cm, result=result)
    theta, total = result["theta"].values, result["total"].values
    for name, row in frame.iterrows():
        column = cm.parameter_ids.index(row["id"])
        assert row["rho"] == pytest.approx(scipy.stats.spearmanr(theta[:, column], total)[0], abs=1e-12), name
    warped = result.copy()
    warped["theta"] = (warped["theta"].dims, np.arcsinh(theta) ** 3)  # strictly increasing
    warped["total"] = (("sample",), np.exp(total / 50.0) - 1)
    again = variance_shares(cm, result=warped)
    np.testing.assert_allclose(again.loc[frame.index, "rho"], frame["rho"], rtol=0, atol=1e-12)


def test_variance_shares_errors(cm, model_file):
    result = pcflab.simulate(cm, 100, seed=3, keep="totals")
    with pytest.raises(PcfError, match="no sampled inputs") as err:
        variance_shares(cm, result=result)
    assert "record='all'" in err.value.hint
    full = pcflab.simulate(cm, 100, seed=3, keep="totals", record="all")
    with pytest.raises(PcfError, match="not a shipped model") as err:
        variance_shares(full)  # test/contrib is not shipped: the model must be given
    assert "model=" in err.value.hint
    with pytest.raises(PcfError, match="not simulated from"):
        variance_shares(pcflab.load_model(_two_normals(model_file)), result=full)


def test_steel_contributions_tornado_and_variance_shares():
    det = pcflab.footprint(STEEL)
    stages = contributions(STEEL, by="stage")
    assert stages.attrs["total"] == pytest.approx(float(det["gwp100"].sum()), rel=1e-12)
    by_stage = det["gwp100"].groupby("stage").sum().sum("gas").to_series()
    for stage, value in stages["gwp100"].items():
        assert value == pytest.approx(by_stage[stage], rel=1e-12)
    factors = contributions(STEEL, by="factor")
    assert factors.index[0] == "glo/steel/pig-iron/ipcc2006"  # 1.35 t CO2 per t hot metal, ~1.0 t hot metal
    assert factors["gwp100"].sum() == pytest.approx(float(det["gwp100"].sum()), rel=1e-12)
    swings = tornado(STEEL)
    assert swings.attrs["base"] == pytest.approx(float(det["gwp100"].sum()), rel=1e-12)
    # the largest swing acts on the largest contribution: the pig-iron factor or the hot-metal ratio
    assert swings.index[0] in ("glo/steel/pig-iron/ipcc2006 (co2_fossil)", "hot_metal_per_steel")
    assert swings.loc["scrap_share", "swing"] == 0  # not used by the inventory
    shares = variance_shares(STEEL, n_samples=4_000, seed=1)
    top = {"glo/steel/pig-iron/ipcc2006 (co2_fossil)", "hot_metal_per_steel"}
    assert set(swings.index[:2]) == top and set(shares.index[:2]) == top  # same two drivers, ~46 % each
    assert 0.8 < shares.attrs["rho2_sum"] <= 1.05
