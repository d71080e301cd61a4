"""The README's Python examples run as written (a newcomer follows the README alone)."""

import re
import warnings
from pathlib import Path

import matplotlib
import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"^```python\n(.*?)^```", README.read_text(encoding="utf-8"), flags=re.S | re.M)

pytestmark = pytest.mark.slow


def test_readme_has_python_examples():
    """The README has Python examples of simulate and sensitivity."""
    assert len(BLOCKS) >= 4
    assert any("pcflab.sensitivity(" in b for b in BLOCKS) and any("pcflab.simulate(" in b for b in BLOCKS)


#: pcflab's warnings of an old argument name or order (``pcflab.core.renamed_arguments`` and
#: co): they point at the caller (the README block), so they are told apart by their message
PCFLAB_DEPRECATION = r".*deprecated since pcflab"


def test_readme_examples_run_in_order(capsys):
    """Every block runs, in order, in one namespace, as in one Python session.

    The README teaches only current names: a DeprecationWarning of pcflab's is an error.
    """
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    namespace = {"__name__": "readme"}
    for i, block in enumerate(BLOCKS, 1):
        with warnings.catch_warnings():
            warnings.filterwarnings("error", PCFLAB_DEPRECATION, DeprecationWarning)
            try:
                exec(compile(block, f"README.md python block {i}", "exec"), namespace)  # noqa: S102 (our README)
            except Exception as exc:  # name the block, whatever failed
                pytest.fail(f"README python block {i} fails: {type(exc).__name__}: {exc}\n{block}")
        plt.close("all")
    printed = capsys.readouterr().out
    assert "kg CO2e" in printed and "DQR" in printed


def test_the_readme_check_catches_an_old_name():
    """The filter above turns a pcflab 0.1 spelling into an error (it cannot pass by accident)."""
    import pcflab

    with warnings.catch_warnings():
        warnings.filterwarnings("error", PCFLAB_DEPRECATION, DeprecationWarning)
        with pytest.raises(DeprecationWarning, match="passing gwp_set by position"):
            pcflab.footprint("steel/eaf-hot-rolled-bar", None, "AR5")  # gwp_set by position, as in 0.1
