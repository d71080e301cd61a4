"""Old spellings of arguments keep working for one release, with a ``DeprecationWarning``."""

import functools
import inspect
import warnings

__all__ = ["renamed_arguments"]


def renamed_arguments(since, **renames):
    """Let a function take its arguments' old names for one release.

    Parameters
    ----------
    since : str
        The pcflab version that renamed them (said in the warning).
    **renames : str
        ``old_name="new_name"`` pairs; ``new_name`` must be a parameter of the function.

    Returns
    -------
    callable
        A decorator. The wrapped function maps each old keyword to its new name with a
        ``DeprecationWarning`` that names both; giving both is a ``TypeError``.

    Examples
    --------
    >>> @renamed_arguments("0.2", n="n_samples")
    ... def sensitivity(model, n_samples=1024):
    ...     return n_samples
    """

    def decorate(func):
        params = inspect.signature(func).parameters
        for old, new in renames.items():
            if new not in params:
                raise TypeError(f"{func.__qualname__} has no parameter {new!r} to rename {old!r} to")
            if old in params:
                raise TypeError(f"{func.__qualname__} still has the old parameter {old!r}")

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for old, new in renames.items():
                if old in kwargs:
                    if new in kwargs:
                        raise TypeError(
                            f"{func.__name__}() got both {old!r} and its new name {new!r}: give {new!r} only"
                        )
                    warnings.warn(
                        f"{func.__name__}({old}=...) is deprecated since pcflab {since}: use {new}=...",
                        DeprecationWarning,
                        stacklevel=2,
                    )
                    kwargs[new] = kwargs.pop(old)
            return func(*args, **kwargs)

        wrapper.__renamed_arguments__ = dict(renames)
        return wrapper

    return decorate
