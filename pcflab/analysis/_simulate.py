"""Monte Carlo: sampling, evaluation in bounded chunks, streaming statistics, Dask.

Every random number is a pure function of (seed, sample index, id of the uncertain
quantity), and statistics are combined over fixed blocks of samples in sample order, so
the same inputs and seed give bit-identical results whatever the chunk size, the thread
count, or whether the chunks run here or on a Dask cluster.
"""

import math
from dataclasses import dataclass

import numpy as np
import xarray as xr

from pcflab import kernel
from pcflab.core import PcfError
from pcflab.methods import GASES, STAGES, summarize

from ._prepare import _raise_status, _weights, prepare
from ._provenance import _provenance
from ._vocabulary import old_calls

__all__ = ["STAT_BLOCK", "THETA_BUDGET", "evaluate", "simulate", "simulate_until", "standard_errors", "summary"]

#: Samples per statistics block: the streamed means and SDs are combined block by block, in
#: sample order, over these fixed sample ranges, so they never depend on the chunk size.
STAT_BLOCK = 4096
#: Largest parameter matrix (samples x uncertain quantities x 8 B) drawn at a time [bytes].
THETA_BUDGET = 64 * 2**20
_SAMPLER_NAMES = {
    "random": "random (Philox4x64-10 counter-based)",
    "lhs": "Latin hypercube (keyed Feistel permutation of the strata)",
    "sobol": "scrambled Sobol (scipy.stats.qmc)",
}


def _check_int(name, value, low, high=None):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value < low or (high is not None and value >= high):
        raise ValueError(f"{name} must be >= {low}" + (f" and < {high}" if high is not None else "") + f", got {value}")
    return int(value)


@dataclass(frozen=True)
class _ChunkJob:
    """Everything a worker needs to draw and evaluate a chunk of samples (picklable).

    A frozen dataclass rather than a NamedTuple: ``dask.distributed.Client.scatter`` sends
    a dataclass as one value, where it would split a tuple into one future per field.

    Attributes
    ----------
    system : pcflab.kernel.KernelSystem
        The compiled product system (after the cut-off).
    parameters : pcflab.kernel.KernelParameters
        Distributions, keys and rank correlation of every uncertain quantity.
    weights : numpy.ndarray, shape (n_gas,)
        GWP100 of each gas counted by the profile, 0 for the others [kg CO2e/kg].
    seed : int
        Seed of the run.
    n_total : int
        Samples in the whole run (the Latin hypercube's strata).
    sampler : str
        ``random``, ``lhs`` or ``sobol``.
    record : numpy.ndarray of int64
        Columns of ``theta`` returned with the results.
    """

    system: kernel.KernelSystem
    parameters: kernel.KernelParameters
    weights: np.ndarray
    seed: int
    n_total: int
    sampler: str
    record: np.ndarray


def _payload(cm, gwp_set, seed, n_total, sampler, record=()):
    """Everything a worker needs to evaluate a chunk, as a ``_ChunkJob``."""
    return _ChunkJob(
        system=cm.system,
        parameters=cm.kernel_parameters,
        weights=_weights(cm, gwp_set),
        seed=seed,
        n_total=n_total,
        sampler=sampler,
        record=np.asarray(record, dtype=np.int64),
    )


def _run_chunk(payload, start, n):
    """Draw and evaluate samples ``start .. start + n - 1``: (cube, status, recorded theta)."""
    theta = kernel.sample_parameters(
        payload.parameters, payload.seed, start, n, sampler=payload.sampler, n_total=payload.n_total
    )
    out, status = kernel.evaluate_by_stage(payload.system, theta, payload.weights)
    return out, status, theta[:, payload.record]


class _Moments:
    """Mean and M2 per stage x gas, combined block by block in sample order (Chan et al.)."""

    def __init__(self, shape):
        self.n = 0
        self.mean = np.zeros(shape)
        self.m2 = np.zeros(shape)

    def add(self, block):
        nb = block.shape[0]
        mb = block.mean(axis=0)
        m2b = ((block - mb) ** 2).sum(axis=0)
        n = self.n + nb
        delta = mb - self.mean
        self.mean = self.mean + delta * (nb / n)
        self.m2 = self.m2 + m2b + delta**2 * (self.n * nb / n)
        self.n = n

    def sd(self):
        return np.sqrt(self.m2 / (self.n - 1)) if self.n > 1 else np.zeros_like(self.m2)


