"""``pcflab.compare_products``: several products under shared uncertainty.

Three toy products share one lognormal factor F (grid power, median 0.5 kg CO2/kWh, GSD 1.5):
A = 100 F, B = 60 F + L (L a direct emission of B alone, lognormal, median 25 kg, GSD 1.3)
and C = 80 F [kg CO2e/t]. Their differences, P(A < B) and rank probabilities have closed
forms (lognormal moments; ln(40 F) - ln L is normal), which the simulation must meet within
a few Monte Carlo standard errors; with shared draws C < A in every sample.
"""

import json
import math

import numpy as np
import pytest
from scipy.stats import norm

import pcflab
from pcflab.analysis import compare_products
from pcflab.core._errors import PcfError
from tests.conftest import factor_row
from tests.models_for_tests import header_yaml, process_yaml

N = 20_000
GRID = "test/electricity/grid/2023"
F_MEDIAN, F_GSD = 0.5, 1.5
L_MEDIAN, L_GSD = 25.0, 1.3
SIGMA_F, SIGMA_L = math.log(F_GSD), math.log(L_GSD)
S = math.hypot(SIGMA_F, SIGMA_L)  # SD of ln(k F) - ln L


def lognormal_var(median, sigma):
    return median**2 * math.exp(sigma**2) * (math.exp(sigma**2) - 1.0)


VAR_F, VAR_L = lognormal_var(F_MEDIAN, SIGMA_F), lognormal_var(L_MEDIAN, SIGMA_L)


def toy(ident, kwh, *, leak=False, parameters="", fu=(1, "t", "one tonne"), product_unit="t"):
    text = "\n" + header_yaml(ident, ident, "make", functional_unit=fu)
    if leak or parameters:
        text += "parameters:\n"
    if leak:
        text += f"  leak: {{value: {L_MEDIAN}, unit: kg, uncertainty: {{distribution: lognormal, gsd: {L_GSD}}}}}\n"
    text += parameters + "processes:\n"
    emissions = [("co2_fossil", "leak", "kg")] if leak else ()
    return text + process_yaml(
        "make", "Make", "production", ("good", 1, product_unit), factors=[(GRID, kwh, "kWh")], emissions=emissions
    )


@pytest.fixture
def family(model_file, factor_file):
    """The compiled products A, B, C (and the factor database)."""
    factors = pcflab.load_factors(factor_file(factor_row(value=str(F_MEDIAN), gsd=str(F_GSD))))
    texts = {"a": toy("test/a", 100), "b": toy("test/b", 60, leak=True), "c": toy("test/c", 80)}
    return {
        k: pcflab.compile_model(pcflab.load_model(model_file(t, name=f"{k}.yaml")), factors) for k, t in texts.items()
    }


def test_the_difference_of_two_products_sharing_a_factor(family):
    a, b = family["a"], family["b"]
    shared = compare_products([a, b], n_samples=N, seed=3)
    alone = compare_products([a, b], n_samples=N, seed=3, shared="none")
    var_shared = 40**2 * VAR_F + VAR_L  # Var(40 F - L)
    var_alone = (100**2 + 60**2) * VAR_F + VAR_L  # Var(100 F) + Var(60 F' + L)
    d = float(shared["difference_sd"].sel(product="test/a", other="test/b")) ** 2
    d_alone = float(alone["difference_sd"].sel(product="test/a", other="test/b")) ** 2
    assert d == pytest.approx(var_shared, rel=0.06)
    assert d_alone == pytest.approx(var_alone, rel=0.06)
    assert d < d_alone / 5
    # the difference's mean and interval, from the samples again
    x = shared["total"].sel(product="test/a").values - shared["total"].sel(product="test/b").values
    mean = 40 * F_MEDIAN * math.exp(SIGMA_F**2 / 2) - L_MEDIAN * math.exp(SIGMA_L**2 / 2)
    assert float(shared["difference_mean"].sel(product="test/a", other="test/b")) == pytest.approx(mean, abs=0.2)
    assert float(shared["difference_lower"].sel(product="test/a", other="test/b")) == np.quantile(x, 0.025)
    assert float(shared["difference_upper"].sel(product="test/b", other="test/a")) == np.quantile(-x, 0.975)
    assert shared["difference_mean"].sel(product="test/a", other="test/a") == 0.0


