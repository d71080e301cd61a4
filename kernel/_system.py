"""The product-system evaluator: parameters in, gas inventory by stage out.

One sample of a product system is evaluated as follows:

1. every exchange amount is its formula program run on the parameter vector ``theta``
   (derived parameters are computed first, in dependency order), times a unit scale
   fixed at compile time;
2. the scaling vector ``s`` of ``A s = f`` (``A``: identity minus inputs, per unit of
   reference product) is found block-triangularly: the strongly connected components of
   the supply graph, found at compile time, are visited from the reference product
   upstream; a process outside any loop is one division, a loop block one small dense LU;
3. each process's gas amounts per unit output (direct emissions plus factor-linked
   activities times the factor values, which are themselves entries of ``theta``) are
   multiplied by its scaling factor and summed by life-cycle stage.

Section 1 holds the numba kernels, Section 2 the Python wrappers.
"""

from typing import NamedTuple

import numba as nb
import numpy as np

from ._formula import CONST, PARAM, run_program
from ._solve import SOLVED, lu_solve_inplace

__all__ = [
    "STATUS_NONFINITE",
    "STATUS_NONPRODUCTIVE",
    "STATUS_OK",
    "STATUS_SINGULAR",
    "KernelSystem",
    "evaluate_by_process",
    "evaluate_by_stage",
    "exchange_amounts",
    "scaling_vector",
]

STATUS_OK = 0
STATUS_SINGULAR = 1
STATUS_NONPRODUCTIVE = 2
STATUS_NONFINITE = 3


class KernelSystem(NamedTuple):
    """Flat arrays describing one compiled product system (float64 / int64).

    Attributes
    ----------
    ops, consts : formula programs (see ``_formula``).
    derived_param, derived_start, derived_stop :
        Derived parameters: ``theta[derived_param[k]]`` is the program
        ``ops[derived_start[k]:derived_stop[k]]``, evaluated in this order.
    prog_start, prog_stop, ex_scale :
        Program slice and unit scale of every exchange.
    link_ptr, link_supplier, link_exchange :
        Technosphere inputs in CSR form by consumer: process ``c`` takes
        ``amount[link_exchange[l]]`` of the product of ``link_supplier[l]`` per unit of
        output, for ``l`` in ``link_ptr[c] .. link_ptr[c + 1] - 1``.
    order, block_ptr, block_of, local_index :
        Solve order: the processes of block ``b`` are ``order[block_ptr[b]:block_ptr[b+1]]``
        (a loop when longer than one); every consumer's block precedes its suppliers'.
    emis_process, emis_gas, emis_exchange :
        Direct emissions [kg gas per unit of the process's reference product].
    use_process, use_factor, use_exchange :
        Factor-linked activities [factor reference units per unit reference product].
    row_start, row_stop, row_param, row_gas, row_scale :
        Per factor, its gas rows: ``theta[row_param] * row_scale`` is kg gas per
        factor reference unit.
    stage_of : life-cycle stage index of each process.
    reference_process, demand : the functional unit.
    n_gas, n_stage, stack_size : sizes.
    """

    ops: np.ndarray
    consts: np.ndarray
    derived_param: np.ndarray
    derived_start: np.ndarray
    derived_stop: np.ndarray
    prog_start: np.ndarray
    prog_stop: np.ndarray
    ex_scale: np.ndarray
    link_ptr: np.ndarray
    link_supplier: np.ndarray
    link_exchange: np.ndarray
    order: np.ndarray
    block_ptr: np.ndarray
    block_of: np.ndarray
    local_index: np.ndarray
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
def _amounts(theta, sys, stack, amount):
    """Compute derived parameters (into ``theta``) and exchange amounts; False if not finite."""
    for k in range(sys.derived_param.shape[0]):
        v = run_program(sys.ops, sys.consts, sys.derived_start[k], sys.derived_stop[k], theta, stack)
        theta[sys.derived_param[k]] = v
        if not np.isfinite(v):
            return False
    for e in range(sys.prog_start.shape[0]):
        start = sys.prog_start[e]
        op = sys.ops[start, 0]
        if sys.prog_stop[e] - start == 1 and op == PARAM:  # most amounts: one parameter
            v = theta[sys.ops[start, 1]]
        elif sys.prog_stop[e] - start == 1 and op == CONST:
            v = sys.consts[sys.ops[start, 1]]
        else:
            v = run_program(sys.ops, sys.consts, start, sys.prog_stop[e], theta, stack)
        amount[e] = sys.ex_scale[e] * v
        if not np.isfinite(amount[e]):
            return False
    return True


