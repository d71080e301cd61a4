"""pcflab's compiled core: flat numpy arrays in, arrays out.

Nothing here knows about YAML, units, xarray or standards; ``pcflab`` compiles models
into the arrays these kernels take.
"""

from ._distributions import FIXED, LOGNORMAL, NORMAL, TRIANGULAR, UNIFORM, inverse_cdf
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
from ._philox import philox4x64, uniform01
from ._solve import lu_solve_inplace
from ._system import (
    STATUS_NONFINITE,
    STATUS_NONPRODUCTIVE,
    STATUS_OK,
    STATUS_SINGULAR,
    KernelSystem,
    evaluate_by_process,
    evaluate_by_stage,
    sample_parameters,
    scaling_vector,
)

__all__ = [
    "ADD",
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
    "KernelSystem",
    "evaluate_by_process",
    "evaluate_by_stage",
    "inverse_cdf",
    "lu_solve_inplace",
    "ndtri",
    "philox4x64",
    "run_program",
    "sample_parameters",
    "scaling_vector",
    "uniform01",
]
