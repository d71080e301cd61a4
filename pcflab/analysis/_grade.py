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


def grade(
    model,
    scheme,
    n_samples=10_000,
    seed=42,
    recycled_share="scrap_share",
    robust=0.9,
    factors=None,
    profile=None,
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
    n_samples, seed : int
        Monte Carlo samples and seed (``pcflab.simulate``).
    recycled_share : str or float
        Sliding schemes: the name of the model parameter that holds the recycled share
        (recorded per sample), or a fixed share in [0, 1]. Ignored by other schemes.
    robust : float
        The class is robust if some class has at least this probability.
    factors : str, Path or FactorDB, optional
        Factor database (the shipped one by default); also used for the benchmark models.
    profile : str or MethodProfile, optional
        Method profile (``iso14067`` by default).
    interval : float
        Central probability of the reported interval (0.95: 2.5-97.5 %).

    Returns
    -------
    GradeResult
        ``deterministic_class``, ``probabilities`` (every class, summing to 1),
        ``most_likely_class`` and its ``probability``, ``robust``, ``interval``, scheme
        id / version / status, the product's DQR, and ``sentence`` ("class B with 87 %
        probability").

    Raises
    ------
    PcfError
        A sliding scheme asked of a model without the recycled-share parameter (names the
        model file and the parameter to add); functional units of different kinds
        (``UnitMismatchError``); an invalid scheme.
    """
    if not 0 < robust <= 1:
        raise ValueError(f"robust must be a probability in (0, 1], got {robust}")
    if not 0 < interval < 1:
        raise ValueError(f"interval must be in (0, 1), got {interval}")
    scheme = load_scheme(scheme)
    cm = prepare(model, factors, profile)
    m = cm.model
    fu = (m.functional_unit.amount, m.functional_unit.unit)
    det_total = float(footprint(cm)["gwp100"].sum())
    value = to_scheme_units(det_total, fu, scheme)
    notes = []
    if scheme.caution:
        notes.append(f"scheme: {scheme.caution}")
    if scheme.status != "in_force":
        notes.append(f"the scheme is {scheme.status.replace('_', ' ')}, not in force")
    if scheme.units.split("/")[0].strip().endswith("CO2"):
        notes.append("the scheme counts CO2 only; the product's CO2e footprint is compared (conservative)")
    notes.append(
        f"check that the product fits the scheme's category ({scheme.product_category}) and boundary "
        f"({scheme.boundary}); the model is {m.name}"
    )

    share_det, share_name, shares, record = None, None, None, ()
    if scheme.kind == "sliding":
        if isinstance(recycled_share, str):
            share_name = recycled_share
            share_det = _share_parameter(cm, recycled_share, scheme)
            record = [recycled_share]
        else:
            share_det = float(recycled_share)
            shares = share_det
            notes.append(f"recycled share fixed at {share_det:g} by the caller")

    benchmark, bench_info = None, None
    if scheme.kind == "percentile":
        bench_info = {}
        for mid in scheme.benchmark:
            bcm = prepare(mid, cm.factor_table, profile)
            bfu = (bcm.model.functional_unit.amount, bcm.model.functional_unit.unit)
            bench_info[mid] = to_scheme_units(float(footprint(bcm)["gwp100"].sum()), bfu, scheme)
        benchmark = np.array(list(bench_info.values()))
        if m.id in bench_info:
            notes.append("the product is itself part of the benchmark set")

    det_class = scheme.labels[int(class_index(value, scheme, share_det, benchmark)[0])]
    t_det = thresholds(scheme, share_det, benchmark, n=1)[:, 0]
    thr = {c.label: float(t) for c, t in zip(scheme.classes[:-1], t_det, strict=True)}

    sim = simulate(cm, n_samples, seed, keep="totals", record=record)
    values = to_scheme_units(sim["total"].values, fu, scheme)
    if share_name is not None:
        shares = sim[f"parameter_{share_name}"].values
    idx = class_index(values, scheme, shares, benchmark)
    counts = np.bincount(idx, minlength=len(scheme.classes))
    probs = {lab: float(c / n_samples) for lab, c in zip(scheme.labels, counts, strict=True)}
    k = int(np.argmax(counts))
    best, p = scheme.labels[k], float(counts[k] / n_samples)
    is_robust = p >= robust
    a = (1 - interval) / 2
    lo, hi = (float(x) for x in np.quantile(values, [a, 1 - a]))
    if is_robust:
        sentence = f"class {best} with {format_probability(p)} probability"
    else:
        sentence = (
            f"class not robust: most likely {best} with {format_probability(p)} probability; "
            f"no class reaches {format_probability(robust)}"
        )
    if best != det_class:
        notes.append(f"the deterministic class ({det_class}) is not the most likely class ({best})")
    dqr_value, level, coverage = product_dqr(cm)
    if dqr_value is not None and coverage < 1:
        notes.append(f"DQR covers {100 * coverage:.0f} % of the footprint (factors with a rating)")
    return GradeResult(
        model_id=m.id,
        model_name=m.name,
        model_file=str(m.path),
        scheme_id=scheme.id,
        scheme_name=scheme.name,
        scheme_version=scheme.version,
        scheme_status=scheme.status,
        scheme_source_tag=scheme.source_tag,
        scheme_kind=scheme.kind,
        product_category=scheme.product_category,
        units=scheme.units,
        value=float(value),
        deterministic_class=det_class,
        probabilities=probs,
        most_likely_class=best,
        probability=p,
        robust=bool(is_robust),
        robust_level=float(robust),
        interval=(lo, hi),
        interval_level=float(interval),
        n_samples=int(n_samples),
        seed=int(seed),
        recycled_share=share_det,
        recycled_share_parameter=share_name,
        thresholds=thr,
        benchmark=bench_info,
        dqr=dqr_value,
        dqr_level=level,
        dqr_coverage=coverage,
        sentence=sentence,
        notes=notes,
    )
