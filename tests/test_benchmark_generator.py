"""The synthetic product systems of the benchmarks (benchmarks/synthetic.py): deterministic
for a seed, and every engine's deterministic score equals a scipy sparse solve. No timing."""

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

import pcflab

_PATH = Path(__file__).resolve().parent.parent / "benchmarks" / "synthetic.py"


@pytest.fixture(scope="module")
def synthetic():
    spec = importlib.util.spec_from_file_location("pcflab_bench_synthetic", _PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("n", [10, 30])
def test_generator_is_deterministic(synthetic, n):
    a, b = synthetic.generate(n, seed=7), synthetic.generate(n, seed=7)
    for key, value in a.arrays().items():
        np.testing.assert_array_equal(value, b.arrays()[key], err_msg=key)
    assert a.factor_ids == b.factor_ids
    c = synthetic.generate(n, seed=8)
    assert not np.array_equal(a.tech_amount, c.tech_amount) or not np.array_equal(a.tech_supplier, c.tech_supplier)


@pytest.mark.parametrize("n", [10, 30])
def test_generator_structure(synthetic, n):
    d = synthetic.generate(n, seed=3)
    assert sorted(set(d.layer.tolist())) == [0, 1, 2, 3]
    counts = np.bincount(d.tech_consumer[~d.tech_loop], minlength=n)
    assert counts.max() <= 8
    assert np.all(counts[d.layer < 2] >= 3)  # product and component processes have 3-8 inputs
    assert d.tech_loop.sum() >= 1  # at least one loop
    col = np.bincount(d.tech_consumer, weights=d.tech_amount, minlength=n)
    assert col.max() < 1.0  # productive
    assert np.all(d.tech_gsd > 1) and np.all(d.emis_gsd > 1) and np.all(d.factor_gsd > 1)
    # every process is needed by the functional unit
    s = synthetic.to_scipy(d)
    import scipy.sparse.linalg as spla

    x = spla.spsolve(s.A, s.f)
    assert np.all(x > 0)


@pytest.mark.parametrize("n", [10, 30])
def test_pcflab_score_equals_sparse_solve(synthetic, tmp_path, n):
    d = synthetic.generate(n, seed=5)
    model_path, factor_path = synthetic.to_pcflab(d, tmp_path)
    cm = pcflab.compile_model(pcflab.load_model(model_path), pcflab.load_factors(factor_path))
    assert int(np.count_nonzero(cm.kinds != 0)) == d.n_uncertain
    score = float(pcflab.footprint(cm)["gwp100"].sum())
    assert score == pytest.approx(synthetic.reference_score(d), rel=1e-9)


@pytest.mark.parametrize("n", [10, 30])
def test_brightway_score_equals_sparse_solve(synthetic, n):
    bw2calc = pytest.importorskip("bw2calc")
    d = synthetic.generate(n, seed=5)
    bw = synthetic.to_brightway(d)
    lca = bw2calc.LCA(bw.demand, data_objs=bw.data_objs)
    lca.lci()
    lca.lcia()
    assert lca.score == pytest.approx(synthetic.reference_score(d), rel=1e-9)