def test_p_less_against_the_closed_form(family):
    res = compare_products([family["a"], family["b"], family["c"]], n_samples=N, seed=5)
    p_ab = norm.cdf(math.log(L_MEDIAN / (40 * F_MEDIAN)) / S)  # P(40 F < L) = 0.777
    p = res["p_less"].sel(product="test/a", other="test/b")
    se = math.sqrt(p_ab * (1 - p_ab) / N)
    assert float(p) == pytest.approx(p_ab, abs=4 * se)
    assert float(res["p_less_se"].sel(product="test/a", other="test/b")) == pytest.approx(se, rel=0.05)
    assert float(res["p_less"].sel(product="test/c", other="test/a")) == 1.0  # C = 0.8 A in every sample
    assert np.isnan(res["p_less"].values.diagonal()).all()
    off = ~np.eye(3, dtype=bool)
    # no ties between these continuous products: P(A < B) + P(B < A) = 1
    np.testing.assert_allclose((res["p_less"].values + res["p_less"].values.T)[off], 1.0)
    alone = compare_products([family["a"], family["c"]], n_samples=N, seed=5, shared="none")
    p_ca = norm.cdf(math.log(100 / 80) / (math.sqrt(2) * SIGMA_F))  # independent draws of F: 0.69
    assert float(alone["p_less"].sel(product="test/c", other="test/a")) == pytest.approx(p_ca, abs=0.015)


def test_rank_probabilities_against_the_closed_form(family):
    res = compare_products([family["a"], family["b"], family["c"]], n_samples=N, seed=7)
    b_first = norm.cdf(math.log(20 * F_MEDIAN / L_MEDIAN) / S)  # B < C: L < 20 F
    b_last = norm.cdf(math.log(L_MEDIAN / (40 * F_MEDIAN)) / S)  # B > A: L > 40 F
    expected = {
        "test/a": [0.0, b_last, 1 - b_last],
        "test/b": [b_first, 1 - b_first - b_last, b_last],
        "test/c": [1 - b_first, b_first, 0.0],
    }
    for product, row in expected.items():
        got = res["rank_probability"].sel(product=product).values
        np.testing.assert_allclose(got, row, atol=0.012)
    ranks = res["rank_probability"].values
    np.testing.assert_allclose(ranks.sum(axis=0), 1.0)
    np.testing.assert_allclose(ranks.sum(axis=1), 1.0)
    assert list(res["rank"].values) == [1, 2, 3]


def test_ties_are_shared_among_the_tied_ranks(family, model_file):
    """Two identical products (same factor, same amount) tie in every sample: 1/2 each rank."""
    twin = pcflab.compile_model(
        pcflab.load_model(model_file(toy("test/twin", 100), name="twin.yaml")), family["a"].factor_table
    )
    res = compare_products([family["a"], twin, family["b"]], n_samples=2000, seed=1)
    np.testing.assert_array_equal(res["total"].sel(product="test/a"), res["total"].sel(product="test/twin"))
    assert float(res["p_less"].sel(product="test/a", other="test/twin")) == 0.0
    ranks = res["rank_probability"].values
    np.testing.assert_allclose(ranks[0], ranks[1])
    np.testing.assert_allclose(ranks.sum(axis=0), 1.0)
    np.testing.assert_allclose(ranks.sum(axis=1), 1.0)


