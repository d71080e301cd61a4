"""Resolution with fallback: region first, then the nearest earlier year, then the policy."""

import json

import pytest

import pcflab
from pcflab.core._errors import UnknownFactorError
from pcflab.factors._resolve import resolve
from tests.conftest import SMALL_MODEL, factor_row


@pytest.fixture
def db(factor_file):
    rows = [
        factor_row(fid="cn-sd/electricity/grid-co2/2021", region="CN-SD", value="0.68"),
        factor_row(fid="cn-sd/electricity/grid-co2/2023", region="CN-SD", value="0.62"),
        factor_row(fid="cn/electricity/grid-co2/2022", region="CN", value="0.54"),
        factor_row(fid="cn/electricity/grid-co2/2023", region="CN", value="0.53"),
        factor_row(fid="glo/fuel/natural-gas/ipcc2006", region="GLO", value="0.2", tag="P-via"),
        factor_row(fid="cn/fuel/natural-gas/ncsc2025", region="CN", value="0.2"),
        # two sources for the same region and year: the policy decides
        factor_row(fid="cn/heat/steam/2020-lit", region="CN", value="0.1", tag="S"),
        factor_row(fid="cn/heat/steam/2020-mee", region="CN", value="0.11", tag="P"),
    ]
    text = [r.replace(",2023,", ",2021,") if "/2021" in r else r for r in rows]
    text = [r.replace(",2023,", ",2022,") if "/2022" in r else r for r in text]
    text = [r.replace(",2023,", ",2006,") if "ipcc2006" in r else r for r in text]
    text = [r.replace(",2023,", ",2025,") if "ncsc2025" in r else r for r in text]
    text = [r.replace(",2023,", ",2020,") if "/2020-" in r else r for r in text]
    return pcflab.load_factors(factor_file(*text))


def test_exact_match_reports_no_substitution(db):
    r = resolve(db, "electricity/grid-co2", "CN-SD", 2023)
    assert r.factor_id == "cn-sd/electricity/grid-co2/2023" and not r.substituted


def test_nearest_earlier_year_in_the_same_region(db):
    r = resolve(db, "electricity/grid-co2", "CN-SD", 2024)
    assert r.factor_id == "cn-sd/electricity/grid-co2/2023"
    assert r.substitutions == ("no 2024 factor: used 2023 (latest earlier year)",)
    r = resolve(db, "electricity/grid-co2", "CN-SD", 2022)
    assert r.factor_id == "cn-sd/electricity/grid-co2/2021"


def test_region_comes_before_year(db):
    """For 2022 in Shandong, the Shandong 2021 factor wins over the national 2022 one."""
    assert resolve(db, "electricity/grid-co2", "CN-SD", 2022).matched_region == "CN-SD"


def test_parent_region_when_the_province_has_none(db):
    r = resolve(db, "electricity/grid-co2", "CN-BJ", 2023)
    assert r.factor_id == "cn/electricity/grid-co2/2023"
    assert r.substitutions == ("no CN-BJ factor: used CN",)


def test_later_year_only_when_nothing_earlier_is_reported(db):
    r = resolve(db, "fuel/natural-gas", "CN-SD", 2023)
    assert r.factor_id == "cn/fuel/natural-gas/ncsc2025"
    assert "used the later year 2025" in str(r)
    r = resolve(db, "fuel/natural-gas", "GB", 2023)
    assert r.factor_id == "glo/fuel/natural-gas/ipcc2006" and "no GB factor: used GLO" in r.substitutions


def test_selection_policy_between_sources_of_the_same_region_and_year(db):
    r = resolve(db, "heat/steam", "CN", 2020)
    assert r.factor_id == "cn/heat/steam/2020-mee"  # primary (P) over secondary (S)
    assert r.alternatives == ("cn/heat/steam/2020-lit",)


def test_unknown_key_and_region(db):
    with pytest.raises(UnknownFactorError, match="keys of that family: electricity/grid-co2"):
        resolve(db, "electricity/grid", "CN-SD", 2023)
    with pytest.raises(UnknownFactorError, match="factors of this key exist for: CN, CN-SD"):
        resolve(db, "electricity/grid-co2", "GB", 2023)


def test_model_factor_by_key_is_resolved_and_recorded(model_file, db):
    text = SMALL_MODEL.replace("factor: test/electricity/grid/2023", "factor: electricity/grid-co2").replace(
        "year: 2023", "year: 2024"
    )
    det = pcflab.footprint(pcflab.load_model(model_file(text)), db)
    assert float(det["mass"].sum()) == pytest.approx(100 * 0.62)
    recorded = json.loads(det.attrs["factor_resolutions"])
    assert recorded == [
        {
            "key": "electricity/grid-co2",
            "region": "CN-SD",
            "year": 2024,
            "factor_id": "cn-sd/electricity/grid-co2/2023",
            "substitutions": ["no 2024 factor: used 2023 (latest earlier year)"],
            "alternatives": [],
        }
    ]


def test_model_with_unknown_key_names_the_line(model_file, db):
    text = SMALL_MODEL.replace("factor: test/electricity/grid/2023", "factor: electricity/grid-co3")
    with pytest.raises(UnknownFactorError) as err:
        pcflab.compile_model(pcflab.load_model(model_file(text)), db)
    assert err.value.line == 20 and "grid-co3" in str(err.value)
