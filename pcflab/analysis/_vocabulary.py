"""The names every analysis of this room takes, and the checks of a result passed back in.

Every public analysis takes, in this order: ``model``; its own subject (``by`` for
``contributions``, ``scheme`` for ``grade``, ``method`` for ``sensitivity``, ``theta`` for
``evaluate``, ``n_samples, seed`` for ``simulate``); ``factors``, ``profile``, ``gwp_set``;
``n_samples`` and ``seed`` where it samples; ``result`` (an existing ``simulate`` result)
where it uses Monte Carlo samples; then its own options. From ``profile`` on (from
``factors`` on where ``factors`` was not the next positional argument before) arguments
are keyword-only. ``old_calls`` keeps the calls of pcflab 0.1 working for one release,
with a ``DeprecationWarning``; ``checked_result`` makes sure a result passed back in was
simulated from the model, factors, profile and GWP set of the call.
"""

import functools
import hashlib
import inspect
import warnings

import xarray as xr

from pcflab.core import PcfError, renamed_arguments

__all__ = []

#: The pcflab release that introduced the one vocabulary (named in the warnings).
SINCE = "0.2"
_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def old_calls(positions=(), legacy=None, **renames):
    """Keep a function's pcflab 0.1 calls working for one release, with a ``DeprecationWarning``.

    Parameters
    ----------
    positions : sequence of str
        The parameters that pcflab 0.1 took by position after the ones still positional,
        in their old order (under their new names). A call with more positional arguments
        than the function now takes gives the extra ones these names.
    legacy : callable, optional
        ``legacy(args, kwargs) -> (args, kwargs, message)`` rewrites a call of another old
        form (``message`` is its warning, None if the call is not of that form).
    **renames : str
        ``old_name="new_name"`` pairs (``pcflab.core.renamed_arguments``).

    Returns
    -------
    callable
        A decorator.
    """

    def decorate(func):
        params = inspect.signature(func).parameters
        unknown = [name for name in positions if name not in params]
        if unknown:
            raise TypeError(f"{func.__qualname__} has no parameter {', '.join(unknown)}")
        n_positional = sum(p.kind in _POSITIONAL for p in params.values())
        # the warning must point at the caller: one frame more under renamed_arguments' wrapper
        stacklevel = 3 if renames else 2

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            if legacy is not None:
                args, kwargs, message = legacy(args, kwargs)
                if message:
                    warnings.warn(message, DeprecationWarning, stacklevel=stacklevel)
            if len(args) > n_positional:
                extra = args[n_positional:]
                if len(extra) > len(positions):
                    most = n_positional + len(positions)
                    raise TypeError(f"{func.__name__}() takes at most {most} positional arguments, got {len(args)}")
                names = positions[: len(extra)]
                for name, value in zip(names, extra, strict=True):
                    if name in kwargs:
                        raise TypeError(f"{func.__name__}() got multiple values for argument {name!r}")
                    kwargs[name] = value
                warnings.warn(
                    f"{func.__name__}(): passing {', '.join(names)} by position is deprecated since pcflab "
                    f"{SINCE}: use {', '.join(f'{n}=...' for n in names)}",
                    DeprecationWarning,
                    stacklevel=stacklevel,
                )
                args = args[:n_positional]
            return func(*args, **kwargs)

        return renamed_arguments(SINCE, **renames)(wrapper) if renames else wrapper

    return decorate


def _profile_sha256(profile):
    return hashlib.sha256(profile.model_dump_json().encode()).hexdigest()


def checked_result(cm, result, gwp_set=None, theta=False, parameter=None):
    """Check a Monte Carlo result passed back in against the model of the call.

    Parameters
    ----------
    cm : CompiledModel
        The model as prepared by the call (model, factors and profile).
    result : xarray.Dataset
        A result of ``pcflab.simulate``.
    gwp_set : {"AR4", "AR5", "AR6"}, optional
        The GWP set the call asked for; None takes the result's.
    theta : bool
        The call needs every sampled quantity (``record="all"``).
    parameter : str, optional
        The call needs the sampled values of this model parameter (``record=[parameter]``
        or ``record="all"``).

    Returns
    -------
    str
        The GWP set of the result (and of the call).

    Raises
    ------
    PcfError
        The result is not a ``simulate`` result, or was simulated from another model file,
        factor table, profile or GWP set, or lacks the sampled values the call needs; the
        message says what differs and the hint how to fix it.
    """
    if not isinstance(result, xr.Dataset) or "total" not in result:
        raise PcfError(
            "result must be the xarray.Dataset of pcflab.simulate",
            hint="run result = pcflab.simulate(model, n_samples, seed, record='all') and pass it",
        )
    attrs = result.attrs
    again = "or leave result out to simulate here"
    if attrs.get("model_sha256", cm.model.sha256) != cm.model.sha256:
        raise PcfError(
            f"the result was not simulated from model file {cm.model.path} (it comes from model "
            f"{attrs.get('model_id', '?')!r}, sha256 {attrs['model_sha256'][:12]}, not {cm.model.sha256[:12]})",
            hint=f"pass the model (and factors and profile) the result was simulated from, {again}",
        )
    if attrs.get("factors_sha256", cm.factors_sha256) != cm.factors_sha256:
        raise PcfError(
            f"the result was simulated with another factor table (release {attrs.get('factor_release', '?')}, "
            f"sha256 {attrs['factors_sha256'][:12]}) than the model here (release {cm.factor_release}, "
            f"sha256 {cm.factors_sha256[:12]})",
            hint=f"pass factors= the table the result was simulated with, {again}",
        )
    if attrs.get("method_profile_sha256", _profile_sha256(cm.profile)) != _profile_sha256(cm.profile):
        theirs, ours = attrs.get("method_profile", "?"), cm.profile.name
        what = f"profile {theirs!r}, not {ours!r}" if theirs != ours else f"another version of profile {ours!r}"
        raise PcfError(
            f"the result was simulated under {what}",
            hint=f"pass profile= the profile the result was simulated under (profile={theirs!r}), {again}",
        )
    theirs = attrs.get("gwp_set", gwp_set)
    if gwp_set is not None and theirs != gwp_set:
        raise PcfError(
            f"the result is weighted with {theirs} GWP100 values, not {gwp_set}",
            hint=f"pass gwp_set={theirs!r} (or leave gwp_set out to take the result's), or simulate with "
            f"gwp_set={gwp_set!r}",
        )
    if theta:
        _check_theta(cm, result)
    if parameter is not None and f"parameter_{parameter}" not in result:
        if "theta" not in result:
            raise PcfError(
                f"the Monte Carlo result has no sampled values of parameter {parameter!r}",
                hint=f"simulate with record='all' or record=[{parameter!r}], {again}",
            )
        _check_theta(cm, result)
    return theirs or cm.profile.gwp_set


def _check_theta(cm, result):
    if "theta" not in result:
        raise PcfError(
            "the Monte Carlo result has no sampled inputs (theta)",
            hint="simulate with record='all': pcflab.simulate(model, n_samples, seed, record='all'), "
            "or leave result out to simulate here",
        )
    if [str(q) for q in result["quantity"].values] != list(cm.parameter_ids):
        raise PcfError(
            "the result's sampled quantities are not those of the model as compiled here",
            hint="pass the model, factors and profile the result was simulated with",
        )


def sampled_parameter(cm, result, name):
    """Return the sampled values of model parameter ``name`` in a checked result (SI base units)."""
    if f"parameter_{name}" in result:
        return result[f"parameter_{name}"].values
    return result["theta"].values[:, cm.parameter_ids.index(f"param:{cm.model.id}/{name}")]
