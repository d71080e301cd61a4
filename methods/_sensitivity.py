"""Global sensitivity analysis on the unit hypercube, with SALib.

Every design-based method works on a model function ``func(U) -> Y`` of uniforms ``U`` in
(0, 1)^k: the caller maps the uniforms to values with its own inverse CDFs (pcflab's
distributions, Ishigami's U(-pi, pi), ...). SALib samples the design and computes the
indices:

- ``sobol``: first-order and total indices with bootstrap confidence half-widths (second
  order on request); Saltelli's design of N (k + 2) or N (2k + 2) runs, N a power of two;
- ``morris``: elementary effects (mu, mu*, sigma) on r trajectories of a p-level grid;
- ``fast`` (extended FAST, first and total order) and ``rbd_fast`` (random balance
  designs, first order);
- ``delta`` and ``pawn``: moment-independent indices computed from given data (an existing
  Monte Carlo sample), with no further model runs.

Results are ``xarray.Dataset`` objects with one dimension ``input`` (the variables, or
the groups), in the order the variables (or first members of the groups) were given.

References
----------
Herman, J., Usher, W. (2017). SALib: An open-source Python library for Sensitivity
Analysis. JOSS 2(9), 97. doi:10.21105/joss.00097
Saltelli, A. et al. (2010). Variance based sensitivity analysis of model output. Computer
Physics Communications 181, 259-270. doi:10.1016/j.cpc.2009.09.018
Morris, M. D. (1991). Technometrics 33, 161-174; Campolongo, F. et al. (2007).
Environmental Modelling & Software 22, 1509-1518 (mu*).
Saltelli, A., Tarantola, S., Chan, K. (1999). Technometrics 41, 39-56 (extended FAST).
Tarantola, S. et al. (2006). Reliability Engineering & System Safety 91, 717-727 (RBD-FAST).
Borgonovo, E. (2007). Reliability Engineering & System Safety 92, 771-784 (delta);
Plischke, E. et al. (2013). European Journal of Operational Research 226, 536-550.
Pianosi, F., Wagener, T. (2015). Environmental Modelling & Software 67, 1-11 (PAWN).
"""

import contextlib
import json
import warnings
from importlib.metadata import version

import numpy as np
import xarray as xr

__all__ = [
    "DESIGN_METHODS",
    "GIVEN_DATA_METHODS",
    "RANKING",
    "design_error",
    "gsa",
    "gsa_given_data",
    "mark_zero",
    "sobol_to_precision",
    "unit_problem",
]

DESIGN_METHODS = ("sobol", "morris", "fast", "rbd_fast")
GIVEN_DATA_METHODS = ("delta", "pawn")
#: The variable each method's inputs are ranked by (largest first).
RANKING = {"sobol": "ST", "morris": "mu_star", "fast": "ST", "rbd_fast": "S1", "delta": "delta", "pawn": "median"}
_FAST_M = 4  # interference factor of (extended) FAST: N > 4 M^2
_RBD_M = 10  # harmonics of RBD-FAST; its bootstrap uses N / 2 runs, so N > 4 M
_DELTA_MIN = 100  # SALib's delta needs 10 bins of at least 10 samples
_EPS = 2.0**-53
_INDEX = "1"  # units of an index (dimensionless)


def unit_problem(names, groups=None):
    """SALib problem of ``k`` uniforms on [0, 1], optionally grouped.

    Parameters
    ----------
    names : sequence of str
        The k variables (unique).
    groups : sequence of str, optional
        Group of each variable.

    Returns
    -------
    dict
        ``num_vars``, ``names``, ``bounds`` (all [0, 1]) and, if given, ``groups``.
    """
    names = [str(n) for n in names]
    if not names:
        raise ValueError("no variables to analyse")
    if len(set(names)) != len(names):
        raise ValueError("variable names must be unique")
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    if groups is not None:
        groups = [str(g) for g in groups]
        if len(groups) != len(names):
            raise ValueError(f"{len(groups)} groups given for {len(names)} variables")
        problem["groups"] = groups
    return problem


def _powers_of_two_around(n):
    if n < 2:
        return "a power of two of at least 2, such as 1024"
    low = 1 << (n.bit_length() - 1)
    return f"{low} or {low << 1}"


