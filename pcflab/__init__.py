"""pcflab: a research workbench for product carbon footprints.

The public API:

- ``load_factors`` / ``load_model`` / ``compile_model``: data in;
- ``footprint``: the deterministic footprint by process, stage and gas, under a method
  profile (``pcflab.methods.PROFILES``); ``compare_methods``: every profile in one table;
- ``simulate`` / ``summary``: Monte Carlo uncertainty;
- ``run_report``: a papermill report of a model.
"""

from ._compile import compile_model
from ._errors import PcfError
from ._factors import load_factors
from ._footprint import compare_methods, footprint, report_categories
from ._model import load_model
from ._plots import plot_histogram, plot_stages
from ._report import ReportParameters, run_report
from ._simulate import evaluate, simulate, simulate_until, standard_errors, summary
from ._version import __version__

__all__ = [
    "PcfError",
    "ReportParameters",
    "__version__",
    "compare_methods",
    "compile_model",
    "evaluate",
    "footprint",
    "load_factors",
    "load_model",
    "plot_histogram",
    "plot_stages",
    "report_categories",
    "run_report",
    "simulate",
    "simulate_until",
    "standard_errors",
    "summary",
]
