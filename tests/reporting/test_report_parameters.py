"""Report parameters: every bad value is refused, naming the parameter and what it must be."""

import warnings

import nbformat
import pytest

import pcflab
from pcflab.core._errors import ReportError
from pcflab.methods import GWP_SETS, PROFILES, list_schemes

GOOD = {"model": "steel/bf-bof-hot-rolled-coil", "n_samples": 1000, "seed": 1}


def test_good_parameters_are_kept():
    p = pcflab.ReportParameters(**GOOD, sobol_n=256, schemes=["pcflab-percentile-steel"])
    assert (p.n_samples, p.seed, p.gwp_set, p.sobol_n, p.schemes) == (1000, 1, "AR6", 256, ["pcflab-percentile-steel"])
    assert pcflab.ReportParameters(**GOOD).sobol_n == 0  # no sensitivity section unless asked
    assert pcflab.ReportParameters(**GOOD).profile == "iso14067"
    assert pcflab.ReportParameters(**(GOOD | {"seed": 2**64 - 1})).seed == 2**64 - 1
    assert pcflab.ReportParameters(**GOOD, schemes=("pcflab-percentile-steel",)).schemes == ["pcflab-percentile-steel"]


@pytest.mark.parametrize("gwp_set", GWP_SETS)
@pytest.mark.parametrize("profile", list(PROFILES))
def test_every_gwp_set_and_profile_is_accepted(gwp_set, profile):
    p = pcflab.ReportParameters(**GOOD, gwp_set=gwp_set, profile=profile)
    assert (p.gwp_set, p.profile) == (gwp_set, profile)


def test_positional_arguments_keep_their_old_order():
    p = pcflab.ReportParameters("m", 500, 3, "AR5", "out", 16, ["pcflab-percentile-steel"])
    assert (p.model, p.n_samples, p.seed, p.gwp_set, str(p.output_dir), p.sobol_n) == ("m", 500, 3, "AR5", "out", 16)
    with pytest.raises(TypeError, match="multiple values for 'seed'"):
        pcflab.ReportParameters("m", 500, 3, seed=4)


@pytest.mark.parametrize(
    ("field", "value", "must"),
    [
        ("n_samples", 10, "an integer >= 100"),
        ("n_samples", 1000.0, "an integer >= 100"),
        ("n_samples", True, "an integer >= 100"),
        ("seed", -1, "between 0 and 2**64 - 1"),
        ("seed", 2**64, "between 0 and 2**64 - 1"),
        ("gwp_set", "AR7", "one of AR4"),
        ("profile", "iso14064", "one of iso14067"),
        ("sobol_n", 100, "a power of two >= 16"),
        ("sobol_n", 8, "a power of two >= 16"),
        ("sobol_n", True, "a power of two >= 16"),
        ("schemes", "pcflab-percentile-steel", "a list of scheme ids"),
        ("schemes", ["no-such-scheme"], "pcflab-percentile-steel"),
        ("model", "", "a model file"),
        ("output_dir", 3, "a folder path"),
    ],
)
def test_bad_parameter_names_itself(field, value, must):
    with pytest.raises(ReportError) as err:
        pcflab.ReportParameters(**(GOOD | {field: value}))
    assert err.value.field == field
    assert must in str(err.value)
    assert f"-p {field}" in str(err.value)


def test_unknown_parameter_is_named():
    with pytest.raises(ReportError, match="unknown report parameter") as err:
        pcflab.ReportParameters(**GOOD, sampels=10)
    assert err.value.field == "sampels" and "n_samples" in str(err.value)


