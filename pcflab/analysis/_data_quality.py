"""Data quality of a result: its DQR, the shares of primary and traceable data, the cut-off.

Every footprint is reported with how good the data behind it are (issue 7, item 4):

- ``dqr``: the PEF data-quality rating of the product, the mean of its factors' ratings
  weighted by the absolute value of their GWP100 contributions, with the share of the
  footprint that carries a rating (``dqr_coverage``);
- ``primary_share``: the share of the absolute footprint whose activity data are primary
  (site) data, as the model declares them (``data_type: primary`` on its parameters);
- ``traceable_share``: the share whose activity data are metrologically traceable
  (``traceability: measured-calibrated``, with a calibration certificate);
- ``cutoff_excluded_share``: the share the method profile's cut-off left out, and what.

Definitions
-----------
An *exchange* is one direct emission or one factor-linked activity of a process (an input
from another process of the model carries no emissions of its own: its supplier's
exchanges do). Its weight is the absolute value of its GWP100 contribution per functional
unit at the parameters' values, summed over the gases of its factor; credits
(negative contributions) weigh by their size.

The *activity data* of an exchange are the model parameters its amount formula uses,
derived (formula) parameters replaced by the parameters they are computed from. An
exchange counts as **primary** when its formula uses at least one model parameter and
every one of them is declared ``data_type: primary``; as **traceable** when every one is
declared ``traceability: measured-calibrated``. Numbers written in a formula
(``1 / rolling_yield``) count as exact constants (unit conversions, stoichiometric ratios)
and neither make nor break it; an amount written as a plain number declares nothing and
counts as secondary and untraceable (to declare it, make it a parameter). Undeclared
parameters count as secondary and untraceable. Only the exchange's own amount is
classified, not the amounts that scale its process up to the functional unit. For a
factor-linked activity the activity data are the amount of activity; the factor's own
quality enters the DQR, and its ``tag`` and ``traceability`` are listed beside it.

References
----------
Commission Recommendation (EU) 2021/2279, Annex I (PEF method), 4.6.5 (data quality
requirements and the DQR of a dataset) and 4.6.3 (company-specific data).
ISO 14067:2018, 6.3.5 (data and data quality: site-specific data for the processes under
the organisation's control).
"""

import json
import math
from dataclasses import asdict, dataclass, field

import numpy as np

from pcflab import kernel
from pcflab.core import PcfError
from pcflab.factors import TRACEABILITY

from ._prepare import _exchange_contributions, prepare
from ._vocabulary import old_calls

__all__ = ["DataQuality", "data_quality", "data_quality_attrs", "exchange_parameters", "product_dqr"]

#: Rank of each traceability class, most traceable first; undeclared ranks last.
_RANK = {t: i for i, t in enumerate((*TRACEABILITY, "undeclared"))}


def _dqr_of(cm, contrib):
    """(DQR or None, level or None, coverage) from exchange contributions (see ``product_dqr``)."""
    from pcflab.methods import aggregate_dqr, dqr_level

    total = float(contrib["gwp100"].abs().sum())
    ds = cm.factor_table.ds
    if "dqr" not in ds or total == 0:
        return None, None, 0.0
    values, weights = [], []
    for row in contrib[contrib["kind"] == "factor"].itertuples():
        try:
            v = float(ds["dqr"].sel(factor=row.target, gas=row.gas))
        except (KeyError, IndexError):
            continue
        if np.isfinite(v) and row.gwp100 != 0:
            values.append(v)
            weights.append(row.gwp100)
    if not values:
        return None, None, 0.0
    value = aggregate_dqr(values, weights)
    return value, dqr_level(value), float(np.abs(weights).sum() / total)


