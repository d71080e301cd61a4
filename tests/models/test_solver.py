"""The block-triangular solver against a textbook example and a second solver."""

import numpy as np
import pytest
import scipy.sparse
import scipy.sparse.linalg

import pcflab
from pcflab import kernel
from tests.conftest import factor_row
from tests.models_for_tests import header_yaml, process_yaml

HEIJUNGS_SUH = (
    "\n"
    + header_yaml(
        "test/heijungs-suh",
        "Heijungs and Suh (2002) chapter 2 example",
        "electricity",
        functional_unit=(1000, "kWh", "electricity"),
        region="GLO",
        year=2002,
    )
    + "processes:\n"
    + process_yaml(
        "electricity",
        "Electricity production",
        "production",
        ("electricity", 10, "kWh"),
        inputs=[("fuel", 2, "L")],
        emissions=[("co2_fossil", 1, "kg")],
    )
    + process_yaml(
        "fuel", "Fuel production", "raw_material_acquisition", ("fuel", 100, "L"), emissions=[("co2_fossil", 10, "kg")]
    )
)


@pytest.fixture
def factors(factor_file):
    return pcflab.load_factors(factor_file(factor_row()))


def test_heijungs_suh_example(model_file, factors):
    """s = A^-1 f = [100, 2] units of the processes as written, so CO2 = 1 * 100 + 10 * 2 = 120 kg
    (Heijungs & Suh 2002, ch. 2; VALIDATION.md 2.1)."""
    cm = pcflab.compile_model(pcflab.load_model(model_file(HEIJUNGS_SUH)), factors)
    s, status = kernel.scaling_vector(cm.system, cm.nominal)
    assert status == kernel.STATUS_OK
    # pcflab scales per unit of reference product: 1000 kWh and 200 L
    np.testing.assert_allclose(s, [1000.0, 200.0], rtol=1e-12)
    det = pcflab.footprint(cm)
    assert float(det["mass"].sel(gas="co2_fossil").sum()) == pytest.approx(120.0, rel=1e-9)


def test_heijungs_suh_is_invariant_to_process_order(model_file, factors):
    text = HEIJUNGS_SUH
    a, b = text.index("  electricity:\n"), text.index("  fuel:\n")
    swapped = text[:a] + text[b:] + "\n" + text[a:b]
    det = pcflab.footprint(pcflab.load_model(model_file(swapped)), factors)
    assert float(det["mass"].sel(gas="co2_fossil").sum()) == pytest.approx(120.0, rel=1e-9)


def random_system_yaml(n, seed):
    """A random product system with loops; returns (yaml, A, co2 per unit) for an independent solve."""
    rng = np.random.default_rng(seed)
    a = np.eye(n)
    co2 = rng.uniform(0.1, 5.0, n)
    text = header_yaml("test/random", "random", "p0", functional_unit=(3, "kg", "x"), region="GLO", year=2020)
    text += "processes:\n"
    for c in range(n):
        k = rng.integers(1, 5)
        suppliers = rng.choice(n, size=k, replace=False)
        inputs = []
        for q in suppliers:
            amount = rng.uniform(0.01, 0.9 / k)  # column sums < 0.9: a productive system
            a[q, c] -= amount
            inputs.append((f"p{q}", repr(float(amount)), "kg"))
        text += process_yaml(
            f"p{c}",
            f"process {c}",
            "production",
            ("product", 1, "kg"),
            inputs=inputs,
            emissions=[("co2_fossil", repr(float(co2[c])), "kg")],
        )
    return text, a, co2


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_system_with_loops_matches_spsolve(model_file, factors, seed):
    text, a, co2 = random_system_yaml(60, seed)
    cm = pcflab.compile_model(pcflab.load_model(model_file(text)), factors)
    s = cm.system
    assert np.diff(s.block_ptr).max() > 1  # there is at least one loop block
    f = np.zeros(60)
    f[0] = 3.0
    expected = scipy.sparse.linalg.spsolve(scipy.sparse.csc_matrix(a), f)
    got, status = kernel.scaling_vector(s, cm.nominal)
    assert status == kernel.STATUS_OK
    order = [int(p[1:]) for p in cm.processes]
    np.testing.assert_allclose(got, expected[order], rtol=1e-9)
    det = pcflab.footprint(cm)
    assert float(det["mass"].sum()) == pytest.approx(float(co2 @ expected), rel=1e-9)
