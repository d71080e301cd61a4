"""Footprints: deterministic and Monte Carlo, as labelled ``xarray`` results."""

import hashlib
import json
import platform
from pathlib import Path

import numba
import numpy as np
import xarray as xr

from pcflab import kernel
from pcflab.methods import GASES, PROFILES, STAGES, get_profile, gwp100_vector

from ._compile import CompiledModel, compile_model
from ._errors import PcfError, SystemSolveError
from ._factors import FactorDB, load_factors
from ._model import ProductSystem, load_model
from ._version import __version__

__all__ = [
    "compare_methods",
    "exchange_contributions",
    "footprint",
    "prepare",
    "report_categories",
]


def prepare(model, factors=None, profile=None):
    """Load and compile a model unless it already is compiled under the profile asked for.

    Parameters
    ----------
    model : str, Path, ProductSystem or CompiledModel
        A model file, a shipped model name, or a loaded or compiled model.
    factors : str, Path or FactorDB, optional
        Factor database (the shipped one by default).
    profile : str or MethodProfile, optional
        Method profile (``iso14067`` by default, or the compiled model's own).

    Returns
    -------
    CompiledModel
        With the profile's cut-off applied (excluded exchanges recorded).
    """
    if isinstance(model, CompiledModel):
        if profile is None or get_profile(profile) == model.profile:
            return model
        factors, model = model.factor_table, model.model
    if isinstance(factors, xr.Dataset):
        factors = FactorDB(factors)
    elif not isinstance(factors, FactorDB):
        factors = load_factors(factors)
    if not isinstance(model, ProductSystem):
        model = load_model(model)
    return _apply_cutoff(compile_model(model, factors, profile or "iso14067"))


def exchange_contributions(cm, gwp_set=None):
    """Deterministic GWP100 contribution of every direct emission and factor-linked activity.

    Parameters
    ----------
    cm : CompiledModel
    gwp_set : {"AR4", "AR5", "AR6"}, optional
        The profile's by default.

    Returns
    -------
    pandas.DataFrame
        One row per (exchange, gas): ``exchange`` index, ``process``, ``kind``
        (``emission`` or ``factor``), ``target`` (gas or factor id), ``gas``, ``mass`` [kg]
        and ``gwp100`` [kg CO2e] per functional unit.
    """
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
    """Exclude exchanges below the profile's cut-off share (set their scale to zero)."""
    share = cm.profile.cutoff_share
    cm.cutoff = {"threshold": share, "excluded_share": 0.0, "excluded": []}
    if share <= 0:
        return cm
    contrib = exchange_contributions(cm)
    by_exchange = contrib.groupby(["exchange", "process", "target"], as_index=False)["gwp100"].sum()
    total = by_exchange["gwp100"].abs().sum()
    small = by_exchange[by_exchange["gwp100"].abs() < share * total]
    if small.empty:
        return cm
    scale = cm.system.ex_scale.copy()
    scale[small["exchange"].to_numpy()] = 0.0
    cm.system = cm.system._replace(ex_scale=scale)
    cm.cutoff = {
        "threshold": share,
        "excluded_share": float(small["gwp100"].abs().sum() / total),
        "excluded": [f"{p}: {t}" for p, t in zip(small["process"], small["target"], strict=True)],
    }
    return cm


def _weights(cm, gwp_set=None):
    """GWP100 per gas, zero for gases the profile does not count."""
    gwp = gwp100_vector(gwp_set or cm.profile.gwp_set)
    counted = np.array([g in cm.profile.gases for g in GASES])
    return np.where(counted, gwp, 0.0)


