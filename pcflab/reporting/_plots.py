"""Figures of footprints, readable on screen and in print."""

import re

import numpy as np

from pcflab.core import PcfError, format_probability, format_unit
from pcflab.methods import STAGES, summarize

from ._style import BLUE as _BLUE
from ._style import HATCH as _HATCH
from ._style import HATCH_COLOUR as _HATCH_COLOUR
from ._style import ORANGE as _ORANGE
from ._style import SKY as _SKY
from ._style import STAGE_LABELS, gas_colour, gas_label
from ._style import VERMILLION as _VERMILLION

__all__ = [
    "plot_class_probabilities",
    "plot_comparison",
    "plot_convergence",
    "plot_histogram",
    "plot_sobol",
    "plot_stages",
    "plot_tornado",
    "plot_variance_shares",
]


def plot_stages(result, ax=None):
    """Horizontal bars of the deterministic footprint by life-cycle stage, stacked by gas.

    Parameters
    ----------
    result : xarray.Dataset
        Output of ``pcflab.footprint``.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.6), layout="constrained")
    by_stage = result["gwp100"].groupby("stage").sum("process").reindex(stage=list(STAGES), fill_value=0.0)
    gases = [g for g in result.gas.values if float(abs(by_stage.sel(gas=g)).sum()) > 0]
    left = np.zeros(len(STAGES))
    for gas in gases:
        vals = by_stage.sel(gas=gas).values
        ax.barh(
            [STAGE_LABELS[s] for s in STAGES], vals, left=left, color=gas_colour(gas), label=gas_label(gas), gid=gas
        )
        left += vals
    for y, v in enumerate(left):
        if v:
            ax.text(v, y, f" {v:,.0f}", va="center", fontsize=9)
    ax.invert_yaxis()
    ax.set_xlabel(f"{result.attrs.get('gwp_set', '')} GWP100 [{_FU}]")
    ax.set_xlim(0, max(left.max() * 1.15, 1e-12))
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.set_title("Carbon footprint by life-cycle stage")
    return ax


def plot_histogram(mc_result, ax=None, bins=60):
    """Histogram of Monte Carlo totals with mean, median and 95 % interval.

    Parameters
    ----------
    mc_result : xarray.Dataset
        Output of ``pcflab.simulate``.
    ax : matplotlib.axes.Axes, optional
    bins : int
        Number of histogram bins.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.6), layout="constrained")
    x = mc_result["total"].values
    s = summarize(x)
    ax.hist(x, bins=bins, color="#8fb3d9", edgecolor="white", linewidth=0.4)
    ax.axvspan(
        s["lower"],
        s["upper"],
        color="#f0c36d",
        alpha=0.25,
        label=f"95 % interval {s['lower']:,.0f} – {s['upper']:,.0f}",
    )
    ax.axvline(s["mean"], color="#c0392b", lw=1.6, label=f"mean {s['mean']:,.0f}")
    ax.axvline(s["median"], color="#2c3e50", lw=1.2, ls="--", label=f"median {s['median']:,.0f}")
    ax.set_xlabel(f"carbon footprint [{_FU}]")
    ax.set_ylabel("samples")
    ax.set_title(f"Monte Carlo, {s['n']:,} samples (seed {mc_result.attrs.get('seed')})")
    ax.legend(fontsize=8, frameon=False)
    return ax


# --------------------------------------------------------------------------------------------
# Shared look of the analysis figures: Okabe-Ito colours (colour-blind safe), and the
# second colour of each pair hatched, so that the two stay apart in greyscale print.
# --------------------------------------------------------------------------------------------

_WIDTH = 8.0  # [in], as plot_stages and plot_histogram
_FU = format_unit("kg CO2e per functional unit")

#: The functions whose results the figures below take (named in the errors).
_PRODUCERS = {
    "simulate": "pcflab.simulate (or pcflab.simulate_until)",
    "sensitivity": "pcflab.sensitivity (method 'sobol' or 'morris')",
    "tornado": "the one-at-a-time tornado analysis (pcflab.tornado)",
    "shares": "the contribution-to-variance analysis (pcflab.variance_shares)",
    "grade": "pcflab.grade",
    "compare": "pcflab.compare_products",
}
_BREAKS = re.compile(r"[^\s/_-]+[\s/_-]*|[\s/_-]+")