@nb.njit(cache=True, error_model="numpy")
def _solve_scaling(sys, amount, s, rhs, m, x):
    """Solve ``A s = f`` block-triangularly; returns a status code.

    ``rhs``, ``m``, ``x`` are scratch space (``m`` at least max-block-size squared).
    """
    n = s.shape[0]
    for i in range(n):
        rhs[i] = 0.0
    rhs[sys.reference_process] = sys.demand
    n_blocks = sys.block_ptr.shape[0] - 1
    for b in range(n_blocks):
        lo = sys.block_ptr[b]
        hi = sys.block_ptr[b + 1]
        k = hi - lo
        if k == 1:
            p = sys.order[lo]
            diag = 1.0
            for lk in range(sys.link_ptr[p], sys.link_ptr[p + 1]):
                if sys.link_supplier[lk] == p:
                    diag -= amount[sys.link_exchange[lk]]
            if not (abs(diag) > 1e-12):
                return STATUS_SINGULAR
            if diag < 0.0:
                return STATUS_NONPRODUCTIVE
            s[p] = rhs[p] / diag
        else:
            mk = m[:k, :k]
            xk = x[:k]
            for i in range(k):
                for c in range(k):
                    mk[i, c] = 0.0
                mk[i, i] = 1.0
                xk[i] = rhs[sys.order[lo + i]]
            for i in range(k):
                c = sys.order[lo + i]
                for lk in range(sys.link_ptr[c], sys.link_ptr[c + 1]):
                    q = sys.link_supplier[lk]
                    if sys.block_of[q] == b:
                        mk[sys.local_index[q], i] -= amount[sys.link_exchange[lk]]
            nonneg = True
            for i in range(k):
                if xk[i] < 0.0:
                    nonneg = False
            if lu_solve_inplace(mk, xk) != SOLVED:
                return STATUS_SINGULAR
            scale = 0.0
            for i in range(k):
                scale = max(scale, abs(xk[i]))
            for i in range(k):
                if nonneg and xk[i] < -1e-12 * scale:
                    return STATUS_NONPRODUCTIVE
                s[sys.order[lo + i]] = xk[i]
        for i in range(lo, hi):
            c = sys.order[i]
            for lk in range(sys.link_ptr[c], sys.link_ptr[c + 1]):
                q = sys.link_supplier[lk]
                if sys.block_of[q] != b:
                    rhs[q] += amount[sys.link_exchange[lk]] * s[c]
    return STATUS_OK


@nb.njit(cache=True, error_model="numpy")
def _max_block(sys):
    k = 1
    for b in range(sys.block_ptr.shape[0] - 1):
        k = max(k, sys.block_ptr[b + 1] - sys.block_ptr[b])
    return k


@nb.njit(cache=True, error_model="numpy")
def _process_gas(theta, sys, stack, amount, s, rhs, m, x, out):
    """Gas amounts per process for one parameter vector; returns a status code."""
    if not _amounts(theta, sys, stack, amount):
        return STATUS_NONFINITE
    status = _solve_scaling(sys, amount, s, rhs, m, x)
    if status != STATUS_OK:
        return status
    out[:, :] = 0.0
    for k in range(sys.emis_process.shape[0]):
        out[sys.emis_process[k], sys.emis_gas[k]] += amount[sys.emis_exchange[k]]
    for k in range(sys.use_process.shape[0]):
        f = sys.use_factor[k]
        act = amount[sys.use_exchange[k]]
        for r in range(sys.row_start[f], sys.row_stop[f]):
            out[sys.use_process[k], sys.row_gas[r]] += act * theta[sys.row_param[r]] * sys.row_scale[r]
    for i in range(out.shape[0]):
        for g in range(out.shape[1]):
            out[i, g] *= s[i]
            if not np.isfinite(out[i, g]):
                return STATUS_NONFINITE
    return STATUS_OK


@nb.njit(cache=True, error_model="numpy")
def _stage_gas(theta, sys, stack, amount, s, rhs, m, x, acc):
    """Gas amounts by stage for one parameter vector (``acc``: stage x gas [kg]); status.

    The same sums as ``_process_gas`` without the process x gas array: each direct
    emission and factor-linked activity is scaled by its process's ``s`` and added to its
    stage, which keeps the per-sample work proportional to the exchanges.
    """
    if not _amounts(theta, sys, stack, amount):
        return STATUS_NONFINITE
    status = _solve_scaling(sys, amount, s, rhs, m, x)
    if status != STATUS_OK:
        return status
    acc[:, :] = 0.0
    for k in range(sys.emis_process.shape[0]):
        p = sys.emis_process[k]
        acc[sys.stage_of[p], sys.emis_gas[k]] += s[p] * amount[sys.emis_exchange[k]]
    for k in range(sys.use_process.shape[0]):
        p = sys.use_process[k]
        f = sys.use_factor[k]
        act = s[p] * amount[sys.use_exchange[k]]
        st = sys.stage_of[p]
        for r in range(sys.row_start[f], sys.row_stop[f]):
            acc[st, sys.row_gas[r]] += act * theta[sys.row_param[r]] * sys.row_scale[r]
    for i in range(acc.shape[0]):
        for g in range(acc.shape[1]):
            if not np.isfinite(acc[i, g]):
                return STATUS_NONFINITE
    return STATUS_OK


