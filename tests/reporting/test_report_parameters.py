"""Report parameters: every bad value is refused, naming the parameter and what it must be."""

import pytest

import pcflab
from pcflab.core._errors import ReportError
from pcflab.methods import list_schemes

GOOD = {"model": "steel/bf-bof-hot-rolled-coil", "samples": 1000, "seed": 1}


def test_good_parameters_are_kept():
    p = pcflab.ReportParameters(**GOOD, sobol_n=256, schemes=["pcflab-percentile-steel"])
    assert (p.samples, p.seed, p.gwp_set, p.sobol_n, p.schemes) == (1000, 1, "AR6", 256, ["pcflab-percentile-steel"])
    assert pcflab.ReportParameters(**GOOD).sobol_n == 0  # no sensitivity section unless asked


@pytest.mark.parametrize(
    ("field", "value", "must"),
    [
        ("samples", 10, "an integer >= 100"),
        ("samples", 1000.0, "an integer >= 100"),
        ("seed", -1, "between 0 and 2**64 - 1"),
        ("gwp_set", "AR7", "one of AR4"),
        ("sobol_n", 100, "a power of two >= 16"),
        ("sobol_n", 8, "a power of two >= 16"),
        ("sobol_n", True, "a power of two >= 16"),
        ("schemes", "pcflab-percentile-steel", "a list of scheme ids"),
        ("schemes", ["no-such-scheme"], "pcflab-percentile-steel"),
    ],
)
def test_bad_parameter_names_itself(field, value, must):
    with pytest.raises(ReportError) as err:
        pcflab.ReportParameters(**(GOOD | {field: value}))
    assert err.value.field == field
    assert must in str(err.value)
    assert f"-p {field}" in str(err.value)


def test_scheme_file_is_accepted(tmp_path):
    path = tmp_path / "my-scheme.yaml"
    path.write_text("id: x\n", encoding="utf-8")
    assert pcflab.ReportParameters(**GOOD, schemes=[str(path)]).schemes == [str(path)]
    assert "pcflab-percentile-steel" in list_schemes()
