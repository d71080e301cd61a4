"""Contribution analysis: where a footprint comes from and what drives its uncertainty.

Three views (issue 7, item 2):

- ``contributions``: the deterministic GWP100 footprint split by process, life-cycle
  stage, gas, factor or exchange;
- ``variance_shares``: the share of the Monte Carlo variance of the total attributed to
  each uncertain quantity by its squared Spearman rank correlation with the total;
- ``tornado``: one at a time, each uncertain quantity set to a low and a high quantile of
  its own distribution, every other at its value, and the swing of the total.

References
----------
Saltelli A. et al. (2008). Global Sensitivity Analysis: The Primer. Wiley, ch. 1.2
(rank and standardised regression coefficients; squared coefficients as shares of the
variance for linear, or monotonic after ranking, additive models).
Heijungs R., Suh S. (2002). The Computational Structure of Life Cycle Assessment.
Kluwer, ch. 8 (contribution analysis; perturbation analysis).
"""

import re

import numpy as np
import xarray as xr

from pcflab import kernel
from pcflab.core import PcfError, ureg

from ._prepare import _exchange_contributions, _raise_status, _weights, prepare
from ._provenance import _provenance
from ._sensitivity import quantity_table
from ._simulate import simulate
from ._vocabulary import SINCE, checked_result, old_calls

__all__ = ["CONTRIBUTION_GROUPS", "contributions", "tornado", "variance_shares"]

#: How ``contributions`` can split a footprint.
CONTRIBUTION_GROUPS = ("process", "stage", "gas", "factor", "exchange")
_DIRECT = "direct emissions"
_UNITS = "kg CO2e per functional unit"
_SIMPLE_PER = re.compile(r"/\((\w+)\)$")


def _sort_by_magnitude(frame, column):
    order = frame[column].abs().sort_values(ascending=False, kind="stable").index
    return frame.loc[order]


@old_calls(positions=("profile", "gwp_set"))
def contributions(model, by="process", factors=None, *, profile=None, gwp_set=None):
    """Deterministic GWP100 contributions to a footprint, by process, stage, gas or factor.

    Parameters
    ----------
    model : str, Path, ProductSystem or CompiledModel
        The product system.
    by : {"process", "stage", "gas", "factor", "exchange"}
        ``factor`` groups factor-linked activities by factor id and puts every direct
        emission under ``"direct emissions"``; ``exchange`` gives one row per direct
        emission or factor-linked activity (``"process: target"``).
    factors : str, Path or FactorDB, optional
        Factor database (the shipped one by default).
    profile : str or MethodProfile, optional
        Method profile (``iso14067`` by default).
    gwp_set : {"AR4", "AR5", "AR6"}, optional
        GWP100 values (the profile's by default).

    Returns
    -------
    pandas.DataFrame
        Indexed by the group, sorted by absolute contribution (largest first):
        ``gwp100`` [kg CO2e per functional unit], ``share`` of the net total and
        ``abs_share`` of the sum of absolute contributions [0-1]; ``stage`` for
        processes; ``process``, ``stage``, ``kind`` and ``target`` for exchanges.
        ``attrs``: ``units``, ``by``, ``total`` (net) and ``total_absolute`` [kg CO2e per
        functional unit], and the result's provenance (including its data quality).

    Notes
    -----
    Credits (negative contributions: removals, substitution credits) are kept with their
    sign: ``share`` is ``gwp100 / total`` of the *net* total, so shares sum to one, a
    credit has a negative share and other shares can exceed one when credits are large
    (``share`` is NaN when the net total is zero). ``abs_share`` divides by the sum of
    absolute contributions instead and always lies in [0, 1]. Inputs from other
    processes of the model carry no emissions of their own: their suppliers' exchanges
    do, scaled to the functional unit. Exchanges excluded by the profile's cut-off
    contribute zero (``attrs["cutoff_excluded"]``). ``gwp100.sum()`` equals
    ``pcflab.footprint(model)["gwp100"].sum()``.

    The contributions are deterministic (at the parameters' values), so there is no
    ``result`` argument: a Monte Carlo result holds totals by stage and gas, not by
    exchange. For the uncertainty of each quantity see ``variance_shares`` and
    ``sensitivity``, which take one.
    """
    if by not in CONTRIBUTION_GROUPS:
        raise ValueError(f"unknown grouping by={by!r}: use one of {', '.join(CONTRIBUTION_GROUPS)}")
    cm = prepare(model, factors, profile=profile)
    gwp_set = gwp_set or cm.profile.gwp_set
    rows = _exchange_contributions(cm, gwp_set)
    stage_of = dict(zip(cm.processes, cm.process_stage, strict=True))
    rows["stage"] = rows["process"].map(stage_of)
    if by == "exchange":
        rows["label"] = rows["process"] + ": " + rows["target"]
        first = rows.drop_duplicates("exchange")
        repeated = first["label"].duplicated(keep=False)
        labels = dict(
            zip(
                first["exchange"],
                np.where(repeated, first["label"] + " [" + first["exchange"].astype(str) + "]", first["label"]),
                strict=True,
            )
        )
        rows["label"] = rows["exchange"].map(labels)
        frame = rows.groupby("label", sort=False).agg(
            gwp100=("gwp100", "sum"),
            process=("process", "first"),
            stage=("stage", "first"),
            kind=("kind", "first"),
            target=("target", "first"),
        )
    else:
        if by == "factor":
            key = rows["target"].where(rows["kind"] == "factor", _DIRECT)
        else:
            key = rows[by]
        frame = rows.groupby(key.rename(by), sort=False)[["gwp100"]].sum()
        if by == "process":
            frame = frame.reindex(cm.processes, fill_value=0.0)
            frame["stage"] = [stage_of[p] for p in frame.index]
        elif by == "stage":
            frame = frame.reindex(list(dict.fromkeys(cm.process_stage)), fill_value=0.0)
    frame.index.name = by
    total = float(frame["gwp100"].sum())
    total_abs = float(frame["gwp100"].abs().sum())
    share = frame["gwp100"] / total if total != 0 else np.nan
    abs_share = frame["gwp100"].abs() / total_abs if total_abs != 0 else np.nan
    frame.insert(1, "share", share)
    frame.insert(2, "abs_share", abs_share)
    frame = _sort_by_magnitude(frame, "gwp100")
    frame.attrs.update(
        _provenance(cm, gwp_set),
        method="contributions",
        by=by,
        units=_UNITS,
        total=total,
        total_absolute=total_abs,
    )
    return frame


