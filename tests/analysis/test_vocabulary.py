"""One vocabulary across the analyses: the same names and order, old calls that warn and give
the same result, Monte Carlo results passed back in (identical to simulating again), and the
errors of a result that does not belong to the call."""

import contextlib
import inspect
import warnings

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import pcflab
from pcflab.analysis import exchange_contributions, prepare, product_dqr
from pcflab.core import PcfError
from pcflab.methods import load_scheme
from tests.conftest import factor_row

BOF = "steel/bf-bof-hot-rolled-coil"
EAF = "steel/eaf-hot-rolled-bar"
SLIDING = "responsiblesteel-progress-levels-2025"
FIXED = "espr-steel-hrc-2026-draft"
PERCENTILE = "pcflab-percentile-steel"
N = 2000

#: 1 t of product: fossil CO2 (uncertain), 10 kg fossil CH4 and 2 kg N2O [kg per t]. Under AR5
#: GWP100 it sits just below ESPR HRC class A's 1.79 t CO2e/t, under AR6 above it.
GASES = """
pcflab_model: 1
id: test/three-gases
name: Three gases
sector: test
region: CN-SD
year: 2023
functional_unit: {amount: 1, unit: t, description: one tonne of product}
reference_process: make
parameters:
  co2: {value: 975, unit: kg, uncertainty: {distribution: normal, sd: 5}}
processes:
  make:
    name: Make
    stage: production
    reference_product: {name: product, amount: 1, unit: t}
    emissions:
      - {gas: co2_fossil, amount: co2, unit: kg}
      - {gas: ch4_fossil, amount: 10, unit: kg}
      - {gas: n2o, amount: 2, unit: kg}
"""
#: GWP100 of fossil CH4 and N2O: IPCC AR5 WG1 Table 8.7 (no climate-carbon feedback) and
#: AR6 WG1 Table 7.15 [kg CO2e/kg]
PUBLISHED = {"AR5": {"ch4": 28.0, "n2o": 265.0}, "AR6": {"ch4": 29.8, "n2o": 273.0}}

#: every public analysis of the room, with its own subject arguments (between model and factors)
SUBJECTS = {
    "footprint": (),
    "compare_methods": (),
    "simulate": ("n_samples", "seed"),
    "evaluate": ("theta",),
    "simulate_until": ("rel_precision", "quantity"),
    "sensitivity": ("method",),
    "contributions": ("by",),
    "tornado": ("low", "high"),
    "variance_shares": (),
    "data_quality": (),
    "grade": ("scheme",),
    "product_dqr": (),
    "exchange_contributions": (),
    "prepare": (),
}
SAMPLING = {"simulate_until", "sensitivity", "variance_shares", "grade"}  # n_samples/seed after gwp_set
WITH_RESULT = {"sensitivity", "variance_shares", "grade"}
#: prepare(model, factors, profile) keeps profile positional: the room calls it so everywhere,
#: and its order is the vocabulary's (it has no gwp_set)
POSITIONAL_PROFILE = {"prepare"}


def _function(name):
    return getattr(pcflab, name, None) or getattr(pcflab.analysis, name)


@pytest.fixture(scope="module")
def compiled():
    return {m: prepare(m) for m in (BOF, EAF)}


@pytest.fixture
def gases(model_file):
    return prepare(pcflab.load_model(model_file(GASES, "gases.yaml")))


# --- the names and their order ----------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SUBJECTS))
def test_every_analysis_takes_the_names_in_one_order(name):
    params = inspect.signature(_function(name)).parameters
    names = list(params)
    assert names[0] == "model", name
    assert tuple(names[1 : 1 + len(SUBJECTS[name])]) == SUBJECTS[name], name
    common = [n for n in ("factors", "profile", "gwp_set") if n in names]
    assert common == [n for n in names if n in ("factors", "profile", "gwp_set")]  # in this order
    assert "factors" in names, name
    after = names.index("factors")
    assert names[after : after + len(common)] == common, f"{name}: factors, profile, gwp_set together"
    if name in SAMPLING:
        assert names[after + len(common) : after + len(common) + 2] in (["n_samples", "seed"], ["seed", "start"])
    if name in WITH_RESULT:
        assert names[names.index("seed") + 1] == "result", name
    for n in ("profile", "gwp_set", "result"):
        if n in params and not (name in POSITIONAL_PROFILE and n == "profile"):
            assert params[n].kind is inspect.Parameter.KEYWORD_ONLY, f"{name}({n}=...) must be keyword-only"
    assert not {"n", "samples", "cm"} & set(names), name


