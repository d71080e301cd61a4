"""What people look at: figures, tables, class labels and papermill reports.

``plot_*`` draw the results of ``pcflab.analysis`` with matplotlib; ``*_table`` turn them
into display-ready tables (units in the column names) and ``html_table`` renders one;
``class_label_svg`` draws a product's class label; ``report_summary`` lays a report's
numbers out as its ``summary.json`` (schema: ``ReportSummary``) and
``write_report_outputs`` writes it with ``results.nc``, atomically; ``run_report``
executes a parameterised notebook with papermill in a staging folder and writes its HTML
and results atomically, after ``resolve_report`` checked its parameters and chose by the
model's sector its notebook (``sector_notebook``), class schemes (``default_schemes``,
``check_schemes``) and scenario lever (``sector_lever``, ``scenario_model``);
``ReportSections`` are the sections every notebook shows, ``paired_scenario`` a model and
its scenario under shared draws.
"""

from ._label import class_label_svg
from ._levers import (
    PILOT_SECTORS,
    check_schemes,
    default_schemes,
    scenario_model,
    scheme_fit,
    sector_lever,
    sector_notebook,
)
from ._plots import (
    plot_class_probabilities,
    plot_comparison,
    plot_convergence,
    plot_histogram,
    plot_sobol,
    plot_stages,
    plot_tornado,
    plot_variance_shares,
)
from ._report import (
    ReportParameters,
    check_parameter_values,
    notebook_path,
    report_name,
    resolve_report,
    run_report,
)
from ._sections import ReportSections, paired_scenario
from ._summary import PROVENANCE_KEYS, ReportSummary, report_provenance, report_summary, write_report_outputs
from ._tables import (
    contribution_table,
    factor_table,
    gas_table,
    grade_table,
    html_table,
    method_table,
    process_table,
    quality_table,
    sobol_table,
    stage_table,
    stage_totals,
    statistics_table,
)

__all__ = [
    "PILOT_SECTORS",
    "PROVENANCE_KEYS",
    "ReportParameters",
    "ReportSections",
    "ReportSummary",
    "check_parameter_values",
    "check_schemes",
    "class_label_svg",
    "contribution_table",
    "default_schemes",
    "factor_table",
    "gas_table",
    "grade_table",
    "html_table",
    "method_table",
    "notebook_path",
    "paired_scenario",
    "plot_class_probabilities",
    "plot_comparison",
    "plot_convergence",
    "plot_histogram",
    "plot_sobol",
    "plot_stages",
    "plot_tornado",
    "plot_variance_shares",
    "process_table",
    "quality_table",
    "report_name",
    "report_provenance",
    "report_summary",
    "resolve_report",
    "run_report",
    "scenario_model",
    "scheme_fit",
    "sector_lever",
    "sector_notebook",
    "sobol_table",
    "stage_table",
    "stage_totals",
    "statistics_table",
    "write_report_outputs",
]
