"""Compile a validated model and a factor table into flat arrays for the kernel.

Units are resolved here, once: parameters are converted to SI base units, every
exchange gets a scale that turns its formula's SI value into "amount per unit of the
process's reference product" in the unit the matrix needs (the supplier's reference
unit, the factor's reference unit, or kg of gas).

``compile_model`` is the door; the work is done by ``_ModelCompiler``, one named step
after another (parameters, derived parameters, exchanges process by process, circularity,
the functional unit, the solve order, the kernel arrays, the rank correlations), each
step adding to the builder's state. The helpers below it check one piece of a model
(a parameter's distribution, an exchange's unit, a process's allocation share) and raise
a located error when it is wrong.
"""

import hashlib
import math
import re
import warnings
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from pcflab import kernel
from pcflab.core import ModelWarning, PcfError, UnitMismatchError, UnknownFactorError, parse_unit, ureg
from pcflab.factors import resolve
from pcflab.methods import (
    GASES,
    RECYCLING_COEFFICIENTS,
    STAGES,
    allocation_share,
    cbam_category,
    cbam_good,
    get_profile,
    gsd_from_pedigree,
    is_relevant_precursor,
    parse_pedigree,
)

from ._formula import parse_formula
from ._product_system import combine_errors

__all__ = ["CompiledModel", "compile_model", "stream_key"]

#: Terms of a circularity block that stand for its numbers in a recycling formula.
_CIRCULARITY_TERMS = ("Qsin_Qp", "Qsout_Qp", "R1", "R2", "R3", "A")


def stream_key(identity):
    """64-bit random-stream key of an uncertain quantity, from its stable id.

    Parameters
    ----------
    identity : str
        e.g. ``param:steel/bf-bof-hot-rolled-coil/coke_rate`` or
        ``factor:cn-sd/electricity/grid-co2/2023:co2_fossil``.

    Returns
    -------
    numpy.uint64
    """
    digest = hashlib.blake2b(identity.encode("utf-8"), digest_size=8).digest()
    return np.uint64(int.from_bytes(digest, "little"))


@dataclass
class CompiledModel:
    """A product system ready for the kernel, with the labels to read its results.

    Attributes
    ----------
    model : ProductSystem
        The source model.
    system : pcflab.kernel.KernelSystem
        Flat arrays for the kernel.
    parameter_ids : list of str
        Stable id of every uncertain quantity (model parameters, then factor rows).
    parameter_units : list of str
        Unit of each entry of ``theta`` (SI base units for model parameters, the
        published unit for factor values).
    nominal : numpy.ndarray
        Deterministic value of each entry of ``theta`` [``parameter_units``].
    kinds, p1, p2, p3, p4, table, keys : numpy.ndarray
        Distribution codes, parameters, table of discrete distributions and
        random-stream keys (see ``pcflab.kernel.KernelParameters``).
    correlation : (numpy.ndarray, numpy.ndarray) or None
        Columns and Cholesky factor of the declared rank correlations.
    processes : list of str
        Process ids, in matrix order.
    process_stage : list of str
        Life-cycle stage of each process.
    factor_ids : list of str
        Factor ids the model uses.
    factors_sha256 : str
        Content hash of the factor database it was compiled against.
    factor_release : str
        Release version of that database.
    resolutions : list of Resolution
        Factors referenced by key and how they were resolved (with substitutions).
    factor_table : FactorDB
        The factor database it was compiled against.
    profile : MethodProfile
        The method profile it was compiled under.
    notes : list of str
        What the compilation left out (e.g. recycling terms without a factor).
    unreachable_processes : list of str
        Processes the reference product never reaches (their exchanges do not count).
    unused_parameters : list of str
        Parameters no formula or exchange names (and not declared ``reported``).
    unused_factors : list of str
        Factors the model names only in unreachable processes.
    kernel_parameters : pcflab.kernel.KernelParameters
        ``kinds`` .. ``keys`` and ``correlation`` as the kernel's sampler takes them.
    """

    model: object
    system: kernel.KernelSystem
    parameter_ids: list
    parameter_units: list
    nominal: np.ndarray
    kinds: np.ndarray
    p1: np.ndarray
    p2: np.ndarray
    p3: np.ndarray
    p4: np.ndarray
    table: np.ndarray
    correlation: object
    keys: np.ndarray
    processes: list
    process_stage: list
    factor_ids: list
    factors_sha256: str
    factor_release: str = ""
    resolutions: list = field(default_factory=list)
    factor_table: object = field(repr=False, default=None)
    profile: object = None
    notes: list = field(default_factory=list)
    unreachable_processes: list = field(default_factory=list)
    unused_parameters: list = field(default_factory=list)
    unused_factors: list = field(default_factory=list)
    #: results derived from the compiled model alone, computed once (e.g. its data quality)
    _derived: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def kernel_parameters(self):
        """The uncertain quantities as one ``pcflab.kernel.KernelParameters`` bundle.

        Built from ``kinds`` .. ``keys`` and ``correlation`` when asked for (no copies of
        arrays that already have the kernel's dtypes), so it always agrees with them.
        """
        return kernel.KernelParameters.from_arrays(
            self.kinds, self.p1, self.p2, self.p3, self.keys, p4=self.p4, table=self.table, correlation=self.correlation
        )


def compile_model(model, factors, profile="iso14067", strict=False):
    """Compile a model against a factor table.

    Parameters
    ----------
    model : ProductSystem
        A validated model (``pcflab.load_model``).
    factors : FactorDB
        The factor database (``pcflab.load_factors``). A model names a factor by id
        (``cn-sd/electricity/grid-co2/2023``) or by key (``electricity/grid-co2``), which
        is resolved for the model's region and year.
    profile : str or MethodProfile
        Accounting choices (``pcflab.methods.PROFILES``): co-product allocation or system
        expansion, recycled content and end of life, electricity, CBAM boundary.
    strict : bool
        Make what does not enter the result (a process the reference product never
        reaches, a parameter no formula names, a factor only such processes use) an error
        instead of a ``ModelWarning``.

    Returns
    -------
    CompiledModel

    Raises
    ------
    ModelError, UnknownFactorError, UnitMismatchError
        Naming the file, line and key of the problem.

    Warns
    -----
    ModelWarning
        Naming each process, parameter or factor that does not enter the result.
    """
    return _ModelCompiler(model, factors, profile, strict=strict).compile()


# ---------------------------------------------------------------------------------------
# The builder
# ---------------------------------------------------------------------------------------


@dataclass
class _Quantity:
    """One uncertain quantity, an entry of ``theta``: a model parameter or a factor's gas row."""

    ident: str
    unit: str
    kind: int
    p1: float
    p2: float = 0.0
    p3: float = 0.0
    p4: float = 0.0
    nominal: float = 0.0


