"""Model files: validation errors name the file, the line and the key."""

import pytest

import pcflab
from pcflab._errors import ModelError, UnitMismatchError, UnknownFactorError
from tests.conftest import SMALL_MODEL, factor_row


@pytest.fixture
def factors(factor_file):
    return pcflab.load_factors(factor_file(factor_row()))


def compile_text(model_file, factors, text):
    return pcflab.compile_model(pcflab.load_model(model_file(text)), factors)


def test_small_model_compiles(model_file, factors):
    cm = compile_text(model_file, factors, SMALL_MODEL)
    assert cm.processes == ["assembly"]
    assert cm.parameter_ids == ["param:test/widget/power", "factor:test/electricity/grid/2023:co2_fossil"]


def test_shipped_steel_model_loads():
    m = pcflab.load_model("steel/bf-bof-hot-rolled-coil")
    assert m.reference_process == "hot_rolling"
    assert m.functional_unit.unit == "t"
    assert len(m.sha256) == 64


def test_unknown_factor_names_file_line_key(model_file, factors):
    text = SMALL_MODEL.replace("factor: test/electricity/grid/2023", "factor: test/electricity/grid/2099")
    path = model_file(text)
    with pytest.raises(UnknownFactorError) as err:
        pcflab.compile_model(pcflab.load_model(path), factors)
    msg = str(err.value)
    assert str(path) in msg
    assert err.value.line == 20  # the line of the '- {factor: ...}' entry
    assert "processes.assembly.factors[0].factor" in msg
    assert "test/electricity/grid/2099" in msg
    assert "similar ids: test/electricity/grid/2023" in msg


def test_amount_without_unit(model_file, factors):
    text = SMALL_MODEL.replace("amount: power, unit: kWh/t}", "amount: power}")
    with pytest.raises(ModelError) as err:
        compile_text(model_file, factors, text)
    assert err.value.field == "processes.assembly.factors[0].unit"
    assert err.value.line == 20
    assert "is required" in str(err.value)


def test_parameter_without_unit(model_file, factors):
    text = SMALL_MODEL.replace("    unit: kWh/t\n", "")
    with pytest.raises(ModelError) as err:
        compile_text(model_file, factors, text)
    assert err.value.field == "parameters.power.unit"
    assert err.value.line == 10


def test_non_numeric_value(model_file, factors):
    text = SMALL_MODEL.replace("value: 100", "value: a hundred")
    with pytest.raises(ModelError) as err:
        compile_text(model_file, factors, text)
    assert err.value.field == "parameters.power.value"
    assert err.value.line == 11
    assert "expected a number" in str(err.value) and "a hundred" in str(err.value)


def test_amount_that_is_not_a_formula(model_file, factors):
    text = SMALL_MODEL.replace("amount: power, unit", "amount: 12 kWh, unit")
    with pytest.raises(ModelError) as err:
        compile_text(model_file, factors, text)
    assert err.value.field == "processes.assembly.factors[0].amount"
    assert "units belong in the 'unit' key" in str(err.value)


def test_formula_may_not_call_functions(model_file, factors):
    text = SMALL_MODEL.replace("amount: power, unit", "amount: \"__import__('os').getcwd()\", unit")
    with pytest.raises(ModelError, match="is not allowed"):
        compile_text(model_file, factors, text)


def test_unknown_parameter_in_formula(model_file, factors):
    text = SMALL_MODEL.replace("amount: power, unit", "amount: powr * 2, unit")
    with pytest.raises(ModelError) as err:
        compile_text(model_file, factors, text)
    assert "unknown parameter 'powr'" in str(err.value)
    assert "known: power" in str(err.value)


def test_unknown_key_is_reported(model_file, factors):
    text = SMALL_MODEL.replace("    stage: production", "    stage: production\n    stagee: production")
    with pytest.raises(ModelError) as err:
        compile_text(model_file, factors, text)
    assert err.value.field == "processes.assembly.stagee"
    assert err.value.line == 18


def test_unknown_stage(model_file, factors):
    text = SMALL_MODEL.replace("stage: production", "stage: manufacturing")
    with pytest.raises(ModelError) as err:
        compile_text(model_file, factors, text)
    assert "raw_material_acquisition" in err.value.hint


def test_broken_yaml_gives_line(model_file):
    path = model_file("pcflab_model: 1\nid: [unclosed\nname: x\n")
    with pytest.raises(ModelError) as err:
        pcflab.load_model(path)
    assert err.value.line is not None and "not valid YAML" in str(err.value)


def test_unknown_model_name():
    with pytest.raises(ModelError, match="no model file or shipped model"):
        pcflab.load_model("steel/does-not-exist")


def test_input_from_unknown_process(model_file, factors):
    text = SMALL_MODEL + "    inputs:\n      - {process: paint, amount: 1, unit: t}\n"
    with pytest.raises(ModelError) as err:
        compile_text(model_file, factors, text)
    assert err.value.field == "processes.assembly.inputs[0].process"
    assert err.value.line == 22


