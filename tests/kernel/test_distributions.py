"""Tests for kernel/_distributions.py: inverse CDFs against scipy.stats, sampled draws by KS."""

import math

import numpy as np
import pytest
from scipy import stats

from pcflab.kernel import (
    FIXED,
    LOGNORMAL,
    NORMAL,
    TRIANGULAR,
    UNIFORM,
    KernelParameters,
    inverse_cdf,
    sample_parameters,
)

_U = np.concatenate(
    [[1e-12, 1e-6, 0.001, 0.02425, 0.1, 0.25, 0.5, 0.75, 0.9, 0.97575, 0.999, 1 - 1e-9], np.linspace(0.01, 0.99, 37)]
)

# (kind, p1, p2, p3, scipy frozen distribution)
_CASES = {
    "lognormal_ef": (LOGNORMAL, 0.40, 1.50, 0.0, stats.lognorm(s=math.log(1.50), scale=0.40)),
    "lognormal_activity": (LOGNORMAL, 1000.0, 1.10, 0.0, stats.lognorm(s=math.log(1.10), scale=1000.0)),
    "lognormal_wide": (LOGNORMAL, 3e-5, 3.0, 0.0, stats.lognorm(s=math.log(3.0), scale=3e-5)),
    "normal": (NORMAL, 12.5, 0.8, 0.0, stats.norm(loc=12.5, scale=0.8)),
    "normal_negative_mean": (NORMAL, -3.0, 2.0, 0.0, stats.norm(loc=-3.0, scale=2.0)),
    "uniform": (UNIFORM, 0.9, 1.3, 0.0, stats.uniform(loc=0.9, scale=0.4)),
    "triangular": (TRIANGULAR, 2.0, 2.5, 4.0, stats.triang(c=(2.5 - 2.0) / (4.0 - 2.0), loc=2.0, scale=2.0)),
    "triangular_mode_at_min": (TRIANGULAR, 1.0, 1.0, 3.0, stats.triang(c=0.0, loc=1.0, scale=2.0)),
    "triangular_mode_at_max": (TRIANGULAR, -1.0, 5.0, 5.0, stats.triang(c=1.0, loc=-1.0, scale=6.0)),
}


@pytest.mark.parametrize("name", sorted(_CASES))
def test_inverse_cdf_matches_scipy_ppf(name):
    kind, p1, p2, p3, dist = _CASES[name]
    got = np.array([inverse_cdf(kind, p1, p2, p3, u) for u in _U])
    np.testing.assert_allclose(got, dist.ppf(_U), rtol=1e-12, atol=1e-12 * dist.std())


def test_inverse_cdf_lognormal_closed_form():
    # median at u = 1/2, and GSD^1.96 at the 97.5 % quantile (ecoinvent's 95 % range, VALIDATION.md §1.1)
    assert inverse_cdf(LOGNORMAL, 0.40, 1.5, 0.0, 0.5) == pytest.approx(0.40, rel=1e-15)
    q975 = inverse_cdf(LOGNORMAL, 0.40, 1.5, 0.0, 0.975)
    assert q975 == pytest.approx(0.40 * 1.5**1.959963984540054, rel=1e-13)


def test_inverse_cdf_triangular_at_mode_cut():
    # the CDF of the triangular at its mode is (mode - min) / (max - min)
    assert inverse_cdf(TRIANGULAR, 2.0, 2.5, 4.0, 0.25) == pytest.approx(2.5, rel=1e-15)


def test_inverse_cdf_fixed_ignores_u():
    for u in [1e-9, 0.3, 0.5, 1 - 1e-9]:
        assert inverse_cdf(FIXED, 7.25, 99.0, -1.0, u) == 7.25


def test_inverse_cdf_unknown_kind_is_nan():
    assert math.isnan(inverse_cdf(99, 1.0, 2.0, 3.0, 0.5))


def _draw(kind, p1, p2, p3, n, key=0x1234ABCD, seed=2025):
    parameters = KernelParameters.from_arrays(
        np.array([kind], dtype=np.int64),
        np.array([p1]),
        np.array([p2]),
        np.array([p3]),
        np.array([key], dtype=np.uint64),
    )
    col = sample_parameters(parameters, seed, 0, n)
    assert col.shape == (n, 1)
    return col[:, 0]


@pytest.mark.parametrize("name", sorted(_CASES))
def test_sampled_draws_follow_the_distribution(name):
    kind, p1, p2, p3, dist = _CASES[name]
    x = _draw(kind, p1, p2, p3, 20_000)
    assert np.all(np.isfinite(x))
    assert stats.kstest(x, dist.cdf).pvalue > 1e-3


def test_sampled_fixed_is_constant():
    x = _draw(FIXED, 3.5, 0.0, 0.0, 1000)
    assert np.all(x == 3.5)


def test_sampled_lognormal_moments():
    """Mean and variance of LN(mu, sigma^2): exp(mu + sigma^2/2), (exp(sigma^2) - 1) exp(2 mu + sigma^2)."""
    median, gsd, n = 0.40, 1.5, 200_000
    mu, s2 = math.log(median), math.log(gsd) ** 2
    mean = math.exp(mu + s2 / 2)
    var = (math.exp(s2) - 1) * math.exp(2 * mu + s2)
    x = _draw(LOGNORMAL, median, gsd, 0.0, n)
    assert abs(x.mean() - mean) < 4 * math.sqrt(var / n)
    # ln x is N(mu, sigma^2): its mean and variance are checked against the parameters
    lx = np.log(x)
    assert abs(lx.mean() - mu) < 4 * math.sqrt(s2 / n)
    assert abs(lx.var(ddof=1) - s2) < 4 * s2 * math.sqrt(2 / (n - 1))


def test_sampled_product_of_lognormals_worked_case():
    """VALIDATION.md §1.1 worked PCF case: A (GM 1000, GSD 1.10) x EF (GM 0.40, GSD 1.50) x L (GM 1.05, GSD 1.02).

    Exact: median 420.0000, mean 458.1487, sd 199.6554.
    """
    n = 200_000
    parameters = KernelParameters.from_arrays(
        np.array([LOGNORMAL] * 3, dtype=np.int64),
        np.array([1000.0, 0.40, 1.05]),
        np.array([1.10, 1.50, 1.02]),
        np.zeros(3),
        np.array([11, 22, 33], dtype=np.uint64),
    )
    x = sample_parameters(parameters, 77, 0, n)
    y = x.prod(axis=1)
    se = 199.6554 / math.sqrt(n)
    assert abs(y.mean() - 458.1487) < 4 * se
    # relative SE of the sd is about 0.003 here (excess kurtosis ~3.6): 0.012 is four of them
    assert y.std(ddof=1) == pytest.approx(199.6554, rel=0.012)
    # ln y is normal with sigma^2 = 0.173878: its sample median has SE sqrt(pi/2) sigma / sqrt(n)
    sigma = math.sqrt(0.173878)
    assert abs(math.log(np.median(y)) - math.log(420.0)) < 4 * math.sqrt(math.pi / 2) * sigma / math.sqrt(n)
