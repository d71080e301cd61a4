"""environment.yml (conda) and pyproject.toml (pip) list the same packages and bounds."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _requirements(items):
    """name -> lower bound; an extra that names a package (dask[distributed]) counts as that
    package, which is how conda-forge splits it."""
    out = {}
    for item in items:
        m = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)(\[[A-Za-z0-9_,\-]+\])?\s*(>=\s*[0-9][^,;\s]*)?\s*", item)
        assert m, f"cannot read requirement {item!r}"
        bound = (m.group(3) or "").replace(" ", "")
        names = [m.group(1)] + (m.group(2)[1:-1].split(",") if m.group(2) else [])
        for name in names:
            out[name.lower().replace("_", "-")] = bound
    return out


def test_conda_environment_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pip_side = _requirements(project["dependencies"] + project["optional-dependencies"]["dev"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge", "nodefaults"]
    conda_items = [d for d in env["dependencies"] if isinstance(d, str) and not d.startswith(("python", "pip"))]
    conda_side = _requirements(conda_items)
    assert conda_side == pip_side
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert any(line.endswith("-e .") for line in pip_section)


def test_python_version_agrees():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert project["requires-python"] == ">=3.11"
    assert "python=3.11" in env["dependencies"]
