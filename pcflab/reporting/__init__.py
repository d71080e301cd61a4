"""What people look at: figures, class labels and papermill reports.

``plot_*`` draw the results of ``pcflab.analysis`` with matplotlib; ``class_label_svg``
draws a product's class label; ``run_report`` executes a parameterised notebook with
papermill in a staging folder and writes its HTML and results atomically.
"""

from ._label import class_label_svg
from ._plots import (
    plot_class_probabilities,
    plot_convergence,
    plot_histogram,
    plot_sobol,
    plot_stages,
    plot_tornado,
    plot_variance_shares,
)
from ._report import ReportParameters, notebook_path, report_name, run_report

__all__ = [
    "ReportParameters",
    "class_label_svg",
    "notebook_path",
    "plot_class_probabilities",
    "plot_convergence",
    "plot_histogram",
    "plot_sobol",
    "plot_stages",
    "plot_tornado",
    "plot_variance_shares",
    "report_name",
    "run_report",
]
