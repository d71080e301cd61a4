"""Comparing products under shared uncertainty: is product A really lower than B.

``compare_products`` simulates several products together. What they share gets the same
draw in every product for the same sample: a factor row (the same id in the same factor
database) and, by default, a model parameter of the same name, unit and distribution (the
BF-BOF route's coke rate in the hot-rolled coil and in the rebar). Everything else is
drawn for each product on its own. The products' difference, the probability that one is
lower than another and each product's probability of each rank in the family then reflect
only what really tells them apart.

Every draw stays a pure function of (seed, sample, stream key) (``docs/random-stream.md``):
the key of a factor row is the hash of its id (as in ``simulate``), the key of a shared
parameter the hash of ``param:shared/<name>@<digest of its unit and distribution>`` (the
same whichever products are compared), the key of any other parameter the hash of its own
id. The union of the products' quantities is sampled once per chunk and each product reads
its columns, so the result is bit-identical whatever the chunk size or the thread count,
and a product that shares no parameter gets exactly the samples ``simulate`` gives it.
"""

import hashlib
import json

import numpy as np
import xarray as xr

from pcflab import kernel
from pcflab.core import PcfError, ureg
from pcflab.models import stream_key

from ._prepare import _raise_status, _weights, prepare
from ._provenance import _provenance
from ._simulate import THETA_BUDGET, _check_int

__all__ = ["SHARING", "compare_products"]

#: What ``compare_products`` draws once for all products: ``"parameters"`` (factor rows and
#: model parameters of the same name, unit and distribution), ``"factors"`` (factor rows
#: only) or ``"none"`` (every product on its own draws, for comparison).
SHARING = ("parameters", "factors", "none")
_SAMPLERS = ("random", "lhs", "sobol")
_UNITS = "kg CO2e"
_RANK_CHUNK = 65_536  # samples ranked at a time (bounds the product x product comparisons)


def _check_arguments(models, n_samples, seed, interval, shared, sampler, chunk_size):
    """Every check that needs no model: raised before anything is loaded or run."""
    if isinstance(models, str | bytes) or not hasattr(models, "__iter__"):
        raise PcfError(
            f"models must be a list of at least two products, got {type(models).__name__}",
            hint="pass e.g. ['steel/bf-bof-hot-rolled-coil', 'steel/bf-bof-rebar']",
        )
    models = list(models)
    if len(models) < 2:
        raise PcfError(
            f"comparing products needs at least two, got {len(models)}",
            hint="pass two or more models; for one product use pcflab.simulate",
        )
    try:
        n_samples = _check_int("n_samples", n_samples, 2)
        seed = _check_int("seed", seed, 0, 2**64)
        chunk_size = _check_int("chunk_size", chunk_size, 1)
    except (TypeError, ValueError) as exc:
        raise PcfError(str(exc), hint="give n_samples >= 2, 0 <= seed < 2**64 and chunk_size >= 1 as ints") from None
    if not (isinstance(interval, float | int) and 0.0 < interval < 1.0):
        raise PcfError(f"interval must lie strictly between 0 and 1, got {interval!r}", hint="use 0.95")
    if shared not in SHARING:
        raise PcfError(f"unknown sharing {shared!r}", hint=f"use one of {', '.join(SHARING)}")
    if sampler not in _SAMPLERS:
        raise PcfError(f"unknown sampler {sampler!r}", hint=f"use one of {', '.join(_SAMPLERS)}")
    return models, n_samples, seed, chunk_size


def _functional_unit(cm):
    """Return the functional unit as a pint quantity (None if pint cannot read its unit)."""
    fu = cm.model.functional_unit
    try:
        return fu.amount * ureg.Quantity(fu.unit)
    except Exception:  # noqa: BLE001 (any unit pint cannot read: compared as text instead)
        return None


