"""Class schemes: validation, hand-worked classification against published numbers, units."""

import functools

import numpy as np
import pytest

from pcflab.core._errors import PcfError, UnitMismatchError
from pcflab.methods._grading import (
    class_index,
    classify,
    list_schemes,
    load_scheme,
    percentile_thresholds,
    scheme_from_dict,
    to_scheme_units,
)


def _scheme(kind="fixed", classes=None, **extra):
    """Build a scheme dict (a minimal valid one of each kind unless classes are given)."""
    default = {
        "fixed": [{"label": "A", "upper": 1.0}, {"label": "B", "upper": 2.0}, {"label": "C"}],
        "sliding": [
            {"label": "A", "upper_at_0": 1.0, "upper_at_1": 0.2},
            {"label": "B", "upper_at_0": 2.0, "upper_at_1": 0.5},
            {"label": "C"},
        ],
        "percentile": [{"label": "top", "upper_percentile": 20}, {"label": "rest"}],
    }[kind]
    data = {
        "id": "test-scheme",
        "name": "test",
        "version": "1",
        "status": "draft",
        "source": "hand-made test scheme [P]",
        "product_category": "steel",
        "functional_unit": "1 t",
        "units": "t CO2e/t",
        "boundary": "cradle to gate",
        "kind": kind,
        "classes": classes if classes is not None else default,
    }
    if kind == "percentile":
        data["benchmark"] = ["steel/eaf-hot-rolled-bar"]
    data.update(extra)
    return data


@pytest.fixture
def make_scheme():
    """Factory: a validated Scheme from keyword overrides."""

    def make(kind="fixed", classes=None, **extra):
        return scheme_from_dict(_scheme(kind, classes, **extra))

    return make


# ------------------------------------------------------------------ validation


@pytest.mark.parametrize(
    ("kind", "classes", "message"),
    [
        ("fixed", [{"label": "A", "upper": 2.0}, {"label": "B", "upper": 1.0}, {"label": "C"}], "not sorted"),
        ("fixed", [{"label": "A", "upper": 2.0}, {"label": "A", "upper": 3.0}, {"label": "C"}], "unique"),
        (
            "fixed",
            [{"label": "A", "upper": 2.0}, {"label": "B", "lower": 1.5, "upper": 3.0}, {"label": "C"}],
            "overlaps",
        ),
        ("fixed", [{"label": "A", "upper": 2.0}, {"label": "B", "lower": 2.5, "upper": 3.0}, {"label": "C"}], "gap"),
        ("fixed", [{"label": "A", "upper": 1.0}, {"label": "B", "upper": 2.0}], "open-ended"),
        (
            "sliding",
            [
                {"label": "A", "upper_at_0": 2.0, "upper_at_1": 0.5},
                {"label": "B", "upper_at_0": 1.0, "upper_at_1": 0.2},
                {"label": "C"},
            ],
            "not sorted",
        ),
        (
            "sliding",
            [
                {"label": "A", "upper_at_0": 1.0, "upper_at_1": 0.6},
                {"label": "B", "upper_at_0": 2.0, "upper_at_1": 0.5},
                {"label": "C"},
            ],
            "overlap",
        ),
        ("sliding", [{"label": "A", "upper_at_0": 1.0}, {"label": "C"}], "upper_at_1"),
        ("sliding", [{"label": "A", "points": [[0, 1.0], [1.2, 0.5]]}, {"label": "C"}], "from 0 to 1"),
        ("sliding", [{"label": "A", "upper": 1.0}, {"label": "C"}], "does not belong"),
        (
            "percentile",
            [{"label": "a", "upper_percentile": 40}, {"label": "b", "upper_percentile": 20}, {"label": "c"}],
            "not sorted",
        ),
        ("percentile", [{"label": "a", "upper_percentile": 100}, {"label": "c"}], "less than 100"),
    ],
)
def test_invalid_schemes_say_what_to_change(kind, classes, message):
    with pytest.raises(PcfError, match=message) as info:
        scheme_from_dict(_scheme(kind, classes))
    assert "how to fix" in str(info.value)


