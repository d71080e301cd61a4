"""A report for every shipped model: notebook, class schemes and lever chosen by the model's sector.

Issue 21, points 1, 4 and 5: ``pcflab report`` failed for aluminium, tyre and textile models
because its default class schemes were steel's; parameters were checked inside the notebook,
after the kernel had started; a parameter's name went into the injected cell unchecked.
"""

import ast
import json

import numpy as np
import pytest

import pcflab
from pcflab.cli import main
from pcflab.core import ReportError
from pcflab.models import shipped_models
from pcflab.reporting import (
    check_parameter_values,
    default_schemes,
    paired_scenario,
    resolve_report,
    scenario_model,
    scheme_fit,
    sector_lever,
)

NOTEBOOKS = ("steel", "aluminium", "tyres", "textiles", "product")
QUICK = {"n_samples": 100, "seed": 1}


@pytest.fixture(scope="module")
def models():
    return {name: pcflab.load_model(name) for name in shipped_models()}


def test_every_notebook_declares_every_report_parameter():
    import papermill as pm

    fields = set(pcflab.ReportParameters.model_fields)
    for name in NOTEBOOKS:
        declared = pm.inspect_notebook(str(pcflab.reporting.notebook_path(name)))
        assert set(declared) == fields, name


def test_every_shipped_model_resolves_to_its_sector_notebook_schemes_and_lever(models):
    """All 43+ models: parameters, notebook, schemes and lever resolve; every scheme fits."""
    assert len(models) >= 43
    seen = set()
    for name, system in models.items():
        nb_file, params = resolve_report(name, parameters=QUICK)
        expected = system.sector if system.sector in ("steel", "aluminium", "tyres", "textiles") else "product"
        assert nb_file.stem == expected, name
        seen.add(nb_file.stem)
        assert params["model"] == name and params["n_samples"] == 100
        for sid in params["schemes"]:
            assert scheme_fit(sid, system) is None, (name, sid)
        lever = sector_lever(system)
        if lever is not None:  # the lever compiles and moves the footprint
            alt = pcflab.footprint(scenario_model(system, lever[0]))
            assert float(alt["gwp100"].sum()) != pytest.approx(float(pcflab.footprint(system)["gwp100"].sum()))
    assert seen == set(NOTEBOOKS)


@pytest.mark.parametrize(
    ("model", "expected"),
    [  # read off the schemes' product category and functional unit by hand
        ("steel/bf-bof-hot-rolled-coil", ["pcflab-percentile-steel", "espr-steel-hrc-2026-draft"]),
        ("steel/bf-bof-rebar", ["nrc-steel-rebar-2025", "nrc-steel-rebar-unfabricated-2025"]),
        ("aluminium/primary-ingot", ["pcflab-percentile-aluminium"]),
        ("aluminium/secondary-ingot", []),  # the aluminium tiers are of primary ingots
        ("tyres/passenger-car-tyre", ["pcflab-percentile-tyres"]),
        ("tyres/truck-bus-radial-tyre", []),  # the tyre tiers are of passenger-car tyres
        ("textiles/cotton-t-shirt", ["pcflab-percentile-textiles"]),
        ("textiles/cotton-yarn", []),  # per kg, the tiers are per T-shirt
        ("cement/po-42-5-cement", []),
    ],
)
def test_default_schemes_fit_the_product(models, model, expected):
    assert default_schemes(models[model]) == expected


MISFITS = {  # (product, scheme): why it does not fit
    ("tyres/passenger-car-tyre", "espr-steel-hrc-2026-draft"): "is for steel",
    ("aluminium/primary-ingot", "pcflab-percentile-steel"): "is for steel",
    ("textiles/cotton-yarn", "pcflab-percentile-textiles"): "grades per 1 item",
    ("cement/po-42-5-cement", "pcflab-percentile-tyres"): "is for tyres",
}


@pytest.mark.parametrize(("case", "words"), MISFITS.items())
def test_a_scheme_that_does_not_fit_is_refused_naming_it(case, words):
    model, scheme = case
    with pytest.raises(ReportError, match=words) as err:
        resolve_report(model, parameters=QUICK | {"schemes": [scheme]})
    assert scheme in str(err.value) and err.value.field == "schemes"


