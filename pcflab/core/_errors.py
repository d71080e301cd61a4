"""pcflab's errors: what is wrong, where (file, line, field) and how to fix it."""

__all__ = [
    "AmbiguousUnitError",
    "FactorTableError",
    "ModelError",
    "ModelWarning",
    "PcfError",
    "ReportError",
    "SystemSolveError",
    "UnitMismatchError",
    "UnknownFactorError",
]


class PcfError(Exception):
    """Base class of every error pcflab raises on purpose.

    Parameters
    ----------
    message : str
        What is wrong.
    file : str or path, optional
        The file in which it is wrong.
    line : int, optional
        1-based line in that file.
    field : str, optional
        The key or column, as a dotted path (``processes.bof.inputs[1].amount``).
    hint : str, optional
        How to fix it.
    """

    def __init__(self, message, *, file=None, line=None, field=None, hint=None):
        self.message = message
        self.file = None if file is None else str(file)
        self.line = line
        self.field = field
        self.hint = hint
        super().__init__(self._render())

    def _render(self):
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "") + ": "
        elif self.line:
            where = f"line {self.line}: "
        text = where + (f"{self.field}: " if self.field else "") + self.message
        if self.hint:
            text += f"\n  how to fix: {self.hint}"
        return text


class ModelError(PcfError):
    """A product-system model file is invalid."""


class UnknownFactorError(ModelError):
    """A model names an emission factor that the factor table does not have."""


class UnitMismatchError(PcfError):
    """An amount's unit cannot be converted to the unit it is used in."""


class FactorTableError(PcfError):
    """An emission-factor table is invalid."""


class SystemSolveError(PcfError):
    """The product system cannot be solved (singular or non-productive)."""


class ReportError(PcfError):
    """A report could not be produced."""


class AmbiguousUnitError(PcfError, ValueError):
    """A unit name that means different amounts in different places (``ton``, ``gallon``).

    Also a ``ValueError``, so that code which reports a bad unit reports this one too.
    """


class ModelWarning(UserWarning):
    """Something of a model that does not enter its result (a process, a parameter, a factor).

    Raised as an error (``ModelError``) under ``strict=True`` (``pcflab run --strict``).
    Located like ``PcfError``: ``file``, ``line``, ``field``, ``hint``.

    Parameters
    ----------
    message : str
        What is left out.
    file : str or path, optional
        The model file.
    line : int, optional
        1-based line in that file.
    field : str, optional
        The key, as a dotted path (``processes.coking``).
    hint : str, optional
        How to fix it.
    """

    def __init__(self, message, *, file=None, line=None, field=None, hint=None):
        self.message = message
        self.file = None if file is None else str(file)
        self.line = line
        self.field = field
        self.hint = hint
        super().__init__(PcfError._render(self))
