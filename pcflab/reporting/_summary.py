"""The machine-readable results of a report: ``summary.json`` and ``results.nc``.

``report_summary`` gathers the numbers a report shows into one JSON-ready dict whose
layout is the pydantic model ``ReportSummary`` (``ReportSummary.model_json_schema()`` is
its JSON Schema); ``write_report_outputs`` writes it as ``summary.json`` next to the
Monte Carlo cube with the deterministic footprint, ``results.nc``. Both files are written
atomically: to a temporary file in the destination folder, then moved into place with
``os.replace``, so a failed write leaves the previous file as it was.
"""

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from pcflab.analysis import summary as _mc_summary
from pcflab.core import atomic_write, atomic_write_text

from ._tables import stage_totals

__all__ = [
    "PROVENANCE_KEYS",
    "ReportSummary",
    "report_provenance",
    "report_summary",
    "write_report_outputs",
]

#: the attrs of a Monte Carlo result a report names as its provenance, in this order
PROVENANCE_KEYS = (
    "model_id",
    "model_sha256",
    "factor_release",
    "factors_sha256",
    "gwp_set",
    "seed",
    "n_samples",
    "sampler",
    "pcflab_version",
    "numpy_version",
    "numba_version",
    "python_version",
)


class MonteCarloSummary(BaseModel):
    """Statistics of the Monte Carlo footprint (``pcflab.summary``)."""

    model_config = ConfigDict(extra="allow")

    n: int = Field(description="number of samples")
    mean: float = Field(description="mean [kg CO2e per functional unit]")
    sd: float = Field(description="standard deviation [kg CO2e per functional unit]")
    median: float = Field(description="median [kg CO2e per functional unit]")
    lower: float = Field(description="lower bound of the central interval [kg CO2e per functional unit]")
    upper: float = Field(description="upper bound of the central interval [kg CO2e per functional unit]")
    interval: float = Field(description="level of the central interval [1], e.g. 0.95")


class SobolIndices(BaseModel):
    """Sobol indices of one input, with the half-widths of their bootstrap intervals [1]."""

    model_config = ConfigDict(extra="forbid")

    S1: float = Field(description="first-order index [1]")
    S1_conf: float = Field(description="half-width of the S1 confidence interval [1]")
    ST: float = Field(description="total index [1]")
    ST_conf: float = Field(description="half-width of the ST confidence interval [1]")


class ReportSummary(BaseModel):
    """The layout of a report's ``summary.json``.

    Every footprint is in kg CO2e per functional unit (``units``); mappings keep the
    order of the analysis they come from (largest first where it ranks).

    Attributes
    ----------
    model_id : str
        Id of the model (``steel/bf-bof-hot-rolled-coil``).
    functional_unit : str
        The functional unit, as the model states it.
    units : str
        ``"kg CO2e per functional unit"``.
    deterministic_total : float
        Deterministic footprint [kg CO2e per functional unit].
    deterministic_by_stage : dict of str to float
        Deterministic footprint of each life-cycle stage of ``pcflab.methods.STAGES``
        [kg CO2e per functional unit].
    monte_carlo : MonteCarloSummary
        ``pcflab.summary`` of the Monte Carlo run: ``n``, ``mean``, ``sd``, ``median``,
        ``lower``, ``upper`` [kg CO2e per functional unit] and ``interval`` [1].
    method_profiles : dict of str to float
        Footprint under each method profile (``pcflab.compare_methods``) [kg CO2e per
        functional unit].
    contributions_by_factor : dict of str to float
        Contribution of each emission factor (``pcflab.contributions(by="factor")``) [kg
        CO2e per functional unit].
    tornado_swing : dict of str to float
        Swing of the footprint when each quantity goes from its 5th to its 95th
        percentile (``pcflab.tornado``) [kg CO2e per functional unit].
    variance_shares : dict of str to float
        Share of the variance of each quantity (``pcflab.variance_shares``) [1].
    sobol : dict of str to SobolIndices or None
        Sobol indices of each input (``pcflab.sensitivity(..., "sobol")``), or null when
        the report left the section out.
    data_quality : dict
        ``DataQuality.summary()`` (``dqr``, ``dqr_level``, ``dqr_coverage``,
        ``primary_share``, ``traceable_share``, ``cutoff_excluded_share``,
        ``data_quality_notes``), with ``data_quality_notes`` a list of sentences.
    grades : list of dict
        ``GradeResult.as_dict()`` of each class scheme, in the report's order.
    provenance : dict
        The Monte Carlo result's attrs named by ``PROVENANCE_KEYS``: model and factor
        hashes, GWP set, seed, number of samples, sampler and versions.
    """

    model_config = ConfigDict(extra="forbid")

    model_id: str
    functional_unit: str
    units: str
    deterministic_total: float
    deterministic_by_stage: dict[str, float]
    monte_carlo: MonteCarloSummary
    method_profiles: dict[str, float]
    contributions_by_factor: dict[str, float]
    tornado_swing: dict[str, float]
    variance_shares: dict[str, float]
    sobol: dict[str, SobolIndices] | None
    data_quality: dict[str, Any]
    grades: list[dict[str, Any]]
    provenance: dict[str, str | int | float]


