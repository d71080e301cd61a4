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
    assert pip_section == ["-e ."]


def test_python_version_agrees():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert project["requires-python"] == ">=3.11"
    assert "python=3.11" in env["dependencies"]


def _conda_pip_requirements():
    """The lines conda writes to the requirements file it hands to pip."""
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    return next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))


def test_conda_pip_section_installs(tmp_path):
    """The pip step of `conda env create` works: conda writes the section to a requirements
    file and runs pip on it from the file's folder. pip resolves it here (``--dry-run``, the
    packages already installed satisfy it), building pcflab's metadata on the way, and the
    packaging metadata raises no deprecation warning."""
    import subprocess
    import sys

    requirements = tmp_path / "condaenv.requirements.txt"
    requirements.write_text("\n".join(_conda_pip_requirements()) + "\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--disable-pip-version-check", "-r", str(requirements)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    assert "Would install pcflab" in output
    assert not re.search(r"deprecat|BuildBackendWarning|SetuptoolsWarning", output, re.I), output
