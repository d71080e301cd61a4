"""Global sensitivity analysis on the unit hypercube (``pcflab.methods._sensitivity``).

Every index is checked against a closed form that does not come from SALib:
shared/reference/VALIDATION.md sections 1.3 (Ishigami), 1.4 (Sobol G-function), 1.5 (linear
models) and 1.6 (Morris on known functions). Sobol estimates must lie within their own
bootstrap half-width of the analytic value and, as the bootstrap half-width is
conservative (VALIDATION.md 1.7), within a fixed absolute tolerance too.
"""

import warnings

import numpy as np
import pytest
import xarray as xr

from pcflab.methods._sensitivity import RANKING, design_error, gsa, gsa_given_data, unit_problem

# --- test functions of uniforms u in (0, 1)^k --------------------------------------------

ISHIGAMI_S1 = np.array([0.313905, 0.442411, 0.0])
ISHIGAMI_ST = np.array([0.557589, 0.442411, 0.243684])
ISHIGAMI_S13 = 0.243684  # V13 / V = (8 b^2 pi^8 / 225) / 13.844588

LINEAR_B = np.array([5.0, 4.0, 3.0, 2.0, 1.0])
LINEAR_S = LINEAR_B**2 / np.sum(LINEAR_B**2)  # b_i^2 Var(U) / sum_j b_j^2 Var(U), Var(U) = 1/12 cancels
LINEAR_NAMES = ["x1", "x2", "x3", "x4", "x5"]

G_A = np.array([0.0, 1.0, 4.5, 9.0, 99.0, 99.0, 99.0, 99.0])
G_NAMES = [f"x{i + 1}" for i in range(8)]


def ishigami(u, a=7.0, b=0.1):
    """Ishigami function of X ~ U(-pi, pi)^3, mapped from the uniforms."""
    x = -np.pi + 2.0 * np.pi * u
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def linear(u):
    """Y = 5 x1 + 4 x2 + 3 x3 + 2 x4 + x5 on U(0, 1) (SALib's linear_model_2)."""
    return u @ LINEAR_B


def g_function(u):
    """Sobol G-function, G = prod (|4 x_i - 2| + a_i) / (1 + a_i)."""
    return np.prod((np.abs(4.0 * u - 2.0) + G_A) / (1.0 + G_A), axis=1)


def g_analytic():
    """S1 and ST of the G-function: V_i = 1 / (3 (1 + a_i)^2), V = prod(1 + V_i) - 1."""
    v = 1.0 / (3.0 * (1.0 + G_A) ** 2)
    total = np.prod(1.0 + v) - 1.0
    st = v * np.prod(1.0 + v) / (1.0 + v) / total
    return v / total, st


def test_g_analytic_matches_the_reference_table():
    """The closed form used below against the numbers of VALIDATION.md 1.4."""
    s1, st = g_analytic()
    np.testing.assert_allclose(s1[:4], [0.716192, 0.179048, 0.023676, 0.007162], atol=1e-6)
    np.testing.assert_allclose(st[:4], [0.787144, 0.242198, 0.034317, 0.010460], atol=1e-6)


def within(estimate, conf, analytic, atol):
    """Estimate within its bootstrap half-width and within ``atol`` of the analytic value."""
    error = np.abs(np.asarray(estimate) - analytic)
    assert np.all(error <= np.asarray(conf)), f"errors {error} exceed the half-widths {np.asarray(conf)}"
    assert np.all(error <= atol), f"errors {error} exceed {atol}"


# --- Sobol ----------------------------------------------------------------------------------


def test_sobol_ishigami_first_and_total_order():
    # N = 1024: VALIDATION.md 1.3 gives max errors of 0.004 (S1) and 0.0014 (ST) against
    # half-widths of 0.05-0.08, and the analytic values inside +-conf in 40 of 40 seeds.
    ds = gsa("sobol", ishigami, ["x1", "x2", "x3"], 1024, seed=42)
    within(ds["S1"], ds["S1_conf"], ISHIGAMI_S1, atol=0.05)
    within(ds["ST"], ds["ST_conf"], ISHIGAMI_ST, atol=0.05)
    assert ds.attrs["runs"] == 1024 * (3 + 2)


