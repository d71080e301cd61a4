"""Tests for kernel/_solve.py: LU with partial pivoting against numpy.linalg.solve."""

import numpy as np
import pytest

from pcflab.kernel import lu_solve_inplace
from pcflab.kernel._solve import SINGULAR, SOLVED


def _solve(a, b):
    a = np.array(a, dtype=float)
    b = np.array(b, dtype=float)
    status = lu_solve_inplace(a, b)
    return status, b


def test_status_codes():
    assert (SOLVED, SINGULAR) == (0, 1)


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8, 20, 50])
def test_random_well_conditioned(n):
    rng = np.random.default_rng(1000 + n)
    for _ in range(5):
        a = rng.standard_normal((n, n))
        if np.linalg.cond(a) > 1e4:
            continue
        b = rng.standard_normal(n)
        status, x = _solve(a, b)
        assert status == SOLVED
        np.testing.assert_allclose(x, np.linalg.solve(a, b), rtol=1e-9, atol=1e-11)


def test_inputs_are_overwritten_and_b_becomes_x():
    a = np.array([[4.0, 1.0], [2.0, 3.0]])
    b = np.array([1.0, 2.0])
    a0, b0 = a.copy(), b.copy()
    assert lu_solve_inplace(a, b) == SOLVED
    # the exact solution of this 2x2 system by Cramer's rule: det = 10
    np.testing.assert_allclose(b, [(1 * 3 - 1 * 2) / 10, (4 * 2 - 2 * 1) / 10], rtol=1e-15)
    np.testing.assert_allclose(a0 @ b, b0, rtol=1e-14)


@pytest.mark.parametrize(
    "a",
    [
        [[0.0, 1.0], [1.0, 0.0]],  # zero on the diagonal
        [[0.0, 2.0, 1.0], [0.0, 0.0, 3.0], [4.0, 1.0, 1.0]],  # two zero pivots without row swaps
        [[1e-20, 1.0], [1.0, 1.0]],  # tiny pivot: fails without pivoting
        [[0.0, 0.0, 0.0, 1.0], [0.0, 0.0, 1.0, 0.0], [0.0, 1.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0]],
    ],
)
def test_needs_pivoting(a):
    a = np.array(a)
    b = np.arange(1.0, a.shape[0] + 1)
    status, x = _solve(a, b)
    assert status == SOLVED
    np.testing.assert_allclose(x, np.linalg.solve(a, b), rtol=1e-12, atol=1e-15)


def test_permuted_diagonally_dominant_needs_row_swaps():
    rng = np.random.default_rng(3)
    n = 12
    d = rng.uniform(-1, 1, (n, n)) + np.diag(np.full(n, 20.0))
    a = d[rng.permutation(n)]  # the big entries are off the diagonal now
    b = rng.standard_normal(n)
    status, x = _solve(a, b)
    assert status == SOLVED
    np.testing.assert_allclose(x, np.linalg.solve(a, b), rtol=1e-12, atol=1e-14)


def test_heijungs_suh_example():
    """VALIDATION.md §2.1: A = [[10, 0], [-2, 100]], f = [1000, 0] gives s = [100, 2]; g invariant to permutation."""
    status, s = _solve([[10.0, 0.0], [-2.0, 100.0]], [1000.0, 0.0])
    assert status == SOLVED
    np.testing.assert_allclose(s, [100.0, 2.0], rtol=1e-14)
    # the textbook's ordering: rows and columns swapped
    status, s_perm = _solve([[100.0, -2.0], [0.0, 10.0]], [0.0, 1000.0])
    assert status == SOLVED
    np.testing.assert_allclose(s_perm, [2.0, 100.0], rtol=1e-14)
    b = np.array([[1.0, 10.0], [0.1, 2.0], [0.0, -50.0]])
    np.testing.assert_allclose(b @ s, [120.0, 14.0, -100.0], rtol=1e-14)


@pytest.mark.parametrize(
    "a",
    [
        [[0.0]],
        [[0.0, 0.0], [0.0, 0.0]],
        [[1.0, 2.0], [2.0, 4.0]],  # rank 1
        [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]],  # rank 2 (rows in arithmetic progression)
        [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]],  # zero row
        [[1.0, 1.0], [1.0, 1.0 + 1e-15]],  # numerically singular (cond ~ 4e15)
        [[np.nan, 0.0], [0.0, 1.0]],
        [[np.inf, 0.0], [0.0, 1.0]],
    ],
)
def test_singular_matrix(a):
    a = np.array(a)
    status, _ = _solve(a, np.ones(a.shape[0]))
    assert status == SINGULAR


def test_singular_loop_of_two_processes():
    # two processes that each consume all of the other's output: 1 - 1 * 1 = 0 determinant
    a = np.array([[1.0, -1.0], [-1.0, 1.0]])
    assert np.linalg.matrix_rank(a) == 1
    status, _ = _solve(a, [1.0, 0.0])
    assert status == SINGULAR
