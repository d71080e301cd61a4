"""`make lab` starts JupyterLab on notebooks/, as root too (containers and CI run as root)."""

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_lab_starts_a_server(tmp_path):
    """The server comes up and says where it runs; as root, Jupyter refuses to start unless
    the Makefile passes --allow-root."""
    env = os.environ | {"JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "JUPYTER_CONFIG_DIR": str(tmp_path / "cfg")}
    args = "--no-browser --port=0 --ServerApp.token=test --LabApp.news_url=None"
    proc = subprocess.Popen(
        ["make", "-s", "lab", f"LAB_ARGS={args}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "is running at" in line or "http://127.0.0.1" in line:
                break
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    output = "".join(lines)
    assert "Running as root is not recommended" not in output, output
    assert "http://127.0.0.1" in output or "is running at" in output, output