def _axes(ax, height=3.6):
    """Return the given Axes, or new ones on a figure ``_WIDTH`` x ``height`` [in]."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(_WIDTH, height), layout="constrained")
    return ax


def _legend_right(ax, **kwargs):
    """Legend outside the axes, on the right: it never hides bars, lines or their labels."""
    return ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False, **kwargs)


def _rows_height(k):
    """Figure height [in] for ``k`` labelled rows of horizontal bars (at least 3.6)."""
    return max(3.6, 1.5 + 0.32 * k)


def _check_top(top, func):
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1:
        raise ValueError(f"{func}: top must be a positive integer (number of inputs shown), got {top!r}")
    return int(top)


def _missing(func, what, missing, producer, have=()):
    """Build a PcfError saying which variables ``func`` needs and which function gives them."""
    have = f" (it has: {', '.join(map(str, have))})" if len(have) else ""
    return PcfError(
        f"{func} needs {what} with {', '.join(repr(m) for m in missing)}; the input lacks them{have}",
        hint=f"pass the result of {_PRODUCERS[producer]}",
    )


def _wrap(text, width=30, lines=2):
    """Break a long input name into at most ``lines`` lines of about ``width`` characters.

    Breaks fall after spaces, ``/``, ``_`` and ``-`` (factor ids such as
    ``cn/electricity/grid/2023 (co2_fossil)`` break at their slashes). A name longer than
    ``lines`` lines keeps its beginning and its end (often the year or the gas), with ``…``
    between them.
    """
    text = str(text)
    if len(text) <= width:
        return text
    tokens = []
    for tok in _BREAKS.findall(text):
        tokens.extend(tok[i : i + width] for i in range(0, len(tok), width))
    out, line = [], ""
    for tok in tokens:
        if line and len(line) + len(tok.rstrip()) > width:
            out.append(line.rstrip())
            line = tok.lstrip()
        else:
            line += tok
    out.append(line.rstrip())
    if len(out) <= lines:
        return "\n".join(out)
    tail = ""
    for tok in reversed(tokens):
        if len(tail) + len(tok) > width - 1:
            break
        tail = tok + tail
    if not tail.strip():
        tail = text[-(width - 1) :]
    return "\n".join([*out[: lines - 1], "…" + tail.strip()])


def _fmt(value):
    """Format a number as shown on a figure: thousands separated, else three significant digits."""
    value = float(value)
    if not np.isfinite(value):
        return str(value)
    text = f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"
    return text.replace("-", "\N{MINUS SIGN}")


def _pct_label(q):
    """``0.05`` -> ``P5``, ``0.975`` -> ``P97.5``."""
    return f"P{100 * float(q):g}"


def _unit_text(units):
    u = format_unit(units)
    return "" if u in ("", "nan", "None") else " " + u


def _running_points(n, count=200):
    """About ``count`` log-spaced sample counts from min(10, n) to ``n`` (all >= 2)."""
    start = 10 if n >= 10 else 2
    ns = np.unique(np.round(np.logspace(np.log10(start), np.log10(n), count)).astype(np.int64))
    ns[-1] = n
    return ns


def plot_convergence(mc_result, ax=None, quantiles=(0.025, 0.5, 0.975)):
    """Plot the running Monte Carlo mean and quantiles of the total footprint vs the sample count.

    The running mean of the first n samples is drawn with its 95 % band, mean ± 1.96 SE
    with SE = SD / sqrt(n) (SD of the first n samples), and the running quantiles as thin
    lines, at about 200 log-spaced sample counts (fast for 10⁶ samples). At the last
    count the quantiles carry their distribution-free 95 % confidence intervals
    (``pcflab.standard_errors``). A flat line inside a narrow band means the estimate has
    converged. Samples are taken in sample order; for ``sampler="lhs"`` or ``"sobol"`` a
    prefix of the design is not itself a stratified design, so read the curve of a
    ``"random"`` run.

    Parameters
    ----------
    mc_result : xarray.Dataset
        Output of ``pcflab.simulate`` or ``pcflab.simulate_until``: variable ``total``
        [kg CO2e per functional unit] with dimension ``sample`` (at least 2 samples).
    ax : matplotlib.axes.Axes, optional
        Axes to draw in; by default a new 8 x 3.6 in figure.
    quantiles : sequence of float
        Probabilities in (0, 1) of the running quantiles [-].

    Returns
    -------
    matplotlib.axes.Axes
        x: samples n (log scale); y: footprint [kg CO2e per functional unit].

    Raises
    ------
    PcfError
        If ``mc_result`` has no ``total`` with dimension ``sample``, or it holds NaN.
    ValueError
        If a quantile is not in (0, 1) or there are fewer than two samples.
    """
    from pcflab.analysis import standard_errors

    x = _convergence_totals(mc_result)
    qs = [float(q) for q in quantiles]
    if any(not 0.0 < q < 1.0 for q in qs):
        raise ValueError(f"quantiles must lie strictly between 0 and 1, got {list(quantiles)}")
    ns, mean, half, running_q = _running_statistics(x, qs)
    final = standard_errors(mc_result, quantiles=qs)

    ax = _axes(ax)
    ax.fill_between(
        ns, mean - half, mean + half, color=_SKY, alpha=0.45, linewidth=0, label="mean ± 1.96 SE (95 %)", gid="band"
    )
    ax.plot(ns, mean, color="black", lw=1.6, label="running mean", gid="mean")
    ax.axhline(final["mean"], color="black", lw=0.6, ls=(0, (1, 3)), label=f"final mean {_fmt(final['mean'])}")
    _draw_running_quantiles(ax, ns, qs, running_q, final)
    ax.set_xscale("log")
    ax.set_xlim(ns[0], x.size * 1.2)
    ax.margins(y=0.08)
    ax.set_xlabel("samples n (log scale)")
    ax.set_ylabel(f"carbon footprint\n[{_FU}]")
    ax.set_title(
        f"Convergence of the Monte Carlo estimates\n{_convergence_detail(mc_result, x.size, final)}", fontsize=10
    )
    _legend_right(ax)
    return ax


def _convergence_totals(mc_result):
    """Return the Monte Carlo totals as floats, checked: ``total`` over ``sample``, finite, n >= 2."""
    if not hasattr(mc_result, "data_vars") or "total" not in mc_result.data_vars:
        have = list(getattr(mc_result, "data_vars", ()))
        raise _missing("plot_convergence", "a Monte Carlo Dataset", ["total"], "simulate", have)
    total = mc_result["total"]
    if total.dims != ("sample",):
        raise PcfError(
            f"plot_convergence needs 'total' with the single dimension 'sample', got dims {total.dims}",
            hint=f"pass the result of {_PRODUCERS['simulate']}",
        )
    x = np.asarray(total.values, dtype=float)
    n = x.size
    if n < 2:
        raise ValueError(f"plot_convergence needs at least two samples, got {n}")
    if not np.all(np.isfinite(x)):
        raise PcfError(
            f"{np.count_nonzero(~np.isfinite(x))} of {n} totals are NaN or infinite",
            field="total",
            hint="check the model's evaluation (pcflab.simulate raises on failed samples)",
        )
    return x


def _running_statistics(x, qs):
    """Sample counts ``ns``, running mean, half width of its 95 % band and running quantiles."""
    ns = _running_points(x.size)
    ref = x.mean()  # shifted sums: no cancellation in the variance
    c1 = np.cumsum(x - ref)[ns - 1]
    c2 = np.cumsum((x - ref) ** 2)[ns - 1]
    mean = ref + c1 / ns
    var = np.maximum(c2 - c1**2 / ns, 0.0) / (ns - 1)
    half = 1.96 * np.sqrt(var / ns)
    running_q = np.array([np.quantile(x[:k], qs) for k in ns]).reshape(len(ns), len(qs))
    return ns, mean, half, running_q


def _draw_running_quantiles(ax, ns, qs, running_q, final):
    """Draw the running quantiles, and at the last count each final quantile with its 95 % CI."""
    n = ns[-1]
    for j, q in enumerate(qs):
        ax.plot(
            ns,
            running_q[:, j],
            color=_VERMILLION,
            lw=0.9,
            ls="--" if q == 0.5 else "-",
            label="running quantiles" if j == 0 else None,
            gid=f"quantile {q:g}",
        )
        fq = final["quantiles"][q]
        ax.errorbar(
            n,
            fq["value"],
            yerr=1.96 * fq["se"],
            color=_VERMILLION,
            capsize=3,
            lw=1.0,
            label="final quantile, 95 % CI" if j == 0 else None,
        )
        below = fq["value"] < final["mean"]
        ax.annotate(
            _pct_label(q),
            (ns[-1], fq["value"]),
            xytext=(-8, -3 if below else 3),
            textcoords="offset points",
            ha="right",
            va="top" if below else "bottom",
            fontsize=8,
            color=_VERMILLION,
        )


def _convergence_detail(mc_result, n, final):
    """Second title line: samples, seed, SE of the mean and the target of ``simulate_until``."""
    rel = final["se_mean"] / abs(final["mean"]) if final["mean"] else np.inf
    seed = mc_result.attrs.get("seed")
    seed_text = "" if seed is None else f", seed {seed}"
    detail = f"{n:,} samples{seed_text}: SE of the mean {_fmt(final['se_mean'])} ({100 * rel:.2f} %)"
    if "target_relative_se" in mc_result.attrs:
        met = "met" if mc_result.attrs.get("converged") else "not met"
        detail += f", target {100 * float(mc_result.attrs['target_relative_se']):.2f} % {met}"
    return detail


def _input_labels(ds, names, width=30):
    """Tick labels of the inputs (two lines at most): name, and its process where it fits."""
    labels = []
    for i, name in enumerate(names):
        lines = _wrap(name, width).split("\n")
        proc = str(ds["process"].values[i]) if "process" in ds.coords else ""
        if proc and proc not in str(name) and not proc.startswith("("):
            if len(lines[-1]) + len(proc) + 3 <= width:
                lines[-1] += f" ({proc})"
            elif len(lines) == 1:
                lines.append(_wrap(f"({proc})", width, lines=1))
        labels.append("\n".join(lines))
    return labels


def plot_sobol(sens, ax=None, top=15):
    """Sobol first-order and total indices (or Morris μ*) of the most important inputs.

    Sobol (``attrs["method"] == "sobol"``, or any method giving ``S1`` and ``ST``):
    grouped horizontal bars of S1 (first order, dark) and ST (total effect, light and
    hatched) per input, with error bars of the ``S1_conf`` / ``ST_conf`` half-widths. ST
    well above S1 means the input acts through interactions. Morris
    (``attrs["method"] == "morris"``): bars of μ* with error bars of ``mu_star_conf``,
    and σ as an open diamond (non-linearity or interactions).

    Parameters
    ----------
    sens : xarray.Dataset
        Output of ``pcflab.sensitivity``: dimension ``input`` ordered by importance; Sobol
        variables ``S1``, ``ST`` [-] and optionally ``S1_conf``, ``ST_conf`` [-, half
        widths of the ``conf_level`` interval]; Morris variables ``mu_star``,
        ``mu_star_conf`` and ``sigma`` [kg CO2e per functional unit, per unit of the
        input's probability scale, or the ``units`` attribute of ``mu_star``]; optional
        coordinates ``process`` (shown after the name) and ``units``; attributes
        ``method``, ``n``, ``runs``, ``conf_level``, ``model_id``.
    ax : matplotlib.axes.Axes, optional
        Axes to draw in; by default a new figure 8 in wide, taller with more inputs.
    top : int
        Number of inputs shown (the first ``top`` of ``input``).

    Returns
    -------
    matplotlib.axes.Axes
        x: index [-] (Sobol) or μ* (Morris); y: inputs, most important at the top.

    Raises
    ------
    PcfError
        If ``sens`` is not a Dataset with dimension ``input`` and the variables of its
        method.
    ValueError
        If ``top`` is not a positive integer.
    """
    top = _check_top(top, "plot_sobol")
    method = _sensitivity_method(sens)
    n_inputs = sens.sizes["input"]
    k = min(top, n_inputs)
    sub = sens.isel(input=slice(0, k))
    labels = _input_labels(sub, sub["input"].values)
    y = np.arange(k)
    ax = _axes(ax, _rows_height(k))
    cl = sens.attrs.get("conf_level")
    ci = f"\n± {100 * float(cl):g} % CI" if cl is not None else "\n± CI"
    runs = sens.attrs.get("runs")
    n_design = sens.attrs.get("n")
    run_text = f"{int(runs):,} model runs" if runs else ""
    of = f"{sens.attrs['model_id']}: " if sens.attrs.get("model_id") else ""
    if method == "morris":
        _draw_morris(ax, sub, y, ci)
        title = f"{of}Morris μ*, top {k} of {n_inputs} inputs"
        detail = ", ".join(t for t in (f"{n_design} trajectories" if n_design else "", run_text) if t)
    else:
        _draw_sobol_indices(ax, sub, y, ci)
        name = {"sobol": "Sobol", "fast": "FAST", "rbd_fast": "RBD-FAST"}.get(method, method)
        title = f"{of}{name} indices, top {k} of {n_inputs} inputs"
        total_s1 = float(np.nansum(sens["S1"].values))
        parts = (f"N = {n_design}" if n_design else "", run_text, f"ΣS$_1$ = {total_s1:.2f} over all inputs")
        detail = ", ".join(t for t in parts if t)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(y, labels, fontsize=8.5)
    ax.set_ylim(k - 0.5, -0.5)  # most important at the top
    ax.grid(axis="x", color="0.85", lw=0.6)
    ax.set_axisbelow(True)
    ax.set_title(f"{title}\n{detail}" if detail else title, fontsize=10)
    _legend_right(ax)
    return ax


_ERROR_KW = {"ecolor": "black", "elinewidth": 0.9, "capsize": 2.5, "capthick": 0.9}


def _sensitivity_method(sens):
    """Return the method of a sensitivity Dataset (``"sobol"``, ``"morris"``, ...), checked."""
    if not hasattr(sens, "data_vars"):
        raise PcfError(
            f"plot_sobol needs an xarray.Dataset with dimension 'input', got {type(sens).__name__}",
            hint=f"pass the result of {_PRODUCERS['sensitivity']}"
            + (
                "; a DataFrame converts with xarray.Dataset.from_dataframe(df.rename_axis('input'))"
                if hasattr(sens, "columns")
                else ""
            ),
        )
    if "input" not in sens.dims or sens.sizes["input"] == 0:
        raise PcfError(
            f"plot_sobol needs a Dataset with a non-empty dimension 'input', got dims {dict(sens.sizes)}",
            hint=f"pass the result of {_PRODUCERS['sensitivity']}",
        )
    method = str(sens.attrs.get("method", "morris" if "mu_star" in sens else "sobol")).lower()
    needed = ["mu_star", "sigma"] if method == "morris" else ["S1", "ST"]
    lacking = [v for v in needed if v not in sens.data_vars]
    if lacking:
        raise _missing("plot_sobol", f"a {method} sensitivity Dataset", lacking, "sensitivity", list(sens.data_vars))
    return method


def _conf(sub, name):
    """Half widths of a confidence interval (NaN as 0), or None if ``sub`` has no ``name``."""
    return np.nan_to_num(np.asarray(sub[name].values, dtype=float)) if name in sub.data_vars else None


def _draw_morris(ax, sub, y, ci):
    """Bars of Morris μ* with their CI, σ as open diamonds, and the x label."""
    mu = np.asarray(sub["mu_star"].values, dtype=float)
    err = _conf(sub, "mu_star_conf")
    ax.barh(
        y,
        mu,
        height=0.6,
        xerr=err,
        color=_BLUE,
        edgecolor="black",
        linewidth=0.5,
        error_kw=_ERROR_KW,
        label="μ* (mean |elementary\neffect|)" + (ci if err is not None else ""),
    )
    ax.plot(
        sub["sigma"].values,
        y,
        ls="none",
        marker="D",
        markersize=5,
        markerfacecolor="white",
        markeredgecolor=_VERMILLION,
        markeredgewidth=1.3,
        label="σ (non-linearity,\ninteractions)",
        gid="sigma",
    )
    units = format_unit(sub["mu_star"].attrs.get("units")) or f"{_FU}, per unit of the input's probability scale"
    ax.set_xlabel(f"Morris μ* and σ [{units}]")


def _draw_sobol_indices(ax, sub, y, ci):
    """Paired bars of S1 (dark) and ST (light, hatched) with their CIs, the x label and limits."""
    s1 = np.asarray(sub["S1"].values, dtype=float)
    st = np.asarray(sub["ST"].values, dtype=float)
    e1, et = _conf(sub, "S1_conf"), _conf(sub, "ST_conf")
    h = 0.38
    ax.barh(
        y - h / 2,
        s1,
        height=h,
        xerr=e1,
        color=_BLUE,
        edgecolor="black",
        linewidth=0.5,
        error_kw=_ERROR_KW,
        label="first order S$_1$" + (ci if e1 is not None else ""),
    )
    ax.barh(
        y + h / 2,
        st,
        height=h,
        xerr=et,
        color=_ORANGE,
        edgecolor="black",
        hatch=_HATCH,
        hatchcolor=_HATCH_COLOUR,
        linewidth=0.5,
        error_kw=_ERROR_KW,
        label="total S$_T$" + (ci if et is not None else ""),
    )
    ax.set_xlabel("Sobol index [-] (share of the footprint's variance)")
    hi = np.nanmax(np.concatenate([s1 + (0 if e1 is None else e1), st + (0 if et is None else et)]))
    lo = np.nanmin(np.concatenate([s1 - (0 if e1 is None else e1), st - (0 if et is None else et)]))
    ax.set_xlim(min(0.0, lo * 1.1), max(hi * 1.08, 0.05))


def plot_tornado(tornado, ax=None, top=15):
    """Tornado diagram: the footprint with one input at a time at a low or high quantile.

    For each input, a bar from the deterministic footprint (vertical line) to the footprint
    with that input at its low quantile (dark) and one to the footprint with it at its high
    quantile (light, hatched), the others at their deterministic values. The input values
    and units are written at the bar ends.

    Parameters
    ----------
    tornado : pandas.DataFrame
        Indexed by quantity name and sorted by ``swing``, descending, with columns
        ``value_low``, ``value_high`` [the input's ``units``], ``units``, ``total_low``,
        ``total_high`` and ``swing`` [kg CO2e per functional unit]; ``attrs["base"]``, the
        deterministic footprint [kg CO2e per functional unit], and ``attrs["low"]``,
        ``attrs["high"]``, the quantiles' probabilities [-] (e.g. 0.05 and 0.95).
    ax : matplotlib.axes.Axes, optional
        Axes to draw in; by default a new figure 8 in wide, taller with more inputs.
    top : int
        Number of inputs shown (the first ``top`` rows).

    Returns
    -------
    matplotlib.axes.Axes
        x: footprint [kg CO2e per functional unit]; y: inputs, largest swing at the top.

    Raises
    ------
    PcfError
        If ``tornado`` is not a DataFrame with those columns and ``attrs["base"]``.
    ValueError
        If ``top`` is not a positive integer.
    """
    top = _check_top(top, "plot_tornado")
    needed = ["value_low", "value_high", "units", "total_low", "total_high"]
    if not hasattr(tornado, "columns"):
        raise PcfError(
            f"plot_tornado needs a pandas.DataFrame, got {type(tornado).__name__}",
            hint=f"pass the result of {_PRODUCERS['tornado']}",
        )
    lacking = [c for c in needed if c not in tornado.columns]
    if lacking:
        raise _missing("plot_tornado", "a tornado table", lacking, "tornado", list(tornado.columns))
    if "base" not in tornado.attrs:
        raise PcfError(
            "plot_tornado needs the deterministic footprint in attrs['base'] [kg CO2e per functional unit]",
            hint=f"pass the result of {_PRODUCERS['tornado']} (pandas operations can drop attrs)",
        )
    if len(tornado) == 0:
        raise PcfError("plot_tornado got an empty table", hint="the model has no uncertain input")
    base = float(tornado.attrs["base"])
    lo_q, hi_q = tornado.attrs.get("low"), tornado.attrs.get("high")
    lo_label = f"input at its {_pct_label(lo_q)}" if lo_q is not None else "input at its low value"
    hi_label = f"input at its {_pct_label(hi_q)}" if hi_q is not None else "input at its high value"
    k = min(top, len(tornado))
    sub = tornado.iloc[:k]
    y = np.arange(k)
    t_lo = sub["total_low"].to_numpy(dtype=float)
    t_hi = sub["total_high"].to_numpy(dtype=float)

    ax = _axes(ax, _rows_height(k))
    style = {"height": 0.62, "edgecolor": "black", "linewidth": 0.5}
    bars_lo = ax.barh(y, t_lo - base, left=base, color=_BLUE, label=lo_label, **style)
    bars_hi = ax.barh(
        y, t_hi - base, left=base, color=_ORANGE, hatch=_HATCH, hatchcolor=_HATCH_COLOUR, label=hi_label, **style
    )
    # where both bars point the same way, the shorter one is drawn on top of the longer
    for p_lo, p_hi, a, b in zip(bars_lo, bars_hi, t_lo, t_hi, strict=True):
        if abs(a - base) < abs(b - base):
            p_lo.set_zorder(p_hi.get_zorder() + 0.1)
    ax.axvline(base, color="black", lw=1.2, label=f"deterministic\nfootprint {_fmt(base)}")

    for i, row in enumerate(sub.itertuples(index=False)):
        u = _unit_text(row.units)
        ends = [(float(row.total_low), float(row.value_low)), (float(row.total_high), float(row.value_high))]
        sides = [np.sign(e - base) for e, _ in ends]
        if sides[0] and sides[1] and sides[0] != sides[1]:
            texts = [(e, f"{_fmt(v)}{u}") for e, v in ends]
        else:  # same side: one label, low / high, at the farther end
            far = max(ends, key=lambda ev: abs(ev[0] - base))[0]
            texts = [(far, f"{_fmt(row.value_low)} / {_fmt(row.value_high)}{u}")] if far != base else []
        for e, text in texts:
            right = e >= base
            ax.annotate(
                text,
                (e, i),
                xytext=(3 if right else -3, 0),
                textcoords="offset points",
                ha="left" if right else "right",
                va="center",
                fontsize=8,
            )
    ext = np.concatenate([t_lo, t_hi, [base]])
    span = float(ext.max() - ext.min()) or (abs(base) * 0.1 or 1.0)
    ax.set_xlim(ext.min() - 0.35 * span, ext.max() + 0.35 * span)
    ax.set_yticks(y, [_wrap(n) for n in sub.index], fontsize=8.5)
    ax.set_ylim(k - 0.5, -0.5)
    ax.grid(axis="x", color="0.85", lw=0.6)
    ax.set_axisbelow(True)
    ax.set_xlabel(f"carbon footprint [{_FU}]")
    if lo_q is not None and hi_q is not None:
        what = f"one input at a time at its {_pct_label(lo_q)} or {_pct_label(hi_q)}"
    else:
        what = "one input at a time at its low or high value"
    ax.set_title(f"Tornado: {what}, the others at their values\ntop {k} of {len(tornado)} inputs by swing", fontsize=10)
    _legend_right(ax)
    return ax


def plot_class_probabilities(grade_result, ax=None):
    """Probability of each class of a grading scheme, from a Monte Carlo run.

    Vertical bars of the probability of each class in scheme order [%], labelled with their
    value; the deterministic class (from the footprint at the parameters' values) is
    highlighted (vermilion, cross-hatched), and a dashed line marks the robustness level.
    The title says the class and its probability, or that no class is robust.

    Parameters
    ----------
    grade_result : GradeResult
        Output of ``pcflab.grade``: ``probabilities`` (class -> probability [-], in
        scheme order), ``deterministic_class``, ``most_likely_class``, ``probability``,
        ``robust``, ``robust_level`` [-], ``scheme_name``, ``units``, ``value`` and
        ``interval`` [the scheme's units], ``interval_level`` and ``n_samples``.
    ax : matplotlib.axes.Axes, optional
        Axes to draw in; by default a new 8 x 3.6 in figure.

    Returns
    -------
    matplotlib.axes.Axes
        x: classes; y: probability [%].

    Raises
    ------
    PcfError
        If ``grade_result`` lacks one of those fields.
    """
    needed = [
        "probabilities",
        "deterministic_class",
        "most_likely_class",
        "probability",
        "robust",
        "robust_level",
        "scheme_name",
    ]
    lacking = [f for f in needed if not hasattr(grade_result, f)]
    if lacking or not isinstance(grade_result.probabilities, dict) or not grade_result.probabilities:
        raise _missing(
            "plot_class_probabilities", "a GradeResult", lacking or ["probabilities (non-empty dict)"], "grade"
        )
    r = grade_result
    classes = list(r.probabilities)
    x = np.arange(len(classes))
    ax = _axes(ax)
    _draw_class_bars(ax, r, classes, x)
    level = 100.0 * float(r.robust_level)
    ax.axhline(level, color="black", ls="--", lw=1.0, gid="robust_level")
    ax.set_xticks(x, [_wrap(c, width=14) for c in classes], fontsize=9)
    ax.set_ylim(0, 112)
    ax.set_yticks(np.arange(0, 101, 20))
    ax.set_ylabel("probability [%]")
    ax.set_xlabel(f"class — {_wrap(r.scheme_name, width=90)}")
    ax.grid(axis="y", color="0.85", lw=0.6)
    ax.set_axisbelow(True)
    _legend_right(ax, handles=_class_legend_handles(r))
    ax.set_title(_class_title(r), fontsize=10)
    return ax


def _draw_class_bars(ax, r, classes, x):
    """Draw a bar per class [%], the deterministic one highlighted, labelled with its probability."""
    pct = 100.0 * np.array([float(r.probabilities[c]) for c in classes])
    bars = ax.bar(x, pct, width=0.65, color=_SKY, edgecolor="black", linewidth=0.6, label="other classes")
    for c, patch in zip(classes, bars, strict=True):
        if c == r.deterministic_class:
            patch.set_facecolor(_VERMILLION)
            patch.set_hatch("xx")
            patch.set_hatchcolor("black")
            patch.set_linewidth(1.4)
            patch.set_gid("deterministic")
    for xi, c in zip(x, classes, strict=True):
        p = float(r.probabilities[c])
        ax.annotate(
            format_probability(p),
            (xi, 100 * p),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8.5,
        )


def _class_legend_handles(r):
    """Legend entries: the deterministic class, the other classes, the robustness level."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    return [
        Patch(
            facecolor=_VERMILLION,
            hatch="xx",
            edgecolor="black",
            linewidth=1.4,
            label=f"deterministic class ({r.deterministic_class})",
        ),
        Patch(facecolor=_SKY, edgecolor="black", linewidth=0.6, label="other classes"),
        Line2D(
            [], [], color="black", ls="--", lw=1.0, label=f"robust at ≥ {format_probability(float(r.robust_level))}"
        ),
    ]


def _class_title(r):
    """Title: the class and its probability (or not robust), then footprint, interval and samples."""
    if r.robust:
        head = f"class {r.most_likely_class} with {format_probability(float(r.probability))} probability"
    else:
        head = (
            f"not robust: most likely class {r.most_likely_class} with "
            f"{format_probability(float(r.probability))} probability, "
            f"no class reaches {format_probability(float(r.robust_level))}"
        )
    detail = []
    if getattr(r, "value", None) is not None:
        detail.append(f"footprint {_fmt(r.value)} {format_unit(getattr(r, 'units', ''))}".rstrip())
    if getattr(r, "interval", None) is not None:
        lvl = getattr(r, "interval_level", None)
        lvl_text = f"{100 * float(lvl):g} % " if lvl is not None else ""
        detail.append(f"{lvl_text}interval {_fmt(r.interval[0])} – {_fmt(r.interval[1])}")
    if getattr(r, "n_samples", None):
        detail.append(f"{int(r.n_samples):,} samples")
    return head + ("\n" + ", ".join(detail) if detail else "")


def plot_variance_shares(shares, ax=None, top=15):
    """Share of the footprint's variance by input, from squared correlations.

    Horizontal bars of each input's ``share`` of Σρ² [%], dark where the footprint decreases
    with the input (ρ < 0) and light, hatched where it increases (ρ > 0), labelled with the
    share and ρ. The title gives Σρ² (``attrs["rho2_sum"]``): the part of the variance the
    correlations account for; well below 1 means interactions or non-monotonic effects,
    and the shares are then only indicative.

    Parameters
    ----------
    shares : pandas.DataFrame
        Indexed by quantity name, sorted by importance, with columns ``rho`` [-],
        ``rho2`` [-] and ``share`` [-, summing to 1 over all rows]; ``attrs["rho2_sum"]``,
        the unnormalised Σρ² [-].
    ax : matplotlib.axes.Axes, optional
        Axes to draw in; by default a new figure 8 in wide, taller with more inputs.
    top : int
        Number of inputs shown (the first ``top`` rows).

    Returns
    -------
    matplotlib.axes.Axes
        x: share of the variance [%]; y: inputs, largest share at the top.

    Raises
    ------
    PcfError
        If ``shares`` is not a DataFrame with those columns.
    ValueError
        If ``top`` is not a positive integer.
    """
    top = _check_top(top, "plot_variance_shares")
    needed = ["rho", "rho2", "share"]
    if not hasattr(shares, "columns"):
        raise PcfError(
            f"plot_variance_shares needs a pandas.DataFrame, got {type(shares).__name__}",
            hint=f"pass the result of {_PRODUCERS['shares']}",
        )
    lacking = [c for c in needed if c not in shares.columns]
    if lacking:
        raise _missing(
            "plot_variance_shares", "a contribution-to-variance table", lacking, "shares", list(shares.columns)
        )
    if len(shares) == 0:
        raise PcfError("plot_variance_shares got an empty table", hint="the model has no uncertain input")
    k = min(top, len(shares))
    sub = shares.iloc[:k]
    y = np.arange(k)
    pct = 100.0 * sub["share"].to_numpy(dtype=float)
    rho = sub["rho"].to_numpy(dtype=float)
    up = rho > 0
    ax = _axes(ax, _rows_height(k))
    style = {"height": 0.62, "edgecolor": "black", "linewidth": 0.5}
    if up.any():
        ax.barh(
            y[up],
            pct[up],
            color=_ORANGE,
            hatch=_HATCH,
            hatchcolor=_HATCH_COLOUR,
            label="footprint increases\nwith the input (ρ > 0)",
            **style,
        )
    if (~up).any():
        ax.barh(y[~up], pct[~up], color=_BLUE, label="footprint decreases\nwith the input (ρ ≤ 0)", **style)
    for yi, p, r in zip(y, pct, rho, strict=True):
        ax.annotate(
            f"{p:.1f} %  (ρ = {r:+.2f})".replace("-", "\N{MINUS SIGN}"),
            (p, yi),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.set_xlim(0, max(pct.max() * 1.55, 1.0))  # room for the labels at the bar ends
    ax.set_yticks(y, [_wrap(n) for n in sub.index], fontsize=8.5)
    ax.set_ylim(k - 0.5, -0.5)
    ax.grid(axis="x", color="0.85", lw=0.6)
    ax.set_axisbelow(True)
    ax.set_xlabel("share of the footprint's variance, ρ² / Σρ² [%]")
    explained = shares.attrs.get("rho2_sum", shares.attrs.get("explained"))
    note = (
        f"Σρ² = {float(explained):.2f}: the rank correlations explain {100 * float(explained):.0f} % "
        "of the variance of the ranks"
        if (explained is not None)
        else "Σρ² not given"
    )
    ax.set_title(f"Contribution to variance, top {k} of {len(shares)} inputs\n{note}", fontsize=10)
    _legend_right(ax)
    return ax


def plot_comparison(comparison, ax=None, kind="ranks", reference=None):
    """Products of a family compared under shared uncertainty: their ranks, or their differences.

    ``kind="ranks"``: one horizontal bar per product (lowest mean footprint on top), split
    into its probabilities of rank 1 (lowest footprint), 2, ... [%], darker for better
    ranks, labelled where a segment holds at least 8 %. ``kind="differences"``: for every
    other product, the ``interval`` of ``product - reference`` [kg CO2e per functional
    unit] as a line with its mean as a dot, a vertical line at 0, and P(product <
    reference) written beside it; ``reference`` is the product with the lowest mean by
    default.

    Parameters
    ----------
    comparison : xarray.Dataset
        Output of ``pcflab.compare_products``.
    ax : matplotlib.axes.Axes, optional
        Axes to draw in; by default a new figure 8 in wide, one row per product.
    kind : {"ranks", "differences"}
        What to draw.
    reference : str, optional
        Product the differences are taken from (``kind="differences"``).

    Returns
    -------
    matplotlib.axes.Axes
        ``ranks``: x probability [%], y products; ``differences``: x difference [kg CO2e
        per functional unit], y products.

    Raises
    ------
    PcfError
        If ``comparison`` lacks the variables of ``compare_products``, or ``reference`` is
        not one of its products.
    ValueError
        For an unknown ``kind``.
    """
    needed = ["mean", "rank_probability", "p_less", "difference_mean", "difference_lower", "difference_upper"]
    lacking = [v for v in needed if v not in getattr(comparison, "data_vars", {})]
    if lacking:
        raise _missing(
            "plot_comparison", "a comparison", lacking, "compare", list(getattr(comparison, "data_vars", []))
        )
    if kind not in ("ranks", "differences"):
        raise ValueError(f"plot_comparison: kind must be 'ranks' or 'differences', got {kind!r}")
    order = [str(p) for p in comparison["product"].values[np.argsort(comparison["mean"].values, kind="stable")]]
    if kind == "ranks":
        return _draw_ranks(comparison, order, ax)
    reference = order[0] if reference is None else str(reference)
    if reference not in order:
        raise PcfError(
            f"plot_comparison: {reference!r} is not a product of the comparison",
            hint=f"use one of {', '.join(order)}",
        )
    return _draw_differences(comparison, [p for p in order if p != reference], reference, ax)


def _draw_ranks(comparison, order, ax):
    """Stacked bars of each product's rank probabilities [%], best rank first."""
    import matplotlib as mpl

    probs = 100.0 * comparison["rank_probability"].sel(product=order).values
    m = len(order)
    ax = _axes(ax, _rows_height(m))
    colours = mpl.colormaps["Blues_r"](np.linspace(0.1, 0.85, m))
    left = np.zeros(m)
    for r in range(m):
        ax.barh(
            np.arange(m), probs[:, r], left=left, color=colours[r], edgecolor="white", lw=0.5, label=f"rank {r + 1}"
        )
        for y, (x0, w) in enumerate(zip(left, probs[:, r], strict=True)):
            if w >= 8.0:
                ax.text(
                    x0 + w / 2,
                    y,
                    f"{w:.0f}",
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if r < m / 2 else "black",
                )
        left += probs[:, r]
    ax.set_yticks(np.arange(m), [_wrap(p, width=34) for p in order], fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("probability of each rank in the family [%] (rank 1 = lowest footprint)")
    _legend_right(ax)
    n = int(comparison.sizes.get("sample", comparison.attrs.get("n_samples", 0)))
    ax.set_title(f"rank of each product under shared uncertainty ({n:,} samples)", fontsize=10)
    return ax


def _draw_differences(comparison, others, reference, ax):
    """Interval and mean of ``product - reference`` for every other product, and P(product < reference)."""
    sel = {"product": others, "other": reference}
    mean = comparison["difference_mean"].sel(sel).values
    low = comparison["difference_lower"].sel(sel).values
    high = comparison["difference_upper"].sel(sel).values
    p_less = comparison["p_less"].sel(sel).values
    y = np.arange(len(others))
    ax = _axes(ax, _rows_height(len(others)))
    ax.hlines(y, low, high, color=_BLUE, lw=2.5, gid="interval")
    ax.plot(mean, y, "o", color=_VERMILLION, ms=5, gid="mean")
    ax.axvline(0.0, color="black", lw=0.8, gid="zero")
    span = max(float(np.max(np.abs(np.r_[low, high]))), 1e-12)
    for yy, hi, p in zip(y, high, p_less, strict=True):
        ax.text(hi + 0.02 * span, yy, f" P(lower) {format_probability(p)}", va="center", fontsize=8)
    ax.set_yticks(y, [_wrap(p, width=34) for p in others], fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(min(-0.05 * span, float(np.min(low)) - 0.05 * span), float(np.max(high)) + 0.45 * span)
    level = comparison.attrs.get("interval", 0.95)
    ax.set_xlabel(f"difference from {_wrap(reference, width=60)} [{_FU}]")
    ax.set_title(
        f"product \N{MINUS SIGN} reference: mean and {100 * float(level):g} % interval (shared draws)", fontsize=10
    )
    return ax
