"""Figures: what each one shows is checked against its input, computed again with numpy."""

import dataclasses
import time

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import xarray as xr  # noqa: E402

import pcflab  # noqa: E402
from pcflab.analysis._grade import grade  # noqa: E402
from pcflab.core._errors import PcfError  # noqa: E402
from pcflab.reporting._plots import (  # noqa: E402
    _wrap,
    plot_class_probabilities,
    plot_convergence,
    plot_sobol,
    plot_tornado,
    plot_variance_shares,
)

BOF = "steel/bf-bof-hot-rolled-coil"
NAMES = [
    "cn/electricity/grid/shandong-provincial-average/2023 (co2_fossil)",
    "coke_rate",
    "scrap_share",
    "bof_oxygen_consumption_per_tonne_of_liquid_steel",
    "cn/coal/coking-coal/combustion/2023 (co2_fossil)",
    "sinter_fuel_rate",
    "hot_rolling_natural_gas",
    "pci_rate",
    "limestone_calcination",
    "cn/natural-gas/combustion/2023 (ch4_fossil)",
    "lime_rate",
    "transport_distance_ore",
    "iron_ore_pellet_share",
    "bf_top_gas_recovery",
    "steam_import",
    "oxygen_plant_power",
    "dolomite_rate",
    "rolling_yield",
    "refractory_use",
    "water_treatment_power",
]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def save(ax, tmp_path, name):
    """Write the figure to PNG (to look at); it must render without error."""
    path = tmp_path / f"{name}.png"
    ax.figure.savefig(path, dpi=110)
    assert path.stat().st_size > 10_000
    return path


def container(ax, label_start):
    (found,) = [c for c in ax.containers if str(c.get_label()).startswith(label_start)]
    return found


def error_half_widths(bars):
    """Half-lengths of the horizontal error bars of a BarContainer."""
    segments = bars.errorbar.lines[2][0].get_segments()
    return np.array([(s[1][0] - s[0][0]) / 2 for s in segments])


# ---------------------------------------------------------------------------------------------
# input builders
# ---------------------------------------------------------------------------------------------


