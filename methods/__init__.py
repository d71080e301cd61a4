"""Accounting and analysis methods of pcflab.

GWP sets, gases and stages, method profiles, CBAM goods and precursors, allocation, recycling, pedigree and data
quality, grading schemes, sensitivity designs and statistics.
"""

from ._allocation import ALLOCATION_METHODS, allocation_share
from ._cbam import CBAM_CATEGORIES, CBAM_GOODS, CbamGood, cbam_category, cbam_good, is_relevant_precursor, normalise_cn
from ._dqr import (
    DQR_CRITERIA,
    DQR_LEVELS,
    aggregate_dqr,
    dqr,
    dqr_from_pedigree,
    dqr_level,
    parse_dqr,
    process_dqr,
)
from ._gases import GASES, STAGE_NAMES_ZH, STAGES
from ._grading import GradeClass, Scheme, class_index, classify, list_schemes, load_scheme, thresholds, to_scheme_units
from ._gwp import GWP_SETS, gwp100, gwp100_vector
from ._pedigree import (
    FACTOR_KINDS,
    PEDIGREE_APPLIES,
    PEDIGREE_INDICATORS,
    PEDIGREE_VARIANCES,
    gsd_from_pedigree,
    gsd_from_range,
    parse_pedigree,
)
from ._profiles import PROFILES, MethodProfile, get_profile
from ._recycling import RECYCLING_COEFFICIENTS, CffParameters, avoided_burden, circular_footprint_formula, cut_off
from ._sensitivity import (
    DESIGN_METHODS,
    GIVEN_DATA_METHODS,
    RANKING,
    design_error,
    gsa,
    gsa_given_data,
    mark_zero,
    sobol_to_precision,
    unit_problem,
)
from ._statistics import summarize

__all__ = [
    "CBAM_CATEGORIES",
    "CBAM_GOODS",
    "CbamGood",
    "cbam_category",
    "cbam_good",
    "is_relevant_precursor",
    "normalise_cn",
    "DESIGN_METHODS",
    "GIVEN_DATA_METHODS",
    "GradeClass",
    "RANKING",
    "Scheme",
    "class_index",
    "classify",
    "design_error",
    "list_schemes",
    "load_scheme",
    "thresholds",
    "to_scheme_units",
    "ALLOCATION_METHODS",
    "PROFILES",
    "RECYCLING_COEFFICIENTS",
    "MethodProfile",
    "CffParameters",
    "DQR_CRITERIA",
    "DQR_LEVELS",
    "GASES",
    "GWP_SETS",
    "FACTOR_KINDS",
    "PEDIGREE_APPLIES",
    "PEDIGREE_INDICATORS",
    "PEDIGREE_VARIANCES",
    "STAGES",
    "STAGE_NAMES_ZH",
    "aggregate_dqr",
    "allocation_share",
    "avoided_burden",
    "circular_footprint_formula",
    "cut_off",
    "dqr",
    "dqr_from_pedigree",
    "dqr_level",
    "get_profile",
    "gsd_from_pedigree",
    "gsd_from_range",
    "gwp100",
    "gsa",
    "gsa_given_data",
    "gwp100_vector",
    "mark_zero",
    "parse_dqr",
    "parse_pedigree",
    "process_dqr",
    "sobol_to_precision",
    "summarize",
    "unit_problem",
]
