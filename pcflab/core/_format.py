"""Numbers as text, the same way in every result, report and label."""

import re

from ._units import ureg

__all__ = ["format_probability", "format_unit"]


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


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_NO_UNIT = {"", "1", "-", "dimensionless", "nan", "none"}
#: Gas formulas written with subscripts (``CO2e`` too); longest first, so C2F6 before CF4.
_FORMULA = re.compile(r"(?<![A-Za-z0-9])(C2F6|CO2|CH4|N2O|SF6|NF3|CF4|SO2|NH3)(?=e?(?![A-Za-z0-9]))")
_GLUED_MASS = re.compile(r"(?<![A-Za-z0-9])(k?g|t|Mt|kt)(?=(CO2|CH4|N2O))")
_POWER = re.compile(r"\s*(?:\*\*|\^)\s*(\(-?\d+\)|-?\d+)")
_AREA_VOLUME = re.compile(r"(?<![A-Za-z0-9])(N?m|[ckdm]m)([23])(?![A-Za-z0-9])")
_SINGLE_PAREN = re.compile(r"/\(\s*([^()*/·\s]+)\s*\)")
_DENOMINATORS = re.compile(r"/([^/()\s]+)/([^/()\s]+)")
_TRANSPORT = re.compile(r"(?<![A-Za-z])km·t(?![A-Za-z])")
_WORD = re.compile(r"[A-Za-z_]+")
#: Long names kept as they are: pint's symbols for them (``a``, ``piece``) read worse.
_KEEP_NAMES = {"year", "years", "item", "items", "piece", "pieces"}


def _symbols(text):
    """Replace pint's long unit names by their symbols (``kilogram / tonne`` -> ``kg / t``).

    Only a text that is one pint unit expression is changed, word by word, so that its
    order stays as written; a text with other words (``kg CO2e per functional unit``) or
    an ambiguous unit (``ton``) is left as it is.
    """
    try:
        ureg.parse_units(text)
    except Exception:  # noqa: BLE001 (any text pint cannot read is not a pint expression)
        return text

    def symbol(match):
        word = match[0]
        if word in _KEEP_NAMES:
            return word
        try:
            short = ureg.get_symbol(word)
        except Exception:  # noqa: BLE001
            return word
        return short if len(short) < len(word) else word

    return _WORD.sub(symbol, text)


def format_unit(unit):
    """Write a unit readably: superscript powers, subscript formulas, ``·`` for products.

    ``kg/m**3`` -> ``kg/m³``, ``kg CO2e/kWh`` -> ``kg CO₂e/kWh``, ``kg/(t)`` -> ``kg/t``,
    ``t*km``, ``km*t`` and ``tkm`` -> ``t·km``, ``kg/km/t`` -> ``kg/(t·km)``, ``Nm3`` -> ``Nm³``,
    ``kilogram / tonne`` -> ``kg/t``; ``t·km`` is the transport unit, so ``kg/tkm`` and
    ``kg/t*km`` are both ``kg/(t·km)``. Words around the unit stay as they are
    (``kg CO₂e per functional unit``).

    Parameters
    ----------
    unit : str or pint.Unit or pint.Quantity
        A unit string (pint syntax or as written in a factor table), or a pint unit (its
        abbreviated form is written; a quantity's magnitude is left out).

    Returns
    -------
    str
        The unit as text for tables, figures, labels and command lines; ``""`` for
        no unit (``None``, ``""``, ``"1"``, ``"-"``, ``"dimensionless"``).
    """
    if unit is None:
        return ""
    if hasattr(unit, "units") and hasattr(unit, "magnitude"):  # a pint Quantity
        unit = unit.units
    text = f"{unit:~}" if hasattr(unit, "dimensionality") else str(unit)
    text = " ".join(text.split())
    if text.lower() in _NO_UNIT:
        return ""
    text = _symbols(text)
    text = _POWER.sub(lambda m: m[1].strip("()").translate(_SUPERSCRIPT), text)
    text = re.sub(r"\s*/\s*", "/", text)
    text = re.sub(r"\s*\*\s*", "·", text)
    text = re.sub(r"/(tkm|t·km)(?![A-Za-z])", "/(t·km)", text)
    text = re.sub(r"(?<![A-Za-z])tkm(?![A-Za-z])", "t·km", text)
    text = _SINGLE_PAREN.sub(r"/\1", text)
    while _DENOMINATORS.search(text):
        text = _DENOMINATORS.sub(r"/(\1·\2)", text)
    text = _TRANSPORT.sub("t·km", text)
    text = _GLUED_MASS.sub(r"\1 ", text)
    text = _AREA_VOLUME.sub(lambda m: m[1] + m[2].translate(_SUPERSCRIPT), text)
    return _FORMULA.sub(lambda m: m[1].translate(_SUBSCRIPT), text)
