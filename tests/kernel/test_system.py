"""Tests for the product-system evaluator in kernel/_system.py.

A three-process system is written by hand as ``KernelSystem`` arrays: process 0 (the
reference product) takes the product of 1; 1 and 2 supply each other (a loop block, with a
self-input of 2); a derived parameter; emissions; one factor with two gas rows. Every
result of the kernel (exchange amounts, scaling vector, gas by process and by stage, the
status codes) is checked against numpy: the same amounts computed in Python and the same
``A s = f`` solved densely with ``numpy.linalg.solve``.
"""

import numpy as np
import pytest

from pcflab.kernel import (
    ADD,
    CONST,
    MUL,
    PARAM,
    STATUS_NONFINITE,
    STATUS_NONPRODUCTIVE,
    STATUS_OK,
    STATUS_SINGULAR,
    KernelSystem,
    evaluate_by_process,
    evaluate_by_stage,
    exchange_amounts,
    scaling_vector,
)

# theta: x0 input of 1 into 0, x1 input of 2 into 1, x2 input of 1 into 2, x3 derived
# (2 x0 + 1), x4 and x5 the factor's CO2 and CH4 values, x6 the self-input of 2
THETA = np.array([0.8, 0.6, 0.3, -99.0, 0.5, 0.01, 0.2])  # x3 is recomputed by the kernel
N_GAS, N_STAGE = 3, 2  # gases 0 (CO2) and 2 (CH4) are used
STAGE_OF = np.array([1, 0, 0])
DEMAND = 4.0
SCALE = np.array([1.0, 0.5, 1.0, 1.0, 2.0, 0.1, 1.0])


def _i(*values):
    return np.array(values, dtype=np.int64)


def hand_system(**changes):
    """The hand-written system; ``changes`` replace fields (e.g. a modified ``ex_scale``)."""
    ops = [
        (PARAM, 0), (CONST, 0), (MUL, 0), (CONST, 1), (ADD, 0),  # x3 = x0 * 2 + 1       [0:5]
        (PARAM, 0),  # e0: 0 takes x0 of 1                                                [5:6]
        (PARAM, 1),  # e1: 1 takes x1 of 2                                                [6:7]
        (PARAM, 2),  # e2: 2 takes x2 of 1                                                [7:8]
        (PARAM, 6),  # e3: 2 takes x6 of itself                                           [8:9]
        (CONST, 2),  # e4: 0 emits 3 kg CO2 (x scale 2)                                   [9:10]
        (PARAM, 3),  # e5: 1 uses x3 units of the factor                                  [10:11]
        (PARAM, 0), (PARAM, 2), (MUL, 0), (CONST, 3), (ADD, 0),  # e6: 2 emits x0 x2 + 0.5 CH4 [11:16]
    ]  # fmt: skip
    fields = dict(
        ops=np.array(ops, dtype=np.int64),
        consts=np.array([2.0, 1.0, 3.0, 0.5]),
        derived_param=_i(3),
        derived_start=_i(0),
        derived_stop=_i(5),
        prog_start=_i(5, 6, 7, 8, 9, 10, 11),
        prog_stop=_i(6, 7, 8, 9, 10, 11, 16),
        ex_scale=SCALE.copy(),
        link_ptr=_i(0, 1, 2, 4),
        link_supplier=_i(1, 2, 1, 2),
        link_exchange=_i(0, 1, 2, 3),
        order=_i(0, 1, 2),
        block_ptr=_i(0, 1, 3),
        block_of=_i(0, 1, 1),
        local_index=_i(0, 0, 1),
        emis_process=_i(0, 2),
        emis_gas=_i(0, 2),
        emis_exchange=_i(4, 6),
        use_process=_i(1),
        use_factor=_i(0),
        use_exchange=_i(5),
        row_start=_i(0),
        row_stop=_i(2),
        row_param=_i(4, 5),
        row_gas=_i(0, 2),
        row_scale=np.array([1.0, 2.0]),
        stage_of=STAGE_OF.copy(),
        reference_process=0,
        demand=DEMAND,
        n_gas=N_GAS,
        n_stage=N_STAGE,
        stack_size=2,
    )
    fields.update(changes)
    return KernelSystem(**fields)