def _check_products(cms):
    """Distinct products with one functional unit, under one profile and one factor database."""
    ids = [cm.model.id for cm in cms]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise PcfError(f"a product is given twice: {', '.join(twice)}", hint="give each product once")
    first, fu0 = cms[0], _functional_unit(cms[0])
    for cm in cms[1:]:
        fu = _functional_unit(cm)
        a, b = first.model.functional_unit, cm.model.functional_unit
        same = fu is not None and fu0 is not None and fu.dimensionality == fu0.dimensionality
        same = same and bool(np.isclose(fu.to(fu0.units).magnitude, fu0.magnitude, rtol=1e-12, atol=0.0))
        if not same and (fu is not None or fu0 is not None or (a.amount, a.unit) != (b.amount, b.unit)):
            raise cm.model.error(
                f"the functional unit of {cm.model.id} ({b.amount:g} {b.unit}) is not that of "
                f"{first.model.id} ({a.amount:g} {a.unit}): footprints per different units cannot be compared",
                ("functional_unit",),
                "compare products that share one functional unit (e.g. 1 t at the gate)",
            )
        if cm.profile != first.profile:
            raise PcfError(
                f"{cm.model.id} was compiled under the method profile {cm.profile.name!r}, "
                f"{first.model.id} under {first.profile.name!r}: footprints under different rules cannot be compared",
                hint="pass profile= to compare every product under one profile",
            )
        if cm.factors_sha256 != first.factors_sha256:
            raise PcfError(
                f"{cm.model.id} and {first.model.id} were compiled against different factor databases "
                f"({cm.factor_release or cm.factors_sha256[:12]} and "
                f"{first.factor_release or first.factors_sha256[:12]})",
                hint="compile every product against the same factor database (or pass models by name and factors=)",
            )


def _distribution(cm, i):
    """Return what makes a quantity the same in two products: unit, kind, parameters (and table)."""
    kind = int(cm.kinds[i])
    params = (float(cm.p1[i]), float(cm.p2[i]), float(cm.p3[i]), float(cm.p4[i]))
    if kind == kernel.DISCRETE:
        start, count = int(cm.p1[i]), int(cm.p2[i])
        params = tuple(float(v) for v in cm.table[start : start + 2 * count])
    return (cm.parameter_units[i], kind, params)


def _correlated(cm):
    if cm.correlation is None:
        return set()
    return {int(c) for c in cm.correlation[0]}


def _shared_names(cms, shared):
    """Model parameters drawn once for the products that have them: {(name, distribution)}.

    A parameter is shared by the products that have a parameter of its name with the same
    unit and distribution (at least two of them), uncertain and in no declared rank
    correlation; products whose parameter of that name differs draw their own.
    """
    if shared != "parameters":
        return set()
    count, excluded = {}, set()
    for cm in cms:
        correlated = _correlated(cm)
        for i, ident in enumerate(cm.parameter_ids):
            if not ident.startswith("param:"):
                continue
            group = (ident.rsplit("/", 1)[-1], _distribution(cm, i))
            count[group] = count.get(group, 0) + 1
            if cm.kinds[i] == kernel.FIXED or i in correlated:
                excluded.add(group)
    return {g for g, c in count.items() if c > 1 and g not in excluded}


def _shared_id(name, distribution):
    """Return ``param:shared/<name>@<8 hex digits>``, the same whichever products are compared."""
    digest = hashlib.blake2b(repr(distribution).encode(), digest_size=4).hexdigest()
    return f"param:shared/{name}@{digest}"


def _union_id(cm, i, shared, shared_names):
    """Return the id under which a quantity is drawn (one union column per id; its key hashes it)."""
    ident = cm.parameter_ids[i]
    if shared == "none":
        return f"{cm.model.id}|{ident}"
    if ident.startswith("param:"):
        group = (ident.rsplit("/", 1)[-1], _distribution(cm, i))
        if group in shared_names:
            return _shared_id(*group)
    return ident  # a factor row (the same id in every product) or a parameter of this product only


