"""PEF data-quality rating (DQR) of factors and results.

The Product Environmental Footprint method rates a dataset on four criteria, each scored
1 (best) to 5 (worst): technological representativeness (TeR), geographical
representativeness (GeR), time representativeness (TiR) and precision (P), and

    DQR = (TeR + GeR + TiR + P) / 4

with quality levels: <= 1.5 excellent, <= 2.0 very good, <= 3.0 good, <= 4.0 fair,
> 4.0 poor.

A process that combines activity data (AD) with a secondary dataset (SD) is rated criterion
by criterion (``process_dqr``): TiR and P on the activity data, TeR, GeR and TiR on the
dataset, TiR being the mean of its two evaluations,

    DQR = (TeR_SD + GeR_SD + (TiR_AD + TiR_SD) / 2 + P_AD) / 4

and a direct elementary flow takes all four criteria from its own data.

References
----------
Commission Recommendation (EU) 2021/2279 of 15 December 2021 on the use of the
Environmental Footprint methods, Annex I (PEF method), section 4.6.5, data quality
requirements (the DQR of a company-specific dataset from its most relevant processes, each
rated on its activity data and secondary dataset); the same rule in the PEFCR Guidance 6.3
(2018), 7.19.4. Section numbers as recalled: the EUR-Lex text was not at hand.
The pilot-phase guidance (PEFCR Guidance 6.3) used 1.6 as the "excellent" threshold;
pcflab follows the 2021 Recommendation.
"""

import numpy as np

__all__ = [
    "DQR_CRITERIA",
    "DQR_LEVELS",
    "aggregate_dqr",
    "dqr",
    "dqr_from_pedigree",
    "dqr_level",
    "parse_dqr",
    "process_dqr",
]

DQR_CRITERIA = ("TeR", "GeR", "TiR", "P")

#: Upper bounds of the quality levels (EU 2021/2279 Annex I).
DQR_LEVELS = ((1.5, "excellent"), (2.0, "very good"), (3.0, "good"), (4.0, "fair"), (5.0, "poor"))


def _check(scores):
    if len(scores) != 4:
        raise ValueError(f"a DQR needs four scores (TeR, GeR, TiR, P), got {len(scores)}")
    for name, s in zip(DQR_CRITERIA, scores, strict=True):
        if int(s) != s or not 1 <= s <= 5:
            raise ValueError(f"{name} score {s} must be a whole number between 1 and 5")
    return tuple(int(s) for s in scores)


def parse_dqr(text):
    """Read four DQR scores written ``TeR;GeR;TiR;P`` (e.g. ``"2;1;2;3"``).

    Parameters
    ----------
    text : str
        Four whole scores separated by ``;`` (or ``,``) in the order TeR, GeR, TiR, P.

    Returns
    -------
    tuple of int
        The four scores, each 1 (best) to 5 (worst).

    Raises
    ------
    ValueError
        If there are not four whole scores between 1 and 5.
    """
    parts = [p.strip() for p in str(text).replace(",", ";").split(";")]
    if len(parts) != 4 or not all(p.isdigit() for p in parts):
        raise ValueError(f"DQR {text!r} must be four scores 1-5 separated by ';' in the order TeR;GeR;TiR;P")
    return _check(tuple(int(p) for p in parts))


def dqr(scores):
    """Data-quality rating of one dataset.

    Parameters
    ----------
    scores : sequence of four int
        TeR, GeR, TiR and P, each 1 (best) to 5 (worst).

    Returns
    -------
    float
        DQR [dimensionless, 1 to 5].
    """
    return sum(_check(tuple(scores))) / 4.0


def dqr_level(value):
    """Name the quality level of a DQR value ("excellent" … "poor").

    Parameters
    ----------
    value : float
        Data-quality rating in [1, 5] [dimensionless].

    Returns
    -------
    str
        The first level of ``DQR_LEVELS`` whose upper bound is at least ``value``.

    Raises
    ------
    ValueError
        If ``value`` is outside [1, 5].
    """
    if not 1.0 <= value <= 5.0:
        raise ValueError(f"a DQR lies between 1 and 5, got {value}")
    for bound, name in DQR_LEVELS:
        if value <= bound:
            return name
    return "poor"  # pragma: no cover


def dqr_from_pedigree(pedigree):
    """PEF criteria derived from ecoinvent pedigree scores (pcflab's convention).

    TeR from further technological correlation, GeR from geographical correlation, TiR
    from temporal correlation and P from reliability; completeness has no PEF
    counterpart. Both scales run from 1 (best) to 5 (worst). Used only where a factor
    gives no PEF rating of its own, and then flagged as derived.

    Parameters
    ----------
    pedigree : sequence of five int
        Reliability, completeness, temporal, geographical, technological.

    Returns
    -------
    tuple of four int
        TeR, GeR, TiR, P.
    """
    r, _c, t, g, tech = pedigree
    return _check((tech, g, t, r))


def aggregate_dqr(values, contributions):
    """Contribution-weighted DQR of a result (PEF: weighted by the share of the impact).

    Parameters
    ----------
    values : array_like
        DQR of each input [1-5].
    contributions : array_like
        Contribution of each input to the result [any unit, same for all]; absolute
        values are used so that credits weigh by their size.

    Returns
    -------
    float
        The weighted DQR [1-5].
    """
    v = np.asarray(values, dtype=float)
    w = np.abs(np.asarray(contributions, dtype=float))
    if v.shape != w.shape or v.size == 0:
        raise ValueError("values and contributions must be non-empty and of the same length")
    if not np.all((v >= 1) & (v <= 5)):
        raise ValueError("every DQR must lie between 1 and 5")
    if w.sum() == 0:
        raise ValueError("the contributions sum to zero: nothing to weight by")
    return float((v * w).sum() / w.sum())


def process_dqr(activity=None, dataset=None):
    """DQR of one exchange from the criteria of its activity data and of its secondary dataset (PEF).

    Parameters
    ----------
    activity : sequence of four float, optional
        TeR, GeR, TiR, P of the activity data [1-5], or None if they carry no rating.
    dataset : sequence of four float, optional
        TeR, GeR, TiR, P of the secondary dataset (the factor) [1-5], or None for a direct
        emission (an elementary flow) or an unrated factor.

    Returns
    -------
    float or None
        ``(TeR_SD + GeR_SD + (TiR_AD + TiR_SD) / 2 + P_AD) / 4`` when both are given; the
        dataset's DQR when the activity data carry no rating; the activity data's DQR
        when there is no dataset (a direct emission); None when neither is rated.
    """
    if dataset is None:
        return None if activity is None else sum(activity) / 4.0
    if activity is None:
        return sum(dataset) / 4.0
    ter, ger, tir_sd, _ = dataset
    _, _, tir_ad, p_ad = activity
    return (ter + ger + (tir_ad + tir_sd) / 2.0 + p_ad) / 4.0
