"""Tests for the parameter sampler in kernel/_sampling.py (``sample_parameters``).

Its draws must be a pure function of (seed, global sample index, stream key): independent
of chunking, of the thread count and of the column at which a quantity sits (STYLE.md
pitfall 7).
"""

import math

import numba
import numpy as np
import pytest

from pcflab.kernel import (
    DISCRETE,
    FIXED,
    LOGNORMAL,
    NORMAL,
    TRIANGULAR,
    TRUNCNORMAL,
    UNIFORM,
    KernelParameters,
    inverse_cdf,
    normal01,
    sample_parameters,
    spearman_to_pearson,
    uniform01,
)

_KINDS = np.array([LOGNORMAL, NORMAL, FIXED, UNIFORM, TRIANGULAR, LOGNORMAL], dtype=np.int64)
_P1 = np.array([0.40, 10.0, 3.0, 1.0, 2.0, 1000.0])
_P2 = np.array([1.50, 2.0, 0.0, 2.0, 2.5, 1.10])
_P3 = np.array([0.0, 0.0, 0.0, 0.0, 4.0, 0.0])
_KEYS = np.array([0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 2**64 - 1], dtype=np.uint64)
_SEED = 123456789


def _sample(first, n, kinds=_KINDS, p1=_P1, p2=_P2, p3=_P3, keys=_KEYS, seed=_SEED):
    return sample_parameters(KernelParameters.from_arrays(kinds, p1, p2, p3, keys), seed, first, n)


@pytest.fixture
def restore_threads():
    before = numba.get_num_threads()
    yield
    numba.set_num_threads(before)