class _Exchange(NamedTuple):
    """An exchange amount: the slice ``start:stop`` of the program array, times ``scale``."""

    start: int
    stop: int
    scale: float


@dataclass
class _Programs:
    """The formula programs of a model, in one instruction array.

    ``ops`` holds ``(opcode, operand)`` pairs whose operand is an index into ``consts``
    (``CONST``) or into ``theta`` (``PARAM``); ``stack_size`` is the deepest stack any
    program needs.
    """

    ops: list = field(default_factory=list)
    consts: list = field(default_factory=list)
    stack_size: int = 1

    def emit(self, formula, par_index):
        """Append a formula's program; its ``(start, stop)`` in ``ops``."""
        start = len(self.ops)
        for op, arg in formula.program:
            if op == kernel.CONST:
                self.ops.append((op, len(self.consts)))
                self.consts.append(arg)
            elif op == kernel.PARAM:
                self.ops.append((op, par_index[arg]))
            else:
                self.ops.append((op, 0))
        self.stack_size = max(self.stack_size, formula.depth)
        return start, len(self.ops)


@dataclass
class _FactorRows:
    """The factors a model uses, in order of first use, each with its gas rows.

    Factor ``f`` has the rows ``spans[f][0] .. spans[f][1] - 1``; row ``r`` is the gas
    ``gas[r]`` whose value is ``theta[param[r]] * scale[r]`` [kg gas per factor unit].
    """

    ids: list = field(default_factory=list)
    index: dict = field(default_factory=dict)
    spans: list = field(default_factory=list)
    param: list = field(default_factory=list)
    gas: list = field(default_factory=list)
    scale: list = field(default_factory=list)


def _array(values, dtype, cols=None):
    """``values`` as an array of ``dtype``; shape (0, cols) when empty and ``cols`` is given."""
    a = np.array(values, dtype=dtype)
    if cols is not None and a.size == 0:
        a = a.reshape(0, cols)
    return a


def _columns(triples):
    """Three int64 columns of a list of (a, b, c) triples."""
    a = _array(triples, np.int64, 3)
    return a[:, 0].copy(), a[:, 1].copy(), a[:, 2].copy()


