"""Tests for methods/_pedigree.py against Weidema et al. (2013) Table 10.5 (FIGURES.md §5a).

The reference values are typed in here from the published table, not read from
``PEDIGREE_VARIANCES``, and the GSD is recomputed by hand: sigma^2 = (ln U_b / 2)^2 + sum of
the additional variances, GSD = exp(sigma).
"""

import math

import pytest

from pcflab.methods import PEDIGREE_INDICATORS, PEDIGREE_VARIANCES, gsd_from_pedigree, parse_pedigree

# Weidema et al. (2013), Data quality guideline for the ecoinvent database v3, Table 10.5, p. 77
_TABLE_10_5 = {
    "reliability": (0.0, 0.0006, 0.002, 0.008, 0.04),
    "completeness": (0.0, 0.0001, 0.0006, 0.002, 0.008),
    "temporal_correlation": (0.0, 0.0002, 0.002, 0.008, 0.04),
    "geographical_correlation": (0.0, 0.000025, 0.0001, 0.0006, 0.002),
    "further_technological_correlation": (0.0, 0.0006, 0.008, 0.04, 0.12),
}


def test_variance_table_is_table_10_5():
    assert PEDIGREE_INDICATORS == (
        "reliability",
        "completeness",
        "temporal_correlation",
        "geographical_correlation",
        "further_technological_correlation",
    )
    for name in PEDIGREE_INDICATORS:
        assert PEDIGREE_VARIANCES[name] == pytest.approx(_TABLE_10_5[name], abs=0, rel=1e-15)


def test_all_scores_one_is_the_basic_uncertainty():
    # sigma = ln(1.05) / 2, so GSD = exp(ln 1.05 / 2) = sqrt(1.05)
    assert gsd_from_pedigree((1, 1, 1, 1, 1), 1.05) == pytest.approx(math.sqrt(1.05), rel=1e-14)
    assert gsd_from_pedigree((1, 1, 1, 1, 1), 2.0) == pytest.approx(math.sqrt(2.0), rel=1e-14)
    assert gsd_from_pedigree((1, 1, 1, 1, 1)) == pytest.approx(math.sqrt(1.05), rel=1e-14)  # default U_b
    assert gsd_from_pedigree((1, 1, 1, 1, 1), 1.0) == 1.0


def test_mixed_scores_written_out():
    # scores (2, 3, 1, 4, 2), U_b = 1.05:
    # sigma^2 = (ln 1.05 / 2)^2 + 0.0006 (R2) + 0.0006 (C3) + 0 (T1) + 0.0006 (G4) + 0.0006 (Tech2)
    var = (math.log(1.05) / 2) ** 2 + 0.0006 + 0.0006 + 0.0 + 0.0006 + 0.0006
    assert gsd_from_pedigree((2, 3, 1, 4, 2), 1.05) == pytest.approx(math.exp(math.sqrt(var)), rel=1e-14)
    # the numbers themselves: sigma^2 = 0.000595 + 0.0024 = 0.002995, GSD = exp(0.054727) = 1.05625
    assert var == pytest.approx(0.0029952, abs=1e-7)
    assert gsd_from_pedigree((2, 3, 1, 4, 2), 1.05) == pytest.approx(1.05625, abs=1e-5)


def test_worst_scores_transport():
    # all scores 5, U_b = 2 (transport): 0.120113 + 0.04 + 0.008 + 0.04 + 0.002 + 0.12 = 0.330113
    var = (math.log(2.0) / 2) ** 2 + 0.04 + 0.008 + 0.04 + 0.002 + 0.12
    assert var == pytest.approx(0.330113, abs=1e-6)
    assert gsd_from_pedigree((5, 5, 5, 5, 5), 2.0) == pytest.approx(math.exp(math.sqrt(var)), rel=1e-14)


@pytest.mark.parametrize("indicator", range(5))
@pytest.mark.parametrize("score", range(1, 6))
def test_each_cell_alone(indicator, score):
    scores = [1] * 5
    scores[indicator] = score
    name = PEDIGREE_INDICATORS[indicator]
    var = (math.log(1.5) / 2) ** 2 + _TABLE_10_5[name][score - 1]
    assert gsd_from_pedigree(scores, 1.5) == pytest.approx(math.exp(math.sqrt(var)), rel=1e-14)


def test_scores_order_matters():
    # the same multiset of scores in a different order draws different cells of the table
    a = gsd_from_pedigree((5, 1, 1, 1, 1), 1.05)  # reliability 5: 0.04
    b = gsd_from_pedigree((1, 1, 1, 5, 1), 1.05)  # geographical 5: 0.002
    assert a == pytest.approx(math.exp(math.sqrt((math.log(1.05) / 2) ** 2 + 0.04)), rel=1e-14)
    assert b == pytest.approx(math.exp(math.sqrt((math.log(1.05) / 2) ** 2 + 0.002)), rel=1e-14)


@pytest.mark.parametrize(
    ("u", "expected", "half_last_digit"), [(1.05, 0.000595, 5e-7), (2.0, 0.120, 5e-4), (3.0, 0.302, 5e-4)]
)
def test_uncertainty_factor_to_variance_conversion(u, expected, half_last_digit):
    """FIGURES.md §5a: sigma^2 = (ln U / 2)^2; U = 1.05 -> 0.000595, U = 2 -> 0.120, U = 3 -> 0.302.

    The published figures are rounded; they must agree to half a unit of their last digit.
    """
    sigma2 = math.log(gsd_from_pedigree((1, 1, 1, 1, 1), u)) ** 2
    assert abs(sigma2 - expected) <= half_last_digit


