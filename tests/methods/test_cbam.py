"""The CBAM goods table: Annex I of Regulation (EU) 2023/956, the aggregated goods categories
and relevant precursors of Implementing Regulation (EU) 2023/1773 Annex II, against the
regulation texts read by hand."""

import pytest

from pcflab.core import PcfError
from pcflab.methods import CBAM_CATEGORIES, cbam_category, cbam_good, is_relevant_precursor, normalise_cn


@pytest.mark.parametrize(
    ("cn", "sector", "category", "indirect"),
    [
        ("7208 39 00", "iron_and_steel", "iron_or_steel_products", False),  # hot-rolled flat, in coils
        ("7214 20 00", "iron_and_steel", "iron_or_steel_products", False),  # rebar
        ("7207", "iron_and_steel", "crude_steel", False),  # semi-finished
        ("7201", "iron_and_steel", "pig_iron", False),
        ("2601 12 00", "iron_and_steel", "sintered_ore", False),
        ("7202 11 20", "iron_and_steel", "ferro_alloys", False),  # ferro-manganese
        ("7318 15 42", "iron_and_steel", "iron_or_steel_products", False),  # screws and bolts
        ("7601 10 00", "aluminium", "unwrought_aluminium", False),
        ("7604", "aluminium", "aluminium_products", False),
        ("2523 29 00", "cement", "cement", True),  # other Portland cement
        ("2523 10 00", "cement", "cement_clinker", True),
        ("3102 10 10", "fertilisers", "urea", True),
        ("2814 10 00", "fertilisers", "ammonia", True),
        ("2804 10 00", "hydrogen", "hydrogen", False),
        ("2716 00 00", "electricity", "electricity", False),
    ],
)
def test_annex_i_goods_and_their_regime(cn, sector, category, indirect):
    good = cbam_good(cn)
    assert (good.sector, good.category, good.indirect_counted) == (sector, category, indirect)


@pytest.mark.parametrize(
    ("cn", "name"),
    [
        ("4011 10 00", "tyres"),
        ("6109 10 00", "T-shirts"),
        ("2818 20 00", "alumina"),
        ("2704", "coke"),
        ("7204 49", "scrap"),  # ferrous waste and scrap: excluded from chapter 72
        ("7202 21 00", None),  # ferro-silicon: excluded from chapter 72
        ("3105 60 00", None),  # P and K fertiliser without nitrogen
        ("2815 12 00", None),  # caustic soda
    ],
)
def test_goods_outside_annex_i_are_not_cbam_goods(cn, name):
    assert cbam_category(cn) is None
    with pytest.raises(PcfError, match="not a CBAM good") as err:
        cbam_good(cn, file="m.yaml", line=3)
    assert "Annex I of Regulation (EU) 2023/956" in str(err.value)
    assert "m.yaml:3" in str(err.value) and "cn_code" in str(err.value)
    if name:
        assert name in str(err.value)


def test_the_tyre_message_names_the_code_as_written():
    with pytest.raises(PcfError, match=r"not a CBAM good: CN 4011 \(tyres\) is not in Annex I"):
        cbam_good("4011")


def test_no_code_and_an_ambiguous_heading_are_clear_errors():
    with pytest.raises(PcfError, match="states no CN code"):
        cbam_good(None, file="m.yaml")
    with pytest.raises(PcfError, match="covers CBAM goods and others") as err:
        cbam_good("7202")  # some ferro-alloys are CBAM goods, others not
    assert "720211" in str(err.value) and "6 or 8 digits" in str(err.value)


@pytest.mark.parametrize("bad", ["72", "72083", "7208 39 001", "72A8", ""])
def test_cn_codes_have_4_6_or_8_digits(bad):
    with pytest.raises(ValueError, match="4, 6 or 8 digits"):
        normalise_cn(bad)
    assert normalise_cn("7208.39.00") == normalise_cn("7208 39 00") == "72083900"


def test_relevant_precursors_follow_annex_ii_section_3():
    # aluminium products: unwrought aluminium, not alumina (no category) or bauxite
    assert is_relevant_precursor("unwrought_aluminium", "aluminium_products")
    assert is_relevant_precursor("unwrought_aluminium", "unwrought_aluminium")  # secondary route, mixed in
    # the BF-BOF chain: sinter -> pig iron -> crude steel -> products
    assert is_relevant_precursor("sintered_ore", "pig_iron")
    assert is_relevant_precursor("pig_iron", "crude_steel")
    assert is_relevant_precursor("crude_steel", "iron_or_steel_products")
    assert not is_relevant_precursor("sintered_ore", "crude_steel")  # it enters through pig iron
    assert is_relevant_precursor("cement_clinker", "cement")
    assert not is_relevant_precursor("cement", "cement_clinker")
    assert is_relevant_precursor("ammonia", "nitric_acid") and is_relevant_precursor("hydrogen", "ammonia")
    assert CBAM_CATEGORIES["unwrought_aluminium"][0] == "aluminium"


def test_only_cement_and_fertilisers_count_indirect_emissions():
    counted = {sector for sector, _, indirect in CBAM_CATEGORIES.values() if indirect}
    assert counted == {"cement", "fertilisers"}
