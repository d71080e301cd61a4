"""Global sensitivity analysis on the unit hypercube, with SALib.

Every method works on a model function ``func(U) -> Y`` of uniforms ``U`` in (0, 1)^k: the
caller maps the uniforms to values with its own inverse CDFs (pcflab's distributions,
Ishigami's U(-pi, pi), ...). SALib samples the design and computes the indices:

- ``sobol``: first-order and total indices with bootstrap confidence half-widths (second
  order on request); Saltelli's design of N (k + 2) or N (2k + 2) runs, N a power of two;
- ``morris``: elementary effects (mu, mu*, sigma) on r trajectories of a p-level grid;
- ``fast`` and ``rbd_fast``: Fourier amplitude sensitivity tests;
- ``delta`` and ``pawn``: moment-independent indices computed from given data (an existing
  Monte Carlo sample), with no further model runs.

References
----------
Herman, J., Usher, W. (2017). SALib: An open-source Python library for Sensitivity
Analysis. JOSS 2(9), 97. doi:10.21105/joss.00097
Saltelli, A. et al. (2010). Variance based sensitivity analysis of model output. Computer
Physics Communications 181, 259-270.
Morris, M. D. (1991). Technometrics 33, 161-174; Campolongo et al. (2007) (mu*).
Borgonovo, E. (2007). Reliability Engineering & System Safety 92, 771-784 (delta).
Pianosi, F., Wagener, T. (2015). Environmental Modelling & Software 67, 1-11 (PAWN).
"""

import numpy as np
import pandas as pd

__all__ = ["DESIGN_METHODS", "GIVEN_DATA_METHODS", "gsa", "gsa_given_data", "unit_problem"]

DESIGN_METHODS = ("sobol", "morris", "fast", "rbd_fast")
GIVEN_DATA_METHODS = ("delta", "pawn")
_EPS = 2.0**-53


def unit_problem(names, groups=None):
    """SALib problem of ``k`` uniforms on [0, 1] (optionally grouped)."""
    names = [str(n) for n in names]
    if len(set(names)) != len(names):
        raise ValueError("variable names must be unique")
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    if groups is not None:
        groups = [str(g) for g in groups]
        if len(groups) != len(names):
            raise ValueError(f"{len(groups)} groups given for {len(names)} variables")
        problem["groups"] = groups
    return problem


def _evaluate(func, u):
    y = np.asarray(func(np.clip(u, _EPS, 1.0 - _EPS)), dtype=float).ravel()
    if y.shape[0] != u.shape[0]:
        raise ValueError(f"the model function returned {y.shape[0]} values for {u.shape[0]} samples")
    bad = np.count_nonzero(~np.isfinite(y))
    if bad:
        raise ValueError(
            f"the model output is NaN or infinite in {bad} of {y.size} runs; SALib would "
            "silently return zeros: fix the model (or the distributions that reach those values)"
        )
    return y


