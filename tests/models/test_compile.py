"""Compiling a model (pcflab/models/_compile.py): every array of a small model, by hand.

The model ``HAND`` has four processes (a loop between ``part`` and ``scrap``), six
parameters of five kinds (one derived, two discrete), three factors (one with two gases)
and a rank correlation; the tests below compute by hand what each step of the compiler
must produce and compare it with the compiled arrays. The compiler's errors (located at
file, line and key) follow.
"""

import hashlib
import math

import numpy as np
import pytest

import pcflab
from pcflab import kernel
from pcflab.core._errors import ModelError, UnitMismatchError, UnknownFactorError
from pcflab.methods import GASES, STAGES
from pcflab.models import stream_key
from tests.conftest import SMALL_MODEL, factor_row
from tests.models.test_solver import random_system_yaml
from tests.models_for_tests import process_yaml

HAND = """
pcflab_model: 1
id: test/compile
name: Hand-compiled widget
sector: test
region: CN-SD
year: 2023
functional_unit: {amount: 500, unit: kg, description: half a tonne of widgets}
reference_process: assembly
parameters:
  power:
    value: 100
    unit: kWh/t
    uncertainty: {distribution: lognormal, gsd: 1.2}
  loss:
    value: 50
    unit: g
    uncertainty: {distribution: normal, sd: 5}
  share:
    value: 20
    unit: percent
    uncertainty: {distribution: uniform, min: 10, max: 30}
  power_total:
    formula: power * 2
    unit: kWh/t
  trips:
    value: 2
    unit: '1'
    uncertainty: {distribution: discrete, values: [1, 2, 3], probabilities: [0.2, 0.5, 0.3]}
  crews:
    value: 4
    unit: '1'
    uncertainty: {distribution: discrete, values: [4, 5], probabilities: [0.5, 0.5]}
correlations:
  - {parameters: [power, loss], spearman: 0.5}
processes:
  assembly:
    name: Assembly
    stage: production
    reference_product: {name: widget, amount: 2, unit: t}
    inputs:
      - {process: part, amount: 500, unit: kg}
      - {process: transport, amount: trips * 10, unit: t*km}
    emissions:
      - {gas: co2_fossil, amount: loss, unit: g}
    factors:
      - {factor: test/electricity/grid/2023, amount: power, unit: kWh/t}
  transport:
    name: Transport
    stage: distribution
    reference_product: {name: transport, amount: 1, unit: t*km}
    factors:
      - {factor: test/transport/truck/2023, amount: 1, unit: t*km}
  part:
    name: Part
    stage: raw_material_acquisition
    reference_product: {name: part, amount: 1, unit: kg}
    inputs:
      - {process: scrap, amount: 0.1, unit: kg}
      - {process: transport, amount: 0.2, unit: t*km}
    factors:
      - {factor: test/steel/billet/2023, amount: 1, unit: kg}
  scrap:
    name: Scrap
    stage: end_of_life
    reference_product: {name: scrap, amount: 1, unit: kg}
    inputs:
      - {process: part, amount: share * 2.5, unit: kg}
"""

#: theta columns: the six model parameters, then the factors' gas rows in order of first use
POWER, LOSS, SHARE, POWER_TOTAL, TRIPS, CREWS = range(6)
GRID_CO2, GRID_CH4, TRUCK_CO2, STEEL_CO2 = range(6, 10)
#: processes in declaration (matrix) order
ASSEMBLY, TRANSPORT, PART, SCRAP = range(4)


@pytest.fixture
def factors(factor_file):
    return pcflab.load_factors(factor_file(factor_row()))


def compile_file(path, factors):
    return pcflab.compile_model(pcflab.load_model(path), factors)


@pytest.fixture
def hand_factors(factor_file):
    """The factors of ``HAND``."""
    return pcflab.load_factors(
        factor_file(
            factor_row(),  # test/electricity/grid/2023: 0.5 kg CO2/kWh, GSD 1.1
            factor_row(gas="ch4_fossil", value="0.001", gsd="1.0"),
            factor_row(fid="test/transport/truck/2023", value="0.1", per="t*km", gsd="1.2"),
            factor_row(fid="test/steel/billet/2023", value="1.8", per="kg", gsd="1.3"),
        )
    )


def compile_text(model_file, factors, text):
    return pcflab.compile_model(pcflab.load_model(model_file(text)), factors)