# --- old spellings warn, point at the caller, and give the same result ----------------------------


@contextlib.contextmanager
def _warns_here(match):
    """``pytest.warns(DeprecationWarning)`` that also checks the warning points at this file."""
    with pytest.warns(DeprecationWarning, match=match) as record:
        yield record
    assert {w.filename for w in record if "since pcflab" in str(w.message)} == {__file__}


def test_simulate_samples_is_n_samples(gases):
    new = pcflab.simulate(gases, n_samples=300, seed=4)
    with _warns_here(r"simulate\(samples=\.\.\.\) is deprecated since pcflab 0.2: use n_samples"):
        old = pcflab.simulate(gases, samples=300, seed=4)
    xr.testing.assert_identical(old, new)
    with pytest.raises(TypeError, match="got both 'samples' and its new name 'n_samples'"):
        pcflab.simulate(gases, samples=3, n_samples=3)


def test_simulate_old_positional_gwp_set(gases):
    new = pcflab.simulate(gases, 200, 4, None, gwp_set="AR5", chunk_size=64)
    with _warns_here(r"simulate\(\): passing gwp_set, chunk_size by position is deprecated"):
        old = pcflab.simulate(gases, 200, 4, None, "AR5", 64)
    xr.testing.assert_identical(old, new)
    assert new.attrs["gwp_set"] == "AR5"
    with pytest.raises(TypeError, match="at most 11 positional arguments"):
        pcflab.simulate(gases, 1, 1, None, "AR5", 64, False, None, "random", "cube", None, None)


def test_footprint_and_evaluate_old_order_gwp_set_before_profile(compiled):
    model = compiled[BOF].model
    new = pcflab.footprint(model, None, profile="pef", gwp_set="AR5")
    with _warns_here(r"footprint\(\): passing gwp_set, profile by position is deprecated since pcflab 0.2"):
        old = pcflab.footprint(model, None, "AR5", "pef")
    xr.testing.assert_identical(old, new)
    assert new.attrs["gwp_set"] == "AR5" and new.attrs["method_profile"] == "pef"
    theta = np.tile(compiled[BOF].nominal, (3, 1))
    new = pcflab.evaluate(compiled[BOF], theta, gwp_set="AR4")
    with _warns_here(r"evaluate\(\): passing gwp_set by position"):
        old = pcflab.evaluate(compiled[BOF], theta, None, "AR4")
    xr.testing.assert_identical(old, new)
    with pytest.raises(TypeError, match="multiple values for argument 'gwp_set'"):
        pcflab.footprint(model, None, "AR5", gwp_set="AR6")


@pytest.mark.parametrize(
    ("name", "subject", "old"),
    [
        ("contributions", ("stage",), ("pef", "AR5")),
        ("tornado", (0.1, 0.9), ("pef", "AR5")),
        ("data_quality", (), ("pef", "AR5")),
    ],
)
def test_profile_and_gwp_set_by_position_still_work(compiled, name, subject, old):
    func = _function(name)
    new = func(compiled[EAF], *subject, None, profile=old[0], gwp_set=old[1])
    with _warns_here(rf"{name}\(\): passing profile, gwp_set by position"):
        got = func(compiled[EAF], *subject, None, *old)
    if isinstance(new, pd.DataFrame):
        pd.testing.assert_frame_equal(got, new, check_exact=True)
        assert got.attrs == new.attrs and new.attrs["gwp_set"] == "AR5" and new.attrs["method_profile"] == "pef"
    else:
        assert got.as_dict() == new.as_dict() and new.gwp_set == "AR5" and new.method_profile == "pef"


def test_compare_methods_profiles_by_position(compiled):
    new = pcflab.compare_methods(compiled[EAF].model, None, profiles=["iso14067", "pef"])
    with _warns_here(r"compare_methods\(\): passing profiles by position"):
        old = pcflab.compare_methods(compiled[EAF].model, None, ["iso14067", "pef"])
    pd.testing.assert_frame_equal(old, new, check_exact=True)
    assert list(new.index) == ["iso14067", "pef"]


