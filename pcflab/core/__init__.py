"""The base layer: errors, units, number formatting and atomic writes for every other layer.

Nothing here imports another part of pcflab, so ``pcflab.methods`` (accounting rules)
can raise pcflab's errors and convert units without importing the face. The errors say
what is wrong, where (file, line, field) and how to fix it; ``ureg`` is the one pint
unit registry, with ``t`` the metric tonne and CO2e defined; ``atomic_write`` writes a
file so that a reader sees the old one or the new one, never half of one.
"""

from ._deprecation import renamed_arguments
from ._errors import (
    AmbiguousUnitError,
    FactorTableError,
    ModelError,
    ModelWarning,
    PcfError,
    ReportError,
    SystemSolveError,
    UnitMismatchError,
    UnknownFactorError,
)
from ._files import atomic_write, atomic_write_text
from ._format import format_probability, format_unit
from ._units import AMBIGUOUS_UNITS, parse_unit, ureg

__all__ = [
    "AMBIGUOUS_UNITS",
    "AmbiguousUnitError",
    "FactorTableError",
    "ModelError",
    "ModelWarning",
    "PcfError",
    "ReportError",
    "SystemSolveError",
    "UnitMismatchError",
    "UnknownFactorError",
    "atomic_write",
    "atomic_write_text",
    "format_probability",
    "format_unit",
    "parse_unit",
    "renamed_arguments",
    "ureg",
]