def test_parameters_of_the_same_name_and_distribution_are_shared(model_file, family):
    power = "  power: {value: 100, unit: kWh, uncertainty: {distribution: lognormal, gsd: 1.2}}\n"
    other = "  power: {value: 100, unit: kWh, uncertainty: {distribution: lognormal, gsd: 1.3}}\n"
    db = family["a"].factor_table
    make = [
        ("p", toy("test/p", "power", parameters=power)),
        ("q", toy("test/q", "0.5 * power", parameters=power)),
        ("r", toy("test/r", "power", parameters=other)),
    ]
    cms = [pcflab.compile_model(pcflab.load_model(model_file(t, name=f"{k}.yaml")), db) for k, t in make]
    res = compare_products(cms, n_samples=1000, seed=2)
    p, q, r = (res["total"].sel(product=f"test/{k}").values for k in "pqr")
    np.testing.assert_allclose(q, 0.5 * p, rtol=1e-13)  # the same power and grid factor in every sample
    assert not np.allclose(r, p)  # another distribution: r's own power
    shared = json.loads(res.attrs["shared_quantities"])
    (power_id,) = [k for k in shared if k.startswith("param:shared/power@")]
    assert shared[power_id] == ["test/p", "test/q"]
    assert shared[f"factor:{GRID}:co2_fossil"] == ["test/p", "test/q", "test/r"]
    factors_only = compare_products(cms, n_samples=1000, seed=2, shared="factors")
    assert not np.allclose(factors_only["total"].sel(product="test/q").values, 0.5 * p)


def test_bit_identical_for_a_seed_whatever_the_chunks_and_as_simulate(family):
    cms = [family["a"], family["b"], family["c"]]
    one = compare_products(cms, n_samples=3001, seed=11)
    assert one.identical(compare_products(cms, n_samples=3001, seed=11, chunk_size=1000))
    assert not np.array_equal(one["total"].values, compare_products(cms, n_samples=3001, seed=12)["total"].values)
    # a product that shares no parameter gets exactly the samples simulate gives it
    for cm in cms:
        alone = pcflab.simulate(cm, 3001, 11, keep="totals")
        np.testing.assert_array_equal(one["total"].sel(product=cm.model.id).values, alone["total"].values)


def test_layout_units_and_provenance(family, tmp_path):
    res = compare_products([family["a"], family["b"]], n_samples=500, seed=1, interval=0.9)
    assert res["total"].dims == ("sample", "product") and res.sizes["sample"] == 500
    assert res["p_less"].dims == ("product", "other") and res["rank_probability"].dims == ("product", "rank")
    for name in ("total", "mean", "sd", "lower", "upper", "difference_mean", "difference_lower"):
        assert res[name].attrs["units"] == "kg CO2e", name
    for name in ("p_less", "p_less_se", "rank_probability", "rank_probability_se"):
        assert res[name].attrs["units"] == "1", name
    x = res["total"].sel(product="test/b").values
    assert float(res["lower"].sel(product="test/b")) == np.quantile(x, 0.05)
    assert res.attrs["seed"] == 1 and res.attrs["n_samples"] == 500 and res.attrs["interval"] == 0.9
    assert res.attrs["method_profile"] == "iso14067" and res.attrs["gwp_set"]
    prov = json.loads(res.attrs["product_provenance"])
    assert set(prov) == {"test/a", "test/b"} and prov["test/a"]["model_sha256"] == family["a"].model.sha256
    res.to_netcdf(tmp_path / "compare.nc")  # netCDF-safe attributes


