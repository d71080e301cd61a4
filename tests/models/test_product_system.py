"""Model files: validation errors name the file, the line and the key."""

import textwrap
from pathlib import Path

import pytest

import pcflab
from pcflab.core._errors import ModelError, UnitMismatchError, UnknownFactorError
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

    from pcflab.models._product_system import model_schema

    committed = json.loads((Path(__file__).parents[2] / "datasets" / "models" / "schema.json").read_text("utf-8"))
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


# --- Reading YAML: the libyaml fast path gives what ruamel.yaml's round-trip loader gives ---

# validation.yaml files (a list of published values per sector, tests/test_validation_table.py) are not models
SHIPPED_MODELS = sorted(
    p for p in (Path(__file__).parents[2] / "datasets" / "models").glob("**/*.yaml") if p.name != "validation.yaml"
)

# Scalars whose type depends on the YAML version or on ruamel's rules (one per line, as values)
TRICKY_SCALARS = """
1 -1 +1 0 00 007 -0 +0 0o17 +0o7 0x1F -0x1F 0x_1 0b101 -0b1 1_000 1_0 1__0 0_1 1_
1e3 1e-3 1E3 1e+3 1E+03 1.0e3 1.5e+3 1.5E-3 1e400 0e0 1. 0. .5 +.5 -.5 ._5 .1_0 1.0_0 1_000.5 -0.0 +1.5 0.1
.inf -.inf +.inf .Inf .INF .nan .NaN .NAN nan inf -inf NaN Inf
yes no on off y n Y N Yes NO On OFF
true True TRUE false False FALSE tRue fALSE
null Null NULL ~ nULL
2023-01-01 9999-12-31 2023-1-1 1:30 1:30:00 12:30 190:20:30
12e 1e e3 0xG 0o8 0b2 0b 0x 0o 1e1_0 _1 1,000 $1 1.2.3 0X1F 1e3x
""".split()

TRICKY_YAML = r"""# a comment
pcflab_model: 1
"quoted key": 'single ''quoted'' value'
'a.b': plain value with  two spaces   # trailing comment
key with spaces: x
url: http://example.org/a#frag
hash: a#b
colon: a:b
quoted: ["1", '1e3', "true", 'null', "", '', "yes"]
empty:
empty flow: {a: , b: }
nested:
  - - a
    - b
  - -
    - c
  -
    name: next line
    value: 2
  - {x: 1, y: [1, 2, {z: 3}]}
  - [a: 1, b: 2]
  - ! 12
  - ! "12"
multi plain: this is
  a multi line

  plain scalar
multi double: "first
  second \
  third"
escapes: "tab\tnl\nhex\x41u\u00e9U\U0001F600 nel\N nbsp\_ ls\L ps\P slash\/ esc\e zero\0 bs\b q\" bk\\ sp\ "
single: 'it''s
  folded'
literal: |
  line 1
    indented
  line 3

literal keep: |+
  kept


literal strip: |-
  stripped
literal indent: |2
   three spaces
folded: >
  folded
  text

  para
   more indented
  back
folded strip: >-
  a
  b
anchors:
  base: &base {unit: kg, amount: 2}
  copy: *base
  scalar: &s 5
  again: *s
  str: &t hello
  str again: *t
中文键: 中文值
? explicit key
: explicit value
? |
  block key
: v
long: [a, b,
  c, d]
trailing comma: [a, b, ]
flow map multi: {a: 1,
  b: 2}
"""


def _typed(value):
    """A value with the type of every scalar spelled out (ruamel's int, float and str subclasses
    count as int, float and str)."""
    import datetime

    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int):
        return ("int", int(value))
    if isinstance(value, float):
        return ("float", repr(float(value)))  # tells -0.0 from 0.0; nan, inf
    if isinstance(value, str):
        return ("str", str(value))
    if value is None:
        return ("null", None)
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return ("date", value)
    return ("other", repr(value))


def _ruamel(text):
    """The reference: ruamel.yaml's round-trip document, as load_model read every file before."""
    from ruamel.yaml import YAML

    return YAML(typ="rt").load(text)


def _fast(text):
    from pcflab.models._yaml import _fast_data

    data = _fast_data(text, "test.yaml")
    assert data is not None, "the fast reader left this text to ruamel"
    return data


@pytest.mark.parametrize("path", SHIPPED_MODELS, ids=lambda p: p.stem)
def test_fast_reader_gives_ruamels_data_and_lines_for_shipped_models(path):
    from pcflab.models._yaml import _compose, _node_lines, _plain, _positions

    text = path.read_text("utf-8")
    doc = _ruamel(text)
    assert _typed(_fast(text)) == _typed(_plain(doc))
    assert _node_lines(_compose(text)) == _positions(doc)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("bom", ["", "\ufeff"])
