"""Every command-line mistake is one line naming the value and what is allowed, exit status 2."""

import subprocess
import sys

import pytest

from pcflab.cli import main

MODEL = "steel/bf-bof-hot-rolled-coil"


@pytest.fixture
def files(tmp_path):
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
    (tmp_path / "binary.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe")
    (tmp_path / "folder.yaml").mkdir()
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    return tmp_path


# (arguments, what the one line must say); {tmp} is the fixture folder
CASES = [
    (["run", MODEL, "--samples", "-5"], "'-5' is negative: give a whole number of samples >= 0"),
    (["run", MODEL, "--samples", "many"], "'many' is not a whole number"),
    (["run", MODEL, "--seed", "-1"], "'-1' is out of range: a seed is a whole number from 0 to 2**64 - 1"),
    (["run", MODEL, "--seed", "1.5"], "'1.5' is not a whole number"),
    (["run", MODEL, "--seed", str(2**64)], "out of range"),
    (["run", MODEL, "--profile", "iso9001"], "unknown method profile 'iso9001': choose from iso14067"),
    (["run", MODEL, "--profiles", "pef,nope"], "unknown method profile 'nope'"),
    (["run", MODEL, "--gwp", "AR7"], "unknown GWP set 'AR7': choose from AR4, AR5, AR6"),
    (["report", MODEL, "--samples", "10"], "'10' is too few: a report needs a whole number of samples >= 100"),
    (["report", MODEL, "--seed", "x"], "'x' is not a whole number"),
    (["report", MODEL, "--schemes", "gold-star"], "unknown class scheme 'gold-star': give a scheme file or one of"),
    (["report", MODEL, "--profile", "nope"], "unknown method profile 'nope'"),
    (["report", MODEL, "--gwp", "SAR"], "unknown GWP set 'SAR'"),
    (["report", MODEL, "--notebook", "{tmp}/none.ipynb"], "'{tmp}/none.ipynb' does not exist"),
    (["demo", "--samples", "-1"], "'-1' is too few"),
    (["run", "{tmp}/missing.yaml"], "'{tmp}/missing.yaml' does not exist"),
    (["run", "{tmp}/empty.yaml"], "'{tmp}/empty.yaml' is empty"),
    (["run", "{tmp}/binary.yaml"], "'{tmp}/binary.yaml' is a binary file, not a model file"),
    (["run", "{tmp}/folder.yaml"], "'{tmp}/folder.yaml' is a folder, not a model file"),
    (["run", ""], "an empty path was given for the model file"),
    (["run", "steel/no-such-model"], "no model file or shipped model named 'steel/no-such-model'"),
    (["report", "{tmp}/binary.yaml"], "is a binary file"),
    (["run", MODEL, "--factors", "{tmp}/none.csv"], "'{tmp}/none.csv' does not exist"),
    (["run", MODEL, "--factors", "{tmp}/empty.csv"], "'{tmp}/empty.csv' is empty"),
    (["run", MODEL, "--bogus"], "unrecognized arguments: --bogus"),
    (["frobnicate"], "invalid choice: 'frobnicate'"),
]


@pytest.mark.parametrize(("argv", "says"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_mistake_is_one_line_and_exit_2(files, capsys, argv, says):
    argv = [a.replace("{tmp}", str(files)) for a in argv]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("error: "), err
    assert says.replace("{tmp}", str(files)) in err
    assert "Traceback" not in err


def test_debug_shows_the_traceback(files):
    from pcflab.core import PcfError

    with pytest.raises(PcfError, match="is empty"):
        main(["run", str(files / "empty.yaml"), "--debug"])


@pytest.mark.parametrize(
    ("argv", "says"),
    [(["run", MODEL, "--seed", "-3"], "'-3' is out of range"), (["run", "nowhere/x.yaml"], "does not exist")],
)
def test_mistake_through_the_installed_command(argv, says):
    done = subprocess.run([sys.executable, "-m", "pcflab.cli", *argv], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stdout == "" and done.stderr.count("\n") == 1 and says in done.stderr
    assert "Traceback" not in done.stderr
    debug = subprocess.run([sys.executable, "-m", "pcflab.cli", "--debug", *argv], capture_output=True, text=True)
    assert debug.returncode != 0 and "Traceback" in debug.stderr


def test_help_documents_the_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "exit status:" in out and "2  bad input" in out and "--debug" in out


def test_a_closed_pipe_ends_quietly():
    """`pcflab factors list | head -1` (80 kB, more than a pipe holds): the reader leaves early;
    no error line, no traceback."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "pcflab.cli", "factors", "list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    first = proc.stdout.readline()
    proc.stdout.close()  # what `head -1` does after its line
    err = proc.stderr.read().decode()
    code = proc.wait(timeout=60)
    assert first.strip()
    assert "Error" not in err and "Traceback" not in err, err
    assert code in (0, 141)
