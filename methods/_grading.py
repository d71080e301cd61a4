"""Graded carbon-footprint classes: class schemes as data, and classification.

A class scheme (``datasets/grading/<id>.yaml``, one scheme per file) is one of three
kinds that published schemes use:

``fixed``
    Fixed upper thresholds per class (EU ESPR draft classes, India's green-steel stars).
``sliding``
    Thresholds that depend on the product's recycled share ``s`` (0..1), linear or
    piecewise linear: IEA near-zero line, ResponsibleSteel levels, LESS classes, T/CISA 452.
    Each class gives its upper threshold at ``s = 0`` and ``s = 1`` (``upper_at_0``,
    ``upper_at_1``), or as interpolation points ``points: [[s, upper], ...]``.
``percentile``
    Upper thresholds at percentiles of a benchmark set (the GSA and NRC top-20/40 % tiers);
    in pcflab the benchmark set is a list of product models whose deterministic footprints
    define it, computed when the scheme is used.

Every class but the last has an upper threshold; the last class is open-ended. A value
equal to a threshold belongs to the better class (``value <= upper``). Thresholds must rise
from class to class (for sliding scales at every share), labels must be unique.

Everything here is pure: :func:`classify` takes values already in the scheme's units
(:func:`to_scheme_units` converts a footprint per functional unit), shares and a benchmark
as numpy arrays and returns labels, one per value.
"""

import importlib.resources
import re
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pcflab.core import PcfError, UnitMismatchError, ureg

__all__ = [
    "GradeClass",
    "Scheme",
    "class_index",
    "classify",
    "list_schemes",
    "load_scheme",
    "parse_scheme_units",
    "percentile_thresholds",
    "thresholds",
    "to_scheme_units",
]

_TAG = re.compile(r"\[(P|P-via|S)\]")
_UNITS = re.compile(r"^\s*(?P<mass>[A-Za-z]+)\s+(?P<basis>CO2e|CO2)\s*/\s*(?P<per>\S.*?)\s*$")


class GradeClass(BaseModel):
    """One class of a scheme. Which threshold fields apply depends on the scheme's kind."""

    model_config = ConfigDict(extra="forbid")

    label: str = Field(min_length=1)
    #: fixed: upper threshold (``None`` for the last, open-ended class)
    upper: float | None = None
    #: fixed, optional: lower bound as the source prints it (must equal the previous upper)
    lower: float | None = None
    #: sliding: upper threshold at recycled share 0 and 1 (linear in between)
    upper_at_0: float | None = None
    upper_at_1: float | None = None
    #: sliding, alternative: interpolation points [[share, upper], ...] covering 0 and 1
    points: list[tuple[float, float]] | None = None
    #: percentile: upper threshold as a percentile of the benchmark set, in (0, 100)
    upper_percentile: float | None = Field(None, gt=0, lt=100)
    #: what the source calls the class, or how the number was derived
    note: str | None = None

    def sliding_points(self):
        """Interpolation points (shares, uppers) of a sliding class."""
        if self.points is not None:
            s, u = zip(*self.points, strict=True)
            return np.asarray(s, float), np.asarray(u, float)
        return np.array([0.0, 1.0]), np.array([self.upper_at_0, self.upper_at_1], float)


