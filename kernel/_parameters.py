"""The uncertain quantities of a model, as the samplers take them: ``KernelParameters``.

One entry per uncertain quantity (model parameters first, then the gas rows of the
factors): its distribution code and parameters, and the key of its random stream. The
bundle is a ``NamedTuple`` of plain numpy arrays, like ``KernelSystem``: picklable (it
travels to Dask workers) and accepted by numba as it is. "No correlation" is a pair of
empty arrays, not ``None``, so that every field always has the same type.

This module has no numba kernels; it is the data the kernels of ``_sampling`` read.
"""

from typing import NamedTuple

import numpy as np

__all__ = ["KernelParameters"]


class KernelParameters(NamedTuple):
    """Distributions and random-stream keys of every uncertain quantity (float64 / int64).

    The meaning of ``p1`` .. ``p4`` depends on the distribution code (see
    ``inverse_cdf_full``); every location, scale or bound is in the quantity's own unit
    (SI base units for model parameters, kg of gas per unit of activity for factor rows),
    the unit of the values drawn.

    Attributes
    ----------
    kinds : numpy.ndarray of int64, shape (k,)
        Distribution code of each quantity (``FIXED``, ``LOGNORMAL``, ``NORMAL``, ...).
    p1 : numpy.ndarray of float64, shape (k,)
        First parameter: the value of ``FIXED``, the median of ``LOGNORMAL``, the mean of
        ``NORMAL`` / ``TRUNCNORMAL``, the lower bound of ``UNIFORM`` / ``TRIANGULAR`` /
        ``PERT``, alpha of ``BETA``, the start of a ``DISCRETE`` quantity's entries in
        ``table`` [unit of the quantity, or 1].
    p2 : numpy.ndarray of float64, shape (k,)
        Second parameter: the geometric SD of ``LOGNORMAL`` [1], the SD of ``NORMAL`` /
        ``TRUNCNORMAL``, the upper bound of ``UNIFORM``, the mode of ``TRIANGULAR`` /
        ``PERT``, beta of ``BETA``, the number of values of ``DISCRETE``.
    p3 : numpy.ndarray of float64, shape (k,)
        Third parameter: the lower bound of ``TRUNCNORMAL`` / ``BETA``, the upper bound of
        ``TRIANGULAR`` / ``PERT``; 0 otherwise [unit of the quantity].
    p4 : numpy.ndarray of float64, shape (k,)
        Fourth parameter: the upper bound of ``TRUNCNORMAL`` / ``BETA``; 0 otherwise [unit
        of the quantity].
    table : numpy.ndarray of float64, shape (n_table,)
        Values, then cumulative probabilities, of every ``DISCRETE`` quantity, one after
        the other [unit of the quantity, then 1].
    keys : numpy.ndarray of uint64, shape (k,)
        Random-stream key of each quantity (a hash of its stable id): a quantity draws the
        same numbers whatever its column.
    correlation_columns : numpy.ndarray of int64, shape (m,)
        Columns of the rank-correlated quantities; empty when nothing is correlated.
    correlation_cholesky : numpy.ndarray of float64, shape (m, m)
        Lower Cholesky factor of their Pearson (normal-score) correlation matrix, for the
        Gaussian copula [1]; shape (0, 0) when nothing is correlated.
    """

    kinds: np.ndarray
    p1: np.ndarray
    p2: np.ndarray
    p3: np.ndarray
    p4: np.ndarray
    table: np.ndarray
    keys: np.ndarray
    correlation_columns: np.ndarray
    correlation_cholesky: np.ndarray

    @classmethod
    def from_arrays(cls, kinds, p1, p2, p3, keys, p4=None, table=None, correlation=None):
        """Bundle distribution arrays, with the kernel's dtypes and defaults.

        Parameters
        ----------
        kinds : array_like of int
            Distribution code of each quantity.
        p1, p2, p3 : array_like of float
            Distribution parameters [unit of each quantity].
        keys : array_like of uint64
            Random-stream key of each quantity.
        p4 : array_like of float, optional
            Fourth parameters (zeros by default) [unit of each quantity].
        table : array_like of float, optional
            Table of the discrete distributions (empty by default).
        correlation : (columns, cholesky), optional
            Columns of correlated quantities and the Cholesky factor of their Pearson
            correlation matrix; ``None`` for no correlation.

        Returns
        -------
        KernelParameters
        """
        kinds = np.asarray(kinds, dtype=np.int64)
        k = len(kinds)
        if correlation is None:
            columns, cholesky = np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float64)
        else:
            columns = np.asarray(correlation[0], dtype=np.int64)
            cholesky = np.asarray(correlation[1], dtype=np.float64)
        return cls(
            kinds=kinds,
            p1=np.asarray(p1, dtype=np.float64),
            p2=np.asarray(p2, dtype=np.float64),
            p3=np.asarray(p3, dtype=np.float64),
            p4=np.zeros(k) if p4 is None else np.asarray(p4, dtype=np.float64),
            table=np.zeros(0) if table is None else np.asarray(table, dtype=np.float64),
            keys=np.asarray(keys).astype(np.uint64),
            correlation_columns=columns,
            correlation_cholesky=cholesky,
        )

    @property
    def correlation(self):
        """``(columns, cholesky)`` of the Gaussian copula, or ``None`` without correlation."""
        if len(self.correlation_columns) == 0:
            return None
        return self.correlation_columns, self.correlation_cholesky
