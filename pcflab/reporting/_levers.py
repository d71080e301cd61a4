"""What a report chooses by the model's sector: its notebook, class schemes and scenario lever.

``sector_notebook`` picks the notebook of a pilot sector (``steel``, ``aluminium``,
``tyres``, ``textiles``) and ``product`` for every other sector. ``default_schemes`` picks
the class schemes that fit a product: the shipped ``pcflab-percentile-<sector>`` and the
sector's published schemes whose product category names the product, all with a
functional unit of the product's dimension; ``check_schemes`` refuses a scheme of another
sector or unit, naming it. ``sector_lever`` picks the sector's own lever as a scenario
(scrap charge of steel, power source of aluminium, recipe and rubber source of tyres,
heat source and fibre of textiles) and ``scenario_model`` applies a scenario to a model:
a number sets a parameter (fixed at that value), a string replaces a factor id in every
exchange that uses it. The scenario keeps the model's id, so every quantity the two
share draws the same random numbers (streams keyed by id, ``pcflab.models.stream_key``).
"""

import functools
import re

from pcflab.core import ReportError

__all__ = [
    "PILOT_SECTORS",
    "check_schemes",
    "default_schemes",
    "scenario_model",
    "scheme_fit",
    "sector_lever",
    "sector_notebook",
]

#: Sectors with a notebook of their own; every other sector's model uses ``product``.
PILOT_SECTORS = ("steel", "aluminium", "tyres", "textiles")

#: Words that tie a published scheme (id, name, product category) to a sector.
_SECTOR_WORDS = {
    "steel": ("steel",),
    "aluminium": ("aluminium", "aluminum"),
    "tyres": ("tyre", "tire"),
    "textiles": ("textile", "cotton", "polyester", "garment", "fabric", "t-shirt", "jeans"),
}
_GREEN = "cn/electricity/footprint-wind/2023"
_HYDRO = "cn/electricity/footprint-hydro/2023"
_ELECTRICITY = ("electricity/footprint", "cn/electricity/footprint/2023", "cn/electricity/footprint-coal/2023")


def sector_notebook(system):
    """Return the shipped notebook of a model's sector: a pilot sector's own, else ``product``."""
    return system.sector if system.sector in PILOT_SECTORS else "product"


def _words(text):
    return set(re.findall(r"[a-z0-9]+", text.lower().replace("-", " ")))


@functools.lru_cache(maxsize=64)
def _benchmark_sectors(benchmark):
    from pcflab.models import load_model

    return frozenset(load_model(m).sector for m in benchmark)


def _scheme_sectors(scheme):
    """Sectors a scheme is for: its benchmark models' (percentile schemes), else by its words."""
    if scheme.kind == "percentile" and scheme.benchmark:
        return set(_benchmark_sectors(tuple(scheme.benchmark)))
    text = f"{scheme.id} {scheme.name} {scheme.product_category}".lower()
    found = {s for s, words in _SECTOR_WORDS.items() if any(w in text for w in words)}
    return found or {w for w in _words(text) if len(w) > 3}


def _dimension(unit):
    from pcflab.core import ureg

    return ureg.Quantity(1, unit).dimensionality


def scheme_fit(scheme, system):
    """Why a class scheme does not fit a product, or ``None`` when it fits.

    Parameters
    ----------
    scheme : str or pcflab.methods.Scheme
        Scheme id or file, or a loaded scheme.
    system : ProductSystem
        The product.

    Returns
    -------
    str or None
        The reason (sector or functional unit), naming both sides.
    """
    from pcflab.methods import load_scheme

    s = load_scheme(scheme) if isinstance(scheme, str) else scheme
    sectors = _scheme_sectors(s)
    if system.sector not in sectors:
        return (
            f"scheme {s.id!r} is for {', '.join(sorted(sectors)) or 'no known sector'} "
            f"({s.product_category}), not for the {system.sector} product {system.id!r}"
        )
    scheme_unit = re.sub(r"^\s*[0-9.]+\s*", "", s.functional_unit) or s.functional_unit
    fu = system.functional_unit.unit
    try:
        same = _dimension(scheme_unit) == _dimension(fu)
    except Exception:  # an unknown unit on either side does not fit
        same = False
    if not same:
        return (
            f"scheme {s.id!r} grades per {s.functional_unit} ({s.product_category}); "
            f"the functional unit of {system.id!r} is {system.functional_unit.amount:g} {fu}"
        )
    return None


