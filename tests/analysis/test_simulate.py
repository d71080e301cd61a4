"""Monte Carlo: distributions through a model, samplers, correlation, streaming statistics,
reproducibility, external parameter matrices, convergence and bad input."""

import math

import numpy as np
import pytest
import scipy.stats

import pcflab
from pcflab.core._errors import ModelError
from tests.conftest import SMALL_MODEL, factor_row


@pytest.fixture
def db(factor_file):
    return pcflab.load_factors(factor_file(factor_row(gsd="1.0", value="1.0")))  # 1 kg CO2 per kWh, fixed


def one_parameter_model(model_file, uncertainty, value=100):
    text = SMALL_MODEL.replace("value: 100", f"value: {value}").replace(
        "uncertainty: {distribution: lognormal, gsd: 1.2}", f"uncertainty: {uncertainty}"
    )
    return pcflab.load_model(model_file(text))


@pytest.mark.parametrize(
    ("uncertainty", "value", "dist"),
    [
        (
            "{distribution: truncnormal, sd: 30, min: 60, max: 180}",
            100,
            scipy.stats.truncnorm((60 - 100) / 30, (180 - 100) / 30, loc=100, scale=30),
        ),
        (
            "{distribution: pert, min: 50, max: 200}",
            80,
            scipy.stats.beta(1 + 4 * 30 / 150, 1 + 4 * 120 / 150, loc=50, scale=150),
        ),
        ("{distribution: beta, alpha: 2, beta: 5, min: 40, max: 240}", 100, scipy.stats.beta(2, 5, loc=40, scale=200)),
        (
            "{distribution: lognormal, sd: 40}",
            100,
            scipy.stats.lognorm(s=math.sqrt(math.log1p(0.16)), scale=100 / math.sqrt(1.16)),
        ),
        ("{distribution: triangular, min: 50, max: 200}", 80, scipy.stats.triang(30 / 150, loc=50, scale=150)),
    ],
)
def test_model_distributions_match_scipy(model_file, db, uncertainty, value, dist):
    """total = power [kWh/t] x 1 kg/kWh, so the total's distribution is the parameter's."""
    mc = pcflab.simulate(one_parameter_model(model_file, uncertainty, value), 20_000, seed=3, factors=db)
    x = mc["total"].values
    assert scipy.stats.kstest(x, dist.cdf).pvalue > 1e-3
    assert x.mean() == pytest.approx(dist.mean(), abs=4 * dist.std() / math.sqrt(x.size))


def test_discrete_distribution(model_file, db):
    m = one_parameter_model(
        model_file, "{distribution: discrete, values: [80, 100, 150], probabilities: [0.2, 0.5, 0.3]}"
    )
    x = pcflab.simulate(m, 20_000, seed=4, factors=db)["total"].values
    values, counts = np.unique(np.round(x, 9), return_counts=True)
    np.testing.assert_allclose(values, [80, 100, 150])
    assert scipy.stats.chisquare(counts, np.array([0.2, 0.5, 0.3]) * x.size).pvalue > 1e-3


@pytest.mark.parametrize(
    ("uncertainty", "text"),
    [
        ("{distribution: uniform, min: 200, max: 100}", r"min \(200.0\) must be below max \(100.0\)"),
        ("{distribution: triangular, min: 120, max: 200}", "must lie between min"),
        ("{distribution: normal}", "needs sd"),
        ("{distribution: normal, sd: -3}", "is too small"),
        ("{distribution: lognormal, gsd: 0.9}", "is too small"),
        ("{distribution: discrete, values: [1, 2], probabilities: [0.5, 0.6]}", "sum to one"),
        ("{distribution: beta, alpha: 2, min: 1, max: 3}", "needs beta"),
    ],
)
def test_bad_distribution_parameters(model_file, db, uncertainty, text):
    with pytest.raises(ModelError, match=text) as err:
        pcflab.compile_model(one_parameter_model(model_file, uncertainty), db)
    assert err.value.line is not None


def lognormal_sum_model(model_file, factor_file):
    """total = a + b, both lognormal (median 100, GSD 1.2; median 50, GSD 1.6)."""
    factors = pcflab.load_factors(
        factor_file(factor_row(gsd="1.0", value="1.0"), factor_row(fid="test/other/f/2023", gsd="1.0", value="1.0"))
    )
    text = (
        SMALL_MODEL.replace(
            "processes:\n",
            "  extra:\n    value: 50\n    unit: kWh/t\n"
            "    uncertainty: {distribution: lognormal, gsd: 1.6}\nprocesses:\n",
        )
        + "      - {factor: test/other/f/2023, amount: extra, unit: kWh/t}\n"
    )
    return pcflab.compile_model(pcflab.load_model(model_file(text)), factors)


