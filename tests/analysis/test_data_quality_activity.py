"""The DQR covers the activity data (issue 15, point 5): PEF's combination of the activity
data's and the secondary dataset's criteria, against a hand calculation on a small model."""

import math

import pytest

import pcflab
from pcflab.analysis._data_quality import data_quality
from pcflab.methods import gwp100
from tests.conftest import factor_row
from tests.models_for_tests import assembly_and_parts_yaml

CH4 = gwp100("ch4_fossil", "AR6")


def _scored(pedigree, basic="1.05"):
    return f"uncertainty: {{distribution: lognormal, pedigree: '{pedigree}', basic_uncertainty: {basic}}}"


#: power and the direct CH4 carry pedigree scores; the gas burnt is heat x ratio, both
#: scored; parts_power (40 kWh/t in the parts process) is a plain number: unrated.
PARAMETERS = (
    f"  power: {{value: 100, unit: kWh/t, {_scored('2;1;1;1;1')}}}\n"
    f"  leak: {{value: 0.1, unit: kg/t, {_scored('3;1;2;4;1', '1.5')}}}\n"
    f"  heat: {{value: 2, unit: GJ/t, {_scored('HEAT')}}}\n"
    f"  ratio: {{value: 1, unit: GJ/GJ, {_scored('1;1;1;4;3')}}}\n"
    "  heat_used: {formula: heat * ratio, unit: GJ/t}\n"
)


def _model(write_model, heat_pedigree="4;2;5;3;2"):
    text = assembly_and_parts_yaml(
        "test/dq-activity", "DQ activity", PARAMETERS.replace("HEAT", heat_pedigree), heat="heat_used"
    )
    text = text.replace("{gas: ch4_fossil, amount: 0.1, unit: kg}", "{gas: ch4_fossil, amount: leak, unit: kg/t}")
    return pcflab.load_model(write_model(text))


@pytest.fixture
def db(factor_file):
    return pcflab.load_factors(
        factor_file(
            factor_row(value="0.5", gsd="1.1", pedigree="2;1;3;1;2", basic="1.05"),
            factor_row(fid="test/fuel/gas/2023", value="56", per="GJ", gsd="1.05", pedigree="1;1;1;1;1", basic="1.05"),
            factor_row(
                fid="test/fuel/gas/2023",
                gas="ch4_fossil",
                value="0.001",
                per="GJ",
                gsd="1.5",
                pedigree="3;3;3;3;3",
                basic="1.5",
            ),
        )
    )


