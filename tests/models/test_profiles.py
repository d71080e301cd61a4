"""Method profiles: allocation, system expansion, CBAM boundary, market-based electricity,
recycling (cut-off, avoided burden, CFF), cut-off rules and separate reporting, each against
a hand-worked case."""

import pytest

import pcflab
from pcflab.cli import main
from pcflab.core._errors import ModelError
from pcflab.methods import CffParameters, MethodProfile, avoided_burden, circular_footprint_formula, cut_off
from tests.conftest import factor_row
from tests.models_for_tests import header_yaml, process_yaml

HEADER = "\n" + header_yaml("test/profiles", "Profiles test", "make", functional_unit=(1, "t", "one tonne of A"))

COPRODUCTS = (
    HEADER
    + """
processes:
  make:
    name: Make A and B
    stage: production
    reference_product:
      name: A
      amount: 1
      unit: t
      properties: {mass: 1 t, economic: 300 CNY, energy: 10 GJ}
    co_products:
      - name: B
        amount: 0.5
        unit: t
        properties: {mass: 500 kg, economic: 100 CNY, energy: 30 GJ}
        substitutes:
          - {factor: test/material/b/2023, amount: 0.5, unit: t}
    emissions:
      - {gas: co2_fossil, amount: 10, unit: kg}
"""
)


@pytest.fixture
def db(factor_file):
    return pcflab.load_factors(
        factor_file(
            factor_row(fid="test/material/b/2023", per="t", value="2.0", gsd="1.0"),
            factor_row(
                fid="cn/electricity/footprint/2023",
                gas="co2e",
                gwp_set="unstated",
                per="kWh",
                value="0.6",
                region="CN",
                gsd="1.0",
            ),
            factor_row(
                fid="cn/electricity/footprint-wind/2023",
                gas="co2e",
                gwp_set="unstated",
                per="kWh",
                value="0.03",
                region="CN",
                gsd="1.0",
            ),
            factor_row(fid="glo/steel/virgin/x", per="kg", value="2.0", region="GLO", gsd="1.0"),
            factor_row(fid="glo/steel/recycled/x", per="kg", value="0.5", region="GLO", gsd="1.0"),
            factor_row(fid="glo/steel/remelting/x", per="kg", value="0.4", region="GLO", gsd="1.0"),
            factor_row(fid="glo/waste/landfill/x", per="kg", value="0.1", region="GLO", gsd="1.0"),
        )
    )


def total(model_file, db, text, profile):
    return float(pcflab.footprint(pcflab.load_model(model_file(text)), db, profile=profile)["gwp100"].sum())


@pytest.mark.parametrize(
    ("profile", "share"),
    [
        ("iso14067", 1 / 1.5),
        ("pas2050", 300 / 400),
        (MethodProfile(name="energy", title="t", allocation="energy"), 0.25),
    ],
)
def test_allocation_by_mass_value_and_energy(model_file, db, profile, share):
    assert total(model_file, db, COPRODUCTS, profile) == pytest.approx(10 * share)


def test_system_expansion_credits_the_substitute(model_file, db):
    # 10 kg direct, minus 0.5 t of B's substitute at 2 kg/t
    assert total(model_file, db, COPRODUCTS, "ghg-protocol") == pytest.approx(10 - 0.5 * 2.0)


def test_process_allocation_overrides_the_profile(model_file, db):
    text = COPRODUCTS.replace("    stage: production\n", "    stage: production\n    allocation: economic\n")
    assert total(model_file, db, text, "iso14067") == pytest.approx(7.5)


def test_missing_property_and_missing_substitute(model_file, db):
    text = COPRODUCTS.replace(", economic: 100 CNY", "")
    with pytest.raises(ModelError, match="economic allocation needs the economic property of 'B'") as err:
        pcflab.footprint(pcflab.load_model(model_file(text)), db, profile="pas2050")
    assert err.value.line is not None
    text = COPRODUCTS.replace(
        "        substitutes:\n          - {factor: test/material/b/2023, amount: 0.5, unit: t}\n", ""
    )
    with pytest.raises(ModelError, match="nothing it substitutes"):
        pcflab.footprint(pcflab.load_model(model_file(text)), db, profile="ghg-protocol")


