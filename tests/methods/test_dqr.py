"""PEF data-quality rating (Commission Recommendation (EU) 2021/2279, Annex I)."""

import pytest

from pcflab.methods import aggregate_dqr, dqr, dqr_from_pedigree, dqr_level, parse_dqr


def test_dqr_is_the_mean_of_the_four_criteria():
    assert dqr((1, 2, 2, 3)) == 2.0
    assert dqr((1, 1, 1, 1)) == 1.0 and dqr((5, 5, 5, 5)) == 5.0


@pytest.mark.parametrize(
    ("value", "level"),
    [
        (1.0, "excellent"),
        (1.5, "excellent"),
        (1.51, "very good"),
        (2.0, "very good"),
        (2.5, "good"),
        (3.0, "good"),
        (3.5, "fair"),
        (4.0, "fair"),
        (4.01, "poor"),
        (5.0, "poor"),
    ],
)
def test_quality_levels_of_the_2021_method(value, level):
    assert dqr_level(value) == level


def test_pedigree_mapping():
    # reliability, completeness, temporal, geographical, technological -> TeR, GeR, TiR, P
    assert dqr_from_pedigree((4, 2, 3, 1, 5)) == (5, 1, 3, 4)


def test_contribution_weighted_aggregate():
    assert aggregate_dqr([1.0, 3.0], [300.0, 100.0]) == pytest.approx((300 + 300) / 400)
    assert aggregate_dqr([2.0, 4.0], [-50.0, 50.0]) == pytest.approx(3.0)  # credits weigh by size


@pytest.mark.parametrize("bad", [(0, 1, 1, 1), (1, 2, 6, 1), (1, 2, 2), (1.5, 2, 2, 2)])
def test_bad_scores(bad):
    with pytest.raises(ValueError):
        dqr(bad)


def test_parse_and_errors():
    assert parse_dqr("2;1;2;3") == (2, 1, 2, 3)
    with pytest.raises(ValueError):
        parse_dqr("2;1;2")
    with pytest.raises(ValueError):
        dqr_level(0.5)
    with pytest.raises(ValueError):
        aggregate_dqr([2.0], [0.0])


def test_process_dqr_combines_activity_data_and_dataset():
    from pcflab.methods import process_dqr

    # TeR, GeR from the dataset (2, 1); TiR the mean of 5 and 3; P from the activity data (4)
    assert process_dqr((1, 1, 5, 4), (2, 1, 3, 2)) == pytest.approx((2 + 1 + 4 + 4) / 4)
    assert process_dqr(None, (2, 1, 3, 2)) == 2.0  # unrated activity data: the dataset's DQR
    assert process_dqr((1, 4, 2, 3), None) == 2.5  # a direct emission: its own data
    assert process_dqr(None, None) is None