@pytest.fixture
def hand(model_file, hand_factors):
    return compile_text(model_file, hand_factors, HAND)


# --- the steps of the compiler, checked against hand calculations ---


def test_parameters_in_si_base_units(hand):
    # 100 kWh/t = 100 * 3.6e6 J / 1000 kg = 360 000 J/kg; 50 g = 0.05 kg; 20 % = 0.2
    kwh_per_t = 3.6e6 / 1000.0
    assert hand.parameter_ids[:6] == [
        f"param:test/compile/{n}" for n in ("power", "loss", "share", "power_total", "trips", "crews")
    ]
    assert hand.parameter_units[:6] == ["m ** 2 / s ** 2", "kg", "1", "m ** 2 / s ** 2", "1", "1"]
    expected = {
        POWER: (kernel.LOGNORMAL, 100 * kwh_per_t, 1.2, 0.0, 0.0, 100 * kwh_per_t),
        LOSS: (kernel.NORMAL, 0.05, 0.005, 0.0, 0.0, 0.05),
        SHARE: (kernel.UNIFORM, 0.1, 0.3, 0.0, 0.0, 0.2),
        POWER_TOTAL: (kernel.FIXED, 200 * kwh_per_t, 0.0, 0.0, 0.0, 200 * kwh_per_t),  # derived: power * 2
        TRIPS: (kernel.DISCRETE, 0.0, 3.0, 0.0, 0.0, 2.0),  # entries 0 .. 5 of the table
        CREWS: (kernel.DISCRETE, 6.0, 2.0, 0.0, 0.0, 4.0),  # entries 6 .. 9
    }
    for i, (kind, p1, p2, p3, p4, nominal) in expected.items():
        assert hand.kinds[i] == kind, hand.parameter_ids[i]
        got = (hand.p1[i], hand.p2[i], hand.p3[i], hand.p4[i], hand.nominal[i])
        np.testing.assert_allclose(got, (p1, p2, p3, p4, nominal), rtol=1e-12, err_msg=hand.parameter_ids[i])
    np.testing.assert_allclose(hand.table, [1, 2, 3, 0.2, 0.7, 1.0, 4, 5, 0.5, 1.0], rtol=1e-15)


def test_factor_rows_become_quantities_in_order_of_first_use(hand):
    assert hand.factor_ids == ["test/electricity/grid/2023", "test/transport/truck/2023", "test/steel/billet/2023"]
    assert hand.parameter_ids[6:] == [
        "factor:test/electricity/grid/2023:co2_fossil",
        "factor:test/electricity/grid/2023:ch4_fossil",
        "factor:test/transport/truck/2023:co2_fossil",
        "factor:test/steel/billet/2023:co2_fossil",
    ]
    assert hand.parameter_units[6:] == ["kg/(kWh)", "kg/(kWh)", "kg/(km * t)", "kg/(kg)"]
    # a GSD above 1 is a lognormal; the CH4 row's GSD of 1 is a fixed value
    assert list(hand.kinds[6:]) == [kernel.LOGNORMAL, kernel.FIXED, kernel.LOGNORMAL, kernel.LOGNORMAL]
    assert list(hand.p1[6:]) == [0.5, 0.001, 0.1, 1.8] == list(hand.nominal[6:])
    assert list(hand.p2[6:]) == [1.1, 1.0, 1.2, 1.3]
    s = hand.system
    assert list(s.row_start) == [0, 2, 3] and list(s.row_stop) == [2, 3, 4]
    assert list(s.row_param) == [GRID_CO2, GRID_CH4, TRUCK_CO2, STEEL_CO2]
    assert list(s.row_gas) == [GASES.index(g) for g in ("co2_fossil", "ch4_fossil", "co2_fossil", "co2_fossil")]
    assert list(s.row_scale) == [1.0] * 4


def test_stream_keys_are_blake2b_of_the_ids(hand):
    for ident, key in zip(hand.parameter_ids, hand.keys, strict=True):
        digest = hashlib.blake2b(ident.encode(), digest_size=8).digest()
        assert key == np.uint64(int.from_bytes(digest, "little")) == stream_key(ident)
    assert hand.keys.dtype == np.uint64 and len(set(hand.keys.tolist())) == 10