def test_energy_against_mass_factor_is_a_unit_error(model_file, factor_file):
    factors = pcflab.load_factors(factor_file(factor_row(per="t")))
    with pytest.raises(UnitMismatchError) as err:
        compile_text(model_file, factors, SMALL_MODEL)
    assert "kWh" in str(err.value) and err.value.field == "processes.assembly.factors[0].unit"


def test_unknown_unit(model_file, factors):
    text = SMALL_MODEL.replace("unit: kWh/t\n", "unit: kWhh/t\n")
    with pytest.raises(UnitMismatchError, match="unknown unit 'kWhh/t'"):
        compile_text(model_file, factors, text)


def test_formula_result_in_wrong_unit(model_file, factors):
    text = SMALL_MODEL.replace("amount: power, unit: kWh/t}", "amount: power, unit: kg/t}")
    with pytest.raises(UnitMismatchError, match="make 'unit' the unit of the formula's result"):
        compile_text(model_file, factors, text)


def test_lognormal_needs_spread(model_file, factors):
    text = SMALL_MODEL.replace("{distribution: lognormal, gsd: 1.2}", "{distribution: lognormal}")
    with pytest.raises(ModelError, match="needs 'gsd', 'pedigree' or 'sd'"):
        compile_text(model_file, factors, text)


def test_all_problems_of_a_model_are_reported_together(model_file, factors):
    text = SMALL_MODEL.replace(
        "      - {factor: test/electricity/grid/2023, amount: power, unit: kWh/t}\n",
        "      - {factor: test/electricity/grid/2099, amount: power, unit: kWh/t}\n"
        "      - {factor: test/electricity/grid/2023, amount: powr, unit: kWh/t}\n"
        "      - {factor: test/electricity/grid/2023, amount: power, unit: kg/t}\n",
    )
    with pytest.raises(ModelError) as err:
        compile_text(model_file, factors, text)
    found = [(p.line, p.field) for p in err.value.problems]
    assert found == [
        (20, "processes.assembly.factors[0].factor"),
        (21, "processes.assembly.factors[1].amount"),
        (22, "processes.assembly.factors[2].unit"),
    ]
    assert "and 2 more problems" in str(err.value)


def test_all_schema_problems_are_reported_together(model_file):
    text = SMALL_MODEL.replace("value: 100", "value: lots").replace("stage: production", "stage: making")
    with pytest.raises(ModelError) as err:
        pcflab.load_model(model_file(text))
    assert [p.field for p in err.value.problems] == ["parameters.power.value", "processes.assembly.stage"]


def test_committed_json_schema_is_current():
    import json
    from pathlib import Path

    from pcflab._model import model_schema

    committed = json.loads((Path(__file__).parents[1] / "datasets" / "models" / "schema.json").read_text("utf-8"))
    assert committed == model_schema(), "regenerate with: pcflab models --schema > datasets/models/schema.json"


@pytest.mark.parametrize(
    ("declared", "used", "expected"),
    [
        ("20 kg/t", "kg/t", 0.02),  # 20 kg of part per t of widget
        ("20 kg/t", "t/t", 0.02),
        ("2 '%'", "kg/kg", 0.02),
        ("0.02 t/t", "kg/t", 0.02),
        ("0.02 t/t", "t/t", 0.02),
    ],
)
def test_ratio_parameter_keeps_its_unit_in_an_exchange(model_file, factors, declared, used, expected):
    """A ratio parameter (kg/t, %) used with a ratio unit is converted, not read as a plain number."""
    value, unit = declared.split()
    inputs = f"\n    inputs:\n      - {{process: part, amount: share, unit: {used}}}"
    reference = "reference_product: {name: widget, amount: 1, unit: t}"
    grid = "{factor: test/electricity/grid/2023, amount: %s, unit: kWh/t}"
    text = (
        SMALL_MODEL.replace("power:\n    value: 100\n    unit: kWh/t", f"share:\n    value: {value}\n    unit: {unit}")
        .replace("    uncertainty: {distribution: lognormal, gsd: 1.2}\n", "")
        .replace(reference, reference + inputs)
        .replace(grid % "power", grid % "0")
    )
    text += """  part:
    name: Part
    stage: raw_material_acquisition
    reference_product: {name: part, amount: 1, unit: t}
    factors:
      - {factor: test/electricity/grid/2023, amount: 1000, unit: kWh/t}
"""
    result = pcflab.footprint(pcflab.load_model(model_file(text)), factors)
    # `expected` t of part per t of widget x 1000 kWh/t x 0.5 kg CO2/kWh (factor_row)
    assert float(result.gwp100.sum()) == pytest.approx(expected * 1000 * 0.5, rel=1e-12)