@pytest.mark.parametrize(
    ("parameters", "field", "words"),
    [
        ({"colour": "red"}, "colour", "unknown notebook parameter"),
        ({"n_samples": "many"}, "n_samples", "an integer >= 100"),
        ({"seed": 1.5}, "seed", "an integer between 0"),
        ({"sampler": "halton"}, "sampler", "one of random, lhs, sobol"),
        ({"schemes": "pcflab-percentile-steel"}, "schemes", "a list of scheme ids"),
        ({"schemes": ["gold-star"]}, "schemes", "gold-star"),
        ({"scenario": {"no_such_parameter": 0.5}}, "scenario", "no parameter 'no_such_parameter'"),
        ({"scenario": {"electricity/footprint": 3}}, "scenario", "no parameter 'electricity/footprint'"),
        ({"scenario": {"no/such/factor": "x"}}, "scenario", "uses no factor 'no/such/factor'"),
        ({"scenario": [1]}, "scenario", "a mapping"),
        ({"disclosure": "secret"}, "disclosure", "verifier, public"),
        ({"lang": "zh"}, "lang", "next release"),
        ({"n_samples": float("nan")}, "n_samples", "a finite number"),
    ],
)
def test_a_bad_parameter_is_one_message_naming_it(parameters, field, words):
    with pytest.raises(ReportError, match=words) as err:
        resolve_report("steel/bf-bof-hot-rolled-coil", parameters=QUICK | parameters)
    assert err.value.field == field


def test_an_unknown_model_is_named():
    with pytest.raises(ReportError, match="no-such-model") as err:
        resolve_report("steel/no-such-model", parameters=QUICK)
    assert err.value.field == "model"


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["-p", "colour=red"], "colour: unknown notebook parameter"),
        (["-p", "n_samples=many"], "n_samples='many' is invalid"),
        (["--schemes", "pcflab-percentile-steel"], "'pcflab-percentile-steel' is for steel"),
        (["-p", 'scenario={"nope": 1}'], "no parameter 'nope'"),
        (["-p", "nonsense"], "'nonsense' is not name=value"),
    ],
)
def test_the_command_refuses_bad_parameters_with_exit_code_2(tmp_path, capsys, argv, words):
    out = tmp_path / "report"
    code = main(["report", "tyres/passenger-car-tyre", "--out", str(out), "--quiet", *argv])
    err = capsys.readouterr().err
    assert code == 2 and words in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []  # refused before anything ran: no staging folder, no output


def test_the_command_takes_p_values_as_json_else_text(monkeypatch, tmp_path):
    seen = {}

    def fake_run_report(model, notebook, **kwargs):
        seen.update(kwargs, model=model, notebook=notebook)
        return tmp_path / "report.html"

    monkeypatch.setattr(pcflab.reporting, "run_report", fake_run_report)
    argv = ["report", "aluminium/primary-ingot", "-p", "n_samples=2000", "-p", "sampler=lhs"]
    argv += ["-p", 'scenario={"green_share": 1}', "-p", "sobol_n=0", "--quiet"]
    assert main(argv) == 0
    assert seen["notebook"] is None and seen["n_samples"] == 2000
    assert seen["parameters"] == {"sampler": "lhs", "scenario": {"green_share": 1}, "sobol_n": 0}


HOSTILE = {
    "model": 'steel/x"\nimport os\nos.system("echo owned")\n"',
    "profile": "iso14067'''; import os; '''",
    "lang": '\\"\n\r\t\x00 end',
    "scenario": {'a"\nimport os\n#': "\"); import os; ('", "b": -1.5e300},
    "schemes": ["import os", "__import__('os').system('id')", "\u2028\u2029"],
    "n_samples": 10**30,
    "disclosure": None,
    "output_dir": True,
}