class _ModelCompiler:
    """Builds the ``CompiledModel`` of one model, factor database and profile, step by step.

    State, filled by the steps in the order of ``compile``:

    - ``quantities``, ``table``: the entries of ``theta`` (model parameters, then factor
      gas rows) and the table of discrete distributions;
    - ``nominal_si``: every model parameter's nominal value as a pint quantity in SI base
      units (what the formulas of amounts are evaluated on at compile time);
    - ``derived``: (name, Formula) of derived parameters in dependency order, and
      ``derived_programs``: (theta index, start, stop) of their programs;
    - ``programs``, ``exchanges``: the formula programs and every exchange amount;
    - ``links`` (consumer, supplier, exchange), ``emissions`` (process, gas, exchange),
      ``uses`` (process, factor, exchange): where each exchange goes;
    - ``rows``: the factors used and their gas rows;
    - ``resolutions``, ``notes``, ``problems``: factors resolved by key, what was left
      out, and the errors of single exchanges (reported together).
    """

    def __init__(self, model, factors, profile, strict=False):
        self.model = model
        self.strict = strict
        self.factors = factors
        self.profile = profile  # a name until the exchanges step resolves it
        self.par_index = {n: i for i, n in enumerate(model.parameters)}
        self.proc_index = {p: i for i, p in enumerate(model.processes)}
        self.quantities = []
        self.table = []
        self.nominal_si = {}
        self.derived = []
        self.derived_programs = []
        self.programs = _Programs()
        self.exchanges = []
        self.links, self.emissions, self.uses = [], [], []
        self.rows = _FactorRows()
        self.contracts = []
        self.resolutions, self.notes, self.problems = [], [], []
        self.cbam = None  # the CBAM good and the part of every process, under a CBAM boundary
        self.unused = {"processes": [], "parameters": [], "factors": []}

    def compile(self):
        """Run every step; the ``CompiledModel``."""
        self.collect_parameters()
        self.derive_parameters()
        self.add_exchanges()
        self.add_circularity()
        self.raise_problems()
        self.check_usage()
        return self.finish()

    # --- parameters ---

    def collect_parameters(self):
        """One quantity per model parameter, with its distribution in SI base units."""
        model = self.model
        self.derived = _derived_order(model)
        for name, par in model.parameters.items():
            ident = f"param:{model.id}/{name}"
            if par.formula is not None:  # filled in by derive_parameters, once its inputs are known
                self.quantities.append(_Quantity(ident, "", kernel.FIXED, 0.0))
                continue
            kind, a, b, c, d, entries = _parameter_distribution(model, name, par)
            if kind == kernel.DISCRETE:
                a = float(len(self.table))  # start of this parameter's entries in the table
                self.table.extend(entries)
            unit = _unit(model, ("parameters", name, "unit"), par.unit)
            base = ureg.Quantity(par.value, unit).to_base_units()
            self.quantities.append(_Quantity(ident, f"{base.units:~}" or "1", kind, a, b, c, d, base.magnitude))
            self.nominal_si[name] = base

    def derive_parameters(self):
        """Nominal value and unit of every derived parameter, checked against its declared unit."""
        model = self.model
        for name, formula in self.derived:
            unit_keys = ("parameters", name, "unit")
            declared = _unit(model, unit_keys, model.parameters[name].unit)
            value = _evaluate_nominal(model, ("parameters", name, "formula"), formula, self.nominal_si)
            q = value if isinstance(value, ureg.Quantity) else ureg.Quantity(value, ureg.dimensionless)
            if q.dimensionality != ureg.Quantity(1.0, declared).dimensionality:
                raise model.error(
                    f"the formula gives {q.to_reduced_units().units:~} but the unit is {declared:~}",
                    unit_keys,
                    "make 'unit' the unit of the formula's result",
                    cls=UnitMismatchError,
                )
            q = q.to_base_units()
            quantity = self.quantities[self.par_index[name]]
            quantity.unit = f"{q.units:~}" or "1"
            quantity.p1 = quantity.nominal = float(q.magnitude)
            self.nominal_si[name] = q

    # --- exchanges ---

    def add_exchanges(self):
        """Programs of the derived parameters, then every exchange of every process."""
        self.profile = get_profile(self.profile)
        for name, formula in self.derived:
            start, stop = self.programs.emit(formula, self.par_index)
            self.derived_programs.append((self.par_index[name], start, stop))
        self.contracts = _electricity_contracts(self.model, self.profile, self.factors, self.resolutions)
        for pid, proc in self.model.processes.items():
            share = _allocation_share(self.model, pid, proc, self.profile)
            burden = self._boundary_scale(pid)
            for k, inp in enumerate(proc.inputs):
                self._collect(self._add_input, pid, proc, k, inp, share)
            for k, em in enumerate(proc.emissions):
                self._collect(self._add_emission, pid, proc, k, em, share * burden)
            for k, fu in enumerate(proc.factors):
                self._collect(self._add_factor_use, pid, proc, k, fu, share)
            if proc.co_products and _allocation_method(proc, self.profile) == "system_expansion":
                for k, co in enumerate(proc.co_products):
                    for m, sub in enumerate(co.substitutes):
                        self._collect(self._add_substitute, pid, proc, (k, m), sub, burden)

    def _collect(self, step, *args):
        """Run one exchange's step; its error is kept, so that all are reported at once."""
        try:
            step(*args)
        except PcfError as exc:
            self.problems.append(exc)

    def _boundary_scale(self, pid, fid=None):
        """1 if an exchange of process ``pid`` counts under the profile's boundary, else 0.

        Without a CBAM boundary every exchange counts. Under it, the process's part
        (``_cbam_parts``: direct, indirect or outside) decides, and a factor use ``fid``
        of an electricity factor is indirect (the electricity consumed, Regulation (EU)
        2023/956, Annex IV); the profile's ``cbam_emissions`` and the good's regime say
        which parts count (Article 7(1) and Annex II: direct only for iron and steel,
        aluminium and hydrogen).
        """
        if not self.profile.cbam_boundary:
            return 1.0
        if self.cbam is None:
            self.cbam = _cbam_parts(self.model)
            outside = [p for p, part in self.cbam.parts.items() if part == "outside"]
            if outside:
                self.notes.append(f"cbam: outside the boundary of {self.cbam.good.category}: {', '.join(outside)}")
        part = self.cbam.parts[pid]
        if part == "direct" and fid is not None and _is_electricity(self.factors, fid):
            part = "indirect"
        mode = self.profile.cbam_emissions
        if mode == "regime":
            counted = ("direct", "indirect") if self.cbam.good.indirect_counted else ("direct",)
        else:
            counted = (mode,)
        return 1.0 if part in counted else 0.0

    def _add_input(self, pid, proc, k, inp, share):
        keys = ("processes", pid, "inputs", k)
        flow = self._reference_unit(inp.process)
        e = self._exchange(keys, inp.amount, inp.unit, flow, proc.reference_product, share)
        self.links.append((self.proc_index[pid], self.proc_index[inp.process], e))

    def _add_emission(self, pid, proc, k, em, multiplier):
        keys = ("processes", pid, "emissions", k)
        e = self._exchange(keys, em.amount, em.unit, ureg.kilogram, proc.reference_product, multiplier)
        self.emissions.append((self.proc_index[pid], GASES.index(em.gas), e))

    def _add_factor_use(self, pid, proc, k, fu, multiplier):
        """Add a factor-linked activity; grid electricity is split by the green contracts, if any."""
        keys = ("processes", pid, "factors", k)
        i = self.proc_index[pid]
        fid = self._factor_id(keys, fu.factor)
        multiplier = multiplier * self._boundary_scale(pid, fid)
        per = self._per(fid)
        split = self.contracts if (self.contracts and _is_grid_electricity(self.factors, fid)) else []
        amount = fu.amount
        if split:
            covered = " + ".join(f"({c['share']})" for c in split)
            amount = f"({fu.amount}) * (1 - ({covered}))"
            for c in split:
                c_per = self._per(c["factor_id"])
                text = f"({fu.amount}) * ({c['share']})"
                e = self._exchange(keys, text, fu.unit, c_per, proc.reference_product, multiplier)
                self.uses.append((i, self._factor_row(c["factor_id"], c_per), e))
        e = self._exchange(keys, amount, fu.unit, per, proc.reference_product, multiplier)
        self.uses.append((i, self._factor_row(fid, per), e))

    def _add_substitute(self, pid, proc, km, sub, burden):
        """Credit a co-product under system expansion: a negative input or factor use."""
        k, m = km
        keys = ("processes", pid, "co_products", k, "substitutes", m)
        i = self.proc_index[pid]
        amount = f"-({sub.amount})"
        if sub.process is None:
            fid = self._factor_id(keys, sub.factor)
            per = self._per(fid)
            e = self._exchange(keys, amount, sub.unit, per, proc.reference_product, burden)
            self.uses.append((i, self._factor_row(fid, per), e))
            return
        if sub.process not in self.proc_index:
            raise self.model.error(
                f"substitute from unknown process {sub.process!r}",
                keys + ("process",),
                f"use one of {', '.join(self.model.processes)}",
            )
        flow = self._reference_unit(sub.process)
        e = self._exchange(keys, amount, sub.unit, flow, proc.reference_product, 1.0)
        self.links.append((i, self.proc_index[sub.process], e))

    def add_circularity(self):
        """Recycled content and end of life: the profile's formula terms as factor uses."""
        model = self.model
        coefficients = RECYCLING_COEFFICIENTS[self.profile.recycling]
        for c_index, block in enumerate(model.circularity):
            where = ("circularity", c_index)
            if block.process not in self.proc_index:
                raise model.error(
                    f"unknown process {block.process!r}",
                    where + ("process",),
                    f"use one of {', '.join(model.processes)}",
                )
            proc = model.processes[block.process]
            for term, coefficient in coefficients.items():
                ref = getattr(block, term)
                if ref is None:
                    self.notes.append(
                        f"{block.material}: no '{term}' factor given; the {self.profile.recycling} "
                        f"term {coefficient} x E({term}) is not counted"
                    )
                    continue
                keys = where + (term,)
                fid = self._factor_id(keys, ref)
                per = self._per(fid)
                text = coefficient
                for name in _CIRCULARITY_TERMS:
                    text = re.sub(rf"\b{name}\b", f"({getattr(block, name)})", text)
                amount = f"({block.mass}) * ({text})"
                burden = self._boundary_scale(block.process, fid)
                e = self._exchange(keys, amount, block.unit, per, proc.reference_product, burden)
                self.uses.append((self.proc_index[block.process], self._factor_row(fid, per), e))

    def raise_problems(self):
        """Raise the errors of single exchanges together, in line order."""
        if self.problems:
            self.problems.sort(key=lambda p: p.line or 0)
            raise combine_errors(self.problems)

    # --- what does not enter the result ---

    def check_usage(self):
        """Warn of (or, if strict, raise on) processes, parameters and factors that do not count."""
        model, found = self.model, []
        links = self.links + [
            (self.proc_index[pid], self.proc_index[sub.process], -1)
            for pid, proc in model.processes.items()
            for co in proc.co_products
            for sub in co.substitutes
            if sub.process in self.proc_index
        ]  # a substitute counts as reached under every profile, system expansion or not
        reached = _reached(self.proc_index[model.reference_process], links)
        unreached = [pid for pid, i in self.proc_index.items() if i not in reached]
        for pid in unreached:
            found.append(
                (
                    f"process {pid!r} is not reached from the reference process {model.reference_process!r}; "
                    "its exchanges do not enter the result",
                    ("processes", pid),
                    "make a reached process take it as an input, or remove it",
                )
            )
        referenced = _referenced_names(model)
        unused = [n for n, p in model.parameters.items() if n not in referenced and not p.reported]
        for name in unused:
            found.append(
                (
                    f"parameter {name!r} is not used by any formula or exchange",
                    ("parameters", name),
                    "use it in an amount, remove it, or declare 'reported: true' if it is recorded for the report",
                )
            )
        counted = {self.rows.ids[f] for i, f, _ in self.uses if i in reached}
        factors = [f for f in self.rows.ids if f not in counted]
        if factors:
            found.append(
                (
                    f"factors used only by unreached processes: {', '.join(factors)}",
                    ("processes", unreached[0]),
                    "make a reached process take the process as an input, or remove it",
                )
            )
        self.unused = {"processes": unreached, "parameters": unused, "factors": factors}
        self._report(found)

    def _report(self, found):
        """Warn of each finding, or raise them together under ``strict``."""
        model = self.model
        if self.strict and found:
            raise combine_errors(
                [model.error(msg + " (an error under strict)", keys, hint) for msg, keys, hint in found]
            )
        for msg, keys, hint in found:
            e = model.error(msg, keys, hint)
            warnings.warn(ModelWarning(e.message, file=e.file, line=e.line, field=e.field, hint=e.hint), stacklevel=5)

    # --- one exchange, one factor ---

    def _exchange(self, keys, amount, amount_unit, flow_unit, ref_product, multiplier=1.0):
        """Add an exchange whose amount is a formula in ``amount_unit``; its index."""
        formula = self._amount_formula(keys, amount)
        scale = _exchange_scale(self.model, keys, formula, amount_unit, flow_unit, ref_product, self.nominal_si)
        start, stop = self.programs.emit(formula, self.par_index)
        self.exchanges.append(_Exchange(start, stop, multiplier * scale))
        return len(self.exchanges) - 1

    def _amount_formula(self, keys, amount):
        """Parse the formula of an amount, whose names must be model parameters."""
        try:
            formula = parse_formula(amount)
        except ValueError as exc:
            raise self.model.error(
                str(exc), keys + ("amount",), "write a number, or a formula of the model's parameters"
            ) from None
        for n in formula.names:
            if n not in self.par_index:
                known = f" (known: {', '.join(self.par_index)})" if self.par_index else ""
                raise self.model.error(
                    f"unknown parameter {n!r} in amount {formula.text!r}",
                    keys + ("amount",),
                    "declare it under 'parameters:'" + known,
                )
        return formula

    def _reference_unit(self, pid):
        """Return the unit of a process's reference product."""
        unit = self.model.processes[pid].reference_product.unit
        return _unit(self.model, ("processes", pid, "reference_product", "unit"), unit)

    def _factor_id(self, keys, ref):
        return _factor_id(self.model, keys, ref, self.factors, self.resolutions)

    def _per(self, fid):
        """Return the activity unit of a factor."""
        return parse_unit(str(self.factors.ds["per"].sel(factor=fid).item()))

    def _factor_row(self, fid, per):
        """Index of a factor in the model; its gas rows become quantities on first use."""
        rows = self.rows
        if fid in rows.index:
            return rows.index[fid]
        rows.index[fid] = len(rows.ids)
        rows.ids.append(fid)
        start = len(rows.param)
        for gas, value, gsd in self.factors.gases_of(fid):
            rows.param.append(len(self.quantities))
            rows.gas.append(GASES.index(gas))
            rows.scale.append(1.0)  # database values are kg of gas per unit of activity
            kind = kernel.LOGNORMAL if gsd > 1.0 else kernel.FIXED
            self.quantities.append(_Quantity(f"factor:{fid}:{gas}", f"kg/({per:~})", kind, value, gsd, nominal=value))
        rows.spans.append((start, len(rows.param)))
        return rows.index[fid]

    # --- the functional unit, the solve order, the arrays ---

    def demand(self):
        """Return the functional unit in units of the reference product."""
        model = self.model
        ref_unit = self._reference_unit(model.reference_process)
        fu_unit = _unit(model, ("functional_unit", "unit"), model.functional_unit.unit)
        try:
            return ureg.Quantity(model.functional_unit.amount, fu_unit).to(ref_unit).magnitude
        except Exception:
            raise model.error(
                f"the functional unit ({fu_unit:~}) is not convertible to the reference product's unit ({ref_unit:~})",
                ("functional_unit", "unit"),
                f"express the functional unit in {ref_unit:~}",
                cls=UnitMismatchError,
            ) from None

    def kernel_system(self, demand):
        """Lay the model out as a ``KernelSystem``.

        Its programs, exchanges, links and solve order, emissions, factor uses and rows,
        stage map and functional unit.
        """
        model, rows = self.model, self.rows
        links = _array(self.links, np.int64, 3)
        link_ptr, link_supplier, link_exchange, order, block_ptr, block_of, local_index = _block_structure(
            len(self.proc_index), links
        )
        derived_param, derived_start, derived_stop = _columns(self.derived_programs)
        emis_process, emis_gas, emis_exchange = _columns(self.emissions)
        use_process, use_factor, use_exchange = _columns(self.uses)
        return kernel.KernelSystem(
            ops=_array(self.programs.ops, np.int64, 2),
            consts=_array(self.programs.consts, np.float64),
            derived_param=derived_param,
            derived_start=derived_start,
            derived_stop=derived_stop,
            prog_start=_array([e.start for e in self.exchanges], np.int64),
            prog_stop=_array([e.stop for e in self.exchanges], np.int64),
            ex_scale=_array([e.scale for e in self.exchanges], np.float64),
            link_ptr=link_ptr,
            link_supplier=link_supplier,
            link_exchange=link_exchange,
            order=order,
            block_ptr=block_ptr,
            block_of=block_of,
            local_index=local_index,
            emis_process=emis_process,
            emis_gas=emis_gas,
            emis_exchange=emis_exchange,
            use_process=use_process,
            use_factor=use_factor,
            use_exchange=use_exchange,
            row_start=_array([a for a, _ in rows.spans], np.int64),
            row_stop=_array([b for _, b in rows.spans], np.int64),
            row_param=_array(rows.param, np.int64),
            row_gas=_array(rows.gas, np.int64),
            row_scale=_array(rows.scale, np.float64),
            stage_of=_array([STAGES.index(p.stage) for p in model.processes.values()], np.int64),
            reference_process=int(self.proc_index[model.reference_process]),
            demand=float(demand),
            n_gas=len(GASES),
            n_stage=len(STAGES),
            stack_size=int(self.programs.stack_size),
        )

    def finish(self):
        """Build the ``CompiledModel``: the kernel system and the quantities' arrays and labels."""
        model, qs = self.model, self.quantities
        keys = [stream_key(q.ident) for q in qs]
        system = self.kernel_system(self.demand())
        kinds = [q.kind for q in qs]
        return CompiledModel(
            model=model,
            system=system,
            parameter_ids=[q.ident for q in qs],
            parameter_units=[q.unit for q in qs],
            nominal=_array([q.nominal for q in qs], np.float64),
            kinds=_array(kinds, np.int64),
            p1=_array([q.p1 for q in qs], np.float64),
            p2=_array([q.p2 for q in qs], np.float64),
            p3=_array([q.p3 for q in qs], np.float64),
            p4=_array([q.p4 for q in qs], np.float64),
            table=_array(self.table, np.float64),
            correlation=_correlation(model, self.par_index, kinds),
            keys=_array(keys, np.uint64),
            processes=list(self.proc_index),
            process_stage=[p.stage for p in model.processes.values()],
            factor_ids=self.rows.ids,
            factors_sha256=self.factors.content_hash,
            factor_release=self.factors.version,
            resolutions=self.resolutions,
            factor_table=self.factors,
            profile=self.profile,
            notes=self.notes,
            unreachable_processes=self.unused["processes"],
            unused_parameters=self.unused["parameters"],
            unused_factors=self.unused["factors"],
        )


