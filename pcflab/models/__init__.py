"""Product-system models: YAML reading, validation, formulas, units, compiling for the kernel.

``load_model`` reads a model file (processes, exchanges, parameters with units and
uncertainty) into a validated ``ProductSystem``, naming file, line and field on any
error; ``parse_formula`` turns a parameter formula into a kernel program; and
``compile_model`` resolves factors, converts every amount to SI with pint and lays the
model out as the flat arrays of a ``CompiledModel`` that ``pcflab.kernel`` evaluates.
"""

from ._compile import CompiledModel, compile_model, stream_key
from ._formula import Formula, parse_formula
from ._product_system import NOT_MODEL_FILES, ProductSystem, load_model, model_path, model_schema, shipped_models
from ._yaml import read_yaml_mapping

__all__ = [
    "NOT_MODEL_FILES",
    "CompiledModel",
    "Formula",
    "ProductSystem",
    "compile_model",
    "load_model",
    "model_path",
    "model_schema",
    "parse_formula",
    "read_yaml_mapping",
    "shipped_models",
    "stream_key",
]