@old_calls(positions=("gwp_set",), cm="model")
def product_dqr(model, *, factors=None, profile=None, gwp_set=None):
    """Contribution-weighted PEF DQR of a model's factors.

    Each factor-linked activity weighs by the absolute value of its GWP100 contribution
    (``pcflab.methods.aggregate_dqr``); factors without a DQR in the factor table and
    direct emissions are left out, and the share of the footprint they carry is reported.
    Deterministic (contributions at the parameters' values): takes no Monte Carlo result.

    Parameters
    ----------
    model : str, Path, ProductSystem or CompiledModel
        The product system (pcflab 0.1 called it ``cm`` and took a compiled model only).
    factors : str, Path or FactorDB, optional
        Factor database (the shipped one by default).
    profile : str or MethodProfile, optional
        Method profile (``iso14067`` by default, or the compiled model's own).
    gwp_set : {"AR4", "AR5", "AR6"}, optional
        GWP100 values of the weights (the profile's by default).

    Returns
    -------
    tuple
        (DQR [1-5] or None, level or None, coverage [share of the absolute contributions
        rated, 0-1]).
    """
    cm = prepare(model, factors, profile=profile)
    return _dqr_of(cm, _exchange_contributions(cm, gwp_set))


def exchange_parameters(cm):
    """List the model parameters each exchange's amount uses, derived ones resolved to their inputs.

    Parameters
    ----------
    cm : CompiledModel
        The compiled model.

    Returns
    -------
    list of tuple of int
        For every exchange (program) of ``cm.system``, the positions in
        ``cm.parameter_ids`` of the non-derived model parameters its amount formula uses,
        directly or through derived parameters, sorted.
    """
    s = cm.system

    def refs(start, stop):
        return [int(s.ops[i, 1]) for i in range(start, stop) if s.ops[i, 0] == kernel.PARAM]

    derived = {int(d): refs(a, b) for d, a, b in zip(s.derived_param, s.derived_start, s.derived_stop, strict=True)}
    out = []
    for e in range(len(s.prog_start)):
        stack, seen, leaves = refs(s.prog_start[e], s.prog_stop[e]), set(), set()
        while stack:
            q = stack.pop()
            if q in seen:
                continue
            seen.add(q)
            if q in derived:
                stack.extend(derived[q])
            else:
                leaves.add(q)
        out.append(tuple(sorted(leaves)))
    return out


def _classify(pars):
    """Classify an exchange (data type, traceability) by its parameters (see the module's definitions)."""
    if not pars:
        return "undeclared", "undeclared"
    types = [p.data_type for p in pars]
    if all(t == "primary" for t in types):
        data_type = "primary"
    elif "secondary" in types:
        data_type = "secondary"
    else:
        data_type = "undeclared"
    trace = max((p.traceability or "undeclared" for p in pars), key=_RANK.__getitem__)
    return data_type, trace


@dataclass
class DataQuality:
    """Data quality of a product's footprint (see ``data_quality``).

    Shares are of the absolute GWP100 footprint per functional unit [0-1]; None where the
    footprint is zero (or, for ``dqr``, where no factor carries a rating).
    """

    model_id: str
    method_profile: str
    gwp_set: str
    dqr: float | None
    dqr_level: str | None
    dqr_coverage: float
    primary_share: float | None
    traceable_share: float | None
    cutoff_threshold: float
    cutoff_excluded_share: float
    cutoff_excluded: list
    exchanges: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def as_dict(self):
        """Plain dict (JSON-serialisable)."""
        return asdict(self)

    @property
    def table(self):
        """The per-exchange table as a ``pandas.DataFrame`` (largest contributions first)."""
        import pandas as pd

        return pd.DataFrame(self.exchanges)

    def summary(self):
        """Give the scalars every result carries in its ``attrs`` (netCDF-safe).

        Returns
        -------
        dict
            ``dqr``, ``dqr_level``, ``dqr_coverage``, ``primary_share``,
            ``traceable_share``, ``cutoff_excluded_share`` and ``data_quality_notes`` (a
            JSON list). Missing numbers are NaN and a missing level is ``"n/a"``
            (netCDF attributes cannot be None).
        """

        def num(x):
            return math.nan if x is None else float(x)

        return {
            "dqr": num(self.dqr),
            "dqr_level": self.dqr_level or "n/a",
            "dqr_coverage": float(self.dqr_coverage),
            "primary_share": num(self.primary_share),
            "traceable_share": num(self.traceable_share),
            "cutoff_excluded_share": float(self.cutoff_excluded_share),
            "data_quality_notes": json.dumps(self.notes, ensure_ascii=False),
        }

    def __str__(self):
        dqr = "n/a" if self.dqr is None else f"{self.dqr:.2f} ({self.dqr_level}, covers {self.dqr_coverage:.0%})"

        def pct(x):
            return "n/a" if x is None else f"{x:.1%}"

        return (
            f"DQR {dqr}; primary data {pct(self.primary_share)}; traceable data {pct(self.traceable_share)}; "
            f"excluded by cut-off {self.cutoff_excluded_share:.1%}"
        )