def _provenance(cm, gwp_set):
    """What a result was computed from and with, and the data quality behind it (``attrs``).

    The data-quality summary (``dqr``, ``dqr_level``, ``dqr_coverage``,
    ``primary_share``, ``traceable_share``, ``cutoff_excluded_share``,
    ``data_quality_notes``; see ``pcflab._data_quality``) is computed once per compiled model from
    the exchange contributions at the parameters' values. Every value is a netCDF-safe
    scalar or string: missing numbers are NaN, a missing DQR level is ``"n/a"``.
    """
    from ._data_quality import data_quality_attrs  # local: _data_quality imports this module

    m = cm.model
    cutoff = getattr(cm, "cutoff", {"threshold": 0.0, "excluded_share": 0.0, "excluded": []})
    return {
        "method_profile": cm.profile.name,
        "method_profile_title": cm.profile.title,
        "method_profile_sha256": hashlib.sha256(cm.profile.model_dump_json().encode()).hexdigest(),
        "allocation": cm.profile.allocation,
        "recycling": cm.profile.recycling,
        "electricity_accounting": cm.profile.electricity,
        "cutoff_threshold": cutoff["threshold"],
        "cutoff_excluded_share": cutoff["excluded_share"],
        "cutoff_excluded": json.dumps(cutoff["excluded"], ensure_ascii=False),
        **data_quality_attrs(cm, gwp_set),
        "model_notes": json.dumps(cm.notes, ensure_ascii=False),
        "model_id": m.id,
        "model_name": m.name,
        "model_file": Path(m.path).name,
        "model_sha256": m.sha256,
        "factors_sha256": cm.factors_sha256,
        "factor_release": cm.factor_release,
        "factor_resolutions": json.dumps([r.as_dict() for r in cm.resolutions], ensure_ascii=False),
        "functional_unit": f"{m.functional_unit.amount:g} {m.functional_unit.unit} {m.functional_unit.description}",
        "region": m.region,
        "reference_year": m.year,
        "gwp_set": gwp_set,
        "gwp_horizon": "GWP100",
        "pcflab_version": __version__,
        "numpy_version": np.__version__,
        "numba_version": numba.__version__,
        "python_version": platform.python_version(),
    }


def _loop_processes(cm):
    """Processes in loops (strongly connected blocks, or a process using its own product)."""
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


def footprint(model, factors=None, gwp_set=None, profile=None):
    """Deterministic carbon footprint of one functional unit.

    Parameters
    ----------
    model : str, Path, ProductSystem or CompiledModel
        The product system.
    factors : str, Path or FactorDB, optional
        Factor database (the shipped one by default).
    gwp_set : {"AR4", "AR5", "AR6"}, optional
        GWP100 values used to characterise the gases (the profile's by default).
    profile : str or MethodProfile, optional
        Method profile (``iso14067`` by default); see ``pcflab.methods.PROFILES``.

    Returns
    -------
    xarray.Dataset
        ``mass`` (process, gas) [kg of gas per functional unit] and ``gwp100``
        (process, gas) [kg CO2e per functional unit], with coordinate ``stage`` on
        ``process``; provenance in ``attrs``. ``result.gwp100.sum()`` is the footprint.
    """
    cm = prepare(model, factors, profile)
    gwp_set = gwp_set or cm.profile.gwp_set
    mass, status = kernel.evaluate_by_process(cm.system, cm.nominal)
    if status != kernel.STATUS_OK:
        _raise_status(cm, status, "at the parameters' values")
    gwp = _weights(cm, gwp_set)
    ds = xr.Dataset(
        {
            "mass": (("process", "gas"), mass, {"units": "kg", "long_name": "gas emitted per functional unit"}),
            "gwp100": (
                ("process", "gas"),
                mass * gwp,
                {"units": "kg CO2e", "long_name": "GWP100-weighted emissions per functional unit"},
            ),
        },
        coords={
            "process": cm.processes,
            "gas": list(GASES),
            "stage": ("process", cm.process_stage),
            "process_name": ("process", [p.name for p in cm.model.processes.values()]),
            "report_as": ("process", [p.report_as or "" for p in cm.model.processes.values()]),
        },
        attrs={**_provenance(cm, gwp_set), "method": "deterministic"},
    )
    if cm.profile.electricity == "market" and cm.model.electricity_contracts:
        # market-based is this result; the location-based total is reported beside it
        location = cm.profile.model_copy(update={"electricity": "location", "name": cm.profile.name + "-location"})
        other = footprint(cm.model, cm.factor_table, gwp_set=gwp_set, profile=location)
        ds.attrs["electricity_market_based_total"] = float(ds["gwp100"].sum())
        ds.attrs["electricity_location_based_total"] = float(other["gwp100"].sum())
    return ds


