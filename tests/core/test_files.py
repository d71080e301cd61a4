"""Atomic writes: a failed write leaves the old file as it was and no temporary file."""

import stat

import pytest

from pcflab.core import atomic_write, atomic_write_text


def test_writes_and_replaces(tmp_path):
    path = tmp_path / "sub" / "out.json"
    assert atomic_write_text(path, "one") == path
    atomic_write_text(path, "二")
    assert path.read_text("utf-8") == "二"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert sorted(p.name for p in path.parent.iterdir()) == ["out.json"]


def test_a_failed_write_keeps_the_old_file(tmp_path):
    path = tmp_path / "out.nc"
    atomic_write_text(path, "old")

    def half(tmp):
        with open(tmp, "w") as f:
            f.write("half of the n")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_write(path, half)
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.nc"]
