"""Multi-source cross-validation of emission factors.

Factors that measure the same quantity share a key (``family/item``) and differ in region
or edition (source, year). For every key and gas with two or more factors, each pair is
compared on a common unit:

- ``log_ratio`` = ln(value_a / value_b);
- ``overlap``: whether the two 95 % ranges ``[v / GSD^1.96, v * GSD^1.96]`` overlap;
- ``comparable``: both claim to represent the same place: the same region, or one of them
  is a global (``GLO``) default, which claims to apply anywhere. A provincial value and a
  national average (``CN-SD`` vs ``CN``) are reported but not held against each other;
- a factor is an **outlier** when it has two or more comparable partners and its range
  overlaps fewer than half of theirs; with a single comparable partner and no overlap both
  are flagged as a **conflict** (two sources, no majority); with none it is ``single``.

The selection policy (``pcflab._resolve.SELECTION_POLICY``) then names the factor used for
each key and region, and why.
"""

import math

import numpy as np
import pandas as pd

from pcflab.core import parse_unit, ureg

from ._resolve import rank_sources

__all__ = ["compare_factors"]

Z95 = 1.959963984540054


def _range(value, gsd):
    w = Z95 * math.log(gsd)
    return value * math.exp(-w), value * math.exp(w)


def compare_factors(db, key=None):
    """Cross-validate factors that share a key.

    Parameters
    ----------
    db : FactorDB
        The factor database.
    key : str, optional
        Only this key (``family/item``).

    Returns
    -------
    pairs : pandas.DataFrame
        One row per pair: key, gas, factor_a, factor_b, region and year of each, value_a and
        value_b [kg per the unit of factor_a's activity], log_ratio, overlap, comparable.
    factors : pandas.DataFrame
        One row per factor in a compared group: key, gas, factor, region, year, value,
        low and high of its 95 % range, n_comparable, n_overlapping, flag (``ok``,
        ``outlier``, ``conflict``, ``single``), and ``selected`` (the factor the selection policy uses for that
        key, gas and region) with ``reason``.
    """
    ds = db.ds
    keys = ds["key"].values.astype(str)
    gases = ds["gas"].values.astype(str)
    pair_rows, factor_rows = [], []
    for k in sorted(set(keys)) if key is None else [key]:
        idx = np.flatnonzero(keys == k)
        if idx.size < 2:
            continue
        for j, gas in enumerate(gases):
            members = [i for i in idx if np.isfinite(ds["value"].values[i, j])]
            if len(members) < 2:
                continue
            base = parse_unit(str(ds["per"].values[members[0]]))
            entries = _comparable_entries(ds, members, j, base)
            if len(entries) < 2:
                continue
            group = {"key": k, "gas": gas, "unit": f"kg/{base:~}"}
            partners, n_ok = _compare_pairs(ds, entries, group, pair_rows)
            chosen = _selected_by_region(db, entries)
            for entry in entries:
                factor_rows.append(_factor_row(ds, entry, group, partners, n_ok, chosen))
    return pd.DataFrame(pair_rows), pd.DataFrame(factor_rows)


def _comparable_entries(ds, members, j, base):
    """List (index, value per ``base``, low, high) of the comparable factors of one gas.

    Comparable are those whose activity is of the same kind as ``base`` (per m**3 and per
    t are not); values and 95 % ranges are per ``base`` [kg gas per ``base``].
    """
    entries = []
    for i in members:
        per = parse_unit(str(ds["per"].values[i]))
        if ureg.Quantity(1.0, per).dimensionality != ureg.Quantity(1.0, base).dimensionality:
            continue  # different kinds of activity (per m**3 vs per t): not comparable
        # value per 'per' expressed per 'base': multiply by (base / per)
        conv = ureg.Quantity(1.0, base).to(per).magnitude
        v = float(ds["value"].values[i, j]) * conv
        lo, hi = _range(v, float(ds["gsd"].values[i, j]))
        entries.append((i, v, lo, hi))
    return entries


def _compare_pairs(ds, entries, group, pair_rows):
    """Compare every pair of a group, appending a row per pair to ``pair_rows``.

    Returns, per factor, the number of its comparable partners and how many of their
    ranges overlap its own.
    """
    n_ok = {i: 0 for i, *_ in entries}
    partners = {i: 0 for i, *_ in entries}
    for a in range(len(entries)):
        for b in range(a + 1, len(entries)):
            ia, va, la, ha = entries[a]
            ib, vb, lb, hb = entries[b]
            overlap = la <= hb and lb <= ha
            ra, rb = str(ds["region"].values[ia]), str(ds["region"].values[ib])
            comparable = ra == rb or "GLO" in (ra, rb)
            if comparable:
                partners[ia] += 1
                partners[ib] += 1
                n_ok[ia] += overlap
                n_ok[ib] += overlap
            pair_rows.append(
                {
                    "key": group["key"],
                    "gas": group["gas"],
                    "factor_a": str(ds["factor"].values[ia]),
                    "factor_b": str(ds["factor"].values[ib]),
                    "region_a": str(ds["region"].values[ia]),
                    "region_b": str(ds["region"].values[ib]),
                    "year_a": int(ds["year"].values[ia]),
                    "year_b": int(ds["year"].values[ib]),
                    "value_a": va,
                    "value_b": vb,
                    "unit": group["unit"],
                    "log_ratio": math.log(va / vb),
                    "overlap": bool(overlap),
                    "comparable": comparable,
                }
            )
    return partners, n_ok


def _selected_by_region(db, entries):
    """Name the factor the selection policy picks in each region of a group.

    Of the factors of the latest year in the region, the best ranked source.
    """
    ds = db.ds
    regions = {str(ds["region"].values[i]) for i, *_ in entries}
    chosen = {}
    for r in regions:
        in_region = [i for i, *_ in entries if str(ds["region"].values[i]) == r]
        latest = max(ds["year"].values[m] for m in in_region)
        candidates = [i for i in in_region if ds["year"].values[i] == latest]
        chosen[r] = str(ds["factor"].values[rank_sources(db, candidates)[0]])
    return chosen


def _factor_row(ds, entry, group, partners, n_ok, chosen):
    """One factor's row: its range, partners, flag and whether the policy selects it."""
    i, v, lo, hi = entry
    if partners[i] >= 2:
        flag = "outlier" if n_ok[i] < partners[i] / 2 else "ok"
    elif partners[i] == 1:
        flag = "ok" if n_ok[i] else "conflict"
    else:
        flag = "single"
    region = str(ds["region"].values[i])
    fid = str(ds["factor"].values[i])
    return {
        "key": group["key"],
        "gas": group["gas"],
        "factor": fid,
        "region": region,
        "year": int(ds["year"].values[i]),
        "value": v,
        "low": lo,
        "high": hi,
        "unit": group["unit"],
        "n_comparable": partners[i],
        "n_overlapping": n_ok[i],
        "flag": flag,
        "selected": fid == chosen[region],
        "reason": "selection policy: latest year, then traceability, source tag, DQR"
        if fid == chosen[region]
        else f"{chosen[region]} preferred for {region}",
    }