def test_product_dqr_and_exchange_contributions_take_model(compiled):
    cm = compiled[EAF]
    new = product_dqr(cm, gwp_set="AR5")
    with _warns_here(r"product_dqr\(\): passing gwp_set by position"):
        assert product_dqr(cm, "AR5") == new
    with _warns_here(r"product_dqr\(cm=\.\.\.\) is deprecated since pcflab 0.2: use model"):
        assert product_dqr(cm=cm) == product_dqr(cm)
    assert product_dqr(EAF) == product_dqr(cm)  # any model, prepared here
    new = exchange_contributions(cm, gwp_set="AR5")
    with _warns_here(r"exchange_contributions\(\): passing gwp_set by position"):
        pd.testing.assert_frame_equal(exchange_contributions(cm, "AR5"), new, check_exact=True)
    with _warns_here(r"exchange_contributions\(cm=\.\.\.\)"):
        pd.testing.assert_frame_equal(exchange_contributions(cm=cm), exchange_contributions(cm), check_exact=True)


def test_sensitivity_n_is_n_samples(compiled):
    cm = compiled[EAF]
    new = pcflab.sensitivity(cm, "morris", n_samples=4, seed=2)
    with _warns_here(r"sensitivity\(n=\.\.\.\) is deprecated since pcflab 0.2: use n_samples"):
        old = pcflab.sensitivity(cm, "morris", n=4, seed=2)
    xr.testing.assert_identical(old, new)
    with _warns_here(r"sensitivity\(\): passing n_samples, seed by position"):
        old = pcflab.sensitivity(cm, "morris", 4, 2)
    xr.testing.assert_identical(old, new)
    assert new.attrs["n_samples"] == new.attrs["n"] == 4


def test_grade_old_positional_order(compiled):
    new = pcflab.grade(compiled[EAF], FIXED, n_samples=300, seed=5, robust=0.8)
    with _warns_here(r"grade\(\): passing n_samples, seed, recycled_share, robust by position"):
        old = pcflab.grade(compiled[EAF], FIXED, 300, 5, "scrap_share", 0.8)
    assert old.as_dict() == new.as_dict() and new.n_samples == 300 and new.seed == 5


def test_simulate_until_old_positional_seed(gases):
    new = pcflab.simulate_until(gases, 0.5, "mean", seed=9, start=100)
    with _warns_here(r"simulate_until\(\): passing seed, start by position"):
        old = pcflab.simulate_until(gases, 0.5, "mean", 9, 100)
    xr.testing.assert_identical(old, new)
    assert new.attrs["seed"] == 9 and new.attrs["n_samples"] == 100


def test_variance_shares_old_forms(compiled):
    cm = compiled[BOF]
    mc = pcflab.simulate(cm, N, 3, keep="totals", record="all")
    new = pcflab.variance_shares(cm, result=mc)
    for call in (
        lambda: pcflab.variance_shares(mc, model=cm),
        lambda: pcflab.variance_shares(mc),  # a shipped model: found by the result's model_id
    ):
        with _warns_here(r"variance_shares\(result, model=\.\.\.\) is deprecated since pcflab 0.2"):
            old = call()
        pd.testing.assert_frame_equal(old, new, check_exact=True)
        assert old.attrs == new.attrs
    with _warns_here(r"variance_shares\(n=\.\.\.\) is deprecated"):
        old = pcflab.variance_shares(cm, n=N, seed=3)
    pd.testing.assert_frame_equal(old, new, check_exact=True)
    with _warns_here(r"variance_shares\(\): passing n_samples, seed by position"):
        old = pcflab.variance_shares(cm, N, 3)
    pd.testing.assert_frame_equal(old, new, check_exact=True)


def test_sensitivity_correlation_warning_points_at_the_caller(model_file, compiled):
    text = GASES.replace(
        "processes:",
        "  x: {value: 1, unit: kg, uncertainty: {distribution: uniform, min: 0, max: 2}}\nprocesses:",
    ).replace("amount: 2, unit: kg}", "amount: x, unit: kg}")
    text += "correlations:\n  - {parameters: [co2, x], spearman: 0.5}\n"
    cm = prepare(pcflab.load_model(model_file(text, "corr.yaml")))
    for kwargs in ({"n_samples": 4}, {"n": 4}):  # also under renamed_arguments' wrapper
        with pytest.warns(UserWarning, match="declares 1 rank correlations") as record:
            warnings.simplefilter("ignore", DeprecationWarning)
            pcflab.sensitivity(cm, "morris", **kwargs)
        assert [w.filename for w in record if w.category is UserWarning] == [__file__]