@old_calls(positions=("gwp_set", "chunk_size", "progress", "profile", "sampler", "keep", "client"), samples="n_samples")
def simulate(
    model,
    n_samples=10_000,
    seed=42,
    factors=None,
    *,
    profile=None,
    gwp_set=None,
    sampler="random",
    keep="cube",
    record=(),
    chunk_size=65_536,
    progress=False,
    client=None,
):
    """Monte Carlo simulation of the footprint.

    Parameters
    ----------
    model : str, Path, ProductSystem or CompiledModel
        The product system.
    n_samples : int
        Number of Monte Carlo samples (>= 1); pcflab 0.1's ``samples`` still works, with
        a ``DeprecationWarning``.
    seed : int
        Seed (0 <= seed < 2**64).
    factors : str, Path or FactorDB, optional
        Factor database (the shipped one by default).
    profile : str or MethodProfile, optional
        Method profile (``iso14067`` by default).
    gwp_set : {"AR4", "AR5", "AR6"}, optional
        GWP100 values (the profile's by default).
    sampler : {"random", "lhs", "sobol"}
        Counter-based random numbers, Latin hypercube, or scrambled Sobol points.
    keep : {"cube", "totals"}
        ``cube`` keeps every sample's stage x gas values; ``totals`` keeps only each
        sample's total (8 bytes per sample) and streams the mean and SD of every stage and
        gas, so memory stays bounded for millions of samples.
    record : sequence of str or "all"
        Model parameters whose sampled values are returned too (``parameter_<name>``, in
        SI base units), e.g. a recycled share that moves a grading threshold; ``"all"``
        records every uncertain quantity (``theta``, sample x quantity), as
        ``sensitivity``, ``variance_shares`` and ``grade`` need to reuse the result.
    chunk_size : int
        Samples evaluated at a time (bounds memory); lowered for large models so that a
        chunk's parameter matrix stays within ``THETA_BUDGET`` (64 MiB: 1,250 samples of a
        model with 6,700 uncertain quantities). Does not change the results.
    progress : bool
        Show a progress bar (tqdm).
    client : dask.distributed.Client, optional
        Spread the chunks over a Dask cluster; the results are bit-identical to a local run.

    Returns
    -------
    xarray.Dataset
        ``total`` (sample) [kg CO2e per functional unit]; ``gwp100`` (sample, stage, gas)
        with ``keep="cube"``; ``gwp100_mean`` and ``gwp100_sd`` (stage, gas) always;
        provenance (model, factor release and profile hashes, seed, sample count, sampler,
        versions) in ``attrs``.
    """
    n_samples, seed, chunk_size = _check_simulate_arguments(n_samples, seed, chunk_size, sampler, keep)
    cm = prepare(model, factors, profile=profile)
    gwp_set = gwp_set or cm.profile.gwp_set
    chunk = max(1, min(chunk_size, THETA_BUDGET // (8 * max(len(cm.kinds), 1))))
    columns = _record_columns(cm, record)
    payload = _payload(cm, gwp_set, seed, n_samples, sampler, columns)
    starts = list(range(0, n_samples, chunk))
    collected = _Collected(cm, n_samples, len(columns), keep)
    progress_bar = None
    if progress:
        from tqdm.auto import tqdm

        progress_bar = tqdm(total=n_samples, desc="Monte Carlo", unit="sample", unit_scale=True)
    for start, (out, status, rec) in _chunk_results(payload, starts, chunk, n_samples, client):
        collected.add(start, out, status, rec)
        if progress_bar is not None:
            progress_bar.update(out.shape[0])
    if progress_bar is not None:
        progress_bar.close()
    collected.finish()
    attrs = {
        **_provenance(cm, gwp_set),
        "method": "monte carlo",
        "seed": seed,
        "n_samples": n_samples,
        "sampler": _SAMPLER_NAMES[sampler],
        "keep": keep,
        "chunk_size": chunk,
        "chunk_theta_budget_bytes": THETA_BUDGET,
        "n_uncertain": int(np.count_nonzero(cm.kinds != kernel.FIXED)),
        "rank_correlations": len(cm.model.correlations),
    }
    return _simulate_dataset(cm, collected, record, columns, attrs)


def _check_simulate_arguments(n_samples, seed, chunk_size, sampler, keep):
    """Check ``simulate``'s arguments that need no model: (n_samples, seed, chunk_size) as ints."""
    n_samples = _check_int("n_samples", n_samples, 1)
    seed = _check_int("seed", seed, 0, 2**64)
    chunk_size = _check_int("chunk_size", chunk_size, 1)
    if sampler not in _SAMPLER_NAMES:
        raise ValueError(f"unknown sampler {sampler!r}: use one of {', '.join(_SAMPLER_NAMES)}")
    if keep not in ("cube", "totals"):
        raise ValueError(f"keep must be 'cube' or 'totals', got {keep!r}")
    return n_samples, seed, chunk_size


def _chunk_results(payload, starts, chunk, n_samples, client):
    """``(start, (cube, status, recorded))`` of every chunk, in sample order, here or on Dask."""
    if client is None:
        for start in starts:
            yield start, _run_chunk(payload, start, min(chunk, n_samples - start))
    else:
        remote = client.scatter(payload, broadcast=True)
        futures = [
            client.submit(_run_chunk, remote, start, min(chunk, n_samples - start), pure=False) for start in starts
        ]
        for start, future in zip(starts, futures, strict=True):
            yield start, future.result()


class _Collected:
    """The chunks' results put in place, and the stage x gas moments over fixed sample blocks."""

    def __init__(self, cm, n_samples, n_recorded, keep):
        shape = (len(STAGES), len(GASES))
        self.cm = cm
        self.totals = np.empty(n_samples)
        self.recorded = np.empty((n_samples, n_recorded))
        self.cube = np.empty((n_samples, *shape)) if keep == "cube" else None
        self.moments = _Moments(shape)
        self.pending, self.n_pending = [], 0  # stage x gas results not yet in a full STAT_BLOCK

    def add(self, start, out, status, rec):
        """Take the chunk of samples ``start .. start + len(out) - 1``; raise on a failed sample."""
        n = out.shape[0]
        bad = np.flatnonzero(status != kernel.STATUS_OK)
        if bad.size:
            _raise_status(
                self.cm, int(status[bad[0]]), f"in {bad.size} of {n} samples (first: sample {start + bad[0]})"
            )
        self.pending.append(out)
        self.n_pending += n
        if self.n_pending >= STAT_BLOCK:
            buffer = np.concatenate(self.pending) if len(self.pending) > 1 else out
            full = self.n_pending - self.n_pending % STAT_BLOCK
            for b in range(0, full, STAT_BLOCK):
                self.moments.add(buffer[b : b + STAT_BLOCK])
            self.pending, self.n_pending = [buffer[full:]], self.n_pending - full
        self.totals[start : start + n] = out.sum(axis=(1, 2))
        self.recorded[start : start + n] = rec
        if self.cube is not None:
            self.cube[start : start + n] = out

    def finish(self):
        """Add the last, partial block to the moments."""
        if self.n_pending:
            self.moments.add(np.concatenate(self.pending))
        self.pending, self.n_pending = [], 0


def _simulate_dataset(cm, collected, record, columns, attrs):
    """Assemble ``simulate``'s result: totals, moments, the cube if kept, recorded quantities."""
    data = {
        "total": (
            ("sample",),
            collected.totals,
            {"units": "kg CO2e", "long_name": "carbon footprint per functional unit"},
        ),
        "gwp100_mean": (
            ("stage", "gas"),
            collected.moments.mean,
            {"units": "kg CO2e", "long_name": "mean over samples"},
        ),
        "gwp100_sd": (("stage", "gas"), collected.moments.sd(), {"units": "kg CO2e", "long_name": "SD over samples"}),
    }
    if collected.cube is not None:
        data["gwp100"] = (
            ("sample", "stage", "gas"),
            collected.cube,
            {"units": "kg CO2e", "long_name": "GWP100-weighted emissions per functional unit"},
        )
    coords = {"sample": np.arange(len(collected.totals)), "stage": list(STAGES), "gas": list(GASES)}
    if record == "all":
        data["theta"] = (("sample", "quantity"), collected.recorded, {"long_name": "sampled uncertain quantities"})
        coords["quantity"] = cm.parameter_ids
        coords["quantity_units"] = ("quantity", cm.parameter_units)
    else:
        for k, (name, i) in enumerate(zip(record, columns, strict=True)):
            data[f"parameter_{name}"] = (
                ("sample",),
                collected.recorded[:, k],
                {"units": cm.parameter_units[i], "long_name": f"sampled {name}"},
            )
    return xr.Dataset(data, coords=coords, attrs=attrs)


def _record_columns(cm, record):
    if record == "all":
        return list(range(len(cm.parameter_ids)))
    if isinstance(record, str):
        raise ValueError("record takes a list of parameter names, or 'all'")
    columns = []
    for name in record:
        ident = f"param:{cm.model.id}/{name}"
        if ident not in cm.parameter_ids:
            raise PcfError(
                f"the model has no parameter {name!r} to record", hint=f"use one of {', '.join(cm.model.parameters)}"
            )
        columns.append(cm.parameter_ids.index(ident))
    return columns


@old_calls(positions=("gwp_set", "profile"))
def evaluate(model, theta, factors=None, *, profile=None, gwp_set=None):
    """Evaluate the model on parameter vectors supplied from outside (e.g. SALib's samples).

    Parameters
    ----------
    model : str, Path, ProductSystem or CompiledModel
        The product system.
    theta : array_like, shape (n_samples, n_parameters)
        Values of every uncertain quantity, in the order of ``cm.parameter_ids`` and the
        units of ``cm.parameter_units`` (model parameters in SI base units, factors in kg of
        gas per unit of activity). Derived parameters are recomputed.
    factors : str, Path or FactorDB, optional
        Factor database (the shipped one by default).
    profile : str or MethodProfile, optional
        Method profile (``iso14067`` by default, or the compiled model's own).
    gwp_set : {"AR4", "AR5", "AR6"}, optional
        GWP100 values (the profile's by default). pcflab 0.1 took ``gwp_set`` before
        ``profile`` by position; such calls work for one release, with a
        ``DeprecationWarning``.

    Returns
    -------
    xarray.Dataset
        ``gwp100`` (sample, stage, gas) and ``total`` (sample) [kg CO2e per functional unit].

    Raises
    ------
    PcfError
        If ``theta`` has the wrong shape or holds NaN or infinite values.
    """
    cm = prepare(model, factors, profile)
    theta = np.asarray(theta, dtype=float)
    k = len(cm.parameter_ids)
    if theta.ndim != 2 or theta.shape[1] != k:
        raise PcfError(
            f"theta has shape {theta.shape}, but the model needs (n_samples, {k})",
            hint="one column per entry of compiled.parameter_ids, in that order",
        )
    if not np.all(np.isfinite(theta)):
        raise PcfError("theta holds NaN or infinite values", hint="check the sample matrix")
    gwp_set = gwp_set or cm.profile.gwp_set
    out, status = kernel.evaluate_by_stage(cm.system, theta, _weights(cm, gwp_set))
    bad = np.flatnonzero(status != kernel.STATUS_OK)
    if bad.size:
        _raise_status(cm, int(status[bad[0]]), f"in {bad.size} of {len(theta)} rows (first: row {bad[0]})")
    ds = xr.Dataset(
        {"gwp100": (("sample", "stage", "gas"), out, {"units": "kg CO2e"})},
        coords={"sample": np.arange(len(theta)), "stage": list(STAGES), "gas": list(GASES)},
        attrs={**_provenance(cm, gwp_set), "method": "evaluate"},
    )
    ds["total"] = ds["gwp100"].sum(("stage", "gas"))
    ds["total"].attrs.update(units="kg CO2e")
    return ds


def summary(result, interval=0.95):
    """Statistics of a Monte Carlo result's total footprint.

    Returns
    -------
    dict
        ``mean``, ``sd``, ``median``, ``lower``, ``upper`` [kg CO2e per functional unit],
        ``n`` and ``interval``.
    """
    return summarize(result["total"].values, interval)


def standard_errors(result, quantiles=(0.025, 0.5, 0.975), confidence=0.95):
    """Monte Carlo standard errors of the mean and of quantiles of the total.

    The SE of the mean is SD / sqrt(n). For a quantile q, the distribution-free confidence
    interval between the order statistics of ranks ``n q -/+ z sqrt(n q (1 - q))`` gives
    SE = half its width / z.

    Returns
    -------
    dict
        ``mean`` and ``se_mean``, and per quantile ``q`` and ``se`` [kg CO2e per
        functional unit].

    References
    ----------
    Conover, W. J. (1999). Practical Nonparametric Statistics, 3rd ed., section 3.2.
    """
    from scipy.stats import norm

    x = np.sort(np.asarray(result["total"].values, dtype=float))
    n = x.size
    if n < 2:
        raise ValueError("standard errors need at least two samples")
    z = float(norm.ppf(0.5 + confidence / 2))
    out = {"n": n, "mean": float(x.mean()), "se_mean": float(x.std(ddof=1) / math.sqrt(n)), "quantiles": {}}
    for q in quantiles:
        half = z * math.sqrt(n * q * (1 - q))
        lo = int(max(0, math.floor(n * q - half)))
        hi = int(min(n - 1, math.ceil(n * q + half)))
        out["quantiles"][q] = {"value": float(np.quantile(x, q)), "se": float((x[hi] - x[lo]) / (2 * z))}
    return out


@old_calls(positions=("seed", "start", "max_samples"))
def simulate_until(
    model,
    rel_precision=0.01,
    quantity="mean",
    *,
    factors=None,
    profile=None,
    gwp_set=None,
    seed=42,
    start=1_000,
    max_samples=1_000_000,
    **options,
):
    """Run until the Monte Carlo standard error reaches a relative precision.

    The sample count doubles from ``start`` until SE / |estimate| <= ``rel_precision``;
    samples are counter-based, so every run extends the previous one with the same draws.

    Parameters
    ----------
    model : str, Path, ProductSystem or CompiledModel
        The product system.
    rel_precision : float
        Target relative standard error.
    quantity : "mean" or a quantile (float in (0, 1))
        The estimate whose standard error is checked.
    factors : str, Path or FactorDB, optional
        Factor database (the shipped one by default).
    profile : str or MethodProfile, optional
        Method profile (``iso14067`` by default).
    gwp_set : {"AR4", "AR5", "AR6"}, optional
        GWP100 values (the profile's by default).
    seed : int
        Seed (``simulate``).
    start : int
        Samples of the first run (>= 2).
    max_samples : int
        Stop there even if the target is not met (``attrs["converged"]`` says so).
    **options
        Further arguments of ``simulate`` (``sampler``, ``record``, ``chunk_size``,
        ``progress``, ``client``); ``keep`` is ``"totals"``.

    Returns
    -------
    xarray.Dataset
        The last ``simulate`` result, with ``converged``, ``relative_se`` and
        ``target_relative_se`` in ``attrs``.
    """
    if not rel_precision > 0:
        raise ValueError("rel_precision must be positive")
    n_samples = _check_int("start", start, 2)
    cm = prepare(model, factors, profile=profile)
    while True:
        result = simulate(cm, n_samples, seed, gwp_set=gwp_set, keep="totals", **options)
        se = standard_errors(result, quantiles=() if quantity == "mean" else (quantity,))
        if quantity == "mean":
            est, err = se["mean"], se["se_mean"]
        else:
            est, err = se["quantiles"][quantity]["value"], se["quantiles"][quantity]["se"]
        rel = abs(err / est) if est else math.inf
        if rel <= rel_precision or n_samples >= max_samples:
            result.attrs.update(
                converged=int(rel <= rel_precision),
                relative_se=rel,
                target_relative_se=rel_precision,
                convergence_quantity=str(quantity),
            )
            return result
        n_samples = min(2 * n_samples, int(max_samples))