# ---------------------------------------------------------------------------------------
# Checks of one piece of a model
# ---------------------------------------------------------------------------------------


def _unit(model, keys, text):
    try:
        return parse_unit(text)
    except ValueError as exc:
        raise model.error(
            str(exc), keys, "use a unit pint understands, e.g. kg, t, kWh, GJ, t*km, m**3", cls=UnitMismatchError
        ) from None


def _parameter_distribution(model, name, par):
    """(kind, p1, p2, p3, p4, table) in SI base units for one model parameter."""
    keys = ("parameters", name)
    unit = _unit(model, keys + ("unit",), par.unit)
    base = ureg.Quantity(par.value, unit).to_base_units()
    factor = ureg.Quantity(1.0, unit).to_base_units().magnitude
    v = base.magnitude
    u = par.uncertainty
    if u is None:
        return kernel.FIXED, v, 0.0, 0.0, 0.0, ()
    where = keys + ("uncertainty",)
    if u.distribution == "lognormal":
        return _lognormal(model, keys, par, v)
    if u.distribution == "discrete":
        return _discrete(model, where, u, factor)
    return _scaled_distribution(model, where, par, v, factor)


def _need(model, u, where, *fields):
    """Raise unless the uncertainty gives every one of ``fields``."""
    missing = [f for f in fields if getattr(u, f) is None]
    if missing:
        raise model.error(
            f"a {u.distribution} distribution needs {', '.join(missing)}",
            where,
            f"add {', '.join(f + ':' for f in missing)} (in the parameter's unit)",
        )


