"""The README's Python examples run as written (a newcomer follows the README alone)."""

import re
from pathlib import Path

import matplotlib
import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"^```python\n(.*?)^```", README.read_text(encoding="utf-8"), flags=re.S | re.M)

pytestmark = pytest.mark.slow


def test_readme_has_python_examples():
    assert len(BLOCKS) >= 4
    assert any("pcflab.sensitivity(" in b for b in BLOCKS) and any("pcflab.simulate(" in b for b in BLOCKS)


def test_readme_examples_run_in_order(capsys):
    """Every block runs, in order, in one namespace, as in one Python session."""
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    namespace = {"__name__": "readme"}
    for i, block in enumerate(BLOCKS, 1):
        try:
            exec(compile(block, f"README.md python block {i}", "exec"), namespace)  # noqa: S102 (our README)
        except Exception as exc:  # name the block, whatever failed
            pytest.fail(f"README python block {i} fails: {type(exc).__name__}: {exc}\n{block}")
        plt.close("all")
    printed = capsys.readouterr().out
    assert "kg CO2e" in printed and "DQR" in printed
