"""Safe formulas: parse arithmetic of parameter names into kernel programs.

Amounts and derived parameters in model files may be numbers or formulas such as
``coke_rate * (1 - 0.05)``, ``min(scrap_share, 0.3)`` or
``grid if green_share < 0.5 else 0.9 * grid``. Formulas are parsed with :mod:`ast`; only
numbers, parameter names, ``+ - * / **``, unary minus, parentheses, ``min`` and ``max``,
one comparison (``< <= > >= == !=``), ``and`` / ``or`` / ``not`` and the conditional
``a if condition else b`` are accepted. Nothing is ever passed to ``eval``.
"""

import ast
from dataclasses import dataclass

from pcflab.kernel import (
    ADD,
    AND,
    CONST,
    DIV,
    EQ,
    GE,
    GT,
    IFELSE,
    LE,
    LT,
    MAX,
    MIN,
    MUL,
    NE,
    NEG,
    NOT,
    OR,
    PARAM,
    POW,
    SUB,
)

__all__ = ["Formula", "parse_formula"]

_BINOPS = {ast.Add: ADD, ast.Sub: SUB, ast.Mult: MUL, ast.Div: DIV, ast.Pow: POW}
_COMPARE = {ast.Lt: LT, ast.LtE: LE, ast.Gt: GT, ast.GtE: GE, ast.Eq: EQ, ast.NotEq: NE}
_FUNCS = {"min": MIN, "max": MAX}
_ALLOWED = (
    "formulas may use parameter names, numbers, + - * / **, parentheses, min(), max(), "
    "one comparison, and/or/not, and 'a if condition else b'"
)


def _truth(x):
    return 1.0 if bool(x != 0) else 0.0


def _same_kind(a, b, what):
    """Raise if two operands have different physical dimensions."""
    da = getattr(a, "dimensionality", None)
    db = getattr(b, "dimensionality", None)
    if (da or {}) != (db or {}) and not (not da and not db):
        raise ValueError(f"{what} compares or chooses between quantities of different kinds ({da} and {db})")


_APPLY = {
    ADD: lambda a, b: a + b,
    SUB: lambda a, b: a - b,
    MUL: lambda a, b: a * b,
    DIV: lambda a, b: a / b,
    POW: lambda a, b: a**b,
    MIN: lambda a, b: (_same_kind(a, b, "min()"), a if a <= b else b)[1],
    MAX: lambda a, b: (_same_kind(a, b, "max()"), a if a >= b else b)[1],
    LT: lambda a, b: (_same_kind(a, b, "<"), 1.0 if a < b else 0.0)[1],
    LE: lambda a, b: (_same_kind(a, b, "<="), 1.0 if a <= b else 0.0)[1],
    GT: lambda a, b: (_same_kind(a, b, ">"), 1.0 if a > b else 0.0)[1],
    GE: lambda a, b: (_same_kind(a, b, ">="), 1.0 if a >= b else 0.0)[1],
    EQ: lambda a, b: (_same_kind(a, b, "=="), 1.0 if a == b else 0.0)[1],
    NE: lambda a, b: (_same_kind(a, b, "!="), 1.0 if a != b else 0.0)[1],
    AND: lambda a, b: 1.0 if (_truth(a) and _truth(b)) else 0.0,
    OR: lambda a, b: 1.0 if (_truth(a) or _truth(b)) else 0.0,
}


@dataclass(frozen=True)
class Formula:
    """A parsed formula.

    Attributes
    ----------
    text : str
        The formula as written.
    program : tuple of (opcode, operand)
        Postfix program; the operand of CONST is the number, of PARAM the name.
    names : tuple of str
        Parameter names used, in order of first use.
    depth : int
        Stack depth the program needs.
    """

    text: str
    program: tuple
    names: tuple
    depth: int

    def evaluate(self, values):
        """Evaluate on a mapping of names to numbers or pint quantities (as the kernel does)."""
        stack = []
        for op, arg in self.program:
            if op == CONST:
                stack.append(arg)
            elif op == PARAM:
                stack.append(values[arg])
            elif op == NEG:
                stack.append(-stack.pop())
            elif op == NOT:
                stack.append(1.0 - _truth(stack.pop()))
            elif op == IFELSE:
                c, b, a = stack.pop(), stack.pop(), stack.pop()
                _same_kind(a, b, "the conditional")
                stack.append(a if _truth(c) else b)
            else:
                b, a = stack.pop(), stack.pop()
                stack.append(_APPLY[op](a, b))
        return stack[0]