def test_currencies_are_not_mixed(model_file, db):
    text = COPRODUCTS.replace("economic: 100 CNY", "economic: 100 USD")
    with pytest.raises(pcflab.PcfError, match="not comparable"):
        pcflab.footprint(pcflab.load_model(model_file(text)), db, profile="pas2050")


ELECTRICITY = (
    HEADER
    + """
parameters:
  green: {value: 0.3, unit: kWh/kWh}
electricity_contracts:
  - {instrument: gec, share: green, factor: electricity/footprint-wind, evidence: "GEC serials 1-100 (test)"}
processes:
"""
    + process_yaml(
        "make",
        "Make A",
        "production",
        ("A", 1, "t"),
        factors=[("electricity/footprint", 500, "kWh")],
        emissions=[("ch4_fossil", 1, "kg")],
    )
    + process_yaml(
        "mine",
        "Extraction",
        "raw_material_acquisition",
        ("ore", 1, "t"),
        lines=["within_cbam: false"],
        emissions=[("co2_fossil", 50, "kg")],
    )
)


def test_location_and_market_based_electricity(model_file, db):
    text = ELECTRICITY.replace("    emissions:\n      - {gas: ch4_fossil, amount: 1, unit: kg}\n", "", 1)
    assert total(model_file, db, text, "iso14067") == pytest.approx(500 * 0.6)
    assert total(model_file, db, text, "pef") == pytest.approx(500 * (0.7 * 0.6 + 0.3 * 0.03))
    det = pcflab.footprint(pcflab.load_model(model_file(text)), db, profile="pef")
    assert det.attrs["electricity_location_based_total"] == pytest.approx(500 * 0.6)
    assert det.attrs["electricity_market_based_total"] == pytest.approx(500 * (0.7 * 0.6 + 0.3 * 0.03))


def test_cbam_boundary_gases_and_gwp(model_file, db):
    text = ELECTRICITY.replace(
        "      - {factor: electricity/footprint, amount: 500, unit: kWh}\n",
        "      - {factor: electricity/footprint, amount: 0, unit: kWh}\n",
    ).replace(
        "    reference_product: {name: A, amount: 1, unit: t}\n",
        "    reference_product: {name: A, amount: 1, unit: t}\n"
        "    inputs:\n      - {process: mine, amount: 2, unit: t}\n",
    )
    assert total(model_file, db, text, "iso14067") == pytest.approx(1 * 29.8 + 2 * 50)  # AR6 fossil CH4
    with pytest.raises(pcflab.PcfError, match="not a CBAM good"):  # the profile needs a CBAM good's CN code
        total(model_file, db, text, "cbam")
    text = text.replace("processes:\n", 'cn_code: "7208 39 00"\nprocesses:\n', 1)
    assert total(model_file, db, text, "cbam") == pytest.approx(0.0)  # no CH4 in CBAM; extraction outside


CIRCULAR = (
    HEADER
    + """
parameters:
  r1: {value: 0.3, unit: t/t}
  r2: {value: 0.8, unit: t/t}
circularity:
  - material: steel
    process: make
    mass: 1
    unit: t
    R1: r1
    R2: r2
    A: 0.2
    virgin: glo/steel/virgin/x
    recycled: glo/steel/recycled/x
    recycling_eol: glo/steel/remelting/x
    virgin_substituted: glo/steel/virgin/x
    disposal: glo/waste/landfill/x
processes:
"""
    + process_yaml("make", "Make A", "production", ("A", 1, "t"))
)


def test_recycling_methods_agree_with_the_formulas(model_file, db):
    ev, erec, eeol, ed = 2.0, 0.5, 0.4, 0.1  # kg CO2 per kg of steel; 1 t of steel
    expected = {
        "iso14067": cut_off(0.3, ev, erec, ed, 0.8),
        "pef": circular_footprint_formula(CffParameters(A=0.2, R1=0.3, R2=0.8), ev, erec, eeol, ev, ed)["total"],
        MethodProfile(name="ab", title="t", recycling="avoided_burden"): avoided_burden(0.8, ev, eeol, ed),
    }
    for profile, per_kg in expected.items():
        assert total(model_file, db, CIRCULAR, profile) == pytest.approx(1000 * per_kg), profile


