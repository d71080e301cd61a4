"""Tests for kernel/_philox.py: Philox4x64-10 against NumPy's ``Philox`` bit generator."""

import numpy as np
import pytest
from scipy import stats

from pcflab.kernel import philox4x64, uniform01
from pcflab.kernel._philox import _to_open_unit

_M64 = 2**64
_M256 = 2**256


def _numpy_philox(counter, key):
    """The four words NumPy's Philox produces for ``counter`` (4 words) and ``key`` (2 words).

    NumPy increments the 256-bit counter (word 0 lowest, with carry) *before* it generates,
    so the generator is started at ``counter - 1`` taken modulo 2**256.
    """
    c = sum(int(w) << (64 * i) for i, w in enumerate(counter))
    k = int(key[0]) | (int(key[1]) << 64)
    bg = np.random.Philox(counter=(c - 1) % _M256, key=k)
    return tuple(int(w) for w in bg.random_raw(4))


def _kernel_philox(counter, key):
    out = philox4x64(*(np.uint64(w) for w in counter), *(np.uint64(w) for w in key))
    return tuple(int(w) for w in out)


def _random_words(rng, n):
    return [int(w) for w in rng.integers(0, _M64, size=n, dtype=np.uint64)]


@pytest.mark.parametrize("case", range(8))
def test_philox4x64_matches_numpy_random_counters(case):
    rng = np.random.default_rng(20240 + case)
    counter = _random_words(rng, 4)
    key = _random_words(rng, 2)
    assert _kernel_philox(counter, key) == _numpy_philox(counter, key)


@pytest.mark.parametrize(
    ("counter", "key"),
    [
        # low word 0: numpy's start counter c - 1 borrows from word 1
        ([0, 5, 7, 9], [123, 456]),
        # low and second word 0: the borrow runs into word 2
        ([0, 0, 3, 1], [2**63, 1]),
        # all-zero counter: c - 1 wraps to 2**256 - 1
        ([0, 0, 0, 0], [0, 0]),
        # all-ones counter and key (carry chain on numpy's side is trivial, max values on ours)
        ([_M64 - 1] * 4, [_M64 - 1, _M64 - 1]),
        # the pattern uniform01 uses: (sample, stream, 0, 0) with key (seed, 0)
        ([17, 0xDEADBEEFCAFEF00D, 0, 0], [42, 0]),
    ],
)
def test_philox4x64_matches_numpy_edge_counters(counter, key):
    assert _kernel_philox(counter, key) == _numpy_philox(counter, key)


@pytest.mark.parametrize(
    ("counter", "key", "expected"),
    [
        ([0, 0, 0, 0], [0, 0], (0x16554D9ECA36314C, 0xDB20FE9D672D0FDC, 0xD7E772CEE186176B, 0x7E68B68AEC7BA23B)),
        (
            [_M64 - 1] * 4,
            [_M64 - 1] * 2,
            (0x87B092C3013FE90B, 0x438C3C67BE8D0224, 0x9CC7D7C69CD777B6, 0xA09CAEBF594F0BA0),
        ),
    ],
)
def test_philox4x64_published_known_answers(counter, key, expected):
    """Random123 known-answer vectors (``tests/kat_vectors``, philox4x64 10 rounds).

    Salmon et al. (2011), doi:10.1145/2063384.2063405. NumPy is checked too, which pins
    the counter convention used by the other tests.
    """
    assert _numpy_philox(counter, key) == expected
    assert _kernel_philox(counter, key) == expected


def _u(seed, sample, stream):
    return uniform01(np.uint64(seed), np.uint64(sample), np.uint64(stream))


def test_uniform01_is_top_52_bits_of_a_numpy_word():
    """uniform01 is ((w >> 12) + 1/2) / 2**52 of word ``sample % 4`` of
    Philox((sample // 4, stream, 0, 0), (seed, 0)): one call serves four samples."""
    from fractions import Fraction

    rng = np.random.default_rng(7)
    for seed, sample, stream in zip(*(_random_words(rng, 20) for _ in range(3)), strict=True):
        w = _numpy_philox([sample >> 2, stream, 0, 0], [seed, 0])[sample & 3]
        expected = (Fraction(w >> 12) + Fraction(1, 2)) / 2**52  # exact rational
        assert Fraction(_u(seed, sample, stream)) == expected


def test_uniform01_deterministic_and_in_open_interval():
    rng = np.random.default_rng(11)
    for seed, sample, stream in zip(*(_random_words(rng, 50) for _ in range(3)), strict=True):
        a = _u(seed, sample, stream)
        b = _u(seed, sample, stream)
        assert a == b
        assert 0.0 < a < 1.0


def test_uniform01_differs_between_seeds_samples_streams():
    base = _u(1, 2, 3)
    others = [_u(2, 2, 3), _u(1, 3, 2), _u(1, 2, 4), _u(1, 3, 3), _u(0, 2, 3)]
    assert all(o != base for o in others)
    # swapping sample and stream must not give the same number (they are different counter words)
    assert _u(1, 2, 3) != _u(1, 3, 2)
    # a run of neighbouring samples gives distinct values
    run = [_u(5, j, 99) for j in range(1000)]
    assert len(set(run)) == len(run)


def test_open_unit_map_stays_below_one_at_the_top():
    """The largest uint64 (top 53 bits all ones) must map strictly below 1.

    With (m + 0.5) * 2**-53 in double precision, m = 2**53 - 1 gives 2**53 - 0.5, which
    rounds (ties to even) to 2**53, i.e. exactly 1.0, and ndtri(1.0) is NaN. The 52-bit
    map gives exactly 2**-53 at the bottom and 1 - 2**-53 at the top.
    """
    assert _to_open_unit(np.uint64(0)) == 2.0**-53
    assert _to_open_unit(np.uint64(_M64 - 1)) == 1.0 - 2.0**-53
    assert _to_open_unit(np.uint64(_M64 - 1)) < 1.0
    assert _to_open_unit(np.uint64(_M64 - 2048)) < 1.0


def test_uniform01_large_batch_is_uniform():
    n = 50_000
    seed, stream = 20251125, 0x9E3779B97F4A7C15
    u = np.array([_u(seed, j, stream) for j in range(n)])
    assert stats.kstest(u, "uniform").pvalue > 1e-3
    se = np.sqrt(1.0 / 12.0 / n)
    assert abs(u.mean() - 0.5) < 4 * se
    # and across streams at one sample (the other axis of the counter)
    v = np.array([_u(seed, 3, k) for k in range(n)])
    assert stats.kstest(v, "uniform").pvalue > 1e-3
    assert abs(v.mean() - 0.5) < 4 * se
