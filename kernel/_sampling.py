"""Samplers: the uniforms behind every draw, and their transformation into values.

Three samplers give the uniform number ``u[j, p]`` of sample ``j`` and uncertain quantity
``p``; all are pure functions of the seed and the sample's global index, so results do not
depend on chunking or thread count:

- ``random``: Philox4x64-10 of (seed, sample // 4, key of the quantity's id), word
  ``sample % 4`` (one call serves four consecutive samples); normal and lognormal
  quantities turn the word into a normal number with a ziggurat (``_ziggurat``), every
  other family inverts its CDF at the word's uniform (docs/random-stream.md);
- ``lhs``: Latin hypercube over the whole run of ``n_total`` samples: stratum
  ``pi_p(j)`` of a keyed pseudo-random permutation of ``0 .. n_total - 1`` (a Feistel
  network with cycle walking, so any chunk is computed without the others), jittered
  inside the stratum by the ``random`` uniform;
- ``sobol``: scrambled Sobol points (scipy.stats.qmc), fast-forwarded to the chunk's first
  sample; columns in order of the quantities' keys.

Rank correlation between declared quantities is induced by a Gaussian copula on the
uniforms (Spearman rho -> Pearson r = 2 sin(pi rho / 6)), sample by sample, which keeps
every draw a pure function of (seed, sample); the marginals are unchanged.

References
----------
McKay, Beckman, Conover (1979). Technometrics 21, 239-245 (Latin hypercube).
Owen (1998). Scrambling Sobol' and Niederreiter-Xing points. J. Complexity 14, 466-489.
Luby, Rackoff (1988). How to construct pseudorandom permutations from pseudorandom
functions. SIAM J. Comput. 17, 373-386 (Feistel networks).
Kruskal (1958). Ordinal measures of association. JASA 53, 814-861 (r = 2 sin(pi rho / 6)).
"""

import functools
import math
import warnings

import numba as nb
import numpy as np

from ._distributions import FIXED, LOGNORMAL, NORMAL, inverse_cdf_full
from ._normal import ndtri
from ._parameters import KernelParameters
from ._philox import philox4x64, uniform01, uniform01_block
from ._ziggurat import ziggurat_normal

__all__ = ["SAMPLERS", "feistel_permute", "sample_parameters", "spearman_to_pearson", "transform_uniforms"]

SAMPLERS = ("random", "lhs", "sobol")
_LHS_SALT = np.uint64(0x5A17E5EED0C0FFEE)
_SQRT2 = math.sqrt(2.0)
_ZERO = np.uint64(0)
_LANE0, _LANE1, _LANE2, _LANE3 = np.uint64(0), np.uint64(1), np.uint64(2), np.uint64(3)

# ---------------------------------------------------------------------------------------
# Section 1: numba kernels
# ---------------------------------------------------------------------------------------


@nb.njit(cache=True, error_model="numpy")
def feistel_permute(j, n, key):
    """Return the position of ``j`` in a keyed pseudo-random permutation of ``0 .. n - 1``.

    A four-round Feistel network on the smallest even number of bits covering ``n``;
    values outside ``0 .. n - 1`` are walked through the network again (cycle walking),
    which keeps it a bijection of ``0 .. n - 1``.

    Parameters
    ----------
    j : int
        Index to permute, in ``0 .. n - 1``.
    n : int
        Length of the permutation.
    key : uint64
        Key of the permutation (one per seed and quantity).

    Returns
    -------
    int64
        The image of ``j``, in ``0 .. n - 1``; 0 when ``n <= 1``.
    """
    if n <= 1:
        return 0
    bits = 2
    while (np.uint64(1) << np.uint64(bits)) < np.uint64(n):
        bits += 2
    half = bits // 2
    mask = (np.uint64(1) << np.uint64(half)) - np.uint64(1)
    x = np.uint64(j)
    while True:
        left = x >> np.uint64(half)
        right = x & mask
        for r in range(4):
            f, _a, _b, _c = philox4x64(right, np.uint64(r), key, np.uint64(0), _LHS_SALT, np.uint64(half))
            left, right = right, (left ^ f) & mask
        x = (left << np.uint64(half)) | right
        if x < np.uint64(n):
            return np.int64(x)


