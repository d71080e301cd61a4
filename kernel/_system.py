"""The product-system evaluator: parameters in, gas inventory by stage out.

One sample of a product system is evaluated as follows:

1. every exchange amount is its formula program run on the parameter vector ``theta``,
   times a unit scale fixed at compile time;
2. the technosphere matrix ``A`` (identity minus inputs, per unit of reference product)
   is solved for the scaling vector ``s`` with ``A s = f``;
3. each process's gas amounts per unit output (direct emissions plus factor-linked
   activities times the factor values, which are themselves entries of ``theta``) are
   multiplied by its scaling factor and summed by life-cycle stage.

Section 1 holds the numba kernels, Section 2 the Python wrappers.
"""

from typing import NamedTuple

import numba as nb
import numpy as np

from ._distributions import FIXED, inverse_cdf
from ._formula import run_program
from ._philox import uniform01
from ._solve import SOLVED, lu_solve_inplace

__all__ = [
    "STATUS_NONFINITE",
    "STATUS_NONPRODUCTIVE",
    "STATUS_OK",
    "STATUS_SINGULAR",
    "KernelSystem",
    "evaluate_by_process",
    "evaluate_by_stage",
    "sample_parameters",
]

STATUS_OK = 0
STATUS_SINGULAR = 1
STATUS_NONPRODUCTIVE = 2
STATUS_NONFINITE = 3


class KernelSystem(NamedTuple):
    """Flat arrays describing one compiled product system (all float64 / int64).

    Attributes
    ----------
    ops, consts, prog_start, prog_stop, ex_scale
        Formula programs of the exchanges and their unit scales.
    tech_consumer, tech_supplier, tech_exchange
        Technosphere links: process ``tech_consumer`` takes the output of
        ``tech_supplier`` in the amount of exchange ``tech_exchange``.
    emis_process, emis_gas, emis_exchange
        Direct emissions [kg gas per unit of the process's reference product].
    use_process, use_factor, use_exchange
        Factor-linked activities [factor reference units per unit reference product].
    row_start, row_stop, row_param, row_gas, row_scale
        Per factor, its gas rows: ``theta[row_param] * row_scale`` is kg gas per
        factor reference unit.
    stage_of
        Life-cycle stage index of each process.
    reference_process, demand
        The functional unit: ``demand`` units of the reference product of
        ``reference_process``.
    n_gas, n_stage, stack_size
        Sizes.
    """

    ops: np.ndarray
    consts: np.ndarray
    prog_start: np.ndarray
    prog_stop: np.ndarray
    ex_scale: np.ndarray
    tech_consumer: np.ndarray
    tech_supplier: np.ndarray
    tech_exchange: np.ndarray
    emis_process: np.ndarray
    emis_gas: np.ndarray
    emis_exchange: np.ndarray
    use_process: np.ndarray
    use_factor: np.ndarray
    use_exchange: np.ndarray
    row_start: np.ndarray
    row_stop: np.ndarray
    row_param: np.ndarray
    row_gas: np.ndarray
    row_scale: np.ndarray
    stage_of: np.ndarray
    reference_process: int
    demand: float
    n_gas: int
    n_stage: int
    stack_size: int


# ---------------------------------------------------------------------------------------
# Section 1: numba kernels
# ---------------------------------------------------------------------------------------


@nb.njit(cache=True, error_model="numpy")
def _process_gas(
    theta,
    ops,
    consts,
    prog_start,
    prog_stop,
    ex_scale,
    tech_consumer,
    tech_supplier,
    tech_exchange,
    emis_process,
    emis_gas,
    emis_exchange,
    use_process,
    use_factor,
    use_exchange,
    row_start,
    row_stop,
    row_param,
    row_gas,
    row_scale,
    reference_process,
    demand,
    n_gas,
    stack,
    out,
):
    """Gas amounts per process for one parameter vector; returns a status code."""
    n_proc = out.shape[0]
    n_ex = prog_start.shape[0]
    amount = np.empty(n_ex)
    for e in range(n_ex):
        amount[e] = ex_scale[e] * run_program(ops, consts, prog_start[e], prog_stop[e], theta, stack)
        if not np.isfinite(amount[e]):
            return STATUS_NONFINITE
    a = np.zeros((n_proc, n_proc))
    for i in range(n_proc):
        a[i, i] = 1.0
    for t in range(tech_consumer.shape[0]):
        a[tech_supplier[t], tech_consumer[t]] -= amount[tech_exchange[t]]
    s = np.zeros(n_proc)
    s[reference_process] = demand
    if lu_solve_inplace(a, s) != SOLVED:
        return STATUS_SINGULAR
    for i in range(n_proc):
        if s[i] < 0.0:
            return STATUS_NONPRODUCTIVE
    for i in range(n_proc):
        for g in range(n_gas):
            out[i, g] = 0.0
    for k in range(emis_process.shape[0]):
        out[emis_process[k], emis_gas[k]] += amount[emis_exchange[k]]
    for k in range(use_process.shape[0]):
        f = use_factor[k]
        act = amount[use_exchange[k]]
        for r in range(row_start[f], row_stop[f]):
            out[use_process[k], row_gas[r]] += act * theta[row_param[r]] * row_scale[r]
    for i in range(n_proc):
        for g in range(n_gas):
            out[i, g] *= s[i]
            if not np.isfinite(out[i, g]):
                return STATUS_NONFINITE
    return STATUS_OK


