"""Distributions sampled by inversion of their CDF.

Each uncertain quantity is described by a distribution code and three parameters
(``p1, p2, p3``). A distribution turns one uniform number in (0, 1) into a value, so the
same code serves counter-based random numbers, Latin hypercube and Sobol samples.

=========  =====================  ==============  ==========  ==========
code       name                   p1              p2          p3
=========  =====================  ==============  ==========  ==========
0          fixed                  value           --          --
1          lognormal              median          GSD (>1)    --
2          normal                 mean            SD          --
3          uniform                minimum         maximum     --
4          triangular             minimum         mode        maximum
=========  =====================  ==============  ==========  ==========

The lognormal is parameterised as in the ecoinvent data-quality guideline: the
deterministic value is the median ``exp(mu)`` and the geometric standard deviation is
``GSD = exp(sigma)``.
"""

import math

import numba as nb

from ._normal import ndtri

__all__ = ["FIXED", "LOGNORMAL", "NORMAL", "TRIANGULAR", "UNIFORM", "inverse_cdf"]

FIXED = 0
LOGNORMAL = 1
NORMAL = 2
UNIFORM = 3
TRIANGULAR = 4

# ---------------------------------------------------------------------------------------
# Section 1: numba kernels
# ---------------------------------------------------------------------------------------


@nb.njit(cache=True, error_model="numpy")
def inverse_cdf(kind, p1, p2, p3, u):
    """Value of a distribution at the probability ``u``.

    Parameters
    ----------
    kind : int
        Distribution code (see module docstring).
    p1, p2, p3 : float
        Distribution parameters, in the quantity's own unit.
    u : float
        Probability in (0, 1) [dimensionless].

    Returns
    -------
    float
        The quantile, in the quantity's own unit.
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
    return math.nan
