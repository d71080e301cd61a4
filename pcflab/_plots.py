"""Figures of footprints, readable on screen and in print."""

import numpy as np

from pcflab.methods import STAGES, summarize

__all__ = ["plot_histogram", "plot_stages"]

_GAS_LABELS = {
    "co2_fossil": "CO$_2$ fossil",
    "co2_biogenic": "CO$_2$ biogenic",
    "ch4_fossil": "CH$_4$ fossil",
    "ch4_non_fossil": "CH$_4$ non-fossil",
    "n2o": "N$_2$O",
    "sf6": "SF$_6$",
    "cf4": "CF$_4$",
    "c2f6": "C$_2$F$_6$",
    "hfc_134a": "HFC-134a",
    "nf3": "NF$_3$",
    "co2e": "CO$_2$e (pre-characterised factors)",
}


def _stage_label(stage):
    return stage.replace("_", " ")


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
    colors = plt.get_cmap("tab10")
    for k, gas in enumerate(gases):
        vals = by_stage.sel(gas=gas).values
        ax.barh(
            [_stage_label(s) for s in STAGES], vals, left=left, color=colors(k % 10), label=_GAS_LABELS.get(gas, gas)
        )
        left += vals
    for y, v in enumerate(left):
        if v:
            ax.text(v, y, f" {v:,.0f}", va="center", fontsize=9)
    ax.invert_yaxis()
    ax.set_xlabel(f"{result.attrs.get('gwp_set', '')} GWP100 [kg CO$_2$e per functional unit]")
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
    ax.set_xlabel("carbon footprint [kg CO$_2$e per functional unit]")
    ax.set_ylabel("samples")
    ax.set_title(f"Monte Carlo, {s['n']:,} samples (seed {mc_result.attrs.get('seed')})")
    ax.legend(fontsize=8, frameon=False)
    return ax
