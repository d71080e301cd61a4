"""A small stack machine that evaluates compiled formulas of parameters.

Model files may write an amount as a formula of parameters (``coke_rate * 1.05``).
pcflab's parser (``pcflab._formula``) turns every formula into a short program of
``(opcode, argument)`` pairs; this kernel runs those programs. Models are data, not
code: no per-model JIT compilation.

==========  ========  ===========================================
opcode      argument  effect
==========  ========  ===========================================
0 CONST     index     push ``consts[index]``
1 PARAM     index     push ``theta[index]``
2 ADD       --        pop b, a; push a + b
3 SUB       --        pop b, a; push a - b
4 MUL       --        pop b, a; push a * b
5 DIV       --        pop b, a; push a / b
6 NEG       --        pop a; push -a
7 POW       --        pop b, a; push a ** b
8 MIN       --        pop b, a; push min(a, b)
9 MAX       --        pop b, a; push max(a, b)
10 LT .. 15 NE  --     pop b, a; push 1.0 if a <, <=, >, >=, ==, != b else 0.0
16 IFELSE   --        pop c, b, a; push a if c != 0 else b
17 AND      --        pop b, a; push 1.0 if a != 0 and b != 0 else 0.0
18 OR       --        pop b, a; push 1.0 if a != 0 or b != 0 else 0.0
19 NOT      --        pop a; push 1.0 if a == 0 else 0.0
==========  ========  ===========================================

Both branches of a conditional are evaluated (without effect: an infinite value in the
branch not taken is discarded).
"""

import numba as nb

__all__ = [
    "ADD",
    "AND",
    "CONST",
    "DIV",
    "EQ",
    "GE",
    "GT",
    "IFELSE",
    "LE",
    "LT",
    "MAX",
    "MIN",
    "MUL",
    "NE",
    "NEG",
    "NOT",
    "OR",
    "PARAM",
    "POW",
    "SUB",
    "run_program",
]

CONST = 0
PARAM = 1
ADD = 2
SUB = 3
MUL = 4
DIV = 5
NEG = 6
POW = 7
MIN = 8
MAX = 9
LT = 10
LE = 11
GT = 12
GE = 13
EQ = 14
NE = 15
IFELSE = 16
AND = 17
OR = 18
NOT = 19

# ---------------------------------------------------------------------------------------
# Section 1: numba kernels
# ---------------------------------------------------------------------------------------


@nb.njit(cache=True, error_model="numpy")
def run_program(ops, consts, start, stop, theta, stack):
    """Evaluate the program ``ops[start:stop]``.

    Parameters
    ----------
    ops : int64 array, shape (n_ops, 2)
        Opcodes and arguments of all programs of a model.
    consts : float64 array
        Constants referenced by CONST.
    start, stop : int
        The slice of ``ops`` that is this program.
    theta : float64 array
        Parameter values of one sample, in SI base units.
    stack : float64 array
        Scratch space at least as long as the deepest program needs.

    Returns
    -------
    float
        The value of the formula, in SI base units.
    """
    top = 0
    for i in range(start, stop):
        op = ops[i, 0]
        if op == CONST:
            stack[top] = consts[ops[i, 1]]
            top += 1
        elif op == PARAM:
            stack[top] = theta[ops[i, 1]]
            top += 1
        elif op == NEG:
            stack[top - 1] = -stack[top - 1]
        elif op == NOT:
            stack[top - 1] = 1.0 if stack[top - 1] == 0.0 else 0.0
        elif op == IFELSE:
            c = stack[top - 1]
            b = stack[top - 2]
            a = stack[top - 3]
            top -= 2
            stack[top - 1] = a if c != 0.0 else b
        else:
            b = stack[top - 1]
            a = stack[top - 2]
            top -= 1
            if op == ADD:
                stack[top - 1] = a + b
            elif op == SUB:
                stack[top - 1] = a - b
            elif op == MUL:
                stack[top - 1] = a * b
            elif op == DIV:
                stack[top - 1] = a / b
            elif op == POW:
                stack[top - 1] = a**b
            elif op == MIN:
                stack[top - 1] = a if a <= b else b
            elif op == MAX:
                stack[top - 1] = a if a >= b else b
            elif op == LT:
                stack[top - 1] = 1.0 if a < b else 0.0
            elif op == LE:
                stack[top - 1] = 1.0 if a <= b else 0.0
            elif op == GT:
                stack[top - 1] = 1.0 if a > b else 0.0
            elif op == GE:
                stack[top - 1] = 1.0 if a >= b else 0.0
            elif op == EQ:
                stack[top - 1] = 1.0 if a == b else 0.0
            elif op == NE:
                stack[top - 1] = 1.0 if a != b else 0.0
            elif op == AND:
                stack[top - 1] = 1.0 if (a != 0.0 and b != 0.0) else 0.0
            else:  # OR
                stack[top - 1] = 1.0 if (a != 0.0 or b != 0.0) else 0.0
    return stack[0]
