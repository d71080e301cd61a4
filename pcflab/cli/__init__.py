"""The ``pcflab`` command: ``demo``, ``report``, ``run``, ``schema`` and the ``factors`` commands.

Each command parses its arguments, calls the public API and prints; a ``PcfError``
becomes a one-paragraph message and exit status 2, never a traceback.
"""

from ._main import main

__all__ = [
    "main",
]
