"""What drives a footprint's uncertainty: global sensitivity analysis of a model.

The kernel's ``evaluate`` is the model function; SALib's uniform designs are turned into
parameter values by pcflab's own inverse CDFs, so every pcflab distribution is supported.
Quantities can be grouped by the process that uses them, its life-cycle stage, the factor
family or the data source, and indices are then reported per group.
"""

import numpy as np

from pcflab import kernel
from pcflab.kernel._sampling import _transform
from pcflab.methods import DESIGN_METHODS, GIVEN_DATA_METHODS, gsa, gsa_given_data

from ._errors import PcfError
from ._footprint import _raise_status, _weights, prepare

__all__ = ["GROUPINGS", "quantity_table", "sensitivity"]

GROUPINGS = ("process", "stage", "factor_family", "source")


def _label(ident):
    """Short readable name of an uncertain quantity."""
    if ident.startswith("param:"):
        return ident.rsplit("/", 1)[-1]
    fid, gas = ident.removeprefix("factor:").rsplit(":", 1)
    return f"{fid} ({gas})"


def quantity_table(cm):
    """The uncertain quantities of a compiled model and where they act.

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
    return pd.DataFrame(rows).set_index("position")


def sensitivity(
    model,
    method="sobol",
    n=1024,
    seed=42,
    groups=None,
    second_order=False,
    factors=None,
    profile=None,
    result=None,
    **options,
):
    """Global sensitivity of the footprint to every uncertain quantity (or group).

    Parameters
    ----------
    model : str, Path, ProductSystem or CompiledModel
    method : {"sobol", "morris", "fast", "rbd_fast", "delta", "pawn"}
        Design-based methods run the model on SALib's design; ``delta`` and ``pawn`` use a
        Monte Carlo sample (``result``, from ``simulate(..., record="all")``, or one run
        here with ``n`` samples).
    n : int
        Sobol base sample size (power of two), Morris trajectories, FAST / RBD-FAST sample
        size, or Monte Carlo samples for the given-data methods.
    groups : {"process", "stage", "factor_family", "source"} or mapping, optional
        Report indices per group (Sobol and Morris); a mapping gives each quantity's group
        by its name (see ``quantity_table``).
    second_order : bool
        Sobol second-order indices (in ``attrs["S2"]``).
    options
        Passed to ``pcflab.methods.gsa`` (``levels``, ``conf_level``, ``morris_margin``).

    Returns
    -------
    pandas.DataFrame
        Indices per quantity or group (see ``pcflab.methods.gsa``), sorted by importance,
        with the quantities' process, stage and source where not grouped; provenance in
        ``attrs``.
    """
    cm = prepare(model, factors, profile)
    table = quantity_table(cm)
    if table.empty:
        raise PcfError(
            "the model has no uncertain quantity to analyse", hint="give parameters or factors an uncertainty"
        )
    cols = table.index.to_numpy()
    names = table["name"].tolist()
    if len(set(names)) != len(names):
        names = [f"{n} [{i}]" for n, i in zip(names, cols, strict=True)]
    group_list = None
    if groups is not None:
        if isinstance(groups, str):
            if groups not in GROUPINGS:
                raise ValueError(f"unknown grouping {groups!r}: use one of {', '.join(GROUPINGS)} or a mapping")
            group_list = table[groups].tolist()
        else:
            unknown = sorted(set(groups) - set(table["name"]))
            if unknown:
                raise PcfError(
                    f"the groups name quantities the model does not have: {', '.join(unknown)}",
                    hint="use names from pcflab.quantity_table(compiled)['name']",
                )
            group_list = [groups.get(n, n) for n in table["name"]]
    weights = _weights(cm, (profile and None) or cm.profile.gwp_set)
    if method in GIVEN_DATA_METHODS:
        if groups is not None:
            raise ValueError(f"{method} does not support groups: use sobol or morris")
        if result is None:
            from ._simulate import simulate

            result = simulate(cm, n, seed, keep="totals", record="all")
        if "theta" not in result:
            raise PcfError(
                "the Monte Carlo result has no sampled inputs",
                hint="run simulate(..., record='all') for the given-data methods",
            )
        x = result["theta"].values[:, cols]
        frame = gsa_given_data(method, x, result["total"].values, names, seed=seed)
    elif method in DESIGN_METHODS:
        kinds = cm.kinds[cols]
        p1, p2, p3, p4 = cm.p1[cols], cm.p2[cols], cm.p3[cols], cm.p4[cols]

        def func(u):
            theta = np.tile(cm.nominal, (u.shape[0], 1))
            values = np.empty(u.shape)
            _transform(np.ascontiguousarray(u), kinds, p1, p2, p3, p4, cm.table, values)
            theta[:, cols] = values
            out, status = kernel.evaluate_by_stage(cm.system, theta, weights)
            bad = np.flatnonzero(status != kernel.STATUS_OK)
            if bad.size:
                _raise_status(cm, int(status[bad[0]]), f"in {bad.size} of {len(theta)} design runs")
            return out.sum(axis=(1, 2))

        frame = gsa(method, func, names, n, seed=seed, groups=group_list, second_order=second_order, **options)
    else:
        raise ValueError(f"unknown method {method!r}: use one of {', '.join(DESIGN_METHODS + GIVEN_DATA_METHODS)}")
    if group_list is None:
        info = table.set_index(frame.index)[["id", "kind", "process", "stage", "source"]]
        frame = frame.join(info)
    key = {"sobol": "ST", "morris": "mu_star", "fast": "ST", "rbd_fast": "S1", "delta": "delta", "pawn": "median"}[
        method
    ]
    attrs = dict(frame.attrs)
    frame = frame.sort_values(key, ascending=False)
    frame.attrs.update(
        attrs,
        model_id=cm.model.id,
        model_sha256=cm.model.sha256,
        factors_sha256=cm.factors_sha256,
        method_profile=cm.profile.name,
        grouping=groups if isinstance(groups, str) else ("custom" if groups else "none"),
    )
    return frame