@nb.njit(cache=True, error_model="numpy", parallel=True)
def _uniforms_random(seed, first, keys, out):
    n, k = out.shape
    g0 = first // 4
    n_groups = (first + n + 3) // 4 - g0
    for g in nb.prange(n_groups):
        block = np.uint64(g0 + g)
        for p in range(k):
            u = uniform01_block(seed, block, keys[p])
            for w in range(4):
                j = (g0 + g) * 4 + w - first
                if 0 <= j < n:
                    out[j, p] = u[w]


@nb.njit(cache=True, error_model="numpy", inline="always")
def _put(out, j0, n, p, w, v):
    j = j0 + w
    if 0 <= j < n:
        out[j, p] = v


@nb.njit(cache=True, error_model="numpy", parallel=True)
def _sample_random(seed, first, keys, kinds, p1, p2, p3, p4, table, out):
    """Uniforms and their transformation in one pass (the random sampler, no correlation).

    Normal and lognormal quantities (the commonest distributions of LCA data) take the
    ziggurat normal of each Philox word, the lognormal with its ``log(GSD)`` computed once
    per quantity; every other family goes through ``inverse_cdf_full`` at the word's uniform.
    """
    n, k = out.shape
    g0 = first // 4
    n_groups = (first + n + 3) // 4 - g0
    log_gsd = np.zeros(k)
    for p in range(k):
        if kinds[p] == LOGNORMAL:
            log_gsd[p] = math.log(p2[p])
    for g in nb.prange(n_groups):
        block = np.uint64(g0 + g)
        j0 = (g0 + g) * 4 - first
        inside = j0 >= 0 and j0 + 4 <= n
        for p in range(k):
            kind = kinds[p]
            if kind == FIXED:
                v0 = v1 = v2 = v3 = p1[p]
            elif kind == LOGNORMAL or kind == NORMAL:
                key = keys[p]
                w0, w1, w2, w3 = philox4x64(block, key, _ZERO, _ZERO, seed, _ZERO)
                z0 = ziggurat_normal(w0, seed, block, key, _LANE0)
                z1 = ziggurat_normal(w1, seed, block, key, _LANE1)
                z2 = ziggurat_normal(w2, seed, block, key, _LANE2)
                z3 = ziggurat_normal(w3, seed, block, key, _LANE3)
                a = p1[p]
                if kind == LOGNORMAL:
                    s = log_gsd[p]
                    v0 = a * math.exp(s * z0)
                    v1 = a * math.exp(s * z1)
                    v2 = a * math.exp(s * z2)
                    v3 = a * math.exp(s * z3)
                else:
                    s = p2[p]
                    v0 = a + s * z0
                    v1 = a + s * z1
                    v2 = a + s * z2
                    v3 = a + s * z3
            else:
                u0, u1, u2, u3 = uniform01_block(seed, block, keys[p])
                v0 = inverse_cdf_full(kind, p1[p], p2[p], p3[p], p4[p], table, u0)
                v1 = inverse_cdf_full(kind, p1[p], p2[p], p3[p], p4[p], table, u1)
                v2 = inverse_cdf_full(kind, p1[p], p2[p], p3[p], p4[p], table, u2)
                v3 = inverse_cdf_full(kind, p1[p], p2[p], p3[p], p4[p], table, u3)
            if inside:
                out[j0, p] = v0
                out[j0 + 1, p] = v1
                out[j0 + 2, p] = v2
                out[j0 + 3, p] = v3
            else:
                _put(out, j0, n, p, 0, v0)
                _put(out, j0, n, p, 1, v1)
                _put(out, j0, n, p, 2, v2)
                _put(out, j0, n, p, 3, v3)