@nb.njit(cache=True, error_model="numpy", parallel=True)
def _evaluate_by_stage(
    theta,
    ops,
    consts,
    prog_start,
    prog_stop,
    ex_scale,
    tech_consumer,
    tech_supplier,
    tech_exchange,
    emis_process,
    emis_gas,
    emis_exchange,
    use_process,
    use_factor,
    use_exchange,
    row_start,
    row_stop,
    row_param,
    row_gas,
    row_scale,
    stage_of,
    reference_process,
    demand,
    n_gas,
    n_stage,
    stack_size,
    out,
    status,
):
    n_proc = stage_of.shape[0]
    for j in nb.prange(theta.shape[0]):
        stack = np.empty(stack_size)
        pg = np.empty((n_proc, n_gas))
        st = _process_gas(
            theta[j],
            ops,
            consts,
            prog_start,
            prog_stop,
            ex_scale,
            tech_consumer,
            tech_supplier,
            tech_exchange,
            emis_process,
            emis_gas,
            emis_exchange,
            use_process,
            use_factor,
            use_exchange,
            row_start,
            row_stop,
            row_param,
            row_gas,
            row_scale,
            reference_process,
            demand,
            n_gas,
            stack,
            pg,
        )
        status[j] = st
        for k in range(n_stage):
            for g in range(n_gas):
                out[j, k, g] = 0.0
        if st == STATUS_OK:
            for i in range(n_proc):
                for g in range(n_gas):
                    out[j, stage_of[i], g] += pg[i, g]
        else:
            for k in range(n_stage):
                for g in range(n_gas):
                    out[j, k, g] = np.nan


@nb.njit(cache=True, error_model="numpy", parallel=True)
def _sample_parameters(seed, first_sample, kinds, p1, p2, p3, keys, out):
    n, n_par = out.shape
    for j in nb.prange(n):
        sample = np.uint64(first_sample + j)
        for p in range(n_par):
            if kinds[p] == FIXED:
                out[j, p] = p1[p]
            else:
                u = uniform01(seed, sample, keys[p])
                out[j, p] = inverse_cdf(kinds[p], p1[p], p2[p], p3[p], u)


# ---------------------------------------------------------------------------------------
# Section 2: Python wrappers
# ---------------------------------------------------------------------------------------


def sample_parameters(seed, first_sample, n_samples, kinds, p1, p2, p3, keys):
    """Draw parameter vectors for samples ``first_sample .. first_sample + n - 1``.

    Parameters
    ----------
    seed : int
        Seed of the run (0 <= seed < 2**64).
    first_sample : int
        Global index of the first sample of this chunk.
    n_samples : int
        Number of samples in the chunk.
    kinds, p1, p2, p3 : arrays
        Distribution codes and parameters, one per uncertain quantity.
    keys : uint64 array
        Random-stream key of each quantity.

    Returns
    -------
    numpy.ndarray, shape (n_samples, n_parameters)
        Parameter values, in the units of ``p1``.
    """
    out = np.empty((int(n_samples), len(kinds)))
    _sample_parameters(np.uint64(seed), np.int64(first_sample), kinds, p1, p2, p3, keys.astype(np.uint64), out)
    return out


def _system_args(system):
    return (
        system.ops,
        system.consts,
        system.prog_start,
        system.prog_stop,
        system.ex_scale,
        system.tech_consumer,
        system.tech_supplier,
        system.tech_exchange,
        system.emis_process,
        system.emis_gas,
        system.emis_exchange,
        system.use_process,
        system.use_factor,
        system.use_exchange,
        system.row_start,
        system.row_stop,
        system.row_param,
        system.row_gas,
        system.row_scale,
    )


def evaluate_by_stage(system, theta):
    """Gas amounts by life-cycle stage for each parameter vector.

    Parameters
    ----------
    system : KernelSystem
        The compiled product system.
    theta : float64 array, shape (n_samples, n_parameters)
        Parameter vectors.

    Returns
    -------
    out : numpy.ndarray, shape (n_samples, n_stage, n_gas)
        Gas emitted per functional unit [kg]; NaN where the sample failed.
    status : numpy.ndarray of int8, shape (n_samples,)
        STATUS_OK or the reason a sample failed.
    """
    theta = np.ascontiguousarray(theta, dtype=np.float64)
    out = np.empty((theta.shape[0], system.n_stage, system.n_gas))
    status = np.empty(theta.shape[0], dtype=np.int8)
    _evaluate_by_stage(
        theta,
        *_system_args(system),
        system.stage_of,
        system.reference_process,
        system.demand,
        system.n_gas,
        system.n_stage,
        system.stack_size,
        out,
        status,
    )
    return out, status


def evaluate_by_process(system, theta):
    """Gas amounts by process for one parameter vector.

    Parameters
    ----------
    system : KernelSystem
        The compiled product system.
    theta : float64 array, shape (n_parameters,)
        One parameter vector.

    Returns
    -------
    out : numpy.ndarray, shape (n_process, n_gas)
        Gas emitted per functional unit [kg].
    status : int
        STATUS_OK or the reason the evaluation failed.
    """
    theta = np.ascontiguousarray(theta, dtype=np.float64)
    out = np.empty((system.stage_of.shape[0], system.n_gas))
    stack = np.empty(system.stack_size)
    status = _process_gas(
        theta, *_system_args(system), system.reference_process, system.demand, system.n_gas, stack, out
    )
    return out, int(status)
