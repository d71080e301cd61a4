"""Compile pcflab's numba kernels into the on-disk cache before the first analysis.

numba compiles each kernel on its first call and caches the machine code on disk
(``pcflab.kernel``: one folder per version of the kernel sources). On a fresh machine that
first call costs tens of seconds; ``make install`` runs ``pcflab warmup`` once, so that
``make demo`` and every later process load the compiled kernels instead.
"""

import time

from pcflab import kernel

from ._contributions import contributions
from ._footprint import footprint
from ._prepare import prepare
from ._simulate import simulate

__all__ = ["warm_up"]

#: a shipped model with a loop block (solved by LU) and every kind of exchange
WARM_UP_MODEL = "steel/bf-bof-hot-rolled-coil"


def warm_up(model=WARM_UP_MODEL):
    """Call every kernel once on a small model so that numba compiles and caches it.

    Parameters
    ----------
    model : str or Path, default ``"steel/bf-bof-hot-rolled-coil"``
        A model to run the kernels on; the kernels' signatures do not depend on it.

    Returns
    -------
    float
        Seconds it took [s]: tens of seconds when the kernels were compiled, under a
        few seconds when they were loaded from the cache.
    """
    t0 = time.perf_counter()
    cm = prepare(model)
    footprint(cm)
    for sampler in kernel.SAMPLERS:
        simulate(cm, 64, 1, sampler=sampler)
    contributions(cm, "exchange")
    kernel.spearman_to_pearson(0.5)
    return time.perf_counter() - t0
