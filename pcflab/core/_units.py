"""Units: one pint registry for pcflab, used at the edges only.

The kernel sees SI base-unit floats; model and factor files carry units that are
parsed and converted here at load time.
"""

import functools
import re

import pint

from ._errors import AmbiguousUnitError

__all__ = ["AMBIGUOUS_UNITS", "parse_unit", "ureg"]

#: Unit names that mean different amounts in different places, and what to write instead.
#: pint reads ``ton`` as the US short ton (907.18 kg), while Chinese and EU practice (and
#: GB/T 24067, ISO 14067) mean the metric tonne: a model or factor file that says ``ton``
#: would be silently 9 % off. These names are refused wherever a unit is read; the
#: unambiguous spellings (``short_ton``, ``long_ton``, ``US_liquid_gallon`` ...) still work.
AMBIGUOUS_UNITS = {
    "ton": "t (the metric tonne, 1000 kg), or short_ton (907.18 kg) / long_ton (1016.05 kg) if that is meant",
    "gallon": "L, or US_liquid_gallon (3.785 L) / imperial_gallon (4.546 L)",
    "gal": "L, or US_liquid_gallon (3.785 L) / imperial_gallon (4.546 L)",
    "barrel": "L or m**3, or oil_barrel (158.99 L) / beer_barrel (117.35 L)",
    "bbl": "L or m**3, or oil_barrel (158.99 L) / beer_barrel (117.35 L)",
    "quart": "L, or US_liquid_quart / imperial_quart",
    "pint": "L, or US_liquid_pint / imperial_pint",
    "cwt": "kg, or short_hundredweight / long_hundredweight",
    "hundredweight": "kg, or short_hundredweight / long_hundredweight",
}
_PREFIXES = ("", "k", "kilo", "M", "mega", "G", "giga", "m", "milli")
_WORD = re.compile(r"[A-Za-z_µ][A-Za-z0-9_µ]*")


def _refuse_ambiguous(text):
    """Raise on an ambiguous unit name such as ``ton``, ``kton`` or ``tons`` (a pint preprocessor)."""
    for word in _WORD.findall(text):
        for prefix in _PREFIXES:
            if not word.startswith(prefix):
                continue
            name = word[len(prefix) :]
            name = name if name in AMBIGUOUS_UNITS else name[:-1] if name.endswith("s") else name
            if name in AMBIGUOUS_UNITS:
                raise AmbiguousUnitError(
                    f"the unit {word!r} is ambiguous",
                    hint=f"write {AMBIGUOUS_UNITS[name]}",
                )
    return text


ureg = pint.UnitRegistry()
ureg.preprocessors.append(_refuse_ambiguous)
# LCA units that pint does not define. ``t`` is the metric tonne in pint already.
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
        If pint does not know the unit, or it is ambiguous (``ton``: see
        ``AMBIGUOUS_UNITS``); the message names it and what to write.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError("a unit is required (a text such as 'kg', 'kWh' or 't*km')")
    try:
        return ureg.parse_units(text.strip())
    except AmbiguousUnitError as exc:
        raise ValueError(f"{exc.message}: {exc.hint}") from None
    except (
        pint.errors.UndefinedUnitError,
        pint.errors.DefinitionSyntaxError,
        AttributeError,
        TypeError,
        ValueError,
        AssertionError,
    ) as exc:
        raise ValueError(f"unknown unit {text!r} ({exc})") from None