def design_error(method, n, n_groups=None, levels=4):
    """Say what is wrong with a method and sample size, before any model run.

    Parameters
    ----------
    method : str
        One of ``DESIGN_METHODS`` or ``GIVEN_DATA_METHODS``.
    n : int
        Sobol base sample size, Morris trajectories, FAST / RBD-FAST sample size, or the
        number of given samples.
    n_groups : int, optional
        Number of groups, if the variables are grouped.
    levels : int
        Morris grid levels p.

    Returns
    -------
    tuple of str or None
        ``(what is wrong, how to fix it)``, or None if the design can be run.
    """
    methods = DESIGN_METHODS + GIVEN_DATA_METHODS
    if method not in methods:
        return f"unknown method {method!r}", f"use one of {', '.join(methods)}"
    if isinstance(n, bool) or not isinstance(n, int | np.integer):
        return f"the sample size n_samples must be an integer, got {n!r}", "give n_samples as an int"
    n = int(n)
    grouped = n_groups is not None
    if grouped and method not in ("sobol", "morris"):
        return f"{method} does not report indices per group", "use method='sobol' or 'morris', or groups=None"
    if method == "sobol" and (n < 2 or n & (n - 1)):
        return (
            f"Sobol's design needs a power of two as base sample size n_samples, got {n}",
            f"use n_samples = {_powers_of_two_around(n)}",
        )
    if method == "morris":
        if isinstance(levels, bool) or not isinstance(levels, int | np.integer) or levels < 2 or levels % 2:
            return f"Morris needs an even number of grid levels of at least 2, got {levels!r}", "use levels=4"
        if n < 2:
            return (
                f"Morris needs at least 2 trajectories (sigma is their spread), got n_samples = {n}",
                "use n_samples = 10 to 50",
            )
        if grouped and n_groups < 2:
            return f"Morris needs at least two groups, got {n_groups}", "group the variables differently"
    if method == "fast" and n <= 4 * _FAST_M**2:
        return f"FAST needs n > 4 M^2 = {4 * _FAST_M**2} samples per variable, got {n}", "use n_samples = 1024 or more"
    if method == "rbd_fast" and n <= 4 * _RBD_M:
        return f"RBD-FAST needs n > 4 M = {4 * _RBD_M} samples, got {n}", "use n_samples = 1024 or more"
    if method == "delta" and n < _DELTA_MIN:
        return f"delta needs at least {_DELTA_MIN} samples (10 bins of 10), got {n}", "use n_samples = 1000 or more"
    if method == "pawn" and n < 100:
        return f"PAWN needs at least 100 samples (10 per conditioning slice), got {n}", "use n_samples = 1000 or more"
    return None


def _check_finite(y, what):
    bad = np.count_nonzero(~np.isfinite(y))
    if bad:
        raise ValueError(
            f"the model output is NaN or infinite in {bad} of {y.size} {what}; SALib would "
            "silently return zeros: fix the model (or the distributions that reach those values)"
        )
    if y.size > 1 and np.ptp(y) == 0.0:
        raise ValueError(
            f"the model output is the same in all {y.size} {what}: no input moves it, so there "
            "is no variance to apportion; check that the uncertain inputs reach the output"
        )


def _evaluate(func, u):
    y = np.asarray(func(np.clip(u, _EPS, 1.0 - _EPS)), dtype=float).ravel()
    if y.shape[0] != u.shape[0]:
        raise ValueError(f"the model function returned {y.shape[0]} values for {u.shape[0]} samples")
    _check_finite(y, "runs")
    return y


@contextlib.contextmanager
def _isolated(seed):
    """Run SALib code that uses NumPy's global generator and changes warning settings.

    SALib's FAST, delta and PAWN draw from ``np.random`` (seeded only when ``seed`` is
    truthy), and delta sets ``warnings.simplefilter("once")`` and replaces
    ``warnings.formatwarning``. Here the global generator is seeded (so seed 0 is
    reproducible too) and restored afterwards, and SALib's warnings are collected in the
    list yielded rather than shown.
    """
    state = np.random.get_state()  # noqa: NPY002
    formatwarning = warnings.formatwarning
    np.random.seed(int(seed) % 2**32)  # noqa: NPY002 (SALib draws from the legacy global generator)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield caught
    finally:
        warnings.formatwarning = formatwarning
        np.random.set_state(state)  # noqa: NPY002


