"""Packaging: the card's folders are installed as pcflab.kernel / pcflab.methods only."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import pcflab

ROOT = Path(__file__).resolve().parents[1]


def test_editable_install_maps_folders():
    import pcflab.kernel
    import pcflab.methods

    assert Path(pcflab.kernel.__file__).parent == ROOT / "kernel"
    assert Path(pcflab.methods.__file__).parent == ROOT / "methods"


@pytest.mark.slow
def test_wheel_installs_only_pcflab(tmp_path):
    # build from a copy of the tracked sources: an in-tree build/ folder would leak stale files
    src = tmp_path / "src"
    tracked = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in tracked:
        if (ROOT / name).is_file():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, src / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(src)], check=True)
    wheel = next(tmp_path.glob("pcflab-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert tops == {"pcflab", f"pcflab-{pcflab.__version__}.dist-info"}
    for needed in (
        "pcflab/kernel/_philox.py",
        "pcflab/methods/_gwp.py",
        "pcflab/datasets/factors/electricity.csv",
        "pcflab/datasets/factors/release.yaml",
        "pcflab/datasets/factors/templates/import-template.csv",
        "pcflab/datasets/gwp/gwp100.csv",
        "pcflab/datasets/models/steel/bf-bof-hot-rolled-coil.yaml",
        "pcflab/notebooks/steel.ipynb",
        "pcflab/reports/templates/pcflab/index.html.j2",
    ):
        assert needed in names, needed
    assert not any(n.startswith("pcflab/reports/steel") for n in names)
    # a non-editable install imports pcflab.kernel from the installed copy of kernel/
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)], check=True
    )
    code = (
        "import pcflab, pcflab.kernel, pcflab.methods; print(pcflab.kernel.__file__); "
        "print(pcflab.footprint('steel/bf-bof-hot-rolled-coil')['gwp100'].sum().item())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
    )
    kernel_file, total = done.stdout.split()
    assert Path(kernel_file).is_relative_to(target / "pcflab" / "kernel")
    assert float(total) == pcflab.footprint("steel/bf-bof-hot-rolled-coil")["gwp100"].sum().item()
