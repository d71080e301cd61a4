"""Data quality of a result: DQR, primary and traceable shares, cut-off, the model fields that
declare them, and the summary every result carries, against values worked out by hand."""

import json
import math

import numpy as np
import pytest

import pcflab
from pcflab.analysis._data_quality import data_quality, exchange_parameters, product_dqr
from pcflab.core._errors import ModelError
from pcflab.methods import MethodProfile, gwp100
from tests.conftest import factor_row
from tests.models_for_tests import assembly_and_parts_yaml

STEEL = "steel/bf-bof-hot-rolled-coil"
CH4 = gwp100("ch4_fossil", "AR6")
N2O = gwp100("n2o", "AR6")

#: power: primary and calibrated; heat_used = heat x ratio: primary, and measured (heat) at
#: best; parts_power: secondary literature; the direct CH4 and the 0.5 t of parts: plain numbers.
DECLARED = assembly_and_parts_yaml(
    "test/data-quality",
    "Data quality test",
    """  power:
    value: 100
    unit: kWh/t
    data_type: primary
    traceability: measured-calibrated
    certificate: CNAS L0001 calibration certificate 2023-17 (main meter)
  heat: {value: 2, unit: GJ/t, data_type: primary, traceability: measured}
  ratio: {value: 1, unit: GJ/GJ, data_type: primary, traceability: measured-calibrated, certificate: meter record 42}
  heat_used: {formula: heat * ratio, unit: GJ/t}
  parts_power: {value: 40, unit: kWh/t, data_type: secondary, traceability: literature}
""",
    parts_power="parts_power",
    heat="heat_used",
)

# By hand [kg CO2e per t widget]: assembly runs 1 t, parts 0.5 t.
GRID_ASSEMBLY = 100 * 0.5  # primary, traceable
CH4_DIRECT = 0.1 * CH4  # plain number: undeclared
GRID_PARTS = 0.5 * 40 * 0.5  # secondary
GAS_CO2 = 0.5 * 2 * 56.0  # primary, measured (not traceable)
GAS_CH4 = 0.5 * 2 * 0.001 * CH4
TOTAL = GRID_ASSEMBLY + CH4_DIRECT + GRID_PARTS + GAS_CO2 + GAS_CH4
# PEF DQR from the pedigree scores (TeR, GeR, TiR, P = tech, geo, temporal, reliability)
DQR_GRID, DQR_GAS_CO2, DQR_GAS_CH4 = (2 + 1 + 3 + 2) / 4, 1.0, 3.0


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


@pytest.fixture
def declared(write_model):
    return pcflab.load_model(write_model(DECLARED))


def test_shares_and_dqr_equal_the_hand_calculation(declared, db):
    dq = data_quality(declared, db)
    assert dq.primary_share == pytest.approx((GRID_ASSEMBLY + GAS_CO2 + GAS_CH4) / TOTAL, rel=1e-12)
    assert dq.traceable_share == pytest.approx(GRID_ASSEMBLY / TOTAL, rel=1e-12)
    rated = GRID_ASSEMBLY + GRID_PARTS + GAS_CO2 + GAS_CH4
    dqr = ((GRID_ASSEMBLY + GRID_PARTS) * DQR_GRID + GAS_CO2 * DQR_GAS_CO2 + GAS_CH4 * DQR_GAS_CH4) / rated
    assert dq.dqr == pytest.approx(dqr, rel=1e-12)
    assert dq.dqr_level == "very good"  # 1.52: above 1.5, at most 2.0
    assert dq.dqr_coverage == pytest.approx(rated / TOTAL, rel=1e-12)
    assert (dq.dqr, dq.dqr_level, dq.dqr_coverage) == product_dqr(pcflab.compile_model(declared, db))
    assert dq.cutoff_excluded_share == 0 and dq.cutoff_excluded == []
    table = dq.table.set_index(["process", "target"])
    expected = {
        ("assembly", "test/electricity/grid/2023"): ("primary", "measured-calibrated", ["power"]),
        ("assembly", "ch4_fossil"): ("undeclared", "undeclared", []),
        ("parts", "test/electricity/grid/2023"): ("secondary", "literature", ["parts_power"]),
        ("parts", "test/fuel/gas/2023"): ("primary", "measured", ["heat", "ratio"]),  # through heat_used
    }
    for key, (data_type, trace, params) in expected.items():
        row = table.loc[key]
        assert (row["data_type"], row["traceability"], sorted(row["parameters"])) == (data_type, trace, params), key
    assert table.loc[("parts", "test/fuel/gas/2023"), "gwp100"] == pytest.approx(GAS_CO2 + GAS_CH4)
    assert table.loc[("parts", "test/fuel/gas/2023"), "factor_dqr"] == pytest.approx(
        (GAS_CO2 * DQR_GAS_CO2 + GAS_CH4 * DQR_GAS_CH4) / (GAS_CO2 + GAS_CH4)
    )
    assert table.loc[("assembly", "test/electricity/grid/2023"), "factor_traceability"] == "literature"
    assert table["abs_share"].sum() == pytest.approx(1.0)
    assert any("not all declared primary" in n for n in dq.notes)
    json.dumps(dq.as_dict(), allow_nan=False)  # JSON-serialisable as it stands


