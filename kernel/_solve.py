"""Dense linear solve for the scaling vector of a product system.

The technosphere matrix ``A`` (process outputs on the diagonal, inputs negative) is
solved for ``A s = f`` by LU factorisation with partial pivoting. Product systems of the
foundation are small; block-triangular solving over strongly connected components
replaces this for large systems.
"""

import numba as nb
import numpy as np

__all__ = ["SINGULAR", "SOLVED", "lu_solve_inplace"]

SOLVED = 0
SINGULAR = 1

# ---------------------------------------------------------------------------------------
# Section 1: numba kernels
# ---------------------------------------------------------------------------------------


@nb.njit(cache=True, error_model="numpy")
def lu_solve_inplace(a, b):
    """Solve ``a x = b``; ``a`` and ``b`` are overwritten, ``b`` becomes ``x``.

    Parameters
    ----------
    a : float64 array, shape (n, n)
        Technosphere matrix (destroyed).
    b : float64 array, shape (n,)
        Final demand (overwritten with the scaling vector).

    Returns
    -------
    int
        SOLVED, or SINGULAR when a pivot is zero or not finite relative to the
        largest entry of ``a``.
    """
    n = a.shape[0]
    norm = 0.0
    for i in range(n):
        for j in range(n):
            v = abs(a[i, j])
            if v > norm:
                norm = v
    tiny = norm * 1e-13
    for k in range(n):
        p = k
        best = abs(a[k, k])
        for i in range(k + 1, n):
            v = abs(a[i, k])
            if v > best:
                best = v
                p = i
        if not (best > tiny) or not np.isfinite(best):
            return SINGULAR
        if p != k:
            for j in range(n):
                a[k, j], a[p, j] = a[p, j], a[k, j]
            b[k], b[p] = b[p], b[k]
        piv = a[k, k]
        for i in range(k + 1, n):
            f = a[i, k] / piv
            if f != 0.0:
                for j in range(k + 1, n):
                    a[i, j] -= f * a[k, j]
                b[i] -= f * b[k]
    for k in range(n - 1, -1, -1):
        s = b[k]
        for j in range(k + 1, n):
            s -= a[k, j] * b[j]
        b[k] = s / a[k, k]
    return SOLVED