_BLOCK = 64  # samples per parallel work item: scratch space is allocated once per block


@nb.njit(cache=True, error_model="numpy", parallel=True)
def _evaluate_by_stage(theta, sys, weights, out, status):
    n = theta.shape[0]
    n_proc = sys.stage_of.shape[0]
    n_ex = sys.prog_start.shape[0]
    kmax = _max_block(sys)
    n_blocks = (n + _BLOCK - 1) // _BLOCK
    copy = sys.derived_param.shape[0] > 0  # derived parameters are written into the row
    for blk in nb.prange(n_blocks):
        stack = np.empty(sys.stack_size)
        amount = np.empty(n_ex)
        s = np.empty(n_proc)
        rhs = np.empty(n_proc)
        m = np.empty((kmax, kmax))
        x = np.empty(kmax)
        acc = np.empty((sys.n_stage, sys.n_gas))
        row = np.empty(theta.shape[1])
        for j in range(blk * _BLOCK, min(n, (blk + 1) * _BLOCK)):
            if copy:
                row[:] = theta[j]
                st = _stage_gas(row, sys, stack, amount, s, rhs, m, x, acc)
            else:
                st = _stage_gas(theta[j], sys, stack, amount, s, rhs, m, x, acc)
            status[j] = st
            if st == STATUS_OK:
                for i in range(sys.n_stage):
                    for g in range(sys.n_gas):
                        out[j, i, g] = acc[i, g] * weights[g]
            else:
                out[j, :, :] = np.nan


def evaluate_by_stage(system, theta, weights=None):
    """Gas amounts by life-cycle stage for each parameter vector.

    Parameters
    ----------
    system : KernelSystem
        The compiled product system.
    theta : float64 array, shape (n_samples, n_parameters)
        Parameter vectors (derived parameters are recomputed from the others).
    weights : float64 array, shape (n_gas,), optional
        Characterisation factors per gas (GWP100); 1 by default (gas masses).

    Returns
    -------
    out : numpy.ndarray, shape (n_samples, n_stage, n_gas)
        Gas emitted per functional unit times ``weights`` [kg, or kg CO2e]; NaN where the
        sample failed.
    status : numpy.ndarray of int8, shape (n_samples,)
        STATUS_OK or the reason a sample failed.
    """
    theta = np.ascontiguousarray(theta, dtype=np.float64)
    out = np.empty((theta.shape[0], system.n_stage, system.n_gas))
    status = np.empty(theta.shape[0], dtype=np.int8)
    weights = np.ones(system.n_gas) if weights is None else np.ascontiguousarray(weights, dtype=np.float64)
    _evaluate_by_stage(theta, system, weights, out, status)
    return out, status


def _one(system, theta):
    theta = np.array(theta, dtype=np.float64)
    n_proc = system.stage_of.shape[0]
    out = np.empty((n_proc, system.n_gas))
    s = np.zeros(n_proc)
    amount = np.empty(system.prog_start.shape[0])
    kmax = int(_max_block(system))
    status = _process_gas(
        theta,
        system,
        np.empty(system.stack_size),
        amount,
        s,
        np.empty(n_proc),
        np.empty((kmax, kmax)),
        np.empty(kmax),
        out,
    )
    return out, s, int(status)


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
    out, _, status = _one(system, theta)
    return out, status


def scaling_vector(system, theta):
    """Scaling vector ``s`` of ``A s = f`` for one parameter vector.

    Parameters
    ----------
    system : KernelSystem
        The compiled product system.
    theta : float64 array, shape (n_parameters,)
        One parameter vector.

    Returns
    -------
    s : numpy.ndarray, shape (n_process,)
        How much of its reference product each process makes for the functional unit
        [reference unit of each process].
    status : int
        STATUS_OK or the reason the solve failed.
    """
    _, s, status = _one(system, theta)
    return s, status


def exchange_amounts(system, theta):
    """Amount of every exchange per unit of its process's reference product.

    Parameters
    ----------
    system : KernelSystem
        The compiled product system.
    theta : float64 array, shape (n_parameters,)
        One parameter vector (derived parameters are recomputed).

    Returns
    -------
    amount : numpy.ndarray, shape (n_exchanges,)
        In the flow units of the matrix (supplier's reference unit, factor's activity unit
        or kg of gas) per unit of reference product.
    ok : bool
        False when an amount is not finite.
    """
    theta = np.array(theta, dtype=np.float64)
    amount = np.empty(system.prog_start.shape[0])
    ok = _amounts(theta, system, np.empty(system.stack_size), amount)
    return amount, bool(ok)
