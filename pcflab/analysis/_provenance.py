"""Provenance of a result: what it was computed from and with (``attrs``)."""

import hashlib
import json
import platform
from pathlib import Path

import numba
import numpy as np

from pcflab._version import __version__

from ._data_quality import data_quality_attrs

__all__ = []


def _provenance(cm, gwp_set):
    """Say what a result was computed from and with, and the data quality behind it (``attrs``).

    The data-quality summary (``dqr``, ``dqr_level``, ``dqr_coverage``,
    ``primary_share``, ``traceable_share``, ``cutoff_excluded_share``,
    ``data_quality_notes``; see ``pcflab.data_quality``) is computed once per compiled model from
    the exchange contributions at the parameters' values. What does not enter the result is
    counted and listed (``unreachable_processes``, ``unused_parameters``, ``unused_factors``:
    counts; the same names with ``_list``: JSON lists). Every value is a netCDF-safe
    scalar or string: missing numbers are NaN, a missing DQR level is ``"n/a"``.
    """
    m = cm.model
    cutoff = getattr(cm, "cutoff", {"threshold": 0.0, "excluded_share": 0.0, "excluded": []})
    return {
        "method_profile": cm.profile.name,
        "method_profile_title": cm.profile.title,
        "method_profile_sha256": hashlib.sha256(cm.profile.model_dump_json().encode()).hexdigest(),
        "allocation": cm.profile.allocation,
        "recycling": cm.profile.recycling,
        "electricity_accounting": cm.profile.electricity,
        "cutoff_threshold": cutoff["threshold"],
        "cutoff_excluded_share": cutoff["excluded_share"],
        "cutoff_excluded": json.dumps(cutoff["excluded"], ensure_ascii=False),
        **data_quality_attrs(cm, gwp_set),
        "model_notes": json.dumps(cm.notes, ensure_ascii=False),
        **_unused_attrs(cm),
        "model_id": m.id,
        "model_name": m.name,
        "model_file": Path(m.path).name,
        "model_sha256": m.sha256,
        "factors_sha256": cm.factors_sha256,
        "factor_release": cm.factor_release,
        "factor_resolutions": json.dumps([r.as_dict() for r in cm.resolutions], ensure_ascii=False),
        "functional_unit": f"{m.functional_unit.amount:g} {m.functional_unit.unit} {m.functional_unit.description}",
        "region": m.region,
        "reference_year": m.year,
        "gwp_set": gwp_set,
        "gwp_horizon": "GWP100",
        "pcflab_version": __version__,
        "numpy_version": np.__version__,
        "numba_version": numba.__version__,
        "python_version": platform.python_version(),
    }


def _unused_attrs(cm):
    """Count (int) and list (JSON) what the compiled model leaves out of its result."""
    out = {}
    for name in ("unreachable_processes", "unused_parameters", "unused_factors"):
        items = list(getattr(cm, name, []))
        out[name] = len(items)
        out[f"{name}_list"] = json.dumps(items, ensure_ascii=False)
    return out
