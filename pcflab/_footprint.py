"""Footprints: deterministic and Monte Carlo, as labelled ``xarray`` results."""

import json
import math
import platform
from pathlib import Path

import numba
import numpy as np
import xarray as xr

from pcflab import kernel
from pcflab.methods import GASES, STAGES, gwp100_vector, summarize

from ._compile import CompiledModel, compile_model
from ._errors import PcfError, SystemSolveError
from ._factors import FactorDB, load_factors
from ._model import ProductSystem, load_model
from ._version import __version__

__all__ = ["footprint", "prepare", "simulate", "summary"]


def prepare(model, factors=None):
    """Load and compile a model unless it already is compiled.

    Parameters
    ----------
    model : str, Path, ProductSystem or CompiledModel
        A model file, a shipped model name, or a loaded or compiled model.
    factors : str, Path or FactorDB, optional
        Factor database (the shipped one by default).

    Returns
    -------
    CompiledModel
    """
    if isinstance(model, CompiledModel):
        return model
    if isinstance(factors, xr.Dataset):
        factors = FactorDB(factors)
    elif not isinstance(factors, FactorDB):
        factors = load_factors(factors)
    if not isinstance(model, ProductSystem):
        model = load_model(model)
    return compile_model(model, factors)


def _provenance(cm, gwp_set):
    m = cm.model
    return {
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


def footprint(model, factors=None, gwp_set="AR6"):
    """Deterministic carbon footprint of one functional unit.

    Parameters
    ----------
    model : str, Path, ProductSystem or CompiledModel
        The product system.
    factors : str, Path or FactorDB, optional
        Factor database (the shipped one by default).
    gwp_set : {"AR4", "AR5", "AR6"}
        GWP100 values used to characterise the gases.

    Returns
    -------
    xarray.Dataset
        ``mass`` (process, gas) [kg of gas per functional unit] and ``gwp100``
        (process, gas) [kg CO2e per functional unit], with coordinate ``stage`` on
        ``process``; provenance in ``attrs``. ``result.gwp100.sum()`` is the footprint.
    """
    cm = prepare(model, factors)
    mass, status = kernel.evaluate_by_process(cm.system, cm.nominal)
    if status != kernel.STATUS_OK:
        _raise_status(cm, status, "at the parameters' values")
    gwp = gwp100_vector(gwp_set)
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
        },
        attrs={**_provenance(cm, gwp_set), "method": "deterministic"},
    )
    return ds


def simulate(model, n_samples=10_000, seed=42, factors=None, gwp_set="AR6", chunk_size=65_536, progress=False):
    """Monte Carlo simulation of the footprint.

    Every random number is a pure function of (seed, sample index, id of the uncertain
    quantity), so results do not depend on chunk size or thread count.

    Parameters
    ----------
    model : str, Path, ProductSystem or CompiledModel
        The product system.
    n_samples : int
        Number of Monte Carlo samples.
    seed : int
        Seed (0 <= seed < 2**64).
    factors : str, Path or FactorDB, optional
        Factor database (the shipped one by default).
    gwp_set : {"AR4", "AR5", "AR6"}
        GWP100 values used to characterise the gases.
    chunk_size : int
        Samples evaluated per chunk (bounds memory; does not change results).
    progress : bool
        Show a progress bar (tqdm).

    Returns
    -------
    xarray.Dataset
        ``gwp100`` (sample, stage, gas) [kg CO2e per functional unit] and ``total``
        (sample) [kg CO2e per functional unit]; provenance (seed, sample count,
        sampler, hashes, versions) in ``attrs``.
    """
    n_samples = int(n_samples)
    if n_samples < 1:
        raise ValueError(f"n_samples must be at least 1, got {n_samples}")
    if not 0 <= int(seed) < 2**64:
        raise ValueError(f"seed must be an integer in [0, 2**64), got {seed}")
    if int(chunk_size) < 1:
        raise ValueError("chunk_size must be at least 1")
    cm = prepare(model, factors)
    gwp = gwp100_vector(gwp_set)
    cube = np.empty((n_samples, len(STAGES), len(GASES)))
    starts = range(0, n_samples, int(chunk_size))
    if progress:
        from tqdm.auto import tqdm

        starts = tqdm(starts, total=math.ceil(n_samples / chunk_size), desc="Monte Carlo", unit="chunk")
    for start in starts:
        n = min(int(chunk_size), n_samples - start)
        theta = kernel.sample_parameters(seed, start, n, cm.kinds, cm.p1, cm.p2, cm.p3, cm.keys)
        out, status = kernel.evaluate_by_stage(cm.system, theta)
        bad = np.flatnonzero(status != kernel.STATUS_OK)
        if bad.size:
            _raise_status(cm, int(status[bad[0]]), f"in {bad.size} of {n} samples (first: sample {start + bad[0]})")
        cube[start : start + n] = out * gwp
    ds = xr.Dataset(
        {
            "gwp100": (
                ("sample", "stage", "gas"),
                cube,
                {"units": "kg CO2e", "long_name": "GWP100-weighted emissions per functional unit"},
            )
        },
        coords={"sample": np.arange(n_samples), "stage": list(STAGES), "gas": list(GASES)},
        attrs={
            **_provenance(cm, gwp_set),
            "method": "monte carlo",
            "seed": int(seed),
            "n_samples": n_samples,
            "sampler": "random (Philox4x64-10 counter-based)",
            "n_uncertain": int(np.count_nonzero(cm.kinds != kernel.FIXED)),
        },
    )
    ds["total"] = ds["gwp100"].sum(("stage", "gas"))
    ds["total"].attrs.update(units="kg CO2e", long_name="carbon footprint per functional unit")
    return ds


def summary(result, interval=0.95):
    """Statistics of a Monte Carlo result's total footprint.

    Parameters
    ----------
    result : xarray.Dataset
        Output of ``simulate``.
    interval : float
        Central interval probability.

    Returns
    -------
    dict
        ``mean``, ``sd``, ``median``, ``lower``, ``upper`` [kg CO2e per functional
        unit], ``n`` and ``interval``.
    """
    return summarize(result["total"].values, interval)
