"""Tests for kernel/_formula.py: the postfix stack machine against the same arithmetic in Python."""

import math

import numpy as np
import pytest

from pcflab.kernel import ADD, CONST, DIV, MUL, NEG, PARAM, POW, SUB, run_program


def _run(program, consts, theta, start=0, stop=None):
    ops = np.array(program, dtype=np.int64).reshape(-1, 2)
    stop = len(ops) if stop is None else stop
    return run_program(
        ops, np.asarray(consts, dtype=float), start, stop, np.asarray(theta, dtype=float), np.full(16, np.nan)
    )


def test_opcode_values_are_the_documented_ones():
    # the table in kernel/_formula.py; pcflab.models._formula compiles to these numbers
    assert (CONST, PARAM, ADD, SUB, MUL, DIV, NEG, POW) == (0, 1, 2, 3, 4, 5, 6, 7)


def test_const_and_param():
    assert _run([[CONST, 1]], [9.0, 2.5], []) == 2.5
    assert _run([[PARAM, 2]], [], [1.0, 2.0, -7.75]) == -7.75


@pytest.mark.parametrize(
    ("op", "fn"),
    [
        (ADD, lambda a, b: a + b),
        (SUB, lambda a, b: a - b),
        (MUL, lambda a, b: a * b),
        (DIV, lambda a, b: a / b),
        (POW, lambda a, b: a**b),
    ],
)
def test_binary_operators_take_operands_in_order(op, fn):
    # a pushed first, b second: the result is a (op) b, not b (op) a
    for a, b in [(7.0, 2.0), (2.0, 7.0), (1.5, -0.25), (0.3, 3.0)]:
        assert _run([[PARAM, 0], [PARAM, 1], [op, 0]], [], [a, b]) == fn(a, b)


def test_neg():
    assert _run([[PARAM, 0], [NEG, 0]], [], [4.5]) == -4.5
    assert _run([[PARAM, 0], [NEG, 0], [NEG, 0]], [], [4.5]) == 4.5


def test_coke_rate_times_constant():
    # coke_rate * 1.05 (the docstring's example)
    coke_rate = 0.385
    assert _run([[PARAM, 0], [CONST, 0], [MUL, 0]], [1.05], [coke_rate]) == coke_rate * 1.05


def test_nested_expression():
    # (a + b * c) / (d - e) ** 2 - -f   ->   a b c * + d e - 2 ** / f neg -
    a, b, c, d, e, f = 1.25, -3.0, 0.5, 10.0, 4.0, 0.125
    program = [
        [PARAM, 0],
        [PARAM, 1],
        [PARAM, 2],
        [MUL, 0],
        [ADD, 0],
        [PARAM, 3],
        [PARAM, 4],
        [SUB, 0],
        [CONST, 0],
        [POW, 0],
        [DIV, 0],
        [PARAM, 5],
        [NEG, 0],
        [SUB, 0],
    ]
    assert _run(program, [2.0], [a, b, c, d, e, f]) == (a + b * c) / (d - e) ** 2 - -f


def test_deep_stack():
    # 1 + (2 + (3 + (4 + 5))) pushes five values before reducing
    program = [[CONST, i] for i in range(5)] + [[ADD, 0]] * 4
    assert _run(program, [1.0, 2.0, 3.0, 4.0, 5.0], []) == 1.0 + (2.0 + (3.0 + (4.0 + 5.0)))
    # left-deep chain of subtractions: ((((1 - 2) - 3) - 4) - 5)
    program = [[CONST, 0]] + [x for i in range(1, 5) for x in ([CONST, i], [SUB, 0])]
    assert _run(program, [1.0, 2.0, 3.0, 4.0, 5.0], []) == 1.0 - 2.0 - 3.0 - 4.0 - 5.0


def test_program_slices_of_a_shared_ops_array():
    """Several programs live in one ops array; start/stop select one of them."""
    ops = np.array(
        [
            [PARAM, 0],
            [CONST, 0],
            [MUL, 0],  # program 0: x * 2
            [PARAM, 1],
            [PARAM, 0],
            [SUB, 0],
            [NEG, 0],  # program 1: -(y - x)
            [CONST, 1],  # program 2: 0.1
        ],
        dtype=np.int64,
    )
    consts = np.array([2.0, 0.1])
    theta = np.array([3.5, 10.0])
    stack = np.empty(4)
    assert run_program(ops, consts, 0, 3, theta, stack) == 3.5 * 2.0
    assert run_program(ops, consts, 3, 7, theta, stack) == -(10.0 - 3.5)
    assert run_program(ops, consts, 7, 8, theta, stack) == 0.1


def test_pow_matches_python_special_cases():
    assert _run([[CONST, 0], [CONST, 1], [POW, 0]], [2.0, 0.5], []) == math.sqrt(2.0)
    assert _run([[CONST, 0], [CONST, 1], [POW, 0]], [10.0, -3.0], []) == 10.0**-3.0
    assert _run([[CONST, 0], [CONST, 1], [POW, 0]], [0.0, 0.0], []) == 1.0


def test_division_by_zero_gives_a_nonfinite_value():
    """A formula dividing by a parameter that is zero gives inf/NaN, as IEEE (numpy) arithmetic does.

    kernel/_system.py turns non-finite amounts into STATUS_NONFINITE and pcflab/_footprint.py
    then tells the user to "check formulas that divide by a parameter that can be zero"; that
    path is only reached if the kernel does not raise.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        expected_inf = np.float64(1.0) / np.float64(0.0)
        expected_nan = np.float64(0.0) / np.float64(0.0)
    assert _run([[CONST, 0], [PARAM, 0], [DIV, 0]], [1.0], [0.0]) == expected_inf
    assert math.isnan(_run([[CONST, 0], [PARAM, 0], [DIV, 0]], [0.0], [0.0])) and math.isnan(expected_nan)
