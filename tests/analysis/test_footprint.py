"""Footprints: the deterministic result against hand calculations and a second solver,
Monte Carlo against analytic distributions, and reproducibility."""

import math

import numpy as np
import pytest
import scipy.stats

import pcflab
from pcflab.core._errors import SystemSolveError
from tests.conftest import factor_row
from tests.models_for_tests import header_yaml, process_yaml

STEEL = "steel/bf-bof-hot-rolled-coil"


def test_steel_deterministic_equals_hand_calculation():
    """Every number below is copied from the model file and the factor table by hand."""
    crude = 1 / 0.948  # t crude steel per t coil (rolling yield)
    hot_metal = crude * 0.950  # t hot metal
    sinter = hot_metal * 1.314  # t sinter
    coke = hot_metal * 0.288 + sinter * 1.451 / 28.435  # t coke: blast furnace + sinter breeze
    coking_coal = coke * 1.326  # t coking coal
    pci = hot_metal * 0.205  # t injection coal
    ng_gj = 1.96 / 0.948  # GJ natural gas for reheating
    ng_m3 = ng_gj * 1000 / 38.931  # m3 natural gas
    kwh = coke * 35.0 + sinter * 40.1 + hot_metal * 110.0 + crude * 35.5
    ch4_fossil_ar6 = 29.8
    expected = {
        "coking_coal_supply": coking_coal * 497.74,
        "pci_coal_supply": pci * 418.15,
        "natural_gas_supply": ng_m3 * 0.608,
        "coke_oven": coke * (560 + 0.0001 * ch4_fossil_ar6) + coke * 35.0 * 0.6205,
        "sinter_plant": sinter * (200 + 0.07 * ch4_fossil_ar6) + sinter * 40.1 * 0.6205,
        "blast_furnace": hot_metal * 1350 + hot_metal * 110.0 * 0.6205,
        "basic_oxygen_furnace": crude * 110 + crude * 35.5 * 0.6205,
        "hot_rolling": ng_gj / 1000 * (56100 + 1 * ch4_fossil_ar6),
    }
    det = pcflab.footprint(STEEL)
    by_process = det["gwp100"].sum("gas").to_series()
    for process, value in expected.items():
        assert by_process[process] == pytest.approx(value, rel=1e-12), process
    assert float(det["gwp100"].sum()) == pytest.approx(sum(expected.values()), rel=1e-12)
    assert kwh * 0.6205 == pytest.approx(
        float(det["gwp100"].sel(gas="co2e").sum()) - coking_coal * 497.74 - pci * 418.15 - ng_m3 * 0.608, rel=1e-12
    )
    assert det.attrs["gwp_set"] == "AR6" and det["gwp100"].attrs["units"] == "kg CO2e"


def test_gwp_set_changes_only_non_co2_gases():
    ar6 = pcflab.footprint(STEEL, gwp_set="AR6")
    ar4 = pcflab.footprint(STEEL, gwp_set="AR4")
    np.testing.assert_array_equal(ar6["mass"].values, ar4["mass"].values)
    ch4 = float(ar6["mass"].sel(gas="ch4_fossil").sum())
    assert float(ar6["gwp100"].sum() - ar4["gwp100"].sum()) == pytest.approx(ch4 * (29.8 - 25), rel=1e-9)


LOOP_MODEL = (
    "\n"
    + header_yaml("test/loop", "Loop", "product", functional_unit=(2, "t", "two tonnes of product"))
    + """parameters:
  e_use: {value: 0.3, unit: MWh/t}
  self_use: {value: 0.05, unit: MWh/MWh}
  fuel: {value: 200, unit: kg/MWh}
processes:
"""
    + process_yaml(
        "product",
        "Product",
        "production",
        ("product", 1, "t"),
        inputs=[("power", "e_use", "MWh/t")],
        emissions=[("ch4_fossil", 0.5, "kg")],
    )
    + process_yaml(
        "power",
        "Power plant",
        "raw_material_acquisition",
        ("electricity", 1000, "kWh"),
        inputs=[("power", "self_use", "MWh/MWh"), ("fuel_supply", "fuel", "kg/MWh")],
    )
    + process_yaml(
        "fuel_supply",
        "Fuel supply",
        "raw_material_acquisition",
        ("fuel", 1, "t"),
        inputs=[("power", 20, "kWh")],
        factors=[("test/electricity/grid/2023", 1, "kg/kg")],
    )
)


