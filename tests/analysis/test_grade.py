"""Graded classes of the shipped models: probabilities checked against an independent count."""

import xml.etree.ElementTree as ET

import numpy as np
import pytest

import pcflab
from pcflab.analysis import grade, prepare, product_dqr
from pcflab.core._errors import PcfError, UnitMismatchError
from pcflab.reporting._label import class_label_svg

BOF = "steel/bf-bof-hot-rolled-coil"
EAF = "steel/eaf-hot-rolled-bar"
N = 3000


@pytest.fixture(scope="module")
def compiled():
    return {m: prepare(m) for m in (BOF, EAF)}


def test_sliding_probabilities_equal_an_independent_monte_carlo_count(compiled):
    r = grade(compiled[BOF], "responsiblesteel-progress-levels-2025", n_samples=N, seed=7)
    assert sum(r.probabilities.values()) == pytest.approx(1.0)
    # independent: same draws, thresholds written out from the published lines (t CO2e/t)
    sim = pcflab.simulate(compiled[BOF], N, 7, keep="totals", record=["scrap_share"])
    v = sim["total"].values / 1000.0
    s = sim["parameter_scrap_share"].values
    assert s.min() >= 0.1313 and s.max() <= 0.202 and s.std() > 0  # the share really varies
    pl4, pl3, pl2, pl1 = 0.40 - 0.35 * s, 1.20 - 1.00 * s, 2.00 - 1.65 * s, 2.80 - 2.30 * s
    expected = {
        "PL4": np.mean(v <= pl4),
        "PL3": np.mean((v > pl4) & (v <= pl3)),
        "PL2": np.mean((v > pl3) & (v <= pl2)),
        "PL1": np.mean((v > pl2) & (v <= pl1)),
        "below PL1": np.mean(v > pl1),
    }
    assert r.probabilities == pytest.approx(expected, abs=1e-12)
    # the threshold per sample matters: with the share fixed at its deterministic value the count differs
    fixed = np.mean(v <= 2.80 - 2.30 * 0.202)
    assert expected["PL1"] + expected["PL2"] != pytest.approx(fixed, abs=1e-9)
    # deterministic class by hand: footprint vs PL1 at the deterministic share 0.202
    total = float(pcflab.footprint(compiled[BOF])["gwp100"].sum()) / 1000.0
    assert r.recycled_share == pytest.approx(0.202)
    assert r.thresholds["PL1"] == pytest.approx(2.80 - 2.30 * 0.202)
    assert r.deterministic_class == ("PL1" if total <= 2.80 - 2.30 * 0.202 else "below PL1")
    lo, hi = np.quantile(v, [0.025, 0.975])
    assert r.interval == pytest.approx((lo, hi))


def test_fixed_scheme_robust_flag_and_sentence(compiled):
    # EAF bar, ~0.52 t CO2e/t, far below ESPR HRC class A's 1.79
    r = grade(compiled[EAF], "espr-steel-hrc-2026-draft", n_samples=N)
    assert r.deterministic_class == "A" and r.most_likely_class == "A"
    assert r.robust and r.probability == 1.0
    assert r.sentence == "class A with 100 % probability"
    # BF-BOF coil, ~2.54 t: class B deterministically, but its interval spans B-E
    r = grade(compiled[BOF], "espr-steel-hrc-2026-draft", n_samples=N)
    assert r.deterministic_class == "B" and r.most_likely_class == "B"
    assert not r.robust and r.probability < 0.9
    assert r.sentence.startswith("class not robust: most likely B with")
    loose = grade(compiled[BOF], "espr-steel-hrc-2026-draft", n_samples=N, robust=r.probability)
    assert loose.robust and loose.sentence == f"class B with {100 * r.probability:.0f} % probability"
    assert r.scheme_status == "draft" and any("not in force" in n for n in r.notes)


def test_sliding_scheme_without_the_parameter_names_the_file_and_parameter():
    with pytest.raises(PcfError) as info:
        grade("aluminium/primary-ingot", "less-quality-steel-v1.1", n_samples=100)
    err = info.value
    assert err.file.endswith("primary-ingot.yaml")
    assert "'scrap_share'" in err.message and "scrap_share: {value:" in err.hint


