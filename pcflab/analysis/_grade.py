"""Graded carbon-footprint classes with their probability (Shandong 分级管理).

``grade(model, scheme)`` puts a product in a class of a published or pcflab scheme
(``datasets/grading/``) twice: deterministically, from the footprint at the parameters'
values, and probabilistically, from a Monte Carlo run in which every sample is classified
with its own footprint and, for a sliding scale, its own recycled share (the threshold is
evaluated per sample from the recorded parameter). No published scheme grades with
uncertainty; pcflab reports the probability of each class and says when no class reaches
a chosen probability (the class is then not robust).
"""

from dataclasses import asdict, dataclass, field

import numpy as np

from pcflab.core import PcfError, format_probability
from pcflab.methods import class_index, load_scheme, thresholds, to_scheme_units

from ._data_quality import product_dqr
from ._footprint import footprint
from ._prepare import prepare
from ._simulate import simulate
from ._vocabulary import checked_result, old_calls, sampled_parameter

__all__ = ["GradeResult", "grade"]


@dataclass
class GradeResult:
    """The class of a product under a scheme, with its probability.

    Values (``value``, ``interval``, ``thresholds``) are in ``units``, the scheme's units.
    """

    model_id: str
    model_name: str
    model_file: str
    scheme_id: str
    scheme_name: str
    scheme_version: str
    scheme_status: str
    scheme_source_tag: str
    scheme_kind: str
    product_category: str
    units: str
    value: float
    deterministic_class: str
    probabilities: dict
    most_likely_class: str
    probability: float
    robust: bool
    robust_level: float
    interval: tuple
    interval_level: float
    n_samples: int
    seed: int
    recycled_share: float | None
    recycled_share_parameter: str | None
    thresholds: dict
    benchmark: dict | None
    dqr: float | None
    dqr_level: str | None
    dqr_coverage: float | None
    sentence: str
    notes: list = field(default_factory=list)
    gwp_set: str | None = None

    @property
    def dqr_text(self):
        """The DQR as shown on a label (``2.9 (good)`` or ``n/a``)."""
        return "n/a" if self.dqr is None else f"{self.dqr:.1f} ({self.dqr_level})"

    def as_dict(self):
        """Plain dict (JSON-serialisable)."""
        return asdict(self)

    def __str__(self):
        return self.sentence


def _share_parameter(cm, name, scheme):
    model = cm.model
    if name not in model.parameters:
        raise PcfError(
            f"scheme {scheme.id!r} is a sliding scale by recycled share, but model {model.id!r} has no "
            f"parameter {name!r}",
            file=model.path,
            field="parameters",
            hint=(
                f"add to the model's parameters  {name}: {{value: <share 0..1>, unit: t/t, source: <reference key>, "
                "uncertainty: {...}}  (the share is "
                f"{scheme.recycled_share or 'the recycled share'}), pass recycled_share=<name of the model's "
                "parameter>, or a number (e.g. 0, the IEA default when the share is unknown)"
            ),
        )
    ident = f"param:{model.id}/{name}"
    i = cm.parameter_ids.index(ident)
    if cm.parameter_units[i] not in ("1", "dimensionless", ""):
        raise PcfError(
            f"parameter {name!r} has units of {cm.parameter_units[i]}, not a share",
            file=model.path,
            field=f"parameters.{name}.unit",
            hint="give the recycled share as t/t (or kg/kg), a fraction between 0 and 1",
        )
    return float(cm.nominal[i])


