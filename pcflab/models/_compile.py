"""Compile a validated model and a factor table into flat arrays for the kernel.

Units are resolved here, once: parameters are converted to SI base units, every
exchange gets a scale that turns its formula's SI value into "amount per unit of the
process's reference product" in the unit the matrix needs (the supplier's reference
unit, the factor's reference unit, or kg of gas).
"""

import hashlib
import math
import re
from dataclasses import dataclass, field

import numpy as np

from pcflab import kernel
from pcflab.core import PcfError, UnitMismatchError, UnknownFactorError, parse_unit, ureg
from pcflab.factors import resolve
from pcflab.methods import (
    GASES,
    RECYCLING_COEFFICIENTS,
    STAGES,
    allocation_share,
    get_profile,
    gsd_from_pedigree,
    parse_pedigree,
)

from ._formula import parse_formula
from ._product_system import combine_errors

__all__ = ["CompiledModel", "compile_model", "stream_key"]

_DIST_CODES = {
    "lognormal": kernel.LOGNORMAL,
    "normal": kernel.NORMAL,
    "uniform": kernel.UNIFORM,
    "triangular": kernel.TRIANGULAR,
}


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
        Deterministic value of each entry of ``theta``.
    kinds, p1, p2, p3, keys : numpy.ndarray
        Distribution codes, parameters and random-stream keys.
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
    #: results derived from the compiled model alone, computed once (e.g. its data quality)
    _derived: dict = field(default_factory=dict, repr=False, compare=False)


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

    def need(*fields):
        missing = [f for f in fields if getattr(u, f) is None]
        if missing:
            raise model.error(
                f"a {u.distribution} distribution needs {', '.join(missing)}",
                where,
                f"add {', '.join(f + ':' for f in missing)} (in the parameter's unit)",
            )

    def bounds():
        need("min", "max")
        if not u.min < u.max:
            raise model.error(f"min ({u.min}) must be below max ({u.max})", where, "swap or correct min and max")

    if u.distribution == "lognormal":
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
    if u.distribution == "normal":
        need("sd")
        return kernel.NORMAL, v, u.sd * factor, 0.0, 0.0, ()
    if u.distribution == "truncnormal":
        need("sd")
        bounds()
        return kernel.TRUNCNORMAL, v, u.sd * factor, u.min * factor, u.max * factor, ()
    if u.distribution == "uniform":
        bounds()
        return kernel.UNIFORM, u.min * factor, u.max * factor, 0.0, 0.0, ()
    if u.distribution in ("triangular", "pert"):
        bounds()
        if not u.min <= par.value <= u.max:
            raise model.error(
                f"the value (the mode, {par.value}) must lie between min ({u.min}) and max ({u.max})",
                where,
                "check min, value and max",
            )
        kind = kernel.TRIANGULAR if u.distribution == "triangular" else kernel.PERT
        return kind, u.min * factor, v, u.max * factor, 0.0, ()
    if u.distribution == "beta":
        need("alpha", "beta")
        bounds()
        return kernel.BETA, u.alpha, u.beta, u.min * factor, u.max * factor, ()
    # discrete
    need("values", "probabilities")
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
    """Derived parameters (given by a formula) in dependency order; a cycle is an error."""
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
    """Scale turning the formula's SI value into flow units per unit reference product."""
    ref_unit = _unit(model, ("processes", keys[1], "reference_product", "unit"), ref_product.unit)
    unit = _unit(model, keys + ("unit",), amount_unit)
    result = _evaluate_nominal(model, keys + ("amount",), formula, nominal_si)
    r = result if isinstance(result, ureg.Quantity) else ureg.Quantity(result, ureg.dimensionless)
    one_r = ureg.Quantity(1.0, r.units)
    if one_r.dimensionless and formula.names and ureg.Quantity(1.0, unit).dimensionless:
        # a ratio of the parameters' SI values (20 kg/t is 0.02): convert it to `unit` (kg/t)
        to_unit = one_r.to(unit).magnitude
    elif one_r.dimensionless:
        to_unit = one_r.to(ureg.dimensionless).magnitude  # a plain number, in `unit`
    elif one_r.dimensionality == ureg.Quantity(1.0, unit).dimensionality:
        to_unit = one_r.to(unit).magnitude
    else:
        raise model.error(
            f"the formula {formula.text!r} gives {one_r.to_reduced_units().units:~} but the unit is {unit:~}",
            keys + ("unit",),
            "make 'unit' the unit of the formula's result",
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
    """The factor id an exchange uses: an id as written, or a key resolved for the model's
    region and year (the resolution, with any substitution, is recorded)."""
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
    values = []
    products = [(("processes", pid, "reference_product"), proc.reference_product)] + [
        (("processes", pid, "co_products", k), co) for k, co in enumerate(proc.co_products)
    ]
    for keys_, product in products:
        text = product.properties.get(method)
        if text is None:
            raise model.error(
                f"{method} allocation needs the {method} property of {product.name!r}",
                keys_ + ("properties",),
                f"add properties: {{{method}: '<amount unit>'}} to every product of the process",
            )
        try:
            q = ureg.Quantity(text)
        except Exception:
            raise model.error(
                f"{text!r} is not a quantity",
                keys_ + ("properties", method),
                "write an amount with its unit, e.g. '1.2 t', '4200 CNY', '28 GJ'",
            ) from None
        if not isinstance(q, ureg.Quantity) or q.magnitude < 0:
            raise model.error(
                f"{text!r} is not a non-negative quantity with a unit",
                keys_ + ("properties", method),
                "write an amount with its unit, e.g. '1.2 t', '4200 CNY', '28 GJ'",
            )
        if values and q.dimensionality != values[0].dimensionality:
            raise model.error(
                f"{method} property {text!r} is not comparable with {values[0]:~}",
                keys_ + ("properties", method),
                "give every product's property in compatible units",
                cls=UnitMismatchError,
            )
        values.append(q)
    base = values[0].units
    magnitudes = [float(v.to(base).magnitude) for v in values]
    try:
        return allocation_share(magnitudes[0], magnitudes[1:])
    except ValueError as exc:
        raise model.error(str(exc), ("processes", pid, "co_products"), "check the properties") from None


def _is_grid_electricity(db, fid):
    """Whether a factor is a grid-average electricity factor (the part contracts replace)."""
    key = str(db.ds["key"].sel(factor=fid).item())
    return key in ("electricity/footprint", "electricity/grid-co2")


def _electricity_contracts(model, profile, db, resolutions):
    """The model's green-electricity contracts, if the profile is market-based."""
    if profile.electricity != "market" or not model.electricity_contracts:
        return []
    out = []
    for k, c in enumerate(model.electricity_contracts):
        keys_ = ("electricity_contracts", k)
        fid = _factor_id(model, keys_, c.factor, db, resolutions)
        out.append({"share": c.share, "factor_id": fid, "instrument": c.instrument, "evidence": c.evidence})
    return out


def compile_model(model, factors, profile="iso14067"):
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

    Returns
    -------
    CompiledModel

    Raises
    ------
    ModelError, UnknownFactorError, UnitMismatchError
        Naming the file, line and key of the problem.
    """
    pnames = list(model.parameters)
    par_index = {n: i for i, n in enumerate(pnames)}
    ids, units, kinds, p1, p2, p3, p4, keys, nominal, table = [], [], [], [], [], [], [], [], [], []
    nominal_si = {}
    derived = _derived_order(model)
    for name in pnames:
        par = model.parameters[name]
        ids.append(f"param:{model.id}/{name}")
        if par.formula is not None:  # filled in below, once its inputs are known
            units.append("")
            kinds.append(kernel.FIXED)
            for lst in (p1, p2, p3, p4, nominal):
                lst.append(0.0)
            continue
        kind, a, b, c, d, entries = _parameter_distribution(model, name, par)
        if kind == kernel.DISCRETE:
            a = float(len(table))  # start of this parameter's entries in the table
            table.extend(entries)
        base = ureg.Quantity(par.value, _unit(model, ("parameters", name, "unit"), par.unit)).to_base_units()
        units.append(f"{base.units:~}" or "1")
        kinds.append(kind)
        p1.append(a)
        p2.append(b)
        p3.append(c)
        p4.append(d)
        nominal.append(base.magnitude)
        nominal_si[name] = base
    for name, formula in derived:
        keys_ = ("parameters", name, "formula")
        declared = _unit(model, ("parameters", name, "unit"), model.parameters[name].unit)
        value = _evaluate_nominal(model, keys_, formula, nominal_si)
        q = value if isinstance(value, ureg.Quantity) else ureg.Quantity(value, ureg.dimensionless)
        if q.dimensionality != ureg.Quantity(1.0, declared).dimensionality:
            raise model.error(
                f"the formula gives {q.to_reduced_units().units:~} but the unit is {declared:~}",
                ("parameters", name, "unit"),
                "make 'unit' the unit of the formula's result",
                cls=UnitMismatchError,
            )
        q = q.to_base_units()
        i = par_index[name]
        units[i] = f"{q.units:~}" or "1"
        p1[i] = nominal[i] = float(q.magnitude)
        nominal_si[name] = q

    processes = list(model.processes)
    proc_index = {p: i for i, p in enumerate(processes)}
    ops, consts, prog_start, prog_stop, ex_scale = [], [], [], [], []
    tech, emis, uses, resolutions, circularity_notes = [], [], [], [], []
    profile = get_profile(profile)
    derived_param, derived_start, derived_stop = [], [], []
    factor_order, row_start, row_stop, row_param, row_gas, row_scale = [], [], [], [], [], []
    stack_size = 1

    def add_program(keys_, amount, amount_unit, flow_unit, ref_product, multiplier=1.0):
        try:
            formula = parse_formula(amount)
        except ValueError as exc:
            raise model.error(
                str(exc), keys_ + ("amount",), "write a number, or a formula of the model's parameters"
            ) from None
        for n in formula.names:
            if n not in par_index:
                known = f" (known: {', '.join(pnames)})" if pnames else ""
                raise model.error(
                    f"unknown parameter {n!r} in amount {formula.text!r}",
                    keys_ + ("amount",),
                    "declare it under 'parameters:'" + known,
                )
        scale = multiplier * _exchange_scale(model, keys_, formula, amount_unit, flow_unit, ref_product, nominal_si)
        start, stop = emit(formula)
        prog_start.append(start)
        prog_stop.append(stop)
        ex_scale.append(scale)
        return len(prog_start) - 1

    def emit(formula):
        """Append a formula's program to the model's instruction array; its (start, stop)."""
        nonlocal stack_size
        start = len(ops)
        for op, arg in formula.program:
            if op == kernel.CONST:
                ops.append((op, len(consts)))
                consts.append(arg)
            elif op == kernel.PARAM:
                ops.append((op, par_index[arg]))
            else:
                ops.append((op, 0))
        stack_size = max(stack_size, formula.depth)
        return start, len(ops)

    for name, formula in derived:
        start, stop = emit(formula)
        derived_param.append(par_index[name])
        derived_start.append(start)
        derived_stop.append(stop)

    kg = ureg.kilogram

    def add_factor(fid, per):
        if fid in factor_order:
            return factor_order.index(fid)
        factor_order.append(fid)
        row_start.append(len(row_param))
        for gas, value, gsd in factors.gases_of(fid):
            row_param.append(len(ids))
            row_gas.append(GASES.index(gas))
            row_scale.append(1.0)  # database values are kg of gas per unit of activity
            ids.append(f"factor:{fid}:{gas}")
            units.append(f"kg/({per:~})")
            kinds.append(kernel.LOGNORMAL if gsd > 1.0 else kernel.FIXED)
            p1.append(value)
            p2.append(gsd)
            p3.append(0.0)
            p4.append(0.0)
            nominal.append(value)
        row_stop.append(len(row_param))
        return len(factor_order) - 1

    contracts = _electricity_contracts(model, profile, factors, resolutions)
    problems = []  # errors of single exchanges are collected, so that all are reported at once
    for pid, proc in model.processes.items():
        i = proc_index[pid]
        share = _allocation_share(model, pid, proc, profile)
        burden = 0.0 if (profile.cbam_boundary and not proc.within_cbam) else 1.0
        for k, inp in enumerate(proc.inputs):
            try:
                keys_ = ("processes", pid, "inputs", k)
                supplier = model.processes[inp.process]
                flow = _unit(
                    model, ("processes", inp.process, "reference_product", "unit"), supplier.reference_product.unit
                )
                e = add_program(keys_, inp.amount, inp.unit, flow, proc.reference_product, share)
                tech.append((i, proc_index[inp.process], e))
            except PcfError as exc:
                problems.append(exc)
        for k, em in enumerate(proc.emissions):
            try:
                keys_ = ("processes", pid, "emissions", k)
                e = add_program(keys_, em.amount, em.unit, kg, proc.reference_product, share * burden)
                emis.append((i, GASES.index(em.gas), e))
            except PcfError as exc:
                problems.append(exc)
        for k, fu in enumerate(proc.factors):
            try:
                keys_ = ("processes", pid, "factors", k)
                fid = _factor_id(model, keys_, fu.factor, factors, resolutions)
                per = parse_unit(str(factors.ds["per"].sel(factor=fid).item()))
                split = contracts if (contracts and _is_grid_electricity(factors, fid)) else []
                amount = fu.amount
                if split:
                    covered = " + ".join(f"({c['share']})" for c in split)
                    amount = f"({fu.amount}) * (1 - ({covered}))"
                    for c in split:
                        c_per = parse_unit(str(factors.ds["per"].sel(factor=c["factor_id"]).item()))
                        e = add_program(
                            keys_,
                            f"({fu.amount}) * ({c['share']})",
                            fu.unit,
                            c_per,
                            proc.reference_product,
                            share * burden,
                        )
                        uses.append((i, add_factor(c["factor_id"], c_per), e))
                e = add_program(keys_, amount, fu.unit, per, proc.reference_product, share * burden)
                uses.append((i, add_factor(fid, per), e))
            except PcfError as exc:
                problems.append(exc)
        if proc.co_products and _allocation_method(proc, profile) == "system_expansion":
            for k, co in enumerate(proc.co_products):
                for m, sub in enumerate(co.substitutes):
                    try:
                        keys_ = ("processes", pid, "co_products", k, "substitutes", m)
                        amount = f"-({sub.amount})"
                        if sub.process is not None:
                            if sub.process not in proc_index:
                                raise model.error(
                                    f"substitute from unknown process {sub.process!r}",
                                    keys_ + ("process",),
                                    f"use one of {', '.join(processes)}",
                                )
                            target = model.processes[sub.process]
                            flow = _unit(
                                model,
                                ("processes", sub.process, "reference_product", "unit"),
                                target.reference_product.unit,
                            )
                            e = add_program(keys_, amount, sub.unit, flow, proc.reference_product, 1.0)
                            tech.append((i, proc_index[sub.process], e))
                        else:
                            fid = _factor_id(model, keys_, sub.factor, factors, resolutions)
                            per = parse_unit(str(factors.ds["per"].sel(factor=fid).item()))
                            e = add_program(keys_, amount, sub.unit, per, proc.reference_product, burden)
                            uses.append((i, add_factor(fid, per), e))
                    except PcfError as exc:
                        problems.append(exc)
    for c_index, block in enumerate(model.circularity):
        where = ("circularity", c_index)
        if block.process not in proc_index:
            raise model.error(
                f"unknown process {block.process!r}", where + ("process",), f"use one of {', '.join(processes)}"
            )
        proc = model.processes[block.process]
        coefficients = RECYCLING_COEFFICIENTS[profile.recycling]
        for term, coefficient in coefficients.items():
            ref_ = getattr(block, term)
            if ref_ is None:
                circularity_notes.append(
                    f"{block.material}: no '{term}' factor given; the {profile.recycling} "
                    f"term {coefficient} x E({term}) is not counted"
                )
                continue
            keys_ = where + (term,)
            fid = _factor_id(model, keys_, ref_, factors, resolutions)
            per = parse_unit(str(factors.ds["per"].sel(factor=fid).item()))
            text = coefficient
            for name in ("Qsin_Qp", "Qsout_Qp", "R1", "R2", "R3", "A"):
                text = re.sub(rf"\b{name}\b", f"({getattr(block, name)})", text)
            burden = 0.0 if (profile.cbam_boundary and not proc.within_cbam) else 1.0
            e = add_program(keys_, f"({block.mass}) * ({text})", block.unit, per, proc.reference_product, burden)
            uses.append((proc_index[block.process], add_factor(fid, per), e))

    if problems:
        problems.sort(key=lambda p: p.line or 0)
        raise combine_errors(problems)
    for ident in ids:
        keys.append(stream_key(ident))
    ref = model.processes[model.reference_process].reference_product
    ref_unit = _unit(model, ("processes", model.reference_process, "reference_product", "unit"), ref.unit)
    fu_unit = _unit(model, ("functional_unit", "unit"), model.functional_unit.unit)
    try:
        demand = ureg.Quantity(model.functional_unit.amount, fu_unit).to(ref_unit).magnitude
    except Exception:
        raise model.error(
            f"the functional unit ({fu_unit:~}) is not convertible to the reference product's unit ({ref_unit:~})",
            ("functional_unit", "unit"),
            f"express the functional unit in {ref_unit:~}",
            cls=UnitMismatchError,
        ) from None

    def arr(x, dtype, cols=None):
        a = np.array(x, dtype=dtype)
        if cols is not None and a.size == 0:
            a = a.reshape(0, cols)
        return a

    t = arr(tech, np.int64, 3)
    em = arr(emis, np.int64, 3)
    us = arr(uses, np.int64, 3)
    link_ptr, link_supplier, link_exchange, order, block_ptr, block_of, local_index = _block_structure(
        len(processes), t
    )
    system = kernel.KernelSystem(
        ops=arr(ops, np.int64, 2),
        consts=arr(consts, np.float64),
        derived_param=arr(derived_param, np.int64),
        derived_start=arr(derived_start, np.int64),
        derived_stop=arr(derived_stop, np.int64),
        prog_start=arr(prog_start, np.int64),
        prog_stop=arr(prog_stop, np.int64),
        ex_scale=arr(ex_scale, np.float64),
        link_ptr=link_ptr,
        link_supplier=link_supplier,
        link_exchange=link_exchange,
        order=order,
        block_ptr=block_ptr,
        block_of=block_of,
        local_index=local_index,
        emis_process=em[:, 0].copy(),
        emis_gas=em[:, 1].copy(),
        emis_exchange=em[:, 2].copy(),
        use_process=us[:, 0].copy(),
        use_factor=us[:, 1].copy(),
        use_exchange=us[:, 2].copy(),
        row_start=arr(row_start, np.int64),
        row_stop=arr(row_stop, np.int64),
        row_param=arr(row_param, np.int64),
        row_gas=arr(row_gas, np.int64),
        row_scale=arr(row_scale, np.float64),
        stage_of=arr([STAGES.index(p.stage) for p in model.processes.values()], np.int64),
        reference_process=int(proc_index[model.reference_process]),
        demand=float(demand),
        n_gas=len(GASES),
        n_stage=len(STAGES),
        stack_size=int(stack_size),
    )
    return CompiledModel(
        model=model,
        system=system,
        parameter_ids=ids,
        parameter_units=units,
        nominal=arr(nominal, np.float64),
        kinds=arr(kinds, np.int64),
        p1=arr(p1, np.float64),
        p2=arr(p2, np.float64),
        p3=arr(p3, np.float64),
        p4=arr(p4, np.float64),
        table=arr(table, np.float64),
        correlation=_correlation(model, par_index, kinds),
        keys=arr(keys, np.uint64),
        processes=processes,
        process_stage=[p.stage for p in model.processes.values()],
        factor_ids=factor_order,
        factors_sha256=factors.content_hash,
        factor_release=factors.version,
        resolutions=resolutions,
        factor_table=factors,
        profile=profile,
        notes=circularity_notes,
    )