def test_a_fixed_share_can_be_given(compiled):
    # the IEA default when the share is unknown is 0: near zero <= 400, low emission <= 2400 kg
    r = grade(compiled[EAF], "iea-near-zero-steel-2022", n_samples=N, recycled_share=0.0)
    assert r.deterministic_class == "low emission"
    r1 = grade(compiled[EAF], "iea-near-zero-steel-2022", n_samples=N)  # share 1: limit 300 kg
    assert r1.deterministic_class == "not low emission"


def test_functional_units_must_agree():
    with pytest.raises(UnitMismatchError, match="1 item"):
        grade("tyres/passenger-car-tyre", "espr-steel-hrc-2026-draft", n_samples=100)


def test_percentile_scheme_from_the_benchmark_models(compiled):
    r = grade(compiled[EAF], "pcflab-percentile-steel", n_samples=N)
    bench = [float(pcflab.footprint(m)["gwp100"].sum()) for m in (BOF, EAF)]
    assert r.benchmark == pytest.approx(dict(zip((BOF, EAF), bench, strict=True)))
    lo, hi = min(bench), max(bench)
    # linear percentiles of two values: lo + p (hi - lo)
    expected = {"best 20 %": lo + 0.2 * (hi - lo), "best 40 %": lo + 0.4 * (hi - lo), "best 50 %": lo + 0.5 * (hi - lo)}
    assert r.thresholds == pytest.approx(expected)
    assert r.deterministic_class == "best 20 %"
    sim = pcflab.simulate(compiled[EAF], N, 42, keep="totals")
    assert r.probabilities["best 20 %"] == pytest.approx(np.mean(sim["total"].values <= expected["best 20 %"]))
    one = grade("tyres/passenger-car-tyre", "pcflab-percentile-tyres", n_samples=N)
    assert set(one.probabilities) == {"best 20 %", "best 40 %", "best 50 %", "above best 50 %"}
    assert any("crude" in n for n in one.notes)


def test_product_dqr_is_the_contribution_weighted_mean(compiled):
    from pcflab.analysis import exchange_contributions

    cm = compiled[EAF]
    value, level, coverage = product_dqr(cm)
    c = exchange_contributions(cm)
    c = c[c["kind"] == "factor"]
    d = np.array(
        [float(cm.factor_table.ds["dqr"].sel(factor=t, gas=g)) for t, g in zip(c["target"], c["gas"], strict=True)]
    )
    ok = np.isfinite(d)
    w = np.abs(c["gwp100"].to_numpy()[ok])
    # the factors' part; the product's DQR also rates the activity data (issue 15, point 5)
    assert pcflab.data_quality(cm).dqr_dataset == pytest.approx((d[ok] * w).sum() / w.sum())
    assert (value, level, coverage) == pytest.approx(
        (pcflab.data_quality(cm).dqr, pcflab.data_quality(cm).dqr_level, pcflab.data_quality(cm).dqr_coverage)
    )
    assert 1 <= value <= 5 and 0 < coverage <= 1 and level


def test_class_label_svg(compiled):
    r = grade(compiled[BOF], "espr-steel-hrc-2026-draft", n_samples=N)
    svg = class_label_svg(r, "Hot-rolled coil <BF-BOF> & Co")
    root = ET.fromstring(svg.encode("utf-8"))  # noqa: S314 (our own output)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    text = " ".join("".join(e.itertext()) for e in root.iter())
    for needle in (
        "Hot-rolled coil <BF-BOF> & Co",
        f"{r.value:.3g} t CO₂e/t",
        f"95 % interval: {r.interval[0]:.3g} – {r.interval[1]:.3g}",
        f"not robust: B with {100 * r.probability:.0f} % probability",
        f"DQR {r.dqr:.1f}",
        "EU ESPR steel performance classes",
        "JRC144483 draft, 1 Apr 2026",
        "draft",
    ):
        assert needle in text, needle
    robust = class_label_svg(grade(compiled[EAF], "espr-steel-hrc-2026-draft", n_samples=N))
    assert "class A with 100 % probability" in robust