def _spearman(x, y):
    """Spearman rank correlation of every column of ``x`` with ``y`` (0 for a constant column)."""
    from scipy.stats import rankdata

    rx = rankdata(x, axis=0)
    ry = rankdata(y)
    rx = rx - rx.mean(axis=0)
    ry = ry - ry.mean()
    norm = np.sqrt((rx**2).sum(axis=0) * (ry**2).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        rho = (rx * ry[:, None]).sum(axis=0) / norm
    return np.where(norm > 0, rho, 0.0)


def _names(table):
    names = table["name"].tolist()
    if len(set(names)) != len(names):
        names = [f"{n} [{i}]" for n, i in zip(names, table.index, strict=True)]
    return names


def _result_first(args, kwargs):
    """Rewrite pcflab 0.1's ``variance_shares(result, ..., model=...)``: the result came first.

    Returns the call in the new form, ``variance_shares(model, ..., result=result)``, and
    the deprecation message (None for a call in the new form). Without ``model`` the
    result's ``model_id`` must name a shipped model, compiled under the result's profile.
    """
    if not args or not isinstance(args[0], xr.Dataset):
        return args, kwargs, None
    kwargs = dict(kwargs)
    for name, value in zip(("n_samples", "seed", "factors", "profile", "model"), args[1:], strict=False):
        if name in kwargs:
            raise TypeError(f"variance_shares() got multiple values for argument {name!r}")
        kwargs[name] = value
    result, model = args[0], kwargs.pop("model", None)
    kwargs["result"] = result
    from pcflab.methods import PROFILES

    if kwargs.get("profile") is None and result.attrs.get("method_profile") in PROFILES:
        kwargs["profile"] = result.attrs["method_profile"]
    hint = "pass the model the result was simulated from: variance_shares(model=<model>, result=result)"
    if model is None:
        model = result.attrs.get("model_id")
        if not model:
            raise PcfError("the result does not say which model it was simulated from", hint=hint)
        try:
            model = prepare(model, kwargs.get("factors"), profile=kwargs.get("profile"))
        except PcfError:
            raise PcfError(
                f"the result's model {model!r} is not a shipped model and was not given", hint=hint
            ) from None
    message = (
        f"variance_shares(result, model=...) is deprecated since pcflab {SINCE}: use "
        "variance_shares(model, result=result)"
    )
    return (model,), kwargs, message


@old_calls(positions=("n_samples", "seed", "factors", "profile"), legacy=_result_first, n="n_samples")
def variance_shares(model, *, factors=None, profile=None, gwp_set=None, n_samples=10_000, seed=42, result=None):
    """Share of the variance of the total per uncertain quantity, by squared rank correlation.

    Parameters
    ----------
    model : str, Path, ProductSystem or CompiledModel
        The product system.
    factors : str, Path or FactorDB, optional
        Factor database (the shipped one by default).
    profile : str or MethodProfile, optional
        Method profile (``iso14067`` by default).
    gwp_set : {"AR4", "AR5", "AR6"}, optional
        GWP100 values (the profile's by default, or the result's).
    n_samples : int
        Monte Carlo samples simulated here (ignored with ``result``: the result's).
    seed : int
        Seed of the Monte Carlo run here (ignored with ``result``: the result's).
    result : xarray.Dataset, optional
        A result of ``pcflab.simulate(model, ..., record="all")`` of this model (it must
        hold ``theta``); no new run then. ``variance_shares(result, model=model)``, the
        pcflab 0.1 form, works for one release with a ``DeprecationWarning``.

    Returns
    -------
    pandas.DataFrame
        Indexed by quantity name, largest share first: ``rho`` (Spearman rank correlation
        of the sampled quantity with the total [-1, 1]), ``rho2`` (its square), ``share``
        (``rho2`` over the sum of ``rho2`` [0-1]), ``id``, ``kind``, ``process``,
        ``stage`` and ``source`` (``quantity_table``). ``attrs``: ``rho2_sum`` (the
        unnormalised sum: the part of the variance of the ranks the quantities explain
        additively, ideally close to 1), ``n_samples``, ``seed``, ``gwp_set``, ``notes``
        and the model.

    Raises
    ------
    PcfError
        The result has no ``theta``, or was simulated from another model, factor table,
        profile or GWP set; the model has no uncertain quantity.

    Notes
    -----
    rho² normalised to sum to one is the usual approximation of the contribution to
    variance. It is exact (as the share of the variance of the ranks) only for a model
    that is additive and monotonic in independent inputs; interactions, non-monotonic
    effects and correlated inputs make ``rho2_sum`` depart from one, and a declared
    correlation makes correlated inputs share each other's rho (double counting). A
    constant sampled column gets rho = 0. For variance-based indices use
    ``pcflab.sensitivity(method="sobol")``.
    """
    cm = prepare(model, factors, profile=profile)
    if result is not None:
        gwp_set = checked_result(cm, result, gwp_set, theta=True)
    gwp_set = gwp_set or cm.profile.gwp_set
    table = quantity_table(cm)
    if table.empty:
        raise PcfError(
            "the model has no uncertain quantity to analyse", hint="give parameters or factors an uncertainty"
        )
    if result is None:
        result = simulate(cm, n_samples, seed, gwp_set=gwp_set, keep="totals", record="all")
    x = np.asarray(result["theta"].values)[:, table.index.to_numpy()]
    y = np.asarray(result["total"].values)
    rho = _spearman(x, y)
    rho2 = rho**2
    total = float(rho2.sum())
    frame = table.assign(rho=rho, rho2=rho2, share=rho2 / total if total > 0 else np.nan)
    frame.index = _names(table)
    frame.index.name = "quantity"
    frame = frame[["rho", "rho2", "share", "id", "kind", "process", "stage", "source"]]
    frame = frame.sort_values("rho2", ascending=False, kind="stable")
    notes = [
        "share = rho^2 / sum(rho^2): the usual approximation of the contribution to variance, "
        "exact only for additive models monotonic in independent inputs"
    ]
    if cm.model.correlations:
        notes.append("the model declares rank correlations: correlated inputs share each other's rho")
    frame.attrs.update(
        method="squared Spearman rank correlation with the total",
        rho2_sum=total,
        n_samples=int(y.size),
        seed=result.attrs.get("seed", seed),
        sampler=result.attrs.get("sampler", ""),
        gwp_set=gwp_set,
        notes=notes,
        model_id=cm.model.id,
        model_sha256=cm.model.sha256,
        factors_sha256=cm.factors_sha256,
        method_profile=cm.profile.name,
    )
    return frame


def _declared_units(cm, cols, values):
    """Quantities' values (2, k) in the units the model declares its parameters in.

    The kernel works in SI base units (a reheating energy of 1.35 GJ/t is 1.35e6 m²/s²);
    a model parameter is shown in its declared unit, a factor in its kernel unit (kg of gas
    per unit of activity).
    """
    prefix = f"param:{cm.model.id}/"
    shown, units = values.copy(), []
    for j, c in enumerate(cols):
        pid, si = cm.parameter_ids[c], cm.parameter_units[c]
        par = cm.model.parameters.get(pid[len(prefix) :]) if pid.startswith(prefix) else None
        if par is None or not par.unit:
            units.append(_SIMPLE_PER.sub(r"/\1", si))  # kg/(t) -> kg/t
            continue
        shown[:, j] = ureg.Quantity(values[:, j], si).to(par.unit).magnitude
        units.append(par.unit)
    return shown, units


@old_calls(positions=("profile", "gwp_set"))
def tornado(model, low=0.05, high=0.95, factors=None, *, profile=None, gwp_set=None):
    """One-at-a-time swings of the footprint between two quantiles of each uncertain quantity.

    Parameters
    ----------
    model : str, Path, ProductSystem or CompiledModel
        The product system.
    low, high : float
        Quantiles each quantity is set to, in turn (0 < low < high < 1); 5 % and 95 % by
        default.
    factors : str, Path or FactorDB, optional
        Factor database (the shipped one by default).
    profile : str or MethodProfile, optional
        Method profile (``iso14067`` by default).
    gwp_set : {"AR4", "AR5", "AR6"}, optional
        GWP100 values (the profile's by default).

    Returns
    -------
    pandas.DataFrame
        Indexed by quantity name, largest swing first: ``value_low`` and ``value_high``
        (the quantity at its ``low`` and ``high`` quantile, in ``units``: model parameters
        in their declared units, factors in kg of gas per unit of activity), ``units``,
        ``total_low`` and ``total_high`` (the footprint with the quantity there and every
        other at its value [kg CO2e per functional unit]), ``swing`` (``|total_high -
        total_low|``), ``id``, ``kind``, ``process``, ``stage``, ``source``. ``attrs``:
        ``base`` (the deterministic footprint [kg CO2e per functional unit]), ``units``,
        ``low``, ``high`` and the result's provenance.

    Raises
    ------
    ValueError
        Unless 0 < low < high < 1.
    PcfError
        The model has no uncertain quantity, or the system cannot be solved at a quantile.

    Notes
    -----
    Quantiles come from pcflab's own inverse CDFs (those of the Monte Carlo sampler), so
    every distribution is supported; the quantities' values are their medians (lognormal)
    or stated values, not their means. Derived (formula) parameters are not inputs: they
    are recomputed from the quantities they use. Declared correlations are ignored (one
    at a time), and so are interactions: the swings do not add up to the spread of the
    Monte Carlo total. One at a time, the tornado draws no samples: it takes no Monte
    Carlo ``result``.
    """
    import pandas as pd

    for name, q in (("low", low), ("high", high)):
        if isinstance(q, bool) or not isinstance(q, (int, float, np.floating, np.integer)):
            raise ValueError(f"{name} must be a quantile (a number between 0 and 1), got {q!r}")
    if not 0 < low < high < 1:
        raise ValueError(
            f"the quantiles must satisfy 0 < low < high < 1, got low={low}, high={high}; "
            "use e.g. low=0.05, high=0.95 (5th and 95th percentiles)"
        )
    cm = prepare(model, factors, profile=profile)
    gwp_set = gwp_set or cm.profile.gwp_set
    table = quantity_table(cm)
    if table.empty:
        raise PcfError("the model has no uncertain quantity to vary", hint="give parameters or factors an uncertainty")
    cols = table.index.to_numpy()
    k = cols.size
    u = np.empty((2, k))
    u[0], u[1] = low, high
    values = np.empty((2, k))
    kernel.transform_uniforms(u, cm.kinds[cols], cm.p1[cols], cm.p2[cols], cm.p3[cols], cm.p4[cols], cm.table, values)
    theta = np.tile(cm.nominal, (2 * k + 1, 1))  # rows 2j, 2j + 1: quantity j low, high; last: base
    j = np.arange(k)
    theta[2 * j, cols] = values[0]
    theta[2 * j + 1, cols] = values[1]
    out, status = kernel.evaluate_by_stage(cm.system, theta, _weights(cm, gwp_set))
    bad = np.flatnonzero(status != kernel.STATUS_OK)
    if bad.size:
        row = int(bad[0])
        where = "at the parameters' values" if row == 2 * k else f"with {table['name'].iloc[row // 2]} at a quantile"
        _raise_status(cm, int(status[row]), where)
    totals = out.sum(axis=(1, 2))
    shown, units = _declared_units(cm, cols, values)
    frame = pd.DataFrame(
        {
            "value_low": shown[0],
            "value_high": shown[1],
            "units": units,
            "total_low": totals[0 : 2 * k : 2],
            "total_high": totals[1 : 2 * k : 2],
        },
        index=pd.Index(_names(table), name="quantity"),
    )
    frame["swing"] = (frame["total_high"] - frame["total_low"]).abs()
    for column in ("id", "kind", "process", "stage", "source"):
        frame[column] = table[column].to_numpy()
    frame = frame.sort_values("swing", ascending=False, kind="stable")
    frame.attrs.update(
        _provenance(cm, gwp_set),
        method="tornado (one at a time)",
        base=float(totals[2 * k]),
        units=_UNITS,
        low=float(low),
        high=float(high),
    )
    return frame