def check_schemes(schemes, system):
    """Raise ``ReportError`` naming the first scheme that does not fit the product.

    Parameters
    ----------
    schemes : sequence of str
        Scheme ids or files.
    system : ProductSystem
        The product.

    Raises
    ------
    ReportError
        With ``field="schemes"``.
    """
    from pcflab.methods import list_schemes

    known = set(list_schemes())
    for sid in schemes:
        from pathlib import Path

        if sid not in known and not Path(sid).is_file():
            raise ReportError(
                f"report parameter schemes: no class scheme {sid!r}",
                field="schemes",
                hint=f"give a scheme file or one of: {', '.join(sorted(known))}",
            )
        why = scheme_fit(sid, system)
        if why is not None:
            raise ReportError(
                f"report parameter schemes: {why}",
                field="schemes",
                hint="leave --schemes out for the schemes of the product's sector, or give schemes that fit",
            )


def default_schemes(system):
    """Class schemes a product is graded under by default.

    ``pcflab-percentile-<sector>``, then the published schemes of the sector, each when
    its functional unit has the product's dimension and its product category names the
    product: every word of the category's head (before a comma or a bracket) is a word of
    the model's id, name or functional unit (a percentile tier of passenger-car tyres does
    not grade a truck tyre).

    Parameters
    ----------
    system : ProductSystem
        The product.

    Returns
    -------
    list of str
        Scheme ids, possibly empty (no shipped scheme fits).
    """
    from pcflab.methods import list_schemes, load_scheme

    own = f"pcflab-percentile-{system.sector}"
    ids = list_schemes()
    ordered = ([own] if own in ids else []) + [s for s in ids if not s.startswith("pcflab-percentile-")]
    product = _words(f"{system.id} {system.name} {system.functional_unit.description}")
    chosen = []
    for sid in ordered:
        s = load_scheme(sid)
        head = _words(re.split(r"[,(]", s.product_category)[0])
        if head and head <= product and scheme_fit(s, system) is None:
            chosen.append(sid)
    return chosen


# --------------------------------------------------------------------------------------
# Scenario levers


def _used_factors(system):
    return {f.factor for p in system.processes.values() for f in p.factors}


def _valued(system, name):
    p = system.parameters.get(name)
    return p if p is not None and p.value is not None else None


def _lower_hot_metal(system):
    p = _valued(system, "hot_metal_per_steel")
    if p is None:
        return None
    new = round(max(p.value - 0.10, 0.0), 4)
    return {"hot_metal_per_steel": new}, (
        f"more scrap in the charge: hot metal per t steel {p.value:g} → {new:g} t/t (10 percentage points of the "
        "metallic charge from scrap instead of blast-furnace iron)"
    )


def _power(factor, what):
    def lever(system):
        used = [f for f in _ELECTRICITY if f in _used_factors(system)]
        if not used:
            return None
        return {
            f: factor for f in used
        }, f"{what} for the electricity of every process ({factor} instead of {', '.join(used)})"

    return lever


def _all_green(system):
    p = _valued(system, "green_share")
    if p is None or p.value >= 1:
        return None
    return {"green_share": 1.0}, f"green-electricity share {p.value:g} → 1 (all electricity under the contract)"


def _carbon_black_recipe(system):
    for name in ("silica_share", "tread_share_of_compound"):  # the silica share itself, or what sets it
        p = _valued(system, name)
        if p is not None and p.value > 0:
            return {name: 0.0}, f"recipe: carbon black instead of silica in the tread ({name} {p.value:g} → 0)"
    return None


def _more_natural_rubber(system):
    p = _valued(system, "nr_share")
    if p is None:
        return None
    new = round(p.value + 0.05, 4)
    return {"nr_share": new}, f"rubber source: natural rubber share {p.value:g} → {new:g} kg/kg, synthetic rubber less"