@pytest.mark.parametrize("scores", [(0, 1, 1, 1, 1), (1, 1, 1, 1, 6), (1, -1, 1, 1, 1), (1, 1, 9, 1, 1)])
def test_scores_outside_range_raise(scores):
    with pytest.raises(ValueError, match="between 1 and 5"):
        gsd_from_pedigree(scores)


@pytest.mark.parametrize("scores", [(), (1, 1, 1, 1), (1, 1, 1, 1, 1, 1)])
def test_wrong_count_raises(scores):
    with pytest.raises(ValueError, match="five"):
        gsd_from_pedigree(scores)


@pytest.mark.parametrize("u", [0.99, 0.5, 0.0, -2.0])
def test_basic_uncertainty_below_one_raises(u):
    with pytest.raises(ValueError, match=">= 1"):
        gsd_from_pedigree((1, 1, 1, 1, 1), u)


def test_parse_pedigree():
    assert parse_pedigree("2;3;1;4;2") == (2, 3, 1, 4, 2)
    assert parse_pedigree(" 5 ; 5;5 ;5; 5 ") == (5, 5, 5, 5, 5)
    assert parse_pedigree("1,2,3,4,5") == (1, 2, 3, 4, 5)


def test_parse_then_gsd():
    var = (math.log(1.05) / 2) ** 2 + 0.0006 + 0.0006 + 0.0 + 0.0006 + 0.0006
    assert gsd_from_pedigree(parse_pedigree("2;3;1;4;2")) == pytest.approx(math.exp(math.sqrt(var)), rel=1e-14)


@pytest.mark.parametrize(
    "text",
    ["2;3;1;4", "2;3;1;4;2;1", "2;3;0;4;2", "2;3;6;4;2", "2;3;x;4;2", "2;3;1.5;4;2", "", "2;;1;4;2", "-1;3;1;4;2"],
)
def test_parse_pedigree_rejects(text):
    with pytest.raises(ValueError, match="five scores"):
        parse_pedigree(text)


def test_validation_worked_case_uses_table_10_5_not_the_v2_factors():
    """Scores (2, 3, 1, 2, 4), U_b = 1.05 with the v3 variances of Table 10.5.

    sigma^2 = 0.000595 + 0.0006 + 0.0006 + 0 + 0.000025 + 0.04 = 0.041820. VALIDATION.md §2.4 gives
    0.042911 for the same scores because it converts the ecoinvent v2 / openLCA uncertainty
    *factors* ((ln U / 2)^2 of 1.05, 1.05, 1, 1.01, 1.50); pcflab uses Table 10.5.
    """
    var = (math.log(1.05) / 2) ** 2 + 0.0006 + 0.0006 + 0.0 + 0.000025 + 0.04
    assert var == pytest.approx(0.041820, abs=1e-6)
    assert gsd_from_pedigree((2, 3, 1, 2, 4), 1.05) == pytest.approx(math.exp(math.sqrt(var)), rel=1e-14)
    v2 = sum((math.log(u) / 2) ** 2 for u in (1.05, 1.05, 1.05, 1.0, 1.01, 1.50))
    assert v2 == pytest.approx(0.042911, abs=1e-6)  # the VALIDATION.md figure, from the other table


@pytest.mark.parametrize(("scores", "basic"), [((2.7, 1, 1, 1, 1), 1.05), ((1, 1, 1, 1, 1), float("nan"))])
def test_non_integer_scores_and_nan_basic_are_refused(scores, basic):
    with pytest.raises(ValueError):
        gsd_from_pedigree(scores, basic)


def test_factor_kind_selects_the_penalties():
    from pcflab.methods import PEDIGREE_APPLIES, gsd_from_pedigree

    scores = (3, 2, 5, 3, 2)
    basic = (math.log(1.05) / 2) ** 2
    assert gsd_from_pedigree(scores, 1.05, "constant") == pytest.approx(math.exp(math.sqrt(basic)))
    no_age = basic + 0.002 + 0.0001 + 0.0001 + 0.0006  # Weidema et al. 2013 Table 10.5, T5 left out
    assert gsd_from_pedigree(scores, 1.05, "fuel-carbon") == pytest.approx(math.exp(math.sqrt(no_age)))
    assert (
        gsd_from_pedigree(scores, 1.05, "grid")
        == gsd_from_pedigree(scores, 1.05)
        == pytest.approx(math.exp(math.sqrt(no_age + 0.04)))
    )
    assert "temporal_correlation" not in PEDIGREE_APPLIES["fuel-carbon"]
    with pytest.raises(ValueError, match="factor kind 'fuel' is unknown"):
        gsd_from_pedigree(scores, 1.05, "fuel")


def test_gsd_from_range_spans_the_range_around_the_median():
    from scipy import stats

    from pcflab.methods import gsd_from_range

    # a range symmetric in logs is matched exactly: sqrt(50 * 200) = 100
    gsd = gsd_from_range(100.0, 50.0, 200.0)
    assert stats.lognorm(s=math.log(gsd), scale=100.0).ppf([0.025, 0.975]) == pytest.approx([50.0, 200.0])
    with pytest.raises(ValueError, match="contain the value"):
        gsd_from_range(100.0, 120.0, 200.0)