class Scheme(BaseModel):
    """A versioned class scheme with its source, status and product category."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]*$")
    name: str
    version: str
    status: Literal["draft", "in_force", "withdrawn"]
    source: str
    product_category: str
    functional_unit: str
    units: str
    boundary: str
    kind: Literal["fixed", "sliding", "percentile"]
    classes: list[GradeClass] = Field(min_length=2)
    #: sliding: what the share is (e.g. scrap / metallic input) and the model parameter
    #: that carries it by default
    recycled_share: str | None = None
    #: percentile: model ids whose deterministic footprints make the benchmark set
    benchmark: list[str] | None = None
    #: what the user of a grade must know (conflicts, secondary sources, gaps)
    caution: str | None = None
    path: str | None = Field(None, exclude=True)

    @model_validator(mode="after")
    def _check(self):
        if not _TAG.search(self.source):
            raise ValueError("source must carry its tag [P], [P-via] or [S] (as in GRADING.md)")
        labels = [c.label for c in self.classes]
        dup = sorted({x for x in labels if labels.count(x) > 1})
        if dup:
            i = next(k for k, x in enumerate(labels) if x in dup and labels.index(x) < k)
            raise ValueError(f"class labels must be unique; classes[{i}] repeats {', '.join(dup)}")
        parse_scheme_units(self.units, self.functional_unit)
        getattr(self, f"_check_{self.kind}")()
        return self

    def _fields_only(self, allowed):
        every = ("upper", "lower", "upper_at_0", "upper_at_1", "points", "upper_percentile")
        for i, c in enumerate(self.classes):
            for f in every:
                if f not in allowed and getattr(c, f) is not None:
                    raise ValueError(f"classes[{i}] ({c.label}): {f!r} does not belong in a {self.kind} scheme")

    def _open_last(self, fields):
        last = self.classes[-1]
        if any(getattr(last, f) is not None for f in fields):
            raise ValueError(
                f"the last class ({last.label}) is open-ended: give it no {' / '.join(fields)} "
                "(put a value above the last threshold in it)"
            )

    def _check_fixed(self):
        self._fields_only(("upper", "lower"))
        self._open_last(("upper",))
        prev = None
        for i, c in enumerate(self.classes[:-1]):
            if c.upper is None:
                raise ValueError(f"classes[{i}] ({c.label}) needs an 'upper' threshold")
            if prev is not None and c.upper <= prev.upper:
                raise ValueError(
                    f"thresholds are not sorted: classes[{i}] ({c.label}) upper {c.upper:g} is not above "
                    f"{prev.label}'s {prev.upper:g}; list the classes from best (lowest) to worst"
                )
            if c.lower is not None and c.lower >= c.upper:
                raise ValueError(f"classes[{i}] ({c.label}): lower {c.lower:g} must be below upper {c.upper:g}")
            prev = c
        for i in range(1, len(self.classes)):
            c, p = self.classes[i], self.classes[i - 1]
            if c.lower is not None and c.lower != p.upper:
                what = "overlaps" if c.lower < p.upper else "leaves a gap after"
                raise ValueError(
                    f"classes[{i}] ({c.label}) lower {c.lower:g} {what} {p.label} (upper {p.upper:g}); "
                    "a class starts where the previous one ends"
                )

    def _check_sliding(self):
        self._fields_only(("upper_at_0", "upper_at_1", "points"))
        self._open_last(("upper_at_0", "upper_at_1", "points"))
        grid = {0.0, 1.0}
        for i, c in enumerate(self.classes[:-1]):
            has0, has1, pts = c.upper_at_0 is not None, c.upper_at_1 is not None, c.points is not None
            if not ((has0 and has1 and not pts) or (not has0 and not has1 and pts)):
                raise ValueError(
                    f"classes[{i}] ({c.label}) needs either both 'upper_at_0' and 'upper_at_1' or 'points'"
                )
            s, _ = c.sliding_points()
            if len(s) < 2 or s[0] != 0.0 or s[-1] != 1.0 or np.any(np.diff(s) <= 0):
                raise ValueError(
                    f"classes[{i}] ({c.label}): points need rising shares from 0 to 1 (recycled share in [0, 1])"
                )
            grid.update(s.tolist())
        grid = np.array(sorted(grid))
        ups = np.array([np.interp(grid, *c.sliding_points()) for c in self.classes[:-1]])
        for i in range(1, len(ups)):
            d = ups[i] - ups[i - 1]
            c, p = self.classes[i], self.classes[i - 1]
            if np.all(d < 0):
                raise ValueError(
                    f"thresholds are not sorted: classes[{i}] ({c.label}) lies below {p.label} at every share; "
                    "list the classes from best (lowest) to worst"
                )
            if np.any(d < 0) or not np.any(d > 0):
                at = grid[np.argmin(d)]
                raise ValueError(
                    f"classes[{i}] ({c.label}) and {p.label} overlap: {c.label}'s threshold is not above "
                    f"{p.label}'s at share {at:g}; the lines of successive classes must not cross or coincide"
                )

    def _check_percentile(self):
        self._fields_only(("upper_percentile",))
        self._open_last(("upper_percentile",))
        if not self.benchmark:
            raise ValueError("a percentile scheme needs 'benchmark': the model ids that make the benchmark set")
        ps = []
        for i, c in enumerate(self.classes[:-1]):
            if c.upper_percentile is None:
                raise ValueError(f"classes[{i}] ({c.label}) needs 'upper_percentile' in (0, 100)")
            if ps and c.upper_percentile <= ps[-1]:
                raise ValueError(
                    f"percentiles are not sorted: classes[{i}] ({c.label}) {c.upper_percentile:g} is not above "
                    f"{ps[-1]:g}; list the classes from best (lowest) to worst"
                )
            ps.append(c.upper_percentile)

    @property
    def labels(self):
        """Class labels, best first."""
        return [c.label for c in self.classes]

    @property
    def source_tag(self):
        """The source's overall tag (the last one cited): ``P``, ``P-via`` or ``S``."""
        return _TAG.findall(self.source)[-1]


