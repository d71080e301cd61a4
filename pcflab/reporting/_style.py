"""The one palette of pcflab's figures: a colour per gas, per stage and per role.

Every ``plot_*`` takes its colours from here, so a gas (or a stage) has the same colour
in every figure of every report, whichever gases a model has. The colours are Okabe-Ito
(colour-blind safe) where there are enough of them; the second colour of a pair is also
hatched in the figures, so that the two stay apart in greyscale print.
"""

from pcflab.core import format_unit
from pcflab.methods import GASES, STAGES

__all__ = [
    "BLUE",
    "GAS_COLOURS",
    "GAS_LABELS",
    "HATCH",
    "HATCH_COLOUR",
    "ORANGE",
    "SKY",
    "STAGE_COLOURS",
    "STAGE_LABELS",
    "VERMILLION",
    "gas_colour",
    "gas_label",
]

# roles in the analysis figures
BLUE = "#0072B2"  # dark: first-order index, input at its low quantile, rho < 0
ORANGE = "#E69F00"  # light and hatched: total index, input at its high quantile, rho > 0
SKY = "#56B4E9"
VERMILLION = "#D55E00"
HATCH = "//"
HATCH_COLOUR = "#5a3e00"

#: One colour per gas of ``pcflab.methods.GASES``.
GAS_COLOURS = {
    "co2_fossil": "#0072B2",  # blue
    "co2_biogenic": "#009E73",  # bluish green
    "ch4_fossil": "#E69F00",  # orange
    "ch4_non_fossil": "#F0E442",  # yellow
    "n2o": "#CC79A7",  # reddish purple
    "sf6": "#56B4E9",  # sky blue
    "cf4": "#D55E00",  # vermillion
    "c2f6": "#8C510A",  # brown
    "hfc_134a": "#882255",  # wine
    "nf3": "#332288",  # indigo
    "co2e": "#999999",  # grey: factors published already characterised
}

#: One colour per life-cycle stage of ``pcflab.methods.STAGES``.
STAGE_COLOURS = {
    "raw_material_acquisition": "#8C510A",
    "production": "#0072B2",
    "distribution": "#E69F00",
    "use": "#009E73",
    "end_of_life": "#CC79A7",
}

_GAS_WORDS = {
    "co2_fossil": "CO2 fossil",
    "co2_biogenic": "CO2 biogenic",
    "ch4_fossil": "CH4 fossil",
    "ch4_non_fossil": "CH4 non-fossil",
    "n2o": "N2O",
    "sf6": "SF6",
    "cf4": "CF4",
    "c2f6": "C2F6",
    "hfc_134a": "HFC-134a",
    "nf3": "NF3",
    "co2e": "CO2e (pre-characterised factors)",
}
#: Legend text of each gas (``CO₂ fossil``).
GAS_LABELS = {gas: format_unit(words) for gas, words in _GAS_WORDS.items()}
#: Axis text of each stage (``raw material acquisition``).
STAGE_LABELS = {stage: stage.replace("_", " ") for stage in STAGES}

if set(GAS_COLOURS) != set(GASES) or set(STAGE_COLOURS) != set(STAGES):  # pragma: no cover
    raise ImportError("pcflab.reporting._style: the palette must name every gas and stage of pcflab.methods")


def gas_colour(gas):
    """Return the colour of a gas (a grey for a gas outside ``GASES``)."""
    return GAS_COLOURS.get(str(gas), "#666666")


def gas_label(gas):
    """Return the legend text of a gas (``CO₂ fossil``), or the gas id for an unknown gas."""
    return GAS_LABELS.get(str(gas), str(gas))