def gsa(
    method, func, names, n, seed=42, groups=None, second_order=False, levels=4, conf_level=0.95, morris_margin=0.005
):
    """Global sensitivity indices of ``func`` over the unit hypercube.

    Parameters
    ----------
    method : {"sobol", "morris", "fast", "rbd_fast"}
    func : callable
        Maps an (n, k) array of uniforms in (0, 1) to n outputs.
    names : sequence of str
        The k variables.
    n : int
        Base sample size: Sobol N (a power of two), Morris trajectories r, FAST and RBD-FAST
        sample size (FAST needs n > 4 M^2 = 64).
    seed : int
        Seed of the design and of the bootstrap.
    groups : sequence of str, optional
        Group of each variable (Sobol and Morris report one index per group).
    second_order : bool
        Sobol second-order indices too.
    levels : int
        Morris grid levels p.
    morris_margin : float
        The Morris grid spans the quantiles ``margin .. 1 - margin`` rather than 0 .. 1, so that
        unbounded distributions stay finite at the grid's ends.

    Returns
    -------
    pandas.DataFrame
        Indexed by variable (or group): ``S1``, ``S1_conf``, ``ST``, ``ST_conf`` (sobol);
        ``mu``, ``mu_star``, ``mu_star_conf``, ``sigma`` (morris); ``S1``, ``ST`` (fast);
        ``S1``, ``S1_conf`` (rbd_fast). ``attrs`` hold the method, n, seed, number of runs
        and, for Sobol with ``second_order``, the ``S2`` matrix.
    """
    from SALib.analyze import fast, morris, rbd_fast, sobol
    from SALib.sample import fast_sampler, latin
    from SALib.sample import morris as morris_sample
    from SALib.sample import sobol as sobol_sample

    problem = unit_problem(names, groups)
    n = int(n)
    if method == "sobol":
        if n < 2 or n & (n - 1):
            raise ValueError(
                f"Sobol needs a power of two as base sample size, got {n}: use "
                f"{1 << max(1, n.bit_length() - 1)} or {1 << n.bit_length()}"
            )
        u = sobol_sample.sample(problem, n, calc_second_order=second_order, scramble=True, seed=seed)
        y = _evaluate(func, u)
        res = sobol.analyze(problem, y, calc_second_order=second_order, conf_level=conf_level, seed=seed)
        cols = ["S1", "S1_conf", "ST", "ST_conf"]
    elif method == "morris":
        if groups is not None and len(set(groups)) < 2:
            raise ValueError("Morris needs at least two groups")
        u = morris_sample.sample(problem, n, num_levels=levels, seed=seed)
        u_scaled = morris_margin + (1 - 2 * morris_margin) * u
        y = _evaluate(func, u_scaled)
        res = morris.analyze(problem, u, y, num_levels=levels, conf_level=conf_level, seed=seed)
        cols = ["mu", "mu_star", "mu_star_conf", "sigma"]
    elif method == "fast":
        if groups is not None:
            raise ValueError("FAST does not support groups: use sobol or morris")
        if n <= 64:
            raise ValueError(f"FAST needs n > 4 M^2 = 64 samples, got {n}")
        u = fast_sampler.sample(problem, n, M=4, seed=seed)
        y = _evaluate(func, u)
        res = fast.analyze(problem, y, M=4, conf_level=conf_level, seed=seed)
        cols = ["S1", "ST"]
    elif method == "rbd_fast":
        if groups is not None:
            raise ValueError("RBD-FAST does not support groups: use sobol or morris")
        u = latin.sample(problem, n, seed=seed)
        y = _evaluate(func, u)
        res = rbd_fast.analyze(problem, u, y, conf_level=conf_level, seed=seed)
        cols = ["S1", "S1_conf"]
    else:
        raise ValueError(f"unknown method {method!r}: use one of {', '.join(DESIGN_METHODS + GIVEN_DATA_METHODS)}")
    index = list(dict.fromkeys(groups)) if groups is not None and method in ("sobol", "morris") else list(names)
    if method == "morris" and groups is not None:
        index = list(res["names"])
    frame = pd.DataFrame({c: np.asarray(res[c], dtype=float) for c in cols}, index=pd.Index(index, name="variable"))
    frame.attrs.update(method=method, n=n, seed=seed, runs=int(len(y)), conf_level=conf_level)
    if method == "sobol" and second_order:
        frame.attrs["S2"] = pd.DataFrame(np.asarray(res["S2"]), index=index, columns=index)
        frame.attrs["S2_conf"] = pd.DataFrame(np.asarray(res["S2_conf"]), index=index, columns=index)
    return frame


def gsa_given_data(method, x, y, names, seed=42, conf_level=0.95, bounds=None):
    """Moment-independent indices from an existing sample (no further model runs).

    Parameters
    ----------
    method : {"delta", "pawn"}
    x : array_like, shape (n, k)
        The sampled inputs (any units).
    y : array_like, shape (n,)
        The outputs.
    names : sequence of str
    bounds : sequence of [low, high], optional
        Input ranges (the sample's minimum and maximum by default).

    Returns
    -------
    pandas.DataFrame
        ``delta``, ``delta_conf``, ``S1``, ``S1_conf`` (delta) or ``minimum``, ``mean``,
        ``median``, ``maximum``, ``CV`` of the KS statistics (pawn), indexed by variable.
    """
    from SALib.analyze import delta, pawn

    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float).ravel()
    if x.ndim != 2 or x.shape[0] != y.shape[0] or x.shape[1] != len(names):
        raise ValueError(f"x has shape {x.shape}, y {y.shape}, for {len(names)} names: they do not fit")
    bad = np.count_nonzero(~np.isfinite(y))
    if bad:
        raise ValueError(f"the output is NaN or infinite in {bad} of {y.size} samples")
    if bounds is None:
        bounds = np.column_stack([x.min(axis=0), x.max(axis=0)])
        bounds[:, 1] = np.where(bounds[:, 1] > bounds[:, 0], bounds[:, 1], bounds[:, 0] + 1.0)
    problem = {"num_vars": len(names), "names": [str(n) for n in names], "bounds": [list(b) for b in bounds]}
    if method == "delta":
        res = delta.analyze(problem, x, y, conf_level=conf_level, seed=seed)
        cols = ["delta", "delta_conf", "S1", "S1_conf"]
    elif method == "pawn":
        res = pawn.analyze(problem, x, y, seed=seed)
        cols = ["minimum", "mean", "median", "maximum", "CV"]
    else:
        raise ValueError(f"unknown given-data method {method!r}: use delta or pawn")
    frame = pd.DataFrame(
        {c: np.asarray(res[c], dtype=float) for c in cols}, index=pd.Index([str(n) for n in names], name="variable")
    )
    frame.attrs.update(method=method, n=int(y.size), seed=seed, runs=0)
    return frame
