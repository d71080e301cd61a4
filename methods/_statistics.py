"""Summary statistics of Monte Carlo results."""

import numpy as np

__all__ = ["summarize"]


def summarize(values, interval=0.95):
    """Mean, median, standard deviation and central interval of a sample.

    Parameters
    ----------
    values : array_like
        Monte Carlo results, one per sample [any unit]. NaN is not allowed.
    interval : float
        Probability mass of the central interval (0.95 gives the 2.5 % and 97.5 %
        quantiles).

    Returns
    -------
    dict
        ``n``, ``mean``, ``sd``, ``median``, ``lower``, ``upper``, ``interval`` (same
        unit as ``values``; quantiles by NumPy's default linear interpolation).
    """
    x = np.asarray(values, dtype=float).ravel()
    if x.size == 0:
        raise ValueError("no samples to summarise")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{np.count_nonzero(~np.isfinite(x))} samples are NaN or infinite")
    if not 0.0 < interval < 1.0:
        raise ValueError("interval must lie strictly between 0 and 1")
    tail = (1.0 - interval) / 2.0
    lower, median, upper = np.quantile(x, [tail, 0.5, 1.0 - tail])
    return {
        "n": int(x.size),
        "mean": float(x.mean()),
        "sd": float(x.std(ddof=1)) if x.size > 1 else 0.0,
        "median": float(median),
        "lower": float(lower),
        "upper": float(upper),
        "interval": float(interval),
    }