def test_sobol_ishigami_second_order():
    ds = gsa("sobol", ishigami, ["x1", "x2", "x3"], 1024, seed=42, second_order=True)
    assert ds["S2"].dims == ("input", "input_2")
    s2, conf = ds["S2"].values, ds["S2_conf"].values
    np.testing.assert_array_equal(s2, s2.T)  # mirrored, diagonal NaN
    assert np.all(np.isnan(np.diag(s2)))
    analytic = np.array([[np.nan, 0.0, ISHIGAMI_S13], [0.0, np.nan, 0.0], [ISHIGAMI_S13, 0.0, np.nan]])
    off = ~np.eye(3, dtype=bool)
    within(s2[off], conf[off], analytic[off], atol=0.05)
    within(ds["S1"], ds["S1_conf"], ISHIGAMI_S1, atol=0.05)  # the larger design keeps S1 right
    assert ds.attrs["runs"] == 1024 * (2 * 3 + 2)


def test_sobol_linear_model():
    ds = gsa("sobol", linear, LINEAR_NAMES, 1024, seed=42)
    within(ds["S1"], ds["S1_conf"], LINEAR_S, atol=0.02)
    within(ds["ST"], ds["ST_conf"], LINEAR_S, atol=0.02)


def test_sobol_g_function():
    # N = 2048 (SALib's own check is atol 1e-2 at N = 4096; observed errors here are < 0.006)
    s1, st = g_analytic()
    ds = gsa("sobol", g_function, G_NAMES, 2048, seed=42)
    within(ds["S1"], ds["S1_conf"], s1, atol=0.02)
    within(ds["ST"], ds["ST_conf"], st, atol=0.02)


def test_sobol_groups_add_up_for_an_additive_model():
    """A group of an additive model explains the sum of its members' shares."""
    groups = ["big", "big", "x3", "small", "small"]
    ds = gsa("sobol", linear, LINEAR_NAMES, 1024, seed=42, groups=groups)
    assert list(ds["input"].values) == ["big", "x3", "small"]
    analytic = [LINEAR_S[0] + LINEAR_S[1], LINEAR_S[2], LINEAR_S[3] + LINEAR_S[4]]
    within(ds["S1"], ds["S1_conf"], analytic, atol=0.03)
    within(ds["ST"], ds["ST_conf"], analytic, atol=0.03)
    assert ds.attrs["runs"] == 1024 * (3 + 2)


# --- Morris ---------------------------------------------------------------------------------


@pytest.mark.parametrize("margin", [0.0, 0.005, 0.1])
def test_morris_linear_model_is_exact(margin):
    """Elementary effects of a linear function are its coefficients (VALIDATION.md 1.6),
    per unit of the uniform quantile whatever the grid's margin."""
    ds = gsa("morris", linear, LINEAR_NAMES, 10, seed=1, levels=4, morris_margin=margin)
    np.testing.assert_allclose(ds["mu_star"], LINEAR_B, rtol=1e-12)
    np.testing.assert_allclose(ds["mu"], LINEAR_B, rtol=1e-12)
    np.testing.assert_allclose(ds["sigma"], 0.0, atol=1e-12)
    np.testing.assert_allclose(ds["mu_star_conf"], 0.0, atol=1e-12)
    assert ds.attrs["runs"] == 10 * (5 + 1)


def test_morris_ishigami_x2_is_exact():
    """x2 steps between -pi and pi/3 or -pi/3 and pi: |a sin^2(pi/3)| / (2/3) = 7.875."""
    ds = gsa("morris", ishigami, ["x1", "x2", "x3"], 20, seed=3, levels=4, morris_margin=0.0)
    assert ds["mu_star"].sel(input="x2") == pytest.approx(7.875, rel=1e-12)