class _Union:
    """The products' uncertain quantities as one set of columns, and where each product reads.

    Attributes
    ----------
    ids : list of str
        Id of every column (``_union_id``).
    users : dict
        Column id -> the products that read it.
    columns : list of numpy.ndarray
        For each product, the union column of each of its quantities (``theta`` order).
    parameters : pcflab.kernel.KernelParameters
        The union's distributions and stream keys (``stream_key`` of the column id), and the
        products' own rank correlations as independent blocks.
    """

    def __init__(self, cms, shared):
        self.shared_names = _shared_names(cms, shared)
        self.ids, self.users, self.columns = [], {}, []
        self._where, self._dist = {}, []
        self._kinds, self._p, self._table = [], [[], [], [], []], []
        corr_cols, blocks = [], []
        for cm in cms:
            cols = [self._column(cm, i, _union_id(cm, i, shared, self.shared_names)) for i in range(len(cm.kinds))]
            self.columns.append(np.asarray(cols, dtype=np.int64))
            if cm.correlation is not None:
                corr_cols.append(self.columns[-1][cm.correlation[0]])
                blocks.append(np.asarray(cm.correlation[1], dtype=float))
        correlation = None
        if corr_cols:  # block-diagonal: each product's correlations, independent of the others'
            size = sum(len(c) for c in corr_cols)
            chol, at = np.zeros((size, size)), 0
            for b in blocks:
                chol[at : at + len(b), at : at + len(b)] = b
                at += len(b)
            correlation = (np.concatenate(corr_cols), chol)
        self.parameters = kernel.KernelParameters.from_arrays(
            np.asarray(self._kinds, dtype=np.int64),
            *(np.asarray(v, dtype=float) for v in self._p[:3]),
            np.asarray([stream_key(u) for u in self.ids], dtype=np.uint64),
            p4=np.asarray(self._p[3], dtype=float),
            table=np.asarray(self._table, dtype=float),
            correlation=correlation,
        )

    def _column(self, cm, i, uid):
        """Return the union column of quantity ``i`` of ``cm`` (added if new)."""
        dist = _distribution(cm, i)
        if uid in self._where:
            k = self._where[uid]
            if self._dist[k] != dist:
                raise PcfError(
                    f"{cm.parameter_ids[i]} has another distribution in {cm.model.id} than in {self.users[uid][0]}",
                    hint="compile every product against the same factor database and method profile",
                )
        else:
            k = self._where[uid] = len(self.ids)
            self.ids.append(uid)
            self.users[uid] = []
            self._dist.append(dist)
            values = [float(cm.p1[i]), float(cm.p2[i]), float(cm.p3[i]), float(cm.p4[i])]
            if int(cm.kinds[i]) == kernel.DISCRETE:  # its values and probabilities, moved into the union's table
                start, count = int(values[0]), int(values[1])
                values[0] = float(len(self._table))
                self._table.extend(cm.table[start : start + 2 * count].tolist())
            self._kinds.append(int(cm.kinds[i]))
            for j in range(4):
                self._p[j].append(values[j])
        self.users[uid].append(cm.model.id)
        return k

    def shared(self):
        """Column ids drawn for more than one product -> the products that read them."""
        return {u: users for u, users in self.users.items() if len(users) > 1}