def test_loop_against_scipy_solve(model_file, factor_file):
    """A system with a loop (power <-> fuel, and power's own use) against numpy.linalg.solve."""
    factors = pcflab.load_factors(factor_file(factor_row(per="kg", value="2.0")))
    det = pcflab.footprint(pcflab.load_model(model_file(LOOP_MODEL)), factors)
    # matrix per unit of reference product: product [t], power [kWh], fuel [t]
    a = np.array(
        [
            [1.0, 0.0, 0.0],
            [-300.0, 1.0 - 0.05, -20.0],  # 0.3 MWh/t; 0.05 kWh/kWh; 20 kWh per t fuel
            [0.0, -200.0 / 1000 / 1000, 1.0],  # 200 kg/MWh = 0.0002 t/kWh
        ]
    )
    s = np.linalg.solve(a, [2.0, 0.0, 0.0])
    co2 = s[2] * 1000 * 2.0  # 1 kg factor activity per kg fuel, 2 kg CO2/kg
    ch4 = s[0] * 0.5
    assert float(det["mass"].sel(gas="co2_fossil").sum()) == pytest.approx(co2, rel=1e-12)
    assert float(det["mass"].sel(gas="ch4_fossil").sum()) == pytest.approx(ch4, rel=1e-12)
    by_stage = det["gwp100"].groupby("stage").sum()
    assert set(by_stage.stage.values) == {"production", "raw_material_acquisition"}


def test_non_productive_loop_names_processes(model_file, factor_file):
    factors = pcflab.load_factors(factor_file(factor_row(per="kg")))
    text = LOOP_MODEL.replace("self_use: {value: 0.05", "self_use: {value: 1.5")
    with pytest.raises(SystemSolveError) as err:
        pcflab.footprint(pcflab.load_model(model_file(text)), factors)
    assert "power" in str(err.value) and "fuel_supply" in str(err.value)


def test_singular_loop(model_file, factor_file):
    factors = pcflab.load_factors(factor_file(factor_row(per="kg")))
    text = LOOP_MODEL.replace("self_use: {value: 0.05", "self_use: {value: 1.0").replace(
        "amount: 20, unit: kWh", "amount: 0, unit: kWh"
    )
    with pytest.raises(SystemSolveError, match="singular"):
        pcflab.footprint(pcflab.load_model(model_file(text)), factors)


def test_tonne_of_product_against_factor_per_kg(widget_model, factor_file):
    """1 t of an input against a factor given per kg is converted (x1000)."""
    factors = pcflab.load_factors(factor_file(factor_row(fid="test/steel/s/1", per="kg", value="2.0")))
    path = widget_model(
        (
            "{factor: test/electricity/grid/2023, amount: power, unit: kWh/t}",
            "{factor: test/steel/s/1, amount: 1, unit: t}",
        )
    )
    det = pcflab.footprint(pcflab.load_model(path), factors)
    assert float(det["mass"].sum()) == pytest.approx(2000.0)


def lognormal_product_model(widget_model, factor_file, gsd_a=1.3, gsd_f=1.5):
    factors = pcflab.load_factors(factor_file(factor_row(gsd=str(gsd_f), value="0.5")))
    return pcflab.compile_model(pcflab.load_model(widget_model(gsd=gsd_a)), factors)


def test_lognormal_product_matches_analytic_distribution(widget_model, factor_file):
    """Footprint = activity x factor, both lognormal: the product is lognormal with
    median 100 * 0.5 and sigma^2 = ln^2(1.3) + ln^2(1.5) (VALIDATION.md, lognormal products)."""
    cm = lognormal_product_model(widget_model, factor_file)
    mc = pcflab.simulate(cm, 50_000, seed=11)
    sigma = math.hypot(math.log(1.3), math.log(1.5))
    exact = scipy.stats.lognorm(s=sigma, scale=50.0)
    x = mc["total"].values
    assert scipy.stats.kstest(x, exact.cdf).pvalue > 1e-3
    se = exact.std() / math.sqrt(x.size)
    assert abs(x.mean() - exact.mean()) < 4 * se
    assert np.std(np.log(x), ddof=1) == pytest.approx(sigma, rel=0.02)


def test_results_do_not_depend_on_chunking(widget_model, factor_file):
    cm = lognormal_product_model(widget_model, factor_file)
    one = pcflab.simulate(cm, 5_000, seed=3, chunk_size=5_000)
    many = pcflab.simulate(cm, 5_000, seed=3, chunk_size=333)
    np.testing.assert_array_equal(one["gwp100"].values, many["gwp100"].values)
    other_seed = pcflab.simulate(cm, 5_000, seed=4)
    assert not np.array_equal(one["total"].values, other_seed["total"].values)