@old_calls(positions=("n_samples", "seed", "recycled_share", "robust", "factors", "profile", "interval"))
def grade(
    model,
    scheme,
    *,
    factors=None,
    profile=None,
    gwp_set=None,
    n_samples=10_000,
    seed=42,
    result=None,
    recycled_share="scrap_share",
    robust=0.9,
    interval=0.95,
):
    """Class of a product under a class scheme, and the probability of each class.

    Parameters
    ----------
    model : str, Path, ProductSystem or CompiledModel
        The product system.
    scheme : str, Path or Scheme
        A shipped scheme id (``pcflab.methods.list_schemes()``), a scheme file or
        a loaded scheme.
    factors : str, Path or FactorDB, optional
        Factor database (the shipped one by default); also used for the benchmark models.
    profile : str or MethodProfile, optional
        Method profile (``iso14067`` by default, or the compiled model's own); also used
        for the benchmark models.
    gwp_set : {"AR4", "AR5", "AR6"}, optional
        GWP100 values of the deterministic value, the benchmark models and the Monte Carlo
        run (the profile's by default, or the result's).
    n_samples, seed : int
        Monte Carlo samples and seed (``pcflab.simulate``); ignored with ``result``.
    result : xarray.Dataset, optional
        A ``pcflab.simulate`` result of this model to classify instead of simulating here:
        the probabilities are those ``grade`` computes with the result's ``n_samples`` and
        ``seed``. A sliding scheme needs the recycled share sampled in it
        (``record="all"`` or ``record=["scrap_share"]``).
    recycled_share : str or float
        Sliding schemes: the name of the model parameter that holds the recycled share
        (recorded per sample), or a fixed share in [0, 1]. Ignored by other schemes.
    robust : float
        The class is robust if some class has at least this probability.
    interval : float
        Central probability of the reported interval (0.95: 2.5-97.5 %).

    Returns
    -------
    GradeResult
        ``deterministic_class``, ``probabilities`` (every class, summing to 1),
        ``most_likely_class`` and its ``probability``, ``robust``, ``interval``, scheme
        id / version / status, the product's DQR, ``gwp_set``, and ``sentence`` ("class B
        with 87 % probability").

    Raises
    ------
    PcfError
        A sliding scheme asked of a model without the recycled-share parameter (names the
        model file and the parameter to add); functional units of different kinds
        (``UnitMismatchError``); an invalid scheme; a ``result`` of another model, factor
        table, profile or GWP set, or without the sampled recycled share.
    """
    if not 0 < robust <= 1:
        raise ValueError(f"robust must be a probability in (0, 1], got {robust}")
    if not 0 < interval < 1:
        raise ValueError(f"interval must be in (0, 1), got {interval}")
    scheme = load_scheme(scheme)
    cm = prepare(model, factors, profile=profile)
    notes = _scheme_notes(scheme, cm.model)
    share, share_name = _recycled_share(cm, scheme, recycled_share, notes)
    if result is not None:
        gwp_set = checked_result(cm, result, gwp_set, parameter=share_name)
    gwp_set = gwp_set or cm.profile.gwp_set
    fu = (cm.model.functional_unit.amount, cm.model.functional_unit.unit)
    value = to_scheme_units(float(footprint(cm, gwp_set=gwp_set)["gwp100"].sum()), fu, scheme)
    bench_info = _benchmark(cm, scheme, gwp_set, notes)
    benchmark = None if bench_info is None else np.array(list(bench_info.values()))
    det_class = scheme.labels[int(class_index(value, scheme, share, benchmark)[0])]
    t_det = thresholds(scheme, share, benchmark, n=1)[:, 0]
    if result is None:
        record = [] if share_name is None else [share_name]
        result = simulate(cm, n_samples, seed, gwp_set=gwp_set, keep="totals", record=record)
    values = to_scheme_units(result["total"].values, fu, scheme)
    shares = share if share_name is None else sampled_parameter(cm, result, share_name)
    graded = _probabilities(scheme, class_index(values, scheme, shares, benchmark), robust)
    if graded["most_likely_class"] != det_class:
        notes.append(
            f"the deterministic class ({det_class}) is not the most likely class ({graded['most_likely_class']})"
        )
    dqr_value, level, coverage = product_dqr(cm, gwp_set=gwp_set)
    if dqr_value is not None and coverage < 1:
        notes.append(f"DQR covers {100 * coverage:.0f} % of the footprint (factors with a rating)")
    a = (1 - interval) / 2
    return GradeResult(
        **_model_and_scheme(cm.model, scheme),
        value=float(value),
        deterministic_class=det_class,
        **graded,
        robust_level=float(robust),
        interval=tuple(float(x) for x in np.quantile(values, [a, 1 - a])),
        interval_level=float(interval),
        n_samples=int(result.sizes["sample"]),
        seed=int(result.attrs.get("seed", seed)),
        recycled_share=share,
        recycled_share_parameter=share_name,
        thresholds={c.label: float(t) for c, t in zip(scheme.classes[:-1], t_det, strict=True)},
        benchmark=bench_info,
        dqr=dqr_value,
        dqr_level=level,
        dqr_coverage=coverage,
        notes=notes,
        gwp_set=gwp_set,
    )