def test_source_needs_its_tag():
    with pytest.raises(PcfError, match=r"\[P\], \[P-via\] or \[S\]"):
        scheme_from_dict(_scheme(source="no tag here"))


def test_scheme_file_error_names_file_line_and_field(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "id: bad\nname: bad\nversion: '1'\nstatus: draft\nsource: x [P]\nproduct_category: steel\n"
        "functional_unit: 1 t\nunits: t CO2e/t\nboundary: gate\nkind: fixed\nclasses:\n"
        "  - {label: A, upper: 2.0}\n  - {label: B, upper: 1.0}\n  - {label: C}\n",
        encoding="utf-8",
    )
    with pytest.raises(PcfError, match="not sorted") as info:
        load_scheme(path)
    assert info.value.file == str(path)
    assert info.value.field == "classes[1]"
    assert info.value.line == 13


def test_unknown_scheme_lists_the_shipped_ones():
    with pytest.raises(PcfError, match="no class scheme") as info:
        load_scheme("no-such-scheme")
    assert "espr-steel-hrc-2026-draft" in str(info.value)


def test_every_shipped_scheme_loads():
    ids = list_schemes()
    assert len(ids) >= 40
    for sid in ids:
        s = load_scheme(sid)
        assert s.id == sid  # the file name is the id
        assert s.status in ("draft", "in_force", "withdrawn")


# ------------------------------------------------------------------ hand-worked classes


@functools.cache
def _shipped(sid):
    return load_scheme(sid)


@pytest.mark.parametrize(
    ("value", "expected"),
    # JRC144483 draft Table 6, HRC [t CO2e/t]: A <= 1.79 < B <= 2.66 < C <= 3.10 < D <= 3.75 < E
    [(0.52, "A"), (1.79, "A"), (1.80, "B"), (2.535, "B"), (2.66, "B"), (3.10, "C"), (3.5, "D"), (3.76, "E")],
)
def test_espr_hrc_hand_values(value, expected):
    assert classify(value, _shipped("espr-steel-hrc-2026-draft")) == expected


def test_india_stars_hand_values():
    s = _shipped("india-green-steel-taxonomy-2024")  # 5-star < 1.6; 4-star 1.6-2.0; 3-star 2.0-2.2
    got = classify(np.array([1.5, 1.9, 2.1, 2.3]), s)
    assert list(got) == ["5-star", "4-star", "3-star", "not green"]


def test_responsiblesteel_worked_example():
    # Source's worked example: 20 % scrap -> PL1 needs <= 2.80 - 2.30 x 0.20 = 2.34 t CO2e/t
    s = _shipped("responsiblesteel-progress-levels-2025")
    assert classify(2.33, s, recycled_share=0.2) == "PL1"
    assert classify(2.35, s, recycled_share=0.2) == "below PL1"
    # PL2 at 20 %: 2.00 - 1.65 x 0.20 = 1.67
    assert classify(1.66, s, recycled_share=0.2) == "PL2"
    assert classify(1.68, s, recycled_share=0.2) == "PL1"


def test_sliding_threshold_moves_with_the_share():
    # RS, value 1.0 t CO2e/t: s = 0: PL3 <= 1.20 -> PL3; s = 0.5: PL3 = 1.20 - 0.50 = 0.70,
    # PL2 = 2.00 - 0.825 = 1.175 -> PL2; s = 1: PL1 = 0.50 -> below PL1
    s = _shipped("responsiblesteel-progress-levels-2025")
    got = classify(np.array([1.0, 1.0, 1.0]), s, recycled_share=np.array([0.0, 0.5, 1.0]))
    assert list(got) == ["PL3", "PL2", "below PL1"]