def test_formula_programs_and_exchange_scales(hand):
    s = hand.system
    P, C = kernel.PARAM, kernel.CONST
    # the derived parameter first, then the exchanges in the order of the file
    assert s.ops.tolist() == [
        [P, POWER], [C, 0], [kernel.MUL, 0],  # power_total = power * 2
        [C, 1],  # e0 assembly <- part: 500
        [P, TRIPS], [C, 2], [kernel.MUL, 0],  # e1 assembly <- transport: trips * 10
        [P, LOSS],  # e2 assembly emits loss
        [P, POWER],  # e3 assembly uses grid electricity
        [C, 3],  # e4 transport uses the truck factor
        [C, 4],  # e5 part <- scrap
        [C, 5],  # e6 part <- transport
        [C, 6],  # e7 part uses steel
        [P, SHARE], [C, 7], [kernel.MUL, 0],  # e8 scrap <- part: share * 2.5
    ]  # fmt: skip
    assert s.consts.tolist() == [2.0, 500.0, 10.0, 1.0, 0.1, 0.2, 1.0, 2.5]
    assert list(s.derived_param) == [POWER_TOTAL]
    assert list(s.derived_start) == [0] and list(s.derived_stop) == [3]
    assert list(s.prog_start) == [3, 4, 7, 8, 9, 10, 11, 12, 13]
    assert list(s.prog_stop) == [4, 7, 8, 9, 10, 11, 12, 13, 16]
    assert s.stack_size == 2
    # scale: formula value in SI -> flow unit per unit of reference product
    #   e0 500 kg per 2 t of widget: 0.5 (kg of part per t)      e1 t*km per 2 t: 0.5
    #   e2 g of CO2 per 2 t: 1000 g/kg * 0.001 kg/g / 2 = 0.5     e3 J/kg -> kWh/t: 1 / 3600
    #   e4 .. e8: per 1 unit of reference product, same units: 1
    np.testing.assert_allclose(s.ex_scale, [0.5, 0.5, 0.5, 1 / 3600, 1, 1, 1, 1, 1], rtol=1e-12)
    amount, ok = kernel.exchange_amounts(s, hand.nominal)
    assert ok
    np.testing.assert_allclose(amount, [250, 10, 0.025, 100, 1, 0.1, 0.2, 1, 0.5], rtol=1e-12)


def test_technosphere_links_in_csr_and_the_solve_order(hand):
    s = hand.system
    # consumer 0 (assembly) takes transport (e1) and part (e0), by supplier; 1 takes nothing;
    # 2 (part) takes transport (e6) and scrap (e5); 3 (scrap) takes part (e8)
    assert list(s.link_ptr) == [0, 2, 2, 4, 5]
    assert list(s.link_supplier) == [TRANSPORT, PART, TRANSPORT, SCRAP, PART]
    assert list(s.link_exchange) == [1, 0, 6, 5, 8]
    # blocks {assembly}, {part, scrap} (a loop), {transport}: transport is supplied by both
    # others, so it comes last although it is declared second
    assert list(s.order) == [ASSEMBLY, PART, SCRAP, TRANSPORT]
    assert list(s.block_ptr) == [0, 1, 3, 4]
    assert list(s.block_of) == [0, 2, 1, 1]
    assert list(s.local_index) == [0, 0, 0, 1]


def test_emissions_factor_uses_stage_map_and_functional_unit(hand):
    s = hand.system
    assert (list(s.emis_process), list(s.emis_gas), list(s.emis_exchange)) == (
        [ASSEMBLY],
        [GASES.index("co2_fossil")],
        [2],
    )
    assert list(s.use_process) == [ASSEMBLY, TRANSPORT, PART]
    assert list(s.use_factor) == [0, 1, 2]
    assert list(s.use_exchange) == [3, 4, 7]
    assert hand.processes == ["assembly", "transport", "part", "scrap"]
    assert hand.process_stage == ["production", "distribution", "raw_material_acquisition", "end_of_life"]
    assert list(s.stage_of) == [STAGES.index(st) for st in hand.process_stage]
    assert s.reference_process == ASSEMBLY
    assert s.demand == pytest.approx(0.5, rel=1e-15)  # 500 kg in t
    assert (s.n_gas, s.n_stage) == (len(GASES), len(STAGES))