def _bounds(model, u, where):
    """Raise unless the uncertainty gives ``min`` below ``max``."""
    _need(model, u, where, "min", "max")
    if not u.min < u.max:
        raise model.error(f"min ({u.min}) must be below max ({u.max})", where, "swap or correct min and max")


def _lognormal(model, keys, par, v):
    """Describe a lognormal parameter: median ``v`` [SI], geometric SD from gsd, pedigree or sd."""
    u = par.uncertainty
    where = keys + ("uncertainty",)
    if par.value <= 0:
        raise model.error(
            f"a lognormal parameter needs a positive value, got {par.value}",
            keys + ("value",),
            "use a normal distribution for values that can be <= 0",
        )
    if u.gsd is not None:
        return kernel.LOGNORMAL, v, u.gsd, 0.0, 0.0, ()
    if u.pedigree is not None:
        try:
            gsd = gsd_from_pedigree(parse_pedigree(u.pedigree), u.basic_uncertainty or 1.05)
        except ValueError as exc:
            raise model.error(str(exc), where + ("pedigree",), "write five scores like 2;3;1;2;3") from None
        return kernel.LOGNORMAL, v, gsd, 0.0, 0.0, ()
    if u.sd is not None:  # value = arithmetic mean, sd = arithmetic SD
        s2 = math.log1p((u.sd / par.value) ** 2)
        return kernel.LOGNORMAL, v * math.exp(-s2 / 2), math.exp(math.sqrt(s2)), 0.0, 0.0, ()
    raise model.error(
        "a lognormal needs 'gsd', 'pedigree' or 'sd'",
        where,
        "add gsd: 1.1 (geometric SD), pedigree: R;C;T;G;Tech, or sd: (arithmetic SD)",
    )


def _scaled_distribution(model, where, par, v, factor):
    """Describe a normal, truncated normal, uniform, triangular, PERT or beta parameter.

    Bounds and SDs are multiplied by ``factor`` (the parameter's unit in SI base units).
    """
    u = par.uncertainty
    if u.distribution == "normal":
        _need(model, u, where, "sd")
        return kernel.NORMAL, v, u.sd * factor, 0.0, 0.0, ()
    if u.distribution == "truncnormal":
        _need(model, u, where, "sd")
        _bounds(model, u, where)
        return kernel.TRUNCNORMAL, v, u.sd * factor, u.min * factor, u.max * factor, ()
    if u.distribution == "uniform":
        _bounds(model, u, where)
        return kernel.UNIFORM, u.min * factor, u.max * factor, 0.0, 0.0, ()
    if u.distribution in ("triangular", "pert"):
        _bounds(model, u, where)
        if not u.min <= par.value <= u.max:
            raise model.error(
                f"the value (the mode, {par.value}) must lie between min ({u.min}) and max ({u.max})",
                where,
                "check min, value and max",
            )
        kind = kernel.TRIANGULAR if u.distribution == "triangular" else kernel.PERT
        return kind, u.min * factor, v, u.max * factor, 0.0, ()
    # beta
    _need(model, u, where, "alpha", "beta")
    _bounds(model, u, where)
    return kernel.BETA, u.alpha, u.beta, u.min * factor, u.max * factor, ()


def _discrete(model, where, u, factor):
    """Describe a discrete parameter: its values [SI] then cumulative probabilities, for ``table``."""
    _need(model, u, where, "values", "probabilities")
    values, probs = list(u.values), list(u.probabilities)
    if len(values) != len(probs) or not values:
        raise model.error(
            "values and probabilities must be lists of the same, non-zero length",
            where,
            "give one probability per value",
        )
    if any(p < 0 for p in probs) or abs(sum(probs) - 1.0) > 1e-9:
        raise model.error(
            f"probabilities must be >= 0 and sum to one; they sum to {sum(probs):.6g}",
            where,
            "correct the probabilities",
        )
    cumulative = list(np.cumsum(probs))
    cumulative[-1] = 1.0
    return kernel.DISCRETE, 0.0, float(len(values)), 0.0, 0.0, tuple([x * factor for x in values] + cumulative)