def test_morris_ranks_the_g_function():
    ds = gsa("morris", g_function, G_NAMES, 20, seed=42)
    order = list(ds["input"].values[np.argsort(-ds["mu_star"].values)])
    assert order[:4] == ["x1", "x2", "x3", "x4"]
    # the four with a = 99 are each under a tenth of x4's mu*
    assert ds["mu_star"].values[4:].max() < 0.1 * ds["mu_star"].values[3]


def test_morris_groups():
    groups = ["big", "big", "x3", "small", "small"]
    ds = gsa("morris", linear, LINEAR_NAMES, 10, seed=1, groups=groups)
    assert list(ds["input"].values) == ["big", "x3", "small"]
    # a group's members move in one step, each up or down: for a linear function its
    # elementary effect is |b1 +- b2|, so mu* lies between |b1 - b2| and b1 + b2
    mu_star = ds["mu_star"]
    assert 1.0 <= mu_star.sel(input="big") <= 9.0 and 1.0 <= mu_star.sel(input="small") <= 3.0
    assert mu_star.sel(input="x3") == pytest.approx(3.0, rel=1e-12)  # a group of one is exact
    assert np.isnan(ds["sigma"].sel(input="big")) and ds["sigma"].sel(input="x3") == pytest.approx(0.0, abs=1e-12)
    assert ds.attrs["runs"] == 10 * (3 + 1)


# --- FAST and RBD-FAST ----------------------------------------------------------------------


def test_fast_ishigami():
    # Extended FAST with M = 4 harmonics: S1 errors are < 0.007 at n = 1024; its ST picks up
    # some interference (x2: 0.463 against 0.442), hence the looser ST tolerance.
    ds = gsa("fast", ishigami, ["x1", "x2", "x3"], 1024, seed=42)
    np.testing.assert_allclose(ds["S1"], ISHIGAMI_S1, atol=0.02)
    np.testing.assert_allclose(ds["ST"], ISHIGAMI_ST, atol=0.03)
    assert set(ds.data_vars) == {"S1", "ST"}
    assert ds.attrs["runs"] == 1024 * 3


def test_fast_linear_model():
    ds = gsa("fast", linear, LINEAR_NAMES, 2048, seed=42)
    np.testing.assert_allclose(ds["S1"], LINEAR_S, atol=0.01)
    np.testing.assert_allclose(ds["ST"], LINEAR_S, atol=0.01)


def test_rbd_fast_ishigami():
    # RBD-FAST's estimate spreads by about conf / 1.96 = 0.02 at n = 2048 (up to 0.03 seen over
    # seeds 1, 2, 3, 42); atol 0.05 is SALib's own Ishigami tolerance
    ds = gsa("rbd_fast", ishigami, ["x1", "x2", "x3"], 2048, seed=42)
    within(ds["S1"], ds["S1_conf"], ISHIGAMI_S1, atol=0.05)
    assert ds.attrs["runs"] == 2048


def test_rbd_fast_linear_model():
    ds = gsa("rbd_fast", linear, LINEAR_NAMES, 2048, seed=42)
    within(ds["S1"], ds["S1_conf"], LINEAR_S, atol=0.05)


# --- given data: delta and PAWN -------------------------------------------------------------


@pytest.fixture(scope="module")
def linear_sample():
    rng = np.random.default_rng(20261201)
    x = rng.random((2000, 5))
    return x, linear(x)


# Delta and PAWN have no closed form here; the test is the ranking, which must follow |b|.
# Over data and bootstrap seeds 1-8 at n = 2000 both ranked all five inputs right 8 times of 8,
# but the gap between x4 and x5 can be as small as 0.004 in delta (SALib 1.6 estimates delta on
# a bootstrap resample of the sample, which adds noise that delta_conf does not show).