def test_rank_correlation_is_the_cholesky_factor_of_the_pearson_matrix(hand):
    columns, chol = hand.correlation
    r = 2 * math.sin(math.pi * 0.5 / 6)  # Spearman 0.5 -> Pearson
    assert list(columns) == [POWER, LOSS]
    np.testing.assert_allclose(chol, [[1.0, 0.0], [r, math.sqrt(1 - r * r)]], rtol=1e-14)


def test_kernel_parameters_bundle_the_compiled_arrays(hand):
    p = hand.kernel_parameters
    assert isinstance(p, kernel.KernelParameters)
    for name in ("kinds", "p1", "p2", "p3", "p4", "table", "keys"):
        assert np.array_equal(getattr(p, name), getattr(hand, name)), name
    assert np.array_equal(p.correlation_columns, hand.correlation[0])
    assert np.array_equal(p.correlation_cholesky, hand.correlation[1])
    theta = kernel.sample_parameters(p, 3, 0, 64)
    assert theta.shape == (64, 10)
    assert np.all(theta[:, POWER_TOTAL] == hand.nominal[POWER_TOTAL])  # fixed: recomputed by the kernel
    assert set(np.unique(theta[:, TRIPS])) <= {1.0, 2.0, 3.0}


def test_footprint_of_the_hand_model(hand):
    """s: assembly 0.5 t; part = 125 + 0.5 scrap and scrap = 0.1 part, so part = 125 / 0.95;
    transport = 0.5 * 10 + 0.2 part."""
    part = 125 / 0.95
    transport = 5 + 0.2 * part
    s, status = kernel.scaling_vector(hand.system, hand.nominal)
    assert status == kernel.STATUS_OK
    np.testing.assert_allclose(s, [0.5, transport, part, 0.1 * part], rtol=1e-12)
    co2 = 0.5 * (0.025 + 100 * 0.5) + transport * 0.1 + part * 1.8
    by_process, status = kernel.evaluate_by_process(hand.system, hand.nominal)
    assert by_process[:, GASES.index("co2_fossil")].sum() == pytest.approx(co2, rel=1e-12)
    assert by_process[ASSEMBLY, GASES.index("ch4_fossil")] == pytest.approx(0.5 * 100 * 0.001, rel=1e-12)


def test_mass_allocation_scales_every_exchange_of_the_process(model_file, hand_factors, hand):
    """A co-product of 3 t beside 2 t of widget leaves the widget 2 / 5 of the burdens."""
    plain = hand
    text = HAND.replace(
        "    reference_product: {name: widget, amount: 2, unit: t}\n",
        "    reference_product: {name: widget, amount: 2, unit: t, properties: {mass: 2 t}}\n"
        "    co_products:\n      - {name: offcut, amount: 3, unit: t, properties: {mass: 3 t}}\n"
        "    allocation: mass\n",
    )
    allocated = compile_text(model_file, hand_factors, text)
    ratio = allocated.system.ex_scale / plain.system.ex_scale
    np.testing.assert_allclose(ratio[:4], 0.4, rtol=1e-15)  # assembly's four exchanges
    np.testing.assert_array_equal(ratio[4:], 1.0)


# --- moved from test_product_system.py: what compiling checks ---


def test_small_model_compiles(widget_model, factors):
    cm = compile_file(widget_model(), factors)
    assert cm.processes == ["assembly"]
    assert cm.parameter_ids == ["param:test/widget/power", "factor:test/electricity/grid/2023:co2_fossil"]


def test_unknown_factor_names_file_line_key(widget_model, factors):
    path = widget_model(("factor: test/electricity/grid/2023", "factor: test/electricity/grid/2099"))
    with pytest.raises(UnknownFactorError) as err:
        pcflab.compile_model(pcflab.load_model(path), factors)
    msg = str(err.value)
    assert str(path) in msg
    assert err.value.line == 20  # the line of the '- {factor: ...}' entry
    assert "processes.assembly.factors[0].factor" in msg
    assert "test/electricity/grid/2099" in msg
    assert "similar ids: test/electricity/grid/2023" in msg


def test_amount_that_is_not_a_formula(widget_model, factors):
    path = widget_model(("amount: power, unit", "amount: 12 kWh, unit"))
    with pytest.raises(ModelError) as err:
        compile_file(path, factors)
    assert err.value.field == "processes.assembly.factors[0].amount"
    assert "units belong in the 'unit' key" in str(err.value)