def _factor_info(ds, fid, gases, weights):
    """(DQR weighted over the factor's gases or None, tags, traceability classes) of a factor."""
    dqrs, ws, tags, traces = [], [], [], []
    for gas, w in zip(gases, weights, strict=True):
        try:
            if "dqr" in ds:
                v = float(ds["dqr"].sel(factor=fid, gas=gas))
                if np.isfinite(v) and w != 0:
                    dqrs.append(v)
                    ws.append(abs(w))
            tags.append(str(ds["tag"].sel(factor=fid, gas=gas).item()))
            traces.append(str(ds["traceability"].sel(factor=fid, gas=gas).item()))
        except (KeyError, IndexError):
            continue
    dqr = float(np.dot(dqrs, ws) / sum(ws)) if ws else None
    return dqr, "/".join(dict.fromkeys(t for t in tags if t)), "/".join(dict.fromkeys(t for t in traces if t))


def _assess(cm, gwp_set=None):
    """Assess a compiled model's ``DataQuality`` (see ``data_quality``)."""
    gwp_set = gwp_set or cm.profile.gwp_set
    contrib = _exchange_contributions(cm, gwp_set)
    dqr, level, coverage = _dqr_of(cm, contrib)
    contrib = contrib.assign(weight=contrib["gwp100"].abs())
    total = float(contrib["weight"].sum())
    names = list(cm.model.parameters)
    used = exchange_parameters(cm)
    stage_of = dict(zip(cm.processes, cm.process_stage, strict=True))
    ds = cm.factor_table.ds
    rows = []
    for (e, process, kind, target), g in contrib.groupby(["exchange", "process", "kind", "target"], sort=False):
        pnames = [names[q] for q in used[int(e)]]
        data_type, trace = _classify([cm.model.parameters[n] for n in pnames])
        weight = float(g["weight"].sum())
        factor_dqr, tag, factor_trace = (None, "", "")
        if kind == "factor":
            factor_dqr, tag, factor_trace = _factor_info(ds, target, g["gas"].tolist(), g["gwp100"].tolist())
        rows.append(
            {
                "exchange": int(e),
                "process": process,
                "stage": stage_of[process],
                "kind": kind,
                "target": target,
                "gwp100": float(g["gwp100"].sum()),
                "abs_share": weight / total if total else None,
                "parameters": pnames,
                "data_type": data_type,
                "traceability": trace,
                "primary": data_type == "primary",
                "traceable": trace == "measured-calibrated",
                "factor_dqr": factor_dqr,
                "factor_tag": tag,
                "factor_traceability": factor_trace,
            }
        )
    rows.sort(key=lambda r: -abs(r["gwp100"]))

    def share(flag):
        return float(sum(r["abs_share"] for r in rows if r[flag])) if total else None

    primary, traceable = share("primary"), share("traceable")
    cutoff = getattr(cm, "cutoff", {"threshold": 0.0, "excluded_share": 0.0, "excluded": []})
    notes = _notes(cm, rows, dqr, coverage, primary, traceable)
    return DataQuality(
        model_id=cm.model.id,
        method_profile=cm.profile.name,
        gwp_set=gwp_set,
        dqr=dqr,
        dqr_level=level,
        dqr_coverage=coverage,
        primary_share=primary,
        traceable_share=traceable,
        cutoff_threshold=float(cutoff["threshold"]),
        cutoff_excluded_share=float(cutoff["excluded_share"]),
        cutoff_excluded=list(cutoff["excluded"]),
        exchanges=rows,
        notes=notes,
    )


