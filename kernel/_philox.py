"""Counter-based random numbers: Philox4x64-10.

Every uniform that pcflab draws is a pure function of ``(seed, sample, stream)``:
``seed`` is the user's seed, ``sample`` the sample index and ``stream`` a 64-bit key
derived from the stable id of the uncertain quantity. Results therefore do not depend
on thread count, chunking or machine, and two products that share a factor draw the
same value for it in the same sample.

Section 1 holds the numba functions; there is no Python wrapper section because the
generator is only used from other kernels (and from tests through ``philox4x64``).

References
----------
Salmon, J. K., Moraes, M. A., Dror, R. O., Shaw, D. E. (2011). Parallel random numbers:
as easy as 1, 2, 3. SC '11. doi:10.1145/2063384.2063405
"""

import numba as nb
import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic

__all__ = ["philox4x64", "uniform01", "uniform01_block"]

# ---------------------------------------------------------------------------------------
# Section 1: numba kernels
# ---------------------------------------------------------------------------------------

_M0 = np.uint64(0xD2E7470EE14C6C93)
_M1 = np.uint64(0xCA5A826395121157)
_W0 = np.uint64(0x9E3779B97F4A7C15)
_W1 = np.uint64(0xBB67AE8584CAA73B)
_S12 = np.uint64(12)
_TWO_M52 = 2.0**-52


@intrinsic
def _mulhilo(typingctx, a, b):
    """High and low 64-bit words of the 128-bit product ``a * b`` (uint64).

    Emitted as one LLVM ``mul i128`` of the zero-extended operands, which x86-64 and
    AArch64 compile to a single widening multiply (about four times faster than
    assembling the product from 32-bit halves).
    """
    if a != types.uint64 or b != types.uint64:
        return None
    sig = types.UniTuple(types.uint64, 2)(types.uint64, types.uint64)

    def codegen(context, builder, signature, args):
        i64, i128 = ir.IntType(64), ir.IntType(128)
        product = builder.mul(builder.zext(args[0], i128), builder.zext(args[1], i128))
        hi = builder.trunc(builder.lshr(product, ir.Constant(i128, 64)), i64)
        lo = builder.trunc(product, i64)
        return context.make_tuple(builder, signature.return_type, [hi, lo])

    return sig, codegen


@nb.njit(cache=True, error_model="numpy")
def philox4x64(c0, c1, c2, c3, k0, k1):
    """Philox4x64 with 10 rounds on a 256-bit counter and a 128-bit key.

    Parameters
    ----------
    c0, c1, c2, c3 : uint64
        Counter words.
    k0, k1 : uint64
        Key words.

    Returns
    -------
    tuple of four uint64
        The random words, identical to NumPy's ``Philox`` bit generator for the same
        counter and key.
    """
    for r in range(10):
        if r > 0:
            k0 = k0 + _W0
            k1 = k1 + _W1
        hi0, lo0 = _mulhilo(_M0, c0)
        hi1, lo1 = _mulhilo(_M1, c2)
        c0, c1, c2, c3 = hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0
    return c0, c1, c2, c3


@nb.njit(cache=True, error_model="numpy", inline="always")
def _to_open_unit(x):
    """Map a uint64 to a double strictly inside (0, 1) using its top 52 bits.

    The result is ``(k + 1/2) / 2**52`` for ``k`` in ``0 .. 2**52 - 1``: every value is
    exact in double precision, the smallest is ``2**-53`` and the largest ``1 - 2**-53``.
    """
    return (np.float64(x >> _S12) + 0.5) * _TWO_M52


@nb.njit(cache=True, error_model="numpy")
def uniform01_block(seed, block, stream):
    """Return the four uniforms of samples ``4 block .. 4 block + 3`` for one quantity.

    Parameters
    ----------
    seed : uint64
        Seed of the run.
    block : uint64
        Block index: the Philox counter, ``sample >> 2`` of its first sample.
    stream : uint64
        Key of the uncertain quantity (derived from its stable id).

    Returns
    -------
    tuple of float
        Four uniforms in the open interval (0, 1) [dimensionless], the draws of samples
        ``4 block``, ``4 block + 1``, ``4 block + 2`` and ``4 block + 3``.
    """
    w0, w1, w2, w3 = philox4x64(block, stream, np.uint64(0), np.uint64(0), seed, np.uint64(0))
    return _to_open_unit(w0), _to_open_unit(w1), _to_open_unit(w2), _to_open_unit(w3)


@nb.njit(cache=True, error_model="numpy")
def uniform01(seed, sample, stream):
    """Return the uniform number of one uncertain quantity in one sample.

    One Philox call gives four 64-bit words: the uniforms of four consecutive samples
    (``sample >> 2`` is the counter, ``sample & 3`` the word), so a draw stays a pure
    function of (seed, sample, stream) while a batch costs a quarter of the calls.

    Parameters
    ----------
    seed : uint64
        Seed of the run.
    sample : uint64
        Sample index (global, not chunk-local).
    stream : uint64
        Key of the uncertain quantity (derived from its stable id).

    Returns
    -------
    float
        A number in the open interval (0, 1) [dimensionless].
    """
    words = philox4x64(sample >> np.uint64(2), stream, np.uint64(0), np.uint64(0), seed, np.uint64(0))
    return _to_open_unit(words[sample & np.uint64(3)])