def _correlation(model, par_index, kinds):
    """(columns, Cholesky factor) of the Gaussian copula for declared rank correlations."""
    if not model.correlations:
        return None
    names = []
    for c in model.correlations:
        for n in c.parameters:
            if n not in names:
                names.append(n)
    for k, c in enumerate(model.correlations):
        for n in c.parameters:
            where = ("correlations", k, "parameters")
            if n not in par_index:
                raise model.error(f"unknown parameter {n!r} in a correlation", where, "name two model parameters")
            if kinds[par_index[n]] == kernel.FIXED:
                raise model.error(
                    f"parameter {n!r} has no uncertainty to correlate",
                    where,
                    "give it an uncertainty, or remove the correlation",
                )
        if c.parameters[0] == c.parameters[1]:
            raise model.error(
                "a parameter cannot be correlated with itself",
                ("correlations", k, "parameters"),
                "name two different parameters",
            )
    m = np.eye(len(names))
    for c in model.correlations:
        a, b = names.index(c.parameters[0]), names.index(c.parameters[1])
        m[a, b] = m[b, a] = float(kernel.spearman_to_pearson(c.spearman))
    try:
        chol = np.linalg.cholesky(m)
    except np.linalg.LinAlgError:
        raise model.error(
            "the declared rank correlations are not consistent (their matrix is not positive definite)",
            ("correlations",),
            "weaken the correlations or remove one of a contradictory set",
        ) from None
    return np.array([par_index[n] for n in names], dtype=np.int64), chol


def _derived_order(model):
    """Order the derived parameters (given by a formula) by dependency; a cycle is an error."""
    formulas = {}
    for name, par in model.parameters.items():
        if par.formula is None:
            continue
        keys = ("parameters", name, "formula")
        try:
            f = parse_formula(par.formula)
        except ValueError as exc:
            raise model.error(str(exc), keys, "write a formula of the model's other parameters") from None
        for n in f.names:
            if n not in model.parameters:
                raise model.error(
                    f"unknown parameter {n!r} in formula {f.text!r}", keys, "declare it under 'parameters:'"
                )
        formulas[name] = f
    order, state = [], {}

    def visit(name, path):
        if state.get(name) == "done":
            return
        if state.get(name) == "active":
            cycle = path[path.index(name) :] + [name]
            raise model.error(
                "parameters depend on each other in a cycle: " + " -> ".join(cycle),
                ("parameters", name, "formula"),
                "break the cycle: give one of them a value",
            )
        state[name] = "active"
        for n in formulas[name].names:
            if n in formulas:
                visit(n, [*path, name])
        state[name] = "done"
        order.append((name, formulas[name]))

    for name in formulas:
        visit(name, [])
    return order


def _evaluate_nominal(model, keys, formula, nominal_si):
    """Evaluate a formula on the parameters' nominal quantities, with a located error."""
    try:
        return formula.evaluate(nominal_si)
    except ZeroDivisionError:
        raise model.error(
            "the formula divides by zero at the parameters' values", keys, "check the parameters it uses"
        ) from None
    except OverflowError:
        raise model.error(
            "the formula overflows at the parameters' values", keys, "check the parameters it uses"
        ) from None
    except Exception as exc:  # pint DimensionalityError and our own kind checks
        raise model.error(
            f"the formula mixes incompatible units ({exc})",
            keys,
            "only add, subtract, compare or choose between quantities of the same kind",
            cls=UnitMismatchError,
        ) from None


def _exchange_scale(model, keys, formula, amount_unit, flow_unit, ref_product, nominal_si):
    """Scale turning the formula's SI value into flow units per unit reference product.

    A formula of parameters gives a pint quantity (their SI values combined); it is
    converted to the exchange's ``unit`` (an amount per ``ref_product.amount`` of the
    reference product) or, if it is an intensity, to ``unit`` per reference unit (a kg/t
    parameter in a kg exchange of a 1 t product is 20 kg, not 0.02). A result of another
    dimension is an error naming the parameters and their units (a kg/t parameter in a
    kWh/t exchange). A formula of numbers alone, or of numbers and pure-number parameters
    (counts and shares: ``1``, ``%``, ``t/t``; not ``kg/t``), is a plain number in ``unit``.
    """
    ref_unit = _unit(model, ("processes", keys[1], "reference_product", "unit"), ref_product.unit)
    unit = _unit(model, keys + ("unit",), amount_unit)
    result = _evaluate_nominal(model, keys + ("amount",), formula, nominal_si)
    r = result if isinstance(result, ureg.Quantity) else ureg.Quantity(result, ureg.dimensionless)
    one_r = ureg.Quantity(1.0, r.units)
    intensity = (ureg.Quantity(1.0, unit) / ureg.Quantity(1.0, ref_unit)).units
    if not formula.names or (
        one_r.dimensionless
        and not ureg.Quantity(1.0, unit).dimensionless
        and all(_is_pure_number(model, n) for n in formula.names)
    ):
        # a plain number in `unit`: numbers alone, or times counts and shares (1, %, t/t), '3 * trips'
        to_unit = one_r.to(ureg.dimensionless).magnitude
        if formula.names and ureg.Quantity(1.0, intensity).dimensionless:
            as_share = one_r.to(intensity).magnitude * ref_product.amount
            if not math.isclose(to_unit, as_share, rel_tol=1e-12):
                value = float(r.to(ureg.dimensionless).magnitude)
                # 2 % in kg per 1 t: 0.02 kg as a plain number, 20 kg as a share of the product
                raise model.error(
                    f"the formula {formula.text!r} gives a pure number ({_parameter_units(model, formula)}) "
                    f"for an amount in {amount_unit} per {ref_product.amount:g} {ref_product.unit} of "
                    f"{ref_product.name}: as a plain number it is {value * to_unit:g} {amount_unit}, as a share "
                    f"of the product {value * as_share:g} {amount_unit}",
                    keys + ("unit",),
                    f"give the exchange's unit as a ratio ({amount_unit}/{ref_product.unit}), or the "
                    f"parameter in {amount_unit}/{ref_product.unit}",
                    cls=UnitMismatchError,
                )
    elif one_r.dimensionality == ureg.Quantity(1.0, unit).dimensionality:
        # the parameters' SI values in `unit` (20 kg/t is 0.02 as a ratio: 20 in kg/t, 0.02 in t/t)
        to_unit = one_r.to(unit).magnitude
    elif one_r.dimensionality == ureg.Quantity(1.0, intensity).dimensionality:
        # an intensity (20 kg/t) for an amount (kg) per `ref_product.amount` of the reference product
        to_unit = one_r.to(intensity).magnitude * ref_product.amount
    else:
        raise model.error(
            f"the formula {formula.text!r} gives {_unit_text(one_r.to_reduced_units().units)} "
            f"({_parameter_units(model, formula)}) but the unit is {amount_unit} "
            f"(per {ref_product.amount:g} {ref_product.unit} of {ref_product.name})",
            keys + ("unit",),
            "make 'unit' the unit of the formula's result, or state the parameter in the exchange's unit",
            cls=UnitMismatchError,
        )
    one = ureg.Quantity(1.0, unit)
    if one.dimensionality == ureg.Quantity(1.0, flow_unit).dimensionality:
        return to_unit * one.to(flow_unit).magnitude / ref_product.amount
    per = (ureg.Quantity(1.0, flow_unit) / ureg.Quantity(1.0, ref_unit)).units
    if one.dimensionality == ureg.Quantity(1.0, per).dimensionality:
        return to_unit * one.to(per).magnitude
    raise model.error(
        f"the unit {unit:~} is neither an amount of {flow_unit:~} (per {ref_product.amount:g} "
        f"{ref_unit:~} of {ref_product.name}) nor an intensity in {flow_unit:~}/{ref_unit:~}",
        keys + ("unit",),
        f"give the amount in a unit convertible to {flow_unit:~} or {flow_unit:~}/{ref_unit:~}",
        cls=UnitMismatchError,
    )


