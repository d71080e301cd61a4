"""Releases: diff between two versions of the database, and git revisions."""

import subprocess

import pytest

import pcflab
from pcflab.factors._release import diff_factors, open_release
from tests.conftest import FACTOR_HEADER, factor_row


def test_diff_lists_added_removed_and_changed(factor_file, tmp_path):
    old = factor_file(factor_row(fid="t/a/a/1"), factor_row(fid="t/b/b/1"), factor_row(fid="t/c/c/1"), name="old.csv")
    new = factor_file(
        factor_row(fid="t/a/a/1", value="0.55"), factor_row(fid="t/c/c/1"), factor_row(fid="t/d/d/1"), name="new.csv"
    )
    d = diff_factors(old, new)
    assert d[d.change == "added"].id.tolist() == ["t/d/d/1"]
    assert d[d.change == "removed"].id.tolist() == ["t/b/b/1"]
    changed = d[d.change == "changed"]
    assert changed[["id", "field", "old", "new"]].values.tolist() == [["t/a/a/1", "value", "0.5", "0.55"]]


def test_identical_content_gives_an_empty_diff(tmp_path):
    db = pcflab.load_factors()
    assert diff_factors(db, db.to_csv(tmp_path / "same.csv")).empty


def test_git_revision_release(tmp_path):
    repo = tmp_path / "repo"
    (repo / "datasets" / "factors").mkdir(parents=True)
    f = repo / "datasets" / "factors" / "x.csv"

    def git(*args):
        subprocess.run(
            ["git", "-c", "user.email=t@t", "-c", "user.name=t", *args], cwd=repo, check=True, capture_output=True
        )

    git("init", "-q")
    f.write_text(f"{FACTOR_HEADER}\n{factor_row(fid='t/a/a/1')}\n", encoding="utf-8")
    git("add", "-A")
    git("commit", "-qm", "one")
    f.write_text(f"{FACTOR_HEADER}\n{factor_row(fid='t/a/a/1', value='0.6')}\n", encoding="utf-8")
    import os

    cwd = os.getcwd()
    os.chdir(repo)
    try:
        old = open_release("git:HEAD")
        d = diff_factors("git:HEAD", "datasets/factors")
    finally:
        os.chdir(cwd)
    assert len(old) == 1
    assert d[["change", "field", "old", "new"]].values.tolist() == [["changed", "value", "0.5", "0.6"]]


def test_unknown_git_revision_is_a_clear_error():
    with pytest.raises(pcflab.PcfError, match="cannot read datasets/factors at git revision"):
        open_release("git:no-such-revision-xyz")