def _gas_instead_of_coal(system):
    coal, gas = _valued(system, "share_coal_boiler"), _valued(system, "share_gas_boiler")
    if coal is None or gas is None or coal.value <= 0:
        return None
    new = round(gas.value + coal.value, 4)
    return {"share_coal_boiler": 0.0, "share_gas_boiler": new}, (
        f"heat of wet processing from gas boilers instead of coal boilers (coal share {coal.value:g} → 0, "
        f"gas share {gas.value:g} → {new:g})"
    )


def _organic_cotton(system):
    conventional = "textiles/cotton-fibre-conventional"
    if conventional not in _used_factors(system):
        return None
    return {
        conventional: "cn/textiles/cotton-fibre-organic/kering2020"
    }, "fibre: organic instead of conventional cotton"


_LEVERS = {
    "steel": (_lower_hot_metal, _power(_GREEN, "wind power")),
    "aluminium": (_all_green, _power(_HYDRO, "hydropower")),
    "tyres": (_carbon_black_recipe, _more_natural_rubber, _power(_GREEN, "wind power")),
    "textiles": (_gas_instead_of_coal, _organic_cotton, _power(_GREEN, "wind power")),
}
_GENERAL = (_power(_GREEN, "wind power"),)


def sector_lever(system, factors=None, profile=None):
    """Return the sector's own lever of a product as a scenario, or ``None`` where none applies.

    The first of the sector's levers that the model has and that moves its deterministic
    footprint.

    Parameters
    ----------
    system : ProductSystem
        The product.
    factors : FactorDB, optional
        Factor database (the shipped one by default).
    profile : str, optional
        Method profile.

    Returns
    -------
    tuple of (dict, str) or None
        The scenario (``{parameter: number}`` or ``{factor id: factor id}``) and what it
        does in words.
    """
    from pcflab.analysis import footprint

    base = None
    for lever in _LEVERS.get(system.sector, _GENERAL):
        found = lever(system)
        if found is None:
            continue
        if base is None:
            base = float(footprint(system, factors, profile=profile)["gwp100"].sum())
        alt = float(footprint(scenario_model(system, found[0]), factors, profile=profile)["gwp100"].sum())
        if abs(alt - base) > 1e-9 * max(abs(base), 1.0):
            return found
    return None


def scenario_model(system, changes):
    """Return a copy of a model with a scenario applied (same id, so shared draws are paired).

    Parameters
    ----------
    system : ProductSystem
        The product.
    changes : dict
        ``{parameter name: number}`` sets a parameter to that value, fixed (its
        uncertainty and rank correlations removed: the lever is a choice, not a draw);
        ``{factor id: factor id}`` replaces a factor in every exchange that uses it.

    Returns
    -------
    ProductSystem

    Raises
    ------
    ReportError
        Naming the scenario key that is not a parameter with a value or a factor the
        model uses (``field="scenario"``).
    """
    from pcflab.models import ProductSystem

    data = system.model_dump()
    used = _used_factors(system)
    for key, value in changes.items():
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            _bad_scenario(key, f"{value!r} is neither a number (a parameter's value) nor a factor id")
        if isinstance(value, str):
            if key not in used:
                _bad_scenario(key, f"the model uses no factor {key!r} (it uses: {', '.join(sorted(used))})")
            for process in data["processes"].values():
                for f in process["factors"]:
                    if f["factor"] == key:
                        f["factor"] = value
            continue
        if _valued(system, key) is None:
            have = ", ".join(k for k in system.parameters if _valued(system, k) is not None)
            _bad_scenario(key, f"the model has no parameter {key!r} with a value (it has: {have})")
        data["parameters"][key] |= {"value": float(value), "uncertainty": None}
        data["correlations"] = [c for c in data["correlations"] if key not in c["parameters"]]
    try:
        out = ProductSystem.model_validate(data)
    except Exception as exc:  # the changed model is invalid: say which scenario
        _bad_scenario(", ".join(changes), f"the model with this scenario is invalid: {exc}")
    return out.model_copy(update={"path": system.path, "sha256": system.sha256})


def _bad_scenario(key, why):
    raise ReportError(
        f"report parameter scenario: {why}",
        field="scenario",
        hint='give {"<parameter>": number} or {"<factor id used by the model>": "<factor id>"}, '
        "or {} for the sector's own lever",
    )
