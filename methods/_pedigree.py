"""Uncertainty from data quality: the ecoinvent v3 pedigree matrix.

A factor without a measured uncertainty gets a lognormal whose variance is the basic
uncertainty of its exchange type plus one additional variance per pedigree score:

    sigma^2 = sigma_b^2 + sum_i sigma_i^2,     GSD = exp(sigma)

with ``sigma_b = ln(U_b) / 2`` for a basic uncertainty factor ``U_b = GSD_b^2``.

Which penalties apply depends on the kind of factor (``FACTOR_KINDS``, the ``factor_kind``
column of the factor tables). The pedigree matrix was made for inventory data whose
representativeness decays with age, place and technology; a quantity fixed by chemistry
does not age:

- ``constant``: a physical or stoichiometric constant (molar-mass ratio, CO2 of a pure
  carbonate). No pedigree penalty: the basic uncertainty alone.
- ``fuel-carbon``: the carbon content of a fuel, i.e. CO2 per unit of energy or mass of a
  named fuel. The temporal penalty does not apply (a fuel's carbon content does not change
  because its default was published years ago); reliability, completeness, geographical
  correlation (coal and gas grades differ by basin) and technological correlation (grade,
  oxidation) do.
- ``technology``: a technology or supply-chain average (CH4 and N2O of combustion, process
  and upstream factors): every penalty applies. The default where no kind is given.
- ``grid``: a grid or market mix, which changes year by year: every penalty applies.

Where the source publishes a 95 % range, that range sets the uncertainty instead
(``gsd_from_range``) and no pedigree penalty is added: the published range is the
source's own statement of its uncertainty for the default's use anywhere.

References
----------
Weidema, B. P. et al. (2013). Overview and methodology. Data quality guideline for the
ecoinvent database version 3. Ecoinvent Report 1(v3). St. Gallen. Table 10.5, p. 77.
"""

import math

__all__ = [
    "FACTOR_KINDS",
    "PEDIGREE_APPLIES",
    "PEDIGREE_INDICATORS",
    "PEDIGREE_VARIANCES",
    "Z95",
    "gsd_from_pedigree",
    "gsd_from_range",
    "parse_pedigree",
]

PEDIGREE_INDICATORS = (
    "reliability",
    "completeness",
    "temporal_correlation",
    "geographical_correlation",
    "further_technological_correlation",
)

#: Additional variances of ln(x) for scores 1..5 (Weidema et al. 2013, Table 10.5).
PEDIGREE_VARIANCES = {
    "reliability": (0.0, 0.0006, 0.002, 0.008, 0.04),
    "completeness": (0.0, 0.0001, 0.0006, 0.002, 0.008),
    "temporal_correlation": (0.0, 0.0002, 0.002, 0.008, 0.04),
    "geographical_correlation": (0.0, 0.000025, 0.0001, 0.0006, 0.002),
    "further_technological_correlation": (0.0, 0.0006, 0.008, 0.04, 0.12),
}

#: Kinds of factor, and the pedigree indicators whose additional variance applies to each
#: (see the module docstring). ``technology`` is the default.
PEDIGREE_APPLIES = {
    "constant": (),
    "fuel-carbon": (
        "reliability",
        "completeness",
        "geographical_correlation",
        "further_technological_correlation",
    ),
    "technology": PEDIGREE_INDICATORS,
    "grid": PEDIGREE_INDICATORS,
}
FACTOR_KINDS = tuple(PEDIGREE_APPLIES)

#: The 97.5 % point of the standard normal distribution.
Z95 = 1.959963984540054


def parse_pedigree(text):
    """Read five pedigree scores written ``R;C;T;G;Tech`` (e.g. ``"2;3;1;4;2"``).

    Parameters
    ----------
    text : str
        Five whole scores separated by ``;`` (or ``,``) in the order reliability,
        completeness, temporal, geographical and technological correlation.

    Returns
    -------
    tuple of int
        The five scores, each 1 (best) to 5 (worst).

    Raises
    ------
    ValueError
        If there are not five integer scores between 1 and 5.
    """
    parts = [p.strip() for p in str(text).replace(",", ";").split(";")]
    if len(parts) != 5 or not all(p.isdigit() and 1 <= int(p) <= 5 for p in parts):
        raise ValueError(
            f"pedigree {text!r} must be five scores 1-5 separated by ';' in the order "
            "reliability;completeness;temporal;geographical;technological"
        )
    return tuple(int(p) for p in parts)


def gsd_from_pedigree(scores, basic_uncertainty=1.05, kind="technology"):
    """Geometric standard deviation from pedigree scores.

    Parameters
    ----------
    scores : sequence of five int
        Reliability, completeness, temporal, geographical and further technological
        correlation, each 1 (best) to 5 (worst).
    basic_uncertainty : float
        Basic uncertainty factor ``U_b = GSD_b^2`` of the exchange type
        [dimensionless, >= 1] (1.05 for energy and CO2, 2.0 for transport).
    kind : str
        Kind of factor (``FACTOR_KINDS``): which penalties apply (``PEDIGREE_APPLIES``);
        ``technology`` (every penalty) by default.

    Returns
    -------
    float
        GSD of the lognormal [dimensionless].
    """
    if kind not in PEDIGREE_APPLIES:
        raise ValueError(f"factor kind {kind!r} is unknown: use one of {', '.join(FACTOR_KINDS)}")
    if len(scores) != 5:
        raise ValueError("five pedigree scores are needed")
    if not (basic_uncertainty >= 1.0 and math.isfinite(basic_uncertainty)):
        raise ValueError(f"basic uncertainty factor {basic_uncertainty} must be a finite number >= 1")
    var = (math.log(basic_uncertainty) / 2.0) ** 2
    for name, score in zip(PEDIGREE_INDICATORS, scores, strict=True):
        if int(score) != score or not 1 <= int(score) <= 5:
            raise ValueError(f"{name} score {score} must be a whole number between 1 and 5")
        if name in PEDIGREE_APPLIES[kind]:
            var += PEDIGREE_VARIANCES[name][int(score) - 1]
    return math.exp(math.sqrt(var))


def gsd_from_range(value, low, high):
    """Geometric standard deviation of a lognormal with median ``value`` that spans a published 95 % range.

    The lognormal keeps the published default as its median (so the deterministic footprint
    does not move) and takes the geometric half-width of the range as its 95 % spread:

        sigma = ln(high / low) / (2 * 1.96),     GSD = exp(sigma)

    Its 2.5 % and 97.5 % points are ``value * GSD**-1.96`` and ``value * GSD**1.96``.
    They equal ``low`` and ``high`` exactly when ``value`` is the geometric mean of the two;
    otherwise both are off by the factor ``value / sqrt(low * high)`` (0.3 % for the IPCC
    2006 natural-gas CO2 factor, 56,100 in 54,300-58,300). This is preferred to the
    symmetric (normal) approximation ``sd = (high - low) / 3.92`` because an emission
    factor cannot be negative and IPCC ranges are often skewed; it is preferred to fitting
    both points exactly because that would move the median away from the published value.

    Parameters
    ----------
    value : float
        The published value, taken as the median [any unit].
    low, high : float
        The published 2.5 % and 97.5 % points [same unit], ``0 < low < value < high``.

    Returns
    -------
    float
        GSD of the lognormal [dimensionless].

    Raises
    ------
    ValueError
        If the range is not positive or does not contain ``value``.
    """
    if not (0.0 < low < value < high and math.isfinite(high)):
        raise ValueError(f"the 95 % range {low:g}-{high:g} must be positive and contain the value {value:g}")
    return math.exp(math.log(high / low) / (2.0 * Z95))
