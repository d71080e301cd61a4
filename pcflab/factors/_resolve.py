"""Resolution with fallback: from a quantity key, a region and a year to one factor.

A factor id is ``region/family/item/edition``; its **key** ``family/item`` names the
quantity (``electricity/grid-co2``). ``resolve(db, "electricity/grid-co2", "CN-SD", 2024)``
returns the most specific factor:

1. region: the requested region, then its parents (``CN-SD`` -> ``CN`` -> ``GLO``);
2. year: within that region, the latest year not after the requested one; if there is
   none, the earliest later year (reported as such);
3. among factors of the same region and year (several sources): the selection policy
   (``SELECTION_POLICY``): more traceable data first (measured-calibrated, measured,
   calculated, literature, default), then the primary source (P, P-via, S), then the
   better PEF data-quality rating, then the id.

Every substitution is reported in the result, never silently.
"""

from dataclasses import dataclass, field

import numpy as np

from pcflab.core import UnknownFactorError

from ._schema import TAGS, TRACEABILITY, region_parent

__all__ = ["SELECTION_POLICY", "Resolution", "rank_sources", "resolve"]

SELECTION_POLICY = (
    "local region over its parent regions (CN-SD over CN over GLO); "
    "latest year not after the requested one (an earlier year over a later one); "
    "more traceable over less traceable (measured-calibrated > measured > calculated > literature > default); "
    "primary over secondary sources (P > P-via > S); better PEF data-quality rating; then id"
)


@dataclass(frozen=True)
class Resolution:
    """The factor chosen for a request, and why.

    Attributes
    ----------
    key, region, year : the request.
    factor_id : str
        The factor used.
    matched_region, matched_year : what it is.
    substitutions : tuple of str
        Every way in which the factor differs from the request (empty if exact).
    alternatives : tuple of str
        Other factors of the same region and year that the selection policy ranked lower.
    """

    key: str
    region: str
    year: int
    factor_id: str
    matched_region: str
    matched_year: int
    substitutions: tuple = field(default_factory=tuple)
    alternatives: tuple = field(default_factory=tuple)

    @property
    def substituted(self):
        """True when the factor is not for the requested region and year."""
        return bool(self.substitutions)

    def __str__(self):
        text = f"{self.key} for {self.region} {self.year} -> {self.factor_id}"
        if self.substitutions:
            text += " (" + "; ".join(self.substitutions) + ")"
        return text

    def as_dict(self):
        """Plain-dict form, for provenance attributes."""
        return {
            "key": self.key,
            "region": self.region,
            "year": self.year,
            "factor_id": self.factor_id,
            "substitutions": list(self.substitutions),
            "alternatives": list(self.alternatives),
        }


def _quality(ds, i):
    """Selection-policy sort key of factor ``i`` (lower is preferred)."""
    present = np.isfinite(ds["value"].values[i])
    trace = [TRACEABILITY.index(t) for t in ds["traceability"].values[i][present]]
    tags = [TAGS.index(t) for t in ds["tag"].values[i][present]]
    dqr = ds["dqr"].values[i][present]
    dqr = float(np.nanmax(dqr)) if np.isfinite(dqr).any() else 5.0
    return (max(trace), max(tags), dqr)


def rank_sources(db, indices):
    """Order factor positions by the selection policy (best first).

    The policy prefers, in turn, the most traceable data (``TRACEABILITY``), primary over
    secondary data (``TAGS``) and the lower (better) DQR; ties go by factor id. Each key is
    that of the factor's worst gas.

    Parameters
    ----------
    db : FactorDB
        The factor database.
    indices : iterable of int
        Positions of factors along the ``factor`` dimension.

    Returns
    -------
    list of int
        The positions, best first.
    """
    ds = db.ds
    return sorted(indices, key=lambda i: (*_quality(ds, i), str(ds["factor"].values[i])))


def resolve(db, key, region, year):
    """Find the most specific factor for a quantity, region and year.

    Parameters
    ----------
    db : FactorDB
        The factor database.
    key : str
        Quantity key ``family/item`` (e.g. ``electricity/grid-co2``).
    region : str
        ISO 3166 code of the place (e.g. ``CN-SD``).
    year : int
        Reference year.

    Returns
    -------
    Resolution

    Raises
    ------
    UnknownFactorError
        If no factor has that key, or none in the region or its parents.
    """
    ds = db.ds
    keys = ds["key"].values.astype(str)
    idx = np.flatnonzero(keys == key)
    if idx.size == 0:
        family = key.split("/")[0]
        similar = sorted({k for k in keys if k.split("/")[0] == family})[:8]
        raise UnknownFactorError(
            f"no factor has the key {key!r}",
            hint=("keys of that family: " + ", ".join(similar))
            if similar
            else "see 'pcflab factors list' for the keys (family/item)",
        )
    regions = ds["region"].values.astype(str)[idx]
    level, subs = region, []
    while level is not None:
        here = idx[regions == level]
        if here.size:
            break
        level = region_parent(level)
    else:
        raise UnknownFactorError(
            f"no factor {key!r} for {region} or its parent regions",
            hint=f"factors of this key exist for: {', '.join(sorted(set(regions)))}",
        )
    if level != region:
        subs.append(f"no {region} factor: used {level}")
    here_years = ds["year"].values[here]
    earlier = here_years[here_years <= year]
    if earlier.size:
        chosen_year = int(earlier.max())
        if chosen_year != year:
            subs.append(f"no {year} factor: used {chosen_year} (latest earlier year)")
    else:
        chosen_year = int(here_years.min())
        subs.append(f"no factor for {year} or earlier: used the later year {chosen_year}")
    same = here[here_years == chosen_year]
    ranked = rank_sources(db, list(same))
    ids = [str(ds["factor"].values[i]) for i in ranked]
    return Resolution(
        key=key,
        region=region,
        year=int(year),
        factor_id=ids[0],
        matched_region=level,
        matched_year=chosen_year,
        substitutions=tuple(subs),
        alternatives=tuple(ids[1:]),
    )