def _reached(start, links):
    """Return the indices of the processes reached from ``start`` through (consumer, supplier, exchange) links."""
    suppliers = {}
    for consumer, supplier, _ in links:
        suppliers.setdefault(consumer, []).append(supplier)
    reached, todo = {start}, [start]
    while todo:
        for q in suppliers.get(todo.pop(), ()):
            if q not in reached:
                reached.add(q)
                todo.append(q)
    return reached


def _names_in(amount):
    """Return the parameter names of an amount (a number or a formula); none if it does not parse."""
    if amount is None or isinstance(amount, int | float):
        return ()
    try:
        return parse_formula(str(amount)).names
    except ValueError:
        return ()


def _referenced_names(model):
    """Return every parameter name that a formula or an exchange of the model mentions."""
    amounts = [p.formula for p in model.parameters.values()]
    for proc in model.processes.values():
        amounts += [x.amount for x in (*proc.inputs, *proc.factors, *proc.emissions)]
        amounts += [s.amount for co in proc.co_products for s in co.substitutes]
    for block in model.circularity:
        amounts += [block.mass] + [getattr(block, n) for n in _CIRCULARITY_TERMS]
    amounts += [c.share for c in model.electricity_contracts]
    return {n for a in amounts for n in _names_in(a)}


def _is_pure_number(model, name):
    """Tell whether a parameter's declared unit is a pure number (``1``, ``%``, ``t/t``), not a ratio like kg/t."""
    unit = parse_unit(model.parameters[name].unit)
    return all(ureg.Quantity(1.0, u).dimensionless for u in unit._units)


def _unit_text(unit):
    """Write a unit as text; a dimensionless one is said so (pint writes it as an empty string)."""
    return f"{unit:~}" or "a dimensionless number"


def _parameter_units(model, formula):
    """List the parameters of a formula with their declared units (``parameter 'power' in kg/t``)."""
    return ", ".join(f"parameter {n!r} in {model.parameters[n].unit}" for n in formula.names)


def _block_structure(n, tech):
    """CSR links by consumer and the block-triangular solve order.

    Strongly connected components of the supply graph (consumer -> supplier) are the
    loop blocks; the condensation is ordered so that every consumer block comes before
    the blocks of its suppliers (Kahn's algorithm, ties by lowest process index, so the
    order is deterministic).
    """
    import scipy.sparse
    import scipy.sparse.csgraph

    consumer, supplier, exchange = (
        (tech[:, 0], tech[:, 1], tech[:, 2])
        if len(tech)
        else (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64))
    )
    by = np.lexsort((supplier, consumer))
    link_supplier = supplier[by].astype(np.int64)
    link_exchange = exchange[by].astype(np.int64)
    link_ptr = np.zeros(n + 1, np.int64)
    np.add.at(link_ptr, consumer[by] + 1, 1)
    link_ptr = np.cumsum(link_ptr)
    graph = scipy.sparse.coo_matrix((np.ones(len(consumer)), (consumer, supplier)), shape=(n, n)).tocsr()
    n_comp, comp = scipy.sparse.csgraph.connected_components(graph, directed=True, connection="strong")
    indegree = np.zeros(n_comp, np.int64)
    edges = {(int(comp[c]), int(comp[q])) for c, q in zip(consumer, supplier, strict=True) if comp[c] != comp[q]}
    succ = [[] for _ in range(n_comp)]
    for a, b in edges:
        succ[a].append(b)
        indegree[b] += 1
    first = [min(np.flatnonzero(comp == k)) for k in range(n_comp)]
    import heapq

    ready = [(first[k], k) for k in range(n_comp) if indegree[k] == 0]
    heapq.heapify(ready)
    comp_order = []
    while ready:
        _, k = heapq.heappop(ready)
        comp_order.append(k)
        for b in succ[k]:
            indegree[b] -= 1
            if indegree[b] == 0:
                heapq.heappush(ready, (first[b], b))
    order, block_ptr = [], [0]
    block_of = np.zeros(n, np.int64)
    local_index = np.zeros(n, np.int64)
    for b, k in enumerate(comp_order):
        members = sorted(np.flatnonzero(comp == k).tolist())
        for i, p in enumerate(members):
            block_of[p] = b
            local_index[p] = i
        order.extend(members)
        block_ptr.append(len(order))
    return (
        link_ptr,
        link_supplier,
        link_exchange,
        np.array(order, np.int64),
        np.array(block_ptr, np.int64),
        block_of,
        local_index,
    )


def _factor_id(model, keys, ref, db, resolutions):
    """Find the factor id an exchange uses: an id as written, or a key resolved.

    A key is resolved for the model's region and year; the resolution, with any
    substitution, is recorded in ``resolutions``.
    """
    if ref.count("/") == 1:
        try:
            res = resolve(db, ref, model.region, model.year)
        except UnknownFactorError as exc:
            raise model.error(exc.message, keys + ("factor",), exc.hint, cls=UnknownFactorError) from None
        if res not in resolutions:
            resolutions.append(res)
        return res.factor_id
    if ref in db:
        return ref
    parts = ref.split("/")
    key = "/".join(parts[1:3]) if len(parts) == 4 else ""
    similar = [f for f in db.factor_ids if key and "/".join(f.split("/")[1:3]) == key][:5]
    if not similar:
        similar = sorted(f for f in db.factor_ids if f.split("/")[1:2] == parts[1:2])[:5]
    raise model.error(
        f"unknown emission factor {ref!r}",
        keys + ("factor",),
        "use an id from the factor database ('pcflab factors list') or a key family/item"
        + (f"; similar ids: {', '.join(similar)}" if similar else ""),
        cls=UnknownFactorError,
    )


