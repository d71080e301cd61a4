"""What drives a footprint's uncertainty: global sensitivity analysis of a model.

The kernel's ``evaluate`` is the model function; SALib's uniform designs are turned into
parameter values by pcflab's own inverse CDFs, so every pcflab distribution is supported.
Quantities can be grouped by the process that uses them, its life-cycle stage, the factor
family or the data source, and indices are then reported per group. The unit-hypercube
layer (designs, SALib calls, checks of the output) is ``pcflab.methods._sensitivity``.
"""

import json
import warnings
from collections.abc import Mapping

import numpy as np
import xarray as xr

from pcflab import kernel
from pcflab.core import PcfError
from pcflab.methods import (
    DESIGN_METHODS,
    GIVEN_DATA_METHODS,
    RANKING,
    design_error,
    gsa,
    gsa_given_data,
    sobol_to_precision,
)

from ._prepare import _raise_status, _weights, prepare
from ._provenance import _provenance
from ._vocabulary import checked_result, old_calls

__all__ = ["GROUPINGS", "quantity_table", "sensitivity"]

#: Ways to group the uncertain quantities (columns of ``quantity_table``).
GROUPINGS = ("process", "stage", "factor_family", "source")
_OUTPUT = "kg CO2e per functional unit"
_OPTIONS = {
    "sobol": (),
    "morris": ("levels", "morris_margin"),
    "fast": (),
    "rbd_fast": (),
    "delta": ("num_resamples",),
    "pawn": ("slices",),
}
_CHUNK = 65_536  # design runs evaluated at a time (bounds the stage x gas output's memory)
#: ``stacklevel`` of a warning in ``_design_indices`` that points at the caller of
#: ``sensitivity`` (through ``sensitivity`` and the wrappers of ``old_calls`` and ``renamed_arguments``)
_CALLER = 5


def _label(ident):
    """Short readable name of an uncertain quantity."""
    if ident.startswith("param:"):
        return ident.rsplit("/", 1)[-1]
    fid, gas = ident.removeprefix("factor:").rsplit(":", 1)
    return f"{fid} ({gas})"


def quantity_table(cm):
    """Tabulate the uncertain quantities of a compiled model and where they act.

    Parameters
    ----------
    cm : CompiledModel
        The compiled model.

    Returns
    -------
    pandas.DataFrame
        One row per uncertain quantity (index: position in ``theta``): ``id``, ``name``,
        ``kind`` (parameter or factor), ``process`` (the process whose exchanges use it
        most), ``stage``, ``factor_family`` and ``source`` (the factor's tag, or
        ``model parameter``).
    """
    import pandas as pd

    s = cm.system
    n_ex = len(s.prog_start)
    ex_process = np.full(n_ex, -1)
    for c in range(len(s.link_ptr) - 1):
        for k in range(s.link_ptr[c], s.link_ptr[c + 1]):
            ex_process[s.link_exchange[k]] = c
    ex_process[s.emis_exchange] = s.emis_process
    ex_process[s.use_exchange] = s.use_process
    uses = {}  # quantity -> list of processes

    def params_of(start, stop):
        return [int(s.ops[i, 1]) for i in range(start, stop) if s.ops[i, 0] == kernel.PARAM]

    derived_refs = {
        int(d): params_of(a, b) for d, a, b in zip(s.derived_param, s.derived_start, s.derived_stop, strict=True)
    }
    for e in range(n_ex):
        stack = params_of(s.prog_start[e], s.prog_stop[e])
        seen = set()
        while stack:
            q = stack.pop()
            if q in seen:
                continue
            seen.add(q)
            uses.setdefault(q, []).append(int(ex_process[e]))
            stack.extend(derived_refs.get(q, []))
    for k in range(len(s.use_factor)):
        f = s.use_factor[k]
        for r in range(s.row_start[f], s.row_stop[f]):
            uses.setdefault(int(s.row_param[r]), []).append(int(s.use_process[k]))
    rows = []
    for i, ident in enumerate(cm.parameter_ids):
        if cm.kinds[i] == kernel.FIXED:
            continue
        procs = [p for p in uses.get(i, []) if p >= 0]
        proc = max(set(procs), key=procs.count) if procs else -1
        is_factor = ident.startswith("factor:")
        fid = ident.removeprefix("factor:").rsplit(":", 1)[0] if is_factor else ""
        rows.append(
            {
                "position": i,
                "id": ident,
                "name": _label(ident),
                "kind": "factor" if is_factor else "parameter",
                "process": cm.processes[proc] if proc >= 0 else "(unused)",
                "stage": cm.process_stage[proc] if proc >= 0 else "(unused)",
                "factor_family": fid.split("/")[1] if is_factor else "model parameter",
                "source": str(cm.factor_table.ds["tag"].sel(factor=fid, gas=ident.rsplit(":", 1)[1]).item())
                if is_factor
                else "model parameter",
            }
        )
    columns = ["position", "id", "name", "kind", "process", "stage", "factor_family", "source"]
    return pd.DataFrame(rows, columns=columns).set_index("position")