def test_hostile_values_are_injected_as_constants_only():
    """papermill's injected cell holds one ``name = constant`` per parameter, equal to the input."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    check_parameter_values(HOSTILE)  # names are identifiers, values JSON-typed: accepted as data
    nb = load_notebook_node(str(pcflab.reporting.notebook_path("product")))  # as execute_notebook reads it
    injected = [
        c
        for c in parameterize_notebook(nb, HOSTILE).cells
        if "injected-parameters" in c.get("metadata", {}).get("tags", [])
    ]
    assert len(injected) == 1
    tree = ast.parse(injected[0].source)
    assert len(tree.body) == len(HOSTILE)
    for statement, (name, value) in zip(tree.body, HOSTILE.items(), strict=True):
        assert isinstance(statement, ast.Assign) and len(statement.targets) == 1
        assert isinstance(statement.targets[0], ast.Name) and statement.targets[0].id == name
        assert ast.literal_eval(statement.value) == value  # a constant, and the very input
    assert not any(isinstance(node, ast.Call | ast.Import | ast.ImportFrom) for node in ast.walk(tree))


@pytest.mark.parametrize(
    "name",
    ["x = 1\nimport os\ny", "import", "a b", "n_samples; import os", "1st", "", "x.y"],
)
def test_a_parameter_name_that_is_not_an_identifier_is_refused(name):
    with pytest.raises(ReportError, match="not a Python identifier"):
        check_parameter_values({name: 1})
    with pytest.raises(ReportError, match="not a Python identifier"):
        resolve_report("steel/bf-bof-hot-rolled-coil", parameters=QUICK | {name: 1})


@pytest.mark.parametrize("value", [object(), {1: 2}, float("inf"), b"bytes", {"a": {3}}])
def test_a_value_that_is_not_json_is_refused(value):
    with pytest.raises(ReportError, match="JSON value|string keys|finite"):
        check_parameter_values({"scenario": value})


def test_a_paired_scenario_draws_what_the_two_share_identically():
    """Second implementation: the scenario evaluated on the base run's own draws (pcflab.evaluate)."""
    system = pcflab.load_model("aluminium/primary-ingot")
    changes = {"electricity/footprint": "cn/electricity/footprint-hydro/2023"}
    base = pcflab.compile_model(system, pcflab.load_factors())
    alt = pcflab.compile_model(scenario_model(system, changes), pcflab.load_factors())
    pair = paired_scenario(base, alt, 400, 11)
    assert pair["identical_draws"] and pair["shared"] > 0
    mc_base = pcflab.simulate(base, 400, 11, record="all")
    mc_alt = pcflab.simulate(alt, 400, 11, record="all")
    theta = np.column_stack(
        [
            (mc_base if q in mc_base["quantity"].values else mc_alt)["theta"].sel(quantity=q).values
            for q in alt.parameter_ids
        ]
    )
    again = pcflab.evaluate(alt, theta)["total"].values
    np.testing.assert_allclose(pair["alternative"], again, rtol=1e-12)
    np.testing.assert_array_equal(pair["difference"], pair["alternative"] - mc_base["total"].values)
    assert pair["upper"] < 0 and pair["p_lower"] == 1.0  # hydropower is far below the grid
    unpaired = pcflab.simulate(alt, 400, 12)["total"].values - mc_base["total"].values
    assert np.std(pair["difference"]) < np.std(unpaired)  # pairing removes the shared noise


def test_a_set_lever_is_fixed_and_the_model_keeps_its_id():
    system = pcflab.load_model("steel/bf-bof-hot-rolled-coil")
    alt = scenario_model(system, {"hot_metal_per_steel": 0.85})
    assert alt.id == system.id and alt.parameters["hot_metal_per_steel"].value == 0.85
    assert alt.parameters["hot_metal_per_steel"].uncertainty is None
    assert system.parameters["hot_metal_per_steel"].value == 0.95  # the original is untouched


def test_run_json_records_the_resolved_schemes(models):
    _, params = resolve_report("tyres/passenger-car-tyre", parameters=QUICK)
    assert json.loads(json.dumps(params))["schemes"] == ["pcflab-percentile-tyres"]
