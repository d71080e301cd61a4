"""Uncertainty from data quality: the ecoinvent v3 pedigree matrix.

A factor without a measured uncertainty gets a lognormal whose variance is the basic
uncertainty of its exchange type plus one additional variance per pedigree score:

    sigma^2 = sigma_b^2 + sum_i sigma_i^2,     GSD = exp(sigma)

with ``sigma_b = ln(U_b) / 2`` for a basic uncertainty factor ``U_b = GSD_b^2``.

References
----------
Weidema, B. P. et al. (2013). Overview and methodology. Data quality guideline for the
ecoinvent database version 3. Ecoinvent Report 1(v3). St. Gallen. Table 10.5, p. 77.
"""

import math

__all__ = ["PEDIGREE_INDICATORS", "PEDIGREE_VARIANCES", "gsd_from_pedigree", "parse_pedigree"]

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


def gsd_from_pedigree(scores, basic_uncertainty=1.05):
    """Geometric standard deviation from pedigree scores.

    Parameters
    ----------
    scores : sequence of five int
        Reliability, completeness, temporal, geographical and further technological
        correlation, each 1 (best) to 5 (worst).
    basic_uncertainty : float
        Basic uncertainty factor ``U_b = GSD_b^2`` of the exchange type
        [dimensionless, >= 1] (1.05 for energy and CO2, 2.0 for transport).

    Returns
    -------
    float
        GSD of the lognormal [dimensionless].
    """
    if len(scores) != 5:
        raise ValueError("five pedigree scores are needed")
    if not (basic_uncertainty >= 1.0 and math.isfinite(basic_uncertainty)):
        raise ValueError(f"basic uncertainty factor {basic_uncertainty} must be a finite number >= 1")
    var = (math.log(basic_uncertainty) / 2.0) ** 2
    for name, score in zip(PEDIGREE_INDICATORS, scores, strict=True):
        if int(score) != score or not 1 <= int(score) <= 5:
            raise ValueError(f"{name} score {score} must be a whole number between 1 and 5")
        var += PEDIGREE_VARIANCES[name][int(score) - 1]
    return math.exp(math.sqrt(var))
