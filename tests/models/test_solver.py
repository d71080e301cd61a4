"""The block-triangular solver against a textbook example and a second solver."""

import numpy as np
import pytest
import scipy.sparse
import scipy.sparse.linalg

import pcflab
from pcflab import kernel
from tests.conftest import factor_row

HEIJUNGS_SUH = """
pcflab_model: 1
id: test/heijungs-suh
name: Heijungs and Suh (2002) chapter 2 example
sector: test
region: GLO
year: 2002
functional_unit: {amount: 1000, unit: kWh, description: electricity}
reference_process: electricity
processes:
  electricity:
    name: Electricity production
    stage: production
    reference_product: {name: electricity, amount: 10, unit: kWh}
    inputs:
      - {process: fuel, amount: 2, unit: L}
    emissions:
      - {gas: co2_fossil, amount: 1, unit: kg}
  fuel:
    name: Fuel production
    stage: raw_material_acquisition
    reference_product: {name: fuel, amount: 100, unit: L}
    emissions:
      - {gas: co2_fossil, amount: 10, unit: kg}
"""


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
    lines = [
        "pcflab_model: 1",
        "id: test/random",
        "name: random",
        "sector: test",
        "region: GLO",
        "year: 2020",
        "functional_unit: {amount: 3, unit: kg, description: x}",
        "reference_process: p0",
        "processes:",
    ]
    for c in range(n):
        k = rng.integers(1, 5)
        suppliers = rng.choice(n, size=k, replace=False)
        inputs = []
        for q in suppliers:
            amount = rng.uniform(0.01, 0.9 / k)  # column sums < 0.9: a productive system
            a[q, c] -= amount
            inputs.append(f"      - {{process: p{q}, amount: {float(amount)!r}, unit: kg}}")
        lines += [
            f"  p{c}:",
            f"    name: process {c}",
            "    stage: production",
            "    reference_product: {name: product, amount: 1, unit: kg}",
            "    inputs:",
            *inputs,
            "    emissions:",
            f"      - {{gas: co2_fossil, amount: {float(co2[c])!r}, unit: kg}}",
        ]
    return "\n".join(lines) + "\n", a, co2


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
