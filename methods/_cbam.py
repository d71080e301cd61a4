"""The EU CBAM goods, their aggregated categories and the relevant precursors of each.

A model states the CN code of its good (``cn_code``); this table says whether the good is
a CBAM good (Regulation (EU) 2023/956, Annex I), to which aggregated goods category it
belongs and which precursors of its production route count (Implementing Regulation (EU)
2023/1773, Annex II, section 2 table 1 and section 3), and whether its indirect
(electricity) emissions count in its embedded emissions (Regulation (EU) 2023/956,
Article 7(1) and Annex II: for the goods listed there only direct emissions count).

References
----------
Regulation (EU) 2023/956 of the European Parliament and of the Council of 10 May 2023
establishing a carbon border adjustment mechanism, OJ L 130, 16.5.2023, p. 52,
https://eur-lex.europa.eu/eli/reg/2023/956/oj: Annex I (goods and greenhouse gases),
Annex II (goods for which only direct emissions count), Annex IV point 2 (embedded
emissions of simple and complex goods: attributed direct emissions plus the embedded
emissions of the relevant precursors).

Commission Implementing Regulation (EU) 2023/1773 of 17 August 2023, OJ L 228,
15.9.2023, p. 94, https://eur-lex.europa.eu/eli/reg_impl/2023/1773/oj: Annex II,
section 2 (table 1: CN codes by aggregated goods category) and section 3 (production
routes, system boundaries and relevant precursors per aggregated goods category).
"""

import re
from typing import NamedTuple

from pcflab.core import PcfError

__all__ = [
    "CBAM_CATEGORIES",
    "CBAM_GOODS",
    "CbamGood",
    "cbam_category",
    "cbam_good",
    "is_relevant_precursor",
    "normalise_cn",
]


class CbamGood(NamedTuple):
    """The CBAM reading of one CN code.

    Attributes
    ----------
    cn_code : the code as given, digits only.
    sector : goods sector of Annex I of Regulation (EU) 2023/956 (``cement``,
        ``electricity``, ``fertilisers``, ``iron_and_steel``, ``aluminium``, ``hydrogen``).
    category : aggregated goods category of Implementing Regulation (EU) 2023/1773,
        Annex II, section 2, table 1 (``crude_steel``, ``unwrought_aluminium``, ...).
    indirect_counted : whether indirect (electricity) emissions are part of the embedded
        emissions in the definitive period (False for the goods of Annex II of Regulation
        (EU) 2023/956).
    """

    cn_code: str
    sector: str
    category: str
    indirect_counted: bool


#: Aggregated goods categories: sector, relevant precursor categories (Implementing
#: Regulation (EU) 2023/1773, Annex II, section 3, the subsection of each category,
#: all production routes taken together) and whether indirect emissions count
#: (Regulation (EU) 2023/956, Article 7(1) and Annex II: only direct emissions for iron
#: and steel, aluminium and hydrogen; electricity is a good of its own, Annex IV point 3).
CBAM_CATEGORIES = {
    "calcined_clay": ("cement", (), True),
    "cement_clinker": ("cement", (), True),
    "cement": ("cement", ("cement_clinker", "calcined_clay"), True),
    "aluminous_cement": ("cement", (), True),
    "electricity": ("electricity", (), False),
    "hydrogen": ("hydrogen", (), False),
    "ammonia": ("fertilisers", ("hydrogen",), True),
    "nitric_acid": ("fertilisers", ("ammonia",), True),
    "urea": ("fertilisers", ("ammonia",), True),
    "mixed_fertilisers": ("fertilisers", ("ammonia", "nitric_acid", "urea", "mixed_fertilisers"), True),
    "sintered_ore": ("iron_and_steel", (), False),
    "ferro_alloys": ("iron_and_steel", ("sintered_ore",), False),
    "pig_iron": ("iron_and_steel", ("sintered_ore", "pig_iron", "dri", "ferro_alloys", "hydrogen"), False),
    "dri": ("iron_and_steel", ("sintered_ore", "hydrogen"), False),
    "crude_steel": ("iron_and_steel", ("pig_iron", "dri", "ferro_alloys", "crude_steel"), False),
    "iron_or_steel_products": (
        "iron_and_steel",
        ("crude_steel", "pig_iron", "dri", "ferro_alloys", "iron_or_steel_products"),
        False,
    ),
    "unwrought_aluminium": ("aluminium", ("unwrought_aluminium",), False),
    "aluminium_products": ("aluminium", ("unwrought_aluminium", "aluminium_products"), False),
}

