"""pcflab's compiled core: flat numpy arrays in, arrays out.

Nothing here knows about YAML, units, xarray or standards; ``pcflab`` compiles models
into the arrays these kernels take: a ``KernelSystem`` (the product system) and a
``KernelParameters`` (the distributions of its uncertain quantities), two NamedTuples of
plain arrays.

Compiled kernels are cached on disk (``cache=True``). numba's cache only notices edits to
the file that defines a function, not to the files of the functions it calls
(numba#4807 and related), so a stale kernel could run after an upgrade. The kernels are
therefore cached in a folder named after a hash of all kernel sources: any edit gives a
fresh folder. The base folder is ``NUMBA_CACHE_DIR`` if set, else
``~/.cache/pcflab/numba``.
"""

import hashlib as _hashlib
import os as _os
from pathlib import Path as _Path

from numba.core import config as _numba_config


def _kernel_cache_dir():
    digest = _hashlib.sha256()
    for source in sorted(_Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    base = _numba_config.CACHE_DIR or _os.path.join(_os.path.expanduser("~"), ".cache", "pcflab", "numba")
    return _os.path.join(base, "pcflab-kernel-" + digest.hexdigest()[:16])


_previous_cache_dir = _numba_config.CACHE_DIR
_numba_config.CACHE_DIR = _kernel_cache_dir()  # read by numba when each kernel below is decorated

from ._distributions import (
    BETA,
    DISCRETE,
    FIXED,
    LOGNORMAL,
    NORMAL,
    PERT,
    TRIANGULAR,
    TRUNCNORMAL,
    UNIFORM,
    betainc,
    betaincinv,
    inverse_cdf,
    inverse_cdf_full,
)
from ._formula import (
    ADD,
    AND,
    CONST,
    DIV,
    EQ,
    GE,
    GT,
    IFELSE,
    LE,
    LT,
    MAX,
    MIN,
    MUL,
    NE,
    NEG,
    NOT,
    OR,
    PARAM,
    POW,
    SUB,
    run_program,
)
from ._normal import ndtri
from ._parameters import KernelParameters
from ._philox import philox4x64, uniform01
from ._sampling import SAMPLERS, feistel_permute, sample_parameters, spearman_to_pearson, transform_uniforms
from ._solve import lu_solve_inplace
from ._system import (
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
from ._ziggurat import normal01

_numba_config.CACHE_DIR = _previous_cache_dir

__all__ = [
    "ADD",
    "BETA",
    "DISCRETE",
    "PERT",
    "SAMPLERS",
    "TRUNCNORMAL",
    "betainc",
    "betaincinv",
    "feistel_permute",
    "inverse_cdf_full",
    "spearman_to_pearson",
    "AND",
    "CONST",
    "DIV",
    "EQ",
    "FIXED",
    "GE",
    "GT",
    "IFELSE",
    "LE",
    "LOGNORMAL",
    "LT",
    "MAX",
    "MIN",
    "MUL",
    "NE",
    "NEG",
    "NORMAL",
    "NOT",
    "OR",
    "PARAM",
    "POW",
    "STATUS_NONFINITE",
    "STATUS_NONPRODUCTIVE",
    "STATUS_OK",
    "STATUS_SINGULAR",
    "SUB",
    "TRIANGULAR",
    "UNIFORM",
    "KernelParameters",
    "KernelSystem",
    "evaluate_by_process",
    "evaluate_by_stage",
    "exchange_amounts",
    "inverse_cdf",
    "lu_solve_inplace",
    "ndtri",
    "normal01",
    "philox4x64",
    "run_program",
    "sample_parameters",
    "scaling_vector",
    "transform_uniforms",
    "uniform01",
]