def test_sum_of_lognormals_has_the_exact_moments(model_file, factor_file):
    cm = lognormal_sum_model(model_file, factor_file)
    x = pcflab.simulate(cm, 100_000, seed=5, keep="totals")["total"].values
    s1, s2 = math.log(1.2), math.log(1.6)
    mean = 100 * math.exp(s1**2 / 2) + 50 * math.exp(s2**2 / 2)
    var = 100**2 * (math.exp(s1**2) - 1) * math.exp(s1**2) + 50**2 * (math.exp(s2**2) - 1) * math.exp(s2**2)
    assert x.mean() == pytest.approx(mean, abs=4 * math.sqrt(var / x.size))
    assert x.var(ddof=1) == pytest.approx(var, rel=0.05)


def test_model_with_a_known_mean(model_file, db):
    """Linear in a normal parameter: the mean is the deterministic value."""
    m = one_parameter_model(model_file, "{distribution: normal, sd: 10}")
    x = pcflab.simulate(m, 50_000, seed=6, factors=db)["total"].values
    assert x.mean() == pytest.approx(100.0, abs=4 * 10 / math.sqrt(x.size))


@pytest.mark.parametrize("sampler", ["random", "lhs", "sobol"])
def test_samplers_are_chunk_independent_and_uniform(model_file, db, sampler):
    m = one_parameter_model(model_file, "{distribution: uniform, min: 0, max: 1}", value=0.5)
    cm = pcflab.compile_model(m, db)
    a = pcflab.simulate(cm, 20_000, seed=7, sampler=sampler, chunk_size=4096)["total"].values
    b = pcflab.simulate(cm, 20_000, seed=7, sampler=sampler, chunk_size=65_536)["total"].values
    np.testing.assert_array_equal(a, b)
    u = a  # total = power [kWh/t] x 1 kg/kWh, and power ~ U(0, 1) kWh/t
    assert scipy.stats.kstest(u, "uniform").pvalue > 1e-3
    if sampler == "lhs":  # one sample in every stratum 1/n wide
        np.testing.assert_array_equal(np.sort(np.floor(u * u.size)), np.arange(u.size))


def test_lhs_and_sobol_estimate_the_mean_better_than_random(model_file, db):
    m = one_parameter_model(model_file, "{distribution: lognormal, gsd: 1.5}")
    cm = pcflab.compile_model(m, db)
    exact = 100 * math.exp(math.log(1.5) ** 2 / 2)
    errors = {
        s: np.mean(
            [abs(pcflab.simulate(cm, 1_024, seed=k, sampler=s)["total"].values.mean() - exact) for k in range(8)]
        )
        for s in ("random", "lhs", "sobol")
    }
    assert errors["lhs"] < errors["random"] and errors["sobol"] < errors["random"]


def test_rank_correlation_is_induced_and_marginals_kept(model_file, factor_file):
    cm = lognormal_sum_model(model_file, factor_file)
    text = cm.model.path
    with open(text, encoding="utf-8") as fh:
        yaml = fh.read()
    yaml += "correlations:\n  - {parameters: [power, extra], spearman: 0.7}\n"
    m = pcflab.load_model(model_file(yaml, "corr.yaml"))
    cmc = pcflab.compile_model(m, cm.factor_table)
    theta = pcflab.kernel.sample_parameters(cmc.kernel_parameters, 9, 0, 20_000)
    rho = scipy.stats.spearmanr(theta[:, 0], theta[:, 1]).statistic
    assert rho == pytest.approx(0.7, abs=0.02)
    med = np.median(theta[:, 0]) / 3.6e3  # J/kg -> kWh/t
    assert med == pytest.approx(100, rel=0.02)
    bad = yaml.replace("spearman: 0.7", "spearman: 0.7}\n  - {parameters: [power, power], spearman: 0.5")
    with pytest.raises(ModelError, match="itself"):
        pcflab.compile_model(pcflab.load_model(model_file(bad, "bad.yaml")), cm.factor_table)


def test_streaming_statistics_match_the_cube_and_chunking(model_file, factor_file):
    cm = lognormal_sum_model(model_file, factor_file)
    cube = pcflab.simulate(cm, 30_000, seed=11, keep="cube", chunk_size=8192)
    small = pcflab.simulate(cm, 30_000, seed=11, keep="totals", chunk_size=4096)
    np.testing.assert_array_equal(cube["gwp100_mean"].values, small["gwp100_mean"].values)
    np.testing.assert_array_equal(cube["gwp100_sd"].values, small["gwp100_sd"].values)
    for odd in (1000, 333, 5000):  # chunks that straddle the statistics blocks
        other = pcflab.simulate(cm, 30_000, seed=11, keep="totals", chunk_size=odd)
        np.testing.assert_array_equal(other["total"].values, small["total"].values)
        np.testing.assert_array_equal(other["gwp100_mean"].values, small["gwp100_mean"].values)
        np.testing.assert_array_equal(other["gwp100_sd"].values, small["gwp100_sd"].values)
    np.testing.assert_allclose(cube["gwp100_mean"].values, cube["gwp100"].mean("sample").values, rtol=1e-12)
    np.testing.assert_allclose(
        cube["gwp100_sd"].values, cube["gwp100"].std("sample", ddof=1).values, rtol=1e-9, atol=1e-12
    )
    assert "gwp100" not in small and small["total"].size == 30_000