def _scheme_notes(scheme, model):
    """Say what a reader of the class must know about the scheme (cautions, status, boundary)."""
    notes = []
    if scheme.caution:
        notes.append(f"scheme: {scheme.caution}")
    if scheme.status != "in_force":
        notes.append(f"the scheme is {scheme.status.replace('_', ' ')}, not in force")
    if scheme.units.split("/")[0].strip().endswith("CO2"):
        notes.append("the scheme counts CO2 only; the product's CO2e footprint is compared (conservative)")
    notes.append(
        f"check that the product fits the scheme's category ({scheme.product_category}) and boundary "
        f"({scheme.boundary}); the model is {model.name}"
    )
    return notes


def _recycled_share(cm, scheme, recycled_share, notes):
    """(deterministic share or None, name of the sampled share parameter or None) of a scheme."""
    if scheme.kind != "sliding":
        return None, None
    if isinstance(recycled_share, str):
        return _share_parameter(cm, recycled_share, scheme), recycled_share
    share = float(recycled_share)
    notes.append(f"recycled share fixed at {share:g} by the caller")
    return share, None


def _benchmark(cm, scheme, gwp_set, notes):
    """Percentile schemes: the benchmark models' footprints in the scheme's units, else None."""
    if scheme.kind != "percentile":
        return None
    bench_info = {}
    for mid in scheme.benchmark:
        bcm = prepare(mid, cm.factor_table, profile=cm.profile)
        bfu = (bcm.model.functional_unit.amount, bcm.model.functional_unit.unit)
        bench_info[mid] = to_scheme_units(float(footprint(bcm, gwp_set=gwp_set)["gwp100"].sum()), bfu, scheme)
    if cm.model.id in bench_info:
        notes.append("the product is itself part of the benchmark set")
    return bench_info


def _probabilities(scheme, idx, robust):
    """Probability of every class from the samples' class indices, the most likely one, the sentence."""
    counts = np.bincount(idx, minlength=len(scheme.classes))
    n_samples = idx.size
    k = int(np.argmax(counts))
    best, p = scheme.labels[k], float(counts[k] / n_samples)
    if p >= robust:
        sentence = f"class {best} with {format_probability(p)} probability"
    else:
        sentence = (
            f"class not robust: most likely {best} with {format_probability(p)} probability; "
            f"no class reaches {format_probability(robust)}"
        )
    return {
        "probabilities": {lab: float(c / n_samples) for lab, c in zip(scheme.labels, counts, strict=True)},
        "most_likely_class": best,
        "probability": p,
        "robust": bool(p >= robust),
        "sentence": sentence,
    }


def _model_and_scheme(model, scheme):
    """Give the fields of a ``GradeResult`` that name the model and the scheme."""
    return {
        "model_id": model.id,
        "model_name": model.name,
        "model_file": str(model.path),
        "scheme_id": scheme.id,
        "scheme_name": scheme.name,
        "scheme_version": scheme.version,
        "scheme_status": scheme.status,
        "scheme_source_tag": scheme.source_tag,
        "scheme_kind": scheme.kind,
        "product_category": scheme.product_category,
        "units": scheme.units,
    }
