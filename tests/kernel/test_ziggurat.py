"""Tests for the ``random`` sampler's normal numbers (kernel/_ziggurat.py) and its extremes.

The stream is recomputed here from its description in docs/random-stream.md with NumPy's own
``Philox`` bit generator (an implementation independent of the kernel's), the draws of every
family are checked against scipy (Kolmogorov-Smirnov and tail quantiles), neighbouring
quantities and samples must be uncorrelated, and extreme parameters must give finite values.
"""

import math

import numpy as np
import pytest
from scipy import stats

from pcflab.kernel import (
    BETA,
    DISCRETE,
    LOGNORMAL,
    NORMAL,
    PERT,
    TRIANGULAR,
    TRUNCNORMAL,
    UNIFORM,
    KernelParameters,
    normal01,
    philox4x64,
    sample_parameters,
)
from pcflab.kernel._ziggurat import ZIGGURAT_R, ziggurat_tables

_M256 = 2**256
_KI, _WI, _FI = ziggurat_tables()


def _numpy_words(counter, key):
    """NumPy Philox4x64-10 words for a counter (4 words) and key (2 words)."""
    c = sum(int(w) << (64 * i) for i, w in enumerate(counter))
    bg = np.random.Philox(counter=(c - 1) % _M256, key=int(key[0]) | (int(key[1]) << 64))
    return [int(w) for w in bg.random_raw(4)]


def _unit(w):
    return ((w >> 12) + 0.5) * 2.0**-52


def _reference_normal(seed, sample, stream):
    """docs/random-stream.md, step by step, in plain Python; returns (z, path)."""
    block, lane = sample >> 2, sample & 3
    w = _numpy_words([block, stream, 0, 0], [seed, 0])[lane]
    attempt = 0
    path = "fast"
    while True:
        idx, r = w & 0xFF, w >> 8
        negative, rabs = r & 1, (r >> 1) & ((1 << 52) - 1)
        x = rabs * float(_WI[idx])
        x = -x if negative else x
        if rabs < int(_KI[idx]):
            return x, path
        e = _numpy_words([block, stream, lane, attempt], [seed, 1])
        attempt += 1
        if idx == 0:
            while True:
                xx = -math.log1p(-_unit(e[1])) / ZIGGURAT_R
                yy = -math.log1p(-_unit(e[2]))
                if yy + yy > xx * xx:
                    return (-(ZIGGURAT_R + xx) if negative else ZIGGURAT_R + xx), "tail"
                e = _numpy_words([block, stream, lane, attempt], [seed, 1])
                attempt += 1
        if (float(_FI[idx - 1]) - float(_FI[idx])) * _unit(e[1]) + float(_FI[idx]) < math.exp(-0.5 * x * x):
            return x, "wedge"
        w, path = e[0], "retry"


def _paths(seed, stream, n_blocks):
    """Samples whose first word misses the rectangles: the slow paths, by kind of layer."""
    tail, wedge = [], []
    for block in range(n_blocks):
        words = philox4x64(
            np.uint64(block), np.uint64(stream), np.uint64(0), np.uint64(0), np.uint64(seed), np.uint64(0)
        )
        for lane, w in enumerate(int(x) for x in words):
            idx, rabs = w & 0xFF, (w >> 9) & ((1 << 52) - 1)
            if rabs >= int(_KI[idx]):
                (tail if idx == 0 else wedge).append(4 * block + lane)
    return tail, wedge


def test_tables_are_a_ziggurat_of_equal_layers():
    """Each layer's rectangle has area v; the base layer plus the tail too (scipy's normal)."""
    x = _WI * 2.0**52  # right edges x_i (x_0 is the base layer's width v / f(R))
    v = float(x[255]) * (float(_FI[254]) - float(_FI[255]))
    for i in range(2, 256):  # layer i spans heights fi[i] .. fi[i - 1] at width x_i
        assert float(x[i]) * (float(_FI[i - 1]) - float(_FI[i])) == pytest.approx(v, rel=1e-9)
    base = ZIGGURAT_R * math.exp(-0.5 * ZIGGURAT_R**2) + math.sqrt(2 * math.pi) * stats.norm.sf(ZIGGURAT_R)
    assert base == pytest.approx(v, rel=1e-9)
    assert float(x[0]) * math.exp(-0.5 * ZIGGURAT_R**2) == pytest.approx(v, rel=1e-12)