def _conf_attrs(of, conf_level, units=_INDEX):
    return {
        "long_name": f"half-width of the {100 * conf_level:g} % bootstrap confidence interval of {of}",
        "units": units,
        "conf_level": conf_level,
    }


def _dataset(index, columns, attrs):
    """Dataset on ``input`` from ``{name: (values, attrs)}``."""
    data = {}
    for name, (values, var_attrs) in columns.items():
        values = np.ma.filled(np.ma.asarray(values, dtype=float), np.nan)
        dims = ("input", "input_2") if values.ndim == 2 else ("input",)
        data[name] = (dims, values, var_attrs)
    coords = {"input": list(index)}
    if any(v[0] == ("input", "input_2") for v in data.values()):
        coords["input_2"] = list(index)
    return mark_zero(xr.Dataset(data, coords=coords, attrs=attrs))


def mark_zero(ds):
    """Mark the indices whose confidence interval includes 0: not distinguishable from 0.

    Parameters
    ----------
    ds : xarray.Dataset
        Indices on ``input`` with their half-widths ``<name>_conf``.

    Returns
    -------
    xarray.Dataset
        ``ds`` with a boolean coordinate ``<name>_includes_zero`` on ``input`` for every
        index ``<name>`` on ``input`` alone that has a half-width: True where
        ``|index| <= half-width`` (the interval ``index +- half-width`` holds 0), False
        where the index or its half-width is NaN.
    """
    marks = {}
    for name in ds.data_vars:
        base = str(name).removesuffix("_conf")
        if str(name).endswith("_conf") and base in ds and ds[base].dims == ("input",) == ds[name].dims:
            value, half = np.asarray(ds[base].values, dtype=float), np.asarray(ds[name].values, dtype=float)
            with np.errstate(invalid="ignore"):
                marks[f"{base}_includes_zero"] = (
                    "input",
                    np.isfinite(value) & np.isfinite(half) & (np.abs(value) <= half),
                )
    ds = ds.assign_coords(marks)
    for mark in marks:
        base = mark.removesuffix("_includes_zero")
        ds[mark].attrs["long_name"] = f"the confidence interval of {base} includes 0: not distinguishable from 0"
    return ds


def _symmetric(matrix):
    """SALib's upper-triangular second-order matrix, mirrored (diagonal NaN)."""
    m = np.asarray(matrix, dtype=float)
    return np.where(np.isnan(m), m.T, m)


def _sobol(problem, func, n, seed, second_order, conf_level, previous=None):
    """Saltelli's design of base size ``n``, its runs and the Sobol indices: (columns, u, y, new runs).

    ``previous`` is ``(u, y)`` of a smaller design with the same seed: Saltelli's design of
    2N points begins with the design of N points (the scrambled Sobol sequence is extended,
    not redrawn), so those runs are reused and only the new rows are evaluated. The reuse is
    checked row by row: a design that does not begin with ``u`` is evaluated in full.
    """
    from SALib.analyze import sobol
    from SALib.sample import sobol as sobol_sample

    u = sobol_sample.sample(problem, n, calc_second_order=second_order, scramble=True, seed=seed)
    if previous is not None and len(previous[0]) <= len(u) and np.array_equal(u[: len(previous[0])], previous[0]):
        done = len(previous[0])
        y = np.concatenate([previous[1], _evaluate(func, u[done:])])
    else:
        done = 0
        y = _evaluate(func, u)
    res = sobol.analyze(problem, y, calc_second_order=second_order, conf_level=conf_level, seed=seed)
    columns = {
        "S1": (res["S1"], {"long_name": "first-order Sobol index", "units": _INDEX}),
        "S1_conf": (res["S1_conf"], _conf_attrs("S1", conf_level)),
        "ST": (res["ST"], {"long_name": "total-order Sobol index", "units": _INDEX}),
        "ST_conf": (res["ST_conf"], _conf_attrs("ST", conf_level)),
    }
    if second_order:
        columns["S2"] = (_symmetric(res["S2"]), {"long_name": "second-order Sobol index", "units": _INDEX})
        columns["S2_conf"] = (_symmetric(res["S2_conf"]), _conf_attrs("S2", conf_level))
    return columns, u, y, len(u) - done