@nb.njit(cache=True, error_model="numpy", parallel=True)
def _uniforms_lhs(seed, first, n_total, keys, out):
    n, k = out.shape
    for j in nb.prange(n):
        sample = first + j
        for p in range(k):
            stratum = feistel_permute(sample, n_total, keys[p] ^ seed)
            jitter = uniform01(seed, np.uint64(sample), keys[p])
            out[j, p] = (stratum + jitter) / n_total


@nb.njit(cache=True, error_model="numpy", parallel=True)
def _copula(u, columns, chol):
    """Gaussian copula: correlate the normal scores of the given columns, row by row."""
    n = u.shape[0]
    k = columns.shape[0]
    for j in nb.prange(n):
        z = np.empty(k)
        for a in range(k):
            z[a] = ndtri(u[j, columns[a]])
        for a in range(k):
            s = 0.0
            for b in range(a + 1):
                s += chol[a, b] * z[b]
            u[j, columns[a]] = 0.5 * math.erfc(-s / _SQRT2)


@nb.njit(cache=True, error_model="numpy", parallel=True)
def transform_uniforms(u, kinds, p1, p2, p3, p4, table, out):
    """Map uniforms to quantities through each quantity's inverse CDF, in place.

    A ``FIXED`` quantity takes ``p1`` whatever its uniform.

    Parameters
    ----------
    u : float64 array, shape (n_sample, n_quantity)
        Uniforms in the open interval (0, 1) [dimensionless].
    kinds : int array, shape (n_quantity,)
        Distribution code of each quantity (``FIXED``, ``LOGNORMAL``, ...; see
        ``inverse_cdf_full``).
    p1, p2, p3, p4 : float64 array, shape (n_quantity,)
        Distribution parameters as ``inverse_cdf_full`` takes them [units of the quantity].
    table : float64 array
        Values and cumulative probabilities of discrete distributions.
    out : float64 array, shape (n_sample, n_quantity)
        Receives the values [units of each quantity].
    """
    n, k = out.shape
    for j in nb.prange(n):
        for p in range(k):
            if kinds[p] == FIXED:
                out[j, p] = p1[p]
            else:
                out[j, p] = inverse_cdf_full(kinds[p], p1[p], p2[p], p3[p], p4[p], table, u[j, p])


# ---------------------------------------------------------------------------------------
# Section 2: Python wrappers
# ---------------------------------------------------------------------------------------


def spearman_to_pearson(rho):
    """Convert a Spearman rank correlation to the Pearson correlation of a Gaussian copula.

    Parameters
    ----------
    rho : float or array_like
        Spearman rank correlation in [-1, 1] [dimensionless].

    Returns
    -------
    numpy.ndarray
        ``2 sin(pi rho / 6)``, the correlation of the normal scores that gives ``rho``
        [dimensionless].
    """
    return 2.0 * np.sin(np.pi * np.asarray(rho, dtype=float) / 6.0)


def _sobol(seed, first, n, keys):
    from scipy.stats import qmc

    order = np.argsort(keys, kind="stable")
    engine = qmc.Sobol(d=max(len(keys), 1), scramble=True, rng=np.random.default_rng(int(seed)))
    if first:
        engine.fast_forward(int(first))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # balance properties need powers of 2
        points = engine.random(int(n))
    out = np.empty((int(n), len(keys)))
    out[:, order] = points[:, : len(keys)]
    # Sobol points may be exactly 0; keep them inside (0, 1) for the inverse CDFs
    return np.clip(out, 2.0**-53, 1.0 - 2.0**-53)


def _loose_arguments(
    seed,
    first_sample,
    n_samples,
    kinds,
    p1,
    p2,
    p3,
    keys,
    p4=None,
    table=None,
    sampler="random",
    n_total=None,
    correlation=None,
):
    """Map the loose call of pcflab 0.1 to (args, kwargs) of the bundled one."""
    parameters = KernelParameters.from_arrays(kinds, p1, p2, p3, keys, p4=p4, table=table, correlation=correlation)
    return (parameters, seed, first_sample, n_samples), {"sampler": sampler, "n_total": n_total}