def dense(theta, scale=SCALE):
    """The same system in numpy: (amounts, scaling vector, gas by process [kg])."""
    x = np.array(theta, dtype=float)
    x[3] = 2 * x[0] + 1
    amount = scale * np.array([x[0], x[1], x[2], x[6], 3.0, x[3], x[0] * x[2] + 0.5])
    a = np.eye(3)
    a[1, 0] -= amount[0]  # column: consumer, row: supplier
    a[2, 1] -= amount[1]
    a[1, 2] -= amount[2]
    a[2, 2] -= amount[3]
    s = np.linalg.solve(a, np.array([DEMAND, 0.0, 0.0]))
    per_unit = np.zeros((3, N_GAS))
    per_unit[0, 0] += amount[4]
    per_unit[2, 2] += amount[6]
    per_unit[1, 0] += amount[5] * x[4] * 1.0
    per_unit[1, 2] += amount[5] * x[5] * 2.0
    return amount, s, s[:, None] * per_unit


def random_thetas(n, seed=0):
    """Parameter vectors of a productive system (the loop's spectral radius stays below 0.81)."""
    rng = np.random.default_rng(seed)
    theta = np.empty((n, 7))
    theta[:, 0] = rng.uniform(0.1, 1.5, n)
    theta[:, 1] = rng.uniform(0.0, 1.0, n)
    theta[:, 2] = rng.uniform(0.0, 0.5, n)
    theta[:, 3] = rng.normal(size=n)  # ignored: the derived parameter is recomputed
    theta[:, 4] = rng.lognormal(np.log(0.5), 0.2, n)
    theta[:, 5] = rng.lognormal(np.log(0.01), 0.5, n)
    theta[:, 6] = rng.uniform(0.0, 0.5, n)
    return theta


def test_exchange_amounts_are_the_programs_times_their_scales():
    amount, ok = exchange_amounts(hand_system(), THETA)
    assert ok
    # by hand: x3 = 2.6; [0.8, 0.5 * 0.6, 0.3, 0.2, 2 * 3, 0.1 * 2.6, 0.8 * 0.3 + 0.5]
    np.testing.assert_allclose(amount, [0.8, 0.3, 0.3, 0.2, 6.0, 0.26, 0.74], rtol=1e-15)
    np.testing.assert_allclose(amount, dense(THETA)[0], rtol=1e-15)


def test_scaling_vector_equals_a_dense_solve():
    s, status = scaling_vector(hand_system(), THETA)
    assert status == STATUS_OK
    # by hand: s0 = 4; s1 = 3.2 + 0.3 s2 and s2 = 0.3 s1 + 0.2 s2, so s2 = 0.375 s1 and
    # s1 = 3.2 / (1 - 0.1125)
    s1 = 3.2 / (1 - 0.3 * 0.375)
    np.testing.assert_allclose(s, [4.0, s1, 0.375 * s1], rtol=1e-14)
    np.testing.assert_allclose(s, dense(THETA)[1], rtol=1e-14)


def test_gas_by_process_equals_the_dense_inventory():
    out, status = evaluate_by_process(hand_system(), THETA)
    assert status == STATUS_OK
    assert out.shape == (3, N_GAS)
    np.testing.assert_allclose(out, dense(THETA)[2], rtol=1e-13, atol=0)
    assert out[0, 0] == pytest.approx(4.0 * 6.0, rel=1e-15)  # the reference process's own CO2


def test_gas_by_stage_for_many_samples_equals_dense_solves():
    theta = random_thetas(300)
    before = theta.copy()
    weights = np.array([1.0, 0.0, 27.0])
    out, status = evaluate_by_stage(hand_system(), theta, weights)
    assert out.shape == (300, N_STAGE, N_GAS)
    assert np.all(status == STATUS_OK)
    assert np.array_equal(theta, before)  # derived parameters are written into a copy
    for j in range(300):
        by_process = dense(theta[j])[2]
        expected = np.zeros((N_STAGE, N_GAS))
        np.add.at(expected, STAGE_OF, by_process)
        np.testing.assert_allclose(out[j], expected * weights, rtol=1e-12, atol=0)
    unweighted, _ = evaluate_by_stage(hand_system(), theta)
    np.testing.assert_allclose(unweighted[:, :, 2] * 27.0, out[:, :, 2], rtol=1e-15)
    # by stage is by process summed over the processes of each stage
    by_process, _ = evaluate_by_process(hand_system(), theta[7])
    np.testing.assert_allclose(unweighted[7, 0], by_process[1] + by_process[2], rtol=1e-13)
    np.testing.assert_allclose(unweighted[7, 1], by_process[0], rtol=1e-13)