def gsa(
    method,
    func,
    names,
    n,
    seed=42,
    groups=None,
    second_order=False,
    levels=4,
    conf_level=0.95,
    morris_margin=0.005,
    output_units="units of the output",
):
    """Global sensitivity indices of ``func`` over the unit hypercube.

    Parameters
    ----------
    method : {"sobol", "morris", "fast", "rbd_fast"}
        Sensitivity method.
    func : callable
        Maps an (n, k) array of uniforms in (0, 1) to n outputs [any unit].
    names : sequence of str
        The k variables.
    n : int
        Base sample size: Sobol N (a power of two), Morris trajectories r, FAST and RBD-FAST
        sample size (FAST needs n > 4 M^2 = 64 per variable, RBD-FAST n > 40).
    seed : int
        Seed of the design and of the bootstrap.
    groups : sequence of str, optional
        Group of each variable (Sobol and Morris report one index per group).
    second_order : bool
        Sobol second-order indices too (a design of N (2k + 2) runs instead of N (k + 2)).
    levels : int
        Morris grid levels p (even).
    conf_level : float
        Probability of the bootstrap confidence intervals, in (0, 1).
    morris_margin : float
        The Morris grid spans the quantiles ``margin .. 1 - margin`` rather than 0 .. 1, so
        that unbounded distributions stay finite at the grid's ends; the elementary effects
        are divided by the grid's true step, so they stay per unit of the uniform quantile.
    output_units : str
        Units of the model output, for the Morris statistics' ``units``.

    Returns
    -------
    xarray.Dataset
        Dimension ``input`` (variables, or groups in order of first appearance):
        ``S1``, ``S1_conf``, ``ST``, ``ST_conf`` [1] and, with ``second_order``, ``S2``,
        ``S2_conf`` (``input``, ``input_2``; symmetric, diagonal NaN) for sobol;
        ``mu``, ``mu_star``, ``mu_star_conf``, ``sigma`` [output units per unit of the
        uniform quantile] for morris (``sigma`` is NaN for groups of several variables);
        ``S1``, ``ST`` [1] for fast; ``S1``, ``S1_conf`` [1] for rbd_fast. ``_conf``
        variables are half-widths of the ``conf_level`` interval. ``attrs``: ``method``,
        ``n``, ``seed``, ``runs`` (model evaluations), ``conf_level``, ``salib_version``
        (and ``levels``, ``morris_margin`` for morris).

    Raises
    ------
    ValueError
        For a design SALib cannot run (see ``design_error``), or a model output that is
        NaN, infinite or constant.
    """
    from SALib.analyze import fast, morris, rbd_fast
    from SALib.sample import fast_sampler, latin
    from SALib.sample import morris as morris_sample

    if method not in DESIGN_METHODS:
        raise ValueError(f"unknown design method {method!r}: use one of {', '.join(DESIGN_METHODS)}")
    problem = unit_problem(names, groups)
    index = list(dict.fromkeys(problem["groups"])) if groups is not None else problem["names"]
    error = design_error(method, n, None if groups is None else len(index), levels)
    if error:
        raise ValueError(f"{error[0]}: {error[1]}")
    if not 0.0 < conf_level < 1.0:
        raise ValueError(f"conf_level must lie strictly between 0 and 1, got {conf_level}")
    if not 0.0 <= morris_margin < 0.5:
        raise ValueError(f"morris_margin must lie in [0, 0.5), got {morris_margin}")
    if second_order and method != "sobol":
        raise ValueError(f"second-order indices come from Sobol's design only, not {method}: use method='sobol'")
    n = int(n)
    attrs = {"method": method, "n": n, "seed": seed, "conf_level": conf_level, "salib_version": version("salib")}
    if method == "sobol":
        columns, _u, y, _runs = _sobol(problem, func, n, seed, second_order, conf_level)
    elif method == "morris":
        u = morris_sample.sample(problem, n, num_levels=levels, seed=seed)
        y = _evaluate(func, morris_margin + (1.0 - 2.0 * morris_margin) * u)
        res = morris.analyze(problem, u, y, num_levels=levels, conf_level=conf_level, seed=seed)
        # SALib divides by the step on the unscaled grid; the step in u is (1 - 2 margin) of it
        scale = 1.0 / (1.0 - 2.0 * morris_margin)
        per = f"{output_units} per unit of the uniform quantile"
        comment = (
            f"elementary effects per unit of the input's uniform quantile u in [0, 1], on a {levels}-level grid "
            f"over u = {morris_margin:g} .. {1 - morris_margin:g}"
        )
        columns = {
            "mu": (scale * np.ma.asarray(res["mu"]), {"long_name": "mean elementary effect", "units": per}),
            "mu_star": (
                scale * np.ma.asarray(res["mu_star"]),
                {"long_name": "mean absolute elementary effect (mu*)", "units": per, "comment": comment},
            ),
            "mu_star_conf": (
                scale * np.ma.asarray(res["mu_star_conf"]),
                _conf_attrs("mu_star", conf_level, per),
            ),
            "sigma": (
                scale * np.ma.asarray(res["sigma"]),
                {"long_name": "standard deviation of the elementary effects", "units": per},
            ),
        }
        attrs.update(levels=int(levels), morris_margin=morris_margin)
    elif method == "fast":
        u = fast_sampler.sample(problem, n, M=_FAST_M, seed=seed)
        y = _evaluate(func, u)
        with _isolated(seed):  # SALib's FAST bootstrap (dropped: unreliable, SALib#649) uses np.random
            res = fast.analyze(problem, y, M=_FAST_M, conf_level=conf_level, num_resamples=2)
        columns = {
            "S1": (res["S1"], {"long_name": "first-order index (extended FAST)", "units": _INDEX}),
            "ST": (res["ST"], {"long_name": "total-order index (extended FAST)", "units": _INDEX}),
        }
    else:
        u = latin.sample(problem, n, seed=seed)
        y = _evaluate(func, u)
        res = rbd_fast.analyze(problem, u, y, M=_RBD_M, conf_level=conf_level, seed=seed)
        columns = {
            "S1": (res["S1"], {"long_name": "first-order index (RBD-FAST, bias-corrected)", "units": _INDEX}),
            "S1_conf": (res["S1_conf"], _conf_attrs("S1", conf_level)),
        }
    attrs["runs"] = int(y.size)
    return _dataset(index, columns, attrs)