def test_formula_may_not_call_functions(widget_model, factors):
    path = widget_model(("amount: power, unit", "amount: \"__import__('os').getcwd()\", unit"))
    with pytest.raises(ModelError, match="is not allowed"):
        compile_file(path, factors)


def test_unknown_parameter_in_formula(widget_model, factors):
    path = widget_model(("amount: power, unit", "amount: powr * 2, unit"))
    with pytest.raises(ModelError) as err:
        compile_file(path, factors)
    assert "unknown parameter 'powr'" in str(err.value)
    assert "known: power" in str(err.value)


def test_energy_against_mass_factor_is_a_unit_error(widget_model, factor_file):
    factors = pcflab.load_factors(factor_file(factor_row(per="t")))
    with pytest.raises(UnitMismatchError) as err:
        compile_file(widget_model(), factors)
    assert "kWh" in str(err.value) and err.value.field == "processes.assembly.factors[0].unit"


def test_formula_result_in_wrong_unit(widget_model, factors):
    path = widget_model(("amount: power, unit: kWh/t}", "amount: power, unit: kg/t}"))
    with pytest.raises(UnitMismatchError, match="make 'unit' the unit of the formula's result"):
        compile_file(path, factors)


def test_lognormal_needs_spread(widget_model, factors):
    path = widget_model(("{distribution: lognormal, gsd: 1.2}", "{distribution: lognormal}"))
    with pytest.raises(ModelError, match="needs 'gsd', 'pedigree' or 'sd'"):
        compile_file(path, factors)


def test_all_problems_of_a_model_are_reported_together(widget_model, factors):
    path = widget_model(
        (
            "      - {factor: test/electricity/grid/2023, amount: power, unit: kWh/t}\n",
            "      - {factor: test/electricity/grid/2099, amount: power, unit: kWh/t}\n"
            "      - {factor: test/electricity/grid/2023, amount: powr, unit: kWh/t}\n"
            "      - {factor: test/electricity/grid/2023, amount: power, unit: kg/t}\n",
        )
    )
    with pytest.raises(ModelError) as err:
        compile_file(path, factors)
    found = [(p.line, p.field) for p in err.value.problems]
    assert found == [
        (20, "processes.assembly.factors[0].factor"),
        (21, "processes.assembly.factors[1].amount"),
        (22, "processes.assembly.factors[2].unit"),
    ]
    assert "and 2 more problems" in str(err.value)


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
def test_ratio_parameter_keeps_its_unit_in_an_exchange(write_model, factors, declared, used, expected):
    """A ratio parameter (kg/t, %) used with a ratio unit is converted, not read as a plain number."""
    value, unit = declared.split()
    inputs = f"\n    inputs:\n      - {{process: part, amount: share, unit: {used}}}"
    reference = "reference_product: {name: widget, amount: 1, unit: t}"
    grid = "{factor: test/electricity/grid/2023, amount: %s, unit: kWh/t}"
    part = process_yaml(
        "part",
        "Part",
        "raw_material_acquisition",
        ("part", 1, "t"),
        factors=[("test/electricity/grid/2023", 1000, "kWh/t")],
    )
    path = write_model(
        SMALL_MODEL + part,
        ("power:\n    value: 100\n    unit: kWh/t", f"share:\n    value: {value}\n    unit: {unit}"),
        ("    uncertainty: {distribution: lognormal, gsd: 1.2}\n", ""),
        (reference, reference + inputs),
        (grid % "power", grid % "0"),
    )
    result = pcflab.footprint(pcflab.load_model(path), factors)
    # `expected` t of part per t of widget x 1000 kWh/t x 0.5 kg CO2/kWh (factor_row)
    assert float(result.gwp100.sum()) == pytest.approx(expected * 1000 * 0.5, rel=1e-12)


# --- moved from test_solver.py: the solve order the compiler lays out ---


def test_block_order_puts_consumers_before_suppliers(model_file, factors):
    text, _, _ = random_system_yaml(30, 7)
    s = pcflab.compile_model(pcflab.load_model(model_file(text)), factors).system
    block_rank = {int(p): b for b in range(len(s.block_ptr) - 1) for p in s.order[s.block_ptr[b] : s.block_ptr[b + 1]]}
    for c in range(len(s.link_ptr) - 1):
        for k in range(s.link_ptr[c], s.link_ptr[c + 1]):
            q = int(s.link_supplier[k])
            assert block_rank[c] <= block_rank[q]
