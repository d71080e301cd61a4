"""Footprints: deterministic and Monte Carlo, as labelled ``xarray`` results."""

import numpy as np
import xarray as xr

from pcflab import kernel
from pcflab.core import PcfError
from pcflab.factors import FactorDB, load_factors
from pcflab.methods import GASES, PROFILES, STAGES, cbam_good, get_profile
from pcflab.models import CompiledModel, ProductSystem, load_model

from ._agreement import method_agreement
from ._prepare import _raise_status, _weights, prepare
from ._provenance import _provenance
from ._vocabulary import old_calls

__all__ = ["compare_methods", "footprint", "report_categories"]


@old_calls(positions=("gwp_set", "profile"))
def footprint(model, factors=None, *, profile=None, gwp_set=None):
    """Deterministic carbon footprint of one functional unit.

    Parameters
    ----------
    model : str, Path, ProductSystem or CompiledModel
        The product system.
    factors : str, Path or FactorDB, optional
        Factor database (the shipped one by default).
    profile : str or MethodProfile, optional
        Method profile (``iso14067`` by default); see ``pcflab.methods.PROFILES``.
    gwp_set : {"AR4", "AR5", "AR6"}, optional
        GWP100 values used to characterise the gases (the profile's by default).

    Returns
    -------
    xarray.Dataset
        ``mass`` (process, gas) [kg of gas per functional unit] and ``gwp100``
        (process, gas) [kg CO2e per functional unit], with coordinate ``stage`` on
        ``process``; provenance in ``attrs``. ``result.gwp100.sum()`` is the footprint.
        Under a CBAM profile, ``attrs`` also hold the good (``cbam_cn_code``,
        ``cbam_sector``, ``cbam_goods_category``), ``cbam_direct_emissions`` and
        ``cbam_indirect_emissions`` [kg CO2e per functional unit], and
        ``cbam_indirect_counted`` (1 if the indirect part is in the total).

    Notes
    -----
    Deterministic: evaluated at the parameters' values, so it takes no Monte Carlo
    ``result``. pcflab 0.1 took ``gwp_set`` before ``profile`` by position; such calls
    still work for one release, with a ``DeprecationWarning``.
    """
    cm = prepare(model, factors, profile=profile)
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
    if cm.profile.cbam_boundary and cm.profile.cbam_emissions == "regime":
        ds.attrs.update(_cbam_attrs(cm, gwp_set))
    return ds


def _cbam_attrs(cm, gwp_set):
    """Return the CBAM good and its direct and indirect embedded emissions, reported apart.

    Indirect emissions (of the electricity consumed) are always computed and shown; they
    are in the total only where ``cbam_indirect_counted`` is 1 (cement, fertilisers:
    Regulation (EU) 2023/956, Article 7(1) and Annex II).
    """
    good = cbam_good(cm.model.cn_code, file=cm.model.path, line=cm.model.line_of("cn_code"))
    out = {
        "cbam_cn_code": good.cn_code,
        "cbam_sector": good.sector,
        "cbam_goods_category": good.category,
        "cbam_indirect_counted": int(good.indirect_counted),
    }
    for part in ("direct", "indirect"):
        profile = cm.profile.model_copy(update={"cbam_emissions": part, "name": f"{cm.profile.name}-{part}"})
        other = footprint(cm.model, cm.factor_table, gwp_set=gwp_set, profile=profile)
        out[f"cbam_{part}_emissions"] = float(other["gwp100"].sum())
    return out


#: Gases counted as biogenic in the ISO 14067 separate reporting.
BIOGENIC_GASES = ("co2_biogenic", "ch4_non_fossil")


def report_categories(result):
    """Split a footprint as ISO 14067 asks it to be documented.

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


@old_calls(positions=("profiles",))
def compare_methods(model, factors=None, *, profiles="all"):
    """Compare the same inventory under several method profiles, in one table.

    Parameters
    ----------
    model : str, Path, ProductSystem or CompiledModel
        The product system.
    factors : str, Path or FactorDB, optional
        Factor database (the shipped one by default).
    profiles : "all" or sequence of str / MethodProfile
        Profiles to compare; each brings its own GWP set (so there is no ``profile`` or
        ``gwp_set`` argument).

    Returns
    -------
    pandas.DataFrame
        One row per profile: GWP set, allocation, recycling, electricity, the total and
        its split by life-cycle stage and reporting category [kg CO2e per functional unit],
        and the share excluded by cut-off. ``attrs["agreement"]``: for each group of
        profiles with the same total, the rules that differ between them and why they
        cannot part them for this model (``method_agreement``). With ``profiles="all"``, a
        profile that does not apply (``cbam`` for a product that is not a CBAM good) is left
        out and ``attrs["not_applicable"]`` says why (profile name: reason); asked for by
        name, it raises.
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
    rows, emitted, not_applicable = [], set(), {}
    for name in names:
        if profiles == "all" and get_profile(name).cbam_boundary:
            try:  # "all" leaves out the CBAM profile for a product that is not a CBAM good, and says why
                cbam_good(model.cn_code, file=model.path, line=model.line_of("cn_code"))
            except PcfError as exc:
                not_applicable[get_profile(name).name] = exc.message
                continue
        det = footprint(model, factors, profile=name)
        by_gas = abs(det["gwp100"]).sum([d for d in det["gwp100"].dims if d != "gas"])
        emitted |= {str(g) for g in det["gas"].values[(by_gas > 0).values]}
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
    table = pd.DataFrame(rows).set_index("profile")
    table.attrs["agreement"] = method_agreement(table, model, emitted)
    table.attrs["not_applicable"] = not_applicable
    return table