def test_dqr_combines_activity_data_and_dataset_by_hand(write_model, db):
    dq = data_quality(_model(write_model), db, gwp_set="AR6")
    # contributions [kg CO2e per t widget] and criteria (TeR, GeR, TiR, P); pedigree R;C;T;G;Tech
    # gives TeR = Tech, GeR = G, TiR = T, P = R
    w_grid_a, w_leak, w_grid_p = 100 * 0.5, 0.1 * CH4, 0.5 * 40 * 0.5
    w_co2, w_ch4 = 0.5 * 2 * 56.0, 0.5 * 2 * 0.001 * CH4
    w_gas, total = w_co2 + w_ch4, 100 * 0.5 + 0.1 * CH4 + 0.5 * 40 * 0.5 + w_co2 + w_ch4
    grid_sd = (2, 1, 3, 2)  # factor pedigree 2;1;3;1;2
    gas_sd = tuple((w_co2 * 1 + w_ch4 * 3) / w_gas for _ in range(4))  # CO2 1;1;1;1;1, CH4 3;3;3;3;3
    power_ad = (1, 1, 1, 2)  # 2;1;1;1;1
    leak_ad = (1, 4, 2, 3)  # 3;1;2;4;1
    heat_ad = (max(2, 3), max(3, 4), max(5, 1), max(4, 1))  # worst of heat 4;2;5;3;2 and ratio 1;1;1;4;3

    def pef(ad, sd):  # TeR, GeR of the dataset; TiR the mean; P of the activity data
        return (sd[0] + sd[1] + (ad[2] + sd[2]) / 2 + ad[3]) / 4

    exchanges = {(r["process"], r["target"]): r for r in dq.exchanges}
    assert exchanges[("assembly", "test/electricity/grid/2023")]["dqr"] == pytest.approx(1.75)
    assert exchanges[("assembly", "ch4_fossil")]["dqr"] == pytest.approx(2.5)  # a direct emission: its own data
    assert exchanges[("parts", "test/electricity/grid/2023")]["dqr"] == pytest.approx(2.0)  # unrated data: dataset
    assert exchanges[("parts", "test/fuel/gas/2023")]["activity_criteria"] == heat_ad
    combined = (
        w_grid_a * pef(power_ad, grid_sd) + w_leak * sum(leak_ad) / 4 + w_grid_p * 2.0 + w_gas * pef(heat_ad, gas_sd)
    ) / total
    assert dq.dqr == pytest.approx(combined, rel=1e-12)
    assert dq.dqr_coverage == pytest.approx(1.0)
    activity = (w_grid_a * sum(power_ad) + w_leak * sum(leak_ad) + w_gas * sum(heat_ad)) / 4 / (total - w_grid_p)
    assert dq.dqr_activity == pytest.approx(activity, rel=1e-12)
    assert dq.dqr_activity_coverage == pytest.approx((total - w_grid_p) / total, rel=1e-12)
    dataset = (w_grid_a * 2.0 + w_grid_p * 2.0 + w_co2 * 1.0 + w_ch4 * 3.0) / (total - w_leak)
    assert dq.dqr_dataset == pytest.approx(dataset, rel=1e-12)
    assert dq.dqr_dataset_coverage == pytest.approx((total - w_leak) / total, rel=1e-12)
    summary = dq.summary()
    for key in ("dqr", "dqr_activity", "dqr_dataset", "dqr_activity_coverage", "dqr_dataset_coverage"):
        assert summary[key] == pytest.approx(getattr(dq, key), rel=1e-12)
    assert "activity data" in str(dq) and "datasets" in str(dq)


def test_poor_activity_data_lower_the_dqr(write_model, db):
    """Main rated the factors only: the pedigree of the activity data did not move the DQR."""
    good = data_quality(_model(write_model, "1;1;1;1;1"), db, gwp_set="AR6")
    poor = data_quality(_model(write_model, "5;5;5;5;5"), db, gwp_set="AR6")
    assert poor.dqr > good.dqr + 0.1  # on main both were the factors' 1.52
    assert good.dqr_dataset == pytest.approx(poor.dqr_dataset)  # same factors
    assert poor.dqr_activity > good.dqr_activity
    assert poor.dqr_level != "excellent"
    det = pcflab.footprint(_model(write_model, "5;5;5;5;5"), db, gwp_set="AR6")
    assert det.attrs["dqr"] == pytest.approx(poor.dqr, rel=1e-12)
    assert det.attrs["dqr_activity"] == pytest.approx(poor.dqr_activity, rel=1e-12)
    assert det.attrs["dqr_dataset"] == pytest.approx(poor.dqr_dataset, rel=1e-12)


def test_report_table_shows_both_parts_and_the_combination(write_model, db):
    dq = data_quality(_model(write_model), db, gwp_set="AR6")
    q = pcflab.quality_table(dq)
    row = q[q["target"] == "ch4_fossil"].iloc[0]
    assert row["activity DQR"] == pytest.approx(2.5) and math.isnan(row["dataset DQR"]) and row["DQR"] == 2.5
    row = q[q["target"] == "test/electricity/grid/2023"].loc["assembly"]
    assert (row["activity DQR"], row["dataset DQR"], row["DQR"]) == pytest.approx((1.25, 2.0, 1.75))


def test_shipped_model_dqr_rates_its_activity_data():
    dq = data_quality("steel/bf-bof-hot-rolled-coil")
    assert dq.dqr_activity is not None and 0 < dq.dqr_activity_coverage <= 1
    assert dq.dqr_dataset is not None and dq.dqr != pytest.approx(dq.dqr_dataset)