# --- result=: the same numbers as simulating again --------------------------------------------


def test_grade_of_a_result_equals_grade_simulating(compiled):
    cm = compiled[BOF]
    here = pcflab.grade(cm, SLIDING, n_samples=N, seed=7)
    assert here.recycled_share_parameter == "scrap_share" and len(set(here.probabilities.values())) > 2
    everything = pcflab.simulate(cm, N, 7, record="all")  # the share from theta, a kept cube
    share_only = pcflab.simulate(cm, N, 7, keep="totals", record=["scrap_share"])  # from parameter_scrap_share
    for mc in (everything, share_only):
        assert pcflab.grade(cm, SLIDING, result=mc).as_dict() == here.as_dict()
    # the per-sample share is what is read: a result whose recorded share is shuffled grades otherwise
    shuffled = share_only.copy()
    shuffled["parameter_scrap_share"] = ("sample", share_only["parameter_scrap_share"].values[::-1])
    assert pcflab.grade(cm, SLIDING, result=shuffled).probabilities != here.probabilities
    for scheme, model in ((FIXED, BOF), (PERCENTILE, EAF)):
        here = pcflab.grade(compiled[model], scheme, n_samples=N, seed=11)
        mc = pcflab.simulate(compiled[model], N, 11, keep="totals")
        assert pcflab.grade(compiled[model], scheme, result=mc, n_samples=5, seed=0).as_dict() == here.as_dict()


def test_variance_shares_of_a_result_equal_variance_shares_simulating(compiled):
    cm = compiled[EAF]
    here = pcflab.variance_shares(cm, n_samples=N, seed=2, gwp_set="AR5")
    mc = pcflab.simulate(cm, N, 2, gwp_set="AR5", record="all")
    given = pcflab.variance_shares(cm, result=mc)  # gwp_set: the result's
    pd.testing.assert_frame_equal(given, here, check_exact=True)
    assert given.attrs == here.attrs and here.attrs["gwp_set"] == "AR5"


def test_sensitivity_of_a_result_equals_sensitivity_simulating(compiled):
    cm = compiled[EAF]
    here = pcflab.sensitivity(cm, "pawn", n_samples=N, seed=3)
    given = pcflab.sensitivity(cm, "pawn", seed=3, result=pcflab.simulate(cm, N, 3, record="all"))
    assert (here.attrs.pop("runs"), given.attrs.pop("runs")) == (N, 0)
    assert (here.attrs.pop("given_data"), given.attrs.pop("given_data")) == ("simulated here", "the result passed")
    xr.testing.assert_identical(given, here)


# --- a result that does not belong to the call ------------------------------------------------


def test_a_result_of_another_model(compiled):
    mc = pcflab.simulate(compiled[EAF], 200, 1, record="all")
    for call in (
        lambda: pcflab.grade(compiled[BOF], FIXED, result=mc),
        lambda: pcflab.variance_shares(compiled[BOF], result=mc),
        lambda: pcflab.sensitivity(compiled[BOF], "pawn", result=mc),
    ):
        with pytest.raises(PcfError, match="not simulated from model file .*bf-bof.*from model 'steel/eaf"):
            call()


def test_a_result_of_another_profile(compiled):
    mc = pcflab.simulate(EAF, 200, 1, profile="pef", record="all")
    with pytest.raises(PcfError, match="simulated under profile 'pef', not 'iso14067'") as err:
        pcflab.grade(compiled[EAF], FIXED, result=mc)
    assert "profile='pef'" in err.value.hint
    assert pcflab.grade(EAF, FIXED, profile="pef", result=mc).as_dict() == (
        pcflab.grade(EAF, FIXED, profile="pef", n_samples=200, seed=1).as_dict()
    )


def test_a_result_of_another_gwp_set(compiled):
    mc = pcflab.simulate(compiled[BOF], 200, 1, gwp_set="AR5", record="all")
    with pytest.raises(PcfError, match="weighted with AR5 GWP100 values, not AR6") as err:
        pcflab.grade(compiled[BOF], FIXED, gwp_set="AR6", result=mc)
    assert "gwp_set='AR5'" in err.value.hint
    with pytest.raises(PcfError, match="weighted with AR5 GWP100 values, not AR4"):
        pcflab.variance_shares(compiled[BOF], gwp_set="AR4", result=mc)
    with pytest.raises(PcfError, match="weighted with AR5 GWP100 values, not AR6"):
        pcflab.sensitivity(compiled[BOF], "pawn", gwp_set="AR6", result=mc)


