"""``plot_comparison``: what it draws is checked against the comparison it is given."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import xarray as xr  # noqa: E402

import pcflab  # noqa: E402
from pcflab.core._errors import PcfError  # noqa: E402
from pcflab.reporting._plots import plot_comparison  # noqa: E402

PRODUCTS = ["steel/bf-bof-plate", "steel/bf-bof-rebar", "steel/bf-bof-wire-rod"]


@pytest.fixture(scope="module")
def comparison():
    return pcflab.compare_products(PRODUCTS, n_samples=2000, seed=3)


def _save(ax, tmp_path, name):
    ax.figure.savefig(tmp_path / f"{name}.png", dpi=80)
    plt.close(ax.figure)


def test_rank_bars_are_the_rank_probabilities(comparison, tmp_path):
    ax = plot_comparison(comparison)
    order = list(comparison["product"].values[np.argsort(comparison["mean"].values, kind="stable")])
    assert [t.get_text().replace("\n", "") for t in ax.get_yticklabels()] == order
    for r in range(len(PRODUCTS)):
        (bars,) = [c for c in ax.containers if c.get_label() == f"rank {r + 1}"]
        widths = np.array([b.get_width() for b in bars])
        expected = 100 * comparison["rank_probability"].sel(product=order, rank=r + 1).values
        np.testing.assert_allclose(widths, expected)
    rights = sum(np.array([b.get_width() for b in c]) for c in ax.containers)
    np.testing.assert_allclose(rights, 100.0)  # each product's bar adds up to 100 %
    assert "rank 1 = lowest" in ax.get_xlabel()
    _save(ax, tmp_path, "ranks")


def test_difference_intervals_and_means(comparison, tmp_path):
    reference = "steel/bf-bof-rebar"
    ax = plot_comparison(comparison, kind="differences", reference=reference)
    others = [t.get_text().replace("\n", "") for t in ax.get_yticklabels()]
    assert sorted(others) == sorted(p for p in PRODUCTS if p != reference)
    (interval,) = [c for c in ax.collections if c.get_gid() == "interval"]
    (mean,) = [ln for ln in ax.lines if ln.get_gid() == "mean"]
    for k, p in enumerate(others):
        x = comparison["total"].sel(product=p).values - comparison["total"].sel(product=reference).values
        (start, end) = interval.get_segments()[k][:, 0]
        assert (start, end) == pytest.approx(tuple(np.quantile(x, [0.025, 0.975])))
        assert mean.get_xdata()[k] == pytest.approx(x.mean())
        q = np.mean(x < 0)
        written = "> 99 %" if 0.995 <= q < 1 else "< 1 %" if 0 < q < 0.005 else f"{100 * q:.0f} %"
        assert any(f"P(lower) {written}" in t.get_text() for t in ax.texts)
    assert [ln for ln in ax.lines if ln.get_gid() == "zero"]
    assert reference in ax.get_xlabel() and "kg CO₂e" in ax.get_xlabel()
    _save(ax, tmp_path, "differences")
    default = plot_comparison(comparison, kind="differences")  # from the lowest mean
    lowest = str(comparison["product"].values[int(np.argmin(comparison["mean"].values))])
    assert lowest in default.get_xlabel()
    plt.close(default.figure)


def test_wrong_input_is_refused(comparison):
    with pytest.raises(PcfError, match=r"'mean'.*\n.*compare_products"):
        plot_comparison(xr.Dataset({"total": ("sample", np.arange(5.0))}))
    with pytest.raises(PcfError, match="not a product of the comparison"):
        plot_comparison(comparison, kind="differences", reference="steel/nope")
    with pytest.raises(ValueError, match="kind must be"):
        plot_comparison(comparison, kind="violin")