def test_old_samples_spelling_warns_and_still_works():
    old = {k: v for k, v in GOOD.items() if k != "n_samples"}
    with pytest.warns(DeprecationWarning, match=r"ReportParameters\(samples=\.\.\.\) is deprecated.*n_samples") as w:
        p = pcflab.ReportParameters(**old, samples=2000)
    assert w[0].filename == __file__  # the warning points at the caller
    assert p.n_samples == 2000
    with pytest.warns(DeprecationWarning, match=r"ReportParameters\.samples is deprecated"):
        assert p.samples == 2000
    with pytest.warns(DeprecationWarning):
        assert pcflab.ReportParameters.model_validate(old | {"samples": 300}).n_samples == 300
    with pytest.raises(TypeError, match="both 'samples' and its new name 'n_samples'"):
        pcflab.ReportParameters(**GOOD, samples=2000)
    with pytest.warns(DeprecationWarning), pytest.raises(ReportError) as err:
        pcflab.ReportParameters(**old, samples=5)
    assert err.value.field == "n_samples"


def test_new_spelling_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert pcflab.ReportParameters(**GOOD).n_samples == 1000


def test_scheme_file_is_accepted(tmp_path):
    path = tmp_path / "my-scheme.yaml"
    path.write_text("id: x\n", encoding="utf-8")
    assert pcflab.ReportParameters(**GOOD, schemes=[str(path)]).schemes == [str(path)]
    assert "pcflab-percentile-steel" in list_schemes()


@pytest.fixture
def executed(monkeypatch):
    """Stand-in for papermill's execution: records the parameters, then fails like a cell."""
    import papermill

    calls = []

    def execute(input_path, output_path, parameters, **kwargs):
        calls.append(parameters)
        raise RuntimeError("stopped after the parameters")

    monkeypatch.setattr(papermill, "execute_notebook", execute)
    return calls


def run(tmp_path, **kwargs):
    with pytest.raises(ReportError, match="stopped after the parameters"):
        pcflab.run_report("steel/bf-bof-hot-rolled-coil", out_dir=tmp_path / "r", **kwargs)


def test_run_report_passes_n_samples(executed, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        run(tmp_path, n_samples=321, seed=5)
    assert executed[0]["n_samples"] == 321 and executed[0]["seed"] == 5 and "samples" not in executed[0]


def test_run_report_maps_the_old_samples_spellings(executed, tmp_path):
    with pytest.warns(DeprecationWarning, match=r"run_report\(samples=\.\.\.\) is deprecated since pcflab 0.2"):
        run(tmp_path, samples=222)
    with pytest.warns(DeprecationWarning, match=r"run_report\(parameters=\{'samples'"):
        run(tmp_path, parameters={"samples": 333})
    assert [c["n_samples"] for c in executed] == [222, 333]
    assert not any("samples" in c for c in executed)


def test_a_notebook_that_still_declares_samples_is_given_samples(executed, tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("model = 'x'\nsamples = 100\nseed = 1", metadata={"tags": ["parameters"]})]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "old.ipynb"
    nbformat.write(nb, path)
    run(tmp_path, notebook=str(path), n_samples=444)
    assert executed[0]["samples"] == 444 and "n_samples" not in executed[0]


def test_default_output_dir_is_never_the_notebook_folder(monkeypatch, tmp_path):
    """A notebook run by hand (output_dir "" as in notebooks/steel.py, or left out) writes to
    $PCFLAB_OUTPUT_DIR/<model>, else to reports/out/<model> of the checkout."""
    from pathlib import Path

    monkeypatch.setenv("PCFLAB_OUTPUT_DIR", str(tmp_path))
    assert pcflab.ReportParameters(**GOOD, output_dir="").output_dir == tmp_path / "steel-bf-bof-hot-rolled-coil"
    monkeypatch.delenv("PCFLAB_OUTPUT_DIR")
    checkout = Path(__file__).resolve().parents[2]
    expected = checkout / "reports" / "out" / "steel-bf-bof-hot-rolled-coil"
    assert pcflab.ReportParameters(**GOOD).output_dir == expected
    assert pcflab.ReportParameters(**GOOD, output_dir="somewhere").output_dir == Path("somewhere")
    nb = nbformat.read(checkout / "notebooks" / "steel.ipynb", as_version=4)
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    assert 'output_dir = ""' in params.source
