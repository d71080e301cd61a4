"""Numbers as text, the same way in every result, report and label."""

__all__ = ["format_probability"]


def format_probability(p):
    """Format a probability as a whole percentage, never rounded to a false 0 % or 100 %.

    Parameters
    ----------
    p : float
        Probability in [0, 1].

    Returns
    -------
    str
        ``"87 %"``; ``"> 99 %"`` for 0.995 <= p < 1 and ``"< 1 %"`` for 0 < p < 0.005.
    """
    if 0.995 <= p < 1.0:
        return "> 99 %"
    if 0.0 < p < 0.005:
        return "< 1 %"
    return f"{100 * p:.0f} %"
