"""The random-number ceiling: pcflab's sampler beside the fastest lognormal draw there is here.

    python benchmarks/bench_sampler.py [--size 100] [--samples 4096] [--repeats 7] [--out FILE]

All engines run in this one process, one numba thread, on the same lognormal parameters
(every uncertain quantity of the synthetic system of ``--size`` processes: technosphere
inputs, direct emissions, factors) and the same output shape (``--samples`` x quantities,
float64, the shape of one of pcflab's parameter chunks):

- **limit**: ``numpy.random.Generator(PCG64)`` ziggurat normals, ``exp(mu + sigma * z)``,
  inside ``@numba.njit``, written into the array (the fastest lognormal draw there is here:
  the ceiling); also with ``Generator(Philox)``, and summed instead of stored;
- **numba ``rng.lognormal``** with ``Generator(PCG64)`` (what ``bench_kernel.py`` called the
  random-number limit until December 2026: numba's ``lognormal`` is slower than
  ``exp(mu + sigma * standard_normal())``);
- **pcflab**: ``kernel.sample_parameters`` (the ``random`` sampler), as the kernel runs it.

Passes alternate between the engines (so a burst of other users' load hits all of them);
each figure is the best of ``--repeats`` passes. The CPU model and its vector extensions are
printed beside the figures: compare only within one run. With ``--out`` the figures are also
written as JSON.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402

_VECTOR_FLAGS = ("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512vl", "neon", "asimd", "sve")


def cpu():
    """CPU model and the vector extensions /proc/cpuinfo lists."""
    model, flags = platform.processor() or "unknown", set()
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                key, _, value = line.partition(":")
                key = key.strip()
                if key == "model name" and model in ("unknown", "", platform.processor()):
                    model = value.strip()
                elif key in ("flags", "Features") and not flags:
                    flags = set(value.split())
    except OSError:
        pass
    return {"model": model, "vector_extensions": [f for f in _VECTOR_FLAGS if f in flags], "nproc": os.cpu_count()}


def parameters(size, seed):
    """Medians, log-GSDs of every uncertain quantity of the synthetic system of ``size``."""
    desc = synthetic.generate(size, seed)
    median = np.concatenate([desc.tech_amount, desc.emis_amount, desc.factor_value])
    gsd = np.concatenate([desc.tech_gsd, desc.emis_gsd, desc.factor_gsd])
    return median, gsd


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=100, help="synthetic system size (processes)")
    ap.add_argument("--samples", type=int, default=4096, help="samples per pass (rows of the output)")
    ap.add_argument("--repeats", type=int, default=7, help="passes per engine; the best counts")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, help="also write the figures as JSON here")
    ap.add_argument("--md", type=Path, help="also write them as Markdown here (benchmarks/RESULTS_SAMPLER.md)")
    args = ap.parse_args(argv)

    import numba

    numba.set_num_threads(1)
    from pcflab import kernel

    median, gsd = parameters(args.size, args.seed)
    k, n = len(median), int(args.samples)
    mu, sigma = np.log(median), np.log(gsd)

    @numba.njit(cache=False)
    def exp_normal_store(rng, mu, sigma, out):
        for j in range(out.shape[0]):
            for p in range(out.shape[1]):
                out[j, p] = math.exp(mu[p] + sigma[p] * rng.standard_normal())

    @numba.njit(cache=False)
    def exp_normal_sum(rng, mu, sigma, n):
        acc = 0.0
        for _ in range(n):
            for p in range(mu.shape[0]):
                acc += math.exp(mu[p] + sigma[p] * rng.standard_normal())
        return acc

    @numba.njit(cache=False)
    def numba_lognormal_store(rng, mu, sigma, out):
        for j in range(out.shape[0]):
            for p in range(out.shape[1]):
                out[j, p] = rng.lognormal(mu[p], sigma[p])

    kinds = np.full(k, kernel.LOGNORMAL, np.int64)
    keys = (np.arange(1, k + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)) ^ np.uint64(0x5EED)
    kp = kernel.KernelParameters.from_arrays(kinds, median, gsd, np.zeros(k), keys)
    out = np.empty((n, k))
    pcg = np.random.Generator(np.random.PCG64(args.seed))
    phx = np.random.Generator(np.random.Philox(args.seed))

    engines = {
        "Generator(PCG64) ziggurat normal, exp(mu + sigma z), stored": lambda: exp_normal_store(pcg, mu, sigma, out),
        "Generator(PCG64) ziggurat normal, exp(mu + sigma z), summed": lambda: exp_normal_sum(pcg, mu, sigma, n),
        "Generator(Philox) ziggurat normal, exp(mu + sigma z), stored": lambda: exp_normal_store(phx, mu, sigma, out),
        "numba rng.lognormal, Generator(PCG64), stored": lambda: numba_lognormal_store(pcg, mu, sigma, out),
        "pcflab kernel.sample_parameters (random sampler)": lambda: kernel.sample_parameters(kp, args.seed, 0, n),
    }
    compile_s = {}
    for name, run in engines.items():  # compile and warm up
        t0 = time.perf_counter()
        run()
        compile_s[name] = time.perf_counter() - t0
    best = dict.fromkeys(engines, math.inf)
    for _ in range(args.repeats):
        for name, run in engines.items():
            t0 = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - t0)
    rate = {name: n * k / best[name] for name in engines}
    limit_name = next(iter(engines))
    limit = max(rate[limit_name], rate["Generator(PCG64) ziggurat normal, exp(mu + sigma z), summed"])
    info = cpu()
    res = {
        "cpu": info,
        "versions": {"numpy": np.__version__, "numba": numba.__version__, "python": platform.python_version()},
        "svml": bool(getattr(numba.config, "USING_SVML", False)),
        "size": args.size,
        "quantities": k,
        "samples": n,
        "repeats": args.repeats,
        "draws_per_s": rate,
        "limit_draws_per_s": limit,
        "fraction_of_limit": {name: rate[name] / limit for name in engines},
        "load_average": os.getloadavg(),
    }
    print(f"CPU: {info['model']} ({info['nproc']} cores); vector extensions: {' '.join(info['vector_extensions'])}")
    print(f"numpy {np.__version__}, numba {numba.__version__}, SVML {'on' if res['svml'] else 'off'}, one thread")
    print(f"{k} lognormal quantities (synthetic N = {args.size}) x {n} samples, best of {args.repeats} passes")
    print(f"ceiling (the faster PCG64 ziggurat + exp variant): {limit / 1e6:.1f} M draws/s")
    for name in engines:
        print(f"  {rate[name] / 1e6:7.1f} M draws/s  {rate[name] / limit:6.0%} of the ceiling  {name}")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.out:
        args.out.write_text(json.dumps(res, indent=1) + "\n")
    if args.md:
        args.md.write_text(markdown(res, " ".join(["python", "benchmarks/bench_sampler.py", *(argv or sys.argv[1:])])))
    return res


def markdown(res, command):
    """The run as a Markdown page."""
    info = res["cpu"]
    lines = [
        "# Sampler ceiling results",
        "",
        "Written by `benchmarks/bench_sampler.py` (overwritten on every run). All engines in one process, one "
        "numba thread, passes alternating between engines, best pass of each; compare only within this run.",
        "",
        f"- date: {datetime.datetime.now(datetime.UTC).isoformat(timespec='seconds')}",
        f"- CPU: {info['model']}, {info['nproc']} cores; vector extensions: {' '.join(info['vector_extensions'])}",
        f"- load average at end: {' '.join(f'{x:.2f}' for x in res['load_average'])} (shared machine)",
        f"- command: `{command}`",
        f"- versions: numpy {res['versions']['numpy']}, numba {res['versions']['numba']}, python "
        f"{res['versions']['python']}; numba SVML {'on' if res['svml'] else 'off'}",
        f"- workload: {res['quantities']} lognormal quantities (every uncertain quantity of the synthetic "
        f"system of N = {res['size']} processes) x {res['samples']} samples, float64 output; best of "
        f"{res['repeats']} passes",
        "",
        f"**Ceiling** (the faster of the two `Generator(PCG64)` ziggurat + `exp` loops): "
        f"**{res['limit_draws_per_s'] / 1e6:.1f} M lognormal draws/s**.",
        "",
        "| engine | M draws/s | fraction of the ceiling |",
        "|---|---:|---:|",
    ]
    for name, rate in res["draws_per_s"].items():
        lines.append(f"| {name} | {rate / 1e6:.1f} | {res['fraction_of_limit'][name]:.0%} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