#: CN codes (prefixes, digits only) of Annex I of Regulation (EU) 2023/956 and their
#: aggregated goods category (Implementing Regulation (EU) 2023/1773, Annex II, section 2,
#: table 1); ``None`` marks the codes Annex I leaves out (ferro-alloys other than FeMn,
#: FeCr and FeNi, ferrous waste and scrap, fertilisers without nitrogen). The longest
#: matching prefix decides.
CBAM_GOODS = {
    # cement
    "25070080": "calcined_clay",  # other kaolinic clays (calcined)
    "25231000": "cement_clinker",
    "25232100": "cement",  # white Portland cement
    "25232900": "cement",  # other Portland cement
    "25239000": "cement",  # other hydraulic cements
    "25233000": "aluminous_cement",
    # electricity
    "27160000": "electricity",
    # fertilisers
    "28080000": "nitric_acid",  # nitric acid; sulphonitric acids
    "2814": "ammonia",  # anhydrous or in aqueous solution
    "28342100": "mixed_fertilisers",  # nitrates of potassium
    "3102": "mixed_fertilisers",  # nitrogenous mineral or chemical fertilisers
    "310210": "urea",
    "3105": "mixed_fertilisers",  # fertilisers with nitrogen
    "31056000": None,  # phosphorus and potassium only: not in Annex I
    # hydrogen
    "28041000": "hydrogen",
    # iron and steel
    "26011200": "sintered_ore",  # agglomerated iron ores and concentrates
    "7201": "pig_iron",
    "7202": None,  # ferro-alloys: only FeMn, FeCr, FeNi are in Annex I
    "720211": "ferro_alloys",  # ferro-manganese
    "720219": "ferro_alloys",
    "720241": "ferro_alloys",  # ferro-chromium
    "720249": "ferro_alloys",
    "72026000": "ferro_alloys",  # ferro-nickel
    "7203": "dri",  # direct reduced iron and other spongy ferrous products
    "7204": None,  # ferrous waste and scrap: not in Annex I
    "7205": "iron_or_steel_products",  # granules and powders
    "7206": "crude_steel",  # ingots and other primary forms
    "7207": "crude_steel",  # semi-finished products of iron or non-alloy steel
    "7218": "crude_steel",  # stainless steel, primary forms and semi-finished
    "7224": "crude_steel",  # other alloy steel, primary forms and semi-finished
    **{f"72{h:02d}": "iron_or_steel_products" for h in (*range(8, 18), *range(19, 24), *range(25, 30))},
    **{f"73{h:02d}": "iron_or_steel_products" for h in (*range(1, 12), 18, 26)},
    # aluminium
    "7601": "unwrought_aluminium",
    **{f"76{h:02d}": "aluminium_products" for h in (*range(3, 15), 16)},
}

#: Plain names of some headings that are often asked about and are not CBAM goods.
_NAMES = {
    "2601": "iron ores",
    "2606": "aluminium ores (bauxite)",
    "2704": "coke",
    "2818": "aluminium oxide (alumina)",
    "2701": "coal",
    "2711": "natural gas",
    "2522": "lime",
    "4011": "tyres",
    "6109": "T-shirts",
    "7204": "ferrous waste and scrap",
}


