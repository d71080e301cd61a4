"""pcflab: a research workbench for product carbon footprints.

The public API:

- ``load_factors`` / ``load_model`` / ``compile_model``: data in;
- ``footprint``: the deterministic footprint by process, stage and gas, under a method
  profile (``pcflab.methods.PROFILES``); ``compare_methods``: every profile in one table;
- ``simulate`` / ``summary`` / ``simulate_until`` / ``standard_errors``: Monte Carlo
  uncertainty, streamed or as the full sample x stage x gas cube;
- ``sensitivity``: global sensitivity analysis with SALib (Sobol, Morris, FAST, RBD-FAST,
  delta, PAWN), per quantity or per group (``GROUPINGS``);
- ``contributions`` / ``tornado`` / ``variance_shares``: what the footprint and its variance
  are made of;
- ``data_quality``: the product's DQR, primary-data, traceable-data and cut-off shares;
- ``grade`` / ``class_label_svg``: the footprint class, with its probability under uncertainty;
- ``plot_*``: the figures of all of the above;
- ``run_report``: a papermill report of a model.
"""

from pcflab.analysis import (
    CONTRIBUTION_GROUPS,
    GROUPINGS,
    DataQuality,
    GradeResult,
    compare_methods,
    contributions,
    data_quality,
    evaluate,
    footprint,
    grade,
    product_dqr,
    quantity_table,
    report_categories,
    sensitivity,
    simulate,
    simulate_until,
    standard_errors,
    summary,
    tornado,
    variance_shares,
)
from pcflab.core import PcfError
from pcflab.factors import load_factors
from pcflab.models import compile_model, load_model
from pcflab.reporting import (
    ReportParameters,
    class_label_svg,
    plot_class_probabilities,
    plot_convergence,
    plot_histogram,
    plot_sobol,
    plot_stages,
    plot_tornado,
    plot_variance_shares,
    run_report,
)

from ._version import __version__

__all__ = [
    "CONTRIBUTION_GROUPS",
    "DataQuality",
    "GROUPINGS",
    "GradeResult",
    "PcfError",
    "ReportParameters",
    "__version__",
    "class_label_svg",
    "compare_methods",
    "compile_model",
    "contributions",
    "data_quality",
    "evaluate",
    "footprint",
    "grade",
    "load_factors",
    "load_model",
    "plot_class_probabilities",
    "plot_convergence",
    "plot_histogram",
    "plot_sobol",
    "plot_stages",
    "plot_tornado",
    "plot_variance_shares",
    "product_dqr",
    "quantity_table",
    "report_categories",
    "run_report",
    "sensitivity",
    "simulate",
    "simulate_until",
    "standard_errors",
    "summary",
    "tornado",
    "variance_shares",
]