# ----------------------------------------------------------------------------- loading


def _grading_dir():
    return Path(str(importlib.resources.files("pcflab.datasets").joinpath("grading")))


def _line_of(doc, keys):
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    node, line = doc, None
    for k in keys:
        try:
            if isinstance(node, CommentedMap) and k in node:
                line = node.lc.key(k)[0] + 1
            elif isinstance(node, CommentedSeq) and isinstance(k, int) and k < len(node):
                line = node.lc.item(k)[0] + 1
            else:
                break
            node = node[k]
        except (AttributeError, KeyError, TypeError):  # pragma: no cover
            break
    return line


def scheme_from_dict(data, path=None, doc=None):
    """Validate a scheme given as a mapping (as read from YAML)."""
    try:
        scheme = Scheme.model_validate(dict(data))
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        where = re.search(r"classes\[(\d+)\]", err["msg"])
        if not loc and where:
            loc = ("classes", int(where.group(1)))
        elif not loc:
            loc = ("classes",) if "class" in err["msg"] else ()
        field = "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in loc).lstrip(".") or None
        msg = err["msg"].removeprefix("Value error, ")
        raise PcfError(
            f"invalid class scheme: {msg}",
            file=path,
            line=_line_of(doc, loc) if doc is not None and loc else None,
            field=field,
            hint="see datasets/grading/README.md for the scheme format",
        ) from None
    scheme.path = None if path is None else str(path)
    return scheme


def load_scheme(id_or_path):
    """Load and validate a class scheme.

    Parameters
    ----------
    id_or_path : str or Path
        A shipped scheme id (``espr-steel-hrc-2026-draft``; see :func:`list_schemes`), a
        path to a YAML file, or a :class:`Scheme` (returned as is).

    Returns
    -------
    Scheme

    Raises
    ------
    PcfError
        If no such scheme exists or the file is invalid (file, line, field and the fix).
    """
    if isinstance(id_or_path, Scheme):
        return id_or_path
    path = Path(id_or_path)
    if not path.is_file():
        shipped = _grading_dir() / f"{id_or_path}.yaml"
        if not shipped.is_file():
            raise PcfError(
                f"no class scheme file or shipped scheme named {str(id_or_path)!r}",
                hint="give a path to a .yaml scheme or one of: " + ", ".join(list_schemes()),
            )
        path = shipped
    from ruamel.yaml import YAML

    try:
        doc = YAML(typ="rt").load(path.read_text(encoding="utf-8"))
    except Exception as exc:  # ruamel raises many kinds
        raise PcfError(f"cannot read the scheme: {exc}", file=path, hint="fix the YAML syntax") from None
    if not isinstance(doc, dict):
        raise PcfError("a scheme file must be a mapping of keys", file=path, hint="see datasets/grading/README.md")
    return scheme_from_dict(doc, path, doc)


def list_schemes():
    """Ids of the shipped schemes (sorted)."""
    return sorted(p.stem for p in _grading_dir().glob("*.yaml"))


# ----------------------------------------------------------------------------- units