def test_one_chunk_equals_several_chunks():
    whole = _sample(0, 10_000)
    bounds = [0, 1, 1000, 1001, 4096, 9999, 10_000]
    parts = [_sample(a, b - a) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    assert np.array_equal(whole, np.vstack(parts))


def test_chunk_with_offset_is_a_slice():
    whole = _sample(0, 5000)
    assert np.array_equal(_sample(1234, 100), whole[1234:1334])


def test_draws_match_scalar_uniform_and_inverse_cdf():
    """Each entry, recomputed one by one: a normal or lognormal from the ziggurat normal of
    ``normal01(seed, sample, key)``, every other family ``inverse_cdf(kind, ..., uniform01(...))``."""
    first, n = 700, 50
    got = _sample(first, n)
    for j in range(n):
        for p in range(len(_KINDS)):
            if _KINDS[p] == FIXED:
                expected = _P1[p]
            elif _KINDS[p] == LOGNORMAL:
                expected = _P1[p] * math.exp(
                    math.log(_P2[p]) * normal01(np.uint64(_SEED), np.uint64(first + j), _KEYS[p])
                )
            elif _KINDS[p] == NORMAL:
                expected = _P1[p] + _P2[p] * normal01(np.uint64(_SEED), np.uint64(first + j), _KEYS[p])
            else:
                u = uniform01(np.uint64(_SEED), np.uint64(first + j), _KEYS[p])
                expected = inverse_cdf(int(_KINDS[p]), _P1[p], _P2[p], _P3[p], u)
            assert got[j, p] == expected


@pytest.mark.skipif(numba.config.NUMBA_NUM_THREADS < 2, reason="needs at least two numba threads")
def test_independent_of_thread_count(restore_threads):
    numba.set_num_threads(1)
    one = _sample(0, 20_000)
    numba.set_num_threads(2)
    two = _sample(0, 20_000)
    assert np.array_equal(one, two)


def test_same_key_same_draws_at_another_column():
    """A quantity keeps its stream when another model puts it at a different column."""
    a = _sample(0, 2000)
    order = np.array([5, 3, 0, 4, 1, 2])
    b = _sample(0, 2000, _KINDS[order], _P1[order], _P2[order], _P3[order], _KEYS[order])
    assert np.array_equal(b, a[:, order])
    # and in a model with extra quantities around it
    kinds = np.array([NORMAL, LOGNORMAL, UNIFORM], dtype=np.int64)
    c = _sample(
        0,
        2000,
        kinds,
        np.array([0.0, 0.40, 5.0]),
        np.array([1.0, 1.50, 6.0]),
        np.zeros(3),
        np.array([0x999, 0xA1, 0x777], dtype=np.uint64),
    )
    assert np.array_equal(c[:, 1], a[:, 0])


def test_different_keys_seeds_give_different_draws():
    a = _sample(0, 1000)
    b = _sample(0, 1000, seed=_SEED + 1)
    keys = _KEYS.copy()
    keys[0] += np.uint64(1)
    c = _sample(0, 1000, keys=keys)
    varying = _KINDS != FIXED
    assert not np.any(a[:, varying] == b[:, varying])
    assert not np.any(a[:, 0] == c[:, 0])
    assert np.array_equal(a[:, 1:], c[:, 1:])
    # two quantities with the same distribution but different keys are not the same stream
    assert abs(np.corrcoef(a[:, 0], a[:, 5])[0, 1]) < 4 / np.sqrt(1000)


# --- The bundled call and the deprecated loose one ---

_TABLE = np.array([1.0, 2.0, 5.0, 0.2, 0.7, 1.0])  # discrete values 1, 2, 5 with cumulative 0.2, 0.7, 1
_KINDS_ALL = np.array([LOGNORMAL, NORMAL, FIXED, TRUNCNORMAL, DISCRETE, UNIFORM], dtype=np.int64)
_P1_ALL = np.array([0.40, 10.0, 3.0, 5.0, 0.0, 1.0])
_P2_ALL = np.array([1.50, 2.0, 0.0, 1.0, 3.0, 2.0])
_P3_ALL = np.array([0.0, 0.0, 0.0, 4.0, 0.0, 0.0])
_P4_ALL = np.array([0.0, 0.0, 0.0, 6.5, 0.0, 0.0])


def _correlation(rho=0.6):
    """Quantities 0 and 1 rank-correlated: (columns, Cholesky factor of the normal-score matrix)."""
    r = float(spearman_to_pearson(rho))
    return np.array([0, 1], dtype=np.int64), np.linalg.cholesky(np.array([[1.0, r], [r, 1.0]]))


@pytest.mark.parametrize("correlated", [False, True], ids=["independent", "correlated"])
@pytest.mark.parametrize("sampler", ["random", "lhs", "sobol"])
def test_bundled_and_loose_calls_give_the_same_draws_and_the_loose_one_warns(sampler, correlated):
    correlation = _correlation() if correlated else None
    parameters = KernelParameters.from_arrays(
        _KINDS_ALL, _P1_ALL, _P2_ALL, _P3_ALL, _KEYS, p4=_P4_ALL, table=_TABLE, correlation=correlation
    )
    bundled = sample_parameters(parameters, _SEED, 100, 300, sampler=sampler, n_total=1000)
    with pytest.warns(DeprecationWarning, match=r"sample_parameters\(seed, first_sample.*KernelParameters"):
        loose = sample_parameters(
            _SEED,
            100,
            300,
            _KINDS_ALL,
            _P1_ALL,
            _P2_ALL,
            _P3_ALL,
            _KEYS,
            p4=_P4_ALL,
            table=_TABLE,
            sampler=sampler,
            n_total=1000,
            correlation=correlation,
        )
    assert bundled.shape == (300, 6)
    assert np.array_equal(bundled, loose)
    assert set(np.unique(bundled[:, 4])) <= {1.0, 2.0, 5.0}
    assert np.all((bundled[:, 3] >= 4.0) & (bundled[:, 3] <= 6.5))


def test_loose_call_by_keywords_warns_and_gives_the_same_draws():
    bundled = sample_parameters(KernelParameters.from_arrays(_KINDS, _P1, _P2, _P3, _KEYS), _SEED, 0, 50)
    with pytest.warns(DeprecationWarning):
        loose = sample_parameters(
            seed=_SEED, first_sample=0, n_samples=50, kinds=_KINDS, p1=_P1, p2=_P2, p3=_P3, keys=_KEYS
        )
    assert np.array_equal(bundled, loose)


def test_bundled_call_does_not_warn(recwarn):
    sample_parameters(KernelParameters.from_arrays(_KINDS, _P1, _P2, _P3, _KEYS), _SEED, 0, 10)
    sample_parameters(
        parameters=KernelParameters.from_arrays(_KINDS, _P1, _P2, _P3, _KEYS), seed=1, first_sample=0, n_samples=4
    )
    assert not [w for w in recwarn if issubclass(w.category, DeprecationWarning)]


def test_no_correlation_is_empty_arrays_and_the_bundle_pickles():
    import pickle

    plain = KernelParameters.from_arrays(_KINDS, _P1, _P2, _P3, _KEYS)
    assert plain.correlation is None
    assert plain.correlation_columns.shape == (0,) and plain.correlation_columns.dtype == np.int64
    assert plain.correlation_cholesky.shape == (0, 0) and plain.correlation_cholesky.dtype == np.float64
    assert np.array_equal(plain.p4, np.zeros(6)) and plain.table.shape == (0,)
    assert plain.keys.dtype == np.uint64 and plain.kinds.dtype == np.int64
    columns, chol = _correlation()
    correlated = KernelParameters.from_arrays(_KINDS, _P1, _P2, _P3, _KEYS, correlation=(columns, chol))
    assert np.array_equal(correlated.correlation[0], columns) and np.array_equal(correlated.correlation[1], chol)
    back = pickle.loads(pickle.dumps(correlated))  # noqa: S301 - our own bytes
    assert type(back) is KernelParameters
    assert all(np.array_equal(a, b) for a, b in zip(back, correlated, strict=True))


def test_the_bundle_goes_into_a_numba_function_as_it_is():
    @numba.njit
    def summary(p):
        return p.p1.sum() + p.p2.sum(), p.kinds.shape[0], p.correlation_columns.shape[0], p.correlation_cholesky.shape

    plain = KernelParameters.from_arrays(_KINDS, _P1, _P2, _P3, _KEYS)
    assert summary(plain) == (_P1.sum() + _P2.sum(), 6, 0, (0, 0))
    correlated = KernelParameters.from_arrays(_KINDS, _P1, _P2, _P3, _KEYS, correlation=_correlation())
    assert summary(correlated)[2:] == (2, (2, 2))


def test_correlated_draws_are_the_gaussian_copula_computed_with_scipy():
    """Uniforms from uniform01, normal scores z, L z through Phi and each quantity's inverse CDF,
    recomputed with scipy.special for the two correlated lognormals (quantities 0 and 5)."""
    from scipy.special import ndtr, ndtri

    r = float(spearman_to_pearson(0.8))
    chol = np.linalg.cholesky(np.array([[1.0, r], [r, 1.0]]))
    columns = np.array([0, 5], dtype=np.int64)
    parameters = KernelParameters.from_arrays(_KINDS, _P1, _P2, _P3, _KEYS, correlation=(columns, chol))
    first, n = 40, 200
    got = sample_parameters(parameters, _SEED, first, n)
    independent = sample_parameters(KernelParameters.from_arrays(_KINDS, _P1, _P2, _P3, _KEYS), _SEED, first, n)
    others = [1, 2, 3, 4]
    assert np.array_equal(got[:, others], independent[:, others])  # marginals elsewhere untouched
    u = np.array([[uniform01(np.uint64(_SEED), np.uint64(first + j), _KEYS[p]) for p in columns] for j in range(n)])
    z = ndtri(u) @ chol.T
    expected = _P1[columns] * np.exp(np.log(_P2[columns]) * ndtri(ndtr(z)))
    np.testing.assert_allclose(got[:, columns], expected, rtol=1e-9)
    rank = np.corrcoef(np.argsort(np.argsort(got[:, 0])), np.argsort(np.argsort(got[:, 5])))[0, 1]
    assert rank == pytest.approx(0.8, abs=0.1)
