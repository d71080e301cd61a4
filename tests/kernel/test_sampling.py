"""Tests for the parameter sampler in kernel/_system.py (``sample_parameters``).

Its draws must be a pure function of (seed, global sample index, stream key): independent
of chunking, of the thread count and of the column at which a quantity sits (STYLE.md
pitfall 7).
"""

import numba
import numpy as np
import pytest

from pcflab.kernel import FIXED, LOGNORMAL, NORMAL, TRIANGULAR, UNIFORM, inverse_cdf, sample_parameters, uniform01

_KINDS = np.array([LOGNORMAL, NORMAL, FIXED, UNIFORM, TRIANGULAR, LOGNORMAL], dtype=np.int64)
_P1 = np.array([0.40, 10.0, 3.0, 1.0, 2.0, 1000.0])
_P2 = np.array([1.50, 2.0, 0.0, 2.0, 2.5, 1.10])
_P3 = np.array([0.0, 0.0, 0.0, 0.0, 4.0, 0.0])
_KEYS = np.array([0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 2**64 - 1], dtype=np.uint64)
_SEED = 123456789


def _sample(first, n, kinds=_KINDS, p1=_P1, p2=_P2, p3=_P3, keys=_KEYS, seed=_SEED):
    return sample_parameters(seed, first, n, kinds, p1, p2, p3, keys)


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
    """Each entry is inverse_cdf(kind, ..., uniform01(seed, sample, key)), recomputed one by one."""
    first, n = 700, 50
    got = _sample(first, n)
    for j in range(n):
        for p in range(len(_KINDS)):
            if _KINDS[p] == FIXED:
                expected = _P1[p]
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