def parse_scheme_units(units, functional_unit):
    """Split a scheme's ``units`` (``kg CO2e/t``) and ``functional_unit`` (``1 t``).

    Parameters
    ----------
    units : str
        Unit of the scheme's thresholds, ``<mass> CO2e/<unit>`` or ``<mass> CO2/<unit>``.
    functional_unit : str
        The scheme's functional unit, ``<amount> <unit>``, in the same dimension as the
        ``<unit>`` of ``units``.

    Raises
    ------
    ValueError
        If either text cannot be read, the mass is not a mass, the amount is not positive
        or the two units differ in dimension.

    Returns
    -------
    tuple
        (mass unit of the numerator, basis ``CO2e`` or ``CO2``, functional-unit amount,
        functional-unit unit).
    """
    m = _UNITS.match(units or "")
    if not m:
        raise ValueError(f"units {units!r} must read '<mass> CO2e/<unit>' or '<mass> CO2/<unit>', e.g. 'kg CO2e/t'")
    try:
        mass = ureg.parse_units(m["mass"])
        per = ureg.parse_units(m["per"])
    except Exception:
        raise ValueError(f"units {units!r}: unknown unit (use pint names: kg, t, item)") from None
    if mass.dimensionality != ureg.kg.dimensionality:
        raise ValueError(f"units {units!r}: {m['mass']!r} is not a mass")
    parts = str(functional_unit).split(maxsplit=1)
    try:
        amount, fu_unit = float(parts[0]), ureg.parse_units(parts[1])
    except Exception:
        raise ValueError(f"functional_unit {functional_unit!r} must read '<amount> <unit>', e.g. '1 t'") from None
    if amount <= 0:
        raise ValueError(f"functional_unit {functional_unit!r}: the amount must be positive")
    if per.dimensionality != fu_unit.dimensionality:
        raise ValueError(f"units {units!r} are not per the functional unit {functional_unit!r}")
    return m["mass"], m["basis"], amount, str(fu_unit)


def to_scheme_units(value, functional_unit, scheme):
    """Convert a footprint [kg CO2e per the product's functional unit] to the scheme's units.

    Parameters
    ----------
    value : float or array_like
        Footprint in kg CO2e per functional unit.
    functional_unit : tuple (amount, unit) or str
        The product's functional unit, e.g. ``(1, "t")`` or ``"1 t"``.
    scheme : Scheme

    Returns
    -------
    numpy.ndarray or float
        The footprint in ``scheme.units`` (e.g. t CO2e per t).

    Raises
    ------
    UnitMismatchError
        If the functional units are not of the same kind (1 item against 1 t).
    """
    mass, _basis, s_amount, s_unit = parse_scheme_units(scheme.units, scheme.functional_unit)
    if isinstance(functional_unit, str):
        a, u = functional_unit.split(maxsplit=1)
    else:
        a, u = functional_unit
    p_fu = float(a) * ureg.parse_units(str(u))
    s_fu = s_amount * ureg.parse_units(s_unit)
    if p_fu.dimensionality != s_fu.dimensionality:
        raise UnitMismatchError(
            f"the product's functional unit ({float(a):g} {u}) is not of the kind of the scheme's "
            f"({scheme.functional_unit}) in scheme {scheme.id!r}",
            file=scheme.path,
            field="functional_unit",
            hint="grade the product with a scheme for its own functional unit, or model the product per "
            f"{scheme.functional_unit}",
        )
    ratio = float((s_fu / p_fu).to("dimensionless").magnitude)
    factor = float(ureg.Quantity(1.0, "kg").to(mass).magnitude) * ratio
    return np.asarray(value, dtype=float) * factor if np.ndim(value) else float(value) * factor


# ----------------------------------------------------------------------------- classes


def percentile_thresholds(scheme, benchmark):
    """Compute the upper thresholds of a percentile scheme from a benchmark set.

    Percentiles use numpy's default (linear interpolation between order statistics,
    Hyndman & Fan type 7). With one benchmark value every threshold is that value.

    Parameters
    ----------
    scheme : Scheme
        A scheme of kind ``percentile``.
    benchmark : array_like
        Benchmark footprints, finite and at least one [scheme units].

    Returns
    -------
    numpy.ndarray, shape (n_classes - 1,)
        Upper threshold of every class but the last [scheme units].

    Raises
    ------
    PcfError
        If the benchmark set is empty or not finite.
    """
    b = np.asarray(benchmark, dtype=float).ravel()
    if b.size == 0 or not np.all(np.isfinite(b)):
        raise PcfError(
            f"scheme {scheme.id!r} needs a non-empty, finite benchmark set",
            file=scheme.path,
            field="benchmark",
            hint="list model ids whose footprints define the percentiles",
        )
    return np.percentile(b, [c.upper_percentile for c in scheme.classes[:-1]])


