"""Analyses of a compiled model: footprint, Monte Carlo, sensitivity, contributions, data quality, grading.

Every analysis takes a model (file, shipped name, ``ProductSystem`` or ``CompiledModel``)
and prepares it under a method profile (``prepare``: compile and apply the cut-off);
results are labelled ``xarray`` datasets or small result objects, with the provenance of
the model, factor release, profile, seed and versions in their ``attrs``. Every analysis
takes the same names in the same order: ``model``, its subject, ``factors``, ``profile``,
``gwp_set``, ``n_samples`` and ``seed`` where it samples, ``result`` (a ``simulate``
result to reuse) where it uses samples, then its options (``_vocabulary``).
``compare_products`` simulates several products together, with shared draws of what they
share.
"""

from ._compare import SHARING, compare_products
from ._contributions import CONTRIBUTION_GROUPS, contributions, tornado, variance_shares
from ._data_quality import DataQuality, data_quality, data_quality_attrs, exchange_parameters, product_dqr
from ._footprint import compare_methods, footprint, report_categories
from ._grade import GradeResult, grade
from ._prepare import exchange_contributions, prepare
from ._sensitivity import GROUPINGS, quantity_table, sensitivity
from ._simulate import STAT_BLOCK, THETA_BUDGET, evaluate, simulate, simulate_until, standard_errors, summary
from ._validation import ValidationEntry, validation_entries, validation_markdown, validation_table
from ._warmup import warm_up

__all__ = [
    "CONTRIBUTION_GROUPS",
    "DataQuality",
    "GROUPINGS",
    "GradeResult",
    "SHARING",
    "STAT_BLOCK",
    "THETA_BUDGET",
    "ValidationEntry",
    "compare_methods",
    "compare_products",
    "contributions",
    "data_quality",
    "data_quality_attrs",
    "evaluate",
    "exchange_contributions",
    "exchange_parameters",
    "footprint",
    "grade",
    "prepare",
    "product_dqr",
    "quantity_table",
    "report_categories",
    "sensitivity",
    "simulate",
    "simulate_until",
    "standard_errors",
    "summary",
    "tornado",
    "validation_entries",
    "validation_markdown",
    "validation_table",
    "variance_shares",
    "warm_up",
]