def test_delta_ranks_the_linear_model(linear_sample):
    x, y = linear_sample
    ds = gsa_given_data("delta", x, y, LINEAR_NAMES, seed=1, num_resamples=20)
    assert list(ds["input"].values[np.argsort(-ds["delta"].values)]) == LINEAR_NAMES
    assert np.all(ds["delta_conf"] > 0)
    # The given-data first-order Sobol index beside it, against the analytic shares. SALib
    # computes it on one bootstrap resample: errors up to 0.065 were seen over seeds 1-3.
    np.testing.assert_allclose(ds["S1"], LINEAR_S, atol=0.08)
    assert ds.attrs["runs"] == 0 and ds.attrs["n"] == 2000


def test_pawn_ranks_the_linear_model(linear_sample):
    x, y = linear_sample
    ds = gsa_given_data("pawn", x, y, LINEAR_NAMES, seed=1)
    assert list(ds["input"].values[np.argsort(-ds["median"].values)]) == LINEAR_NAMES
    assert np.all((ds["minimum"] <= ds["median"]) & (ds["median"] <= ds["maximum"]))


@pytest.mark.parametrize("method", ["delta", "pawn"])
def test_given_data_indices_depend_on_ranks_only(linear_sample, method):
    """A monotone transformation of an input (here exp, a lognormal-like skew) changes nothing."""
    x, y = linear_sample
    a = gsa_given_data(method, x, y, LINEAR_NAMES, seed=1, num_resamples=5)
    b = gsa_given_data(method, np.exp(4 * x), y, LINEAR_NAMES, seed=1, num_resamples=5)
    xr.testing.assert_identical(a, b)


# --- layout, reproducibility, side effects --------------------------------------------------

VARIABLES = {
    "sobol": {"S1", "S1_conf", "ST", "ST_conf"},
    "morris": {"mu", "mu_star", "mu_star_conf", "sigma"},
    "fast": {"S1", "ST"},
    "rbd_fast": {"S1", "S1_conf"},
}


@pytest.mark.parametrize("method", ["sobol", "morris", "fast", "rbd_fast"])
def test_layout_and_reproducibility(method):
    n = {"sobol": 256, "morris": 8, "fast": 128, "rbd_fast": 256}[method]
    ds = gsa(method, ishigami, ["x1", "x2", "x3"], n, seed=5, output_units="m")
    assert set(ds.data_vars) == VARIABLES[method]
    assert RANKING[method] in ds.data_vars
    assert ds["input"].dims == ("input",) and list(ds["input"].values) == ["x1", "x2", "x3"]
    for name, var in ds.data_vars.items():
        assert var.attrs["long_name"]
        expected = "m per unit of the uniform quantile" if method == "morris" else "1"
        assert var.attrs["units"] == expected, name
        if name.endswith("_conf"):
            assert var.attrs["conf_level"] == 0.95 and "half-width" in var.attrs["long_name"]
    assert {"method", "n", "seed", "runs", "conf_level", "salib_version"} <= set(ds.attrs)
    xr.testing.assert_identical(ds, gsa(method, ishigami, ["x1", "x2", "x3"], n, seed=5, output_units="m"))
    other = gsa(method, ishigami, ["x1", "x2", "x3"], n, seed=6, output_units="m")
    assert not ds.equals(other)