def _accepts_loose_arguments(function):
    """Let ``sample_parameters`` take its 13 loose arguments for one release (deprecated).

    The kernel imports nothing of pcflab, so this is its own small shim rather than
    ``pcflab.core.renamed_arguments``.
    """

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        if (args and isinstance(args[0], KernelParameters)) or "parameters" in kwargs:
            return function(*args, **kwargs)
        warnings.warn(
            f"{function.__name__}(seed, first_sample, n_samples, kinds, p1, p2, p3, keys, ...) is deprecated "
            f"since pcflab 0.2: use {function.__name__}(KernelParameters.from_arrays(kinds, p1, p2, p3, keys, "
            "p4=..., table=..., correlation=...), seed, first_sample, n_samples, sampler=..., n_total=...)",
            DeprecationWarning,
            stacklevel=2,
        )
        args, kwargs = _loose_arguments(*args, **kwargs)
        return function(*args, **kwargs)

    return wrapper


def _uniforms(p, seed, first_sample, n, sampler, n_total):
    """Uniforms (sample x quantity) of one chunk, from the sampler asked for."""
    u = np.empty((n, len(p.kinds)))
    if sampler == "random":
        _uniforms_random(np.uint64(seed), np.int64(first_sample), p.keys, u)
    elif sampler == "lhs":
        if n_total is None or int(n_total) < int(first_sample) + n:
            raise ValueError("the lhs sampler needs n_total, the number of samples of the whole run")
        _uniforms_lhs(np.uint64(seed), np.int64(first_sample), np.int64(n_total), p.keys, u)
    elif sampler == "sobol":
        u = _sobol(seed, first_sample, n, p.keys)
    else:
        raise ValueError(f"unknown sampler {sampler!r}: use one of {', '.join(SAMPLERS)}")
    return u


@_accepts_loose_arguments
def sample_parameters(parameters, seed, first_sample, n_samples, sampler="random", n_total=None):
    """Draw parameter vectors for samples ``first_sample .. first_sample + n - 1``.

    Parameters
    ----------
    parameters : KernelParameters
        Distribution codes, parameters, random-stream keys and rank correlation of every
        uncertain quantity (``KernelParameters.from_arrays`` builds one from arrays).
    seed : int
        Seed of the run (0 <= seed < 2**64).
    first_sample : int
        Global index of the first sample of this chunk.
    n_samples : int
        Number of samples in the chunk.
    sampler : {"random", "lhs", "sobol"}
        Where the uniforms come from.
    n_total : int, optional
        Samples in the whole run (needed by ``lhs``).

    Returns
    -------
    numpy.ndarray, shape (n_samples, n_parameters)
        Parameter values, in the units of ``parameters.p1``.

    Notes
    -----
    The loose call of pcflab 0.1, ``sample_parameters(seed, first_sample, n_samples,
    kinds, p1, p2, p3, keys, p4=None, table=None, sampler="random", n_total=None,
    correlation=None)``, still works for one release with a ``DeprecationWarning``; it
    gives the same draws, bit for bit.
    """
    p = parameters
    p = KernelParameters.from_arrays(p.kinds, p.p1, p.p2, p.p3, p.keys, p.p4, p.table, p.correlation)
    n = int(n_samples)
    k = len(p.kinds)
    correlated = p.correlation_columns.shape[0] > 0
    if sampler == "random":
        out = np.empty((n, k))
        _sample_random(np.uint64(seed), np.int64(first_sample), p.keys, p.kinds, p.p1, p.p2, p.p3, p.p4, p.table, out)
        if not correlated:
            return out
    u = _uniforms(p, seed, first_sample, n, sampler, n_total)
    if correlated:
        _copula(u, p.correlation_columns, p.correlation_cholesky)
    values = np.empty((n, k))
    transform_uniforms(u, p.kinds, p.p1, p.p2, p.p3, p.p4, p.table, values)
    if sampler != "random":
        return values
    # random sampler with a copula: the correlated quantities by inversion of their
    # correlated uniforms, every other quantity as without correlation
    out[:, p.correlation_columns] = values[:, p.correlation_columns]
    return out
