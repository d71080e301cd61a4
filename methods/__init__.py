"""Accounting and analysis methods: GWP sets, stages, data quality, statistics."""

from ._gases import GASES, STAGE_NAMES_ZH, STAGES
from ._gwp import GWP_SETS, gwp100, gwp100_vector
from ._pedigree import PEDIGREE_INDICATORS, PEDIGREE_VARIANCES, gsd_from_pedigree, parse_pedigree
from ._statistics import summarize

__all__ = [
    "GASES",
    "GWP_SETS",
    "PEDIGREE_INDICATORS",
    "PEDIGREE_VARIANCES",
    "STAGES",
    "STAGE_NAMES_ZH",
    "gsd_from_pedigree",
    "gwp100",
    "gwp100_vector",
    "parse_pedigree",
    "summarize",
]