def normalise_cn(cn_code):
    """Return the digits of a CN code (``"7208 39 00"`` → ``"72083900"``), checked.

    Parameters
    ----------
    cn_code : str
        A Combined Nomenclature code of 4 to 8 digits, spaces or dots allowed.

    Returns
    -------
    str
        The digits.

    Raises
    ------
    ValueError
        If the code is not 4 to 8 digits.
    """
    digits = re.sub(r"[\s.]", "", str(cn_code))
    if not re.fullmatch(r"\d{4}(\d{2}){0,2}", digits):
        raise ValueError(f"CN code {cn_code!r} is not 4, 6 or 8 digits (e.g. '7208 39 00')")
    return digits


def _match(digits):
    """Return the category of the longest prefix of ``digits`` in ``CBAM_GOODS`` (or ``...``)."""
    for n in range(len(digits), 3, -1):
        if digits[:n] in CBAM_GOODS:
            return CBAM_GOODS[digits[:n]]
    return ...


def _label(cn_code):
    """Return ``"CN 4011 10 00 (tyres)"`` or ``"CN 4011"``: the code as written, with a plain name."""
    name = _NAMES.get(normalise_cn(cn_code)[:4])
    return f"CN {str(cn_code).strip()}" + (f" ({name})" if name else "")


def cbam_category(cn_code, *, file=None, line=None, field="cn_code"):
    """Return the aggregated goods category of a CN code, or None if it is not a CBAM good.

    Parameters
    ----------
    cn_code : str
        A CN code of 4 to 8 digits.
    file, line, field : optional
        Where the code was given (the model file, its line and key), for the error.

    Returns
    -------
    str or None
        A key of ``CBAM_CATEGORIES``; None for a code outside Annex I of Regulation (EU)
        2023/956.

    Raises
    ------
    PcfError
        If a 4- or 6-digit code covers both CBAM goods and others (give more digits).
    """
    digits = normalise_cn(cn_code)
    category = _match(digits)
    if category is not ... and category is not None:
        return category
    longer = sorted(k for k, v in CBAM_GOODS.items() if k.startswith(digits) and len(k) > len(digits) and v)
    if longer:
        raise PcfError(
            f"CN {digits} covers CBAM goods and others: Annex I of Regulation (EU) 2023/956 "
            f"lists only {', '.join(longer)}",
            file=file,
            line=line,
            field=field,
            hint="give the good's CN code with 6 or 8 digits",
        )
    return None


def cbam_good(cn_code, *, file=None, line=None, field="cn_code"):
    """Return the CBAM good a CN code stands for; raise a ``PcfError`` if it is not one.

    Parameters
    ----------
    cn_code : str or None
        The good's CN code (4 to 8 digits).
    file, line, field : optional
        Where the code was given (the model file, its line and key), for the error.

    Returns
    -------
    CbamGood

    Raises
    ------
    PcfError
        If no code is given, the code is not in Annex I of Regulation (EU) 2023/956, or
        a 4- or 6-digit code covers both CBAM goods and others (then give more digits).
    """
    where = {"file": file, "line": line, "field": field}
    if cn_code is None:
        raise PcfError(
            "not a CBAM good: the model states no CN code; the cbam profile applies to the goods of "
            "Annex I of Regulation (EU) 2023/956 only",
            **where,
            hint="state the good's CN code in the model (cn_code: '7208 39 00'), or use another profile",
        )
    category = cbam_category(cn_code, **where)
    if category is None:
        raise PcfError(
            f"not a CBAM good: {_label(cn_code)} is not in Annex I of Regulation (EU) 2023/956",
            **where,
            hint="the cbam profile applies to cement, electricity, fertilisers, iron and steel, aluminium "
            "and hydrogen; use another profile (iso14067) for this product",
        )
    sector, _, indirect = CBAM_CATEGORIES[category]
    return CbamGood(normalise_cn(cn_code), sector, category, indirect)


def is_relevant_precursor(precursor, good):
    """Whether goods of category ``precursor`` are a relevant precursor of category ``good``.

    Parameters
    ----------
    precursor, good : str
        Aggregated goods categories (keys of ``CBAM_CATEGORIES``).

    Returns
    -------
    bool
        As listed in Implementing Regulation (EU) 2023/1773, Annex II, section 3.
    """
    return precursor in CBAM_CATEGORIES[good][1]
