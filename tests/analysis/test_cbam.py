"""CBAM embedded emissions of the shipped steel and aluminium models against hand calculations.

Embedded emissions = direct emissions of the production processes and of the relevant
precursors (Regulation (EU) 2023/956 Annex IV point 2; Implementing Regulation (EU) 2023/1773
Annex II section 3); indirect (electricity) emissions computed apart and counted only for
cement and fertilisers (2023/956 Article 7(1), Annex II). The hand calculations use the
models' parameter values and the factor table's rows, written out below.
"""

import pytest

import pcflab
from pcflab.core import PcfError
from tests.models_for_tests import header_yaml, process_yaml

# Factor rows (datasets/factors): IPCC 2006 Vol. 3 Table 4.1 Tier 1 [t CO2/t], IPCC 2006 Vol. 2
# Table 2.3 natural gas [kg CO2/GJ], national electricity footprint 2023 [kg CO2e/kWh], China
# ETS draft aluminium defaults [t CO2e/t Al].
SINTER, PIG_IRON, BOF_STEP, COKE = 0.20, 1.35, 0.11, 0.56
NATURAL_GAS = 56.1
GRID = 0.6205
ANODE, PFC = 1.424, 0.1454


def hot_rolled_coil_by_hand():
    """Direct and indirect CBAM emissions of 1 t BF-BOF hot-rolled coil [kg CO2e/t]."""
    steel = 1 / 0.948  # t crude steel per t coil (rolling yield)
    hot_metal = 0.950 * steel
    sinter = 1.314 * hot_metal
    direct = 1000 * (SINTER * sinter + PIG_IRON * hot_metal + BOF_STEP * steel) + 1.96 / 0.948 * NATURAL_GAS
    kwh = 40.1 * sinter + 110.0 * hot_metal + 35.5 * steel  # the coke oven is outside (coke, CN 2704)
    return direct, GRID * kwh


def test_bf_bof_hot_rolled_coil():
    fp = pcflab.footprint("steel/bf-bof-hot-rolled-coil", profile="cbam")
    direct, indirect = hot_rolled_coil_by_hand()
    assert float(fp["gwp100"].sum()) == pytest.approx(direct, rel=1e-9)  # 1848.2; was 2179.6
    assert fp.attrs["cbam_direct_emissions"] == pytest.approx(direct, rel=1e-9)
    assert fp.attrs["cbam_indirect_emissions"] == pytest.approx(indirect, rel=1e-9)  # 124.4, apart
    assert fp.attrs["cbam_indirect_counted"] == 0
    assert fp.attrs["cbam_goods_category"] == "iron_or_steel_products"
    by_process = fp["gwp100"].sum("gas").to_series()
    for outside in ("coke_oven", "coking_coal_supply", "pci_coal_supply", "natural_gas_supply"):
        assert by_process[outside] == 0.0


def test_primary_aluminium_ingot():
    fp = pcflab.footprint("aluminium/primary-ingot", profile="cbam")
    assert float(fp["gwp100"].sum()) == pytest.approx(1000 * (ANODE + PFC), rel=1e-9)  # 1569.4; was 11697.6
    assert fp.attrs["cbam_indirect_emissions"] == pytest.approx(13599.0 * GRID, rel=1e-9)
    assert fp.attrs["cbam_indirect_counted"] == 0
    by_process = fp["gwp100"].sum("gas").to_series()
    for outside in ("alumina_refining", "bauxite_supply", "lime_supply"):  # not relevant precursors
        assert by_process[outside] == 0.0


def test_cement_counts_its_indirect_emissions():
    fp = pcflab.footprint("cement/po-42-5-cement", profile="cbam")
    a = fp.attrs
    assert a["cbam_indirect_counted"] == 1 and a["cbam_indirect_emissions"] > 0
    assert float(fp["gwp100"].sum()) == pytest.approx(a["cbam_direct_emissions"] + a["cbam_indirect_emissions"])
    by_process = fp["gwp100"].sum("gas").to_series()
    assert by_process["limestone_quarrying"] == by_process["non_clinker_supply"] == 0.0
    assert by_process["clinker_kiln"] > 0