def _check_arguments(method, n_samples, seed, groups, second_order, result, options):
    """Every check that needs no model: raised before anything is loaded or run."""
    methods = DESIGN_METHODS + GIVEN_DATA_METHODS
    if method not in methods:
        raise PcfError(f"unknown sensitivity method {method!r}", hint=f"use one of {', '.join(methods)}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or not 0 <= seed < 2**64:
        raise PcfError(f"seed must be an integer in [0, 2**64), got {seed!r}", hint="give seed as an int, e.g. 42")
    unknown = sorted(set(options) - set(_OPTIONS[method]))
    if unknown:
        allowed = ", ".join(_OPTIONS[method]) or "none"
        raise PcfError(f"{method} takes no option {', '.join(unknown)}", hint=f"options of {method}: {allowed}")
    if second_order and method != "sobol":
        raise PcfError(f"second-order indices come from Sobol's design, not {method}", hint="use method='sobol'")
    if groups is not None:
        if method not in ("sobol", "morris"):
            raise PcfError(
                f"{method} does not report indices per group",
                hint="use method='sobol' or 'morris' for groups, or leave groups=None",
            )
        if isinstance(groups, str):
            if groups not in GROUPINGS:
                raise PcfError(
                    f"unknown grouping {groups!r}",
                    hint=f"use one of {', '.join(GROUPINGS)}, or a mapping of quantities to groups",
                )
        elif not isinstance(groups, Mapping):
            raise PcfError(
                f"groups must be a grouping name or a mapping, got {type(groups).__name__}",
                hint=f"use one of {', '.join(GROUPINGS)}, {{quantity: group}} or {{group: [quantities]}}",
            )
    if method in GIVEN_DATA_METHODS:
        if result is not None:
            if not isinstance(result, xr.Dataset) or "total" not in result:
                raise PcfError(
                    "result must be the xarray.Dataset of pcflab.simulate",
                    hint="run pcflab.simulate(model, n_samples, seed, record='all')",
                )
            if "theta" not in result:
                raise PcfError(
                    "the Monte Carlo result has no sampled inputs (theta)",
                    hint=f"run pcflab.simulate(model, n_samples, seed, record='all') for {method}, or leave "
                    "result out to simulate here",
                )
            n_samples = int(result.sizes["sample"])
    elif result is not None:
        raise PcfError(
            f"{method} runs the model on its own design and does not use a Monte Carlo result",
            hint="pass result only with method='delta' or 'pawn'",
        )
    margin = options.get("morris_margin", 0.005)
    if not (isinstance(margin, int | float) and 0.0 <= margin < 0.5):
        raise PcfError(f"morris_margin must lie in [0, 0.5), got {margin!r}", hint="use the default 0.005")
    for name in ("num_resamples", "slices"):
        value = options.get(name, 10)
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 2:
            raise PcfError(f"{name} must be an integer of at least 2, got {value!r}", hint=f"leave {name} out")
    levels = options.get("levels", 4)
    error = design_error(method, n_samples, None, levels)
    if error:
        raise PcfError(error[0] + ("" if result is None else " in the result"), hint=error[1])


def _check_precision(method, n_samples, target_ci, target_top, max_n_samples):
    """Check the arguments of a run to a stated precision: None, or their dict."""
    if target_ci is None:
        return None
    if method != "sobol":
        raise PcfError(
            f"target_ci chooses the Sobol base sample size, not that of {method}",
            hint="use method='sobol' with target_ci, or leave target_ci out",
        )
    if isinstance(target_ci, bool) or not isinstance(target_ci, int | float) or not 0.0 < target_ci < 1.0:
        raise PcfError(f"target_ci must lie strictly between 0 and 1, got {target_ci!r}", hint="use e.g. 0.05")
    if isinstance(target_top, bool) or not isinstance(target_top, int | np.integer) or target_top < 1:
        raise PcfError(f"target_top must be a positive integer, got {target_top!r}", hint="use e.g. target_top=5")
    error = design_error("sobol", max_n_samples)
    if error:
        raise PcfError(
            error[0].replace("n_samples", "max_n_samples"), hint=error[1].replace("n_samples", "max_n_samples")
        )
    if max_n_samples < n_samples:
        raise PcfError(
            f"max_n_samples ({max_n_samples}) is below the start n_samples ({n_samples})",
            hint="use max_n_samples >= n_samples (both powers of two)",
        )
    return {"target_ci": float(target_ci), "target_top": int(target_top), "max_n_samples": int(max_n_samples)}


def _precision_note(attrs):
    """One sentence: the precision reached, or not, by ``sobol_to_precision``."""
    top, target, got, n = attrs["target_top"], attrs["target_ci"], attrs["achieved_ci"], attrs["n"]
    what = f"the largest half-width of S1 and ST of the {top} leading inputs"
    if attrs["target_reached"]:
        return f"{what} is {got:.3g} <= {target:g} at N = {n}"
    return f"not reached: {what} is {got:.3g} > {target:g} at the largest N = {n} (raise max_n_samples)"


def _unique_names(table):
    names = table["name"].tolist()
    if len(set(names)) != len(names):
        names = [f"{n} [{i}]" for n, i in zip(names, table.index, strict=True)]
    return names


def _group_labels(table, names, groups):
    """Group of each quantity (in table order), from a grouping name or a mapping."""
    if isinstance(groups, str):
        return [str(g) for g in table[groups]]
    lookup = dict(zip(table["id"], names, strict=True)) | {n: n for n in names}
    lookup |= {n: u for n, u in zip(table["name"], names, strict=True) if list(table["name"]).count(n) == 1}
    hint = "use the names of quantity_table(compiled)['name'] (the 'input' of an ungrouped result) or their 'id'"
    values = list(groups.values())
    by_group = values and all(not isinstance(v, str) and hasattr(v, "__iter__") for v in values)
    if not values or not (by_group or all(isinstance(v, str) for v in values)):
        raise PcfError(
            "a group mapping maps every quantity to a group name, or every group name to a list of quantities",
            hint="use {quantity: group} or {group: [quantities]}",
        )
    if by_group:
        empty = [str(g) for g, members in groups.items() if not list(members)]
        if empty:
            raise PcfError(f"groups with no member: {', '.join(empty)}", hint="list at least one quantity per group")
        pairs = [(str(q), str(g)) for g, members in groups.items() for q in members]
    else:
        pairs = [(str(q), str(g)) for q, g in groups.items()]
    unknown = sorted({q for q, _ in pairs if q not in lookup})
    if unknown:
        none = " (none of its names is one)" if len(unknown) == len({q for q, _ in pairs}) else ""
        raise PcfError(f"the groups name quantities the model does not have{none}: {', '.join(unknown)}", hint=hint)
    assigned = {}
    for q, g in pairs:
        name = lookup[q]
        if assigned.setdefault(name, g) != g:
            raise PcfError(f"quantity {name!r} is in two groups: {assigned[name]!r} and {g!r}", hint=hint)
    clash = sorted(n for n in names if n not in assigned and n in set(assigned.values()))
    if clash:
        raise PcfError(
            f"quantities left out of the groups form their own group, but a group already has their name: "
            f"{', '.join(clash)}",
            hint="rename the group, or put the quantity in it",
        )
    return [assigned.get(n, n) for n in names]


def _design_function(cm, positions, weights):
    """Make the model a function of the uniforms of its uncertain quantities."""
    kinds = cm.kinds[positions]
    p1, p2, p3, p4 = cm.p1[positions], cm.p2[positions], cm.p3[positions], cm.p4[positions]

    def func(u):
        total = np.empty(u.shape[0])
        for start in range(0, u.shape[0], _CHUNK):
            block = np.ascontiguousarray(u[start : start + _CHUNK])
            theta = np.tile(cm.nominal, (block.shape[0], 1))
            values = np.empty(block.shape)
            kernel.transform_uniforms(block, kinds, p1, p2, p3, p4, cm.table, values)
            theta[:, positions] = values
            out, status = kernel.evaluate_by_stage(cm.system, theta, weights)
            bad = np.flatnonzero(status != kernel.STATUS_OK)
            if bad.size:
                _raise_status(cm, int(status[bad[0]]), f"in {bad.size} of {len(theta)} design runs")
            total[start : start + len(theta)] = out.sum(axis=(1, 2))
        bad = np.count_nonzero(~np.isfinite(total))
        if bad:
            raise PcfError(
                f"the footprint is NaN or infinite in {bad} of {total.size} design runs (SALib would silently "
                "return zero indices)",
                file=cm.model.path,
                hint="check formulas that divide by a parameter that can be zero, and distributions with "
                "extreme tails (the design reaches quantiles near 0 and 1)",
            )
        if np.ptp(total) == 0.0:
            raise PcfError(
                f"the footprint is the same in all {total.size} design runs: no uncertain quantity moves it",
                file=cm.model.path,
                hint="check that the uncertain quantities reach the footprint (cut-off, zero amounts)",
            )
        return total

    return func


def _given_sample(cm, n_samples, seed, gwp_set, result):
    """Return the sampled inputs, totals (the result's, or of a Monte Carlo run here) and runs made."""
    if result is None:
        from ._simulate import simulate

        result = simulate(cm, n_samples, seed, gwp_set=gwp_set, keep="totals", record="all")
        runs = n_samples
    else:
        runs = 0
    total = np.asarray(result["total"].values, dtype=float)
    bad = np.count_nonzero(~np.isfinite(total))
    if bad:
        raise PcfError(
            f"the footprint is NaN or infinite in {bad} of {total.size} samples",
            hint="check formulas that divide by a parameter that can be zero",
        )
    return np.asarray(result["theta"].values), total, runs


def _ordered(ds, key):
    """``ds`` with ``input`` (and ``input_2``) sorted by ``key``, largest first, NaN last."""
    v = np.asarray(ds[key].values, dtype=float)
    order = np.argsort(-np.where(np.isnan(v), -np.inf, v), kind="stable")
    ds = ds.isel(input=order)
    return ds.isel(input_2=order) if "input_2" in ds.dims else ds


@old_calls(
    positions=("n_samples", "seed", "groups", "second_order", "conf_level", "factors", "profile", "gwp_set", "result"),
    n="n_samples",
)
def sensitivity(
    model,
    method="sobol",
    *,
    factors=None,
    profile=None,
    gwp_set=None,
    n_samples=1024,
    seed=42,
    result=None,
    groups=None,
    second_order=False,
    conf_level=0.95,
    target_ci=None,
    target_top=5,
    max_n_samples=16_384,
    **options,
):
    """Global sensitivity of the footprint to every uncertain quantity (or group).

    Parameters
    ----------
    model : str, Path, ProductSystem or CompiledModel
        The product system.
    method : {"sobol", "morris", "fast", "rbd_fast", "delta", "pawn"}
        Design-based methods run the model on SALib's design of uniforms, turned into values
        by the quantities' own distributions; ``delta`` and ``pawn`` use a Monte Carlo
        sample (``result``, or one run here with ``n_samples`` samples) and no further runs.
    factors : str, Path or FactorDB, optional
        Factor database (the shipped one by default).
    profile : str or MethodProfile, optional
        Method profile (``iso14067`` by default).
    gwp_set : {"AR4", "AR5", "AR6"}, optional
        GWP100 values (the profile's by default, or the result's).
    n_samples : int
        Sobol base sample size (a power of two; N (k + 2) runs, N (2k + 2) with
        ``second_order``), Morris trajectories (r (k + 1) runs), FAST sample size per
        quantity (n > 64; n k runs), RBD-FAST sample size (n > 40; n runs), or Monte Carlo
        samples for the given-data methods (at least 100; the result's with ``result``).
        pcflab 0.1's ``n`` still works, with a ``DeprecationWarning``.
    seed : int
        Seed of the design (or the Monte Carlo run) and of the bootstrap.
    result : xarray.Dataset, optional
        For ``delta`` and ``pawn``: a result of ``pcflab.simulate(model, ...,
        record="all")`` of this model (no new runs).
    groups : {"process", "stage", "factor_family", "source"} or mapping, optional
        Report indices per group (Sobol and Morris): a column of ``quantity_table``,
        ``{quantity: group}`` or ``{group: [quantities]}``, with quantities named as in
        ``quantity_table(cm)["name"]`` or by ``id``; quantities left out form a group of
        their own.
    second_order : bool
        Sobol second-order indices too (``S2``, ``S2_conf``).
    conf_level : float
        Probability of the bootstrap confidence intervals, in (0, 1).
    target_ci : float, optional
        Sobol only: choose the base sample size for this precision [1]. Starting from
        ``n_samples``, N doubles until the bootstrap half-width of S1 and of ST of each of
        the ``target_top`` quantities of largest ST is at most ``target_ci``, or N reaches
        ``max_n_samples``; every design extends the previous one, whose runs are reused.
        ``attrs`` say whether the target was reached (``target_reached``,
        ``achieved_ci``, ``n_tried``, ``precision``).
    target_top : int
        Number of leading quantities (or groups) whose indices must reach ``target_ci``.
    max_n_samples : int
        Largest Sobol base sample size with ``target_ci`` (a power of two).
    **options
        ``levels`` (Morris grid levels, 4) and ``morris_margin`` (0.005: the Morris grid
        spans the quantiles 0.005 .. 0.995 so unbounded distributions stay finite) for
        morris; ``num_resamples`` (bootstrap resamples, 100) for delta; ``slices`` (10)
        for pawn.

    Returns
    -------
    xarray.Dataset
        Dimension ``input``: the quantities' names (``quantity_table``), or the groups,
        ordered by importance, largest first (``attrs["ranking"]`` names the variable:
        ``ST`` for sobol and fast, ``mu_star`` for morris, ``S1`` for rbd_fast, ``delta``
        for delta, ``median`` for pawn). Variables: ``S1``, ``S1_conf``, ``ST``,
        ``ST_conf`` and with ``second_order`` ``S2``, ``S2_conf`` (``input``, ``input_2``)
        (sobol); ``mu``, ``mu_star``, ``mu_star_conf``, ``sigma`` [kg CO2e per functional
        unit per unit of the uniform quantile] (morris); ``S1``, ``ST`` (fast); ``S1``,
        ``S1_conf`` (rbd_fast); ``delta``, ``delta_conf``, ``S1``, ``S1_conf`` (delta);
        ``minimum``, ``mean``, ``median``, ``maximum``, ``CV`` (pawn). Indices are
        dimensionless [1]; ``_conf`` variables are half-widths of the ``conf_level``
        bootstrap interval. Coordinates on ``input``: ``id``, ``kind``, ``process``,
        ``stage``, ``factor_family``, ``source``, ``units`` (of the quantity) and
        ``nominal`` (its deterministic value), or ``members`` (quantities per group) when
        grouped, and for every index with a half-width a boolean ``<index>_includes_zero``
        (``S1_includes_zero``, ...): True where its confidence interval includes 0, i.e.
        the index is not distinguishable from 0. ``attrs``: ``method``, ``n_samples``
        (and ``n``, the same), ``seed``,
        ``runs`` (model evaluations of this call), ``conf_level``, ``ranking``, ``grouping``, ``output``, ``inputs``
        (independence), ``salib_version`` and the provenance of ``pcflab.footprint``
        (``model_id``, ``model_sha256``, ``factors_sha256``, ``method_profile``,
        ``gwp_set``, ``pcflab_version``, ...). ``ds.to_dataframe()`` gives a table
        (drop ``S2``/``S2_conf`` first for one row per input).

    Raises
    ------
    PcfError
        Before any run: an unknown method, grouping or option; a sample size the method's
        design cannot use (Sobol: a power of two); groups with a method that does not
        report them; a group mapping naming quantities the model does not have, or a
        group with no member; a ``result`` without ``theta`` or of another model, factor
        table, profile or GWP set. After
        the runs: a footprint that is NaN, infinite or constant in some runs.

    Warns
    -----
    UserWarning
        If the model declares rank correlations and a design-based method is used: its
        design treats the quantities as independent.

    Notes
    -----
    Sobol and FAST indices apportion the variance of the total footprint (not of its
    logarithm). Morris elementary effects are per unit of each quantity's uniform
    quantile, so quantities with different units are comparable: μ* is about the change
    of the footprint as the quantity moves across its distribution.

    References
    ----------
    Saltelli A. et al. (2008). Global Sensitivity Analysis: The Primer. Wiley.
    Herman J., Usher W. (2017). SALib. JOSS 2(9), 97. doi:10.21105/joss.00097
    """
    _check_arguments(method, n_samples, seed, groups, second_order, result, options)
    precision = _check_precision(method, n_samples, target_ci, target_top, max_n_samples)
    if not 0.0 < conf_level < 1.0:
        raise PcfError(f"conf_level must lie strictly between 0 and 1, got {conf_level}", hint="use 0.95")
    cm = prepare(model, factors, profile=profile)
    if result is not None:
        gwp_set = checked_result(cm, result, gwp_set, theta=True)
    gwp_set = gwp_set or cm.profile.gwp_set
    table = _uncertain_quantities(cm)
    names = _unique_names(table)
    group_list = None if groups is None else _group_labels(table, names, groups)
    if method in GIVEN_DATA_METHODS:
        theta, total, runs = _given_sample(cm, n_samples, seed, gwp_set, result)
        ds, inputs = _given_data_indices(cm, method, table, names, theta, total, runs, seed, conf_level, options)
    else:
        design = (method, n_samples, seed, groups, group_list, second_order, conf_level, options, precision)
        ds, inputs = _design_indices(cm, table, names, gwp_set, *design)
    ds, grouping, members = _label_inputs(ds, cm, table, names, groups, group_list)
    key = RANKING[method]
    ds = _ordered(ds, key)
    ds.attrs = {
        **_provenance(cm, gwp_set),
        **ds.attrs,
        "n_samples": ds.attrs["n"],
        "ranking": key,
        "grouping": grouping,
        "group_members": json.dumps(members, ensure_ascii=False),
        "inputs": inputs,
        "output": f"total carbon footprint [{_OUTPUT}]",
    }
    return ds


def _uncertain_quantities(cm):
    """``quantity_table(cm)``, which must not be empty."""
    table = quantity_table(cm)
    if table.empty:
        raise PcfError(
            "the model has no uncertain quantity to analyse",
            file=cm.model.path,
            hint="give parameters or factors an uncertainty",
        )
    return table


def _given_data_indices(cm, method, table, names, theta, total, runs, seed, conf_level, options):
    """Delta or PAWN indices from a Monte Carlo sample, and how its inputs were sampled."""
    ds = gsa_given_data(
        method, theta[:, table.index.to_numpy()], total, names, seed=seed, conf_level=conf_level, **options
    )
    ds.attrs["runs"] = runs
    ds.attrs["given_data"] = "simulated here" if runs else "the result passed"
    n_correlations = len(cm.model.correlations)
    return ds, "as sampled" + (f" ({n_correlations} rank correlations applied)" if n_correlations else "")


def _design_indices(
    cm, table, names, gwp_set, method, n_samples, seed, groups, group_list, second_order, conf_level, options, precision
):
    """Compute the indices of a design-based method (the model run on SALib's design)."""
    if group_list is not None and method == "morris" and len(set(group_list)) < 2:
        raise PcfError(
            f"Morris needs at least two groups; grouping by {groups!r} gives one",
            hint="use another grouping, groups=None, or method='sobol'",
        )
    inputs = "independent"
    n_correlations = len(cm.model.correlations)
    if n_correlations:
        inputs += f" ({n_correlations} declared rank correlations ignored)"
        warnings.warn(
            f"{cm.model.id} declares {n_correlations} rank correlations; {method}'s design treats every "
            "quantity as independent (use delta or pawn on a correlated Monte Carlo sample)",
            UserWarning,
            stacklevel=_CALLER,
        )
    func = _design_function(cm, table.index.to_numpy(), _weights(cm, gwp_set))
    if precision is not None:
        ds = sobol_to_precision(
            func,
            names,
            precision["target_ci"],
            n_start=n_samples,
            max_n=precision["max_n_samples"],
            top=precision["target_top"],
            seed=seed,
            groups=group_list,
            second_order=second_order,
            conf_level=conf_level,
        )
        ds.attrs["precision"] = _precision_note(ds.attrs)
        return ds, inputs
    ds = gsa(
        method,
        func,
        names,
        n_samples,
        seed=seed,
        groups=group_list,
        second_order=second_order,
        conf_level=conf_level,
        output_units=_OUTPUT,
        **options,
    )
    return ds, inputs


def _label_inputs(ds, cm, table, names, groups, group_list):
    """Label the inputs (what each quantity is, or how many a group holds): (ds, grouping, members)."""
    if group_list is None:
        positions = table.index.to_numpy()
        labels = ("id", "kind", "process", "stage", "factor_family", "source")
        coords = {c: ("input", np.asarray(table[c].tolist(), dtype=str)) for c in labels}
        coords["units"] = ("input", np.asarray([cm.parameter_units[p] for p in positions], dtype=str))
        coords["nominal"] = ("input", cm.nominal[positions].astype(float))
        ds = ds.assign_coords(coords)
        ds["nominal"].attrs["long_name"] = "value at the deterministic point, in the units of the units coordinate"
        return ds, "none", {}
    members = {}
    for name, g in zip(names, group_list, strict=True):
        members.setdefault(g, []).append(name)
    counts = [len(members[str(g)]) for g in ds["input"].values]
    ds = ds.assign_coords(members=("input", np.asarray(counts, dtype=np.int64)))
    ds["members"].attrs["long_name"] = "number of uncertain quantities in the group"
    return ds, groups if isinstance(groups, str) else "custom", members