def test_single_process_block_singular_and_not_productive():
    """One process using x of its own product: s = demand / (1 - x)."""
    system = KernelSystem(
        ops=np.array([[PARAM, 0], [CONST, 0]], dtype=np.int64),
        consts=np.array([1.0]),
        derived_param=_i(),
        derived_start=_i(),
        derived_stop=_i(),
        prog_start=_i(0, 1),
        prog_stop=_i(1, 2),
        ex_scale=np.array([1.0, 1.0]),
        link_ptr=_i(0, 1),
        link_supplier=_i(0),
        link_exchange=_i(0),
        order=_i(0),
        block_ptr=_i(0, 1),
        block_of=_i(0),
        local_index=_i(0),
        emis_process=_i(0),
        emis_gas=_i(0),
        emis_exchange=_i(1),
        use_process=_i(),
        use_factor=_i(),
        use_exchange=_i(),
        row_start=_i(),
        row_stop=_i(),
        row_param=_i(),
        row_gas=_i(),
        row_scale=np.zeros(0),
        stage_of=_i(0),
        reference_process=0,
        demand=2.0,
        n_gas=1,
        n_stage=1,
        stack_size=1,
    )
    s, status = scaling_vector(system, [0.75])
    assert status == STATUS_OK and s[0] == pytest.approx(2.0 / 0.25, rel=1e-15)
    assert scaling_vector(system, [1.0])[1] == STATUS_SINGULAR  # 1 - x = 0
    assert scaling_vector(system, [1.5])[1] == STATUS_NONPRODUCTIVE  # it would run backwards
    out, status = evaluate_by_stage(system, np.array([[0.75], [1.0], [1.5], [0.5]]))
    assert list(status) == [STATUS_OK, STATUS_SINGULAR, STATUS_NONPRODUCTIVE, STATUS_OK]
    assert out[0, 0, 0] == pytest.approx(8.0, rel=1e-15) and out[3, 0, 0] == pytest.approx(4.0, rel=1e-15)
    assert np.all(np.isnan(out[1:3]))


def test_loop_block_singular_and_not_productive():
    # block {1, 2}: [[1, -a2], [-a1, 1 - a3]] with a1 = x1 / 2, a2 = x2, a3 = x6
    singular = THETA.copy()
    singular[[1, 2, 6]] = [2.0, 0.8, 0.2]  # a1 a2 = 1 - a3 = 0.8: determinant 0
    assert scaling_vector(hand_system(), singular)[1] == STATUS_SINGULAR
    backwards = THETA.copy()
    backwards[[1, 2, 6]] = [2.0, 1.0, 0.2]  # determinant -0.2: the loop makes less than it uses
    assert np.linalg.solve(np.array([[1.0, -1.0], [-1.0, 0.8]]), [3.2, 0.0]).min() < 0  # numpy agrees
    assert scaling_vector(hand_system(), backwards)[1] == STATUS_NONPRODUCTIVE
    out, status = evaluate_by_stage(hand_system(), np.vstack([THETA, singular, backwards]))
    assert list(status) == [STATUS_OK, STATUS_SINGULAR, STATUS_NONPRODUCTIVE]
    assert np.all(np.isfinite(out[0])) and np.all(np.isnan(out[1:]))


def test_non_finite_amounts_and_results():
    infinite_input = THETA.copy()
    infinite_input[0] = np.inf  # the derived parameter and e0 are infinite
    amount, ok = exchange_amounts(hand_system(), infinite_input)
    assert not ok
    assert evaluate_by_process(hand_system(), infinite_input)[1] == STATUS_NONFINITE
    nan_input = THETA.copy()
    nan_input[1] = np.nan
    assert exchange_amounts(hand_system(), nan_input)[1] is False
    infinite_factor = THETA.copy()
    infinite_factor[4] = np.inf  # the amounts are finite, the inventory is not
    assert exchange_amounts(hand_system(), infinite_factor)[1] is True
    assert evaluate_by_process(hand_system(), infinite_factor)[1] == STATUS_NONFINITE
    out, status = evaluate_by_stage(hand_system(), np.vstack([infinite_input, THETA, nan_input, infinite_factor]))
    assert list(status) == [STATUS_NONFINITE, STATUS_OK, STATUS_NONFINITE, STATUS_NONFINITE]
    assert np.all(np.isnan(out[[0, 2, 3]])) and np.all(np.isfinite(out[1]))


def test_a_zero_scale_removes_an_exchange():
    """The cut-off sets an exchange's scale to 0: the same as a system without it."""
    scale = SCALE.copy()
    scale[5] = 0.0  # process 1's factor use
    out, status = evaluate_by_process(hand_system(ex_scale=scale), THETA)
    assert status == STATUS_OK
    np.testing.assert_allclose(out, dense(THETA, scale)[2], rtol=1e-13, atol=0)
    assert out[1].sum() == 0.0