@pytest.mark.parametrize(
    ("model", "message"),
    [
        ("tyres/passenger-car-tyre", r"not a CBAM good: CN 4011 10 00 \(tyres\) is not in Annex I"),
        ("textiles/cotton-t-shirt", r"not a CBAM good: CN 6109 10 00 \(T-shirts\) is not in Annex I"),
        ("aluminium/alumina-smelter-grade", r"not a CBAM good: CN 2818 20 00"),
        ("beer/bottled-lager", r"not a CBAM good: the model states no CN code"),
    ],
)
def test_goods_outside_annex_i_raise(model, message):
    with pytest.raises(PcfError, match=message) as err:
        pcflab.footprint(model, profile="cbam")
    text = str(err.value)
    assert model.split("/")[1] + ".yaml" in text and "cn_code" in text and "how to fix" in text


def test_compare_all_profiles_leaves_cbam_out_for_other_goods():
    table = pcflab.compare_methods("tyres/passenger-car-tyre")
    assert "cbam" not in table.index and "iso14067" in table.index
    assert "not a CBAM good" in table.attrs["not_applicable"]["cbam"]


HEADER = header_yaml("test/cbam", "CBAM test", "make") + 'cn_code: "7601 10 00"\nprocesses:\n'


def small_model(model_file, *, power_cn='"2716 00 00"'):
    """1 t aluminium: 100 kg CO2 direct, 2 t alumina (300 kg), 1000 kWh grid, captive power 50 kg."""
    return model_file(
        HEADER
        + process_yaml(
            "make",
            "Electrolysis",
            "production",
            ("aluminium", 1, "t"),
            inputs=[("alumina", 2, "t"), ("anodes", 0.5, "t"), ("power", 1000, "kWh")],
            factors=[("electricity/footprint", 1000, "kWh")],
            emissions=[("co2_fossil", 100, "kg")],
        )
        + process_yaml(
            "alumina",
            "Alumina",
            "production",
            ("alumina", 1, "t"),
            lines=['cn_code: "2818 20 00"'],
            inputs=[("mine", 1, "t")],
            emissions=[("co2_fossil", 150, "kg")],
        )
        + process_yaml("mine", "Bauxite", "production", ("bauxite", 1, "t"), emissions=[("co2_fossil", 7, "kg")])
        + process_yaml("anodes", "Anode baking", "production", ("anode", 1, "t"), emissions=[("co2_fossil", 40, "kg")])
        + process_yaml(
            "power",
            "Captive power",
            "production",
            ("electricity", 1, "kWh"),
            lines=[f"cn_code: {power_cn}"],
            emissions=[("co2_fossil", 0.05, "kg")],
        )
    )


def test_precursor_roles_on_a_small_model(model_file):
    fp = pcflab.footprint(small_model(model_file), profile="cbam")
    # direct: electrolysis 100 + anode baking (no cn_code: a production process) 0.5 x 40;
    # alumina (not a relevant precursor) and the bauxite only it uses are outside
    assert float(fp["gwp100"].sum()) == pytest.approx(100 + 0.5 * 40)
    # indirect: grid 1000 kWh x 0.6205 and the captive plant's 1000 x 0.05, apart
    assert fp.attrs["cbam_indirect_emissions"] == pytest.approx(1000 * GRID + 1000 * 0.05)
    iso = pcflab.footprint(small_model(model_file), profile="iso14067")
    assert float(iso["gwp100"].sum()) > float(fp["gwp100"].sum()) + 2 * 150


def test_a_bad_cn_code_is_a_located_model_error(model_file):
    with pytest.raises(PcfError, match="4, 6 or 8 digits") as err:
        pcflab.load_model(small_model(model_file, power_cn='"27160"'))
    assert "processes.power.cn_code" in str(err.value)


def test_the_command_says_why_cbam_does_not_apply(capsys):
    from pcflab.cli import main

    assert main(["run", "tyres/passenger-car-tyre", "--profiles", "all"]) == 0
    assert "cbam: not applicable (not a CBAM good: CN 4011 10 00 (tyres)" in capsys.readouterr().out
