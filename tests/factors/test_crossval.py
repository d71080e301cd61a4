"""Cross-validation flags on a constructed case with known answers."""

import math

import pytest

import pcflab
from pcflab.factors._crossval import compare_factors
from tests.conftest import factor_row

# GSD 1.1: the 95 % range is v * exp(+-1.96 ln 1.1) = v * [0.8296, 1.2054]


@pytest.fixture
def db(factor_file):
    return pcflab.load_factors(
        factor_file(
            factor_row(fid="glo/fuel/gas/ipcc2006", region="GLO", value="56.1", per="GJ"),
            factor_row(fid="cn/fuel/gas/ncsc2025", region="CN", value="56100", per="TJ"),  # same value, other unit
            factor_row(fid="cn/fuel/gas/lit2019", region="CN", value="0.070", per="MJ"),  # 70 kg/GJ: overlaps
            factor_row(fid="cn/fuel/gas/bad2020", region="CN", value="0.150", per="MJ"),  # 150 kg/GJ: outlier
            factor_row(fid="gb/rail/freight/defra2025", region="GB", value="0.0347", per="t*km"),
            factor_row(fid="gb/rail/freight/old2011", region="GB", value="0.0100", per="t*km"),  # two, disagree
            factor_row(fid="cn-sd/rail/freight/x2023", region="CN-SD", value="0.02", per="t*km"),  # other region
        )
    )


def test_pairs_on_a_common_unit(db):
    pairs, _ = compare_factors(db, key="fuel/gas")
    same = pairs[(pairs.factor_a == "glo/fuel/gas/ipcc2006") & (pairs.factor_b == "cn/fuel/gas/ncsc2025")].iloc[0]
    assert same.value_a == pytest.approx(56.1) and same.value_b == pytest.approx(56.1)
    assert same.log_ratio == pytest.approx(0.0, abs=1e-12) and same.overlap and same.comparable
    lit = pairs[(pairs.factor_b == "cn/fuel/gas/lit2019") & (pairs.factor_a == "glo/fuel/gas/ipcc2006")].iloc[0]
    assert lit.log_ratio == pytest.approx(math.log(56.1 / 70.0))
    assert lit.overlap  # 56.1 * 1.2054 = 67.6 >= 70 * 0.8296 = 58.1


def test_outlier_is_flagged_and_others_are_not(db):
    _, factors = compare_factors(db, key="fuel/gas")
    flags = dict(zip(factors.factor, factors.flag, strict=True))
    assert flags == {
        "glo/fuel/gas/ipcc2006": "ok",
        "cn/fuel/gas/ncsc2025": "ok",
        "cn/fuel/gas/lit2019": "ok",
        "cn/fuel/gas/bad2020": "outlier",
    }


def test_two_disagreeing_sources_are_a_conflict_and_other_regions_are_not_compared(db):
    pairs, factors = compare_factors(db, key="rail/freight")
    flags = dict(zip(factors.factor, factors.flag, strict=True))
    assert flags["gb/rail/freight/defra2025"] == flags["gb/rail/freight/old2011"] == "conflict"
    assert flags["cn-sd/rail/freight/x2023"] == "single"
    assert not pairs[pairs.factor_b == "cn-sd/rail/freight/x2023"].comparable.any()


def test_selected_factor_per_region_follows_the_policy(db):
    _, factors = compare_factors(db, key="rail/freight")
    chosen = factors[factors.selected].set_index("region").factor.to_dict()
    # GB: same year, tag, traceability and DQR, so the tie is broken by id
    assert chosen == {"GB": "gb/rail/freight/defra2025", "CN-SD": "cn-sd/rail/freight/x2023"}


def test_shipped_database_compares():
    pairs, factors = compare_factors(pcflab.load_factors())
    assert len(pairs) > 5
    assert set(factors.flag) <= {"ok", "outlier", "conflict", "single"}