def _allocation_method(proc, profile):
    if proc.allocation_shares is not None:
        return "explicit"
    return proc.allocation or profile.allocation


def _allocation_share(model, pid, proc, profile):
    """Share of a process's burdens carried by its reference product (1 without co-products)."""
    if not proc.co_products:
        if proc.allocation_shares:
            raise model.error(
                "allocation shares are given but the process has no co-products",
                ("processes", pid, "allocation_shares"),
                "remove allocation_shares or add co_products",
            )
        return 1.0
    if proc.allocation_shares is not None:
        return _explicit_share(model, pid, proc)
    method = _allocation_method(proc, profile)
    if method == "system_expansion":
        for k, co in enumerate(proc.co_products):
            if not co.substitutes:
                raise model.error(
                    f"co-product {co.name!r} has nothing it substitutes, so system expansion cannot credit it",
                    ("processes", pid, "co_products", k),
                    "give 'substitutes', or set the process's 'allocation'",
                )
        return 1.0
    values = _product_properties(model, pid, proc, method)
    base = values[0].units
    magnitudes = [float(v.to(base).magnitude) for v in values]
    try:
        return allocation_share(magnitudes[0], magnitudes[1:])
    except ValueError as exc:
        raise model.error(str(exc), ("processes", pid, "co_products"), "check the properties") from None


def _explicit_share(model, pid, proc):
    """Check the process's ``allocation_shares``; the reference product's share."""
    names = [proc.reference_product.name] + [co.name for co in proc.co_products]
    shares = proc.allocation_shares
    where = ("processes", pid, "allocation_shares")
    if sorted(shares) != sorted(names):
        raise model.error(
            f"allocation shares are given for {sorted(shares)} but the products are {names}",
            where,
            "give one share per product, by its name",
        )
    if any(not 0.0 <= v <= 1.0 for v in shares.values()) or abs(sum(shares.values()) - 1.0) > 1e-9:
        raise model.error(
            f"allocation shares must lie in [0, 1] and sum to one; they sum to {sum(shares.values()):.6g}",
            where,
            "correct the shares",
        )
    return float(shares[proc.reference_product.name])


def _product_properties(model, pid, proc, method):
    """Read the ``method`` property (mass, value, energy) of every product of a process.

    Returns comparable pint quantities, the reference product's first.
    """
    values = []
    products = [(("processes", pid, "reference_product"), proc.reference_product)] + [
        (("processes", pid, "co_products", k), co) for k, co in enumerate(proc.co_products)
    ]
    for keys, product in products:
        text = product.properties.get(method)
        if text is None:
            raise model.error(
                f"{method} allocation needs the {method} property of {product.name!r}",
                keys + ("properties",),
                f"add properties: {{{method}: '<amount unit>'}} to every product of the process",
            )
        q = _property_quantity(model, keys + ("properties", method), text)
        if values and q.dimensionality != values[0].dimensionality:
            raise model.error(
                f"{method} property {text!r} is not comparable with {values[0]:~}",
                keys + ("properties", method),
                "give every product's property in compatible units",
                cls=UnitMismatchError,
            )
        values.append(q)
    return values


def _property_quantity(model, where, text):
    """Read a product property such as ``'1.2 t'`` as a non-negative pint quantity."""
    hint = "write an amount with its unit, e.g. '1.2 t', '4200 CNY', '28 GJ'"
    try:
        q = ureg.Quantity(text)
    except Exception:
        raise model.error(f"{text!r} is not a quantity", where, hint) from None
    if not isinstance(q, ureg.Quantity) or q.magnitude < 0:
        raise model.error(f"{text!r} is not a non-negative quantity with a unit", where, hint)
    return q


class _CbamParts(NamedTuple):
    """The CBAM good of a model and the part of each process: direct, indirect or outside."""

    good: object
    parts: dict


def _cbam_parts(model):
    """Which processes are inside the CBAM boundary of the model's good, and as what.

    From the reference process, through the inputs: a process marked ``within_cbam:
    false`` is outside; a process with a ``cn_code`` of its own is a relevant precursor
    (inside, judged by its own category from there on) if its category is one of the
    consuming good's route (Implementing Regulation (EU) 2023/1773, Annex II, section 3),
    an electricity producer (its emissions are indirect) if it makes electricity, and
    outside otherwise (alumina for aluminium, coke for steel: not CBAM goods); a process
    without one is a production process of the good it feeds. A process reached by no
    path inside is outside; one reached both as direct and as indirect counts as direct.
    """
    good = cbam_good(model.cn_code, file=model.path, line=model.line_of("cn_code"), field="cn_code")
    parts = dict.fromkeys(model.processes, "outside")
    stack, seen = [(model.reference_process, good.category, "direct")], set()
    while stack:
        pid, category, part = stack.pop()
        proc = model.processes.get(pid)
        if proc is None or (pid, category, part) in seen or not proc.within_cbam:
            continue
        seen.add((pid, category, part))
        if proc.cn_code is not None and pid != model.reference_process:
            keys = ("processes", pid, "cn_code")
            own = cbam_category(proc.cn_code, file=model.path, line=model.line_of(*keys), field=_dotted_keys(keys))
            if own == "electricity":
                part = "indirect"
            elif own is None or not is_relevant_precursor(own, category):
                continue
            else:
                category = own
        if parts[pid] != "direct":
            parts[pid] = part
        stack.extend((inp.process, category, part) for inp in proc.inputs)
    return _CbamParts(good, parts)


def _dotted_keys(keys):
    """``processes.coke_oven.cn_code`` from a key path."""
    return ".".join(str(k) for k in keys)


def _is_electricity(db, fid):
    """Whether a factor is one of electricity consumed (its key starts with ``electricity/``)."""
    return str(db.ds["key"].sel(factor=fid).item()).startswith("electricity/")


def _is_grid_electricity(db, fid):
    """Whether a factor is a grid-average electricity factor (the part contracts replace)."""
    key = str(db.ds["key"].sel(factor=fid).item())
    return key in ("electricity/footprint", "electricity/grid-co2")


def _electricity_contracts(model, profile, db, resolutions):
    """Resolve the model's green-electricity contracts, if the profile is market-based."""
    if profile.electricity != "market" or not model.electricity_contracts:
        return []
    out = []
    for k, c in enumerate(model.electricity_contracts):
        keys_ = ("electricity_contracts", k)
        fid = _factor_id(model, keys_, c.factor, db, resolutions)
        out.append({"share": c.share, "factor_id": fid, "instrument": c.instrument, "evidence": c.evidence})
    return out