def test_results_do_not_depend_on_thread_count():
    import numba

    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = pcflab.simulate(STEEL, 2_000, seed=5)
        numba.set_num_threads(max(2, before))
        two = pcflab.simulate(STEEL, 2_000, seed=5)
    finally:
        numba.set_num_threads(before)
    np.testing.assert_array_equal(one["gwp100"].values, two["gwp100"].values)


def test_shared_factor_is_paired_between_products(widget_model, factor_file):
    """Two products using the same factor draw the same value of it in each sample, so
    the ratio of their footprints is exactly the ratio of their (fixed) activities."""
    factors = pcflab.load_factors(factor_file(factor_row(gsd="1.5")))
    fixed = ("    uncertainty: {distribution: lognormal, gsd: 1.2}\n", "")
    ma = pcflab.load_model(widget_model(fixed, file="a.yaml"))
    mb = pcflab.load_model(widget_model(fixed, file="b.yaml", id="test/gadget", power=250))
    ra = pcflab.simulate(pcflab.compile_model(ma, factors), 1_000, seed=9)
    rb = pcflab.simulate(pcflab.compile_model(mb, factors), 1_000, seed=9)
    np.testing.assert_allclose(rb["total"].values / ra["total"].values, 2.5, rtol=1e-12)
    assert np.std(ra["total"].values) > 1.0  # the factor really is uncertain


def test_mc_median_near_deterministic_for_steel():
    det = float(pcflab.footprint(STEEL)["gwp100"].sum())
    mc = pcflab.simulate(STEEL, 4_000, seed=1)
    s = pcflab.summary(mc)
    assert s["lower"] < det < s["upper"]
    assert s["median"] == pytest.approx(det, rel=0.05)
    assert mc.attrs["seed"] == 1 and mc.attrs["n_samples"] == 4_000
    assert mc.attrs["model_sha256"] and mc.attrs["factors_sha256"]


@pytest.mark.parametrize("bad", [{"n_samples": 0}, {"seed": -1}, {"chunk_size": 0}])
def test_bad_simulation_arguments(bad):
    kwargs = {"n_samples": 10, "seed": 1, **bad}
    with pytest.raises(ValueError):
        pcflab.simulate(STEEL, **kwargs)


def test_results_round_trip_netcdf(tmp_path):
    mc = pcflab.simulate(STEEL, 200, seed=2)
    path = tmp_path / "r.nc"
    mc.to_netcdf(path)
    import xarray as xr

    back = xr.load_dataset(path)
    np.testing.assert_array_equal(back["gwp100"].values, mc["gwp100"].values)
    assert back.attrs["model_sha256"] == mc.attrs["model_sha256"]
    assert back["gwp100"].attrs["units"] == "kg CO2e"


def test_division_by_zero_at_nominal_values_is_a_model_error(widget_model, factor_file):
    factors = pcflab.load_factors(factor_file(factor_row()))
    path = widget_model(
        ("amount: power, unit: kWh/t}", "amount: power / share, unit: kWh/t}"),
        ("parameters:\n", "parameters:\n  share: {value: 0, unit: t/t}\n"),
    )
    with pytest.raises(pcflab.PcfError, match="divides by zero") as err:
        pcflab.compile_model(pcflab.load_model(path), factors)
    assert err.value.field == "processes.assembly.factors[0].amount"


def test_overflow_in_some_samples_is_a_clear_error_not_garbage(widget_model, factor_file):
    """A formula that overflows for some draws stops the run and says how many samples."""
    factors = pcflab.load_factors(factor_file(factor_row()))
    path = widget_model(
        ("amount: power, unit: kWh/t}", "amount: power * ten ** share, unit: kWh/t}"),
        (
            "parameters:\n",
            "parameters:\n  ten: {value: 10, unit: t/t}\n"
            "  share: {value: 300, unit: t/t, uncertainty: {distribution: uniform, min: 299, max: 400}}\n",
        ),
    )
    cm = pcflab.compile_model(pcflab.load_model(path), factors)
    assert float(pcflab.footprint(cm)["mass"].sum()) == pytest.approx(100 * 10.0**300 * 0.5)
    with pytest.raises(pcflab.PcfError, match=r"NaN or infinite in \d+ of 50 samples"):
        pcflab.simulate(cm, 50, seed=1)
