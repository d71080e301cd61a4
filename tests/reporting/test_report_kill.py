"""A killed report leaves no kernel running and no partial report; the next run cleans up."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import pcflab
from pcflab.reporting._report import clean_stale_staging

pytestmark = [pytest.mark.notebook, pytest.mark.slow]

MODEL = "steel/eaf-hot-rolled-bar"


def _children(pid):
    """Process ids whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _running(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _cmdline(pid):
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_kill_9_leaves_no_kernel_and_the_next_run_cleans_up(tmp_path):
    out = tmp_path / "reports" / "bar"
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    report = subprocess.Popen(
        [sys.executable, "-m", "pcflab.cli", "report", MODEL, "--samples", "20000", "--out", str(out), "--quiet"],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        kernels, deadline = [], time.monotonic() + 120
        while not kernels and time.monotonic() < deadline and report.poll() is None:
            time.sleep(0.2)
            kernels = [p for p in _children(report.pid) if "kernel" in _cmdline(p)]
        assert kernels, "the report started no kernel"
        assert "pcflab.reporting._kernel" in _cmdline(kernels[0])
        time.sleep(3)  # the notebook is running its cells
        os.kill(report.pid, signal.SIGKILL)
        report.wait()
    finally:
        if report.poll() is None:
            report.kill()
    deadline = time.monotonic() + 10
    while any(_running(k) for k in kernels) and time.monotonic() < deadline:
        time.sleep(0.1)
    survivors = [k for k in kernels if _running(k)]
    for k in survivors:  # do not leave it behind in the test machine either
        os.kill(k, signal.SIGKILL)
    assert survivors == [], "the notebook kernel outlived the killed report"

    staging = list(out.parent.glob(".bar.staging-*"))
    assert len(staging) == 1 and f"staging-{report.pid}-" in staging[0].name
    assert not out.exists()  # no partial report at the final path
    assert list(cwd.iterdir()) == []  # nothing written in the working directory

    live = out.parent / f".bar.staging-{os.getpid()}-0-live"  # a running writer's folder is kept
    live.mkdir()
    html = pcflab.run_report(MODEL, out_dir=out, n_samples=100, seed=1, parameters={"sobol_n": 0, "schemes": []})
    assert html.is_file()
    assert sorted(p.name for p in out.parent.iterdir()) == sorted(["bar", live.name])
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["provenance"]["n_samples"] == 100


def test_a_backup_of_a_run_killed_mid_swap_is_put_back(tmp_path):
    out = tmp_path / "steel"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    backup = tmp_path / f".steel.old-{pid}-1-abc"
    backup.mkdir()
    (backup / "report.html").write_text("the previous report", encoding="utf-8")
    stale = tmp_path / f".steel.staging-{pid}-1-xyz"
    stale.mkdir()
    (stale / "report.ipynb").write_text("{}", encoding="utf-8")
    assert sorted(clean_stale_staging(out)) == sorted([backup, stale])
    assert (out / "report.html").read_text(encoding="utf-8") == "the previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["steel"]