#: Gases counted as biogenic in the ISO 14067 separate reporting.
BIOGENIC_GASES = ("co2_biogenic", "ch4_non_fossil")


def report_categories(result):
    """The footprint split as ISO 14067 asks it to be documented.

    Parameters
    ----------
    result : xarray.Dataset
        Output of ``footprint``.

    Returns
    -------
    dict
        ``total``, ``fossil`` (fossil carbon and other GHGs), ``biogenic`` (biogenic CO2
        and non-fossil CH4, net) with ``biogenic_emissions`` and ``biogenic_removals``
        (negative) by process, ``dluc`` (processes marked
        ``report_as: dluc``), ``aircraft`` (``report_as: aircraft``) and
        ``pre_characterised`` (factors published as CO2e, whose gases are not known)
        [kg CO2e per functional unit]. dLUC and aircraft emissions are also in the gas
        categories; the gas categories add up to the total.
    """
    g = result["gwp100"]
    gases = [str(x) for x in result["gas"].values]
    bio_values = g.sel(gas=[x for x in gases if x in BIOGENIC_GASES]).values
    bio = [x for x in gases if x in BIOGENIC_GASES]
    pre = [x for x in gases if x == "co2e"]
    fossil = [x for x in gases if x not in bio and x not in pre]
    report_as = result["report_as"].values.astype(str)
    return {
        "total": float(g.sum()),
        "fossil": float(g.sel(gas=fossil).sum()),
        "biogenic": float(g.sel(gas=bio).sum()),
        "biogenic_emissions": float(bio_values[bio_values > 0].sum()),
        "biogenic_removals": float(bio_values[bio_values < 0].sum()),
        "pre_characterised": float(g.sel(gas=pre).sum()),
        "dluc": float(g.isel(process=np.flatnonzero(report_as == "dluc")).sum()),
        "aircraft": float(g.isel(process=np.flatnonzero(report_as == "aircraft")).sum()),
    }


def compare_methods(model, factors=None, profiles="all"):
    """The same inventory under several method profiles: one table.

    Parameters
    ----------
    model : str, Path or ProductSystem
        The product system.
    factors : str, Path or FactorDB, optional
        Factor database (the shipped one by default).
    profiles : "all" or sequence of str / MethodProfile
        Profiles to compare.

    Returns
    -------
    pandas.DataFrame
        One row per profile: GWP set, allocation, recycling, electricity, the total and
        its split by life-cycle stage and reporting category [kg CO2e per functional unit],
        and the share excluded by cut-off.
    """
    import pandas as pd

    if isinstance(factors, xr.Dataset):
        factors = FactorDB(factors)
    elif not isinstance(factors, FactorDB):
        factors = load_factors(factors)
    if isinstance(model, CompiledModel):
        model = model.model
    elif not isinstance(model, ProductSystem):
        model = load_model(model)
    names = list(PROFILES) if profiles == "all" else list(profiles)
    rows = []
    for name in names:
        det = footprint(model, factors, profile=name)
        profile = get_profile(name)
        stages = det["gwp100"].groupby("stage").sum().sum("gas").to_series()
        row = {
            "profile": profile.name,
            "gwp_set": profile.gwp_set,
            "allocation": profile.allocation,
            "recycling": profile.recycling,
            "electricity": profile.electricity,
        }
        row.update({f"stage:{s}": float(stages.get(s, 0.0)) for s in STAGES})
        row.update({f"category:{k}": v for k, v in report_categories(det).items() if k != "total"})
        row["total"] = float(det["gwp100"].sum())
        row["cutoff_excluded_share"] = det.attrs["cutoff_excluded_share"]
        rows.append(row)
    return pd.DataFrame(rows).set_index("profile")