def compare_products(
    models,
    n_samples=10_000,
    seed=42,
    factors=None,
    *,
    profile=None,
    gwp_set=None,
    shared="parameters",
    sampler="random",
    interval=0.95,
    chunk_size=65_536,
):
    """Simulate several products together, with shared draws of what they share.

    Parameters
    ----------
    models : sequence of (str, Path, ProductSystem or CompiledModel)
        Two or more products with the same functional unit.
    n_samples : int
        Monte Carlo samples (>= 2), the same for every product.
    seed : int
        Seed (0 <= seed < 2**64).
    factors : str, Path or FactorDB, optional
        Factor database (the shipped one by default); compiled models must all have been
        compiled against one database.
    profile : str or MethodProfile, optional
        Method profile of every product (``iso14067`` by default).
    gwp_set : {"AR4", "AR5", "AR6"}, optional
        GWP100 values (the profile's by default).
    shared : {"parameters", "factors", "none"}
        What is drawn once for all products: factor rows and model parameters of the same
        name, unit and distribution (default); factor rows only; nothing (independent
        products, to see what sharing changes).
    sampler : {"random", "lhs", "sobol"}
        As ``simulate``.
    interval : float
        Probability of the central intervals (of each product and of each difference).
    chunk_size : int
        Samples drawn and evaluated at a time (bounds memory; does not change the results).

    Returns
    -------
    xarray.Dataset
        Coordinates ``sample``, ``product`` (model ids), ``other`` (the same ids) and
        ``rank`` (1 = lowest footprint). ``total`` (sample, product) [kg CO2e per functional
        unit]; ``mean``, ``sd``, ``lower``, ``upper`` (product) [kg CO2e];
        ``difference_mean``, ``difference_sd``, ``difference_lower``, ``difference_upper``
        (product, other): of ``product - other`` [kg CO2e]; ``p_less`` (product, other):
        P(product < other), NaN on the diagonal, with ``p_less_se``; ``rank_probability``
        (product, rank), a tie shared equally among the tied ranks, so that it sums to 1
        per product and per rank, with ``rank_probability_se`` [1]. ``attrs``: seed,
        sample count, sampler, sharing, the shared quantities (``shared_quantities``,
        JSON: id -> products), profile, GWP set, factor release and each product's
        provenance (``product_provenance``, JSON).

    Raises
    ------
    PcfError
        Fewer than two products, a product given twice, an unknown model, products with
        different functional units, compiled under different method profiles or against
        different factor databases, bad
        ``n_samples``, ``seed``, ``interval``, ``shared`` or ``sampler``.

    Notes
    -----
    ``se`` are Monte Carlo standard errors of a probability, ``sqrt(p (1 - p) / n)``.
    With the ``random`` sampler every draw is a pure function of (seed, sample, stream
    key): a factor row's key is that of its id, as in ``simulate``; a shared parameter's is
    that of ``param:shared/<name>@<digest>`` (8 hex digits of the
    blake2b hash of its unit and distribution; ``docs/random-stream.md``).
    """
    models, n_samples, seed, chunk_size = _check_arguments(
        models, n_samples, seed, interval, shared, sampler, chunk_size
    )
    cms = [prepare(m, factors, profile=profile) for m in models]
    _check_products(cms)
    gwp_set = gwp_set or cms[0].profile.gwp_set
    union = _Union(cms, shared)
    totals = _simulate_together(cms, union, gwp_set, n_samples, seed, sampler, chunk_size)
    ids = [cm.model.id for cm in cms]
    ds = _statistics(totals, ids, interval)
    first = _provenance(cms[0], gwp_set)
    common = ("method_profile", "method_profile_title", "method_profile_sha256", "allocation", "recycling")
    common += ("electricity_accounting", "factors_sha256", "factor_release", "functional_unit", "gwp_set")
    common += ("gwp_horizon", "pcflab_version", "numpy_version", "numba_version", "python_version")
    ds.attrs = {
        **{k: first[k] for k in common},
        "method": "monte carlo comparison of products (shared draws)",
        "seed": seed,
        "n_samples": n_samples,
        "sampler": sampler,
        "sharing": shared,
        "interval": float(interval),
        "n_products": len(ids),
        "n_shared": len(union.shared()),
        "shared_quantities": json.dumps(union.shared(), ensure_ascii=False),
        "product_provenance": json.dumps(
            {cm.model.id: _product_provenance(cm, gwp_set) for cm in cms}, ensure_ascii=False
        ),
        "stream_keys": "factor rows: their id; shared parameters: param:shared/<name>@<digest>; others: their id"
        if shared != "none"
        else "<model id>|<quantity id> (every product on its own draws)",
    }
    ds["product_name"] = ("product", [cm.model.name for cm in cms])
    return ds.set_coords("product_name")


def _product_provenance(cm, gwp_set):
    keep = ("model_id", "model_name", "model_file", "model_sha256", "dqr", "cutoff_excluded_share", "region")
    keep += ("reference_year", "unreachable_processes", "unused_parameters", "unused_factors")
    prov = _provenance(cm, gwp_set)
    return {k: (v.item() if hasattr(v, "item") else v) for k, v in prov.items() if k in keep}