def test_exchange_parameters_resolve_derived_parameters(declared, db):
    cm = pcflab.compile_model(declared, db)
    names = list(declared.parameters)
    used = {tuple(names[q] for q in qs) for qs in exchange_parameters(cm)}
    assert used == {("power",), (), ("parts_power",), ("heat", "ratio")}


def test_every_result_carries_the_data_quality_summary(declared, db, tmp_path):
    dq = data_quality(declared, db)
    det = pcflab.footprint(declared, db)
    mc = pcflab.simulate(declared, 64, seed=1, factors=db)
    for result in (det, mc):
        assert result.attrs["primary_share"] == pytest.approx(dq.primary_share, rel=1e-12)
        assert result.attrs["traceable_share"] == pytest.approx(dq.traceable_share, rel=1e-12)
        assert result.attrs["dqr"] == pytest.approx(dq.dqr, rel=1e-12)
        assert result.attrs["dqr_level"] == "very good"
        assert result.attrs["dqr_coverage"] == pytest.approx(dq.dqr_coverage, rel=1e-12)
        assert result.attrs["cutoff_excluded_share"] == 0.0
        assert json.loads(result.attrs["data_quality_notes"]) == dq.notes
    mc.to_netcdf(tmp_path / "mc.nc")


def test_data_quality_is_assessed_once_per_compiled_model(declared, db, monkeypatch):
    """Every result's attrs carry the data quality; it is assessed once per model and GWP set."""
    from pcflab.analysis import _data_quality

    cm = pcflab.compile_model(declared, db)
    calls = []
    assess = _data_quality._assess
    monkeypatch.setattr(_data_quality, "_assess", lambda c, g=None: calls.append(g) or assess(c, g))
    first = pcflab.footprint(cm)
    pcflab.simulate(cm, 64, seed=1)
    pcflab.evaluate(cm, cm.nominal[None, :])
    assert len(calls) == 1
    pcflab.footprint(cm, gwp_set="AR5")
    assert len(calls) == 2  # another GWP set weighs the contributions otherwise
    first.attrs["dqr_level"] = "changed"  # a result's attrs are its own
    assert pcflab.footprint(cm).attrs["dqr_level"] == "very good"


def test_unrated_model_reports_nan_and_na_and_round_trips_netcdf(model_file, factor_file, tmp_path):
    """No factor carries a rating: the DQR is NaN / "n/a" in attrs, None in the dataclass."""
    import xarray as xr

    db = pcflab.load_factors(factor_file(factor_row(value="0.5", gsd="1.1")))
    text = DECLARED.split("  parts:\n")[0].replace("      - {process: parts, amount: 0.5, unit: t}\n", "")
    text = text.replace("    inputs:\n", "")
    model = pcflab.load_model(model_file(text))
    dq = data_quality(model, db)
    assert dq.dqr is None and dq.dqr_level is None and dq.dqr_coverage == 0.0
    assert any("no factor or activity data of the model carries a DQR" in n for n in dq.notes)
    det = pcflab.footprint(model, db)
    assert math.isnan(det.attrs["dqr"]) and det.attrs["dqr_level"] == "n/a"
    assert det.attrs["primary_share"] == pytest.approx(GRID_ASSEMBLY / (GRID_ASSEMBLY + CH4_DIRECT))
    det.to_netcdf(tmp_path / "det.nc")
    back = xr.load_dataset(tmp_path / "det.nc")
    assert math.isnan(back.attrs["dqr"]) and back.attrs["dqr_level"] == "n/a"
    assert back.attrs["traceable_share"] == pytest.approx(det.attrs["traceable_share"])


