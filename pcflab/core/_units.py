"""Units: one pint registry for pcflab, used at the edges only.

The kernel sees SI base-unit floats; model and factor files carry units that are
parsed and converted here at load time.
"""

import functools

import pint

__all__ = ["parse_unit", "ureg"]

ureg = pint.UnitRegistry()
# LCA units that pint does not define. ``t`` is the metric tonne in pint already
# (never use ``ton``: it is the short ton).
ureg.define("tkm = tonne * kilometer")
ureg.define("Nm3 = meter ** 3")  # normal cubic metre: a volume at 0 degC, 101.325 kPa
ureg.define("item = [] = piece = unit_of_product")
# Currencies for economic allocation: each its own dimension (no exchange rates are implied).
ureg.define("CNY = [currency_cny] = yuan")
ureg.define("USD = [currency_usd]")
ureg.define("EUR = [currency_eur]")


@functools.lru_cache(maxsize=512)
def parse_unit(text):
    """Parse a unit string.

    Parameters
    ----------
    text : str
        Unit as written in a model or factor file (``kWh``, ``t*km``, ``kg/t``).

    Returns
    -------
    pint.Unit

    Raises
    ------
    ValueError
        If pint does not know the unit; the message names it.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError("a unit is required (a text such as 'kg', 'kWh' or 't*km')")
    try:
        return ureg.parse_units(text.strip())
    except (
        pint.errors.UndefinedUnitError,
        pint.errors.DefinitionSyntaxError,
        AttributeError,
        TypeError,
        ValueError,
        AssertionError,
    ) as exc:
        raise ValueError(f"unknown unit {text!r} ({exc})") from None
