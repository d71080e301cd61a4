"""Preparing a model for analysis: load, compile under a profile, apply the cut-off.

Every analysis of ``pcflab.analysis`` starts from :func:`prepare`. The helpers here are
shared by the analyses of this room: GWP weights of a profile, the deterministic
contribution of every exchange, and the errors a failed solve turns into.
"""

import numpy as np
import xarray as xr

from pcflab import kernel
from pcflab.core import PcfError, SystemSolveError
from pcflab.factors import FactorDB, load_factors
from pcflab.methods import GASES, get_profile, gwp100_vector
from pcflab.models import CompiledModel, ProductSystem, compile_model, load_model

from ._vocabulary import old_calls

__all__ = ["exchange_contributions", "prepare"]


def prepare(model, factors=None, profile=None, *, strict=False):
    """Load and compile a model unless it already is compiled under the profile asked for.

    Parameters
    ----------
    model : str, Path, ProductSystem or CompiledModel
        A model file, a shipped model name, or a loaded or compiled model.
    factors : str, Path or FactorDB, optional
        Factor database (the shipped one by default).
    profile : str or MethodProfile, optional
        Method profile (``iso14067`` by default, or the compiled model's own).
    strict : bool
        When compiling, make what does not enter the result an error (``compile_model``).

    Returns
    -------
    CompiledModel
        With the profile's cut-off applied (excluded exchanges recorded).
    """
    if isinstance(model, CompiledModel):
        left_out = model.unreachable_processes or model.unused_parameters or model.unused_factors
        if (profile is None or get_profile(profile) == model.profile) and not (strict and left_out):
            # a model from compile_model has not had its profile's cut-off applied yet
            return model if hasattr(model, "cutoff") else _apply_cutoff(model)
        # another profile, or compiled leniently with something left out: compile again (strict raises)
        factors, profile, model = model.factor_table, profile or model.profile, model.model
    if isinstance(factors, xr.Dataset):
        factors = FactorDB(factors)
    elif not isinstance(factors, FactorDB):
        factors = load_factors(factors)
    if not isinstance(model, ProductSystem):
        model = load_model(model)
    return _apply_cutoff(compile_model(model, factors, profile or "iso14067", strict=strict))


@old_calls(positions=("gwp_set",), cm="model")
def exchange_contributions(model, *, factors=None, profile=None, gwp_set=None):
    """Deterministic GWP100 contribution of every direct emission and factor-linked activity.

    Parameters
    ----------
    model : str, Path, ProductSystem or CompiledModel
        The product system (pcflab 0.1 called it ``cm`` and took a compiled model only).
    factors : str, Path or FactorDB, optional
        Factor database (the shipped one by default).
    profile : str or MethodProfile, optional
        Method profile (``iso14067`` by default, or the compiled model's own).
    gwp_set : {"AR4", "AR5", "AR6"}, optional
        GWP100 values (the profile's by default).

    Returns
    -------
    pandas.DataFrame
        One row per (exchange, gas): ``exchange`` index, ``process``, ``kind``
        (``emission`` or ``factor``), ``target`` (gas or factor id), ``gas``, ``mass`` [kg]
        and ``gwp100`` [kg CO2e] per functional unit.

    Notes
    -----
    Deterministic (at the parameters' values): takes no Monte Carlo ``result``.
    """
    return _exchange_contributions(prepare(model, factors, profile=profile), gwp_set)


def _exchange_contributions(cm, gwp_set=None):
    """``exchange_contributions`` of a prepared model."""
    import pandas as pd

    sys_ = cm.system
    weights = _weights(cm, gwp_set)
    amount, ok = kernel.exchange_amounts(sys_, cm.nominal)
    s, status = kernel.scaling_vector(sys_, cm.nominal)
    if not ok or status != kernel.STATUS_OK:
        _raise_status(cm, kernel.STATUS_NONFINITE if not ok else status, "at the parameters' values")
    rows = []
    for k in range(len(sys_.emis_process)):
        p, g, e = int(sys_.emis_process[k]), int(sys_.emis_gas[k]), int(sys_.emis_exchange[k])
        m = s[p] * amount[e]
        rows.append((e, cm.processes[p], "emission", GASES[g], GASES[g], m, m * weights[g]))
    for k in range(len(sys_.use_process)):
        p, f, e = int(sys_.use_process[k]), int(sys_.use_factor[k]), int(sys_.use_exchange[k])
        for r in range(sys_.row_start[f], sys_.row_stop[f]):
            g = int(sys_.row_gas[r])
            m = s[p] * amount[e] * cm.nominal[sys_.row_param[r]] * sys_.row_scale[r]
            rows.append((e, cm.processes[p], "factor", cm.factor_ids[f], GASES[g], m, m * weights[g]))
    return pd.DataFrame(rows, columns=["exchange", "process", "kind", "target", "gas", "mass", "gwp100"])


