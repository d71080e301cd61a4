"""Emission factors: the database, its CSV schema, imports, releases, resolution, cross-validation.

A factor database (``FactorDB``, an ``xarray.Dataset`` of value, uncertainty and
provenance per factor and gas) is read from the sourced CSV tables of
``datasets/factors`` (``load_factors``), extended from an import template
(``import_factors``), frozen as a release and compared with another (``open_release``,
``diff_factors``). ``resolve`` picks the factor a model's reference names, by region and
the selection policy; ``compare_factors`` cross-validates the sources of one quantity.
"""

from ._crossval import compare_factors
from ._database import FactorDB, default_factor_dir, factor_source_files, load_build, load_factors
from ._import import TEMPLATE_COLUMNS, import_factors
from ._release import diff_factors, open_release
from ._resolve import SELECTION_POLICY, Resolution, rank_sources, resolve
from ._schema import COLUMNS, REQUIRED, TAGS, TRACEABILITY, Problem, read_factor_rows, region_parent

__all__ = [
    "COLUMNS",
    "FactorDB",
    "Problem",
    "REQUIRED",
    "Resolution",
    "SELECTION_POLICY",
    "TAGS",
    "TEMPLATE_COLUMNS",
    "TRACEABILITY",
    "compare_factors",
    "default_factor_dir",
    "diff_factors",
    "factor_source_files",
    "import_factors",
    "load_build",
    "load_factors",
    "open_release",
    "rank_sources",
    "read_factor_rows",
    "region_parent",
    "resolve",
]