@pytest.mark.parametrize(
    ("value", "share", "expected"),
    [
        # LESS Rulebook v1.1 Annex III (QST, kg CO2e/t): 30 % A 830, B 1 245; 80 % C 960, D 1 200
        (1000, 0.3, "B"),
        (1000, 0.8, "D"),
        (830, 0.3, "A"),
        # rulebook reference cases at 100 % scrap: EAF-QST German grid 805 -> D; EAF-QST ideal 264 -> A
        (805, 1.0, "D"),
        (264, 1.0, "A"),
        (2601, 0.0, "E"),
    ],
)
def test_less_quality_steel_hand_values(value, share, expected):
    assert classify(value, _shipped("less-quality-steel-v1.1"), recycled_share=share) == expected


def test_less_table_rows_match_the_lines():
    # Annex III rows, read from GRADING.md 1.3: (share, Near Zero, A, B, C, D)
    rows = [(0.1, 485, 970, 1455, 1940, 2425), (0.5, 345, 690, 1035, 1380, 1725), (0.9, 205, 410, 615, 820, 1025)]
    s = _shipped("less-quality-steel-v1.1")
    for share, *uppers in rows:
        for label, upper in zip(["Near Zero", "A", "B", "C", "D"], uppers, strict=True):
            assert classify(upper, s, recycled_share=share) == label
            assert classify(upper + 1, s, recycled_share=share) != label


def test_sliding_scale_needs_the_share_in_range():
    s = _shipped("responsiblesteel-progress-levels-2025")
    with pytest.raises(PcfError, match="recycled share"):
        classify(1.0, s)
    with pytest.raises(PcfError, match=r"outside \[0, 1\]"):
        classify(1.0, s, recycled_share=20)


def test_points_and_end_values_agree(make_scheme):
    lines = make_scheme("sliding")
    pts = make_scheme(
        "sliding",
        [
            {"label": "A", "points": [[0, 1.0], [0.5, 0.6], [1, 0.2]]},
            {"label": "B", "points": [[0, 2.0], [1, 0.5]]},
            {"label": "C"},
        ],
    )
    v, s = np.linspace(0, 2.5, 51), np.linspace(0, 1, 51)
    np.testing.assert_array_equal(class_index(v, lines, s), class_index(v, pts, s))


# ------------------------------------------------------------------ percentiles and units


def test_percentile_thresholds_by_hand(make_scheme):
    s = make_scheme(
        "percentile",
        [
            {"label": "best 20 %", "upper_percentile": 20},
            {"label": "best 40 %", "upper_percentile": 40},
            {"label": "rest"},
        ],
    )
    bench = [1.0, 2.0, 3.0, 4.0, 5.0]
    # linear (type 7): position p/100 x (n - 1): 20 % -> 0.8 -> 1.8; 40 % -> 1.6 -> 2.6
    np.testing.assert_allclose(percentile_thresholds(s, bench), [1.8, 2.6])
    assert list(classify(np.array([1.8, 2.0, 3.5]), s, benchmark=bench)) == ["best 20 %", "best 40 %", "rest"]


def test_unit_conversion_and_functional_unit_check(make_scheme):
    s = make_scheme()  # t CO2e per 1 t
    assert to_scheme_units(2535.0, (1, "t"), s) == pytest.approx(2.535)
    assert to_scheme_units(2.535, (1, "kg"), s) == pytest.approx(2.535)  # 2.535 kg per kg = 2 535 kg per t
    np.testing.assert_allclose(to_scheme_units(np.array([500.0, 1000.0]), "1 t", s), [0.5, 1.0])
    with pytest.raises(UnitMismatchError, match="functional unit"):
        to_scheme_units(42.0, (1, "item"), s)


def test_scheme_units_must_be_per_the_functional_unit():
    with pytest.raises(PcfError, match="not per the functional unit"):
        scheme_from_dict(_scheme(units="kg CO2e/item"))
    with pytest.raises(PcfError, match="CO2e"):
        scheme_from_dict(_scheme(units="points"))