def test_normal01_is_the_documented_stream_on_every_path():
    seed, stream = 2026, 0xC0FFEE
    tail, wedge = _paths(seed, stream, 30_000)
    assert tail and len(wedge) > 100
    samples = list(range(0, 2000)) + tail + wedge[:400]
    seen = set()
    for sample in samples:
        want, path = _reference_normal(seed, sample, stream)
        seen.add(path)
        assert normal01(np.uint64(seed), np.uint64(sample), np.uint64(stream)) == want, (sample, path)
    assert seen >= {"fast", "tail", "wedge", "retry"}


def _column(kind, p1, p2, p3=0.0, p4=0.0, n=1_000_000, key=0x5EED5, seed=31, table=None):
    parameters = KernelParameters.from_arrays([kind], [p1], [p2], [p3], [key], p4=[p4], table=table)
    return sample_parameters(parameters, seed, 0, n)[:, 0]


_FAMILIES = {
    "normal": (NORMAL, 10.0, 2.0, 0.0, 0.0, stats.norm(10.0, 2.0)),
    "lognormal": (LOGNORMAL, 0.4, 1.5, 0.0, 0.0, stats.lognorm(math.log(1.5), scale=0.4)),
    "lognormal_wide": (LOGNORMAL, 2.0, math.exp(3.2), 0.0, 0.0, stats.lognorm(3.2, scale=2.0)),
    "uniform": (UNIFORM, 1.0, 3.0, 0.0, 0.0, stats.uniform(1.0, 2.0)),
    "triangular": (TRIANGULAR, 1.0, 1.5, 4.0, 0.0, stats.triang(0.5 / 3.0, loc=1.0, scale=3.0)),
    "truncnormal": (TRUNCNORMAL, 1.0, 0.5, 0.2, 1.4, stats.truncnorm(-1.6, 0.8, loc=1.0, scale=0.5)),
    "truncnormal_upper_tail": (TRUNCNORMAL, 0.0, 1.0, 2.0, 4.0, stats.truncnorm(2.0, 4.0)),
    # PERT on [1, 5] with mode 2: beta(1 + 4 * 1/4, 1 + 4 * 3/4) = beta(2, 4) (Vose 2008)
    "pert": (PERT, 1.0, 2.0, 5.0, 0.0, stats.beta(2.0, 4.0, loc=1.0, scale=4.0)),
    "beta": (BETA, 0.7, 2.5, -1.0, 3.0, stats.beta(0.7, 2.5, loc=-1.0, scale=4.0)),
}


def _check_family(name, n):
    kind, p1, p2, p3, p4, dist = _FAMILIES[name]
    x = _column(kind, p1, p2, p3, p4, n=n)
    assert np.all(np.isfinite(x))
    assert stats.kstest(x, dist.cdf).pvalue > 1e-4
    for q in (1e-4, 1e-3, 0.5, 1 - 1e-3, 1 - 1e-4):  # tail quantiles: binomial bounds on the count
        below = np.count_nonzero(x <= dist.ppf(q))
        assert abs(below - n * q) <= 5 * math.sqrt(n * q * (1 - q)) + 1, (q, below / n)


@pytest.mark.parametrize("name", sorted(_FAMILIES))
def test_draws_follow_scipy_at_two_hundred_thousand(name):
    _check_family(name, 200_000)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(_FAMILIES))
def test_draws_follow_scipy_at_ten_million(name):
    _check_family(name, 10_000_000)


_VALUES = np.array([1.0, 2.0, 5.0, 7.5])
_PROBABILITIES = np.array([0.1, 0.45, 0.05, 0.4])


def _check_discrete(n):
    """Discrete: each value's frequency against its probability (scipy's binomial bounds)."""
    table = np.concatenate([_VALUES, np.cumsum(_PROBABILITIES)])
    table[-1] = 1.0
    x = _column(DISCRETE, 0.0, 4.0, n=n, table=table)
    assert set(np.unique(x)) <= set(_VALUES)
    counts = np.array([np.count_nonzero(x == v) for v in _VALUES])
    assert stats.chisquare(counts, n * _PROBABILITIES).pvalue > 1e-4
    for c, q in zip(counts, _PROBABILITIES, strict=True):
        lo, hi = stats.binom(n, q).ppf([1e-6, 1 - 1e-6])
        assert lo <= c <= hi, (c / n, q)


def test_discrete_draws_follow_their_probabilities():
    _check_discrete(200_000)


@pytest.mark.slow
def test_discrete_draws_follow_their_probabilities_at_ten_million():
    _check_discrete(10_000_000)