def test_cutoff_excluded_share_is_reported(write_model, db):
    """A 1 g N2O emission (0.273 kg CO2e, 0.23 % of the total) falls under a 1 % cut-off."""
    path = write_model(
        DECLARED,
        (
            "      - {gas: ch4_fossil, amount: 0.1, unit: kg}\n",
            "      - {gas: ch4_fossil, amount: 0.1, unit: kg}\n      - {gas: n2o, amount: 0.001, unit: kg}\n",
        ),
    )
    profile = MethodProfile(name="cut", title="one per cent cut-off", cutoff_share=0.01)
    model = pcflab.load_model(path)
    dq = data_quality(model, db, profile=profile)
    n2o = 0.001 * N2O
    assert dq.cutoff_excluded_share == pytest.approx(n2o / (TOTAL + n2o), rel=1e-12)
    assert dq.cutoff_excluded == ["assembly: n2o"] and dq.cutoff_threshold == 0.01
    assert dq.primary_share == pytest.approx((GRID_ASSEMBLY + GAS_CO2 + GAS_CH4) / TOTAL, rel=1e-12)
    det = pcflab.footprint(model, db, profile=profile)
    assert det.attrs["cutoff_excluded_share"] == pytest.approx(dq.cutoff_excluded_share, rel=1e-12)
    assert dq.summary()["cutoff_excluded_share"] == det.attrs["cutoff_excluded_share"]


def test_measured_calibrated_needs_a_certificate(write_model):
    for certificate in ("", "    certificate: '  '\n"):
        path = write_model(
            DECLARED, ("    certificate: CNAS L0001 calibration certificate 2023-17 (main meter)\n", certificate)
        )
        with pytest.raises(ModelError, match="measured-calibrated data need a calibration certificate") as err:
            pcflab.load_model(path)
        assert err.value.file == str(path)
        assert err.value.field == "parameters.power.certificate"
        lines = path.read_text(encoding="utf-8").splitlines()
        key = "    certificate:" if certificate else "  power:"  # the key, or its parameter if absent
        assert err.value.line == 1 + next(i for i, line in enumerate(lines) if line.startswith(key))
        assert "certificate:" in err.value.hint and "traceability: measured" in err.value.hint
    path = write_model(
        DECLARED, ("traceability: measured-calibrated, certificate: meter record 42", "traceability: measured")
    )
    assert pcflab.load_model(path).parameters["ratio"].certificate is None


def test_declarations_are_validated(write_model):
    path = write_model(
        DECLARED,
        (
            "heat_used: {formula: heat * ratio, unit: GJ/t}",
            "heat_used: {formula: heat * ratio, unit: GJ/t, data_type: primary}",
        ),
    )
    with pytest.raises(ModelError, match="takes its data type and traceability from its inputs") as err:
        pcflab.load_model(path)
    assert err.value.field == "parameters.heat_used"
    path = write_model(DECLARED, ("data_type: secondary", "data_type: site"))
    with pytest.raises(ModelError, match="not allowed") as err:
        pcflab.load_model(path)
    assert err.value.field == "parameters.parts_power.data_type" and "'primary' or 'secondary'" in err.value.hint
    path = write_model(DECLARED, ("traceability: literature", "traceability: calibrated"))
    with pytest.raises(ModelError) as err:
        pcflab.load_model(path)
    assert err.value.field == "parameters.parts_power.traceability" and "measured-calibrated" in err.value.hint


def test_shipped_steel_model_has_no_primary_data_and_says_so():
    dq = data_quality(STEEL)
    assert dq.primary_share == 0.0 and dq.traceable_share == 0.0
    assert any("no model parameter is declared primary" in n for n in dq.notes)
    assert any("measured-calibrated" in n for n in dq.notes)
    assert dq.dqr_coverage == pytest.approx(1.0)  # every steel factor carries a rating
    assert 1 <= dq.dqr <= 5 and dq.dqr_level == "fair"
    det = pcflab.footprint(STEEL)
    assert det.attrs["primary_share"] == 0.0 and "primary" in det.attrs["data_quality_notes"]
    table = dq.table
    assert table["gwp100"].sum() == pytest.approx(float(det["gwp100"].sum()), rel=1e-12)
    assert set(table["data_type"]) == {"undeclared"}
    assert np.all(np.diff(table["gwp100"].abs().to_numpy()) <= 0)
