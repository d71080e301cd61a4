"""Standard normal numbers from counter-based words: the ziggurat of Marsaglia and Tsang.

The ``random`` sampler turns one Philox4x64-10 word into one standard normal number, with
numpy's 256-layer ziggurat (the layout of ``numpy.random.Generator.standard_normal``):
the low 8 bits of the word pick the layer, bit 8 the sign, bits 9..60 the abscissa. About
98.8 % of the words give their number with one table look-up, one multiplication and one
comparison. The rest (the wedges and the tail beyond ``R``) need more uniforms; they come
from further Philox calls keyed by the same (seed, sample, stream) and an attempt counter,
so every number stays a pure function of (seed, sample, stream). ``docs/random-stream.md``
describes the stream so that it can be reproduced.

The tables are computed once at import from the published constants with Python's
``math`` (the C library's ``exp``, ``log`` and ``sqrt``).

References
----------
Marsaglia, G., Tsang, W. W. (2000). The ziggurat method for generating random variables.
Journal of Statistical Software 5(8). doi:10.18637/jss.v005.i08
"""

import math

import numba as nb
import numpy as np

from ._philox import philox4x64

__all__ = ["ZIGGURAT_R", "normal01", "ziggurat_normal", "ziggurat_tables"]

ZIGGURAT_R = 3.6541528853610088  # right edge of the base layer (256 layers)
_V = 4.92867323399e-3  # area of every layer
_INV_R = 1.0 / ZIGGURAT_R
_MASK8 = np.uint64(0xFF)
_MASK52 = np.uint64((1 << 52) - 1)
_ONE = np.uint64(1)
_S8 = np.uint64(8)
_S12 = np.uint64(12)
_TWO_M52 = 2.0**-52


def ziggurat_tables():
    """Return the 256-layer ziggurat tables ``(ki, wi, fi)`` for 52-bit abscissas.

    Returns
    -------
    ki : numpy.ndarray of uint64, shape (256,)
        Acceptance thresholds: an abscissa below ``ki[i]`` lies inside layer ``i``'s
        rectangle under the density.
    wi : numpy.ndarray of float64, shape (256,)
        Width of layer ``i`` divided by 2**52 [1].
    fi : numpy.ndarray of float64, shape (256,)
        ``exp(-x_i**2 / 2)`` at the right edge ``x_i`` of layer ``i`` [1].
    """
    m1 = 2.0**52
    ki = np.zeros(256, dtype=np.uint64)
    wi = np.zeros(256)
    fi = np.zeros(256)
    dn = tn = ZIGGURAT_R
    q = _V / math.exp(-0.5 * dn * dn)
    ki[0] = np.uint64(int(dn / q * m1))
    wi[0], wi[255] = q / m1, dn / m1
    fi[0], fi[255] = 1.0, math.exp(-0.5 * dn * dn)
    for i in range(254, 0, -1):
        dn = math.sqrt(-2.0 * math.log(_V / dn + math.exp(-0.5 * dn * dn)))
        ki[i + 1] = np.uint64(int(dn / tn * m1))
        tn = dn
        fi[i] = math.exp(-0.5 * dn * dn)
        wi[i] = dn / m1
    return ki, wi, fi


_KI, _WI, _FI = ziggurat_tables()

# ---------------------------------------------------------------------------------------
# Section 1: numba kernels
# ---------------------------------------------------------------------------------------


@nb.njit(cache=True, error_model="numpy", inline="always")
def _open_unit(x):
    return (np.float64(x >> _S12) + 0.5) * _TWO_M52


@nb.njit(cache=True, error_model="numpy")
def _ziggurat_slow(w, seed, block, stream, lane):
    """Finish the rare words (about 1.2 %): wedge tests, the tail and new candidates."""
    attempt = np.uint64(0)
    while True:
        idx = w & _MASK8
        r = w >> _S8
        negative = (r & _ONE) == _ONE
        rabs = (r >> _ONE) & _MASK52
        x = np.float64(rabs) * _WI[idx]
        if negative:
            x = -x
        if rabs < _KI[idx]:
            return x
        e0, e1, e2, _e3 = philox4x64(block, stream, lane, attempt, seed, _ONE)
        attempt += _ONE
        if idx == 0:  # the tail beyond R (Marsaglia 1964), until a value is accepted
            while True:
                xx = -_INV_R * math.log1p(-_open_unit(e1))
                yy = -math.log1p(-_open_unit(e2))
                if yy + yy > xx * xx:
                    return -(ZIGGURAT_R + xx) if negative else ZIGGURAT_R + xx
                e0, e1, e2, _e3 = philox4x64(block, stream, lane, attempt, seed, _ONE)
                attempt += _ONE
        if (_FI[idx - 1] - _FI[idx]) * _open_unit(e1) + _FI[idx] < math.exp(-0.5 * x * x):
            return x
        w = e0  # rejected in the wedge: a new candidate


@nb.njit(cache=True, error_model="numpy", inline="always")
def ziggurat_normal(w, seed, block, stream, lane):
    """Return the standard normal number of one Philox word.

    Parameters
    ----------
    w : uint64
        The word: ``philox4x64(block, stream, 0, 0, seed, 0)[lane]``.
    seed, block, stream, lane : uint64
        Where the word came from; the rare rejections draw their further uniforms from
        ``philox4x64(block, stream, lane, attempt, seed, 1)``, ``attempt = 0, 1, ...``.

    Returns
    -------
    float
        A standard normal number [dimensionless].
    """
    idx = w & _MASK8
    r = w >> _S8
    rabs = (r >> _ONE) & _MASK52
    if rabs < _KI[idx]:
        x = np.float64(rabs) * _WI[idx]
        return -x if (r & _ONE) == _ONE else x
    return _ziggurat_slow(w, seed, block, stream, lane)


@nb.njit(cache=True, error_model="numpy")
def normal01(seed, sample, stream):
    """Return the standard normal number of one uncertain quantity in one sample.

    The scalar form of what the ``random`` sampler draws for a normal or lognormal
    quantity: word ``sample & 3`` of ``philox4x64(sample >> 2, stream, 0, 0, seed, 0)``
    through ``ziggurat_normal``.

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
        A standard normal number [dimensionless].
    """
    block = sample >> np.uint64(2)
    lane = sample & np.uint64(3)
    words = philox4x64(block, stream, np.uint64(0), np.uint64(0), seed, np.uint64(0))
    return ziggurat_normal(words[lane], seed, block, stream, lane)