def _apply_cutoff(cm):
    """Exclude the smallest exchanges while their cumulative share stays within the cut-off.

    The criterion applies to the sum of what is left out, as ISO 14067:2018 and ISO 14044:2006
    frame cut-off criteria and as the PEF method (Commission Recommendation (EU) 2021/2279,
    Annex I, cut-off rule) allows exclusions up to a cumulative share: the exchanges are
    ranked by the magnitude of their deterministic GWP100 contribution and the smallest are
    excluded while the sum of the excluded magnitudes is at most ``cutoff_share`` of the
    sum of all magnitudes. Excluded exchanges get scale zero; the share and the list are
    recorded in ``cm.cutoff`` (and so in every result's attrs).
    """
    share = cm.profile.cutoff_share
    cm.cutoff = {"threshold": share, "excluded_share": 0.0, "excluded": []}
    if share <= 0:
        return cm
    contrib = _exchange_contributions(cm)
    by_exchange = contrib.groupby(["exchange", "process", "target"], as_index=False)["gwp100"].sum()
    by_exchange["magnitude"] = by_exchange["gwp100"].abs()
    total = by_exchange["magnitude"].sum()
    ranked = by_exchange.sort_values(["magnitude", "exchange"], kind="stable")
    small = ranked[ranked["magnitude"].cumsum() <= share * total]
    if small.empty:
        return cm
    scale = cm.system.ex_scale.copy()
    scale[small["exchange"].to_numpy()] = 0.0
    cm.system = cm.system._replace(ex_scale=scale)
    cm.cutoff = {
        "threshold": share,
        "excluded_share": float(small["magnitude"].sum() / total),
        "excluded": [f"{p}: {t}" for p, t in zip(small["process"], small["target"], strict=True)],
    }
    return cm


def _weights(cm, gwp_set=None):
    """GWP100 per gas, zero for gases the profile does not count."""
    gwp = gwp100_vector(gwp_set or cm.profile.gwp_set)
    counted = np.array([g in cm.profile.gases for g in GASES])
    return np.where(counted, gwp, 0.0)


def _loop_processes(cm):
    """Name the processes in loops (strongly connected blocks, or a process using its own product)."""
    s = cm.system
    names = []
    for b in range(len(s.block_ptr) - 1):
        members = s.order[s.block_ptr[b] : s.block_ptr[b + 1]]
        own = len(members) == 1 and any(
            s.link_supplier[k] == members[0] for k in range(s.link_ptr[members[0]], s.link_ptr[members[0] + 1])
        )
        if len(members) > 1 or own:
            names.extend(cm.processes[p] for p in members)
    return names or list(cm.processes)


def _raise_status(cm, status, where):
    names = ", ".join(_loop_processes(cm))
    if status == kernel.STATUS_SINGULAR:
        raise SystemSolveError(
            f"the product system is singular {where}: processes {names} supply each other without a net output",
            file=cm.model.path,
            hint="check the amounts of the inputs that form the loop (a process cannot need "
            "as much of a product as the loop makes)",
        )
    if status == kernel.STATUS_NONPRODUCTIVE:
        raise SystemSolveError(
            f"the product system is not productive {where}: a process would have to run a "
            f"negative amount (processes in loops: {names})",
            file=cm.model.path,
            hint="the inputs inside a loop must be smaller than what it outputs",
        )
    if status == kernel.STATUS_NONFINITE:
        raise PcfError(
            f"an amount is NaN or infinite {where}",
            file=cm.model.path,
            hint="check formulas that divide by a parameter that can be zero",
        )