def gsa_given_data(method, x, y, names, seed=42, conf_level=0.95, num_resamples=100, slices=10):
    """Moment-independent indices from an existing sample (no further model runs).

    Both indices depend on each input only through its ranks (delta partitions the sample
    by the input's rank, PAWN slices it at the input's quantiles), so each column of ``x``
    is replaced by its normalised rank first. This also makes the equal-width bins of
    SALib's "balanced" delta resampling equal-probability bins, whatever the input's
    distribution.

    Parameters
    ----------
    method : {"delta", "pawn"}
        Borgonovo's delta (with a given-data first-order Sobol index) or PAWN.
    x : array_like, shape (n, k)
        The sampled inputs [any units]. Dependent inputs are allowed.
    y : array_like, shape (n,)
        The outputs [any unit].
    names : sequence of str
        The k inputs.
    seed : int
        Seed of the bootstrap.
    conf_level : float
        Probability of the bootstrap confidence intervals (delta), in (0, 1).
    num_resamples : int
        Bootstrap resamples of delta. Run time grows with it: SALib estimates about
        ``2 (num_resamples + 1) (M + 1)`` kernel densities per input, M the number of
        partitions (7 for 1000 samples).
    slices : int
        PAWN's conditioning slices.

    Returns
    -------
    xarray.Dataset
        Dimension ``input``: ``delta``, ``delta_conf``, ``S1``, ``S1_conf`` [1] (delta;
        ``delta`` is SALib's bias-reduced estimate on the sample as given, "raw") or
        ``minimum``, ``mean``, ``median``, ``maximum``, ``CV`` of the Kolmogorov-Smirnov
        statistics over the slices [1] (pawn). ``attrs``: ``method``, ``n`` (samples),
        ``seed``, ``runs`` (0), ``conf_level``, ``salib_version``.

    Raises
    ------
    ValueError
        If the shapes do not fit, the output is NaN, infinite or constant, an input is
        constant, there are too few samples, or SALib could not estimate an index.
    """
    from SALib.analyze import delta, pawn
    from scipy.stats import rankdata

    if method not in GIVEN_DATA_METHODS:
        raise ValueError(f"unknown given-data method {method!r}: use one of {', '.join(GIVEN_DATA_METHODS)}")
    names = [str(n) for n in names]
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float).ravel()
    if x.ndim != 2 or x.shape[0] != y.shape[0] or x.shape[1] != len(names):
        raise ValueError(f"x has shape {x.shape}, y {y.shape}, for {len(names)} names: they do not fit")
    error = design_error(method, y.size)
    if error:
        raise ValueError(f"{error[0]}: {error[1]}")
    _check_finite(y, "samples")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"the inputs are NaN or infinite in {np.count_nonzero(~np.isfinite(x).all(axis=1))} samples")
    constant = [nm for nm, col in zip(names, x.T, strict=True) if np.ptp(col) == 0.0]
    if constant:
        raise ValueError(f"inputs constant in the sample (nothing to attribute to them): {', '.join(constant)}")
    if not 0.0 < conf_level < 1.0:
        raise ValueError(f"conf_level must lie strictly between 0 and 1, got {conf_level}")
    ranks = rankdata(x, axis=0) / (x.shape[0] + 1)
    problem = unit_problem(names)
    attrs = {
        "method": method,
        "n": int(y.size),
        "seed": seed,
        "runs": 0,
        "conf_level": conf_level,
        "salib_version": version("salib"),
    }
    if method == "delta":
        if int(num_resamples) < 2:
            raise ValueError(f"num_resamples must be at least 2, got {num_resamples}")
        with _isolated(seed):
            res = delta.analyze(problem, ranks, y, num_resamples=int(num_resamples), conf_level=conf_level)
        key = "delta_raw" if "delta_raw" in res else "delta"  # SALib < 1.6 calls it delta
        values = {"delta": res[key], "delta_conf": res[f"{key}_conf"], "S1": res["S1"], "S1_conf": res["S1_conf"]}
        notes = list(res.get("notes", [""] * len(names)))
        failed = [f"{nm} ({note})" for nm, v, note in zip(names, values["delta"], notes, strict=True) if np.isnan(v)]
        if failed:
            raise ValueError(f"SALib could not estimate delta for: {'; '.join(failed)}; use more samples")
        attrs["num_resamples"] = int(num_resamples)
        columns = {
            "delta": (values["delta"], {"long_name": "Borgonovo's delta moment-independent index", "units": _INDEX}),
            "delta_conf": (values["delta_conf"], _conf_attrs("delta", conf_level)),
            "S1": (values["S1"], {"long_name": "first-order Sobol index (given-data estimate)", "units": _INDEX}),
            "S1_conf": (values["S1_conf"], _conf_attrs("S1", conf_level)),
        }
    else:
        with _isolated(seed):
            res = pawn.analyze(problem, ranks, y, S=int(slices))
        ks = "Kolmogorov-Smirnov statistic between the conditional and unconditional output distributions"
        columns = {
            "minimum": (res["minimum"], {"long_name": f"minimum over slices of the {ks}", "units": _INDEX}),
            "mean": (res["mean"], {"long_name": f"mean over slices of the {ks}", "units": _INDEX}),
            "median": (res["median"], {"long_name": f"median over slices of the {ks} (PAWN index)", "units": _INDEX}),
            "maximum": (res["maximum"], {"long_name": f"maximum over slices of the {ks}", "units": _INDEX}),
            "CV": (res["CV"], {"long_name": f"coefficient of variation over slices of the {ks}", "units": _INDEX}),
        }
        attrs["slices"] = int(slices)
    return _dataset(names, columns, attrs)