def thresholds(scheme, recycled_share=None, benchmark=None, n=None):
    """Compute the upper thresholds of every class but the last.

    Parameters
    ----------
    scheme : Scheme
        The scheme (kind ``fixed``, ``percentile`` or ``sliding``).
    recycled_share : float or array_like, optional
        Sliding schemes: the recycled share in [0, 1], one per value or one for all
        [dimensionless].
    benchmark : array_like, optional
        Percentile schemes: the benchmark footprints [scheme units].
    n : int, optional
        Number of values to classify (columns of the result); 1 if None.

    Returns
    -------
    numpy.ndarray, shape (n_classes - 1, n)
        Thresholds [scheme units], one column per value.

    Raises
    ------
    PcfError
        If the scheme needs a benchmark set or a recycled share that is missing, or a
        share is outside [0, 1].
    """
    k = len(scheme.classes) - 1
    if scheme.kind == "fixed":
        t = np.array([c.upper for c in scheme.classes[:-1]], float)
        return np.broadcast_to(t[:, None], (k, n or 1))
    if scheme.kind == "percentile":
        if benchmark is None:
            raise PcfError(
                f"scheme {scheme.id!r} is a percentile scheme and needs the benchmark set",
                hint="pass benchmark= (footprints in the scheme's units), or use pcflab's grade()",
            )
        t = percentile_thresholds(scheme, benchmark)
        return np.broadcast_to(t[:, None], (k, n or 1))
    if recycled_share is None:
        raise PcfError(
            f"scheme {scheme.id!r} is a sliding scale and needs the recycled share "
            f"({scheme.recycled_share or 'share in [0, 1]'})",
            hint="pass recycled_share= (one share per value, or one for all)",
        )
    s = np.atleast_1d(np.asarray(recycled_share, dtype=float))
    if not np.all(np.isfinite(s)) or np.any((s < 0) | (s > 1)):
        bad = s[~(np.isfinite(s) & (s >= 0) & (s <= 1))][0]
        raise PcfError(
            f"recycled share {bad:g} is outside [0, 1] (scheme {scheme.id!r})",
            hint="give the share as a fraction (0.2, not 20); a t/t parameter is already one",
        )
    if n is not None and s.size == 1:
        s = np.full(n, s[0])
    return np.array([np.interp(s, *c.sliding_points()) for c in scheme.classes[:-1]])


def class_index(value, scheme, recycled_share=None, benchmark=None):
    """Return the index (0 = best) of each value's class; see :func:`classify`.

    Parameters
    ----------
    value : float or array_like
        Footprints [scheme units].
    scheme : Scheme
        The scheme.
    recycled_share : float or array_like, optional
        Sliding schemes: the recycled share in [0, 1], one per value or one for all
        [dimensionless].
    benchmark : array_like, optional
        Percentile schemes: the benchmark footprints [scheme units].

    Returns
    -------
    numpy.ndarray of int, shape (n_values,)
        The class index of each value: the number of thresholds it exceeds.

    Raises
    ------
    PcfError
        If a value is not finite or the number of shares matches neither 1 nor the values.
    """
    v = np.atleast_1d(np.asarray(value, dtype=float))
    if not np.all(np.isfinite(v)):
        raise PcfError("values to classify must be finite", hint="check the footprint samples for NaN")
    if recycled_share is not None and np.size(recycled_share) not in (1, v.size):
        raise PcfError(
            f"{np.size(recycled_share)} recycled shares for {v.size} values",
            hint="give one share per value (per Monte Carlo sample), or one for all",
        )
    t = thresholds(scheme, recycled_share, benchmark, n=v.size)
    return (v[None, :] > t).sum(axis=0)


def classify(value, scheme, recycled_share=None, benchmark=None):
    """Class label of each value.

    Parameters
    ----------
    value : float or array_like
        Footprints in the scheme's units (see :func:`to_scheme_units`).
    scheme : Scheme or str
        The scheme (or its id / path).
    recycled_share : float or array_like, optional
        Sliding schemes: the product's recycled share (0..1), one per value or one for all.
    benchmark : array_like, optional
        Percentile schemes: the benchmark footprints (scheme units).

    Returns
    -------
    str or numpy.ndarray of str
        The label of the class each value falls in (``value <= upper`` of that class and
        above the previous class's upper); a str for a scalar value.
    """
    scheme = load_scheme(scheme)
    idx = class_index(value, scheme, recycled_share, benchmark)
    labels = np.array(scheme.labels, dtype=object)[idx]
    return str(labels[0]) if np.ndim(value) == 0 else labels
