"""Seeded synthetic product systems for the kernel benchmarks.

``generate(n, seed)`` returns a plain description (numpy arrays) of a product system of
``n`` unit processes in four layers: product, components, materials, energy. Process 0
is the final product (the functional unit, 1 kg). Every process has 3-8 uncertain
technosphere inputs (lognormal, median = the amount) from processes further down the
layers, one uncertain direct CO2 emission and 1-2 activities linked to uncertain
emission factors (the factor values are lognormal; the activity amounts are fixed).
Processes at the end of the energy layer have fewer suppliers available (they are the
primary-energy end of the chain) and get what there is.

Loops: a few back-edges, an energy process taking a small amount (0.5-5 %) of the
product of one of its own consumers (the power plant's steel), chosen so that each loop
(strongly connected block) stays small (at most ``max_loop`` processes). Per consumer the
nominal inputs sum to 0.2-0.6 (column sums of the input matrix < 1), so ``I - T`` is
well conditioned and every Monte Carlo draw stays productive.

Writers: ``to_pcflab`` (model YAML + factor CSV), ``to_brightway`` (bw_processing
datapackage for ``bw2calc.LCA``), ``to_scipy`` (sparse ``A``, ``B``, ``f``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

__all__ = [
    "LAYERS",
    "ScipySystem",
    "SyntheticSystem",
    "generate",
    "reference_score",
    "to_brightway",
    "to_pcflab",
    "to_scipy",
]

LAYERS = ("product", "components", "materials", "energy")
_LAYER_SHARE = (0.1, 0.3, 0.35, 0.25)
_STAGE_OF_LAYER = ("production", "production", "raw_material_acquisition", "raw_material_acquisition")

FACTOR_HEADER = (
    "id,gas,value,unit,per,name_en,name_zh,region,year,gwp_set,uncertainty,gsd,pedigree,basic_uncertainty,"
    "dqr,source,publisher,url,tag,traceability,certificate,notes"
)


@dataclass(frozen=True)
class SyntheticSystem:
    """A synthetic product system as plain arrays (per unit of each process's product).

    Attributes
    ----------
    n, seed : size and seed it was generated with.
    layer : int array (n,), index into ``LAYERS``.
    tech_consumer, tech_supplier : int arrays (m,): consumer takes ``tech_amount`` kg of
        supplier's product per kg of its own product.
    tech_amount, tech_gsd : float arrays (m,): median and geometric SD (lognormal).
    tech_loop : bool array (m,): True for the back-edges that close loops.
    emis_amount, emis_gsd : float arrays (n,): direct CO2 [kg/kg], lognormal.
    use_process, use_factor, use_amount : arrays (u,): process uses ``use_amount`` kg of
        activity of factor ``use_factor`` per kg of product (fixed amount).
    factor_value, factor_gsd : float arrays (F,): kg CO2 per kg of activity, lognormal.
    factor_ids : tuple of str (F,): pcflab factor ids.
    reference : int, the process of the functional unit; demand 1 kg.
    """

    n: int
    seed: int
    layer: np.ndarray
    tech_consumer: np.ndarray
    tech_supplier: np.ndarray
    tech_amount: np.ndarray
    tech_gsd: np.ndarray
    tech_loop: np.ndarray
    emis_amount: np.ndarray
    emis_gsd: np.ndarray
    use_process: np.ndarray
    use_factor: np.ndarray
    use_amount: np.ndarray
    factor_value: np.ndarray
    factor_gsd: np.ndarray
    factor_ids: tuple
    reference: int = 0
    demand: float = 1.0

    @property
    def n_uncertain(self):
        """Random draws per Monte Carlo sample (technosphere, emissions, factors)."""
        return len(self.tech_amount) + self.n + len(self.factor_value)

    def process_id(self, i):
        return f"{LAYERS[self.layer[i]]}_{i:05d}"

    def arrays(self):
        """All array fields, for equality checks."""
        return {k: v for k, v in self.__dict__.items() if isinstance(v, np.ndarray)}


def _layer_sizes(n):
    if n < 4:
        raise ValueError("a synthetic system needs at least 4 processes (one per layer)")
    sizes = [max(1, round(n * s)) for s in _LAYER_SHARE]
    sizes[2] = n - sizes[0] - sizes[1] - sizes[3]
    return sizes


def _loguniform(rng, lo, hi, size=None):
    return np.exp(rng.uniform(math.log(lo), math.log(hi), size))


def _max_block(n, consumer, supplier):
    import scipy.sparse
    import scipy.sparse.csgraph

    g = scipy.sparse.coo_matrix((np.ones(len(consumer)), (consumer, supplier)), shape=(n, n)).tocsr()
    _, comp = scipy.sparse.csgraph.connected_components(g, directed=True, connection="strong")
    return int(np.bincount(comp).max())


def generate(n, seed=0, n_loops=None, max_loop=12):
    """A seeded synthetic product system of ``n`` processes.

    Parameters
    ----------
    n : int
        Number of processes (>= 4).
    seed : int
        Seed; the same (n, seed) always gives the same system.
    n_loops : int, optional
        Back-edges closing loops (default ``max(1, n // 100)``).
    max_loop : int
        Largest strongly connected block allowed when adding a back-edge.

    Returns
    -------
    SyntheticSystem
    """
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), int(n), 20260101]))
    sizes = _layer_sizes(n)
    layer = np.repeat(np.arange(4), sizes).astype(np.int64)
    first = np.concatenate([[0], np.cumsum(sizes)])  # first index of each layer

    # Target number of inputs per process, and a "parent" for every process j > 0 so that
    # everything is reachable from the final product.
    target = rng.integers(3, 9, size=n)
    inputs = [[] for _ in range(n)]
    for j in range(1, n):
        lj = layer[j]
        lo = first[max(lj - 1, 0)]
        for _ in range(50):
            i = int(rng.integers(lo, j))
            if len(inputs[i]) < 8:
                break
        inputs[i].append(j)
    # weights for supplier choice: same layer 0.3, next layer 0.5, further layers 0.2
    for i in range(n - 1):
        need = target[i] - len(inputs[i])
        if need <= 0:
            continue
        cand = np.arange(i + 1, n)
        cand = cand[~np.isin(cand, inputs[i])]
        if len(cand) == 0:
            continue
        d = layer[cand] - layer[i]
        w = np.where(d == 0, 0.3, np.where(d == 1, 0.5, 0.2))
        w = w / w.sum()
        pick = rng.choice(cand, size=min(need, len(cand)), replace=False, p=w)
        inputs[i].extend(int(p) for p in pick)

    consumer, supplier = [], []
    for i in range(n):
        for j in sorted(inputs[i]):
            consumer.append(i)
            supplier.append(j)
    consumer = np.array(consumer, np.int64)
    supplier = np.array(supplier, np.int64)
    m = len(consumer)
    amount = np.empty(m)
    for i in range(n):
        sel = np.flatnonzero(consumer == i)
        if len(sel):
            share = rng.dirichlet(np.ones(len(sel)))
            amount[sel] = share * rng.uniform(0.2, 0.6)
    gsd = rng.uniform(1.05, 1.5, m)
    loop = np.zeros(m, bool)

    # Back-edges: an energy process v takes a little of the product of a consumer u of v.
    n_loops = max(1, n // 100) if n_loops is None else int(n_loops)
    energy = set(range(first[3], n))
    edges = set(zip(consumer.tolist(), supplier.tolist(), strict=True))
    cands = [(u, v) for u, v in edges if v in energy and u != v]
    cands.sort()
    order = rng.permutation(len(cands))
    added_c, added_s = [], []
    tries = 0
    for k in order:
        if len(added_c) >= n_loops or tries > 40 * n_loops:
            break
        u, v = cands[k]
        if (v, u) in edges:
            continue
        tries += 1
        c = np.concatenate([consumer, added_c, [v]]).astype(np.int64)
        s = np.concatenate([supplier, added_s, [u]]).astype(np.int64)
        if _max_block(n, c, s) <= max_loop:
            added_c.append(v)
            added_s.append(u)
            edges.add((v, u))
    if added_c:
        k = len(added_c)
        consumer = np.concatenate([consumer, np.array(added_c, np.int64)])
        supplier = np.concatenate([supplier, np.array(added_s, np.int64)])
        amount = np.concatenate([amount, _loguniform(rng, 0.005, 0.05, k)])
        gsd = np.concatenate([gsd, rng.uniform(1.05, 1.3, k)])
        loop = np.concatenate([loop, np.ones(k, bool)])

    emis_amount = _loguniform(rng, 0.1, 10.0, n)
    emis_gsd = rng.uniform(1.1, 1.6, n)
    n_factors = max(3, n // 10)
    factor_value = _loguniform(rng, 0.1, 5.0, n_factors)
    factor_gsd = rng.uniform(1.05, 1.3, n_factors)
    use_process, use_factor = [], []
    for i in range(n):
        k = int(rng.integers(1, 3))
        for f in sorted(rng.choice(n_factors, size=k, replace=False).tolist()):
            use_process.append(i)
            use_factor.append(f)
    use_amount = _loguniform(rng, 0.05, 2.0, len(use_process))
    factor_ids = tuple(f"glo/synthetic/f{f + 1:04d}/2020" for f in range(n_factors))
    return SyntheticSystem(
        n=int(n),
        seed=int(seed),
        layer=layer,
        tech_consumer=consumer,
        tech_supplier=supplier,
        tech_amount=amount,
        tech_gsd=gsd,
        tech_loop=loop,
        emis_amount=emis_amount,
        emis_gsd=emis_gsd,
        use_process=np.array(use_process, np.int64),
        use_factor=np.array(use_factor, np.int64),
        use_amount=use_amount,
        factor_value=factor_value,
        factor_gsd=factor_gsd,
        factor_ids=factor_ids,
    )


# ---------------------------------------------------------------------------------------
# writers
# ---------------------------------------------------------------------------------------


def _num(x):
    """A float written so that it reads back bit-identical."""
    return repr(float(x))


def to_pcflab(desc, folder, stage_by_layer=True):
    """Write the system as a pcflab model YAML and a factor CSV.

    Parameters
    ----------
    desc : SyntheticSystem
    folder : str or Path
        Created if needed.
    stage_by_layer : bool
        Product and components in ``production``, materials and energy in
        ``raw_material_acquisition``; else everything in ``production``.

    Returns
    -------
    (Path, Path)
        The model file and the factor CSV.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    model_path = folder / f"synthetic-{desc.n}-{desc.seed}.yaml"
    factor_path = folder / f"synthetic-factors-{desc.n}-{desc.seed}.csv"

    rows = [FACTOR_HEADER]
    for fid, v, g in zip(desc.factor_ids, desc.factor_value, desc.factor_gsd, strict=True):
        rows.append(
            f"{fid},co2_fossil,{_num(v)},kg,kg,Synthetic factor {fid.split('/')[2]},,GLO,2020,,lognormal,"
            f"{_num(g)},,,,synthetic benchmark,,,P,calculated,,"
        )
    factor_path.write_text("\n".join(rows) + "\n", encoding="utf-8")

    out = [
        "pcflab_model: 1",
        f"id: benchmark/synthetic-{desc.n}-{desc.seed}",
        f"name: Synthetic product system, {desc.n} processes (seed {desc.seed})",
        "sector: benchmark",
        "region: GLO",
        "year: 2020",
        "description: generated by benchmarks/synthetic.py for the kernel benchmarks",
        "functional_unit: {amount: 1, unit: kg, description: one kg of the synthetic product}",
        f"reference_process: {desc.process_id(desc.reference)}",
        "references:",
        "  synthetic: benchmarks/synthetic.py",
        "parameters:",
    ]
    by_consumer = [[] for _ in range(desc.n)]
    for k, c in enumerate(desc.tech_consumer):
        by_consumer[c].append(k)
    for k in range(len(desc.tech_amount)):
        out.append(
            f"  x{k}: {{value: {_num(desc.tech_amount[k])}, unit: kg, source: synthetic, "
            f"uncertainty: {{distribution: lognormal, gsd: {_num(desc.tech_gsd[k])}}}}}"
        )
    for i in range(desc.n):
        out.append(
            f"  e{i}: {{value: {_num(desc.emis_amount[i])}, unit: kg, source: synthetic, "
            f"uncertainty: {{distribution: lognormal, gsd: {_num(desc.emis_gsd[i])}}}}}"
        )
    uses = [[] for _ in range(desc.n)]
    for k, p in enumerate(desc.use_process):
        uses[p].append(k)
    out.append("processes:")
    for i in range(desc.n):
        pid = desc.process_id(i)
        stage = _STAGE_OF_LAYER[desc.layer[i]] if stage_by_layer else "production"
        out.append(f"  {pid}:")
        out.append(f"    name: {pid}")
        out.append(f"    stage: {stage}")
        out.append(f"    reference_product: {{name: {pid}, amount: 1, unit: kg}}")
        if by_consumer[i]:
            out.append("    inputs:")
            for k in by_consumer[i]:
                out.append(f"      - {{process: {desc.process_id(desc.tech_supplier[k])}, amount: x{k}, unit: kg}}")
        if uses[i]:
            out.append("    factors:")
            for k in uses[i]:
                fid = desc.factor_ids[desc.use_factor[k]]
                out.append(f"      - {{factor: {fid}, amount: {_num(desc.use_amount[k])}, unit: kg}}")
        out.append("    emissions:")
        out.append(f"      - {{gas: co2_fossil, amount: e{i}, unit: kg}}")
    model_path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return model_path, factor_path


class BrightwayInput(NamedTuple):
    data_objs: list
    demand: dict
    n_technosphere: int


def to_brightway(desc):
    """The system as one bw_processing datapackage for ``bw2calc.LCA``.

    Technosphere: process ``i`` has activity and product id ``i + 1``; each factor ``f`` is
    a process of its own (id ``n + f + 1``) whose output carries the factor's uncertain CO2,
    so that processes sharing a factor draw the same value, as in pcflab. Inputs are
    lognormal (uncertainty type 2, ``loc = ln(amount)``, ``scale = ln(GSD)``) with
    ``flip`` True; production exchanges are fixed at 1. Biosphere: CO2 (id ``10**7``).
    Characterization: 1 for CO2.

    Returns
    -------
    BrightwayInput
        ``data_objs`` ([datapackage]) and ``demand`` ({id: 1.0}) for
        ``bw2calc.LCA(demand, data_objs=data_objs, use_distributions=True)``.
    """
    import bw_processing as bwp

    n, nf = desc.n, len(desc.factor_value)
    co2 = 10**7
    all_proc = np.arange(n + nf, dtype=np.int64) + 1

    # technosphere: production, inputs, factor uses
    rows = np.concatenate([all_proc, desc.tech_supplier + 1, desc.use_factor + n + 1])
    cols = np.concatenate([all_proc, desc.tech_consumer + 1, desc.use_process + 1])
    data = np.concatenate([np.ones(n + nf), desc.tech_amount, desc.use_amount])
    flip = np.concatenate([np.zeros(n + nf, bool), np.ones(len(desc.tech_amount) + len(desc.use_amount), bool)])
    dist = np.zeros(len(data), dtype=bwp.UNCERTAINTY_DTYPE)
    dist["uncertainty_type"] = 0
    dist["loc"] = data
    dist["scale"] = np.nan
    dist["shape"] = np.nan
    dist["minimum"] = np.nan
    dist["maximum"] = np.nan
    sl = slice(n + nf, n + nf + len(desc.tech_amount))
    dist["uncertainty_type"][sl] = 2
    dist["loc"][sl] = np.log(desc.tech_amount)
    dist["scale"][sl] = np.log(desc.tech_gsd)
    idx = np.zeros(len(data), dtype=bwp.INDICES_DTYPE)
    idx["row"], idx["col"] = rows, cols

    # biosphere: direct CO2 of each process, CO2 per unit of each factor activity
    b_cols = all_proc
    b_data = np.concatenate([desc.emis_amount, desc.factor_value])
    b_gsd = np.concatenate([desc.emis_gsd, desc.factor_gsd])
    b_idx = np.zeros(n + nf, dtype=bwp.INDICES_DTYPE)
    b_idx["row"], b_idx["col"] = co2, b_cols
    b_dist = np.zeros(n + nf, dtype=bwp.UNCERTAINTY_DTYPE)
    b_dist["uncertainty_type"] = 2
    b_dist["loc"] = np.log(b_data)
    b_dist["scale"] = np.log(b_gsd)
    for f in ("shape", "minimum", "maximum"):
        b_dist[f] = np.nan

    c_idx = np.zeros(1, dtype=bwp.INDICES_DTYPE)
    c_idx["row"], c_idx["col"] = co2, 0  # column = the global location index
    c_dist = np.zeros(1, dtype=bwp.UNCERTAINTY_DTYPE)
    c_dist["uncertainty_type"] = 0
    c_dist["loc"] = 1.0
    for f in ("scale", "shape", "minimum", "maximum"):
        c_dist[f] = np.nan

    dp = bwp.create_datapackage(name=f"synthetic-{n}-{desc.seed}", sequential=False)
    dp.add_persistent_vector(
        matrix="technosphere_matrix",
        indices_array=idx,
        data_array=data,
        flip_array=flip,
        distributions_array=dist,
        name="technosphere",
    )
    dp.add_persistent_vector(
        matrix="biosphere_matrix",
        indices_array=b_idx,
        data_array=b_data,
        distributions_array=b_dist,
        name="biosphere",
    )
    dp.add_persistent_vector(
        matrix="characterization_matrix",
        indices_array=c_idx,
        data_array=np.ones(1),
        distributions_array=c_dist,
        global_index=0,
        name="characterization",
    )
    return BrightwayInput([dp], {int(desc.reference) + 1: float(desc.demand)}, n + nf)


class ScipySystem(NamedTuple):
    """``A`` (n x n, CSC): identity minus inputs; ``B`` (1 x n): kg CO2 per unit of each
    process (direct + factor-linked, at the nominal values); ``f``: demand vector."""

    A: object
    B: object
    f: np.ndarray


def to_scipy(desc):
    """Technosphere and biosphere matrices at the nominal values (scipy.sparse)."""
    import scipy.sparse as sp

    n = desc.n
    rows = np.concatenate([np.arange(n), desc.tech_supplier])
    cols = np.concatenate([np.arange(n), desc.tech_consumer])
    vals = np.concatenate([np.ones(n), -desc.tech_amount])
    A = sp.csc_matrix((vals, (rows, cols)), shape=(n, n))
    b = desc.emis_amount.copy()
    np.add.at(b, desc.use_process, desc.use_amount * desc.factor_value[desc.use_factor])
    B = sp.csr_matrix(b.reshape(1, n))
    f = np.zeros(n)
    f[desc.reference] = desc.demand
    return ScipySystem(A, B, f)


def reference_score(desc):
    """kg CO2 per functional unit by ``scipy.sparse.linalg.spsolve`` (the reference)."""
    import scipy.sparse.linalg as spla

    s = to_scipy(desc)
    x = spla.spsolve(s.A, s.f)
    return float((s.B @ x)[0])