def _leading_half_width(columns, top):
    """Largest half-width of S1 and ST among the ``top`` inputs of largest ST (inf if NaN)."""
    st = np.ma.filled(np.ma.asarray(columns["ST"][0], dtype=float), np.nan)
    order = np.argsort(-np.where(np.isnan(st), -np.inf, st), kind="stable")[:top]
    half = [np.ma.filled(np.ma.asarray(columns[c][0], dtype=float), np.nan)[order] for c in ("S1_conf", "ST_conf")]
    half = np.concatenate(half)
    return float(np.max(np.where(np.isfinite(half), half, np.inf)))


def _precision_error(target_ci, n_start, max_n, top):
    """Say what is wrong with the arguments of ``sobol_to_precision`` (None if nothing)."""
    if isinstance(target_ci, bool) or not isinstance(target_ci, int | float) or not 0.0 < target_ci < 1.0:
        return f"target_ci must lie strictly between 0 and 1, got {target_ci!r}", "use e.g. target_ci=0.05"
    for name, n in (("the start n_samples", n_start), ("max_n_samples", max_n)):
        error = design_error("sobol", n)
        if error:
            return error[0].replace("base sample size n_samples", f"base sample size ({name})"), error[1]
    if max_n < n_start:
        return f"max_n_samples ({max_n}) is below the start n_samples ({n_start})", "use max_n_samples >= n_samples"
    if isinstance(top, bool) or not isinstance(top, int | np.integer) or top < 1:
        return f"target_top must be a positive integer, got {top!r}", "use e.g. target_top=5"
    return None


