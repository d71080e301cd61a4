"""`pcflab warmup` (run by `make install`) leaves nothing for numba to compile later."""

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow

ANALYSIS = """
import pcflab, pcflab.kernel as k
cm = pcflab.analysis.prepare("steel/eaf-hot-rolled-bar")
pcflab.footprint(cm)
for sampler in k.SAMPLERS:
    pcflab.simulate(cm, 100, 7, sampler=sampler)
pcflab.contributions(cm, "exchange")
pcflab.sensitivity(cm, n_samples=64)
kernels = [getattr(k, n) for n in k.__all__ if hasattr(getattr(k, n), "stats")]
misses = {f.__name__: sum(f.stats.cache_misses.values()) for f in kernels}
hits = sum(sum(f.stats.cache_hits.values()) for f in kernels)
print(hits, sorted(n for n, m in misses.items() if m))
"""


def _run(code, cache):
    env = os.environ | {"NUMBA_CACHE_DIR": str(cache), "MPLBACKEND": "Agg"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_after_warmup_an_analysis_of_another_model_compiles_nothing(tmp_path):
    cache = tmp_path / "numba"
    before = _run(ANALYSIS, tmp_path / "cold")  # a fresh cache: the kernels are compiled
    assert before.split(" ", 1)[1] != "[]"
    _run("from pcflab.cli import main; main(['warmup'])", cache)
    hits, missed = _run(ANALYSIS, cache).split(" ", 1)
    assert missed == "[]", f"compiled after warmup: {missed}"
    assert int(hits) > 0
