"""One palette: a gas has the same colour (and a stage the same label) in every figure."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

import pcflab  # noqa: E402
from pcflab.methods import GASES, STAGES  # noqa: E402
from pcflab.reporting._style import GAS_COLOURS, GAS_LABELS, STAGE_COLOURS, STAGE_LABELS  # noqa: E402

BOF = "steel/bf-bof-hot-rolled-coil"  # co2_fossil, ch4_fossil, co2e
EAF = "steel/eaf-hot-rolled-bar"  # co2_fossil, co2e: co2e is the second gas here, the third above
CEMENT = "cement/po-42-5-cement"  # co2_fossil, ch4_fossil, n2o, co2e


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _gas_colours(model):
    """Return {gas: colour} of the stacked bars of plot_stages (each bar carries its gas as gid)."""
    ax = pcflab.plot_stages(pcflab.footprint(model))
    colours = {}
    for patch in ax.patches:
        if patch.get_gid():
            colours.setdefault(patch.get_gid(), set()).add(mcolors.to_hex(patch.get_facecolor()))
    legend = {t.get_text() for t in ax.get_legend().get_texts()}
    stages = [t.get_text() for t in ax.get_yticklabels()]
    return colours, legend, stages


def test_two_figures_give_the_same_colour_to_the_same_gas_and_the_same_label_to_a_stage():
    bof, bof_legend, bof_stages = _gas_colours(BOF)
    eaf, eaf_legend, eaf_stages = _gas_colours(EAF)
    cement, _, _ = _gas_colours(CEMENT)
    assert set(bof) == {"co2_fossil", "ch4_fossil", "co2e"} and set(eaf) == {"co2_fossil", "co2e"}
    for figure in (bof, eaf, cement):
        for gas, colours in figure.items():
            assert colours == {GAS_COLOURS[gas].lower()}, gas  # one colour per gas in a figure
    assert bof["co2e"] == eaf["co2e"] == cement["co2e"]  # by position it would differ (3rd vs 2nd vs 4th)
    assert bof["co2_fossil"] == eaf["co2_fossil"] == cement["co2_fossil"]
    assert "CO₂ fossil" in bof_legend and "CH₄ fossil" in bof_legend and "CO₂ fossil" in eaf_legend
    assert bof_stages == eaf_stages == [STAGE_LABELS[s] for s in STAGES]


def test_the_palette_names_every_gas_and_stage_once_with_distinct_colours():
    assert set(GAS_COLOURS) == set(GASES) and set(GAS_LABELS) == set(GASES)
    assert set(STAGE_COLOURS) == set(STAGES)
    assert len(set(map(str.lower, GAS_COLOURS.values()))) == len(GAS_COLOURS)
    assert len(set(map(str.lower, STAGE_COLOURS.values()))) == len(STAGE_COLOURS)
    assert GAS_LABELS["n2o"] == "N₂O" and GAS_LABELS["c2f6"] == "C₂F₆" and GAS_LABELS["hfc_134a"] == "HFC-134a"
    for label in GAS_LABELS.values():
        assert "$" not in label  # no mathtext: the same text in the figure, its SVG and a table
