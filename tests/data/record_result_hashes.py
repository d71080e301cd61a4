"""Record the SHA-256 of every shipped model's results, to prove a refactoring bit-identical.

Run once before a change that must not move a number, commit the JSON, and
``tests/test_result_hashes.py`` checks every later commit against it:

    python tests/data/record_result_hashes.py > tests/data/result_hashes.json

The hashes cover the deterministic footprint (process x stage x gas) under every method
profile and GWP set, and Monte Carlo totals and stage x gas cubes under every sampler.
"""

import hashlib
import json
import sys
import warnings
from pathlib import Path

import numpy as np

import pcflab
from pcflab.methods import GWP_SETS, PROFILES

MODELS_DIR = Path(pcflab.__file__).resolve().parents[1] / "datasets" / "models"
N_SAMPLES = 256
SEED = 2026


def digest(array):
    """SHA-256 of an array's float64 bytes (C order), with its sum and sum of squares.

    The sums let a machine whose maths library takes other code paths (glibc picks FMA
    variants of ``exp`` and ``log`` by CPU) check the values to a tolerance.
    """
    a = np.ascontiguousarray(np.asarray(array, dtype=np.float64))
    return {
        "sha256": hashlib.sha256(a.tobytes()).hexdigest(),
        "sum": float(a.sum()),
        "sum_sq": float((a * a).sum()),
    }


def machine():
    """CPU model and the vector and FMA flags that can change a maths library's code path."""
    flags, model = set(), ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("flags") and not flags:
                flags = set(line.split(":", 1)[1].split())
            if line.startswith("model name") and not model:
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    return {"cpu": model, "flags": sorted(flags & {"avx", "avx2", "avx512f", "fma", "sse4_2"})}


def shipped_models():
    """Every shipped model file, as a path relative to the models folder (validation.yaml files are not models)."""
    return sorted(str(p.relative_to(MODELS_DIR)) for p in MODELS_DIR.rglob("*.yaml") if p.name != "validation.yaml")


def result_hashes(name):
    """Hashes of one model's results (or the error class where a profile does not apply)."""
    out = {}
    path = MODELS_DIR / name
    for profile in sorted(PROFILES):
        for gwp_set in sorted(GWP_SETS):
            key = f"footprint/{profile}/{gwp_set}"
            try:
                out[key] = digest(pcflab.footprint(path, gwp_set=gwp_set, profile=profile)["gwp100"].values)
            except pcflab.PcfError as err:
                out[key] = {"error": type(err).__name__}
    for sampler in ("random", "lhs", "sobol"):
        res = pcflab.simulate(path, n_samples=N_SAMPLES, seed=SEED, sampler=sampler)
        out[f"simulate/{sampler}/total"] = digest(res["total"].values)
        out[f"simulate/{sampler}/gwp100"] = digest(res["gwp100"].values)
    return out


def main():
    warnings.simplefilter("ignore")
    table = {"machine": machine(), "results": {name: result_hashes(name) for name in shipped_models()}}
    json.dump(table, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
