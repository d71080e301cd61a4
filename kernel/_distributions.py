"""Distributions sampled by inversion of their CDF.

Each uncertain quantity is described by a distribution code and four parameters
(``p1 .. p4``); discrete distributions also point into a table. A distribution turns one
uniform number in (0, 1) into a value, so the same code serves counter-based random
numbers, Latin hypercube and Sobol samples, and SALib's uniform designs.

=========  =====================  ==========  ==========  ==========  ==========
code       name                   p1          p2          p3          p4
=========  =====================  ==========  ==========  ==========  ==========
0          fixed                  value       --          --          --
1          lognormal              median      GSD (>=1)   --          --
2          normal                 mean        SD          --          --
3          uniform                minimum     maximum     --          --
4          triangular             minimum     mode        maximum     --
5          truncated normal       mean        SD          lower       upper
6          PERT                   minimum     mode        maximum     --
7          beta (scaled)          alpha       beta        minimum     maximum
8          discrete               table start count       --          --
=========  =====================  ==========  ==========  ==========  ==========

The lognormal is parameterised as in the ecoinvent data-quality guideline: the
deterministic value is the median ``exp(mu)`` and ``GSD = exp(sigma)``. PERT is the beta
distribution on [min, max] with ``alpha = 1 + 4 (mode - min) / (max - min)`` and
``beta = 1 + 4 (max - mode) / (max - min)`` (Vose 2008, Risk Analysis, 3rd ed., ch. 9). A
discrete distribution's table holds ``count`` values followed by their cumulative
probabilities (the last one 1).
"""

import math

import numba as nb
import numpy as np

from ._normal import ndtri

__all__ = [
    "BETA",
    "DISCRETE",
    "FIXED",
    "LOGNORMAL",
    "NORMAL",
    "PERT",
    "TRIANGULAR",
    "TRUNCNORMAL",
    "UNIFORM",
    "betainc",
    "betaincinv",
    "inverse_cdf",
    "inverse_cdf_full",
]

FIXED = 0
LOGNORMAL = 1
NORMAL = 2
UNIFORM = 3
TRIANGULAR = 4
TRUNCNORMAL = 5
PERT = 6
BETA = 7
DISCRETE = 8

_SQRT2 = math.sqrt(2.0)
_EMPTY = np.zeros(0)

# ---------------------------------------------------------------------------------------
# Section 1: numba kernels
# ---------------------------------------------------------------------------------------