def test_missing_circularity_factor_is_noted(model_file, db):
    text = CIRCULAR.replace("    disposal: glo/waste/landfill/x\n", "")
    cm = pcflab.compile_model(pcflab.load_model(model_file(text)), db, "pef")
    assert any("no 'disposal' factor" in n for n in cm.notes)


def test_cutoff_excludes_small_exchanges_and_reports_them(model_file, db):
    text = ELECTRICITY.replace("amount: 500, unit: kWh}", "amount: 10, unit: kWh}")  # 6 kg vs 29.8 kg
    profile = MethodProfile(name="cut", title="t", cutoff_share=0.25)
    det = pcflab.footprint(pcflab.load_model(model_file(text)), db, profile=profile)
    assert float(det["gwp100"].sum()) == pytest.approx(29.8)
    assert det.attrs["cutoff_excluded_share"] == pytest.approx(6 / (6 + 29.8))
    assert "make: cn/electricity/footprint/2023" in det.attrs["cutoff_excluded"]


def test_biogenic_and_dluc_are_reported_separately(model_file, db):
    text = (
        HEADER
        + "\nprocesses:\n"
        + process_yaml(
            "make",
            "Make A",
            "production",
            ("A", 1, "t"),
            inputs=[("clearing", 1, "t")],
            emissions=[("co2_fossil", 5, "kg"), ("co2_biogenic", 7, "kg"), ("ch4_non_fossil", 1, "kg")],
        )
        + process_yaml(
            "clearing",
            "Land clearing",
            "raw_material_acquisition",
            ("land", 1, "t"),
            lines=["report_as: dluc"],
            emissions=[("co2_fossil", 3, "kg")],
        )
    )
    cats = pcflab.report_categories(pcflab.footprint(pcflab.load_model(model_file(text)), db))
    assert cats == pytest.approx(
        {
            "total": 5 + 7 + 27.0 + 3,
            "fossil": 8.0,
            "biogenic": 7 + 27.0,
            "biogenic_emissions": 7 + 27.0,
            "biogenic_removals": 0.0,
            "pre_characterised": 0.0,
            "dluc": 3.0,
            "aircraft": 0.0,
        }
    )


def test_compare_methods_and_command(model_file, db, capsys):
    table = pcflab.compare_methods("steel/bf-bof-hot-rolled-coil")
    assert list(table.index) == ["iso14067", "ghg-protocol", "pas2050", "pef", "cbam"]
    assert table.loc["cbam", "total"] < table.loc["iso14067", "total"]
    assert table.loc["iso14067", "total"] == pytest.approx(
        float(pcflab.footprint("steel/bf-bof-hot-rolled-coil")["gwp100"].sum())
    )
    assert main(["run", "steel/bf-bof-hot-rolled-coil", "--profiles", "all"]) == 0
    out = capsys.readouterr().out
    assert "By life-cycle stage" in out and "By gas" in out and "cbam" in out


def test_biogenic_removals_are_reported_apart_from_emissions(model_file, db):
    text = (
        HEADER
        + "\nprocesses:\n"
        + process_yaml(
            "make",
            "Make A",
            "production",
            ("A", 1, "t"),
            inputs=[("grow", 1, "t")],
            emissions=[("co2_biogenic", 4, "kg")],
        )
        + process_yaml(
            "grow",
            "Growing biomass",
            "raw_material_acquisition",
            ("wood", 1, "t"),
            emissions=[("co2_biogenic", -10, "kg")],
        )
    )
    cats = pcflab.report_categories(pcflab.footprint(pcflab.load_model(model_file(text)), db))
    assert (cats["biogenic"], cats["biogenic_emissions"], cats["biogenic_removals"]) == pytest.approx((-6, 4, -10))


def test_explicit_allocation_shares(model_file, db):
    text = COPRODUCTS.replace(
        "    stage: production\n", "    stage: production\n    allocation_shares: {A: 0.9, B: 0.1}\n"
    )
    assert total(model_file, db, text, "pas2050") == pytest.approx(9.0)
    bad = text.replace("{A: 0.9, B: 0.1}", "{A: 0.9, B: 0.2}")
    with pytest.raises(ModelError, match="sum to one; they sum to 1.1") as err:
        total(model_file, db, bad, "iso14067")
    assert err.value.field == "processes.make.allocation_shares"
