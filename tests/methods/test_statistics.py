"""Tests for methods/_statistics.py: ``summarize`` against numpy and closed forms."""

import math

import numpy as np
import pytest

from pcflab.methods import summarize


def test_against_numpy():
    x = np.random.default_rng(5).lognormal(mean=6.04, sigma=0.417, size=10_001)
    s = summarize(x)
    assert s["n"] == 10_001
    assert s["mean"] == pytest.approx(np.mean(x), rel=1e-14)
    assert s["sd"] == pytest.approx(np.std(x, ddof=1), rel=1e-14)
    assert s["median"] == pytest.approx(np.median(x), rel=1e-15)
    assert s["lower"] == pytest.approx(np.percentile(x, 2.5), rel=1e-14)
    assert s["upper"] == pytest.approx(np.percentile(x, 97.5), rel=1e-14)
    assert s["interval"] == 0.95


def test_small_sample_by_hand():
    # 1..5: mean 3, sd sqrt(2.5) (ddof 1), median 3; linear interpolation: the 10 % quantile of
    # five points is at position 0.1 * 4 = 0.4 -> 1.4, the 90 % at 3.6 -> 4.6
    s = summarize([5.0, 1.0, 4.0, 2.0, 3.0], interval=0.8)
    assert s["n"] == 5
    assert s["mean"] == 3.0
    assert s["sd"] == pytest.approx(math.sqrt(2.5), rel=1e-15)
    assert s["median"] == 3.0
    assert s["lower"] == pytest.approx(1.4, rel=1e-14)
    assert s["upper"] == pytest.approx(4.6, rel=1e-14)
    assert s["interval"] == 0.8


def test_interval_is_central():
    x = np.arange(1001.0)  # quantile q is 1000 q exactly
    s = summarize(x, interval=0.9)
    assert s["lower"] == pytest.approx(50.0, rel=1e-14)
    assert s["upper"] == pytest.approx(950.0, rel=1e-14)
    assert s["median"] == 500.0


def test_accepts_2d_and_lists():
    s = summarize([[1.0, 2.0], [3.0, 4.0]])
    assert s["n"] == 4
    assert s["mean"] == 2.5


def test_single_value_has_zero_sd():
    s = summarize([42.0])
    assert (s["n"], s["mean"], s["sd"], s["median"], s["lower"], s["upper"]) == (1, 42.0, 0.0, 42.0, 42.0, 42.0)


def test_returns_plain_python_types():
    s = summarize(np.array([1.0, 2.0, 3.0]))
    assert type(s["n"]) is int
    for key in ("mean", "sd", "median", "lower", "upper", "interval"):
        assert type(s[key]) is float


@pytest.mark.parametrize("values", [[1.0, np.nan, 2.0], [np.inf, 1.0], [-np.inf], [np.nan]])
def test_nonfinite_raises(values):
    with pytest.raises(ValueError, match="NaN or infinite"):
        summarize(values)


def test_nonfinite_count_in_message():
    with pytest.raises(ValueError, match="^2 samples"):
        summarize([1.0, np.nan, np.inf, 3.0])


@pytest.mark.parametrize("values", [[], np.empty((0, 3))])
def test_empty_raises(values):
    with pytest.raises(ValueError, match="no samples"):
        summarize(values)


@pytest.mark.parametrize("interval", [0.0, 1.0, -0.5, 1.5, np.nan])
def test_bad_interval_raises(interval):
    with pytest.raises(ValueError, match="interval"):
        summarize([1.0, 2.0, 3.0], interval=interval)