def parse_formula(text):
    """Parse an amount written as a number or a formula of parameter names.

    Parameters
    ----------
    text : str, int or float
        The amount as written in the model file.

    Returns
    -------
    Formula

    Raises
    ------
    ValueError
        With a message that says which part of the text is not allowed.
    """
    if isinstance(text, bool):
        raise ValueError(f"{text!r} is not a number or formula")
    if isinstance(text, (int, float)):
        return Formula(str(text), ((CONST, float(text)),), (), 1)
    if not isinstance(text, str) or not text.strip():
        raise ValueError("expected a number or a formula of parameter names")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError:
        raise ValueError(
            f"{text!r} is neither a number nor a formula; units belong in the 'unit' key, and {_ALLOWED}"
        ) from None
    writer = _ProgramWriter(text)
    depth = writer.visit(tree.body)
    return Formula(text.strip(), tuple(writer.program), tuple(writer.names), depth)


class _ProgramWriter:
    """Writes the postfix program of a formula's syntax tree, node by node.

    Every ``visit`` appends the node's instructions to ``program`` and returns the stack
    depth they need; ``names`` collects the parameter names in order of first use.
    """

    def __init__(self, text):
        self.text = text
        self.program = []
        self.names = []

    def visit(self, node):
        """Append the program of ``node``; the stack depth it needs."""
        for kind, method in self._VISITORS:
            if isinstance(node, kind):
                depth = method(self, node)
                if depth is not None:
                    return depth
        raise ValueError(f"{ast.unparse(node)!r} in {self.text!r} is not allowed: {_ALLOWED}")

    def _emit(self, op):
        self.program.append((op, 0))

    def _binary(self, op, left, right):
        da = self.visit(left)
        db = self.visit(right)
        self._emit(op)
        return max(da, db + 1)

    def _fold(self, op, operands):
        """Append ``a op b op c ...``, folded from the left (and/or, min, max)."""
        depth = self.visit(operands[0])
        for operand in operands[1:]:
            depth = max(depth, self.visit(operand) + 1)
            self._emit(op)
        return depth

    def _constant(self, node):
        if isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            self.program.append((CONST, float(node.value)))
            return 1
        return None

    def _name(self, node):
        if node.id in _FUNCS or node.id in ("and", "or", "not"):
            raise ValueError(f"{node.id!r} is a function, not a parameter")
        self.program.append((PARAM, node.id))
        if node.id not in self.names:
            self.names.append(node.id)
        return 1

    def _unary(self, node):
        if not isinstance(node.op, (ast.USub, ast.UAdd, ast.Not)):
            return None
        d = self.visit(node.operand)
        if isinstance(node.op, ast.USub):
            self._emit(NEG)
        elif isinstance(node.op, ast.Not):
            self._emit(NOT)
        return d

    def _binop(self, node):
        if type(node.op) not in _BINOPS:
            return None
        return self._binary(_BINOPS[type(node.op)], node.left, node.right)

    def _compare(self, node):
        if len(node.ops) != 1 or type(node.ops[0]) not in _COMPARE:
            raise ValueError(
                f"{ast.unparse(node)!r} in {self.text!r}: write one comparison at a time "
                "(a < b and b < c), with < <= > >= == !="
            )
        return self._binary(_COMPARE[type(node.ops[0])], node.left, node.comparators[0])

    def _boolop(self, node):
        return self._fold(AND if isinstance(node.op, ast.And) else OR, node.values)

    def _call(self, node):
        if isinstance(node.func, ast.Name) and node.func.id in _FUNCS and not node.keywords and len(node.args) >= 2:
            return self._fold(_FUNCS[node.func.id], node.args)
        return None

    def _ifexp(self, node):
        d1 = self.visit(node.body)
        d2 = self.visit(node.orelse)
        d3 = self.visit(node.test)
        self._emit(IFELSE)
        return max(d1, d2 + 1, d3 + 2)

    #: (node type, method): a method returns None for a node of its type it does not accept
    _VISITORS = (
        (ast.Constant, _constant),
        (ast.Name, _name),
        (ast.UnaryOp, _unary),
        (ast.BinOp, _binop),
        (ast.Compare, _compare),
        (ast.BoolOp, _boolop),
        (ast.Call, _call),
        (ast.IfExp, _ifexp),
    )