def test_a_result_of_another_factor_table(model_file, factor_file):
    model = pcflab.load_model(model_file(GASES, "gases.yaml"))
    one = prepare(model, pcflab.load_factors(factor_file(factor_row(value="0.5"), name="one.csv")))
    other = prepare(model, pcflab.load_factors(factor_file(factor_row(value="0.6"), name="other.csv")))
    mc = pcflab.simulate(one, 200, 1, record="all")
    with pytest.raises(PcfError, match="simulated with another factor table") as err:
        pcflab.variance_shares(other, result=mc)
    assert "factors=" in err.value.hint


def test_a_sliding_scheme_needs_the_sampled_share(compiled):
    mc = pcflab.simulate(compiled[BOF], 200, 1, keep="totals")
    with pytest.raises(PcfError, match="no sampled values of parameter 'scrap_share'") as err:
        pcflab.grade(compiled[BOF], SLIDING, result=mc)
    assert "record='all' or record=['scrap_share']" in err.value.hint
    # a fixed share needs none
    fixed = pcflab.grade(compiled[BOF], SLIDING, result=mc, recycled_share=0.2)
    assert fixed.as_dict() == pcflab.grade(compiled[BOF], SLIDING, n_samples=200, seed=1, recycled_share=0.2).as_dict()


def test_a_result_must_be_a_simulate_result(compiled):
    with pytest.raises(PcfError, match="result must be the xarray.Dataset of pcflab.simulate"):
        pcflab.grade(compiled[EAF], FIXED, result={"total": [1.0]})
    with pytest.raises(PcfError, match=r"no sampled inputs \(theta\)") as err:
        pcflab.variance_shares(compiled[EAF], result=pcflab.simulate(compiled[EAF], 100, 1, keep="totals"))
    assert "record='all'" in err.value.hint


# --- grade under a GWP set ----------------------------------------------------------------------


def test_grade_uses_its_gwp_set_everywhere(gases):
    a_upper = load_scheme(FIXED).classes[0].upper  # 1.79 t CO2e/t
    sim = pcflab.simulate(gases, N, 13, keep="totals", record=["co2"])
    co2 = sim["parameter_co2"].values  # kg per t
    grades = {}
    for gwp_set, g in PUBLISHED.items():
        r = pcflab.grade(gases, FIXED, gwp_set=gwp_set, n_samples=N, seed=13)
        by_hand = (975 + 10 * g["ch4"] + 2 * g["n2o"]) / 1000  # t CO2e/t
        assert r.value == pytest.approx(by_hand, rel=1e-12) and r.gwp_set == gwp_set
        sampled = (co2 + 10 * g["ch4"] + 2 * g["n2o"]) / 1000
        assert r.probabilities["A"] == pytest.approx(np.mean(sampled <= a_upper), abs=1e-12)
        assert r.interval == pytest.approx(tuple(np.quantile(sampled, [0.025, 0.975])), rel=1e-12)
        grades[gwp_set] = r
    assert grades["AR5"].deterministic_class == "A" and grades["AR6"].deterministic_class == "B"
    assert grades["AR5"].probabilities["A"] > 0.5 > grades["AR6"].probabilities["A"]
    default = pcflab.grade(gases, FIXED, n_samples=N, seed=13)  # iso14067: AR6
    assert default.as_dict() == grades["AR6"].as_dict()
    mc = pcflab.simulate(gases, N, 13, gwp_set="AR5", keep="totals")
    assert pcflab.grade(gases, FIXED, result=mc).as_dict() == grades["AR5"].as_dict()  # the result's set


def test_grade_benchmarks_under_its_gwp_set(compiled):
    r = pcflab.grade(compiled[EAF], PERCENTILE, gwp_set="AR4", n_samples=200)
    bench = {m: float(pcflab.footprint(m, gwp_set="AR4")["gwp100"].sum()) for m in (BOF, EAF)}  # kg CO2e/t
    assert r.benchmark == pytest.approx(bench, rel=1e-12)
    ar6 = {m: float(pcflab.footprint(m)["gwp100"].sum()) for m in (BOF, EAF)}
    assert bench[BOF] != pytest.approx(ar6[BOF], rel=1e-9)  # BF-BOF's methane makes the sets differ
