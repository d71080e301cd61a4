"""Checked command-line values: each bad value is one line naming it and what is allowed.

Every check raises ``argparse.ArgumentTypeError`` (turned by the parser into a one-line
``error: ...`` and exit status 2) or, for the path checks run after parsing, a
``PcfError`` (the same one line and status).
"""

import argparse
from pathlib import Path

from pcflab.core import PcfError

__all__ = [
    "EXIT_CODES",
    "OneLineParser",
    "UsageError",
    "check_model",
    "check_path",
    "count",
    "gwp_set",
    "notebook_parameter",
    "profile",
    "profiles",
    "report_samples",
    "schemes",
    "seed",
]

EXIT_CODES = """\
exit status:
  0  done
  1  the command ran and found problems ('factors validate'), or an internal error
     (run with --debug for its traceback and report it)
  2  bad input: an argument, a path, a model, factor or scheme file pcflab refuses
     (one line says which value and what is allowed; --debug shows the traceback)
  130  interrupted (Ctrl-C)
  141  the reader of the output went away (e.g. '| head'); nothing is printed
"""


class UsageError(Exception):
    """A command-line value argparse refused (exit status 2)."""


class OneLineParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose errors are one line, raised instead of printed with the usage."""

    def error(self, message):
        """Raise ``UsageError`` naming the command and the refused value.

        Parameters
        ----------
        message : str
            argparse's message.
        """
        raise UsageError(f"{self.prog}: {message}")


def _integer(text, what):
    try:
        return int(str(text).strip().replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number: {what}") from None


def count(text):
    """Check a Monte Carlo sample count: a whole number >= 0."""
    n = _integer(text, "give a whole number of samples >= 0, such as 10000")
    if n < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is negative: give a whole number of samples >= 0, such as 10000")
    return n


def report_samples(text):
    """Check a report's sample count: a whole number >= 100."""
    n = _integer(text, "a report needs a whole number of samples >= 100, such as 10000")
    if n < 100:
        raise argparse.ArgumentTypeError(f"{text!r} is too few: a report needs a whole number of samples >= 100")
    return n


def seed(text):
    """Check a seed: a whole number from 0 to 2**64 - 1."""
    s = _integer(text, "give a whole number from 0 to 2**64 - 1, such as 42")
    if not 0 <= s < 2**64:
        raise argparse.ArgumentTypeError(f"{text!r} is out of range: a seed is a whole number from 0 to 2**64 - 1")
    return s


def _choice(text, known, what):
    if text not in known:
        raise argparse.ArgumentTypeError(f"unknown {what} {text!r}: choose from {', '.join(known)}")
    return text


def profile(text):
    """Check a method profile name (``pcflab.methods.PROFILES``)."""
    from pcflab.methods import PROFILES

    return _choice(text, list(PROFILES), "method profile")


def profiles(text):
    """Check ``all`` or a comma-separated list of method profiles."""
    if text == "all":
        return text
    names = [p.strip() for p in text.split(",")]
    for name in names:
        profile(name)
    return ",".join(names)


def gwp_set(text):
    """Check a GWP100 set (``pcflab.methods.GWP_SETS``)."""
    from pcflab.methods import GWP_SETS

    return _choice(text, list(GWP_SETS), "GWP set")


def schemes(text):
    """Check a comma-separated list of class schemes (shipped ids or scheme files; empty: none)."""
    from pcflab.methods import list_schemes

    known = sorted(list_schemes())
    names = [s.strip() for s in text.split(",") if s.strip()]
    for name in names:
        if name not in known and not Path(name).is_file():
            raise argparse.ArgumentTypeError(
                f"unknown class scheme {name!r}: give a scheme file or one of {', '.join(known)}"
            )
    return names


def notebook_parameter(text):
    """Read ``-p name=value``: the value as JSON (``20000``, ``true``, ``["a", "b"]``), else as text."""
    import json

    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"{text!r} is not name=value: give a notebook parameter as -p n_samples=20000")
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = value
    return name.strip(), parsed


def check_path(value, what, *, folder_ok=False):
    """Refuse a path that is missing, a folder (unless allowed), empty or binary.

    Parameters
    ----------
    value : str or Path
        The path given on the command line.
    what : str
        What it should be (``"model file"``), for the message.
    folder_ok : bool
        Whether a folder is accepted.

    Returns
    -------
    Path

    Raises
    ------
    PcfError
        Naming the path and what is allowed.
    """
    p = Path(value)
    if str(value).strip() == "":
        raise PcfError(f"an empty path was given for the {what}", hint=f"give the path of a {what}")
    if not p.exists():
        raise PcfError(f"{str(value)!r} does not exist", hint=f"give the path of an existing {what}")
    if p.is_dir():
        if folder_ok:
            return p
        raise PcfError(f"{str(value)!r} is a folder, not a {what}", hint=f"give the path of one {what}")
    with open(p, "rb") as fh:
        head = fh.read(8192)
    if not head.strip():
        raise PcfError(f"{str(value)!r} is empty", file=p, hint=f"give a {what} with content")
    binary = b"\0" in head
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        binary = binary or not (len(head) == 8192 and exc.start >= len(head) - 3)  # a cut character at the end is fine
    if binary:
        raise PcfError(f"{str(value)!r} is a binary file, not a {what}", file=p, hint=f"give a UTF-8 text {what}")
    return p


def check_model(value):
    """Check a model: a shipped model name, or a model file that exists and is UTF-8 text.

    Parameters
    ----------
    value : str
        The model argument.

    Returns
    -------
    str
        The value unchanged.
    """
    p, text = Path(value), str(value)
    if not text.strip() or p.exists() or p.suffix in (".yaml", ".yml") or text.startswith((".", "/", "~")):
        check_path(value, "model file (.yaml)")
    return value