def test_uncorrelated_quantities_of_a_run_with_a_copula_keep_their_stream():
    """A copula on quantities 0 and 1 changes those two columns only: quantity 2 (normal)
    and 3 (lognormal) draw exactly what they draw in a run without correlation."""
    kinds = [LOGNORMAL, NORMAL, NORMAL, LOGNORMAL]
    p1, p2, p3, keys = [1.0, 0.0, 3.0, 2.0], [1.3, 1.0, 0.5, 1.2], [0.0] * 4, [11, 12, 13, 14]
    r = 0.5
    correlation = (np.array([0, 1]), np.linalg.cholesky(np.array([[1.0, r], [r, 1.0]])))
    plain = sample_parameters(KernelParameters.from_arrays(kinds, p1, p2, p3, keys), 9, 0, 20_000)
    copula = sample_parameters(
        KernelParameters.from_arrays(kinds, p1, p2, p3, keys, correlation=correlation), 9, 0, 20_000
    )
    assert np.array_equal(copula[:, 2:], plain[:, 2:])
    assert not np.array_equal(copula[:, :2], plain[:, :2])
    assert np.corrcoef(np.log(copula[:, 0]), copula[:, 1])[0, 1] == pytest.approx(r, abs=0.03)


def test_no_correlation_between_neighbouring_quantities_or_samples():
    k, n = 32, 100_000
    keys = np.arange(1, k + 1, dtype=np.uint64)  # neighbouring keys, the worst case for a counter
    x = sample_parameters(
        KernelParameters.from_arrays(np.full(k, NORMAL), np.zeros(k), np.ones(k), np.zeros(k), keys), 5, 0, n
    )
    bound = 5.0 / math.sqrt(n)
    r = np.corrcoef(x.T)
    assert np.max(np.abs(r[~np.eye(k, dtype=bool)])) < bound
    for lag in (1, 2, 3, 4, 5):  # within one Philox block (lags 1-3) and across blocks
        for p in range(k):
            assert abs(np.corrcoef(x[:-lag, p], x[lag:, p])[0, 1]) < bound
    # neighbouring seeds
    y = sample_parameters(
        KernelParameters.from_arrays(np.full(k, NORMAL), np.zeros(k), np.ones(k), np.zeros(k), keys), 6, 0, n
    )
    assert abs(np.corrcoef(x[:, 0], y[:, 0])[0, 1]) < bound


@pytest.mark.parametrize(
    ("kind", "p1", "p2", "p3", "p4"),
    [
        (LOGNORMAL, 1.0, 1.0, 0.0, 0.0),  # GSD 1: sigma 0
        (LOGNORMAL, 1.0, 1.0 + 1e-12, 0.0, 0.0),  # sigma near 0
        (LOGNORMAL, 1e-30, math.exp(3.5), 0.0, 0.0),  # sigma above 3, tiny median
        (LOGNORMAL, 1e30, math.exp(5.0), 0.0, 0.0),
        (NORMAL, 5.0, 1e-300, 0.0, 0.0),
        (TRIANGULAR, 1.0, 1.0, 2.0, 0.0),  # mode at the minimum
        (TRIANGULAR, 1.0, 2.0, 2.0, 0.0),  # mode at the maximum
        (TRIANGULAR, 1.0, 1.0, 1.0, 0.0),  # all three touching
        (TRUNCNORMAL, 0.0, 1.0, -1.0, -1.0),  # bounds touching
        (TRUNCNORMAL, 0.0, 1.0, 40.0, 41.0),  # bounds far in the upper tail
        (TRUNCNORMAL, 0.0, 1.0, -41.0, -40.0),  # and in the lower tail
        (TRUNCNORMAL, 0.0, 1.0, 8.0, 8.0 + 1e-12),
    ],
)
def test_extreme_parameters_give_finite_values_inside_the_bounds(kind, p1, p2, p3, p4):
    x = _column(kind, p1, p2, p3, p4, n=200_000)
    assert np.all(np.isfinite(x))
    if kind in (TRIANGULAR,):
        assert np.all((x >= p1) & (x <= p3))
    if kind == TRUNCNORMAL:
        assert np.all((x >= p3) & (x <= p4))
    if kind == LOGNORMAL:
        assert np.all(x > 0)


def test_truncnormal_far_in_the_tail_follows_scipy():
    """Bounds beyond 37 SD (probabilities underflow): the exponential limit, against scipy."""
    x = _column(TRUNCNORMAL, 0.0, 1.0, 40.0, 41.0, n=100_000)
    assert stats.kstest(x, stats.truncnorm(40.0, 41.0).cdf).pvalue > 1e-3
    y = _column(TRUNCNORMAL, 0.0, 1.0, 7.0, 9.0, n=100_000)
    assert stats.kstest(y, stats.truncnorm(7.0, 9.0).cdf).pvalue > 1e-3
