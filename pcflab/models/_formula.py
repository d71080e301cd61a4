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
    program, names = [], []

    def binary(op, left, right):
        da = visit(left)
        db = visit(right)
        program.append((op, 0))
        return max(da, db + 1)

    def visit(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            program.append((CONST, float(node.value)))
            return 1
        if isinstance(node, ast.Name):
            if node.id in _FUNCS or node.id in ("and", "or", "not"):
                raise ValueError(f"{node.id!r} is a function, not a parameter")
            program.append((PARAM, node.id))
            if node.id not in names:
                names.append(node.id)
            return 1
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd, ast.Not)):
            d = visit(node.operand)
            if isinstance(node.op, ast.USub):
                program.append((NEG, 0))
            elif isinstance(node.op, ast.Not):
                program.append((NOT, 0))
            return d
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            return binary(_BINOPS[type(node.op)], node.left, node.right)
        if isinstance(node, ast.Compare):
            if len(node.ops) != 1 or type(node.ops[0]) not in _COMPARE:
                raise ValueError(
                    f"{ast.unparse(node)!r} in {text!r}: write one comparison at a time "
                    "(a < b and b < c), with < <= > >= == !="
                )
            return binary(_COMPARE[type(node.ops[0])], node.left, node.comparators[0])
        if isinstance(node, ast.BoolOp):
            op = AND if isinstance(node.op, ast.And) else OR
            depth = visit(node.values[0])
            for v in node.values[1:]:
                depth = max(depth, visit(v) + 1)
                program.append((op, 0))
            return depth
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in _FUNCS
            and not node.keywords
            and len(node.args) >= 2
        ):
            depth = visit(node.args[0])
            for arg in node.args[1:]:
                depth = max(depth, visit(arg) + 1)
                program.append((_FUNCS[node.func.id], 0))
            return depth
        if isinstance(node, ast.IfExp):
            d1 = visit(node.body)
            d2 = visit(node.orelse)
            d3 = visit(node.test)
            program.append((IFELSE, 0))
            return max(d1, d2 + 1, d3 + 2)
        raise ValueError(f"{ast.unparse(node)!r} in {text!r} is not allowed: {_ALLOWED}")

    depth = visit(tree.body)
    return Formula(text.strip(), tuple(program), tuple(names), depth)