def test_a_shipped_family_bf_bof_coil_products():
    products = ["steel/bf-bof-cold-rolled-coil", "steel/bf-bof-hot-dip-galvanised-coil", "steel/bf-bof-plate"]
    res = pcflab.compare_products(products, n_samples=4000, seed=42)
    alone = pcflab.compare_products(products, n_samples=4000, seed=42, shared="none")
    # galvanised coil is cold-rolled coil plus zinc coating: the cold-rolled coil is lower in
    # (nearly) every sample when they share their route's draws, not with independent draws
    cold_hot_dip = {"product": products[0], "other": products[1]}
    assert float(res["p_less"].sel(cold_hot_dip)) > 0.99
    assert float(alone["p_less"].sel(cold_hot_dip)) < 0.75
    assert float(res["difference_sd"].sel(cold_hot_dip)) < float(alone["difference_sd"].sel(cold_hot_dip)) / 3
    ranks = res["rank_probability"].values
    np.testing.assert_allclose(ranks.sum(axis=0), 1.0)
    np.testing.assert_allclose(ranks.sum(axis=1), 1.0)
    assert res.attrs["n_shared"] > 10  # route parameters and factor rows
    # sharing changes the joint draws, not a product's own distribution: means as simulate's
    for p in products:
        mc = pcflab.simulate(p, 4000, 7, keep="totals")
        se = math.hypot(float(mc["total"].std()), float(res["sd"].sel(product=p))) / math.sqrt(4000)
        assert float(res["mean"].sel(product=p)) == pytest.approx(float(mc["total"].mean()), abs=4 * se)


@pytest.mark.parametrize(
    ("models", "kwargs", "match"),
    [
        (["steel/bf-bof-plate"], {}, "at least two"),
        ("steel/bf-bof-plate", {}, "list of at least two"),
        (
            ["steel/bf-bof-plate", "steel/no-such-model"],
            {},
            "no model file or shipped model named 'steel/no-such-model'",
        ),
        (["steel/bf-bof-plate", "steel/bf-bof-plate"], {}, "given twice"),
        (["steel/bf-bof-plate", "steel/bf-bof-rebar"], {"shared": "some"}, "unknown sharing 'some'"),
        (["steel/bf-bof-plate", "steel/bf-bof-rebar"], {"n_samples": 1}, "n_samples must be >= 2"),
        (["steel/bf-bof-plate", "steel/bf-bof-rebar"], {"interval": 1.5}, "interval must lie"),
        (["steel/bf-bof-plate", "steel/bf-bof-rebar"], {"sampler": "mc"}, "unknown sampler"),
    ],
)
def test_bad_input_says_what_and_how(models, kwargs, match):
    with pytest.raises(PcfError, match=match) as err:
        compare_products(models, **kwargs)
    assert err.value.hint


def test_different_functional_units_are_refused(family, model_file):
    db = family["a"].factor_table
    per_m2 = toy("test/panel", 100, fu=(1, "m**2", "one square metre"), product_unit="m**2")
    panel = pcflab.compile_model(pcflab.load_model(model_file(per_m2, name="panel.yaml")), db)
    with pytest.raises(PcfError, match=r"functional unit of test/panel \(1 m\*\*2\) is not that of test/a") as err:
        compare_products([family["a"], panel])
    assert err.value.file and err.value.file.endswith("panel.yaml") and err.value.line
    kilos = toy("test/kilos", 100, fu=(1000, "kg", "a thousand kilograms"))
    same = pcflab.compile_model(pcflab.load_model(model_file(kilos, name="kilos.yaml")), db)
    assert compare_products([family["a"], same], n_samples=10).sizes["product"] == 2  # 1000 kg = 1 t


def test_different_profiles_or_factor_databases_are_refused(family, model_file, factor_file):
    other = pcflab.compile_model(family["b"].model, family["b"].factor_table, "pef")
    with pytest.raises(PcfError, match="method profile 'pef'") as err:
        compare_products([family["a"], other])
    assert "profile=" in err.value.hint
    assert compare_products([family["a"], other], n_samples=10, profile="pef").attrs["method_profile"] == "pef"
    db = pcflab.load_factors(factor_file(factor_row(value="0.6"), name="other.csv"))
    elsewhere = pcflab.compile_model(family["c"].model, db)
    with pytest.raises(PcfError, match="different factor databases"):
        compare_products([family["a"], elsewhere])