@nb.njit(cache=True, error_model="numpy")
def _beta_cf(a, b, x):
    """Continued fraction of the regularised incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    qab = a + b
    qap = a + 1.0
    qam = a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    if abs(d) < tiny:
        d = tiny
    d = 1.0 / d
    h = d
    for m in range(1, 500):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        if abs(d) < tiny:
            d = tiny
        c = 1.0 + aa / c
        if abs(c) < tiny:
            c = tiny
        d = 1.0 / d
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        if abs(d) < tiny:
            d = tiny
        c = 1.0 + aa / c
        if abs(c) < tiny:
            c = tiny
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-16:
            break
    return h


@nb.njit(cache=True, error_model="numpy")
def betainc(a, b, x):
    """Regularised incomplete beta function I_x(a, b) for a, b > 0 and 0 <= x <= 1.

    Parameters
    ----------
    a, b : float
        Shape parameters, both > 0 [dimensionless].
    x : float
        Upper limit of the integral; below 0 gives 0 and above 1 gives 1 [dimensionless].

    Returns
    -------
    float
        I_x(a, b), the CDF at ``x`` of the beta distribution on [0, 1] [dimensionless].
    """
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    lbt = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(lbt) * _beta_cf(a, b, x) / a
    return 1.0 - math.exp(lbt) * _beta_cf(b, a, 1.0 - x) / b


@nb.njit(cache=True, error_model="numpy")
def betaincinv(a, b, u):
    """Invert I_x(a, b) in x, by bisection to double precision.

    Parameters
    ----------
    a, b : float
        Shape parameters, both > 0 [dimensionless].
    u : float
        Probability in [0, 1] [dimensionless].

    Returns
    -------
    float
        The ``x`` in [0, 1] with ``I_x(a, b) = u``: the beta quantile [dimensionless].
    """
    lo = 0.0
    hi = 1.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if mid <= lo or mid >= hi:
            break
        if betainc(a, b, mid) < u:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


@nb.njit(cache=True, error_model="numpy")
def _ndtr(x):
    return 0.5 * math.erfc(-x / _SQRT2)


@nb.njit(cache=True, error_model="numpy")
def _truncnormal(mean, sd, lower, upper, u):
    """Quantile of the normal truncated to [lower, upper], finite wherever lower <= upper.

    Bounds in the lower tail invert the CDF, bounds in the upper tail its complement (so
    the probabilities keep their precision); where even that mass underflows (bounds
    beyond about 37 SD on one side, probabilities below 1e-280) the truncated normal is,
    to within 1/a**2, the exponential of rate ``a`` from the nearer bound, truncated at
    the other.
    """
    a = (lower - mean) / sd
    b = (upper - mean) / sd
    if not b > a:
        return lower
    if a > 0.0:  # both bounds above the mean: the complement, from the upper tail
        sa = _ndtr(-a)
        sb = _ndtr(-b)
        if sa > 1e-280:
            z = -ndtri(sa - u * (sa - sb))
        else:
            z = a - math.log1p(-u * -math.expm1(-a * (b - a))) / a
    else:
        fa = _ndtr(a)
        fb = _ndtr(b)
        if fb > 1e-280:
            z = ndtri(fa + u * (fb - fa))
        else:  # both bounds far below the mean: mirror of the case above
            z = b - math.log1p(-(1.0 - u) * -math.expm1(b * (b - a))) / b
    return min(max(mean + sd * z, lower), upper)


@nb.njit(cache=True, error_model="numpy")
def inverse_cdf_full(kind, p1, p2, p3, p4, table, u):
    """Value of a distribution at the probability ``u`` (all families).

    Parameters
    ----------
    kind : int
        Distribution code (see module docstring).
    p1, p2, p3, p4 : float
        Distribution parameters, in the quantity's own unit.
    table : float64 array
        Values and cumulative probabilities of discrete distributions.
    u : float
        Probability in (0, 1) [dimensionless].

    Returns
    -------
    float
        The quantile, in the quantity's own unit; NaN for an unknown code.
    """
    if kind == FIXED:
        return p1
    if kind == LOGNORMAL:
        return p1 * math.exp(math.log(p2) * ndtri(u))
    if kind == NORMAL:
        return p1 + p2 * ndtri(u)
    if kind == UNIFORM:
        return p1 + (p2 - p1) * u
    if kind == TRIANGULAR:
        width = p3 - p1
        cut = (p2 - p1) / width
        if u < cut:
            return p1 + math.sqrt(u * width * (p2 - p1))
        return p3 - math.sqrt((1.0 - u) * width * (p3 - p2))
    if kind == TRUNCNORMAL:
        return _truncnormal(p1, p2, p3, p4, u)
    if kind == PERT:
        width = p3 - p1
        alpha = 1.0 + 4.0 * (p2 - p1) / width
        beta = 1.0 + 4.0 * (p3 - p2) / width
        return p1 + width * betaincinv(alpha, beta, u)
    if kind == BETA:
        return p3 + (p4 - p3) * betaincinv(p1, p2, u)
    if kind == DISCRETE:
        start = int(p1)
        count = int(p2)
        for i in range(count):
            if u <= table[start + count + i]:
                return table[start + i]
        return table[start + count - 1]
    return math.nan


@nb.njit(cache=True, error_model="numpy")
def inverse_cdf(kind, p1, p2, p3, u):
    """Value of a three-parameter distribution at the probability ``u``.

    Parameters
    ----------
    kind : int
        Distribution code (fixed, lognormal, normal, uniform, triangular, PERT).
    p1, p2, p3 : float
        Distribution parameters, in the quantity's own unit.
    u : float
        Probability in (0, 1) [dimensionless].

    Returns
    -------
    float
        The quantile, in the quantity's own unit.
    """
    return inverse_cdf_full(kind, p1, p2, p3, 0.0, _EMPTY, u)
