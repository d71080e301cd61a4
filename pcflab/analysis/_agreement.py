"""Why method profiles agree: the rules that would part them and what the model lacks for them.

When several profiles give a product the same footprint, a method study needs to know
whether that is because the profiles agree or because the model has nothing for their
differences to act on (no co-product to allocate, no recycled content, no
green-electricity contract, no gas whose GWP differs between IPCC reports).
"""

import math

__all__ = ["method_agreement"]

_CO2_ONLY = {"co2_fossil", "co2_biogenic", "co2e"}


def _model_features(model, factor_gases):
    """Say, per rule, why the model gives it nothing to act on (rule name -> sentence)."""
    processes = model.processes.values()
    gases = {e.gas for p in processes for e in p.emissions} | set(factor_gases)
    absent = {}
    if not any(p.co_products for p in processes):
        absent["allocation"] = "no process has a co-product, so allocation has nothing to split"
    if not model.circularity:
        absent["recycling"] = (
            "the model declares no recycled content or end-of-life recycling (circularity), so cut-off, "
            "avoided burden and the Circular Footprint Formula agree"
        )
    if not model.electricity_contracts:
        absent["electricity"] = (
            "the model has no green-electricity contract, so location- and market-based electricity agree"
        )
    if gases <= _CO2_ONLY:
        absent["gwp_set"] = "every emission is CO2 or pre-characterised CO2e, so the GWP set does not matter"
    return absent


def method_agreement(table, model, factor_gases=(), rel_tol=1e-9):
    """Explain groups of profiles with the same total.

    Parameters
    ----------
    table : pandas.DataFrame
        ``compare_methods`` output (index ``profile``; columns ``total`` [kg CO2e per
        functional unit], ``gwp_set``, ``allocation``, ``recycling``, ``electricity``).
    model : ProductSystem
        The model the table was computed for.
    factor_gases : iterable of str
        Gases the footprint has under any of the profiles (direct and through factors).
    rel_tol : float
        Totals within this relative tolerance are the same number.

    Returns
    -------
    list of str
        One sentence per group of two or more profiles with the same total: which rules
        differ between them and, for each, why it cannot part them here (or that it
        could and happens not to).
    """
    absent = _model_features(model, factor_gases)
    remaining = list(table.index)
    sentences = []
    while remaining:
        first = remaining.pop(0)
        group = [first] + [p for p in remaining if _same(table, first, p, rel_tol)]
        remaining = [p for p in remaining if p not in group]
        if len(group) < 2:
            continue
        rules = [r for r in ("allocation", "recycling", "electricity", "gwp_set") if table.loc[group, r].nunique() > 1]
        reasons = [absent[r] for r in rules if r in absent]
        live = [r for r in rules if r not in absent]
        text = f"{', '.join(group)} give the same footprint ({table.loc[first, 'total']:,.1f} kg CO2e)"
        if not rules:
            sentences.append(text + ": they share the same rules for this model.")
            continue
        text += f"; they differ in {', '.join(r.replace('_', ' ') for r in rules)}"
        if reasons:
            text += ": " + "; ".join(reasons)
        if live:
            text += f" ({', '.join(live)} could part them but does not move this result)"
        sentences.append(text + ".")
    return sentences


def _same(table, a, b, rel_tol):
    return math.isclose(table.loc[a, "total"], table.loc[b, "total"], rel_tol=rel_tol, abs_tol=1e-12)
