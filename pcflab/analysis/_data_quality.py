"""Data quality of a result: its DQR, the shares of primary and traceable data, the cut-off.

Every footprint is reported with how good the data behind it are (issue 7, item 4):

- ``dqr``: the PEF data-quality rating of the product, combining the quality of each
  exchange's activity data with that of the secondary dataset (factor) it uses, weighted by
  the absolute value of the GWP100 contributions, with the share of the footprint that
  carries a rating (``dqr_coverage``); its two parts, ``dqr_activity`` (the activity data
  alone) and ``dqr_dataset`` (the factors alone, the rating pcflab gave before it rated
  activity data), are reported beside it;
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

Activity data and dataset quality (PEF)
---------------------------------------
The PEF method rates a process that combines company activity data with a secondary dataset
criterion by criterion: time representativeness (TiR) and precision (P) are evaluated on the
activity data, technological (TeR), geographical (GeR) and time representativeness on the
secondary dataset, and TiR, evaluated twice, is the mean of the two:

    DQR_e = (TeR_SD + GeR_SD + (TiR_AD + TiR_SD) / 2 + P_AD) / 4

A direct emission (an elementary flow, no secondary dataset) takes all four criteria from its
activity data. The product's DQR is the contribution-weighted mean of the exchanges' DQRs,
which equals the DQR of the contribution-weighted criteria (PEF's order of computation: the
DQR is linear in the criteria).

The activity data's criteria come from the pedigree scores of the model parameters its amount
uses (``uncertainty.pedigree: R;C;T;G;Tech``, through derived parameters), converted as for
factors (``pcflab.methods.dqr_from_pedigree``: TeR from Tech, GeR from G, TiR from T, P from
R); where several parameters have scores, each criterion takes the worst (highest) score
among them. A parameter without pedigree scores (plant data declared only by ``data_type``,
``traceability`` and ``certificate``, which the PEF criteria cannot be read from) does not
rate the activity data. An exchange whose activity data carry no rating keeps its factor's
DQR (``dqr_dataset``), as before activity data were rated; an exchange whose factor carries
none, or a direct emission whose activity data carry none, is not rated.

References
----------
Commission Recommendation (EU) 2021/2279, Annex I (PEF method), 4.6.5 (data quality
requirements and the DQR of a dataset; the DQR of a company-specific dataset from its
most relevant processes, each the combination of activity data and secondary dataset
above) and 4.6.3 (company-specific data); the same rule in the PEFCR Guidance 6.3 (2018),
7.19.4. The section numbers are those of the published texts as recalled; the EUR-Lex text
itself was not at hand when this was written.
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


@old_calls(positions=("gwp_set",), cm="model")
def product_dqr(model, *, factors=None, profile=None, gwp_set=None):
    """Contribution-weighted PEF DQR of a model: activity data and factors combined.

    Each exchange's DQR combines its activity data's and its factor's criteria (the module's
    rule) and weighs by the absolute value of its GWP100 contribution
    (``pcflab.methods.aggregate_dqr``); exchanges without a rating are left out, and the
    share of the footprint they carry is reported. Deterministic (contributions at the
    parameters' values): takes no Monte Carlo result.

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
    dq = _assess(prepare(model, factors, profile=profile), gwp_set)
    return dq.dqr, dq.dqr_level, dq.dqr_coverage


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
    dqr_activity: float | None
    dqr_activity_coverage: float
    dqr_dataset: float | None
    dqr_dataset_coverage: float
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
            ``dqr`` (combined), ``dqr_level``, ``dqr_coverage``, ``dqr_activity`` and
            ``dqr_activity_coverage`` (activity data), ``dqr_dataset`` and
            ``dqr_dataset_coverage`` (factors), ``primary_share``, ``traceable_share``,
            ``cutoff_excluded_share`` and ``data_quality_notes`` (a JSON list). Missing
            numbers are NaN and a missing level is ``"n/a"`` (netCDF attributes cannot be
            None).
        """

        def num(x):
            return math.nan if x is None else float(x)

        return {
            "dqr": num(self.dqr),
            "dqr_level": self.dqr_level or "n/a",
            "dqr_coverage": float(self.dqr_coverage),
            "dqr_activity": num(self.dqr_activity),
            "dqr_activity_coverage": float(self.dqr_activity_coverage),
            "dqr_dataset": num(self.dqr_dataset),
            "dqr_dataset_coverage": float(self.dqr_dataset_coverage),
            "primary_share": num(self.primary_share),
            "traceable_share": num(self.traceable_share),
            "cutoff_excluded_share": float(self.cutoff_excluded_share),
            "data_quality_notes": json.dumps(self.notes, ensure_ascii=False),
        }

    def __str__(self):
        dqr = "n/a" if self.dqr is None else f"{self.dqr:.2f} ({self.dqr_level}, covers {self.dqr_coverage:.0%})"

        def part(x, cover):
            return "n/a" if x is None else f"{x:.2f} (covers {cover:.0%})"

        dqr += (
            f" [activity data {part(self.dqr_activity, self.dqr_activity_coverage)}, "
            f"datasets {part(self.dqr_dataset, self.dqr_dataset_coverage)}]"
        )

        def pct(x):
            return "n/a" if x is None else f"{x:.1%}"

        return (
            f"DQR {dqr}; primary data {pct(self.primary_share)}; traceable data {pct(self.traceable_share)}; "
            f"excluded by cut-off {self.cutoff_excluded_share:.1%}"
        )


def _factor_info(ds, fid, gases, weights):
    """(DQR, criteria and rated weight over the factor's gases, tags, traceability classes) of a factor.

    DQR and criteria (TeR, GeR, TiR, P) are weighted by the absolute contributions of the
    rated gases (None where no gas is rated); the rated weight is their sum.
    """
    dqrs, ws, crits, tags, traces = [], [], [], [], []
    for gas, w in zip(gases, weights, strict=True):
        try:
            if "dqr" in ds:
                v = float(ds["dqr"].sel(factor=fid, gas=gas))
                if np.isfinite(v) and w != 0:
                    dqrs.append(v)
                    ws.append(abs(w))
                    crits.append(ds["dqr_scores"].sel(factor=fid, gas=gas).values.astype(float))
            tags.append(str(ds["tag"].sel(factor=fid, gas=gas).item()))
            traces.append(str(ds["traceability"].sel(factor=fid, gas=gas).item()))
        except (KeyError, IndexError):
            continue
    dqr = float(np.dot(dqrs, ws) / sum(ws)) if ws else None
    criteria = tuple(float(c) for c in np.dot(ws, crits) / sum(ws)) if ws else None
    return (
        (dqr, criteria, float(sum(ws))),
        "/".join(dict.fromkeys(t for t in tags if t)),
        "/".join(dict.fromkeys(t for t in traces if t)),
    )


def _activity_criteria(pars):
    """Give the PEF criteria (TeR, GeR, TiR, P) of activity data, the worst of each over its scored parameters.

    None when no parameter has pedigree scores (see the module's rule).
    """
    from pcflab.methods import dqr_from_pedigree, parse_pedigree

    scores = [
        dqr_from_pedigree(parse_pedigree(p.uncertainty.pedigree))
        for p in pars
        if p.uncertainty is not None and p.uncertainty.pedigree
    ]
    return tuple(max(c) for c in zip(*scores, strict=True)) if scores else None


def _combined(kind, activity, dataset):
    """DQR of one exchange from its activity data's and factor's criteria (PEF; the module's rule), or None."""
    from pcflab.methods import process_dqr

    if kind == "factor" and dataset is None:  # an unrated factor: the exchange is not rated
        return None
    return process_dqr(activity, dataset if kind == "factor" else None)


def _weighted(rows, value, weight, total):
    """(contribution-weighted DQR or None, level or None, coverage) over the rows that carry ``value``."""
    from pcflab.methods import aggregate_dqr, dqr_level

    rated = [(r[value], r[weight]) for r in rows if r[value] is not None and r[weight] > 0]
    if not rated or not total:
        return None, None, 0.0
    v = aggregate_dqr([x for x, _ in rated], [w for _, w in rated])
    return v, dqr_level(v), float(sum(w for _, w in rated) / total)


def _exchange_row(cm, key, g, pars, total, stage_of):
    """Describe one exchange's data quality, one row (see ``data_quality`` for its fields)."""
    e, process, kind, target = key
    data_type, trace = _classify([cm.model.parameters[n] for n in pars])
    weight = float(g["weight"].sum())
    (factor_dqr, criteria, rated_weight), tag, factor_trace = (None, None, 0.0), "", ""
    if kind == "factor":
        (factor_dqr, criteria, rated_weight), tag, factor_trace = _factor_info(
            cm.factor_table.ds, target, g["gas"].tolist(), g["gwp100"].tolist()
        )
    activity = _activity_criteria([cm.model.parameters[n] for n in pars])
    return {
        "exchange": int(e),
        "process": process,
        "stage": stage_of[process],
        "kind": kind,
        "target": target,
        "gwp100": float(g["gwp100"].sum()),
        "abs_share": weight / total if total else None,
        "parameters": pars,
        "data_type": data_type,
        "traceability": trace,
        "primary": data_type == "primary",
        "traceable": trace == "measured-calibrated",
        "activity_criteria": activity,
        "activity_dqr": None if activity is None else sum(activity) / 4.0,
        "factor_criteria": criteria,
        "factor_dqr": factor_dqr,
        "dqr": _combined(kind, activity, criteria),
        "factor_tag": tag,
        "factor_traceability": factor_trace,
        "_weight": weight,
        "_rated_weight": rated_weight if kind == "factor" else weight,
    }


def _assess(cm, gwp_set=None):
    """Assess a compiled model's ``DataQuality`` (see ``data_quality``)."""
    gwp_set = gwp_set or cm.profile.gwp_set
    contrib = _exchange_contributions(cm, gwp_set)
    contrib = contrib.assign(weight=contrib["gwp100"].abs())
    total = float(contrib["weight"].sum())
    names = list(cm.model.parameters)
    used = exchange_parameters(cm)
    stage_of = dict(zip(cm.processes, cm.process_stage, strict=True))
    rows = [
        _exchange_row(cm, key, g, [names[q] for q in used[int(key[0])]], total, stage_of)
        for key, g in contrib.groupby(["exchange", "process", "kind", "target"], sort=False)
    ]
    rows.sort(key=lambda r: -abs(r["gwp100"]))
    dqr, level, coverage = _weighted(rows, "dqr", "_rated_weight", total)
    dqr_activity, _, activity_coverage = _weighted(rows, "activity_dqr", "_weight", total)
    dqr_dataset, _, dataset_coverage = _weighted(rows, "factor_dqr", "_rated_weight", total)
    for r in rows:
        del r["_weight"], r["_rated_weight"]

    def share(flag):
        return float(sum(r["abs_share"] for r in rows if r[flag])) if total else None

    primary, traceable = share("primary"), share("traceable")
    cutoff = getattr(cm, "cutoff", {"threshold": 0.0, "excluded_share": 0.0, "excluded": []})
    notes = _notes(cm, rows, dqr, coverage, primary, traceable)
    if dqr_activity is None:
        notes.append(
            "no activity data carry pedigree scores (uncertainty.pedigree of the parameters): the DQR "
            "rests on the factors' ratings alone"
        )
    return DataQuality(
        model_id=cm.model.id,
        method_profile=cm.profile.name,
        gwp_set=gwp_set,
        dqr=dqr,
        dqr_level=level,
        dqr_coverage=coverage,
        dqr_activity=dqr_activity,
        dqr_activity_coverage=activity_coverage,
        dqr_dataset=dqr_dataset,
        dqr_dataset_coverage=dataset_coverage,
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
        notes.append("no factor or activity data of the model carries a DQR: the product's DQR is not available")
    elif coverage < 1:
        notes.append(
            f"the DQR covers {coverage:.0%} of the footprint (exchanges with a rating); unrated factors, "
            "and direct emissions whose activity data carry no pedigree scores, are not rated"
        )
    return notes


@old_calls(positions=("profile", "gwp_set"))
def data_quality(model, factors=None, *, profile=None, gwp_set=None):
    """Assess a footprint's data quality: DQR (activity data, datasets, combined), primary and traceable data, cut-off.

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
        ``dqr`` [1-5, or None; activity data and factors combined], ``dqr_level``,
        ``dqr_coverage`` [0-1]; its parts ``dqr_activity`` and ``dqr_activity_coverage``
        (the activity data alone), ``dqr_dataset`` and ``dqr_dataset_coverage`` (the
        factors alone);
        ``primary_share`` and ``traceable_share`` [share of the absolute footprint, 0-1];
        ``cutoff_threshold``, ``cutoff_excluded_share`` [0-1] and ``cutoff_excluded``
        (``"process: target"``); ``exchanges``, one dict per exchange (``exchange``,
        ``process``, ``stage``, ``kind``, ``target``, ``gwp100`` [kg CO2e per functional
        unit], ``abs_share``, ``parameters``, ``data_type`` (``primary``, ``secondary``
        or ``undeclared``), ``traceability`` (the least traceable class of its
        parameters, ``undeclared`` if any is), ``primary``, ``traceable``,
        ``activity_criteria`` and ``activity_dqr`` (TeR, GeR, TiR, P of the activity data
        and their mean, or None), ``factor_criteria`` and ``factor_dqr`` (the same of the
        factor), ``dqr`` (the exchange's combined DQR), ``factor_tag``,
        ``factor_traceability``), largest first; and
        ``notes``. ``.as_dict()`` is JSON-serialisable, ``.table`` a DataFrame,
        ``.summary()`` the attrs every result carries.

    Notes
    -----
    The definitions are those of this module's docstring, PEF's combination of activity
    data and dataset quality included (TeR and GeR from the factor, P from the activity
    data, TiR the mean of both; a direct emission rated by its activity data alone); an
    exchange is primary
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
            "dqr_activity": math.nan,
            "dqr_activity_coverage": math.nan,
            "dqr_dataset": math.nan,
            "dqr_dataset_coverage": math.nan,
            "primary_share": math.nan,
            "traceable_share": math.nan,
            "cutoff_excluded_share": float(cutoff["excluded_share"]),
            "data_quality_notes": json.dumps([f"data quality not assessed: {exc.message}"], ensure_ascii=False),
        }