def test_fast_reader_gives_ruamels_data_and_lines_for_tricky_yaml(newline, bom):
    from pcflab.models._yaml import _compose, _node_lines, _plain, _positions

    text = bom + TRICKY_YAML.replace("\n", newline)
    doc = _ruamel(text)
    assert _typed(_fast(text)) == _typed(_plain(doc))
    assert _node_lines(_compose(text)) == _positions(doc)


def test_scalars_resolve_as_in_yaml_1_2_as_ruamel_reads_it():
    from pcflab.models._yaml import _plain

    text = "".join(f"k{i}: {v}\n" for i, v in enumerate(TRICKY_SCALARS))
    text += "".join(f"s{i}: [{v}, {{q: {v}}}]\n" for i, v in enumerate(TRICKY_SCALARS) if "," not in v)
    fast, ref = _typed(_fast(text)), _typed(_plain(_ruamel(text)))
    assert fast == ref
    # the cases the YAML versions disagree on
    assert fast["k" + str(TRICKY_SCALARS.index("1e3"))] == ("float", "1000.0")
    assert fast["k" + str(TRICKY_SCALARS.index("1e-3"))] == ("float", "0.001")
    assert fast["k" + str(TRICKY_SCALARS.index("yes"))] == ("str", "yes")
    assert fast["k" + str(TRICKY_SCALARS.index("off"))] == ("str", "off")
    assert fast["k" + str(TRICKY_SCALARS.index("FALSE"))] == ("bool", False)
    assert fast["k" + str(TRICKY_SCALARS.index("~"))] == ("null", None)
    assert fast["k" + str(TRICKY_SCALARS.index("0o17"))] == ("int", 15)
    assert fast["k" + str(TRICKY_SCALARS.index("007"))] == ("int", 7)
    assert fast["k" + str(TRICKY_SCALARS.index("1_000"))] == ("int", 1000)
    assert fast["k" + str(TRICKY_SCALARS.index("1:30"))] == ("str", "1:30")
    assert fast["k" + str(TRICKY_SCALARS.index(".nan"))] == ("float", "nan")
    assert fast["k" + str(TRICKY_SCALARS.index("-0.0"))] == ("float", "-0.0")


def test_random_scalars_resolve_as_ruamel_reads_them():
    """Seeded random plain scalars: the same value and type as ruamel's, or left to ruamel."""
    import random

    from pcflab.models._yaml import _fast_data, _plain

    rng = random.Random(2026)  # noqa: S311 (seeded test data)
    alphabet = "0123456789_.-+eExobXOB:tTrRuUfFlLsSaAnNiI~"
    for _ in range(300):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 8))).lstrip("-:")
        if not value or value.endswith(":"):
            continue
        text = f"k: {value}\n"
        try:
            ref = _typed(_plain(_ruamel(text)))
        except Exception:  # ruamel rejects it: the fast reader must leave it to ruamel
            assert _fast_data(text, "test.yaml") is None, value
            continue
        fast = _fast_data(text, "test.yaml")
        assert fast is None or _typed(fast) == ref, value


@pytest.mark.parametrize(
    "text",
    [
        "%YAML 1.1\n---\na: yes\n",  # YAML 1.1 rules
        "a: !!str 12\n",  # explicit tag
        "a: !custom x\n",
        "a: ! \n",  # non-specific tag on an empty scalar (ruamel: null, libyaml: '')
        "a: &x true\nb: *x\n",  # anchored boolean (ruamel: ScalarBoolean, an int)
        "a: !!set {x, y}\n",
        "base: &b {x: 1}\nc:\n  <<: *b\n",  # merge key
        "a: 2023-01-01 10:00:00\n",  # date-time
        "1: a\n",  # a key that is not text
        "2023-01-01: a\n",
        "a: b\tc\n",  # tab
        "a: |\n \n  text\n",  # blank line with a space before a block scalar's text
        "a: 1\n...\n",  # document end marker
        "- a\n",  # not a mapping
        "a: [unclosed\n",  # not valid YAML
        "",
    ],
)
def test_what_the_fast_reader_is_not_sure_of_goes_to_ruamel(text):
    from pcflab.models._yaml import _fast_data

    assert _fast_data(text, "test.yaml") is None