def test_salib_global_state_is_left_alone(linear_sample):
    """SALib's FAST, delta and PAWN seed np.random and change the warning format."""
    x, y = linear_sample
    np.random.seed(123)  # noqa: NPY002
    expected = np.random.random(3)  # noqa: NPY002
    np.random.seed(123)  # noqa: NPY002
    formatwarning, filters = warnings.formatwarning, list(warnings.filters)
    gsa("fast", linear, LINEAR_NAMES, 128, seed=1)
    gsa_given_data("delta", x[:200], y[:200], LINEAR_NAMES, seed=1, num_resamples=3)
    gsa_given_data("pawn", x, y, LINEAR_NAMES, seed=1)
    np.testing.assert_array_equal(np.random.random(3), expected)  # noqa: NPY002
    assert warnings.formatwarning is formatwarning and warnings.filters == filters


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "n", "match"),
    [
        ("sobol", 1000, r"power of two.*got 1000.*use n_samples = 512 or 1024"),
        ("sobol", 3000, r"use n_samples = 2048 or 4096"),
        ("sobol", 1, r"power of two of at least 2"),
        ("morris", 1, r"at least 2 trajectories"),
        ("fast", 64, r"FAST needs n > 4 M\^2 = 64"),
        ("rbd_fast", 40, r"RBD-FAST needs n > 4 M = 40"),
        ("sobol", 512.0, r"must be an integer"),
        ("lhs", 512, r"unknown design method 'lhs'"),
    ],
)
def test_bad_sample_sizes(method, n, match):
    calls = []
    with pytest.raises(ValueError, match=match):
        gsa(method, lambda u: calls.append(u) or linear(u), LINEAR_NAMES, n)
    assert not calls  # raised before the model ran


def test_design_error_says_what_and_how():
    assert design_error("sobol", 1024) is None
    assert design_error("sobol", 1000) == (
        "Sobol's design needs a power of two as base sample size n_samples, got 1000",
        "use n_samples = 512 or 1024",
    )
    assert "does not report indices per group" in design_error("fast", 1024, n_groups=2)[0]
    assert design_error("morris", 10, levels=3)[0] == "Morris needs an even number of grid levels of at least 2, got 3"


def test_bad_groups_and_options():
    with pytest.raises(ValueError, match="fast does not report indices per group: use method='sobol'"):
        gsa("fast", linear, LINEAR_NAMES, 128, groups=["a", "a", "b", "b", "b"])
    with pytest.raises(ValueError, match="Morris needs at least two groups, got 1"):
        gsa("morris", linear, LINEAR_NAMES, 10, groups=["a"] * 5)
    with pytest.raises(ValueError, match="4 groups given for 5 variables"):
        gsa("sobol", linear, LINEAR_NAMES, 128, groups=["a", "a", "b", "b"])
    with pytest.raises(ValueError, match="second-order indices come from Sobol's design only"):
        gsa("morris", linear, LINEAR_NAMES, 10, second_order=True)
    with pytest.raises(ValueError, match="names must be unique"):
        unit_problem(["a", "a"])


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nonfinite_output_is_an_error_not_zeros(bad):
    def func(u):
        y = linear(u)
        y[:3] = bad
        return y

    with pytest.raises(ValueError, match=r"NaN or infinite in 3 of 896 runs; SALib would silently return zeros"):
        gsa("sobol", func, LINEAR_NAMES, 128)


def test_constant_output_is_an_error():
    with pytest.raises(ValueError, match="the same in all 896 runs"):
        gsa("sobol", lambda u: np.ones(len(u)), LINEAR_NAMES, 128)


def test_wrong_output_length():
    with pytest.raises(ValueError, match="returned 1 values for 896 samples"):
        gsa("sobol", lambda u: np.ones(1), LINEAR_NAMES, 128)


def test_bad_given_data(linear_sample):
    x, y = linear_sample
    with pytest.raises(ValueError, match="they do not fit"):
        gsa_given_data("delta", x[:, :4], y, LINEAR_NAMES)
    with pytest.raises(ValueError, match="delta needs at least 100 samples"):
        gsa_given_data("delta", x[:50], y[:50], LINEAR_NAMES)
    y_bad = y.copy()
    y_bad[[3, 7]] = np.nan
    with pytest.raises(ValueError, match="NaN or infinite in 2 of 2000 samples"):
        gsa_given_data("pawn", x, y_bad, LINEAR_NAMES)
    x_const = x.copy()
    x_const[:, 2] = 0.5
    with pytest.raises(ValueError, match="inputs constant in the sample .*: x3"):
        gsa_given_data("pawn", x_const, y, LINEAR_NAMES)
    with pytest.raises(ValueError, match="unknown given-data method 'sobol'"):
        gsa_given_data("sobol", x, y, LINEAR_NAMES)
