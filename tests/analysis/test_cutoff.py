"""Cut-off is cumulative: the exchanges left out together stay within the threshold.

Before, each exchange under the threshold was dropped on its own, so a 5 % rule dropped
19 % of the BF-BOF footprint. The rule is checked against a hand ranking of the exchange
contributions (``exchange_contributions``) on the shipped BF-BOF and EAF models.
"""

import pytest

import pcflab
from pcflab.analysis import exchange_contributions, prepare
from pcflab.methods import MethodProfile

MODELS = ["steel/bf-bof-hot-rolled-coil", "steel/eaf-hot-rolled-bar", "aluminium/primary-ingot"]


def _hand_cutoff(model, share):
    """Exchanges to exclude, by ranking the magnitudes by hand (a second implementation)."""
    contrib = exchange_contributions(prepare(model))
    per_exchange = {}
    for row in contrib.itertuples():
        per_exchange[row.exchange] = per_exchange.get(row.exchange, 0.0) + row.gwp100
    magnitudes = sorted((abs(v), e) for e, v in per_exchange.items())
    total = sum(m for m, _ in magnitudes)
    excluded, running = set(), 0.0
    for m, e in magnitudes:
        if running + m > share * total:
            break
        running += m
        excluded.add(e)
    return excluded, running / total, sum(per_exchange.values()), sum(per_exchange[e] for e in excluded)


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("share", [0.01, 0.05])
def test_cumulative_cutoff_matches_a_hand_ranking(model, share):
    profile = MethodProfile(name=f"cut{share}", title="cumulative cut-off", cutoff_share=share)
    excluded, excluded_share, total, excluded_gwp = _hand_cutoff(model, share)
    det = pcflab.footprint(model, profile=profile)
    assert det.attrs["cutoff_threshold"] == share
    assert det.attrs["cutoff_excluded_share"] == pytest.approx(excluded_share, rel=1e-12)
    assert det.attrs["cutoff_excluded_share"] <= share
    assert float(det["gwp100"].sum()) == pytest.approx(total - excluded_gwp, rel=1e-12)
    assert len(prepare(model, profile=profile).cutoff["excluded"]) == len(excluded)


def test_bf_bof_excluded_share_stays_within_five_per_cent():
    # the per-exchange rule of before excluded 19 % of this footprint under a 5 % threshold
    profile = MethodProfile(name="cut5", title="5 % cut-off", cutoff_share=0.05)
    full = float(pcflab.footprint("steel/bf-bof-hot-rolled-coil")["gwp100"].sum())
    cut = float(pcflab.footprint("steel/bf-bof-hot-rolled-coil", profile=profile)["gwp100"].sum())
    assert 0.95 * full <= cut <= full


def test_a_compiled_model_gets_its_profiles_cutoff_too():
    # a CompiledModel from compile_model went into the analyses without its cut-off before
    profile = MethodProfile(name="cut5", title="5 % cut-off", cutoff_share=0.05)
    compiled = pcflab.compile_model(pcflab.load_model("steel/bf-bof-hot-rolled-coil"), pcflab.load_factors(), profile)
    from_path = pcflab.footprint("steel/bf-bof-hot-rolled-coil", profile=profile)
    from_compiled = pcflab.footprint(compiled)
    assert from_compiled.attrs["cutoff_excluded_share"] == from_path.attrs["cutoff_excluded_share"] > 0
    assert float(from_compiled["gwp100"].sum()) == float(from_path["gwp100"].sum())