def _notes(cm, rows, dqr, coverage, primary, traceable):
    """Plain sentences on what the data-quality figures rest on."""
    pars = cm.model.parameters.values()
    notes = []
    if not any(p.data_type == "primary" for p in pars):
        notes.append(
            "no model parameter is declared primary (data_type: primary): all activity data count as "
            "secondary, so the primary-data share is 0"
        )
    elif primary is not None and primary < 1:
        notes.append(
            f"{1 - primary:.0%} of the footprint rests on activity data not all declared primary "
            "(secondary, undeclared, or plain numbers in the model)"
        )
    if not any(p.traceability == "measured-calibrated" for p in pars):
        notes.append(
            "no model parameter is declared measured-calibrated (with a calibration certificate): "
            "the traceable share is 0"
        )
    if dqr is None:
        notes.append("no factor of the model carries a DQR: the product's DQR is not available")
    elif coverage < 1:
        notes.append(
            f"the DQR covers {coverage:.0%} of the footprint (factors with a rating); direct emissions "
            "and unrated factors are not rated"
        )
    return notes


@old_calls(positions=("profile", "gwp_set"))
def data_quality(model, factors=None, *, profile=None, gwp_set=None):
    """Assess the data quality of a footprint: DQR, primary and traceable shares, cut-off.

    Parameters
    ----------
    model : str, Path, ProductSystem or CompiledModel
        The product system.
    factors : str, Path or FactorDB, optional
        Factor database (the shipped one by default).
    profile : str or MethodProfile, optional
        Method profile (``iso14067`` by default); its cut-off is reported.
    gwp_set : {"AR4", "AR5", "AR6"}, optional
        GWP100 values of the contribution weights (the profile's by default).

    Returns
    -------
    DataQuality
        ``dqr`` [1-5, or None], ``dqr_level``, ``dqr_coverage`` [0-1];
        ``primary_share`` and ``traceable_share`` [share of the absolute footprint, 0-1];
        ``cutoff_threshold``, ``cutoff_excluded_share`` [0-1] and ``cutoff_excluded``
        (``"process: target"``); ``exchanges``, one dict per exchange (``exchange``,
        ``process``, ``stage``, ``kind``, ``target``, ``gwp100`` [kg CO2e per functional
        unit], ``abs_share``, ``parameters``, ``data_type`` (``primary``, ``secondary``
        or ``undeclared``), ``traceability`` (the least traceable class of its
        parameters, ``undeclared`` if any is), ``primary``, ``traceable``,
        ``factor_dqr``, ``factor_tag``, ``factor_traceability``), largest first; and
        ``notes``. ``.as_dict()`` is JSON-serialisable, ``.table`` a DataFrame,
        ``.summary()`` the attrs every result carries.

    Notes
    -----
    The definitions are those of this module's docstring: an exchange is primary
    (traceable) when every model parameter its amount uses, through derived parameters,
    is declared ``data_type: primary`` (``traceability: measured-calibrated``); numbers
    written in a formula are exact constants; a plain-number amount and undeclared
    parameters count as secondary and untraceable. Shipped models cite literature and
    declare nothing, so their primary and traceable shares are 0, and the notes say so.
    Deterministic (contributions at the parameters' values): takes no Monte Carlo result.
    """
    return _assess(prepare(model, factors, profile=profile), gwp_set)


def data_quality_attrs(cm, gwp_set=None):
    """Give the data-quality scalars for a result's ``attrs`` (``DataQuality.summary``).

    Never raises for a model whose nominal point cannot be solved: the figures are then NaN
    and ``data_quality_notes`` says why (the result's own evaluation reports the error).
    Computed once per compiled model and GWP set.

    Parameters
    ----------
    cm : CompiledModel
        The compiled model.
    gwp_set : {"AR4", "AR5", "AR6"}, optional
        GWP100 values of the weights (the profile's by default).

    Returns
    -------
    dict
        netCDF-safe scalars and strings (NaN and ``"n/a"`` for missing values).
    """
    key = ("data_quality_attrs", gwp_set or cm.profile.gwp_set)
    try:
        if key not in cm._derived:  # every result's attrs carry it: assess once per model
            cm._derived[key] = _assess(cm, key[1]).summary()
        return dict(cm._derived[key])
    except PcfError as exc:
        cutoff = getattr(cm, "cutoff", {"excluded_share": 0.0})
        return {
            "dqr": math.nan,
            "dqr_level": "n/a",
            "dqr_coverage": math.nan,
            "primary_share": math.nan,
            "traceable_share": math.nan,
            "cutoff_excluded_share": float(cutoff["excluded_share"]),
            "data_quality_notes": json.dumps([f"data quality not assessed: {exc.message}"], ensure_ascii=False),
        }