def sobol_to_precision(
    func,
    names,
    target_ci,
    n_start=256,
    max_n=16384,
    top=5,
    seed=42,
    groups=None,
    second_order=False,
    conf_level=0.95,
):
    """Sobol indices with the sample size doubled until the leading indices reach a precision.

    Starting from the base size ``n_start``, N doubles until the bootstrap half-width of
    the first-order and the total index of each of the ``top`` inputs of largest ST is at
    most ``target_ci``, or N reaches ``max_n``. Each design extends the previous one (the
    same scrambled Sobol sequence), so its runs are reused: the model runs N (k + 2) times
    in all, as for the last design alone.

    Parameters
    ----------
    func : callable
        Maps an (n, k) array of uniforms in (0, 1) to n outputs [any unit].
    names : sequence of str
        The k variables.
    target_ci : float
        Largest half-width wanted, in (0, 1) [1].
    n_start : int
        First base sample size (a power of two).
    max_n : int
        Largest base sample size (a power of two, >= ``n_start``).
    top : int
        Number of leading inputs (by ST) whose S1 and ST must reach the precision.
    seed : int
        Seed of the design and of the bootstrap.
    groups : sequence of str, optional
        Group of each variable (indices per group).
    second_order : bool
        Second-order indices too (N (2k + 2) runs).
    conf_level : float
        Probability of the bootstrap intervals, in (0, 1).

    Returns
    -------
    xarray.Dataset
        As ``gsa(method="sobol")`` at the last N; ``attrs`` also hold ``target_ci``,
        ``target_top``, ``target_reached`` (1 or 0: ``max_n`` was reached first),
        ``achieved_ci`` (the largest half-width among the leading indices at the last N),
        ``n_tried`` and ``achieved_ci_tried`` (JSON lists, one entry per N tried) and
        ``runs`` (model evaluations made in all).

    Raises
    ------
    ValueError
        For bad arguments (what and how to fix), or a model output SALib cannot use.
    """
    error = _precision_error(target_ci, n_start, max_n, top)
    if error:
        raise ValueError(f"{error[0]}: {error[1]}")
    if not 0.0 < conf_level < 1.0:
        raise ValueError(f"conf_level must lie strictly between 0 and 1, got {conf_level}")
    problem = unit_problem(names, groups)
    index = list(dict.fromkeys(problem["groups"])) if groups is not None else problem["names"]
    n, previous, runs, tried, widths = int(n_start), None, 0, [], []
    while True:
        columns, u, y, new_runs = _sobol(problem, func, n, seed, second_order, conf_level, previous)
        runs += new_runs
        tried.append(n)
        widths.append(_leading_half_width(columns, int(top)))
        if widths[-1] <= target_ci or 2 * n > max_n:
            break
        previous, n = (u, y), 2 * n
    attrs = {
        "method": "sobol",
        "n": n,
        "seed": seed,
        "conf_level": conf_level,
        "salib_version": version("salib"),
        "runs": int(runs),
        "target_ci": float(target_ci),
        "target_top": int(top),
        "target_reached": int(widths[-1] <= target_ci),
        "achieved_ci": widths[-1],
        "n_tried": json.dumps(tried),
        "achieved_ci_tried": json.dumps([round(w, 6) if np.isfinite(w) else None for w in widths]),
    }
    return _dataset(index, columns, attrs)