def test_evaluate_external_theta(model_file, factor_file):
    cm = lognormal_sum_model(model_file, factor_file)
    theta = pcflab.kernel.sample_parameters(cm.kernel_parameters, 12, 0, 500)
    got = pcflab.evaluate(cm, theta)["total"].values
    np.testing.assert_array_equal(got, pcflab.simulate(cm, 500, seed=12)["total"].values)
    with pytest.raises(pcflab.PcfError, match=r"needs \(n_samples, 4\)"):
        pcflab.evaluate(cm, theta[:, :3])
    theta[3, 0] = np.nan
    with pytest.raises(pcflab.PcfError, match="NaN"):
        pcflab.evaluate(cm, theta)


def test_standard_errors_and_convergence(model_file, db):
    m = one_parameter_model(model_file, "{distribution: normal, sd: 10}")
    mc = pcflab.simulate(m, 40_000, seed=13, factors=db)
    se = pcflab.standard_errors(mc)
    assert se["se_mean"] == pytest.approx(10 / math.sqrt(40_000), rel=0.05)
    # asymptotic SE of the median of a normal: sqrt(pi / 2) * sd / sqrt(n)
    assert se["quantiles"][0.5]["se"] == pytest.approx(math.sqrt(math.pi / 2) * 10 / math.sqrt(40_000), rel=0.25)
    res = pcflab.simulate_until(m, rel_precision=0.002, seed=13, factors=db, start=1_000)
    assert res.attrs["converged"] == 1 and res.attrs["relative_se"] <= 0.002
    assert res.attrs["n_samples"] >= (10 / 100 / 0.002) ** 2 * 0.8


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"n_samples": 0}, ValueError),
        ({"seed": 1.5}, TypeError),
        ({"seed": -1}, ValueError),
        ({"sampler": "halton"}, ValueError),
        ({"keep": "all"}, ValueError),
        ({"chunk_size": 0}, ValueError),
        ({"n_samples": True}, TypeError),
    ],
)
def test_bad_run_arguments(kwargs, error):
    args = {"n_samples": 10, "seed": 1, **kwargs}
    with pytest.raises(error):
        pcflab.simulate("steel/bf-bof-hot-rolled-coil", **args)


def test_steel_100k_samples_with_stage_by_gas():
    mc = pcflab.simulate("steel/bf-bof-hot-rolled-coil", n_samples=100_000, seed=1)
    assert mc["gwp100"].shape == (100_000, 5, 11)
    assert np.isfinite(mc["total"].values).all()


@pytest.mark.slow
def test_dask_cluster_gives_bit_identical_results(model_file, factor_file):
    from dask.distributed import Client, LocalCluster

    cm = lognormal_sum_model(model_file, factor_file)
    local = pcflab.simulate(cm, 20_000, seed=14, chunk_size=4096)
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        remote = pcflab.simulate(cm, 20_000, seed=14, chunk_size=4096, client=client)
    np.testing.assert_array_equal(local["gwp100"].values, remote["gwp100"].values)
    np.testing.assert_array_equal(local["gwp100_sd"].values, remote["gwp100_sd"].values)


def test_recorded_parameters_are_the_sampled_values(model_file, factor_file):
    cm = lognormal_sum_model(model_file, factor_file)
    r = pcflab.simulate(cm, 1_000, seed=15, record=["power", "extra"], keep="totals")
    theta = pcflab.kernel.sample_parameters(cm.kernel_parameters, 15, 0, 1_000)
    np.testing.assert_array_equal(r["parameter_power"].values, theta[:, 0])
    np.testing.assert_array_equal(r["parameter_extra"].values, theta[:, 1])
    assert r["parameter_power"].attrs["units"] == "m ** 2 / s ** 2"  # kWh/t in SI base units (J/kg)
    everything = pcflab.simulate(cm, 1_000, seed=15, record="all", keep="totals")
    np.testing.assert_array_equal(everything["theta"].values, theta)
    with pytest.raises(pcflab.PcfError, match="no parameter 'powr'"):
        pcflab.simulate(cm, 10, seed=1, record=["powr"])


def test_large_models_are_drawn_in_chunks_within_the_memory_budget(model_file, factor_file, monkeypatch):
    """The chunk is lowered so a chunk's parameter matrix stays within THETA_BUDGET; same results."""
    from pcflab.analysis import _simulate

    cm = lognormal_sum_model(model_file, factor_file)
    reference = pcflab.simulate(cm, 10_000, seed=5, keep="totals")
    sizes = []
    run_chunk = _simulate._run_chunk

    def spy(payload, start, n):
        sizes.append(n)
        return run_chunk(payload, start, n)

    monkeypatch.setattr(_simulate, "_run_chunk", spy)
    monkeypatch.setattr(_simulate, "THETA_BUDGET", 8 * len(cm.kinds) * 700)  # room for 700 samples
    capped = pcflab.simulate(cm, 10_000, seed=5, keep="totals")
    assert max(sizes) == 700 and sum(sizes) == 10_000
    for name in ("total", "gwp100_mean", "gwp100_sd"):
        np.testing.assert_array_equal(capped[name].values, reference[name].values)