def _simulate_together(cms, union, gwp_set, n_samples, seed, sampler, chunk_size):
    """Totals (sample x product) [kg CO2e per functional unit] from one draw of the union per chunk."""
    weights = [_weights(cm, gwp_set) for cm in cms]
    k = max(len(union.ids), 1)
    chunk = max(1, min(chunk_size, THETA_BUDGET // (8 * k)))
    totals = np.empty((n_samples, len(cms)))
    for start in range(0, n_samples, chunk):
        n = min(chunk, n_samples - start)
        theta = kernel.sample_parameters(union.parameters, seed, start, n, sampler=sampler, n_total=n_samples)
        for p, (cm, cols) in enumerate(zip(cms, union.columns, strict=True)):
            out, status = kernel.evaluate_by_stage(cm.system, np.ascontiguousarray(theta[:, cols]), weights[p])
            bad = np.flatnonzero(status != kernel.STATUS_OK)
            if bad.size:
                _raise_status(cm, int(status[bad[0]]), f"in {bad.size} of {n} samples (first: sample {start + bad[0]})")
            totals[start : start + n, p] = out.sum(axis=(1, 2))
    return totals


def _rank_probabilities(totals):
    """P(product i has rank r), ties shared equally among the tied ranks: (product, rank)."""
    n, m = totals.shape
    counts = np.zeros((m, m))
    ranks = np.arange(m)
    for start in range(0, n, _RANK_CHUNK):
        x = totals[start : start + _RANK_CHUNK]
        below = (x[:, None, :] < x[:, :, None]).sum(axis=2)  # products strictly lower than i
        tied = (x[:, None, :] == x[:, :, None]).sum(axis=2)  # products equal to i, itself included
        # product i holds ranks below .. below + tied - 1, each with weight 1 / tied
        inside = (ranks[None, None, :] >= below[:, :, None]) & (ranks[None, None, :] < (below + tied)[:, :, None])
        counts += (inside / tied[:, :, None]).sum(axis=0)
    return counts / n


def _statistics(totals, ids, interval):
    """Build the comparison's dataset from the products' totals (sample x product)."""
    n, m = totals.shape
    lo, hi = (1 - interval) / 2, (1 + interval) / 2
    diff = {name: np.full((m, m), np.nan) for name in ("mean", "sd", "lower", "upper")}
    p_less = np.full((m, m), np.nan)
    for i in range(m):
        for j in range(m):
            if i == j:
                for name in diff:
                    diff[name][i, j] = 0.0
                continue
            d = totals[:, i] - totals[:, j]
            diff["mean"][i, j], diff["sd"][i, j] = d.mean(), d.std(ddof=1)
            diff["lower"][i, j], diff["upper"][i, j] = np.quantile(d, [lo, hi])
            p_less[i, j] = np.count_nonzero(d < 0) / n
    ranks = _rank_probabilities(totals)
    kg = {"units": _UNITS}
    one = {"units": "1"}
    pair = ("product", "other")
    data = {
        "total": (("sample", "product"), totals, {**kg, "long_name": "carbon footprint per functional unit"}),
        "mean": ("product", totals.mean(axis=0), {**kg, "long_name": "mean over samples"}),
        "sd": ("product", totals.std(axis=0, ddof=1), {**kg, "long_name": "SD over samples"}),
        "lower": ("product", np.quantile(totals, lo, axis=0), {**kg, "long_name": f"{lo:g} quantile"}),
        "upper": ("product", np.quantile(totals, hi, axis=0), {**kg, "long_name": f"{hi:g} quantile"}),
        "difference_mean": (pair, diff["mean"], {**kg, "long_name": "mean of product - other"}),
        "difference_sd": (pair, diff["sd"], {**kg, "long_name": "SD of product - other"}),
        "difference_lower": (pair, diff["lower"], {**kg, "long_name": f"{lo:g} quantile of product - other"}),
        "difference_upper": (pair, diff["upper"], {**kg, "long_name": f"{hi:g} quantile of product - other"}),
        "p_less": (pair, p_less, {**one, "long_name": "probability that product < other (shared draws)"}),
        "p_less_se": (pair, np.sqrt(p_less * (1 - p_less) / n), {**one, "long_name": "Monte Carlo SE of p_less"}),
        "rank_probability": (
            ("product", "rank"),
            ranks,
            {**one, "long_name": "probability of each rank in the family (1 = lowest footprint)"},
        ),
        "rank_probability_se": (
            ("product", "rank"),
            np.sqrt(ranks * (1 - ranks) / n),
            {**one, "long_name": "Monte Carlo SE of rank_probability"},
        ),
    }
    coords = {"sample": np.arange(n), "product": list(ids), "other": list(ids), "rank": np.arange(1, m + 1)}
    return xr.Dataset(data, coords=coords)
