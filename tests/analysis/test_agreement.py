"""Profiles that agree say why (issue 15, point 7)."""

import pandas as pd

import pcflab
from pcflab.analysis._agreement import method_agreement


def test_bf_bof_profiles_agree_for_named_reasons():
    table = pcflab.compare_methods("steel/bf-bof-hot-rolled-coil")
    (sentence,) = table.attrs["agreement"]
    same = [p for p in table.index if abs(table.loc[p, "total"] - table.loc["iso14067", "total"]) < 1e-9]
    assert sentence.startswith(", ".join(same) + " give the same footprint")
    assert "no process has a co-product" in sentence
    assert "no recycled content or end-of-life recycling" in sentence
    assert "no green-electricity contract" in sentence
    assert "cbam" not in same  # its gas set and boundary part it from the others


def test_a_family_model_with_co_products_and_scrap_has_no_agreement_to_explain():
    table = pcflab.compare_methods("steel/bf-bof-crude-steel")
    assert table["total"].round(6).nunique() == len(table)
    assert table.attrs["agreement"] == []


def _table(totals, **rules):
    base = {"gwp_set": "AR6", "allocation": "mass", "recycling": "cut_off", "electricity": "location"}
    rows = [
        {"profile": p, "total": t, **base, **{k: v[i] for k, v in rules.items()}} for i, (p, t) in enumerate(totals)
    ]
    return pd.DataFrame(rows).set_index("profile")


def test_a_rule_the_model_could_use_is_said_to_not_move_the_result():
    model = pcflab.load_model("steel/bf-bof-crude-steel")  # has co-products
    table = _table([("a", 10.0), ("b", 10.0)], allocation=["mass", "economic"])
    (sentence,) = method_agreement(table, model, {"co2_fossil"})
    assert "differ in allocation" in sentence
    assert "allocation could part them but does not move this result" in sentence


def test_same_rules_and_different_totals():
    model = pcflab.load_model("steel/bf-bof-hot-rolled-coil")
    assert method_agreement(_table([("a", 1.0), ("b", 2.0)]), model) == []
    (sentence,) = method_agreement(_table([("a", 1.0), ("b", 1.0)]), model)
    assert sentence.endswith("they share the same rules for this model.")


def test_gwp_sets_cannot_part_a_co2_only_footprint():
    model = pcflab.load_model("steel/bf-bof-hot-rolled-coil")
    table = _table([("a", 5.0), ("b", 5.0)], gwp_set=["AR5", "AR6"])
    assert "the GWP set does not matter" in method_agreement(table, model, {"co2_fossil", "co2e"})[0]
    assert "gwp_set could part them" in method_agreement(table, model, {"co2_fossil", "ch4_fossil"})[0]