def test_yaml_1_1_directive_is_honoured(model_file):
    """``%YAML 1.1`` files go to ruamel, which reads them by YAML 1.1 (``yes`` is a boolean)."""
    text = textwrap.dedent(SMALL_MODEL).lstrip("\n").replace("name: Widget", "name: Widget\ndescription: yes")
    assert pcflab.load_model(model_file(text)).description == "yes"
    assert pcflab.load_model(model_file("%YAML 1.2\n---\n" + text)).description == "yes"
    with pytest.raises(ModelError) as err:
        pcflab.load_model(model_file("%YAML 1.1\n---\n" + text))
    assert (err.value.line, err.value.field) == (6, "description")
    assert "expected a text (got True)" in err.value.message


def test_duplicate_key_names_line_and_key(model_file):
    text = SMALL_MODEL.replace("    stage: production\n", "    stage: production\n    stage: manufacturing\n")
    with pytest.raises(ModelError) as err:
        pcflab.load_model(model_file(text))
    assert err.value.line == 18
    assert err.value.field == "processes.assembly.stage"
    assert 'found duplicate key "stage" (first given on line 17)' in err.value.message
    assert "line 17" in err.value.hint


def test_duplicate_process_and_flow_keys(model_file):
    with pytest.raises(ModelError) as err:
        pcflab.load_model(model_file(SMALL_MODEL + "  assembly:\n    name: Again\n"))
    assert (err.value.line, err.value.field) == (21, "processes.assembly")
    text = SMALL_MODEL.replace("amount: power, unit: kWh/t}", "amount: power, unit: kWh/t, amount: 2}")
    with pytest.raises(ModelError) as err:
        pcflab.load_model(model_file(text))
    assert (err.value.line, err.value.field) == (20, "processes.assembly.factors[0].amount")
    assert "not valid YAML: found duplicate key" in str(err.value)


def test_duplicate_key_in_a_file_for_ruamel_is_ruamels_error(model_file):
    text = SMALL_MODEL.replace("    stage: production\n", "    stage: production\n    stage: other\n")
    text = text.replace("name: Widget", "name: !!str Widget")
    with pytest.raises(ModelError) as err:
        pcflab.load_model(model_file(text))
    assert err.value.line == 18 and 'found duplicate key "stage"' in err.value.message


def test_line_numbers_are_ruamels(model_file):
    """``line_of`` of a model read by libyaml (lines worked out on first use) equals the
    ruamel document's, for every key path and for paths beyond them."""
    from pcflab.models._yaml import _LineMap, _positions

    name = "steel/bf-bof-hot-rolled-coil"
    model = pcflab.load_model(name)
    assert isinstance(model._lines, _LineMap) and model._lines._map is None  # not worked out yet
    reference = _positions(_ruamel(Path(model.path).read_text("utf-8")))
    pid = model.reference_process
    for keys in [
        ("functional_unit",),
        ("functional_unit", "unit"),
        ("processes", pid),
        ("processes", pid, "inputs", 0),
        ("processes", pid, "inputs", 1, "amount"),
        ("processes", pid, "factors", 0, "factor"),
        ("parameters", next(iter(model.parameters)), "value"),
    ]:
        assert model.line_of(*keys) == reference[keys], keys
    assert model.line_of("processes", pid, "inputs", 0, "no such key") == reference[("processes", pid, "inputs", 0)]
    assert model.line_of("no such key") is None
    assert dict(model._lines) == reference
    keys = ("processes", pid, "inputs", 1, "amount")
    err = model.error("message", keys, "hint")
    assert (err.line, err.field) == (reference[keys], f"processes.{pid}.inputs[1].amount")


def test_ruamel_path_gives_the_same_model(monkeypatch):
    """Without libyaml, ruamel reads the file, with the same data and lines."""
    from pcflab.models import _yaml

    fast = pcflab.load_model("textiles/cotton-t-shirt")
    monkeypatch.setattr(_yaml, "_CParser", None)
    slow = pcflab.load_model("textiles/cotton-t-shirt")
    assert slow._lines._text is None and slow._lines._map
    assert slow.model_dump() == fast.model_dump()
    assert dict(slow._lines) == dict(fast._lines)
    assert slow == fast


def test_model_pickles_and_compares_with_its_lines():
    import gc
    import pickle

    model = pcflab.load_model("tyres/passenger-car-tyre")
    again = pcflab.load_model("tyres/passenger-car-tyre")
    assert gc.isenabled()
    assert model == again
    lines = dict(model._lines)  # worked out on one of them only
    assert model == again
    copy = pickle.loads(pickle.dumps(model))  # noqa: S301 (pickled just above)
    assert copy == model and dict(copy._lines) == lines


def test_loading_leaves_a_paused_collector_paused():
    import gc

    gc.disable()
    try:
        pcflab.load_model("tyres/passenger-car-tyre")
        assert not gc.isenabled()
    finally:
        gc.enable()