def sobol_dataset(k=20, seed=1):
    rng = np.random.default_rng(seed)
    st = np.sort(rng.dirichlet(np.full(k, 0.6)))[::-1] * 1.15
    s1 = st * rng.uniform(0.5, 0.95, k)
    s1[-1] = -0.004  # estimates can be slightly negative
    return xr.Dataset(
        {
            "S1": ("input", s1),
            "S1_conf": ("input", rng.uniform(0.005, 0.04, k)),
            "ST": ("input", st),
            "ST_conf": ("input", rng.uniform(0.005, 0.04, k)),
        },
        coords={
            "input": NAMES[:k],
            "process": ("input", ["sinter", "blast_furnace", "bof", "bof", "coke_oven"] * (k // 5)),
            "units": ("input", ["kg/t"] * k),
        },
        attrs={"method": "sobol", "n": 1024, "runs": 1024 * (k + 2), "conf_level": 0.95, "model_id": BOF},
    )


def morris_dataset(k=12):
    mu_star = np.linspace(400.0, 5.0, k)
    return xr.Dataset(
        {
            "mu": ("input", mu_star * np.where(np.arange(k) % 3 == 0, -1, 1)),
            "mu_star": ("input", mu_star),
            "mu_star_conf": ("input", 0.08 * mu_star),
            "sigma": ("input", 0.3 * mu_star[::-1]),
        },
        coords={"input": NAMES[:k]},
        attrs={"method": "morris", "n": 40, "runs": 40 * (k + 1), "conf_level": 0.95, "model_id": BOF},
    )


def tornado_table(k=18):
    base = 2540.0
    rng = np.random.default_rng(3)
    swing = np.sort(rng.uniform(5, 600, k))[::-1]
    frac = rng.uniform(0.3, 0.7, k)
    total_low = base - frac * swing
    total_high = base + (1 - frac) * swing
    # a quantity that lowers the footprint as it grows (scrap share), and one with both ends above the base
    total_low[2], total_high[2] = total_high[2], total_low[2]
    total_low[5], total_high[5] = base + 10.0, base + 10.0 + swing[5]
    df = pd.DataFrame(
        {
            "value_low": np.round(rng.uniform(0.1, 50, k), 3),
            "value_high": np.round(rng.uniform(60, 500, k), 3),
            "units": ["kg/t", "t/t", "1", *["kWh/t"] * (k - 3)],
            "total_low": total_low,
            "total_high": total_high,
            "swing": np.abs(total_high - total_low),
        },
        index=pd.Index(NAMES[:k], name="quantity"),
    )
    df.attrs.update(base=base, low=0.05, high=0.95)
    return df


def shares_table(k=20):
    rng = np.random.default_rng(5)
    rho = rng.uniform(0.05, 0.7, k) * np.where(np.arange(k) % 4 == 2, -1, 1)
    order = np.argsort(-(rho**2))
    rho = rho[order]
    df = pd.DataFrame({"rho": rho, "rho2": rho**2}, index=pd.Index(NAMES[:k], name="quantity"))
    df["share"] = df["rho2"] / df["rho2"].sum()
    df.attrs["rho2_sum"] = 0.87
    return df


@pytest.fixture(scope="module")
def graded():
    """A real grade: the BF-BOF coil is class B deterministically but not robustly (test_grade)."""
    return grade(BOF, "espr-steel-hrc-2026-draft", n_samples=1500, seed=7)


# ---------------------------------------------------------------------------------------------
# convergence
# ---------------------------------------------------------------------------------------------


def test_convergence_shows_running_mean_band_and_quantiles_computed_independently(tmp_path):
    rng = np.random.default_rng(11)
    x = rng.lognormal(np.log(2500.0), 0.15, 20_000)
    ds = xr.Dataset({"total": ("sample", x, {"units": "kg CO2e"})}, attrs={"seed": 11})
    ax = plot_convergence(ds)
    assert ax.get_xscale() == "log"
    (mean,) = [ln for ln in ax.lines if ln.get_gid() == "mean"]
    n_pts = mean.get_xdata()
    assert 150 <= n_pts.size <= 200 and n_pts[0] == 10 and n_pts[-1] == x.size
    for j in (0, n_pts.size // 2, -1):
        k = int(n_pts[j])
        assert mean.get_ydata()[j] == pytest.approx(x[:k].mean(), rel=1e-12)
    (band,) = [c for c in ax.collections if c.get_gid() == "band"]
    v = band.get_paths()[0].vertices
    for k in (int(n_pts[n_pts.size // 2]), x.size):
        ys = v[np.isclose(v[:, 0], k), 1]
        assert ys.max() - ys.min() == pytest.approx(2 * 1.96 * x[:k].std(ddof=1) / np.sqrt(k), rel=1e-9)
        assert (ys.max() + ys.min()) / 2 == pytest.approx(x[:k].mean(), rel=1e-12)
    for q in (0.025, 0.5, 0.975):
        (line,) = [ln for ln in ax.lines if ln.get_gid() == f"quantile {q:g}"]
        assert line.get_ydata()[-1] == pytest.approx(np.quantile(x, q))
        k = int(line.get_xdata()[40])
        assert line.get_ydata()[40] == pytest.approx(np.quantile(x[:k], q))
    assert {t.get_text() for t in ax.texts} == {"P2.5", "P50", "P97.5"}
    se = x.std(ddof=1) / np.sqrt(x.size)
    assert f"{x.size:,} samples, seed 11" in ax.get_title()
    assert f"({100 * se / x.mean():.2f} %)" in ax.get_title()
    assert "kg CO₂e per functional unit" in ax.get_ylabel()
    save(ax, tmp_path, "convergence_hand")


def test_convergence_of_a_simulate_until_run_and_speed_for_a_million_samples(tmp_path):
    mc = pcflab.simulate_until(f"datasets/models/{BOF}.yaml", rel_precision=0.01, start=2000, max_samples=2000)
    ax = plot_convergence(mc, quantiles=(0.05, 0.95))
    (mean,) = [ln for ln in ax.lines if ln.get_gid() == "mean"]
    assert mean.get_ydata()[-1] == pytest.approx(mc["total"].values.mean())
    assert "target 1.00 %" in ax.get_title() and "2,000 samples" in ax.get_title()
    save(ax, tmp_path, "convergence_simulate")

    big = xr.Dataset({"total": ("sample", np.random.default_rng(0).normal(2500.0, 300.0, 1_000_000))})
    t0 = time.perf_counter()
    ax = plot_convergence(big)
    assert time.perf_counter() - t0 < 5.0
    (mean,) = [ln for ln in ax.lines if ln.get_gid() == "mean"]
    assert mean.get_xdata().size <= 200


def test_convergence_rejects_input_without_totals():
    with pytest.raises(PcfError, match=r"'total'.*\n.*pcflab\.simulate"):
        plot_convergence(xr.Dataset({"gwp100": ("sample", np.ones(10))}))
    with pytest.raises(PcfError, match="single dimension 'sample'"):
        plot_convergence(xr.Dataset({"total": (("sample", "stage"), np.ones((10, 2)))}))
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        plot_convergence(xr.Dataset({"total": ("sample", np.arange(10.0))}), quantiles=(0.5, 1.0))


# ---------------------------------------------------------------------------------------------
# Sobol and Morris
# ---------------------------------------------------------------------------------------------


def test_sobol_bars_and_error_bars_equal_the_indices_and_their_confidence(tmp_path):
    ds = sobol_dataset()
    ax = plot_sobol(ds, top=15)
    s1, st = container(ax, "first order"), container(ax, "total")
    assert [p.get_width() for p in s1] == pytest.approx(ds["S1"].values[:15])
    assert [p.get_width() for p in st] == pytest.approx(ds["ST"].values[:15])
    assert error_half_widths(s1) == pytest.approx(ds["S1_conf"].values[:15])
    assert error_half_widths(st) == pytest.approx(ds["ST_conf"].values[:15])
    assert "95 % CI" in s1.get_label()
    # most important input at the top, S1 drawn just above ST in its row
    assert ax.get_ylim()[0] > ax.get_ylim()[1]
    assert s1[0].get_y() < st[0].get_y() < s1[1].get_y()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == 15
    assert labels[1] == "coke_rate (blast_furnace)"
    for text in labels:
        assert text.count("\n") <= 1 and max(len(line) for line in text.split("\n")) <= 31
    assert "top 15 of 20 inputs" in ax.get_title() and f"ΣS$_1$ = {ds['S1'].sum():.2f}" in ax.get_title()
    assert ax.get_xlabel().startswith("Sobol index [-]")
    save(ax, tmp_path, "sobol")


def test_sobol_on_a_morris_dataset_shows_mu_star(tmp_path):
    ds = morris_dataset()
    ax = plot_sobol(ds)
    bars = container(ax, "μ*")
    assert [p.get_width() for p in bars] == pytest.approx(ds["mu_star"].values)
    assert error_half_widths(bars) == pytest.approx(ds["mu_star_conf"].values)
    (sigma,) = [ln for ln in ax.lines if ln.get_gid() == "sigma"]
    assert sigma.get_xdata() == pytest.approx(ds["sigma"].values)
    assert "Morris μ*" in ax.get_xlabel() and "Morris μ*" in ax.get_title()
    save(ax, tmp_path, "morris")


def test_sobol_rejects_wrong_input():
    with pytest.raises(PcfError, match=r"'ST'.*\n.*pcflab\.sensitivity"):
        plot_sobol(sobol_dataset().drop_vars("ST"))
    with pytest.raises(PcfError, match=r"'mu_star'"):
        plot_sobol(morris_dataset().drop_vars("mu_star"))
    with pytest.raises(PcfError, match="from_dataframe"):
        plot_sobol(sobol_dataset().to_dataframe())
    with pytest.raises(PcfError, match="dimension 'input'"):
        plot_sobol(sobol_dataset().rename({"input": "variable"}))
    with pytest.raises(ValueError, match="top must be a positive integer"):
        plot_sobol(sobol_dataset(), top=0)


def test_long_names_wrap_at_separators_and_keep_their_end():
    assert _wrap("coke_rate") == "coke_rate"
    two = _wrap("cn/electricity/grid/shandong-provincial-average/2023 (co2_fossil)")
    assert two.split("\n")[0] == "cn/electricity/grid/shandong-"
    cut = _wrap("a/" * 40 + "end (co2_fossil)")
    first, last = cut.split("\n")
    assert first.startswith("a/a/") and last.startswith("…") and last.endswith("end (co2_fossil)")


# ---------------------------------------------------------------------------------------------
# tornado
# ---------------------------------------------------------------------------------------------


def test_tornado_bars_run_from_the_base_to_the_low_and_high_totals(tmp_path):
    df = tornado_table()
    base = df.attrs["base"]
    ax = plot_tornado(df, top=15)
    low, high = container(ax, "input at its P5"), container(ax, "input at its P95")
    for bars, col in ((low, "total_low"), (high, "total_high")):
        assert [p.get_x() for p in bars] == pytest.approx([base] * 15)
        assert [p.get_x() + p.get_width() for p in bars] == pytest.approx(df[col].values[:15])
    assert high[0].get_hatch() == "//" and low[0].get_hatch() is None
    (line,) = [ln for ln in ax.lines if ln.get_label().startswith("deterministic\nfootprint")]
    assert line.get_xdata()[0] == base
    texts = {t.get_text(): t.xy for t in ax.texts}
    row = df.iloc[0]
    assert row.units == "kg/t"
    assert texts[f"{row.value_low:.3g} kg/t"] == (row.total_low, 0)
    assert texts[f"{row.value_high:.3g} kg/t"] == (row.total_high, 0)
    assert texts[f"{df.iloc[2].value_low:.3g}"][0] == df.iloc[2].total_low  # unit "1" is not written
    # both ends above the base: one label "low / high" at the farther end
    r5 = df.iloc[5]
    assert texts[f"{r5.value_low:.3g} / {r5.value_high:.3g} kWh/t"] == (r5.total_high, 5)
    assert "P5 or P95" in ax.get_title() and "top 15 of 18" in ax.get_title()
    save(ax, tmp_path, "tornado")


def test_tornado_rejects_wrong_input():
    with pytest.raises(PcfError, match=r"'total_high'.*\n.*tornado"):
        plot_tornado(tornado_table().drop(columns="total_high"))
    df = tornado_table()
    df.attrs.clear()
    with pytest.raises(PcfError, match=r"attrs\['base'\]"):
        plot_tornado(df)


# ---------------------------------------------------------------------------------------------
# class probabilities
# ---------------------------------------------------------------------------------------------


def test_class_bars_are_the_probabilities_and_the_title_says_the_class(graded, tmp_path):
    r = graded
    ax = plot_class_probabilities(r)
    bars = ax.containers[0]
    heights = np.array([p.get_height() for p in bars])
    assert heights == pytest.approx(100 * np.array(list(r.probabilities.values())))
    assert heights.sum() == pytest.approx(100.0)
    assert [t.get_text() for t in ax.get_xticklabels()] == list(r.probabilities)
    (det,) = [i for i, p in enumerate(bars) if p.get_gid() == "deterministic"]
    assert list(r.probabilities)[det] == r.deterministic_class == "B"
    assert bars[det].get_hatch() == "xx"
    assert mcolors.to_hex(bars[det].get_facecolor()) != mcolors.to_hex(bars[0].get_facecolor())
    (level,) = [ln for ln in ax.lines if ln.get_gid() == "robust_level"]
    assert level.get_ydata()[0] == pytest.approx(90.0) and level.get_linestyle() == "--"
    assert not r.robust
    assert ax.get_title().startswith(f"not robust: most likely class {r.most_likely_class} with")
    assert f"{r.n_samples:,} samples" in ax.get_title()
    save(ax, tmp_path, "classes_not_robust")

    robust = dataclasses.replace(r, robust=True, robust_level=0.5)
    ax = plot_class_probabilities(robust)
    p = round(100 * r.probability)
    assert ax.get_title().split("\n")[0] == f"class {r.most_likely_class} with {p} % probability"
    save(ax, tmp_path, "classes_robust")


def test_class_probabilities_reject_wrong_input():
    with pytest.raises(PcfError, match=r"'probabilities'.*\n.*grade"):
        plot_class_probabilities(pcflab.summary(xr.Dataset({"total": ("sample", np.arange(5.0))})))


# ---------------------------------------------------------------------------------------------
# variance shares
# ---------------------------------------------------------------------------------------------


def test_variance_share_bars_are_the_shares_coloured_by_the_sign_of_rho(tmp_path):
    df = shares_table()
    assert df["share"].sum() == pytest.approx(1.0)
    ax = plot_variance_shares(df, top=15)
    patches = sorted((p for c in ax.containers for p in c), key=lambda p: p.get_y())
    assert len(patches) == 15
    assert [p.get_width() for p in patches] == pytest.approx(100 * df["share"].values[:15])
    negative = df["rho"].values[:15] < 0
    assert negative.any() and (~negative).any()
    for p, neg in zip(patches, negative, strict=True):
        assert mcolors.to_hex(p.get_facecolor()) == ("#0072b2" if neg else "#e69f00")
        assert p.get_hatch() == (None if neg else "//")
    assert "Σρ² = 0.87" in ax.get_title() and "87 %" in ax.get_title()
    row = df.iloc[0]
    assert f"{100 * row.share:.1f} %  (ρ = +{row.rho:.2f})" in {t.get_text() for t in ax.texts}
    neg = df[df["rho"] < 0].iloc[0]
    assert f"(ρ = \N{MINUS SIGN}{-neg.rho:.2f})" in "".join(t.get_text() for t in ax.texts)
    save(ax, tmp_path, "variance_shares")


def test_variance_shares_reject_wrong_input():
    with pytest.raises(PcfError, match=r"'share'.*\n.*variance"):
        plot_variance_shares(shares_table().drop(columns="share"))