def report_provenance(simulation):
    """Pick the provenance a report names: the ``PROVENANCE_KEYS`` attrs of a Monte Carlo result.

    Parameters
    ----------
    simulation : xarray.Dataset
        ``pcflab.simulate``.

    Returns
    -------
    dict
        ``PROVENANCE_KEYS`` in order, each with its attr value.
    """
    return {k: simulation.attrs[k] for k in PROVENANCE_KEYS}


def report_summary(
    deterministic,
    simulation,
    *,
    method_profiles,
    contributions_by_factor,
    tornado_swing,
    variance_shares,
    data_quality,
    sobol=None,
    grades=(),
):
    """Lay the numbers of a report out as its ``summary.json`` (``ReportSummary``).

    Parameters
    ----------
    deterministic : xarray.Dataset
        ``pcflab.footprint`` of the model.
    simulation : xarray.Dataset
        ``pcflab.simulate`` of the model.
    method_profiles : pandas.DataFrame
        ``pcflab.compare_methods``.
    contributions_by_factor : pandas.DataFrame
        ``pcflab.contributions(..., by="factor")``.
    tornado_swing : pandas.DataFrame
        ``pcflab.tornado``.
    variance_shares : pandas.DataFrame
        ``pcflab.variance_shares``.
    data_quality : DataQuality
        ``pcflab.data_quality``.
    sobol : xarray.Dataset, optional
        ``pcflab.sensitivity(..., "sobol")``; None when the report leaves it out.
    grades : sequence of GradeResult
        ``pcflab.grade`` under each scheme.

    Returns
    -------
    dict
        JSON-ready, with the keys of ``ReportSummary`` in its order (validated against
        it); footprints in kg CO2e per functional unit.
    """
    result = {
        "model_id": deterministic.attrs["model_id"],
        "functional_unit": deterministic.attrs["functional_unit"],
        "units": "kg CO2e per functional unit",
        "deterministic_total": float(deterministic["gwp100"].sum()),
        "deterministic_by_stage": {s: float(v) for s, v in stage_totals(deterministic).items()},
        "monte_carlo": _mc_summary(simulation),
        "method_profiles": {name: float(v) for name, v in method_profiles["total"].items()},
        "contributions_by_factor": {k: float(v) for k, v in contributions_by_factor["gwp100"].items()},
        "tornado_swing": {k: float(v) for k, v in tornado_swing["swing"].items()},
        "variance_shares": {k: float(v) for k, v in variance_shares["share"].items()},
        "sobol": None
        if sobol is None
        else {
            str(name): {v: float(sobol[v].sel(input=name)) for v in ("S1", "S1_conf", "ST", "ST_conf")}
            for name in sobol["input"].values
        },
        "data_quality": data_quality.summary() | {"data_quality_notes": data_quality.notes},
        "grades": [g.as_dict() for g in grades],
        "provenance": report_provenance(simulation),
    }
    ReportSummary.model_validate(result)
    return result


def _homogeneous(values):
    """Whether netCDF can store a list attr: all numbers (no bools) or all strings."""
    numbers = all(isinstance(x, int | float) and not isinstance(x, bool) for x in values)
    return numbers or all(isinstance(x, str) for x in values)


def _netcdf_attrs(attrs):
    """Attrs netCDF can store: None left out, bools as 0/1, dicts and mixed lists as JSON text."""
    safe = {}
    for key, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, bool):
            value = int(value)
        elif isinstance(value, dict) or (isinstance(value, list | tuple) and not _homogeneous(value)):
            value = json.dumps(value, ensure_ascii=False, default=str)
        safe[key] = value
    return safe


def write_report_outputs(out_dir, summary, simulation, deterministic):
    """Write a report's ``results.nc`` and ``summary.json``, each atomically.

    Parameters
    ----------
    out_dir : str or Path
        The report's folder (it must exist).
    summary : dict
        ``report_summary``.
    simulation : xarray.Dataset
        ``pcflab.simulate`` (with ``record="all"`` the file holds the whole cube).
    deterministic : xarray.Dataset
        ``pcflab.footprint``; its ``gwp100`` [kg CO2e per functional unit] by process and
        gas is stored as the variable ``deterministic``.

    Returns
    -------
    tuple of Path
        ``summary.json`` and ``results.nc``.

    Notes
    -----
    ``results.nc`` is the Monte Carlo result with its attrs and the deterministic
    footprint, compressed (zlib); attrs netCDF cannot hold are made safe (None left out,
    bools as 0/1, dicts and lists of mixed types as JSON text). Each file is written to
    a temporary file in ``out_dir`` and moved into place with ``os.replace``: a failed
    write leaves the previous file intact and no temporary file behind.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)  # a notebook run by hand writes to a folder made on demand
    results = simulation.copy()
    results["deterministic"] = deterministic["gwp100"]
    results["deterministic"].attrs.update(units="kg CO2e", long_name="deterministic GWP100 by process and gas")
    results.attrs = _netcdf_attrs(results.attrs)
    for variable in results.variables.values():
        variable.attrs = _netcdf_attrs(variable.attrs)
    encoding = {v: {"zlib": True} for v in results.data_vars}
    text = json.dumps(summary, indent=2)
    summary_path, results_path = out / "summary.json", out / "results.nc"
    atomic_write(results_path, lambda tmp: results.to_netcdf(tmp, encoding=encoding))
    atomic_write_text(summary_path, text)
    return summary_path, results_path
