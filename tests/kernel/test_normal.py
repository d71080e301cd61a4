"""Tests for kernel/_normal.py: the standard normal quantile against scipy.special.ndtri."""

import math

import numpy as np
import pytest
from scipy import special

from pcflab.kernel import ndtri

_GRID = np.concatenate(
    [
        [1e-300, 1e-200, 1e-100, 1e-50, 1e-20, 1e-16, 1e-10, 1e-5, 1e-3],
        # both sides of the AS 241 region boundaries (|p - 1/2| = 0.425; r = 5 at p = exp(-25))
        [
            0.075,
            np.nextafter(0.075, 0.0),
            np.nextafter(0.075, 1.0),
            0.925,
            np.nextafter(0.925, 1.0),
            math.exp(-25.0),
            np.nextafter(math.exp(-25.0), 1.0),
        ],
        [0.1, 0.25, 0.3, 0.4, 0.45, 0.6, 0.75, 0.9, 0.99, 0.999, 1 - 1e-5, 1 - 1e-10, 1 - 1e-16],
        np.linspace(0.001, 0.999, 499),
        np.logspace(-299, -1, 150),
    ]
)


@pytest.mark.parametrize("p", _GRID)
def test_ndtri_matches_scipy(p):
    expected = special.ndtri(p)
    got = ndtri(p)
    if abs(expected) < 1e-2:
        # near p = 0.5 the quantile crosses zero: compare absolutely
        assert abs(got - expected) < 1e-15
    else:
        assert abs(got - expected) <= 1e-13 * abs(expected)


@pytest.mark.parametrize("p", [0.5, np.nextafter(0.5, 0.0), np.nextafter(0.5, 1.0), 0.5 + 1e-10, 0.5 - 1e-10])
def test_ndtri_near_median(p):
    # Phi^{-1}(1/2 + d) = sqrt(2 pi) d + O(d^3): analytic check independent of scipy
    d = p - 0.5
    assert abs(ndtri(p) - math.sqrt(2 * math.pi) * d) < 1e-15


def test_ndtri_known_quantiles():
    # the familiar two-sided 95 % and 90 % z-values and Phi(1) (scipy.special gives the same digits)
    assert ndtri(0.975) == pytest.approx(1.959963984540054, rel=1e-14)
    assert ndtri(0.95) == pytest.approx(1.6448536269514722, rel=1e-14)
    assert ndtri(0.8413447460685429) == pytest.approx(1.0, rel=1e-13)  # Phi(1)


def test_ndtri_subnormal_probabilities():
    """The open interval (0, 1) includes subnormal doubles; the quantile is still finite there.

    AS 241 is specified down to 1e-300; below, its tail approximation is extrapolated, so
    1e-8 relative is what is asserted. pcflab's own uniforms never go below 2**-53.
    """
    for p in [5e-324, 1e-320, 1e-315, 5e-311]:
        assert ndtri(p) == pytest.approx(special.ndtri(p), rel=1e-8)


@pytest.mark.parametrize("p", [0.0, -0.0, -1e-300, -1.0, 1.0, 1.5, np.inf, -np.inf, np.nan])
def test_ndtri_nan_outside_open_interval(p):
    assert math.isnan(ndtri(p))
