"""pcflab: a research workbench for product carbon footprints.

The public API:

- ``load_factors`` / ``load_model`` / ``compile_model``: data in;
- ``footprint``: the deterministic footprint by process, stage and gas, under a method
  profile (``pcflab.methods.PROFILES``); ``compare_methods``: every profile in one table;
- ``simulate`` / ``summary`` / ``simulate_until`` / ``standard_errors``: Monte Carlo
  uncertainty, streamed or as the full sample x stage x gas cube; ``compare_products``:
  several products under shared uncertainty (differences, P(A < B), rank probabilities);
- ``sensitivity``: global sensitivity analysis with SALib (Sobol, Morris, FAST, RBD-FAST,
  delta, PAWN), per quantity or per group (``GROUPINGS``);
- ``contributions`` / ``tornado`` / ``variance_shares``: what the footprint and its variance
  are made of;
- ``data_quality``: the product's DQR, primary-data, traceable-data and cut-off shares;
- ``grade`` / ``class_label_svg``: the footprint class, with its probability under uncertainty;
- ``validation_table``: every shipped model beside published footprints of the same product;
- ``plot_*``: the figures of all of the above; ``*_table`` / ``html_table``: its tables;
  ``format_unit``: a unit as a reader writes it (``kg/m³``, ``kg CO₂e``);
- ``run_report``: a papermill report of a model, its notebook, class schemes and scenario
  lever chosen by the model's sector (``resolve_report`` checks its parameters first);
  ``ReportSections``: the sections the notebooks show; ``report_summary`` /
  ``write_report_outputs``: its ``summary.json`` (schema ``ReportSummary``) and
  ``results.nc``.
"""

from pcflab.analysis import (
    CONTRIBUTION_GROUPS,
    GROUPINGS,
    DataQuality,
    GradeResult,
    compare_methods,
    compare_products,
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
    validation_table,
    variance_shares,
)
from pcflab.core import PcfError, format_unit
from pcflab.factors import load_factors
from pcflab.models import compile_model, load_model
from pcflab.reporting import (
    ReportParameters,
    ReportSections,
    ReportSummary,
    class_label_svg,
    contribution_table,
    factor_table,
    gas_table,
    grade_table,
    html_table,
    method_table,
    plot_class_probabilities,
    plot_comparison,
    plot_convergence,
    plot_histogram,
    plot_sobol,
    plot_stages,
    plot_tornado,
    plot_variance_shares,
    process_table,
    quality_table,
    report_provenance,
    report_summary,
    resolve_report,
    run_report,
    sobol_table,
    stage_table,
    statistics_table,
    write_report_outputs,
)

from ._version import __version__

__all__ = [
    "CONTRIBUTION_GROUPS",
    "DataQuality",
    "GROUPINGS",
    "GradeResult",
    "PcfError",
    "ReportParameters",
    "ReportSections",
    "ReportSummary",
    "__version__",
    "class_label_svg",
    "compare_methods",
    "compare_products",
    "compile_model",
    "contribution_table",
    "contributions",
    "data_quality",
    "evaluate",
    "factor_table",
    "footprint",
    "format_unit",
    "gas_table",
    "grade",
    "grade_table",
    "html_table",
    "load_factors",
    "load_model",
    "method_table",
    "plot_class_probabilities",
    "plot_comparison",
    "plot_convergence",
    "plot_histogram",
    "plot_sobol",
    "plot_stages",
    "plot_tornado",
    "plot_variance_shares",
    "process_table",
    "product_dqr",
    "quality_table",
    "quantity_table",
    "report_categories",
    "report_provenance",
    "report_summary",
    "resolve_report",
    "run_report",
    "sensitivity",
    "simulate",
    "simulate_until",
    "sobol_table",
    "stage_table",
    "standard_errors",
    "statistics_table",
    "summary",
    "tornado",
    "validation_table",
    "variance_shares",
    "write_report_outputs",
]
