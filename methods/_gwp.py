"""GWP100 characterisation factors (IPCC AR4, AR5, AR6).

The values and their sources live in ``datasets/gwp/gwp100.csv``; this module loads
them and turns gas masses into CO2 equivalents.
"""

import csv
import functools
import importlib.resources

import numpy as np

from ._gases import GASES

__all__ = ["GWP_SETS", "gwp100", "gwp100_vector"]

GWP_SETS = ("AR4", "AR5", "AR6")


@functools.lru_cache(maxsize=1)
def _table():
    path = importlib.resources.files("pcflab.datasets").joinpath("gwp", "gwp100.csv")
    rows = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            rows[(row["gas"], row["gwp_set"])] = (float(row["value"]), row["source"])
    return rows


def gwp100(gas, gwp_set="AR6"):
    """Global warming potential over 100 years of one gas.

    Parameters
    ----------
    gas : str
        Gas identifier (see ``pcflab.methods.GASES``); ``co2e`` returns 1.
    gwp_set : {"AR4", "AR5", "AR6"}
        IPCC assessment report whose GWP100 values are used.

    Returns
    -------
    float
        GWP100 [kg CO2e/kg gas].

    References
    ----------
    IPCC AR6 WGI Ch. 7 Table 7.15 and Table 7.SM.7 (2021); AR5 WGI Ch. 8 Table 8.A.1
    (2013); AR4 WGI (2007) via the GHG Protocol GWP table (2016). Row-level sources are
    in ``datasets/gwp/gwp100.csv``.
    """
    if gwp_set not in GWP_SETS:
        raise ValueError(f"unknown GWP set {gwp_set!r}: use one of {', '.join(GWP_SETS)}")
    if gas == "co2e":
        return 1.0
    try:
        return _table()[(gas, gwp_set)][0]
    except KeyError:
        raise ValueError(f"no {gwp_set} GWP100 for gas {gas!r}") from None


def gwp100_vector(gwp_set="AR6", gases=GASES):
    """Return the GWP100 of every gas, in the order of ``gases``.

    Parameters
    ----------
    gwp_set : str
        One of ``GWP_SETS`` (``"AR4"``, ``"AR5"``, ``"AR6"``).
    gases : sequence of str
        Gas names, by default every gas of ``GASES``.

    Returns
    -------
    numpy.ndarray, shape (len(gases),)
        GWP100 of each gas [kg CO2e/kg].
    """
    return np.array([gwp100(g, gwp_set) for g in gases])
