"""Safe formulas: parse arithmetic of parameter names into kernel programs.

Amounts in model files may be numbers or formulas such as ``coke_rate * (1 - 0.05)``.
Formulas are parsed with :mod:`ast` and only numbers, parameter names, ``+ - * / **``,
unary minus and parentheses are accepted; nothing is ever passed to ``eval``.
"""

import ast
from dataclasses import dataclass

from pcflab.kernel import ADD, CONST, DIV, MUL, NEG, PARAM, POW, SUB

__all__ = ["Formula", "parse_formula"]

_BINOPS = {ast.Add: ADD, ast.Sub: SUB, ast.Mult: MUL, ast.Div: DIV, ast.Pow: POW}
_APPLY = {
    ADD: lambda a, b: a + b,
    SUB: lambda a, b: a - b,
    MUL: lambda a, b: a * b,
    DIV: lambda a, b: a / b,
    POW: lambda a, b: a**b,
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
        """Evaluate on a mapping of names to numbers or pint quantities."""
        stack = []
        for op, arg in self.program:
            if op == CONST:
                stack.append(arg)
            elif op == PARAM:
                stack.append(values[arg])
            elif op == NEG:
                stack.append(-stack.pop())
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
            f"{text!r} is neither a number nor a formula; units belong in the 'unit' key, "
            "and formulas may use parameter names, numbers, + - * / ** and parentheses"
        ) from None
    program, names = [], []

    def visit(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            program.append((CONST, float(node.value)))
            return 1
        if isinstance(node, ast.Name):
            program.append((PARAM, node.id))
            if node.id not in names:
                names.append(node.id)
            return 1
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            d = visit(node.operand)
            if isinstance(node.op, ast.USub):
                program.append((NEG, 0))
            return d
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            da = visit(node.left)
            db = visit(node.right)
            program.append((_BINOPS[type(node.op)], 0))
            return max(da, db + 1)
        raise ValueError(
            f"{ast.unparse(node)!r} in {text!r} is not allowed: formulas may use parameter "
            "names, numbers, + - * / ** and parentheses"
        )

    depth = visit(tree.body)
    return Formula(text.strip(), tuple(program), tuple(names), depth)
