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
==========  ========  ===========================================
"""

import numba as nb

__all__ = ["ADD", "CONST", "DIV", "MUL", "NEG", "PARAM", "POW", "SUB", "run_program"]

CONST = 0
PARAM = 1
ADD = 2
SUB = 3
MUL = 4
DIV = 5
NEG = 6
POW = 7

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
            else:
                stack[top - 1] = a**b
    return stack[0]
